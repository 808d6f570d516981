"""The git plumbing: blob reads through one long-lived process, failures as one clear line, discovery."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from docsync.errors import RepoError
from docsync.gitexec import BlobReader, GitFailed, run_git
from docsync.gitrepo import GitRepo, blob_id
from tests.conftest import Repo, git_env


def test_blobs_of_every_size_and_byte(git_repo: Repo) -> None:
    contents = [b"", b"\n", b"x" * 70_000, bytes(range(256)) * 40, "caf\u00e9\r\n".encode()]
    git_repo.commit({f"f{n}.bin": data for n, data in enumerate(contents)})
    reader = BlobReader(git_repo.path)
    try:
        for data in contents * 2:  # the same process serves them all, in any order
            assert reader.read(blob_id(data)) == data
    finally:
        reader.close()


def test_blob_reads_from_many_threads(git_repo: Repo) -> None:
    contents = [f"file {n}\n".encode() * n for n in range(60)]
    git_repo.commit({f"f{n}.txt": data for n, data in enumerate(contents)})
    repo = GitRepo(git_repo.path)
    try:
        with ThreadPoolExecutor(8) as pool:
            assert list(pool.map(repo.read_blob, [blob_id(d) for d in contents])) == contents
    finally:
        repo.close()


def test_a_missing_blob_is_one_clear_error_and_the_reader_goes_on(git_repo: Repo) -> None:
    git_repo.commit({"a.txt": "a\n"})
    repo = GitRepo(git_repo.path)
    try:
        with pytest.raises(RepoError, match="cannot read git object 012345678901: missing"):
            repo.read_blob("0123456789" * 4)
        with pytest.raises(RepoError, match="not an object id"):
            repo.read_blob("HEAD:a.txt")  # only ids: never a revision expression
        assert repo.read_blob(blob_id(b"a\n")) == b"a\n"
    finally:
        repo.close()


def test_failures_carry_gits_own_message(git_repo: Repo) -> None:
    with pytest.raises(GitFailed, match="Needed a single revision") as caught:
        run_git(git_repo.path, ["rev-parse", "--verify", "--end-of-options", "nope^{commit}"])
    assert "\n" not in caught.value.message


def test_git_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no git on this PATH
    with pytest.raises(GitFailed, match="git is not installed"):
        run_git(tmp_path, ["status"])
    with pytest.raises(RepoError, match="is git installed"):
        GitRepo(tmp_path)


def test_discovery_from_a_subfolder_and_a_linked_worktree(git_repo: Repo, tmp_path: Path) -> None:
    git_repo.commit({"src/pkg/mod.py": "X = 1\n"})
    inner = GitRepo(git_repo.path / "src" / "pkg")
    assert inner.root == git_repo.path.resolve()
    assert inner.git_dir == (git_repo.path / ".git").resolve()
    inner.close()
    git_repo.git("worktree", "add", "-q", str(tmp_path / "linked"))
    linked = GitRepo(tmp_path / "linked")
    assert linked.root == (tmp_path / "linked").resolve()
    assert linked.git_dir == (git_repo.path / ".git").resolve()  # the cache is shared by all work trees
    linked.close()


def test_messages_are_in_english_whatever_the_locale(git_repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in git_env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    with pytest.raises(GitFailed, match="Needed a single revision"):
        run_git(git_repo.path, ["rev-parse", "--verify", "--end-of-options", "nope^{commit}"])


# --- revisions that look like options (issue 13): git never reads them as options -----------------


def _calls(repo: GitRepo, rev: str) -> dict[str, object]:
    """Every GitRepo question that takes a revision, asked about `rev`."""
    return {
        "has_revision": lambda: repo.has_revision(rev),
        "resolve": lambda: repo.resolve(rev),
        "merge_base": lambda: repo.merge_base(rev, "HEAD"),
        "merge_base-head": lambda: repo.merge_base("HEAD", rev),
        "tree": lambda: repo.tree(rev),
        "changed_paths-worktree": lambda: repo.changed_paths(rev, "WORKTREE"),
        "changed_paths-index": lambda: repo.changed_paths(rev, None),
        "changed_paths": lambda: repo.changed_paths("HEAD", rev),
        "changed_lines": lambda: repo.changed_lines(rev, "WORKTREE", ["a.txt"]),
        "file_history": lambda: repo.file_history(rev, "HEAD", "a.txt"),
        "path_log": lambda: repo.path_log(rev, ["a.txt"]),
        "rename_source": lambda: repo.rename_source(rev, "a.txt"),
        "commit_subjects": lambda: repo.commit_subjects([rev]),
        "first_parent_log": lambda: repo.first_parent_log(rev, 3),
        "commit_time": lambda: repo.commit_time(rev),
        "revisions": lambda: repo.revisions(rev),
        "blame_times": lambda: repo.blame_times("a.txt", rev),
        "fetch": lambda: repo.fetch("origin", rev),
        "fetch-remote": lambda: repo.fetch(rev),
        "deepen_until": lambda: repo.deepen_until(rev, "HEAD"),
    }


@pytest.mark.parametrize("question", list(_calls(None, "").keys()))  # type: ignore[arg-type]
def test_a_revision_that_looks_like_an_option_stays_a_revision(git_repo: Repo, tmp_path: Path, question: str) -> None:
    git_repo.commit({"a.txt": "a\n"})
    git_repo.commit({"a.txt": "b\n"})
    origin = tmp_path / "origin.git"
    run_git(tmp_path, ["clone", "-q", "--bare", str(git_repo.path), str(origin)])
    git_repo.git("remote", "add", "origin", str(origin))
    written, ran = tmp_path / "written", tmp_path / "ran"
    repo = GitRepo(git_repo.path)
    try:
        for rev in (f"--output={written}", f"--upload-pack=touch {ran};true", f"--exec=touch {ran}"):
            try:
                answer = _calls(repo, rev)[question]()  # type: ignore[operator]
            except RepoError:
                continue  # "unknown revision", or git's own complaint: fine
            assert not answer, answer  # no such revision, nothing fetched, nothing found
    finally:
        repo.close()
    assert not written.exists()
    assert not ran.exists()
