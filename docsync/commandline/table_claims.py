"""Options tables in Markdown (`| Option | Default | Effect |`): each flag of the first column is a claim about
the command the section documents, and a Default column's single value is the default the doc promises. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from docsync.commandline.model import OPTION, CommandClaim
from docsync.references.markdown.inline import SPAN, CharPositions

_OPTIONS_HEADER = re.compile(r"(?:command[- ]line )?(?:options?|flags?|switch(?:es)?)", re.IGNORECASE)
_DEFAULT_HEADER = re.compile(r"defaults?(?: value)?", re.IGNORECASE)
_FLAG = re.compile(r"\s*(--?[A-Za-z0-9][\w-]*)")  # a code span's first word, when it is a flag
# A default written as one value: `4`, `"auto"`, auto, `None`; not prose ("the number of CPUs"), not a dash.
_ONE_VALUE = re.compile(r"`?([\"']?)([\w.+-]+)\1`?")


@dataclass(frozen=True, slots=True)
class OptionsTable:
    """A table whose first header cell says it lists options; `default_column`: its Default column, if any."""

    default_column: int | None = None


def options_table(tokens: Sequence[Token], index: int) -> OptionsTable | None:
    """The options table opening at `index` (a `table_open`), or None when its first header cell is no
    `Option`/`Flags`/... ."""
    headers: list[str] = []
    for token in tokens[index + 1 :]:
        if token.type == "thead_close":
            break
        if token.type == "inline":
            headers.append(token.content.strip())
    if not headers or _OPTIONS_HEADER.fullmatch(headers[0]) is None:
        return None
    defaults = [column for column, header in enumerate(headers) if _DEFAULT_HEADER.fullmatch(header)]
    return OptionsTable(defaults[0] if defaults else None)


def table_options(
    doc: str,
    tokens: Sequence[Token],
    index: int,
    lines: Sequence[str],
    first: int,
    program: tuple[str, ...] | None,
    table: OptionsTable,
) -> Iterator[CommandClaim]:
    """The claims of a body row's first cell (the inline token at `index`): `` `--base REV` ``, `` `-q`,
    `--quiet` ``: each flag, of the section's command, with the row's default when it has one."""
    if tokens[index - 2].type != "tr_open":
        return  # not the row's first cell
    token = tokens[index]
    default = _row_default(tokens, index, table.default_column)
    positions: CharPositions | None = None
    for child in token.children or ():
        span: tuple[int, int] | None = child.meta.get(SPAN)
        if child.type != "code_inline" or span is None:
            continue
        flag = _FLAG.match(token.content, span[0] + len(child.markup))
        if flag is None:
            continue
        positions = positions or CharPositions(token.content, lines, first, 0, suffix=False)
        line, column = positions[flag.start(1)]
        yield CommandClaim(doc, line + 1, column + 1, (flag[1],), OPTION, program or (), default=default)


def _row_default(tokens: Sequence[Token], index: int, column: int | None) -> str | None:
    """The row's Default cell, when it holds one value."""
    if column is None:
        return None
    cells = []
    for token in tokens[index:]:
        if token.type == "tr_close":
            break
        if token.type == "inline":
            cells.append(token.content.strip())
    value = _ONE_VALUE.fullmatch(cells[column]) if column < len(cells) else None
    return value[2] if value is not None else None
