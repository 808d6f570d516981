"""A listing patched from a near snapshot's, or read from a commit's cached lines, is the listing made from scratch."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

import pytest

from docsync.cache import Cache
from docsync.gitrepo import FileEntry
from docsync.listings import NAMESPACE, Listing, Listings
from docsync.module_names import ModuleNames
from docsync.symbols.layout import ModuleFile

ROOTS = ("src",)
EXCLUDES = ("tools/**",)
BASE = {
    "src/shop/__init__.py": FileEntry("a1"),
    "src/shop/core.py": FileEntry("a2"),
    "src/shop/io/__init__.py": FileEntry("a3"),
    "src/shop/io/disk.py": FileEntry("a4"),
    "docs/index.md": FileEntry("a5"),
    "tools/run.py": FileEntry("a6"),
}


class _CountedNames(ModuleNames):
    """Module names that count the paths they are asked to name."""

    def __init__(self, cache: Cache) -> None:
        super().__init__(cache, EXCLUDES)
        self.asked = 0

    def of(self, paths: Collection[str], roots: tuple[str, ...]) -> dict[str, ModuleFile]:
        self.asked += len(paths)
        return super().of(paths, roots)


def _listings(cache: Cache | None = None) -> Listings:
    cache = cache or Cache(None)
    return Listings(_CountedNames(cache), cache, EXCLUDES)


def _fields(listing: Listing) -> tuple[object, ...]:
    return dict(listing.module_files), dict(listing.ids), listing.key, listing.lines


def _scratch(files: Mapping[str, FileEntry]) -> Listing:
    return _listings().of("x", files, ROOTS, commit=False)


@pytest.mark.parametrize(
    "edit",
    [
        {"src/shop/core.py": FileEntry("b2")},
        {"src/shop/core.py": FileEntry("b2"), "src/shop/io/__init__.py": FileEntry("b3"), "docs/index.md": None},
        {"src/shop/io/disk.py": None},  # removed
        {"src/shop/io/cloud.py": FileEntry("b7")},  # added
        {"src/shop/io/disk.py": None, "src/shop/io/cloud.py": FileEntry("a4")},  # renamed
        {"src/shop/io/__init__.py": None, "src/shop/io/x.txt": FileEntry("b8")},  # a package gone, the count kept
        {"tools/run.py": FileEntry("b6"), "docs/index.md": FileEntry("b5")},  # no module changed
        {"src/shop/a.py": FileEntry("b9"), "src/shop/zz.py": FileEntry("b10"), "src/shop/core.py": None},
    ],
)
def test_a_patched_listing_is_the_listing_made_from_scratch(edit: Mapping[str, FileEntry | None]) -> None:
    head = {path: entry for path, entry in {**BASE, **edit}.items() if entry is not None}
    listings = _listings()
    base_listing = listings.of("base", BASE, ROOTS, commit=True)
    listings.near("head", "base", BASE, True, set(edit))
    patched = listings.of("head", head, ROOTS, commit=False)
    assert _fields(patched) == _fields(_scratch(head))
    assert _fields(base_listing) == _fields(_scratch(BASE))
    assert all(patched.module_file(path) == _scratch(head).module_files.get(path) for path in [*BASE, *edit])


def test_a_listing_near_one_the_diff_does_not_describe_is_made_whole() -> None:
    listings = _listings()
    listings.of("base", BASE, ROOTS, commit=True)
    head = {**BASE, "src/shop/new.py": FileEntry("c1")}
    listings.near("head", "base", BASE, True, [])  # a diff that missed the new file
    assert _fields(listings.of("head", head, ROOTS, commit=False)) == _fields(_scratch(head))


def test_a_commits_lines_are_read_from_the_cache_and_its_modules_named_only_when_walked(tmp_path: Path) -> None:
    first = Cache(tmp_path / "cache.sqlite3")
    made = _listings(first).of("c0ffee", BASE, ROOTS, commit=True)
    _listings(first).of("STAGED", BASE, ROOTS, commit=False)  # not a commit: its lines are not kept
    first.close()
    cache = Cache(tmp_path / "cache.sqlite3")
    assert len([key for key in cache.get_prefixed(NAMESPACE, "") if key != "recent"]) == 1
    listings = _listings(cache)
    names = listings._module_names
    assert isinstance(names, _CountedNames)
    read = listings.of("c0ffee", BASE, ROOTS, commit=True)
    assert (read.key, read.lines) == (made.key, made.lines)
    assert read.module_file("src/shop/core.py") == ModuleFile("src/shop/core.py", "shop.core", False)
    assert read.module_file("tools/run.py") is None
    assert names.asked == 2, "one path named at a time"
    listings.near("head", "c0ffee", BASE, True, ["src/shop/core.py"])
    head = {**BASE, "src/shop/core.py": FileEntry("d2")}
    assert listings.of("head", head, ROOTS, commit=False).key == _scratch(head).key
    assert names.asked == 3
    assert _fields(read) == _fields(made)  # walked: named now
    assert _listings(cache).of("c0ffee", BASE, ("",), commit=True).key != made.key, "other roots: other lines"
    cache.close()


def test_a_near_snapshot_is_listed_once_and_a_cycle_is_not_followed() -> None:
    listings = _listings()
    listings.near("a", "b", BASE, True, [])
    listings.near("b", "a", BASE, True, [])
    assert listings.of("a", BASE, ROOTS, commit=True).key == listings.of("b", BASE, ROOTS, commit=True).key
    assert listings.of("a", BASE, ROOTS, commit=True).key == _scratch(BASE).key
