"""Tests for symbols/table.py: symbol tables built from real source, re-exports, public names."""

from __future__ import annotations

import textwrap

import pytest

from docsync.models import Diagnostic, SymbolKind
from docsync.symbols.extract import extract_module
from docsync.symbols.layout import find_modules
from docsync.symbols.table import SymbolTable, build_table


def table(files: dict[str, str], roots: tuple[str, ...] = ("",), broken: bool = False) -> SymbolTable:
    found = find_modules(files, roots)
    built = build_table(
        (module_file, extract_module(textwrap.dedent(files[path]).encode())) for path, module_file in found.items()
    )
    assert bool(built.diagnostics) is broken, built.diagnostics
    return built


CART = textwrap.dedent(
    """\
    \"\"\"The cart.\"\"\"

    LIMIT = 10


    def add_item(cart, item, *, qty=1):
        \"\"\"Add an item.\"\"\"
        cart.items.append(item)


    class Cart:
        def __init__(self, owner):
            self.owner = owner

        def total(self):
            return 0

        def _recount(self):
            pass
    """
)

SHOP = {
    "src/shop/__init__.py": "from .cart import add_item, Cart\n",
    "src/shop/cart.py": CART,
}


# -- re-exports ---------------------------------------------------------------------------------------


def test_reexport_through_init() -> None:
    symbols = table(SHOP, ("src",))
    assert symbols.aliases == {"shop.add_item": "shop.cart.add_item", "shop.Cart": "shop.cart.Cart"}
    assert symbols.target("shop.add_item") == "shop.cart.add_item"
    assert symbols.target("shop.cart.add_item") == "shop.cart.add_item"
    found = symbols.get("shop.add_item")
    assert found is not None
    assert found.qualname == "shop.cart.add_item"
    assert found.path == "src/shop/cart.py"
    assert (found.line, found.end_line) == (6, 8)
    assert found.kind is SymbolKind.FUNCTION
    assert found.signature is not None
    assert found.signature.text == "(cart, item, *, qty=1)"


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("shop.Cart.total", "shop.cart.Cart.total"),
        ("shop.Cart.owner", "shop.cart.Cart.owner"),
        ("shop.Cart", "shop.cart.Cart"),
        ("shop.Cart.missing", None),
        ("shop.missing", None),
        ("shop.add_item.x", None),
        ("missing", None),
        ("shop", "shop"),
        ("", None),
    ],
)
def test_target_follows_an_alias_prefix(name: str, target: str | None) -> None:
    symbols = table(SHOP, ("src",))
    assert symbols.target(name) == target
    assert (symbols.get(name).qualname if symbols.get(name) else None) == target  # type: ignore[union-attr]


def test_import_module_as_name() -> None:
    symbols = table(
        {
            "shop/__init__.py": "",
            "shop/cart.py": CART,
            "shop/api.py": "import shop.cart as cart_module\nimport shop.cart\nimport os.path as osp\n",
        }
    )
    assert symbols.aliases == {"shop.api.cart_module": "shop.cart"}
    assert symbols.target("shop.api.cart_module.add_item") == "shop.cart.add_item"
    assert symbols.target("shop.api.shop") is None, "`import shop.cart` binds only `shop`"


@pytest.mark.parametrize(
    ("importer", "statement", "alias", "target"),
    [
        pytest.param("shop/__init__.py", "from .cart import add_item", "shop.add_item", "shop.cart.add_item",
                     id="level-1-from-a-package"),
        pytest.param("shop/api.py", "from .cart import add_item", "shop.api.add_item", "shop.cart.add_item",
                     id="level-1-from-a-module"),
        pytest.param("shop/api.py", "from . import cart", "shop.api.cart", "shop.cart", id="level-1-bare"),
        pytest.param("shop/__init__.py", "from . import cart as c", "shop.c", "shop.cart",
                     id="level-1-bare-from-a-package"),
        pytest.param("shop/sub/api.py", "from ..cart import add_item", "shop.sub.api.add_item",
                     "shop.cart.add_item", id="level-2-from-a-module"),
        pytest.param("shop/sub/__init__.py", "from ..cart import add_item", "shop.sub.add_item",
                     "shop.cart.add_item", id="level-2-from-a-package"),
        pytest.param("shop/sub/api.py", "from .. import cart", "shop.sub.api.cart", "shop.cart",
                     id="level-2-bare"),
        pytest.param("shop/sub/deep/api.py", "from ...cart import Cart", "shop.sub.deep.api.Cart",
                     "shop.cart.Cart", id="level-3"),
        pytest.param("shop/sub/deep/__init__.py", "from ...cart import Cart as C", "shop.sub.deep.C",
                     "shop.cart.Cart", id="level-3-from-a-package"),
        pytest.param("shop/sub/api.py", "from shop.cart import add_item as add", "shop.sub.api.add",
                     "shop.cart.add_item", id="absolute"),
        pytest.param("shop/sub/api.py", "from ..cart import Cart\nfrom .api import Cart as Again",
                     "shop.sub.api.Again", "shop.cart.Cart", id="level-1-self-chain"),
    ],
)  # fmt: skip
def test_relative_imports(importer: str, statement: str, alias: str, target: str) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/cart.py": CART,
        "shop/sub/__init__.py": "",
        "shop/sub/deep/__init__.py": "",
    }
    files[importer] = statement + "\n"
    symbols = table(files)
    assert symbols.aliases[alias] == target
    assert symbols.target(alias) == target


