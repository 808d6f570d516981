"""Tests for loader.py: snapshots (a commit, the index, the work tree), symbol tables through the cache, code roots."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from docsync import parsing as parsing_module
from docsync.cache import Cache
from docsync.gitrepo import WORKTREE, FileEntry, GitRepo, blob_id
from docsync.loader import MAX_FILE_BYTES, STAGED, TABLES_NAMESPACE, Loader
from docsync.settings import Config
from docsync.symbols.extract import ModuleSymbols
from tests.conftest import Repo

CART = "def add(cart, item):\n    return 1\n\n\nclass Cart:\n    def total(self):\n        return 0\n"
FILES = {
    "shop/__init__.py": "from .cart import add\n",
    "shop/cart.py": CART,
    "README.md": "# Shop\n",
    "docs/guide.md": "Use `shop.add`.\n",
}

MakeLoader = Callable[..., Loader]


@pytest.fixture
def make_loader(git_repo: Repo, tmp_path: Path) -> Iterator[MakeLoader]:
    """Loaders of `git_repo` (closed at the end); by default each with a cache of its own on tmp_path."""
    opened: list[GitRepo | Cache] = []

    def make(config: Config | None = None, cache: Cache | None = None) -> Loader:
        repo = GitRepo(git_repo.path)
        if cache is None:
            cache = Cache(tmp_path / f"cache-{len(opened)}.sqlite3")
            opened.append(cache)
        opened.append(repo)
        return Loader(repo, config or Config(), cache)

    yield make
    for item in opened:
        item.close()


@pytest.fixture
def shared_cache(tmp_path: Path) -> Iterator[Cache]:
    """One cache for two loaders, as two runs on one repository share theirs."""
    cache = Cache(tmp_path / "shared.sqlite3")
    yield cache
    cache.close()


@pytest.fixture
def shop(git_repo: Repo) -> Repo:
    git_repo.commit(FILES, "create the shop")
    return git_repo


def entries(files: dict[str, str], sized: bool = False) -> dict[str, FileEntry]:
    """What a snapshot lists for these files (git lists trees and the index without sizes; the work tree has them)."""
    return {
        path: FileEntry(blob_id(text.encode()), len(text.encode()) if sized else -1) for path, text in files.items()
    }


# -- snapshots ---------------------------------------------------------------------------------------------


def test_a_commit_snapshot_is_its_tree(shop: Repo, make_loader: MakeLoader) -> None:
    shop.write({"shop/cart.py": CART + "\nX = 1\n"})  # the work tree does not matter
    head = shop.git("rev-parse", "HEAD")
    snapshot = make_loader().snapshot(head)
    assert snapshot.label == head
    assert dict(snapshot.files) == entries(dict(FILES))


def test_the_staged_snapshot_is_the_index(shop: Repo, make_loader: MakeLoader) -> None:
    shop.stage({"shop/new.py": "NEW = 1\n", "README.md": None})
    shop.write({"shop/cart.py": "# not staged\n"})
    snapshot = make_loader().snapshot(STAGED)
    expected = {**FILES, "shop/new.py": "NEW = 1\n"}
    del expected["README.md"]
    assert snapshot.label == STAGED
    assert dict(snapshot.files) == entries(expected)


def test_the_work_tree_snapshot(shop: Repo, make_loader: MakeLoader, monkeypatch: pytest.MonkeyPatch) -> None:
    shop.write(
        {
            "shop/cart.py": CART + "\nX = 1\n",  # edited, not staged
            "docs/new.rst": "New\n===\n",  # untracked
            "data.json": "{}",  # neither code nor a doc
            "CHANGELOG.md": "# 1.0\n",  # excluded by default
            ".venv/lib/mod.py": "X = 1\n",
            "build/lib/shop/cart.py": CART,
            "generated/api.md": "# API\n",  # excluded by the configuration
            "shop/big.py": b"X = 1\n" * (MAX_FILE_BYTES // 6 + 1),  # over 5 MB
        }
    )
    loader = make_loader(Config(exclude=("generated/**",)))
    read: list[str] = []
    original = loader.repo.worktree_file

    def worktree_file(path: str, max_bytes: int) -> bytes | str | None:
        read.append(path)
        return original(path, max_bytes)

    monkeypatch.setattr(loader.repo, "worktree_file", worktree_file)
    snapshot = loader.snapshot(WORKTREE)
    expected = {**FILES, "shop/cart.py": CART + "\nX = 1\n", "docs/new.rst": "New\n===\n"}
    assert snapshot.label == WORKTREE
    assert dict(snapshot.files) == entries(expected, sized=True)
    # Only what git does not know as staged is read: the edited file and the untracked ones (never an excluded
    # path); the other files are their index entries, with the sizes git recorded.
    assert sorted(read) == ["docs/new.rst", "shop/big.py", "shop/cart.py"]
    assert loader.snapshot(WORKTREE) is snapshot, "the work tree is read once a run"
    assert len(read) == 3
    assert loader.read(snapshot.files["docs/new.rst"]) == b"New\n===\n"


def test_read_gives_a_blob_s_bytes(shop: Repo, make_loader: MakeLoader) -> None:
    loader = make_loader()
    snapshot = loader.snapshot(shop.git("rev-parse", "HEAD"))
    assert loader.read(snapshot.files["shop/cart.py"]) == CART.encode()


# -- tables --------------------------------------------------------------------------------------------------


def test_the_table_of_a_snapshot(shop: Repo, make_loader: MakeLoader) -> None:
    loader = make_loader()
    table = loader.table(loader.snapshot(shop.git("rev-parse", "HEAD")))
    assert dict(table.modules) == {"shop/__init__.py": "shop", "shop/cart.py": "shop.cart"}
    assert table.aliases == {"shop.add": "shop.cart.add"}
    assert sorted(table.symbols) == ["shop", "shop.cart", "shop.cart.Cart", "shop.cart.Cart.total", "shop.cart.add"]


def test_a_table_is_memoised_per_label(shop: Repo, make_loader: MakeLoader) -> None:
    loader = make_loader()
    head = shop.git("rev-parse", "HEAD")
    table = loader.table(loader.snapshot(head))
    assert loader.table(loader.snapshot(head)) is table  # another Snapshot object, the same label
    loader.forget(head)
    rebuilt = loader.table(loader.snapshot(head))
    assert rebuilt is not table
    assert dict(rebuilt.modules) == dict(table.modules)
    loader.forget("not-a-label")  # nothing held: nothing to drop


def table_saves(loader: Loader, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys of the table bundles `loader` saves from now on (`Cache.put_recent` still runs)."""
    saved: list[str] = []
    original = loader.cache.put_recent

    def put_recent(namespace: str, key: str, value: object) -> None:
        if namespace == TABLES_NAMESPACE:
            saved.append(key)
        original(namespace, key, value)

    monkeypatch.setattr(loader.cache, "put_recent", put_recent)
    return saved


