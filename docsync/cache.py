"""A content-addressed on-disk cache: JSON values keyed by (namespace, git blob id), in one SQLite file.

One SQLite file rather than a file per blob: a warm run looks up thousands of entries in a
few queries, writes are atomic transactions, and CI can save and restore a single path
(`actions/cache`). Values are JSON, never pickle: a cache restored in CI may come from
another branch, and loading it must not be able to run code.

The file is bounded (issue 13): each entry keeps when it was last used, and on closing a file
grown past its limit the least recently used entries are dropped and the file compacted.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from docsync.cache_format import is_docsync_cache
from docsync.settings import DEFAULT_CACHE_MAX_MB, parse_cache_max_mb

_CHUNK = 500  # SQLite limits the number of `?` in one statement
_FLUSH_AT_CHARS = 32_000_000
# How long to wait for another process's write to the cache; then this run goes without it (issue 13).
BUSY_WAIT_SECONDS = 10.0
# A read refreshes an entry's last-used time (seconds) only when it is older than this: a warm run that
# reads what it read an hour ago writes nothing for it, and the pre-commit path stays as fast as it was.
_TOUCH_AFTER_SECONDS = 86_400
_EVICT_TO = 0.75  # of the limit: room to grow before the next eviction, so that VACUUM stays rare
_PAGE_PRAGMAS = ("page_size", "page_count", "freelist_count")
_PREFIXED = "key >= ? AND key < ?"  # the keys that start with a prefix, between `_bounds(prefix)`
RECENT = "recent"  # in a namespace of per-revision values, the entry listing the ones to keep, newest first
KEPT_RECENT = 4
# The default limit grows to this much per file of the repository: a 50,000-file monorepo's cache file held
# 13 kB per file after a few runs (symbols 4.7 kB, two table bundles 2.7 kB, SQLite's pages), and a limit below
# what the runs read evicts, on each run, what the next one needs (a "warm" check 72 s instead of 19).
DEFAULT_BYTES_PER_FILE = 24_000


@functools.cache
def code_digest() -> str:
    """An id of docsync's own code: what depends on all of its logic at once (a score) is cached under it,
    so that no namespace version has to be remembered when any of that logic changes."""
    package = os.path.dirname(os.path.realpath(__file__))
    sources = []
    for folder, subfolders, files in os.walk(package):  # os.walk, not Path.rglob: half the time on every run
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        prefix = os.path.relpath(folder, package).replace(os.sep, "/")
        sources += [(name if prefix == "." else f"{prefix}/{name}", os.path.join(folder, name)) for name in files
                    if name.endswith(".py")]  # fmt: skip
    digest = hashlib.blake2b(digest_size=16)
    for name, path in sorted(sources):
        with open(path, "rb") as source:
            digest.update(name.encode() + b"\0" + source.read() + b"\0")
    return digest.hexdigest()


class Cache:
    """Get and put JSON values by (namespace, key). Never raises for a broken cache: it warns and rebuilds."""

    def __init__(
        self,
        path: Path | None,
        warn: Any = None,
        follow_links: bool = True,
        max_bytes: int | None = None,
        files: Callable[[], int] | None = None,
    ) -> None:
        """`follow_links=False` where the repository chose the place (see `cache_location`); `files`: the limit
        is the default, which grows with the repository's count of files (asked only when the file is past it)."""
        self._warn = warn or (lambda message: print(f"docsync: warning: {message}", file=sys.stderr))
        self._follow_links = follow_links
        self._pending: dict[tuple[str, str], str] = {}
        self.hits = self.misses = 0  # keys found and not found by `get_many` in this run (`--verbose` says them)
        self._pending_chars = 0
        self._prunes: dict[str, frozenset[str]] = {}  # namespace -> the only keys to keep there
        self._prefix_prunes: dict[str, tuple[str, ...]] = {}  # namespace -> the only key prefixes to keep there
        self._prefix_drops: dict[str, set[str]] = {}  # namespace -> key prefixes whose entries go
        self._touched: list[tuple[str, str | bytes]] = []  # read entries whose last-used time is stale
        self._db: sqlite3.Connection | None = None
        self.path = path
        self.max_bytes = max_bytes  # None: unbounded
        self._files = files
        if path is not None:
            self._db = self._open(path)

    def _open(self, path: Path) -> sqlite3.Connection | None:
        link = None if self._follow_links else _link_at(path)
        if link is not None:
            self._warn(
                f"cache disabled: {link} is a symlink, and docsync does not follow links where the repository "
                "puts its cache (remove the link, or set DOCSYNC_CACHE_DIR)"
            )
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=BUSY_WAIT_SECONDS, isolation_level=None)
        except (OSError, sqlite3.DatabaseError) as error:
            # A read-only folder, or a folder at the path: nothing to rebuild, so nothing to move aside.
            reason = error.strerror if isinstance(error, OSError) else str(error)
            self._warn(f"cache disabled: cannot create {path}: {reason}")
            return None
        try:
            if not is_docsync_cache(db):
                db.close()
                return self._recreate(path, "it was not a docsync cache of this version")
            return db
        except sqlite3.DatabaseError as error:
            db.close()
            if _is_busy(error):  # another process is writing it: a valid cache, not ours to move aside
                self._warn(f"cache busy: running without it ({_busy_reason(path)})")
                return None
            return self._recreate(path, "it was corrupt")

    def _recreate(self, path: Path, why: str) -> sqlite3.Connection | None:
        self._warn(f"rebuilding the cache at {path}: {why}")
        try:
            # Move it aside rather than delete: the path may have been misconfigured to a file we do not own.
            os.replace(path, path.with_name(path.name + ".broken"))
            db = sqlite3.connect(path, timeout=BUSY_WAIT_SECONDS, isolation_level=None)
            return db if is_docsync_cache(db) else None
        except (OSError, sqlite3.DatabaseError) as error:
            self._warn(f"cache disabled: {error}")
            return None

    def get_many(self, namespace: str, keys: Iterable[str], touch: bool = True) -> dict[str, Any]:
        """The values found for `keys`; missing and unreadable entries are simply absent. `touch=False`: their
        last-used times stay the write's (so the entries are evicted first: see `table_store`)."""
        wanted = list(dict.fromkeys(keys))
        found = self._read(namespace, wanted, touch)
        self.hits += len(found)
        self.misses += len(wanted) - len(found)
        return found

    def _read(self, namespace: str, wanted: list[str], touch: bool) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key in wanted:
            pending = self._pending.get((namespace, key))
            if pending is not None:
                found[key] = json.loads(pending)
        if self._db is None:
            return found
        rest = {_stored(k): k for k in wanted if k not in found}
        stored = list(rest)
        stale = _now() - _TOUCH_AFTER_SECONDS
        try:
            for start in range(0, len(stored), _CHUNK):
                chunk = stored[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, value, used FROM entries WHERE ns = ? AND key IN ({marks})", [namespace, *chunk]
                )
                for key, value, used in rows:
                    self._decode_into(found, namespace, rest[key], value)
                    if touch and used < stale:
                        self._touched.append((namespace, key))
        except sqlite3.DatabaseError as error:
            if _is_busy(error):
                self._disable(f"cache busy: running without it ({_busy_reason(self.path)})")
            else:
                self._disable(f"cannot read the cache ({error}); going on without it")
        return found

    def get_prefixed(self, namespace: str, prefix: str) -> dict[str, Any]:
        """Every entry of `namespace` whose key starts with `prefix` (a text key: `_stored` keeps it text)."""
        found: dict[str, Any] = {}
        if self._db is not None:
            try:
                rows = self._db.execute(
                    f"SELECT key, value FROM entries WHERE ns = ? AND {_PREFIXED}", (namespace, *_bounds(prefix))
                )
                for key, value in rows:
                    self._decode_into(found, namespace, key, value)
            except sqlite3.DatabaseError as error:
                self._disable(f"cannot read the cache ({error}); going on without it")
        for (pending_namespace, key), text in self._pending.items():
            if pending_namespace == namespace and key.startswith(prefix):
                found[key] = json.loads(text)
        return found

    def _decode_into(self, found: dict[str, Any], namespace: str, key: str, value: str) -> None:
        try:
            found[key] = json.loads(value)
        except ValueError:
            self._warn(f"cache entry {namespace}/{key[:12]} was unreadable; rebuilding it")

    def put_many(self, namespace: str, values: Mapping[str, Any]) -> None:
        """Queue values; they are written in one transaction by `flush` (early, once they hold a lot of text)."""
        for key, value in values.items():
            # ASCII: a lone surrogate (a notebook may hold "\ud800") is escaped, where UTF-8 cannot hold it.
            text = json.dumps(value, separators=(",", ":"))
            self._pending[(namespace, key)] = text
            self._pending_chars += len(text)
        # A cold history walk would otherwise hold every version it parsed (without a file, they are the cache).
        if self._pending_chars > _FLUSH_AT_CHARS and self._db is not None:
            self.flush()

    def put_recent(self, namespace: str, key: str, value: Any) -> None:
        """Put a large per-revision value; only the `KEPT_RECENT` latest of its namespace are kept."""
        recent = self.get_many(namespace, [RECENT]).get(RECENT)
        earlier = [k for k in recent if isinstance(k, str) and k != key] if isinstance(recent, list) else []
        kept = [key, *earlier[: KEPT_RECENT - 1]]
        self.put_many(namespace, {key: value, RECENT: kept})
        self.keep_only(namespace, [*kept, RECENT])

    def keep_only(self, namespace: str, keys: Iterable[str]) -> None:
        """Drop every other entry of `namespace` at the next `flush` (large per-revision values must not pile up)."""
        self._prunes[namespace] = frozenset(keys)

    def keep_only_prefixed(self, namespace: str, prefixes: Iterable[str]) -> None:
        """Drop every entry of `namespace` whose key starts with none of `prefixes`, at the next `flush`."""
        self._prefix_prunes[namespace] = tuple(prefixes)

    def drop_prefixed(self, namespace: str, prefixes: Iterable[str]) -> None:
        """Drop every entry of `namespace` whose key starts with one of `prefixes`, at the next `flush`: a range of
        the index each, where `keep_only_prefixed` reads every key of the namespace (0.1 s at 6,000 large rows)."""
        self._prefix_drops.setdefault(namespace, set()).update(prefixes)

    def flush(self) -> None:
        dropping = self._prunes or self._prefix_prunes or self._prefix_drops
        if self._db is not None and (self._pending or dropping or self._touched):
            try:
                self._write(self._db, _now())
            except sqlite3.DatabaseError as error:
                if _is_busy(error):
                    self._disable(f"cache busy: results were not saved ({_busy_reason(self.path)})")
                else:
                    self._disable(f"cannot write the cache ({error}); results were not saved")
        self._pending.clear()
        self._pending_chars = 0
        self._prunes.clear()
        self._prefix_prunes.clear()
        self._prefix_drops.clear()
        self._touched.clear()

    def _write(self, db: sqlite3.Connection, now: int) -> None:
        """The pending values, the last-used times of what was read, and the prunes: one transaction."""
        rows = [(ns, _stored(key), value, now) for (ns, key), value in self._pending.items()]
        with db:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO entries (ns, key, value, used) VALUES (?, ?, ?, ?)", rows)
            db.executemany("UPDATE entries SET used = ? WHERE ns = ? AND key = ?", [(now, *t) for t in self._touched])
            for namespace, keep in self._prunes.items():
                marks = ",".join("?" * len(keep))
                db.execute(
                    f"DELETE FROM entries WHERE ns = ? AND key NOT IN ({marks})",
                    [namespace, *map(_stored, sorted(keep))],
                )
            for namespace, prefixes in self._prefix_prunes.items():
                outside = " AND ".join(f"NOT ({_PREFIXED})" for _ in prefixes) or "1"
                bounds = [bound for prefix in prefixes for bound in _bounds(prefix)]
                db.execute(f"DELETE FROM entries WHERE ns = ? AND {outside}", [namespace, *bounds])
            for namespace, dropped in self._prefix_drops.items():
                for prefix in sorted(dropped):
                    db.execute(f"DELETE FROM entries WHERE ns = ? AND {_PREFIXED}", (namespace, *_bounds(prefix)))

    def _disable(self, message: str) -> None:
        self._warn(message)
        if self._db is not None:
            self._db.close()
        self._db = None

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._shrink_if_large(self._db)
            self._db.close()
            self._db = None

    def _shrink_if_large(self, db: sqlite3.Connection) -> None:
        """Past `max_bytes`, drop the least recently used entries down to `_EVICT_TO` of it and compact the
        file. Once per run at most, and only then does it cost more than a `stat`."""
        if self.max_bytes is None or self.path is None:
            return
        try:
            size = self.path.stat().st_size
            if size <= self.max_bytes:
                return
            if self._files is not None:  # the default limit: room for the repository's files
                self.max_bytes = max(self.max_bytes, self._files() * DEFAULT_BYTES_PER_FILE)
                if size <= self.max_bytes:
                    return
            _evict_least_recently_used(db, int(self.max_bytes * _EVICT_TO))
            db.execute("VACUUM")  # the only way the file itself shrinks; rare, since it then has room to grow
        except (OSError, sqlite3.DatabaseError) as error:
            if not (isinstance(error, sqlite3.DatabaseError) and _is_busy(error)):  # busy: next run's turn
                self._warn(f"could not shrink the cache at {self.path}: {error}")


