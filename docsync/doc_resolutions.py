"""What each doc version resolved to against a table, cached by (table key, scan key) (see `affected.py`).

A check of a change resolves the docs it touches on both sides; the others resolve at the head as at the base, and
the next check of that head (the next pre-commit run, once the change is committed) asks for all of them. Writing
2,000 resolutions again for each staged edit took a tenth of a pre-commit check at 50,000 modules and 2 MB of
cache: the head's table instead keeps one entry saying, per doc version, where its resolution is stored (the table
key it was written under, so that a line of commits never makes a chain). `ByTableAndDoc` keeps any value so
(`carried_map` keeps each doc version's map).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from docsync.cache import Cache
from docsync.models import DocResolution

# Bump when `resolve.py` changes its answers ("table key:same" entries came later: no scan key is "same").
NAMESPACE = f"resolutions/19/py{sys.version_info[0]}{sys.version_info[1]}"
_SAME = "same"  # "table key:same": {scan key: the table key its resolution is stored under}
V = TypeVar("V")


class ByTableAndDoc(Generic[V]):
    """Values by table key and scan key (a doc version: "blob:path"), through the cache, in `namespace`;
    `decode` gives None for a value of another layout (read as a miss)."""

    def __init__(
        self, cache: Cache, namespace: str, encode: Callable[[V], Any], decode: Callable[[Any], V | None]
    ) -> None:
        self._cache, self._namespace, self._encode, self._decode = cache, namespace, encode, decode
        self._known: dict[str, V] = {}  # "table key:scan key" -> value, for the run
        self._stored_under: dict[str, str] = {}  # "table key:scan key" -> the table key its entry is under
        self._same: dict[str, dict[str, str]] = {}  # table key -> its entry of resolutions stored elsewhere

    def get(self, table_key: str, scan_keys: Mapping[str, str]) -> dict[str, V]:
        """The value of each scan key's doc (`scan_keys`: scan key -> doc), where cached."""
        keys = {f"{table_key}:{scan_key}": doc for scan_key, doc in scan_keys.items()}
        missing = [scan_key for scan_key in scan_keys if f"{table_key}:{scan_key}" not in self._known]
        if missing:
            # Where the table shares its base's resolutions, they are stored there: one read, not a miss each first
            # (a doc version stored both ways resolved the same, against the same table).
            elsewhere = self._same_entry(table_key)
            there = {s: elsewhere.get(s, table_key) for s in missing}
            self._read({f"{under}:{s}": (f"{table_key}:{s}", under) for s, under in there.items()})
            stray = [s for s in missing if there[s] != table_key and f"{table_key}:{s}" not in self._known]
            self._read({f"{table_key}:{s}": (f"{table_key}:{s}", table_key) for s in stray})  # evicted there
        return {doc: self._known[key] for key, doc in keys.items() if key in self._known}

    def put(self, table_key: str, values: Mapping[str, V]) -> None:
        """Keep values against `table_key` (by scan key)."""
        made = {f"{table_key}:{scan_key}": value for scan_key, value in values.items()}
        self._known.update(made)
        self._stored_under.update(dict.fromkeys(made, table_key))
        self._cache.put_many(self._namespace, {key: self._encode(value) for key, value in made.items()})

    def put_same(self, table_key: str, like: str, scan_keys: Mapping[str, str]) -> None:
        """Keep that these doc versions (scan key -> doc) have against `table_key` the value they have against
        `like`, where it was read or kept in this run."""
        if table_key == like:
            return
        shared = {s: there for s in scan_keys if (there := self._stored_under.get(f"{like}:{s}")) is not None}
        if not shared:
            return
        for scan_key, there in shared.items():
            self._known[f"{table_key}:{scan_key}"] = self._known[f"{like}:{scan_key}"]
            self._stored_under[f"{table_key}:{scan_key}"] = there
        self._same[table_key] = elsewhere = {**self._same_entry(table_key), **shared}
        self._cache.put_many(self._namespace, {f"{table_key}:{_SAME}": elsewhere})

    def _read(self, wanted: Mapping[str, tuple[str, str]]) -> None:
        """Read entries (stored key -> (the key asked for, the table key stored under)) into `_known`."""
        for stored, value in self._cache.get_many(self._namespace, wanted).items():
            decoded = self._decode(value)
            if decoded is not None:
                asked, under = wanted[stored]
                self._known[asked] = decoded
                self._stored_under[asked] = under

    def _same_entry(self, table_key: str) -> dict[str, str]:
        if table_key not in self._same:
            key = f"{table_key}:{_SAME}"
            value = self._cache.get_many(self._namespace, [key]).get(key)
            valid = isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
            self._same[table_key] = dict(value) if isinstance(value, dict) and valid else {}
        return self._same[table_key]


class DocResolutions(ByTableAndDoc[DocResolution]):
    """What each doc version resolved to (its count and symbols), by table key and scan key."""

    def __init__(self, cache: Cache) -> None:
        super().__init__(cache, NAMESPACE, _encoded_resolution, _decoded_resolution)


def _encoded_resolution(resolution: DocResolution) -> list[Any]:
    return [resolution.count, sorted(resolution.symbols)]


def _decoded_resolution(value: object) -> DocResolution | None:
    if not (
        isinstance(value, list)
        and len(value) == 2
        and type(value[0]) is int
        and value[0] >= 0
        and isinstance(value[1], list)
        and all(isinstance(name, str) for name in value[1])
    ):
        return None
    return DocResolution(value[0], frozenset(value[1]))
