"""`check` without `--base`: the whole repository as it is, against the lockfile or git history."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from docsync.affected import DocResolution, resolutions
from docsync.commands._common import broken_examples, calls_in, count_references, docs_of, make_report
from docsync.commands._history_renames import trace_missing
from docsync.drift import check_examples
from docsync.findings import (
    DocContext,
    broken_example_findings,
    example_findings,
    section_bounds,
    stale_findings,
    unresolved_findings,
)
from docsync.gitrepo import CommitFiles
from docsync.loader import WORKTREE, Snapshot
from docsync.lockfile import LOCK_NAME, Lock, parse_lock_bytes, read_lock
from docsync.models import DocScan, Finding, Kind, Reference, Report, Staleness
from docsync.progress import progress
from docsync.resolve import DocMap, resolve_references
from docsync.staleness import History, stale_by_history, stale_by_lock
from docsync.symbols.table import SymbolTable
from docsync.workspace import Workspace


@dataclass(frozen=True, slots=True)
class Judged:
    """A whole-repository check before it is scored: what `make_report` takes, and what the docs resolved to."""

    label: str
    counts: Mapping[str, int]  # references per doc that count towards its score
    findings: tuple[Finding, ...]
    stale: tuple[Staleness, ...]
    resolutions: Mapping[str, DocResolution]  # per doc, when asked for (quick mode does not need them)
    quick: Judged | None = None  # the same docs as quick mode judges them (no tracing), when asked for


def whole_repository_report(
    workspace: Workspace, head_rev: str | None, paths: Sequence[str], quick: bool = False
) -> Report:
    """Findings for the work tree (or `head_rev`): missing names, examples, and staleness (`quick`: see
    `judge_docs`)."""
    return report_of(judge_repository(workspace, head_rev, paths, quick))


def judge_repository(
    workspace: Workspace, head_rev: str | None, paths: Sequence[str], quick: bool = False, with_quick: bool = False
) -> Judged:
    """`whole_repository_report`, unscored (`with_quick`: with what quick mode finds, which the trend reuses)."""
    head_commit = workspace.repo.resolve(head_rev) if head_rev else None
    head = workspace.loader.snapshot(head_commit or WORKTREE)
    return judge_docs(workspace, head_commit, head, docs_of(workspace, head, paths), quick, with_quick=with_quick)


def report_of(judged: Judged) -> Report:
    return make_report(None, judged.label, judged.counts, list(judged.findings), judged.stale)


def judge_docs(
    workspace: Workspace,
    head_commit: str | None,
    head: Snapshot,
    docs: Sequence[str],
    quick: bool = False,
    log: Sequence[CommitFiles] | None = None,
    with_resolutions: bool = False,
    with_quick: bool = False,
) -> Judged:
    """`whole_repository_report`'s findings for these docs of `head` (the snapshot of `head_commit`, None: the work
    tree), unscored; `with_resolutions`: with what they resolved to.

    `quick` skips tracing missing names back through history (a few git calls each) and the progress
    bar: the trend of the score over many commits uses it, with `log`, the history read once at the newest.
    `with_quick` (not quick) also gives the quick judgement, from the same work."""
    loader, config = workspace.loader, workspace.config
    scans = loader.scans(head, docs)
    table = loader.table(head, remember=not quick)  # a trend's old commits are not where the next run starts
    doc_map = resolve_references((r for scan in scans.values() for r in scan.references), table)
    by_history = _stale(workspace, head, head_commit, scans, doc_map, table, quick, log)
    traced = [] if quick else _traced(workspace, head_commit, doc_map, table)
    stale = by_history + traced
    untraced = [r for r in doc_map.unresolved if (r.doc, r.line, r.column) not in {_at(s) for s in traced}]
    examples = example_findings(check_examples(calls_in(scans.values()), table), config)
    examples += broken_example_findings(broken_examples(scans.values()), config)
    docs_context = DocContext(
        headings={doc: scan.headings for doc, scan in scans.items()},
        lines=_doc_lines(workspace, head, {s.reference.doc for s in stale if s.change.kind is Kind.SIGNATURE}),
    )
    findings = unresolved_findings(untraced, config) + examples + stale_findings(stale, docs_context, config)
    resolved = resolutions(scans, table, doc_map) if with_resolutions or with_quick or not quick else {}
    if not quick:  # a pull request into this revision reads these instead of resolving the docs it does not touch
        loader.put_resolutions(loader.table_key(head), head, resolved)
    counts = count_references(doc_map)
    as_quick = None
    if with_quick and not quick:
        unresolved = unresolved_findings(doc_map.unresolved, config)
        quick_findings = unresolved + examples + stale_findings(by_history, docs_context, config)
        as_quick = Judged(head.label, counts, tuple(quick_findings), tuple(by_history), resolved)
    return Judged(head.label, counts, tuple(findings), tuple(stale), resolved, as_quick)


def _stale(
    workspace: Workspace,
    head: Snapshot,
    head_commit: str | None,
    scans: Mapping[str, DocScan],
    doc_map: DocMap,
    table: SymbolTable,
    quick: bool,
    log: Sequence[CommitFiles] | None,
) -> list[Staleness]:
    """Stale references: against the lockfile for the docs it holds, against git history for the others."""
    repo = workspace.repo
    if not repo.has_commits() or not doc_map.references:
        return []
    lock = _lock(workspace, head)
    accepted = lock.docs if lock is not None else {}
    by_lock = [r for r in doc_map.references if r.doc in accepted]
    by_history = [r for r in doc_map.references if r.doc not in accepted]
    code_paths = {table.symbols[r.symbol].path for r in doc_map.references if r.symbol}
    doc_blobs = {doc: head.files[doc].blob for doc in scans}
    history = History(
        repo,
        workspace.loader,
        head_commit or "HEAD",
        [*code_paths, *scans],
        blame_rev=head_commit,
        doc_blobs=doc_blobs,
        log=log,
    )
    stale = stale_by_lock(by_lock, accepted, table, history)
    headings = {doc: scan.headings for doc, scan in scans.items()}

    def section(reference: Reference) -> tuple[int, int]:
        return section_bounds(headings.get(reference.doc, ()), reference.line)

    judged = (
        by_history if quick else progress(by_history, len(by_history), "docsync: reading history", workspace.stderr)
    )
    return stale + stale_by_history(judged, table, history, section)


def _doc_lines(workspace: Workspace, head: Snapshot, docs: Iterable[str]) -> dict[str, list[str]]:
    """The text of the docs whose findings may point at (or be settled by) a parameter's mention."""
    return {doc: workspace.loader.read(head.files[doc]).decode("utf-8", "replace").splitlines() for doc in docs}


def _traced(workspace: Workspace, head_commit: str | None, doc_map: DocMap, table: SymbolTable) -> list[Staleness]:
    """When, and to where, the missing names went (only names whose module still exists)."""
    if not doc_map.unresolved or not workspace.repo.has_commits():
        return []
    return trace_missing(workspace.repo, workspace.loader, head_commit or "HEAD", doc_map.unresolved, table)


def _at(staleness: Staleness) -> tuple[str, int, int]:
    return (staleness.reference.doc, staleness.reference.line, staleness.reference.column)


def _lock(workspace: Workspace, head: Snapshot) -> Lock | None:
    if head.label == WORKTREE:
        return read_lock(workspace.repo.root)
    entry = head.files.get(LOCK_NAME)
    if entry is None:
        return None
    return parse_lock_bytes(workspace.loader.read(entry), f"{LOCK_NAME} at {head.label[:12]}")
