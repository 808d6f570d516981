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


def test_the_files_of_a_tree_and_of_the_index_are_regular_files_only(git_repo: Repo) -> None:
    """Symlinks and submodules are not files to read; a path may hold tabs, line breaks and mode-like text; the
    stages of a conflict are left out of the index."""
    odd = "docs/we\tird\n100644 blob x.md"
    git_repo.commit({"a.py": "A = 1\n", "run.sh": "echo\n", odd: "# odd\n", "c.py": "C = 0\n"})
    git_repo.git("update-index", "--chmod=+x", "run.sh")
    (git_repo.path / "link 100644 blob abc\tz.py").symlink_to("a.py")  # a record that reads like one inside it
    git_repo.git("add", "-A")
    commit = git_repo.git("rev-parse", "HEAD").strip()
    git_repo.git("update-index", "--add", "--cacheinfo", f"160000,{commit},vendored")  # a submodule
    git_repo.git("commit", "-q", "-m", "links")
    git_repo.git("checkout", "-q", "-b", "side")
    git_repo.commit({"c.py": "C = 1\n"}, "side")
    git_repo.git("checkout", "-q", "main")
    git_repo.commit({"c.py": "C = 2\n"}, "main")
    git_repo.git("merge", "-q", "side", check=False)  # c.py conflicts: stages 1-3
    repo = GitRepo(git_repo.path)
    blob = {path: git_repo.git("rev-parse", f"HEAD:{path}").strip() for path in ("a.py", "run.sh", odd, "c.py")}
    assert {path: entry.blob for path, entry in repo.tree("HEAD").items()} == blob
    assert {path: entry.blob for path, entry in repo.index().items()} == {p: b for p, b in blob.items() if p != "c.py"}
    assert repo.index(sizes=True).keys() == repo.index().keys()


def test_a_commit_patched_with_the_index_changes_is_the_index(git_repo: Repo) -> None:
    """Edited, added, deleted, renamed, made executable, a symlink, an intent to add, a conflict: all as listed."""
    git_repo.commit({"a.py": "A = 1\n", "b.py": "B = 1\n", "c.py": "C = 0\n", "d.py": "D = 1\n", "e.sh": "echo\n"})
    git_repo.git("checkout", "-q", "-b", "side")
    git_repo.commit({"c.py": "C = 1\n"}, "side")
    git_repo.git("checkout", "-q", "main")
    git_repo.commit({"c.py": "C = 2\n"}, "main")
    git_repo.git("merge", "-q", "side", check=False)  # c.py conflicts
    git_repo.write({"a.py": "A = 2\n", "b.py": None, "n.py": "N = 1\n", "d2.py": "D = 1\n", "d.py": None, "i.py": ""})
    git_repo.git("add", "a.py", "b.py", "n.py", "d.py", "d2.py")
    git_repo.git("add", "-N", "i.py")
    git_repo.git("update-index", "--chmod=+x", "e.sh")
    (git_repo.path / "l.py").symlink_to("a.py")
    git_repo.git("add", "l.py")
    repo = GitRepo(git_repo.path)
    changes = repo.index_changes("HEAD")
    patched = {**repo.tree("HEAD"), **changes}
    assert {path: entry for path, entry in patched.items() if entry is not None} == repo.index()
    assert changes.keys() == {"a.py", "b.py", "c.py", "d.py", "d2.py", "n.py", "i.py", "e.sh", "l.py"}
