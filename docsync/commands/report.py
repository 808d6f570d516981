"""`docsync report`: the check's findings as a self-contained HTML page (or Markdown, JSON, text)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TextIO

from docsync.answers import Answer, Question, keep, recall
from docsync.checks import Checked, run_check
from docsync.errors import RepoError
from docsync.loader import WORKTREE
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
        text, score, findings = _report(workspace, options, log)
    workspace.report_diagnostics()
    target = options.output or (DEFAULT_OUTPUT if options.format == "html" else "-")
    emit(text, target, out)
    if not options.quiet and not to_stdout(target):
        out.write(f"Wrote {target}: freshness score {score:.1f}/100, {findings} findings\n")
    return 0


def _report(workspace: Workspace, options: ReportOptions, log: RunLog) -> tuple[str, float, int]:
    """The rendered report, its score and its count of findings: kept from the same run on the same tree, or made."""
    started = log.start()
    question = _question(workspace, options)
    key, answer = recall(workspace, question) if question is not None else (None, None)
    if answer is not None and _is_rendered(answer.result):
        answer.replay(workspace, log, started)
        text, score, findings = answer.result
        return text, score, findings
    checked = run_check(workspace, options.base, None, False, ())
    what = what_was_checked(checked)
    log.done(started, what)
    started = log.start()
    text = _render(workspace, checked, options)
    trend = f", with the trend over {options.history} commits" if options.format == "html" else ""
    log.done(started, f"rendered the {options.format} report{trend}")
    made = [text, checked.report.score, len(checked.report.findings)]
    if question is not None:
        keep(workspace, question, key, Answer(made, what, workspace.loader.diagnostics.sorted()))
    return text, checked.report.score, len(checked.report.findings)


def _question(workspace: Workspace, options: ReportOptions) -> Question | None:
    """What this report reads (see `answers`): the work tree, or the base and HEAD; and where its links point."""
    repo = workspace.repo
    try:
        reads = (WORKTREE,) if options.base is None else (repo.resolve(options.base), repo.resolve("HEAD"))
    except RepoError:  # the check says why
        return None
    return Question("report", reads, (options.format, options.history, repo.remote_url()))


def _is_rendered(result: Any) -> bool:
    return (
        isinstance(result, list)
        and len(result) == 3
        and isinstance(result[0], str)
        and isinstance(result[1], (int, float))
        and isinstance(result[2], int)
    )


def _render(workspace: Workspace, checked: Checked, options: ReportOptions) -> str:
    if options.format == "html":
        from docsync.checks.details import enrich  # the trend and the details are the HTML page's alone
        from docsync.render.html_page import render as render_html  # jinja2 loads only for HTML

        return render_html(enrich(workspace, checked, options.history))
    return render_report(checked.report, options.format)
