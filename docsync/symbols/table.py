"""SymbolTable for one revision: symbols by qualified name, re-export aliases, short names, file → module.

A table is built from each file's outline (names, kinds, imports: small and quick to load) and
makes a file's Symbols (fingerprints, signatures) only when one of them is asked for: a
pull-request check on 2,000 modules looks at a handful of them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from dataclasses import dataclass, field, replace
from itertools import chain, compress
from typing import TYPE_CHECKING

from docsync.models import Diagnostic, Symbol, SymbolKind
from docsync.symbols.aliases import (
    Imports,
    foreign_names,
    raw_aliases,
    reexported_public,
    resolved_aliases,
    star_modules,
)
from docsync.symbols.extract import ATTRIBUTE_SET, ImportedName, LocalSymbol, ModuleSymbols
from docsync.symbols.layout import ModuleFile
from docsync.symbols.short_names import ShortNames, ShortNamesPatch

if TYPE_CHECKING:
    from docsync.symbols.indexed_table import KeptRows


@dataclass(frozen=True, slots=True)
class ModuleOutline:
    """What a table needs of a file, without fingerprints or signatures (kept flat: tables are built often)."""

    names: tuple[str, ...]  # in source order; "" is the module itself
    kinds: tuple[SymbolKind, ...]  # one per name
    public: tuple[bool, ...]  # one per name: public if the module is (by its `__all__` and underscores)
    imports: tuple[ImportedName, ...] = ()
    all_names: tuple[str, ...] | None = None
    dynamic_names: tuple[str, ...] | None = None
    error: tuple[int, str] | None = None
    aliased: tuple[tuple[str, str], ...] = ()


def outline_of(module: ModuleSymbols) -> ModuleOutline:
    exported = frozenset(module.all_names) if module.all_names is not None else None
    return ModuleOutline(
        names=tuple(s.name for s in module.symbols),
        kinds=tuple(s.kind for s in module.symbols),
        public=tuple(_is_public_name(s.name, exported) for s in module.symbols),
        imports=module.imports,
        all_names=module.all_names,
        dynamic_names=module.dynamic_names,
        error=module.error,
        aliased=module.aliased,
    )


Details = Callable[[ModuleFile], ModuleSymbols]


class _Symbols(Mapping[str, Symbol]):
    """Qualified name -> Symbol, making a file's Symbols the first time one of them is asked for."""

    def __init__(self, where: Mapping[str, ModuleFile], public: Set[str], details: Details) -> None:
        self._where, self._public, self._details = where, public, details
        self._made: dict[str, Symbol] = {}
        self._by_path: dict[str, tuple[Symbol, ...]] = {}

    def __getitem__(self, qualname: str) -> Symbol:
        found = self._made.get(qualname)
        if found is None:
            self.of_file(self._where[qualname])
            found = self._made[qualname]
        return found

    def __contains__(self, qualname: object) -> bool:
        return qualname in self._where

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def with_details(self, details: Details) -> _Symbols:
        return _Symbols(self._where, self._public, details)

    @property
    def where(self) -> Mapping[str, ModuleFile]:
        return self._where

    def module_details(self, module: str) -> ModuleSymbols | None:
        """All a module's file version defines (None: not one of our modules)."""
        module_file = self._where.get(module)
        return self._details(module_file) if module_file is not None else None

    def of_file(self, module_file: ModuleFile) -> tuple[Symbol, ...]:
        made = self._by_path.get(module_file.path)
        if made is None:
            extracted = self._details(module_file)
            made = tuple(
                _make_symbol(module_file, local, self._public)
                for local in extracted.symbols
                if self._where.get(_qualname(module_file, local.name)) is module_file
            )
            self._by_path[module_file.path] = made
            self._made.update((symbol.qualname, symbol) for symbol in made)
        return made


