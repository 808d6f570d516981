"""Run a command and measure its wall time, its largest process's peak RSS, and its process tree's peak RSS.

GNU time (`/usr/bin/time -f %M`) gives the largest single process; docsync's workers and git children
run beside it, so a sampler thread also sums the RSS of every process below the command every 20 ms
(from /proc: Linux only; elsewhere the tree column repeats the largest process).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import with_peak_rss

_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4
_INTERVAL = 0.02


@dataclass
class Run:
    """One timed process."""

    seconds: float
    peak_kb: int  # the largest single process
    tree_kb: int  # the largest sum over the process tree, sampled
    stdout: str
    stderr: str
    returncode: int


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (its children, theirs...), from /proc/PID/task/TID/children."""
    return [child for child, _ in _below(pid)]


def _below(pid: int) -> list[tuple[int, int]]:
    """(process, its parent) for every process below `pid`."""
    found: list[tuple[int, int]] = []
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                children = [int(child) for child in Path(f"/proc/{current}/task/{task}/children").read_text().split()]
            except OSError:
                continue
            found += [(child, current) for child in children]
            stack += children
    return found


def _statm(pid: int) -> tuple[int, int]:
    """(virtual size, resident) in pages; (0, 0) once the process is gone."""
    try:
        size, resident = Path(f"/proc/{pid}/statm").read_text().split()[:2]
        return int(size), int(resident)
    except (OSError, ValueError):
        return 0, 0


def tree_resident_kb(pid: int) -> int:
    """The RSS summed over the processes below `pid`. A child spawned by `subprocess` runs in its parent's memory
    until it execs (vfork): its statm is the parent's to the page, and counting it counted the parent twice (a
    cold check's tree read 1.9 GB for a 0.97 GB process); it is left out."""
    below = _below(pid)
    statm = {process: _statm(process) for process in {p for pair in below for p in pair}}
    return sum(statm[child][1] for child, parent in below if statm[child] != statm[parent]) * _PAGE_KB


def resident_kb(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0  # the process ended between listing and reading


class _TreeSampler(threading.Thread):
    """Samples the summed RSS of the processes below `pid` (not `pid` itself: the time wrapper) until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.peak_kb = max(self.peak_kb, tree_resident_kb(self.pid))
            self.stopped.wait(_INTERVAL)


def run_measured(command: Sequence[str], env: dict[str, str]) -> Run:
    """Run `command` once, wrapped in GNU time (or a getrusage wrapper), sampling its process tree."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        wrapped = with_peak_rss(command, rss.name)
        start = time.perf_counter()
        process = subprocess.Popen(wrapped, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        sampler = _TreeSampler(process.pid)
        sampler.start()
        try:
            stdout, stderr = process.communicate()
        except BaseException:  # interrupted (Ctrl-C, a SIGINT from a time limit): leave no docsync running
            for pid in [*descendants(process.pid), process.pid]:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            process.wait()
            raise
        finally:
            sampler.stopped.set()
        seconds = time.perf_counter() - start
        sampler.join()
        lines = rss.read().split()
    peak = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    return Run(seconds, peak, max(sampler.peak_kb, peak), stdout, stderr, process.returncode)
