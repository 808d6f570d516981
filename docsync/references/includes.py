"""Lines that include an example file into a doc, and where that file is.

MkDocs sites keep long examples in files of their own and include them: pymdownx.snippets' `--8<-- "x.py"`,
markdown-include's `{!> x.py !}`, FastAPI's `{* x.py hl[3] *}`. Such a line is not code (it must never be
read as Python); the file it names is doc code, checked as an example of its own. Only Python files count.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Container, Iterator, Sequence

from docsync.models import Include

_PATH = r"(?P<path>[^\s\"'!*]+?\.py)"
_INCLUDE_LINES = (
    re.compile(rf"(?P<at>-+8<-+)[ \t]+[\"']?{_PATH}(?::[^\s\"']*)?[\"']?[ \t]*$"),  # pymdownx.snippets
    re.compile(rf"(?P<at>\{{!>?)[ \t]*{_PATH}[ \t]*!\}}[ \t]*$"),  # markdown-include
    re.compile(rf"(?P<at>\{{\*)[ \t]*{_PATH}(?:[ \t][^*]*)?\*\}}[ \t]*$"),  # FastAPI's docs
)


def is_include_line(line: str) -> bool:
    """Whether a line includes an example file (in a fence it is an include, never Python to parse)."""
    stripped = line.lstrip()
    return stripped.startswith(("-", "{")) and any(pattern.match(stripped) for pattern in _INCLUDE_LINES)


def find_includes(lines: Sequence[str]) -> tuple[Include, ...]:
    """The include lines of a Markdown doc, in or out of fences (1-based lines, 1-based columns of the path)."""
    found = []
    for number, line in enumerate(lines, start=1):
        stripped = line.lstrip()
        if not stripped.startswith(("-", "{")):
            continue
        for pattern in _INCLUDE_LINES:
            match = pattern.match(stripped)
            if match:
                column = len(line) - len(stripped) + match.start("path") + 1
                found.append(Include(number, column, match.group("path")))
                break
    return tuple(found)


def included_file(doc: str, written: str, files: Container[str]) -> str | None:
    """The repository path an include line of `doc` names: relative to the doc's folder or, as the tools resolve
    it from their configuration's folder, to one of its parents (`../../docs_src/x.py` in
    `docs/en/docs/tutorial/a.md` is `docs_src/x.py`). None when no such file exists or the path leaves the
    repository."""
    for base in _folders_up(posixpath.dirname(doc)):
        candidate = posixpath.normpath(posixpath.join(base, written.lstrip("/")))
        if candidate.startswith("../") or candidate == "..":
            continue
        if candidate in files:
            return candidate
    return None


def _folders_up(folder: str) -> Iterator[str]:
    while folder:
        yield folder
        folder = posixpath.dirname(folder)
    yield ""
