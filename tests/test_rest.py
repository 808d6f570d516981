"""Tests for rest.keep_sticky: one comment per pull or merge request, whatever the host (the hosts' clients are
tested against local servers in tests/github/)."""

from __future__ import annotations

import pytest

from docsync.rest import Comment, keep_sticky

MARKER, RESOLVED = "<!-- m -->", "all fresh"


class Thread:
    """A pull request's comments, in memory: keep_sticky's contract is only find/create/update."""

    def __init__(self, comments: list[Comment]) -> None:
        self.comments = comments
        self.writes: list[str] = []

    def find(self, marker: str) -> Comment | None:
        return next((c for c in self.comments if marker in c.body), None)

    def create(self, body: str) -> Comment:
        self.writes.append(f"create {body}")
        self.comments.append(Comment(len(self.comments) + 1, body))
        return self.comments[-1]

    def update(self, comment_id: int, body: str) -> Comment:
        self.writes.append(f"update {comment_id} {body}")
        return Comment(comment_id, body)


@pytest.mark.parametrize(
    ("existing", "body", "writes"),
    [
        pytest.param([], None, [], id="nothing to say, nothing said: no comment"),
        pytest.param([], f"{MARKER} 2 findings", [f"create {MARKER} 2 findings"], id="first finding: created"),
        pytest.param([Comment(7, "unrelated")], "x " + MARKER, ["create x " + MARKER], id="others' comments ignored"),
        pytest.param([Comment(7, f"{MARKER} old")], f"{MARKER} new", [f"update 7 {MARKER} new"], id="edited"),
        pytest.param([Comment(7, f"{MARKER} same")], f"{MARKER} same", [], id="unchanged: no write"),
        pytest.param([Comment(7, f"{MARKER} old")], None, [f"update 7 {MARKER}\n{RESOLVED}\n"], id="fresh again"),
        pytest.param([Comment(7, f"{MARKER}\n{RESOLVED}\n")], None, [], id="already said fresh: no write"),
    ],
)
def test_keep_sticky(existing: list[Comment], body: str | None, writes: list[str]) -> None:
    thread = Thread(existing)
    keep_sticky(thread, MARKER, body, RESOLVED)
    assert thread.writes == writes
