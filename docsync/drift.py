"""Base × head SymbolTables → Changes: what happened to each symbol a doc referenced; examples that no longer fit."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from docsync.fit import call_problems, deprecated_arguments
from docsync.models import (
    Call,
    Change,
    Fingerprint,
    Kind,
    Reference,
    SignatureChange,
    Symbol,
    SymbolKind,
    What,
)
from docsync.renames import Rename
from docsync.resolve import call_reference, lookup, resolve
from docsync.signature_changes import compare_signatures, describe
from docsync.successors import successor
from docsync.symbols.indexed_table import aliases_to
from docsync.symbols.names_only import UNKNOWN
from docsync.symbols.table import SymbolTable

ReferenceKey = tuple[str, int, int, str, str]
_PARTS = (Kind.SIGNATURE, Kind.BODY, Kind.DOCSTRING)  # most important first


@dataclass(frozen=True, slots=True)
class ExampleProblem:
    """A call in a code example that does not fit its callee's signature."""

    call: Call
    callee: str
    problem: str
    kind: Kind = Kind.EXAMPLE  # or DEPRECATED: the call passes a parameter the callee warns is deprecated


def reference_key(reference: Reference) -> ReferenceKey:
    return (reference.doc, reference.line, reference.column, reference.style.value, reference.name)


def classify(old: Symbol, new: Symbol) -> Kind | None:
    """The most important part of the fingerprint that differs, or None when the meaning is the same."""
    return classify_fingerprints(old.fingerprint, new.fingerprint)


def classify_fingerprints(old: Fingerprint, new: Fingerprint) -> Kind | None:
    parts = changed_parts(old, new)
    return next((kind for kind in _PARTS if kind in parts), None)


def changed_parts(old: Fingerprint, new: Fingerprint) -> frozenset[Kind]:
    """The parts of a fingerprint that differ: signature, body, docstring (none, when either version's contents are
    unknown: a file read for its names only)."""
    if UNKNOWN in (old, new):
        return frozenset()
    return frozenset(
        kind
        for kind, before, after in (
            (Kind.SIGNATURE, old.signature, new.signature),
            (Kind.BODY, old.body, new.body),
            (Kind.DOCSTRING, old.docstring, new.docstring),
        )
        if before != after
    )


def describe_change(old: Symbol, new: Symbol, table: SymbolTable | None = None) -> Change | None:
    """What changed between two versions of one symbol (the same qualified name), or None.

    A signature that differs only in how its annotations are spelled (`Optional[X]` for `X | None`) did not change.
    A symbol that became deprecated is `deprecated`, with the replacement its warning names (looked up in `table`,
    the newer revision's).
    """
    parts = changed_parts(old.fingerprint, new.fingerprint)
    changes: tuple[SignatureChange, ...] = ()
    if Kind.SIGNATURE in parts:
        changes = signature_changes_between(old, new)
        if not changes and old.kind is new.kind:
            # `class E(IOError)` gaining an `__init__`: only what we could see changed, not what callers pass.
            hidden = _constructor_came_to_light(old, new) or _spelled_differently(old, new)
            if hidden:
                parts -= {Kind.SIGNATURE}
            else:
                changes = (SignatureChange(What.UNSPELLED),)
    kind = next((kind for kind in _PARTS if kind in parts), None)
    if new.deprecated is not None and old.deprecated is None:
        return deprecation_change(old.qualname, new.deprecated, table, changes, parts, new.qualname)
    if kind is None:
        return None
    details = describe(changes)
    if old.kind is not new.kind:
        details = "; ".join(filter(None, [f"it is now {_a(new.kind.value)} (was {_a(old.kind.value)})", details]))
    return Change(old.qualname, kind, new.qualname, None, details, changes, parts)


def deprecation_change(
    qualname: str,
    warning: str,
    table: SymbolTable | None,
    changes: tuple[SignatureChange, ...] = (),
    parts: frozenset[Kind] = frozenset(),
    now_named: str | None = None,
) -> Change:
    """`qualname` (`now_named` in `table`) became deprecated: the warning's text is the details, what it names
    instead the replacement."""
    replacement = successor(now_named or qualname, warning, table) if table is not None else None
    return Change(qualname, Kind.DEPRECATED, replacement, None, " ".join(warning.split()), changes, parts)


def _spelled_differently(old: Symbol, new: Symbol) -> bool:
    """Whether two signatures differ only in how annotations are spelled (the comparison found no change, yet the
    records differ: an unspelled change such as an overload leaves the records equal)."""
    return old.signature != new.signature


def _constructor_came_to_light(old: Symbol, new: Symbol) -> bool:
    return (
        old.signature is not None
        and new.signature is not None
        and not (old.signature.complete and new.signature.complete)
    )


def detect_change(
    base_name: str,
    head_name: str | None,
    base: SymbolTable,
    head: SymbolTable,
    renames: Mapping[str, Rename] | None = None,
) -> Change | None:
    """What happened to `base_name` of the base table, now known as `head_name` (None: the name is gone)."""
    old = base.symbols[base_name]
    if head_name is None:
        rename = (renames or {}).get(base_name)
        if rename is not None and rename.new is not None:
            changes = signature_changes_between(old, head.symbols[rename.new])
            return Change(base_name, Kind.RENAMED, rename.new, None, describe(changes), changes)
        candidates = rename.candidates if rename is not None else ()
        details = f"it may have become {' or '.join(candidates)}" if candidates else ""
        return Change(base_name, Kind.REMOVED, None, None, details)
    return describe_change(old, head.symbols[head_name], head)


