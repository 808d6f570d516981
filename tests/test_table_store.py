"""Tables kept as rows in a real cache file: read back in another run, pointed to, dropped when old."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from docsync import cache as cache_module
from docsync.cache import Cache, _evict_least_recently_used
from docsync.symbols.indexed_table import HEAD
from docsync.symbols.table import SymbolTable
from docsync.table_store import _KEPT, NAMESPACE, TableStore
from tests.symbols.test_indexed_table import _built, _details, _project


def _kept(tmp_path: Path, files: dict[str, str], key: str) -> tuple[Cache, TableStore]:
    """A cache file holding the table of `files` under `key`, and its store."""
    cache = Cache(tmp_path / "cache.sqlite3")
    store = TableStore(cache)
    store.put(key, _built(files)[0])
    return cache, store


def _opened(store: TableStore, key: str, files: dict[str, str]) -> SymbolTable | None:
    _, modules, pieces = _built(files)
    return store.open(key, modules, lambda f: pieces[f.path], _details)


def test_a_table_kept_in_one_run_is_read_in_the_next(tmp_path: Path) -> None:
    files = _project(20)
    table, _, _ = _built(files)
    with_rows = Cache(tmp_path / "cache.sqlite3")
    TableStore(with_rows).put("k1", table)
    with_rows.close()
    later = Cache(tmp_path / "cache.sqlite3")
    read = _opened(TableStore(later), "k1", files)
    assert read is not None
    assert read.target("shop.Item0") == "shop.core.m0.Item0"
    assert read.by_short_name["total"] == table.by_short_name["total"]
    assert sorted(read.symbols) == sorted(table.symbols)
    assert _opened(TableStore(later), "k2", files) is None, "no rows for another key"
    later.close()


def test_a_tree_with_the_same_names_points_to_the_rows_it_shares(tmp_path: Path) -> None:
    files = _project(5)
    cache, store = _kept(tmp_path, files, "base")
    store.put_same("head", "base")
    store.put_same("next", "head")  # a pointer to a pointer is a pointer to the rows
    rows = cache.get_prefixed(NAMESPACE, "")
    assert len([key for key in rows if key.endswith(f"/{HEAD}")]) == 3
    for key in ("head", "next"):
        read = _opened(store, key, files)
        assert read is not None
        assert read.target("shop.core.m3.func3") == "shop.core.m3.func3"
    cache.close()


def _tables_kept(tmp_path: Path, count: int) -> tuple[Cache, TableStore, dict[str, str]]:
    """A cache file where one run kept `count` tables, "k0" first, flushing after each; its store; their files."""
    files = _project(3)
    table = _built(files)[0]
    cache = Cache(tmp_path / "cache.sqlite3")
    store = TableStore(cache)
    for number in range(count):
        store.put(f"k{number}", table)
        cache.flush()
    return cache, store, files


def test_only_the_latest_tables_are_kept(tmp_path: Path) -> None:
    cache, store, files = _tables_kept(tmp_path, _KEPT + 2)
    assert _opened(store, "k0", files) is None
    assert _opened(store, "k1", files) is None
    assert _opened(store, f"k{_KEPT + 1}", files) is not None
    kept = {key.partition("/")[0] for key in cache.get_prefixed(NAMESPACE, "") if "/" in key}
    assert len(kept) == _KEPT
    cache.close()


def test_pointers_past_the_limit_drop_the_rows_that_fall_off(tmp_path: Path) -> None:
    """A run that keeps only a pointer (the pre-commit path) drops what falls off the list by its key range."""
    files = _tables_kept(tmp_path, _KEPT)[2]
    cache = Cache(tmp_path / "cache.sqlite3")
    store = TableStore(cache)
    store.put_same("p0", f"k{_KEPT - 1}")  # the latest table's rows and the pointer: k0 falls off
    cache.flush()
    assert _opened(store, "k0", files) is None
    assert _opened(store, "k1", files) is not None
    assert _opened(store, "p0", files) is not None
    store.put_same("p1", "k1")  # k1 moves up, beside its pointer: k2 falls off
    cache.close()
    reader = Cache(tmp_path / "cache.sqlite3")
    ids = {key.partition("/")[0].partition(".")[2] for key in reader.get_prefixed(NAMESPACE, "") if "/" in key}
    assert ids == {"k1", "p1", f"k{_KEPT - 1}", "p0", *(f"k{n}" for n in range(3, _KEPT - 1))}
    reader.close()


def test_rows_of_another_layout_are_not_read(tmp_path: Path) -> None:
    files = _project(3)
    cache, store = _kept(tmp_path, files, "k")
    head_key = next(key for key in cache.get_prefixed(NAMESPACE, "") if key.endswith(f"/{HEAD}"))
    cache.put_many(NAMESPACE, {head_key: {"kinds": ["no such kind"]}})
    assert _opened(store, "k", files) is None
    cache.close()


def _evicted_copies(tmp_path: Path, source: Path) -> list[tuple[Path, int]]:
    """Copies of the cache file at `source`, each after the cache's own eviction down to another target (from
    keeping everything to keeping nothing), with how many entries each eviction dropped."""
    size = source.stat().st_size
    copies = []
    for step in range(41):
        copy = tmp_path / f"evicted-{step}.sqlite3"
        shutil.copyfile(source, copy)
        with sqlite3.connect(copy) as db:
            dropped = _evict_least_recently_used(db, size * step // 40)
        db.close()
        copies.append((copy, dropped))
    return copies


def _entries(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as db:
        found = dict(db.execute("SELECT key, value FROM entries WHERE ns = ?", (NAMESPACE,)).fetchall())
    db.close()
    return found


def test_no_eviction_leaves_a_table_readable_with_a_row_gone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache evicts its least recently used entries: a table with a row gone would lose names. Its head row goes
    first (rows read later are newer; of those written at once it sorts last), and without it the table is unread."""
    files = _project(40)
    monkeypatch.setattr(cache_module, "_now", lambda: 1_000_000)
    _kept(tmp_path, files, "k")[0].close()
    monkeypatch.setattr(cache_module, "_now", lambda: 1_000_000 + 3 * 86_400)  # days later: reads touch
    later = Cache(tmp_path / "cache.sqlite3")
    read = _opened(TableStore(later), "k", files)
    assert read is not None
    assert read.target("shop.core.m7.func7") == "shop.core.m7.func7"
    later.close()
    whole = _entries(tmp_path / "cache.sqlite3")
    partial = 0
    for copy, dropped in _evicted_copies(tmp_path, tmp_path / "cache.sqlite3"):
        left = _entries(copy)
        cache = Cache(copy)
        store = TableStore(cache)
        opened = _opened(store, "k", files)
        if dropped > 0 and any(key in left for key in whole if key.partition("/")[2].startswith(("a:", "s:"))):
            partial += 1
        assert (opened is not None) == (left == whole), f"{len(whole) - len(left)} of {len(whole)} entries gone"
        assert store.has("k") == (left == whole), "a table not read is kept again by the run that builds it"
        if opened is None:
            store.put("k", _built(files)[0])
            assert _opened(store, "k", files) is not None
        cache.close()
    assert partial > 3, "some evictions left a part of the table's rows"
