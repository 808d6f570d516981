"""`docsync report`: the check's findings as a self-contained HTML page (or Markdown, JSON, text)."""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from docsync.commands._trend import score_trend
from docsync.commands._whole_repository import Judged, judge_repository, report_of
from docsync.commands.check import CheckOptions, build_report
from docsync.coverage import measure_coverage
from docsync.errors import DocsyncError
from docsync.gitrepo import FileEntry
from docsync.hosting import hosting_for
from docsync.loader import WORKTREE, Loader, Snapshot
from docsync.models import ExcerptLine, Finding, FindingDetail, Kind, Report, RichReport, Symbol
from docsync.render import render_report
from docsync.resolve import resolve_references
from docsync.symbols.table import SymbolTable
from docsync.workspace import Workspace

DEFAULT_OUTPUT = "docsync-report.html"
EXCERPT_CONTEXT = 2  # lines of the doc shown above and below a finding
MAX_DETAILED_COMMITS = 25  # each needs the symbol table of its parent; beyond, findings show no code
MAX_DIFF_LINES = 60


@dataclass(frozen=True, slots=True)
class ReportOptions:
    format: str = "html"
    output: str | None = None
    history: int = 30
    base: str | None = None


def report_command(workspace: Workspace, options: ReportOptions, out: TextIO) -> int:
    """Write the report (HTML to `docsync-report.html` unless told otherwise); 0 unless docsync itself failed."""
    html = options.format == "html"  # only the HTML page has the trend, which reuses the quick judgement
    judged = judge_repository(workspace, None, (), with_quick=html) if options.base is None else None
    report = report_of(judged) if judged is not None else build_report(workspace, CheckOptions(base=options.base))
    if html:
        from docsync.render.html_page import render as render_html  # jinja2 loads only for HTML

        text = render_html(enrich(workspace, report, options, judged.quick if judged is not None else None))
    else:
        text = render_report(report, options.format)
    workspace.report_diagnostics()
    target = options.output or (DEFAULT_OUTPUT if options.format == "html" else "-")
    if target == "-":
        out.write(text)
        return 0
    path = Path(target) if Path(target).is_absolute() else Path.cwd() / target
    write_text(path, text)
    out.write(f"Wrote {target}: freshness score {report.score:.1f}/100, {len(report.findings)} findings\n")
    return 0


def enrich(workspace: Workspace, report: Report, options: ReportOptions, worktree: Judged | None = None) -> RichReport:
    """The report with what the HTML page adds (`worktree`: the work tree judged in quick mode, for the trend)."""
    loader = workspace.loader
    head = loader.snapshot(WORKTREE)
    table = loader.table(head)
    scans = loader.scans(head, loader.doc_paths(head))
    references = resolve_references((r for s in scans.values() for r in s.references), table).references
    parents: dict[str, Snapshot | None] = {}
    subjects = workspace.repo.commit_subjects(f.commit for f in report.findings if f.commit)
    lines = _Lines(loader)
    diffs: dict[tuple[str, str], str | None] = {}  # (commit, symbol) -> its body diff: findings share them
    details = tuple(_detail(workspace, lines, diffs, f, head, table, parents, subjects) for f in report.findings)
    root = workspace.repo.root
    return RichReport(
        report=report,
        repository=root.name,
        details=details,
        trend=score_trend(workspace, options.history, worktree=worktree) if options.base is None else (),
        coverage=measure_coverage(table, references),
        hosting=hosting_for(workspace.repo.remote_url()),
        commit=workspace.repo.resolve("HEAD") if workspace.repo.has_commits() else None,
    )


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
        fix=_fix(finding),
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
    old = workspace.loader.versions.symbol_in(now.path, entry.blob, local)
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


def _fix(finding: Finding) -> str:
    accept = f"then `docsync accept {finding.doc}` if you use a lockfile"
    if finding.kind is Kind.RENAMED:
        return f"Run `docsync fix`, or write `{finding.replacement}` instead."
    if finding.kind is Kind.REMOVED:
        return "Remove the reference, or point it at what replaced the symbol."
    if finding.kind is Kind.EXAMPLE:
        return "Update the example to the current signature."
    if finding.kind is Kind.SIGNATURE:
        return f"Update the doc to the new signature, {accept}."
    return f"Check that the doc still describes it, {accept}."


def write_text(path: Path, text: str) -> None:
    """Write atomically: a reader never sees half a report."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        raise DocsyncError(f"cannot write {path}: {error.strerror}", "choose another --output") from None
