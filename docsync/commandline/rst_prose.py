"""Options a reStructuredText doc names in prose, as the Markdown reader does (prose_claims): a ``--flag`` literal
alone in a paragraph that names one of the project's commands is a loose claim of that command, and a bullet item
led by one (``* ``--spider=SPIDER``: force a spider``) under a section whose title names a command (``parse``) is a
claim of that section's command, grouped by its list so that the judge can tell a list of the command's options
(Scrapy's commands page) from a list that names a few. Bodies of directives other than admonitions (code, option
descriptions, tables of contents) and literal blocks are not prose. Pure: the doc's lines in, CommandClaims out."""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field

from docsync.commandline.claims import OPTION, Commands, section_program
from docsync.commandline.model import CommandClaim
from docsync.commandline.prose_claims import SOLE_FLAG, paragraph_program

_LITERAL = re.compile(r"(?<![`\\])``(?P<code>\S.*?)``(?!`)")
_BULLET = re.compile(r"(?P<indent>[ \t]*)(?P<mark>[-*+])[ \t]+(?=\S)")
_DIRECTIVE = re.compile(r"[ \t]*\.\.[ \t]+(?P<name>[\w:.-]+)[ \t]?::")
_COMMENT = re.compile(r"[ \t]*\.\.(?:[ \t]|$)")  # a comment, a target (`.. _name:`), a substitution
_ADORNMENT = re.compile(r"([!-/:-@\[-`{-~])\1+[ \t]*")  # `=====`, `-----`: a title's under/overline, a transition
# Directives whose bodies are prose like any paragraph; the others' are code, data or reference text.
_PROSE_DIRECTIVES = frozenset(
    {"note", "warning", "tip", "hint", "important", "attention", "caution", "danger", "error", "seealso",
     "admonition", "versionadded", "versionchanged", "deprecated", "only", "container", "topic", "sidebar"}
)  # fmt: skip


@dataclass(slots=True)
class _Reading:
    doc: str
    lines: Sequence[str]
    known: Commands
    section: tuple[str, ...] | None = None  # the command the current section's title names
    lists: dict[int, tuple[int, str]] = field(default_factory=dict)  # indent -> (the list's first line, its mark)


def rst_prose_claims(doc: str, lines: Sequence[str], known: Commands) -> Iterator[CommandClaim]:
    """The loose option claims of every paragraph and bullet item of the doc, in doc order."""
    reading = _Reading(doc, lines, known)
    index = 0
    while index < len(lines):
        index = yield from _block(reading, index)


def _block(reading: _Reading, index: int) -> Generator[CommandClaim, None, int]:
    """The claims of the block that starts at line `index` (0-based); returns the line after it."""
    lines = reading.lines
    line = lines[index]
    text = line.strip()
    if not text:
        return index + 1
    indent = _indent(line)
    if index + 1 < len(lines) and _is_underline(lines[index + 1], text) and not _ADORNMENT.fullmatch(text):
        reading.section = section_program(text, reading.known)
        reading.lists.clear()
        return index + 2
    if _ADORNMENT.fullmatch(text):
        return index + 1
    bullet = _BULLET.match(line)
    for deeper in [key for key in reading.lists if key > indent or (key == indent and bullet is None)]:
        del reading.lists[deeper]  # a list ends at the first block that is not one of its items or inside one
    directive = _DIRECTIVE.match(line)
    if directive is not None and directive["name"].removeprefix("std:") in _PROSE_DIRECTIVES:
        return _after_options(lines, index + 1)  # the body's paragraphs are read as the doc's own
    if directive is not None or _COMMENT.match(line):
        return _after_indented(lines, index + 1, indent)
    body = bullet.end() if bullet is not None else indent
    group = 0
    if bullet is not None:
        known_list = reading.lists.get(indent)
        group = known_list[0] if known_list is not None and known_list[1] == bullet["mark"] else index + 1
        reading.lists[indent] = (group, bullet["mark"])
    end = index + 1
    while end < len(lines) and lines[end].strip() and not _BULLET.match(lines[end]) and _indent(lines[end]) >= body:
        end += 1
    yield from _paragraph(reading, index, end, body, group)
    if lines[end - 1].rstrip().endswith("::"):  # a literal block follows: no prose
        return _after_indented(lines, end, body)
    return end


def _paragraph(reading: _Reading, start: int, end: int, body: int, group: int) -> Iterator[CommandClaim]:
    """The flags of lines `start` to `end` (a paragraph, or a bullet item's first paragraph when `group`)."""
    if not any("``--" in reading.lines[number] for number in range(start, end)):
        return  # most paragraphs name no flag: not worth finding their literals and their program
    literals = [(number, found) for number in range(start, end) for found in _LITERAL.finditer(reading.lines[number])]
    content = "\n".join(reading.lines[number][body if number == start else 0 :] for number in range(start, end))
    first_line, first = literals[0]
    leads = bool(group) and first_line == start and first.start() == body
    scripts = set(reading.known.names.values())
    item = reading.section or (tuple(scripts) if len(scripts) == 1 else None)
    program = item if leads else paragraph_program(content, [found["code"] for _, found in literals], reading.known)
    if program is None:
        return
    for number, found in literals:
        flag = SOLE_FLAG.fullmatch(found["code"])
        if flag is None:
            continue
        leading = leads and found is first
        yield CommandClaim(
            reading.doc, number + 1, found.start("code") + flag.start(1) + 1, (flag[1] + (flag[2] or ""),), OPTION,
            program, loose=True, group=group if leading else 0,
        )  # fmt: skip


def _is_underline(line: str, title: str) -> bool:
    """A title's underline: one punctuation character repeated at least as long as the title, not indented."""
    stripped = line.rstrip()
    return _ADORNMENT.fullmatch(stripped) is not None and stripped == line.strip() and len(stripped) >= len(title)


def _after_options(lines: Sequence[str], index: int) -> int:
    """The line after a directive's `:name: value` option lines."""
    while index < len(lines) and re.match(r"\s*:[\w-]+:", lines[index]):
        index += 1
    return index


def _after_indented(lines: Sequence[str], index: int, indent: int) -> int:
    """The line after the block indented deeper than `indent` that starts at line `index` (blank lines included)."""
    end = index
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > indent):
        end += 1
    return end


def _indent(line: str) -> int:
    expanded = line.expandtabs()
    return len(expanded) - len(expanded.lstrip())
