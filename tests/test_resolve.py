"""Resolution: a reference's written name × the project's symbol table → the symbol it means, or nothing."""

from __future__ import annotations

import pytest

from docsync.models import How, Reference, Style
from docsync.resolve import list_owner, resolve, resolve_references
from docsync.symbols.extract import extract_module
from docsync.symbols.layout import find_modules
from docsync.symbols.table import SymbolTable, build_table
from tests.conftest import table_of

PROJECT = {
    "src/shop/__init__.py": "from .cart import Cart, add_item\nfrom .templates import Template\nfrom . import pricing\n",
    "src/shop/cart.py": (
        "from .base import Model\n"
        "from external import Thing\n"
        "class Cart(Model):\n"
        "    limit = 3\n"
        "    def __init__(self):\n        self.items = []\n"
        "    def total(self, currency='EUR'):\n        return 0\n"
        "class Basket(Thing):\n    pass\n"
        "def add_item(cart, item, qty=1):\n    pass\n"
        "def remove_item(cart, item):\n    pass\n"
        "def _private_helper():\n    pass\n"
    ),
    "src/shop/base.py": "class Model:\n    def save(self):\n        pass\n",
    "src/shop/pricing.py": "TAX_RATE = 0.2\ndef apply_discount(total, percent):\n    pass\ndef total():\n    pass\n",
    "src/shop/session.py": "def get(url):\n    pass\n",
    "src/shop/sub/__init__.py": "",
    "src/shop/templates.py": "class Template:\n    def render(self, context):\n        pass\n",
    "src/shop/_backends.py": "class Template:\n    def render(self, context=None, request=None):\n        pass\n",
}


@pytest.fixture(scope="module")
def table() -> SymbolTable:
    modules = find_modules(PROJECT, ("src",))
    return build_table((modules[path], extract_module(source.encode())) for path, source in PROJECT.items())


def ref(name: str, how: How = How.INFERRED, style: Style = Style.MD_CODE, **fields: object) -> Reference:
    return Reference(
        doc=str(fields.pop("doc", "docs/guide.md")), line=1, column=1, name=name, how=how, style=style, text=name,
        **fields,  # type: ignore[arg-type]
    )  # fmt: skip


EXPLICIT = How.EXPLICIT
ROLE = Style.RST_ROLE


def role(text: str, name: str) -> Reference:
    return Reference("docs/api.rst", 1, 1, name, How.EXPLICIT, Style.RST_ROLE, text)


