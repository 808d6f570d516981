"""reStructuredText code examples as CodeBlocks: literal blocks, code directives, doctest sessions."""

from __future__ import annotations

import re
from collections.abc import Sequence

from docsync.models import CodeBlock, CodeLine, Style
from docsync.references.rst.lines import Line

PYTHON_LANGUAGES = frozenset({"python", "py", "python3", "py3", "pycon", "ipython", "ipython3", "doctest", ""})
SESSION_LANGUAGES = frozenset({"pycon", "doctest"})

# (first prompt, continuation prompt): doctest's `>>> `/`... ` and IPython's `In [1]: `/`   ...: `.
_DOCTEST_PROMPTS = (re.compile(r">>>(?:[ \t]|$)"), re.compile(r"\.\.\.(?:[ \t]|$)"))
_IPYTHON_PROMPTS = (re.compile(r"In \[\d*\]:(?:[ \t]|$)"), re.compile(r"\.\.\.+:(?:[ \t]|$)"))


def make_code_block(doc: str, lines: Sequence[Line], language: str, *, session: bool) -> CodeBlock | None:
    """The CodeBlock of a block's lines, or None when it is empty or cannot be Python.

    Args:
        doc: the doc's path.
        lines: the block's lines (blank lines around it are dropped).
        language: the language as written, lower case ("" when none).
        session: the lines are an interactive session whatever their language (`.. doctest::`).
    """
    lines = _trim_blank(lines)
    if not lines:
        return None
    first = lines[0].text
    is_doctest = _DOCTEST_PROMPTS[0].match(first) is not None
    if not is_doctest and language not in PYTHON_LANGUAGES:
        return None
    if is_doctest or session or language in SESSION_LANGUAGES:
        return _session_block(doc, lines, language, _DOCTEST_PROMPTS)
    if language.startswith("ipython") and _IPYTHON_PROMPTS[0].match(first):
        return _session_block(doc, lines, language, _IPYTHON_PROMPTS)
    return _plain_block(doc, lines, language)


def _trim_blank(lines: Sequence[Line]) -> Sequence[Line]:
    filled = [index for index, line in enumerate(lines) if not line.blank]
    return lines[filled[0] : filled[-1] + 1] if filled else ()


def _session_block(
    doc: str, lines: Sequence[Line], language: str, prompts: tuple[re.Pattern[str], re.Pattern[str]]
) -> CodeBlock | None:
    """The source lines of a session without their prompts; expected output is dropped."""
    code: list[str] = []
    origin: list[CodeLine] = []
    in_example = False
    for line in lines:
        prompt = prompts[0].match(line.text)
        # As in doctest, `...` continues an example only right after its source lines; else it is output.
        if prompt is None and in_example:
            prompt = prompts[1].match(line.text)
        in_example = prompt is not None
        if prompt is not None:
            code.append(line.text[prompt.end() :])
            origin.append(CodeLine(line.number, line.start + prompt.end()))
    if not code:
        return None
    return CodeBlock(doc, Style.DOCTEST, language, "".join(text + "\n" for text in code), tuple(origin))


def _plain_block(doc: str, lines: Sequence[Line], language: str) -> CodeBlock:
    """The block dedented by its least indented line; each line keeps its own column."""
    base = min(line.indent for line in lines if not line.blank)
    first_column = max(0, lines[0].start - (lines[0].indent - base))
    code: list[str] = []
    origin: list[CodeLine] = []
    for line in lines:
        extra = max(0, line.indent - base)
        if line.blank:
            code.append("")
            origin.append(CodeLine(line.number, min(line.start, first_column)))
        else:
            code.append(" " * extra + line.text)
            origin.append(CodeLine(line.number, max(0, line.start - extra)))
    return CodeBlock(doc, Style.CODE_BLOCK, language, "".join(text + "\n" for text in code), tuple(origin))
