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
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from docsync.errors import LockfileError
from docsync.models import Fingerprint

LOCK_NAME = ".docsync.lock"
FORMAT = 1

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
    """Write `root/.docsync.lock` in one step: a temporary file in the same folder, then `os.replace`.

    Raises:
        ValueError: see `format_lock` (nothing is written then).
        LockfileError: the file cannot be written; the old one, if any, is left as it was.
    """
    data = format_lock(lock).encode("utf-8")
    target = root / LOCK_NAME
    temporary = root / f"{LOCK_NAME}.{secrets.token_hex(8)}.tmp"
    try:
        _write_new_file(temporary, data, _mode_of(target))
        os.replace(temporary, target)
    except BaseException as error:  # Ctrl-C included: never leave the temporary file behind
        with contextlib.suppress(OSError):
            temporary.unlink()
        if not isinstance(error, OSError):
            raise
        reason = error.strerror or str(error)
        raise LockfileError(
            f"cannot write {LOCK_NAME}: {reason}", "check that the repository folder is writable"
        ) from None


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


# -- writing ------------------------------------------------------------------------------------------


def _mode_of(path: Path) -> int | None:
    """The permission bits of the file the new one replaces; None when there is none."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return None


def _write_new_file(path: Path, data: bytes, mode: int | None) -> None:
    # 0o666 less the umask, as `open()` would (`tempfile.mkstemp` makes 0o600); O_EXCL: never write
    # through a file or symlink someone else put there.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())  # the data must be on disk before the rename makes it the lock
    if mode is not None:
        os.chmod(path, mode)  # keep the mode of the file it replaces
