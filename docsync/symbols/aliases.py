"""A table's re-exports: which of the names modules import (and star-import) lead to project symbols, which
public names packages take from other packages, and which private modules' symbols a public module makes public."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from docsync.models import SymbolKind

if TYPE_CHECKING:
    from docsync.symbols.table import TablePiece

_MAX_ALIAS_HOPS = 10


def resolve_aliases(parsed: Mapping[str, TablePiece], symbols: Mapping[str, object]) -> dict[str, str]:
    ours = frozenset(module.partition(".")[0] for module in parsed)
    # An import from outside the project (`import logging`: 86% of a monorepo's 555,000) leads to none of its
    # symbols; it matters only as the name a star import or an attribute set elsewhere cannot take over.
    blocking = any(piece.stars or piece.attributes_set for piece in parsed.values())
    raw = {
        alias: target
        for piece in parsed.values()
        for alias, target in piece.imports
        if (blocking or target.partition(".")[0] in ours) and alias not in symbols
    }
    for piece in parsed.values():  # an attribute set on another module (`pytest.Testdir = Testdir`): its own wins
        for alias, target in piece.attributes_set:
            if alias not in symbols:
                raw.setdefault(alias, target)
    stars = [(module, source) for module, piece in parsed.items() for source in piece.stars]
    for _ in range(_MAX_ALIAS_HOPS):  # star imports of star imports settle in a few rounds
        added = False
        for module, source in stars:
            for name in _exported_names(source, parsed, raw):
                alias = f"{module}.{name}"
                if alias not in raw and alias not in symbols:
                    raw[alias] = f"{source}.{name}"
                    added = True
        if not added:
            break
    resolved: dict[str, str] = {}
    for alias, target in raw.items():
        for _ in range(_MAX_ALIAS_HOPS):
            if target in symbols or target not in raw:
                break
            target = raw[target]
        if target in symbols:
            resolved[alias] = target
    return resolved


def foreign_names(
    parsed: Mapping[str, TablePiece], symbols: Mapping[str, object], ours: frozenset[str]
) -> dict[str, str]:
    """Public names our packages' `__init__` modules import from other packages: a doc that writes `pkg.Error`
    still names something real when `Error` moved out of the project and `pkg` re-exports it. Packages only, where
    re-exports live: every module's `import os` would cost memory at monorepo size for nothing a doc writes."""
    found: dict[str, str] = {}
    for piece in parsed.values():
        if not piece.file.is_package:
            continue
        for alias, target in piece.imports:
            if (
                alias not in symbols
                and target.partition(".")[0] not in ours
                and not alias.rpartition(".")[2].startswith("_")
            ):
                found[alias] = target
    return found


def _exported_names(module: str, parsed: Mapping[str, TablePiece], raw: Mapping[str, str]) -> list[str]:
    """What `from module import *` binds: `__all__`, else its public top-level names."""
    if module not in parsed:
        return []
    piece = parsed[module]
    if piece.all_names is not None:
        return list(piece.all_names)
    names = [name for name in piece.names if name and "." not in name and not name.startswith("_")]
    prefix = module + "."
    names += [a[len(prefix) :] for a in raw if a.startswith(prefix) and "." not in a[len(prefix) :]]
    return [n for n in names if not n.startswith("_")]


def reexported_public(
    kinds: Mapping[str, SymbolKind],
    public: set[str],
    aliases: Mapping[str, str],
    parsed: Mapping[str, TablePiece],
) -> set[str]:
    """Symbols of a private module re-exported by a public one (`from ._impl import f`): public too."""
    reexported: set[str] = set()
    for alias, target in aliases.items():
        module, _, name = alias.rpartition(".")
        if module not in parsed:
            continue
        piece = parsed[module]
        # A package's `__init__` re-exports what it imports; any other module only what `__all__` lists
        # (`from ._compat import isatty` in `utils.py` is for its own use).
        exported = name in piece.all_names if piece.all_names is not None else piece.file.is_package
        if exported and _is_public(module, name, piece.all_names) and target not in public:
            reexported.add(target)
    if not reexported:
        return set()
    extra = set()
    for qualname, kind in kinds.items():
        if qualname in public or kind is SymbolKind.MODULE:
            continue
        parts = qualname.split(".")
        # Public when re-exported itself, or a public member (`Cart.total`) of a re-exported class.
        owners = (".".join(parts[:end]) for end in range(len(parts), 0, -1))
        owner = next((o for o in owners if o in reexported), None)
        if owner is not None and not any(p.startswith("_") for p in qualname[len(owner) :].split(".")):
            extra.add(qualname)
    return extra


def _is_public(module: str, name: str, all_names: tuple[str, ...] | None) -> bool:
    if any(part.startswith("_") for part in module.split(".")):
        return False
    if not name:
        return True
    first, *rest = name.split(".")
    top_public = first in all_names if all_names is not None else not first.startswith("_")
    return top_public and not any(part.startswith("_") for part in rest)
