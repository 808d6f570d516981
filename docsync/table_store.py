"""Symbol tables kept in the cache as rows, for the revisions later runs start from (issue 18).

A `check --staged` or `--base` starts from a table built by an earlier run (the head a whole-repository check read,
a branch's merge-base). Kept as rows (`indexed_table`), it is opened in a few milliseconds and read one lookup at a
time, where decoding and assembling it took 3 s at 50,000 modules. A tree that differs from a kept one only in the
bodies of its files (the usual staged edit) has the same names: it is kept as a pointer to that one's rows.

Rows are under the table's key and docsync's code (what the table means is decided by the code), in one namespace
that keeps the `_KEPT` latest tables.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any, NamedTuple

from docsync.cache import RECENT, Cache, code_digest
from docsync.symbols.indexed_table import HEAD, PieceOf, indexed_table
from docsync.symbols.layout import ModuleFile
from docsync.symbols.overlay import Overlay, decode_overlay, encode_overlay
from docsync.symbols.table import Details, SymbolTable
from docsync.symbols.table_rows import rows_of

# Per Python: what parses, so which names a file has, depends on the interpreter (as the outlines' namespace). The
# "~" put it after every other namespace while the cache compared whole entries (format 2: see `cache_format.FORMAT`).
NAMESPACE = f"~table-rows-1/py{sys.version_info[0]}{sys.version_info[1]}"
# Tables, overlays or pointers: a branch's merge-base, the head over it, the staged tree, and a few before them.
_KEPT = 8


class _Kept(NamedTuple):
    """Where a table is kept: its own id (a whole table's or an overlay's), the id of the whole table's rows it is
    read from, their head row, and its overlay over them (None: it is that whole table)."""

    table: str
    rows: str
    head: Mapping[str, Any]
    overlay: Overlay | None


class TableStore:
    """Tables by table key, kept as rows in the cache."""

    def __init__(self, cache: Cache) -> None:
        self._cache = cache
        self._swept = False  # a whole table was kept in this run: every later list is kept by a sweep too

    def has(self, key: str) -> bool:
        """Whether the table of `key` is kept whole (a table missing rows is written again)."""
        return self._readable(key) is not None

    def open(
        self, key: str, files: Mapping[str, ModuleFile], piece_of: PieceOf, details: Details
    ) -> SymbolTable | None:
        """The table kept under `key` (its tree's module files: `files`), reading its rows and the outlines of its
        files (`piece_of`) as they are asked for; None when none is kept (or it is unreadable)."""
        found = self._readable(key)
        if found is None:
            return None
        prefix = f"{found.rows}/"

        def fetch(keys: list[str]) -> dict[str, Any]:
            found = self._cache.get_many(NAMESPACE, [prefix + key for key in keys])
            return {key[len(prefix) :]: value for key, value in found.items()}

        def scan(tag: str) -> dict[str, Any]:
            found = self._cache.get_prefixed(NAMESPACE, prefix + tag)
            return {key[len(prefix) :]: value for key, value in found.items()}

        try:
            return indexed_table(found.head, files, fetch, scan, piece_of, details, found.overlay, found.rows)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def put(self, key: str, table: SymbolTable) -> None:
        """Keep `table` under `key` (not where a path cannot be a text key: such a tree is never read from rows)."""
        rows = rows_of(table)
        if not all(_is_text(row_key) for row_key in rows):
            return
        rows_id = _id(key)
        # In key order: SQLite then fills its index page by page (unordered, 200,000 rows took minutes).
        self._cache.put_many(NAMESPACE, {f"{rows_id}/{row_key}": rows[row_key] for row_key in sorted(rows)})
        self._keep(rows_id, sweep=True)

    def put_same(self, key: str, like: str) -> None:
        """Keep the table of `key` as the same names as the one kept under `like` (its files' bodies differ)."""
        found = self._head(_id(like))
        if found is None or _id(key) in (found.table, found.rows):
            return
        self._cache.put_many(NAMESPACE, {f"{_id(key)}/{HEAD}": {"same": found.table}})
        self._keep(found.rows, found.table, _id(key), sweep=False)

    def put_overlay(self, key: str, over: str, overlay: Overlay) -> None:
        """Keep the table of `key` as `overlay` over the whole table the one kept under `over` is read from (the
        overlay is counted from that whole table: see `table_delta`)."""
        found = self._head(_id(over))
        if found is None or _id(key) in (found.table, found.rows):
            return
        self._cache.put_many(NAMESPACE, {f"{_id(key)}/{HEAD}": {"over": found.rows, **encode_overlay(overlay)}})
        self._keep(found.rows, _id(key), sweep=False)

    def _readable(self, key: str) -> _Kept | None:
        """Where the table of `key` is kept, if every row is there: an entry dropped alone (the cache evicts by last
        use) would leave names out, so a table is read whole or not at all. Counting the rows took 0.07 s at 50,000
        modules; instead the head row is the first of its table that an eviction drops (see `_head`), so a table
        with its head has every row."""
        return self._head(_id(key))

    def _head(self, table_id: str) -> _Kept | None:
        """Where a table is kept (following a pointer to the same names, and an overlay to its whole table). The
        cache evicts the least recently used entries first, and of those last used at once, the last in key order:
        the head row is written with its rows, sorts after them (`HEAD`), and is read without touching its
        last-used time, so no eviction drops a row of a table and leaves its head."""
        head = self._head_row(table_id)
        if head is not None and isinstance(head.get("same"), str):
            table_id = head["same"]
            head = self._head_row(table_id)
        rows_id, overlay = table_id, None
        if head is not None and isinstance(head.get("over"), str):
            rows_id = head["over"]
            try:
                overlay = decode_overlay(head)
            except (KeyError, TypeError, ValueError, AttributeError):
                return None
            head = self._head_row(rows_id)
        if head is None or "same" in head or "over" in head:
            return None
        return _Kept(table_id, rows_id, head, overlay)

    def _head_row(self, rows_id: str) -> dict[str, Any] | None:
        head_key = f"{rows_id}/{HEAD}"
        head = self._cache.get_many(NAMESPACE, [head_key], touch=False).get(head_key)
        return head if isinstance(head, dict) else None

    def _keep(self, *newest: str, sweep: bool) -> None:
        """List `newest` first among the kept tables and drop the rows of those that fall off the list. `sweep`:
        by reading every key of the namespace (which also drops rows a crashed run left unlisted, and those of
        another docsync version), else by the ranges of the ids that fall off (a pointer: the pre-commit path).
        A sweep waiting for the next flush keeps only what it lists: after one, every list is kept by a sweep."""
        self._swept = self._swept or sweep
        recent = self._cache.get_many(NAMESPACE, [RECENT]).get(RECENT)
        earlier = [k for k in recent if isinstance(k, str) and k not in newest] if isinstance(recent, list) else []
        newest = tuple(dict.fromkeys(newest))  # a whole table is its own rows
        kept = [*newest, *earlier][:_KEPT]
        self._cache.put_many(NAMESPACE, {RECENT: kept})
        if self._swept:
            self._cache.keep_only_prefixed(NAMESPACE, [RECENT, *(f"{rows_id}/" for rows_id in kept)])
        else:
            self._cache.drop_prefixed(NAMESPACE, [f"{rows_id}/" for rows_id in earlier[_KEPT - len(newest) :]])


def _id(key: str) -> str:
    return f"{code_digest()[:16]}.{key}"


def _is_text(key: str) -> bool:
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
