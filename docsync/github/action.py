"""GitHub Actions glue: the run's environment and event payload, step outputs and the step summary."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docsync.errors import CiEventError
from docsync.refnames import is_branch_name, is_object_name

PULL_REQUEST_EVENTS = frozenset({"pull_request", "pull_request_target"})
MAX_EVENT_BYTES = 64 * 1024 * 1024  # GitHub's payloads are kilobytes; a bigger file is not one of them
_EVENT = "GITHUB_EVENT_PATH"
_EVENT_HINT = "docsync reads the event file and variables the GitHub Actions runner sets; do not override them"


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
    """Read the standard environment (GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_API_URL, ...).

    Raises:
        CiEventError: the event file does not parse, or a field docsync reads has the wrong shape.
    """
    payload = _payload(env.get("GITHUB_EVENT_PATH"))
    pull = _optional_object(payload, "pull_request")
    base = _object(pull, "base", "pull_request.") if pull is not None else {}
    head = _object(pull, "head", "pull_request.") if pull is not None else {}
    head_repo = _optional_object(head, "repo", "pull_request.head.") or {}  # null: the fork was deleted
    head_repo_name = head_repo.get("full_name")
    repository = env.get("GITHUB_REPOSITORY", "")
    return GitHubRun(
        event_name=env.get("GITHUB_EVENT_NAME", ""),
        repository=repository,
        api_url=env.get("GITHUB_API_URL", "https://api.github.com").rstrip("/"),
        token=env.get("GITHUB_TOKEN") or env.get("INPUT_TOKEN") or None,
        pull_number=_pull_number(pull) if pull is not None else None,
        base_sha=_commit(base.get("sha"), f"{_EVENT}: pull_request.base.sha"),
        base_ref=_branch(base.get("ref"), f"{_EVENT}: pull_request.base.ref")
        or _branch(env.get("GITHUB_BASE_REF") or None, "GITHUB_BASE_REF"),
        head_sha=_commit(head.get("sha"), f"{_EVENT}: pull_request.head.sha")
        or _commit(env.get("GITHUB_SHA") or None, "GITHUB_SHA"),
        from_fork=bool(isinstance(head_repo_name, str) and repository and head_repo_name != repository),
        output_file=Path(env["GITHUB_OUTPUT"]) if env.get("GITHUB_OUTPUT") else None,
        summary_file=Path(env["GITHUB_STEP_SUMMARY"]) if env.get("GITHUB_STEP_SUMMARY") else None,
    )


def _payload(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    try:
        if Path(path).stat().st_size > MAX_EVENT_BYTES:
            raise CiEventError(f"{_EVENT}: {path} is larger than 64 MB", _EVENT_HINT)
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CiEventError(f"cannot read the event payload {path}: {error}", _EVENT_HINT) from None
    except RecursionError:  # `[[[[...` 100,000 deep: json's C decoder gives up at the recursion limit
        raise CiEventError(f"{_EVENT}: {path} is nested too deeply to read", _EVENT_HINT) from None
    if not isinstance(data, dict):
        raise CiEventError(f"{_EVENT}: the event must be a JSON object, not {_kind(data)}", _EVENT_HINT)
    return data


def _object(data: Mapping[str, Any], key: str, where: str = "") -> dict[str, Any]:
    """`data[key]`, which must be a JSON object (CiEventError naming the field otherwise)."""
    value = _optional_object(data, key, where)
    if value is None:
        raise CiEventError(f"{_EVENT}: {where}{key} must be an object, not {_kind(None)}", _EVENT_HINT)
    return value


def _optional_object(data: Mapping[str, Any], key: str, where: str = "") -> dict[str, Any] | None:
    """`data[key]` when it is a JSON object, None when it is absent or null; CiEventError for anything else."""
    value = data.get(key)
    if value is None or isinstance(value, dict):
        return value
    raise CiEventError(f"{_EVENT}: {where}{key} must be an object, not {_kind(value)}", _EVENT_HINT)


def _pull_number(pull: Mapping[str, Any]) -> int:
    number = pull.get("number")
    if isinstance(number, int) and not isinstance(number, bool) and number > 0:
        return number
    raise CiEventError(f"{_EVENT}: pull_request.number must be a positive integer, not {_kind(number)}", _EVENT_HINT)


def _commit(value: object, field: str) -> str | None:
    """A commit id from the event or the environment: hex only, so git can never read it as an option."""
    if value is None:
        return None
    if isinstance(value, str) and is_object_name(value):
        return value
    raise CiEventError(f"{field} must be a hex commit id (4 to 64 hex digits), not {_kind(value)}", _EVENT_HINT)


def _branch(value: object, field: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and is_branch_name(value):
        return value
    problem = "must be a branch name (as git check-ref-format allows)"
    raise CiEventError(f"{field} {problem}, not {_kind(value)}", _EVENT_HINT)


def _kind(value: object) -> str:
    """How a JSON value is named in messages: its type, or the string itself (shortened, escaped, one line)."""
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57]) + "..."
    names = {dict: "an object", list: "an array", bool: "a boolean", int: "a number", float: "a number"}
    return "null (or missing)" if value is None else names.get(type(value), type(value).__name__)


def write_outputs(path: Path | None, values: Mapping[str, str]) -> None:
    """Append step outputs to $GITHUB_OUTPUT, in the heredoc form so no value can forge another output.

    Raises:
        CiEventError: the file cannot be written; later steps of the workflow need these outputs.
    """
    if path is None:
        return
    try:
        # surrogateescape: a --report path that is not UTF-8 goes out as the bytes it was.
        with path.open("a", encoding="utf-8", errors="surrogateescape") as stream:
            for name, value in values.items():
                delimiter = f"docsync_{uuid.uuid4().hex}"
                stream.write(f"{name}<<{delimiter}{os.linesep}{value}{os.linesep}{delimiter}{os.linesep}")
    except (OSError, ValueError) as error:
        raise CiEventError(
            f"GITHUB_OUTPUT: cannot write the step outputs to {path}: {_reason(error)}",
            "GITHUB_OUTPUT must name a writable file (the runner sets it; do not override it)",
        ) from None


def append_summary(path: Path | None, markdown: str) -> str | None:
    """Append to $GITHUB_STEP_SUMMARY; the reason it could not, for a warning (the summary is best effort)."""
    if path is None:
        return None
    try:
        with path.open("a", encoding="utf-8", errors="replace") as stream:
            stream.write(markdown if markdown.endswith("\n") else markdown + "\n")
    except OSError as error:
        return f"GITHUB_STEP_SUMMARY: cannot write the step summary to {path}: {_reason(error)}; going on without it"
    return None


def _reason(error: Exception) -> str:
    return error.strerror if isinstance(error, OSError) and error.strerror else str(error) or type(error).__name__
