"""Fingerprints: (old code, new code) → which parts changed, as griffe's test_diff does for breakages."""

from __future__ import annotations

import ast
import sys
import textwrap
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docsync.symbols import fingerprint
from docsync.symbols.extract import extract_module
from docsync.symbols.fingerprint import PLACEHOLDER, canonical

T = TypeVar("T")

SIGNATURE, BODY, DOCSTRING = "signature", "body", "docstring"


def parts_changed(old: str, new: str, name: str) -> set[str]:
    def fingerprint(source: str) -> tuple[str, str, str]:
        symbols = {s.name: s for s in extract_module(textwrap.dedent(source).encode()).symbols}
        fp = symbols[name].fingerprint
        return fp.signature, fp.body, fp.docstring

    return {
        part
        for part, a, b in zip((SIGNATURE, BODY, DOCSTRING), fingerprint(old), fingerprint(new), strict=True)
        if a != b
    }


CASES = [
    # --- never drift: formatting, comments, quotes, trailing commas, blank lines, type comments ---
    (
        "formatting",
        "def f(a,b):\n    return a+b\n",
        "def f(\n    a,\n    b,\n):\n    return (a + b)\n",
        "f",
        set(),
    ),
    (
        "comment only",
        "def f(a):\n    return a\n",
        "def f(a):  # the input\n    # give it back\n    return a\n",
        "f",
        set(),
    ),
    ("quote style", "def f():\n    return 'x'\n", 'def f():\n    return "x"\n', "f", set()),
    (
        "trailing comma in call",
        "def f():\n    g(1, 2)\n",
        "def f():\n    g(\n        1,\n        2,\n    )\n",
        "f",
        set(),
    ),
    (
        "blank lines",
        "def f():\n    a = 1\n    return a\n",
        "def f():\n\n    a = 1\n\n\n    return a\n",
        "f",
        set(),
    ),
    (
        "type comment",
        "def f(a):\n    x = []\n    return x\n",
        "def f(a):\n    x = []  # type: list[int]\n    return x\n",
        "f",
        set(),
    ),
    ("string concatenation style", "X = 'ab'\n", "X = (\n    'ab'\n)\n", "X", set()),
    (
        "import order in body",
        "def f():\n    import os\n    import sys\n    return os, sys\n",
        "def f():\n    import sys\n    import os\n    return os, sys\n",
        "f",
        set(),
    ),
    (
        "docstring re-wrapped",
        'def f():\n    """Add an item\n    to the cart."""\n',
        'def f():\n    """Add an item to the cart."""\n',
        "f",
        set(),
    ),
    ("docstring quote style", "def f():\n    '''Doc.'''\n", 'def f():\n    """Doc."""\n', "f", set()),
    (
        "moved inside the file",
        "def f():\n    return 1\n\ndef g():\n    pass\n",
        "def g():\n    pass\n\ndef f():\n    return 1\n",
        "f",
        set(),
    ),
    (
        "methods reordered",
        "class C:\n    def a(self): pass\n    def b(self): pass\n",
        "class C:\n    def b(self): pass\n    def a(self): pass\n",
        "C",
        set(),
    ),
    (
        "recursive call renamed with it",
        "def f(n):\n    return f(n - 1)\n",
        "def f(n):\n    return f(n - 1)\n",
        "f",
        set(),
    ),
    ("numeric spelling", "X = 1.0\n", "X = 1.00\n", "X", set()),
    ("parenthesised return", "def f(a):\n    return a\n", "def f(a):\n    return (a)\n", "f", set()),
    # --- signature ---
    ("parameter added", "def f(a):\n    return a\n", "def f(a, b=1):\n    return a\n", "f", {SIGNATURE}),
    ("parameter removed", "def f(a, b):\n    return a\n", "def f(a):\n    return a\n", "f", {SIGNATURE}),
    ("parameter renamed", "def f(a):\n    return 1\n", "def f(b):\n    return 1\n", "f", {SIGNATURE}),
    ("default changed", "def f(a=0):\n    pass\n", "def f(a=1):\n    pass\n", "f", {SIGNATURE}),
    ("keyword-only", "def f(a, b):\n    pass\n", "def f(a, *, b):\n    pass\n", "f", {SIGNATURE}),
    ("positional-only", "def f(a, b):\n    pass\n", "def f(a, /, b):\n    pass\n", "f", {SIGNATURE}),
    ("annotation", "def f(a: int):\n    pass\n", "def f(a: str):\n    pass\n", "f", {SIGNATURE}),
    ("return annotation", "def f() -> int:\n    pass\n", "def f() -> str:\n    pass\n", "f", {SIGNATURE}),
    ("decorator added", "def f():\n    pass\n", "@cache\ndef f():\n    pass\n", "f", {SIGNATURE}),
    ("made async", "def f():\n    pass\n", "async def f():\n    pass\n", "f", {SIGNATURE}),
    ("base class", "class C(A):\n    pass\n", "class C(B):\n    pass\n", "C", {SIGNATURE}),
    (
        "constructor",
        "class C:\n    def __init__(self, a): pass\n",
        "class C:\n    def __init__(self, a, b): pass\n",
        "C",
        {SIGNATURE},
    ),
    ("attribute annotation", "X: int = 1\n", "X: float = 1\n", "X", {SIGNATURE}),
    # --- body ---
    ("body", "def f(a):\n    return a + 1\n", "def f(a):\n    return a + 2\n", "f", {BODY}),
    ("constant value", "LIMIT = 3\n", "LIMIT = 4\n", "LIMIT", {BODY}),
    (
        "method added to class: the method is the news, not the class",
        "class C:\n    def a(self): pass\n",
        "class C:\n    def a(self): pass\n    def b(self): pass\n",
        "C",
        set(),
    ),
    (
        "property setter body",
        "class C:\n    @property\n    def x(self): return 1\n    @x.setter\n    def x(self, v): pass\n",
        "class C:\n    @property\n    def x(self): return 1\n    @x.setter\n    def x(self, v): self.y = v\n",
        "C.x",
        {BODY},
    ),
    ("string value changed", "def f():\n    return 'a'\n", "def f():\n    return 'b'\n", "f", {BODY}),
    # --- docstring ---
    ("docstring", 'def f():\n    """Old."""\n', 'def f():\n    """New."""\n', "f", {DOCSTRING}),
    (
        "docstring added",
        "def f():\n    return 1\n",
        'def f():\n    """Doc."""\n    return 1\n',
        "f",
        {DOCSTRING},
    ),
    ("attribute docstring", 'X = 1\n"""Old."""\n', 'X = 1\n"""New."""\n', "X", {DOCSTRING}),
    ("module docstring", '"""Old."""\n', '"""New."""\n', "", {DOCSTRING}),
    # --- several ---
    (
        "signature and body",
        "def f(a):\n    return a\n",
        "def f(a, b):\n    return a + b\n",
        "f",
        {SIGNATURE, BODY},
    ),
]


