"""Command lines a doc shows (`$ tool build --strict`, `.. option:: --strict`), read as CommandClaims.

Only lines that invoke one of the project's own commands are claims: another tool's flags are never the project's
to keep. Pure: the doc's text in, records out.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from docsync.commandline.help_claims import help_claims
from docsync.commandline.model import COMMAND, OPTION, CommandClaim
from docsync.commandline.table_claims import OptionsTable, options_table, table_options
from docsync.references.markdown.code import content_rows
from docsync.references.markdown.inline import SPAN, CharPositions, markdown_parser
from docsync.references.myst.colon import COLON_FENCE

# A block's language decides which of its lines are commands: in a session only prompted lines (the rest is
# output), in a script every line, elsewhere only `$ ` lines (a `text` block that shows a session).
_SESSIONS = frozenset({"console", "shell-session", "doscon"})
SCRIPTS = frozenset({"bash", "sh", "shell", "zsh"})
_PROMPTED = frozenset({"text", "none", ""})
_SESSION_PROMPTS = ("$ ", "% ", "> ")
_DOLLAR = ("$ ",)
CODE_DIRECTIVES = frozenset({"code-block", "code", "sourcecode"})
_PYTHON = re.compile(r"python(?:\d+(?:\.\d+)*)?|py")
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
# `uv run tool`, `pipx run tool`: the project's command run through a tool that does not change its arguments.
_RUNNERS = frozenset({"uv", "poetry", "pipenv", "pdm", "hatch", "pipx", "rye"})
_SEPARATORS = frozenset("|&;()")
_VERSION_OPERATORS = frozenset({"~=", "==", "!=", ">=", "<=", "===", "@"})  # PEP 508
_REDIRECTS = frozenset("<>")
_SUBCOMMAND_NAME = re.compile(r"[a-z][a-z0-9-]*")

# Each `where` turns an offset in a command line's text into its doc (line, column), both 1-based.
Where = Callable[[int], tuple[int, int]]
Row = tuple[str, int, int]  # a line of text, its 1-based doc line, the 0-based column where the text starts


@dataclass(frozen=True, slots=True)
class Commands:
    """The project's command names as docs write them (`tool`, `python -m tool`), each with its console script."""

    names: Mapping[tuple[str, ...], str]  # ("tool",) -> "tool"; ("-m", "package") -> "tool" (after any python)

    @classmethod
    def of(cls, commands: Iterable[str] | Mapping[str, str]) -> Commands:
        """From names (`{"tool", "python -m tool"}`) or a mapping from each name to the script it stands for
        (`{"python -m package": "tool"}`); a bare `python -m package` stands for the script `package`."""
        pairs = commands.items() if isinstance(commands, Mapping) else ((name, "") for name in commands)
        names: dict[tuple[str, ...], str] = {}
        for name, script in pairs:
            words = tuple(name.split())
            if len(words) == 3 and _PYTHON.fullmatch(words[0]) and words[1] == "-m":
                names[words[1:]] = script or words[2]
            elif words:
                names[words] = script or " ".join(words)
        return cls(names)

    def match(self, words: Sequence[str]) -> tuple[str, int] | None:
        """(script, how many of `words` name it) when `words` start with one of the commands, else None."""
        if words and (words[0],) in self.names:
            return self.names[(words[0],)], 1
        if len(words) >= 3 and _PYTHON.fullmatch(words[0]):
            script = self.names.get((words[1], words[2]))
            return (script, 3) if script is not None else None
        return None


def read_claims(
    doc: str, text: str, doc_format: str, commands: Iterable[str] | Mapping[str, str]
) -> tuple[CommandClaim, ...]:
    """The command lines and options `text` shows that invoke one of `commands`, in doc order.

    Args:
        doc: the doc's repository-relative path, copied into every claim.
        text: the doc's content.
        doc_format: "markdown" (MyST included) or "rst".
        commands: the project's command names, or a mapping from each name as docs write it to its script.
    """
    known = Commands.of(commands)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if doc_format == "markdown":
        claims = list(_markdown_claims(doc, text.split("\n"), known))
    elif doc_format == "rst":
        # Imported here: rst_claims builds on this module's shell-line reading.
        from docsync.commandline.rst_claims import rst_claims

        claims = list(rst_claims(doc, text.split("\n"), known))
    else:
        raise ValueError(f"no command-line claims are read from {doc_format!r} docs")
    return tuple(sorted(claims, key=lambda claim: (claim.line, claim.column)))