def _evict_least_recently_used(db: sqlite3.Connection, target: int) -> int:
    """Delete the least recently used entries until the rest would fill about `target` bytes of file;
    returns how many were deleted. Of entries last used at once, the last in key order go first (`table_store`
    relies on it: a table's head row, written with its rows and sorting after them, goes before any of them).

    The file holds more than its values (keys, pages left partly empty, overflow pages): the bytes of
    data to keep are scaled by how much file each byte of data takes now.
    """
    page_size, pages, free = (db.execute(f"PRAGMA {name}").fetchone()[0] for name in _PAGE_PRAGMAS)
    rows = db.execute(
        "SELECT ns, key, length(CAST(key AS BLOB)) + length(CAST(value AS BLOB)) FROM entries "
        "ORDER BY used DESC, ns, key"
    ).fetchall()
    data = sum(size for _, _, size in rows) or 1
    budget = target * data / max((pages - free) * page_size, 1)
    kept = 0
    for index, (_, _, size) in enumerate(rows):
        kept += size
        if kept > budget:
            with db:
                db.execute("BEGIN IMMEDIATE")
                db.executemany("DELETE FROM entries WHERE ns = ? AND key = ?", [row[:2] for row in rows[index:]])
            return len(rows) - index
    return 0


def _now() -> int:
    return int(time.time())


