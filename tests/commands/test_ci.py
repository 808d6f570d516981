"""`docsync ci` end to end: a real repository, an event payload, real output files, a fake GitHub/GitLab API."""

from __future__ import annotations

import io
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from docsync.commands.ci import NO_GITHUB_TOKEN, NO_GITLAB_TOKEN, CiOptions, ci_command
from docsync.workspace import open_workspace
from tests.conftest import Repo, Result, git_env, run
from tests.github.fake_github import (
    READ_ONLY_TOKEN,
    TOKEN,
    FakeGitHub,
    run_fake_github,
    server_error,
    too_many_requests,
    trickled_answer,
)
from tests.github.fake_gitlab import TOKEN as GITLAB_TOKEN
from tests.github.fake_gitlab import FakeGitLab, run_fake_gitlab

CART = (
    "def add_item(cart, item, qty=1):\n    if qty < 1:\n        raise ValueError(qty)\n    cart.append((item, qty))\n"
)
GUIDE = "# Guide\n\nCall `shop.cart.add_item` to fill a cart.\nPass `qty` to add several.\n\n## Old\n\nSee `shop.cart.long_gone`.\n"
MARKER = "<!-- docsync:comment -->"
# The project once had `long_gone`, which the guide still names: drift already on the base branch.
WITH_LONG_GONE = {"shop/__init__.py": "", "shop/cart.py": CART + "\n\ndef long_gone():\n    return 1\n"}


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with run_fake_github(repository="octo/shop") as server:
        yield server


@pytest.fixture
def pull_request(git_repo: Repo, tmp_path: Path) -> tuple[Repo, dict[str, str], Path]:
    """main with the project; a feature branch (checked out) that changes add_item's signature."""
    git_repo.commit(WITH_LONG_GONE, "the project with long_gone")
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE}, "base")
    git_repo.git("checkout", "-q", "-b", "feature")
    head = git_repo.commit({"shop/cart.py": CART.replace("qty=1", "count=1").replace("qty", "count")}, "rename qty")
    event = tmp_path / "event.json"
    write_event(event, base, head)
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_REPOSITORY": "octo/shop",
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_SHA": head,
        "GITHUB_BASE_REF": "main",
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    return git_repo, env, tmp_path


def write_event(path: Path, base: str, head: str, head_repo: str = "octo/shop") -> None:
    pull = {
        "number": 7,
        "base": {"sha": base, "ref": "main", "repo": {"full_name": "octo/shop"}},
        "head": {"sha": head, "ref": "feature", "repo": {"full_name": head_repo}},
    }
    path.write_text(json.dumps({"action": "synchronize", "pull_request": pull}), encoding="utf-8")


