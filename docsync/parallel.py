"""Cold work over the CPU cores (a process pool, forked), with a progress bar; small batches stay in process."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from docsync.progress import progress

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")
PARALLEL_FROM = 48  # below this, starting worker processes costs more than it saves
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_PARENT_POLL_SECONDS = 0.5


def parallel_map(function: Callable[[Any], T], items: Sequence[Any], label: str, stream: TextIO | None) -> list[T]:
    """`map`, over the CPU cores when there is enough cold work to pay for the processes."""
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < PARALLEL_FROM or workers < 2:
        return list(progress((function(item) for item in items), len(items), f"docsync: {label}", stream))
    chunk = max(1, len(items) // (workers * 16))
    pool = _SCOPE.pool or _started(workers)
    if _SCOPE.open:
        _SCOPE.pool = pool
    try:
        with _signals_held():  # the first submit forks the workers
            # Not `pool.map`: on an error it cancels the queued futures, which the pool's own thread, once the
            # workers are killed, then fails again (Python 3.11: "InvalidStateError" printed after "interrupted").
            futures = [pool.submit(_run_chunk, function, items[at : at + chunk]) for at in range(0, len(items), chunk)]
        results = (result for future in futures for result in future.result())
        done = list(progress(results, len(items), f"docsync: {label}", stream))
    except BaseException:
        _end(pool)
        raise
    if not _SCOPE.open:
        pool.shutdown()
    return done


@contextlib.contextmanager
def one_pool() -> Iterator[None]:
    """Run the `parallel_map`s inside on one pool, forked by the first and ended at the end. A pool forked per call
    (per batch of a cold parse) copied the parent's heap as it had grown: 500 MB counted again in each worker."""
    if _SCOPE.open:  # inside one already
        yield
        return
    _SCOPE.open = True
    try:
        yield
    except BaseException:
        if _SCOPE.pool is not None:
            _end(_SCOPE.pool)
        raise
    finally:
        pool, _SCOPE.pool, _SCOPE.open = _SCOPE.pool, None, False
        if pool is not None:
            pool.shutdown()


def parallel_batches(
    function: Callable[[Any], T], batches: Iterable[Sequence[Any]], total: int, label: str, stream: TextIO | None
) -> Iterator[T]:
    """`parallel_map` over batches made as they are needed, under one progress bar: the caller holds one batch's
    inputs and results at a time (a cold run over 50,000 files held all their sources and results at once)."""
    results = (result for batch in batches for result in parallel_map(function, batch, label, None))
    return progress(results, total, f"docsync: {label}", stream)


@dataclass
class _Scope:
    """While `one_pool` runs (`open`): the pool its `parallel_map`s share, None until the first starts it."""

    open: bool = False
    pool: ProcessPoolExecutor | None = None


_SCOPE = _Scope()


def _run_chunk(function: Callable[[Any], T], items: Sequence[Any]) -> list[T]:
    return [function(item) for item in items]


def _started(workers: int) -> ProcessPoolExecutor:
    from concurrent.futures import ProcessPoolExecutor  # here: its import (multiprocessing) is 10 ms of every run

    return ProcessPoolExecutor(
        max_workers=workers, mp_context=_fork_context(), initializer=_die_with_parent, initargs=(os.getpid(),)
    )


def _end(pool: ProcessPoolExecutor) -> None:
    """Ctrl-C, SIGTERM, SIGHUP (see main.py) or a worker's error: the workers are killed, since a plain shutdown would
    wait for them to finish every queued item first (issue 13). A shared pool is not used again."""
    # Workers killed break the pool: its own thread then fails every pending future (cancelling them raced it).
    killed = _kill_workers(pool)
    pool.shutdown(wait=False, cancel_futures=not killed)
    if _SCOPE.pool is pool:
        _SCOPE.pool = None


def _fork_context() -> Any:
    import multiprocessing

    # fork starts workers in milliseconds and shares the already imported modules.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP until the workers are forked; they arrive right after.

    Python runs a signal's handler at its next bytecode, which may be in a fork callback (logging has
    one), where the exception the handler raises is printed and dropped: the run went on (issue 13).
    """
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows, which does not fork
        yield
        return
    stop = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, stop)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _kill_workers(pool: ProcessPoolExecutor) -> int:
    """Kill the pool's workers; how many there were."""
    # Python 3.14 has `pool.kill_workers()`; before it, the processes are only reachable here.
    processes = list((pool._processes or {}).values())
    for process in processes:
        with contextlib.suppress(OSError, ValueError):  # already gone, or already closed
            process.kill()
    return len(processes)


def _die_with_parent(parent: int) -> None:
    """Each worker's first act: end when docsync ends, however it ends (issue 13, item 10).

    A worker that outlives docsync (killed with SIGKILL, say) waits for work forever, holding the
    pipes it inherited: whatever reads docsync's output, a CI step or a pre-commit hook, never sees
    it end. Signals are for docsync alone (Ctrl-C reaches the whole process group): it decides, and
    ends the workers with it.
    """
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)  # Windows has no SIGHUP
        if number is not None:
            signal.signal(number, signal.SIG_IGN)
    if not _kill_on_parent_death():
        watch_parent(parent)
    if os.getppid() != parent:  # docsync died before we asked to be told
        os._exit(1)


def _kill_on_parent_death() -> bool:
    """Ask Linux to SIGKILL this process when its parent dies; False where that cannot be asked."""
    if not sys.platform.startswith("linux"):
        return False  # pragma: no cover - tests run on Linux; `watch_parent` is tested on its own
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
        return False


def watch_parent(parent: int, every: float = _PARENT_POLL_SECONDS) -> None:
    """The portable way: a thread that ends this process once its parent is no longer `parent`."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="docsync-parent-watch", daemon=True).start()
