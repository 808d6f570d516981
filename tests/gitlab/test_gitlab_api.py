"""GitLabClient against a real local HTTP server that behaves like the GitLab REST API v4 (nothing is mocked)."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

import pytest
import requests

from docsync import __version__, rest
from docsync.gitlab.api import ApiError, GitLabClient, Note, PermissionDenied
from tests.github.fake_github import Scripted, Sleeps, closed_port
from tests.github.fake_gitlab import (
    JOB_TOKEN,
    READ_ONLY_TOKEN,
    TOKEN,
    FakeGitLab,
    dropped_connection,
    run_fake_gitlab,
    server_error,
    too_many_requests,
)

NOW = 1_700_000_000.0
MR = 3
MARKER = "<!-- docsync:comment -->"
SECRET = "glpat-secretTOKEN123"
NOTES = "/api/v4/projects/group%2Fsub%2Fproject/merge_requests/3/notes"


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(fake_gitlab: FakeGitLab, sleeps: Sleeps) -> GitLabClient:
    return make_client(fake_gitlab, sleeps)


def make_client(fake: FakeGitLab, sleeps: Sleeps, token: str | None = TOKEN, **options: object) -> GitLabClient:
    return GitLabClient(fake.url, fake.project_path, token, sleep=sleeps, clock=lambda: NOW, **options)  # type: ignore[arg-type]


def test_the_errors_are_githubs() -> None:
    assert ApiError is rest.ApiError
    assert PermissionDenied is rest.PermissionDenied


# --- pagination and order ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [{"send_link": True, "send_next_page": True}, {"send_link": False}, {"send_next_page": False}],
    ids=["both", "x-next-page-only", "link-only"],
)
def test_notes_follow_pagination_across_three_pages(sleeps: Sleeps, headers: dict[str, bool]) -> None:
    with run_fake_gitlab(**headers) as fake:
        ids = fake.add_notes(MR, *(f"note {n}" for n in range(250)))
        notes = list(make_client(fake, sleeps).notes(MR))
    assert notes == [Note(i, f"note {n}") for n, i in enumerate(ids)]
    assert [r.query.get("page") for r in fake.requests] == ["1", "2", "3"]
    assert all(r.query["per_page"] == "100" and r.query["sort"] == "asc" for r in fake.requests)


def test_find_note_reads_until_the_page_with_the_marker(fake_gitlab: FakeGitLab, client: GitLabClient) -> None:
    bodies = [f"note {n}" for n in range(250)]
    bodies[220] = f"{MARKER}\nreport"
    bodies[249] = f"{MARKER}\nlater duplicate"
    ids = fake_gitlab.add_notes(MR, *bodies)
    assert client.find_note(MR, MARKER) == Note(ids[220], bodies[220])
    assert len(fake_gitlab.requests) == 3


def test_find_note_finds_the_oldest_despite_gitlabs_newest_first_default(
    fake_gitlab: FakeGitLab, client: GitLabClient
) -> None:
    first, _, _ = fake_gitlab.add_notes(MR, f"{MARKER} old", "chatter", f"{MARKER} new")
    assert client.find_note(MR, MARKER) == Note(first, f"{MARKER} old")
    assert requests.get(f"{fake_gitlab.url}/projects/42/merge_requests/3/notes", timeout=5).json()[0]["body"] == (
        f"{MARKER} new"
    )


def test_find_note_without_marker(fake_gitlab: FakeGitLab, client: GitLabClient) -> None:
    fake_gitlab.add_notes(MR, "added 1 commit", system=True)
    fake_gitlab.add_notes(MR + 1, MARKER)
    assert client.find_note(MR, MARKER) is None


@pytest.mark.parametrize(
    ("project", "path"),
    [
        ("group/sub/project", NOTES),
        ("42", "/api/v4/projects/42/merge_requests/3/notes"),
        ("/group/sub/project/", NOTES),
    ],
)
def test_project_ids_are_url_encoded(fake_gitlab: FakeGitLab, sleeps: Sleeps, project: str, path: str) -> None:
    fake_gitlab.add_notes(MR, MARKER)
    client = GitLabClient(fake_gitlab.url, project, TOKEN, sleep=sleeps)
    assert client.find_note(MR, MARKER) is not None
    client.create_note(MR, "hello")
    assert [r.path for r in fake_gitlab.requests] == [path, path]


def test_an_unknown_project_is_not_found(fake_gitlab: FakeGitLab, sleeps: Sleeps) -> None:
    client = GitLabClient(fake_gitlab.url, "group/other", TOKEN, sleep=sleeps)
    with pytest.raises(ApiError) as caught:
        list(client.notes(MR))
    assert caught.value.message == (
        "GitLab API: GET /api/v4/projects/group%2Fother/merge_requests/3/notes was not found (404)"
    )


# --- writes --------------------------------------------------------------------------------------------------------


def test_create_update_delete(fake_gitlab: FakeGitLab, client: GitLabClient) -> None:
    fake_gitlab.add_notes(MR, "a reviewer")
    created = client.create_note(MR, f"{MARKER}\nfirst")
    assert fake_gitlab.bodies(MR) == ["a reviewer", f"{MARKER}\nfirst"]
    assert client.update_note(MR, created.id, f"{MARKER}\nsecond") == Note(created.id, f"{MARKER}\nsecond")
    assert fake_gitlab.bodies(MR) == ["a reviewer", f"{MARKER}\nsecond"]
    client.delete_note(MR, created.id)
    assert fake_gitlab.bodies(MR) == ["a reviewer"]
    assert [(r.method, r.path, r.body) for r in fake_gitlab.requests] == [
        ("POST", NOTES, {"body": f"{MARKER}\nfirst"}),
        ("PUT", f"{NOTES}/{created.id}", {"body": f"{MARKER}\nsecond"}),
        ("DELETE", f"{NOTES}/{created.id}", None),
    ]


def test_headers(fake_gitlab: FakeGitLab, client: GitLabClient) -> None:
    note = client.create_note(MR, "hi")
    list(client.notes(MR))
    client.update_note(MR, note.id, "there")
    for request in fake_gitlab.requests:
        assert request.headers["private-token"] == TOKEN
        assert "authorization" not in request.headers
        assert request.headers["user-agent"] == f"docsync/{__version__}"


def test_without_a_token(fake_gitlab: FakeGitLab, sleeps: Sleeps) -> None:
    fake_gitlab.add_notes(MR, MARKER)
    client = make_client(fake_gitlab, sleeps, token=None)
    assert client.find_note(MR, MARKER) is not None
    with pytest.raises(PermissionDenied, match=r"needs a token and none was given \(401\)"):
        client.create_note(MR, "hi")
    assert all("private-token" not in r.headers for r in fake_gitlab.requests)


# --- refusals ------------------------------------------------------------------------------------------------------

Call = Callable[[GitLabClient], object]
CREATE: Call = lambda c: c.create_note(MR, "hi")  # noqa: E731
UPDATE: Call = lambda c: c.update_note(MR, 501, "hi")  # noqa: E731
DELETE: Call = lambda c: c.delete_note(MR, 501)  # noqa: E731
LIST: Call = lambda c: list(c.notes(MR))  # noqa: E731


@pytest.mark.parametrize("call", [CREATE, UPDATE, DELETE], ids=["create", "update", "delete"])
def test_a_read_api_token_cannot_write(fake_gitlab: FakeGitLab, sleeps: Sleeps, call: Call) -> None:
    fake_gitlab.add_notes(MR, "existing")
    with pytest.raises(rest.PermissionDenied) as caught:
        call(make_client(fake_gitlab, sleeps, token=READ_ONLY_TOKEN))
    assert caught.value.message == (
        "GitLab API: the token cannot write to this merge request (read-only token; 403: insufficient_scope:"
        " The request requires higher privileges than provided by the access token.)"
    )
    assert (
        caught.value.hint == "use a project or personal access token with the api scope and at least the Reporter role"
    )
    assert fake_gitlab.bodies(MR) == ["existing"]


@pytest.mark.parametrize("token", [JOB_TOKEN, "glpat-revoked"])
def test_a_job_token_or_a_revoked_one_is_rejected(fake_gitlab: FakeGitLab, sleeps: Sleeps, token: str) -> None:
    with pytest.raises(ApiError) as caught:
        CREATE(make_client(fake_gitlab, sleeps, token=token))
    assert not isinstance(caught.value, PermissionDenied)
    assert str(caught.value) == (
        "GitLab API: the token was rejected (401): 401 Unauthorized (use a project or personal access token with the"
        " api scope (CI_JOB_TOKEN cannot write notes))"
    )


@pytest.mark.parametrize("call", [UPDATE, DELETE], ids=["update", "delete"])
def test_404_on_a_write_is_permission_denied(client: GitLabClient, call: Call) -> None:
    with pytest.raises(PermissionDenied, match=r"or it does not exist \(read-only token; 404: 404 Not found\)"):
        call(client)


def test_400_flattens_gitlabs_message(fake_gitlab: FakeGitLab, client: GitLabClient) -> None:
    with pytest.raises(ApiError) as caught:
        client.create_note(MR, "x" * 1_000_001)
    assert caught.value.message == (
        f"GitLab API: POST {NOTES} was rejected (400): note is too long (maximum is 1000000 characters)"
    )


def test_a_redirect_is_not_followed_with_the_token(fake_gitlab: FakeGitLab, client: GitLabClient) -> None:
    fake_gitlab.script(Scripted(302, None, {"Location": "http://elsewhere.invalid/api/v4/x"}))
    with pytest.raises(ApiError, match=r"failed \(302\)"):
        list(client.notes(MR))
    assert len(fake_gitlab.requests) == 1


# --- retries -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("call", [LIST, CREATE, UPDATE, DELETE], ids=["list", "create", "update", "delete"])
def test_a_5xx_is_retried(fake_gitlab: FakeGitLab, client: GitLabClient, sleeps: Sleeps, call: Call) -> None:
    fake_gitlab.add_notes(MR, "existing")
    fake_gitlab.script(server_error(500), server_error(502))
    call(client)
    assert sleeps == [1.0, 2.0]
    assert len(fake_gitlab.requests) == 3


@pytest.mark.parametrize(
    ("answer", "wait"),
    [
        (too_many_requests(retry_after=2, reset=NOW + 50), 2.0),
        (too_many_requests(reset=NOW + 50), 50.0),
        (too_many_requests(), 60.0),
    ],
)
def test_429_waits_as_told(
    fake_gitlab: FakeGitLab, client: GitLabClient, sleeps: Sleeps, answer: Scripted, wait: float
) -> None:
    fake_gitlab.script(answer)
    assert client.create_note(MR, "hi").body == "hi"
    assert sleeps == [wait]


def test_a_wait_longer_than_max_wait_gives_up(fake_gitlab: FakeGitLab, sleeps: Sleeps) -> None:
    fake_gitlab.script(too_many_requests(reset=NOW + 120))
    client = make_client(fake_gitlab, sleeps, max_wait=90.0)
    with pytest.raises(ApiError, match=r"retry after 2023-11-14 22:15:20 UTC \(in 120 s"):
        list(client.notes(MR))
    assert sleeps == []


def test_max_attempts(fake_gitlab: FakeGitLab, sleeps: Sleeps) -> None:
    fake_gitlab.script(*[server_error(503)] * 4)
    with pytest.raises(ApiError, match=r"failed after 2 attempts \(503 Service Unavailable\)"):
        list(make_client(fake_gitlab, sleeps, max_attempts=2).notes(MR))
    assert len(fake_gitlab.requests) == 2


def test_connection_refused(sleeps: Sleeps) -> None:
    client = GitLabClient(f"http://127.0.0.1:{closed_port()}/api/v4", "g/p", TOKEN, sleep=sleeps, max_attempts=3)
    with pytest.raises(ApiError, match=r"failed after 3 attempts \(cannot connect to 127\.0\.0\.1:"):
        list(client.notes(MR))
    assert sleeps == [1.0, 2.0]


# --- the token never leaks -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("faults", "call"),
    [
        ([], LIST),
        ([Scripted(400, {"message": {"note": [f"bad {SECRET}"]}})], CREATE),
        ([Scripted(403, {"error": SECRET})], UPDATE),
        ([server_error(502)] * 5, DELETE),
        ([too_many_requests(reset=NOW + 5000)], LIST),
        ([dropped_connection()], CREATE),
    ],
    ids=["401", "400-echo", "403-echo", "5xx", "too-long", "dropped-post"],
)
def test_the_token_is_in_no_error_repr_or_log(
    fake_gitlab: FakeGitLab, sleeps: Sleeps, caplog: pytest.LogCaptureFixture, faults: list[Scripted], call: Call
) -> None:
    if faults:
        fake_gitlab.tokens.add(SECRET)
    fake_gitlab.script(*faults)
    client = make_client(fake_gitlab, sleeps, token=SECRET)
    with caplog.at_level(logging.DEBUG), pytest.raises(ApiError) as caught:
        call(client)
    texts = [str(caught.value), repr(caught.value), repr(caught.value.args), repr(client)]
    texts += [*traceback.format_exception(caught.value), str(caught.value.hint)]
    texts += [record.getMessage() for record in caplog.records]
    assert all(SECRET not in text for text in texts)
    assert "\n" not in str(caught.value)
    assert fake_gitlab.requests[0].headers["private-token"] == SECRET


def test_repr_hides_the_token() -> None:
    client = GitLabClient("https://gitlab.com/api/v4/", "group/project", SECRET)
    assert repr(client) == "GitLabClient('https://gitlab.com/api/v4', 'group/project', token=***)"


# --- the fake itself -------------------------------------------------------------------------------------------------


def test_the_fake_sends_gitlabs_pagination_headers(fake_gitlab: FakeGitLab) -> None:
    fake_gitlab.add_notes(MR, *(["x"] * 45))
    answer = requests.get(f"{fake_gitlab.url}/projects/42/merge_requests/3/notes", params={"page": 3}, timeout=5)
    assert len(answer.json()) == 5  # GitLab's default per_page is 20
    assert {name: answer.headers[name] for name in ("X-Page", "X-Next-Page", "X-Prev-Page", "X-Total-Pages")} == {
        "X-Page": "3",
        "X-Next-Page": "",
        "X-Prev-Page": "2",
        "X-Total-Pages": "3",
    }
    assert list(answer.links) == ["prev", "first"]
