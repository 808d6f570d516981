"""A deprecation warning's text → the project symbol it tells users to use instead, when it names one.

Only what resolves counts: a word of the warning is a replacement when it is written as code (quoted, in
backticks, dotted or called) or follows "use", "instead of"-like cues, and names a public symbol of the project
other than the deprecated one, looked up as written, then in the deprecated symbol's class and module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from docsync.symbols.table import SymbolTable

_DOTTED = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*"
# Most telling first: a name after a cue, then any name written as code.
_CUED = re.compile(
    r"(?:\buse|\breplaced (?:by|with)|\brenamed (?:to|as)|\bmoved to|\bin favou?r of|\bsee|\bprefer)"
    r"\s+[`'\"]*(?:the\s+)?[`'\"]*(?::\w+:`~?)?(" + _DOTTED + ")",
    re.IGNORECASE,
)
_AS_CODE = re.compile(r"[`'\"]~?(" + _DOTTED + r")(?:\(\))?[`'\"]|(" + _DOTTED + r")\(\)|\b(\w+\.\w[\w.]*)")


def successor(qualname: str, warning: str, table: SymbolTable) -> str | None:
    """The qualified name of the symbol the warning of `qualname` points users to, or None."""
    scopes = _scopes(qualname)
    for written in _candidates(warning):
        for scope in scopes:
            found = table.target(f"{scope}.{written}" if scope else written)
            if found is not None and found != qualname and found in table.public and not _within(found, qualname):
                return found
    return None


def _candidates(warning: str) -> Iterator[str]:
    for match in _CUED.finditer(warning):
        yield match.group(1).rstrip(".")
    for match in _AS_CODE.finditer(warning):
        yield next(group for group in match.groups() if group).rstrip(".")


def _scopes(qualname: str) -> list[str]:
    """Where a name in the warning is looked up: as written, then in each enclosing scope, innermost first."""
    parts = qualname.split(".")
    return ["", *(".".join(parts[:end]) for end in range(len(parts) - 1, 0, -1))]


def _within(found: str, qualname: str) -> bool:
    """A member of the deprecated symbol (or the module it is in, for a module) is not its replacement."""
    return found.startswith(qualname + ".")
