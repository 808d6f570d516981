"""Writing files atomically: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from docsync.errors import DocsyncError


def write_text(path: Path, text: str) -> None:
    """Write a report: its folder made if need be; readable by everyone, as a report is meant to be."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        # A doc name that is not UTF-8 reaches us as lone surrogates: written as `\udcff`, not an exit 3.
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        raise DocsyncError(f"cannot write {path}: {error.strerror}", "choose another --output") from None


def replace_file(path: Path, data: bytes) -> None:
    """Replace a doc in one step, keeping its permissions; a failure leaves the old file whole."""
    mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".docsync")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise DocsyncError(f"cannot write {path.name}: {error.strerror}", "check the file's permissions") from None
        raise
