"""Environment variables a doc tells users to set (`export TOOL_TOKEN=...`, `.. envvar:: TOOL_TOKEN`), read as
EnvClaims.

A claim is a variable set in a shell block (`export X=1`, `X=1 tool`, `env X=1 tool`, `set X=1`, `$env:X = 1`,
`setenv X 1`, fish's `set -x X 1`), in a YAML `env:`/`environment:` block or a Dockerfile `ENV`, documented by
Sphinx's `.. envvar::`/`:envvar:` (MyST's `{envvar}` too), or written as inline code (`TOOL_TOKEN`) where its
sentence, table row or section heading says "environment variable". Whether the project reads it is the judge's
question: here every variable a doc sets is a claim. Pure: the doc's text in, records out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from markdown_it.token import Token

from docsync.commandline.claim_records import EnvClaim
from docsync.commandline.rst_claims import indent_of, indented_rows
from docsync.references.markdown.code import content_rows
from docsync.references.markdown.inline import SPAN, CharPositions, markdown_parser
from docsync.references.myst.colon import COLON_FENCE

_NAME = re.compile(r"[A-Z][A-Z0-9_]{1,}[A-Z0-9]\Z")  # `TOOL_` names a prefix, no variable
_INLINE_NAME = re.compile(r"(?:\$\{?)?(?P<name>[A-Z][A-Z0-9_]{1,}[A-Z0-9])\}?(?:=\S*)?\Z")
_MENTION = re.compile(r"\benv(?:ironment)?[\s_-]*var(?:iable)?s?\b", re.IGNORECASE)
_WORD = re.compile(r"""(?:[^\s"'\\;&|]|\\.|"[^"]*"|'[^']*')+|[;&|]+""")
_ASSIGNMENT = re.compile(r"""["']?(?P<name>[A-Za-z_][A-Za-z0-9_]*)=""")
_POWERSHELL = re.compile(r"\$env:(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<equals>=?)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?:\s|\Z)")
_YAML_BLOCK = re.compile(r"(?P<indent>\s*(?:-\s+)?)(?:env|environment):\s*(?:#.*)?\Z")
# `KEY: value` (a mapping), `- KEY=value` (compose's list), `- name: KEY` (Kubernetes' list).
_YAML_ENTRY = re.compile(
    r"""\s*(?:-\s+name:\s*["']?(?P<named>[A-Za-z_]\w*)["']?\s*\Z|(?:-\s+["']?)?(?P<name>[A-Za-z_]\w*)(?:\s*:|=))"""
)
_DOCKER_ENV = re.compile(r"\s*ENV\s+(?P<rest>.*)", re.IGNORECASE)
_RST_DIRECTIVE = re.compile(r"(?P<indent>\s*)\.\.\s+(?P<name>[\w:.-]+)\s?::(?:\s+(?P<arg>.*?))?\s*\Z")
# `:envvar:`!X`` (no link) and `:envvar:`text <X>`` name X too.
_RST_ENVVAR_ROLE = re.compile(r":(?:std:)?envvar:`[!~]?(?:[^`<]*<)?(?P<name>[^`<>]+?)>?`")
_RST_LITERAL = re.compile(r"(?<![`\\])``(?P<code>\S.*?)``(?!`)")
_RST_UNDERLINE = re.compile(r"""([=\-`:'"~^_*+#<>])\1{2,}\s*\Z""")

# A block's language decides which of its lines are read: in a session only prompted lines (the rest is output),
# in a script every line, elsewhere (`text`, no language) only `$ ` lines.
_SESSIONS = frozenset({"console", "shell-session", "doscon"})
_SCRIPTS = frozenset(
    {"bash", "sh", "shell", "zsh", "bat", "batch", "cmd", "powershell", "ps1", "pwsh", "ps", "csh", "tcsh", "fish"}
)
_PROMPTED = frozenset({"text", "none", "", "default"})
_YAML = frozenset({"yaml", "yml"})
_DOCKER = frozenset({"dockerfile", "docker"})
_CODE_DIRECTIVES = frozenset({"code-block", "code", "sourcecode"})
_SESSION_PROMPT = re.compile(r"(?:\$|%|>|PS[^>\n]*>|[A-Z]:\\[^>\n]*>)\s")

Row = tuple[str, int, int]  # a line of text, its 1-based doc line, the 0-based column where the text starts


def read_env_claims(doc: str, text: str, doc_format: str) -> tuple[EnvClaim, ...]:
    """The environment variables `text` tells users to set, in doc order.

    Args:
        doc: the doc's repository-relative path, copied into every claim.
        text: the doc's content.
        doc_format: "markdown" (MyST included) or "rst".
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if doc_format == "markdown":
        claims = list(_markdown(doc, "\n".join(lines), lines, 0))
    elif doc_format == "rst":
        claims = list(_rst(doc, lines))
    else:
        raise ValueError(f"no environment-variable claims are read from {doc_format!r} docs")
    unique = {(claim.line, claim.column, claim.name): claim for claim in claims}
    return tuple(unique[key] for key in sorted(unique))


# -- code blocks --------------------------------------------------------------------------------------------------


def block_claims(doc: str, rows: Sequence[Row], language: str) -> Iterator[EnvClaim]:
    """The variables a code block in `language` sets."""
    language = language.lower()
    if language in _YAML:
        yield from _yaml_claims(doc, rows)
        return
    if language in _DOCKER:
        for text, line, column in rows:
            found = _DOCKER_ENV.match(text)
            if found is not None:
                yield from _docker_claims(doc, found, line, column)
        return
    if language in _SCRIPTS:
        prompted = any(text.lstrip().startswith("$ ") for text, _, _ in rows)
        prompt, every_line = (re.compile(r"\$\s"), False) if prompted else (None, True)
    elif language in _SESSIONS:
        prompt, every_line = _SESSION_PROMPT, False
    elif language in _PROMPTED:
        prompt, every_line = re.compile(r"\$\s"), False
    else:
        return
    # Elsewhere an unprompted line is output or prose, but one that starts with `export ` is a command whatever
    # block holds it (pip 1.0's "add the line::" then `export PIP_VIRTUALENV_BASE=$WORKON_HOME`), as inline code is.
    exports = language in _PROMPTED
    for text, line, column in rows:
        stripped = text.lstrip()
        start = column + len(text) - len(stripped)
        found = prompt.match(stripped) if prompt is not None else None
        if found is not None:
            yield from _shell_claims(doc, stripped[found.end() :], line, start + found.end())
        elif (every_line and not stripped.startswith(("#", "REM ", "rem ", "::"))) or (
            exports and stripped.startswith("export ")
        ):
            yield from _shell_claims(doc, stripped, line, start)


def _shell_claims(doc: str, text: str, line: int, column: int) -> Iterator[EnvClaim]:
    """The variables one shell line sets."""
    for name, offset in _shell_assignments(text):
        yield EnvClaim(doc, line, column + offset + 1, name, "shell")


def _shell_assignments(text: str) -> Iterator[tuple[str, int]]:
    """(name, offset) of the variables a shell line sets, in each of its simple commands (`a && b; c`)."""
    command: list[tuple[str, int]] = []
    for word in _WORD.finditer(text + " ;"):
        if word[0][0] in ";&|":
            yield from ((name, offset) for name, offset in _assigned(command) if _NAME.match(name))
            command = []
        else:
            command.append((word[0], word.start()))


def _inline_command(code: str) -> list[tuple[str, int]]:
    """The variables inline code sets as a command does (`TOOL_X=1 tool build`, `export TOOL_X=1`): a claim
    whatever its sentence says."""
    prompt = len(code) - len(code.lstrip().removeprefix("$ "))
    return [(name, prompt + offset) for name, offset in _shell_assignments(code[prompt:])]


def _assigned(words: Sequence[tuple[str, int]]) -> Iterator[tuple[str, int]]:
    """(name, offset) of each variable one simple command sets for what it runs or exports."""
    if not words:
        return
    first = words[0][0]
    rest = list(words[1:])
    if first == "export" or (first == "env" and rest):
        rest = [word for word in rest if not word[0].startswith("-")]
        yield from _assignments(rest if first == "export" else _leading(rest))
    elif first.lower() == "set" and rest:
        flags = [word for word, _ in rest if word.startswith("-")]
        if any("x" in flag or flag == "--export" for flag in flags) and len(rest) > len(flags):  # fish
            yield rest[len(flags)]
        elif not flags:
            yield from _assignments(rest[:1])  # cmd.exe's `set X=1`
    elif first == "setenv" and rest:
        yield rest[0]
    elif (powershell := _POWERSHELL.match(first)) is not None:
        equals = powershell["equals"] or (powershell.end() == len(first) and rest and rest[0][0].startswith("="))
        if equals:  # `$env:X = 1`, not a read of `$env:X`
            yield powershell["name"], words[0][1] + powershell.start("name")
    else:
        leading = _leading(list(words))
        if len(leading) < len(words):  # `X=1 tool`: set for the command; `X=1` alone is a shell variable
            yield from _assignments(leading)


def _leading(words: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The assignments that start a command."""
    count = 0
    while count < len(words) and _ASSIGNMENT.match(words[count][0]):
        count += 1
    return words[:count]


def _assignments(words: Sequence[tuple[str, int]]) -> Iterator[tuple[str, int]]:
    for word, offset in words:
        found = _ASSIGNMENT.match(word)
        if found is not None:
            yield found["name"], offset + found.start("name")


def _yaml_claims(doc: str, rows: Sequence[Row]) -> Iterator[EnvClaim]:
    """Keys of an `env:`/`environment:` mapping and `NAME=value`/`name: NAME` items of its list, one level deep."""
    block: int | None = None  # the header's indent while inside a block
    child: int | None = None  # the indent of the block's entries
    for text, line, column in rows:
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        indent = len(text) - len(text.lstrip())
        if block is not None and indent > block and (child is None or indent == child):
            child = indent
            found = _YAML_ENTRY.match(text)
            group = "named" if found is not None and found["named"] else "name"
            if found is not None and _NAME.match(found[group]):
                yield EnvClaim(doc, line, column + found.start(group) + 1, found[group], "yaml")
            continue
        if block is not None and indent > block:
            continue  # deeper: a value's own mapping
        header = _YAML_BLOCK.match(text)
        block, child = (len(header["indent"]), None) if header else (None, None)


def _docker_claims(doc: str, found: re.Match[str], line: int, column: int) -> Iterator[EnvClaim]:
    """`ENV X=1 Y=2` or the old `ENV X value`."""
    rest = found["rest"]
    words = [(word[0], found.start("rest") + word.start()) for word in _WORD.finditer(rest)]
    pairs = list(_assignments(words)) if words and "=" in words[0][0] else words[:1]
    for name, offset in pairs:
        if _NAME.match(name):
            yield EnvClaim(doc, line, column + offset + 1, name, "dockerfile")


# -- prose --------------------------------------------------------------------------------------------------------


def _says_env(context: str, offset: int, heading: str) -> bool:
    """Whether the sentence around `offset` (or the section's heading) calls what it names an environment variable."""
    start = max((end.end() for end in _SENTENCE_END.finditer(context, 0, offset)), default=0)
    end = _SENTENCE_END.search(context, offset)
    sentence = context[start : end.start() if end else len(context)]
    return bool(_MENTION.search(sentence) or _MENTION.search(heading))


def _inline_name(code: str) -> str | None:
    """The variable inline code names (`TOOL_TOKEN`, `$TOOL_TOKEN`, `TOOL_TOKEN=1`): ALL_CAPS with `_` or a digit."""
    found = _INLINE_NAME.match(code.strip())
    name = found["name"] if found else None
    return name if name and re.search(r"[_\d]", name) else None


# -- Markdown -----------------------------------------------------------------------------------------------------


def _markdown(
    doc: str, text: str, lines: Sequence[str], base: int, headings: tuple[str, ...] = ()
) -> Iterator[EnvClaim]:
    """Claims in fences, indented blocks and inline code of `text`, which starts on line `base` (0-based) of the
    doc's `lines`; a MyST directive's body is read as Markdown too."""
    tokens = markdown_parser().parse(text)
    contexts = _markdown_contexts(tokens)
    stack: dict[int, str] = dict(enumerate(headings))
    for index, token in enumerate(tokens):
        if token.map is None:
            continue
        first = token.map[0] + base
        opener = tokens[index - 1] if index else None
        if token.type == "inline" and opener is not None and opener.type == "heading_open":
            level = len(headings) + int(opener.tag[1:])
            stack = {depth: title for depth, title in stack.items() if depth < level} | {level: token.content}
        heading = " / ".join(stack[depth] for depth in sorted(stack))
        if token.type == "inline":
            cell = opener is not None and opener.type in ("th_open", "td_open")
            yield from _markdown_inline(doc, token, lines, first, (contexts.get(index), heading), cell=cell)
        elif token.type == "code_block":
            yield from block_claims(doc, content_rows(token.content, lines, first), "")
        elif token.type in ("fence", COLON_FENCE):
            yield from _fence(doc, token, lines, first, tuple(stack[depth] for depth in sorted(stack)))


def _markdown_contexts(tokens: Sequence[Token]) -> dict[int, str]:
    """For each inline token in a table row or a list item, that row's or item's whole text (the innermost)."""
    contexts: dict[int, str] = {}
    for start, token in enumerate(tokens):
        if token.type not in ("tr_open", "list_item_open"):
            continue
        closing = token.type.replace("_open", "_close")
        end = next(
            (i for i in range(start + 1, len(tokens)) if tokens[i].type == closing and tokens[i].level == token.level),
            len(tokens),
        )
        inside = [i for i in range(start, end) if tokens[i].type == "inline"]
        text = " | ".join(tokens[i].content for i in inside)
        contexts.update(dict.fromkeys(inside, text))
    return contexts


def _fence(doc: str, token: Token, lines: Sequence[str], first: int, headings: tuple[str, ...]) -> Iterator[EnvClaim]:
    words = token.info.split()
    language = words[0].lower() if words else ""
    if language.startswith("{") and language.endswith("}"):
        directive = language[1:-1].removeprefix("std:")
        if directive in _CODE_DIRECTIVES:  # MyST ```{code-block} bash
            rows = _without_options(content_rows(token.content, lines, first + 1))
            yield from block_claims(doc, rows, words[1] if len(words) > 1 else "")
            return
        if directive == "envvar" and len(words) > 1 and _NAME.match(words[1]):
            column = lines[first].find(words[1], lines[first].find("envvar") + 6)
            yield EnvClaim(doc, first + 1, column + 1, words[1], "envvar")
        if directive not in ("eval-rst", "raw", "math"):  # an admonition, a tab: Markdown inside
            yield from _markdown(doc, token.content, lines, first + 1, headings)
    elif token.type == "fence":
        yield from block_claims(doc, content_rows(token.content, lines, first + 1), language)


def _markdown_inline(
    doc: str, token: Token, lines: Sequence[str], first: int, context: tuple[str | None, str], *, cell: bool
) -> Iterator[EnvClaim]:
    """`TOOL_TOKEN` said to be an environment variable, and MyST's {envvar}`TOOL_TOKEN`."""
    content = token.content
    positions: CharPositions | None = None
    enclosing, heading = context
    for child in token.children or ():
        span: tuple[int, int] | None = child.meta.get(SPAN)
        if child.type != "code_inline" or span is None:
            continue
        ticks = len(child.markup)
        code = content[span[0] + ticks : span[1] - ticks]
        if re.search(r"\{(?:std:)?envvar\}\Z", content[: span[0]]):
            target = re.search(r"<([^<>]+)>\s*\Z", code)
            name, how = (target[1] if target else code).strip().lstrip("!~"), "envvar"
            name = name if _NAME.match(name) else None
        else:
            name, how = _inline_name(code), "inline"
            if name and not _says_env(enclosing or content, 0 if enclosing else span[0], heading):
                name = None
        found = [(name, code.find(name), how)] if name is not None else []
        found += [(name, offset, "shell") for name, offset in _inline_command(code)] if how == "inline" else []
        for variable, offset, kind in found:
            positions = positions or CharPositions(content, lines, first, 0, suffix=not cell)
            line, column = positions[span[0] + ticks + offset]
            yield EnvClaim(doc, line + 1, column + 1, variable, kind)


def _without_options(rows: Sequence[Row]) -> list[Row]:
    """A directive's content without its leading `:name: value` option lines."""
    index = 0
    while index < len(rows) and re.match(r"\s*:[\w-]+:", rows[index][0]):
        index += 1
    return list(rows[index:])


# -- reStructuredText ---------------------------------------------------------------------------------------------


def _rst(doc: str, lines: Sequence[str]) -> Iterator[EnvClaim]:
    """Claims in code and `::` literal blocks, `.. envvar::` directives, `:envvar:` roles and inline literals."""
    titles: list[tuple[str, str]] = []  # the section headings in effect: (adornment character, title)
    index = 0
    while index < len(lines):
        line = lines[index]
        underline = _RST_UNDERLINE.match(lines[index + 1]) if index + 1 < len(lines) else None
        if underline is not None and line.strip() and not _RST_UNDERLINE.match(line):
            marks = [mark for mark, _ in titles]
            kept = marks.index(underline[1]) if underline[1] in marks else len(titles)
            titles = [*titles[:kept], (underline[1], line.strip())]
        directive = _RST_DIRECTIVE.match(line)
        if directive is not None:
            claims, index = _rst_directive(doc, lines, directive, index)
            yield from claims
            continue
        yield from _rst_inline(doc, lines, index, " / ".join(title for _, title in titles))
        if line.rstrip().endswith("::"):
            rows, index = indented_rows(lines, index + 1, indent_of(line))
            yield from block_claims(doc, rows, "")
            continue
        index += 1


def _rst_directive(doc: str, lines: Sequence[str], directive: re.Match[str], index: int) -> tuple[list[EnvClaim], int]:
    """The claims of the directive on line `index`, and the line where reading goes on."""
    name = directive["name"].removeprefix("std:")
    argument = directive["arg"] or ""
    if name == "envvar":
        found = [
            EnvClaim(doc, index + 1, directive.start("arg") + word.start() + 1, word[0], "envvar")
            for word in re.finditer(r"[^\s,]+", argument)
            if _NAME.match(word[0])
        ]
        return found, index + 1  # its content is read as the doc's own lines
    if name in _CODE_DIRECTIVES or name == "prompt":
        rows, end = indented_rows(lines, index + 1, indent_of(lines[index]))
        language = argument.split()[0] if argument else ""
        if name == "prompt":  # sphinx-prompt: every line is a command, the prompt is not written
            language = "bash" if language.lower() in _SCRIPTS else "-"
        return list(block_claims(doc, _without_options(rows), language)), end
    return [], index + 1


def _rst_inline(doc: str, lines: Sequence[str], index: int, heading: str) -> Iterator[EnvClaim]:
    """`:envvar:` roles, and ``TOOL_TOKEN`` literals whose sentence, table row or section calls it a variable."""
    line = lines[index]
    for role in _RST_ENVVAR_ROLE.finditer(line):
        if _NAME.match(role["name"].strip()):
            yield EnvClaim(doc, index + 1, role.start("name") + 1, role["name"].strip(), "envvar")
    literals = [(literal, _inline_name(literal["code"])) for literal in _RST_LITERAL.finditer(line)]
    for literal, _ in literals:
        for variable, start in _inline_command(literal["code"]):
            yield EnvClaim(doc, index + 1, literal.start("code") + start + 1, variable, "shell")
    if not any(name for _, name in literals):
        return
    context, offset = _rst_paragraph(lines, index)
    for literal, name in literals:
        if name and _says_env(context, offset + literal.start(), heading):
            yield EnvClaim(doc, index + 1, literal.start("code") + literal["code"].find(name) + 1, name, "inline")


def _rst_paragraph(lines: Sequence[str], index: int) -> tuple[str, int]:
    """The paragraph around line `index` as one text, and where the line starts in it; a table's row alone."""
    if lines[index].lstrip().startswith(("|", "+")):
        return lines[index], 0
    start = index
    while start > 0 and lines[start - 1].strip() and not _RST_UNDERLINE.match(lines[start - 1]):
        start -= 1
    end = index + 1
    while end < len(lines) and lines[end].strip() and not _RST_UNDERLINE.match(lines[end]):
        end += 1
    before = " ".join(lines[start:index])
    return " ".join(lines[start:end]), len(before) + (1 if before else 0)
