"""SymbolTable × DocMap → doc coverage: which public symbols no doc references (pure arithmetic)."""

from __future__ import annotations

from collections.abc import Iterable

from docsync.models import Coverage, Reference, Style, SymbolKind
from docsync.symbols.table import SymbolTable

# What a reader looks up in docs. Modules are containers, and attributes (a class's fields, a
# module's constants) are usually documented with their owner: counting them would drown the rest.
COUNTED_KINDS = frozenset({SymbolKind.CLASS, SymbolKind.FUNCTION, SymbolKind.METHOD, SymbolKind.PROPERTY})
# Generated API pages (`.. autoclass::`, `::: pkg.mod`) render the members of what they name.
RENDERS_MEMBERS = frozenset({Style.AUTODOC, Style.MKDOCSTRINGS})


def measure_coverage(table: SymbolTable, references: Iterable[Reference]) -> Coverage:
    """A repository with no public symbols has nothing to document: 100%."""
    counted = sorted(q for q, s in table.symbols.items() if s.public and s.kind in COUNTED_KINDS)
    direct: set[str] = set()
    rendered: set[str] = set()
    for reference in references:
        if reference.symbol is None or not all(ignore.kinds for ignore in reference.ignored):
            continue  # a reference a plain `ignore` marker hides documents nothing
        direct.add(reference.symbol)
        if reference.style in RENDERS_MEMBERS:
            rendered.add(reference.symbol)
    undocumented = tuple(q for q in counted if q not in direct and not _inside(q, rendered))
    percent = 100.0 * (len(counted) - len(undocumented)) / len(counted) if counted else 100.0
    return Coverage(percent, len(counted), undocumented)


def _inside(qualname: str, containers: set[str]) -> bool:
    parts = qualname.split(".")
    return any(".".join(parts[:end]) in containers for end in range(1, len(parts)))
