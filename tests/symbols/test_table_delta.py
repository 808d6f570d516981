"""A table read over another tree's rows with an overlay answers as the table assembled from its own files."""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from typing import Any

import pytest

from docsync.symbols.indexed_table import HEAD, indexed_table
from docsync.symbols.layout import ModuleFile
from docsync.symbols.overlay import Overlay, decode_overlay, encode_overlay
from docsync.symbols.table import SymbolTable, TablePiece, assemble_table
from docsync.symbols.table_delta import table_overlay
from docsync.symbols.table_rows import rows_of

from .test_table_patch import EDITS, _fields, _no_details, _pieces, _project

Pieces = dict[str, TablePiece]


def _whole(pieces: Pieces) -> dict[str, Any]:
    """The rows of the table of `pieces`, as the cache gives them back."""
    return json.loads(json.dumps(rows_of(assemble_table(pieces.values(), _no_details))))  # type: ignore[arg-type]


def _read(rows: Mapping[str, Any], pieces: Pieces, overlay: Overlay | None = None) -> SymbolTable:
    def scan(prefix: str) -> dict[str, Any]:
        return {key: row for key, row in rows.items() if key.startswith(prefix)}

    files = {path: piece.file for path, piece in pieces.items()}
    fetch = lambda keys: {key: rows[key] for key in keys if key in rows}  # noqa: E731
    return indexed_table(rows[HEAD], files, fetch, scan, _piece_of(pieces), _no_details, overlay)  # type: ignore[arg-type]


def _piece_of(pieces: Pieces) -> Any:
    return lambda module_file: pieces[module_file.path]


def _overlaid(rows: Mapping[str, Any], base: SymbolTable, before: Pieces, after: Pieces) -> SymbolTable | None:
    """The table of `after` over `rows` (the whole table under `base`, whose pieces are `before`), or None."""
    changed = {
        path: (before.get(path), after.get(path))
        for path in before.keys() | after.keys()
        if before.get(path) != after.get(path)
    }
    files: dict[str, ModuleFile] = {path: piece.file for path, piece in after.items()}
    overlay = table_overlay(base, files, changed, _piece_of(after))
    if overlay is None:
        return None
    kept = decode_overlay(json.loads(json.dumps(encode_overlay(overlay))))  # as the cache keeps it
    return _read(rows, after, kept)


def _same(table: SymbolTable, pieces: Pieces) -> None:
    assembled = assemble_table(pieces.values(), _no_details)  # type: ignore[arg-type]
    assert _fields(table) == _fields(assembled)
    assert table._reexported == assembled._reexported
    assert (len(table.symbols), len(table.aliases), len(table.by_short_name)) == (
        len(assembled.symbols),
        len(assembled.aliases),
        len(assembled.by_short_name),
    )


FOLLOWED = sorted(set(EDITS) - {"a star-exported module changed"})
MORE = {
    "a re-exported class renamed": {"src/shop/core/m0.py": "class Renamed0:\n    def total(self): ...\n"},
    "a private module's name re-exported anew": {
        "src/shop/_impl.py": "__all__ = ['helper', 'extra']\ndef helper(): ...\ndef extra(): ...\n",
        "src/shop/__init__.py": "from .core.m0 import Item0\nfrom ._impl import helper, extra\nimport logging\n",
    },
    "a re-export through two modules": {
        "src/shop/api/__init__.py": "from .inner import Item2\n",
        "src/shop/api/inner.py": "from shop.core.m2 import Item2\n",
    },
    "an import of a name that now exists": {"src/shop/core/m9.py": "from shop.core.m3 import later3\n"},
    "a package importing from outside": {"src/shop/ext/__init__.py": "from json import dumps\nfrom os import path\n"},
}


@pytest.mark.parametrize("edit", FOLLOWED)
def test_an_overlaid_table_is_the_assembled_one(edit: str) -> None:
    before_files = _project(40)
    after_files = dict(before_files)
    EDITS[edit](after_files)
    before, after = _pieces(before_files), _pieces(after_files)
    rows = _whole(before)
    overlaid = _overlaid(rows, _read(rows, before), before, after)
    assert overlaid is not None  # each of these edits is followed name by name
    _same(overlaid, after)


