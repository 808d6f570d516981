"""A local HTTP server that answers like the GitHub REST API for pull-request comments, with scriptable faults.

Usage (or the `fake_github` fixture from tests/github/conftest.py):

    with run_fake_github() as fake:            # serves http://127.0.0.1:<port> in a thread
        fake.add_comments(7, "first", "second")
        fake.script(server_error(502), None, too_many_requests(retry_after=2))   # None = answer normally
        client = GitHubClient(fake.url, fake.repository, TOKEN, sleep=...)
        ...
        assert [r.method for r in fake.requests] == [...]

`FakeServer`, `Recorded`, `Scripted`, `Reply` and the generic faults are shared with fake_gitlab.py.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

TOKEN = "ghs_writeTOKEN0123456789"
READ_ONLY_TOKEN = "ghs_readONLYtoken0123456789"
DOCS = "https://docs.github.com/rest"


@dataclass(frozen=True)
class Recorded:
    """One request as the server received it."""

    method: str
    path: str  # as sent, percent-encoding kept, without the query
    query: dict[str, str]
    headers: dict[str, str]  # names in lower case
    body: Any  # the parsed JSON body, else the raw text, else None

    @property
    def target(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class Scripted:
    """An answer to give to the next request instead of serving it."""

    status: int = 200
    body: object = None  # JSON-encoded, unless a str (sent as text/plain) or None (no body)
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering: longer than the client's read timeout = a timeout
    disconnect: bool = False  # close the connection without any answer
    trickle: float = 0.0  # seconds between the body's bytes, sent one at a time (each read sees progress)
    gzip: bool = False  # send the body gzip-compressed (Content-Encoding: gzip), as GitHub does when asked


Reply = Scripted  # what a route returns: the same fields, without delay/disconnect


def server_error(status: int = 502) -> Scripted:
    return Scripted(status, {"message": "Server Error"} if status != 502 else "Bad Gateway")


def dropped_connection() -> Scripted:
    return Scripted(disconnect=True)


def slow_answer(delay: float) -> Scripted:
    """Answers 200 [] after `delay` seconds: used with a client read timeout shorter than that."""
    return Scripted(200, [], delay=delay)


def trickled_answer(interval: float, size: int = 2000) -> Scripted:
    """Answers 200 with a JSON list of `size` bytes, one byte every `interval` seconds: no read ever times out."""
    return Scripted(200, [" " * (size - 4)], trickle=interval)


def too_many_requests(retry_after: int | str | None = None, reset: float | None = None) -> Scripted:
    headers = {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "0", "X-RateLimit-Resource": "core"}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    if reset is not None:
        headers["X-RateLimit-Reset"] = str(int(reset))
    return Scripted(
        429, {"message": "API rate limit exceeded for installation ID 1.", "documentation_url": DOCS}, headers
    )


def secondary_rate_limit(reset: float | None = None, retry_after: int | None = None, remaining: str = "0") -> Scripted:
    """GitHub's 403 for a secondary rate limit (with the headers it sends for a primary one when asked)."""
    headers = {"X-RateLimit-Remaining": remaining}
    if reset is not None:
        headers["X-RateLimit-Reset"] = str(int(reset))
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    message = (
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out"
        " to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000."
    )
    return Scripted(403, {"message": message, "documentation_url": f"{DOCS}/overview/rate-limits"}, headers)


def bad_credentials() -> Scripted:
    return Scripted(401, {"message": "Bad credentials", "documentation_url": DOCS, "status": "401"})


def validation_failed(message: str = "body is too long (maximum is 65536 characters)") -> Scripted:
    error = {"resource": "IssueComment", "code": "custom", "field": "body", "message": message}
    return Scripted(
        422, {"message": "Validation Failed", "errors": [error], "documentation_url": DOCS, "status": "422"}
    )


class Sleeps(list[float]):
    """Pass as `sleep=` to a client: records each wait instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def closed_port() -> int:
    """A local port nobody listens on (a client pointed at it gets "connection refused")."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def json_reply(status: int, body: object, headers: Mapping[str, str] | None = None) -> Reply:
    return Reply(status, body, dict(headers or {}))


