"""Options named in prose (`` Set `--dev-addr` when `mkdocs serve` runs... ``): an inline code span that is a
long flag alone (or with its value), in a paragraph that names the project's command, is a claim about that
command: a loose one. Prose often names one command and another's flags in one breath (`--select` in a paragraph
about `docsync coverage` that speaks of `check`), so a loose claim is reported only when the command has a near
option the doc must have meant (`--dev_addr` for `--dev-addr`). A paragraph that names no command of the project,
or several, claims nothing: its flags may be any tool's. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from markdown_it.token import Token

from docsync.commandline.claims import OPTION, Commands
from docsync.commandline.model import CommandClaim
from docsync.references.markdown.inline import SPAN, CharPositions

# `--port`, `--port=80` (the value kept: a choice may be judged), `--port PORT`
SOLE_FLAG = re.compile(r"\s*(--[A-Za-z0-9][\w-]*)(?:(=[^\s`]+)|[= ][^`]*)?\s*")
_NAME = re.compile(r"[a-z][a-z0-9-]*")
_PROGRAM = re.compile(r"[a-z][\w.-]*")  # `pip`, `python3.12`, `pre-commit`
_ARGUMENT = re.compile(r"[a-z][\w.-]*|-{1,2}\w[\w-]*")  # a sub-command or a flag after it
_ROLE_BEFORE = re.compile(r"\{(?:std:)?option\}\Z")  # MyST's {option}`--x`: read as a role elsewhere


def prose_options(
    doc: str,
    token: Token,
    lines: Sequence[str],
    first: int,
    known: Commands,
    item: tuple[str, ...] | None = None,
    group: int = 0,
) -> Iterator[CommandClaim]:
    """The flags a paragraph (an inline token) names on their own, as claims of the command it names. `item`: the
    command a list item that starts with a flag documents (`` * `--keyfile` - SSL key file ``, a list of options):
    the section's, or the project's one script; then the paragraph need not name it, and `group` (the list's
    first line) lets the judge tell a list of the command's options from a list that names a few."""
    content = token.content
    codes = [(child, span) for child in token.children or () if (span := child.meta.get(SPAN)) is not None]
    codes = [(child, span) for child, span in codes if child.type == "code_inline"]
    if not codes:
        return
    leads = item is not None and codes[0][1][0] == len(content) - len(content.lstrip())
    named = paragraph_program(content, [_code(content, child, span) for child, span in codes], known)
    program = item if leads else named
    if program is None:
        return
    positions: CharPositions | None = None
    for child, span in codes:
        code = _code(content, child, span)
        flag = SOLE_FLAG.fullmatch(code)
        if flag is None or _ROLE_BEFORE.search(content[max(0, span[0] - 13) : span[0]]):
            continue
        positions = positions or CharPositions(content, lines, first, 0, suffix=True)
        line, column = positions[span[0] + len(child.markup) + flag.start(1)]
        leading = leads and (child, span) == codes[0]
        yield CommandClaim(
            doc,
            line + 1,
            column + 1,
            (flag[1] + (flag[2] or ""),),
            OPTION,
            program,
            loose=True,
            group=group if leading else 0,
        )


def _code(content: str, child: Token, span: tuple[int, int]) -> str:
    ticks = len(child.markup)
    return content[span[0] + ticks : span[1] - ticks].replace("\n", " ")


def paragraph_program(content: str, codes: Sequence[str], known: Commands) -> tuple[str, ...] | None:
    """The command the paragraph names: in inline code (`mkdocs serve`, with its sub-command words), else the one
    script whose name its prose says (`Uvicorn can ...`). None when it names none, or several of
    the project's scripts (`blackd` acts as _Black_ does with `--fast`), or shows another program's command line
    (`pip install`): then its flags may be any of them."""
    programs: set[tuple[str, ...]] = set()
    prose = content
    for code in codes:
        prose = prose.replace(code, " ")
        words = code.replace("$ ", "", 1).split()
        found = known.match(words)
        if found is not None:
            rest = []
            for word in words[found[1] :]:
                if not _NAME.fullmatch(word):
                    break
                rest.append(word)
            programs.add((found[0], *rest))
        elif len(words) > 1 and _PROGRAM.fullmatch(words[0]) and _ARGUMENT.fullmatch(words[1]):
            return None  # another program's command line
    for name, script in known.names.items():
        # `_Black_`, `**mkdocs**`: emphasis is no part of the name
        said = len(name) == 1 and re.search(rf"(?<![A-Za-z0-9./-]){re.escape(name[0])}(?![A-Za-z0-9/-])", prose, re.I)
        if said and not any(program[0] == script for program in programs):
            programs.add((script,))
    return programs.pop() if len(programs) == 1 else None
