"""Tests for progress.py: bars and status lines on a terminal only, past the delay only, erased after; and a cold
check in a real pseudo-terminal showing each phase on stderr, never on stdout."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import sys
import time
import traceback
from collections.abc import Callable

import pytest

from docsync import progress as progress_module
from docsync.main import main
from docsync.parallel import PARALLEL_FROM, parallel_map
from docsync.progress import progress, status
from tests.conftest import Repo


class Terminal(io.StringIO):
    """What a terminal was sent, and what its line shows: `\\r` goes back to the start of the line."""

    def isatty(self) -> bool:
        return True

    @property
    def line(self) -> str:
        return _shown(self.getvalue())


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _shown(sent: str) -> str:
    """The last line a terminal shows after `sent`, trailing blanks dropped."""
    line: list[str] = []
    column = 0
    for char in sent.split("\n")[-1]:
        if char == "\r":
            column = 0
            continue
        line[column : column + 1] = [char]
        column += 1
    return "".join(line).rstrip()


def _eventually(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    """The status line is drawn by a thread: wait for it (a fake clock decides when, the thread only looks)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


@pytest.fixture(autouse=True)
def _a_real_terminal_type(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm")


def test_a_bar_shows_only_past_the_delay_and_is_erased_after() -> None:
    terminal, clock = Terminal(), Clock()
    seen = []
    for item in progress(range(4), 4, "docsync: parsing", terminal, clock=clock):
        seen.append((item, terminal.line))
        clock.now += 0.4  # items 0 and 1 come within the first second
    assert [line for _, line in seen[:3]] == ["", "", ""]
    assert seen[3][1] == "docsync: parsing [##################......] 3/4"
    assert terminal.line == ""
    assert terminal.getvalue().endswith("\r"), "erased: the next output starts on a clean line"


def test_a_quick_loop_writes_nothing() -> None:
    terminal = Terminal()
    assert list(progress(range(100), 100, "docsync: parsing", terminal, clock=Clock())) == list(range(100))
    assert terminal.getvalue() == ""


@pytest.mark.parametrize("stream", [None, io.StringIO()], ids=["quiet", "not-a-terminal"])
def test_nothing_when_there_is_no_terminal(stream: io.StringIO | None) -> None:
    clock = Clock()
    for _ in progress(range(3), 3, "docsync: parsing", stream, clock=clock):
        clock.now += 5
    with status("docsync: reading history", stream, clock=clock):
        clock.now += 5
        time.sleep(3 * progress_module._TICK)
    assert stream is None or stream.getvalue() == ""


def test_nothing_on_a_dumb_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    terminal, clock = Terminal(), Clock()
    with status("docsync: reading history", terminal, clock=clock):
        clock.now += 5
        time.sleep(3 * progress_module._TICK)
    assert terminal.getvalue() == ""


def test_a_status_line_shows_once_the_work_has_run_a_second() -> None:
    """A phase with nothing to count (a long git call) cannot draw itself: a thread draws it when due."""
    terminal, clock = Terminal(), Clock()
    with status("docsync: reading history", terminal, clock=clock):
        clock.now += 0.9
        time.sleep(3 * progress_module._TICK)
        assert terminal.getvalue() == "", "not before the delay"
        clock.now += 0.1
        assert _eventually(lambda: terminal.line == "docsync: reading history...")
    assert terminal.line == ""


def test_a_quick_status_writes_nothing() -> None:
    terminal, clock = Terminal(), Clock()
    with status("docsync: resolving references", terminal, clock=clock):
        clock.now += 0.5
    time.sleep(2 * progress_module._TICK)
    assert terminal.getvalue() == ""


def test_phases_nest_and_the_line_stays_until_the_outermost_ends() -> None:
    terminal, clock = Terminal(), Clock()
    with status("docsync: checking", terminal, clock=clock):
        clock.now += 1.5
        with status("docsync: resolving references", terminal, clock=clock):
            assert terminal.line == "docsync: resolving references...", "past the delay, a new phase shows at once"
        assert terminal.line == "docsync: checking...", "between phases, the outer one shows: never a blank"
        for _ in progress(range(2), 2, "docsync: parsing", terminal, clock=clock):
            pass
        assert terminal.line == "docsync: checking..."
        assert "docsync: parsing [############............] 1/2" in terminal.getvalue()
    assert terminal.line == ""


def test_the_delay_counts_from_the_outermost_phase() -> None:
    """Two phases of 0.6 s each are 1.2 s of silence unless the second knows when the first began."""
    terminal, clock = Terminal(), Clock()
    with status("docsync: checking", terminal, clock=clock):
        with status("docsync: scanning docs", terminal, clock=clock):
            clock.now += 0.6
        with status("docsync: resolving references", terminal, clock=clock):
            clock.now += 0.6
            assert _eventually(lambda: terminal.line == "docsync: resolving references...")


def test_an_error_in_a_phase_still_erases_the_line() -> None:
    terminal, clock = Terminal(), Clock()

    def check() -> None:
        with status("docsync: checking", terminal, clock=clock):
            clock.now += 2
            assert _eventually(lambda: terminal.line == "docsync: checking...")
            raise KeyError("boom")

    with pytest.raises(KeyError):
        check()
    assert terminal.line == ""


def test_a_long_label_is_cut_to_the_terminal_width() -> None:
    """A line that wraps cannot be erased with a carriage return."""
    terminal, clock = Terminal(), Clock()
    clock.now += 0
    with status("docsync: " + "x" * 200, terminal, clock=clock):
        clock.now += 2
        assert _eventually(lambda: terminal.line != "")
        assert len(terminal.line) == 79  # a fake terminal is 80 columns wide


def test_a_shorter_text_covers_a_longer_one() -> None:
    terminal, clock = Terminal(), Clock()
    with status("docsync: tracing missing names through history", terminal, clock=clock):
        clock.now += 2
        assert _eventually(lambda: terminal.line.startswith("docsync: tracing"))
        with status("docsync: x", terminal, clock=clock):
            assert terminal.line == "docsync: x..."


class GoneTerminal(Terminal):
    def write(self, text: str) -> int:
        raise OSError(5, "Input/output error")


def test_a_terminal_that_went_away_stops_the_drawing_not_the_run() -> None:
    clock = Clock()
    with status("docsync: checking", GoneTerminal(), clock=clock):
        clock.now += 2
        time.sleep(3 * progress_module._TICK)
        for _ in progress(range(3), 3, "docsync: parsing", GoneTerminal(), clock=clock):
            clock.now += 1


def _square(number: int) -> int:
    return number * number


def test_workers_fork_while_the_line_is_drawn() -> None:
    """The workers fork while the line's thread may be writing: they must neither hang nor draw."""
    terminal, clock = Terminal(), Clock()
    with status("docsync: checking", terminal, clock=clock):
        clock.now += 2
        assert _eventually(lambda: terminal.line == "docsync: checking...")
        assert parallel_map(_square, list(range(PARALLEL_FROM * 2)), "squaring", terminal) == [
            n * n for n in range(PARALLEL_FROM * 2)
        ]
        assert f"docsync: squaring [########################] {PARALLEL_FROM * 2}/{PARALLEL_FROM * 2}" in (
            terminal.getvalue()
        )
        assert terminal.line == "docsync: checking..."
    assert terminal.line == ""


# -- a cold check in a pseudo-terminal ---------------------------------------------------------------------

PHASES = (
    "docsync: checking",
    "docsync: reading the work tree",
    "docsync: scanning docs",
    "docsync: building the symbol table",
    "docsync: parsing Python files",
    "docsync: resolving references",
    "docsync: reading history",
    "docsync: checking examples and signatures",
    "docsync: tracing missing names through history",
)


def _run_in_terminal(args: list[str], delay: float) -> tuple[int, str, str]:
    """`docsync ARGS` in a forked child whose stderr is a pseudo-terminal and whose stdout is a pipe; the child
    shows progress after `delay` seconds (the parameter tests set: no setting users would see)."""
    out_read, out_write = os.pipe()
    pid, terminal = pty.fork()
    if pid == 0:  # pragma: no cover - the child: coverage does not follow a fork that ends in os._exit
        code = 99
        try:
            os.close(out_read)
            os.dup2(out_write, 1)
            os.environ["TERM"] = "xterm"
            progress_module.DELAY = delay
            with open(1, "w", closefd=False) as out, open(2, "w", buffering=1, closefd=False) as err:
                code = main(args, stdout=out, stderr=err)
        except BaseException:
            traceback.print_exc(file=sys.__stderr__)
        finally:
            os._exit(code)
    os.close(out_write)
    return _wait(pid, terminal, out_read)


def _wait(pid: int, terminal: int, out: int) -> tuple[int, str, str]:
    sent = {terminal: b"", out: b""}
    open_fds = [terminal, out]
    deadline = time.monotonic() + 120
    while open_fds and time.monotonic() < deadline:
        ready, _, _ = select.select(open_fds, [], [], 1.0)
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # the terminal's other side closed (Linux says EIO)
                data = b""
            if data:
                sent[fd] += data
            else:
                open_fds.remove(fd)
    _, status_ = os.waitpid(pid, 0)
    os.close(terminal)
    os.close(out)
    return os.waitstatus_to_exitcode(status_), sent[terminal].decode(), sent[out].decode()


@pytest.fixture
def project(git_repo: Repo) -> Repo:
    """A small project with history: each phase of a check has something to do."""
    git_repo.commit(
        {
            "pkg/__init__.py": "",
            "pkg/shop.py": "def add(cart, item):\n    return cart\n\n\ndef total(cart):\n    return 0\n",
            "docs/guide.md": "# Guide\n\nCall `pkg.shop.add(cart, item)` and `pkg.shop.total`.\n",
        }
    )
    git_repo.commit(
        {"pkg/shop.py": "def add(cart, item, qty=1):\n    return cart\n\n\ndef total(cart):\n    return 1\n"}
    )
    git_repo.commit({"pkg/shop.py": "def add(cart, item, qty=1):\n    return cart\n"}, "remove total")
    return git_repo


def test_a_cold_check_shows_each_phase_on_the_terminal_and_nothing_on_stdout(project: Repo) -> None:
    code, terminal, stdout = _run_in_terminal(["check", "-C", str(project.path), "--no-cache"], delay=0.0)
    assert code == 1, (terminal, stdout)
    labels = set(re.findall(r"(docsync: [A-Za-z ]+?)(?:\.\.\.| \[)", terminal))
    assert [phase for phase in PHASES if phase not in labels] == [], terminal
    assert _shown(terminal.replace("\r\n", "\n")) == "", "the line is erased before the findings are printed"
    assert "pkg.shop.total" in stdout
    assert "\r" not in stdout
    assert "docsync: checking" not in stdout


def test_a_check_quicker_than_the_delay_shows_nothing(project: Repo) -> None:
    code, terminal, stdout = _run_in_terminal(["check", "-C", str(project.path)], delay=600.0)
    assert code == 1
    assert terminal == ""
    assert "pkg.shop.total" in stdout


def test_quiet_shows_no_progress(project: Repo) -> None:
    code, terminal, _ = _run_in_terminal(["check", "-C", str(project.path), "--quiet"], delay=0.0)
    assert code == 1
    assert "docsync: checking" not in terminal
