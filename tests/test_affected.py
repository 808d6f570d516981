"""Tests for affected.py and references/index.py: what a change did to the names docs use, and which docs it touches."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import pytest

from docsync.affected import EVERYTHING, Affected, affected_by, resolutions
from docsync.models import Call, DocResolution, DocScan
from docsync.references.index import PATH_MARK, doc_names
from docsync.references.scan import scan_doc
from docsync.resolve import resolve_references
from docsync.symbols.extract import extract_module
from docsync.symbols.layout import find_modules
from docsync.symbols.table import SymbolTable, build_table


def table(files: Mapping[str, str], roots: tuple[str, ...] = ("",)) -> SymbolTable:
    """A table built from source text, as the loader builds one from a snapshot (no git needed)."""
    found = find_modules(files, roots)
    built = build_table(
        (module_file, extract_module(textwrap.dedent(files[path]).encode())) for path, module_file in found.items()
    )
    assert not built.diagnostics, built.diagnostics
    return built


A = "def x():\n    return 1\n\n\ndef y(a):\n    return a\n"
B = "class Base:\n    def run(self):\n        pass\n\n\nclass Other:\n    def go(self):\n        pass\n"
C = "from shop.b import Base\n\n\nclass Sub(Base):\n    def own(self):\n        pass\n"
BASE = {
    "shop/__init__.py": "from .a import x\n",
    "shop/a.py": A,
    "shop/b.py": B,
    "shop/c.py": C,
    "lib.py": "VERSION = 1\n",
    "lib/shop/extra.py": "def extra():\n    pass\n",
    "scripts/release.py": "def main():\n    pass\n",
    "README.md": "# Shop\n",
}
ROOT = ("",)


def head_of(edits: Mapping[str, str | None]) -> dict[str, str]:
    files = dict(BASE)
    for path, text in edits.items():
        if text is None:
            del files[path]
        else:
            files[path] = text
    return files


# (edits to BASE: path -> new text, None deletes; code roots of the head) -> (everything, names, symbols)
CASES = [
    pytest.param({"shop/a.py": A.replace("return 1", "return 2")}, ROOT, False, set(), {"shop.a.x"}, id="body-edited"),
    pytest.param({"shop/a.py": A.replace("return 1", "return 1  # one\n")}, ROOT, False, set(), set(),
                 id="comment-only"),
    pytest.param({"shop/a.py": A + "\n\ndef z():\n    pass\n"}, ROOT, False, {"z"}, set(), id="function-added"),
    pytest.param({"shop/a.py": "def x():\n    return 1\n"}, ROOT, False, {"y"}, {"shop.a.y"}, id="function-removed"),
    pytest.param({"shop/a.py": A.replace("def y(a)", "def y(a, b=2)")}, ROOT, False, set(), {"shop.a.y"},
                 id="signature-changed"),
    pytest.param(
        {"shop/__init__.py": "from .b import x\n", "shop/a.py": "def y(a):\n    return a\n",
         "shop/b.py": B + "\n\ndef x():\n    return 1\n"},
        ROOT, False, {"x"}, {"shop.a.x"}, id="re-export-moved",
    ),
    pytest.param({"shop/__init__.py": "from .b import Other as x\n"}, ROOT, False, {"x", "Other"}, set(),
                 id="re-export-retargeted"),
    pytest.param({"shop/c.py": C.replace("import Base", "import Other").replace("Sub(Base)", "Sub(Other)")},
                 ROOT, False, {"Base", "Other", "own", "run", "go"}, {"shop.c.Sub"}, id="subclass-bases-changed"),
    pytest.param(
        {"shop/b.py": "class Root:\n    def top(self):\n        pass\n\n\n" + B.replace("Base:", "Base(Root):")},
        ROOT, False, {"Root", "top", "run"}, {"shop.b.Base"}, id="base-class-gains-a-base",
    ),
    pytest.param({"shop/a.py": A + "\n\ndef __getattr__(name):\n    raise AttributeError(name)\n"}, ROOT, False,
                 {"__getattr__", "a"}, set(), id="module-getattr-added"),
    pytest.param({"shop/d.py": "D = 1\n"}, ROOT, False, {PATH_MARK + "d.py", "d", "D"}, set(), id="module-added"),
    pytest.param({"shop/a.py": None, "shop/sub/a.py": A}, ROOT, False, {PATH_MARK + "a.py", "a", "x", "y"},
                 {"shop.a", "shop.a.x", "shop.a.y"}, id="module-moved-both-paths-changed"),
    pytest.param({"tools2/__init__.py": "X = 1\n"}, ROOT, True, set(), set(), id="top-level-package-added"),
    pytest.param({"lib.py": None, "lib/shop/extra.py": None}, ROOT, True, set(), set(), id="top-level-name-gone"),
    pytest.param({"pyproject.toml": "[tool.docsync]\n"}, ("", "lib"), True, set(), set(),
                 id="code-roots-moved-an-unchanged-file"),
    pytest.param({"README.md": "# Shop, again\n"}, ROOT, False, set(), set(), id="a-doc"),
    pytest.param({"scripts/release.py": "def main(argv):\n    pass\n"}, ROOT, False, set(), set(),
                 id="a-python-file-that-is-not-a-module"),
    pytest.param({"shop/my-script.py": "X = 1\n"}, ROOT, False, set(), set(), id="a-file-that-cannot-be-imported"),
]  # fmt: skip


@pytest.mark.parametrize(("edits", "head_roots", "everything", "names", "symbols"), CASES)
def test_affected_by(
    edits: dict[str, str | None], head_roots: tuple[str, ...], everything: bool, names: set[str], symbols: set[str]
) -> None:
    affected = affected_by(table(BASE), table(head_of(edits), head_roots), edits)
    assert (affected.everything, set(affected.names), set(affected.symbols)) == (everything, names, symbols)


def test_the_same_tables_affect_nothing() -> None:
    assert affected_by(table(BASE), table(BASE), []) == Affected(everything=False)


def test_code_roots_moved_is_everything_even_with_the_same_top_level() -> None:
    base, head = table(BASE), table(BASE, ("", "lib"))
    assert base.top_level == head.top_level == {"shop", "lib"}
    assert (base.modules["lib/shop/extra.py"], head.modules["lib/shop/extra.py"]) == ("lib.shop.extra", "shop.extra")


def test_files_that_became_modules_without_being_changed_are_everything() -> None:
    files = {path: text for path, text in BASE.items() if path != "lib.py"}
    base, head = table(files, ("lib",)), table(files, ("lib", ""))
    assert base.top_level == head.top_level == {"shop"}
    assert set(base.modules) == {"lib/shop/extra.py"}
    assert "shop/a.py" in head.modules
    assert affected_by(base, head, ["pyproject.toml"]) is EVERYTHING


# -- touches ---------------------------------------------------------------------------------------

CHANGE = Affected(everything=False, names=frozenset({"total", PATH_MARK + "cart.py"}), symbols=frozenset({"shop.a.x"}))


@pytest.mark.parametrize(
    ("affected", "names", "resolution", "touched"),
    [
        pytest.param(CHANGE, {"shop", "cart", "total"}, DocResolution(1, frozenset()), True, id="a-name-met"),
        pytest.param(CHANGE, {PATH_MARK + "cart.py"}, DocResolution(1, frozenset()), True, id="a-source-link-met"),
        pytest.param(CHANGE, {"shop", "x"}, DocResolution(1, frozenset({"shop.a.x"})), True,
                     id="a-resolved-symbol-met"),
        pytest.param(CHANGE, {"shop", "y"}, DocResolution(1, frozenset({"shop.a.y"})), False, id="neither-met"),
        pytest.param(CHANGE, set(), DocResolution(0, frozenset()), False, id="a-doc-without-references"),
        pytest.param(CHANGE, {"shop", "y"}, None, True, id="resolution-unknown"),
        pytest.param(EVERYTHING, set(), DocResolution(0, frozenset()), True, id="everything"),
        pytest.param(Affected(everything=False), {"shop", "x"}, DocResolution(1, frozenset({"shop.a.x"})), False,
                     id="nothing-changed"),
    ],
)  # fmt: skip
def test_touches(affected: Affected, names: set[str], resolution: DocResolution | None, touched: bool) -> None:
    assert affected.touches(names, resolution) is touched


def test_a_doc_untouched_by_a_change_resolves_the_same_on_both_sides() -> None:
    """The argument `touches` rests on, checked on one change: an untouched doc's references keep their symbols."""
    head_files = head_of({"shop/a.py": "def x():\n    return 1\n"})
    base, head = table(BASE), table(head_files)
    affected = affected_by(base, head, ["shop/a.py"])
    scans = {
        "docs/x.md": scan_doc("docs/x.md", b"Use `shop.x` and `shop.b.Base.run`.\n"),
        "docs/y.md": scan_doc("docs/y.md", b"Use `shop.a.y`.\n"),
    }
    at_base = resolutions(scans, base)
    assert at_base == {
        "docs/x.md": DocResolution(2, frozenset({"shop.a.x", "shop.b.Base.run"})),
        "docs/y.md": DocResolution(1, frozenset({"shop.a.y"})),
    }
    touched = {doc for doc, scan in scans.items() if affected.touches(doc_names(scan), at_base[doc])}
    assert touched == {"docs/y.md"}
    assert resolutions(scans, head)["docs/x.md"] == at_base["docs/x.md"]


