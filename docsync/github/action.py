"""GitHub Actions glue: the run's environment and event payload, step outputs and the step summary."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docsync.errors import UsageError

PULL_REQUEST_EVENTS = frozenset({"pull_request", "pull_request_target"})


@dataclass(frozen=True)
class GitHubRun:
    """What docsync needs to know about the workflow run it is in (`token` is never printed: repr=False)."""

    event_name: str
    repository: str
    api_url: str
    token: str | None = field(default=None, repr=False)
    pull_number: int | None = None
    base_sha: str | None = None
    base_ref: str | None = None
    head_sha: str | None = None
    from_fork: bool = False
    output_file: Path | None = None
    summary_file: Path | None = None


def is_github_actions(env: Mapping[str, str]) -> bool:
    return env.get("GITHUB_ACTIONS") == "true" or "GITHUB_EVENT_PATH" in env


def github_run(env: Mapping[str, str]) -> GitHubRun:
    """Read the standard environment (GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_API_URL, ...)."""
    event_name = env.get("GITHUB_EVENT_NAME", "")
    payload = _payload(env.get("GITHUB_EVENT_PATH"))
    pull = payload.get("pull_request") if isinstance(payload.get("pull_request"), dict) else None
    base = pull.get("base", {}) if pull else {}
    head = pull.get("head", {}) if pull else {}
    repository = env.get("GITHUB_REPOSITORY", "")
    head_repo = (head.get("repo") or {}).get("full_name") if isinstance(head.get("repo"), dict) else None
    return GitHubRun(
        event_name=event_name,
        repository=repository,
        api_url=env.get("GITHUB_API_URL", "https://api.github.com").rstrip("/"),
        token=env.get("GITHUB_TOKEN") or env.get("INPUT_TOKEN") or None,
        pull_number=int(pull["number"]) if pull and isinstance(pull.get("number"), int) else None,
        base_sha=base.get("sha") if isinstance(base.get("sha"), str) else None,
        base_ref=base.get("ref") if isinstance(base.get("ref"), str) else env.get("GITHUB_BASE_REF") or None,
        head_sha=head.get("sha") if isinstance(head.get("sha"), str) else env.get("GITHUB_SHA") or None,
        from_fork=bool(head_repo and repository and head_repo != repository),
        output_file=Path(env["GITHUB_OUTPUT"]) if env.get("GITHUB_OUTPUT") else None,
        summary_file=Path(env["GITHUB_STEP_SUMMARY"]) if env.get("GITHUB_STEP_SUMMARY") else None,
    )


def _payload(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read the event payload {path}: {error}", "is GITHUB_EVENT_PATH right?") from None
    return data if isinstance(data, dict) else {}


def write_outputs(path: Path | None, values: Mapping[str, str]) -> None:
    """Append step outputs to $GITHUB_OUTPUT, in the heredoc form so no value can forge another output."""
    if path is None:
        return
    with path.open("a", encoding="utf-8") as stream:
        for name, value in values.items():
            delimiter = f"docsync_{uuid.uuid4().hex}"
            stream.write(f"{name}<<{delimiter}{os.linesep}{value}{os.linesep}{delimiter}{os.linesep}")


def append_summary(path: Path | None, markdown: str) -> None:
    if path is None:
        return
    with path.open("a", encoding="utf-8") as stream:
        stream.write(markdown if markdown.endswith("\n") else markdown + "\n")