def test_star_import_without_all_takes_public_names() -> None:
    symbols = table(
        {
            "shop/__init__.py": "from .cart import *\n",
            "shop/cart.py": CART + "\n_hidden = 1\nfrom .extra import bonus\nfrom .extra import _secret\n",
            "shop/extra.py": "def bonus(): ...\ndef _secret(): ...\n",
        }
    )
    assert symbols.aliases == {
        "shop.LIMIT": "shop.cart.LIMIT",
        "shop.add_item": "shop.cart.add_item",
        "shop.Cart": "shop.cart.Cart",
        "shop.bonus": "shop.extra.bonus",
        "shop.cart.bonus": "shop.extra.bonus",
        "shop.cart._secret": "shop.extra._secret",
    }


def test_star_import_with_all_takes_only_the_listed_names() -> None:
    symbols = table(
        {
            "shop/__init__.py": "from .cart import *\n",
            "shop/cart.py": CART + "\n__all__ = ['add_item', '_private_but_listed']\n_private_but_listed = 1\n",
        }
    )
    assert symbols.aliases == {
        "shop.add_item": "shop.cart.add_item",
        "shop._private_but_listed": "shop.cart._private_but_listed",
    }


def test_star_import_of_a_name_all_lists_but_nothing_defines() -> None:
    symbols = table({"a/__init__.py": "from .b import *\n", "a/b.py": "__all__ = ['ghost']\n"})
    assert symbols.aliases == {}


def test_chains_of_star_imports() -> None:
    symbols = table(
        {
            "a/__init__.py": "from .b import *\n",
            "a/b.py": "from .c import *\n",
            "a/c.py": "from .d import *\n",
            "a/d.py": "def deep(): ...\n__all__ = ['deep']\n",
        }
    )
    assert symbols.aliases == {"a.deep": "a.d.deep", "a.b.deep": "a.d.deep", "a.c.deep": "a.d.deep"}


def test_chains_of_reexports_resolve_to_the_definition() -> None:
    symbols = table(
        {
            "shop/__init__.py": "from .api import add_item, Shortcut\n",
            "shop/api.py": "from .internal import add_item\nfrom .internal import Cart as Shortcut\n",
            "shop/internal.py": "from .cart import add_item, Cart\n",
            "shop/cart.py": CART,
        }
    )
    assert symbols.aliases["shop.add_item"] == "shop.cart.add_item"
    assert symbols.aliases["shop.api.add_item"] == "shop.cart.add_item"
    assert symbols.aliases["shop.Shortcut"] == "shop.cart.Cart"
    assert symbols.target("shop.Shortcut.total") == "shop.cart.Cart.total"


@pytest.mark.parametrize(
    "statement",
    [
        "from .cart import nothing",
        "from .missing import thing",
        "from os import path",
        "import os.path as osp",
        "from . import missing_module",
        "from .cart import LIMIT as _",  # resolves, but see the assertion below
    ],
)
def test_alias_that_names_nothing_is_dropped(statement: str) -> None:
    symbols = table({"shop/__init__.py": statement + "\n", "shop/cart.py": CART})
    if statement.endswith("as _"):
        assert symbols.aliases == {"shop._": "shop.cart.LIMIT"}
    else:
        assert symbols.aliases == {}


def test_cyclic_imports_terminate_and_name_nothing() -> None:
    symbols = table(
        {
            "a.py": "from b import x\nfrom b import *\n",
            "b.py": "from a import x\nfrom a import *\n",
        }
    )
    assert symbols.aliases == {}
    assert set(symbols.symbols) == {"a", "b"}


