"""GitLab CI glue: the merge-request pipeline's environment, and the Code Quality report format."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from docsync.errors import CiEventError
from docsync.models import Finding, Severity
from docsync.refnames import is_branch_name, is_object_name

CODE_QUALITY_FILE = "gl-code-quality-report.json"
_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
_HEX = "a hex commit id (4 to 64 hex digits)"
_HINT = "docsync reads the variables GitLab sets for merge-request pipelines; do not override them"


@dataclass(frozen=True)
class GitLabRun:
    api_url: str
    project_id: str
    token: str | None = field(default=None, repr=False)
    merge_request_iid: int | None = None
    base_sha: str | None = None
    target_branch: str | None = None


def is_gitlab_ci(env: Mapping[str, str]) -> bool:
    return env.get("GITLAB_CI") == "true"


def gitlab_run(env: Mapping[str, str]) -> GitLabRun:
    """CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID, ...; the token comes from DOCSYNC_GITLAB_TOKEN
    (CI_JOB_TOKEN cannot write notes).

    Raises:
        CiEventError: a merge-request variable is malformed (a base commit that is not hex, a bad branch name).
    """
    return GitLabRun(
        api_url=env.get("CI_API_V4_URL", "https://gitlab.com/api/v4").rstrip("/"),
        project_id=env.get("CI_PROJECT_ID", ""),
        token=env.get("DOCSYNC_GITLAB_TOKEN") or None,
        merge_request_iid=_number(env, "CI_MERGE_REQUEST_IID"),
        base_sha=_checked(
            env, "CI_MERGE_REQUEST_DIFF_BASE_SHA", is_object_name, "a hex commit id (4 to 64 hex digits)"
        ),
        target_branch=_checked(env, "CI_MERGE_REQUEST_TARGET_BRANCH_NAME", is_branch_name, "a branch name"),
    )


def _number(env: Mapping[str, str], name: str) -> int | None:
    value = env.get(name, "")
    if not value:
        return None
    if value.isascii() and value.isdigit() and int(value) > 0:
        return int(value)
    raise CiEventError(f"{name} must be a positive integer, not {value[:60]!r}", _HINT)


def _checked(env: Mapping[str, str], name: str, valid: Callable[[str], bool], what: str) -> str | None:
    """The variable's value when it is `what` (None when unset or empty); CiEventError naming it otherwise."""
    value = env.get(name, "")
    if not value:
        return None
    if valid(value):
        return value
    raise CiEventError(f"{name} must be {what}, not {value[:60]!r}", _HINT)


def code_quality(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """GitLab's Code Quality report (a CodeClimate subset), shown in the merge request's widget."""
    issues = []
    for finding in findings:
        identity = f"{finding.doc}\0{finding.kind.value}\0{finding.symbol}\0{finding.line}"
        issues.append(
            {
                "type": "issue",
                "check_name": f"docsync/{finding.kind.value}",
                "description": finding.message,
                "categories": ["Documentation"],
                "severity": _SEVERITY[finding.severity],
                "fingerprint": hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest(),
                "location": {"path": finding.doc, "lines": {"begin": finding.line}},
            }
        )
    return issues
