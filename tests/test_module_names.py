"""Module names of a snapshot's paths: cached per set of paths, and the same as naming them afresh."""

from __future__ import annotations

from pathlib import Path

from docsync.cache import Cache
from docsync.globs import PathMatcher
from docsync.module_names import ModuleNames
from docsync.symbols.layout import find_modules

NAMESPACE = "module-names/1"


def _paths(count: int) -> list[str]:
    """A src layout past the size worth caching, with files that are no modules of it among them."""
    paths = []
    for number in range(count):
        package = f"src/shop/part{number % 40}"
        paths += [f"{package}/__init__.py", f"{package}/mod_{number}.py"]
    paths += ["src/shop/__init__.py", "src/shop/my-script.py", "src/shop/__main__.py", "setup.py", "tests/test_a.py"]
    paths += ["src/shop/vendored/lib.py", "src/shop/.hidden/x.py", "README.md"]
    return sorted(set(paths))


def _afresh(paths: list[str], roots: tuple[str, ...], excludes: tuple[str, ...] = ()) -> dict[str, object]:
    matcher = PathMatcher(excludes)
    return dict(find_modules([p for p in paths if not matcher.matches(p)], roots))


def test_a_second_run_reads_the_names_it_cached_and_they_are_the_same(tmp_path: Path) -> None:
    paths = _paths(3_000)
    writer = Cache(tmp_path / "cache.sqlite3")
    first = ModuleNames(writer, ("src/shop/vendored/**",)).of(paths, ("src",))
    writer.close()
    assert first == _afresh(paths, ("src",), ("src/shop/vendored/**",))
    assert "src/shop/vendored/lib.py" not in first
    assert first["src/shop/part3/__init__.py"].is_package

    reader = Cache(tmp_path / "cache.sqlite3")
    second = ModuleNames(reader, ("src/shop/vendored/**",)).of(paths, ("src",))
    assert second == first
    assert list(second) == list(first)  # in the paths' order
    assert (reader.hits, reader.misses) == (1, 0)


def test_a_few_paths_named_first_leave_the_whole_set_read_from_the_cache(tmp_path: Path) -> None:
    """A pre-commit check names the changed files alone first; the whole tree's names are still the cached ones."""
    paths = _paths(3_000)
    writer = Cache(tmp_path / "cache.sqlite3")
    ModuleNames(writer, ()).of(paths, ("src",))
    writer.close()
    reader = Cache(tmp_path / "cache.sqlite3")
    names = ModuleNames(reader, ())
    assert names.of(["src/shop/part7/mod_7.py", "README.md"], ("src",)).keys() == {"src/shop/part7/mod_7.py"}
    assert names.of(paths, ("src",)) == _afresh(paths, ("src",))
    assert (reader.hits, reader.misses) == (1, 0)


def test_other_roots_excludes_or_paths_are_named_again(tmp_path: Path) -> None:
    paths = _paths(3_000)
    cache = Cache(tmp_path / "cache.sqlite3")
    ModuleNames(cache, ()).of(paths, ("src",))
    cache.flush()
    for excludes, roots, listed in [
        ((), ("",), paths),  # the repository root: `src.shop...` modules
        (("src/shop/part1/**",), ("src",), paths),
        ((), ("src",), [*paths, "src/shop/new.py"]),
    ]:
        before = cache.misses
        names = ModuleNames(cache, excludes).of(listed, roots)
        assert cache.misses == before + 1
        assert names == _afresh(listed, roots, excludes)


def test_an_unreadable_entry_is_named_again(tmp_path: Path) -> None:
    paths = _paths(3_000)
    cache = Cache(tmp_path / "cache.sqlite3")
    ModuleNames(cache, ()).of(paths, ("src",))
    cache.flush()
    [key] = cache.get_many(NAMESPACE, ["recent"])["recent"]
    cache.put_many(NAMESPACE, {key: {"roots": ["src"], "of": [0, 7]}})  # not one entry per path
    assert ModuleNames(cache, ()).of(paths, ("src",)) == _afresh(paths, ("src",))


def test_few_paths_are_named_without_the_cache(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache.sqlite3")
    names = ModuleNames(cache, ()).of(["src/shop/__init__.py", "src/shop/cart.py", "docs/x.md"], ("src",))
    assert {path: module.module for path, module in names.items()} == {
        "src/shop/__init__.py": "shop",
        "src/shop/cart.py": "shop.cart",
    }
    assert (cache.hits, cache.misses) == (0, 0)
