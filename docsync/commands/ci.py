"""`docsync ci`: the check a pull (or merge) request deserves, with annotations, summary, outputs and one comment.

On GitHub Actions it reads the standard environment; on GitLab CI the merge-request pipeline's.
Elsewhere (or outside a pull request) it checks the whole repository and writes the summary.
Only the change's own drift fails the run; drift already on the base branch is listed apart.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from docsync.checks import Checked
from docsync.checks.details import enrich
from docsync.checks.pull_request import check_change
from docsync.checks.whole_repository import check_repository
from docsync.errors import ConfigError, RepoError
from docsync.exit_codes import exit_code
from docsync.github.action import GitHubRun, append_summary, github_run, is_github_actions, write_outputs
from docsync.gitlab.context import CODE_QUALITY_FILE, GitLabRun, code_quality, gitlab_run, is_gitlab_ci
from docsync.models import Finding, Report, Severity
from docsync.render import github as github_annotations
from docsync.render import markdown
from docsync.render.html_page import render as render_html
from docsync.workspace import Workspace
from docsync.writing import write_text

MARKER = "<!-- docsync:comment -->"
FRESH_AGAIN = "### docsync: all docs are fresh again\n\nThe drift reported here earlier has been fixed or accepted."
# Without a token the API can only refuse (or, unreachable, cost its whole retry budget): no call is made at all.
NO_GITHUB_TOKEN = (
    "no pull-request comment: GITHUB_TOKEN is empty or unset, so docsync made no API call"
    " (the action passes its `token` input; in a step of your own set GITHUB_TOKEN: ${{ github.token }})."
)
NO_GITLAB_TOKEN = (
    "no merge-request note: DOCSYNC_GITLAB_TOKEN is empty or unset, so docsync made no API call"
    " (set it to a project access token with the api scope to get the note)."
)


@dataclass(frozen=True, slots=True)
class CiOptions:
    base: str | None = None
    comment: bool = True
    report: str = "docsync-report.html"
    fail_under: str | None = None
    sarif: str | None = None  # also write the findings as SARIF here (the Action's `sarif` input)


@dataclass(frozen=True, slots=True)
class Outcome:
    checked: Checked
    already_stale: tuple[Finding, ...]

    @property
    def report(self) -> Report:
        return self.checked.report


def ci_command(workspace: Workspace, options: CiOptions, out: TextIO, env: Mapping[str, str] | None = None) -> int:
    """Run the right check for this CI run, publish it everywhere it belongs, and return the exit code."""
    environment = dict(os.environ if env is None else env)
    budget = api_budget(environment)
    if is_gitlab_ci(environment):
        return _gitlab(workspace, options, out, gitlab_run(environment), budget)
    run = github_run(environment) if is_github_actions(environment) else None
    base = options.base or (_github_base(workspace, run) if run and run.pull_number else None)
    outcome = _check(workspace, base, run.head_sha if run else None)
    out.write(github_annotations.render(outcome.report))
    report_path = _write_html(workspace, outcome, options)
    _write_sarif(workspace, outcome, options)
    notes: list[str] = []
    if run is not None and run.pull_number is not None and options.comment:
        notes += [NO_GITHUB_TOKEN] if _no_token(run.token) else _sticky_github_comment(run, outcome, budget)
    summary = markdown.render(
        outcome.report, limit=markdown.SUMMARY_LIMIT - 4096, details_hint=f"see the HTML report ({report_path})",
        already_stale=outcome.already_stale,
    )  # fmt: skip
    failed = append_summary(run.summary_file if run else None, summary + "".join(f"\n> {note}\n" for note in notes))
    for note in notes:
        workspace.stderr.write(f"docsync: {note}\n")
    if failed is not None:
        workspace.stderr.write(f"docsync: warning: {failed}\n")
    write_outputs(run.output_file if run else None, _outputs(outcome.report, report_path))
    return _exit_code(workspace, outcome.report, options)


def _check(workspace: Workspace, base: str | None, head: str | None) -> Outcome:
    """The change's own findings; and, apart, what was already stale at its merge-base."""
    if base is None:
        return Outcome(check_repository(workspace, None, ()), ())
    checked = check_change(workspace, base, None, False, ())
    before = check_repository(workspace, checked.report.base or base, ()).report
    caused = {(f.doc, f.symbol, f.kind) for f in checked.report.findings}
    already = tuple(f for f in before.findings if (f.doc, f.symbol, f.kind) not in caused)
    return Outcome(checked, already)


def _github_base(workspace: Workspace, run: GitHubRun) -> str | None:
    """The pull request's base commit, fetched (and the clone deepened) when the checkout lacks it."""
    repo = workspace.repo
    base = run.base_sha or (f"origin/{run.base_ref}" if run.base_ref else None)
    if base is None:
        return None
    lacking = repo.is_shallow() or not repo.has_revision(base)
    if lacking and repo.deepen_until(base, "HEAD") is None and not repo.has_revision(base):
        raise RepoError(
            f"cannot fetch the pull request's base {base[:12]} in this shallow clone",
            "use fetch-depth: 0 in actions/checkout",
        )
    return base


