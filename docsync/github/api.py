"""GitHub's REST API: the comments of one repository's pull requests (the sticky comment's thread)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from docsync.rest import ApiError, Comment, PermissionDenied, RestClient, Transport

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack is 3.11+; only the type checker reads this

__all__ = ["ApiError", "Comment", "GitHubClient", "PermissionDenied"]


class GitHubClient(RestClient):
    """Comments on one repository's pull requests (issue comments), through the GitHub REST API."""

    service = "GitHub"
    target = "pull request"
    read_only_cause = "fork or read-only token"
    token_hint = "check GITHUB_TOKEN: it may be expired, revoked, or meant for another GitHub host"
    write_hint = "pull requests from forks get a read-only token; otherwise grant `permissions: pull-requests: write`"

    def __init__(self, api_url: str, repository: str, token: str | None, **transport: Unpack[Transport]) -> None:
        super().__init__(api_url, token, **transport)
        owner, _, name = repository.strip("/").partition("/")
        if not owner or not name or "/" in name:
            raise self._error(
                ApiError, f"the repository must be 'owner/name', not {repository!r}", "check GITHUB_REPOSITORY"
            )
        self.repository = f"{owner}/{name}"
        self._repo_url = f"{self.api_url}/repos/{quote(owner, safe='')}/{quote(name, safe='')}"

    def __repr__(self) -> str:
        return f"GitHubClient({self.api_url!r}, {self.repository!r}, token={'***' if self._token else None})"

    def _headers(self) -> dict[str, str]:
        headers = {**super()._headers(), "Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        return headers

    def comments(self, number: int) -> Iterator[Comment]:
        """Every comment on pull request `number`, oldest first, page after page."""
        for page in self._pages(f"{self._repo_url}/issues/{int(number)}/comments?per_page=100"):
            for item in page:
                yield Comment(*self._record(item))

    def find_comment(self, number: int, marker: str) -> Comment | None:
        """The first comment whose body contains `marker` (reading no further pages than needed), or None."""
        return next((comment for comment in self.comments(number) if marker in comment.body), None)

    def create_comment(self, number: int, body: str) -> Comment:
        response = self._request("POST", f"{self._repo_url}/issues/{int(number)}/comments", {"body": body})
        return Comment(*self._record(self._json(response)))

    def update_comment(self, comment_id: int, body: str) -> Comment:
        response = self._request("PATCH", f"{self._repo_url}/issues/comments/{int(comment_id)}", {"body": body})
        return Comment(*self._record(self._json(response)))

    def delete_comment(self, comment_id: int) -> None:
        self._request("DELETE", f"{self._repo_url}/issues/comments/{int(comment_id)}")

    def thread(self, number: int) -> PullRequestThread:
        return PullRequestThread(self, number)


@dataclass(frozen=True, slots=True)
class PullRequestThread:
    """The comments of one pull request, as `rest.keep_sticky` reads and writes them."""

    client: GitHubClient
    number: int

    def find(self, marker: str) -> Comment | None:
        return self.client.find_comment(self.number, marker)

    def create(self, body: str) -> Comment:
        return self.client.create_comment(self.number, body)

    def update(self, comment_id: int, body: str) -> Comment:
        return self.client.update_comment(comment_id, body)
