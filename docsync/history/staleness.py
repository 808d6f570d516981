"""References × git history (or the lockfile) → which went stale, when, and for how long.

Without a lockfile, a reference is stale when its symbol changed after the reference's section of
the doc was last written (blame), or after the doc was last committed when that is enough to tell.
With a lockfile, it is stale when the symbol no longer matches the fingerprint the doc was accepted
with. History is read once (one `git log` over the files involved) and every file version comes
from the blob-id cache.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from docsync.drift import changed_parts, classify_fingerprints, describe_change
from docsync.history.log import History
from docsync.history.store import Version
from docsync.models import Change, Fingerprint, Kind, Reference, Signature, SignatureChange, Staleness, Symbol, What
from docsync.symbols.extract import LocalSymbol
from docsync.symbols.table import SymbolTable

DAY = 86_400.0
_PARTS = (Kind.SIGNATURE, Kind.BODY, Kind.DOCSTRING)  # most important first
_DATING_BATCH = 16  # versions read at once when dating a signature change


@dataclass
class _Judgement:
    """One (doc, symbol, section) being judged; the steps of `stale_by_history` fill it in."""

    doc: str
    now: Symbol
    section: tuple[int, int]
    local: str
    written: int = 0
    then: LocalSymbol | None = None
    change: Change | None = None
    # The bisection for the first change after `written`: versions oldest first, and its bounds.
    later: Sequence[Version] = ()
    low: int = 0
    high: int = 0


def stale_by_history(
    references: Iterable[Reference],
    table: SymbolTable,
    history: History,
    section_of: Callable[[Reference], tuple[int, int]],
    uncommitted: Collection[str] = (),
) -> list[Staleness]:
    """References whose symbol changed after the doc (or its section) was last written (`uncommitted`: the files
    whose work-tree version is in no commit yet, where a change found in no commit was made).

    All references are judged together, step by step, so that each step reads the file versions it
    needs in one batch (parsed on all cores when cold) instead of one at a time.
    """
    return judge_by_history(references, table, history, section_of, uncommitted)[0]


def judge_by_history(
    references: Iterable[Reference],
    table: SymbolTable,
    history: History,
    section_of: Callable[[Reference], tuple[int, int]],
    uncommitted: Collection[str] = (),
) -> tuple[list[Staleness], frozenset[tuple[str, str]]]:
    """`stale_by_history`, and (doc, qualified name) of the symbols that may have changed since their doc was
    created: nothing in a doc can be stale about the others (see `_changed_since_created`)."""
    references = list(references)
    judgements: dict[tuple[str, str, int, int], _Judgement] = {}
    for reference in references:
        assert reference.symbol is not None
        now = table.symbols[reference.symbol]
        section = section_of(reference)
        key = (reference.doc, now.qualname, *section)
        if key not in judgements and history.versions(reference.doc):  # uncommitted docs are fresh
            judgements[key] = _Judgement(reference.doc, now, section, _local_name(now, table))
    pending = _changed_since_created(list(judgements.values()), history)
    changed = frozenset((j.doc, j.now.qualname) for j in pending)
    pending = _changed_since_written(pending, history, table)
    _bisect(pending, history)
    found: list[Staleness] = []
    for reference in references:
        judgement = judgements.get((reference.doc, reference.symbol or "", *section_of(reference)))
        if judgement is not None and judgement.change is not None:
            since, commit = _first_change(judgement)
            item = _staleness(reference, judgement.change, since, commit, history)
            found.append(replace(item, uncommitted=commit is None and judgement.now.path in uncommitted))
    return found, changed


def _changed_since_created(judgements: list[_Judgement], history: History) -> list[_Judgement]:
    """The cheap proof of freshness first: a symbol unchanged since its doc was created needs no blame."""
    created = {
        id(j): _version_at(history, j.now.path, history.versions(j.now.path), history.versions(j.doc)[-1].time)
        for j in judgements
    }
    history.prefetch_fingerprints((j.now.path, created[id(j)], j.local) for j in judgements)
    pending = []
    for judgement in judgements:
        version = created[id(judgement)]
        then = history.fingerprint(judgement.now.path, version, judgement.local) if version is not None else None
        if then is None or classify_fingerprints(then, judgement.now.fingerprint) is not None:
            pending.append(judgement)
    return pending


def _changed_since_written(judgements: list[_Judgement], history: History, table: SymbolTable) -> list[_Judgement]:
    """Which symbols changed since their section of the doc was last written (blame), and how."""
    history.prefetch_blames({j.doc for j in judgements})
    dated = []
    for judgement in judgements:
        judgement.written = (
            history.section_time(judgement.doc, *judgement.section) or history.versions(judgement.doc)[0].time
        )
        if judgement.written <= history.head_time:  # later: this part of the doc is being edited right now
            dated.append(judgement)
    then_versions = {id(j): _version_at(history, j.now.path, history.versions(j.now.path), j.written) for j in dated}
    history.prefetch_symbols((j.now.path, then_versions[id(j)], j.local) for j in dated)
    pending = []
    for judgement in dated:
        version = then_versions[id(judgement)]
        judgement.then = history.symbol(judgement.now.path, version, judgement.local) if version else None
        if judgement.then is None:
            continue  # the symbol is younger than this part of the doc: it cannot have gone stale
        judgement.change = describe_change(_as_symbol(judgement.then, judgement.now), judgement.now, table)
        if judgement.change is not None:
            pending.append(judgement)
    return pending


def _bisect(judgements: list[_Judgement], history: History) -> None:
    """Find, for each, the oldest commit after `written` whose version of the symbol differs from `then`.

    A bisection over the file's versions: it assumes that once the symbol differs it keeps differing,
    which holds but for a change later undone; it then names a later change. Reading log2(n) versions
    instead of n is what makes years of history affordable; all bisections advance in step, so each
    round reads its versions in one batch.
    """
    for judgement in judgements:
        versions = history.versions(judgement.now.path)  # may reach further back now, past a move of the file
        judgement.later = [v for v in reversed(versions) if v.time > judgement.written]  # oldest first
        judgement.low, judgement.high = 0, len(judgement.later)
    active = [j for j in judgements if j.low < j.high]
    while active:
        middles = {id(j): j.later[(j.low + j.high) // 2] for j in active}
        history.prefetch_fingerprints((j.now.path, middles[id(j)], j.local) for j in active)
        for judgement in active:
            assert judgement.then is not None
            fingerprint = history.fingerprint(judgement.now.path, middles[id(judgement)], judgement.local)
            middle = (judgement.low + judgement.high) // 2
            if fingerprint is None or classify_fingerprints(judgement.then.fingerprint, fingerprint) is not None:
                judgement.high = middle
            else:
                judgement.low = middle + 1
        active = [j for j in active if j.low < j.high]


def _first_change(judgement: _Judgement) -> tuple[int | None, str | None]:
    """(time, commit) of the first change found by `_bisect` (None, None: not committed yet)."""
    if judgement.low < len(judgement.later):
        version = judgement.later[judgement.low]
        return version.time, version.commit
    return None, None


def _symbol_at(history: History, path: str, versions: Sequence[Version], time: int, local: str) -> LocalSymbol | None:
    """The symbol as the newest version of its file at or before `time` had it (following a move of the file)."""
    version = _version_at(history, path, versions, time)
    return history.symbol(path, version, local) if version is not None else None


def _version_at(history: History, path: str, versions: Sequence[Version], time: int) -> Version | None:
    version = next((v for v in versions if v.time <= time), None)  # newest first
    while version is None and history.follow_rename(path):
        version = next((v for v in history.versions(path) if v.time <= time), None)
    return version


def _staleness(
    reference: Reference, change: Change, since: int | None, commit: str | None, history: History | None
) -> Staleness:
    days = days_stale(since, history.head_time) if history is not None else 0.0
    commits = history.commits_since(commit) if history is not None and commit is not None else 0
    return Staleness(reference, replace(change, commit=commit), since, days, commits)


def days_stale(since: int | None, head_time: int) -> float:
    """How long a reference has been stale at `head_time`: since its first unfollowed change (None: not yet)."""
    return max(0.0, (head_time - since) / DAY) if since is not None else 0.0


def stale_by_lock(
    references: Iterable[Reference],
    accepted: Mapping[str, Mapping[str, Fingerprint]],
    table: SymbolTable,
    history: History | None,
    uncommitted: Collection[str] = (),
) -> list[Staleness]:
    """References whose symbol no longer matches the fingerprint its doc was accepted with: what changed since
    (worded from the newest version that still matched, when history has one), and since when."""
    found = []
    for reference in references:
        locked = accepted.get(reference.doc, {}).get(reference.symbol or "")
        if locked is None or reference.symbol is None:
            continue
        now = table.symbols[reference.symbol]
        parts = changed_parts(locked, now.fingerprint)
        if not parts:
            continue
        local = _local_name(now, table)
        matched, newer = _divergence(history, now, local, locked) if history else (None, None)
        then = history.symbol(now.path, matched, local) if history and matched else None
        change = describe_change(_as_symbol(then, now), now, table) if then is not None else None
        if then is not None and change is None:
            continue  # what changed is only how it is spelled
        commit = newer.commit if newer is not None else None
        change = change or Change(
            now.qualname, next(k for k in _PARTS if k in parts), now.qualname, None, "", (), parts
        )
        since = newer.time if newer is not None else None
        item = _staleness(reference, change, since, commit, history)
        found.append(replace(item, accepted=True, uncommitted=commit is None and now.path in uncommitted))
    return found


def _divergence(
    history: History, now: Symbol, local: str, locked: Fingerprint
) -> tuple[Version | None, Version | None]:
    """The newest version of the symbol's file that matched the accepted fingerprint, and the one after it (where
    the symbol stopped matching); (None, None) when no version of its history matched."""
    newer: Version | None = None
    for version in history.versions(now.path):  # newest first
        fingerprint = history.fingerprint(now.path, version, local)
        if fingerprint is not None and not changed_parts(locked, fingerprint):
            return version, newer
        newer = version
    return None, None


def _local_name(symbol: Symbol, table: SymbolTable) -> str:
    module = table.modules[symbol.path]
    return symbol.qualname[len(module) + 1 :] if symbol.qualname != module else ""


def _as_symbol(local: LocalSymbol, now: Symbol) -> Symbol:
    """An old version of `now`, as a Symbol of the same name (for wording what changed)."""
    return Symbol(
        now.qualname,
        local.kind,
        now.path,
        local.line,
        local.end_line,
        local.fingerprint,
        local.signature,
        deprecated=local.deprecated,
    )


def date_clauses(history: History, now: Symbol, local: str, clauses: Sequence[SignatureChange]) -> list[Version | None]:
    """For each signature change, the version of the symbol's file that made it: walking back from the newest
    version while the change holds (None: it holds in no commit yet, or in none docsync can read)."""
    versions = history.versions(now.path)  # newest first
    dates: list[Version | None] = []
    for clause in clauses:
        introduced: Version | None = None
        for start in range(0, len(versions), _DATING_BATCH):
            batch = versions[start : start + _DATING_BATCH]
            history.prefetch_symbols((now.path, version, local) for version in batch)
            held = _held_through(history, now.path, local, batch, clause)
            introduced = held[-1] if held else introduced
            if len(held) < len(batch):
                break
        dates.append(introduced)
    return dates


def _held_through(
    history: History, path: str, local: str, versions: Sequence[Version], clause: SignatureChange
) -> list[Version]:
    """The versions, newest first, up to the first in which the change does not hold yet."""
    held = []
    for version in versions:
        symbol = history.symbol(path, version, local)
        if symbol is None or symbol.signature is None or not _holds(clause, symbol.signature):
            break
        held.append(version)
    return held


def _holds(clause: SignatureChange, signature: Signature) -> bool:
    """Whether a version of the signature already shows the change."""
    by_name = {p.name: p for p in signature.parameters}
    name = clause.parameter or ""
    if clause.what is What.PARAMETER_REMOVED:
        return name not in by_name
    if clause.what is What.PARAMETER_RENAMED:
        return clause.old not in by_name and (clause.new or "") in by_name
    param = by_name.get(name)
    if param is None:
        return False
    if clause.what in (What.PARAMETER_DEFAULT, What.PARAMETER_NOW_OPTIONAL, What.PARAMETER_NOW_REQUIRED):
        return param.default == clause.new
    if clause.what is What.PARAMETER_KIND:
        return param.kind.value == clause.new
    return True
