"""Tests for `docsync accept`: concurrent acceptances of different docs all reach `.docsync.lock`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import docsync
from docsync import lockfile
from docsync.lockfile import LOCK_NAME, read_lock
from tests.conftest import Repo, run

PACKAGE_ROOT = str(Path(docsync.__file__).resolve().parent.parent)
DOCS = 24


def _many_docs(repo: Repo) -> list[str]:
    code = "".join(f"def f{n}(a):\n    return a + {n}\n\n\n" for n in range(DOCS))
    docs = {f"docs/d{n:02}.md": f"# Doc {n}\n\nCall `pkg.m.f{n}`.\n" for n in range(DOCS)}
    repo.commit({"pkg/__init__.py": "", "pkg/m.py": code, **docs}, "docs")
    return sorted(docs)


def _start_accept(repo: Repo, doc: str, env: dict[str, str]) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "docsync", "accept", "-C", str(repo.path), doc]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_concurrent_accepts_of_different_docs_are_all_kept(git_repo: Repo, tmp_path: Path) -> None:
    """Regression test for issue 13, item 11: four concurrent accepts lost 7 of 60 updates."""
    docs = _many_docs(git_repo)
    env = {**os.environ, "DOCSYNC_CACHE_DIR": str(tmp_path / "cache")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [PACKAGE_ROOT, env.get("PYTHONPATH")]))
    assert run(git_repo, "map").code == 0  # a warm cache: the accepts are quick, and overlap where they write
    for _ in range(3):
        (git_repo.path / LOCK_NAME).unlink(missing_ok=True)
        processes = [_start_accept(git_repo, doc, env) for doc in docs]
        results = [(process.wait(timeout=120), *process.communicate()) for process in processes]
        assert all(code == 0 for code, _, _ in results), results
        assert all(out.startswith("Accepted 1 doc (1 symbol references)") for _, out, _ in results), results
        lock = read_lock(git_repo.path)
        assert lock is not None
        assert sorted(lock.docs) == docs, f"lost: {sorted(set(docs) - set(lock.docs))}"


HOLDER = """
import fcntl, os, sys
descriptor = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(descriptor, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()  # until the test closes our stdin
"""


def test_a_lock_held_too_long_is_a_one_line_error(git_repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    _many_docs(git_repo)
    monkeypatch.setattr(lockfile, "WAIT_SECONDS", 0.3)
    writer_lock = git_repo.path / ".git" / lockfile.WRITER_LOCK
    writer_lock.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(writer_lock)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "held\n"
        result = run(git_repo, "accept", "docs/d01.md")
    finally:
        holder.communicate("")  # it lets go
    assert result.code == 2, result
    assert result.err == (
        f"docsync: error: another docsync has been writing .docsync.lock for 0.3 s (it holds {writer_lock}) "
        "(let it finish, then run this again)\n"
    )
    assert not (git_repo.path / LOCK_NAME).exists(), "nothing written"
    assert run(git_repo, "accept", "docs/d01.md").code == 0, "the lock was the holder's, not left behind"


def test_the_writer_lock_is_no_file_in_the_work_tree(git_repo: Repo) -> None:
    _many_docs(git_repo)
    assert run(git_repo, "accept").code == 0
    assert git_repo.git("status", "--porcelain", "--untracked-files=all") == f"?? {LOCK_NAME}"
    assert (git_repo.path / ".git" / lockfile.WRITER_LOCK).is_file()


def test_a_symbol_of_a_file_that_does_not_parse_is_not_recorded(git_repo: Repo) -> None:
    """Its contents are unknown (names only): nothing to accept; the symbols that parse are recorded."""
    code = "def ok(a):\n    return a\n"
    git_repo.commit({
        "pkg/__init__.py": "", "pkg/m.py": code, "pkg/broken.py": "def half(a):\n    print 'py2'\n",
        "docs/d.md": "# D\n\n`pkg.m.ok` and `pkg.broken.half`.\n",
    })  # fmt: skip
    result = run(git_repo, "accept", "docs/d.md")
    assert result.code == 0, result
    assert set(read_lock(git_repo.path).docs["docs/d.md"]) == {"pkg.m.ok"}
