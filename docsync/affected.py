"""Which docs a change can affect, so that a pull-request check reads and resolves only those.

A doc can drift only if one of its references (or example calls) resolved, at the base, to a
symbol the change altered or removed, or if the change made one of its names mean something else:
a symbol appeared or disappeared, a re-export moved, a class's ancestry changed. The first is
known from what each doc resolved to at the base (cached per table, see `DocResolution`); the
second from the dotted parts the doc's names are made of (`doc_names`). A doc that passes both
tests resolves the same way on both sides, so its references need not even be read. When the
change is too broad for that argument (a top-level package appears, the code layout moves),
every doc counts as touched.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from docsync.models import DocMap, DocResolution, DocScan, Symbol, SymbolKind
from docsync.references.index import PATH_MARK
from docsync.resolve import base_classes, call_reference, resolve_references
from docsync.symbols.indexed_table import aliases_that_may_differ
from docsync.symbols.table import SymbolTable


@dataclass(frozen=True, slots=True)
class Affected:
    """What a change did to the names docs use; `everything` when that cannot be bounded."""

    everything: bool
    names: frozenset[str] = frozenset()  # name parts of what appeared, disappeared or was re-exported elsewhere
    symbols: frozenset[str] = frozenset()  # qualified names whose definition changed, or that were removed

    def touches(self, names: Collection[str], resolution: DocResolution | None) -> bool:
        """Whether a doc with this name index and base resolution (None: unknown) may have drifted."""
        if self.everything or resolution is None:
            return True
        return not (self.names.isdisjoint(names) and self.symbols.isdisjoint(resolution.symbols))


EVERYTHING = Affected(everything=True)


def resolutions(
    scans: Mapping[str, DocScan], table: SymbolTable, doc_map: DocMap | None = None
) -> dict[str, DocResolution]:
    """Each doc's `DocResolution` against `table` (`doc_map`: its references already resolved there)."""
    if doc_map is None:
        doc_map = resolve_references((r for scan in scans.values() for r in scan.references), table)
    calls = resolve_references((call_reference(call) for scan in scans.values() for call in scan.calls), table)
    counts = dict.fromkeys(scans, 0)
    symbols: dict[str, set[str]] = {doc: set() for doc in scans}
    for reference in doc_map.unresolved:
        counts[reference.doc] += all(ignore.kinds for ignore in reference.ignored)  # a plain `ignore`: not scored
    for reference in doc_map.references:
        counts[reference.doc] += all(ignore.kinds for ignore in reference.ignored)
        symbols[reference.doc].add(reference.symbol or "")
    for call in calls.references:
        symbols[call.doc].add(call.symbol or "")
    return {doc: DocResolution(counts[doc], frozenset(symbols[doc] - {""})) for doc in scans}


def _aliases_that_may_differ(base: SymbolTable, head: SymbolTable) -> Iterable[str]:
    if base.aliases is head.aliases:
        return ()
    found = aliases_that_may_differ(base, head)  # tables read over the same rows: their overlays (issue 18)
    return found if found is not None else base.aliases.keys() | head.aliases.keys()


def affected_by(base: SymbolTable, head: SymbolTable, changed_paths: Iterable[str]) -> Affected:
    """What a change between two tables did to the names docs use; `changed_paths` are the files it changed."""
    changed = set(changed_paths)
    if base.top_level != head.top_level or _layout_changed(base, head, changed):
        return EVERYTHING
    before = {q for path in changed for q in base.names_in(path)}
    after = {q for path in changed for q in head.names_in(path)}
    appeared_or_gone = before ^ after
    altered = {q for q in before & after if _altered(base, head, q)}
    names = {q.rpartition(".")[2] for q in appeared_or_gone}
    names |= {PATH_MARK + posixpath.basename(p) for p in changed if (p in base.modules) != (p in head.modules)}
    for alias in _aliases_that_may_differ(base, head):
        old, new = base.aliases.get(alias), head.aliases.get(alias)
        if old != new:
            names.add(alias.rpartition(".")[2])
            names.update(t.rpartition(".")[2] for t in (old, new) if t is not None)
    # A class that appears, disappears or changes bases changes what `Sub.member` means for its
    # subclasses, in files the change did not touch; a module `__getattr__` what `module.name` does.
    reshaped = [q for q in appeared_or_gone | altered if SymbolKind.CLASS in (base.kinds.get(q), head.kinds.get(q))]
    for table in (base, head):
        names |= _inherited_names(table, (q for q in reshaped if _bases_may_differ(base, head, q)))
    names |= {q.split(".")[-2] for q in appeared_or_gone | altered if q.endswith(".__getattr__")}
    return Affected(everything=False, names=frozenset(names), symbols=frozenset(altered | (before - after)))


def _altered(base: SymbolTable, head: SymbolTable, qualname: str) -> bool:
    return _definition(base.symbols[qualname]) != _definition(head.symbols[qualname])


def _definition(symbol: Symbol) -> tuple[object, ...]:
    """What a doc can drift from (not where the symbol is: lines move with every edit above it)."""
    return (symbol.kind, symbol.fingerprint, symbol.signature, symbol.public)


def _bases_may_differ(base: SymbolTable, head: SymbolTable, qualname: str) -> bool:
    if qualname not in base.symbols or qualname not in head.symbols:
        return True
    old, new = base.symbols[qualname].signature, head.symbols[qualname].signature
    return (old.bases if old else ()) != (new.bases if new else ())


def _layout_changed(base: SymbolTable, head: SymbolTable, changed: set[str]) -> bool:
    """Whether an unchanged file now is another module (code roots moved) or stopped being one."""
    if base.modules is head.modules:  # a table over the same names (only bodies changed)
        return False
    for path, module in base.modules.items():
        if path not in changed and head.modules.get(path) != module:
            return True
    return any(path not in changed and path not in base.modules for path in head.modules)


def _inherited_names(table: SymbolTable, classes: Iterable[str]) -> set[str]:
    """The members a class's subclasses may inherit through it: its own and its ancestors' members."""
    names: set[str] = set()
    seen: set[str] = set()
    todo = list(classes)
    while todo:
        class_name = todo.pop()
        if class_name in seen or class_name not in table.symbols:
            continue
        seen.add(class_name)
        prefix = class_name + "."
        path = table.symbols[class_name].path
        names.update(q.rpartition(".")[2] for q in table.names_in(path) if q.startswith(prefix))
        todo.extend(b for b in base_classes(class_name, table) if b is not None)
    return names
