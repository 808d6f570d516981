"""The docs of a snapshot → which paths are docs, their scans, name indexes and resolutions, through the cache.

A doc version is scanned at most once, ever (cached by blob id and path), and decoded at most once a run.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from typing import Any, TextIO

from docsync.cache import Cache
from docsync.codec import BadEntry, decode_scan, encode_scan
from docsync.diagnostics import Diagnostics
from docsync.doc_resolutions import DocResolutions
from docsync.gitrepo import FileEntry
from docsync.globs import PathMatcher
from docsync.models import Diagnostic, DocResolution, DocScan
from docsync.parallel import parallel_map
from docsync.references.discover import find_docs
from docsync.references.examples import UNPARSABLE
from docsync.references.history_pages import is_history_page
from docsync.references.includes import included_file
from docsync.references.index import doc_names
from docsync.settings import Config
from docsync.snapshots import MAX_FILE_BYTES, TOO_LARGE, Snapshot

SCANS_NAMESPACE = f"scans/18/py{sys.version_info[0]}{sys.version_info[1]}"
DOC_NAMES_NAMESPACE = f"doc-names/10/py{sys.version_info[0]}{sys.version_info[1]}"
INCLUDES_NAMESPACE = "includes/2"  # key: a doc's scan key; value: [its headings are dated, the paths it includes]


class DocScans:
    """The docs of one repository's snapshots, read with `read` (the loader's) under one configuration."""

    def __init__(
        self,
        config: Config,
        cache: Cache,
        read: Callable[[FileEntry], bytes],
        diagnostics: Diagnostics,
        progress_stream: TextIO | None = None,
    ) -> None:
        self._config, self._cache, self._read = config, cache, read
        self._diagnostics, self._stream = diagnostics, progress_stream
        self._scans: dict[str, DocScan] = {}  # scan key (blob:path) -> its scan, for the run
        # Kept for the run: a change's check asks the quiet test first, then the full check, for the same 2,000 docs.
        self._resolutions = DocResolutions(cache)
        self._included: dict[str, tuple[str, ...]] = {}  # snapshot label -> the example files its docs include
        self._history_examples: dict[str, frozenset[str]] = {}  # ...and those that only history pages include

    def paths(self, snapshot: Snapshot, within: Sequence[str] = ()) -> tuple[str, ...]:
        """The docs of a snapshot, limited to `within` (files or folders) when given: what the doc globs match, and
        the Python example files those docs include (`--8<-- "x.py"`)."""
        found = find_docs(snapshot.files, self._config)
        docs = _within(tuple(sorted({*found, *self.included(snapshot, found)})), within)
        for doc in _within(find_docs(snapshot.skipped, self._config), within):
            self._diagnostics.warn(Diagnostic(doc, 0, snapshot.skipped[doc]))
        # One line per finding, per lockfile entry, per annotation: a name with a line break cannot be shown.
        for doc in [doc for doc in docs if "\n" in doc or "\r" in doc]:
            self._diagnostics.warn(Diagnostic(doc, 0, "has a line break in its name; skipped"))
        return tuple(doc for doc in docs if "\n" not in doc and "\r" not in doc)

    def history_examples(self, snapshot: Snapshot) -> frozenset[str]:
        """The Python files of the snapshot that only history pages include (see `included`)."""
        self.included(snapshot, find_docs(snapshot.files, self._config))
        return self._history_examples[snapshot.label]

    def included(self, snapshot: Snapshot, docs: Sequence[str]) -> tuple[str, ...]:
        """The Python files of the snapshot that these docs include (but for excluded paths): doc code, checked as
        examples, wherever they are. A file only history pages include records history too (see `scans`)."""
        if snapshot.label in self._included:
            return self._included[snapshot.label]
        markdown = [doc for doc in docs if not doc.lower().endswith((".rst", ".txt", ".ipynb"))]
        keys = {_scan_key(snapshot, doc): doc for doc in markdown}
        written: dict[str, tuple[bool, list[str]]] = {}  # doc -> (its headings are dated, the paths it includes)
        for key, value in self._cache.get_many(INCLUDES_NAMESPACE, keys).items():
            if _is_includes(value):
                written[keys[key]] = (value[0], value[1])
        missing = [doc for doc in markdown if doc not in written]
        # Most of them new to the cache (a cold run): so are the other docs, which every check scans next; one
        # batch of processes for all of them costs less than two.
        others = sorted(set(docs).difference(markdown)) if len(missing) > len(markdown) // 2 else []
        scanned = self.scans(snapshot, [*missing, *others])
        for doc in missing:
            scan = scanned[doc]
            written[doc] = (scan.dated, sorted({include.path for include in scan.includes}))
        self._cache.put_many(INCLUDES_NAMESPACE, {_scan_key(snapshot, doc): list(written[doc]) for doc in missing})
        excluded = PathMatcher(self._config.all_excludes)
        includers: dict[str, list[str]] = {}
        for doc, (_, paths) in written.items():
            for path in paths:
                target = included_file(doc, path, snapshot.files)
                if target is not None and not excluded.matches(target) and "\n" not in target:
                    includers.setdefault(target, []).append(doc)
        config = self._config
        self._history_examples[snapshot.label] = frozenset(
            target
            for target, docs_of in includers.items()
            if all(is_history_page(d, written[d][0], config.history_docs, config.current_docs) for d in docs_of)
        )
        self._included[snapshot.label] = tuple(sorted(includers))
        return self._included[snapshot.label]

    def names(self, snapshot: Snapshot, docs: Sequence[str]) -> dict[str, frozenset[str]]:
        """Each doc's name index (see `references.index`): what a pull-request check reads to pick docs."""
        keys = {_scan_key(snapshot, doc): doc for doc in docs}
        found: dict[str, frozenset[str]] = {}
        for key, value in self._cache.get_many(DOC_NAMES_NAMESPACE, keys).items():
            if isinstance(value, list) and all(isinstance(name, str) for name in value):
                found[keys[key]] = frozenset(value)
        missing = [doc for doc in docs if doc not in found]
        for doc, scan in self.scans(snapshot, missing).items():
            found[doc] = doc_names(scan)
        self._cache.put_many(DOC_NAMES_NAMESPACE, {_scan_key(snapshot, doc): sorted(found[doc]) for doc in missing})
        return found

    def resolutions(self, table_key: str, snapshot: Snapshot, docs: Sequence[str]) -> dict[str, DocResolution]:
        """What each doc resolved to against the table with this key (see `affected.py`), where cached."""
        return self._resolutions.get(table_key, {_scan_key(snapshot, doc): doc for doc in docs})

    def put_resolutions(self, table_key: str, snapshot: Snapshot, resolutions: Mapping[str, DocResolution]) -> None:
        self._resolutions.put(table_key, {_scan_key(snapshot, doc): r for doc, r in resolutions.items()})

    def put_same_resolutions(self, table_key: str, like: str, snapshot: Snapshot, docs: Collection[str]) -> None:
        """Keep that these docs resolve against `table_key` as against `like` (read or kept in this run)."""
        self._resolutions.put_same(table_key, like, {_scan_key(snapshot, doc): doc for doc in docs})

    def scans(self, snapshot: Snapshot, docs: Sequence[str]) -> dict[str, DocScan]:
        """The scans of the given docs of a snapshot, from the cache where possible."""
        keys = {_scan_key(snapshot, doc): doc for doc in docs}
        # A doc version scanned once in this run is not decoded again (a trend visits it at many commits).
        scans: dict[str, DocScan] = {keys[key]: self._scans[key] for key in keys if key in self._scans}
        wanted = [key for key in keys if keys[key] not in scans]
        for key, value in self._cache.get_many(SCANS_NAMESPACE, wanted).items():
            with contextlib.suppress(BadEntry):
                scans[keys[key]] = decode_scan(keys[key], value)
        missing = [key for key in keys if keys[key] not in scans]
        texts = {key: self._read(snapshot.files[keys[key]]) for key in missing}
        for key in [key for key, data in texts.items() if len(data) > MAX_FILE_BYTES]:
            scans[keys[key]] = DocScan(keys[key], (), diagnostics=(Diagnostic(keys[key], 0, TOO_LARGE),))
            del texts[key]
        todo = list(texts)
        items = [(keys[key], data) for key, data in texts.items()]
        encoded = parallel_map(_scan_encoded, items, "scanning docs", self._stream)
        self._cache.put_many(SCANS_NAMESPACE, dict(zip(todo, encoded, strict=True)))
        for key, value in zip(todo, encoded, strict=True):
            scans[keys[key]] = decode_scan(keys[key], value)
        self._cache.put_many(DOC_NAMES_NAMESPACE, {key: sorted(doc_names(scans[keys[key]])) for key in todo})
        self._scans.update((key, scans[doc]) for key, doc in keys.items())
        for doc in self._history_examples.get(snapshot.label, frozenset()).intersection(scans):
            scans[doc] = replace(scans[doc], dated=True)  # an example of a migration guide is of the past too
        for scan in scans.values():
            for diagnostic in scan.diagnostics:
                if not diagnostic.message.startswith(UNPARSABLE):  # those become `example` notes
                    self._diagnostics.warn(diagnostic)
        return scans


def _within(docs: tuple[str, ...], within: Sequence[str]) -> tuple[str, ...]:
    """The docs that are, or are under, one of the paths `within` (all of them when it is empty)."""
    if not within:
        return docs
    wanted = tuple(p.rstrip("/") for p in within)
    return tuple(d for d in docs if d in wanted or d.startswith(tuple(w + "/" for w in wanted)))


def _scan_key(snapshot: Snapshot, doc: str) -> str:
    return f"{snapshot.files[doc].blob}:{doc}"


def _scan_encoded(item: tuple[str, bytes]) -> list[Any]:
    from docsync.references.scan import scan_doc  # markdown-it and friends load only when a doc needs scanning

    return encode_scan(scan_doc(*item))


def _is_includes(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], bool)
        and isinstance(value[1], list)
        and all(isinstance(path, str) for path in value[1])
    )
