"""Removed × added symbols → renames and moves, matched by kind and body; ambiguity is reported, never guessed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from docsync.models import Symbol, SymbolKind
from docsync.symbols.fingerprint import digest
from docsync.symbols.similarity import Shape, body_shapes, similarity
from docsync.symbols.table import SymbolTable

# A changed body still counts as the same function when most of its statements are unchanged.
MIN_SIMILARITY = 0.6
# Two candidates closer than this are a tie: we say so instead of picking one.
TIE = 0.02
# Bodies this small (`pass`, `return None`) are the same in many unrelated functions.
MIN_STATEMENTS = 2
_CALLABLES = frozenset({SymbolKind.FUNCTION, SymbolKind.METHOD})
_CONTAINERS = frozenset({SymbolKind.CLASS, SymbolKind.MODULE})
_NO_DOCSTRING = digest("")


@dataclass(frozen=True, slots=True)
class Rename:
    """Where a removed symbol went: `new`, or several `candidates` when it cannot be told."""

    old: str
    new: str | None
    candidates: tuple[str, ...] = ()


def renames_between(
    base: SymbolTable,
    head: SymbolTable,
    changed: Iterable[tuple[str | None, str | None]],
    old_source: Callable[[str], bytes],
    new_source: Callable[[str], bytes],
) -> dict[str, Rename]:
    """Where the symbols that disappeared went, judged from the changed Python files only (`changed`: their
    (old path, new path); `old_source`/`new_source`: a file's bytes at the base and the head)."""
    changed = list(changed)
    old_paths = [old for old, _ in changed if old and old in base.modules]
    new_paths = [new for _, new in changed if new and new in head.modules]
    removed, added = removed_and_added(base, head, old_paths, new_paths)
    if not removed or not added:
        return {}
    old_shapes = _shapes(base, {s.path for s in removed}, old_source)
    new_shapes = _shapes(head, {s.path for s in added}, new_source)
    return match_renames(removed, added, old_shapes, new_shapes)


def removed_and_added(
    base: SymbolTable, head: SymbolTable, old_paths: Iterable[str], new_paths: Iterable[str]
) -> tuple[list[Symbol], list[Symbol]]:
    """Symbols of the changed files that exist only at the base, and only at the head."""
    removed = [
        s
        for path in old_paths
        for s in base.symbols_in(path)
        if s.qualname not in head.symbols and head.target(s.qualname) is None
    ]
    added = [s for path in new_paths for s in head.symbols_in(path) if s.qualname not in base.symbols]
    return removed, added


def _shapes(table: SymbolTable, paths: Iterable[str], source: Callable[[str], bytes]) -> dict[str, Shape]:
    shapes: dict[str, Shape] = {}
    for path in paths:
        module = table.modules[path]
        for local, shape in body_shapes(source(path)).items():
            shapes[f"{module}.{local}" if local else module] = shape
    return shapes


def match_renames(
    removed: Sequence[Symbol],
    added: Sequence[Symbol],
    old_shapes: Mapping[str, Shape],
    new_shapes: Mapping[str, Shape],
) -> dict[str, Rename]:
    """For each removed symbol that has a likely successor among the added ones, the match.

    `old_shapes`/`new_shapes` map qualified names to body shapes (see `similarity.py`).
    """
    scored: dict[str, list[tuple[float, str]]] = {}
    for old in removed:
        candidates = [(_score(old, new, old_shapes, new_shapes), new.qualname) for new in added]
        ranked = sorted(((s, q) for s, q in candidates if s > 0), reverse=True)
        if ranked:
            scored[old.qualname] = ranked
    claimed: dict[str, list[tuple[float, str]]] = {}
    for old_name, ranked in scored.items():
        claimed.setdefault(ranked[0][1], []).append((ranked[0][0], old_name))
    renames: dict[str, Rename] = {}
    for old_name, ranked in scored.items():
        best_score, best = ranked[0]
        ties = tuple(sorted(q for s, q in ranked if best_score - s < TIE))
        rivals = [o for s, o in claimed[best] if o != old_name and best_score - s < TIE]
        if len(ties) > 1:
            renames[old_name] = Rename(old_name, None, ties)
        elif rivals:
            renames[old_name] = Rename(old_name, None, (best,))
        else:
            renames[old_name] = Rename(old_name, best)
    return renames


def _score(old: Symbol, new: Symbol, old_shapes: Mapping[str, Shape], new_shapes: Mapping[str, Shape]) -> float:
    """0 for "not the same symbol", up to 1 for "the same body, docstring and signature"."""
    if not (old.kind is new.kind or {old.kind, new.kind} <= _CALLABLES):
        return 0.0
    same_name = old.name == new.name
    same_signature = old.fingerprint.signature == new.fingerprint.signature
    same_docstring = old.fingerprint.docstring == new.fingerprint.docstring
    documented = same_docstring and old.fingerprint.docstring != _NO_DOCSTRING
    bonus = 0.04 * same_signature + 0.04 * same_docstring + 0.02 * same_name
    old_shape, new_shape = old_shapes.get(old.qualname), new_shapes.get(new.qualname)
    if old.kind in _CONTAINERS:
        # A class or module is known by its members: their names, since each member is matched on its own.
        if not old_shape or not new_shape:
            return 0.0
        shared = similarity(old_shape, new_shape)
        if shared < 1.0 and sum(old_shape.values()) < MIN_STATEMENTS:
            return 0.0
        return 0.8 * shared + bonus if shared >= MIN_SIMILARITY else 0.0
    small = old_shape is not None and sum(old_shape.values()) < MIN_STATEMENTS
    if old.fingerprint.body == new.fingerprint.body:
        # A trivial body is only evidence together with the name, or a docstring and signature.
        if small and not (same_name or (documented and same_signature)):
            return 0.0
        return 0.9 + bonus
    if old_shape is None or new_shape is None or small:
        return 0.0
    shared = similarity(old_shape, new_shape)
    return 0.8 * shared + bonus if shared >= MIN_SIMILARITY else 0.0
