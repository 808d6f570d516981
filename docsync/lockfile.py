"""Read/write .docsync.lock: per doc, the accepted fingerprints of its symbols.

The layout is line-based so that `git merge` handles it on its own::

    # docsync lock: the code each doc was last reviewed against. Update with `docsync accept`; ...
    # format: 1

    [docs/api.rst]
    shop.cart.Cart 0123456789abcdef:0123456789abcdef:0123456789abcdef

    [docs/guide.md]
    shop.cart.add_item 0123456789abcdef:0123456789abcdef:0123456789abcdef

    # end

Git's 3-way merge conflicts when the two sides change lines that touch, so every change to one
doc's block is kept at least one unchanged line away from every other block: a blank line and the
`[doc]` header between blocks, and the `# end` trailer after the last one (without it, accepting a
doc that sorts last conflicts with a change to the last entry of the doc before it). Two branches
accepting two docs that are new to the lock and neighbours in sorted order still both insert at the
same place, and conflict; so do two acceptances of the same doc, which is the point.

Two docsync processes in one work tree (`docsync accept a.md & docsync accept b.md`) read, change and
write the file under an exclusive lock (`update_lock`), or one would write over the other's change.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from docsync.errors import LockfileError, WriteError
from docsync.models import Fingerprint
from docsync.writing import write_file

LOCK_NAME = ".docsync.lock"
FORMAT = 1
WRITER_LOCK = "docsync/docsync.lock.lock"  # in the git dir: never an untracked file in the work tree
WAIT_SECONDS = 10.0  # a writer holds the lock for milliseconds; ten seconds means it is stuck

_HEADER = (
    "# docsync lock: the code each doc was last reviewed against. Update with `docsync accept`; do not edit by hand."
)
_TRAILER = "# end"
# `|||||||` is the base section of `merge.conflictStyle = diff3` / `zdiff3`.
_CONFLICT_MARKERS = ("<<<<<<<", "|||||||", "=======", ">>>>>>>")
_FORMAT_LINE = re.compile(r"#\s*format:\s*(.*)")
_FINGERPRINT = re.compile(r"([0-9a-f]{16}):([0-9a-f]{16}):([0-9a-f]{16})")
_DIGEST = re.compile(r"[0-9a-f]{16}")


@dataclass(frozen=True, slots=True)
class Lock:
    """Per doc path, per symbol qualified name, the accepted fingerprint."""

    docs: Mapping[str, Mapping[str, Fingerprint]] = field(default_factory=dict)  # plain dicts; read-only


def parse_lock(text: str, source: str = LOCK_NAME) -> Lock:
    """Parse the text of a lock file (LF or CRLF line ends, an optional BOM); `source` names it in messages.

    Raises:
        LockfileError: merge-conflict markers, a format newer than `FORMAT`, or a line that does not parse.
    """
    raw_lines = text.removeprefix("\ufeff").split("\n")
    _check_conflict_markers(raw_lines, source)
    lines = [line.strip() for line in raw_lines]  # CRLF, and white space an editor added
    start = _read_format(lines, source)
    return Lock(_read_blocks(lines, start, source))


def format_lock(lock: Lock) -> str:
    """The lock file text: docs and symbols sorted, so equal locks give identical bytes.

    Raises:
        ValueError: a doc path, symbol name or digest that would not read back as written.
    """
    lines = [_HEADER, f"# format: {FORMAT}"]
    for doc in sorted(lock.docs):
        if problem := doc_path_problem(doc):
            raise ValueError(f"cannot write doc path {doc!r} to {LOCK_NAME}: {problem}")
        symbols = lock.docs[doc]
        lines += ["", f"[{doc}]"]
        lines += [_format_entry(symbol, symbols[symbol]) for symbol in sorted(symbols)]
    lines += ["", _TRAILER]
    return "\n".join(lines) + "\n"


def read_lock(root: Path) -> Lock | None:
    """Read `root/.docsync.lock`; None when there is none.

    Raises:
        LockfileError: the file cannot be read, is not UTF-8, or does not parse.
    """
    path = root / LOCK_NAME
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise LockfileError(f"cannot read {LOCK_NAME}: {error.strerror}", "check that it is a readable file") from None
    return parse_lock_bytes(data, LOCK_NAME)


def parse_lock_bytes(data: bytes, source: str = LOCK_NAME) -> Lock:
    """`parse_lock` for the file's bytes (as read from disk or from a git blob).

    Raises:
        LockfileError: the bytes are not UTF-8, or see `parse_lock`.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        hint = f"save it as UTF-8, or restore it with `git checkout -- {LOCK_NAME}`"
        raise LockfileError(f"{source} line {line} is not UTF-8 text", hint) from None
    return parse_lock(text, source)


