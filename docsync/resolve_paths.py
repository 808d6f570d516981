"""A reference to a source file (`[x](src/m.py#L3-L9)`, `` `shop/cart.py` ``, `:pyobject:`) → what it points at."""

from __future__ import annotations

import posixpath

from docsync.models import Reference, SymbolKind
from docsync.symbols.folders import module_folders
from docsync.symbols.table import SymbolTable


def resolve_path(reference: Reference, table: SymbolTable) -> tuple[str | None, bool]:
    """`[x](src/shop/cart.py#L3-L9)`, `` `shop/cart.py` ``, `:pyobject:` → the module or the symbol there."""
    assert reference.path is not None
    path = _find_path(reference.doc, reference.path, table)
    if path is None:
        return None, _looks_like_project_path(reference.doc, reference.path, table)
    module = table.modules[path]
    if module not in table.symbols:
        return None, False  # a file that does not parse: reported once already as a diagnostic
    if reference.name:
        found = table.target(f"{module}.{reference.name}")
        return found, True
    if reference.lines is not None:
        return _innermost(path, reference.lines, table) or module, True
    return module, True


def _candidates(doc: str, written: str) -> list[str]:
    written = written.split("#")[0]
    folder = posixpath.dirname(doc)
    if written.startswith("/"):
        top = doc.split("/")[0] if "/" in doc else ""
        return [
            posixpath.normpath(written.lstrip("/")),
            posixpath.normpath(posixpath.join(top, written.lstrip("/"))),
        ]
    return [posixpath.normpath(posixpath.join(folder, written)), posixpath.normpath(written)]


def _find_path(doc: str, written: str, table: SymbolTable) -> str | None:
    return next((c for c in _candidates(doc, written) if c in table.modules), None)


def _looks_like_project_path(doc: str, written: str, table: SymbolTable) -> bool:
    folders = module_folders(table)
    return any(posixpath.dirname(c) in folders and not c.startswith("..") for c in _candidates(doc, written))


def _innermost(path: str, lines: tuple[int, int], table: SymbolTable) -> str | None:
    start, end = lines
    containing = [
        s for s in table.symbols_in(path) if s.kind is not SymbolKind.MODULE and s.line <= start and end <= s.end_line
    ]
    return max(containing, key=lambda s: (s.line, -s.end_line)).qualname if containing else None
