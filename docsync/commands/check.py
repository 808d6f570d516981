"""`docsync check`: pull-request (`--base`), staged (`--staged`) and whole-repository modes."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import TextIO

from docsync.checks import run_check
from docsync.exit_codes import exit_code
from docsync.render import render_report
from docsync.workspace import Workspace


@dataclass(frozen=True, slots=True)
class CheckOptions:
    base: str | None = None
    head: str | None = None
    staged: bool = False
    hook: bool = False  # decide base/head/staged from pre-commit's environment (`precommit.hook_range`)
    format: str = "text"
    fail_under: str | None = None
    paths: tuple[str, ...] = ()


def check(workspace: Workspace, options: CheckOptions, out: TextIO) -> int:
    """Run the check, print the report, and return the exit code (0 fresh, 1 failing)."""
    if options.hook:
        from docsync.precommit import hook_range

        chosen = hook_range(workspace.repo, os.environ)
        options = replace(options, base=chosen.base, head=chosen.head, staged=chosen.staged)
    report = run_check(workspace, options.base, options.head, options.staged, options.paths).report
    workspace.report_diagnostics()
    out.write(render_report(report, options.format, color=_wants_color(out, options.format)))
    threshold = options.fail_under or workspace.config.fail_under
    return exit_code(report.score, threshold, report.findings, workspace.config.fail_on)


def _wants_color(out: TextIO, format: str) -> bool:
    return format == "text" and out.isatty() and "NO_COLOR" not in os.environ
