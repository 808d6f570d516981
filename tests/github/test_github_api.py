"""GitHubClient against a real local HTTP server that behaves like the GitHub REST API (nothing is mocked)."""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Sized

import pytest
import requests
import urllib3
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection

from docsync import __version__
from docsync.github.api import ApiError, Comment, GitHubClient, PermissionDenied
from docsync.rest import _may_have_arrived
from tests.github.fake_github import (
    READ_ONLY_TOKEN,
    TOKEN,
    FakeGitHub,
    Scripted,
    Sleeps,
    bad_credentials,
    closed_port,
    dropped_connection,
    run_fake_github,
    secondary_rate_limit,
    server_error,
    slow_answer,
    too_many_requests,
    trickled_answer,
    validation_failed,
)

NOW = 1_700_000_000.0
PR = 7
MARKER = "<!-- docsync:comment -->"
SECRET = "ghp_secretTOKEN123"


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(fake_github: FakeGitHub, sleeps: Sleeps) -> GitHubClient:
    return make_client(fake_github, sleeps)


def make_client(fake: FakeGitHub, sleeps: Sleeps, token: str | None = TOKEN, **options: object) -> GitHubClient:
    return GitHubClient(fake.url, fake.repository, token, sleep=sleeps, clock=lambda: NOW, **options)  # type: ignore[arg-type]


# --- pagination --------------------------------------------------------------------------------------------------


def test_comments_follow_the_link_header_across_three_pages(fake_github: FakeGitHub, client: GitHubClient) -> None:
    ids = fake_github.add_comments(PR, *(f"comment {n}" for n in range(250)))
    comments = list(client.comments(PR))
    assert comments == [Comment(i, f"comment {n}") for n, i in enumerate(ids)]
    first, second, third = fake_github.requests
    assert first.path == "/repos/octo-org/octo-repo/issues/7/comments"
    assert first.query == {"per_page": "100"}
    # GitHub's links name the repository by id: the client follows them as given.
    assert (second.path, second.query) == ("/repositories/1296269/issues/7/comments", {"per_page": "100", "page": "2"})
    assert (third.path, third.query) == ("/repositories/1296269/issues/7/comments", {"per_page": "100", "page": "3"})


def test_find_comment_reads_until_the_page_with_the_marker(fake_github: FakeGitHub, client: GitHubClient) -> None:
    bodies = [f"comment {n}" for n in range(250)]
    bodies[230] = f"{MARKER}\n### docsync: 2 stale docs"
    bodies[240] = f"{MARKER}\na later duplicate"
    ids = fake_github.add_comments(PR, *bodies)
    assert client.find_comment(PR, MARKER) == Comment(ids[230], bodies[230])
    assert len(fake_github.requests) == 3


def test_find_comment_stops_at_the_first_page_that_has_it(fake_github: FakeGitHub, client: GitHubClient) -> None:
    ids = fake_github.add_comments(PR, "hello", f"{MARKER} report", *(["noise"] * 200))
    assert client.find_comment(PR, MARKER) == Comment(ids[1], f"{MARKER} report")
    assert len(fake_github.requests) == 1


@pytest.mark.parametrize("count", [0, 3, 100])
def test_find_comment_without_marker_is_none(fake_github: FakeGitHub, client: GitHubClient, count: int) -> None:
    fake_github.add_comments(PR, *(["no marker here"] * count))
    fake_github.add_comments(PR + 1, MARKER)  # another pull request's comment does not count
    assert client.find_comment(PR, MARKER) is None
    assert len(fake_github.requests) == 1


def test_a_page_link_to_another_host_is_not_followed(fake_github: FakeGitHub, client: GitHubClient) -> None:
    link = '<http://evil.invalid/repos/x/y/issues/7/comments?page=2>; rel="next"'
    fake_github.script(Scripted(200, [{"id": 1, "body": "a"}], {"Link": link}))
    with pytest.raises(ApiError, match="refusing to follow a page link to another host"):
        list(client.comments(PR))
    assert len(fake_github.requests) == 1


