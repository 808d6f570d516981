"""A table read back from its rows (and its files' outlines) answers every lookup as the table it was made from."""

from __future__ import annotations

import json
import textwrap
from typing import Any

import pytest

from docsync.models import SymbolKind
from docsync.symbols.extract import ModuleSymbols, extract_module
from docsync.symbols.indexed_table import HEAD, aliases_to, indexed_table
from docsync.symbols.layout import ModuleFile, find_modules
from docsync.symbols.table import SymbolTable, TablePiece, assemble_table, make_piece, outline_of
from docsync.symbols.table_rows import rows_of

from .test_table_patch import EDITS, _project

_SOURCES: dict[str, ModuleSymbols] = {}  # path -> the symbols of the table built last


def _details(module_file: ModuleFile) -> ModuleSymbols:
    return _SOURCES[module_file.path]


def _built(files: dict[str, str]) -> tuple[SymbolTable, dict[str, ModuleFile], dict[str, TablePiece]]:
    modules = find_modules(files, ("src",))
    _SOURCES.clear()
    _SOURCES.update({path: extract_module(textwrap.dedent(files[path]).encode()) for path in modules})
    pieces = {path: make_piece(module, outline_of(_SOURCES[path])) for path, module in modules.items()}
    return assemble_table(pieces.values(), _details), modules, pieces


def _read_back(
    table: SymbolTable, modules: dict[str, ModuleFile], pieces: dict[str, TablePiece], fetched: list[str]
) -> SymbolTable:
    rows = json.loads(json.dumps(rows_of(table)))  # as the cache keeps them

    def fetch(keys: list[str]) -> dict[str, Any]:
        fetched.extend(keys)
        return {key: rows[key] for key in keys if key in rows}

    def scan(prefix: str) -> dict[str, Any]:
        return {key: row for key, row in rows.items() if key.startswith(prefix)}

    return indexed_table(rows[HEAD], modules, fetch, scan, lambda f: pieces[f.path], _details)


def _lookups(table: SymbolTable, names: set[str], paths: set[str], shorts: set[str]) -> dict[str, object]:
    """Every answer resolution and drift detection ask a table for, by point lookups."""
    return {
        "where": {name: (table.symbols.where.get(name) if name in table.symbols else None) for name in names},  # type: ignore[attr-defined]
        "kinds": {name: table.kinds.get(name) for name in names},
        "public": {name: name in table.public for name in names},
        "aliases": {name: table.aliases.get(name) for name in names},
        "target": {name: table.target(name) for name in names},
        "foreign": {name: table.from_elsewhere(name) for name in names},
        "short": {short: table.by_short_name.get(short) for short in shorts},
        "modules": {path: table.modules.get(path) for path in paths},
        "names_in": {path: table.names_in(path) for path in paths},
        "symbols_in": {path: table.symbols_in(path) for path in paths},
        "symbols": {name: table.get(name) for name in names},
        "top_level": table.top_level,
        "diagnostics": table.diagnostics,
        "dynamic": dict(table.dynamic_names),
        "aliased": dict(table.aliased),
        "may_have": {name: table.may_have(*name.rpartition(".")[::2]) for name in names if "." in name},
    }


def _asked(table: SymbolTable, files: dict[str, str]) -> tuple[set[str], set[str], set[str]]:
    names = set(table.symbols) | set(table.aliases) | set(table.foreign) | {"shop.core.nothing", "shop", "other.x"}
    names |= {f"{name}.deeper" for name in list(names)[:50]}
    shorts = {name.rpartition(".")[2] for name in names} | {"absent"}
    return names, set(files) | {"src/shop/nothing.py"}, shorts


CASES = {
    "a project": {},
    **{name: {"edit": edit} for name, edit in EDITS.items()},
    "a name two files define": {  # `shop.core.m4.total`: a function of the package, and a module
        "extra": {"src/shop/core/m4/__init__.py": "def total(): ...\n", "src/shop/core/m4/total.py": "X = 1\n"}
    },
    "a package beside a module of its name": {
        "extra": {
            "src/shop/twin.py": "def from_module(): ...\n",
            "src/shop/twin/__init__.py": "def from_package(): ...\n",
        }
    },
    "a class and a module of one name": {
        "extra": {"src/shop/core/m6/__init__.py": "class Item6: ...\n", "src/shop/core/m6/Item6.py": "Y = 2\n"}
    },
    "a public module re-exporting a private one's names": {
        "extra": {"src/shop/api.py": "from shop._impl import helper\n__all__ = ['helper']\n"}
    },
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_table_read_from_rows_answers_as_the_table_it_was_made_from(case: str) -> None:
    files = _project(10)
    files.update(CASES[case].get("extra", {}))
    if "edit" in CASES[case]:
        CASES[case]["edit"](files)
    table, modules, pieces = _built(files)
    assert (case != "a name two files define") or table.copied_names() is None  # the case is what it says
    fetched: list[str] = []
    read = _read_back(table, modules, pieces, fetched)
    names, paths, shorts = _asked(table, files)
    assert _lookups(read, names, paths, shorts) == _lookups(table, names, paths, shorts)
    # Walking a whole mapping reads every row: the same names, the same order of short names' owners.
    assert set(read.symbols) == set(table.symbols)
    assert dict(read.aliases) == dict(table.aliases)
    assert dict(read.by_short_name) == dict(table.by_short_name)
    assert dict(read.modules) == dict(table.modules)
    assert set(read.public) == set(table.public)
    assert len(read.symbols) == len(table.symbols)
    assert len(read.aliases) == len(table.aliases)


def test_a_lookup_reads_a_few_rows_not_the_table() -> None:
    table, modules, pieces = _built(_project(200))
    fetched: list[str] = []
    read = _read_back(table, modules, pieces, fetched)
    assert read.target("shop.core.m7.Item7.total") == "shop.core.m7.Item7.total"
    assert read.target("shop.Item0") == "shop.core.m0.Item0"
    assert read.kinds["shop.core.m7.func7"] is SymbolKind.FUNCTION
    assert read.by_short_name["func7"] == ("shop.core.m7.func7",)
    assert 0 < len(fetched) <= 6, fetched


def test_rows_of_another_tree_are_refused() -> None:
    table, modules, pieces = _built(_project(10))
    rows = rows_of(table)
    fewer = {path: module for path, module in modules.items() if not path.endswith("m9.py")}
    with pytest.raises(ValueError, match="another tree"):
        indexed_table(rows[HEAD], fewer, rows.get, lambda prefix: {}, lambda f: pieces[f.path], _details)  # type: ignore[arg-type]


@pytest.mark.parametrize("case", ["a project", "a public module re-exporting a private one's names"])
def test_the_names_leading_to_a_symbol_are_found_backwards_through_the_rows(case: str) -> None:
    files = {**_project(10), **CASES[case].get("extra", {})}
    table, modules, pieces = _built(files)
    fetched: list[str] = []
    read = _read_back(table, modules, pieces, fetched)
    targets = set(table.aliases.values()) | {"shop.core.m3.func3", "shop.nothing"}
    assert {t: sorted(aliases_to(read, t)) for t in targets} == {t: sorted(aliases_to(table, t)) for t in targets}
    assert sorted(aliases_to(read, "shop.core.m0.Item0")) == ["shop.Item0"]
