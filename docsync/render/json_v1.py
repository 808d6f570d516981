"""The machine-readable output, version 1 of the spec's schema: reports and maps."""

from __future__ import annotations

import json
from typing import Any

from docsync.models import Finding, Reference, Report
from docsync.resolve import DocMap

VERSION = 1


def render(report: Report) -> str:
    data = {
        "version": VERSION,
        "base": report.base,
        "head": report.head,
        "score": round(report.score, 1),
        "findings": [finding_json(f) for f in report.findings],
        "docs": [
            {
                "path": d.path,
                "score": round(d.score, 1),
                "references": d.references,
                "stale": d.stale,
                "days_stale": round(d.days_stale, 1),
                "commits_stale": d.commits_stale,
            }
            for d in report.docs
        ],
    }
    if report.unused_ignores is not None:  # only with --report-unused-ignores: then a list, maybe empty
        data["unused_ignores"] = [
            {"path": i.doc, "line": i.line, "column": i.column, "marker": i.marker} for i in report.unused_ignores
        ]
    return _dump(data)


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "doc": finding.doc,
        "line": finding.line,
        "column": finding.column,
        "symbol": finding.symbol,
        "kind": finding.kind.value,
        "severity": finding.severity.value,
        "message": finding.message,
        "replacement": finding.replacement,
        "commit": finding.commit,
    }


def render_map(doc_map: DocMap) -> str:
    data = {
        "version": VERSION,
        "references": [_reference_json(r) for r in doc_map.references],
        "unresolved": [{"doc": r.doc, "line": r.line, "column": r.column, "text": r.text} for r in doc_map.unresolved],
    }
    return _dump(data)


def _reference_json(reference: Reference) -> dict[str, Any]:
    return {
        "doc": reference.doc,
        "line": reference.line,
        "column": reference.column,
        "text": reference.text,
        "symbol": reference.symbol,
        "how": reference.how.value,
        "style": reference.style.value,
    }


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