def api_budget(env: Mapping[str, str]) -> float:
    """The seconds this run gives the GitHub or GitLab API in all: DOCSYNC_API_BUDGET, else rest.API_BUDGET."""
    from docsync.rest import API_BUDGET

    value = env.get("DOCSYNC_API_BUDGET", "").strip()
    if not value:
        return API_BUDGET
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise ConfigError(f"DOCSYNC_API_BUDGET must be a number of seconds above 0, not {value[:40]!r}")
    return seconds


def _no_token(token: str | None) -> bool:
    """Whether there is no token to call the API with (blank counts as none, as `rest` treats it)."""
    return not (token or "").strip()


def _sticky_github_comment(run: GitHubRun, outcome: Outcome, budget: float) -> list[str]:
    """Keep the pull request's one docsync comment up to date; a note for the log when that cannot be done
    (as when the API is down, too slow for `budget` seconds, or its pages never end)."""
    from docsync.github.api import GitHubClient
    from docsync.rest import ApiError, PermissionDenied, keep_sticky

    assert run.pull_number is not None
    client = GitHubClient(run.api_url, run.repository, run.token, budget=budget)
    try:
        keep_sticky(client.thread(run.pull_number), MARKER, _comment_body(outcome), FRESH_AGAIN)
    except PermissionDenied:
        why = "a pull request from a fork gets a read-only token" if run.from_fork else "the token is read-only"
        return [f"could not comment on the pull request ({why}); the findings are in the annotations and here."]
    except ApiError as error:
        return [f"could not update the pull-request comment: {error}"]
    finally:
        client.close()
    return []


def _comment_body(outcome: Outcome) -> str | None:
    """The comment to show, or None when there is nothing to say (no finding caused by this change)."""
    if not outcome.report.findings:
        return None
    hint = "see the HTML report artifact, or run `docsync check`"
    return markdown.render(
        outcome.report, limit=markdown.COMMENT_LIMIT, details_hint=hint, marker=MARKER,
        already_stale=outcome.already_stale,
    )  # fmt: skip


def _gitlab(workspace: Workspace, options: CiOptions, out: TextIO, run: GitLabRun, budget: float) -> int:
    base = options.base or run.base_sha or (f"origin/{run.target_branch}" if run.target_branch else None)
    if base is not None and run.merge_request_iid is not None and not workspace.repo.has_revision(base):
        workspace.repo.deepen_until(base, "HEAD")
    outcome = _check(workspace, base if run.merge_request_iid is not None else None, None)
    out.write(markdown.render(outcome.report, limit=markdown.SUMMARY_LIMIT, already_stale=outcome.already_stale))
    quality = json.dumps(code_quality(outcome.report.findings), indent=2)
    root = workspace.repo.root
    write_text(root / CODE_QUALITY_FILE, quality, "check that the repository folder is writable", within=root)
    _write_html(workspace, outcome, options)
    _write_sarif(workspace, outcome, options)
    if run.merge_request_iid is not None and options.comment:
        notes = [NO_GITLAB_TOKEN] if _no_token(run.token) else _sticky_gitlab_note(run, outcome, budget)
        for note in notes:
            workspace.stderr.write(f"docsync: {note}\n")
    return _exit_code(workspace, outcome.report, options)


def _sticky_gitlab_note(run: GitLabRun, outcome: Outcome, budget: float) -> list[str]:
    """Keep the merge request's one docsync note up to date; a note for the log when that cannot be done."""
    from docsync.gitlab.api import GitLabClient
    from docsync.rest import ApiError, PermissionDenied, keep_sticky

    assert run.merge_request_iid is not None
    client = GitLabClient(run.api_url, run.project_id, run.token, budget=budget)
    try:
        keep_sticky(client.thread(run.merge_request_iid), MARKER, _comment_body(outcome), FRESH_AGAIN)
    except PermissionDenied:
        return ["could not comment on the merge request: DOCSYNC_GITLAB_TOKEN is missing or cannot write notes."]
    except ApiError as error:
        return [f"could not update the merge-request note: {error}"]
    finally:
        client.close()
    return []


def _write_html(workspace: Workspace, outcome: Outcome, options: CiOptions) -> str:
    rich = enrich(workspace, outcome.checked, history=0)
    target = Path(options.report)
    # A relative path is in the repository, whose content (a pull request's) may put a link out of it there.
    within = None if target.is_absolute() else workspace.repo.root
    write_text(workspace.repo.root / target, render_html(rich), "choose another --report", within=within)
    return options.report


def _write_sarif(workspace: Workspace, outcome: Outcome, options: CiOptions) -> None:
    """The same findings for code scanning, so no second run is needed (on a pull request: the change's own)."""
    if not options.sarif:
        return
    from docsync.render import sarif

    target = Path(options.sarif)
    within = None if target.is_absolute() else workspace.repo.root  # as for the HTML report
    write_text(workspace.repo.root / target, sarif.render(outcome.report), "choose another --sarif", within=within)


def _outputs(report: Report, report_path: str) -> dict[str, str]:
    return {
        "score": f"{report.score:.1f}",
        "findings": str(len(report.findings)),
        "errors": str(sum(1 for f in report.findings if f.severity is Severity.ERROR)),
        "report": report_path,
    }


def _exit_code(workspace: Workspace, report: Report, options: CiOptions) -> int:
    threshold = options.fail_under or workspace.config.fail_under
    return exit_code(report.score, threshold, report.findings, workspace.config.fail_on)
