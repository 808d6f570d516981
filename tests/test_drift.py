"""Drift that explains itself: (old code, new code, referenced name) → the finding's kind, severity and words.

A table in the manner of griffe's test_diff: each row runs the real pipeline (extract, table,
resolve, renames, classification, policy) on two versions of a small package.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import replace

import pytest

from docsync.drift import detect_drift, reference_key
from docsync.findings import DocContext, make_findings
from docsync.models import Finding, How, Reference, Style
from docsync.renames import match_renames, removed_and_added
from docsync.resolve import resolve
from docsync.settings import Config
from docsync.symbols.extract import extract_module
from docsync.symbols.layout import find_modules
from docsync.symbols.similarity import body_shapes
from docsync.symbols.table import SymbolTable, build_table

Files = Mapping[str, str]


def _files(code: str | Files) -> dict[str, str]:
    files = {"pkg/mod.py": code} if isinstance(code, str) else dict(code)
    files.setdefault("pkg/__init__.py", "")
    return {path: textwrap.dedent(source) for path, source in files.items()}


def _table(files: Files) -> SymbolTable:
    modules = find_modules(files, ("",))
    return build_table((modules[p], extract_module(s.encode())) for p, s in files.items())


def _shapes(files: Files, table: SymbolTable) -> dict[str, object]:
    return {
        f"{table.modules[path]}.{local}" if local else table.modules[path]: shape
        for path, source in files.items()
        for local, shape in body_shapes(source.encode()).items()
    }


def drift(old: str | Files, new: str | Files, name: str) -> Finding | None:
    old_files, new_files = _files(old), _files(new)
    base, head = _table(old_files), _table(new_files)
    reference = Reference("docs/a.md", 3, 1, name, How.INFERRED, Style.MD_CODE, f"`{name}`")
    base_name, _ = resolve(reference, base)
    assert base_name is not None, f"{name} does not resolve in the old code"
    head_name, _ = resolve(reference, head)
    removed, added = removed_and_added(base, head, old_files, new_files)
    renames = match_renames(removed, added, _shapes(old_files, base), _shapes(new_files, head))  # type: ignore[arg-type]
    resolved = replace(reference, symbol=base_name)
    head_symbols = {reference_key(reference): head_name} if head_name else {}
    drifts = list(detect_drift([resolved], head_symbols, base, head, renames))
    findings = make_findings(drifts, DocContext(), Config())
    return findings[0] if findings else None


CART = """
def add_item(cart, item, qty=1):
    '''Put `qty` of `item` in the cart.'''
    if qty < 1:
        raise ValueError(qty)
    cart.append((item, qty))
    return cart
"""
CLASS = """
class Cart:
    '''A cart.'''

    def total(self, currency='EUR'):
        amount = sum(self.items)
        if currency != 'EUR':
            amount = convert(amount, currency)
        return amount

    def clear(self):
        self.items = []
        self.count = 0
"""

CLASS_REORDERED = """
class Cart:
    '''A cart.'''

    def clear(self):
        self.items = []
        self.count = 0

    def total(self, currency='EUR'):
        amount = sum(self.items)
        if currency != 'EUR':
            amount = convert(amount, currency)
        return amount
