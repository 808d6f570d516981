"""Tests for history/log.py: the History of some files up to one commit (versions, moves, commit counts, blames)."""

from __future__ import annotations

import pytest

from docsync.history.log import History
from docsync.history.store import Version
from docsync.workspace import Workspace
from tests.history.conftest import GUIDE, Shop, blob_of, spy, time_of

PATHS = ["shop/basket.py", "docs/guide.md"]


def version(shop: Shop, commit: str, path: str) -> Version:
    return Version(commit, time_of(shop.repo, commit), blob_of(shop.repo, commit, path))


def history(shop: Shop, workspace: Workspace, head: str = "HEAD", **options: object) -> History:
    return History(workspace.repo, workspace.versions, head, PATHS, **options)  # type: ignore[arg-type]


def test_versions_are_newest_first(shop: Shop, workspace: Workspace) -> None:
    found = history(shop, workspace)
    assert found.versions("docs/guide.md") == [
        version(shop, shop.followed, "docs/guide.md"),
        version(shop, shop.created, "docs/guide.md"),
    ]
    assert found.versions("shop/basket.py") == [version(shop, shop.moved, "shop/basket.py")]
    assert found.last_touch("docs/guide.md") == version(shop, shop.followed, "docs/guide.md")
    assert found.versions("shop/cart.py") == [], "only the paths asked for"
    assert found.last_touch("shop/cart.py") is None
    assert found.head_time == time_of(shop.repo, shop.followed)


def test_a_deleted_file_has_a_version_without_a_blob(shop: Shop, workspace: Workspace) -> None:
    gone = shop.repo.commit({"docs/guide.md": None}, "drop the guide", day=5)
    assert history(shop, workspace).versions("docs/guide.md")[0] == Version(gone, time_of(shop.repo, gone), None)


def test_versions_up_to_the_head_given(shop: Shop, workspace: Workspace) -> None:
    found = history(shop, workspace, head=shop.qty)
    assert found.versions("docs/guide.md") == [version(shop, shop.created, "docs/guide.md")]
    assert found.versions("shop/basket.py") == []
    assert found.head_time == time_of(shop.repo, shop.qty)


def test_follow_rename_extends_the_history_past_a_move(
    shop: Shop, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    moves = spy(monkeypatch, workspace.versions, "versions_before_move")
    found = history(shop, workspace)
    assert found.follow_rename("shop/basket.py") is True
    assert found.versions("shop/basket.py") == [
        version(shop, shop.moved, "shop/basket.py"),
        version(shop, shop.qty, "shop/cart.py"),
        version(shop, shop.created, "shop/cart.py"),
    ]
    assert found.follow_rename("shop/basket.py") is False, "followed once"
    assert moves == [("shop/basket.py", shop.moved)]


@pytest.mark.parametrize("path", ["docs/guide.md", "shop/cart.py"], ids=["not-moved", "no-versions"])
def test_follow_rename_without_a_move(shop: Shop, workspace: Workspace, path: str) -> None:
    found = history(shop, workspace)
    before = found.versions(path)
    assert found.follow_rename(path) is False
    assert found.versions(path) == before


def test_commits_since(shop: Shop, workspace: Workspace) -> None:
    found = history(shop, workspace)
    counts = [found.commits_since(c) for c in (shop.followed, shop.moved, shop.qty, shop.created)]
    assert counts == [0, 1, 2, 3]
    assert found.commits_since("0" * 40) == 0


def test_fingerprints_and_symbols_of_versions(shop: Shop, workspace: Workspace) -> None:
    found = history(shop, workspace)
    found.follow_rename("shop/basket.py")
    newest, middle, oldest = found.versions("shop/basket.py")
    path = "shop/basket.py"
    found.prefetch_fingerprints([(path, v, "add") for v in (newest, middle, oldest)] + [(path, None, "add")])
    found.prefetch_symbols([(path, oldest, "add")])
    assert found.fingerprint(path, newest, "add") == found.fingerprint(path, middle, "add")  # the move kept it
    assert found.fingerprint(path, middle, "add") != found.fingerprint(path, oldest, "add")
    assert found.fingerprint(path, oldest, "gone") is None
    symbol = found.symbol(path, oldest, "add")
    assert symbol is not None
    assert symbol.signature is not None
    assert symbol.signature.text == "(cart, item)"
    deleted = Version(shop.followed, 0, None)
    assert (found.fingerprint(path, deleted, "add"), found.symbol(path, deleted, "add")) == (None, None)


# -- section_time (blame) --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "written"),
    [
        pytest.param(1, 2, "created", id="untouched-lines"),
        pytest.param(1, 3, "followed", id="a-line-the-move-changed"),
        pytest.param(5, 6, "created", id="a-heading"),
        pytest.param(5, 1 << 31, "followed", id="to-the-end"),
        pytest.param(8, 9, None, id="past-the-end"),
    ],
)
def test_section_time(shop: Shop, workspace: Workspace, start: int, end: int, written: str | None) -> None:
    found = history(shop, workspace, blame_rev=shop.followed)
    assert found.section_time("docs/guide.md", start, end) == (
        time_of(shop.repo, getattr(shop, written)) if written else None
    )