CASES = [
    # (id, reference, expected symbol, project-looking)
    ("full name", ref("shop.cart.add_item"), "shop.cart.add_item", True),
    ("re-export", ref("shop.add_item"), "shop.cart.add_item", True),
    ("re-exported class member", ref("shop.Cart.total"), "shop.cart.Cart.total", True),
    ("Class.method by suffix", ref("Cart.total"), "shop.cart.Cart.total", True),
    ("unique short name", ref("add_item"), "shop.cart.add_item", False),
    ("short class name", ref("Cart"), "shop.cart.Cart", False),
    ("short constant", ref("TAX_RATE"), "shop.pricing.TAX_RATE", False),
    ("common word never guessed", ref("get"), None, False),
    ("ambiguous short name", ref("total"), None, False),
    ("private short name is fine", ref("_private_helper"), "shop.cart._private_helper", False),
    ("two letters never guessed", ref("ab"), None, False),
    ("builtin", ref("len"), None, False),
    ("stdlib dotted", ref("os.path.join"), None, False),
    ("third-party dotted", ref("numpy.array"), None, False),
    ("the project's name in prose", ref("shop"), None, False),
    ("the project's name, explicitly", ref("shop", EXPLICIT, ROLE), "shop", True),
    ("bare module names are not guessed", ref("pricing"), None, False),
    ("dotted module", ref("shop.pricing"), "shop.pricing", True),
    ("missing member of a project module", ref("shop.cart.gone"), None, True),
    ("missing member of a project class", ref("shop.cart.Cart.gone"), None, True),
    ("inherited member", ref("shop.cart.Cart.save"), "shop.base.Model.save", True),
    ("base class we cannot see", ref("shop.cart.Basket.whatever"), None, False),
    ("instance attribute", ref("shop.cart.Cart.items"), "shop.cart.Cart.items", True),
    (
        "attribute access on a value, in code",
        ref("shop.cart.Cart.items.append", style=Style.CODE_BLOCK),
        "shop.cart.Cart.items",
        True,
    ),
    (
        "attribute access on a value, in prose: never the value with its tail dropped",
        ref("shop.cart.Cart.items.append"),
        None,
        False,
    ),
    (
        "call on a function's result is not ours to check",
        ref("shop.pricing.apply_discount.__doc__", style=Style.CODE_BLOCK),
        "shop.pricing.apply_discount",
        True,
    ),
    (
        "Sphinx ~ already stripped, . prefix searches",
        ref(".add_item", EXPLICIT, ROLE),
        "shop.cart.add_item",
        True,
    ),
    (
        "role in currentmodule",
        ref("add_item", EXPLICIT, ROLE, context="shop.cart"),
        "shop.cart.add_item",
        True,
    ),
    (
        "role in class context",
        ref("total", EXPLICIT, ROLE, context="shop.cart.Cart"),
        "shop.cart.Cart.total",
        True,
    ),
    (
        "role by suffix: among several, the public one",
        ref("Template.render", EXPLICIT, ROLE, context="shop.cart"),
        "shop.templates.Template.render",
        True,
    ),
    (
        "a declaration names its own place: among several, none",
        ref("Template.render", EXPLICIT, Style.AUTODOC, context="shop.cart"),
        None,
        False,
    ),
    (
        "a declaration is not in a parent package that exports the name",
        ref("Template.render", EXPLICIT, Style.AUTODOC, context="shop.sub.backends"),
        None,
        False,
    ),
    (
        "a role searches outward from its module",
        ref("add_item", EXPLICIT, ROLE, context="shop.sub"),
        "shop.cart.add_item",
        True,
    ),
    ("role missing in our module", ref("gone", EXPLICIT, ROLE, context="shop.cart"), None, True),
    # `.. module:: sphinxcontrib.applehelp` then `.. class:: Template`: another package's class, not ours by suffix.
    (
        "declaration in another package's module",
        ref("Template", EXPLICIT, Style.AUTODOC, context="other.mod"),
        None,
        False,
    ),
    ("role in another package's module", ref("Template.render", EXPLICIT, ROLE, context="other.mod"), None, False),
    # Sphinx's `:data:`meta`` (a template variable) is not the class `sphinx.addnodes.meta`, the one `meta` there is.
    ("a data role never guesses a class", role(":data:`Basket`", "Basket"), None, False),
    ("a class role guesses the class", role(":class:`Basket`", "Basket"), "shop.cart.Basket", True),
    ("a data role guesses data", role(":py:data:`TAX_RATE`", "TAX_RATE"), "shop.pricing.TAX_RATE", True),
    ("a declaration outside any module is the doc's own", ref("Basket", EXPLICIT, Style.AUTODOC), None, False),
    (
        "a declaration in its module",
        ref("Basket", EXPLICIT, Style.AUTODOC, context="shop.cart"),
        "shop.cart.Basket",
        True,
    ),
    ("stdlib role in our module", ref("os.path.join", EXPLICIT, ROLE, context="shop.cart"), None, False),
    ("builtin role in our module", ref("len", EXPLICIT, ROLE, context="shop.cart"), None, False),
    ("stdlib role without context", ref("json.dumps", EXPLICIT, ROLE), None, False),
    ("marker naming nothing is ours", ref("whatever", EXPLICIT, Style.MARKER), None, True),
    ("inferred word with context", ref("get", context="shop.session"), None, False),
    (
        "inferred name with context",
        ref("apply_discount", context="shop.pricing"),
        "shop.pricing.apply_discount",
        False,
    ),
    # Source links and paths.
    ("path to a module", ref("", path="../src/shop/cart.py"), "shop.cart", True),
    ("repo-root path", ref("", path="/src/shop/pricing.py"), "shop.pricing", True),
    ("line anchor", ref("", path="../src/shop/cart.py", lines=(7, 8)), "shop.cart.Cart.total", True),
    (
        "line anchor spanning two symbols",
        ref("", path="../src/shop/cart.py", lines=(7, 11)),
        "shop.cart",
        True,
    ),
    (
        "pyobject",
        ref("Cart.total", EXPLICIT, Style.LITERALINCLUDE, path="../src/shop/cart.py"),
        "shop.cart.Cart.total",
        True,
    ),
    ("missing file in a package folder", ref("", path="../src/shop/gone.py"), None, True),
    ("file that is not ours", ref("", path="../setup.py"), None, False),
]


