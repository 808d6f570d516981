"""What the HTML report adds to a check: the doc around each finding, the code before and after, the commit,
the fix; the score's trend; the doc coverage; links to the hosting service."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from docsync.checks import Checked
from docsync.checks.trend import score_trend
from docsync.coverage import measure_coverage
from docsync.errors import DocsyncError
from docsync.gitrepo import FileEntry
from docsync.hosting import hosting_for
from docsync.loader import WORKTREE, Loader, Snapshot
from docsync.models import ExcerptLine, Finding, FindingDetail, Kind, Reference, RichReport, Symbol
from docsync.progress import progress, status
from docsync.resolve import resolve_references
from docsync.symbols.table import SymbolTable
from docsync.wording import fix_advice
from docsync.workspace import Workspace

EXCERPT_CONTEXT = 2  # lines of the doc shown above and below a finding
MAX_DETAILED_COMMITS = 25  # each needs the symbol table of its parent; beyond, findings show no code
MAX_DIFF_LINES = 60


def enrich(workspace: Workspace, checked: Checked, history: int) -> RichReport:
    """The check's report with what the HTML page adds: each finding's details, the score's trend over `history`
    commits (whole-repository mode), the doc coverage and links."""
    loader, report, stream = workspace.loader, checked.report, workspace.progress_stream
    with status("docsync: preparing the report", stream):
        head, table, references = _work_tree(workspace, checked)
        parents: dict[str, Snapshot | None] = {}
        subjects = workspace.repo.commit_subjects(f.commit for f in report.findings if f.commit)
        lines = _Lines(loader)
        diffs: dict[tuple[str, str], str | None] = {}  # (commit, symbol) -> its body diff: findings share them
        findings = progress(report.findings, len(report.findings), "docsync: collecting details", stream)
        details = tuple(_detail(workspace, lines, diffs, f, head, table, parents, subjects) for f in findings)
        return RichReport(
            report=report,
            repository=workspace.repo.root.name,
            details=details,
            trend=score_trend(workspace, history, worktree=checked.untraced) if report.base is None else (),
            coverage=measure_coverage(table, references),
            hosting=hosting_for(workspace.repo.remote_url()),
            commit=workspace.repo.resolve("HEAD") if workspace.repo.has_commits() else None,
        )


def _work_tree(workspace: Workspace, checked: Checked) -> tuple[Snapshot, SymbolTable, tuple[Reference, ...]]:
    """The work tree (details always show the files on disk), its table, and every doc's references resolved
    there: the check's own when it judged the whole work tree, else read now."""
    loader = workspace.loader
    head = loader.snapshot(WORKTREE)
    every_doc = checked.doc_map is not None and checked.scans.keys() == set(workspace.docs.paths(head))
    if checked.head.label == WORKTREE and checked.table is not None and checked.doc_map is not None and every_doc:
        return head, checked.table, checked.doc_map.references
    table = loader.table(head)
    scans = workspace.docs.scans(head, workspace.docs.paths(head))
    return head, table, resolve_references((r for s in scans.values() for r in s.references), table).references


class _Lines:
    """Each file version's lines, decoded once: thousands of findings point into the same docs and modules."""

    def __init__(self, loader: Loader) -> None:
        self._loader = loader
        self._lines: dict[str, list[str]] = {}

    def __call__(self, entry: FileEntry) -> list[str]:
        lines = self._lines.get(entry.blob)
        if lines is None:
            lines = self._lines[entry.blob] = self._loader.read(entry).decode("utf-8", "replace").splitlines()
        return lines


