"""A local HTTP server that answers like the GitLab REST API v4 for merge-request notes, with scriptable faults.

Usage (or the `fake_gitlab` fixture from tests/github/conftest.py):

    with run_fake_gitlab() as fake:             # serves http://127.0.0.1:<port>/api/v4 in a thread
        fake.add_notes(3, "first", "second")
        fake.script(too_many_requests(retry_after=2))
        client = GitLabClient(fake.url, fake.project_path, TOKEN, sleep=...)

The project answers to its numeric id and to its URL-encoded path (`group%2Fsub%2Fproject`), like GitLab.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import unquote

from tests.github.fake_github import (
    FakeServer,
    Recorded,
    Reply,
    Scripted,
    dropped_connection,
    json_reply,
    link_header,
    page_bounds,
    server_error,
    slow_answer,
)

__all__ = [
    "JOB_TOKEN",
    "READ_ONLY_TOKEN",
    "TOKEN",
    "FakeGitLab",
    "dropped_connection",
    "run_fake_gitlab",
    "server_error",
    "slow_answer",
    "too_many_requests",
]

TOKEN = "glpat-writeTOKEN0123456789"
READ_ONLY_TOKEN = "glpat-readONLYtoken01234567"  # a token with the read_api scope only
JOB_TOKEN = "glcbt-64_jobTOKEN0123456789"  # what CI_JOB_TOKEN looks like: not accepted by the notes API
MAX_BODY = 1_000_000


def too_many_requests(retry_after: int | None = None, reset: float | None = None) -> Scripted:
    """GitLab's 429: a plain-text body, `Retry-After` and the `RateLimit-*` headers."""
    headers = {"RateLimit-Limit": "600", "RateLimit-Remaining": "0", "RateLimit-Observed": "601"}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    if reset is not None:
        headers["RateLimit-Reset"] = str(int(reset))
        headers["RateLimit-ResetTime"] = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(reset))
    return Scripted(429, "Retry later\n", headers)