def write_lock(root: Path, lock: Lock) -> None:
    """Write `root/.docsync.lock` in one step (see `writing.write_file`): its mode and owner are kept.

    Raises:
        ValueError: see `format_lock` (nothing is written then).
        LockfileError: the file cannot be written; the old one, if any, is left as it was.
    """
    data = format_lock(lock).encode("utf-8")
    try:
        write_file(root / LOCK_NAME, data, "check that the repository folder is writable", shown=LOCK_NAME, within=root)
    except WriteError as error:
        raise LockfileError(error.message, error.hint) from None


def update_lock(root: Path, git_dir: Path, change: Callable[[Lock | None], Lock | None]) -> Lock | None:
    """Read `root/.docsync.lock`, pass it to `change` and write what it returns (None: write nothing), all
    under an exclusive lock, so that concurrent acceptances of different docs all land (issue 13, item 11).

    Raises:
        LockfileError: another process held the lock for `WAIT_SECONDS`, or see `read_lock`, `write_lock`.
    """
    with _exclusive(git_dir / WRITER_LOCK, root):
        lock = change(read_lock(root))
        if lock is not None:
            write_lock(root, lock)
        return lock


def with_docs(
    lock: Lock | None, accepted: Mapping[str, Mapping[str, Fingerprint]], removed: Iterable[str] = ()
) -> Lock:
    """A copy of `lock` with the blocks of `accepted` replaced wholesale and the docs in `removed` dropped.

    A doc accepted with no symbols keeps an empty block, so that its acceptance is recorded.

    Raises:
        ValueError: a doc is both accepted and removed.
    """
    removed = set(removed)
    if both := sorted(removed & set(accepted)):
        raise ValueError(f"docs both accepted and removed: {', '.join(both)}")
    docs = {doc: symbols for doc, symbols in (lock.docs.items() if lock else ()) if doc not in removed}
    docs.update(accepted)
    return Lock({doc: dict(sorted(docs[doc].items())) for doc in sorted(docs)})


# -- parsing ------------------------------------------------------------------------------------------


def _check_conflict_markers(lines: list[str], source: str) -> None:
    # Checked before anything else: a conflicted file fails every other check too, and only this
    # message says how to get out of it.
    for number, line in enumerate(lines, 1):
        if line.startswith(_CONFLICT_MARKERS):
            raise LockfileError(
                f"{source} has merge-conflict markers (line {number})",
                f"take either side (`git checkout --theirs {LOCK_NAME}`), "
                "then run `docsync accept` on the docs of both branches",
            )


def _read_format(lines: list[str], source: str) -> int:
    """Check the `# format: N` line (before anything else: a newer format may not parse); return its index + 1."""
    found = [(index, match[1]) for index, line in enumerate(lines) if (match := _FORMAT_LINE.fullmatch(line))]
    if not found:
        raise _line_error(source, 1, f"no `# format: {FORMAT}` line")
    index, value = found[0]
    if not re.fullmatch(r"[0-9]+", value):
        raise _line_error(source, index + 1, f"unreadable format `{_shorten(value)}` (expected `# format: {FORMAT}`)")
    if int(value) > FORMAT:
        raise LockfileError(
            f"{source} was written by a newer docsync (format {int(value)}; this one reads {FORMAT})", "upgrade docsync"
        )
    if int(value) != FORMAT:
        raise _line_error(source, index + 1, f"unknown format {int(value)} (this docsync reads {FORMAT})")
    if len(found) > 1:
        raise _line_error(source, found[1][0] + 1, f"a second `# format:` line (the first is line {index + 1})")
    for number, line in enumerate(lines[:index], 1):
        if line and not line.startswith("#"):
            raise _line_error(
                source, number, f"`{_shorten(line)}` comes before the `# format:` line (line {index + 1})"
            )
    return index + 1


def _read_blocks(lines: list[str], start: int, source: str) -> dict[str, dict[str, Fingerprint]]:
    docs: dict[str, dict[str, Fingerprint]] = {}
    header_lines: dict[str, int] = {}
    entry_lines: dict[str, int] = {}  # of the current block
    doc: str | None = None
    for number, line in enumerate(lines[start:], start + 1):
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            doc = _parse_header(line, number, source)
            if doc in header_lines:
                raise _line_error(source, number, f"[{doc}] appears twice (first at line {header_lines[doc]})")
            header_lines[doc], docs[doc], entry_lines = number, {}, {}
            continue
        if doc is None:
            raise _line_error(source, number, f"`{_shorten(line)}` comes before any `[doc path]` header")
        symbol, fingerprint = _parse_entry(line, number, source)
        if symbol in entry_lines:
            raise _line_error(
                source, number, f"{symbol} appears twice in [{doc}] (first at line {entry_lines[symbol]})"
            )
        entry_lines[symbol], docs[doc][symbol] = number, fingerprint
    return docs


