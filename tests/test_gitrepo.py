"""Tests for gitrepo.py's path log: one `git log` of the first-parent line, by paths or by globs of them."""

from __future__ import annotations

from docsync.gitrepo import GitRepo, _pathspecs
from tests.conftest import Repo


def test_few_paths_are_named_literally() -> None:
    assert _pathspecs(["b.py", "a/[x].py"]) == [":(literal)a/[x].py", ":(literal)b.py"]


def test_many_paths_are_globbed_by_top_folder_and_extension() -> None:
    paths = [f"src/pkg/m{i}.py" for i in range(20)] + ["docs/a.md", "docs/deep/b.md", "README.md", "we[ird]/c.py"]
    assert _pathspecs(paths) == [
        ":(glob)docs/**/*.md", ":(glob)src/**/*.py", ":(literal)README.md", ":(literal)we[ird]/c.py"
    ]  # fmt: skip


def test_the_log_by_globs_is_the_log_by_paths(git_repo: Repo) -> None:
    """Globs read more files than asked for; the log keeps only those asked for, as naming them would."""
    files = {f"src/pkg/m{i}.py": f"X = {i}\n" for i in range(30)}
    git_repo.commit({**files, "docs/a.md": "# A\n", "README.md": "# R\n", "src/pkg/other.py": "Y = 1\n"})
    git_repo.commit({"src/pkg/m3.py": "X = 33\n", "src/pkg/other.py": "Y = 2\n"})
    git_repo.commit({"src/pkg/other.py": "Y = 3\n"})  # a commit that touches none of the paths asked for
    git_repo.commit({"docs/a.md": "# AA\n", "README.md": None})
    repo = GitRepo(git_repo.path)
    wanted = [*sorted(files), "docs/a.md", "README.md"]
    by_globs = repo.path_log("HEAD", wanted)
    by_paths = [c for few in (wanted[:10], wanted[10:20], wanted[20:]) for c in repo.path_log("HEAD", few)]
    merged: dict[str, dict[str, str | None]] = {}
    for commit in by_paths:
        merged.setdefault(commit.sha, {}).update(commit.blobs)
    assert {c.sha: dict(c.blobs) for c in by_globs} == merged
    assert len(by_globs) == 3
    assert all("src/pkg/other.py" not in c.blobs for c in by_globs)
    assert by_globs[0].blobs["README.md"] is None, "a deletion has no blob"


def test_the_log_follows_the_first_parent_line(git_repo: Repo) -> None:
    """A branch's commits show as the merge that landed them, dated by it."""
    git_repo.commit({"a.py": "A = 1\n"}, day=1)
    git_repo.git("checkout", "-q", "-b", "side")
    git_repo.commit({"a.py": "A = 2\n"}, "side", day=5)
    git_repo.git("checkout", "-q", "main")
    git_repo.commit({"b.py": "B = 1\n"}, "main", day=7)
    merge = git_repo.merge("side", day=9)
    repo = GitRepo(git_repo.path)
    log = repo.path_log("HEAD", ["a.py"])
    assert [c.sha for c in log] == [merge, git_repo.git("rev-list", "--max-parents=0", "HEAD")]
    assert log[0].time == repo.commit_time(merge)
    assert repo.revisions("HEAD") == git_repo.git("rev-list", "--first-parent", "HEAD").split()
    assert set(repo.blame_times("a.py")) == {repo.commit_time(merge)}
