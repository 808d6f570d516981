"""Command lines a reStructuredText doc shows: code and `::` literal blocks, `.. program::`/`.. option::`
directives, `:option:` roles and inline literals; for Django (a project whose commands include `django-admin`)
also its own `.. django-admin::`, `.. django-admin-option::`, `.. console::` and `:djadmin:`/`:djadminopt:`.

Pure: the doc's lines in, CommandClaims out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from docsync.commandline.claims import (
    CODE_DIRECTIVES,
    COMMAND,
    OPTION,
    SCRIPTS,
    Commands,
    Row,
    Where,
    block_claims,
    line_claims,
    option_role,
    program_words,
    without_options,
)
from docsync.commandline.model import CommandClaim
from docsync.commandline.rst_prose import rst_prose_claims

_RST_DIRECTIVE = re.compile(r"(?P<indent>[ \t]*)\.\.[ \t]+(?P<name>[\w:.-]+)[ \t]?::(?:[ \t]+(?P<arg>.*?))?[ \t]*$")
_RST_OPTION_ROLE = re.compile(r":(?:std:)?option:`(?P<target>[^`]+)`")
_DJANGO_ROLE = re.compile(r":(?P<role>djadmin|djadminopt):`(?P<target>[^`]+)`")
_RST_LITERAL = re.compile(r"(?<![`\\])``(?P<code>\S.*?)``(?!`)")
_OPTION_FLAG = re.compile(r"[-+][^\s,=\[<]*")
_PARENTHESISED_FLAG = re.compile(r"\((-[^\s,=\[<()]+)\)")
_DJANGO = ("django-admin",)


@dataclass(slots=True)
class _RstState:
    doc: str
    lines: Sequence[str]
    known: Commands
    program: tuple[str, ...] | None = None  # the `.. program::` in effect; () when it is not a project command
    django: bool = False  # Django's own directives and roles are read only in Django's docs


def rst_claims(doc: str, lines: Sequence[str], known: Commands) -> Iterator[CommandClaim]:
    """Claims in code-block, prompt and `::` literal blocks, `.. option::` directives, `:option:` roles and
    inline literals (`.. program::` says whose options follow), then the flags prose names (rst_prose)."""
    state = _RstState(doc, lines, known, django=_DJANGO in known.names)
    index = 0
    while index < len(lines):
        line = lines[index]
        directive = _RST_DIRECTIVE.match(line)
        if directive is not None:
            claims, index = _rst_directive(state, directive, index)
            yield from claims
            continue
        yield from _rst_inline(state, index)
        if line.rstrip().endswith("::") and not line.lstrip().startswith(".."):
            rows, index = indented_rows(lines, index + 1, indent_of(line))
            yield from block_claims(doc, rows, "", known)
            continue
        index += 1
    yield from rst_prose_claims(doc, lines, known)


def _rst_directive(state: _RstState, directive: re.Match[str], index: int) -> tuple[list[CommandClaim], int]:
    """The claims of the directive on line `index`, and the line where reading goes on."""
    name = directive["name"].removeprefix("std:")
    argument = directive["arg"] or ""
    indent = len(directive["indent"].expandtabs())
    if state.django and name in ("django-admin", "django-admin-option", "console"):
        return _django_directive(state, directive, index, indent)
    if name == "program":
        state.program = program_words(tuple(argument.split()), state.known) or ()
        return [], index + 1
    if name in ("option", "cmdoption"):
        return _rst_option(state, directive, index), index + 1
    if name in CODE_DIRECTIVES or name == "prompt":
        rows, end = indented_rows(state.lines, index + 1, indent)
        rows = without_options(rows)
        if name == "prompt":  # sphinx-prompt: every line is a command, the prompt is not written
            words = argument.split()
            language = words[0].lower() if words else ""
            claims = block_claims(state.doc, rows, "bash", state.known) if language in SCRIPTS else []
        else:
            claims = block_claims(state.doc, rows, argument.split()[0] if argument else "", state.known)
        return claims, end
    return [], index + 1  # any other directive: its content is read as the doc's own lines


def _django_directive(
    state: _RstState, directive: re.Match[str], index: int, indent: int
) -> tuple[list[CommandClaim], int]:
    """`.. django-admin:: migrate [app_label]` heads the options of `django-admin migrate` (as `.. program::`),
    `.. django-admin-option:: --fake` is one of them (as `.. option::`), `.. console::` shows a session."""
    name = directive["name"]
    if name == "django-admin":
        subcommand = (directive["arg"] or "").split()[:1]
        state.program = program_words((*_DJANGO, *subcommand), state.known) or ()
        return [], index + 1
    if name == "django-admin-option":
        return _rst_option(state, directive, index), index + 1
    # Django renders a Windows tab from the same content (`...\> ` lines): the `$ ` lines say it all.
    rows, end = indented_rows(state.lines, index + 1, indent)
    return block_claims(state.doc, without_options(rows), "text", state.known), end


def _rst_option(state: _RstState, directive: re.Match[str], index: int) -> list[CommandClaim]:
    """`.. option:: -b buildername, --builder buildername`: the flags it documents, of the program in effect."""
    if state.program == ():
        return []  # another program's options
    flags: list[str] = []
    column = 0
    for spec in re.finditer(r"[^,]+", directive["arg"] or ""):
        flag = _OPTION_FLAG.match(spec[0].lstrip())
        if flag is not None and flag[0] != "--":  # `-- ARGUMENTS`: the end of options, no flag
            column = column or directive.start("arg") + spec.start() + len(spec[0]) - len(spec[0].lstrip()) + 1
            flags.append(flag[0])
            # `--use-make-mode (-m)`: a short spelling written in parentheses is documented too (Sphinx's man pages).
            flags.extend(short[1] for short in _PARENTHESISED_FLAG.finditer(spec[0]))
    if not flags:
        return []
    return [CommandClaim(state.doc, index + 1, column, tuple(flags), OPTION, state.program or ())]


def _rst_inline(state: _RstState, index: int) -> Iterator[CommandClaim]:
    """`:option:` roles and ``tool build`` inline literals on line `index` (and Django's roles in its docs)."""
    line = state.lines[index]

    def at(start: int) -> Where:
        return lambda offset: (index + 1, start + offset + 1)

    literals = list(_RST_LITERAL.finditer(line))

    def shown(role: re.Match[str]) -> bool:  # ``:option:`--x``` shows the role's syntax: it is no role
        return any(literal.start() < role.start() < literal.end() for literal in literals)

    for role in _RST_OPTION_ROLE.finditer(line):
        if not shown(role):
            yield from option_role(
                state.doc, role["target"], at(role.start("target")), state.known, program=state.program
            )
    for role in _DJANGO_ROLE.finditer(line) if state.django else ():
        if not shown(role):
            yield from _django_role(state, role, at(role.start("target")))
    for literal in literals:
        code = literal["code"]
        prompt = len(code) - len(code.lstrip().removeprefix("$ "))
        yield from line_claims(state.doc, code[prompt:], at(literal.start("code") + prompt), state.known, inline=True)


def _django_role(state: _RstState, role: re.Match[str], where: Where) -> Iterator[CommandClaim]:
    """`:djadmin:`migrate`` (or `:djadmin:`text <migrate>``) names `django-admin migrate`; `:djadminopt:` an
    option, of the `.. django-admin::` in effect."""
    if role["role"] == "djadminopt":
        yield from option_role(state.doc, role["target"], where, state.known, program=state.program)
        return
    target = role["target"]
    explicit = re.search(r"<([^<>]+)>\s*$", target)
    offset = explicit.start(1) if explicit else 0
    name = (explicit[1] if explicit else target).strip()
    words = program_words((*_DJANGO, name), state.known) if name and " " not in name else ()
    if words:
        line, column = where(offset + len(target[offset:]) - len(target[offset:].lstrip()))
        yield CommandClaim(state.doc, line, column, words, COMMAND)


def indent_of(line: str) -> int:
    return len(line.expandtabs()) - len(line.expandtabs().lstrip())


def indented_rows(lines: Sequence[str], index: int, indent: int) -> tuple[list[Row], int]:
    """The rows of the block indented deeper than `indent` that starts at line `index` (blank lines kept: they
    are no commands), and the line after it."""
    rows: list[Row] = []
    end = index
    while end < len(lines) and (not lines[end].strip() or indent_of(lines[end]) > indent):
        rows.append((lines[end], end + 1, 0))
        end += 1
    return rows, end