def test_a_link_loop_ends(fake_github: FakeGitHub, client: GitHubClient) -> None:
    link = f'<{fake_github.url}/repos/octo-org/octo-repo/issues/7/comments?per_page=100>; rel="next"'
    fake_github.script(Scripted(200, [{"id": 1, "body": "a"}], {"Link": link}))
    assert list(client.comments(PR)) == [Comment(1, "a")]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            Scripted(200, "<html>maintenance</html>"),
            "unexpected answer to GET /repos/octo-org/octo-repo/issues/7/comments (not JSON)",
        ),
        (Scripted(200, {"message": "not a list"}), "(not a list)"),
        (Scripted(200, [{"id": "1", "body": "x"}]), "a comment without id or body"),
        (Scripted(200, [["not", "a", "comment"]]), "a comment without id or body"),
    ],
)
def test_unexpected_answers(fake_github: FakeGitHub, client: GitHubClient, answer: Scripted, message: str) -> None:
    fake_github.script(answer)
    with pytest.raises(ApiError) as caught:
        list(client.comments(PR))
    assert message in str(caught.value)


# --- writes --------------------------------------------------------------------------------------------------------


def test_create_update_delete(fake_github: FakeGitHub, client: GitHubClient) -> None:
    fake_github.add_comments(PR, "someone else")
    created = client.create_comment(PR, f"{MARKER}\nfirst")
    assert created.body == f"{MARKER}\nfirst"
    assert fake_github.bodies(PR) == ["someone else", f"{MARKER}\nfirst"]
    assert client.update_comment(created.id, f"{MARKER}\nsecond") == Comment(created.id, f"{MARKER}\nsecond")
    assert fake_github.bodies(PR) == ["someone else", f"{MARKER}\nsecond"]
    client.delete_comment(created.id)
    assert fake_github.bodies(PR) == ["someone else"]
    assert [(r.method, r.path, r.body) for r in fake_github.requests] == [
        ("POST", "/repos/octo-org/octo-repo/issues/7/comments", {"body": f"{MARKER}\nfirst"}),
        ("PATCH", f"/repos/octo-org/octo-repo/issues/comments/{created.id}", {"body": f"{MARKER}\nsecond"}),
        ("DELETE", f"/repos/octo-org/octo-repo/issues/comments/{created.id}", None),
    ]


def test_every_request_sends_githubs_headers(fake_github: FakeGitHub, client: GitHubClient) -> None:
    fake_github.add_comments(PR, *(["x"] * 150))
    comment = client.create_comment(PR, "hi")
    list(client.comments(PR))
    client.update_comment(comment.id, "there")
    client.delete_comment(comment.id)
    assert len(fake_github.requests) == 5
    for request in fake_github.requests:
        assert request.headers["accept"] == "application/vnd.github+json"
        assert request.headers["x-github-api-version"] == "2022-11-28"
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        assert request.headers["user-agent"] == f"docsync/{__version__}"


def test_github_enterprise_server_prefix(sleeps: Sleeps) -> None:
    with run_fake_github(prefix="/api/v3", repository="team/docs") as fake:
        fake.add_comments(PR, *(["x"] * 120), MARKER)
        client = make_client(fake, sleeps)
        assert client.find_comment(PR, MARKER) is not None
        client.create_comment(PR, "hello")
    assert [r.path for r in fake.requests] == [
        "/api/v3/repos/team/docs/issues/7/comments",
        "/api/v3/repositories/1296269/issues/7/comments",
        "/api/v3/repos/team/docs/issues/7/comments",
    ]


