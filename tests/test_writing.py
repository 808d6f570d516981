"""Tests for writing.py: what is at the path survives being written to (devices, pipes, links, modes), and no
temporary file outlives a write that failed (issue 13)."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from docsync.errors import DocsyncError, WriteError
from docsync.lockfile import LOCK_NAME, Lock, write_lock
from docsync.writing import write_file, write_text
from tests.conftest import Repo, run

is_root = hasattr(os, "geteuid") and os.geteuid() == 0
needs_root = pytest.mark.skipif(not is_root, reason="only root may make device nodes and give files away")
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file types and modes")


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def entries(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def docsync_process(*args: str) -> list[str]:
    return [sys.executable, "-m", "docsync", *args]


def child_env() -> dict[str, str]:
    """For docsync in a child process: this checkout's code; no bytecode written (the size limit is the report's)."""
    return {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent), "PYTHONDONTWRITEBYTECODE": "1"}


# -- special files are written, not replaced -----------------------------------------------------------


@needs_root
def test_report_to_a_null_device_leaves_the_device(git_repo: Repo, tmp_path: Path) -> None:
    """`docsync report --output /dev/null` run as root put a regular file where the device was."""
    git_repo.commit({"shop/cart.py": "def add(): ...\n", "docs/a.md": "`shop.cart.add`\n"})
    null = tmp_path / "null"  # a node of the real null device, never the real /dev/null
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    result = run(git_repo, "report", "--format", "json", "--output", str(null))
    assert result.code == 0, result
    info = os.lstat(null)
    assert stat.S_ISCHR(info.st_mode)
    assert info.st_rdev == os.makedev(1, 3)
    assert [name for name in entries(tmp_path) if name.startswith(".")] == []  # no temporary file beside it


@posix_only
def test_a_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        write_text(fifo, "through the pipe\n")
        out, _ = reader.communicate(timeout=30)
    finally:
        reader.kill()
        reader.wait()
    assert out == b"through the pipe\n"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert entries(tmp_path) == ["pipe"]


@posix_only
def test_a_link_to_standard_output_writes_to_the_pipe(git_repo: Repo, tmp_path: Path) -> None:
    """`--output` naming a link to /proc/self/fd/1 (as /dev/stdout is): the report goes down the pipe."""
    if not Path("/proc/self/fd/1").exists():
        pytest.skip("no /proc/self/fd")
    git_repo.commit({"shop/cart.py": "def add(): ...\n", "docs/a.md": "`shop.cart.add`\n"})
    link = tmp_path / "stdout"
    os.symlink("/proc/self/fd/1", link)
    result = subprocess.run(
        docsync_process("report", "-C", str(git_repo.path), "--format", "json", "--output", str(link)),
        capture_output=True, env=child_env(), check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"{")  # the report itself, then the summary line
    assert os.readlink(link) == "/proc/self/fd/1"


@posix_only
def test_a_socket_is_not_replaced(tmp_path: Path) -> None:
    """A socket cannot be opened for writing: that is an error, and the socket stays."""
    path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(path))
        with pytest.raises(WriteError) as caught:
            write_text(path, "text")
    assert caught.value.message == f"cannot write {path}: No such device or address"
    assert stat.S_ISSOCK(os.lstat(path).st_mode)
    assert entries(tmp_path) == ["sock"]


# -- links are followed; the file keeps its mode ----------------------------------------------------


@posix_only
def test_a_symlink_stays_a_link_and_its_target_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    target = tmp_path / "site" / "report.html"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "report.html"
    os.symlink("site/report.html", link)
    write_text(link, "new")
    assert os.readlink(link) == "site/report.html"
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert entries(tmp_path / "site") == ["report.html"]
    assert entries(tmp_path) == ["report.html", "site"]


@posix_only
def test_a_chain_of_links_to_a_file_not_yet_there(tmp_path: Path) -> None:
    os.symlink("second", tmp_path / "first")
    os.symlink("out/final.json", tmp_path / "second")
    write_text(tmp_path / "first", "{}")
    assert (tmp_path / "first").is_symlink()
    assert (tmp_path / "second").is_symlink()
    assert (tmp_path / "out" / "final.json").read_text() == "{}"


@posix_only
@pytest.mark.parametrize("mode", [0o600, 0o755, 0o640])
def test_the_mode_of_the_file_replaced_is_kept(tmp_path: Path, mode: int, umask_022: None) -> None:
    path = tmp_path / "report.html"
    path.write_text("old")
    path.chmod(mode)
    write_text(path, "new")
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == mode


@posix_only
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_the_mode_open_would_give_it(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        write_text(tmp_path / "report.html", "new")
        write_lock(tmp_path, Lock())
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "report.html").stat().st_mode) == mode
    assert stat.S_IMODE((tmp_path / LOCK_NAME).stat().st_mode) == mode


@needs_root
def test_the_owner_of_the_file_replaced_is_kept(tmp_path: Path) -> None:
    """Root rewriting a user's doc or report must not leave a file the user can no longer write."""
    path = tmp_path / "report.html"
    path.write_text("old")
    os.chown(path, 4321, 4321)
    write_text(path, "new")
    assert (path.stat().st_uid, path.stat().st_gid) == (4321, 4321)


