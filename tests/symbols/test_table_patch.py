"""A table patched from an earlier one is the table assembled from scratch, or is not made at all."""

from __future__ import annotations

import random
import textwrap

import pytest

from docsync.symbols.extract import extract_module
from docsync.symbols.layout import find_modules
from docsync.symbols.table import SymbolTable, TablePiece, assemble_table, make_piece, outline_of
from docsync.symbols.table_patch import patched_table


def _pieces(files: dict[str, str]) -> dict[str, TablePiece]:
    found = find_modules(files, ("src",))
    return {
        path: make_piece(module, outline_of(extract_module(textwrap.dedent(files[path]).encode())))
        for path, module in found.items()
    }


def _no_details(module_file: object) -> object:
    raise AssertionError("a table is compared by its outline only")


def _fields(table: SymbolTable) -> dict[str, object]:
    return {
        "symbols": sorted(table.symbols),
        "aliases": dict(table.aliases),
        "modules": dict(table.modules),
        "short": {name: table.by_short_name[name] for name in table.by_short_name},
        "top_level": table.top_level,
        "diagnostics": table.diagnostics,
        "dynamic": dict(table.dynamic_names),
        "aliased": dict(table.aliased),
        "kinds": dict(table.kinds),
        "public": table.public,
        "foreign": dict(table.foreign),
        "names_in": {path: table.names_in(path) for path in table.modules},
    }


def _project(count: int) -> dict[str, str]:
    files = {"src/shop/__init__.py": "from .core.m0 import Item0\nfrom ._impl import helper\nimport logging\n"}
    files["src/shop/_impl.py"] = "__all__ = ['helper']\ndef helper(): ...\n"
    files["src/shop/core/__init__.py"] = "from .m1 import *\n"
    for number in range(count):
        files[f"src/shop/core/m{number}.py"] = (
            f"from shop.core.m{(number + 1) % count} import func{(number + 1) % count} as next_func\n"
            f"from collections import OrderedDict\n"
            f"class Item{number}:\n    def total(self): ...\n    def _hidden(self): ...\n"
            f"def func{number}(a, b=1): ...\n"
        )
    return files


EDITS = {
    "a function renamed": lambda files: files.update(
        {"src/shop/core/m3.py": "def renamed3(a): ...\nclass Item3: ...\n"}
    ),
    "a method added beside one every module has": lambda files: files.update(
        {
            "src/shop/core/m3.py": "class Zeta:\n    def total(self): ...\nclass Item3:\n    def total(self): ...\ndef func3(a): ...\n"
        }
    ),
    "a module added": lambda files: files.update(
        {"src/shop/core/extra.py": "from .m2 import func2\ndef extra(): ...\n"}
    ),
    "a module removed": lambda files: files.pop("src/shop/core/m5.py"),
    "a re-exported name gone": lambda files: files.update({"src/shop/core/m0.py": "def func0(): ...\n"}),
    "a star-exported module changed": lambda files: files.update({"src/shop/core/m1.py": "def only_one(): ...\n"}),
    "a private module's export renamed": lambda files: files.update(
        {"src/shop/_impl.py": "__all__ = ['helper2']\ndef helper2(): ...\n"}
    ),
    "a syntax error": lambda files: files.update({"src/shop/core/m7.py": "def broken(:\n"}),
    "a __getattr__ added": lambda files: files.update(
        {
            "src/shop/core/m8.py": "def __getattr__(name):\n    if name == 'old':\n        return 1\n    raise AttributeError\n"
        }
    ),
}


@pytest.mark.parametrize("build_short_names", [True, False])
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_patched_table_is_the_assembled_one(edit: str, build_short_names: bool) -> None:
    before_files = _project(40)
    after_files = dict(before_files)
    EDITS[edit](after_files)
    before, after = _pieces(before_files), _pieces(after_files)
    earlier = assemble_table(before.values(), _no_details)  # type: ignore[arg-type]
    if build_short_names:
        _fields(earlier)  # the patched table's short names are then patched too
    patched = patched_table(earlier, before, list(after.values()), _no_details)  # type: ignore[arg-type]
    assert patched is not None  # each of these edits is patched, not assembled again
    assert _fields(patched) == _fields(assemble_table(after.values(), _no_details))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "edit",
    [
        # A name another file defines too (`shop.core.m4.Item4` by a module of that name): the order of files decides.
        {"src/shop/core/m4/Item4.py": "def f(): ...\n"},
        # A module next to a package of the same name: the package wins, whichever file changed.
        {"src/shop/core/m6/__init__.py": "def g(): ...\n"},
        # Most files changed: assembling again is as quick.
        {f"src/shop/core/m{n}.py": f"def other{n}(): ...\n" for n in range(30)},
    ],
)
def test_what_the_order_of_files_decides_or_a_large_change_is_not_patched(edit: dict[str, str]) -> None:
    before_files = _project(40)
    before, after = _pieces(before_files), _pieces({**before_files, **edit})
    earlier = assemble_table(before.values(), _no_details)  # type: ignore[arg-type]
    assert patched_table(earlier, before, list(after.values()), _no_details) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "twice",
    [
        "src/shop/core/m4/Item4.py",  # `shop.core.m4.Item4`, a class of m4.py, is this module too
        "src/shop/core/m6/__init__.py",  # the package wins over m6.py; once it is gone, m6.py's names count
    ],
)
def test_removing_one_of_two_files_that_define_a_name_is_not_patched(twice: str) -> None:
    before_files = {**_project(40), twice: "def g(): ...\n"}
    after_files = {path: text for path, text in before_files.items() if path != twice}
    before, after = _pieces(before_files), _pieces(after_files)
    earlier = assemble_table(before.values(), _no_details)  # type: ignore[arg-type]
    assert patched_table(earlier, before, list(after.values()), _no_details) is None  # type: ignore[arg-type]


def test_a_walk_of_random_edits_patches_each_table_from_the_one_before() -> None:
    rng = random.Random(7)
    files = _project(60)
    pieces = _pieces(files)
    table = assemble_table(pieces.values(), _no_details)  # type: ignore[arg-type]
    patched_count = 0
    for _ in range(25):
        EDITS[rng.choice(sorted(EDITS))](files) if rng.random() < 0.5 else files.update(
            {
                f"src/shop/core/m{rng.randrange(60)}.py": f"def f{rng.randrange(9)}(): ...\nclass C{rng.randrange(9)}: ...\n"
            }
        )
        after = _pieces(files)
        patched = patched_table(table, pieces, list(after.values()), _no_details)  # type: ignore[arg-type]
        assembled = assemble_table(after.values(), _no_details)  # type: ignore[arg-type]
        if patched is not None:
            patched_count += 1
            assert _fields(patched) == _fields(assembled)
        table, pieces = patched or assembled, after
    assert patched_count >= 20


def test_a_walk_never_chains_short_name_patches() -> None:
    """Each patched table's short names lead back one table at most: a long walk holds no earlier table's names."""
    files = _project(60)
    pieces = _pieces(files)
    table = assemble_table(pieces.values(), _no_details)  # type: ignore[arg-type]
    for number in range(6):
        files[f"src/shop/core/m{number}.py"] = f"def walked{number}(): ...\n"
        after = _pieces(files)
        patched = patched_table(table, pieces, list(after.values()), _no_details)  # type: ignore[arg-type]
        assert patched is not None
        earlier_short_names = table.by_short_name
        assert not (patched.by_short_name.patch_pending and earlier_short_names.patch_pending)  # type: ignore[attr-defined]
        table, pieces = patched, after
    assert _fields(table) == _fields(assemble_table(pieces.values(), _no_details))  # type: ignore[arg-type]
