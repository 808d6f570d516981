"""GitLab's REST API v4: the notes of one project's merge requests (the sticky note's thread).

Writing notes needs a project, group or personal access token with the `api` scope, sent as `PRIVATE-TOKEN`.
CI_JOB_TOKEN cannot write notes: GitLab refuses it on the notes API. Errors are the shared transport's classes
(`docsync.rest.ApiError` and `PermissionDenied`), so one `except` handles both services.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import requests

from docsync.rest import ApiError, Comment, PermissionDenied, RestClient, Transport

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack is 3.11+; only the type checker reads this

__all__ = ["ApiError", "GitLabClient", "Note", "PermissionDenied"]


Note = Comment  # GitLab calls a merge request's comments notes


class GitLabClient(RestClient):
    """Notes on one project's merge requests, through the GitLab REST API v4."""

    service = "GitLab"
    target = "merge request"
    token_hint = "use a project or personal access token with the api scope (CI_JOB_TOKEN cannot write notes)"
    write_hint = "use a project or personal access token with the api scope and at least the Reporter role"
    # requests strips `Authorization` when a redirect leaves the host, but not `PRIVATE-TOKEN`: never follow one.
    follow_redirects = False

    def __init__(self, api_url: str, project_id: str, token: str | None, **transport: Unpack[Transport]) -> None:
        super().__init__(api_url, token, **transport)
        self.project_id = str(project_id).strip("/")
        # "group/project" is one path segment for GitLab: its slashes must be encoded as %2F.
        self._project_url = f"{self.api_url}/projects/{quote(self.project_id, safe='')}"

    def __repr__(self) -> str:
        return f"GitLabClient({self.api_url!r}, {self.project_id!r}, token={'***' if self._token else None})"

    def _headers(self) -> dict[str, str]:
        headers = {**super()._headers(), "Accept": "application/json"}
        if self._token:
            headers["PRIVATE-TOKEN"] = self._token
        return headers

    def _next_url(self, response: requests.Response, url: str) -> str | None:
        """GitLab's `X-Next-Page` (empty on the last page), else the `Link` header for endpoints that omit it."""
        next_page = response.headers.get("X-Next-Page")
        if next_page is None:
            return super()._next_url(response, url)
        if not next_page.strip().isdigit():
            return None
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        query["page"] = next_page.strip()
        return urlunsplit(parts._replace(query=urlencode(query)))

    def _notes_url(self, iid: int) -> str:
        return f"{self._project_url}/merge_requests/{int(iid)}/notes"

    def notes(self, iid: int) -> Iterator[Note]:
        """Every note on merge request `iid`, oldest first (GitLab's default order is newest first)."""
        query = urlencode({"per_page": 100, "page": 1, "sort": "asc", "order_by": "created_at"})
        for page in self._pages(f"{self._notes_url(iid)}?{query}"):
            for item in page:
                yield Note(*self._record(item))

    def find_note(self, iid: int, marker: str) -> Note | None:
        """The oldest note whose body contains `marker` (reading no further pages than needed), or None."""
        return next((note for note in self.notes(iid) if marker in note.body), None)

    def create_note(self, iid: int, body: str) -> Note:
        response = self._request("POST", self._notes_url(iid), {"body": body})
        return Note(*self._record(self._json(response)))

    def update_note(self, iid: int, note_id: int, body: str) -> Note:
        response = self._request("PUT", f"{self._notes_url(iid)}/{int(note_id)}", {"body": body})
        return Note(*self._record(self._json(response)))

    def delete_note(self, iid: int, note_id: int) -> None:
        self._request("DELETE", f"{self._notes_url(iid)}/{int(note_id)}")

    def thread(self, iid: int) -> MergeRequestThread:
        return MergeRequestThread(self, iid)


@dataclass(frozen=True, slots=True)
class MergeRequestThread:
    """The notes of one merge request, as `rest.keep_sticky` reads and writes them."""

    client: GitLabClient
    iid: int

    def find(self, marker: str) -> Comment | None:
        return self.client.find_note(self.iid, marker)

    def create(self, body: str) -> Comment:
        return self.client.create_note(self.iid, body)

    def update(self, comment_id: int, body: str) -> Comment:
        return self.client.update_note(self.iid, comment_id, body)
