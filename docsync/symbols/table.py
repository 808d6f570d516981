"""SymbolTable for one revision: symbols by qualified name, re-export aliases, short names, file → module."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from docsync.models import Diagnostic, Symbol, SymbolKind
from docsync.symbols.extract import ImportedName, LocalSymbol, ModuleSymbols
from docsync.symbols.layout import ModuleFile

_MAX_ALIAS_HOPS = 10


@dataclass(frozen=True, slots=True)
class SymbolTable:
    """Every symbol of the project at one revision. Built only by `build_table`."""

    symbols: Mapping[str, Symbol]
    aliases: Mapping[str, str]  # `shop.add_item` -> `shop.cart.add_item`
    modules: Mapping[str, str]  # `src/shop/cart.py` -> `shop.cart`
    by_short_name: Mapping[str, tuple[str, ...]]
    top_level: frozenset[str]  # the names a project-looking dotted name starts with
    diagnostics: tuple[Diagnostic, ...] = ()
    _by_path: Mapping[str, tuple[Symbol, ...]] = field(default_factory=dict)
    # Modules with a `__getattr__` that serves only these names (see `ModuleSymbols.dynamic_names`).
    dynamic_names: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def may_have(self, module: str, name: str) -> bool:
        """Whether `module.name` may exist although we cannot see it: a module `__getattr__` serves it."""
        if f"{module}.__getattr__" not in self.symbols:
            return False
        served = self.dynamic_names.get(module)
        return served is None or name in served

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

    def get(self, name: str) -> Symbol | None:
        target = self.target(name)
        return self.symbols[target] if target is not None else None

    def symbols_in(self, path: str) -> tuple[Symbol, ...]:
        """The symbols defined in one file, in source order."""
        return self._by_path.get(path, ())


def build_table(
    modules: Iterable[tuple[ModuleFile, ModuleSymbols]],
    memo: dict[tuple[str, str, int], tuple[Symbol, ...]] | None = None,
) -> SymbolTable:
    """Join the per-file symbols of one revision into a table, resolving re-exports.

    `memo` lets tables of several revisions share the Symbols of the files they have in common;
    its keys hold `id()` of the ModuleSymbols, so the caller must keep those alive (the loader does).
    """
    symbols: dict[str, Symbol] = {}
    by_path: dict[str, tuple[Symbol, ...]] = {}
    module_of_path: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    parsed: dict[str, tuple[ModuleFile, ModuleSymbols]] = {}
    ordered = sorted(modules, key=lambda pair: pair[0].path)
    # `pkg.py` next to `pkg/__init__.py`: Python imports the package, though `pkg.py` sorts first.
    winners: dict[str, str] = {}
    for module_file, _ in sorted(ordered, key=lambda pair: not pair[0].is_package):
        winners.setdefault(module_file.module, module_file.path)
    for module_file, extracted in ordered:
        module_of_path[module_file.path] = module_file.module
        if extracted.error is not None:
            line, message = extracted.error
            diagnostics.append(
                Diagnostic(module_file.path, line, f"could not parse this file ({message}); its symbols are skipped")
            )
        if module_file.module in parsed or winners[module_file.module] != module_file.path:
            continue
        parsed[module_file.module] = (module_file, extracted)
        key = (module_file.path, module_file.module, id(extracted))
        own = memo.get(key) if memo is not None else None
        if own is None:
            own = tuple(_make_symbol(module_file, local, extracted.all_names) for local in extracted.symbols)
            if memo is not None:
                memo[key] = own
        by_path[module_file.path] = own
        for symbol in own:
            symbols[symbol.qualname] = symbol
    aliases = _resolve_aliases(parsed, symbols)
    symbols = _mark_reexported_public(symbols, aliases, parsed)
    by_path = {path: tuple(symbols[s.qualname] for s in own) for path, own in by_path.items()}
    short: dict[str, list[str]] = {}
    for qualname in symbols:
        short.setdefault(qualname.rpartition(".")[2], []).append(qualname)
    return SymbolTable(
        symbols=symbols,
        aliases=aliases,
        modules=module_of_path,
        by_short_name={name: tuple(names) for name, names in short.items()},
        top_level=frozenset(module.partition(".")[0] for module in parsed),
        diagnostics=tuple(diagnostics),
        _by_path=by_path,
        dynamic_names={
            module: frozenset(extracted.dynamic_names)
            for module, (_, extracted) in parsed.items()
            if extracted.dynamic_names is not None
        },
    )


def _make_symbol(module_file: ModuleFile, local: LocalSymbol, all_names: tuple[str, ...] | None) -> Symbol:
    qualname = f"{module_file.module}.{local.name}" if local.name else module_file.module
    return Symbol(
        qualname=qualname,
        kind=local.kind,
        path=module_file.path,
        line=local.line,
        end_line=local.end_line,
        fingerprint=local.fingerprint,
        signature=local.signature,
        public=_is_public(module_file.module, local.name, all_names),
    )


def _is_public(module: str, name: str, all_names: tuple[str, ...] | None) -> bool:
    if any(part.startswith("_") for part in module.split(".")):
        return False
    if not name:
        return True
    first, *rest = name.split(".")
    top_public = first in all_names if all_names is not None else not first.startswith("_")
    return top_public and not any(part.startswith("_") for part in rest)


def _absolute_module(importer: ModuleFile, imported: ImportedName) -> str:
    if imported.level == 0:
        return imported.module
    package = importer.module if importer.is_package else importer.module.rpartition(".")[0]
    for _ in range(imported.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{imported.module}" if imported.module and package else imported.module or package


def _resolve_aliases(
    parsed: Mapping[str, tuple[ModuleFile, ModuleSymbols]], symbols: Mapping[str, Symbol]
) -> dict[str, str]:
    raw: dict[str, str] = {}
    stars: list[tuple[str, str]] = []
    for module, (module_file, extracted) in parsed.items():
        for imported in extracted.imports:
            source = _absolute_module(module_file, imported)
            if imported.name == "*":
                stars.append((module, source))
                continue
            target = f"{source}.{imported.name}" if imported.name else source
            alias = f"{module}.{imported.alias}"
            if alias != target and alias not in symbols:
                raw[alias] = target
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


def _exported_names(
    module: str, parsed: Mapping[str, tuple[ModuleFile, ModuleSymbols]], raw: Mapping[str, str]
) -> list[str]:
    """What `from module import *` binds: `__all__`, else its public top-level names."""
    if module not in parsed:
        return []
    _, extracted = parsed[module]
    if extracted.all_names is not None:
        return list(extracted.all_names)
    names = [s.name for s in extracted.symbols if s.name and "." not in s.name and not s.name.startswith("_")]
    prefix = module + "."
    names += [a[len(prefix) :] for a in raw if a.startswith(prefix) and "." not in a[len(prefix) :]]
    return [n for n in names if not n.startswith("_")]


def _mark_reexported_public(
    symbols: dict[str, Symbol],
    aliases: Mapping[str, str],
    parsed: Mapping[str, tuple[ModuleFile, ModuleSymbols]],
) -> dict[str, Symbol]:
    """A symbol of a private module re-exported by a public one (`from ._impl import f`) is public."""
    reexported: set[str] = set()
    for alias, target in aliases.items():
        module, _, name = alias.rpartition(".")
        if module not in parsed:
            continue
        module_file, extracted = parsed[module]
        all_names = extracted.all_names
        # A package's `__init__` re-exports what it imports; any other module only what `__all__` lists
        # (`from ._compat import isatty` in `utils.py` is for its own use).
        exported = name in all_names if all_names is not None else module_file.is_package
        if exported and _is_public(module, name, all_names) and not symbols[target].public:
            reexported.add(target)
    if not reexported:
        return symbols
    for qualname, symbol in list(symbols.items()):
        if symbol.public or symbol.kind is SymbolKind.MODULE:
            continue
        parts = qualname.split(".")
        # Public when re-exported itself, or a public member (`Cart.total`) of a re-exported class.
        owners = (".".join(parts[:end]) for end in range(len(parts), 0, -1))
        owner = next((o for o in owners if o in reexported), None)
        if owner is not None and not any(p.startswith("_") for p in qualname[len(owner) :].split(".")):
            symbols[qualname] = replace(symbol, public=True)
    return symbols
