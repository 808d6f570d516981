"""reStructuredText/Sphinx: roles (~/. prefixes), currentmodule/module context, autodoc, literalinclude :pyobject:."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from docsync.models import DocScan, Style
from docsync.references.ignores import apply_ignores
from docsync.references.rst.code import make_code_block
from docsync.references.rst.directives import read_directive
from docsync.references.rst.lines import (
    ADORNMENT,
    ANONYMOUS_TARGET,
    BULLET,
    DIRECTIVE,
    DOCTEST,
    ENUMERATOR,
    EXPLICIT,
    FIELD,
    FOOTNOTE,
    GRID_TABLE,
    SIMPLE_TABLE,
    TARGET,
    Line,
    after_marker,
    end_of_block,
    grid_cells,
    is_overlined_title,
    is_title_underline,
    nest_first,
    parse_directive,
    split_lines,
)
from docsync.references.rst.state import ScanState, Scope, read_marker, scan_paragraph

# Deeper nesting is read as plain paragraphs: no real doc nests this far, and the recursion must end.
MAX_DEPTH = 40


def scan_rst(doc: str, text: str) -> DocScan:
    """Everything a reStructuredText (or Sphinx `.txt`) doc says about code.

    Args:
        doc: the doc's repository-relative path, copied into every record.
        text: the doc's content.

    Returns:
        References sorted by position, Python code examples in order, and the lines of section titles.
    """
    state = ScanState(doc)
    lines = split_lines(text)
    _walk(state, lines, None, 0)
    source = [line.text for line in lines]
    blocks = sorted(state.blocks, key=lambda block: block[:2])
    applied = apply_ignores(doc, state.markers, state.references, blocks, source)
    return DocScan(
        doc,
        tuple(sorted(applied.references, key=lambda reference: (reference.line, reference.column))),
        tuple(applied.blocks),
        headings=tuple(sorted(state.headings)),
        diagnostics=tuple(applied.diagnostics),
        ignores=tuple(applied.ignores),
    )


@dataclass(frozen=True, slots=True)
class _Block:
    """Lines at one nesting level (a section body, a list item, a directive's content...)."""

    state: ScanState
    lines: Sequence[Line]
    scope: Scope | None
    depth: int

    def walk_nested(self, lines: Sequence[Line], scope: Scope | None) -> None:
        _walk(self.state, lines, scope, self.depth + 1)


def _walk(state: ScanState, lines: Sequence[Line], scope: Scope | None, depth: int) -> None:
    if depth > MAX_DEPTH:
        _scan_flat(state, lines, scope)
        return
    indents = [line.indent for line in lines if not line.blank]
    if not indents:
        return
    base = min(indents)
    block = _Block(state, lines, scope, depth)
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.blank:
            index += 1
        elif line.indent > base:  # a block quote or a definition
            end = end_of_block(lines, index, base + 1)
            block.walk_nested(lines[index:end], scope)
            index = end
        else:
            index = _read_construct(block, index)


def _scan_flat(state: ScanState, lines: Sequence[Line], scope: Scope | None) -> None:
    run: list[Line] = []
    for line in [*lines, Line(0, 0, 0, "")]:
        if not line.blank:
            run.append(line)
        elif run:
            scan_paragraph(state, run, scope)
            run = []


def _read_construct(block: _Block, index: int) -> int:
    """Read the construct that starts at `index` (indented like its block); return the index after it."""
    text = block.lines[index].text
    for pattern, reader in _READERS:
        if pattern.match(text) and (end := reader(block, index)) is not None:
            return end
    return _read_paragraph(block, index)


def _read_list_item(block: _Block, index: int) -> int:
    line = block.lines[index]
    match = BULLET.match(line.text) or ENUMERATOR.match(line.text)
    assert match is not None  # only called for a line that starts with a list marker
    first = after_marker(line, match.end())
    end = end_of_block(block.lines, index + 1, first.indent)
    rest = block.lines[index + 1 : end]
    block.walk_nested([first, *rest] if not first.blank else rest, block.scope)
    return end


def _read_enumerated_item(block: _Block, index: int) -> int | None:
    following = block.lines[index + 1] if index + 1 < len(block.lines) else None
    if following is not None and not following.blank and following.indent <= block.lines[index].indent:
        return None  # as in docutils, "1. Intro" over an unindented line is text (or a title)
    return _read_list_item(block, index)


def _read_field(block: _Block, index: int) -> int:
    line = block.lines[index]
    match = FIELD.match(line.text)
    assert match is not None  # only called for a field line
    end = end_of_block(block.lines, index + 1, line.indent + 1)
    _read_field_types(block, line, match.end())
    block.walk_nested(nest_first(after_marker(line, match.end()), block.lines[index + 1 : end]), block.scope)
    return end


def _read_field_types(block: _Block, line: Line, end: int) -> None:
    """Sphinx links the types a field states (`:type payload: aiohttp.streams.StreamReader`, `:rtype:`,
    `:raises shop.errors.OutOfStock:`): each dotted or capitalised name there is a cross-reference."""
    words = line.text[1 : end - 1].rstrip(":").split()
    state = block.state
    if words and words[0] in _NAME_FIELDS and len(words) == 2:
        offset = line.text.index(words[1], len(words[0]) + 1)
        for start, name in _type_names(words[1]):
            state.add_reference(line, offset + start, name, Style.RST_ROLE, name, state.module)
    elif words and words[0] in _TYPE_FIELDS:
        for start, name in _type_names(line.text[end:]):
            state.add_reference(line, end + start, name, Style.RST_ROLE, name, state.module)


_TYPE_FIELDS = frozenset({"type", "rtype", "vartype", "returntype", "kwtype"})
_NAME_FIELDS = frozenset({"raises", "raise", "except", "exception", "throws"})
# A type as Sphinx links it: `pkg.mod.Class`, `~pkg.Class`, `Class`; not `list of str`'s lowercase words.
_TYPE_NAME = re.compile(r"(?<![\w.`~])~?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+|[A-Z]\w*)(?![\w`(])")


def _type_names(text: str) -> list[tuple[int, str]]:
    return [(match.start(1), match.group(1)) for match in _TYPE_NAME.finditer(text)]


def _read_doctest(block: _Block, index: int) -> int:
    end = _end_of_text(block.lines, index)
    session = block.lines[index:end]
    block.state.add_block(make_code_block(block.state.doc, session, "", session=True), session[0])
    return end


def _read_grid_table(block: _Block, index: int) -> int:
    lines = block.lines
    # As in docutils, the table ends at the first line that is not a border or a row.
    end = index + 1
    while end < len(lines) and lines[end].text[:1] in ("+", "|"):
        end += 1
    for cell in grid_cells(lines[index:end]):  # a cell holds body elements, roles in it count
        block.walk_nested(cell, block.scope)
    return end


def _read_simple_table(block: _Block, index: int) -> int:
    lines = block.lines
    # The bottom border is a border followed by a blank line; without one, the table ends at a blank line.
    end = next(
        (
            cursor + 1
            for cursor in range(index + 1, len(lines))
            if SIMPLE_TABLE.match(lines[cursor].text) and (cursor + 1 == len(lines) or lines[cursor + 1].blank)
        ),
        None,
    ) or _end_of_text(lines, index)
    for line in lines[index:end]:
        if not SIMPLE_TABLE.match(line.text):
            scan_paragraph(block.state, [line], block.scope)
    return end


def _read_explicit(block: _Block, index: int) -> int:
    lines = block.lines
    line = lines[index]
    if line.text == ".." and (index + 1 == len(lines) or lines[index + 1].blank):
        return index + 1  # an empty comment: an indented block after it is a block quote
    end = end_of_block(lines, index + 1, line.indent + 1)
    markup = lines[index:end]
    if (match := DIRECTIVE.match(line.text)) is not None:
        body = read_directive(block.state, parse_directive(markup, match), block.scope)
        if body is not None:
            block.walk_nested(body.lines, body.scope)
    elif (match := FOOTNOTE.match(line.text)) is not None:
        block.walk_nested(nest_first(after_marker(line, match.end()), markup[1:]), block.scope)
    elif not TARGET.match(line.text):
        read_marker(block.state, markup)  # any other explicit markup is a comment
    return end


def _skip_indented(block: _Block, index: int) -> int:
    return end_of_block(block.lines, index + 1, block.lines[index].indent + 1)


def _read_adornment(block: _Block, index: int) -> int | None:
    """A section title with an overline, or a transition; a short line (`::`, `...`) is text."""
    if block.depth == 0 and is_overlined_title(block.lines, index):
        _read_title(block, block.lines[index + 1])
        return index + 3
    return index + 1 if len(block.lines[index].text) >= 4 else None


def _read_title(block: _Block, line: Line) -> None:
    block.state.headings.append(line.number)
    scan_paragraph(block.state, [line], block.scope)


def _read_paragraph(block: _Block, index: int) -> int:
    lines = block.lines
    line = lines[index]
    # Sections exist only at the top level; elsewhere docutils reads an underline as text.
    if block.depth == 0 and index + 1 < len(lines) and is_title_underline(line, lines[index + 1]):
        _read_title(block, line)
        return index + 2
    end = index + 1
    while end < len(lines) and not lines[end].blank and lines[end].indent == line.indent:
        end += 1
    scan_paragraph(block.state, lines[index:end], block.scope)
    if lines[end - 1].text.endswith("::"):
        return _read_literal_block(block, end, line.indent)
    return end


def _read_literal_block(block: _Block, index: int, indent: int) -> int:
    """The literal block expected after a paragraph ending in `::`, if there is one."""
    lines = block.lines
    start = index
    while start < len(lines) and lines[start].blank:
        start += 1
    if start == index or start == len(lines):
        return index  # a literal block starts after a blank line
    state = block.state
    if lines[start].indent > indent:
        end = end_of_block(lines, start, indent + 1)
        state.add_block(make_code_block(state.doc, lines[start:end], state.highlight, session=False), lines[start])
        return end
    quote = lines[start].text[0]
    if lines[start].indent != indent or quote not in string.punctuation:
        return index
    # A quoted literal block: unindented lines that all start with the same punctuation character.
    end = start
    while end < len(lines) and lines[end].indent == indent and lines[end].text[:1] == quote:
        end += 1
    # Its lines keep their quote character, so only a doctest session can be read as code.
    session = DOCTEST.match(lines[start].text) is not None
    state.add_block(make_code_block(state.doc, lines[start:end], "", session=True) if session else None, lines[start])
    return end


def _end_of_text(lines: Sequence[Line], index: int) -> int:
    end = index
    while end < len(lines) and not lines[end].blank:
        end += 1
    return end


_READERS: tuple[tuple[re.Pattern[str], Callable[[_Block, int], int | None]], ...] = (
    (BULLET, _read_list_item),
    (ENUMERATOR, _read_enumerated_item),
    (FIELD, _read_field),
    (DOCTEST, _read_doctest),
    (GRID_TABLE, _read_grid_table),
    (SIMPLE_TABLE, _read_simple_table),
    (EXPLICIT, _read_explicit),
    (ANONYMOUS_TARGET, _skip_indented),
    (ADORNMENT, _read_adornment),
)