# -- one command line ---------------------------------------------------------------------------------------------


def line_claims(doc: str, text: str, where: Where, known: Commands, *, inline: bool = False) -> list[CommandClaim]:
    """The claims of one (joined) command line: each `&&`/`;`/`|` part that invokes a project command.

    Environment assignments, `sudo` and runners (`uv run`) before the command are not part of it; redirections
    and comments end it. A line that does not split as the shell would (an open quote) has no claims. Inline code
    must start with the command and say more than its name (`tool` alone in prose is the project, not a claim).
    """
    words = _split(text)
    if words is None:
        return []
    parts = list(_parts(words))
    claims: list[CommandClaim] = []
    for part in parts[:1] if inline else parts:
        start = _command_start(part)
        found = known.match([word for word, _ in part[start:]])
        if found is None:
            continue
        script, width = found
        argv = (script, *(word for word, _ in part[start + width :]))
        if inline and (len(argv) < 2 or argv[1] in _VERSION_OPERATORS):
            continue  # `tool` alone names the project; `tool ~= 2.0` is a requirement
        line, column = where(part[start][1])
        claims.append(CommandClaim(doc, line, column, argv, COMMAND))
    return claims


def _split(text: str) -> list[tuple[str, int]] | None:
    """Shell words with the offset where each is written (approximately, for quoted words), or None."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        words = list(lexer)
    except ValueError:  # an unclosed quote or a trailing escape: not a command line we can read
        return None
    placed: list[tuple[str, int]] = []
    cursor = 0
    for word in words:
        found = text.find(word, cursor)
        offset = found if found >= 0 else cursor
        placed.append((word, offset))
        cursor = offset + len(word) if found >= 0 else cursor
    return placed


def _parts(words: list[tuple[str, int]]) -> Iterator[list[tuple[str, int]]]:
    """The simple commands of a line, each cut at its first redirection."""
    part: list[tuple[str, int]] = []
    redirected = False
    for word, offset in words:
        operator = set(word) <= _SEPARATORS | _REDIRECTS
        if operator and set(word) & _SEPARATORS and not set(word) & _REDIRECTS:
            yield part
            part, redirected = [], False
        elif operator:
            redirected = True
        elif not redirected:
            part.append((word, offset))
    yield part


def _command_start(part: Sequence[tuple[str, int]]) -> int:
    """Where the command word is, after `FOO=1`, `sudo`, `env` and a runner's `run`."""
    index = 0
    while index < len(part):
        word = part[index][0]
        if _ASSIGNMENT.match(word) or word in ("sudo", "env", "uvx"):
            index += 1
            while word in ("sudo", "env") and index < len(part) and part[index][0].startswith("-"):
                index += 1  # `sudo -E`, `env -i`: their own options
        elif word in _RUNNERS and index + 1 < len(part) and part[index + 1][0] == "run":
            index += 2
        else:
            break
    return index


def block_claims(doc: str, rows: Sequence[Row], language: str, known: Commands) -> list[CommandClaim]:
    """The claims of a code block's rows, read as `language` says (session, script, or prompted lines only), and
    of the `--help` output pasted in it, whatever its language."""
    pasted = list(help_claims(doc, rows, known.match))
    return pasted + _block_commands(doc, rows, language.lower(), known)


def _block_commands(doc: str, rows: Sequence[Row], language: str, known: Commands) -> list[CommandClaim]:
    prompts: tuple[str, ...]
    if language in SCRIPTS:
        prompted = any(text.lstrip().startswith(_DOLLAR) for text, _, _ in rows)
        prompts, every_line = (_DOLLAR, False) if prompted else ((), True)
    elif language in _SESSIONS:
        prompts, every_line = _SESSION_PROMPTS, False
    elif language in _PROMPTED:
        if not any(text.lstrip().startswith(_DOLLAR) for text, _, _ in rows):
            return _bare_commands(doc, rows, known)
        prompts, every_line = _DOLLAR, False
    else:
        return []
    claims: list[CommandClaim] = []
    for pieces in _commands(rows, prompts, every_line=every_line):
        claims.extend(line_claims(doc, *_join(pieces), known))
    return claims


