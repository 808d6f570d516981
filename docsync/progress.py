"""A progress bar on stderr for work that takes more than a second; silent when stderr is not a terminal."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")
_DELAY = 1.0  # quick runs stay quiet: a bar that flashes for 0.2 s is noise
_WIDTH = 24


def progress(items: Iterable[T], total: int, label: str, stream: TextIO | None) -> Iterator[T]:
    """Yield `items`, drawing `label [#####....] n/total` once the loop has run for a second."""
    if stream is None or total <= 0 or not _is_terminal(stream):
        yield from items
        return
    start = time.monotonic()
    drawn = False
    for index, item in enumerate(items, 1):
        yield item
        if time.monotonic() - start >= _DELAY:
            filled = _WIDTH * index // total
            stream.write(f"\r{label} [{'#' * filled}{'.' * (_WIDTH - filled)}] {index}/{total}")
            stream.flush()
            drawn = True
    if drawn:
        stream.write("\r" + " " * (len(label) + _WIDTH + 4 + 2 * len(str(total))) + "\r")
        stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False
