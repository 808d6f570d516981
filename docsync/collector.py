"""When Python's cyclic garbage collector runs: not over the large, acyclic data docsync builds (issue 18).

Each full collection walks every object alive. Building a 50,000-module table (a million names in tuples,
dataclasses and dicts) triggered them again and again, over everything built so far: 0.85 of the bundle's 1.27 s
decode, and later collections walked the finished table again (0.5 s while reading 2,000 cached resolutions).
A cold check of SQLAlchemy spent 11 s collecting in the thread that receives the workers' results. What is built
in bulk holds no reference cycles, so it is built with the collector paused and then frozen (`gc.freeze`): no
later collection walks it, and it is still freed, by reference counting, once nothing uses it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def building() -> Iterator[None]:
    """No automatic collection inside; what is alive at the end is frozen (an outer block's end freezes it)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def before_fork() -> None:
    """Freeze what a forked worker inherits: it then neither walks it in its collections nor, by touching it, copies
    the parent's memory page by page."""
    gc.freeze()


def in_worker() -> None:
    """A forked worker collects its own garbage (scanning a doc leaves small cycles behind)."""
    gc.enable()


def release() -> None:
    """Give what was frozen back to the collector: a command is over (a process that goes on, as the tests do,
    then frees the cycles that were frozen with it)."""
    gc.unfreeze()
