"""Markdown: inline code, source links + #L anchors, fences, autorefs, `:::`, markers, front matter, MyST."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import accumulate

from markdown_it.token import Token

from docsync.models import DocScan, How, Reference, Style
from docsync.references.ignores import Action, Marker, apply_ignores
from docsync.references.markdown.code import code_block, doctest_quote, quote_prompt_column
from docsync.references.markdown.found import Found
from docsync.references.markdown.front_matter import read_front_matter
from docsync.references.markdown.inline import find_markers, markdown_parser, scan_inline
from docsync.references.myst.colon import COLON_FENCE
from docsync.references.myst.directives import Body, MystState, Scope, read_directive
from docsync.references.myst.fence import read_fence
from docsync.references.names import is_python_name

_MKDOCSTRINGS = re.compile(r"(?P<indent> {0,3}):::[ \t]+(?P<name>\S+)[ \t]*")
_OPAQUE_BLOCKS = frozenset({"fence", "code_block", "html_block", COLON_FENCE})
_QUOTE_NESTING = {"blockquote_open": 1, "blockquote_close": -1}
# Directive bodies nested deeper are not read: no real doc nests this far, and the recursion must end.
MAX_DEPTH = 40


def scan_markdown(doc: str, text: str) -> DocScan:
    """Everything `doc` says about code: references, Python code examples and heading lines.

    MyST (Sphinx-flavoured Markdown) is read too: `{func}`name`` roles and directive fences.

    Args:
        doc: the doc's repository-relative path, copied into every record.
        text: the doc's content.
    """
    lines = _normalise(text).split("\n")
    front = read_front_matter(doc, lines)
    found = Found(references=list(front.references))
    # The front matter is never prose: markdown-it sees blank lines in its place (lines stay aligned).
    parsed = "\n".join([""] * front.end + lines[front.end :])
    _scan_text(_Level(MystState(doc), lines, None, 0, found), parsed, front.end)
    # Blocks in doc order, placed where they start (their column 1-based, as the markers' are).
    blocks = [(line, column + 1, block) for line, column, block in sorted(found.blocks, key=lambda b: (b[0], b[1]))]
    applied = apply_ignores(doc, found.directives, found.references, blocks, lines)
    return DocScan(
        doc,
        tuple(sorted(applied.references, key=lambda r: (r.line, r.column))),
        tuple(applied.blocks),
        headings=tuple(sorted(set(found.headings))),
        diagnostics=front.diagnostics + tuple(found.diagnostics) + tuple(applied.diagnostics),
        ignores=tuple(sorted([*found.ignores, *applied.ignores], key=lambda i: (i.line, i.column))),
    )


def _normalise(text: str) -> str:
    """The text as markdown-it reads it: `\\n` line ends, NUL replaced (so our lines match its lines)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")


@dataclass(frozen=True, slots=True)
class _Level:
    """One Markdown text being read (the doc, or a directive's body) and where its findings go."""

    state: MystState
    lines: Sequence[str]
    scope: Scope | None
    depth: int
    found: Found

    @property
    def doc(self) -> str:
        return self.state.doc


def _scan_text(level: _Level, parsed: str, front_end: int) -> None:
    tokens = markdown_parser().parse(parsed)
    _walk(level, tokens)
    _add_mkdocstrings(level.doc, tokens, level.lines, front_end, level.found)


def _scan_body(level: _Level, body: Body) -> None:
    """Read a directive's body as MyST Markdown; its findings are mapped to the enclosing text."""
    if not body.rows or level.depth >= MAX_DEPTH:
        return
    lines = [text for text, _, _ in body.rows]
    nested = _Level(level.state, lines, body.scope, level.depth + 1, Found())
    _scan_text(nested, "\n".join(lines), 0)
    level.found.add_nested(nested.found, body.rows)