"""

CASES = [
    # --- renames and moves ---
    ("renamed", CART, CART.replace("add_item", "put_item"), "pkg.mod.add_item",
     "renamed", "error", ["renamed to pkg.mod.put_item"]),
    ("renamed, recursive", "def walk(n):\n    if n:\n        return walk(n - 1)\n    return 0\n",
     "def stroll(n):\n    if n:\n        return stroll(n - 1)\n    return 0\n", "pkg.mod.walk", "renamed", "error", ["pkg.mod.stroll"]),
    ("renamed, own name in docstring", CART.replace("Put", "add_item puts"), CART.replace("add_item", "put_item").replace("Put", "put_item puts"),
     "pkg.mod.add_item", "renamed", "error", ["pkg.mod.put_item"]),
    ("renamed with a small body change", CART, CART.replace("add_item", "put_item").replace("return cart", "return list(cart)"),
     "pkg.mod.add_item", "renamed", "error", ["pkg.mod.put_item"]),
    ("renamed with a new signature too", CART, CART.replace("add_item(cart, item, qty=1)", "put_item(cart, item, qty=1, *, note='')"),
     "pkg.mod.add_item", "renamed", "error", ["pkg.mod.put_item", "keyword-only parameter `note` added"]),
    ("rewritten under a new name is not a rename", CART, "def put_item(cart, item):\n    cart.extend([item] * 3)\n    log(item)\n",
     "pkg.mod.add_item", "removed", "error", ["was removed"]),
    ("moved to another module", {"pkg/a.py": CART}, {"pkg/b.py": CART}, "pkg.a.add_item",
     "renamed", "error", ["renamed to pkg.b.add_item"]),
    ("moved into a class", CART, "class Cart:\n" + textwrap.indent(textwrap.dedent(CART), "    "), "pkg.mod.add_item",
     "renamed", "error", ["pkg.mod.Cart.add_item"]),
    ("class renamed", CLASS, CLASS.replace("Cart", "Basket"), "pkg.mod.Cart", "renamed", "error", ["pkg.mod.Basket"]),
    ("method of a renamed class", CLASS, CLASS.replace("Cart", "Basket"), "pkg.mod.Cart.total",
     "renamed", "error", ["pkg.mod.Basket.total"]),
    ("module renamed", {"pkg/cart.py": CART}, {"pkg/basket.py": CART}, "pkg.cart.add_item",
     "renamed", "error", ["pkg.basket.add_item"]),
    ("constant renamed", "LIMIT = 42\n", "MAX_ITEMS = 42\n", "pkg.mod.LIMIT", "renamed", "error", ["pkg.mod.MAX_ITEMS"]),
    ("two equal candidates: never guessed", CART, CART.replace("add_item", "put_item") + CART.replace("add_item", "push_item"),
     "pkg.mod.add_item", "removed", "error", ["may have become pkg.mod.push_item or pkg.mod.put_item"]),
    ("a trivial body is no evidence", "def start():\n    pass\n", "def begin():\n    pass\n", "pkg.mod.start",
     "removed", "error", ["pkg.mod.start was removed"]),
    ("removed", CART + "\ndef other():\n    return 1\n", "def other():\n    return 1\n", "pkg.mod.add_item",
     "removed", "error", ["pkg.mod.add_item was removed"]),
    # --- signatures ---
    ("required parameter added", CART, CART.replace("(cart, item, qty=1)", "(cart, item, price, qty=1)"), "pkg.mod.add_item",
     "signature", "warning", ["required parameter `price` added"]),
    ("optional parameter added", CART, CART.replace("qty=1)", "qty=1, price=None)"), "pkg.mod.add_item",
     "signature", "warning", ["optional parameter `price` added (default None)"]),
    ("parameter removed", CART, CART.replace("(cart, item, qty=1)", "(cart, item)"), "pkg.mod.add_item",
     "signature", "warning", ["parameter `qty` removed"]),
    ("parameter renamed", CART, CART.replace("(cart, item, qty=1)", "(cart, item, count=1)"), "pkg.mod.add_item",
     "signature", "warning", ["parameter `qty` renamed to `count`"]),
    ("parameters reordered", CART, CART.replace("(cart, item, qty=1)", "(item, cart, qty=1)"), "pkg.mod.add_item",
     "signature", "warning", ["parameter `cart` moved from position 1 to 2", "parameter `item` moved from position 2 to 1"]),
    ("keyword-only now", CART, CART.replace("(cart, item, qty=1)", "(cart, item, *, qty=1)"), "pkg.mod.add_item",
     "signature", "warning", ["parameter `qty` is now keyword-only (was positional-or-keyword)"]),
    ("positional-only now", CART, CART.replace("(cart, item, qty=1)", "(cart, item, /, qty=1)"), "pkg.mod.add_item",
     "signature", "warning", ["`cart` is now positional-only", "`item` is now positional-only"]),
    ("default changed", CART, CART.replace("qty=1", "qty=2"), "pkg.mod.add_item",
     "signature", "warning", ["default changed for `qty`: `1` -> `2`"]),
    ("default removed", CART, CART.replace("qty=1", "qty"), "pkg.mod.add_item",
     "signature", "warning", ["default removed for `qty`: `1`"]),
    ("annotation changed", "def f(a: int) -> None:\n    pass\n", "def f(a: str) -> None:\n    pass\n", "pkg.mod.f",
     "signature", "warning", ["annotation changed for `a`: `int` -> `str`"]),
    ("annotations added: worth knowing, never failing", "def f(a):\n    pass\n", "def f(a: int) -> bool:\n    pass\n", "pkg.mod.f",
     "signature", "info", ["annotation added for `a`: `int`", "return annotation added: `bool`"]),
    ("return annotation changed", "def f() -> int:\n    pass\n", "def f() -> float:\n    pass\n", "pkg.mod.f",
     "signature", "warning", ["return annotation changed: `int` -> `float`"]),
    ("made a property", CLASS, CLASS.replace("    def total", "    @property\n    def total"), "pkg.mod.Cart.total",
     "signature", "error", ["decorator added: @property"]),
    ("no longer static", "class C:\n    @staticmethod\n    def f(a):\n        pass\n", "class C:\n    def f(self, a):\n        pass\n",
     "pkg.mod.C.f", "signature", "error", ["decorator removed: @staticmethod", "required parameter `self` added"]),
    ("made a classmethod", "class C:\n    def f(self):\n        pass\n", "class C:\n    @classmethod\n    def f(cls):\n        pass\n",
     "pkg.mod.C.f", "signature", "error", ["decorator added: @classmethod", "parameter `self` renamed to `cls`"]),
    ("deprecated", CART, "from warnings import deprecated\n" + CART.replace("def add_item", "@deprecated('use put')\ndef add_item"),
     "pkg.mod.add_item", "signature", "error", ["decorator added: @deprecated('use put')"]),
    ("bases changed", "class E(ValueError):\n    pass\n", "class E(LookupError):\n    pass\n", "pkg.mod.E",
     "signature", "warning", ["base classes changed: `ValueError` -> `LookupError`"]),
    ("constructor changed", "class C:\n    def __init__(self, a):\n        self.a = a\n",
     "class C:\n    def __init__(self, a, b):\n        self.a = a\n", "pkg.mod.C", "signature", "warning", ["required parameter `b` added"]),
    ("**kwargs added", CART, CART.replace("qty=1)", "qty=1, **options)"), "pkg.mod.add_item",
     "signature", "warning", ["optional var-keyword parameter `options` added"]),
    # --- body and docstring ---
    ("body", CART, CART.replace("return cart", "return tuple(cart)"), "pkg.mod.add_item",
     "body", "warning", ["the body of pkg.mod.add_item changed"]),
    ("docstring", CART, CART.replace("Put `qty`", "Add `qty`"), "pkg.mod.add_item",
     "docstring", "info", ["the docstring of pkg.mod.add_item changed"]),
    # --- never drift ---
    ("black formatting", CART, CART.replace("def add_item(cart, item, qty=1):", "def add_item(\n    cart,\n    item,\n    qty=1,\n):"),
     "pkg.mod.add_item", None, None, []),
    ("comments", CART, CART.replace("    cart.append((item, qty))", "    # keep the pair\n    cart.append((item, qty))  # here"),
     "pkg.mod.add_item", None, None, []),
    ("quote style", CART, CART.replace("'''", '"""'), "pkg.mod.add_item", None, None, []),
    ("import order inside a function", "def f():\n    import os\n    import sys\n    return os, sys\n",
     "def f():\n    import sys\n    import os\n    return os, sys\n", "pkg.mod.f", None, None, []),
    ("type comments", "def f(a):\n    x = []\n    return x\n", "def f(a):\n    x = []  # type: list[int]\n    return x\n",
     "pkg.mod.f", None, None, []),
    ("methods reordered", CLASS, CLASS_REORDERED, "pkg.mod.Cart", None, None, []),
    ("moved inside its file", CART + "\ndef other():\n    return 1\n", "def other():\n    return 1\n" + CART, "pkg.mod.add_item",
     None, None, []),
    ("moved but still importable from the public path", {"pkg/__init__.py": "from .a import add_item\n", "pkg/a.py": CART},
     {"pkg/__init__.py": "from .b import add_item\n", "pkg/b.py": CART}, "pkg.add_item", None, None, []),
    ("trailing commas and blank lines", CART, CART.replace("cart.append((item, qty))", "\n\n    cart.append(\n        (item, qty),\n    )\n"),
     "pkg.mod.add_item", None, None, []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "name", "kind", "severity", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_drift(
    old: str | Files, new: str | Files, name: str, kind: str | None, severity: str | None, words: list[str]
) -> None:
    finding = drift(old, new, name)
    if kind is None:
        assert finding is None
        return
    assert finding is not None
    assert (finding.kind.value, finding.severity.value) == (kind, severity), finding.message
    for word in words:
        assert word in finding.message
    if kind == "renamed":
        assert finding.replacement is not None
        assert finding.replacement in finding.message


@pytest.mark.parametrize(
    ("doc_line", "severity"),
    [
        ("Call `pkg.mod.add_item`.", "warning"),  # names the function, not the parameter: the prose still holds
        ("Call `pkg.mod.add_item` with `qty=2`.", "error"),
        ("Call `pkg.mod.add_item`; ``qty`` says how many.", "error"),
        (":func:`pkg.mod.add_item` -- :param qty: how many", "error"),
    ],
)
def test_a_changed_parameter_the_doc_mentions_is_an_error(doc_line: str, severity: str) -> None:
    """The finding is an error when the doc mentions the parameter that changed, and points at the mention."""
    old_files, new_files = _files(CART), _files(CART.replace("qty=1", "count=1"))
    base, head = _table(old_files), _table(new_files)
    reference = Reference("docs/a.md", 1, 6, "pkg.mod.add_item", How.INFERRED, Style.MD_CODE, "`pkg.mod.add_item`")
    resolved = replace(reference, symbol="pkg.mod.add_item")
    drifts = list(detect_drift([resolved], {reference_key(reference): "pkg.mod.add_item"}, base, head, {}))
    findings = make_findings(drifts, DocContext(lines={"docs/a.md": [doc_line]}), Config())
    assert [f.severity.value for f in findings] == [severity]
    if severity == "error":
        assert doc_line[findings[0].column - 1 :].startswith("qty")


def test_table_has_at_least_40_rows() -> None:
    assert len(CASES) >= 40


SHIM = (
    "def __getattr__(name):\n"
    "    if name == 'get_stream':\n"
    "        import warnings\n"
    "        warnings.warn('deprecated', DeprecationWarning)\n"
    "        return _get_stream\n"
    "    if name == 'split':\n"
    "        from .completion import split\n"
    "        return split\n"
    "    raise AttributeError(name)\n"
)
BODY = "    data = open(name).read()\n    return data.split()\n"


@pytest.mark.parametrize(
    ("new_files", "name", "expected"),
    [
        # Made private behind a deprecation shim: the public name still works; `_get_stream` is no advice.
        ({"pkg/__init__.py": SHIM, "pkg/mod.py": f"def _get_stream(name):\n{BODY}"}, "pkg.get_stream", None),
        # Moved to a public home, the old path kept as a shim: the doc should move too.
        ({"pkg/__init__.py": SHIM, "pkg/completion.py": f"def split(name):\n{BODY}"}, "pkg.split", "renamed"),
    ],
    ids=["made-private-behind-a-shim", "moved-behind-a-shim"],
)
def test_deprecation_shims(new_files: Files, name: str, expected: str | None) -> None:
    old = {
        "pkg/__init__.py": "from .mod import get_stream, split\n",
        "pkg/mod.py": f"def get_stream(name):\n{BODY}\n\ndef split(name):\n{BODY}",
    }
    finding = drift(old, new_files, name)
    assert (finding.kind.value if finding else None) == expected


@pytest.mark.parametrize(
    ("old", "new", "name", "severity", "words"),
    [
        (
            "class C:\n    def __init__(self, a):\n        self.a = a\n",
            "class C:\n    def __init__(self, a) -> None:\n        self.a = a\n",
            "pkg.mod.C",
            None,
            [],
        ),
        (
            "class C:\n    def __init__(self, a):\n        self.a = a\n",
            "class C:\n    def __init__(self, a: int) -> None:\n        self.a = a\n",
            "pkg.mod.C",
            "info",
            ["annotation added for `a`: `int`"],
        ),
        ("X = None\n", "X: int | None = None\n", "pkg.mod.X", "info", ["annotation added: `int | None`"]),
        ("X: int = 0\n", "X: float = 0\n", "pkg.mod.X", "warning", ["annotation changed: `int` -> `float`"]),
        (
            "class C:\n    def __init__(self):\n        self.auth = None\n",
            "class C:\n    def __init__(self):\n        self.auth: str | None = None\n",
            "pkg.mod.C.auth",
            "info",
            ["annotation added: `str | None`"],
        ),
    ],
    ids=[
        "init-returns-none-is-not-news",
        "init-annotated",
        "attribute-annotated",
        "attribute-annotation-changed",
        "instance-attribute-annotated",
    ],
)
def test_type_annotations(old: str, new: str, name: str, severity: str | None, words: list[str]) -> None:
    """Adding type hints (the most common "signature" change of a typed codebase) never fails a run."""
    finding = drift(old, new, name)
    assert (finding.severity.value if finding else None) == severity
    for word in words:
        assert finding is not None
        assert word in finding.message
