"""`check --base` / `--staged`: the drift a change caused, judged between the merge-base and the head."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from docsync.affected import EVERYTHING, Affected, affected_by, resolutions
from docsync.checks import Checked
from docsync.checks.command_line import command_line_change
from docsync.checks.environment import environment_change
from docsync.checks.project_settings import settings_change
from docsync.checks.quiet_change import counts_of, untouched_docs
from docsync.drift import check_examples, detect_drift, reference_key
from docsync.findings import (
    READ_LINES_FOR,
    DocContext,
    broken_example_findings,
    example_findings,
    generated_pages,
    make_findings,
    not_said,
    unparsable_blocks,
    was_updated,
    written_findings,
)
from docsync.gitrepo import PathChange
from docsync.history.commits import CommitFinder
from docsync.loader import STAGED, WORKTREE, Snapshot
from docsync.models import (
    Change,
    DocMap,
    DocResolution,
    DocScan,
    Finding,
    How,
    Kind,
    Reference,
    Report,
    Style,
    SymbolKind,
)
from docsync.parallel import one_pool
from docsync.progress import status
from docsync.renames import renames_between
from docsync.resolve import resolve_references
from docsync.score import make_report
from docsync.symbols.table import SymbolTable
from docsync.workspace import Workspace
from docsync.written import check_written, signature_docs

Drift = tuple[Reference, Change, SymbolKind]


@dataclass(frozen=True, slots=True)
class _Ends:
    """The merge-base and the head of a change, and what changed between them, before any table is built."""

    merge_base: str
    head_commit: str | None  # None: the index
    base: Snapshot
    head: Snapshot
    changed: tuple[PathChange, ...]


@dataclass(frozen=True, slots=True)
class _Change:
    """The two ends of a change with the tables of both sides."""

    ends: _Ends
    base_table: SymbolTable
    head_table: SymbolTable


def check_change(
    workspace: Workspace, base_rev: str | None, head_rev: str | None, staged: bool, paths: Sequence[str]
) -> Checked:
    """Findings for the docs a change (merge-base of `base_rev` to `head_rev`, or the index) left behind; only the
    docs the change may touch (see `affected.py`) are read."""
    return _check(workspace, base_rev, head_rev, staged, paths, proportional=True)


def check_change_fully(
    workspace: Workspace, base_rev: str | None, head_rev: str | None, staged: bool, paths: Sequence[str]
) -> Checked:
    """`check_change`, reading every doc: the same report, slower (the tests compare both)."""
    return _check(workspace, base_rev, head_rev, staged, paths, proportional=False)


def _check(
    workspace: Workspace,
    base_rev: str | None,
    head_rev: str | None,
    staged: bool,
    paths: Sequence[str],
    proportional: bool,
) -> Checked:
    if staged and not workspace.repo.has_commits():  # the first commit: nothing to drift from
        empty = Snapshot(STAGED, {})
        return Checked(Report(None, STAGED, 100.0, (), ()), empty, workspace.loader.table(empty), {})
    stream = workspace.progress_stream
    # Cold: the docs scanned and the modules parsed on workers forked while this process is small (they stay, idle,
    # while the tables are assembled: a pool forked for the parse copied the grown process, 250 MB a worker).
    with status("docsync: building the symbol tables of both sides", stream), one_pool():
        ends = _ends(workspace, base_rev, head_rev, staged)
        docs = workspace.docs
        all_docs = docs.paths(ends.head, paths)
        changed_paths = {path for c in ends.changed for path in (c.old_path, c.new_path) if path}
        quiet = _quiet(workspace, ends, all_docs, changed_paths) if proportional else None
        if quiet is not None:
            return quiet
        change = _sides(workspace, ends, proportional)
    affected = affected_by(change.base_table, change.head_table, changed_paths) if proportional else EVERYTHING
    # Only the docs the change may touch are read and resolved: the others resolve the same on both sides.
    known = _base_resolutions(workspace, change, all_docs) if not affected.everything else {}
    scans = docs.scans(change.ends.head, _touched(workspace, change, affected, all_docs, changed_paths, known))
    references = [r for scan in scans.values() for r in scan.references]
    with status("docsync: resolving references", stream):
        base_map = resolve_references(references, change.base_table)
        head_map = resolve_references(references, change.head_table)
        counts = _remember_resolutions(workspace, change, (base_map, head_map), scans, known)
    with status("docsync: finding what changed", stream):
        drifts = _drifts(workspace, change, base_map, head_map)
    changed_docs = [c.new_path for c in change.ends.changed if c.new_path in scans]
    context = DocContext.of(
        scans,
        updated_lines=workspace.repo.changed_lines(change.ends.merge_base, change.ends.head_commit, changed_docs),
        lines=_doc_lines(
            workspace,
            change.ends.head,
            {r.doc for r, c, _ in drifts if c.kind in READ_LINES_FOR} | signature_docs(head_map.references),
        ),
        generated=generated_pages(base_map.references),
    )
    findings = make_findings(drifts, context, workspace.config) + _example_findings(workspace, change, scans, context)
    written = written_findings(
        check_written(head_map.references, context.lines, change.head_table, before=change.base_table),
        context,
        workspace.config,
        known_before=check_written(base_map.references, context.lines, change.base_table),
    )
    findings += not_said(written, findings)
    report = _with_claims(workspace, change.ends, all_docs, changed_paths, context, counts, findings)
    return Checked(report, change.ends.head, change.head_table, scans)


def _ends(workspace: Workspace, base_rev: str | None, head_rev: str | None, staged: bool) -> _Ends:
    repo, loader = workspace.repo, workspace.loader
    # The head is a commit, the index (None), or the work tree (`fix` rewrites what is on disk).
    on_disk = head_rev == WORKTREE
    head_commit = None if staged else (WORKTREE if on_disk else repo.resolve(head_rev or "HEAD"))
    base_commit = repo.resolve(base_rev or "HEAD")
    merge_base = base_commit if staged else repo.merge_base(base_commit, "HEAD" if on_disk else head_commit or "HEAD")
    base = loader.snapshot(merge_base)
    head = loader.staged_over(base) if head_commit is None else loader.snapshot(head_commit)
    changed = tuple(repo.changed_paths(merge_base, head_commit))
    if head_commit not in (None, WORKTREE):  # git's diff of two trees names every file that differs
        loader.near(head, base, {path for c in changed for path in (c.old_path, c.new_path) if path})
    return _Ends(merge_base, head_commit, base, head, changed)


def _sides(workspace: Workspace, ends: _Ends, proportional: bool) -> _Change:
    """The change with the tables of both sides (the base's kept: later runs start from it). Read from the base's
    rows when the change left the names as they were (see `Loader.change_tables`): only the docs it touches are
    resolved then, a lookup at a time; a check of every doc builds both tables."""
    loader = workspace.loader
    if proportional:
        return _Change(ends, *loader.change_tables(ends.base, ends.head))
    return _Change(ends, loader.keep_table(ends.base), loader.table(ends.head))


def _quiet(workspace: Workspace, ends: _Ends, docs: Sequence[str], changed_paths: set[str]) -> Checked | None:
    """The check of a change that provably touches no doc (see `quiet_change`), told without tables; else None."""
    if ends.head_commit == WORKTREE:
        return None
    known = untouched_docs(workspace, ends.base, ends.head, ends.changed, docs)
    if known is None:
        return None
    loader = workspace.loader
    loader.same_names(ends.head, ends.base)  # the next pre-commit check, once this is committed, starts from it
    workspace.docs.put_same_resolutions(loader.table_key(ends.head), loader.table_key(ends.base), ends.head, known)
    context = DocContext.of({}, updated_lines={}, lines={}, generated=frozenset())
    report = _with_claims(workspace, ends, docs, changed_paths, context, counts_of(known), [])
    return Checked(report, ends.head, None, {})


def _with_claims(
    workspace: Workspace,
    ends: _Ends,
    docs: Sequence[str],
    changed_paths: set[str],
    context: DocContext,
    counts: dict[str, int],
    findings: list[Finding],
) -> Report:
    """The report, once the command lines, environment variables and settings keys the docs show are judged too."""
    with status("docsync: checking command lines, environment variables and settings", workspace.progress_stream):
        for store in (workspace.commands, workspace.environment, workspace.settings_keys):
            store.after(ends.base, ends.head, changed_paths)
        command_lines = command_line_change(workspace, ends.base, ends.head, docs, changed_paths, context)
        variables = environment_change(workspace, ends.base, ends.head, docs, changed_paths, context)
        keys = settings_change(workspace, ends.base, ends.head, docs, changed_paths, context)
    findings = [*findings, *command_lines.findings, *variables.findings, *keys.findings]
    counts = keys.with_counts(variables.with_counts(command_lines.with_counts(counts)))
    return make_report(ends.merge_base, ends.head.label, counts, findings)


def _touched(
    workspace: Workspace,
    change: _Change,
    affected: Affected,
    docs: Sequence[str],
    changed_paths: set[str],
    known: Mapping[str, DocResolution],
) -> list[str]:
    """The docs the change may touch (`known`: what each resolved to at the base)."""
    if affected.everything:
        return list(docs)
    # No name appeared or went (a change of bodies): no doc's name index can say more than its resolution.
    names = workspace.docs.names(change.ends.head, docs) if affected.names else {}
    return [d for d in docs if d in changed_paths or affected.touches(names.get(d, ()), known.get(d))]


def _base_resolutions(workspace: Workspace, change: _Change, docs: Sequence[str]) -> dict[str, DocResolution]:
    """What each doc (as it is at the head) resolves to at the base: cached, else resolved now against the
    base alone (a cold cache), so that only the docs the change touches are resolved on both sides."""
    table_key = workspace.loader.table_key(change.ends.base)
    known = workspace.docs.resolutions(table_key, change.ends.head, docs)
    if len(known) < len(docs):
        known.update(_parents_resolutions(workspace, change, [doc for doc in docs if doc not in known]))
    unknown = workspace.docs.scans(change.ends.head, [doc for doc in docs if doc not in known])
    if unknown:
        resolved = resolutions(unknown, change.base_table)
        workspace.docs.put_resolutions(table_key, change.ends.head, resolved)
        known.update(resolved)
    return known


def _parents_resolutions(workspace: Workspace, change: _Change, docs: Sequence[str]) -> dict[str, DocResolution]:
    """Of these docs, those a base commit no check saw (its table found in its parent's rows: the same names)
    cannot resolve otherwise than at its parent, the commit's change touching none of them: their resolutions
    there, shared (resolving 2,000 docs against rows took 12 s at 50,000 modules)."""
    found = workspace.loader.parent_with_same_names(change.ends.base)
    if found is None:
        return {}
    parent, parent_table, changed = found
    affected = affected_by(parent_table, change.base_table, changed)
    if affected.everything:
        return {}
    parent_key, head = workspace.loader.table_key(parent), change.ends.head
    at_parent = workspace.docs.resolutions(parent_key, head, docs)
    names = workspace.docs.names(head, list(at_parent)) if affected.names else {}
    same = {d: r for d, r in at_parent.items() if d not in changed and not affected.touches(names.get(d, ()), r)}
    workspace.docs.put_same_resolutions(workspace.loader.table_key(change.ends.base), parent_key, head, same)
    return same


def _remember_resolutions(
    workspace: Workspace,
    change: _Change,
    maps: tuple[DocMap, DocMap],
    scans: Mapping[str, DocScan],
    untouched: Mapping[str, DocResolution],
) -> dict[str, int]:
    """Cache what the docs resolved to on both sides (the next check of a branch on this head is then warm)
    and return the references per doc at the base, which score the docs."""
    loader, docs = workspace.loader, workspace.docs
    at_base = resolutions(scans, change.base_table, maps[0])
    at_head = resolutions(scans, change.head_table, maps[1])
    untouched = {doc: resolution for doc, resolution in untouched.items() if doc not in scans}
    base_key, head_key = loader.table_key(change.ends.base), loader.table_key(change.ends.head)
    docs.put_resolutions(base_key, change.ends.head, at_base)
    docs.put_resolutions(head_key, change.ends.head, at_head)
    docs.put_same_resolutions(head_key, base_key, change.ends.head, untouched)
    return {doc: resolution.count for doc, resolution in (untouched | at_base).items() if resolution.count}


def _drifts(workspace: Workspace, change: _Change, base_map: DocMap, head_map: DocMap) -> list[Drift]:
    """What happened, between the two sides, to the symbol of each reference resolved at the base."""
    head_symbols = {reference_key(r): r.symbol or "" for r in head_map.references}
    for reference in base_map.references:
        if reference.lines is not None:  # `#L10-L20` was written against the base's lines: keep its symbol
            symbol = reference.symbol or ""
            head_symbols[reference_key(reference)] = symbol if symbol in change.head_table.symbols else ""
    loader = workspace.loader
    renames = renames_between(
        change.base_table,
        change.head_table,
        [(c.old_path, c.new_path) for c in change.ends.changed],
        lambda path: loader.read(change.ends.base.files[path]),
        lambda path: loader.read(change.ends.head.files[path]),
    )
    head_names = {key: name for key, name in head_symbols.items() if name}
    drifts = list(detect_drift(base_map.references, head_names, change.base_table, change.head_table, renames))
    head_commit = change.ends.head_commit
    if head_commit is None:
        return drifts
    last = "HEAD" if head_commit == WORKTREE else head_commit  # uncommitted changes have no commit
    return _with_commits(drifts, CommitFinder(workspace.repo, loader, change.ends.merge_base, last), change)


def _example_findings(
    workspace: Workspace, change: _Change, scans: Mapping[str, DocScan], context: DocContext
) -> list[Finding]:
    """Example calls that no longer fit, unless they did not at the base either; blocks that stopped parsing
    where the change edited them."""
    config = workspace.config
    base_scans = workspace.docs.scans(change.ends.base, [doc for doc in scans if doc in change.ends.base.files])
    findings = example_findings(
        check_examples([call for scan in scans.values() for call in scan.calls], change.head_table),
        context,
        config,
        known_before=check_examples([call for scan in base_scans.values() for call in scan.calls], change.base_table),
        reviewing=True,
    )
    broken = [b for b in unparsable_blocks(scans.values()) if was_updated(_at(b[0], b[1]), context, config)]
    return findings + broken_example_findings(broken, context, config)


def _with_commits(drifts: list[Drift], finder: CommitFinder, change: _Change) -> list[Drift]:
    commits: dict[tuple[str, Kind], str | None] = {}
    result = []
    for reference, drift, kind in drifts:
        key = (drift.qualname, drift.kind)
        if key not in commits:
            commits[key] = finder.commit_of(drift, change.base_table, change.head_table)
        result.append((reference, replace(drift, commit=commits[key]), kind))
    return result


def _doc_lines(workspace: Workspace, snapshot: Snapshot, docs: Iterable[str]) -> dict[str, list[str]]:
    """The text of the docs whose findings may point at a parameter's mention."""
    return {doc: workspace.loader.read(snapshot.files[doc]).decode("utf-8", "replace").splitlines() for doc in docs}


def _at(doc: str, line: int) -> Reference:
    return Reference(doc, line, 1, "", How.INFERRED, Style.CODE_BLOCK, "")