def test_section_time_of_an_untracked_doc_is_none(shop: Shop, workspace: Workspace) -> None:
    shop.repo.write({"docs/new.md": "# New\n"})
    found = History(workspace.repo, workspace.versions, "HEAD", ["docs/new.md"])
    assert found.section_time("docs/new.md", 1, 1) is None


def test_section_time_in_the_work_tree_sees_uncommitted_edits(shop: Shop, workspace: Workspace) -> None:
    shop.repo.write({"docs/guide.md": GUIDE.replace("# Guide", "# The guide")})
    found = history(shop, workspace)  # blame_rev None: the work tree
    edited = found.section_time("docs/guide.md", 1, 1)
    assert edited is not None
    assert edited > found.head_time  # uncommitted lines are as new as now
    assert found.section_time("docs/guide.md", 2, 2) == time_of(shop.repo, shop.created)


def test_a_doc_version_is_blamed_once_across_histories(
    shop: Shop, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    later = shop.repo.commit({"README.md": "# Shop\n"}, "a readme", day=5)
    blamed = spy(monkeypatch, workspace.repo, "blame_times")
    blobs = {"docs/guide.md": blob_of(shop.repo, later, "docs/guide.md")}
    times = []
    for head in (shop.followed, later):  # the same version of the guide at both commits
        found = history(shop, workspace, head=head, blame_rev=head, doc_blobs=blobs)
        found.prefetch_blames(["docs/guide.md", "shop/cart.py"])  # a path without versions is not blamed
        times.append(found.section_time("docs/guide.md", 1, 3))
    assert times == [time_of(shop.repo, shop.followed)] * 2
    assert blamed == [("docs/guide.md", shop.followed)]


# -- a log passed in -------------------------------------------------------------------------------------------


def test_a_log_passed_in_is_cut_at_the_head_s_time(
    shop: Shop, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = workspace.versions.path_log(shop.followed, PATHS)
    logs = spy(monkeypatch, workspace.versions, "path_log")
    found = history(shop, workspace, head=shop.moved, log=log)
    assert logs == [], "the log given is not read again"
    assert found.head_time == time_of(shop.repo, shop.moved)
    assert found.versions("docs/guide.md") == [version(shop, shop.created, "docs/guide.md")]  # `followed` is later
    assert found.versions("shop/basket.py") == [version(shop, shop.moved, "shop/basket.py")]
    # Commits are counted in that log: `created` is the next commit in it after `moved`.
    assert (found.commits_since(shop.moved), found.commits_since(shop.created)) == (0, 1)
    assert found.commits_since(shop.followed) == 0, "cut off"
