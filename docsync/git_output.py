"""Parsing git's output: listings of a tree and of the index, diffs. Pure: `gitrepo` runs git and passes the text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
REGULAR_FILE_MODES = frozenset({"100644", "100755"})
# `git ls-files --stage -z` (with `--debug`, each entry's stat data follows it: of which the size).
INDEX_ENTRY = re.compile(
    r"(?P<mode>\d{6}) (?P<sha>[0-9a-f]+) (?P<stage>\d)\t(?P<path>[^\0]*)\0"
    r"(?:  ctime:[^\0]*?  size: (?P<size>\d+)[^\n]*\n)?"
)
# A regular file's record, only at the start of one (after a NUL: a path cannot hold one). Matched in C: parsing 50,000
# records a line at a time in Python took 0.1 s of each pre-commit run. `ls-tree -r -z`, and `ls-files --stage -z` at
# stage 0 (the stages of a conflict are left out).
_TREE_FILE = re.compile(r"(?<![^\0])10(?:0644|0755) blob ([0-9a-f]+)\t([^\0]*)\0")
_STAGED_FILE = re.compile(r"(?<![^\0])10(?:0644|0755) ([0-9a-f]+) 0\t([^\0]*)\0")


@dataclass(frozen=True, slots=True)
class FileEntry:
    """A file of one revision: its git blob id and size in bytes (-1 when git did not say)."""

    blob: str
    size: int = -1


@dataclass(frozen=True, slots=True)
class PathChange:
    """One line of `git diff --name-status -M`: status letter, old path and new path."""

    status: str
    old_path: str | None
    new_path: str | None


def tree_files_in(out: str) -> dict[str, FileEntry]:
    """The regular files of `git ls-tree -r -z`."""
    return {path: FileEntry(sha) for sha, path in _TREE_FILE.findall(out)}


def staged_files_in(out: str) -> dict[str, FileEntry]:
    """The regular files of `git ls-files --stage -z` at stage 0."""
    return {path: FileEntry(sha) for sha, path in _STAGED_FILE.findall(out)}


def index_changes_in(out: str) -> dict[str, FileEntry | None]:
    """`git diff-index --cached --raw -z --no-renames`: each path with its staged regular file (None: none, or a
    conflict)."""
    fields = out.split("\0")
    changes: dict[str, FileEntry | None] = {}
    for meta, path in zip(fields[0::2], fields[1::2], strict=False):
        _old_mode, new_mode, _old_sha, new_sha, status = meta[1:].split(" ")
        regular = new_mode in REGULAR_FILE_MODES and status != "U"
        changes[path] = FileEntry(new_sha) if regular else None
    return changes


def name_status_in(out: str) -> Iterator[PathChange]:
    fields = iter(out.split("\0"))
    for status in fields:
        if not status:
            continue
        letter = status[0]
        if letter in "RC":
            old, new = next(fields), next(fields)
            yield PathChange(letter, old, new)
        elif letter == "D":
            yield PathChange(letter, next(fields), None)
        elif letter == "A":
            yield PathChange(letter, None, next(fields))
        else:
            path = next(fields)
            yield PathChange(letter, path, path)


def changed_lines_in(out: str) -> dict[str, frozenset[int]]:
    touched: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in out.splitlines():
        if line.startswith("+++ "):
            target = line[4:]
            current = None if target == "/dev/null" else touched.setdefault(_strip_prefix(target), set())
            continue
        match = _HUNK.match(line)
        if match and current is not None:
            start, count = int(match.group(1)), int(match.group(2) or "1")
            # A pure deletion (count 0) sits between line `start` and the next: both count as touched.
            current.update(range(start, start + count) if count else (start, start + 1))
    return {path: frozenset(lines) for path, lines in touched.items()}


def _strip_prefix(target: str) -> str:
    if target.startswith('"'):  # git quotes unusual paths: "b/caf\303\251.md"
        target = target[1:-1].encode("latin-1").decode("unicode_escape").encode("latin-1").decode("utf-8")
    return target[2:] if target.startswith("b/") else target
