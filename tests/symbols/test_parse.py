"""Grammar newer than the running interpreter (PEP 695, 701, 750, 758) is read through libcst, line for line."""

from __future__ import annotations

import sys

import pytest

from docsync.references.scan import scan_doc
from docsync.symbols.extract import extract_module
from docsync.symbols.parse import lower, parse_python

NEWER = {
    "type parameters": ("class Box[T]:\n    def get[U](self, default: U) -> T | U:\n        return default\n", ["", "Box", "Box.get"]),
    "type statement": ("type Pair[T] = tuple[T, T]\n\ndef first(p):\n    return p[0]\n", ["", "Pair", "first"]),
    "nested f-string quotes": ('def show(d):\n    return f"{d["key"]}"\n', ["", "show"]),
    "t-string": ('def greet(name):\n    return t"hi {name}"\n', ["", "greet"]),
    "except without parentheses": ("def safe():\n    try:\n        pass\n    except ValueError, TypeError:\n        pass\n", ["", "safe"]),
}  # fmt: skip


@pytest.mark.parametrize(("source", "names"), NEWER.values(), ids=NEWER.keys())
def test_newer_grammar_gives_its_symbols(source: str, names: list[str]) -> None:
    module = extract_module(source.encode())
    assert module.error is None
    assert [s.name for s in module.symbols] == names


def test_lines_are_kept() -> None:
    source = 'class A[T]:\n    x = f"""\n{1}\n"""\n\n    def m(self):\n        pass\n'
    method = next(s for s in extract_module(source.encode()).symbols if s.name == "A.m")
    assert (method.line, method.end_line) == (6, 7)


def test_what_neither_parser_reads_is_an_error_with_the_line() -> None:
    assert extract_module(b"x = 1\ndef (:\n").error == (2, "invalid syntax")
    assert lower("def (:\n") is None
    with pytest.raises(SyntaxError):
        parse_python("def (:\n")


def test_an_example_in_newer_grammar_is_checked() -> None:
    doc = b"# Boxes\n\n```python\nfrom shop.box import Box\ntype Pair = tuple[Box, Box]\nBox(size=2)\n```\n"
    scan = scan_doc("docs/a.md", doc)
    assert scan.diagnostics == ()
    assert [(c.name, c.keywords) for c in scan.calls] == [("shop.box.Box", ("size",))]


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the fallback is for interpreters older than the grammar")
def test_the_lowered_code_drops_the_type_parameters() -> None:
    assert lower("class A[T]: pass\n") == "class A: pass\n"


def test_the_runtime_definition_wins_over_the_type_checkers() -> None:
    """aiohttp's `if TYPE_CHECKING: def get(self, url, **kwargs: Unpack[...])` / `else: def get(..., data=None)`:
    calls meet the runtime one."""
    source = (
        "from typing import TYPE_CHECKING\n\nclass S:\n    if TYPE_CHECKING:\n        def get(self, url, **kwargs): ...\n"
        "    else:\n        def get(self, url, *, data=None): pass\n"
    )
    method = next(s for s in extract_module(source.encode()).symbols if s.name == "S.get")
    assert method.signature is not None
    assert method.signature.text == "(self, url, *, data=None)"