@dataclass(frozen=True, slots=True)
class SymbolTable:
    """Every symbol of the project at one revision. Built only by `assemble_table` (or `build_table`)."""

    symbols: Mapping[str, Symbol]
    aliases: Mapping[str, str]  # `shop.add_item` -> `shop.cart.add_item`
    modules: Mapping[str, str]  # `src/shop/cart.py` -> `shop.cart`
    by_short_name: Mapping[str, tuple[str, ...]]
    top_level: frozenset[str]  # the names a project-looking dotted name starts with
    diagnostics: tuple[Diagnostic, ...] = ()
    # Modules with a `__getattr__` that serves only these names (see `ModuleSymbols.dynamic_names`).
    dynamic_names: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Names a module serves with a warning through a deprecation helper (`deprecated_alias(...)`), by module.
    aliased: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # What resolution asks of most symbols, known without making them (see `_Symbols`).
    kinds: Mapping[str, SymbolKind] = field(default_factory=dict)
    public: Set[str] = frozenset()
    # `pkg.Error` -> `otherpkg.Error`: public names a package imports from outside the project (see `foreign_names`).
    foreign: Mapping[str, str] = field(default_factory=dict)
    _files: Mapping[str, ModuleFile] = field(default_factory=dict)
    _names_by_path: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    _reexported: frozenset[str] = frozenset()  # in `public` for a module that re-exports them, not their own
    _imports: Imports | None = None  # what `table_delta` needs kept of an assembled table's re-exports
    _kept: KeptRows | None = None  # what `table_delta` needs of a table read from rows

    @property
    def read_from_rows(self) -> bool:
        """Read a lookup at a time from rows the cache keeps (`indexed_table`), its million names not in memory."""
        return not isinstance(self.kinds, dict)

    def may_have(self, module: str, name: str) -> bool:
        """Whether `module.name` may exist although we cannot see it: a module `__getattr__` or a deprecation helper
        serves it."""
        if name in self.aliased.get(module, ()):
            return True
        if f"{module}.__getattr__" not in self.symbols:
            return False
        served = self.dynamic_names.get(module)
        return served is None or name in served

    def served_deprecated(self, module: str, name: str) -> str | None:
        """The warning's text when `module.name` is served by a `__getattr__` that warns it is deprecated."""
        if name in self.aliased.get(module, ()):
            return ""  # the helper's warning: its text is not in the module
        if not self.may_have(module, name) or not isinstance(self.symbols, _Symbols):
            return None
        details = self.symbols.module_details(module)
        served = details.served_deprecated if details is not None else ()
        return next((warning for served_name, warning in served if served_name == name), None)

    def target(self, name: str) -> str | None:
        """The qualified name `name` denotes (itself, or what it re-exports), or None."""
        if name in self.symbols:
            return name
        found = self.aliases.get(name)
        if found is not None or "." not in name:
            return found
        # `shop.Cart.total` where `shop.Cart` re-exports `shop.cart.Cart`: follow the alias, keep the rest.
        parts = name.split(".")
        for end in range(len(parts) - 1, 0, -1):
            prefix = self.aliases.get(".".join(parts[:end]))
            if prefix is not None:
                candidate = ".".join((prefix, *parts[end:]))
                return candidate if candidate in self.symbols else None
        return None

    def from_elsewhere(self, name: str) -> str | None:
        """What another package's name `name` (or the start of it) still imports, when our package re-exports it
        (`pydantic.ValidationError` after it became `from pydantic_core import ValidationError`); else None."""
        parts = name.split(".")
        for end in range(len(parts), 1, -1):
            found = self.foreign.get(".".join(parts[:end]))
            if found is not None:
                return found
        return None

    def get(self, name: str) -> Symbol | None:
        target = self.target(name)
        return self.symbols[target] if target is not None else None

    def names_in(self, path: str) -> tuple[str, ...]:
        """The qualified names defined in one file (the module's own first), without making their Symbols."""
        return self._names_by_path.get(path, ())

    def with_details(self, details: Details) -> SymbolTable:
        """This table over other versions of the same files whose outlines are unchanged (only bodies were edited)."""
        if not isinstance(self.symbols, _Symbols):
            raise TypeError("only a table built from outlines has details to replace")
        return replace(self, symbols=self.symbols.with_details(details))

    def copied_names(self) -> NameIndex | None:
        """A copy of the names the table was built from, each module's own publicity without re-exports; None when
        it was not built from pieces, or a name is defined by two files (which one wins depends on the order of
        files, so the names of one file cannot be replaced alone). `table_patch` makes the next table from it."""
        if not isinstance(self.symbols, _Symbols) or self.read_from_rows:
            return None
        if sum(map(len, self._names_by_path.values())) != len(self.kinds):
            return None
        own_public = set(self.public)
        own_public -= self._reexported
        return NameIndex(dict(self.symbols.where), dict(self.kinds), own_public, dict(self._names_by_path))

    def symbols_in(self, path: str) -> tuple[Symbol, ...]:
        """The symbols defined in one file, in source order."""
        module_file = self._files.get(path)
        if module_file is None or not isinstance(self.symbols, _Symbols):
            return ()
        return self.symbols.of_file(module_file)


def symbols_of(where: Mapping[str, ModuleFile], public: Set[str], details: Details) -> Mapping[str, Symbol]:
    """Qualified name -> Symbol over names held elsewhere (`indexed_table`), made file by file when asked for."""
    return _Symbols(where, public, details)