def signature_changes_between(old: Symbol, new: Symbol) -> tuple[SignatureChange, ...]:
    """The worded signature changes between two versions of a symbol (an attribute's is its annotation)."""
    if SymbolKind.ATTRIBUTE in (old.kind, new.kind):
        return _annotation_change(old, new)
    if old.signature is None or new.signature is None:
        return ()
    return tuple(compare_signatures(old.signature, new.signature))


def _annotation_change(old: Symbol, new: Symbol) -> tuple[SignatureChange, ...]:
    """An attribute's signature is its annotation (kept in `Signature.returns`)."""
    before = old.signature.returns if old.signature else None
    after = new.signature.returns if new.signature else None
    if before == after:
        return ()
    if before is None:
        return (SignatureChange(What.ANNOTATION_ADDED, None, None, after),)
    return (SignatureChange(What.ANNOTATION, None, before, after or "(none)"),)


def detect_drift(
    base_references: Iterable[Reference],
    head_symbol: Mapping[ReferenceKey, str],
    base: SymbolTable,
    head: SymbolTable,
    renames: Mapping[str, Rename] | None = None,
) -> Iterator[tuple[Reference, Change, SymbolKind]]:
    """For each reference resolved against the base, what happened to its symbol by the head.

    `head_symbol` maps a reference's key to what the same text resolves to at the head; a
    reference missing from it names nothing at the head any more.
    """
    for reference in base_references:
        assert reference.symbol is not None
        head_name = head_symbol.get(reference_key(reference))
        change = detect_change(reference.symbol, head_name, base, head, renames)
        if change is None:
            continue
        if head_name is None and _imported_from_elsewhere(reference, reference.symbol, base, head):
            continue  # the name the doc wrote still imports: the symbol moved to another package, which re-exports it
        # Still importable through a module `__getattr__` (a deprecation shim): only a move to a
        # public name is worth telling; `_get_stream` is no name for a doc to use.
        worth_telling = change.kind is Kind.RENAMED and not _is_private(change.new_qualname or "")
        served = _still_served(reference, reference.symbol, base, head) if head_name is None else None
        if served is not None and not worth_telling:
            module, name, warning = served
            if warning is None:
                continue
            # Served by a shim that warns: the doc teaches a deprecated name (whatever private class it returns). Its
            # definition is gone (a part that changed): even a generated entry now documents only the shim.
            removed = frozenset({Kind.REMOVED})
            change = deprecation_change(reference.symbol, warning, head, parts=removed, now_named=f"{module}.{name}")
        yield reference, change, base.symbols[reference.symbol].kind


def _still_served(
    reference: Reference, base_name: str, base: SymbolTable, head: SymbolTable
) -> tuple[str, str, str | None] | None:
    """(module, name, the deprecation warning's text or None) of a module `__getattr__` at the head that may serve
    the name the doc used (or one of its base aliases), a warning one first; None when none may."""
    names = {base_name, reference.name.lstrip(".")} | set(aliases_to(base, base_name))
    # `shop.core.Registry.lookup` is served if `Registry` is, whatever it is now.
    places = [(".".join(p[:end]), p[end]) for p in (n.split(".") for n in sorted(names)) for end in range(1, len(p))]
    # Only where the name stops existing: `pydantic.main` is a module of its own, whatever `pydantic.__getattr__` does.
    served = [
        (module, name, head.served_deprecated(module, name))
        for module, name in places
        if head.may_have(module, name) and head.target(f"{module}.{name}") is None
    ]
    return next((s for s in served if s[2] is not None), served[0] if served else None)


def _imported_from_elsewhere(reference: Reference, base_name: str, base: SymbolTable, head: SymbolTable) -> bool:
    """Whether the name the doc wrote is one our package now imports from another package: as written, or (for a
    bare word or the symbol's own name) one of the symbol's aliases at the base, such as its package's export."""
    written = reference.name.lstrip(".")
    if head.from_elsewhere(written) is not None:
        return True
    if written != base_name and "." in written:
        return False
    return any(head.from_elsewhere(alias) is not None for alias in aliases_to(base, base_name))


def _is_private(qualname: str) -> bool:
    return any(part.startswith("_") for part in qualname.split("."))


def check_examples(calls: Iterable[Call], table: SymbolTable) -> list[ExampleProblem]:
    """Every call of the examples that does not fit the current signature of what it calls."""
    problems = []

    def forwarded(symbol: Symbol) -> Symbol | None:
        """The symbol `symbol` passes its `**kwargs` to: a name of its module, or a member of its class."""
        written = symbol.signature.forwards if symbol.signature is not None else None
        if written is None:
            return None
        if written.startswith(("self.", "cls.")):
            owner = symbol.qualname if symbol.kind is SymbolKind.CLASS else symbol.qualname.rpartition(".")[0]
            found = lookup(f"{owner}.{written.partition('.')[2]}", table)[0]
        else:
            found = table.target(f"{table.modules.get(symbol.path, '')}.{written}")
        return table.symbols[found] if found is not None else None

    for call in calls:
        callee, _ = resolve(call_reference(call), table)
        if callee is None:
            continue
        symbol = table.symbols[callee]
        for problem in call_problems(call, symbol, forwarded):
            problems.append(ExampleProblem(call, callee, problem))
        for name, warning in deprecated_arguments(call, symbol):
            said = f' ("{warning}")' if warning else ""
            problems.append(ExampleProblem(call, callee, f"warns that `{name}` is deprecated{said}", Kind.DEPRECATED))
    return problems


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"
