"""What history walks read, through the cache: the path log, file moves, blames, and symbols of past file versions.

A walk compares one symbol across many versions of big files: it keeps the fingerprints and the few
old symbols it asks for, never whole modules, and asks in batches (`prefetch_*`) so that cold versions
parse on all cores and warm ones cost one query. The path log and blames are cached too: a second
run on the same commit reads no history from git.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TextIO, TypeGuard

from docsync.cache import Cache
from docsync.codec import BadEntry, decode_symbol
from docsync.gitrepo import CommitFiles, GitRepo
from docsync.models import Fingerprint
from docsync.progress import progress
from docsync.symbols.extract import LocalSymbol

LOGS_NAMESPACE = "logs/2"  # key: commit:hash of paths; value: `GitRepo.path_log` of those paths
RENAMES_NAMESPACE = "renames/1"  # key: commit:path; value: the path that commit renamed to it, "" if none
BLAMES_NAMESPACE = "blames/2"  # key: commit:doc:blob, the last commit that changed the doc; value: line times
OLD_SYMBOLS_NAMESPACE = f"old-symbols/15/py{sys.version_info[0]}{sys.version_info[1]}"  # key: blob:local name
FINGERPRINTS_NAMESPACE = f"fingerprints/11/py{sys.version_info[0]}{sys.version_info[1]}"
_VERSIONS_AT_ONCE = 256  # file versions parsed per batch (bounds the memory they take)

EncodedModules = Callable[[Mapping[str, str]], dict[str, Any]]  # blob id -> path  =>  blob id -> encoded symbols


@dataclass(frozen=True, slots=True)
class Version:
    """A file as one commit left it (`blob` None: deleted there)."""

    commit: str
    time: int
    blob: str | None


@dataclass(frozen=True, slots=True)
class BlameRequest:
    """A doc to blame at one revision: `blob`, its version there (None: not known, so not remembered for the run);
    `version`, (the commit that last changed it, its blob) when that is the version blamed (None: not cacheable)."""

    blob: str | None
    version: tuple[str, str] | None


class OldVersions:
    """What history walks read, through the cache; `encoded_modules` gives (or parses) a version's symbols."""

    def __init__(
        self, repo: GitRepo, cache: Cache, encoded_modules: EncodedModules, progress_stream: TextIO | None = None
    ) -> None:
        self.repo, self.cache, self._encoded_modules = repo, cache, encoded_modules
        self.progress_stream = progress_stream  # blaming a long history's docs takes seconds: a bar shows it
        self._fingerprints: dict[tuple[str, str], Fingerprint | None] = {}  # (blob, local name) -> fingerprint
        self._old_symbols: dict[tuple[str, str], LocalSymbol | None] = {}  # (blob, local name) -> symbol
        # Memos for the run: (doc, blob) -> line times; (path, commit) -> versions before a move.
        self._blames: dict[tuple[str, str], list[int]] = {}
        self._moves: dict[tuple[str, str], list[Version]] = {}

    def path_log(self, head: str, paths: Sequence[str]) -> list[CommitFiles]:
        """`GitRepo.path_log` of commit `head` (a sha), through the cache: a walk's one long git call."""
        wanted = sorted(set(paths))
        key = f"{head}:{hashlib.sha1(chr(0).join(wanted).encode('utf-8', 'surrogateescape')).hexdigest()}"
        cached = _decode_log(self.cache.get_many(LOGS_NAMESPACE, [key]).get(key))
        if cached is not None:
            return cached
        log = self.repo.path_log(head, wanted)
        self.cache.put_recent(LOGS_NAMESPACE, key, [[c.sha, c.time, dict(c.blobs)] for c in log])
        return log

    def rename_source(self, commit: str, path: str) -> str | None:
        """`GitRepo.rename_source` through the cache: a commit's renames never change, and a warm run asks git
        nothing (a repository's every module may be asked about, one git call each)."""
        key = f"{commit}:{path}"
        cached = self.cache.get_many(RENAMES_NAMESPACE, [key]).get(key)
        if isinstance(cached, str):
            return cached or None
        source = self.repo.rename_source(commit, path)
        self.cache.put_many(RENAMES_NAMESPACE, {key: source or ""})
        return source

    def versions_before_move(self, path: str, commit: str) -> list[Version]:
        """The versions of the file `commit` moved to `path` (`requests/` -> `src/requests/`), up to that commit;
        empty when `commit` did not move it there. The same move is followed once a run, however many ask."""
        key = (path, commit)
        if key not in self._moves:
            source = self.rename_source(commit, path)
            moved: list[Version] = []
            if source is not None:
                log = self.repo.path_log(f"{commit}^", [source])
                moved = [Version(c.sha, c.time, c.blobs[source]) for c in log if source in c.blobs]
            self._moves[key] = moved
        return self._moves[key]

    def blames(self, requests: Mapping[str, BlameRequest], rev: str | None) -> dict[str, list[int]]:
        """`GitRepo.blame_times` of these docs at `rev` (None: the work tree): remembered for the run by doc
        version, else cached, else with several `git blame` at a time (the slow part of a long history). The
        cache is touched from this thread only; the threads only run git."""
        found = {
            doc: self._blames[(doc, r.blob)] for doc, r in requests.items() if r.blob and (doc, r.blob) in self._blames
        }
        versions = {doc: r.version for doc, r in requests.items() if doc not in found}
        found.update(self._cached_blames(versions))
        todo = [doc for doc in versions if doc not in found]
        if len(todo) > 1:
            with ThreadPoolExecutor(max_workers=min(4, (os.cpu_count() or 1) + 1)) as pool:
                blamed_times = progress(
                    pool.map(lambda doc: self.repo.blame_times(doc, rev), todo),
                    len(todo),
                    "docsync: blaming docs",
                    self.progress_stream,
                )
                blamed = dict(zip(todo, blamed_times, strict=True))
        else:
            blamed = {doc: self.repo.blame_times(doc, rev) for doc in todo}
        self._remember_blames({doc: (versions[doc], times) for doc, times in blamed.items()})
        found.update(blamed)
        for doc, request in requests.items():
            if request.blob:
                self._blames[(doc, request.blob)] = found[doc]
        return found

    def _cached_blames(self, versions: Mapping[str, tuple[str, str] | None]) -> dict[str, list[int]]:
        """Cached `GitRepo.blame_times` of docs by the version blamed (the commit that last changed the doc, and
        its blob): the same lines with the same history blame the same at any later commit. None: not cacheable."""
        keys = {f"{v[0]}:{doc}:{v[1]}": doc for doc, v in versions.items() if v is not None}
        return {
            keys[key]: value
            for key, value in self.cache.get_many(BLAMES_NAMESPACE, keys).items()
            if isinstance(value, list) and all(type(t) is int for t in value)
        }

    def _remember_blames(self, blames: Mapping[str, tuple[tuple[str, str] | None, list[int]]]) -> None:
        self.cache.put_many(
            BLAMES_NAMESPACE, {f"{v[0]}:{doc}:{v[1]}": times for doc, (v, times) in blames.items() if v is not None}
        )

    def prefetch_fingerprints(self, wanted: Iterable[tuple[str, str, str]]) -> None:
        """Have the fingerprints of these symbols (path, blob id, local name) at hand: from each version's cached
        index, else parsed. Only the names asked for are kept: whole indexes of thousands of versions of big
        modules would not fit in memory."""
        asked: dict[str, set[str]] = {}
        paths: dict[str, str] = {}
        for path, blob, local in wanted:
            if (blob, local) not in self._fingerprints:
                asked.setdefault(blob, set()).add(local)
                paths[blob] = path
        if not asked:
            return
        for blob, value in self.cache.get_many(FINGERPRINTS_NAMESPACE, asked).items():
            if isinstance(value, dict):
                self._keep_fingerprints(blob, value, asked.pop(blob))
        missing = list(asked)
        for start in range(0, len(missing), _VERSIONS_AT_ONCE):  # whole old versions are big: a batch at a time
            batch = {blob: paths[blob] for blob in missing[start : start + _VERSIONS_AT_ONCE]}
            for blob, encoded in self._encoded_modules(batch).items():
                index = _fingerprint_index(encoded)
                self.cache.put_many(FINGERPRINTS_NAMESPACE, {blob: index})
                self._keep_fingerprints(blob, index, asked[blob])

    def _keep_fingerprints(self, blob: str, index: Mapping[str, Any], names: Iterable[str]) -> None:
        for local in names:
            parts = index.get(local)
            self._fingerprints[(blob, local)] = Fingerprint(*parts) if _is_digests(parts) else None

    def fingerprint_in(self, path: str, blob: str, local: str) -> Fingerprint | None:
        """One symbol's fingerprint in one file version (None: not defined there)."""
        self.prefetch_fingerprints([(path, blob, local)])
        return self._fingerprints.get((blob, local))

    def prefetch_symbols(self, wanted: Iterable[tuple[str, str, str]]) -> None:
        """Have these old symbols (path, blob id, local name) at hand: each is cached on its own, small."""
        keys = {f"{blob}:{local}": (path, blob, local) for path, blob, local in wanted}
        keys = {key: item for key, item in keys.items() if (item[1], item[2]) not in self._old_symbols}
        if not keys:
            return
        for key, value in self.cache.get_many(OLD_SYMBOLS_NAMESPACE, keys).items():
            _, blob, local = keys[key]
            with contextlib.suppress(BadEntry):
                self._old_symbols[(blob, local)] = decode_symbol(value) if value is not None else None
        missing = {key: item for key, item in keys.items() if (item[1], item[2]) not in self._old_symbols}
        modules = self._encoded_modules({blob: path for path, blob, _ in missing.values()})
        found: dict[str, Any] = {}
        for key, (_, blob, local) in missing.items():
            entries = modules.get(blob)
            entry = next((e for e in _symbol_entries(entries) if e[0] == local), None)
            with contextlib.suppress(BadEntry):
                self._old_symbols[(blob, local)] = decode_symbol(entry) if entry is not None else None
                found[key] = entry
        self.cache.put_many(OLD_SYMBOLS_NAMESPACE, found)

    def symbol_in(self, path: str, blob: str, local: str) -> LocalSymbol | None:
        """One symbol of one file version (None: not defined there)."""
        self.prefetch_symbols([(path, blob, local)])
        return self._old_symbols.get((blob, local))


def _decode_log(value: Any) -> list[CommitFiles] | None:
    """A cached path log, or None when it is missing or malformed."""
    if not isinstance(value, list):
        return None
    log = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str) and type(item[1]) is int):
            return None
        blobs = item[2]
        if not isinstance(blobs, dict) or not all(b is None or isinstance(b, str) for b in blobs.values()):
            return None
        log.append(CommitFiles(item[0], item[1], blobs))
    return log


def _symbol_entries(module: Any) -> list[Any]:
    """The encoded symbols of an encoded module (see `codec.encode_module`), whatever was cached."""
    if not (isinstance(module, list) and module and isinstance(module[0], list)):
        return []
    return [entry for entry in module[0] if isinstance(entry, list) and entry and isinstance(entry[0], str)]


def _fingerprint_index(module: Any) -> dict[str, Any]:
    """Local name -> [signature, body, docstring] digests of an encoded module."""
    return {entry[0]: entry[4] for entry in _symbol_entries(module) if len(entry) > 4 and _is_digests(entry[4])}


def _is_digests(parts: object) -> TypeGuard[list[str]]:
    return isinstance(parts, list) and len(parts) == 3 and all(isinstance(p, str) for p in parts)