# -- failures leave the old file whole and no temporary file -------------------------------------------


def test_a_folder_in_the_way_fails_cleanly(tmp_path: Path) -> None:
    """The final rename fails (a folder at the path): the temporary file goes, the folder stays as it was."""
    (tmp_path / "report.html").mkdir()
    (tmp_path / "report.html" / "keep").write_text("kept")
    with pytest.raises(DocsyncError) as caught:
        write_text(tmp_path / "report.html", "new")
    assert str(tmp_path / "report.html") in caught.value.message
    assert caught.value.hint
    assert entries(tmp_path) == ["report.html"]
    assert (tmp_path / "report.html" / "keep").read_text() == "kept"


def test_a_folder_that_is_a_file_is_an_error_naming_the_doc_and_the_fix(tmp_path: Path) -> None:
    """The temporary file cannot be made (its folder is a file): one WriteError, never a bare OSError."""
    (tmp_path / "docs").write_text("a file, not a folder")
    with pytest.raises(WriteError) as caught:
        write_file(
            tmp_path / "docs" / "guide.md", b"new", "check that you may write docs/guide.md", shown="docs/guide.md"
        )
    assert caught.value.message == "cannot write docs/guide.md: Not a directory"
    assert caught.value.hint == "check that you may write docs/guide.md"
    assert entries(tmp_path) == ["docs"]


@posix_only
def test_a_write_that_runs_out_of_space_leaves_no_temporary(git_repo: Repo, tmp_path: Path) -> None:
    """A file-size limit makes the write itself fail half way (EFBIG), as a full disk would (ENOSPC)."""
    resource = pytest.importorskip("resource")
    git_repo.commit({"shop/cart.py": "def add(): ...\n", "docs/a.md": "`shop.cart.add`\n"})
    out = tmp_path / "out"
    out.mkdir()

    def limit_file_size() -> None:  # in the child; Python ignores SIGXFSZ, so the write gets EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))  # the page is ~7 KB

    result = subprocess.run(
        docsync_process("report", "-C", str(git_repo.path), "--no-cache", "--output", str(out / "report.html")),
        capture_output=True, text=True, env=child_env(), preexec_fn=limit_file_size, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2, result
    assert result.stderr.startswith(f"docsync: error: cannot write {out / 'report.html'}: File too large (")
    assert len(result.stderr.splitlines()) == 1
    assert entries(out) == []


@needs_root
def test_a_full_disk_leaves_no_temporary(git_repo: Repo, tmp_path: Path) -> None:
    """A real full disk: a one-page tmpfs, mounted in a mount namespace of the child's own (gone when it exits)."""
    git_repo.commit({"shop/cart.py": "def add(): ...\n", "docs/a.md": "`shop.cart.add`\n"})
    disk = tmp_path / "disk"
    disk.mkdir()
    command = " ".join(docsync_process("report", "-C", str(git_repo.path), "--output", f"{disk}/report.html"))
    script = f"mount -t tmpfs -o size=4k tmpfs {disk} || exit 99; {command}; echo rc=$?; ls -A {disk}"
    try:
        result = subprocess.run(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
            capture_output=True, text=True, env=child_env(), check=False, timeout=120,
        )  # fmt: skip
    except FileNotFoundError:
        pytest.skip("no unshare")
    if result.returncode == 99 or "unshare:" in result.stderr:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    assert result.stderr.startswith(f"docsync: error: cannot write {disk}/report.html: No space left on device (")
    assert result.stdout == "rc=2\n"  # and `ls -A` listed nothing: no temporary file on the full disk


# -- temporary files of runs that were killed ----------------------------------------------------------


def age(path: Path, seconds: float) -> None:
    then = os.lstat(path).st_mtime - seconds
    os.utime(path, (then, then), follow_symlinks=False)


@posix_only
def test_stale_temporary_files_of_ours_are_removed(tmp_path: Path) -> None:
    ours_old = tmp_path / ".guide.md.0123456789abcdef.docsync-tmp"
    ours_fresh = tmp_path / ".api.md.fedcba9876543210.docsync-tmp"  # may be a run writing right now
    legacy = tmp_path / ".guide.md.k3j_x9q2.docsync"  # what `fix` named them before
    legacy_lock = tmp_path / ".docsync.lock.0123456789abcdef.tmp"
    theirs = tmp_path / "notes.docsync-tmp"  # not our pattern
    link = tmp_path / ".link.md.0123456789abcdef.docsync-tmp"  # our pattern, but not a file we made
    for path in (ours_old, ours_fresh, legacy, legacy_lock, theirs):
        path.write_text("partial")
    os.symlink("notes.docsync-tmp", link)
    for path in (ours_old, legacy, legacy_lock, theirs, link):
        age(path, 3600)
    write_text(tmp_path / "guide.md", "whole")
    assert entries(tmp_path) == sorted(["guide.md", ours_fresh.name, theirs.name, link.name])
