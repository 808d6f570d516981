"""What both check modes share: the docs to scan, their calls and broken examples, and the report."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from docsync.loader import Snapshot
from docsync.models import Call, DocScan, Finding, Report
from docsync.references.examples import UNPARSABLE
from docsync.resolve import DocMap
from docsync.score import score_docs
from docsync.workspace import Workspace


def scans_of(workspace: Workspace, snapshot: Snapshot, paths: Sequence[str]) -> dict[str, DocScan]:
    docs = workspace.loader.doc_paths(snapshot)
    if paths:
        wanted = tuple(p.rstrip("/") for p in paths)
        docs = tuple(d for d in docs if d in wanted or d.startswith(tuple(w + "/" for w in wanted)))
    return workspace.loader.scans(snapshot, docs)


def calls_in(scans: Iterable[DocScan]) -> list[Call]:
    return [call for scan in scans for call in scan.calls]


def broken_examples(scans: Iterable[DocScan]) -> list[tuple[str, int, str]]:
    return [(d.path, d.line, d.message) for s in scans for d in s.diagnostics if d.message.startswith(UNPARSABLE)]


def make_report(
    base: str | None,
    head: str,
    doc_map: DocMap,
    findings: list[Finding],
    ages: Mapping[tuple[str, int, int], float] | None = None,
) -> Report:
    counts: dict[str, int] = {}
    for reference in (*doc_map.references, *doc_map.unresolved):
        counts[reference.doc] = counts.get(reference.doc, 0) + 1
    ordered = sorted(findings, key=lambda f: f.sort_key)
    score, docs = score_docs(counts, ordered, ages)
    return Report(base=base, head=head, score=score, findings=tuple(ordered), docs=docs)
