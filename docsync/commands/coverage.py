"""`docsync coverage`: public symbols that no doc references, with the percentage."""

from __future__ import annotations

import json
from typing import TextIO

from docsync.checks.doc_map import map_docs
from docsync.coverage import measure_coverage
from docsync.exit_codes import exit_code
from docsync.loader import WORKTREE
from docsync.models import Coverage
from docsync.workspace import Workspace


def coverage_command(workspace: Workspace, format: str, out: TextIO, fail_under: str | None) -> int:
    """Print the coverage; exit 1 when it is below `--fail-under` (or `coverage-fail-under` of the config)."""
    doc_map, table = map_docs(workspace, workspace.loader.snapshot(WORKTREE), keep=True)
    coverage = measure_coverage(table, doc_map.references)
    workspace.report_diagnostics()
    out.write(_json(coverage) if format == "json" else _text(coverage))
    return exit_code(coverage.percent, fail_under or workspace.config.coverage_fail_under)


def _json(coverage: Coverage) -> str:
    data = {"version": 1, "coverage": round(coverage.percent, 1), "undocumented": list(coverage.undocumented)}
    return json.dumps(data, indent=2) + "\n"


def _text(coverage: Coverage) -> str:
    documented = coverage.total - len(coverage.undocumented)
    lines = [f"undocumented: {name}" for name in coverage.undocumented]
    lines.append(
        f"Doc coverage {coverage.percent:.1f}%: {documented} of {coverage.total} public classes, functions, "
        "methods and properties are referenced by a doc"
    )
    return "\n".join(lines) + "\n"
