"""`docsync coverage`: public symbols that no doc references, with the percentage."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TextIO

from docsync.checks.doc_map import map_docs
from docsync.coverage import measure_coverage
from docsync.exit_codes import exit_code
from docsync.loader import WORKTREE
from docsync.models import Coverage
from docsync.output import emit
from docsync.runlog import SILENT, RunLog
from docsync.workspace import Workspace


@dataclass(frozen=True, slots=True)
class CoverageOptions:
    format: str = "text"
    fail_under: str | None = None
    output: str | None = None  # `-o FILE`; None or "-": stdout
    quiet: bool = False  # the undocumented symbols alone, without the percentage line


def coverage_command(workspace: Workspace, options: CoverageOptions, out: TextIO, log: RunLog = SILENT) -> int:
    """Print the coverage; exit 1 when it is below `--fail-under` (or `coverage-fail-under` of the config)."""
    started = log.start()
    doc_map, table = map_docs(workspace, workspace.loader.snapshot(WORKTREE), keep=True)
    coverage = measure_coverage(table, doc_map.references)
    log.done(
        started,
        f"measured coverage: {len(doc_map.by_doc())} docs with references, {len(table.modules)} modules, "
        f"{coverage.total} public symbols",
    )
    workspace.report_diagnostics()
    emit(_json(coverage) if options.format == "json" else _text(coverage, options.quiet), options.output, out)
    return exit_code(coverage.percent, options.fail_under or workspace.config.coverage_fail_under)


def _json(coverage: Coverage) -> str:
    data = {"version": 1, "coverage": round(coverage.percent, 1), "undocumented": list(coverage.undocumented)}
    return json.dumps(data, indent=2) + "\n"


def _text(coverage: Coverage, quiet: bool) -> str:
    documented = coverage.total - len(coverage.undocumented)
    lines = [f"undocumented: {name}" for name in coverage.undocumented]
    if quiet:
        return "".join(line + "\n" for line in lines)
    lines.append(
        f"Doc coverage {coverage.percent:.1f}%: {documented} of {coverage.total} public classes, functions, "
        "methods and properties are referenced by a doc"
    )
    return "\n".join(lines) + "\n"
