"""What a function or method is annotated to return, when that is one of the project's classes."""

from __future__ import annotations

from docsync.models import SymbolKind
from docsync.references.names import is_python_name
from docsync.symbols.table import SymbolTable

_CALLABLE_KINDS = frozenset({SymbolKind.FUNCTION, SymbolKind.METHOD})
_SELF = frozenset({"Self", "typing.Self", "typing_extensions.Self"})


def returned_class(function: str, table: SymbolTable) -> str | None:
    """The project class a function or method is annotated to return (`-> Response`, `-> "Response"`, `-> Self`),
    looked up in its module; None for anything else (a union, a generic, another package's, no annotation)."""
    symbol = table.symbols[function]
    returns = symbol.signature.returns if symbol.signature is not None else None
    written = (returns or "").strip("'\"")
    if symbol.kind not in _CALLABLE_KINDS or not is_python_name(written):
        return None
    if written in _SELF and symbol.kind is SymbolKind.METHOD:
        return function.rpartition(".")[0]
    module = table.modules.get(symbol.path, "")
    found = table.target(f"{module}.{written}") or table.target(written)
    return found if found is not None and table.kinds[found] is SymbolKind.CLASS else None
