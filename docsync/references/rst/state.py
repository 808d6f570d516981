"""What a reStructuredText scan has seen so far, and the references its inline markup and markers make."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from docsync.models import CodeBlock, How, Reference, Style
from docsync.references.names import classify_code, is_python_name
from docsync.references.rst.inline import SpanKind, find_inline
from docsync.references.rst.lines import Line
from docsync.references.sphinx import PY_ROLES, ModuleContext, Scope, role_target

# Default roles under which `text` is a cross-reference of any kind: read like inline code.
_ANY_ROLES = frozenset({"any"})
_MARKER = re.compile(r"\.\.[ \t]+docsync[ \t]*:", re.IGNORECASE)
_MARKER_WORD = re.compile(r"[^\s,]+")
_ACTIONS = frozenset({"ignore", "ignore-start", "ignore-end"})


@dataclass(slots=True)
class ScanState(ModuleContext):
    """One scan's findings and document-wide settings (`currentmodule`, `highlight` are not scoped)."""

    default_domain: str = "py"
    default_role: str | None = None
    highlight: str = ""
    references: list[Reference] = field(default_factory=list)
    blocks: list[CodeBlock] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)
    ignore_next: bool = False  # `.. docsync: ignore` waits for the next reference or code block
    ignoring: bool = False  # between `ignore-start` and `ignore-end`

    def add_reference(
        self,
        line: Line,
        offset: int,
        name: str,
        style: Style,
        text: str,
        context: str | None,
        *,
        how: How = How.EXPLICIT,
        path: str | None = None,
        lines: tuple[int, int] | None = None,
    ) -> None:
        """Record a reference written `offset` characters into `line.text`."""
        if self._admit():
            column = line.start + offset + 1
            self.references.append(
                Reference(self.doc, line.number, column, name, how, style, text, context, path, lines)
            )

    def add_block(self, block: CodeBlock | None) -> None:
        """Record a code example; a block that is not Python (None) still answers a pending ignore."""
        if self._admit() and block is not None:
            self.blocks.append(block)

    def _admit(self) -> bool:
        if self.ignoring:
            return False
        if self.ignore_next:
            self.ignore_next = False
            return False
        return True

    def is_python_role(self, role: str) -> bool:
        """True for a Python-domain role (`py:func`, or `func` while the default domain is Python)."""
        role = role.lower()
        if role.startswith("py:"):
            return role[3:] in PY_ROLES
        return ":" not in role and self.default_domain == "py" and role in PY_ROLES


def scan_paragraph(state: ScanState, lines: Sequence[Line], scope: Scope | None) -> None:
    """Record the references made by the inline markup of consecutive prose lines."""
    text = "\n".join(line.text for line in lines)
    if "`" not in text:
        return
    starts = list(accumulate((len(line.text) + 1 for line in lines[:-1]), initial=0))
    for span in find_inline(text):
        index = bisect_right(starts, span.start) - 1
        line, offset = lines[index], span.start - starts[index]
        # A span over several lines is reported with the part on its first line.
        source = text[span.start : min(span.end, starts[index] + len(line.text))]
        role = span.role if span.kind is SpanKind.ROLE else ""
        if span.kind is SpanKind.INTERPRETED and state.default_role not in (None, *_ANY_ROLES):
            role = state.default_role or ""
        if role:
            target = role_target(span.content) if state.is_python_role(role) else None
            if target is not None:
                state.add_reference(line, offset, target, Style.RST_ROLE, source, state.context(scope))
            continue
        found = classify_code(span.content)
        if found is not None:
            name, path = found
            context = state.context(scope)
            state.add_reference(line, offset, name, Style.MD_CODE, source, context, how=How.INFERRED, path=path)


def read_marker(state: ScanState, comment: Sequence[Line]) -> None:
    """`.. docsync: a.b, c.d` names symbols; `.. docsync: ignore|ignore-start|ignore-end` drops some."""
    match = _MARKER.match(comment[0].text)
    if match is None:
        return
    pieces = [(comment[0], match.end()), *((line, 0) for line in comment[1:])]
    words = [(line, word) for line, start in pieces for word in _MARKER_WORD.finditer(line.text, start)]
    if len(words) == 1 and words[0][1].group().lower() in _ACTIONS:
        _apply_action(state, words[0][1].group().lower())
        return
    for line, word in words:
        if is_python_name(word.group()):
            state.add_reference(line, word.start(), word.group(), Style.MARKER, word.group(), state.module)


def _apply_action(state: ScanState, action: str) -> None:
    if action == "ignore-start":
        state.ignoring = True
    elif action == "ignore-end":
        state.ignoring = False
    elif not state.ignoring:
        state.ignore_next = True
