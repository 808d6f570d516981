"""Inline Markdown references located in their source lines: code spans, source links, autorefs, markers."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLinkText
from markdown_it.rules_inline import StateInline, autolink, backtick, html_inline, link
from markdown_it.token import Token

from docsync.models import How, Reference, Style
from docsync.references.ignores import Action, Marker, read_action
from docsync.references.myst.colon import COLON_FENCE, colon_fence
from docsync.references.names import classify_code, is_python_name
from docsync.references.sphinx import PY_ROLES, role_target

# Where an inline rule started and ended, in offsets of the inline token's content (`state.src`).
SPAN = "docsync_span"

_LINE_ANCHOR = re.compile(r"L(\d+)(?:C\d+)?(?:-L?(\d+)(?:C\d+)?)?")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|//")
_GITHUB_BLOB = re.compile(r"https?://(?:www\.)?github\.com/[^/]+/[^/]+/blob/[^/]+/(.+\.py)")
_GITLAB_BLOB = re.compile(r"https?://[^/]+/(?:[^/]+/)+-/blob/[^/]+/(.+\.py)")
_MARKER = re.compile(r"<!--\s*docsync\s*:(?P<body>.*?)-->", re.DOTALL)
_MARKER_WORD = re.compile(r"[^\s,]+")
# After masking: a label (code spans allowed, masked as \0) then an identifier in brackets.
_AUTOREF = re.compile(r"\[(?P<label>[^\[\]\x01]+)\]\[(?P<ident>[^\[\]\x00\x01]*)\]")
# A MyST role: `{name}` right before a code span (myst-parser's role name characters and length).
_MYST_ROLE = re.compile(r"\{(?P<role>[A-Za-z0-9_+:-]{1,36})\}\Z")
_MYST_ROLE_WIDTH = 38


@dataclass(slots=True)
class InlineScan:
    """What one inline token holds; `end_column` is where its content ends in the last source line."""

    references: list[Reference] = field(default_factory=list)
    directives: list[Marker] = field(default_factory=list)
    end_column: int = 0


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """CommonMark + tables + strikethrough, with the inline rules we need positions for wrapped."""
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    parser.inline.ruler.at("backticks", _record_span(backtick, "code_inline"))
    parser.inline.ruler.at("link", _record_span(link, "link_open"))
    parser.inline.ruler.at("autolink", _record_span(autolink, "link_open"))
    parser.inline.ruler.at("html_inline", _record_span(html_inline, "html_inline"))
    parser.block.ruler.before(
        "fence", COLON_FENCE, colon_fence, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    return parser


def _record_span(rule: Callable[[StateInline, bool], bool], token_type: str) -> Callable[[StateInline, bool], bool]:
    # Inline tokens carry no positions; the rule's start and end offsets are the only exact source of them.
    def wrapped(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        matched = rule(state, silent)
        if matched and not silent:
            # The first pushed token may be pending text flushed by `push`, so look for the rule's own.
            token = next((t for t in state.tokens[count:] if t.type == token_type), None)
            if token is not None:
                token.meta[SPAN] = (start, state.pos)
        return matched

    return wrapped


def source_target(href: str) -> tuple[str, tuple[int, int] | None] | None:
    """(path, lines) for a link to a Python source file; None for anything else."""
    # markdown-it percent-encodes link targets; decode them back to the path as written.
    target, _, anchor = normalizeLinkText(href).partition("#")
    target = target.partition("?")[0]
    if _SCHEME.match(target):
        blob = _GITHUB_BLOB.fullmatch(target) or _GITLAB_BLOB.fullmatch(target)
        if blob is None:
            return None
        target = "/" + blob[1]
    elif not target.endswith(".py"):
        return None
    lines = _LINE_ANCHOR.fullmatch(anchor)
    if lines is None:
        return target, None
    first, last = int(lines[1]), int(lines[2] or lines[1])
    return target, (min(first, last), max(first, last))


def find_markers(text: str) -> Iterator[tuple[int, int, str | Action]]:
    """(start offset, end offset, what) for each docsync marker in `text`: an ignore Action (the whole comment), or
    each dotted name it lists."""
    for match in _MARKER.finditer(text):
        action = read_action(match["body"])
        if action is not None:
            yield match.start(), match.end(), action
            continue
        base = match.start("body")
        for word in _MARKER_WORD.finditer(match["body"]):
            if is_python_name(word[0]):
                yield base + word.start(), base + word.end(), word[0]


def align(piece: str, source: str, start: int, *, suffix: bool) -> Sequence[int]:
    """The source column of each character of `piece`, a line of parsed content taken from `source`."""
    # Containers (`>`, list indentation) are stripped from the left only: the content is the line's tail.
    if suffix and piece.strip() and source.rstrip().endswith(piece.rstrip()):
        base = len(source.rstrip()) - len(piece.rstrip())
        return range(base, base + len(piece))
    found = source.find(piece, start)
    if found >= 0:
        return range(found, found + len(piece))
    # Table cells lose the `\` of `\|`, tabs become spaces: match what is left in order, never past the line.
    columns: list[int] = []
    cursor = min(start, len(source))
    for char in piece:
        found = source.find(char, cursor)
        column = found if found >= 0 else min(cursor, len(source))
        columns.append(column)
        cursor = min(column + 1, len(source))
    return columns


class CharPositions:
    """(0-based line, 0-based column) of every offset of an inline token's `content` and of its end.

    Worked out per line and looked up on demand: most tokens hold no reference, and a tuple per
    character was a tenth of the Markdown scan."""

    __slots__ = ("_length", "_lines", "_starts")

    def __init__(self, content: str, lines: Sequence[str], first: int, start: int, *, suffix: bool) -> None:
        self._starts: list[int] = []  # the content offset where each of its lines starts
        self._lines: list[tuple[int, Sequence[int], int]] = []  # (doc line, columns of its characters, end column)
        offset = 0
        for number, piece in enumerate(content.split("\n")):
            index = min(first + number, len(lines) - 1)
            columns = align(piece, lines[index], start if number == 0 else 0, suffix=suffix)
            end = columns[-1] + 1 if columns else min(start if number == 0 else 0, len(lines[index]))
            self._starts.append(offset)
            self._lines.append((index, columns, min(end, len(lines[index]))))
            offset += len(piece) + 1  # the newline (after the last line: the end) has a position too
        self._length = offset

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, offset: int) -> tuple[int, int]:
        if offset < 0:
            offset += self._length
        if not 0 <= offset < self._length:
            raise IndexError(offset)
        line = bisect_right(self._starts, offset) - 1
        index, columns, end = self._lines[line]
        within = offset - self._starts[line]
        return (index, columns[within]) if within < len(columns) else (index, end)


def scan_inline(
    doc: str,
    token: Token,
    lines: Sequence[str],
    *,
    start: int = 0,
    cell: bool = False,
    context: str | None = None,
) -> InlineScan:
    """References and ignore markers in one inline token (paragraph, heading or table cell).

    `context` is the current module (MyST's `{currentmodule}`), given to roles and inline code.
    """
    assert token.map is not None  # block-level inline tokens always carry their lines
    content = token.content
    positions = CharPositions(content, lines, token.map[0], start, suffix=not cell)
    found = InlineScan(end_column=positions[-1][1])
    place = _Placer(doc, lines, positions, context)
    autorefs = list(_autorefs(content, token.children or ()))
    in_autoref = [False] * (len(content) + 1)
    for (autoref_start, autoref_end), _ in autorefs:
        in_autoref[autoref_start:autoref_end] = [True] * (autoref_end - autoref_start)
    text_start = 0  # where the text after the previous span starts: a role's `{name}` must lie in it
    for child in token.children or ():
        span: tuple[int, int] | None = child.meta.get(SPAN)
        # The code span in ``[`Cart`][shop.cart.Cart]`` is the autoref's label, not a reference of its own.
        if span is not None and not in_autoref[span[0]]:
            role = _myst_role(content, span[0], text_start) if child.type == "code_inline" else None
            _scan_child(child, span, place, found, role)
        if span is not None and child.type != "link_open":  # a link's text may hold roles
            text_start = span[1]
    found.references.extend(place.reference(span, name, Style.AUTOREFS) for span, name in autorefs)
    return found


def _myst_role(content: str, start: int, text_start: int) -> re.Match[str] | None:
    """The MyST `{role}` written right before the code span at `start`, if any."""
    match = _MYST_ROLE.search(content, max(text_start, start - _MYST_ROLE_WIDTH), start)
    if match is None or content[match.start() - 1 : match.start()] == "\\":
        return None  # `\{func}` is an escaped brace, not a role
    return match


def _python_role(role: str) -> bool:
    """True for a Sphinx Python-domain role name (`func`, `py:func`)."""
    role = role.lower()
    return role.removeprefix("py:") in PY_ROLES


@dataclass(frozen=True, slots=True)
class _Placer:
    """Turns content offsets into References at their doc line and column."""

    doc: str
    lines: Sequence[str]
    positions: CharPositions
    context: str | None = None

    def where(self, offset: int) -> tuple[int, int]:
        index, column = self.positions[offset]
        return index + 1, column + 1

    def text(self, start: int, end: int) -> str:
        # The exact source text, cut at the end of its first line.
        index, column = self.positions[start]
        last_index, last_column = self.positions[max(end - 1, start)]
        line = self.lines[index]
        return line[column : last_column + 1] if last_index == index else line[column:]

    def reference(
        self,
        span: tuple[int, int],
        name: str,
        style: Style,
        *,
        path: str | None = None,
        lines: tuple[int, int] | None = None,
    ) -> Reference:
        line, column = self.where(span[0])
        how = How.INFERRED if style in (Style.MD_CODE, Style.MD_LINK) else How.EXPLICIT
        text = self.text(*span)
        # Autorefs, links and markers name absolute targets; the current module helps the rest resolve.
        context = self.context if style in (Style.MD_CODE, Style.RST_ROLE) else None
        return Reference(self.doc, line, column, name, how, style, text, context, path=path, lines=lines)


def _scan_child(
    child: Token, span: tuple[int, int], place: _Placer, found: InlineScan, role: re.Match[str] | None
) -> None:
    start = span[0]
    if child.type == "code_inline" and role is not None:
        # `{func}`name`` is a Sphinx role; any other role's code span (`{ref}`, `{doc}`) names no code.
        name = role_target(child.content) if _python_role(role["role"]) else None
        if name is not None:
            found.references.append(place.reference((role.start(), span[1]), name, Style.RST_ROLE))
    elif child.type == "code_inline":
        named = classify_code(child.content)
        if named is not None:
            name, path = named
            found.references.append(place.reference(span, name, Style.MD_CODE, path=path))
    elif child.type == "link_open":
        target = source_target(str(child.attrs.get("href", "")))
        if target is not None:
            path, lines = target
            found.references.append(place.reference(span, "", Style.MD_LINK, path=path, lines=lines))
    else:  # html_inline, the last of the token types `_record_span` gives a span to
        for offset, end, word in find_markers(child.content):
            if isinstance(word, Action):
                line, column = place.where(start + offset)
                found.directives.append(Marker(line, column, place.where(start + end - 1)[0], word))
            else:
                found.references.append(place.reference((start + offset, start + end), word, Style.MARKER))


def _autorefs(content: str, children: Sequence[Token]) -> Iterator[tuple[tuple[int, int], str]]:
    # markdown-it leaves `[text][id]` with an undefined `id` as plain text; find it in the content with
    # code spans masked (allowed in the label) and links, HTML and backslash escapes made impassable.
    masked = list(content)
    for child in children:
        span = child.meta.get(SPAN)
        if span is not None:
            fill = "\x00" if child.type == "code_inline" else "\x01"
            masked[span[0] : span[1]] = fill * (span[1] - span[0])
    text = "".join(masked)
    for escape in re.finditer(r"\\.", text, re.DOTALL):
        masked[escape.start() : escape.end()] = "\x01\x01"
    for match in _AUTOREF.finditer("".join(masked)):
        if match.start() > 0 and content[match.start() - 1] == "!":
            continue  # an image
        label = content[match.start("label") : match.end("label")]
        ident = match["ident"].strip() or label.strip().strip("`").strip()
        if is_python_name(ident, dotted=True):
            yield match.span(), ident