def _detail(
    workspace: Workspace,
    lines: _Lines,
    diffs: dict[tuple[str, str], str | None],
    finding: Finding,
    head: Snapshot,
    table: SymbolTable,
    parents: dict[str, Snapshot | None],
    subjects: Mapping[str, str],
) -> FindingDetail:
    excerpt = _excerpt(lines, head, finding)
    new = table.get(finding.replacement or finding.symbol)
    old = _before(workspace, finding.commit, finding.symbol, table, parents)
    subject = subjects.get(finding.commit) if finding.commit else None
    body_diff = None
    if finding.kind is Kind.BODY and old is not None and new is not None and finding.commit:
        key = (finding.commit, finding.symbol)
        if key not in diffs:
            diffs[key] = _body_diff(lines, old, new, head, parents[finding.commit])
        body_diff = diffs[key]
    before, now = _signature_text(old), _signature_text(new)
    if before == now:
        before = None  # the parent of a merged commit may already have had it: show only what is sure
    return FindingDetail(
        finding=finding,
        excerpt=excerpt,
        old_signature=before,
        new_signature=now,
        body_diff=body_diff,
        commit_subject=subject,
        fix=fix_advice(finding),
    )


def _excerpt(lines_of: _Lines, head: Snapshot, finding: Finding) -> tuple[ExcerptLine, ...]:
    entry = head.files.get(finding.doc)
    if entry is None:
        return ()
    lines = lines_of(entry)
    first = max(1, finding.line - EXCERPT_CONTEXT)
    last = min(len(lines), finding.line + EXCERPT_CONTEXT)
    return tuple(ExcerptLine(n, lines[n - 1], n == finding.line) for n in range(first, last + 1))


def _before(
    workspace: Workspace, commit: str | None, qualname: str, table: SymbolTable, parents: dict[str, Snapshot | None]
) -> Symbol | None:
    """The symbol as it was just before `commit` changed it."""
    if commit is None:
        return None
    if commit not in parents:
        if len(parents) >= MAX_DETAILED_COMMITS:
            return None
        parent = workspace.repo.resolve(f"{commit}^") if _has_parent(workspace, commit) else None
        parents[commit] = workspace.loader.snapshot(parent) if parent else None
    snapshot = parents[commit]
    if snapshot is None:
        return None
    now = table.symbols.get(qualname)
    entry = snapshot.files.get(now.path) if now is not None else None
    if now is None or entry is None:  # gone or moved since: only the parent's own table knows where it was
        return workspace.loader.table(snapshot).get(qualname)
    module = table.modules[now.path]
    local = qualname[len(module) + 1 :] if qualname != module else ""
    # One symbol of one old file version, not the parent's whole table: details span up to 25 commits.
    old = workspace.versions.symbol_in(now.path, entry.blob, local)
    if old is None:
        return None
    return Symbol(qualname, old.kind, now.path, old.line, old.end_line, old.fingerprint, old.signature, now.public)


def _has_parent(workspace: Workspace, commit: str) -> bool:
    try:
        workspace.repo.resolve(f"{commit}^")
    except DocsyncError:
        return False
    return True


def _body_diff(lines: _Lines, old: Symbol, new: Symbol, head: Snapshot, parent: Snapshot | None) -> str | None:
    if parent is None or old.path not in parent.files or new.path not in head.files:
        return None
    before = _source(lines, parent, old)
    after = _source(lines, head, new)
    diff = list(difflib.unified_diff(before, after, lineterm="", n=1))[2:]  # no ---/+++ header
    if len(diff) > MAX_DIFF_LINES:
        diff = [*diff[:MAX_DIFF_LINES], f"… {len(diff) - MAX_DIFF_LINES} more lines"]
    return "\n".join(diff) or None


def _source(lines: _Lines, snapshot: Snapshot, symbol: Symbol) -> list[str]:
    return lines(snapshot.files[symbol.path])[symbol.line - 1 : symbol.end_line]


def _signature_text(symbol: Symbol | None) -> str | None:
    if symbol is None or symbol.signature is None:
        return None
    if symbol.signature.returns is not None and not symbol.signature.parameters and symbol.kind.value == "attribute":
        return f"{symbol.name}: {symbol.signature.returns}"
    return f"{symbol.name}{symbol.signature.text}"
