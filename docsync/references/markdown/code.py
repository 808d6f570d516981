"""Markdown code examples as CodeBlocks: fenced and indented blocks, doctest paragraphs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from markdown_it.token import Token

from docsync.models import CodeBlock, CodeLine, Style
from docsync.references.markdown.found import Row
from docsync.references.markdown.inline import align

PYTHON_LANGUAGES = frozenset({"python", "py", "python3", "py3", "pycon", "ipython", "ipython3", "doctest", ""})
DOCTEST_LANGUAGES = frozenset({"pycon", "doctest"})


def is_doctest_start(text: str) -> bool:
    """True for a `>>>` prompt line (a space or nothing after the prompt, as doctest wants)."""
    stripped = text.lstrip()
    return stripped.startswith(">>>") and stripped[3:4] in ("", " ", "\t")


def code_block(doc: str, token: Token, lines: Sequence[str]) -> CodeBlock | None:
    """The CodeBlock of a `fence` or `code_block` token, or None when it cannot be Python."""
    assert token.map is not None  # block tokens always carry their lines
    words = token.info.split() if token.type == "fence" else []
    language = words[0].lower() if words else ""
    first = token.map[0] + 1 if token.type == "fence" else token.map[0]
    block = rows_block(doc, language, content_rows(token.content, lines, first))
    if block is None:
        return None
    # markdown-it expands a tab that a container's indentation cuts into spaces, so a line of content
    # can be wider than its source: keep each column inside its line.
    origin = tuple(CodeLine(code.line, min(code.column, len(lines[code.line - 1]))) for code in block.origin)
    return replace(block, origin=origin)


def rows_block(doc: str, language: str, rows: Sequence[Row]) -> CodeBlock | None:
    """The CodeBlock of a block's rows in `language`, or None when it cannot be Python."""
    first_code = next((text for text, _, _ in rows if text.strip()), "")
    if language in DOCTEST_LANGUAGES or is_doctest_start(first_code):
        return doctest_block(doc, language, rows)
    if language not in PYTHON_LANGUAGES:
        return None
    rows = _dedent(rows)
    code = "".join(text + "\n" for text, _, _ in rows)
    origin = tuple(CodeLine(line, column) for _, line, column in rows)
    return CodeBlock(doc, Style.CODE_BLOCK, language, code, origin)


def _dedent(rows: Sequence[Row]) -> list[Row]:
    """The rows without the indentation all their lines share (a fence inside a list item is indented as a whole)."""
    indents = [text[: len(text) - len(text.lstrip())] for text, _, _ in rows if text.strip()]
    common = min(indents, default="")
    while not all(indent.startswith(common) for indent in indents):
        common = common[:-1]  # tabs and spaces mixed: only what every line starts with
    dedented: list[Row] = []
    for text, line, column in rows:
        # A blank line may be shorter than the common indentation: all its whitespace goes.
        cut = len(common) if text.startswith(common) else len(text) - len(text.lstrip())
        dedented.append((text[cut:], line, column + cut))
    return dedented


def content_rows(content: str, lines: Sequence[str], first: int) -> list[Row]:
    """The rows of a block token's content, which starts on line `first` (0-based) of `lines`."""
    pieces = content.split("\n")
    if content.endswith("\n"):
        pieces.pop()
    rows: list[Row] = []
    for number, piece in enumerate(pieces):
        index = first + number
        if index >= len(lines):
            break
        source = lines[index]
        columns = align(piece, source, 0, suffix=True)
        rows.append((piece, index + 1, columns[0] if columns else len(source.rstrip())))
    return rows


def doctest_block(doc: str, language: str, rows: Sequence[Row]) -> CodeBlock:
    """A DOCTEST block: `>>> ` and `... ` lines without their prompt; expected output is dropped."""
    code: list[str] = []
    origin: list[CodeLine] = []
    in_example = False
    for text, line, column in rows:
        stripped = text.lstrip()
        indent = len(text) - len(stripped)
        # As in doctest, `...` continues an example only right after its source lines; else it is output.
        if not (is_doctest_start(stripped) or (in_example and stripped.startswith("..."))):
            in_example = False
            continue
        rest = stripped[3:]
        skip = 1 if rest[:1] in (" ", "\t") else 0
        code.append(rest[skip:])
        origin.append(CodeLine(line, column + indent + 3 + skip))
        in_example = True
    return CodeBlock(doc, Style.DOCTEST, language, "".join(line + "\n" for line in code), tuple(origin))


def quote_prompt_column(line: str, depth: int) -> int | None:
    """Where a `>>>` prompt starts when a blockquote at `depth` opens on `line` with it, else None."""
    # CommonMark reads `>>> x` as three nested blockquotes; the quote at `depth` starts at the
    # depth-th `>` of its first line (each enclosing quote has one marker before it).
    markers = [index for index, char in enumerate(line) if char == ">"]
    if depth >= len(markers):  # pragma: no cover - every enclosing quote has a marker on this line
        return None
    column = markers[depth]
    return column if is_doctest_start(line[column:]) and not line[:column].strip(" >-+*.)0123456789") else None


def doctest_quote(doc: str, lines: Sequence[str], first: int, end: int, column: int) -> CodeBlock:
    """A doctest paragraph outside fences: lines `first`..`end` (0-based, end excluded) from `column`.

    The blockquote that CommonMark makes of the paragraph ends at its first blank line, so no row is blank.
    """
    prefix = lines[first][:column]
    rows: list[Row] = [(lines[first][column:], first + 1, column)]
    for index in range(first + 1, min(end, len(lines))):
        source = lines[index]
        # Remove the enclosing containers' markers (`> `, list indentation) as far as the first line had them.
        width = 0
        while width < min(len(prefix), len(source)) and source[width] in (" ", prefix[width]):
            width += 1
        rows.append((source[width:], index + 1, width))
    return doctest_block(doc, "", rows)
