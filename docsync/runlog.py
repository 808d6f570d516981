"""What `--verbose` tells on stderr: each step of a run, what it read and how many seconds it took."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # main.py imports this module before it parses the arguments: no sqlite3 until then
    from docsync.cache import Cache
    from docsync.checks import Checked

QUIET, NORMAL, VERBOSE = -1, 0, 1  # the values of `--quiet`, neither, `--verbose`


class RunLog:
    """`docsync: <step> (<seconds> s)` lines; without a stream (no --verbose), nothing."""

    def __init__(self, stream: TextIO | None = None, clock: Callable[[], float] = time.perf_counter) -> None:
        self.stream = stream
        self._clock = clock
        self.started = clock()

    @property
    def enabled(self) -> bool:
        return self.stream is not None

    def start(self) -> float:
        """A time to pass to `done` when the step ends."""
        return self._clock()

    def note(self, message: str) -> None:
        if self.stream is not None:
            print(f"docsync: {message}", file=self.stream)

    def done(self, started: float, message: str) -> None:
        """Say what a step did, with the seconds since `started`."""
        if self.stream is not None:
            self.note(f"{message} ({self._clock() - started:.2f} s)")


SILENT = RunLog()


def what_was_checked(checked: Checked) -> str:
    """The mode a check ran in, its revisions, and how much it read: for --verbose."""
    from docsync.loader import STAGED, WORKTREE

    report, table = checked.report, checked.table
    head = {WORKTREE: "the work tree", STAGED: "the index"}.get(report.head, report.head)
    if report.base is not None or report.head == STAGED:
        mode = f"pull-request mode, {report.base or 'no commit'} (the merge base) to {head}"
    else:
        mode = f"whole-repository mode at {head}"
    tables = f"{len(table.modules)} modules ({len(table.symbols)} symbols)" if table else "no symbol table built"
    tables += ", read from the rows the cache keeps" if table is not None and table.read_from_rows else ""
    found = f"{len(report.findings)} findings, score {report.score:.1f}"
    read = f"{len(checked.scans)} docs read"
    if checked.carried_from is not None and checked.untraced is not None:
        every, since = len(checked.untraced.resolutions), checked.carried_from[:12]
        read = f"{len(checked.scans)} of {every} docs read (the others' judgement carried from {since})"
    return f"checked in {mode}: {read}, {tables}, {found}"


def cache_summary(cache: Cache) -> str:
    """The cache's part in this run, for --verbose."""
    if cache.path is None:  # --no-cache (entries of this run are still shared in memory)
        return "cache: not used (--no-cache)"
    if not cache.hits + cache.misses:
        return "cache: not read"
    return f"cache: {cache.hits} hits, {cache.misses} misses"