def test_a_definition_wins_over_an_import_of_the_same_name() -> None:
    symbols = table(
        {
            "shop/__init__.py": "from .cart import add_item\ndef add_item(): ...\n",
            "shop/cart.py": CART,
        }
    )
    assert "shop.add_item" not in symbols.aliases
    assert symbols.target("shop.add_item") == "shop.add_item"


# -- public and private -------------------------------------------------------------------------------

IMPL = textwrap.dedent(
    """\
    def f(): ...
    def g(): ...
    class Engine:
        speed = 1
        _gear = 2
        def run(self): ...
        def _tune(self): ...
        class Inner:
            def go(self): ...
            def _stop(self): ...
        class _Hidden:
            def visible_only_inside(self): ...
    """
)


def public_map(symbols: SymbolTable) -> dict[str, bool]:
    return {name: symbol.public for name, symbol in symbols.symbols.items()}


def test_private_module_reexported_by_a_public_package() -> None:
    symbols = table({"shop/__init__.py": "from ._impl import f, Engine\n", "shop/_impl.py": IMPL})
    assert public_map(symbols) == {
        "shop": True,
        "shop._impl": False,
        "shop._impl.f": True,
        "shop._impl.g": False,
        "shop._impl.Engine": True,
        "shop._impl.Engine.speed": True,
        "shop._impl.Engine._gear": False,
        "shop._impl.Engine.run": True,
        "shop._impl.Engine._tune": False,
        "shop._impl.Engine.Inner": True,
        "shop._impl.Engine.Inner.go": True,
        "shop._impl.Engine.Inner._stop": False,
        "shop._impl.Engine._Hidden": False,
        "shop._impl.Engine._Hidden.visible_only_inside": False,
    }


def test_reexport_under_a_private_alias_stays_private() -> None:
    symbols = table({"shop/__init__.py": "from ._impl import f as _f\n", "shop/_impl.py": IMPL})
    assert symbols.symbols["shop._impl.f"].public is False


def test_reexport_by_a_private_package_stays_private() -> None:
    symbols = table(
        {
            "shop/__init__.py": "",
            "shop/_internal/__init__.py": "from ._impl import f\n",
            "shop/_internal/_impl.py": IMPL,
        }
    )
    assert symbols.aliases == {"shop._internal.f": "shop._internal._impl.f"}
    assert symbols.symbols["shop._internal._impl.f"].public is False


def test_reexport_left_out_of_all_stays_private() -> None:
    symbols = table({"shop/__init__.py": "from ._impl import f, g\n__all__ = ['f']\n", "shop/_impl.py": IMPL})
    assert symbols.symbols["shop._impl.f"].public is True
    assert symbols.symbols["shop._impl.g"].public is False


def test_reexport_through_a_star_import() -> None:
    symbols = table(
        {
            "shop/__init__.py": "from ._impl import *\n",
            "shop/_impl.py": IMPL + "\n__all__ = ['Engine']\n",
        }
    )
    assert symbols.aliases == {"shop.Engine": "shop._impl.Engine"}
    assert symbols.symbols["shop._impl.Engine.run"].public is True
    assert symbols.symbols["shop._impl.f"].public is False


def test_reexport_through_a_chain_of_private_modules() -> None:
    symbols = table(
        {
            "shop/__init__.py": "from ._impl import f\n",
            "shop/_impl/__init__.py": "from ._core import f\n",
            "shop/_impl/_core.py": IMPL,
        }
    )
    assert symbols.aliases["shop.f"] == "shop._impl._core.f"
    assert symbols.symbols["shop._impl._core.f"].public is True


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "def a(): ...\ndef b(): ...\n__all__ = ['a']\n",
            {"m": True, "m.a": True, "m.b": False},
            id="all-decides",
        ),
        pytest.param(
            "def _a(): ...\ndef b(): ...\n__all__ = ['_a']\n",
            {"m": True, "m._a": True, "m.b": False},
            id="all-can-list-underscores",
        ),
        pytest.param(
            "class C:\n    def m(self): ...\n    def _p(self): ...\n__all__ = []\n",
            {"m": True, "m.C": False, "m.C.m": False, "m.C._p": False},
            id="empty-all",
        ),
        pytest.param(
            "class C:\n    def m(self): ...\n    def _p(self): ...\n__all__ = ('C',)\n",
            {"m": True, "m.C": True, "m.C.m": True, "m.C._p": False},
            id="all-tuple-with-members",
        ),
        pytest.param(
            "def a(): ...\n_b = 1\n__c__ = 2\n"
            "class D:\n    def __init__(self): ...\n    def __len__(self): ...\n",
            {"m": True, "m.a": True, "m._b": False, "m.__c__": False, "m.D": True, "m.D.__init__": False,
             "m.D.__len__": False},
            id="underscores",
        ),
    ],
)  # fmt: skip
def test_public(source: str, expected: dict[str, bool]) -> None:
    assert public_map(table({"m.py": source})) == expected


