"""What a Markdown scan has found so far, and how a nested body's findings map back to the doc."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from docsync.models import CodeBlock, CodeLine, Diagnostic, Ignore, Reference
from docsync.references.ignores import Marker

# One line of a block or body: its text (containers and fence indentation removed), 1-based line of
# the text being scanned, 0-based column where the text starts in that line.
Row = tuple[str, int, int]


@dataclass(slots=True)
class Found:
    """References, code blocks, ignore markers, headings and diagnostics of one Markdown text; `ignores`: those of
    the markers of a nested reStructuredText scan (`{eval-rst}`), applied already."""

    references: list[Reference] = field(default_factory=list)
    # Blocks with the (line, 0-based column) where they start, which is where an ignore marker looks for them.
    blocks: list[tuple[int, int, CodeBlock]] = field(default_factory=list)
    directives: list[Marker] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    ignores: list[Ignore] = field(default_factory=list)

    def add_nested(self, nested: Found, rows: Sequence[Row]) -> None:
        """Add what was found in a nested text whose line k is `rows[k - 1]` of this text."""
        place = _Placer(rows)
        self.references += [place.reference(reference) for reference in nested.references]
        self.blocks += [(*place.point(line, column), place.block(block)) for line, column, block in nested.blocks]
        self.directives += [place.marker(marker) for marker in nested.directives]
        self.headings += [place.line(heading) for heading in nested.headings]
        self.diagnostics += [replace(d, line=place.line(d.line)) for d in nested.diagnostics]
        self.ignores += [place.ignore(ignore) for ignore in nested.ignores]


@dataclass(frozen=True, slots=True)
class _Placer:
    rows: Sequence[Row]

    def _row(self, line: int) -> Row:
        # A nested scan only reports lines of its own text; clamping keeps a stray one inside the body.
        return self.rows[min(max(line, 1), len(self.rows)) - 1]

    def line(self, line: int) -> int:
        return self._row(line)[1]

    def point(self, line: int, column: int) -> tuple[int, int]:
        _, outer_line, offset = self._row(line)
        return outer_line, offset + column

    def marker(self, marker: Marker) -> Marker:
        line, column = self.point(marker.line, marker.column)
        return replace(marker, line=line, column=column, end_line=self.line(marker.end_line))

    def ignore(self, ignore: Ignore) -> Ignore:
        line, column = self.point(ignore.line, ignore.column)
        return replace(ignore, line=line, column=column)

    def reference(self, reference: Reference) -> Reference:
        line, column = self.point(reference.line, reference.column)
        if not reference.ignored:
            return replace(reference, line=line, column=column)
        return replace(reference, line=line, column=column, ignored=tuple(map(self.ignore, reference.ignored)))

    def block(self, block: CodeBlock) -> CodeBlock:
        origin = tuple(CodeLine(*self.point(code.line, code.column)) for code in block.origin)
        return replace(block, origin=origin, ignored=tuple(map(self.ignore, block.ignored)))