# -- resolutions -------------------------------------------------------------------------------------

SHOP = {
    "shop/__init__.py": "from .cart import Cart\n",
    "shop/cart.py": "class Cart:\n    def __init__(self, owner):\n        self.owner = owner\n\n"
    "    def total(self):\n        return 0\n\n\ndef add_item(cart, item):\n    pass\n",
}
DOC = b"""# Cart

Use `shop.cart.add_item`, or `shop.cart.gone` (which is missing), and `os.path.join`.

```python
from shop import Cart
Cart("me").total()
```
"""


def test_resolutions_count_references_and_collect_symbols() -> None:
    scans = {
        "docs/cart.md": scan_doc("docs/cart.md", DOC),
        "docs/empty.md": scan_doc("docs/empty.md", b"# Nothing here\n"),
    }
    found = resolutions(scans, table(SHOP))
    assert found["docs/empty.md"] == DocResolution(0, frozenset())
    cart = found["docs/cart.md"]
    assert cart.symbols == {"shop.cart.add_item", "shop.cart.Cart", "shop.cart.Cart.total"}
    doc_map = resolve_references(scans["docs/cart.md"].references, table(SHOP))
    assert [r.name for r in doc_map.unresolved] == ["shop.cart.gone"]  # counted; `os.path.join` is not ours
    assert cart.count == len(doc_map.references) + 1