class FakeGitLab(FakeServer):
    """Notes on one project's merge requests, behind GitLab's routes, authentication and pagination headers."""

    NOTES = re.compile(r"^/projects/(?P<project>[^/]+)/merge_requests/(?P<iid>\d+)/notes$")
    NOTE = re.compile(r"^/projects/(?P<project>[^/]+)/merge_requests/(?P<iid>\d+)/notes/(?P<id>\d+)$")

    def __init__(
        self,
        *,
        project_path: str = "group/sub/project",
        project_id: int = 42,
        tokens: Iterable[str] = (TOKEN,),
        read_only_tokens: Iterable[str] = (READ_ONLY_TOKEN,),
        prefix: str = "/api/v4",
        send_link: bool = True,
        send_next_page: bool = True,
    ) -> None:
        super().__init__(prefix)
        self.project_path, self.project_id = project_path, project_id
        self.tokens, self.read_only_tokens = set(tokens), set(read_only_tokens)
        self.send_link, self.send_next_page = send_link, send_next_page
        self.notes: dict[int, list[dict[str, Any]]] = {}
        self._next_id = 501
        self.endless = False  # every page of notes says there is a next one, for ever (a misbehaving server)

    def add_notes(self, iid: int, *bodies: str, system: bool = False) -> list[int]:
        """Seed notes on merge request `iid` (oldest first); returns their ids."""
        with self.lock:
            return [self._new_note(iid, body, system)["id"] for body in bodies]

    def bodies(self, iid: int) -> list[str]:
        with self.lock:
            return [note["body"] for note in self.notes.get(iid, [])]

    def _new_note(self, iid: int, body: str, system: bool = False) -> dict[str, Any]:
        note_id, self._next_id = self._next_id, self._next_id + 1
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(1_700_000_000 + note_id))
        note = {
            "id": note_id,
            "type": None,
            "body": body,
            "attachment": None,
            "author": {"id": 1, "username": "project_42_bot", "name": "docsync bot", "state": "active"},
            "created_at": stamp,
            "updated_at": stamp,
            "system": system,
            "noteable_id": 10_000 + iid,
            "noteable_type": "MergeRequest",
            "project_id": self.project_id,
            "resolvable": False,
            "confidential": False,
            "internal": False,
            "noteable_iid": iid,
        }
        self.notes.setdefault(iid, []).append(note)
        return note

    def not_found(self) -> Reply:
        return json_reply(404, {"error": "404 Not Found"})

    def route(self, request: Recorded, path: str) -> Reply:
        match = self.NOTES.match(path) or self.NOTE.match(path)
        if match is None:
            return self.not_found()
        denied = self._authenticate(request)
        if denied is not None:
            return denied
        if unquote(match["project"]) not in (str(self.project_id), self.project_path):
            return json_reply(404, {"message": "404 Project Not Found"})
        iid = int(match["iid"])
        if "id" in match.groupdict():
            return self._note(request, iid, int(match["id"]))
        return self._notes(request, iid)

    def _authenticate(self, request: Recorded) -> Reply | None:
        """Anonymous may read (a public project); an unknown token gets 401; read_api gets 403 on writes."""
        token = request.headers.get("private-token", "")
        write = request.method != "GET"
        if "job-token" in request.headers or (token and token not in self.tokens | self.read_only_tokens):
            return json_reply(401, {"message": "401 Unauthorized"})
        if not token and write:
            return json_reply(401, {"message": "401 Unauthorized"})
        if write and token in self.read_only_tokens:
            body = {
                "error": "insufficient_scope",
                "error_description": "The request requires higher privileges than provided by the access token.",
                "scope": "api",
            }
            return json_reply(403, body)
        return None

    def _notes(self, request: Recorded, iid: int) -> Reply:
        if request.method == "POST":
            return self._invalid_body(request.body) or json_reply(201, self._new_note(iid, request.body["body"]))
        if request.method != "GET":
            return json_reply(405, {"error": "405 Method Not Allowed"})
        # GitLab's default order is newest first.
        ascending = request.query.get("sort", "desc") == "asc"
        notes = sorted(self.notes.get(iid, []), key=lambda note: note["id"], reverse=not ascending)
        page, per_page, last = page_bounds(request.query, 20, len(notes))
        last = page + 1 if self.endless else last
        items = notes[(page - 1) * per_page : page * per_page]
        query = {**request.query, "per_page": str(per_page)}
        return json_reply(200, items, self._page_headers(query, page, per_page, last, len(notes), iid))

    def _page_headers(
        self, query: Mapping[str, str], page: int, per_page: int, last: int, total: int, iid: int
    ) -> dict[str, str]:
        headers = {"X-Page": str(page), "X-Per-Page": str(per_page), "X-Total": str(total)}
        headers.update({"X-Total-Pages": str(last), "X-Prev-Page": str(page - 1) if page > 1 else ""})
        if self.send_next_page:
            headers["X-Next-Page"] = str(page + 1) if page < last else ""
        url = f"{self.url}/projects/{self.project_id}/merge_requests/{iid}/notes"
        if self.send_link and (links := link_header(url, query, page, last)):
            headers["Link"] = links
        return headers

    def _note(self, request: Recorded, iid: int, note_id: int) -> Reply:
        notes = self.notes.get(iid, [])
        note = next((note for note in notes if note["id"] == note_id), None)
        if note is None:
            return json_reply(404, {"message": "404 Not found"})
        if request.method == "GET":
            return json_reply(200, note)
        if request.method == "DELETE":
            notes.remove(note)
            return Reply(204)
        if request.method == "PUT":
            if invalid := self._invalid_body(request.body):
                return invalid
            note.update(body=request.body["body"], updated_at=time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()))
            return json_reply(200, note)
        return json_reply(405, {"error": "405 Method Not Allowed"})

    def _invalid_body(self, body: object) -> Reply | None:
        if not isinstance(body, dict) or not isinstance(body.get("body"), str):
            return json_reply(400, {"error": "body is missing"})
        if len(body["body"]) > MAX_BODY:
            return json_reply(400, {"message": {"note": [f"is too long (maximum is {MAX_BODY} characters)"]}})
        return None


@contextlib.contextmanager
def run_fake_gitlab(**options: Any) -> Iterator[FakeGitLab]:
    """Serve a `FakeGitLab(**options)` on 127.0.0.1 for the duration of the `with` block."""
    fake = FakeGitLab(**options)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