@pytest.mark.parametrize(("reference", "symbol", "ours"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_resolve(table: SymbolTable, reference: Reference, symbol: str | None, ours: bool) -> None:
    assert resolve(reference, table) == (symbol, ours)


def test_resolve_references_splits_and_sorts(table: SymbolTable) -> None:
    references = [ref("shop.cart.gone"), ref("os.path"), ref("shop.add_item", doc="a.md"), ref("Cart")]
    doc_map = resolve_references(references, table)
    assert [(r.doc, r.symbol) for r in doc_map.references] == [
        ("a.md", "shop.cart.add_item"),
        ("docs/guide.md", "shop.cart.Cart"),
    ]
    assert [r.name for r in doc_map.unresolved] == ["shop.cart.gone"]


LAZY = {
    "src/lazy/__init__.py": (
        "def __getattr__(name):\n"
        "    if name == 'OldName':\n        return 1\n"
        "    if name in {'older', 'oldest'}:\n        return 2\n"
        "    raise AttributeError(name)\n"
    ),
    "src/lazy/open.py": "def __getattr__(name):\n    return globals()['_' + name]\n",
}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("lazy.OldName", (None, False)),  # served by __getattr__ (a deprecated name): exists, unseen
        ("lazy.older", (None, False)),
        ("lazy.Gone", (None, True)),  # __getattr__ raises for anything else: really missing
        ("lazy.open.anything", (None, False)),  # an open __getattr__ may serve any name
    ],
)
def test_module_getattr(name: str, expected: tuple[str | None, bool]) -> None:
    """PEP 562 module `__getattr__`: names it spells out exist; others are missing only if it serves no others."""
    modules = find_modules(LAZY, ("src",))
    table = build_table((modules[path], extract_module(source.encode())) for path, source in LAZY.items())
    assert resolve(ref(name), table) == expected


# --- resolution faults seen on real projects (issue 14): each failed before its fix -------------------------

FAULTS = {
    "pkg/__init__.py": "from pkg.json import dumps\n\ncodes = {'ok': 200}\n",
    "pkg/json.py": "def dumps(x):\n    return x\n\n\ndef loads(x):\n    return x\n",
    "pkg/client.py": "try:\n    import brotli\nexcept ImportError:\n    brotli = None\n\n\ndef get():\n    pass\n",
    "pkg/about.py": "try:\n    from ._version import version as __version__\nexcept ImportError:\n    __version__ = 'unknown'\n",
}


@pytest.fixture
def faults() -> SymbolTable:
    modules = find_modules(FAULTS, ("",))
    return build_table((modules[p], extract_module(s.encode())) for p, s in FAULTS.items())


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        # Never drop the tail of a dotted name: `codes.ok` under `.. module:: pkg` is not `pkg.codes`.
        (ref("codes.ok", How.EXPLICIT, Style.RST_ROLE, context="pkg"), (None, False)),
        (ref("codes", How.EXPLICIT, Style.RST_ROLE, context="pkg"), ("pkg.codes", True)),
        # A third-party module is not the project's import fallback (`brotli = None` under `except ImportError`).
        (ref("brotli"), (None, False)),
        (ref("brotli", style=Style.CODE_BLOCK), (None, False)),
        (ref("brotli.compress", style=Style.CODE_BLOCK), (None, False)),
        # ...but a relative import's fallback is our own name (`_version.py` is generated at build time).
        (ref("pkg.about.__version__"), ("pkg.about.__version__", True)),
        # The standard library's `json` is not `pkg.json`: an example imports it, prose calls it built-in.
        (ref("json.dumps", style=Style.CODE_BLOCK), (None, False)),
        (ref("json.loads"), (None, False)),
        (ref("json.loads", How.EXPLICIT, Style.RST_ROLE), (None, False)),
        # ...but the project's own module, written as such, is the project's.
        (ref("pkg.json.loads"), ("pkg.json.loads", True)),
        (ref("pkg.json.loads", style=Style.CODE_BLOCK), ("pkg.json.loads", True)),
    ],
    ids=["tail-kept", "value-itself", "fallback-prose", "fallback-code", "fallback-member", "own-fallback", "stdlib-in-code",
         "stdlib-in-prose", "stdlib-role", "ours-dotted", "ours-in-code"],
)  # fmt: skip
def test_resolution_faults(faults: SymbolTable, reference: Reference, expected: tuple[str | None, bool]) -> None:
    assert resolve(reference, faults) == expected