def build_table(modules: Iterable[tuple[ModuleFile, ModuleSymbols]]) -> SymbolTable:
    """Join the per-file symbols of one revision into a table, resolving re-exports."""
    pairs = list(modules)
    details = {module_file.path: symbols for module_file, symbols in pairs}
    return assemble_table(
        [make_piece(module_file, outline_of(symbols)) for module_file, symbols in pairs], lambda f: details[f.path]
    )


@dataclass(frozen=True, slots=True)
class TablePiece:
    """One file's share of a table: its outline read as the module it is (public flags, absolute import targets).

    A table is assembled from pieces; a pull-request head or a history step reuses the base's pieces
    and makes pieces only for the files that changed.
    """

    file: ModuleFile
    names: tuple[str, ...]  # local names in source order; "" is the module itself
    kinds: tuple[SymbolKind, ...]
    public: tuple[bool, ...]  # by the module's own rules (underscores, `__all__`); re-exports are added later
    imports: tuple[tuple[str, str], ...]  # `module.alias` -> the absolute name it imports
    stars: tuple[str, ...]  # modules it star-imports
    all_names: tuple[str, ...] | None = None
    dynamic_names: tuple[str, ...] | None = None
    error: tuple[int, str] | None = None
    # `other.name` -> our absolute name, for attributes it sets on modules it imports (`pytest.Testdir = Testdir`).
    attributes_set: tuple[tuple[str, str], ...] = ()
    aliased: tuple[tuple[str, str], ...] = ()  # (module, name) it makes a module serve with a warning


def make_piece(module_file: ModuleFile, outline: ModuleOutline) -> TablePiece:
    module = module_file.module
    module_public = not any(part.startswith("_") for part in module.split("."))
    imports: list[tuple[str, str]] = []
    attributes_set: list[tuple[str, str]] = []
    stars: list[str] = []
    for imported in outline.imports:
        if imported.level == ATTRIBUTE_SET:
            attributes_set.append((f"{imported.module}.{imported.alias}", f"{module}.{imported.name}"))
            continue
        source = _absolute_module(module_file, imported)
        if imported.name == "*":
            stars.append(source)
        else:
            target = f"{source}.{imported.name}" if imported.name else source
            alias = f"{module}.{imported.alias}"
            if alias != target:  # one string each: most are the same few names from outside (`typing.Any`)
                imports.append((alias, sys.intern(target)))
    return TablePiece(
        file=module_file,
        names=outline.names,
        kinds=outline.kinds,
        public=outline.public if module_public else (False,) * len(outline.names),
        imports=tuple(imports),
        stars=tuple(stars),
        all_names=outline.all_names,
        dynamic_names=outline.dynamic_names,
        error=outline.error,
        attributes_set=tuple(attributes_set),
        aliased=outline.aliased,
    )


def assemble_table(pieces: Iterable[TablePiece], details: Details) -> SymbolTable:
    """The table of one revision from its files' pieces (any order), resolving re-exports."""
    return finish_table(pieces, NameIndex({}, {}, set(), {}), details)


@dataclass(frozen=True, slots=True)
class NameIndex:
    """Every name the winning file of each module defines: the part of a table made name by name (a million names
    at 50,000 modules), which `table_patch` makes from an earlier table's by replacing a few files' names."""

    where: dict[str, ModuleFile]
    kinds: dict[str, SymbolKind]
    public: set[str]  # by the modules' own rules; re-exports are added by `finish_table`
    names_by_path: dict[str, tuple[str, ...]]

    def add(self, piece: TablePiece) -> None:
        # This runs for every name of the project on every cold check: kept to bulk dict and set operations.
        module_file = piece.file
        module = module_file.module
        prefix = module + "."
        qualnames = [prefix + name if name else module for name in piece.names]
        self.names_by_path[module_file.path] = tuple(qualnames)
        self.where.update(dict.fromkeys(qualnames, module_file))
        self.kinds.update(zip(qualnames, piece.kinds, strict=True))
        self.public.update(compress(qualnames, piece.public))


