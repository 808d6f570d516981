"""Tests for parallel.py: worker processes never outlive docsync, however it ends (issue 13, item 10).

Real processes and real signals: docsync runs as `python -m docsync` on a repository big enough that its
cold parse runs in the process pool, and is killed while the workers exist. Whatever waits for docsync
(a CI step, a pre-commit hook, `docsync map | less`) waits for its output pipe to close, so each test
reads the pipes to the end: a worker that lives on holds them open and the read never ends.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import docsync
from docsync import parallel
from docsync.parallel import PARALLEL_FROM, one_pool, parallel_map
from tests.conftest import Repo, sigint_as_in_a_terminal

pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="finds the worker processes in /proc"),
    pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: docsync starts no workers"),
]

PACKAGE_ROOT = str(Path(docsync.__file__).resolve().parent.parent)
MODULES = 300  # cold work on >= 48 files runs in the pool; this many keeps it busy for a while


@pytest.fixture(scope="module")
def busy_repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    repo = Repo(tmp_path_factory.mktemp("busy") / "repo")
    functions = "".join(
        f'def f{n}(a, b={n}):\n    """Add {n}."""\n    return a + b\n\n\nclass C{n}:\n    def m(self, x):\n        return x\n\n\n'
        for n in range(30)
    )
    files = {f"pkg/m{i}.py": functions for i in range(MODULES)}
    files.update({f"docs/d{i}.md": f"# Doc {i}\n\nCall `pkg.m{i}.f1` or `pkg.m{i}.C2`.\n" for i in range(MODULES)})
    repo.commit({"pkg/__init__.py": "", **files}, "many modules")
    return repo


def _start(repo: Repo, cache_dir: Path, command: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DOCSYNC_CACHE_DIR": str(cache_dir)}  # a cold cache: the pool has work
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [PACKAGE_ROOT, env.get("PYTHONPATH")]))
    return subprocess.Popen(
        [sys.executable, "-m", "docsync", command, "-C", str(repo.path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own process group: the test can find (and finally end) all of it
        preexec_fn=sigint_as_in_a_terminal,
    )


def _stat(pid: str) -> tuple[str, int, int] | None:
    """(state, parent pid, process group) of a process; None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state, ppid, pgrp = text[text.rindex(")") + 2 :].split()[:3]  # the name in parentheses may hold spaces
    return state, int(ppid), int(pgrp)