@pytest.mark.parametrize(("old", "new", "name", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_changed_parts(old: str, new: str, name: str, expected: set[str]) -> None:
    assert parts_changed(old, new, name) == expected


def test_rename_alone_keeps_body_and_docstring() -> None:
    """A renamed function keeps its body digest, even though it calls itself and names itself in its docstring."""
    old = 'def add_item(cart, n):\n    """add_item adds."""\n    return add_item(cart, n - 1)\n'
    new = 'def put_item(cart, n):\n    """put_item adds."""\n    return put_item(cart, n - 1)\n'
    old_fp = extract_module(old.encode()).symbols[1].fingerprint
    new_fp = extract_module(new.encode()).symbols[1].fingerprint
    assert (old_fp.body, old_fp.docstring, old_fp.signature) == (
        new_fp.body,
        new_fp.docstring,
        new_fp.signature,
    )


def test_method_of_renamed_class_keeps_body() -> None:
    old = "class Cart:\n    @classmethod\n    def make(cls):\n        return Cart()\n"
    new = "class Basket:\n    @classmethod\n    def make(cls):\n        return Basket()\n"
    old_fp = {s.name: s for s in extract_module(old.encode()).symbols}["Cart.make"].fingerprint
    new_fp = {s.name: s for s in extract_module(new.encode()).symbols}["Basket.make"].fingerprint
    assert old_fp == new_fp


def test_fingerprints_are_stable_strings() -> None:
    """Fingerprints are stored in the cache and the lockfile: they must not depend on the run."""
    source = b"def f(a, *, b=1) -> int:\n    '''Doc.'''\n    return a\n"
    assert extract_module(source) == extract_module(source)
    fingerprint = extract_module(source).symbols[1].fingerprint
    assert all(len(part) == 16 and int(part, 16) >= 0 for part in (fingerprint.signature, fingerprint.body))


# --- deep trees (issue 13): the same text as the recursive serialisation, at any depth ---------------


def reference_canonical(node: object, own_names: Mapping[str, str] | None = None) -> str:
    """The serialisation as docsync wrote it before issue 13, recursively: every digest in caches and
    lockfiles came from it, so the stack-based one must write exactly this."""
    out: list[str] = []
    renames = own_names or {}
    skipped = {"ctx", "kind", "type_comment", "type_ignores"}

    def emit(node: object) -> None:
        if isinstance(node, ast.AST):
            if renames and type(node) is ast.Name and node.id in renames:
                out.append(f"Name({renames[node.id]})")
                return
            if renames and type(node) is ast.Attribute and node.attr in renames:
                out.append("Attribute(")
                emit(node.value)
                out.append(f",{renames[node.attr]})")
                return
            out.append(type(node).__name__ + "(")
            for field in (f for f in type(node)._fields if f not in skipped):
                value = getattr(node, field, None)
                if value is None or (isinstance(value, list) and not value):
                    continue
                out.append(field + "=")
                emit(value)
                out.append(",")
            out.append(")")
        elif isinstance(node, list):
            out.append("[")
            for item in node:
                emit(item)
                out.append(",")
            out.append("]")
        else:
            out.append(repr(node))

    emit(node)
    return "".join(out)


def on_a_deep_stack(function: Callable[[], T]) -> T:
    """Run `function` where deep recursion fits: a thread with a 256 MB stack and a recursion limit of 100,000."""
    result: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            result.append(function())
        except BaseException as error:  # handed to the test's thread
            errors.append(error)

    limit, size = sys.getrecursionlimit(), threading.stack_size(256 * 1024 * 1024)
    sys.setrecursionlimit(100_000)
    try:
        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
    finally:
        sys.setrecursionlimit(limit)
        threading.stack_size(size)
    if errors:
        raise errors[0]
    return result[0]


NAMES = st.sampled_from(["cart", "item", "self", "add_item", "Cart", "total"])
CONSTANTS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.complex_numbers(), st.text(),
    st.binary(max_size=4), st.just(...),
)  # fmt: skip
LEAVES = st.one_of(
    NAMES.map(lambda name: ast.Name(id=name, ctx=ast.Load())), CONSTANTS.map(lambda value: ast.Constant(value=value))
)


def _compound(children: st.SearchStrategy[ast.AST]) -> st.SearchStrategy[ast.AST]:
    statements = st.lists(st.builds(ast.Expr, value=children), max_size=2)
    return st.one_of(
        st.builds(ast.BinOp, left=children, op=st.sampled_from([ast.Add(), ast.Mult(), ast.BitOr()]), right=children),
        st.builds(ast.Attribute, value=children, attr=NAMES, ctx=st.just(ast.Load())),
        st.builds(ast.Call, func=children, args=st.lists(children, max_size=3),
                  keywords=st.lists(st.builds(ast.keyword, arg=st.none() | NAMES, value=children), max_size=2)),
        st.builds(ast.List, elts=st.lists(children, max_size=4), ctx=st.just(ast.Load())),
        st.builds(ast.Dict, keys=st.lists(st.none() | children, max_size=2), values=st.lists(children, max_size=2)),
        st.builds(ast.If, test=children, body=statements, orelse=statements),
        st.builds(ast.Global, names=st.lists(NAMES, max_size=3)),
        st.builds(ast.Return, value=st.none() | children),
        st.lists(children, max_size=3),
    )  # fmt: skip


TREES = st.recursive(LEAVES, _compound, max_leaves=40)
OWN_NAMES = st.dictionaries(NAMES, st.sampled_from([PLACEHOLDER.format(0), PLACEHOLDER.format(1)]), max_size=3)


@settings(max_examples=500, deadline=None)
@given(tree=TREES, own_names=OWN_NAMES, levels=st.integers(0, 4))
def test_any_tree_serialises_as_before(tree: ast.AST, own_names: dict[str, str], levels: int) -> None:
    """Whatever level the recursion hands over to the stack at (0: the stack alone), the text is the same."""
    expected = reference_canonical(tree, own_names)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fingerprint, "_RECURSIVE_LEVELS", levels)
        assert canonical(tree, own_names) == expected
    assert canonical(tree, own_names) == expected