def test_without_a_token_reads_work_and_writes_are_denied(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    fake_github.add_comments(PR, MARKER)
    client = make_client(fake_github, sleeps, token=None)
    assert client.find_comment(PR, MARKER) is not None
    with pytest.raises(PermissionDenied, match="needs a token and none was given"):
        client.create_comment(PR, "hi")
    assert all("authorization" not in r.headers for r in fake_github.requests)


@pytest.mark.parametrize("token", ["", "   ", "\n"])
def test_an_empty_token_is_no_token(fake_github: FakeGitHub, sleeps: Sleeps, token: str) -> None:
    list(make_client(fake_github, sleeps, token=token).comments(PR))
    assert "authorization" not in fake_github.requests[0].headers


def test_a_token_with_a_trailing_newline_is_trimmed(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    make_client(fake_github, sleeps, token=f" {TOKEN}\n").create_comment(PR, "hi")
    assert fake_github.requests[0].headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("repository", ["octo-repo", "a/b/c", "/", ""])
def test_repository_must_be_owner_slash_name(repository: str) -> None:
    with pytest.raises(ApiError, match="the repository must be 'owner/name'"):
        GitHubClient("https://api.github.com", repository, TOKEN)


def test_max_attempts_below_one_is_a_bug() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        GitHubClient("https://api.github.com", "a/b", TOKEN, max_attempts=0)


# --- refusals ------------------------------------------------------------------------------------------------------

Call = Callable[[GitHubClient], object]
CREATE: Call = lambda c: c.create_comment(PR, "hi")  # noqa: E731
UPDATE: Call = lambda c: c.update_comment(1001, "hi")  # noqa: E731
DELETE: Call = lambda c: c.delete_comment(1001)  # noqa: E731
LIST: Call = lambda c: list(c.comments(PR))  # noqa: E731


@pytest.mark.parametrize("call", [CREATE, UPDATE, DELETE], ids=["create", "update", "delete"])
def test_a_read_only_token_cannot_write(fake_github: FakeGitHub, sleeps: Sleeps, call: Call) -> None:
    fake_github.add_comments(PR, "existing")
    client = make_client(fake_github, sleeps, token=READ_ONLY_TOKEN)
    with pytest.raises(PermissionDenied) as caught:
        call(client)
    assert str(caught.value) == (
        "GitHub API: the token cannot write to this pull request (fork or read-only token; 403: Resource not"
        " accessible by integration) (pull requests from forks get a read-only token; otherwise grant"
        " `permissions: pull-requests: write`)"
    )
    assert len(fake_github.requests) == 1
    assert sleeps == []
    assert list(client.comments(PR)) == [Comment(1001, "existing")]  # reading still works


@pytest.mark.parametrize("call", [UPDATE, DELETE], ids=["update", "delete"])
def test_404_on_a_write_is_permission_denied(fake_github: FakeGitHub, client: GitHubClient, call: Call) -> None:
    with pytest.raises(PermissionDenied, match=r"cannot write to this pull request, or it does not exist .*404"):
        call(client)


def test_404_on_a_read_is_an_api_error(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    client = GitHubClient(fake_github.url, "octo-org/elsewhere", TOKEN, sleep=sleeps)
    with pytest.raises(ApiError) as caught:
        list(client.comments(PR))
    assert not isinstance(caught.value, PermissionDenied)
    assert caught.value.message == "GitHub API: GET /repos/octo-org/elsewhere/issues/7/comments was not found (404)"


def test_403_on_a_read_is_permission_denied(fake_github: FakeGitHub, client: GitHubClient) -> None:
    fake_github.script(Scripted(403, {"message": "Must have admin rights to Repository."}))
    with pytest.raises(PermissionDenied, match=r"cannot read this pull request \(403: Must have admin rights"):
        list(client.comments(PR))


@pytest.mark.parametrize("call", [LIST, CREATE], ids=["list", "create"])
def test_a_rejected_token_is_401(fake_github: FakeGitHub, sleeps: Sleeps, call: Call) -> None:
    client = make_client(fake_github, sleeps, token="ghp_expired")
    with pytest.raises(ApiError) as caught:
        call(client)
    assert not isinstance(caught.value, PermissionDenied)
    assert caught.value.message == "GitHub API: the token was rejected (401): Bad credentials"
    assert caught.value.hint == "check GITHUB_TOKEN: it may be expired, revoked, or meant for another GitHub host"
    assert len(fake_github.requests) == 1
    assert sleeps == []


def test_scripted_401(fake_github: FakeGitHub, client: GitHubClient) -> None:
    fake_github.script(bad_credentials())
    with pytest.raises(ApiError, match=r"the token was rejected \(401\)"):
        list(client.comments(PR))


def test_422_says_what_github_said(fake_github: FakeGitHub, client: GitHubClient) -> None:
    with pytest.raises(ApiError) as caught:
        client.create_comment(PR, "x" * 70_000)
    assert caught.value.message == (
        "GitHub API: POST /repos/octo-org/octo-repo/issues/7/comments was rejected (422): Validation Failed:"
        " body is too long (maximum is 65536 characters)"
    )
    assert fake_github.bodies(PR) == []


def test_scripted_422_on_an_update(fake_github: FakeGitHub, client: GitHubClient) -> None:
    fake_github.script(validation_failed("body contains a null byte"))
    with pytest.raises(
        ApiError, match=r"PATCH .*/issues/comments/5 was rejected \(422\): Validation Failed: body contains a null"
    ):
        client.update_comment(5, "hi")


def test_a_multi_line_server_message_becomes_one_line(fake_github: FakeGitHub, client: GitHubClient) -> None:
    fake_github.script(Scripted(422, {"message": 'Invalid request.\n\n"body" wasn\'t supplied.'}))
    with pytest.raises(ApiError) as caught:
        client.create_comment(PR, "hi")
    assert "\n" not in str(caught.value)
    assert str(caught.value).endswith(
        '(422): Invalid request. "body" wasn\'t supplied. (please report this docsync bug)'
    )


def test_other_client_errors(fake_github: FakeGitHub, client: GitHubClient) -> None:
    fake_github.script(Scripted(409, "Conflict"), Scripted(418, "<html>teapot</html>"), Scripted(410, ["gone"]))
    with pytest.raises(ApiError, match=r"GET /repos/octo-org/octo-repo/issues/7/comments failed \(409\): Conflict \("):
        list(client.comments(PR))
    with pytest.raises(ApiError, match=r"failed \(418\) \(check the GitHub API URL\)$"):
        list(client.comments(PR))
    with pytest.raises(ApiError, match=r"failed \(410\) \(check the GitHub API URL\)$"):
        list(client.comments(PR))


def test_a_url_requests_cannot_use_is_not_retried(sleeps: Sleeps) -> None:
    client = GitHubClient("ftp://example.invalid/api", "a/b", TOKEN, sleep=sleeps)
    with pytest.raises(ApiError) as caught:
        list(client.comments(PR))
    assert (
        str(caught.value)
        == "GitHub API: GET /api/repos/a/b/issues/7/comments failed (InvalidSchema) (check the API URL)"
    )
    assert sleeps == []


def _failed_connect(reason: Exception) -> requests.ConnectionError:
    """What requests raises when urllib3 could not open the connection: the reason sits in a MaxRetryError."""
    pool = urllib3.HTTPConnectionPool("127.0.0.1")
    return requests.ConnectionError(urllib3.exceptions.MaxRetryError(pool, "/", reason))


@pytest.mark.parametrize(
    ("error", "arrived"),
    [
        (requests.ConnectTimeout(), False),
        (_failed_connect(urllib3.exceptions.NewConnectionError(HTTPConnection("127.0.0.1"), "refused")), False),
        (_failed_connect(urllib3.exceptions.ConnectTimeoutError()), False),
        (requests.ConnectionError(urllib3.exceptions.ProtocolError("Connection aborted.")), True),
        (requests.ConnectionError(), True),
        (requests.ReadTimeout(), True),
    ],
)
def test_only_a_failure_to_connect_proves_nothing_was_sent(error: requests.RequestException, arrived: bool) -> None:
    assert _may_have_arrived(error) is arrived


def test_the_client_closes_its_own_session_only(fake_github: FakeGitHub) -> None:
    with GitHubClient(fake_github.url, fake_github.repository, TOKEN) as client:
        list(client.comments(PR))
        pools = _pools(client._session, fake_github.url)
        assert len(pools) == 1
    assert len(pools) == 0  # Session.close() emptied the connection pools
    with requests.Session() as session:
        with GitHubClient(fake_github.url, fake_github.repository, TOKEN, session=session) as client:
            list(client.comments(PR))
        assert len(_pools(session, fake_github.url)) == 1  # the caller's: left open


def _pools(session: requests.Session, url: str) -> Sized:
    adapter = session.get_adapter(url)
    assert isinstance(adapter, HTTPAdapter)
    return adapter.poolmanager.pools


# --- retries -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("call", [LIST, CREATE, UPDATE, DELETE], ids=["list", "create", "update", "delete"])
def test_a_502_is_retried_once_after_a_second(
    fake_github: FakeGitHub, client: GitHubClient, sleeps: Sleeps, call: Call
) -> None:
    fake_github.add_comments(PR, "existing")
    fake_github.script(server_error(502))
    call(client)
    assert sleeps == [1.0]
    assert len(fake_github.requests) == 2
    assert fake_github.requests[0].target == fake_github.requests[1].target


def test_backoff_doubles(fake_github: FakeGitHub, client: GitHubClient, sleeps: Sleeps) -> None:
    fake_github.script(server_error(502), server_error(503), server_error(500), server_error(504))
    assert list(client.comments(PR)) == []
    assert sleeps == [1.0, 2.0, 4.0, 8.0]
    assert len(fake_github.requests) == 5


@pytest.mark.parametrize("attempts", [1, 2, 3, 5])
def test_max_attempts_is_respected(fake_github: FakeGitHub, sleeps: Sleeps, attempts: int) -> None:
    fake_github.script(*[server_error(502)] * 10)
    client = make_client(fake_github, sleeps, max_attempts=attempts)
    with pytest.raises(ApiError) as caught:
        list(client.comments(PR))
    assert len(fake_github.requests) == attempts
    assert sleeps == [1.0, 2.0, 4.0, 8.0][: attempts - 1]
    assert caught.value.message == (
        f"GitHub API: GET /repos/octo-org/octo-repo/issues/7/comments failed after {attempts} attempts (502 Bad Gateway)"
    )


def test_backoff_never_waits_longer_than_max_wait(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    fake_github.script(*[server_error(500)] * 5)
    client = make_client(fake_github, sleeps, max_attempts=6, max_wait=3.0)
    list(client.comments(PR))
    assert sleeps == [1.0, 2.0, 3.0, 3.0, 3.0]


def test_a_fault_on_page_two_is_retried_there(fake_github: FakeGitHub, client: GitHubClient, sleeps: Sleeps) -> None:
    fake_github.add_comments(PR, *(["x"] * 150))
    fake_github.script(None, server_error(502))
    assert len(list(client.comments(PR))) == 150
    assert [r.query.get("page") for r in fake_github.requests] == [None, "2", "2"]
    assert sleeps == [1.0]


def test_429_waits_retry_after(fake_github: FakeGitHub, client: GitHubClient, sleeps: Sleeps) -> None:
    fake_github.script(too_many_requests(retry_after=2))
    assert client.create_comment(PR, "hi").body == "hi"
    assert sleeps == [2.0]
    assert fake_github.bodies(PR) == ["hi"]


@pytest.mark.parametrize(
    ("answer", "wait"),
    [
        (too_many_requests(reset=NOW + 30), 30.0),
        (too_many_requests(reset=NOW - 5), 1.0),  # a reset already past: our clock runs ahead; wait a second
        (too_many_requests(), 60.0),
        (too_many_requests(retry_after="Tue, 14 Nov 2023 22:13:27 GMT"), 7.0),  # HTTP-date form, NOW + 7 s
        (too_many_requests(retry_after="soon"), 60.0),
        (secondary_rate_limit(reset=NOW + 42), 42.0),
        (secondary_rate_limit(reset=NOW + 42, retry_after=5), 5.0),  # Retry-After comes first
        (secondary_rate_limit(remaining="17"), 60.0),  # the body says "rate limit"
        (Scripted(403, {"message": "Forbidden"}, {"Retry-After": "3"}), 3.0),
        (
            Scripted(
                403, {"message": "Forbidden"}, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(NOW) + 9)}
            ),
            9.0,
        ),
    ],
)
def test_rate_limits_wait_as_told(
    fake_github: FakeGitHub, client: GitHubClient, sleeps: Sleeps, answer: Scripted, wait: float
) -> None:
    fake_github.script(answer)
    assert list(client.comments(PR)) == []
    assert sleeps == [wait]


def test_a_wait_longer_than_max_wait_gives_up_at_once(
    fake_github: FakeGitHub, client: GitHubClient, sleeps: Sleeps
) -> None:
    fake_github.script(secondary_rate_limit(reset=NOW + 3600))
    with pytest.raises(ApiError) as caught:
        client.create_comment(PR, "hi")
    assert sleeps == []
    assert len(fake_github.requests) == 1
    assert caught.value.message == (
        "GitHub API: rate limit hit on POST /repos/octo-org/octo-repo/issues/7/comments: retry after"
        " 2023-11-14 23:13:20 UTC (in 3600 s, longer than docsync waits)"
    )


def test_rate_limited_on_every_attempt(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    fake_github.script(*[too_many_requests(retry_after=1)] * 3)
    with pytest.raises(ApiError, match=r"failed after 3 attempts \(429 rate limited\)"):
        list(make_client(fake_github, sleeps, max_attempts=3).comments(PR))
    assert sleeps == [1.0, 1.0]


def test_connection_refused_is_retried_then_an_api_error(sleeps: Sleeps) -> None:
    port = closed_port()
    client = GitHubClient(f"http://127.0.0.1:{port}", "a/b", TOKEN, sleep=sleeps, max_attempts=4)
    with pytest.raises(ApiError) as caught:
        client.create_comment(PR, "hi")  # nothing was sent, so even a POST is repeated
    assert sleeps == [1.0, 2.0, 4.0]
    assert caught.value.message == (
        f"GitHub API: POST /repos/a/b/issues/7/comments failed after 4 attempts (cannot connect to 127.0.0.1:{port})"
    )


@pytest.mark.parametrize("fault", [dropped_connection(), slow_answer(0.6)], ids=["dropped", "timeout"])
def test_a_lost_read_is_retried(fake_github: FakeGitHub, sleeps: Sleeps, fault: Scripted) -> None:
    client = make_client(fake_github, sleeps, timeout=(2.0, 0.3))
    fake_github.script(fault)
    assert list(client.comments(PR)) == []
    assert sleeps == [1.0]
    assert len(fake_github.requests) == 2


@pytest.mark.parametrize(
    ("fault", "reason"),
    [(dropped_connection(), "connection to 127.0.0.1:"), (slow_answer(0.6), "no answer within 0.3 s")],
    ids=["dropped", "timeout"],
)
def test_a_lost_post_is_not_repeated(fake_github: FakeGitHub, sleeps: Sleeps, fault: Scripted, reason: str) -> None:
    """The server may have created the comment: a second POST could make a duplicate sticky comment."""
    client = make_client(fake_github, sleeps, timeout=(2.0, 0.3))
    fake_github.script(fault)
    with pytest.raises(ApiError) as caught:
        client.create_comment(PR, "hi")
    assert reason in caught.value.message
    assert caught.value.message.endswith("; the GitHub API may have received it")
    assert sleeps == []
    assert len(fake_github.requests) == 1


def test_retries_are_logged(fake_github: FakeGitHub, client: GitHubClient, caplog: pytest.LogCaptureFixture) -> None:
    fake_github.script(server_error(503))
    with caplog.at_level(logging.INFO, logger="docsync.rest"):
        list(client.comments(PR))
    assert caplog.messages == [
        "GitHub API: 503 Service Unavailable on GET /repos/octo-org/octo-repo/issues/7/comments; retrying in 1 s"
    ]


# --- the token never leaks -----------------------------------------------------------------------------------------


def _leaky_scenarios() -> list[tuple[str, list[Scripted], Call]]:
    echo = {"message": f"Bad credentials for {SECRET}", "errors": [{"message": f"token {SECRET} is invalid"}]}
    return [
        ("401", [], LIST),
        ("422-echoes-token", [Scripted(422, echo)], CREATE),
        ("409-text-echoes-token", [Scripted(409, f"token={SECRET}")], LIST),
        ("403-echoes-token", [Scripted(403, {"message": f"{SECRET} may not"})], UPDATE),
        ("5xx-exhausted", [server_error(502)] * 5, LIST),
        ("rate-limit-too-long", [secondary_rate_limit(reset=NOW + 9999)], CREATE),
        ("dropped-post", [dropped_connection()], CREATE),
        ("not-json", [Scripted(200, f"<{SECRET}>")], LIST),
    ]


@pytest.mark.parametrize(
    ("faults", "call"), [s[1:] for s in _leaky_scenarios()], ids=[s[0] for s in _leaky_scenarios()]
)
def test_the_token_is_in_no_error_repr_or_log(
    fake_github: FakeGitHub, sleeps: Sleeps, caplog: pytest.LogCaptureFixture, faults: list[Scripted], call: Call
) -> None:
    if faults:  # else "401": the secret is simply not a valid token
        fake_github.tokens.add(SECRET)
    fake_github.script(*faults)
    client = make_client(fake_github, sleeps, token=SECRET)
    with caplog.at_level(logging.DEBUG), pytest.raises(ApiError) as caught:
        call(client)
    assert_no_secret(caught.value, client, caplog)
    assert fake_github.requests[0].headers["authorization"] == f"Bearer {SECRET}"  # it was sent, though


def test_a_long_server_message_is_cut_after_the_token_is_blanked(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    fake_github.tokens.add(SECRET)
    fake_github.script(Scripted(422, {"message": "y" * 195 + SECRET + "z" * 300}))
    with pytest.raises(ApiError) as caught:
        make_client(fake_github, sleeps, token=SECRET).create_comment(PR, "hi")
    assert caught.value.message.endswith("(422): " + "y" * 195 + "***zz")  # 200 characters of what GitHub said
    assert SECRET[:4] not in caught.value.message


def test_the_token_is_not_in_a_connection_error(sleeps: Sleeps, caplog: pytest.LogCaptureFixture) -> None:
    client = GitHubClient(f"http://127.0.0.1:{closed_port()}", "a/b", SECRET, sleep=sleeps, max_attempts=2)
    with caplog.at_level(logging.DEBUG), pytest.raises(ApiError) as caught:
        client.delete_comment(1)
    assert_no_secret(caught.value, client, caplog)


@pytest.mark.parametrize("token", [f"{SECRET} extra", f"{SECRET}\nX-Evil: 1", f"{SECRET}\x00", f"{SECRET}é"])
def test_a_token_that_cannot_be_a_header_is_refused_without_quoting_it(token: str) -> None:
    with pytest.raises(ApiError) as caught:
        GitHubClient("https://api.github.com", "a/b", token)
    assert caught.value.message == "GitHub API: the token contains spaces or control characters"
    assert SECRET not in f"{caught.value!s}{caught.value!r}{caught.value.args}"


def test_repr_hides_the_token(sleeps: Sleeps) -> None:
    client = GitHubClient("https://api.github.com", "a/b", SECRET)
    assert repr(client) == "GitHubClient('https://api.github.com', 'a/b', token=***)"
    assert (
        repr(GitHubClient("https://api.github.com", "a/b", None))
        == "GitHubClient('https://api.github.com', 'a/b', token=None)"
    )


def assert_no_secret(error: BaseException, client: object, caplog: pytest.LogCaptureFixture) -> None:
    texts = [str(error), repr(error), repr(error.args), repr(client), *traceback.format_exception(error)]
    texts += [str(getattr(error, "hint", "")), str(getattr(error, "message", ""))]
    texts += [record.getMessage() for record in caplog.records] + [repr(record.args) for record in caplog.records]
    assert all(SECRET not in text for text in texts)
    assert "\n" not in str(error)


# --- the fake itself -------------------------------------------------------------------------------------------------


def test_the_fake_paginates_like_github(fake_github: FakeGitHub) -> None:
    fake_github.add_comments(PR, *(["x"] * 65))
    url = f"{fake_github.url}/repos/octo-org/octo-repo/issues/7/comments"
    first = requests.get(url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5)
    assert len(first.json()) == 30  # GitHub's default per_page
    base = f"{fake_github.url}/repositories/1296269/issues/7/comments"
    assert first.headers["Link"] == f'<{base}?per_page=30&page=2>; rel="next", <{base}?per_page=30&page=3>; rel="last"'
    middle = requests.get(first.links["next"]["url"], timeout=5)
    assert list(middle.links) == ["prev", "first", "next", "last"]
    last = requests.get(url, params={"per_page": 500, "page": 1}, timeout=5)
    assert len(last.json()) == 65
    assert "Link" not in last.headers


# --- a misbehaving server (issue 13): bounded pages, bounded time -----------------------------------------------


def test_pagination_that_never_ends_stops_at_the_page_cap(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    fake_github.endless = True
    client = make_client(fake_github, sleeps, max_pages=7)
    with pytest.raises(ApiError) as caught:
        client.find_comment(PR, MARKER)
    assert len(fake_github.requests) == 7
    assert caught.value.message == (
        "GitHub API: GET /repos/octo-org/octo-repo/issues/7/comments has more than 7 pages; stopped reading"
    )


def test_the_default_page_cap_is_100_pages(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    fake_github.endless = True
    with pytest.raises(ApiError, match="more than 100 pages"):
        make_client(fake_github, sleeps).find_comment(PR, MARKER)
    assert len(fake_github.requests) == 100


def test_a_trickling_body_is_cut_off_at_the_request_budget(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    """One byte every 0.05 s never trips a read timeout of 0.3 s: the request's own budget (0.5 s) does."""
    client = make_client(fake_github, sleeps, timeout=(2.0, 0.3), request_budget=0.5, max_attempts=2)
    fake_github.script(trickled_answer(0.05), trickled_answer(0.05))
    started = time.monotonic()
    with pytest.raises(ApiError) as caught:
        client.find_comment(PR, MARKER)
    assert time.monotonic() - started < 2 * 0.5 + 1.0
    assert caught.value.message.endswith("failed after 2 attempts (no complete answer within 0.5 s)")
    assert sleeps == [1.0]


def test_a_trickling_post_is_not_repeated(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    client = make_client(fake_github, sleeps, request_budget=0.3)
    fake_github.script(trickled_answer(0.05))
    with pytest.raises(ApiError, match=r"no complete answer within 0.3 s.*may have received it"):
        client.create_comment(PR, "hi")
    assert len(fake_github.requests) == 1


def test_the_client_budget_covers_retries_and_waits(fake_github: FakeGitHub) -> None:
    """Each answer is a 502: the backoff's waits (real ones here) run into the 2.5 s budget."""
    client = GitHubClient(fake_github.url, fake_github.repository, TOKEN, budget=2.5, max_attempts=10)
    fake_github.script(*[server_error(502)] * 10)
    started = time.monotonic()
    with pytest.raises(ApiError) as caught:
        client.find_comment(PR, MARKER)
    assert time.monotonic() - started < 2.5
    assert caught.value.message == (
        "GitHub API: GET /repos/octo-org/octo-repo/issues/7/comments: out of the 2.5 s docsync gives the GitHub API"
        " (502 Bad Gateway)"
    )
    assert len(fake_github.requests) == 2  # after 1 s and 2 s of backoff: 3 s would be past the budget


def test_a_trickling_body_is_cut_off_at_the_client_budget(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    client = make_client(fake_github, sleeps, budget=0.6)
    fake_github.script(*[trickled_answer(0.05)] * 5)
    started = time.monotonic()
    with pytest.raises(ApiError, match=r"out of the 0\.6 s docsync gives the GitHub API"):
        client.find_comment(PR, MARKER)
    assert time.monotonic() - started < 0.6 + 0.5


def test_an_answer_that_is_too_large_is_a_failure(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    fake_github.script(*[Scripted(200, ["x" * (17 * 1024 * 1024)])] * 2)
    client = make_client(fake_github, sleeps, max_attempts=2)
    with pytest.raises(ApiError, match=r"failed after 2 attempts \(an answer larger than 16 MB\)"):
        client.find_comment(PR, MARKER)


def test_a_compressed_answer_read_piece_by_piece(fake_github: FakeGitHub, sleeps: Sleeps) -> None:
    """The body is read with urllib3's read1, which must decode gzip as requests would."""
    comments = [{"id": n, "body": f"comment {n}"} for n in range(1, 31)]
    fake_github.script(Scripted(200, comments, gzip=True, trickle=0.001))
    assert [c.id for c in make_client(fake_github, sleeps).comments(PR)] == list(range(1, 31))
