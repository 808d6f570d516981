"""`docsync check`: pull-request (`--base`), staged (`--staged`) and whole-repository modes."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TextIO

from docsync.commands._pull_request import pull_request_report
from docsync.exit_codes import exit_code
from docsync.models import Report
from docsync.render import render_report
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
    threshold = options.fail_under or workspace.config.fail_under
    return exit_code(report.score, threshold, report.findings, workspace.config.fail_on)


def build_report(workspace: Workspace, options: CheckOptions) -> Report:
    if options.base is not None or options.staged:
        return pull_request_report(workspace, options.base, options.head, options.staged, options.paths)
    # Imported here: the pre-commit hook (--staged) never walks history, and its budget is 0.3 s.
    from docsync.commands._whole_repository import whole_repository_report

    return whole_repository_report(workspace, options.head, options.paths)


def _wants_color(out: TextIO, format: str) -> bool:
    return format == "text" and out.isatty() and "NO_COLOR" not in os.environ
