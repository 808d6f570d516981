"""What a reStructuredText scan has seen so far, and the references its inline markup and markers make."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from docsync.models import CodeBlock, How, Reference, Style
from docsync.references.ignores import Marker, read_action
from docsync.references.names import classify_code, is_python_name
from docsync.references.rst.inline import SpanKind, find_inline
from docsync.references.rst.lines import Line
from docsync.references.sphinx import PY_ROLES, ModuleContext, Scope, role_target

# Default roles under which `text` is a cross-reference of any kind: read like inline code.
_ANY_ROLES = frozenset({"any"})
_MARKER = re.compile(r"\.\.[ \t]+docsync[ \t]*:", re.IGNORECASE)
_MARKER_WORD = re.compile(r"[^\s,]+")


@dataclass(slots=True)
class ScanState(ModuleContext):
    """One scan's findings and document-wide settings (`currentmodule`, `highlight` are not scoped)."""

    default_domain: str = "py"
    default_role: str | None = None
    highlight: str = ""
    references: list[Reference] = field(default_factory=list)
    # Code examples where they start (1-based line and column); None: a block that is not Python.
    blocks: list[tuple[int, int, CodeBlock | None]] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)  # `.. docsync: ignore...`, applied once the scan is done

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
        column = line.start + offset + 1
        self.references.append(Reference(self.doc, line.number, column, name, how, style, text, context, path, lines))

    def add_block(self, block: CodeBlock | None, start: Line) -> None:
        """Record a code example that starts on line `start`; a block that is not Python (None) still answers an
        `ignore` marker."""
        self.blocks.append((start.number, start.start + 1, block))

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
    """`.. docsync: a.b, c.d` names symbols; `.. docsync: ignore...` (see `references.ignores`) hides some."""
    match = _MARKER.match(comment[0].text)
    if match is None:
        return
    pieces = [(comment[0], match.end()), *((line, 0) for line in comment[1:])]
    action = read_action(" ".join(line.text[start:] for line, start in pieces))
    if action is not None:
        state.markers.append(Marker(comment[0].number, comment[0].start + 1, comment[-1].number, action))
        return
    words = [(line, word) for line, start in pieces for word in _MARKER_WORD.finditer(line.text, start)]
    for line, word in words:
        if is_python_name(word.group()):
            state.add_reference(line, word.start(), word.group(), Style.MARKER, word.group(), state.module)
