"""HEAD's tree listed in the background is the tree `GitRepo` lists, and only for the commit and repository it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from docsync import tree_prefetch
from docsync.gitrepo import GitRepo
from tests.conftest import Repo


@pytest.fixture(autouse=True)
def _nothing_started() -> None:
    tree_prefetch._started.clear()


def _listed_by_git(repo: GitRepo, commit: str) -> dict[str, object]:
    return dict(repo.tree(commit))


def _no_git(*args: str) -> str:
    raise AssertionError(f"git asked: {args}")


def test_a_prefetched_tree_is_the_tree_and_git_is_not_asked_again(git_repo: Repo) -> None:
    git_repo.commit({"src/pkg/a.py": "x = 1\n", "docs/a b.md": "text\n", "odd\tname.py": "y = 2\n"})
    repo = GitRepo(git_repo.path)
    head = repo.resolve("HEAD")
    expected = _listed_by_git(repo, head)
    tree_prefetch.start(str(git_repo.path / "src"))  # from a folder inside the work tree, as `-C src` would
    repo._run = _no_git  # type: ignore[method-assign]
    assert dict(repo.tree(head)) == expected
    assert tree_prefetch._started == [], "taken once"
    repo.close()


def test_a_commit_made_after_the_start_is_listed_again(git_repo: Repo) -> None:
    git_repo.commit({"a.py": "x = 1\n"})
    tree_prefetch.start(str(git_repo.path))
    tree_prefetch._started[0][0].join()
    git_repo.commit({"b.py": "y = 2\n"})
    repo = GitRepo(git_repo.path)
    assert set(repo.tree(repo.resolve("HEAD"))) == {"a.py", "b.py"}
    repo.close()


def test_a_listing_of_another_repository_is_not_taken(git_repo: Repo, tmp_path: Path) -> None:
    git_repo.commit({"a.py": "x = 1\n"})
    other = Repo(tmp_path / "other")
    other.commit({"a.py": "x = 1\n"})  # the same tree, even the same commit id is possible: the root decides
    tree_prefetch.start(str(other.path))
    assert tree_prefetch.take(git_repo.path.resolve(), GitRepo(git_repo.path).resolve("HEAD")) is None


@pytest.mark.parametrize("kind", ["no commits", "not a repository"])
def test_nothing_to_list_is_no_error(tmp_path: Path, kind: str) -> None:
    if kind == "no commits":
        Repo(tmp_path / "repo")
    else:
        (tmp_path / "repo").mkdir()
    tree_prefetch.start(str(tmp_path / "repo"))
    assert tree_prefetch.take(tmp_path / "repo", "0" * 40) is None