def test_keep_table_saves_a_bundle_once(
    shop: Repo, make_loader: MakeLoader, shared_cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = shop.git("rev-parse", "HEAD")
    cache = shared_cache
    first = make_loader(cache=cache)
    saved = table_saves(first, monkeypatch)
    snapshot = first.snapshot(head)
    first.table(snapshot)
    assert saved == [], "only keep_table saves"
    kept = first.keep_table(snapshot)
    assert first.keep_table(snapshot) is kept
    assert saved == [first.table_key(snapshot)]
    # Another loader on the same cache loads the table from that bundle, and does not save it again.
    second = make_loader(cache=cache)
    again = table_saves(second, monkeypatch)
    monkeypatch.setattr(Loader, "_load_outlines", lambda *_: pytest.fail("a bundled table read outlines"))
    table = second.keep_table(second.snapshot(head))
    assert again == []
    assert sorted(table.symbols) == sorted(kept.symbols)


def test_table_key_depends_on_the_modules_only(shop: Repo, make_loader: MakeLoader) -> None:
    first = shop.git("rev-parse", "HEAD")
    docs_only = shop.commit({"README.md": "# Shop, again\n", "scripts/tool.py": "X = 1\n"}, "no module changed")
    shop.git("checkout", "-q", "-b", "other", first)
    elsewhere = shop.commit({"docs/guide.md": "Use `shop.cart.add`.\n"}, "on another branch")
    code = shop.commit({"shop/cart.py": CART + "\nX = 1\n"}, "a module changed")
    loader = make_loader()
    keys = {name: loader.table_key(loader.snapshot(sha)) for name, sha in
            [("first", first), ("docs_only", docs_only), ("elsewhere", elsewhere), ("code", code)]}  # fmt: skip
    assert keys["first"] == keys["docs_only"] == keys["elsewhere"]
    assert keys["code"] != keys["first"]
    assert make_loader().table_key(make_loader().snapshot(first)) == keys["first"], "the same in another run"


def test_a_module_over_5_mb_is_skipped_with_a_warning(git_repo: Repo, make_loader: MakeLoader) -> None:
    big = b"def f():\n    pass\n" * (MAX_FILE_BYTES // 18 + 1)
    head = git_repo.commit({"shop/__init__.py": "", "shop/big.py": big})
    loader = make_loader()
    table = loader.table(loader.snapshot(head))
    assert table.modules["shop/big.py"] == "shop.big"
    assert table.names_in("shop/big.py") == ()  # not parsed: no symbols, as for a file that does not parse
    assert [(d.path, d.message) for d in loader.diagnostics.sorted()] == [("shop/big.py", "larger than 5 MB; skipped")]


def test_a_cold_table_is_parsed_in_batches(
    git_repo: Repo, make_loader: MakeLoader, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of files are read and parsed one at a time (a cold run holds one batch, whatever the repository's
    size): the table, the cache and the warnings are those of one batch of everything."""
    big = b"def f():\n    pass\n" * (MAX_FILE_BYTES // 18 + 1)
    files: dict[str, str | bytes] = {f"shop/m{n}.py": f"def f{n}(a, b={n}):\n    return a\n" for n in range(9)}
    head = git_repo.commit({**files, "shop/__init__.py": "", "shop/big.py": big})
    whole = make_loader()
    expected = whole.table(whole.snapshot(head))
    monkeypatch.setattr(parsing_module, "_PARSE_BATCH", 4)
    batched = make_loader()
    table = batched.table(batched.snapshot(head))
    assert dict(table.kinds) == dict(expected.kinds)
    assert [table.symbols[q] for q in table.symbols] == [expected.symbols[q] for q in expected.symbols]
    assert batched.diagnostics.sorted() == whole.diagnostics.sorted()
    assert len(table.modules) == 11


# -- module ------------------------------------------------------------------------------------------------------


def test_a_blob_is_parsed_once_across_loaders_sharing_a_cache(
    shop: Repo, make_loader: MakeLoader, shared_cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[bytes] = []
    original = parsing_module.extract_module

    def extract_module(source: bytes) -> ModuleSymbols:
        parsed.append(source)
        return original(source)

    monkeypatch.setattr(parsing_module, "extract_module", extract_module)
    blob = shop.git("rev-parse", "HEAD:shop/cart.py")
    first = make_loader(cache=shared_cache).module("shop/cart.py", blob)
    assert parsed == [CART.encode()]
    loader = make_loader(cache=shared_cache)
    assert loader.module("shop/cart.py", blob) == first
    assert loader.module("shop/cart.py", blob) == first
    assert parsed == [CART.encode()]
    assert [s.name for s in first.symbols] == ["", "add", "Cart", "Cart.total"]


# -- code roots ---------------------------------------------------------------------------------------------------

PACKAGE_DIR = '[tool.setuptools.package-dir]\n"" = "{root}"\n'


@pytest.fixture
def moved_to_src(git_repo: Repo) -> tuple[str, str]:
    """A project whose pyproject.toml declared lib/ at first, then src/ once the code moved there."""
    old = git_repo.commit({"pyproject.toml": PACKAGE_DIR.format(root="lib"), "lib/shop/cart.py": CART})
    git_repo.git("mv", "lib", "src")
    new = git_repo.commit({"pyproject.toml": PACKAGE_DIR.format(root="src")})
    return old, new


@pytest.mark.parametrize(
    ("config", "commit", "roots"),
    [
        pytest.param(Config(code_roots=("src",)), "old", ("lib",), id="an-old-commit-s-pyproject"),
        pytest.param(Config(code_roots=("src",)), "new", ("src",), id="the-new-commit-s-pyproject"),
        pytest.param(Config(code_roots=("lib",), explicit_code_roots=True), "new", ("lib",), id="explicit-setting"),
        pytest.param(Config(), "old", ("lib",), id="no-setting"),
    ],
)
def test_code_roots_of_a_commit(
    moved_to_src: tuple[str, str], make_loader: MakeLoader, config: Config, commit: str, roots: tuple[str, ...]
) -> None:
    old, new = moved_to_src
    loader = make_loader(config)
    snapshot = loader.snapshot(old if commit == "old" else new)
    assert loader.code_roots(snapshot) == roots


def test_an_old_commit_s_setup_cfg_gives_its_modules(git_repo: Repo, make_loader: MakeLoader) -> None:
    """Before pyproject.toml, setup.cfg declared the layout (SQLAlchemy's lib/): never `lib.shop.cart`."""
    files = {
        "setup.cfg": "[options.packages.find]\nwhere = lib\n",
        "lib/shop/cart.py": CART,
        "examples/__init__.py": "",
    }
    old = git_repo.commit(files)
    loader = make_loader(Config())
    assert dict(loader.table(loader.snapshot(old)).modules)["lib/shop/cart.py"] == "shop.cart"


def test_an_old_commit_s_layout_gives_its_modules(moved_to_src: tuple[str, str], make_loader: MakeLoader) -> None:
    old, new = moved_to_src
    loader = make_loader(Config(code_roots=("src",)))
    assert dict(loader.table(loader.snapshot(old)).modules) == {"lib/shop/cart.py": "shop.cart"}
    assert dict(loader.table(loader.snapshot(new)).modules) == {"src/shop/cart.py": "shop.cart"}


@pytest.mark.parametrize(
    ("files", "config", "roots"),
    [
        pytest.param({"src/shop/cart.py": CART}, Config(), ("src",), id="src-layout"),
        pytest.param({"shop/cart.py": CART}, Config(), ("",), id="flat-layout"),
        pytest.param({"shop/cart.py": CART}, Config(code_roots=("nowhere",)), ("",), id="roots-without-code"),
        pytest.param({"lib/shop/cart.py": CART, "pyproject.toml": PACKAGE_DIR.format(root="src")},
                     Config(code_roots=("lib",)), ("lib",), id="the-work-tree-goes-by-the-settings"),
        pytest.param({"lib/shop/cart.py": CART, "examples/__init__.py": "", "pyproject.toml": "[build-system]\n",
                      "setup.cfg": "[options]\npackage_dir =\n    =lib\n"}, Config(), ("lib",), id="setup-cfg"),
        pytest.param({"lib/shop/cart.py": CART, "setup.py": "setup(package_dir={'': 'lib'})\n"}, Config(), ("lib",),
                     id="setup-py"),
    ],
)  # fmt: skip
def test_code_roots_of_the_work_tree(
    git_repo: Repo, make_loader: MakeLoader, files: dict[str, str], config: Config, roots: tuple[str, ...]
) -> None:
    git_repo.write(files)
    loader = make_loader(config)
    assert loader.code_roots(loader.snapshot(WORKTREE)) == roots