def _cmdline(pid: int | str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _workers(pid: int) -> list[int]:
    """The forked children of `pid`: the pool's workers (git children run another command line)."""
    own = _cmdline(pid)
    children = []
    for entry in os.listdir("/proc"):
        stat = _stat(entry) if entry.isdigit() else None
        if stat is not None and stat[1] == pid and stat[0] != "Z" and _cmdline(entry) == own:
            children.append(int(entry))
    return children


def _group(pgid: int) -> list[int]:
    """The live (not zombie) processes of a process group, whoever their parent is now."""
    alive = []
    for entry in os.listdir("/proc"):
        stat = _stat(entry) if entry.isdigit() else None
        if stat is not None and stat[2] == pgid and stat[0] != "Z":
            alive.append(int(entry))
    return alive


def _wait_for_workers(process: subprocess.Popen[bytes], timeout: float = 60) -> list[int]:
    """Once the pool has started all its workers (one just forked may not have begun to work)."""
    wanted = min(os.cpu_count() or 1, 8)  # as parallel.py decides
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        workers = _workers(process.pid)
        if len(workers) >= wanted:
            return workers
        time.sleep(0.005)
    pytest.fail("docsync never started its worker processes (or finished first)")


def _read_to_end(process: subprocess.Popen[bytes], timeout: float) -> tuple[bytes, bytes] | None:
    """Both pipes, read until every process holding them has closed them; None if that takes too long."""
    assert process.stdout is not None
    assert process.stderr is not None
    open_fds = {process.stdout.fileno(): b"", process.stderr.fileno(): b""}
    done: dict[int, bytes] = {}
    deadline = time.monotonic() + timeout
    while open_fds:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select(list(open_fds), [], [], left)
        for fd in ready:
            chunk = os.read(fd, 65536)
            if chunk:
                open_fds[fd] += chunk
            else:
                done[fd] = open_fds.pop(fd)
    return done[process.stdout.fileno()], done[process.stderr.fileno()]


def _wait_until_gone(pgid: int, timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    while (alive := _group(pgid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """Kill whatever is left of the run, so that a failing test leaves no process behind."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@pytest.mark.parametrize(
    ("command", "signum"),
    [
        ("map", signal.SIGKILL),
        ("check", signal.SIGKILL),
        ("map", signal.SIGTERM),
        ("map", signal.SIGHUP),
        ("map", signal.SIGINT),
    ],
)
def test_workers_die_with_docsync(busy_repo: Repo, tmp_path: Path, command: str, signum: int) -> None:
    process = _start(busy_repo, tmp_path / "cache", command)
    try:
        workers = _wait_for_workers(process)
        os.kill(process.pid, signum)
        streams = _read_to_end(process, timeout=10)
        assert streams is not None, f"the output pipes stayed open: workers {workers} outlived docsync"
        code = process.wait(timeout=10)
        assert _wait_until_gone(process.pid, timeout=5) == [], "processes of the run are still alive"
    finally:
        _end_group(process)
    if signum == signal.SIGKILL:
        assert code == -signal.SIGKILL
        return
    # SIGTERM and SIGHUP end a run as Ctrl-C does: one line, and the shell's code for a signal (128 + its number).
    assert code == 128 + signum
    named = "" if signum == signal.SIGINT else f" ({signal.Signals(signum).name})"
    assert streams[1].decode() == f"docsync: interrupted{named}\n"


WATCHED_CHILD = """
import os, time
from docsync.parallel import watch_parent

parent = os.getpid()
child = os.fork()
if child == 0:
    watch_parent(parent, every=0.05)
    time.sleep(60)
    os._exit(0)
print(child, flush=True)
time.sleep(60)
"""


def test_without_prctl_a_worker_watches_its_parent() -> None:
    # The portable way `_die_with_parent` falls back to where Linux's prctl is missing.
    env = {**os.environ, "PYTHONPATH": PACKAGE_ROOT}
    process = subprocess.Popen(
        [sys.executable, "-c", WATCHED_CHILD], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        start_new_session=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        child = int(process.stdout.readline())
        assert _stat(str(child)) is not None
        os.kill(process.pid, signal.SIGKILL)
        assert _read_to_end(process, timeout=10) is not None, "the child still holds the pipes"
        process.wait(timeout=10)
        assert _wait_until_gone(process.pid, timeout=5) == []
    finally:
        _end_group(process)


def _pid(_: object) -> int:
    return os.getpid()


def _fail(item: int) -> int:
    if item == 3:
        raise ValueError("a worker's error")
    return item


def test_the_maps_inside_one_pool_share_its_workers_which_end_with_it() -> None:
    items = list(range(PARALLEL_FROM * 4))
    with one_pool():
        first, second = set(parallel_map(_pid, items, "x", None)), set(parallel_map(_pid, items, "x", None))
        processes = list((parallel._SCOPE.pool._processes or {}).values()) if parallel._SCOPE.pool else []
    assert os.getpid() not in first | second
    assert len(first | second) <= min(os.cpu_count() or 1, 8)  # the same workers did both
    assert processes
    assert all(not process.is_alive() for process in processes)
    apart = set(parallel_map(_pid, items, "x", None))
    assert apart.isdisjoint(first | second)  # outside one, a map starts (and ends) its own pool


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")  # the pool thread failing
def test_a_workers_error_inside_one_pool_ends_it() -> None:
    with pytest.raises(ValueError, match="a worker's error"), one_pool():
        parallel_map(_fail, list(range(PARALLEL_FROM * 2)), "x", None)
    assert parallel._SCOPE.pool is None
    assert not parallel._SCOPE.open
    assert parallel_map(_pid, list(range(PARALLEL_FROM * 2)), "x", None)  # later maps start afresh