@pytest.mark.parametrize("edit", sorted(MORE))
def test_re_exports_follow_the_change(edit: str) -> None:
    before_files = {**_project(40), "src/shop/core/m9.py": "def later3_user(): ...\n"}
    after_files = {**before_files, **MORE[edit]}
    if edit == "an import of a name that now exists":  # the import first, then the name it imports
        before_files = after_files
        after_files = {**before_files, "src/shop/core/m3.py": "def later3(): ...\nclass Item3: ...\n"}
    before, after = _pieces(before_files), _pieces(after_files)
    rows = _whole(before)
    overlaid = _overlaid(rows, _read(rows, before), before, after)
    assert overlaid is not None
    _same(overlaid, after)


def test_a_star_import_or_a_name_two_files_define_is_not_followed() -> None:
    """Which names a star import binds, and which of two files wins, are not followed name by name: no overlay (the
    table is assembled). A new package beside them is followed."""
    before_files = _project(40)
    before = _pieces(before_files)
    rows = _whole(before)
    base = _read(rows, before)
    for edit in (
        {"src/shop/core/m1.py": "def only_one(): ...\n"},  # star-imported by shop.core
        {"src/shop/core/m4/Item4.py": "def f(): ...\n"},  # `shop.core.m4.Item4` twice
    ):
        assert _overlaid(rows, base, before, _pieces({**before_files, **edit})) is None, edit
    after = _pieces({**before_files, "src/shop/newpkg/__init__.py": "X = 1\n"})
    overlaid = _overlaid(rows, base, before, after)
    assert overlaid is not None
    _same(overlaid, after)


def test_a_walk_of_random_edits_overlays_each_table_on_the_one_before() -> None:
    rng = random.Random(11)
    files = _project(60)
    pieces = _pieces(files)
    rows = _whole(pieces)
    table = _read(rows, pieces)
    overlaid_count = 0
    for _ in range(30):
        number = rng.randrange(2, 60)
        choice = rng.random()
        if choice < 0.3:
            EDITS[rng.choice([edit for edit in FOLLOWED if edit != "a module removed"])](files)
        elif choice < 0.5:
            files[f"src/shop/extra{rng.randrange(5)}.py"] = f"from shop.core.m{number} import func{number}\n"
        elif choice < 0.6:
            files.pop(f"src/shop/extra{rng.randrange(5)}.py", None)
        else:
            files[f"src/shop/core/m{number}.py"] = (
                f"from shop.core.m{rng.randrange(2, 60)} import func{rng.randrange(60)} as next_func\n"
                f"def func{number if rng.random() < 0.5 else rng.randrange(9)}(): ...\nclass C{rng.randrange(9)}: ...\n"
            )
        after = _pieces(files)
        overlaid = _overlaid(rows, table, pieces, after)
        if overlaid is not None:
            overlaid_count += 1
            _same(overlaid, after)
            table = overlaid
        else:  # assembled again: the next overlays are over its rows
            rows = _whole(after)
            table = _read(rows, after)
        pieces = after
    assert overlaid_count >= 20


def test_an_import_moved_by_one_overlay_follows_the_next_change_of_what_it_imports() -> None:
    """The second overlay finds `m5.next_func` among the importers of `m9.func9` only through the first's rows."""
    files = _project(40)
    pieces = _pieces(files)
    rows = _whole(pieces)
    table: SymbolTable | None = _read(rows, pieces)
    for edit in (
        {"src/shop/core/m5.py": "from shop.core.m9 import func9 as next_func\ndef func5(): ...\n"},
        {"src/shop/core/m9.py": "def func99(): ...\n"},
    ):
        after = _pieces({**files, **edit})
        assert table is not None
        table = _overlaid(rows, table, pieces, after)
        assert table is not None
        _same(table, after)
        files, pieces = {**files, **edit}, after
    assert table is not None
    assert "shop.core.m5.next_func" not in table.aliases


def test_rows_an_older_docsync_wrote_give_no_overlay() -> None:
    """Rows without who-imports-what (written before overlays) cannot be followed: the table is assembled."""
    before_files = _project(40)
    after_files = dict(before_files)
    EDITS["a function renamed"](after_files)
    before, after = _pieces(before_files), _pieces(after_files)
    rows = _whole(before)
    del rows[HEAD]["delta_base"]
    base = _read(rows, before)
    assert base._kept is None
    assert _overlaid(rows, base, before, after) is None
