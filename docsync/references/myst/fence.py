"""MyST directive fences (```` ```{name} arg ````, `:::{name} arg`): name, argument, options, body rows."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from markdown_it.token import Token

from docsync.references.markdown.code import content_rows
from docsync.references.markdown.found import Row

# `:key: value` option lines, and `key: value` lines of a `---` YAML options block.
_OPTION = re.compile(r"[ \t]*:(?P<name>[^:\s]+):(?:[ \t]+(?P<value>.*?))?[ \t]*$")
_CONTINUED = re.compile(r"[ \t]*:[ \t]+\S")
_YAML_OPTION = re.compile(r"[ \t]*(?P<name>[\w-]+)[ \t]*:(?:[ \t]+(?P<value>.*?))?[ \t]*$")
_YAML_END = re.compile(r"-{3,}")


class Option(NamedTuple):
    """A directive option; its value starts at 0-based `column` of `line`."""

    name: str
    value: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class MystDirective:
    """A directive fence, split as myst-parser splits it.

    `argument` is the text after `{name}` (None when empty); `body` every line between the
    fences (what `{eval-rst}` reads); `content` the body after its options. `line` and `column`
    (0-based) are where the opening fence's line starts.
    """

    name: str
    argument: Row | None
    options: tuple[Option, ...]
    body: tuple[Row, ...]
    content: tuple[Row, ...]
    line: int
    column: int

    def option(self, name: str) -> Option | None:
        return next((option for option in self.options if option.name == name), None)


def read_fence(token: Token, lines: Sequence[str]) -> MystDirective | None:
    """The directive a fence or colon fence token writes, or None for a plain fence."""
    words = token.info.split(maxsplit=1)
    if not words or len(words[0]) < 3 or words[0][0] != "{" or words[0][-1] != "}":
        return None
    assert token.map is not None  # block tokens always carry their lines
    first = token.map[0]
    source = lines[first]
    text = words[1].strip() if len(words) > 1 else ""
    # The info string runs to the end of the fence line, so the argument ends where the line does.
    argument = (text, first + 1, len(source.rstrip()) - len(text)) if text else None
    # Rows hold the exact tail of their line, so what a nested scan finds maps back column for column.
    body = tuple(
        (lines[line - 1][column:], line, column) for _, line, column in content_rows(token.content, lines, first + 1)
    )
    options, used = _read_options(body)
    indent = len(source) - len(source.lstrip())
    return MystDirective(words[0][1:-1].lower(), argument, options, body, body[used:], first + 1, indent)


def _read_options(body: Sequence[Row]) -> tuple[tuple[Option, ...], int]:
    """Options at the top of a body, and how many rows they take."""
    if body and body[0][0].rstrip() == "---":
        end = next((index for index in range(1, len(body)) if _YAML_END.match(body[index][0])), None)
        last = len(body) if end is None else end
        yaml = tuple(option for row in body[1:last] if (option := _option(_YAML_OPTION, row)))
        return yaml, len(body) if end is None else end + 1
    fields: list[Option] = []
    used = 0
    # A line that is not `:name: value` (`::: pkg.mod`, a `:::` fence) starts the content; `:    more` after
    # an option continues its value (a multi-line caption).
    while used < len(body):
        field = _option(_OPTION, body[used])
        if field is None and not (fields and _CONTINUED.match(body[used][0])):
            break
        fields += [field] if field is not None else []
        used += 1
    return tuple(fields), used


def _option(pattern: re.Pattern[str], row: Row) -> Option | None:
    text, line, column = row
    match = pattern.match(text)
    if match is None:
        return None
    value = match["value"] or ""
    offset = match.start("value") if match["value"] is not None else len(text.rstrip())
    return Option(match["name"].lower(), value, line, column + offset)