def _walk(level: _Level, tokens: Sequence[Token]) -> None:
    index, quote_depth, cell_start = 0, 0, 0
    lines, found = level.lines, level.found
    lists: list[list[int]] = []  # per open bullet list: where its items' leading names are in `found.references`
    terms: list[int] = []  # the same for the run of definition-list terms being read
    while index < len(tokens):
        token = tokens[index]
        if terms and not _goes_on_definitions(tokens, index, lines):
            _mark_member_list(found, terms)
            terms = []
        if token.type == "bullet_list_open":
            lists.append([])
        elif token.type == "bullet_list_close" and lists:
            _mark_member_list(found, lists.pop())
        elif token.type == "blockquote_open":
            skip_to = _doctest_paragraph(level.doc, tokens, index, lines, quote_depth, found)
            if skip_to is not None:
                index = skip_to + 1
                continue
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "tr_open":
            cell_start = 0
        elif token.type == "heading_open" and token.map:
            found.headings.append(token.map[0] + 1)
        elif token.type == "inline" and token.map:
            cell = index > 0 and tokens[index - 1].type in ("th_open", "td_open")
            context = level.state.context(level.scope)
            scan = scan_inline(level.doc, token, lines, start=cell_start if cell else 0, cell=cell, context=context)
            cell_start = scan.end_column if cell else cell_start
            if lists and _leads_item(tokens, index):
                lists[-1].extend(_item_lead(scan.references, len(found.references), token.map[0] + 1))
            elif _is_definition(tokens, index):
                terms.extend(_item_lead(scan.references, len(found.references), token.map[0] + 1))
            found.references.extend(scan.references)
            found.directives.extend(scan.directives)
        elif token.type in ("fence", "code_block", COLON_FENCE) and token.map:
            _read_code_token(level, token)
        elif token.type == "html_block" and token.map:
            _scan_html_block(level.doc, token.map[0], token.map[1], lines, found)
        index += 1
    if terms:
        _mark_member_list(found, terms)


# A list is about one class's members when at least this many of its items start with a bare name.
_MEMBER_LIST_ITEMS = 3


def _leads_item(tokens: Sequence[Token], index: int) -> bool:
    """Whether the inline token at `index` is a list item's first paragraph and starts with inline code."""
    return (
        index >= 2
        and tokens[index - 1].type == "paragraph_open"
        and tokens[index - 2].type == "list_item_open"
        and tokens[index].content.startswith("`")
    )


def _is_definition(tokens: Sequence[Token], index: int) -> bool:
    """Whether the inline token at `index` is a definition-list entry led by inline code (`` `copy()` `` then
    `: returns a copy`): MkDocs' def_list, which markdown-it reads as one paragraph."""
    token = tokens[index]
    term, _, rest = token.content.partition("\n")
    return (
        tokens[index - 1].type == "paragraph_open"
        and term.startswith("`")
        and term.rstrip().endswith(("`", "`()"))
        and _DEFINITION.match(rest) is not None
    )


def _goes_on_definitions(tokens: Sequence[Token], index: int, lines: Sequence[str]) -> bool:
    """Whether a run of definition terms goes on at this token: another term, the paragraph tokens around one, or
    a definition's further (indented) paragraph."""
    token = tokens[index]
    if token.type in ("paragraph_open", "paragraph_close"):
        return True
    if token.type == "code_block" and token.map is not None:
        return _continues_definition(lines, token.map[0])
    return token.type == "inline" and index > 0 and _is_definition(tokens, index)


def _item_lead(references: Sequence[Reference], offset: int, line: int) -> list[int]:
    """Where (in the doc's references, which start at `offset`) the item's leading bare name is, if it is one."""
    first = min(
        (i for i, r in enumerate(references) if r.line == line and r.style is Style.MD_CODE),
        key=lambda i: references[i].column,
        default=None,
    )
    if first is None:
        return []
    lead = references[first]
    bare = lead.how is How.INFERRED and lead.path is None and "." not in lead.name
    return [offset + first] if bare else []


def _mark_member_list(found: Found, leads: Sequence[int]) -> None:
    """`- `model_dump()`: ...` items, three or more: each lead learns the list's names (see `Reference.siblings`)."""
    if len(leads) < _MEMBER_LIST_ITEMS:
        return
    names = tuple(found.references[i].name for i in leads)
    for i in leads:
        found.references[i] = replace(found.references[i], siblings=names)


