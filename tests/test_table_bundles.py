"""Tables are assembled from per-file pieces: from a cached bundle, from outlines, or reusing an earlier table's.

Whatever the route, the table must be the same; bundles must not pile up in the cache; a broken bundle is
ignored, never trusted.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from docsync.cache import KEPT_RECENT, RECENT
from docsync.loader import TABLES_NAMESPACE, Loader
from docsync.symbols import table_patch
from docsync.symbols.table import SymbolTable
from docsync.workspace import open_workspace
from tests.conftest import Repo

FILES = {
    "src/shop/__init__.py": "from shop.cart import Cart as Cart\nfrom ._impl import *\n__all__ = ['Cart', 'helper']\n",
    "src/shop/cart.py": "class Cart:\n    def total(self):\n        return 0\n\n\nclass _Hidden:\n    pass\n",
    "src/shop/_impl.py": "__all__ = ['helper']\n\n\ndef helper():\n    pass\n",
    "src/shop/lazy.py": "def __getattr__(name):\n    raise AttributeError(name)\n",
    "src/shop/broken.py": "def broken(:\n",
    "pyproject.toml": '[project]\nname = "shop"\n',
}


def summary(table: SymbolTable) -> dict[str, object]:
    """Everything a table answers, as plain data (the lazy parts made real)."""
    return {
        "symbols": {q: table.symbols[q] for q in table.symbols},
        "aliases": dict(table.aliases),
        "modules": dict(table.modules),
        "short": dict(table.by_short_name),
        "top": table.top_level,
        "diagnostics": table.diagnostics,
        "dynamic": dict(table.dynamic_names),
        "kinds": dict(table.kinds),
        "public": table.public,
        "names": {path: table.names_in(path) for path in table.modules},
    }


def table_of(repo: Repo, rev: str = "HEAD", keep: bool = False, cache: bool = True) -> dict[str, object]:
    with open_workspace(repo.path, use_cache=cache) as workspace:
        loader = workspace.loader
        snapshot = loader.snapshot(workspace.repo.resolve(rev))
        return summary(loader.keep_table(snapshot) if keep else loader.table(snapshot))


def bundles(repo: Repo) -> dict[str, object]:
    db = sqlite3.connect(repo.path / ".git" / "docsync" / "cache.sqlite3")
    rows = db.execute("SELECT key, value FROM entries WHERE ns = ?", [TABLES_NAMESPACE]).fetchall()
    db.close()
    return {key: json.loads(value) for key, value in rows}


@pytest.fixture
def shop(git_repo: Repo) -> Repo:
    git_repo.commit(dict(FILES))
    return git_repo


def test_a_bundled_table_is_the_table(shop: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    uncached = table_of(shop, cache=False)
    assert table_of(shop, keep=True) == uncached  # built from outlines, bundle saved
    assert len(bundles(shop)) == 2  # the bundle and the list of recent ones
    monkeypatch.setattr(Loader, "_load_outlines", lambda *_: pytest.fail("a bundled table read outlines"))
    assert table_of(shop) == uncached


def test_a_head_reuses_the_base_pieces(shop: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    base = shop.git("rev-parse", "HEAD")
    shop.commit({"src/shop/cart.py": FILES["src/shop/cart.py"].replace("total(self)", "total(self, tax)")})
    expected = table_of(shop, cache=False)
    read: list[list[str]] = []
    original = Loader._load_outlines
    monkeypatch.setattr(
        Loader, "_load_outlines", lambda self, entries: read.append(list(entries)) or original(self, entries)
    )
    with open_workspace(shop.path) as workspace:
        loader = workspace.loader
        loader.table(loader.snapshot(base))
        read.clear()
        head = loader.table(loader.snapshot(workspace.repo.resolve("HEAD")))
    assert read == [["src/shop/cart.py"]]
    assert summary(head) == expected


def test_a_new_tree_starts_from_the_latest_bundle(shop: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run on a tree with no bundle of its own (an edit, a new commit) takes every other piece from the latest
    bundle kept: it reads the outlines of the changed files alone (at 50,000 files, not 50,000 outlines)."""
    table_of(shop, keep=True)
    shop.commit({"src/shop/cart.py": FILES["src/shop/cart.py"].replace("total(self)", "total(self, tax)")})
    shop.write({"src/shop/new.py": "def fresh():\n    pass\n"})
    with open_workspace(shop.path, use_cache=False) as workspace:
        expected = summary(workspace.loader.table(workspace.loader.snapshot("WORKTREE")))
    read: list[list[str]] = []
    original = Loader._load_outlines
    monkeypatch.setattr(
        Loader, "_load_outlines", lambda self, entries: read.append(sorted(entries)) or original(self, entries)
    )
    with open_workspace(shop.path) as workspace:
        table = workspace.loader.table(workspace.loader.snapshot("WORKTREE"))
    assert read == [["src/shop/cart.py", "src/shop/new.py"]]
    assert summary(table) == expected


def test_only_the_latest_bundles_are_kept(shop: Repo) -> None:
    for number in range(KEPT_RECENT + 2):
        shop.commit({f"src/shop/extra{number}.py": f"VALUE = {number}\n"})
        table_of(shop, keep=True)
    stored = bundles(shop)
    assert len(stored) == KEPT_RECENT + 1
    assert set(stored) == {*stored[RECENT], RECENT}  # type: ignore[misc]


@pytest.mark.parametrize("broken", ["[1, 2]", '[["blob", [1]]]', '"text"', '[["abc", ["a", "b", true]]]'])
def test_a_broken_bundle_is_ignored(shop: Repo, broken: str) -> None:
    expected = table_of(shop, keep=True)
    db = sqlite3.connect(shop.path / ".git" / "docsync" / "cache.sqlite3")
    with db:
        db.execute("UPDATE entries SET value = ? WHERE ns = ? AND key != ?", [broken, TABLES_NAMESPACE, RECENT])
    db.close()
    assert table_of(shop) == expected


def test_bundles_live_in_the_shared_cache_dir(shop: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCSYNC_CACHE_DIR", str(tmp_path / "shared"))
    table_of(shop, keep=True)
    assert (tmp_path / "shared" / "cache.sqlite3").is_file()
    assert not (shop.path / ".git" / "docsync").exists()


@pytest.mark.parametrize(
    ("edit", "reassembled"),
    [
        pytest.param(("return 0", "return 1"), False, id="body-only"),
        pytest.param(("total(self)", "total(self, tax)"), False, id="signature-only"),
        pytest.param(("class _Hidden", "class Hidden"), True, id="a-name-changed"),
    ],
)
def test_a_change_that_keeps_every_outline_reuses_the_table(
    shop: Repo, monkeypatch: pytest.MonkeyPatch, edit: tuple[str, str], reassembled: bool
) -> None:
    base = shop.git("rev-parse", "HEAD")
    shop.commit({"src/shop/cart.py": FILES["src/shop/cart.py"].replace(*edit)})
    expected = table_of(shop, cache=False)
    calls: list[int] = []
    for name in ("assemble_table", "patched_table"):  # made again, from scratch or from the table before
        original = getattr(table_patch, name)
        monkeypatch.setattr(table_patch, name, lambda *args, f=original: calls.append(1) or f(*args))
    with open_workspace(shop.path) as workspace:
        loader = workspace.loader
        before = summary(loader.table(loader.snapshot(base)))
        calls.clear()
        head = summary(loader.table(loader.snapshot(workspace.repo.resolve("HEAD"))))
    assert bool(calls) is reassembled
    assert head == expected
    assert head != before  # the symbols themselves (body or signature) did change
