"""Cold work over the CPU cores (a process pool, forked), with a progress bar; small batches stay in process."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TextIO, TypeVar

from docsync.progress import progress

T = TypeVar("T")
PARALLEL_FROM = 48  # below this, starting worker processes costs more than it saves


def parallel_map(function: Callable[[Any], T], items: Sequence[Any], label: str, stream: TextIO | None) -> list[T]:
    """`map`, over the CPU cores when there is enough cold work to pay for the processes."""
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < PARALLEL_FROM or workers < 2:
        return list(progress((function(item) for item in items), len(items), f"docsync: {label}", stream))
    chunk = max(1, len(items) // (workers * 16))
    with ProcessPoolExecutor(max_workers=workers, mp_context=_fork_context()) as pool:
        results = pool.map(function, items, chunksize=chunk)
        return list(progress(results, len(items), f"docsync: {label}", stream))


def _fork_context() -> Any:
    import multiprocessing

    # fork starts workers in milliseconds and shares the already imported modules.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)
