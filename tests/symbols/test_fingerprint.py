"""Fingerprints: (old code, new code) → which parts changed, as griffe's test_diff does for breakages."""

from __future__ import annotations

import textwrap

import pytest

from docsync.symbols.extract import extract_module

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
