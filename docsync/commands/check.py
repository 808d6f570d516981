"""`docsync check`: pull-request (`--base`), staged (`--staged`) and whole-repository modes."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TextIO

from docsync.drift import check_examples, detect_drift, reference_key, removed_and_added
from docsync.findings import (
    DocContext,
    broken_example_findings,
    example_findings,
    fails,
    make_findings,
    unresolved_findings,
    was_updated,
)
from docsync.gitrepo import PathChange
from docsync.history import CommitFinder
from docsync.loader import STAGED, WORKTREE, Loader, Snapshot
from docsync.models import Call, Change, DocScan, Finding, How, Kind, Reference, Report, Style, SymbolKind
from docsync.references.examples import UNPARSABLE
from docsync.renames import Rename, match_renames
from docsync.render import render_report
from docsync.resolve import DocMap, resolve_references
from docsync.score import below, score_docs
from docsync.symbols.similarity import Shape, body_shapes
from docsync.symbols.table import SymbolTable
from docsync.workspace import Workspace

Drift = tuple[Reference, Change, SymbolKind]


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
    failing = fails(report.findings, workspace.config) or (fail_under is not None and below(report.score, fail_under))
    return 1 if failing else 0


def build_report(workspace: Workspace, options: CheckOptions) -> Report:
    if options.base is not None or options.staged:
        return _pull_request_report(workspace, options)
    return _whole_repository_report(workspace, options)


def _pull_request_report(workspace: Workspace, options: CheckOptions) -> Report:
    repo, loader, config = workspace.repo, workspace.loader, workspace.config
    if options.staged and not repo.has_commits():
        return Report(
            base=None, head=STAGED, score=100.0, findings=(), docs=()
        )  # the first commit: nothing to drift from
    head_commit = None if options.staged else repo.resolve(options.head or "HEAD")
    base_commit = repo.resolve(options.base or "HEAD")
    merge_base = base_commit if options.staged else repo.merge_base(base_commit, head_commit or "HEAD")
    base, head = loader.snapshot(merge_base), loader.snapshot(STAGED if head_commit is None else head_commit)
    scans = _scans(workspace, head, options.paths)
    references = [r for scan in scans.values() for r in scan.references]
    base_table, head_table = loader.table(base), loader.table(head)
    base_map = resolve_references(references, base_table)
    head_symbols = {reference_key(r): r.symbol or "" for r in resolve_references(references, head_table).references}
    for reference in base_map.references:
        if reference.lines is not None:  # `#L10-L20` was written against the base's lines: keep its symbol
            symbol = reference.symbol or ""
            head_symbols[reference_key(reference)] = symbol if symbol in head_table.symbols else ""
    changed = repo.changed_paths(merge_base, head_commit)
    renames = _renames(loader, base, head, base_table, head_table, changed)
    head_names = {key: name for key, name in head_symbols.items() if name}
    drifts: list[Drift] = list(detect_drift(base_map.references, head_names, base_table, head_table, renames))
    if head_commit is not None:
        drifts = _with_commits(drifts, CommitFinder(repo, loader, merge_base, head_commit), base_table, head_table)
    changed_docs = [c.new_path for c in changed if c.new_path in scans]
    docs = DocContext(
        headings={doc: scan.headings for doc, scan in scans.items()},
        updated_lines=repo.changed_lines(merge_base, head_commit, changed_docs),
        lines=_doc_lines(loader, head, {r.doc for r, c, _ in drifts if c.kind is Kind.SIGNATURE}),
    )
    base_scans = loader.scans(base, [doc for doc in scans if doc in base.files])
    findings = make_findings(drifts, docs, config)
    findings += example_findings(
        check_examples(_calls(scans.values()), head_table),
        config,
        known_before=check_examples(_calls(base_scans.values()), base_table),
    )
    broken = [b for b in _broken_examples(scans.values()) if was_updated(_at(b[0], b[1]), docs, config)]
    findings += broken_example_findings(broken, config)
    return _report(merge_base, head.label, base_map, findings)


def _whole_repository_report(workspace: Workspace, options: CheckOptions) -> Report:
    loader, config = workspace.loader, workspace.config
    head = loader.snapshot(workspace.repo.resolve(options.head) if options.head else WORKTREE)
    scans = _scans(workspace, head, options.paths)
    table = loader.table(head)
    doc_map = resolve_references((r for scan in scans.values() for r in scan.references), table)
    findings = unresolved_findings(doc_map.unresolved, config)
    findings += example_findings(check_examples(_calls(scans.values()), table), config)
    findings += broken_example_findings(_broken_examples(scans.values()), config)
    return _report(None, head.label, doc_map, findings)


def _renames(
    loader: Loader,
    base: Snapshot,
    head: Snapshot,
    base_table: SymbolTable,
    head_table: SymbolTable,
    changed: Sequence[PathChange],
) -> dict[str, Rename]:
    """Where the symbols that disappeared went, judged from the changed Python files only."""
    old_paths = [c.old_path for c in changed if c.old_path and c.old_path in base_table.modules]
    new_paths = [c.new_path for c in changed if c.new_path and c.new_path in head_table.modules]
    removed, added = removed_and_added(base_table, head_table, old_paths, new_paths)
    if not removed or not added:
        return {}
    old_shapes = _shapes(loader, base, base_table, {s.path for s in removed})
    new_shapes = _shapes(loader, head, head_table, {s.path for s in added})
    return match_renames(removed, added, old_shapes, new_shapes)


def _shapes(loader: Loader, snapshot: Snapshot, table: SymbolTable, paths: Iterable[str]) -> dict[str, Shape]:
    shapes: dict[str, Shape] = {}
    for path in paths:
        module = table.modules[path]
        for local, shape in body_shapes(loader.read(snapshot.files[path])).items():
            shapes[f"{module}.{local}" if local else module] = shape
    return shapes


def _with_commits(drifts: list[Drift], finder: CommitFinder, base: SymbolTable, head: SymbolTable) -> list[Drift]:
    commits: dict[tuple[str, Kind], str | None] = {}
    result = []
    for reference, change, kind in drifts:
        key = (change.qualname, change.kind)
        if key not in commits:
            commits[key] = finder.commit_of(change, base, head)
        result.append((reference, replace(change, commit=commits[key]), kind))
    return result


def _doc_lines(loader: Loader, snapshot: Snapshot, docs: Iterable[str]) -> dict[str, list[str]]:
    """The text of the docs whose findings may point at a parameter's mention."""
    return {doc: loader.read(snapshot.files[doc]).decode("utf-8", "replace").splitlines() for doc in docs}


def _calls(scans: Iterable[DocScan]) -> list[Call]:
    return [call for scan in scans for call in scan.calls]


def _broken_examples(scans: Iterable[DocScan]) -> list[tuple[str, int, str]]:
    return [(d.path, d.line, d.message) for s in scans for d in s.diagnostics if d.message.startswith(UNPARSABLE)]


def _at(doc: str, line: int) -> Reference:
    return Reference(doc, line, 1, "", How.INFERRED, Style.CODE_BLOCK, "")


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
    ordered = sorted(findings, key=lambda f: f.sort_key)
    score, docs = score_docs(counts, ordered)
    return Report(base=base, head=head, score=score, findings=tuple(ordered), docs=docs)


def _wants_color(out: TextIO, format: str) -> bool:
    return format == "text" and out.isatty() and "NO_COLOR" not in os.environ
