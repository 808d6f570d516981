"""Where a command's output goes: stdout or a file (`-o FILE`, written atomically), and whether it is coloured."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from docsync.progress import is_terminal
from docsync.writing import write_text

COLOR_CHOICES = ("auto", "always", "never")
STDOUT = "-"


def wants_color(choice: str, stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to colour what goes to `stream`: `--color always|never` decides; under `auto`, a non-empty
    NO_COLOR (no-color.org) turns it off, then a non-empty FORCE_COLOR turns it on, then it is on when the
    stream is a terminal and TERM is not `dumb` (the order CPython's own colour follows)."""
    if choice != "auto":
        return choice == "always"
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    return is_terminal(stream, env)


def to_stdout(target: str | None) -> bool:
    """Whether `-o target` means stdout: no `-o`, or `-o -`."""
    return target is None or target == STDOUT


def emit(text: str, target: str | None, out: TextIO) -> None:
    """Write a command's output to stdout, or to the file `target` (relative to the current folder) atomically."""
    if to_stdout(target):
        out.write(text)
        return
    assert target is not None  # to_stdout says so
    path = Path(target)
    write_text(path if path.is_absolute() else Path.cwd() / path, text, f"choose another -o/--output than {target}")