def _bare_commands(doc: str, rows: Sequence[Row], known: Commands) -> list[CommandClaim]:
    """An unlabelled block with no prompt (reST's `:: ` after "on the command line"): a line that starts with one of
    the project's commands followed by a flag (`pytest --doctest-glob='*.rst'`) is a command; any other line may
    be output, code or a file's content."""
    claims: list[CommandClaim] = []
    for pieces in _commands(rows, (), every_line=True):
        found = line_claims(doc, *_join(pieces), known)[:1]
        starts = [claim for claim in found if (claim.line, claim.column) == (pieces[0][1], pieces[0][2] + 1)]
        claims.extend(claim for claim in starts if len(claim.argv) > 1 and claim.argv[1].startswith("-"))
    return claims


def _commands(rows: Sequence[Row], prompts: tuple[str, ...], *, every_line: bool) -> Iterator[list[Row]]:
    """Each command of a block as the rows it spans (a `\\` at a line's end continues it), prompts removed."""
    pieces: list[Row] = []
    for text, line, column in rows:
        stripped = text.lstrip()
        column += len(text) - len(stripped)
        if pieces:  # the previous line ended with a backslash
            pieces.append((stripped, line, column))
        elif stripped.startswith(prompts):
            pieces.append((stripped[2:], line, column + 2))
        elif every_line and stripped and not stripped.startswith("#"):
            pieces.append((stripped, line, column))
        else:
            continue
        if not pieces[-1][0].rstrip().endswith("\\"):
            yield pieces
            pieces = []
    if pieces:
        yield pieces


def _join(pieces: Sequence[Row]) -> tuple[str, Where]:
    """One command line from its rows, and where each of its offsets is in the doc."""
    text = ""
    starts: list[tuple[int, int, int]] = []  # (offset in text, doc line, column of the row's text)
    for piece, line, column in pieces:
        starts.append((len(text), line, column))
        text += piece.rstrip().removesuffix("\\") + " "

    def where(offset: int) -> tuple[int, int]:
        start, line, column = next(entry for entry in reversed(starts) if entry[0] <= offset)
        return line, column + offset - start + 1

    return text, where


# -- Markdown -----------------------------------------------------------------------------------------------------


def _markdown_claims(doc: str, lines: Sequence[str], known: Commands, base: int = 0) -> Iterator[CommandClaim]:
    """Claims in fences, indented blocks and inline code; a MyST directive's body is read as Markdown too.

    `lines` are the whole doc's; the text read starts at its line `base` (0-based) and runs to its end or to the
    end of the directive being read.
    """
    yield from _markdown_text(doc, "\n".join(lines[base:]), lines, base, known)


def _markdown_text(doc: str, text: str, lines: Sequence[str], base: int, known: Commands) -> Iterator[CommandClaim]:
    tokens = markdown_parser().parse(text)
    program: tuple[str, ...] | None = None  # the command the current section documents, when its heading names one
    table: OptionsTable | None = None  # the options table being read, if any
    lists: list[int] = []  # the first line of each list the token is in, innermost last
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and index + 1 < len(tokens):
            program = section_program(tokens[index + 1].content, known)
        elif token.type in ("bullet_list_open", "ordered_list_open") and token.map is not None:
            lists.append(token.map[0] + base + 1)
        elif token.type in ("bullet_list_close", "ordered_list_close") and lists:
            lists.pop()
        elif token.type in ("table_open", "table_close"):
            table = options_table(tokens, index) if token.type == "table_open" else None
        if token.map is None:
            continue
        first = token.map[0] + base
        if token.type == "inline":
            cell = index > 0 and tokens[index - 1].type in ("th_open", "td_open")
            if table is not None and index > 1 and tokens[index - 1].type == "td_open":
                yield from table_options(doc, tokens, index, lines, first, program, table)
            yield from _inline_claims(doc, token, lines, first, known, cell=cell)
            if not cell:
                from docsync.commandline.prose_claims import prose_options  # it builds on this module

                item = _item_program(tokens, index, program, known)
                yield from prose_options(doc, token, lines, first, known, item, lists[-1] if lists else 0)
        elif token.type == "code_block":
            yield from block_claims(doc, content_rows(token.content, lines, first), "", known)
        elif token.type in ("fence", COLON_FENCE):
            yield from _fence_claims(doc, token, lines, first, known)


def _item_program(
    tokens: Sequence[Token], index: int, section: tuple[str, ...] | None, known: Commands
) -> tuple[str, ...] | None:
    """For the first paragraph of a list item, the command its options would be of: the section's, else the
    project's only script; None elsewhere."""
    if index < 2 or tokens[index - 1].type != "paragraph_open" or tokens[index - 2].type != "list_item_open":
        return None
    scripts = set(known.names.values())
    return section or (tuple(scripts) if len(scripts) == 1 else None)


