"""reStructuredText lines: indentation, indented blocks, docutils' line patterns, directive parts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple

TAB_SIZE = 8  # docutils expands tabs to every 8th column before reading indentation
_INDENT_CHARS = " \t\ufeff"  # a byte-order mark before the first line is not content

_SIMPLENAME = r"(?:(?!_)\w)+(?:[-._+:](?:(?!_)\w)+)*"
_ENUM_SEQUENCE = r"(?:\d+|[a-zA-Z]|#|[ivxlcdm]+|[IVXLCDM]+)"

# docutils' body patterns (docutils.parsers.rst.states.Body), tried on a line's text in this order.
BULLET = re.compile(r"[-+*\u2022\u2023\u2043](?:[ \t]+|$)")
ENUMERATOR = re.compile(rf"(?:\({_ENUM_SEQUENCE}\)|{_ENUM_SEQUENCE}[.)])(?:[ \t]+|$)")
FIELD = re.compile(r":(?![: ])(?:[^:\\]|\\.|:(?![ `]|$))*(?<! ):(?:[ \t]+|$)")
DOCTEST = re.compile(r">>>(?:[ \t]|$)")
GRID_TABLE = re.compile(r"\+-[-+]+-\+$")
SIMPLE_TABLE = re.compile(r"=+(?:[ \t]+=+)+$")
EXPLICIT = re.compile(r"\.\.(?:[ \t]+|$)")
ANONYMOUS_TARGET = re.compile(r"__(?:[ \t]+|$)")
ADORNMENT = re.compile(r"([!-/:-@\[-`{-~])\1*$")

# Explicit markup kinds; a substitution definition (`.. |name| replace:: x`) is read as its directive.
DIRECTIVE = re.compile(rf"\.\.[ \t]+(?:\|[^|]+\|[ \t]+)?(?P<name>{_SIMPLENAME})[ \t]?::(?:[ \t]+|$)")
FOOTNOTE = re.compile(r"\.\.[ \t]+\[[^\]\s]+\](?:[ \t]+|$)")
TARGET = re.compile(r"\.\.[ \t]+_")


class Line(NamedTuple):
    """One doc line: `text` without indentation or trailing space, found at character `start` of the line.

    `indent` is in columns (tabs expanded); for the first line of a nested block (after a list
    bullet or a field name) it is the block's indentation, as docutils reads it.
    """

    number: int
    indent: int
    start: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text


class Option(NamedTuple):
    """A directive option `:name: value`; the value starts at `value_offset` of `line.text`."""

    name: str
    line: Line
    value_offset: int
    continuation: tuple[Line, ...]


class Directive(NamedTuple):
    """A directive split as docutils splits it: argument, more argument lines, options, content."""

    name: str
    argument: Line
    head: tuple[Line, ...]
    options: tuple[Option, ...]
    content: tuple[Line, ...]

    def option(self, name: str) -> str:
        """The first line of an option's value ("" when the option is absent)."""
        for option in self.options:
            if option.name == name:
                return option.line.text[option.value_offset :].strip()
        return ""


def split_lines(text: str) -> list[Line]:
    """The doc's lines; CRLF, CR and LF all end a line, as for every other docsync scanner."""
    raws = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if raws[-1] == "":
        raws.pop()
    lines = []
    for number, raw in enumerate(raws, 1):
        body = raw.lstrip(_INDENT_CHARS)
        start = len(raw) - len(body)
        lines.append(Line(number, advance(0, raw[:start]), start, body.rstrip()))
    return lines


def advance(column: int, chars: str) -> int:
    """The column reached after `chars` written from `column`, tabs expanded."""
    for char in chars:
        if char == "\t":
            column += TAB_SIZE - column % TAB_SIZE
        elif char != "\ufeff":
            column += 1
    return column


def after_marker(line: Line, offset: int) -> Line:
    """The rest of `line` after its first `offset` characters (a bullet, a field name, `.. name::`)."""
    indent = advance(line.indent, line.text[:offset])
    return Line(line.number, indent, line.start + offset, line.text[offset:])


