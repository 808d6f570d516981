"""GitLab CI glue: the merge-request pipeline's environment, and the Code Quality report format."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from docsync.models import Finding, Severity

CODE_QUALITY_FILE = "gl-code-quality-report.json"
_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


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
    (CI_JOB_TOKEN cannot write merge-request notes)."""
    iid = env.get("CI_MERGE_REQUEST_IID", "")
    return GitLabRun(
        api_url=env.get("CI_API_V4_URL", "https://gitlab.com/api/v4").rstrip("/"),
        project_id=env.get("CI_PROJECT_ID", ""),
        token=env.get("DOCSYNC_GITLAB_TOKEN") or None,
        merge_request_iid=int(iid) if iid.isdigit() else None,
        base_sha=env.get("CI_MERGE_REQUEST_DIFF_BASE_SHA") or None,
        target_branch=env.get("CI_MERGE_REQUEST_TARGET_BRANCH_NAME") or None,
    )


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