def test_everything_in_a_private_package_is_private() -> None:
    symbols = table({"shop/__init__.py": "", "shop/_vendor/__init__.py": "", "shop/_vendor/lib.py": "def f(): ...\n"})
    assert public_map(symbols) == {
        "shop": True,
        "shop._vendor": False,
        "shop._vendor.lib": False,
        "shop._vendor.lib.f": False,
    }


# -- lookups ------------------------------------------------------------------------------------------


def test_by_short_name() -> None:
    symbols = table(
        {
            "shop/__init__.py": "from .cart import add_item\n",
            "shop/cart.py": CART,
            "shop/wishlist.py": "class Wishlist:\n    def total(self): ...\n    owner = None\n",
        }
    )
    assert symbols.by_short_name["add_item"] == ("shop.cart.add_item",)
    assert symbols.by_short_name["total"] == ("shop.cart.Cart.total", "shop.wishlist.Wishlist.total")
    assert symbols.by_short_name["owner"] == ("shop.cart.Cart.owner", "shop.wishlist.Wishlist.owner")
    assert symbols.by_short_name["cart"] == ("shop.cart",)
    assert symbols.by_short_name["shop"] == ("shop",)
    assert "nothing" not in symbols.by_short_name


def test_symbols_in_a_file_in_source_order() -> None:
    symbols = table(SHOP, ("src",))
    assert [s.qualname for s in symbols.symbols_in("src/shop/cart.py")] == [
        "shop.cart",
        "shop.cart.LIMIT",
        "shop.cart.add_item",
        "shop.cart.Cart",
        "shop.cart.Cart.__init__",
        "shop.cart.Cart.owner",
        "shop.cart.Cart.total",
        "shop.cart.Cart._recount",
    ]
    assert [s.line for s in symbols.symbols_in("src/shop/cart.py")] == [1, 3, 6, 11, 12, 13, 15, 18]
    assert symbols.symbols_in("src/shop/missing.py") == ()
    assert [s.qualname for s in symbols.symbols_in("src/shop/__init__.py")] == ["shop"]


def test_symbols_in_reflects_reexported_publicity() -> None:
    symbols = table({"shop/__init__.py": "from ._impl import f\n", "shop/_impl.py": IMPL})
    in_file = {s.qualname: s.public for s in symbols.symbols_in("shop/_impl.py")}
    assert in_file["shop._impl.f"] is True
    assert in_file["shop._impl.g"] is False


def test_modules_and_top_level() -> None:
    symbols = table(
        {
            "src/shop/__init__.py": "",
            "src/shop/cart.py": CART,
            "src/tool.py": "x = 1\n",
            "src/ns/plugin/a.py": "",
        },
        ("src",),
    )
    assert symbols.modules == {
        "src/shop/__init__.py": "shop",
        "src/shop/cart.py": "shop.cart",
        "src/tool.py": "tool",
        "src/ns/plugin/a.py": "ns.plugin.a",
    }
    assert symbols.top_level == frozenset({"shop", "tool", "ns"})


def test_package_wins_over_a_module_of_the_same_name() -> None:
    symbols = table({"pkg.py": "def from_module(): ...\n", "pkg/__init__.py": "def from_package(): ...\n"})
    assert set(symbols.symbols) == {"pkg", "pkg.from_package"}
    assert symbols.symbols["pkg"].path == "pkg/__init__.py"
    assert symbols.symbols_in("pkg.py") == ()
    assert symbols.modules == {"pkg.py": "pkg", "pkg/__init__.py": "pkg"}


def test_the_table_does_not_depend_on_input_order() -> None:
    files = {
        "shop/__init__.py": "from .cart import *\nfrom ._impl import Engine\n",
        "shop/cart.py": CART,
        "shop/_impl.py": IMPL,
    }
    found = find_modules(files, [""])
    pairs = [(m, extract_module(textwrap.dedent(files[p]).encode())) for p, m in found.items()]
    forward, backward = build_table(pairs), build_table(reversed(pairs))
    assert forward == backward
    assert list(forward.symbols) == list(backward.symbols)
    assert list(forward.by_short_name.items()) == list(backward.by_short_name.items())


def test_empty_table() -> None:
    symbols = build_table([])
    assert symbols.symbols == {}
    assert symbols.aliases == {}
    assert symbols.top_level == frozenset()
    assert symbols.diagnostics == ()
    assert symbols.target("x") is None