def ci(repo: Repo | Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return run(repo, "ci", *args)


def outputs(path: Path) -> dict[str, str]:
    """Parse $GITHUB_OUTPUT's `name<<DELIMITER ... DELIMITER` blocks."""
    values, lines = {}, path.read_text(encoding="utf-8").splitlines()
    while lines:
        name, _, delimiter = lines.pop(0).partition("<<")
        value = []
        while lines[0] != delimiter:
            value.append(lines.pop(0))
        lines.pop(0)
        values[name] = "\n".join(value)
    return values


def test_first_run_comments_second_edits_fixed_docs_say_fresh_again(
    pull_request: tuple[Repo, dict[str, str], Path], fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, env, tmp = pull_request
    env["GITHUB_API_URL"] = fake.url
    fake.add_comments(7, *(f"chatter {n}" for n in range(140)))  # ours lands on page 2 of 100

    first = ci(repo, env, monkeypatch)
    assert first.code == 1, first
    assert first.out.startswith("::error file=docs/guide.md,line=4,col=7,title=docsync signature::")
    bodies = fake.bodies(7)
    assert len(bodies) == 141
    assert bodies[-1].startswith(MARKER)
    assert "parameter <code>qty</code> renamed to <code>count</code>" in bodies[-1]
    assert "Already stale on the base branch" in bodies[-1]  # `long_gone` was stale before this PR
    summary = (tmp / "summary.md").read_text(encoding="utf-8")
    assert "### docsync: 1 doc drifted" in summary
    assert outputs(tmp / "output") == {"score": outputs(tmp / "output")["score"], "findings": "1", "errors": "1",
                                       "report": "docsync-report.html"}  # fmt: skip
    assert (repo.path / "docsync-report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    repo.commit({"shop/cart.py": CART.replace("qty=1", "count=1").replace("qty", "count") + "\n# tidy\n"}, "again")
    second = ci(repo, env, monkeypatch)
    assert second.code == 1
    assert len(fake.bodies(7)) == 141  # edited in place, not posted again
    patches = [r for r in fake.requests if r.method == "PATCH"]
    assert len(patches) <= 1  # identical body: no edit needed

    repo.commit({"docs/guide.md": GUIDE.replace("to fill a cart.", "to fill a cart, `count` at a time.")}, "doc fix")
    third = ci(repo, env, monkeypatch)
    assert third.code == 0, third
    assert len(fake.bodies(7)) == 141
    assert (
        fake.bodies(7)[-1]
        == f"{MARKER}\n### docsync: all docs are fresh again\n\nThe drift reported here earlier has been fixed or accepted.\n"
    )


def test_no_comment_when_there_was_never_anything_to_say(
    pull_request: tuple[Repo, dict[str, str], Path], fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, env, _ = pull_request
    repo.commit({"docs/guide.md": GUIDE.replace("to fill a cart.", "to fill a cart, `count` at a time.")}, "doc fix")
    env["GITHUB_API_URL"] = fake.url
    assert ci(repo, env, monkeypatch).code == 0
    assert fake.bodies(7) == []
    assert not [r for r in fake.requests if r.method in ("POST", "PATCH")]


def test_fork_read_only_token(
    pull_request: tuple[Repo, dict[str, str], Path], fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, env, tmp = pull_request
    write_event(Path(env["GITHUB_EVENT_PATH"]), repo.git("rev-parse", "main"), env["GITHUB_SHA"], head_repo="fork/shop")
    env.update(GITHUB_API_URL=fake.url, GITHUB_TOKEN=READ_ONLY_TOKEN)
    result = ci(repo, env, monkeypatch)
    assert result.code == 1  # for the drift, not for the comment
    assert "::error file=docs/guide.md" in result.out
    summary = (tmp / "summary.md").read_text(encoding="utf-8")
    assert "could not comment on the pull request (a pull request from a fork gets a read-only token)" in summary
    assert fake.bodies(7) == []
    assert READ_ONLY_TOKEN not in result.out + result.err + summary


def test_transient_failures_are_retried_and_the_token_never_shows(
    pull_request: tuple[Repo, dict[str, str], Path], fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, env, tmp = pull_request
    env["GITHUB_API_URL"] = fake.url
    fake.script(server_error(502), too_many_requests(retry_after=1))
    result = ci(repo, env, monkeypatch, "--debug")
    assert result.code == 1
    assert len(fake.bodies(7)) == 1
    everything = result.out + result.err + (tmp / "summary.md").read_text() + (tmp / "output").read_text()
    assert TOKEN not in everything


def test_api_down_does_not_fail_the_check(
    pull_request: tuple[Repo, dict[str, str], Path], fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, env, _ = pull_request
    repo.commit({"docs/guide.md": GUIDE.replace("to fill a cart.", "to fill a cart, `count` at a time.")}, "doc fix")
    env["GITHUB_API_URL"] = fake.url
    fake.script(*[server_error(503)] * 10)
    result = ci(repo, env, monkeypatch)
    assert result.code == 0
    assert "could not update the pull-request comment" in result.err


def test_no_comment_option(
    pull_request: tuple[Repo, dict[str, str], Path], fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, env, _ = pull_request
    env["GITHUB_API_URL"] = fake.url
    assert ci(repo, env, monkeypatch, "--no-comment").code == 1
    assert fake.requests == []


@pytest.mark.parametrize("token", [None, "", "  \n"], ids=["unset", "empty", "blank"])
def test_no_token_makes_no_api_call(
    pull_request: tuple[Repo, dict[str, str], Path],
    fake: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    token: str | None,
) -> None:
    """Without a token the API can only refuse, or (unreachable) cost its whole retry budget: no call at all."""
    repo, env, tmp = pull_request
    env["GITHUB_API_URL"] = fake.url
    monkeypatch.delenv("INPUT_TOKEN", raising=False)
    if token is None:
        del env["GITHUB_TOKEN"]
        monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    else:
        env["GITHUB_TOKEN"] = token
    result = ci(repo, env, monkeypatch)
    assert fake.requests == []
    assert result.code == 1, result  # by the findings alone
    assert "::error file=docs/guide.md" in result.out
    note = "no pull-request comment: GITHUB_TOKEN is empty or unset, so docsync made no API call"
    assert [line for line in result.err.splitlines() if "API" in line] == [f"docsync: {NO_GITHUB_TOKEN}"]
    assert note in NO_GITHUB_TOKEN
    assert f"> {NO_GITHUB_TOKEN}" in (tmp / "summary.md").read_text(encoding="utf-8")
    assert outputs(tmp / "output")["findings"] == "1"


def test_with_a_token_the_same_run_calls_the_api(
    pull_request: tuple[Repo, dict[str, str], Path], fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The counterpart of the test above: the same run with a token reads the comments once and posts one."""
    repo, env, tmp = pull_request
    env["GITHUB_API_URL"] = fake.url
    result = ci(repo, env, monkeypatch)
    assert result.code == 1, result
    assert [r.method for r in fake.requests] == ["GET", "POST"]
    assert NO_GITHUB_TOKEN not in (tmp / "summary.md").read_text(encoding="utf-8")


def ci_in_process(repo: Repo, env: dict[str, str], options: CiOptions) -> Result:
    """`ci_command` itself, with its options as records."""
    out, err = io.StringIO(), io.StringIO()
    with open_workspace(repo.path, stderr=err, show_progress=False) as workspace:
        code = ci_command(workspace, options, out, env)
    return Result(code, out.getvalue(), err.getvalue())


def test_sarif_holds_the_same_findings_as_the_annotations(
    pull_request: tuple[Repo, dict[str, str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Action's `sarif` input (`--sarif`): the run's own findings for code scanning, without a second run."""
    repo, env, tmp = pull_request
    result = ci(repo, env, monkeypatch, "--no-comment", "--sarif", "out/docsync.sarif")
    assert result.code == 1, result
    sarif = json.loads((repo.path / "out" / "docsync.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    [results] = [run["results"] for run in sarif["runs"]]
    locations = [r["locations"][0]["physicalLocation"] for r in results]
    assert [(loc["artifactLocation"]["uri"], loc["region"]["startLine"]) for loc in locations] == [("docs/guide.md", 4)]
    assert "::error file=docs/guide.md,line=4," in result.out  # the same finding the annotations show
    assert outputs(tmp / "output")["findings"] == "1"


def test_no_sarif_unless_asked(pull_request: tuple[Repo, dict[str, str], Path]) -> None:
    repo, env, _ = pull_request
    assert ci_in_process(repo, env, CiOptions(comment=False)).code == 1
    assert not list(repo.path.rglob("*.sarif"))


def test_push_event_checks_the_whole_repository(
    pull_request: tuple[Repo, dict[str, str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, env, tmp = pull_request
    Path(env["GITHUB_EVENT_PATH"]).write_text(json.dumps({"ref": "refs/heads/main"}), encoding="utf-8")
    env["GITHUB_EVENT_NAME"] = "push"
    result = ci(repo, env, monkeypatch)
    assert "shop.cart.long_gone" in (tmp / "summary.md").read_text(encoding="utf-8")
    assert result.code == 1


def test_shallow_clone_is_deepened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeGitHub) -> None:
    origin = Repo(tmp_path / "origin")
    base = origin.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE}, "base")
    for n in range(5):
        origin.commit({f"notes/{n}.txt": str(n)}, f"unrelated {n}")
    origin.git("checkout", "-q", "-b", "feature")
    head = origin.commit({"shop/cart.py": CART.replace("qty=1", "count=1").replace("qty", "count")}, "rename qty")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{origin.path}", str(clone)],
                   check=True, env=git_env())  # fmt: skip
    assert (clone / ".git" / "shallow").exists()
    event = tmp_path / "event.json"
    write_event(event, origin.git("rev-parse", "main"), head)
    env = {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event),
           "GITHUB_REPOSITORY": "octo/shop", "GITHUB_API_URL": fake.url, "GITHUB_TOKEN": TOKEN}  # fmt: skip
    result = ci(clone, env, monkeypatch)
    assert result.code == 1, result
    assert "docs/guide.md" in result.out
    assert base  # the merge-base was reachable only after deepening


def test_shallow_clone_that_cannot_be_deepened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    origin = Repo(tmp_path / "origin")
    origin.commit({"shop/cart.py": CART}, "one")
    head = origin.commit({"shop/cart.py": CART + "\n"}, "two")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{origin.path}", str(clone)], check=True, env=git_env()
    )
    subprocess.run(["git", "remote", "remove", "origin"], cwd=clone, check=True, env=git_env())
    event = tmp_path / "event.json"
    write_event(event, "0" * 39 + "1", head)
    env = {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event),
           "GITHUB_REPOSITORY": "octo/shop"}  # fmt: skip
    result = ci(clone, env, monkeypatch)
    assert result.code == 2
    assert "fetch-depth: 0" in result.err


# --- GitLab ---------------------------------------------------------------------------------------


@pytest.fixture
def gitlab() -> Iterator[FakeGitLab]:
    with run_fake_gitlab() as server:
        yield server


def test_gitlab_merge_request_note_and_code_quality(
    git_repo: Repo, gitlab: FakeGitLab, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE}, "base")
    git_repo.commit({"shop/cart.py": CART.replace("qty=1", "count=1").replace("qty", "count")}, "rename qty")
    gitlab.add_notes(3, *(f"chatter {n}" for n in range(45)))
    env = {"GITLAB_CI": "true", "CI_API_V4_URL": gitlab.url, "CI_PROJECT_ID": str(gitlab.project_id),
           "CI_MERGE_REQUEST_IID": "3", "CI_MERGE_REQUEST_DIFF_BASE_SHA": base,
           "DOCSYNC_GITLAB_TOKEN": GITLAB_TOKEN}  # fmt: skip
    first = ci(git_repo, env, monkeypatch)
    assert first.code == 1
    assert gitlab.bodies(3)[-1].startswith(MARKER)
    quality = json.loads((git_repo.path / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert [(q["location"]["path"], q["location"]["lines"]["begin"], q["severity"]) for q in quality] == [
        ("docs/guide.md", 4, "major")
    ]
    assert ci(git_repo, env, monkeypatch).code == 1
    assert len(gitlab.bodies(3)) == 46
    git_repo.commit({"docs/guide.md": GUIDE.replace("to fill a cart.", "to fill a cart, `count` at a time.")})
    assert ci(git_repo, env, monkeypatch).code == 0
    assert "all docs are fresh again" in gitlab.bodies(3)[-1]
    assert GITLAB_TOKEN not in first.out + first.err


@pytest.mark.parametrize("token", [None, "", GITLAB_TOKEN], ids=["unset", "empty", "with-token"])
def test_gitlab_without_a_token_makes_no_api_call(
    git_repo: Repo, gitlab: FakeGitLab, monkeypatch: pytest.MonkeyPatch, token: str | None
) -> None:
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE}, "base")
    git_repo.commit({"shop/cart.py": CART.replace("qty=1", "count=1").replace("qty", "count")}, "rename qty")
    env = {"GITLAB_CI": "true", "CI_API_V4_URL": gitlab.url, "CI_PROJECT_ID": str(gitlab.project_id),
           "CI_MERGE_REQUEST_IID": "3", "CI_MERGE_REQUEST_DIFF_BASE_SHA": base}  # fmt: skip
    monkeypatch.delenv("DOCSYNC_GITLAB_TOKEN", raising=False)
    if token is not None:
        env["DOCSYNC_GITLAB_TOKEN"] = token
    result = ci(git_repo, env, monkeypatch)
    assert result.code == 1, result  # by the findings alone
    assert (git_repo.path / "gl-code-quality-report.json").exists()
    if token:
        assert [r.method for r in gitlab.requests] == ["GET", "POST"]
        assert NO_GITLAB_TOKEN not in result.err
    else:
        assert gitlab.requests == []
        assert [line for line in result.err.splitlines() if "API" in line] == [f"docsync: {NO_GITLAB_TOKEN}"]
        assert "DOCSYNC_GITLAB_TOKEN is empty or unset, so docsync made no API call" in NO_GITLAB_TOKEN


# --- hostile events (issue 13): a bad event is exit 2 naming the field; nothing from it runs ------


def test_an_option_as_the_base_sha_runs_nothing(
    pull_request: tuple[Repo, dict[str, str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The exploit: `git fetch origin <base.sha>` with base.sha `--upload-pack=...` ran a command."""
    repo, env, tmp = pull_request
    origin = tmp / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(origin)], check=True, env=git_env())
    repo.git("remote", "add", "origin", str(origin))
    pwned = tmp / "pwned"
    event = json.loads(Path(env["GITHUB_EVENT_PATH"]).read_text(encoding="utf-8"))
    event["pull_request"]["base"]["sha"] = f"--upload-pack=touch {pwned};true"
    Path(env["GITHUB_EVENT_PATH"]).write_text(json.dumps(event), encoding="utf-8")
    result = ci(repo, env, monkeypatch, "--no-comment")
    assert not pwned.exists()
    assert result.code == 2, result
    assert result.err.startswith("docsync: error: GITHUB_EVENT_PATH: pull_request.base.sha must be a hex commit id")
    assert len(result.err.splitlines()) == 1


PULL = {
    "number": 7,
    "base": {"sha": "a" * 40, "ref": "main"},
    "head": {"sha": "b" * 40, "repo": {"full_name": "octo/shop"}},
}


def _with(path: str, value: object) -> str:
    """The PULL event with the field at `path` (dotted, under pull_request) set to `value`."""
    pull = json.loads(json.dumps(PULL))
    *parents, last = path.split(".")
    target = pull
    for parent in parents:
        target = target[parent]
    target[last] = value
    return json.dumps({"action": "opened", "pull_request": pull})


@pytest.mark.parametrize(
    ("event", "message"),
    [
        pytest.param(_with("base", "main"), "pull_request.base must be an object, not 'main'", id="base-a-string"),
        pytest.param(_with("head", None), "pull_request.head must be an object, not null (or missing)", id="head-null"),
        pytest.param(json.dumps({"pull_request": [1]}), "pull_request must be an object, not an array", id="pr-array"),
        pytest.param(_with("number", "7"), "pull_request.number must be a positive integer, not '7'", id="number-text"),
        pytest.param(_with("number", True), "pull_request.number must be a positive integer, not a boolean", id="bool"),
        pytest.param(
            _with("base.sha", 42),
            "pull_request.base.sha must be a hex commit id (4 to 64 hex digits), not a number",
            id="sha-number",
        ),
        pytest.param(_with("base.sha", "HEAD~1"), "pull_request.base.sha must be a hex commit id", id="sha-not-hex"),
        pytest.param(
            _with("head.sha", "x" * 500),
            "pull_request.head.sha must be a hex commit id (4 to 64 hex digits), not 'xxx",
            id="long",
        ),
        pytest.param(_with("base.ref", "-main"), "pull_request.base.ref must be a branch name", id="ref-option"),
        pytest.param(_with("base.ref", "a..b"), "pull_request.base.ref must be a branch name", id="ref-dots"),
        pytest.param(
            _with("base.ref", "a\nb"),
            "pull_request.base.ref must be a branch name (as git check-ref-format allows), not 'a\\nb'",
            id="ref-newline",
        ),
        pytest.param(
            _with("head.repo", "fork/shop"),
            "pull_request.head.repo must be an object, not 'fork/shop'",
            id="repo-string",
        ),
        pytest.param("[" * 100_000 + "]" * 100_000, "is nested too deeply to read", id="nested-100000-deep"),
        pytest.param(
            '{"pull_request": ' * 100_000 + "{}" + "}" * 100_000, "is nested too deeply to read", id="objects-deep"
        ),
        pytest.param("[]", "the event must be a JSON object, not an array", id="top-level-array"),
        pytest.param('{"pull_request": ', "cannot read the event payload", id="not-json"),
        pytest.param(b'{"a": "\xff"}', "cannot read the event payload", id="not-utf8"),
    ],
)
def test_a_malformed_event_is_one_line_naming_the_field(
    pull_request: tuple[Repo, dict[str, str], Path], monkeypatch: pytest.MonkeyPatch, event: str | bytes, message: str
) -> None:
    repo, env, tmp = pull_request
    path = Path(env["GITHUB_EVENT_PATH"])
    path.write_bytes(event if isinstance(event, bytes) else event.encode("utf-8"))
    result = ci(repo, env, monkeypatch, "--no-comment")
    assert result.code == 2, result
    assert result.out == ""
    assert len(result.err.splitlines()) == 1, result.err
    assert result.err.startswith("docsync: error: "), result.err
    assert message in result.err, result.err
    if "cannot read" not in message:
        assert result.err.startswith("docsync: error: GITHUB_EVENT_PATH: "), result.err
    assert not (tmp / "output").exists()
    assert not (tmp / "summary.md").exists()


@pytest.mark.parametrize(
    ("name", "value"),
    [("GITHUB_SHA", "--output=x"), ("GITHUB_SHA", "main"), ("GITHUB_BASE_REF", "--upload-pack=touch x;true")],
)
def test_a_malformed_variable_is_one_line_naming_it(
    pull_request: tuple[Repo, dict[str, str], Path], monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    repo, env, _ = pull_request
    Path(env["GITHUB_EVENT_PATH"]).write_text(json.dumps({"pull_request": {"number": 7, "base": {}, "head": {}}}))
    result = ci(repo, {**env, name: value}, monkeypatch, "--no-comment")
    assert result.code == 2, result
    assert result.err.startswith(f"docsync: error: {name} must be a "), result.err
    assert not (repo.path / "x").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("CI_MERGE_REQUEST_DIFF_BASE_SHA", "must be a hex commit id (4 to 64 hex digits)"),
        ("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "must be a branch name"),
    ],
)
def test_gitlab_an_option_as_the_base_runs_nothing(
    git_repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, message: str
) -> None:
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE}, "base")
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(git_repo.path), str(origin)], check=True, env=git_env())
    git_repo.git("remote", "add", "origin", str(origin))
    pwned = tmp_path / "pwned"
    env = {"GITLAB_CI": "true", "CI_PROJECT_ID": "1", "CI_MERGE_REQUEST_IID": "3",
           name: f"--upload-pack=touch {pwned};true"}  # fmt: skip
    result = ci(git_repo, env, monkeypatch, "--no-comment")
    assert not pwned.exists()
    assert result.code == 2, result
    assert result.err.startswith(f"docsync: error: {name} {message}, not '--upload-pack=touch "), result.err
    assert len(result.err.splitlines()) == 1


def test_gitlab_merge_request_iid_must_be_a_number(git_repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    git_repo.commit({"shop/cart.py": CART})
    result = ci(git_repo, {"GITLAB_CI": "true", "CI_MERGE_REQUEST_IID": "3; rm -rf /"}, monkeypatch)
    assert result.code == 2, result
    assert (
        result.err
        == "docsync: error: CI_MERGE_REQUEST_IID must be a positive integer, not '3; rm -rf /' (docsync reads the variables GitLab sets for merge-request pipelines; do not override them)\n"
    )


# --- output files the runner gave us that cannot be written (issue 13, item 7) --------------------


def _unwritable(tmp: Path, how: str) -> Path:
    """A path that cannot be appended to, even by root: a directory, a path under a file, a full device."""
    if how == "directory":
        (tmp / "a-directory").mkdir()
        return tmp / "a-directory"
    if how == "under-a-file":
        (tmp / "a-file").write_text("", encoding="utf-8")
        return tmp / "a-file" / "summary.md"
    return Path("/dev/full")  # every write: "No space left on device"


@pytest.mark.parametrize("how", ["directory", "under-a-file", "full-device"])
def test_step_summary_that_cannot_be_written_is_a_warning(
    pull_request: tuple[Repo, dict[str, str], Path], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    repo, env, tmp = pull_request
    env["GITHUB_STEP_SUMMARY"] = str(_unwritable(tmp, how))
    result = ci(repo, env, monkeypatch, "--no-comment")
    assert result.code == 1, result  # for the drift: the summary is best effort
    warning = f"docsync: warning: GITHUB_STEP_SUMMARY: cannot write the step summary to {env['GITHUB_STEP_SUMMARY']}: "
    assert next(line for line in result.err.splitlines() if "GITHUB_STEP_SUMMARY" in line).startswith(warning), (
        result.err
    )
    assert "internal error" not in result.err
    assert outputs(tmp / "output")["findings"] == "1"  # the outputs were still written
    assert "::error file=docs/guide.md" in result.out


@pytest.mark.parametrize("how", ["directory", "under-a-file", "full-device"])
def test_outputs_that_cannot_be_written_are_exit_2_naming_the_variable(
    pull_request: tuple[Repo, dict[str, str], Path], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    repo, env, tmp = pull_request
    env["GITHUB_OUTPUT"] = str(_unwritable(tmp, how))
    result = ci(repo, env, monkeypatch, "--no-comment")
    assert result.code == 2, result  # later steps need the outputs
    assert result.err.splitlines()[-1].startswith(
        f"docsync: error: GITHUB_OUTPUT: cannot write the step outputs to {env['GITHUB_OUTPUT']}: "
    ), result.err
    assert "GITHUB_OUTPUT must name a writable file" in result.err
    assert "internal error" not in result.err
    assert "### docsync: 1 doc drifted" in (tmp / "summary.md").read_text(encoding="utf-8")


# --- a misbehaving API (issue 13, item 13): bounded pages and time, then on without the API ---------


def test_endless_pagination_stops_at_100_pages_and_the_run_goes_on(
    pull_request: tuple[Repo, dict[str, str], Path], fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, env, tmp = pull_request
    env["GITHUB_API_URL"] = fake.url
    fake.endless = True  # every page of comments links to a next one
    result = ci(repo, env, monkeypatch)
    assert result.code == 1, result  # for the drift, as without the API
    assert [r.method for r in fake.requests] == ["GET"] * 100
    assert "::error file=docs/guide.md" in result.out
    note = "could not update the pull-request comment: GitHub API: GET /repos/octo/shop/issues/7/comments has more than 100 pages"
    assert note in result.err
    assert note in (tmp / "summary.md").read_text(encoding="utf-8")
    assert outputs(tmp / "output")["findings"] == "1"


def test_a_trickling_answer_ends_within_the_api_budget(
    pull_request: tuple[Repo, dict[str, str], Path], fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One byte every 0.2 s: each read gets a byte, so no read timeout fires; the run's 2 s budget does."""
    repo, env, tmp = pull_request
    env.update(GITHUB_API_URL=fake.url, DOCSYNC_API_BUDGET="2")
    fake.script(*[trickled_answer(0.2)] * 10)
    started = time.monotonic()
    result = ci(repo, env, monkeypatch)
    elapsed = time.monotonic() - started
    assert result.code == 1, result
    assert elapsed < 2 + 15, elapsed  # the budget, plus the check itself (a few seconds on a slow machine)
    note = "could not update the pull-request comment: GitHub API: GET /repos/octo/shop/issues/7/comments"
    assert note in result.err
    summary = (tmp / "summary.md").read_text(encoding="utf-8")
    assert "docsync gives the GitHub API" in summary, summary
    assert outputs(tmp / "output")["findings"] == "1"
    assert fake.bodies(7) == []


@pytest.mark.parametrize("value", ["0", "-1", "soon", "nan", "inf"])
def test_a_bad_api_budget_is_one_line(
    pull_request: tuple[Repo, dict[str, str], Path], monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    repo, env, _ = pull_request
    result = ci(repo, {**env, "DOCSYNC_API_BUDGET": value}, monkeypatch)
    assert result.code == 2, result
    assert result.err == f"docsync: error: DOCSYNC_API_BUDGET must be a number of seconds above 0, not {value!r}\n"


def test_gitlab_endless_pagination_stops_at_100_pages(
    git_repo: Repo, gitlab: FakeGitLab, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE}, "base")
    git_repo.commit({"shop/cart.py": CART.replace("qty=1", "count=1").replace("qty", "count")}, "rename qty")
    gitlab.endless = True
    env = {"GITLAB_CI": "true", "CI_API_V4_URL": gitlab.url, "CI_PROJECT_ID": str(gitlab.project_id),
           "CI_MERGE_REQUEST_IID": "3", "CI_MERGE_REQUEST_DIFF_BASE_SHA": base,
           "DOCSYNC_GITLAB_TOKEN": GITLAB_TOKEN}  # fmt: skip
    result = ci(git_repo, env, monkeypatch)
    assert result.code == 1, result
    assert [r.method for r in gitlab.requests] == ["GET"] * 100
    assert (
        "could not update the merge-request note: GitLab API: GET /api/v4/projects/42/merge_requests/3/notes has more than 100 pages"
        in result.err
    )