def test_a_name_resolves_the_same_whatever_the_order_of_the_references(faults: SymbolTable) -> None:
    """The memo of a run is keyed by all `resolve` looks at: a name in code (only what the top-level package
    exports) and the same name in prose (a unique short name) must not share an answer (a cold and a warm run
    listed the docs in another order, and `map` answered differently)."""
    prose, code = ref("loads"), ref("loads", style=Style.CODE_BLOCK)
    forward = resolve_references([prose, code], faults)
    backward = resolve_references([code, prose], faults)
    assert forward == backward
    assert resolve(prose, faults) != resolve(code, faults), "a control: the two do resolve differently"


# --- member lists: `- `total()`: ...` items resolve against the class most of them belong to -----------------------


def _item(name: str, siblings: tuple[str, ...], line: int = 5) -> Reference:
    return Reference("docs/api.md", line, 3, name, How.INFERRED, Style.MD_CODE, f"`{name}()`", siblings=siblings)


@pytest.mark.parametrize(
    ("names", "owner"),
    [
        (("total", "save", "items", "limit"), "shop.cart.Cart"),  # `save` inherited from Model; `items` set in __init__
        (("total", "save", "limit", "gone"), "shop.cart.Cart"),  # three of four: enough
        (("total", "save", "gone", "other"), None),  # two of four: not enough
        (("total", "save"), None),  # fewer than three never make a list about a class
        (("apply_discount", "TAX_RATE", "total"), "shop.pricing"),  # a module's functions
        (("add_item", "remove_item", "limit"), None),  # no owner has three of them
    ],
)
def test_a_member_list_is_about_the_class_most_of_its_names_belong_to(
    table: SymbolTable, names: tuple[str, ...], owner: str | None
) -> None:
    assert list_owner(names, table) == owner


def test_member_list_items_resolve_against_their_class_and_a_missing_one_is_named_in_full(table: SymbolTable) -> None:
    names = ("total", "save", "limit", "gone")
    doc_map = resolve_references([_item(name, names, line) for line, name in enumerate(names, start=5)], table)
    assert [(r.name, r.symbol) for r in doc_map.references] == [
        ("total", "shop.cart.Cart.total"),
        ("save", "shop.base.Model.save"),
        ("limit", "shop.cart.Cart.limit"),
    ]
    assert [r.name for r in doc_map.unresolved] == ["shop.cart.Cart.gone"]  # what history looks for
    # The same word outside a list is still a bare word: `total` is two symbols, never guessed.
    assert resolve_references([_item("total", ())], table).references == ()


def test_a_list_of_a_forms_fields_names_its_constructors_parameters() -> None:
    """FastAPI's `OAuth2PasswordRequestForm` fields: `scope` is a parameter (the attribute is `scopes`), not gone."""
    source = (
        "class Form:\n    def __init__(self, username, password, scope='', grant_type=None):\n"
        "        self.username = username\n        self.password = password\n        self.scopes = scope.split()\n"
        "        self.grant_type = grant_type\n"
    )
    files = {"pkg/__init__.py": "", "pkg/forms.py": source}
    form_table = table_of(files)
    names = ("username", "password", "scope", "grant_type")
    doc_map = resolve_references([_item(name, names) for name in names], form_table)
    assert {r.symbol for r in doc_map.references} == {
        f"pkg.forms.Form.{n}" for n in ("username", "password", "grant_type")
    }
    assert doc_map.unresolved == ()


RETURNING = {
    "pkg/__init__.py": "from pkg.api import get\n",
    "pkg/models.py": (
        "class Response:\n    def json(self):\n        return {}\n\n    def again(self) -> 'Self':\n        return self\n"
    ),
    "pkg/api.py": (
        "from pkg.models import Response\n\n\ndef get(url) -> Response:\n    return Response()\n\n\n"
        "def maybe(url) -> Response | None:\n    return None\n\n\ndef bare(url):\n    return 1\n"
    ),
}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("pkg.get().json", ("pkg.models.Response.json", True)),  # through the re-export and the annotation
        ("pkg.api.get().again().json", ("pkg.models.Response.json", True)),  # `-> Self`
        ("pkg.api.get().gone", (None, False)),  # unknown: what is returned may be a subclass of Response
        ("pkg.api.maybe().json", (None, False)),  # a union: anything may follow
        ("pkg.api.bare().json", (None, False)),  # not annotated
    ],
)
def test_what_a_function_returns(name: str, expected: tuple[str | None, bool]) -> None:
    """`r = pkg.get(url)` in an example makes `r.json` the name `pkg.get().json` (see `examples.scope.RESULT`)."""
    table = table_of(RETURNING)
    assert resolve(Reference("d.md", 1, 1, name, How.INFERRED, Style.CODE_BLOCK, "r.json"), table) == expected
