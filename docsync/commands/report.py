"""`docsync report`: the check's findings as a self-contained HTML page (or Markdown, JSON, text)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from docsync.checks import Checked, run_check
from docsync.output import emit, to_stdout
from docsync.progress import status
from docsync.render import render_report
from docsync.runlog import SILENT, RunLog, what_was_checked
from docsync.workspace import Workspace

DEFAULT_OUTPUT = "docsync-report.html"


@dataclass(frozen=True, slots=True)
class ReportOptions:
    format: str = "html"
    output: str | None = None
    history: int = 30
    base: str | None = None
    quiet: bool = False  # no "Wrote FILE" line


def report_command(workspace: Workspace, options: ReportOptions, out: TextIO, log: RunLog = SILENT) -> int:
    """Write the report (HTML to `docsync-report.html` unless told otherwise); 0 unless docsync itself failed."""
    # One status around the check and the rendering: the gap between them is never a silent second.
    with status("docsync: writing the report", workspace.progress_stream):
        started = log.start()
        checked = run_check(workspace, options.base, None, False, ())
        report = checked.report
        log.done(started, what_was_checked(checked))
        started = log.start()
        text = _render(workspace, checked, options)
    trend = f", with the trend over {options.history} commits" if options.format == "html" else ""
    log.done(started, f"rendered the {options.format} report{trend}")
    workspace.report_diagnostics()
    target = options.output or (DEFAULT_OUTPUT if options.format == "html" else "-")
    emit(text, target, out)
    if not options.quiet and not to_stdout(target):
        out.write(f"Wrote {target}: freshness score {report.score:.1f}/100, {len(report.findings)} findings\n")
    return 0


def _render(workspace: Workspace, checked: Checked, options: ReportOptions) -> str:
    if options.format == "html":
        from docsync.checks.details import enrich  # the trend and the details are the HTML page's alone
        from docsync.render.html_page import render as render_html  # jinja2 loads only for HTML

        return render_html(enrich(workspace, checked, options.history))
    return render_report(checked.report, options.format)