# -- files that do not parse --------------------------------------------------------------------------


def test_file_that_does_not_parse() -> None:
    symbols = table(
        {
            "shop/__init__.py": "from .cart import add_item\nfrom .broken import f\n",
            "shop/cart.py": CART,
            "shop/broken.py": "def ok():\n    pass\n\n\ndef f(:\n    pass\n",
        },
        broken=True,
    )
    assert symbols.diagnostics == (
        Diagnostic(
            "shop/broken.py",
            5,
            "could not parse this file (invalid syntax); only the names of its classes and functions are read",
        ),
    )
    assert sorted(name for name in symbols.symbols if name.startswith("shop.broken")) == [
        "shop.broken",
        "shop.broken.f",
        "shop.broken.ok",
    ], "its names, read from its tokens"
    assert symbols.modules["shop/broken.py"] == "shop.broken"
    assert symbols.aliases == {"shop.add_item": "shop.cart.add_item", "shop.f": "shop.broken.f"}
    assert symbols.target("shop.cart.Cart.total") == "shop.cart.Cart.total"


def test_file_with_a_null_byte() -> None:
    symbols = table({"a.py": "x = 1\n", "b.py": "y = 1\x00\n"}, broken=True)
    assert len(symbols.diagnostics) == 1
    assert symbols.diagnostics[0].path == "b.py"
    assert symbols.diagnostics[0].line == 1
    assert "null bytes" in symbols.diagnostics[0].message
    assert set(symbols.symbols) >= {"a", "a.x"}
    assert {s for s in symbols.symbols if s.startswith("b")} <= {"b"}, "the module at most (its contents are unknown)"


def test_diagnostics_are_sorted_by_path() -> None:
    symbols = table({"z.py": "(\n", "a.py": "x = 1\n\n)\n", "m.py": "ok = 1\n"}, broken=True)
    assert [(d.path, d.line) for d in symbols.diagnostics] == [("a.py", 3), ("z.py", 1)]


@pytest.mark.parametrize(
    ("legacy", "init", "expected"),
    [
        # pytest's `_pytest/legacypath.py`: `import pytest` ... `pytest.Testdir = Testdir`.
        ("import shop\n\nclass Testdir:\n    pass\n\nshop.Testdir = Testdir\n", "", "shop._legacy.Testdir"),
        ("import shop as s\n\nclass Testdir:\n    pass\n\ns.Testdir = Testdir\n", "", "shop._legacy.Testdir"),
        # The module's own import of the name wins over an attribute another module sets.
        (
            "import shop\n\nclass Testdir:\n    pass\n\nshop.Testdir = Testdir\n",
            "from shop.real import Testdir\n",
            "shop.real.Testdir",
        ),
        # Only a module it imported: an attribute set on an instance is no re-export.
        ("import shop\n\nclass Testdir:\n    pass\n\nconfig = object()\nconfig.Testdir = Testdir\n", "", None),
    ],
    ids=["import-module", "import-as", "own-import-wins", "not-a-module"],
)
def test_an_attribute_set_on_an_imported_module_is_importable_from_it(
    legacy: str, init: str, expected: str | None
) -> None:
    files = {"shop/__init__.py": init, "shop/_legacy.py": legacy, "shop/real.py": "class Testdir:\n    pass\n"}
    assert table(files).target("shop.Testdir") == expected


def test_imports_from_outside_the_project_lead_nowhere_and_chains_through_ours_still_resolve() -> None:
    symbols = table(
        {
            "shop/__init__.py": "import logging\nfrom os import path\nfrom .api import add_item as add\n",
            "shop/api.py": "from .cart import add_item\nfrom collections import OrderedDict as add_item_order\n",
            "shop/cart.py": CART,
            "other/__init__.py": "from shop import add\nfrom requests import Session\n",
        }
    )
    assert symbols.aliases == {
        "shop.add": "shop.cart.add_item",
        "shop.api.add_item": "shop.cart.add_item",
        "other.add": "shop.cart.add_item",
    }
    assert symbols.foreign == {"shop.path": "os.path", "other.Session": "requests.Session"}


def test_a_name_imported_from_outside_keeps_a_star_import_from_taking_it() -> None:
    symbols = table(
        {
            "shop/__init__.py": "from json import loads\nfrom .cart import *\n",
            "shop/cart.py": CART + "\ndef loads(): ...\n",
        }
    )
    assert "shop.loads" not in symbols.aliases  # bound by the import first, as docsync has always read it
    assert symbols.aliases["shop.add_item"] == "shop.cart.add_item"
