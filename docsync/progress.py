"""Progress on stderr for work that takes more than a second: a bar when the items are counted, else a status
line; silent when stderr is not a terminal, erased when the work ends."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TextIO, TypeVar

T = TypeVar("T")
Clock = Callable[[], float]
DELAY = 1.0  # quick runs stay quiet: a line that flashes for 0.2 s is noise
_WIDTH = 24
_TICK = 0.1  # how often a status line looks at the clock: phases with no items cannot draw themselves


def progress(
    items: Iterable[T], total: int, label: str, stream: TextIO | None, clock: Clock = time.monotonic
) -> Iterator[T]:
    """Yield `items`, showing `label [#####....] n/total` once the work has shown nothing for a second."""
    if stream is None or total <= 0 or not is_terminal(stream):
        yield from items
        return
    with _shown(stream, f"{label} [{'.' * _WIDTH}] 0/{total}", clock) as shown:
        for index, item in enumerate(items, 1):
            yield item
            filled = _WIDTH * index // total
            shown.update(f"{label} [{'#' * filled}{'.' * (_WIDTH - filled)}] {index}/{total}")


@contextmanager
def status(label: str, stream: TextIO | None, clock: Clock = time.monotonic) -> Iterator[None]:
    """Show `label...` while the block runs, once the work has shown nothing for a second: for phases with no
    count of items (a git log, resolving references). Statuses and bars nest: the innermost shows, and once
    something shows, the line stays until the outermost ends, so that the phases in between are never silent."""
    if stream is None or not is_terminal(stream):
        yield
        return
    with _shown(stream, f"{label}...", clock):
        yield


class _Line:
    """The one progress line of a stream: the texts of the bars and statuses running (the innermost shows), drawn
    once `DELAY` has passed since the outermost began; a thread draws it when the work in between cannot."""

    def __init__(self, stream: TextIO, clock: Clock) -> None:
        self._stream, self._clock = stream, clock
        self._delay = DELAY  # read now: a test may set it for one run
        self._started = clock()
        self._texts: list[list[str]] = []  # one box per bar or status, so that each updates and leaves its own
        self._drawn = 0  # the width of what the line shows now; 0: nothing
        self.lock = threading.RLock()  # the ticking thread draws too
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="docsync-progress", daemon=True)
        self._ticker.start()

    def push(self, text: str) -> list[str]:
        with self.lock:
            box = [text]
            self._texts.append(box)
            self._refresh()
            return box

    def update(self, box: list[str], text: str) -> None:
        with self.lock:
            box[0] = text
            self._refresh()

    def pop(self, box: list[str]) -> bool:
        """Drop a text; True when none is left: then the line is erased and its thread ends."""
        with self.lock:
            self._texts = [other for other in self._texts if other is not box]
            if self._texts:
                self._refresh()
                return False
            self._stop.set()
            if self._drawn:
                self._write("\r" + " " * self._drawn + "\r")
                self._drawn = 0
        self._ticker.join()
        return True

    def _tick(self) -> None:
        while not self._stop.wait(_TICK):
            with self.lock:
                if not self._stop.is_set():
                    self._refresh()

    def _refresh(self) -> None:
        if not self._texts or (not self._drawn and self._clock() - self._started < self._delay):
            return
        text = self._texts[-1][0][: _columns(self._stream) - 1]  # a line that wraps cannot be taken back with \r
        self._write("\r" + text + " " * max(0, self._drawn - len(text)))
        self._drawn = max(len(text), 1)

    def _write(self, text: str) -> None:
        try:
            self._stream.write(text)
            self._stream.flush()
        except (OSError, ValueError):  # the terminal went away (a closed pipe, a hung-up session): draw no more
            self._stop.set()


class _Shown:
    """One bar's or status's text on its stream's line."""

    def __init__(self, line: _Line, box: list[str]) -> None:
        self._line, self._box = line, box

    def update(self, text: str) -> None:
        self._line.update(self._box, text)


_LINES: dict[int, _Line] = {}  # by id(stream)
_LINES_LOCK = threading.Lock()


@contextmanager
def _shown(stream: TextIO, text: str, clock: Clock) -> Iterator[_Shown]:
    with _LINES_LOCK:
        line = _LINES.get(id(stream))
        if line is None:
            line = _LINES[id(stream)] = _Line(stream, clock)
        box = line.push(text)
    try:
        yield _Shown(line, box)
    finally:
        with _LINES_LOCK:
            if line.pop(box):
                del _LINES[id(stream)]


# Workers fork while the line's thread may be writing: the fork waits for the write (a worker must not inherit a
# stream lock taken forever), and a worker draws nothing of its parent's.
def _before_fork() -> None:
    _LINES_LOCK.acquire()
    for line in _LINES.values():
        line.lock.acquire()


def _after_fork_in_parent() -> None:
    for line in _LINES.values():
        line.lock.release()
    _LINES_LOCK.release()


def _after_fork_in_child() -> None:
    global _LINES_LOCK
    _LINES.clear()
    _LINES_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):  # pragma: no branch - Windows has no fork
    os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child)


def _columns(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):  # not a real file: a test's fake terminal
        return 80


def is_terminal(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """A terminal that can draw (not TERM=dumb); a closed or file-less stream is none. Colour asks this too."""
    env = os.environ if environ is None else environ
    try:
        return stream.isatty() and env.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False
