"""`check` without `--base`: the whole repository as it is, against the lockfile or git history."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TextIO

from docsync.affected import resolutions
from docsync.checks import Checked, Judged, carried
from docsync.checks.command_line import CliJudged, judge_command_lines
from docsync.checks.environment import judge_environment
from docsync.checks.project_settings import judge_settings_keys
from docsync.drift import check_examples
from docsync.findings import (
    NEAR_LINES,
    READ_LINES_FOR,
    Dating,
    DocContext,
    example_findings,
    generated_pages,
    judge_stale,
    not_said,
    section_bounds,
    unresolved_findings,
    written_findings,
    written_parameter_names,
)
from docsync.gitrepo import CommitFiles
from docsync.history.log import History
from docsync.history.missing import trace_missing
from docsync.history.staleness import (
    date_clauses,
    days_stale,
    judge_by_history,
    stale_by_history,
    stale_by_lock,
)
from docsync.judge import Use, use_of
from docsync.loader import WORKTREE, Snapshot
from docsync.lockfile import LOCK_NAME, Lock, parse_lock_bytes, read_lock
from docsync.models import DocMap, DocScan, Finding, Reference, SignatureChange, Staleness, What
from docsync.parallel import one_pool
from docsync.progress import status
from docsync.resolve import resolve_references
from docsync.score import make_report
from docsync.settings import Config
from docsync.symbols.table import SymbolTable
from docsync.workspace import Workspace
from docsync.written import check_written, signature_docs


@dataclass(frozen=True, slots=True)
class _Judgement:
    """The docs of one revision judged against history, before missing names are traced."""

    head: Snapshot
    table: SymbolTable
    scans: Mapping[str, DocScan]
    doc_map: DocMap
    stale: list[Staleness]  # by history or the lockfile
    claims: list[Staleness]  # parameters written on lines older than their section, judged from their own line
    examples: list[Finding]  # calls that no longer fit, blocks that do not parse, command lines the code refuses
    context: DocContext
    dating: Dating | None  # names the commit of each signature change a finding is about
    untraced: Judged  # the missing names not traced


def check_repository(workspace: Workspace, head_rev: str | None, paths: Sequence[str]) -> Checked:
    """Findings for the work tree (or `head_rev`): missing names (traced through history to their removal or
    rename), examples, and staleness. The table and what the docs resolve to are kept for later runs."""
    head_commit = workspace.repo.resolve(head_rev) if head_rev else None
    stream = workspace.progress_stream
    head = workspace.loader.snapshot(head_commit or WORKTREE)
    with one_pool():  # cold: the docs scanned and the modules parsed on workers forked while this process is small
        with status("docsync: scanning docs", stream):
            docs = workspace.docs.paths(head, paths)  # reads every doc (the files they include)
        with status("docsync: finding what changed since the last check", stream):
            point = carried.point_of(workspace, head_commit, head) if not paths else None
            carry = carried.plan(workspace, point, head, docs)
        if carry is None:
            with status("docsync: building the symbol table", stream):
                workspace.loader.prepare(head)
    work = _judge(workspace, head_commit, head, carry.judged if carry else docs, None, stream, keep=True)
    config = workspace.config
    with status("docsync: tracing missing names through history", stream):
        traced = _traced(workspace, head_commit, work.doc_map, work.table)
    at = {_at(s) for s in traced}
    untraced = [r for r in work.doc_map.unresolved if (r.doc, r.line, r.column) not in at]
    judged = _judge_stale(work.stale + traced, work.claims, work.context, config, work.dating)
    findings = unresolved_findings(untraced, work.context, config) + work.examples + [f for f, _ in judged]
    counts = {**carry.counts, **work.untraced.counts} if carry else work.untraced.counts
    report = make_report(None, head.label, counts, findings, [item for _, item in judged])
    carried.remember(workspace, point, docs, counts, findings)
    if point is not None and head_commit is None and not point.uncommitted:  # the commit's: for the next pre-commit run
        workspace.loader.keep_listing(point.committed, head)
    if carry is not None:  # the docs read are those judged again: what needs every doc's references reads them
        resolved = {**carry.resolutions, **work.untraced.resolutions}
        every = replace(work.untraced, counts=counts, resolutions=resolved)  # the others have no finding
        return Checked(report, head, work.table, work.scans, untraced=every, carried_from=carry.since)
    return Checked(report, head, work.table, work.scans, work.doc_map, work.untraced)


def judge_quickly(
    workspace: Workspace,
    head_commit: str | None,
    head: Snapshot,
    docs: Sequence[str],
    log: Sequence[CommitFiles] | None = None,
) -> Judged:
    """These docs of `head` (the snapshot of `head_commit`, None: the work tree) judged without tracing missing
    names through history (a few git calls each) and without a progress bar: the score's trend judges many
    commits so, with `log`, the history it read once at the newest."""
    return _judge(workspace, head_commit, head, docs, log, None, keep=False).untraced


def _judge(
    workspace: Workspace,
    head_commit: str | None,
    head: Snapshot,
    docs: Sequence[str],
    log: Sequence[CommitFiles] | None,
    progress_stream: TextIO | None,
    keep: bool,
) -> _Judgement:
    """`keep`: save the table's bundle and what each doc resolves to, for the runs that start from this revision
    (a trend's old commits are not where the next run starts)."""
    loader, config = workspace.loader, workspace.config
    with one_pool():  # cold: scanning and parsing on workers forked while this process is small
        with status("docsync: scanning docs", progress_stream):
            scans = workspace.docs.scans(head, docs)
        with status("docsync: building the symbol table", progress_stream):
            loader.prepare(head)
    with status("docsync: building the symbol table", progress_stream):
        table = loader.keep_table(head) if keep else loader.table(head)
    with status("docsync: resolving references", progress_stream):
        doc_map = resolve_references((r for scan in scans.values() for r in scan.references), table)
    lines = _DocLines(workspace, head)
    with status("docsync: reading history", progress_stream):
        stale, claims, history = _stale(workspace, head, head_commit, scans, doc_map, table, log, lines)
    with status("docsync: checking examples and signatures", progress_stream):
        dating = _dating(history, table) if history is not None else None
        read = {s.reference.doc for s in stale if s.change.kind in READ_LINES_FOR} | signature_docs(doc_map.references)
        context = DocContext.of(
            scans,
            lines={doc: lines[doc] for doc in sorted(read | set(lines.read))},
            generated=generated_pages(doc_map.references),
        )
        calls = [call for scan in scans.values() for call in scan.calls]
        examples = example_findings(check_examples(calls, table), context, config)
        written = written_findings(check_written(doc_map.references, context.lines, table), context, config)
        resolved = resolutions(scans, table, doc_map)
        if keep:  # a pull request into this revision reads these instead of resolving the docs it does not touch
            workspace.docs.put_resolutions(loader.table_key(head), head, resolved)
        judged = _judge_stale(stale, claims, context, config, dating)
        examples += not_said(written, [f for f, _ in judged])
    counts = doc_map.counts()
    # The revision a run starts from (`keep`), not each commit of a score trend: the trend scores Python references
    # only (each commit's command line, environment and settings read again cost a trend 2.5x).
    with status("docsync: checking command lines, environment variables and settings", progress_stream):
        for judged_claims in _other_claims(workspace, head, docs, scans, context) if keep else ():
            examples += judged_claims.findings
            counts = judged_claims.with_counts(counts)
        findings = unresolved_findings(doc_map.unresolved, context, config) + examples + [f for f, _ in judged]
        untraced = Judged(head.label, counts, tuple(findings), tuple(item for _, item in judged), resolved)
    return _Judgement(head, table, scans, doc_map, stale, claims, examples, context, dating, untraced)


def _other_claims(
    workspace: Workspace, head: Snapshot, docs: Sequence[str], scans: Mapping[str, DocScan], context: DocContext
) -> tuple[CliJudged, ...]:
    """Command lines, environment variables and settings keys the docs show, judged (issue 17)."""
    return (
        judge_command_lines(workspace, head, docs, scans, context),
        judge_environment(workspace, head, docs, scans, context),
        judge_settings_keys(workspace, head, docs, scans, context),
    )


def _judge_stale(
    stale: Sequence[Staleness], claims: Sequence[Staleness], context: DocContext, config: Config, dating: Dating | None
) -> list[tuple[Finding, Staleness]]:
    """The findings of stale references, and of the parameter claims that are wrong on their own line."""
    judged = {finding.sort_key: (finding, item) for finding, item in judge_stale(stale, context, config, dating)}
    for claim in claims:
        for finding, item in judge_stale([claim], context, config, dating):
            if finding.line == claim.reference.line:  # about the parameter that line writes, not a newer one
                judged.setdefault(finding.sort_key, (finding, item))
    return [judged[key] for key in sorted(judged)]


def _stale(
    workspace: Workspace,
    head: Snapshot,
    head_commit: str | None,
    scans: Mapping[str, DocScan],
    doc_map: DocMap,
    table: SymbolTable,
    log: Sequence[CommitFiles] | None,
    lines: _DocLines,
) -> tuple[list[Staleness], list[Staleness], History | None]:
    """Stale references: against the lockfile for the docs it holds, against git history for the others (and
    the history read). A parameter the doc writes near a reference, on a line older than the rest of its section,
    is judged from that line's time: an edit elsewhere in the section does not make that claim fresh."""
    repo = workspace.repo
    if not repo.has_commits() or not doc_map.references:
        return [], [], None
    lock = _lock(workspace, head)
    accepted = lock.docs if lock is not None else {}
    by_lock = [r for r in doc_map.references if r.doc in accepted]
    by_history = [r for r in doc_map.references if r.doc not in accepted]
    code_paths = {table.symbols[r.symbol].path for r in doc_map.references if r.symbol}
    doc_blobs = {doc: head.files[doc].blob for doc in scans}
    history = History(
        repo,
        workspace.versions,
        head_commit or "HEAD",
        [*code_paths, *scans],
        blame_rev=head_commit,
        doc_blobs=doc_blobs,
        log=log,
    )
    uncommitted = _uncommitted(head, history, code_paths)
    stale = stale_by_lock(by_lock, accepted, table, history, uncommitted)
    headings = {doc: scan.headings for doc, scan in scans.items()}

    def section(reference: Reference) -> tuple[int, int]:
        return section_bounds(headings.get(reference.doc, ()), reference.line)

    # No bar over the references: judging reads them all at once, then history in batches (bars of their own).
    by_section, changed = judge_by_history(by_history, table, history, section, uncommitted)
    stale += by_section
    older = _older_parameter_claims(by_history, table, history, section, lines, changed)
    claims = [item for item in stale_by_history(older, table, history, _own_line, uncommitted) if _lost(item)]
    return stale, claims, history


class _DocLines(dict[str, list[str]]):
    """The text of the docs of one snapshot, read when first asked for; the parameter-like names of their lines."""

    def __init__(self, workspace: Workspace, head: Snapshot) -> None:
        super().__init__()
        self._workspace, self._head = workspace, head
        self._writing: dict[str, tuple[list[int], list[tuple[int, set[str]]]]] = {}

    def __missing__(self, doc: str) -> list[str]:
        self[doc] = _doc_lines(self._workspace, self._head, [doc])[doc]
        return self[doc]

    @property
    def read(self) -> list[str]:
        return list(self)

    def writing(self, doc: str, first: int, last: int) -> list[tuple[int, set[str]]]:
        """The lines from `first` to `last` (1-based, inclusive) that write parameter-like names, with the names
        (`written_parameter_names`, read once per doc)."""
        if doc not in self._writing:
            found = ((number, written_parameter_names(line)) for number, line in enumerate(self[doc], 1))
            writing = [(number, names) for number, names in found if names]
            self._writing[doc] = ([number for number, _ in writing], writing)
        numbers, writing = self._writing[doc]
        return writing[bisect_left(numbers, first) : bisect_right(numbers, last)]


def _older_parameter_claims(
    references: Sequence[Reference],
    table: SymbolTable,
    history: History,
    section: Callable[[Reference], tuple[int, int]],
    lines: _DocLines,
    changed: Collection[tuple[str, str]],
) -> list[Reference]:
    """Each reference again, placed on a near line of its section that writes (in code context) a name the
    symbol has no parameter of now, when that line is older than its section: its claim is judged from then.
    `changed`: (doc, symbol) pairs whose symbol may have changed since the doc was created; no line of the doc
    can be older than a change to the others."""
    groups: dict[tuple[str, str, int, int], list[Reference]] = {}  # the references to a symbol in one section
    for reference in references:
        symbol = table.symbols[reference.symbol or ""]
        if (reference.doc, symbol.qualname) not in changed or symbol.signature is None:
            continue
        if use_of(reference) in (Use.NAME, Use.CODE):
            groups.setdefault((reference.doc, symbol.qualname, *section(reference)), []).append(reference)
    claims: list[Reference] = []
    for (doc, qualname, start, end), near in groups.items():
        signature = table.symbols[qualname].signature
        assert signature is not None
        known = {parameter.name for parameter in signature.parameters} | {table.symbols[qualname].name}
        first = max(start, min(r.line for r in near) - NEAR_LINES)
        last = min(end, max(r.line for r in near) + NEAR_LINES)
        writing = [number for number, names in lines.writing(doc, first, last) if names - known]
        written = history.section_time(doc, start, end) if writing else None
        if written is None:
            continue  # the blame is asked only about sections with a line that could make a claim
        for number in writing:
            nearest = next((r for r in near if abs(r.line - number) <= NEAR_LINES), None)
            then = history.section_time(doc, number, number) if nearest is not None else None
            if nearest is not None and then is not None and then < written:
                claims.append(replace(nearest, line=number))
    return claims


def _own_line(reference: Reference) -> tuple[int, int]:
    return reference.line, reference.line


def _lost(item: Staleness) -> bool:
    """Whether a claim's change lost a parameter (removed or renamed): what a written parameter can be wrong about."""
    return any(c.what in (What.PARAMETER_REMOVED, What.PARAMETER_RENAMED) for c in item.change.signature_changes)


def _dating(history: History, table: SymbolTable) -> Dating:
    """Dates the signature changes a finding is about from the versions of the symbol's file."""

    def date(item: Staleness, evidence: Sequence[SignatureChange]) -> tuple[Staleness, tuple[str | None, ...]]:
        now = table.symbols.get(item.change.new_qualname or item.change.qualname)
        if now is None:
            return item, ()
        module = table.modules[now.path]
        local = now.qualname[len(module) + 1 :] if now.qualname != module else ""
        versions = date_clauses(history, now, local, evidence)
        first = versions[0] if versions else None
        if first is None or first.commit == item.change.commit:
            return item, tuple(v.commit if v else None for v in versions)
        dated = replace(
            item,
            change=replace(item.change, commit=first.commit),
            since=first.time,
            days=days_stale(first.time, history.head_time),
            commits=history.commits_since(first.commit),
        )
        return dated, tuple(v.commit if v else None for v in versions)

    return date


def _uncommitted(head: Snapshot, history: History, paths: Iterable[str]) -> set[str]:
    """The files whose work-tree version is in no commit: a change found in no commit was made there."""
    if head.label != WORKTREE:
        return set()
    return {
        path
        for path in paths
        if path in head.files
        and (not history.versions(path) or history.versions(path)[0].blob != head.files[path].blob)
    }


def _doc_lines(workspace: Workspace, head: Snapshot, docs: Iterable[str]) -> dict[str, list[str]]:
    """The text of the docs whose findings may point at (or be settled by) a parameter's mention."""
    return {doc: workspace.loader.read(head.files[doc]).decode("utf-8", "replace").splitlines() for doc in docs}


def _traced(workspace: Workspace, head_commit: str | None, doc_map: DocMap, table: SymbolTable) -> list[Staleness]:
    """When, and to where, the missing names went (only names whose module still exists)."""
    if not doc_map.unresolved or not workspace.repo.has_commits():
        return []
    return trace_missing(workspace.versions, workspace.loader, head_commit or "HEAD", doc_map.unresolved, table)


def _at(staleness: Staleness) -> tuple[str, int, int]:
    return (staleness.reference.doc, staleness.reference.line, staleness.reference.column)


def _lock(workspace: Workspace, head: Snapshot) -> Lock | None:
    if head.label == WORKTREE:
        return read_lock(workspace.repo.root)
    entry = head.files.get(LOCK_NAME)
    if entry is None:
        return None
    return parse_lock_bytes(workspace.loader.read(entry), f"{LOCK_NAME} at {head.label[:12]}")