def _stored(key: str) -> str | bytes:
    """The key as SQLite holds it. A path that is not UTF-8 reaches us with surrogates (its bytes decoded
    with surrogateescape), which UTF-8 text cannot hold: such a key is stored as its bytes, a BLOB, which
    SQLite never takes for equal to any text key."""
    if key.isascii():
        return key
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return key.encode("utf-8", "surrogatepass")
    return key


def _bounds(prefix: str) -> tuple[str, str]:
    """The keys starting with `prefix` sort from it to it followed by the last code point (UTF-8 compares as bytes)."""
    return prefix, prefix + "\U0010ffff"


def _is_busy(error: sqlite3.Error) -> bool:
    """SQLite gave up waiting for another connection's lock: the cache is busy, not broken."""
    code = getattr(error, "sqlite_errorcode", None)  # Python 3.11 and later
    if isinstance(code, int):
        return code & 0xFF in (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED (and their extended codes)
    return "is locked" in str(error)  # pragma: no cover - Python 3.10: "database is locked", "... table is locked"


def _busy_reason(path: Path | None) -> str:
    return f"another process has been writing {path} for over {BUSY_WAIT_SECONDS:g} s"


def cache_max_bytes(configured_mb: int | None) -> tuple[int, bool]:
    """`DOCSYNC_CACHE_MAX_MB`, else `cache-max-mb` from the config, in bytes; else the default, which may grow
    with the repository (True).

    Raises:
        ConfigError: the environment variable is not a whole number of megabytes, 1 or more.
    """
    env = os.environ.get("DOCSYNC_CACHE_MAX_MB")
    if env:
        return parse_cache_max_mb(env, "DOCSYNC_CACHE_MAX_MB") * 1_000_000, False
    if configured_mb is not None:
        return configured_mb * 1_000_000, False
    return DEFAULT_CACHE_MAX_MB * 1_000_000, True


def _link_at(path: Path) -> Path | None:
    """The cache's folder, file or one of SQLite's side files, if it is a symlink (else None)."""
    side_files = [path.with_name(path.name + suffix) for suffix in ("-journal", "-wal", "-shm")]
    return next((p for p in (path.parent, path, *side_files) if p.is_symlink()), None)


def cache_location(git_dir: Path, configured: str | None, root: Path, from_repository: bool) -> tuple[Path, bool]:
    """Where the cache lives (`default_cache_path`), and whether the repository chose the place: through its own
    settings (`from_repository`: not given with --config) or by default, under its git dir. Links are
    not followed there (issue 13): a cloned repository could ship one pointing anywhere."""
    path = default_cache_path(git_dir, configured, root)
    if os.environ.get("DOCSYNC_CACHE_DIR"):
        return path, False
    if configured:
        return path, from_repository
    return path, path.is_relative_to(git_dir)  # not the user's own cache folder, the fallback


def default_cache_path(git_dir: Path, configured: str | None, root: Path) -> Path:
    """`DOCSYNC_CACHE_DIR`, else `cache-dir` from the config, else the repository's git dir."""
    env = os.environ.get("DOCSYNC_CACHE_DIR")
    if env:
        return Path(env) / "cache.sqlite3"
    if configured:
        return (root / configured) / "cache.sqlite3"
    if os.access(git_dir, os.W_OK):
        return git_dir / "docsync" / "cache.sqlite3"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "docsync" / "cache.sqlite3"
