"""`docsync check`: pull-request (`--base`), staged (`--staged`) and whole-repository modes."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TextIO

from docsync.answers import Answer, Question, keep, recall
from docsync.checks import run_check
from docsync.codec_values import BadEntry
from docsync.errors import RepoError, UsageError
from docsync.exit_codes import exit_code
from docsync.loader import STAGED, WORKTREE, Snapshot
from docsync.models import Diagnostic, DocScan, Report
from docsync.output import emit, to_stdout, wants_color
from docsync.render import render_report, text
from docsync.report_codec import decode_report, encode_report
from docsync.runlog import SILENT, RunLog, what_was_checked
from docsync.suppressions import unused_ignores
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
    output: str | None = None  # `-o FILE`; None or "-": stdout
    color: str = "auto"  # `--color`: auto, always or never
    quiet: bool = False  # the findings alone: no summary (the text format's; the others are whole documents)
    report_unused_ignores: bool = False  # list the `docsync: ignore` markers that hide nothing, and fail on them


def check(workspace: Workspace, options: CheckOptions, out: TextIO, log: RunLog = SILENT) -> int:
    """Run the check, print the report (or write it to `-o FILE`), and return the exit code (0 fresh, 1 failing)."""
    if options.hook:
        from docsync.precommit import hook_range

        chosen = hook_range(workspace.repo, os.environ)
        options = replace(options, base=chosen.base, head=chosen.head, staged=chosen.staged)
    if options.report_unused_ignores and (options.base is not None or options.staged):
        # A change's check sees only the findings the change caused: a marker hiding older drift would look unused.
        raise UsageError(
            "--report-unused-ignores works in whole-repository mode only",
            "run `docsync check --report-unused-ignores` without --base or --staged",
        )
    _exist(workspace, options)
    started = log.start()
    report = _report(workspace, options, log, started)
    workspace.report_diagnostics()
    started = log.start()
    color = options.format == "text" and to_stdout(options.output) and wants_color(options.color, out)
    emit(_render(report, options.format, color, options.quiet), options.output, out)
    log.done(started, f"wrote the {options.format} report to {options.output or 'stdout'}")
    threshold = options.fail_under or workspace.config.fail_under
    code = exit_code(report.score, threshold, report.findings, workspace.config.fail_on)
    return max(code, 1) if report.unused_ignores else code


def _report(workspace: Workspace, options: CheckOptions, log: RunLog, started: float) -> Report:
    """The check's report: kept from an identical run (same tree, settings, options and docsync), or made."""
    question = _question(workspace, options)
    key, answer = recall(workspace, question) if question is not None else (None, None)
    kept = _kept_report(answer)
    if answer is not None and kept is not None:
        answer.replay(workspace, log, started)
        return kept
    checked = run_check(workspace, options.base, options.head, options.staged, options.paths)
    report = checked.report
    if options.report_unused_ignores:
        scans = checked.scans
        if checked.carried_from is not None:  # it read only the docs it judged again: every doc's markers count
            scans = workspace.docs.scans(checked.head, workspace.docs.paths(checked.head))
        report = _with_unused_ignores(workspace, report, scans.values(), options.format)
    what = what_was_checked(checked)
    log.done(started, what)
    _warn_of_paths_without_docs(workspace, checked.head, options.paths)
    if question is not None:
        keep(workspace, question, key, Answer(encode_report(report), what, workspace.loader.diagnostics.sorted()))
    return report


def _kept_report(answer: Answer | None) -> Report | None:
    try:
        return decode_report(answer.result) if answer is not None else None
    except BadEntry:
        return None


def _question(workspace: Workspace, options: CheckOptions) -> Question | None:
    """What this check reads, as `answers` names it; None: it is never answered from a kept run (the unused
    ignores are printed as the check runs)."""
    if options.report_unused_ignores:
        return None
    repo = workspace.repo
    reads: tuple[str, ...]
    try:
        if options.base is None and not options.staged:
            reads = (repo.resolve(options.head) if options.head else WORKTREE,)
        else:
            head = repo.resolve(options.head) if options.head else STAGED if options.staged else repo.resolve("HEAD")
            reads = (repo.resolve(options.base) if options.base is not None else "", head)
    except RepoError:  # the check says why (or fetches the base a shallow clone lacks)
        return None
    return Question("check", reads, (options.paths,))


def _with_unused_ignores(workspace: Workspace, report: Report, scans: Iterable[DocScan], format: str) -> Report:
    """The report with the ignore markers that hid nothing (ruff's RUF100). Text and JSON list them; the other
    formats have no place for them, so they go to stderr, even under --quiet: never an exit 1 that says nothing."""
    unused = unused_ignores(scans, report.suppressed)
    if format not in ("text", "json"):
        for ignore in unused:
            where = f"{ignore.doc}:{ignore.line}:{ignore.column}"
            print(f"docsync: {where}: unused-ignore: `{ignore.marker}` suppresses nothing", file=workspace.stderr)
    return replace(report, unused_ignores=unused)


def _render(report: Report, format: str, color: bool, quiet: bool) -> str:
    if format == "text":
        return text.render(report, color=color, summary=not quiet)
    return render_report(report, format)


def _exist(workspace: Workspace, options: CheckOptions) -> None:
    """A PATH that is neither in the work tree nor at the revision checked is a typo: exit 2, not "all fresh"."""
    root = workspace.repo.root
    missing = [path for path in options.paths if not os.path.lexists(root / path)]
    if not missing:
        return
    # The revision checked: --head, else HEAD in pull-request mode, else the index (--staged) or the work tree.
    revision = options.head or ("HEAD" if options.base is not None else None)
    label = workspace.repo.resolve(revision) if revision else (STAGED if options.staged else WORKTREE)
    files = workspace.loader.snapshot(label).files
    for path in missing:
        if path not in files and not any(name.startswith(path + "/") for name in files):
            where = f" nor at {revision}" if revision else (" nor in the index" if options.staged else "")
            raise UsageError(f"{path}: no such file or folder in the work tree{where}", "check the PATH arguments")


def _warn_of_paths_without_docs(workspace: Workspace, head: Snapshot, paths: Sequence[str]) -> None:
    """A PATH that exists but that no doc glob matches: a warning, since the check found nothing there to check."""
    for path in paths:
        if not workspace.docs.paths(head, (path,)):
            why = "holds no doc docsync checks (see `docs` and `exclude` in the configuration)"
            workspace.loader.diagnostics.warn(Diagnostic(path, 0, why))
