"""Writing files without destroying what is there: a file is replaced atomically (a reader sees the old one or
the new one, never half of one), a device or pipe is written directly, and a symlink's target is replaced.

The one writer of reports, CI files, `fix`'s docs and the lockfile (issue 13). A temporary file is named
`.<name>.<16 hex digits>.docsync-tmp` beside the file it replaces, removed on every failure (Ctrl-C and SIGTERM
included), and a run killed outright (SIGKILL, a power cut) leaves one that a later write in that folder removes
once it is a few minutes old.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from pathlib import Path

from docsync.errors import WriteError

TEMPORARY_SUFFIX = ".docsync-tmp"
# Older than this, a temporary file of ours belongs to a run that died: no write takes minutes.
STALE_AFTER_SECONDS = 5 * 60
# Of the target's name in the temporary's: 50 characters of at most 4 bytes keep the name under NAME_MAX (255).
_NAME_KEPT = 50
# Ours: `.<name>.<16 hex>.docsync-tmp`, and what earlier versions left (`fix`: mkstemp's `.<name>.<8>.docsync`;
# the lockfile: `.docsync.lock.<16 hex>.tmp`).
_OURS = re.compile(
    r"\..*\.[0-9a-f]{16}\.docsync-tmp|\..*\.[a-z0-9_]{8}\.docsync|\.docsync\.lock\.[0-9a-f]{16}\.tmp", re.DOTALL
)
_swept: set[Path] = set()  # folders cleaned of stale temporary files in this run (once is enough)


def write_text(path: Path, text: str, hint: str = "choose another --output", within: Path | None = None) -> None:
    """Write a report or CI file as UTF-8, making its folder if need be (see `write_file`)."""
    # A doc name that is not UTF-8 reaches us as lone surrogates: written as `\udcff`, not an exit 3.
    write_file(path, text.encode("utf-8", "backslashreplace"), hint, within=within, make_folder=True)


def write_file(
    path: Path,
    data: bytes,
    hint: str,
    *,
    shown: str | None = None,
    within: Path | None = None,
    make_folder: bool = False,
) -> None:
    """Write `data` to `path`, keeping what kind of thing is there.

    A character or block device, FIFO or socket (or a link to one, such as /dev/stdout) is opened and written:
    replacing it would put a regular file where the device was. Anything else is replaced atomically at the
    end of its symlinks (the links stay links), keeping the mode and owner of the file it replaces; a new file
    gets the mode `open()` gives (0o666 less the umask).

    Args:
        hint: how to fix a failure, for the error message.
        shown: how to name the path in messages (default: as given).
        within: refuse to write unless the path resolves inside this folder (the repository's work tree).
        make_folder: create the missing folders on the way.

    Raises:
        WriteError: naming the path and `hint`; the old file, if any, is left whole and no temporary file behind.
    """
    name = shown or str(path)
    try:
        if _is_special(path):
            _write_directly(path, data)
            return
        target = Path(os.path.realpath(path))
        if within is not None and not target.is_relative_to(os.path.realpath(within)):
            raise WriteError(
                f"cannot write {name}: it resolves to {target}, outside {within}",
                "make it a file inside the repository, not a link out of it",
            )
        if make_folder:
            target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(target.parent)
        _replace(target, data)
    except OSError as error:
        raise WriteError(f"cannot write {name}: {error.strerror or error}", hint) from None


def _is_special(path: Path) -> bool:
    """Whether `path` is (or links to) a device, a FIFO or a socket."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return False  # nothing there yet (or a dangling link): a file will be made
    return stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _write_directly(path: Path, data: bytes) -> None:
    # No O_CREAT: it exists; no O_TRUNC: a device has nothing to truncate. A FIFO waits here for its reader,
    # as `echo > fifo` does. A socket cannot be opened and fails with ENXIO, which is reported.
    descriptor = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)


def _replace(target: Path, data: bytes) -> None:
    """Write a temporary file beside `target` and rename it over `target`; remove it on any failure."""
    old = _regular_file_stat(target)
    temporary = target.with_name(f".{target.name[:_NAME_KEPT]}.{os.urandom(8).hex()}{TEMPORARY_SUFFIX}")
    ours = True
    try:
        # O_EXCL and O_NOFOLLOW: never write through a file or link someone else put there.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
        try:
            descriptor = os.open(temporary, flags, 0o666)
        except FileExistsError:
            ours = False  # the one failure where the name is someone else's
            raise
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            if old is not None:
                _keep_owner_and_mode(stream.fileno(), old)
            os.fsync(stream.fileno())  # on disk before the rename makes it the file
        os.replace(temporary, target)
    except BaseException:  # KeyboardInterrupt and SystemExit (SIGTERM, see main.py) included
        # Removed whether or not `open` had returned: a signal can land between its return and the next line.
        if ours:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise


def _regular_file_stat(path: Path) -> os.stat_result | None:
    try:
        found = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return found if stat.S_ISREG(found.st_mode) else None


def _keep_owner_and_mode(descriptor: int, old: os.stat_result) -> None:
    new = os.fstat(descriptor)
    if hasattr(os, "fchown") and (new.st_uid, new.st_gid) != (old.st_uid, old.st_gid):
        # Root fixing a user's docs must leave files the user can still write; others may not give files
        # away, and keep their own.
        with contextlib.suppress(OSError):
            os.fchown(descriptor, old.st_uid, old.st_gid)
    if hasattr(os, "fchmod"):  # Windows before Python 3.13 has none, and no modes to keep
        os.fchmod(descriptor, stat.S_IMODE(old.st_mode))  # after chown, which clears set-id bits


def _remove_stale_temporaries(folder: Path) -> None:
    """Remove temporary files of ours in `folder` that are older than `STALE_AFTER_SECONDS`: left by a run that
    was killed. Only regular files, with our names, owned by us; a younger one may be a write in progress."""
    if folder in _swept:
        return
    _swept.add(folder)
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(folder) as found:  # cleaning up is never why a write fails
        for entry in found:
            if not _OURS.fullmatch(entry.name) or not entry.is_file(follow_symlinks=False):
                continue
            info = entry.stat(follow_symlinks=False)
            if now - info.st_mtime > STALE_AFTER_SECONDS and _is_ours(info):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _is_ours(info: os.stat_result) -> bool:
    return not hasattr(os, "geteuid") or info.st_uid == os.geteuid()
