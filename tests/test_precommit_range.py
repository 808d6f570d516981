"""Which check the pre-commit hook runs, from pre-commit's environment and the index (`precommit.hook_range`)."""

from __future__ import annotations

from docsync.gitrepo import GitRepo
from docsync.precommit import HookRange, hook_range
from tests.conftest import Repo

NULL = "0" * 40


def test_a_ref_range_wins_over_the_index(git_repo: Repo) -> None:
    first = git_repo.commit({"a.py": "x = 1\n"})
    second = git_repo.commit({"a.py": "x = 2\n"})
    git_repo.stage({"a.py": "x = 3\n"})
    env = {"PRE_COMMIT_FROM_REF": first, "PRE_COMMIT_TO_REF": second}
    assert hook_range(GitRepo(git_repo.path), env) == HookRange(base=first, head=second)
    legacy = {"PRE_COMMIT_SOURCE": first, "PRE_COMMIT_ORIGIN": second}  # pre-commit before 2.0
    assert hook_range(GitRepo(git_repo.path), legacy) == HookRange(base=first, head=second)


def test_a_new_branch_pushed_checks_its_head_whole(git_repo: Repo) -> None:
    head = git_repo.commit({"a.py": "x = 1\n"})
    env = {"PRE_COMMIT_FROM_REF": NULL, "PRE_COMMIT_TO_REF": head}
    assert hook_range(GitRepo(git_repo.path), env) == HookRange(head=head)


def test_staged_change_then_nothing_staged(git_repo: Repo) -> None:
    git_repo.commit({"a.py": "x = 1\n"})
    repo = GitRepo(git_repo.path)
    assert hook_range(repo, {}) == HookRange()  # `--all-files`, pre-commit.ci: the whole work tree
    git_repo.stage({"a.py": "x = 2\n"})
    assert hook_range(GitRepo(git_repo.path), {}) == HookRange(staged=True)


def test_a_deletion_and_a_first_commit_count_as_staged(git_repo: Repo) -> None:
    assert hook_range(GitRepo(git_repo.path), {}) == HookRange()  # an empty repository: nothing at all
    git_repo.stage({"a.py": "x = 1\n"})
    assert GitRepo(git_repo.path).has_staged_changes()  # before the first commit
    git_repo.commit({})
    git_repo.git("rm", "-q", "--cached", "a.py")
    assert hook_range(GitRepo(git_repo.path), {}) == HookRange(staged=True)