def finish_table(
    pieces: Iterable[TablePiece],
    names: NameIndex,
    details: Details,
    earlier: tuple[SymbolTable, frozenset[str]] | None = None,
) -> SymbolTable:
    """The table of these pieces, once `names` holds each module's winning piece's names. `earlier`: the table
    `names` was copied from (`table_patch`), and the paths whose names were taken out: only theirs are added."""
    module_of_path: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    parsed: dict[str, TablePiece] = {}
    ordered = sorted(pieces, key=lambda piece: piece.file.path)
    winners = {module: module_file.path for module, module_file in winning_files(p.file for p in ordered).items()}
    for piece in ordered:
        module_file = piece.file
        module_of_path[module_file.path] = module_file.module
        if piece.error is not None:
            diagnostics.append(piece_diagnostic(piece))
        if module_file.module in parsed or winners[module_file.module] != module_file.path:
            continue
        parsed[module_file.module] = piece
        if earlier is None or module_file.path in earlier[1]:
            names.add(piece)
    where, kinds, public = names.where, names.kinds, names.public
    # In the order of paths, whichever order the names were added in: short names list their owners in it.
    names_by_path = {piece.file.path: names.names_by_path[piece.file.path] for piece in parsed.values()}
    raw = raw_aliases(parsed, where)
    aliases = resolved_aliases(raw, where)
    targets, reexported = reexported_public(kinds, public, aliases, parsed)
    everyone = frozenset(chain(public, reexported))
    top_level = frozenset(module.partition(".")[0] for module in parsed)
    return SymbolTable(
        symbols=_Symbols(where, everyone, details),
        aliases=aliases,
        modules=module_of_path,
        by_short_name=ShortNames(names_by_path, _short_names_patch(earlier, where)),
        top_level=top_level,
        diagnostics=tuple(diagnostics),
        dynamic_names={
            module: frozenset(piece.dynamic_names)
            for module, piece in parsed.items()
            if piece.dynamic_names is not None
        },
        kinds=kinds,
        public=everyone,
        foreign=foreign_names(parsed, where, top_level),
        aliased=_aliased_by_module(parsed.values()),
        _files={piece.file.path: piece.file for piece in parsed.values()},
        _names_by_path=names_by_path,
        _reexported=frozenset(reexported),
        _imports=Imports(
            {alias: target for alias, target in raw.items() if target.partition(".")[0] in top_level},
            frozenset(targets),
            star_modules(parsed),
        ),
    )


def piece_diagnostic(piece: TablePiece) -> Diagnostic:
    """The warning about a file that does not parse (`piece.error` is set)."""
    line, message = piece.error or (0, "")
    return Diagnostic(
        piece.file.path,
        line,
        f"could not parse this file ({message}); only the names of its classes and functions are read",
    )


def winning_files(files: Iterable[ModuleFile]) -> dict[str, ModuleFile]:
    """Module -> the file that defines it, of these (in path order): `pkg/__init__.py` over `pkg.py`, as Python
    imports the package though `pkg.py` sorts first."""
    winners: dict[str, ModuleFile] = {}
    for module_file in sorted(files, key=lambda module_file: not module_file.is_package):
        winners.setdefault(module_file.module, module_file)
    return winners


def _short_names_patch(
    earlier: tuple[SymbolTable, frozenset[str]] | None, where: Mapping[str, ModuleFile]
) -> ShortNamesPatch | None:
    short_names = earlier[0].by_short_name if earlier is not None else None
    if earlier is None or not isinstance(short_names, ShortNames) or short_names.patch_pending:
        return None
    return ShortNamesPatch(short_names, earlier[0]._names_by_path, tuple(earlier[1]), where)


def _aliased_by_module(pieces: Iterable[TablePiece]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for piece in pieces:
        for module, name in piece.aliased:
            found.setdefault(module or piece.file.module, set()).add(name)
    return {module: frozenset(names) for module, names in found.items()}


def _qualname(module_file: ModuleFile, name: str) -> str:
    return f"{module_file.module}.{name}" if name else module_file.module


def _make_symbol(module_file: ModuleFile, local: LocalSymbol, public: Set[str]) -> Symbol:
    qualname = _qualname(module_file, local.name)
    return Symbol(
        qualname=qualname,
        kind=local.kind,
        path=module_file.path,
        line=local.line,
        end_line=local.end_line,
        fingerprint=local.fingerprint,
        signature=local.signature,
        public=qualname in public,
        deprecated=local.deprecated,
        deprecated_parameters=local.deprecated_parameters,
    )


def _is_public_name(name: str, exported: frozenset[str] | None) -> bool:
    """Whether a name of a public module is public: listed in `__all__` (if any), no part private."""
    if not name:
        return True
    first, _, rest = name.partition(".")
    if not (first in exported if exported is not None else not first.startswith("_")):
        return False
    return not rest or not (rest.startswith("_") or "._" in rest)


def _absolute_module(importer: ModuleFile, imported: ImportedName) -> str:
    if imported.level == 0:
        return imported.module
    package = importer.module if importer.is_package else importer.module.rpartition(".")[0]
    for _ in range(imported.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{imported.module}" if imported.module and package else imported.module or package
