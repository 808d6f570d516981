"""A table's re-exports: which of the names modules import (and star-import) lead to project symbols, which
public names packages take from other packages, and which private modules' symbols a public module makes public."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docsync.models import SymbolKind

if TYPE_CHECKING:
    from docsync.symbols.table import TablePiece

_MAX_ALIAS_HOPS = 10


@dataclass(frozen=True, slots=True)
class Imports:
    """What an assembled table's re-exports were made from, kept with its rows so that the table of a tree a few
    files away can be made from them (`table_delta`): each imported name that leads into the project (before
    following chains), the names re-exported by a public module, and the modules star imports or attribute sets
    involve (where a change is not followed name by name)."""

    raw: Mapping[str, str]
    reexport_targets: frozenset[str]
    star_modules: frozenset[str]


def star_modules(parsed: Mapping[str, TablePiece]) -> frozenset[str]:
    """Modules that star-import, are star-imported, set attributes on another module, or have them set."""
    found: set[str] = set()
    for module, piece in parsed.items():
        if piece.stars or piece.attributes_set:
            found.add(module)
            found.update(piece.stars)
            found.update(alias.rpartition(".")[0] for alias, _ in piece.attributes_set)
    return frozenset(found)


def raw_aliases(parsed: Mapping[str, TablePiece], symbols: Mapping[str, object]) -> dict[str, str]:
    """Every name a module binds by importing (or star-importing, or another module setting it) -> what it imports,
    before following chains of re-exports (`resolved_aliases`)."""
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
    return raw


def resolved_aliases(raw: Mapping[str, str], symbols: Mapping[str, object]) -> dict[str, str]:
    """The imported names that lead to project symbols, each to the symbol its chain of re-exports ends at."""
    resolved: dict[str, str] = {}
    for alias in raw:
        target = resolved_target(alias, raw.get, symbols.__contains__)
        if target is not None:
            resolved[alias] = target
    return resolved


def resolved_target(alias: str, raw: Callable[[str], str | None], is_symbol: Callable[[str], bool]) -> str | None:
    """The symbol one imported name leads to (None: none), following `raw` (name -> what it imports) a few hops."""
    target = raw(alias)
    if target is None:
        return None
    for _ in range(_MAX_ALIAS_HOPS):
        if is_symbol(target):
            return target
        following = raw(target)
        if following is None:
            return None
        target = following
    return target if is_symbol(target) else None


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
) -> tuple[set[str], set[str]]:
    """Symbols of a private module re-exported by a public one (`from ._impl import f`): public too. Returns the
    targets re-exported and every name they make public (the targets and their public members)."""
    reexported = {
        target
        for alias, target in aliases.items()
        if target not in public and reexports(alias, parsed.get(alias.rpartition(".")[0]))
    }
    if not reexported:
        return set(), set()
    extra = {
        qualname
        for qualname, kind in kinds.items()
        if qualname not in public and kind is not SymbolKind.MODULE and made_public(qualname, reexported.__contains__)
    }
    return reexported, extra


def reexports(alias: str, piece: TablePiece | None) -> bool:
    """Whether the module `piece` (None: not one of ours) re-exports the name it imports as `alias`: a package's
    `__init__` re-exports what it imports; any other module only what `__all__` lists (`from ._compat import
    isatty` in `utils.py` is for its own use)."""
    if piece is None:
        return False
    module, _, name = alias.rpartition(".")
    exported = name in piece.all_names if piece.all_names is not None else piece.file.is_package
    return exported and _is_public(module, name, piece.all_names)


def made_public(qualname: str, reexported: Callable[[str], bool]) -> bool:
    """Whether a name (not public by its own module's rules, not a module) is public as re-exported itself, or as a
    public member (`Cart.total`) of a re-exported class: by the longest of its prefixes that is re-exported."""
    parts = qualname.split(".")
    owner = next((o for o in (".".join(parts[:end]) for end in range(len(parts), 0, -1)) if reexported(o)), None)
    return owner is not None and not any(p.startswith("_") for p in qualname[len(owner) :].split("."))


def _is_public(module: str, name: str, all_names: tuple[str, ...] | None) -> bool:
    if any(part.startswith("_") for part in module.split(".")):
        return False
    if not name:
        return True
    first, *rest = name.split(".")
    top_public = first in all_names if all_names is not None else not first.startswith("_")
    return top_public and not any(part.startswith("_") for part in rest)
