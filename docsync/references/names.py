"""Python names as docs write them: dotted identifiers, and what a piece of inline code names."""

from __future__ import annotations

import keyword
import re

IDENTIFIER = r"[^\W\d]\w*"
DOTTED_NAME = re.compile(rf"{IDENTIFIER}(?:\.{IDENTIFIER})*")
# A name as written in inline code: `@deco`, `pkg.mod.func`, `func()`, `func(a, b=f(1))` (one nesting level).
_CODE_NAME = re.compile(rf"@?(?P<name>{DOTTED_NAME.pattern})(?:\([^()]*(?:\([^()]*\)[^()]*)*\))?")
_SOURCE_PATH = re.compile(r"/?(?:[\w.~-]+/)*[\w.~-]+\.py")


def is_python_name(text: str, *, dotted: bool = False) -> bool:
    """A dotted identifier with no keyword part (`None`, `import` are not names); `dotted` needs a dot."""
    if not DOTTED_NAME.fullmatch(text) or (dotted and "." not in text):
        return False
    return not any(keyword.iskeyword(part) for part in text.split("."))


def classify_code(code: str) -> tuple[str, str | None] | None:
    """(name, path) that inline code names, or None when it is neither a Python name nor a source path.

    The same for a Markdown code span and a reStructuredText inline literal: whitespace inside the
    code (a literal wrapped over lines) never changes the answer, as a path holds none and a call's
    name ends before its parentheses.
    """
    code = code.strip()
    if _SOURCE_PATH.fullmatch(code) and "//" not in code:
        return "", code
    match = _CODE_NAME.fullmatch(code)
    if match and is_python_name(match["name"]):
        return match["name"], None
    return None
