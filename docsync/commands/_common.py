"""What the check modes share: the docs to scan, their calls and broken examples, renames, the report."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from docsync.drift import removed_and_added
from docsync.findings import ages
from docsync.gitrepo import PathChange
from docsync.loader import Loader, Snapshot
from docsync.models import Call, DocScan, Finding, Report, Staleness
from docsync.references.examples import UNPARSABLE
from docsync.renames import Rename, match_renames
from docsync.resolve import DocMap
from docsync.score import score_docs
from docsync.symbols.similarity import Shape, body_shapes
from docsync.symbols.table import SymbolTable
from docsync.workspace import Workspace


def docs_of(workspace: Workspace, snapshot: Snapshot, paths: Sequence[str]) -> tuple[str, ...]:
    """The docs of a snapshot, limited to `paths` (files or folders) when given."""
    docs = workspace.loader.doc_paths(snapshot)
    if paths:
        wanted = tuple(p.rstrip("/") for p in paths)
        docs = tuple(d for d in docs if d in wanted or d.startswith(tuple(w + "/" for w in wanted)))
    return docs


def count_references(doc_map: DocMap) -> dict[str, int]:
    """How many references of each doc count towards its score: the resolved and the reported unresolved."""
    counts: dict[str, int] = {}
    for reference in (*doc_map.references, *doc_map.unresolved):
        counts[reference.doc] = counts.get(reference.doc, 0) + 1
    return counts


def calls_in(scans: Iterable[DocScan]) -> list[Call]:
    return [call for scan in scans for call in scan.calls]


def broken_examples(scans: Iterable[DocScan]) -> list[tuple[str, int, str]]:
    return [(d.path, d.line, d.message) for s in scans for d in s.diagnostics if d.message.startswith(UNPARSABLE)]


def make_report(
    base: str | None,
    head: str,
    counts: Mapping[str, int],
    findings: list[Finding],
    stale: Sequence[Staleness] = (),
) -> Report:
    """Score the docs (`counts`: references per doc; stale ones weigh more with age) and put the report together."""
    ordered = sorted(findings, key=lambda f: f.sort_key)
    reported = {(f.doc, f.line, f.column) for f in ordered}
    kept = [s for s in stale if (s.reference.doc, s.reference.line, s.reference.column) in reported]
    score, docs = score_docs(counts, ordered, ages(kept))
    oldest: dict[str, tuple[float, int]] = {}
    for item in kept:
        days, commits = oldest.get(item.reference.doc, (0.0, 0))
        oldest[item.reference.doc] = (max(days, item.days), max(commits, item.commits))
    docs = tuple(
        replace(d, days_stale=oldest.get(d.path, (0.0, 0))[0], commits_stale=oldest.get(d.path, (0.0, 0))[1])
        for d in docs
    )
    return Report(base=base, head=head, score=score, findings=tuple(ordered), docs=docs)


def renames_between(
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