def _read_code_token(level: _Level, token: Token) -> None:
    """A MyST directive fence, or else a code block (a plain colon fence is neither)."""
    assert token.map is not None  # block tokens always carry their lines
    if token.type == "code_block" and _continues_definition(level.lines, token.map[0]):
        rows = tuple((level.lines[n][_DEFINITION_INDENT:], n + 1, _DEFINITION_INDENT) for n in range(*token.map))
        _scan_body(level, Body(rows, level.scope))
        return
    directive = read_fence(token, level.lines) if token.type != "code_block" else None
    if directive is not None:
        for body in read_directive(level.state, directive, level.scope, level.found):
            _scan_body(level, body)
    elif token.type != COLON_FENCE:
        block = code_block(level.doc, token, level.lines)
        if block is not None:
            level.found.blocks.append((token.map[0] + 1, _indent(level.lines[token.map[0]]), block))


# A definition list (Python-Markdown's `def_list`, on in most MkDocs sites): `:   text` defines the term above it,
# and its further paragraphs are indented by four, which CommonMark reads as an indented code block.
_DEFINITION = re.compile(r" {0,3}:[ \t]+\S")
_DEFINITION_INDENT = 4


def _continues_definition(lines: Sequence[str], start: int) -> bool:
    """Whether the indented block at `start` (0-based) goes on a definition: above it, past blank lines and other
    indented paragraphs, lies the paragraph a `:   ` line begins."""
    index = start - 1
    while index >= 0:
        while index >= 0 and not lines[index].strip():
            index -= 1
        first = index
        while index >= 0 and lines[index].strip():
            if _DEFINITION.match(lines[index]):
                return True
            first, index = index, index - 1
        if first < 0 or _indent(lines[first]) < _DEFINITION_INDENT:
            return False
    return False


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _doctest_paragraph(
    doc: str, tokens: Sequence[Token], index: int, lines: Sequence[str], depth: int, found: Found
) -> int | None:
    """For a blockquote that is really a `>>>` doctest paragraph: record it and return its closing index."""
    token = tokens[index]
    assert token.map is not None  # block tokens always carry their lines
    column = quote_prompt_column(lines[token.map[0]], depth)
    if column is None:
        return None
    block = doctest_quote(doc, lines, token.map[0], token.map[1], column)
    found.blocks.append((token.map[0] + 1, column, block))
    # markdown-it's token stream is balanced, so the quote's own closing token is always found.
    nesting = accumulate(_QUOTE_NESTING.get(t.type, 0) for t in tokens[index:])
    return index + next(offset for offset, depth in enumerate(nesting) if depth == 0)


def _scan_html_block(doc: str, first: int, end: int, lines: Sequence[str], found: Found) -> None:
    text = "\n".join(lines[first:end])
    starts = [0]
    for source in lines[first:end]:
        starts.append(starts[-1] + len(source) + 1)
    for offset, end, word in find_markers(text):
        number = bisect.bisect_right(starts, offset) - 1
        line, column = first + number + 1, offset - starts[number] + 1
        if isinstance(word, Action):
            end_line = first + bisect.bisect_right(starts, end - 1)
            found.directives.append(Marker(line, column, end_line, word))
        else:
            found.references.append(Reference(doc, line, column, word, How.EXPLICIT, Style.MARKER, word))


def _add_mkdocstrings(doc: str, tokens: Sequence[Token], lines: Sequence[str], front_end: int, found: Found) -> None:
    """`::: pkg.mod.obj` lines outside code; their indented YAML options are not prose."""
    opaque = {i for t in tokens if t.type in _OPAQUE_BLOCKS and t.map for i in range(*t.map)}
    taken: set[int] = set()  # 1-based lines of the directives and their options
    for index in range(front_end, len(lines)):
        match = _MKDOCSTRINGS.fullmatch(lines[index])
        if index in opaque or not match or not is_python_name(match["name"]):
            continue
        line = lines[index]
        found.references.append(
            Reference(
                doc,
                index + 1,
                len(match["indent"]) + 1,
                match["name"],
                How.EXPLICIT,
                Style.MKDOCSTRINGS,
                line.strip(),
            )
        )
        taken.add(index + 1)
        options = index + 1
        while options < len(lines) and lines[options].strip() and _indent(lines[options]) > _indent(line):
            taken.add(options + 1)
            options += 1
    if taken:
        found.references = [r for r in found.references if r.style is Style.MKDOCSTRINGS or r.line not in taken]
        found.blocks = [b for b in found.blocks if b[0] not in taken]
        found.headings = [h for h in found.headings if h not in taken]
