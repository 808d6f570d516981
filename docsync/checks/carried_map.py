"""A map that resolves again only the docs a change since a kept map can reach (issue 18).

`map` resolves every reference of every doc: after a 10-file change at 50,000 modules and 2,000 docs, that was the
whole table assembled again and every referenced module's symbols read (13 s, 1.1 GB). Each map keeps what each doc
version's references are against its table (`resolve_each`: a symbol, unresolved, or not the project's), and a map
of a commit (a clean work tree, or `map REV`) notes that commit. A later map finds the newest noted commit on its
first-parent line, reads both tables (the new side as an overlay over the kept rows: `Loader.change_tables`) and
resolves again only the docs that changed, are new, have nothing kept, or that `affected.py` finds touched (a name
they use appeared, went or means something else; a symbol they resolved to changed or went; a symbol of a changed
file): the argument a whole-repository check carries its docs with (`carried.py`). The others' references are what
the kept map had. A change this cannot bound (the code layout, a new top-level package, Sphinx's `conf.py`,
`mkdocs.yml`) maps every doc again.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from docsync.cache import code_digest
from docsync.checks.carried import Point, point_of, reach
from docsync.doc_resolutions import ByTableAndDoc
from docsync.loader import Snapshot
from docsync.models import DocMap, DocResolution, Reference
from docsync.parallel import one_pool
from docsync.progress import status
from docsync.resolve import doc_map_of, resolve_each, with_symbol
from docsync.symbols.table import SymbolTable
from docsync.workspace import Workspace

# Bump with `resolutions/` in doc_resolutions.py: both are what `resolve.py` answers.
NAMESPACE = f"doc-maps/1/py{sys.version_info[0]}{sys.version_info[1]}"
POINTS = f"map-points/1/py{sys.version_info[0]}{sys.version_info[1]}"  # commit -> the table key it was mapped with
_LOOK_BACK = 50  # first-parent commits searched for a kept map
# An outcome as kept: the symbol, _UNRESOLVED, [the name in full] (unresolved as a member list's item), or _NOT_OURS.
Encoded = str | int | list[str]
_NOT_OURS, _UNRESOLVED = 0, 1


@dataclass(frozen=True, slots=True)
class Mapped:
    """A map, the table it resolved against, and what it resolved again (all docs unless `carried_from`)."""

    doc_map: DocMap
    table: SymbolTable
    resolved: tuple[str, ...]  # the docs whose references were resolved in this run
    carried_from: str | None  # the commit of the kept map the others come from


def map_carried(workspace: Workspace, head_commit: str | None, head: Snapshot) -> Mapped:
    """Every doc of `head` (the snapshot of `head_commit`; None: the work tree) resolved against its table, as
    `map_docs(keep=True)` resolves them, the docs a change since a kept map did not reach carried from it."""
    loader, docs_of = workspace.loader, workspace.docs
    stream = workspace.progress_stream
    store = _store(workspace)
    with one_pool():  # cold: scanning and parsing on workers forked while this process is small
        with status("docsync: scanning docs", stream):
            docs = docs_of.paths(head)
            shown = {doc: _shown(scan.references) for doc, scan in docs_of.scans(head, docs).items()}
        point = point_of(workspace, head_commit, head)
        with status("docsync: finding what changed since the last map", stream):
            plan = _plan(workspace, point, head, shown, store)
        if plan is None:
            with status("docsync: building the symbol table", stream):
                loader.prepare(head)
    kept: dict[str, list[Encoded]] = {}
    if plan is None:
        with status("docsync: building the symbol table", stream):
            table, old_key, since = loader.keep_table(head), "", None
    else:
        table, kept, old_key, since = plan
    again = [doc for doc in shown if doc not in kept]
    with status("docsync: resolving references", stream):
        fresh = resolve_each((r for doc in again for r in shown[doc]), table)
        outcomes = {doc: [next(fresh) for _ in shown[doc]] for doc in again}
    key = loader.table_key(head)
    store.put(key, {_scan_key(head, doc): _encoded(shown[doc], outcomes[doc]) for doc in again})
    store.put_same(key, old_key, {_scan_key(head, doc): doc for doc in kept})
    if point is not None and not point.uncommitted:
        workspace.loader.cache.put_many(POINTS, {_point_key(workspace, point.start): key})
    carried = (outcome for doc in kept for outcome in _decoded(shown[doc], kept[doc]))
    doc_map = doc_map_of((*carried, *(outcome for found in outcomes.values() for outcome in found)))
    return Mapped(doc_map, table, tuple(again), since)


def _plan(
    workspace: Workspace, point: Point | None, head: Snapshot, shown: Mapping[str, Sequence[Reference]], store: _Store
) -> tuple[SymbolTable, dict[str, list[Encoded]], str, str] | None:
    """The head's table, the kept outcomes of the docs (`shown`: each one's references) the change since the newest
    kept map did not reach (doc -> its references' outcomes), that map's table key and commit; None: map every doc."""
    if point is None:
        return None
    repo = workspace.repo
    newest = _newest_point(workspace, [sha for sha, _ in repo.first_parent_log(point.start, _LOOK_BACK)])
    if newest is None:
        return None
    commit, old_key = newest
    found = reach(workspace, point, commit, head)
    if found is None or workspace.loader.table_key(found.old) != old_key:
        return None
    affected = found.affected
    kept = store.get(old_key, {_scan_key(head, doc): doc for doc in shown if doc not in found.changed})
    known = {doc: outcomes for doc, outcomes in kept.items() if len(outcomes) == len(shown[doc])}
    names = workspace.docs.names(head, list(known)) if affected.names else {}

    def carried(doc: str) -> bool:
        symbols = frozenset(outcome for outcome in known[doc] if isinstance(outcome, str))
        return not affected.touches(names.get(doc, ()), DocResolution(0, symbols)) and found.shaken.isdisjoint(symbols)

    return found.new_table, {doc: known[doc] for doc in known if carried(doc)}, old_key, commit


def _shown(references: Sequence[Reference]) -> tuple[Reference, ...]:
    """What `map` shows of a doc's references: not those a plain `ignore` marker hides (see `map_docs`)."""
    return tuple(r for r in references if all(ignore.kinds for ignore in r.ignored))


def _encoded(references: Sequence[Reference], outcomes: Sequence[Reference | None]) -> list[Encoded]:
    encoded: list[Encoded] = []
    for reference, outcome in zip(references, outcomes, strict=True):
        if outcome is None:
            encoded.append(_NOT_OURS)
        elif outcome.symbol is not None:
            encoded.append(outcome.symbol)
        else:
            encoded.append([outcome.name] if outcome.name != reference.name else _UNRESOLVED)
    return encoded


def _decoded(references: Sequence[Reference], encoded: Sequence[Encoded]) -> Iterator[Reference | None]:
    for reference, outcome in zip(references, encoded, strict=True):
        if isinstance(outcome, str):
            yield with_symbol(reference, outcome)
        elif isinstance(outcome, list):
            yield replace(reference, name=outcome[0])
        else:
            yield reference if outcome == _UNRESOLVED else None


_Store = ByTableAndDoc[list[Encoded]]


def _store(workspace: Workspace) -> _Store:
    return ByTableAndDoc(workspace.loader.cache, NAMESPACE, lambda value: value, _valid)


def _valid(value: Any) -> list[Encoded] | None:
    """A doc's kept outcomes, if of this layout (their count is checked against its references when read)."""
    if not isinstance(value, list):
        return None
    for outcome in value:
        if isinstance(outcome, list):
            if len(outcome) != 1 or not isinstance(outcome[0], str):
                return None
        elif not isinstance(outcome, str) and outcome not in (_NOT_OURS, _UNRESOLVED):
            return None
    return value


def _newest_point(workspace: Workspace, line: Sequence[str]) -> tuple[str, str] | None:
    keys = {_point_key(workspace, sha): sha for sha in line}
    found = workspace.loader.cache.get_many(POINTS, list(keys))
    for key, sha in keys.items():
        value = found.get(key)
        if isinstance(value, str):
            return sha, value
    return None


def _point_key(workspace: Workspace, commit: str) -> str:
    """Keyed by what decides the map besides the commit: docsync's code and the settings."""
    return f"{code_digest()}:{workspace.config.digest()}:{commit}"


def _scan_key(snapshot: Snapshot, doc: str) -> str:
    return f"{snapshot.files[doc].blob}:{doc}"
