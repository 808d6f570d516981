"""The folders of a symbol table's module files, listed once per table, not once per doc link to a file (50,000
modules and 272 links to files: 9 s of a warm check). Pure."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping

from docsync.symbols.table import SymbolTable

# id(table.modules) -> (that mapping, its files' folders); the mapping is kept: an id may be reused once it is gone.
_FOLDERS: dict[int, tuple[Mapping[str, str], frozenset[str]]] = {}
_KEPT = 4  # tables at a time (a pull request's base and head)


def module_folders(table: SymbolTable) -> frozenset[str]:
    """The folders holding the table's module files (`src/shop` for `src/shop/cart.py`)."""
    found = _FOLDERS.get(id(table.modules))
    if found is None or found[0] is not table.modules:
        if len(_FOLDERS) >= _KEPT:
            _FOLDERS.clear()
        found = (table.modules, frozenset(posixpath.dirname(path) for path in table.modules))
        _FOLDERS[id(table.modules)] = found
    return found[1]