def section_program(heading: str, known: Commands) -> tuple[str, ...] | None:
    """The command a heading names: `` `tool build` ``, or a sub-command's bare name (`## build`) when the project
    has one script; None when it names none (its options tables are then of no command in particular)."""
    for candidate in re.findall(r"`([^`]+)`", heading) or [heading.strip()]:
        words = candidate.split()
        found = known.match(words)
        if found is not None:
            return (found[0], *words[found[1] :])
        scripts = set(known.names.values())
        if len(words) == 1 and len(scripts) == 1 and _SUBCOMMAND_NAME.fullmatch(words[0]):
            return (*scripts, words[0])
    return None


def _fence_claims(doc: str, token: Token, lines: Sequence[str], first: int, known: Commands) -> Iterator[CommandClaim]:
    words = token.info.split()
    language = words[0].lower() if words else ""
    if language.startswith("{") and language.endswith("}"):
        directive = language[1:-1]
        if directive in CODE_DIRECTIVES:  # MyST ```{code-block} console
            rows = content_rows(token.content, lines, first + 1)
            yield from block_claims(doc, without_options(rows), words[1] if len(words) > 1 else "", known)
        elif token.content.lstrip().startswith("$ "):  # a project's own session directive (pip's {pip-cli})
            yield from block_claims(doc, content_rows(token.content, lines, first + 1), "console", known)
        elif directive not in ("eval-rst", "raw", "math"):  # an admonition, a tab: Markdown inside
            yield from _markdown_text(doc, token.content, lines, first + 1, known)
    elif token.type == "fence":
        yield from block_claims(doc, content_rows(token.content, lines, first + 1), language, known)


def without_options(rows: Sequence[Row]) -> list[Row]:
    """A directive's content without its leading `:name: value` option lines."""
    index = 0
    while index < len(rows) and re.match(r"\s*:[\w-]+:", rows[index][0]):
        index += 1
    return list(rows[index:])


def _inline_claims(
    doc: str, token: Token, lines: Sequence[str], first: int, known: Commands, *, cell: bool
) -> Iterator[CommandClaim]:
    content = token.content
    positions: CharPositions | None = None
    for child in token.children or ():
        span: tuple[int, int] | None = child.meta.get(SPAN)
        if child.type != "code_inline" or span is None:
            continue
        positions = positions or CharPositions(content, lines, first, 0, suffix=not cell)
        ticks = len(child.markup)
        code = content[span[0] + ticks : span[1] - ticks].replace("\n", " ")
        role = re.search(r"\{(?:std:)?option\}\Z", content[max(0, span[0] - 13) : span[0]])
        prompt = 0 if role else len(code) - len(code.lstrip().removeprefix("$ "))
        start, place = span[0] + ticks + prompt, positions

        def where(offset: int, start: int = start, place: CharPositions = place) -> tuple[int, int]:
            line, column = place[start + offset]
            return line + 1, column + 1

        if role is not None:
            yield from option_role(doc, code, where, known, program=None)
        else:
            yield from line_claims(doc, code[prompt:], where, known, inline=True)


def option_role(
    doc: str, target: str, where: Where, known: Commands, *, program: tuple[str, ...] | None
) -> Iterator[CommandClaim]:
    """`:option:`--strict`` (of the current program) or `:option:`tool build --strict`` (Sphinx reads the words
    before the last as the program)."""
    explicit = re.search(r"<([^<>]+)>\s*$", target)
    offset = explicit.start(1) if explicit else 0
    body = explicit[1] if explicit else target
    *named, option = body.split() or [""]
    offset += body.rfind(option)  # the claim is where the option is written, as for `.. option::`
    if not option.startswith(("-", "+")):
        return
    # `program` is the `.. program::` in effect: None when there is none, () when it is another tool.
    words = program_words(tuple(named), known) if named else program
    if words == () and (named or program is not None):
        return  # another program's option
    line, column = where(offset)
    yield CommandClaim(doc, line, column, (option,), OPTION, words or ())


def program_words(named: tuple[str, ...], known: Commands) -> tuple[str, ...]:
    """The program's words with the project's script first; () when it is not one of the project's commands."""
    found = known.match(named)
    return (found[0], *named[found[1] :]) if found else ()
