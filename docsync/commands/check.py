"""`docsync check`: pull-request (`--base`), staged (`--staged`) and whole-repository modes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from docsync.drift import detect_drift, reference_key
from docsync.findings import fails, make_findings, unresolved_findings
from docsync.loader import STAGED, WORKTREE, Snapshot
from docsync.models import DocScan, Finding, Report
from docsync.render import render_report
from docsync.resolve import DocMap, resolve_references
from docsync.score import below, score_docs
from docsync.workspace import Workspace


@dataclass(frozen=True, slots=True)
class CheckOptions:
    base: str | None = None
    head: str | None = None
    staged: bool = False
    format: str = "text"
    fail_under: str | None = None
    paths: tuple[str, ...] = ()


def check(workspace: Workspace, options: CheckOptions, out: TextIO) -> int:
    """Run the check, print the report, and return the exit code (0 fresh, 1 failing)."""
    report = build_report(workspace, options)
    workspace.report_diagnostics()
    out.write(render_report(report, options.format, color=_wants_color(out, options.format)))
    fail_under = options.fail_under or workspace.config.fail_under
    failing = fails(report.findings, workspace.config) or (
        fail_under is not None and below(report.score, fail_under)
    )
    return 1 if failing else 0


def build_report(workspace: Workspace, options: CheckOptions) -> Report:
    if options.base is not None or options.staged:
        return _pull_request_report(workspace, options)
    return _whole_repository_report(workspace, options)


def _pull_request_report(workspace: Workspace, options: CheckOptions) -> Report:
    repo, loader = workspace.repo, workspace.loader
    if options.staged and not repo.has_commits():
        return Report(
            base=None, head=STAGED, score=100.0, findings=(), docs=()
        )  # the first commit: nothing to drift from
    head_commit = None if options.staged else repo.resolve(options.head or "HEAD")
    base_commit = repo.resolve(options.base or "HEAD")
    merge_base = base_commit if options.staged else repo.merge_base(base_commit, head_commit or "HEAD")
    base = loader.snapshot(merge_base)
    head = loader.snapshot(STAGED if head_commit is None else head_commit)
    scans = _scans(workspace, head, options.paths)
    references = [r for scan in scans.values() for r in scan.references]
    base_table, head_table = loader.table(base), loader.table(head)
    base_map = resolve_references(references, base_table)
    head_symbols = {
        reference_key(r): r.symbol for r in resolve_references(references, head_table).references if r.symbol
    }
    drifts = detect_drift(base_map.references, head_symbols, base_table, head_table)
    changed_docs = [
        c.new_path
        for c in repo.changed_paths(merge_base, head_commit)
        if c.new_path is not None and c.new_path in scans
    ]
    updated = repo.changed_lines(merge_base, head_commit, changed_docs)
    headings = {doc: scan.headings for doc, scan in scans.items()}
    findings = make_findings(drifts, updated, headings, workspace.config)
    return _report(merge_base, head.label, base_map, findings)


def _whole_repository_report(workspace: Workspace, options: CheckOptions) -> Report:
    loader = workspace.loader
    head = loader.snapshot(workspace.repo.resolve(options.head) if options.head else WORKTREE)
    scans = _scans(workspace, head, options.paths)
    doc_map = resolve_references((r for scan in scans.values() for r in scan.references), loader.table(head))
    findings = unresolved_findings(doc_map.unresolved, workspace.config)
    return _report(None, head.label, doc_map, findings)


def _scans(workspace: Workspace, snapshot: Snapshot, paths: Sequence[str]) -> dict[str, DocScan]:
    docs = workspace.loader.doc_paths(snapshot)
    if paths:
        wanted = tuple(p.rstrip("/") for p in paths)
        docs = tuple(d for d in docs if d in wanted or d.startswith(tuple(w + "/" for w in wanted)))
    return workspace.loader.scans(snapshot, docs)


def _report(base: str | None, head: str, doc_map: DocMap, findings: list[Finding]) -> Report:
    counts: dict[str, int] = {}
    for reference in (*doc_map.references, *doc_map.unresolved):
        counts[reference.doc] = counts.get(reference.doc, 0) + 1
    score, docs = score_docs(counts, findings)
    return Report(base=base, head=head, score=score, findings=tuple(findings), docs=docs)


def _wants_color(out: TextIO, format: str) -> bool:
    import os

    return format == "text" and out.isatty() and "NO_COLOR" not in os.environ