DEEP_SOURCES = {
    "sum of 980 terms": "x = " + " + ".join(["1"] * 980),
    "elif chain of 490 branches": "def f(x):\n    if x == 0:\n        return f\n"
    + "".join(f"    elif x == {i}:\n        return f(x - 1)\n" for i in range(1, 490)),
    "attribute chain of 2500": "x = cart" + ".item" * 2500,
    "call chain of 2500": "x = f" + "()" * 2500,
}


@pytest.mark.parametrize("source", DEEP_SOURCES.values(), ids=DEEP_SOURCES.keys())
def test_deep_trees_serialise_as_before_without_recursing(source: str) -> None:
    tree = ast.parse(source)
    own = {"f": PLACEHOLDER.format(0), "item": PLACEHOLDER.format(1)}
    expected = on_a_deep_stack(lambda: reference_canonical(tree.body, own))
    assert canonical(tree.body, own) == expected  # on the ordinary stack: no RecursionError


def test_this_projects_code_serialises_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    """A corpus of real code: every statement of docsync and its tests, by the stack alone and as usual.
    (Checked before the change on every .py file of 15 projects, 8,074 files: every symbol's digests equal.)"""
    root = Path(__file__).resolve().parents[2]
    statements = [s for path in sorted(root.glob("[dt]*/**/*.py")) for s in ast.parse(path.read_bytes()).body]
    assert len(statements) > 1000
    own = {"self": PLACEHOLDER.format(0), "extract_module": PLACEHOLDER.format(1)}
    expected = [reference_canonical(statement, own) for statement in statements]
    assert [canonical(statement, own) for statement in statements] == expected
    monkeypatch.setattr(fingerprint, "_RECURSIVE_LEVELS", 0)
    assert [canonical(statement, own) for statement in statements] == expected
