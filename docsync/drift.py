"""Base × head SymbolTables → Changes: what happened to each symbol a doc referenced."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from docsync.models import Change, Kind, Reference, Symbol, SymbolKind
from docsync.symbols.table import SymbolTable


def classify(old: Symbol, new: Symbol) -> Kind | None:
    """The most important part of the fingerprint that differs, or None when the meaning is the same."""
    if old.fingerprint.signature != new.fingerprint.signature:
        return Kind.SIGNATURE
    if old.fingerprint.body != new.fingerprint.body:
        return Kind.BODY
    if old.fingerprint.docstring != new.fingerprint.docstring:
        return Kind.DOCSTRING
    return None


def detect_change(
    base_name: str, head_name: str | None, base: SymbolTable, head: SymbolTable
) -> Change | None:
    """What happened to `base_name` of the base table, now known as `head_name` (None: it is gone)."""
    old = base.symbols[base_name]
    new = head.symbols.get(head_name) if head_name is not None else None
    if new is None:
        return Change(base_name, Kind.REMOVED, None, None, "")
    kind = classify(old, new)
    if kind is None:
        return None
    details = ""
    old_text = old.signature.text if old.signature else ""
    new_text = new.signature.text if new.signature else ""
    if kind is Kind.SIGNATURE and old_text != new_text:
        details = f"was {old_text}, now {new_text}"
    return Change(base_name, kind, new.qualname, None, details)


def detect_drift(
    base_references: Iterable[Reference],
    head_symbol: Mapping[ReferenceKey, str],
    base: SymbolTable,
    head: SymbolTable,
) -> Iterator[tuple[Reference, Change, SymbolKind]]:
    """For each reference resolved against the base, what happened to its symbol by the head.

    `head_symbol` maps a reference's key to what the same text resolves to at the head; a
    reference missing from it names nothing at the head any more.
    """
    for reference in base_references:
        assert reference.symbol is not None
        change = detect_change(reference.symbol, head_symbol.get(reference_key(reference)), base, head)
        if change is not None:
            yield reference, change, base.symbols[reference.symbol].kind


ReferenceKey = tuple[str, int, int, str, str]


def reference_key(reference: Reference) -> ReferenceKey:
    return (reference.doc, reference.line, reference.column, reference.style.value, reference.name)
