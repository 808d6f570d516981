"""A command's `--help` output pasted into a doc (`Usage: tool build [OPTIONS]` then `  --strict  Fail on...`):
each option line is a claim about that command, and each value of a listed choice (`--loop [auto|asyncio]`,
`--format {html,json}`) one about the option's choices. Pasted help is the docs' most literal copy of a command
line, and the one that goes stale first. Pure."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from docsync.commandline.model import COMMAND, OPTION, CommandClaim

Row = tuple[str, int, int]  # a line of text, its 1-based doc line, the 0-based column where the text starts
Program = tuple[str, ...]
Match = Callable[[Sequence[str]], "tuple[str, int] | None"]  # `claims.Commands.match`

_USAGE = re.compile(r"\s*usage:\s+(?P<words>\S.*)", re.IGNORECASE)
_NAME = re.compile(r"[a-z][a-z0-9-]*")
# An option line: indented, a flag first; its spelling ends where two spaces begin the help text.
_OPTION_LINE = re.compile(r"(?P<indent>\s+)(?P<spec>-[^\s,].*?)(?:\s{2,}|\t|$)")
_FLAG = re.compile(r"--?[A-Za-z0-9][\w-]*")
_CHOICES = re.compile(r"\[(?P<bar>[\w.-]+(?:\|[\w.-]+)+)\]|\{(?P<comma>[\w.-]+(?:,[\w.-]+)+)\}")


def help_claims(doc: str, rows: Sequence[Row], match: Match) -> Iterator[CommandClaim]:
    """The claims of the help output in a block's rows; `match` is `claims.Commands.match` (words -> (script,
    how many words name it) or None): only the project's own commands' help is read."""
    program: Program | None = None
    for text, line, column in rows:
        usage = _USAGE.match(text)
        if usage is not None:
            program = _program(usage["words"].split(), match)
            continue
        option = _OPTION_LINE.match(text) if program is not None else None
        if option is None or program is None:
            continue
        start = column + option.start("spec")
        yield from _option_line(doc, option["spec"], line, start, program)


def _program(words: Sequence[str], match: Match) -> Program | None:
    found = match(words)
    if found is None:
        return None
    script, width = found
    rest = []
    for word in words[width:]:
        if _NAME.fullmatch(word) is None:
            break  # `[OPTIONS]`, `APP`, `COMMAND`: placeholders end the command's words
        rest.append(word)
    return (script, *rest)


def _option_line(doc: str, spec: str, line: int, start: int, program: Program) -> Iterator[CommandClaim]:
    """`-v, --verbose`, `--loop [auto|asyncio]`, `--reload / --no-reload`, `--format {html,json}`: each flag; and
    each choice of the first long flag, as the command line `program --flag value`."""
    flags = [flag for flag in _FLAG.finditer(spec) if _is_flag_start(spec, flag.start())]
    for flag in flags:
        yield CommandClaim(doc, line, start + flag.start() + 1, (flag[0],), OPTION, program)
    choices = _CHOICES.search(spec)
    if choices is None or not flags:
        return
    named = next((flag for flag in flags if flag[0].startswith("--")), flags[0])
    values = choices["bar"].split("|") if choices["bar"] else choices["comma"].split(",")
    offset = choices.start() + 1
    for value in values:
        at = spec.index(value, offset)
        yield CommandClaim(doc, line, start + at + 1, (*program, named[0], value), COMMAND)
        offset = at + len(value)


def _is_flag_start(spec: str, index: int) -> bool:
    """A flag begins the spelling or follows `, ` or `/ `: `--no-x` in `--x / --no-x`, never a value's dash."""
    before = spec[:index].rstrip()
    return not before or before.endswith((",", "/"))