def _parse_header(line: str, number: int, source: str) -> str:
    if not line.endswith("]"):
        raise _line_error(source, number, f"`{_shorten(line)}` is not a `[doc path]` header")
    doc = line[1:-1]
    if problem := doc_path_problem(doc):
        raise _line_error(source, number, f"bad doc path `{_shorten(doc)}`: {problem}")
    return doc


def _parse_entry(line: str, number: int, source: str) -> tuple[str, Fingerprint]:
    parts = line.split()
    if len(parts) != 2:
        raise _line_error(source, number, f"`{_shorten(line)}` is not `<symbol> <signature>:<body>:<docstring>`")
    symbol, digests = parts
    if not _is_dotted_name(symbol):
        raise _line_error(source, number, f"`{_shorten(symbol)}` is not a dotted Python name")
    match = _FINGERPRINT.fullmatch(digests)
    if not match:
        raise _line_error(
            source,
            number,
            f"malformed fingerprint of {symbol}: `{_shorten(digests)}` is not three 16-digit lowercase hex digests "
            "joined by `:`",
        )
    return symbol, Fingerprint(match[1], match[2], match[3])


def _line_error(source: str, number: int, what: str) -> LockfileError:
    # The hint names the file (`source` may be a label such as ".docsync.lock at 1a2b3c4").
    return LockfileError(
        f"{source} line {number}: {what}",
        f"undo hand edits (`git checkout -- {LOCK_NAME}`) or delete the bad block, "
        "then re-run `docsync accept` on its docs",
    )


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- validation shared by parsing and formatting -------------------------------------------------------


def doc_path_problem(doc: str) -> str | None:
    """Why `doc` cannot sit in a `[doc]` header and read back the same, or None when it can."""
    if not doc:
        return "it is empty"
    if "\n" in doc or "\r" in doc:
        return "it contains a line break"
    if doc != doc.strip():
        return "it starts or ends with white space"  # lines are stripped when read (editors add or drop it)
    if doc.startswith("/"):
        return "it is absolute (paths are relative to the repository root)"
    try:
        doc.encode("utf-8")
    except UnicodeEncodeError:
        return "it is not valid Unicode"
    return None


def _is_dotted_name(name: str) -> bool:
    return all(part.isidentifier() for part in name.split("."))


def _format_entry(symbol: str, fingerprint: Fingerprint) -> str:
    if not _is_dotted_name(symbol):
        raise ValueError(f"cannot write symbol {symbol!r} to {LOCK_NAME}: not a dotted Python name")
    digests = (fingerprint.signature, fingerprint.body, fingerprint.docstring)
    if not all(isinstance(digest, str) and _DIGEST.fullmatch(digest) for digest in digests):
        raise ValueError(f"cannot write {symbol} to {LOCK_NAME}: {fingerprint} is not three 16-digit hex digests")
    return f"{symbol} {':'.join(digests)}"


# -- one writer at a time -------------------------------------------------------------------------------


@contextlib.contextmanager
def _exclusive(path: Path, root: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path`, waiting up to `WAIT_SECONDS`; the system drops it if we die."""
    descriptor = _lock_target(path, root)
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while not _try_lock(descriptor):
            if time.monotonic() >= deadline:
                raise LockfileError(
                    f"another docsync has been writing {LOCK_NAME} for {WAIT_SECONDS:g} s (it holds {path})",
                    "let it finish, then run this again",
                )
            time.sleep(0.02)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _lock_target(path: Path, root: Path) -> int:
    """An open descriptor to lock: the lock file in the git dir, else (a read-only git dir) the work tree's
    folder itself, which every writer of the lockfile can open and no one has to clean up."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        pass
    try:
        return os.open(root, os.O_RDONLY)
    except OSError as error:
        raise LockfileError(
            f"cannot lock {LOCK_NAME}: {error.strerror}", f"check that {path.parent} is writable"
        ) from None


def _try_lock(descriptor: int) -> bool:
    """Take the lock if no one holds it; False if someone does."""
    if sys.platform == "win32":  # pragma: no cover - Windows has no flock: a lock on the file's first byte
        import msvcrt

        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as error:  # a file system without locks (some network mounts)
        raise LockfileError(
            f"cannot lock {LOCK_NAME}: {error.strerror}", "run docsync where the git dir is on a local disk"
        ) from None
    return True