def test_resolutions_take_the_doc_map_given() -> None:
    scans = {"docs/cart.md": scan_doc("docs/cart.md", DOC)}
    symbols = table(SHOP)
    doc_map = resolve_references(scans["docs/cart.md"].references, symbols)
    assert resolutions(scans, symbols, doc_map) == resolutions(scans, symbols)
    only_calls = resolutions(scans, symbols, type(doc_map)((), ()))["docs/cart.md"]
    assert only_calls == DocResolution(0, frozenset({"shop.cart.Cart", "shop.cart.Cart.total"}))


# -- doc_names -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "text", "names"),
    [
        pytest.param("docs/a.md", "Call `shop.cart.add_item` now.\n", {"shop", "cart", "add_item"}, id="dotted"),
        pytest.param("docs/a.md", "See [the source](../src/shop/cart.py#L3-L9).\n", {PATH_MARK + "cart.py"},
                     id="source-link"),
        pytest.param("docs/a.rst", ".. currentmodule:: shop.cart\n\nSee :func:`add_item` and :meth:`~.Cart.total`.\n",
                     {"cart", "add_item", "Cart", "total"}, id="context-and-leading-dot"),
        pytest.param("docs/a.md", "```python\nfrom shop import api\napi.checkout(1, fast=True)\n```\n",
                     {"shop", "api", "checkout"}, id="example-call"),
        pytest.param("docs/a.md", "# Nothing to see\n", set(), id="no-references"),
    ],
)  # fmt: skip
def test_doc_names(doc: str, text: str, names: set[str]) -> None:
    assert doc_names(scan_doc(doc, text.encode())) == names


def test_doc_names_index_calls_on_their_own() -> None:
    call = Call("docs/a.md", 3, 1, "shop.api.checkout", 1, ("fast",))
    assert doc_names(DocScan("docs/a.md", (), calls=(call,))) == {"shop", "api", "checkout"}
