"""Names in the expected output of doctest sessions: what a reader will see printed, so a use of the name.

`shop.errors.CartFull: too many items` (the last line of a traceback) and `<shop.cart.Cart object at 0x...>` (an
object's repr) name the project's classes as Python prints them. Only dotted names count (`ValueError: ...` is a
builtin's; a bare word is anyone's); whose they are is for resolution to say, as for any other name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from docsync.models import CodeBlock, How, Reference, Style
from docsync.references.names import IDENTIFIER

_DOTTED = rf"{IDENTIFIER}(?:\.{IDENTIFIER})+"
_RAISED = re.compile(rf"(?P<name>{_DOTTED})(?::|$)")  # at the start of an output line
_REPR = re.compile(rf"<(?:class '(?P<cls>{_DOTTED})'|(?P<obj>{_DOTTED}) object at 0x[0-9A-Fa-f]+)>")
_PROMPT = re.compile(r"(?:>>>|\.\.\.)(?:\s|$)")


def output_references(doc: str, blocks: Sequence[CodeBlock], lines: Sequence[str]) -> Iterator[Reference]:
    """References to the dotted names the output lines of the doc's doctest sessions print."""
    for block in blocks:
        if block.style is not Style.DOCTEST or not block.origin:
            continue
        sources = {origin.line for origin in block.origin}
        prompt_column = max(0, block.origin[0].column - 4)
        for number in _output_lines(sources, lines):
            for reference in _names(doc, number, lines[number - 1], prompt_column):
                yield replace(reference, ignored=block.ignored) if block.ignored else reference


def _output_lines(sources: set[int], lines: Sequence[str]) -> Iterator[int]:
    """The lines after each run of source lines, up to a blank line, a fence or the next prompt (1-based)."""
    for number in sorted(sources):
        following = number + 1
        while following <= len(lines) and following not in sources:
            text = lines[following - 1].strip(" >")
            if not text or text.startswith(("```", "~~~")):
                break
            yield following
            following += 1


def _names(doc: str, number: int, line: str, prompt_column: int) -> Iterator[Reference]:
    text = line[prompt_column:] if line[:prompt_column].strip(" >") == "" else line.lstrip(" >")
    start = len(line) - len(text)
    if not text.strip() or _PROMPT.match(text):
        return
    raised = _RAISED.match(text)
    if raised is not None:
        name = raised["name"]
        yield Reference(doc, number, start + 1, name, How.INFERRED, Style.DOCTEST, name)
    for shown in _REPR.finditer(text):
        name = shown["cls"] or shown["obj"]
        column = start + shown.start("cls" if shown["cls"] else "obj") + 1
        yield Reference(doc, number, column, name, How.INFERRED, Style.DOCTEST, name)
