"""The layout of the cache's SQLite file (see `cache`): its tables, and the upgrade of older layouts in place."""

from __future__ import annotations

import contextlib
import sqlite3

APPLICATION = "docsync"
# The layout of the SQLite file itself; what is stored is versioned by namespace. 2: `used`. 3: values out of the
# key: formats 1 and 2 kept each entry in a WITHOUT ROWID table keyed by (ns, key), whose rows SQLite compares
# whole, reading every overflow page of an entry it passes (a 70-byte write beside large rows took 0.07 s).
FORMAT = "3"
_ENTRIES = (
    "CREATE TABLE IF NOT EXISTS entries (ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, "
    "used INTEGER NOT NULL DEFAULT 0)"
)
_KEYS = "CREATE UNIQUE INDEX IF NOT EXISTS entries_by_key ON entries (ns, key)"


def is_docsync_cache(db: sqlite3.Connection) -> bool:
    """Whether the open file is a docsync cache of this layout (made so when empty, upgraded when older)."""
    if not _tables(db):
        with db:
            # IF NOT EXISTS: another docsync may have made them since we looked, which is no corruption.
            db.execute("BEGIN IMMEDIATE")
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            db.execute(_ENTRIES)
            db.execute(_KEYS)
            db.executemany(
                "INSERT OR IGNORE INTO meta VALUES (?, ?)", [("application", APPLICATION), ("format", FORMAT)]
            )
    if _tables(db) != {"meta", "entries"}:
        return False
    meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
    if meta.get("application") == APPLICATION and meta.get("format") in ("1", "2"):
        _upgrade(db)  # a warm cache is worth keeping
        return True
    return meta.get("application") == APPLICATION and meta.get("format") == FORMAT


def _tables(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _upgrade(db: sqlite3.Connection) -> None:
    """Formats 1 and 2 to 3: the entries move to a table of rows with an index of their keys (format 1 had no
    last-used times: its entries count as the least recently used), and the file is compacted. Once per cache
    file: 6 s for a 50,000-file monorepo's 600 MB, under a second for most."""
    with db:
        db.execute("BEGIN IMMEDIATE")
        if db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone() == (FORMAT,):
            return  # another docsync upgraded it since we looked
        columns = {row[1] for row in db.execute("PRAGMA table_info(entries)")}
        db.execute("ALTER TABLE entries RENAME TO entries_before")
        db.execute(_ENTRIES)
        db.execute(_KEYS)
        used = "used" if "used" in columns else "0"
        db.execute(f"INSERT INTO entries (ns, key, value, used) SELECT ns, key, value, {used} FROM entries_before")
        db.execute("DROP TABLE entries_before")
        db.execute("UPDATE meta SET value = ? WHERE name = 'format'", (FORMAT,))
    with contextlib.suppress(sqlite3.DatabaseError):  # busy (another docsync reads it): it shrinks when past its limit
        db.execute("VACUUM")