class FakeServer:
    """The HTTP plumbing: a ThreadingHTTPServer on 127.0.0.1 (port 0), recording, scripted faults, a lock."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix.rstrip("/")
        self.requests: list[Recorded] = []
        self.faults: deque[Scripted | None] = deque()
        self.lock = threading.RLock()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        assert self._httpd is not None, "the server is not running"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def url(self) -> str:
        """The API base URL to give a client (GITHUB_API_URL / CI_API_V4_URL)."""
        return self.origin + self.prefix

    def script(self, *answers: Scripted | None) -> None:
        """Queue answers for the next requests, one each, in order; None serves that request normally."""
        with self.lock:
            self.faults.extend(answers)

    def start(self) -> None:
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fake = self
        self._httpd.stopping = threading.Event()
        # A short poll interval: shutdown() waits for it, once per test.
        serve = functools.partial(self._httpd.serve_forever, poll_interval=0.02)
        self._thread = threading.Thread(target=serve, name=type(self).__name__, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.stopping.set()
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def answer(self, request: Recorded) -> Scripted:
        """Record the request, then give the scripted answer if one is queued, else route it."""
        with self.lock:
            self.requests.append(request)
            scripted = self.faults.popleft() if self.faults else None
            if scripted is not None:
                return scripted
            if not request.path.startswith(self.prefix + "/"):
                return self.not_found()
            return self.route(request, request.path[len(self.prefix) :])

    def route(self, request: Recorded, path: str) -> Reply:
        raise NotImplementedError

    def not_found(self) -> Reply:
        raise NotImplementedError


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeServer
    stopping: threading.Event  # set by stop(): a trickling answer ends

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: a client that timed out and hung up makes the answer fail, on purpose."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 30  # an idle keep-alive connection must not keep a thread forever
    wbufsize = 1 << 16  # headers and body in one write: two small writes meet delayed ACKs (40 ms each)

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PATCH = do_PUT = do_DELETE = do_GET

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests assert on `fake.requests` instead."""

    def _serve(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        parts = urlsplit(self.path)
        request = Recorded(
            method=self.command,
            path=parts.path,
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=_parse_body(raw, self.headers.get("Content-Type", "")),
        )
        answer = self.server.fake.answer(request)
        if answer.delay:
            time.sleep(answer.delay)
        if answer.disconnect:
            self.close_connection = True
            return
        self._send(answer)

    def _send(self, answer: Scripted) -> None:
        if answer.body is None:
            payload, kind = b"", None
        elif isinstance(answer.body, str):
            payload, kind = answer.body.encode(), "text/plain; charset=utf-8"
        else:
            payload, kind = json.dumps(answer.body).encode(), "application/json; charset=utf-8"
        if answer.gzip:
            payload = gzip.compress(payload)
        self.send_response(answer.status)
        if kind:
            self.send_header("Content-Type", kind)
        if answer.gzip:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not answer.trickle:
            self.wfile.write(payload)
            return
        self.wfile.flush()
        for byte in payload:
            if self.server.stopping.wait(answer.trickle):
                return  # the test is over
            self.wfile.write(bytes([byte]))
            self.wfile.flush()


def _parse_body(raw: bytes, content_type: str) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", "replace")
    if "json" in content_type:
        with contextlib.suppress(ValueError):
            return json.loads(text)
    if "x-www-form-urlencoded" in content_type:
        return dict(parse_qsl(text))
    return text


def page_bounds(query: Mapping[str, str], default: int, total: int) -> tuple[int, int, int]:
    """(page, per_page, last page) as GitHub and GitLab read them: per_page at most 100, bad values → defaults."""
    per_page = int(query["per_page"]) if query.get("per_page", "").isdigit() else default
    per_page = min(max(per_page, 1), 100)
    page = int(query["page"]) if query.get("page", "").isdigit() and int(query["page"]) > 0 else 1
    return page, per_page, max((total + per_page - 1) // per_page, 1)


def link_header(url: str, query: Mapping[str, str], page: int, last: int) -> str:
    """A `Link` header with absolute URLs: first/prev when past page 1, next/last when before the last page."""
    rels = []
    if page > 1:
        rels += [("prev", page - 1), ("first", 1)]
    if page < last:
        rels += [("next", page + 1), ("last", last)]
    return ", ".join(f'<{url}?{urlencode({**query, "page": number})}>; rel="{rel}"' for rel, number in rels)


class FakeGitHub(FakeServer):
    """Issue comments of one repository, behind GitHub's REST routes, authentication and pagination."""

    COMMENTS = re.compile(r"^/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)/issues/(?P<number>\d+)/comments$")
    COMMENTS_BY_ID = re.compile(r"^/repositories/(?P<repo_id>\d+)/issues/(?P<number>\d+)/comments$")
    COMMENT = re.compile(r"^/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)/issues/comments/(?P<id>\d+)$")
    MAX_BODY = 65536

    def __init__(
        self,
        *,
        repository: str = "octo-org/octo-repo",
        repository_id: int = 1296269,
        tokens: Iterable[str] = (TOKEN,),
        read_only_tokens: Iterable[str] = (READ_ONLY_TOKEN,),
        prefix: str = "",
        login: str = "github-actions[bot]",
    ) -> None:
        super().__init__(prefix)
        self.repository, self.repository_id, self.login = repository, repository_id, login
        self.tokens, self.read_only_tokens = set(tokens), set(read_only_tokens)
        self.comments: dict[int, list[dict[str, Any]]] = {}
        self._next_id = 1001  # comment ids are not issue numbers: tests catch one used for the other
        self.endless = False  # every page of comments links to a next one, for ever (a misbehaving server)

    def add_comments(self, number: int, *bodies: str) -> list[int]:
        """Seed comments on pull request `number`; returns their ids."""
        with self.lock:
            return [self._new_comment(number, body)["id"] for body in bodies]

    def bodies(self, number: int) -> list[str]:
        with self.lock:
            return [comment["body"] for comment in self.comments.get(number, [])]

    def _new_comment(self, number: int, body: str) -> dict[str, Any]:
        comment_id, self._next_id = self._next_id, self._next_id + 1
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1_700_000_000 + comment_id))
        comment = {
            "id": comment_id,
            "node_id": f"IC_kwDOAAAA{comment_id:08d}",
            "url": f"{self.url}/repos/{self.repository}/issues/comments/{comment_id}",
            "html_url": f"https://github.com/{self.repository}/pull/{number}#issuecomment-{comment_id}",
            "issue_url": f"{self.url}/repos/{self.repository}/issues/{number}",
            "body": body,
            "user": {"login": self.login, "id": 41898282, "type": "Bot"},
            "created_at": stamp,
            "updated_at": stamp,
            "author_association": "NONE",
        }
        self.comments.setdefault(number, []).append(comment)
        return comment

    def not_found(self) -> Reply:
        return json_reply(404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"})

    def route(self, request: Recorded, path: str) -> Reply:
        if "user-agent" not in request.headers:
            message = "Request forbidden by administrative rules. Please make sure your request has a User-Agent header"
            return Reply(403, message)
        denied = self._authenticate(request)
        if denied is not None:
            return denied
        if match := self.COMMENTS.match(path):
            if f"{match['owner']}/{match['name']}" != self.repository:
                return self.not_found()
            return self._comments(request, int(match["number"]))
        if (match := self.COMMENTS_BY_ID.match(path)) and int(match["repo_id"]) == self.repository_id:
            return self._comments(request, int(match["number"]))
        if (match := self.COMMENT.match(path)) and f"{match['owner']}/{match['name']}" == self.repository:
            return self._comment(request, int(match["id"]))
        return self.not_found()

    def _authenticate(self, request: Recorded) -> Reply | None:
        """Anonymous may read (a public repository); a bad token gets 401; a read-only one gets 403 on writes."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        write = request.method != "GET"
        if not token and write:
            return json_reply(401, {"message": "Requires authentication", "documentation_url": DOCS, "status": "401"})
        if token and (scheme.lower() not in ("bearer", "token") or token not in self.tokens | self.read_only_tokens):
            return bad_credentials()
        if write and token in self.read_only_tokens:
            body = {"message": "Resource not accessible by integration", "documentation_url": DOCS, "status": "403"}
            return json_reply(403, body)
        return None

    def _comments(self, request: Recorded, number: int) -> Reply:
        if request.method == "POST":
            invalid = self._invalid_body(request.body)
            return invalid or json_reply(201, self._new_comment(number, request.body["body"]))
        if request.method != "GET":
            return self.not_found()
        comments = self.comments.get(number, [])
        page, per_page, last = page_bounds(request.query, 30, len(comments))
        last = page + 1 if self.endless else last
        items = comments[(page - 1) * per_page : page * per_page]
        # Like GitHub, the links use the repository's numeric id, not owner/name.
        url = f"{self.url}/repositories/{self.repository_id}/issues/{number}/comments"
        links = link_header(url, {**request.query, "per_page": str(per_page)}, page, last)
        return json_reply(200, items, {"Link": links} if links else {})

    def _comment(self, request: Recorded, comment_id: int) -> Reply:
        for comments in self.comments.values():
            for index, comment in enumerate(comments):
                if comment["id"] != comment_id:
                    continue
                if request.method == "GET":
                    return json_reply(200, comment)
                if request.method == "DELETE":
                    del comments[index]
                    return Reply(204)
                if request.method == "PATCH":
                    return self._invalid_body(request.body) or json_reply(200, self._edit(comment, request.body))
        return self.not_found()

    def _edit(self, comment: dict[str, Any], body: Mapping[str, str]) -> dict[str, Any]:
        comment.update(body=body["body"], updated_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        return comment

    def _invalid_body(self, body: object) -> Reply | None:
        if not isinstance(body, dict) or not isinstance(body.get("body"), str):
            message = 'Invalid request.\n\n"body" wasn\'t supplied.'
            return json_reply(422, {"message": message, "documentation_url": DOCS, "status": "422"})
        if len(body["body"]) > self.MAX_BODY:
            return validation_failed()
        return None


@contextlib.contextmanager
def run_fake_github(**options: Any) -> Iterator[FakeGitHub]:
    """Serve a `FakeGitHub(**options)` on 127.0.0.1 for the duration of the `with` block."""
    fake = FakeGitHub(**options)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