def end_of_block(lines: Sequence[Line], index: int, min_indent: int) -> int:
    """Index after the lines from `index` that are blank or indented by `min_indent` or more.

    Trailing blank lines are left out: they belong to no block.
    """
    end = cursor = index
    while cursor < len(lines) and (lines[cursor].blank or lines[cursor].indent >= min_indent):
        cursor += 1
        if not lines[cursor - 1].blank:
            end = cursor
    return end


def nest_first(first: Line, rest: Sequence[Line]) -> list[Line]:
    """A nested block that opens on a marker's line, read as docutils does.

    The text after the marker counts as indented like the block's other lines, so
    `.. note:: Text` and `:param x: Text` open a paragraph, not a definition list.
    """
    if first.blank:
        return list(rest)
    indents = [line.indent for line in rest if not line.blank]
    return [first._replace(indent=min(indents)) if indents else first, *rest]


def parse_directive(block: Sequence[Line], match: re.Match[str]) -> Directive:
    """Split a directive's lines (from a DIRECTIVE match on the first one) into its parts.

    Options are the field-list lines that follow the directive line before any blank line; the
    lines before them continue the argument, and everything after them is content.
    """
    argument = after_marker(block[0], match.end())
    body = block[1:]
    blank = next((index for index, line in enumerate(body) if line.blank), len(body))
    first_option = next((index for index in range(blank) if FIELD.match(body[index].text)), blank)
    options, used = _parse_options(body[first_option:blank])
    return Directive(
        name=match["name"].lower(),
        argument=argument,
        head=tuple(body[:first_option]),
        options=options,
        content=tuple(body[first_option + used :]),
    )


def _parse_options(lines: Sequence[Line]) -> tuple[tuple[Option, ...], int]:
    options: list[Option] = []
    index = 0
    while index < len(lines):
        match = FIELD.match(lines[index].text)
        if match is None:
            break  # leniently, a non-option line ends the options and starts the content
        end = index + 1
        while end < len(lines) and lines[end].indent > lines[index].indent:
            end += 1
        name = match.group().strip()[1:-1].lower()
        options.append(Option(name, lines[index], match.end(), tuple(lines[index + 1 : end])))
        index = end
    return tuple(options), index


def is_title_underline(text: Line, under: Line) -> bool:
    """True when `under` adorns `text` as a section title (docutils accepts a short one of 4+ characters)."""
    if under.blank or under.indent != text.indent or not ADORNMENT.match(under.text):
        return False
    return len(under.text) >= len(text.text) or len(under.text) >= 4


def is_overlined_title(lines: Sequence[Line], index: int) -> bool:
    """True when lines `index`..`index + 2` are an overline, a title and a matching underline."""
    if index + 2 >= len(lines):
        return False
    over, title, under = lines[index], lines[index + 1], lines[index + 2]
    if title.blank or ADORNMENT.match(title.text) or under.blank or not ADORNMENT.match(under.text):
        return False
    return under.text[0] == over.text[0] and under.indent == over.indent


def grid_cells(table: Sequence[Line]) -> list[list[Line]]:
    """The lines of each cell of a grid table, cut where the top border has its `+` column boundaries.

    A cell's lines are kept in place (start, indent), so they read as a nested block of body elements.
    """
    border = table[0]
    bounds = [index for index, char in enumerate(border.text) if char == "+"]
    cells: dict[tuple[int, int], list[Line]] = {}
    row = 0
    for line in table[1:]:
        if line.text.startswith("+"):  # a row separator
            row += 1
            continue
        cuts = [bound for bound in bounds if bound < len(line.text) and line.text[bound] in "|+"]
        for left, right in pairwise(cuts):
            segment = line.text[left + 1 : right]
            lead = len(segment) - len(segment.lstrip(" "))
            offset = left + 1 + lead
            cell = Line(line.number, border.indent + offset, line.start + offset, segment[lead:].rstrip())
            cells.setdefault((row, left), []).append(cell)
    return list(cells.values())
