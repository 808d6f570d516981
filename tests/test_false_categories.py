"""Every category of FALSE finding in the accuracy corpus (benchmarks/accuracy/labels), as a minimal case (issue 14).

Each test rebuilds, in a tiny real repository, the pattern of one finding that docsync c827dbe reported and a
person judged FALSE (the label's `category` and `reason`), runs the whole-repository check (or a pull request's)
and asserts that the doc gets no finding; where it matters, that the reference still resolves (or is only
`unresolved` in `map`). Each fails on c827dbe with the false finding it is named after, except where it says so.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping
from typing import Any

import pytest

from tests.conftest import Repo, run

Files = Mapping[str, str | None]


def text(source: str) -> str:
    return textwrap.dedent(source).lstrip("\n")


def check(repo: Repo, *args: str) -> dict[str, Any]:
    result = run(repo, "check", "--format", "json", *args)
    assert result.code in (0, 1), result
    data: dict[str, Any] = json.loads(result.out)
    return data


def doc_map(repo: Repo) -> dict[str, Any]:
    result = run(repo, "map", "--format", "json")
    assert result.code == 0, result
    data: dict[str, Any] = json.loads(result.out)
    return data


def found(data: dict[str, Any], doc: str) -> list[str]:
    """The findings about one doc, as `line kind/severity symbol: message` (what a failing test shows)."""
    return [
        f"{f['line']} {f['kind']}/{f['severity']} {f['symbol']}: {f['message']}"
        for f in data["findings"]
        if f["doc"] == doc
    ]


def resolved(repo: Repo, doc: str) -> set[str]:
    return {r["symbol"] for r in doc_map(repo)["references"] if r["doc"] == doc}


def unresolved(repo: Repo, doc: str) -> list[str]:
    return [u["text"] for u in doc_map(repo)["unresolved"] if u["doc"] == doc]


def drifted(repo: Repo, before: Files, later: Files) -> dict[str, Any]:
    """The doc and its code on day 1, a change of the code on day 10 the doc never followed, a month more."""
    repo.commit({"shop/__init__.py": "", **before}, "code and docs", day=1)
    repo.commit(later, "the code changes", day=10)
    repo.commit({"README.md": "# Shop\n"}, "unrelated", day=40)
    return check(repo)


def as_it_stands(repo: Repo, files: Files) -> dict[str, Any]:
    """The doc and the code in one commit: nothing changed since, only what the doc says now is judged."""
    repo.commit({"shop/__init__.py": "", **files}, "code and docs", day=1)
    return check(repo)


# --- unused-parameter -----------------------------------------------------------------------------------------

SESSION = '''\
class Session:
    """A shopping session."""

    def __init__(self, owner=None, timeout=10, loop=None):
        self.owner = owner
        self.timeout = timeout
        self.loop = loop
'''
SESSION_DOC = text("""
    # Sessions

    Open a `shop.session.Session` for each customer:

    ```python
    from shop.session import Session

    session = Session(owner="ann")
    ```
""")


@pytest.mark.parametrize(
    "later",
    [
        SESSION.replace(", loop=None", "").replace("        self.loop = loop\n", ""),
        SESSION.replace("loop=None", "loop=None, *, retries=3"),
        SESSION.replace("timeout=10", "timeout=30"),
    ],
    ids=["a parameter removed", "a keyword-only parameter added", "another parameter's default"],
)
def test_unused_parameter(git_repo: Repo, later: str) -> None:
    """unused-parameter: `Session(owner="ann")` still fits; the parameters that changed are not written."""
    data = drifted(git_repo, {"shop/session.py": SESSION, "docs/sessions.md": SESSION_DOC}, {"shop/session.py": later})
    assert found(data, "docs/sessions.md") == []
    assert "shop.session.Session" in resolved(git_repo, "docs/sessions.md")


# --- annotation-only ------------------------------------------------------------------------------------------

TYPED_CART = '''\
import typing as t
from typing import Optional


class Cart:
    """A cart."""

    vars: t.Dict[str, t.Any]

    def __init__(self):
        self.vars = {}


def add_item(cart, item, qty: Optional[int] = None):
    cart.append((item, qty or 1))
'''
TYPED_DOC = text("""
    # Carts

    Call `shop.cart.add_item` to put an item in a cart; `shop.cart.Cart.vars` holds its variables.

    ```python
    from shop.cart import add_item

    add_item(cart, "pen")
    ```
""")


@pytest.mark.parametrize(
    "later",
    [
        TYPED_CART.replace("qty: Optional[int] = None", "qty: int | None = None"),
        TYPED_CART.replace("vars: t.Dict[str, t.Any]", "vars: dict[str, t.Any]"),
        TYPED_CART.replace("(cart, item, qty: Optional", "(cart: list, item: str, qty: Optional").replace(
            "= None):", "= None) -> None:"
        ),
    ],
    ids=["Optional[int] became int | None", "t.Dict became dict", "annotations added"],
)
def test_annotation_only(git_repo: Repo, later: str) -> None:
    """annotation-only: `Optional[int]` became `int | None` (or `t.Dict` `dict`, or types came); the doc writes none."""
    data = drifted(git_repo, {"shop/cart.py": TYPED_CART, "docs/carts.md": TYPED_DOC}, {"shop/cart.py": later})
    assert found(data, "docs/carts.md") == []
    assert {"shop.cart.add_item", "shop.cart.Cart.vars"} <= resolved(git_repo, "docs/carts.md")


# --- history-doc ----------------------------------------------------------------------------------------------

TOTALS = """\
def total(cart):
    return sum(qty for _, qty in cart)


def old_total(cart):
    return len(cart)
"""
TOTALS_LATER = "def total(cart):\n    return sum(qty for _, qty in cart)\n"


@pytest.mark.parametrize(
    ("doc", "content"),
    [
        ("docs/release-notes.md", "# Release notes\n\n- 1.1: `shop.cart.old_total` counts the lines of a cart.\n"),
        (
            "docs/api.rst",
            text("""
                API
                ===

                .. module:: shop.cart

                .. function:: total(cart)

                   Count the items of a cart.

                   .. versionchanged:: 2.0
                      It counts quantities; :func:`old_total` counted lines.
            """),
        ),
        (
            "docs/shop.md",
            text("""
                # Shop

                ## 2.0.0

                - `shop.cart.total` counts quantities.

                ## 1.1.0

                - `shop.cart.old_total` counts lines.

                ## 1.0.0

                - First release.
            """),
        ),
    ],
    ids=["release notes", "a versionchanged block", "headings that are versions"],
)
def test_history_doc(git_repo: Repo, doc: str, content: str) -> None:
    """history-doc: release notes (or a versionchanged block) name `old_total`, removed since, on purpose."""
    data = drifted(git_repo, {"shop/cart.py": TOTALS, doc: content}, {"shop/cart.py": TOTALS_LATER})
    assert found(data, doc) == []


# --- inferred-behaviour ---------------------------------------------------------------------------------------

PAGE = '''\
class Page:
    """A page of the shop."""

    def __init__(self, body):
        self._body = body
        self._text = None

    def text(self):
        """The body as text, decoded once."""
        if self._text is None:
            try:
                self._text = self._body.decode()
            except LookupError:
                raise ValueError("unknown charset")
        return self._text
'''
PAGE_DOC = "# Pages\n\n`shop.page.Page.text` decodes the body once and keeps the result.\n"


@pytest.mark.parametrize(
    "later",
    [
        PAGE.replace("except LookupError:", "except (LookupError, UnicodeDecodeError):"),
        PAGE.replace("The body as text, decoded once.", "The body as text (decoded once, then kept)."),
    ],
    ids=["its body", "its docstring"],
)
def test_inferred_behaviour(git_repo: Repo, later: str) -> None:
    """inferred-behaviour: `Page.text` also catches UnicodeDecodeError now; the doc only says it caches."""
    data = drifted(git_repo, {"shop/page.py": PAGE, "docs/pages.md": PAGE_DOC}, {"shop/page.py": later})
    assert found(data, "docs/pages.md") == []
    assert resolved(git_repo, "docs/pages.md") == {"shop.page.Page.text"}


# --- file-name ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["shop.yml", "setup.py", "__init__.py"],
)
def test_file_name(git_repo: Repo, written: str) -> None:
    """file-name: `shop.yml` (or `setup.py`, `__init__.py`) in prose is a file that exists, not `shop.<yml>`."""
    data = as_it_stands(
        git_repo,
        {
            "shop/cart.py": "def total(cart):\n    return len(cart)\n",
            "shop.yml": "name: shop\n",
            "setup.py": "from setuptools import setup\n\nsetup(name='shop')\n",
            "hatch_build.py": "def build(data):\n    return data\n",  # a module at the root: a path there may be ours
            "docs/setup.md": f"# Setup\n\nWrite your settings in `{written}` and keep it next to the code.\n",
        },
    )
    assert found(data, "docs/setup.md") == []


# --- decorator-or-base ----------------------------------------------------------------------------------------

STYLE = '''\
import dataclasses
from functools import lru_cache

SLOTS = {"slots": True}


class Style:
    """A text style."""

    @classmethod
    @lru_cache(maxsize=1024)
    def parse(cls, definition):
        return cls()


@dataclasses.dataclass(**SLOTS)
class Alias:
    path: str


class BaseRequest:
    """The old base."""


class ETagMixin:
    """Entity tags."""


class Request(BaseRequest, ETagMixin):
    def __init__(self, path):
        self.path = path
'''
STYLE_DOC = text("""
    # Styles

    `shop.style.Style.parse` reads a definition and returns a style; `shop.style.Alias` names a field.

    ```python
    from shop.style import Request

    request = Request("/cart")
    ```
""")


@pytest.mark.parametrize(
    "later",
    [
        STYLE.replace("maxsize=1024", "maxsize=4096"),
        STYLE.replace("@dataclasses.dataclass(**SLOTS)", "@dataclasses.dataclass(slots=True)"),
        STYLE.replace("class Request(BaseRequest, ETagMixin):", "class Request(BaseRequest):"),
    ],
    ids=["lru_cache's maxsize", "the dataclass decorator respelled", "a base class dropped"],
)
def test_decorator_or_base(git_repo: Repo, later: str) -> None:
    """decorator-or-base: `@lru_cache(maxsize=1024)` became 4096 (or a base went); the doc's use is the same."""
    data = drifted(git_repo, {"shop/style.py": STYLE, "docs/styles.md": STYLE_DOC}, {"shop/style.py": later})
    assert found(data, "docs/styles.md") == []
    assert {"shop.style.Style.parse", "shop.style.Alias", "shop.style.Request"} <= resolved(git_repo, "docs/styles.md")


# --- external-reexport ----------------------------------------------------------------------------------------

RESPONSES_DOC = text("""
    # Responses

    Return a `shop.Response`, or a `shop.responses.HTMLResponse` for a page.

    ```python
    from shop import Response
    from shop.responses import HTMLResponse

    page = HTMLResponse("<p>cart</p>")
    ```
""")
REEXPORTS = text("""
    from othershop.responses import HTMLResponse as HTMLResponse
    from othershop.responses import Response as Response
""")
OWN_RESPONSES = text("""
    class Response:
        def __init__(self, body):
            self.body = body


    class HTMLResponse(Response):
        media_type = "text/html"
""")


@pytest.mark.parametrize("own_before", [False, True], ids=["always another package's", "moved to another package"])
def test_external_reexport(git_repo: Repo, own_before: bool) -> None:
    """external-reexport: `shop.Response` is `from othershop.responses import Response as Response`: it exists."""
    init = {"shop/__init__.py": "from shop.responses import Response as Response\n"}
    if own_before:
        git_repo.commit({**init, "shop/responses.py": OWN_RESPONSES, "docs/responses.md": RESPONSES_DOC}, day=1)
    git_repo.commit({**init, "shop/responses.py": REEXPORTS, "docs/responses.md": RESPONSES_DOC}, day=10)
    git_repo.commit({"README.md": "# Shop\n"}, "unrelated", day=40)
    data = check(git_repo)
    assert found(data, "docs/responses.md") == []


# --- never-existed --------------------------------------------------------------------------------------------

CONSOLE = '''\
class Console:
    """Where output goes."""

    def print(self, text):
        return text


class Screen:
    def update(self, renderable):
        return renderable
'''


@pytest.mark.parametrize(
    ("written", "unresolved_text"),
    [
        (":meth:`shop.console.Printer.print`", ":meth:`shop.console.Printer.print`"),
        (":meth:`shop.Screen.update`", ":meth:`shop.Screen.update`"),
        ("this:\n\n.. code-block:: python\n\n   from shop.console import feature_name\n", "feature_name"),
    ],
    ids=["a class that never was", "never a top-level name", "a placeholder in an example"],
)
def test_never_existed(git_repo: Repo, written: str, unresolved_text: str) -> None:
    """never-existed: `shop.console.Printer` was never a class of the project (the doc means Console): no drift."""
    doc = f"Console\n=======\n\nUse {written}\n"
    git_repo.commit({"shop/__init__.py": "", "shop/console.py": CONSOLE, "docs/console.rst": doc}, day=1)
    git_repo.commit({"shop/console.py": CONSOLE + "\n\ndef status():\n    return 'ok'\n"}, day=10)
    data = check(git_repo)
    assert found(data, "docs/console.rst") == []
    assert unresolved_text in unresolved(git_repo, "docs/console.rst")


# --- example-misread ------------------------------------------------------------------------------------------

OPTIONS = '''\
from typing import TypedDict


class Options(TypedDict, total=False):
    """Settings of a shop."""

    strict: bool
    currency: str


class Session:
    def add(self, instance):
        return instance

    def commit(self):
        return None
'''


@pytest.mark.parametrize(
    "example",
    [
        "from shop.config import Options\n\noptions = Options(strict=True)\n",
        "new_cart = object()\nSession.add(new_cart)\nSession.commit()\n",
    ],
    ids=["a TypedDict with total=False", "a session object called Session"],
)
def test_example_misread(git_repo: Repo, example: str) -> None:
    """example-misread: `Options(strict=True)` on a `TypedDict, total=False` needs no other key."""
    files = {
        "shop/__init__.py": "from shop.config import Options, Session\n",
        "shop/config.py": OPTIONS,
        "docs/config.md": f"# Configuration\n\n```python\n{example}```\n",
    }
    git_repo.commit(files, "code and docs", day=1)
    data = check(git_repo)
    assert found(data, "docs/config.md") == []


# --- dynamic-member -------------------------------------------------------------------------------------------

BUCKET = '''\
class Environment:
    """Holds settings; extensions add attributes."""

    def extend(self, **attributes):
        for key, value in attributes.items():
            setattr(self, key, value)


class Translations:
    def __init__(self, environment):
        environment.extend(install_translations=self.install)

    def install(self, translations):
        self.translations = translations


class Bucket:
    def __init__(self, key):
        self.key = key
        self.reset()

    def reset(self):
        self.code = None


class Slotted:
    __slots__ = ("key", "code")
'''


@pytest.mark.parametrize(
    "written",
    ["shop.bucket.Bucket.code", "shop.bucket.Environment.install_translations", "shop.bucket.Slotted.code"],
    ids=["assigned in a method", "added by environment.extend()", "in __slots__"],
)
def test_dynamic_member(git_repo: Repo, written: str) -> None:
    """dynamic-member: `Bucket.code` is assigned in `reset()`, which `__init__` calls: every instance has it."""
    doc = f"# Buckets\n\n`{written}` is set on every instance.\n"
    git_repo.commit({"shop/__init__.py": "", "shop/bucket.py": BUCKET, "docs/buckets.md": doc}, day=1)
    git_repo.commit({"shop/bucket.py": BUCKET.replace("self.key = key", "self.key = str(key)")}, day=10)
    data = check(git_repo)
    assert found(data, "docs/buckets.md") == []


def test_dynamic_member_that_was_a_class_attribute(git_repo: Repo) -> None:
    """dynamic-member: `Bucket.code` moved from the class body to `reset()`; every instance still has it."""
    before = "class Bucket:\n    code = None\n\n    def __init__(self, key):\n        self.key = key\n"
    doc = "# Buckets\n\n`shop.bucket.Bucket.code` holds the compiled code, or `None`.\n"
    data = drifted(git_repo, {"shop/bucket.py": before, "docs/buckets.md": doc}, {"shop/bucket.py": BUCKET})
    assert found(data, "docs/buckets.md") == []


# --- wrong-resolution -----------------------------------------------------------------------------------------

VERSION_FALLBACK = text("""
    try:
        from ._version import version as __version__
    except ImportError:
        __version__ = "unknown"
""")
FIXTURES = '''\
class Entity:
    """A test base."""


class Address(Entity):
    """A fixture of the test suite."""

    def __init__(self, email):
        self.email = email
'''
ADDRESSES = text("""
    # Addresses

    Each address belongs to a user:

    ```python
    address = Address(email="ann@example.com")
    ```
""")


def test_wrong_resolution_import_fallback(git_repo: Repo) -> None:
    """wrong-resolution: `shop.__version__` is bound by a relative import's fallback, not removed."""
    doc = "# Install\n\n`shop.__version__` says which version is installed.\n"
    git_repo.commit({"shop/__init__.py": '__version__ = "1.0"\n', "docs/install.md": doc}, "code and docs", day=1)
    git_repo.commit({"shop/__init__.py": VERSION_FALLBACK, ".gitignore": "shop/_version.py\n"}, "generated", day=10)
    git_repo.commit({"README.md": "# Shop\n"}, "unrelated", day=40)
    data = check(git_repo)
    assert found(data, "docs/install.md") == []
    assert "shop.__version__" in resolved(git_repo, "docs/install.md")


def test_wrong_resolution_a_test_fixture(git_repo: Repo) -> None:
    """wrong-resolution: the tutorial's own `Address` (never imported) is not the test fixture of that name."""
    data = drifted(
        git_repo,
        {"shop/testing/__init__.py": "", "shop/testing/fixtures.py": FIXTURES, "docs/addresses.md": ADDRESSES},
        {"shop/testing/fixtures.py": FIXTURES.replace("class Address(Entity):", "class Address:")},
    )
    assert found(data, "docs/addresses.md") == []
    assert resolved(git_repo, "docs/addresses.md") == set()


# --- declared-by-docs -----------------------------------------------------------------------------------------

GLOBALS_DOC = text("""
    Templates
    =========

    .. module:: shop

    Dicts are useful with the :func:`xmlattr` filter.

    .. py:currentmodule:: shop-globals

    .. function:: lipsum(n=5, html=True)

       Generates some lorem ipsum.

    .. class:: cycler(*items)

       Cycles through values.
""")


def test_declared_by_docs(git_repo: Repo) -> None:
    """declared-by-docs: `.. function:: lipsum(...)` under `.. py:currentmodule:: shop-globals` declares it."""
    files = {
        "shop/__init__.py": "",
        "shop/filters.py": "def do_xmlattr(d):\n    return d\n",
        "docs/templates.rst": GLOBALS_DOC,
    }
    git_repo.commit(files, "code and docs", day=1)
    data = check(git_repo)
    assert found(data, "docs/templates.rst") == []


# --- compatible-change ----------------------------------------------------------------------------------------

OPTION_TYPES = '''\
class Type:
    """A config option of one type."""

    def __init__(self, type_, default=None):
        self.type_ = type_
        self.default = default


class Templates:
    def __init__(self, directory, context_processors=None):
        self.directory = directory
        self.context_processors = context_processors or []
'''
OPTION_DOC = text("""
    # Options

    Pass the functions to the `context_processors` argument of `shop.options.Templates`:

    ```python
    from shop.options import Templates, Type

    size = Type(int, default=0)
    templates = Templates(directory="templates", context_processors=[add_user])
    ```
""")


@pytest.mark.parametrize(
    "later",
    [
        OPTION_TYPES.replace("(self, type_, default=None)", "(self, type_, /, default=None)"),
        OPTION_TYPES.replace(
            "(self, directory, context_processors=None)", "(self, directory, *, context_processors=None)"
        ),
    ],
    ids=["positional-only, passed by position", "keyword-only, passed by keyword"],
)
def test_compatible_change(git_repo: Repo, later: str) -> None:
    """compatible-change: `type_` became positional-only and `Type(int, default=0)` passes it by position."""
    data = drifted(
        git_repo, {"shop/options.py": OPTION_TYPES, "docs/options.md": OPTION_DOC}, {"shop/options.py": later}
    )
    assert found(data, "docs/options.md") == []
    assert {"shop.options.Type", "shop.options.Templates"} <= resolved(git_repo, "docs/options.md")


# --- unparsed-source ------------------------------------------------------------------------------------------

PEP_695 = '''\
type Items = list[str]


def first[T](items: list[T]) -> T:
    """The first item."""
    return items[0]
'''


def test_unparsed_source(git_repo: Repo) -> None:
    """unparsed-source: `shop.cart.first` exists; its module uses Python 3.12 syntax (PEP 695)."""
    doc = "# Carts\n\n`shop.cart.first` returns the first item of a cart.\n"
    data = as_it_stands(git_repo, {"shop/cart.py": PEP_695, "docs/carts.md": doc})
    assert found(data, "docs/carts.md") == []
    assert resolved(git_repo, "docs/carts.md") == {"shop.cart.first"}


# --- sentinel-default -----------------------------------------------------------------------------------------

SERVER = '''\
sentinel = object()


class TestServer:
    """A server for tests."""

    def __init__(self, app, *, scheme=sentinel, host="127.0.0.1"):
        self.app = app
        self.scheme = scheme
        self.host = host

    def start(self, ssl=None):
        if self.scheme is sentinel:
            self.scheme = "https" if ssl else "http"
'''
SERVER_RST = text("""
    Testing
    =======

    .. module:: shop.testing

    .. class:: TestServer(app, *, scheme="http", host="127.0.0.1")

       Runs `app` for a test, over plain "http" unless an SSL context is given.
""")
SERVER_MD = text("""
    # Testing

    Signature: `shop.testing.TestServer(app, *, scheme="http", host="127.0.0.1")`

    Runs `app` for a test, over plain "http" unless an SSL context is given.
""")


@pytest.mark.parametrize(
    ("doc", "content"),
    [("docs/testing.rst", SERVER_RST), ("docs/testing.md", SERVER_MD)],
    ids=["a class directive", "a signature line"],
)
def test_sentinel_default(git_repo: Repo, doc: str, content: str) -> None:
    """sentinel-default: the doc writes `scheme="http"`; the code's `scheme=""` is a sentinel start() fills in."""
    # c827dbe was quiet on the directive (it did not compare written signatures; the label is a later version's).
    later = SERVER.replace("scheme=sentinel", 'scheme=""').replace("if self.scheme is sentinel:", "if not self.scheme:")
    data = drifted(git_repo, {"shop/testing.py": SERVER, doc: content}, {"shop/testing.py": later})
    assert found(data, doc) == []
    assert "shop.testing.TestServer" in resolved(git_repo, doc)


# --- not-python, pseudo-code, elided-example: blocks that were never meant to run -----------------------------

CAPTIONED = text("""
    # Code blocks

    ```{code-block} python
    :lineno-start: 10
    :caption: |
    :     This is my
    :     multi-line caption (it is nifty ;-)

    from shop.cart import total
    print(total([]))
    ```
""")
MAGIC = text("""
    # Notebooks

    Multiline magics are left alone:

    ```python
    %timeit total(1, \\
            2, \\
            3)
    ```
""")
PSEUDO = text("""
    # Imports

    Another tool's "Grid" mode wraps imports so:

    ```python
    from third_party import (lib1, lib2, lib3,
                             lib4, lib5, ...)
    ```
""")
ELIDED_LIST = text("""
    # Static files

    ```python
    from shop.cart import total

    routes = [
        ...
        total([]),
    ]
    ```
""")
ELIDED_CALL = text("""
    # Fetching

    ```python
    from shop.cart import fetch

    page = fetch(...)
    ```
""")
TOTAL_AND_FETCH = "def total(cart):\n    return len(cart)\n\n\ndef fetch(method, url, *, timeout=10):\n    return url\n"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(CAPTIONED, id="not-python: a MyST option block"),
        pytest.param(MAGIC, id="not-python: an IPython line magic"),
        pytest.param(PSEUDO, id="pseudo-code: an import list with ..."),
        pytest.param(ELIDED_LIST, id="elided-example: a ... line elides the other routes"),
        pytest.param(ELIDED_CALL, id="elided-example: fetch(...) elides its arguments, url among them"),
    ],
)
def test_blocks_never_meant_to_run(git_repo: Repo, content: str) -> None:
    """not-python, pseudo-code, elided-example: a `...` or an option line in a block shown on purpose."""
    data = as_it_stands(git_repo, {"shop/cart.py": TOTAL_AND_FETCH, "docs/blocks.md": content})
    assert found(data, "docs/blocks.md") == []


@pytest.mark.parametrize("content", [CAPTIONED, MAGIC], ids=["a MyST option block", "an IPython line magic"])
def test_not_python_in_a_pull_request(git_repo: Repo, content: str) -> None:
    """not-python: a pull request adds a block whose option lines or magic are not Python; its Python parses."""
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": TOTAL_AND_FETCH}, "code", day=1)
    git_repo.commit({"docs/blocks.md": content}, "a doc", day=2)
    data = check(git_repo, "--base", base)
    assert found(data, "docs/blocks.md") == []


# --- main-module ----------------------------------------------------------------------------------------------

MAIN = '''\
def make_card():
    """A card that shows what the shop can do."""
    return "card"


if __name__ == "__main__":
    print(make_card())
'''


def test_main_module(git_repo: Repo) -> None:
    """main-module: `from shop.__main__ import make_card` names a function of shop/__main__.py, which exists."""
    doc = "# Demo\n\n```python\nfrom shop.__main__ import make_card\n\nprint(make_card())\n```\n"
    data = as_it_stands(git_repo, {"shop/__main__.py": MAIN, "docs/demo.md": doc})
    assert found(data, "docs/demo.md") == []


# --- unpacked-kwargs ------------------------------------------------------------------------------------------

CLIENT = '''\
class Session:
    """A client session."""

    def get(self, url, *, allow_redirects=True, **kwargs):
        return url
'''
CLIENT_TYPED = '''\
from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from typing import Unpack


class _Options(TypedDict, total=False):
    allow_redirects: bool
    timeout: float


class Session:
    """A client session."""

    if TYPE_CHECKING:

        def get(self, url, **kwargs: Unpack[_Options]): ...

    else:

        def get(self, url, *, allow_redirects=True, **kwargs):
            return url
'''
CLIENT_DOC = text("""
    # Redirects

    Pass `allow_redirects=False` to `shop.client.Session.get` to stay on the first page.
""")


def test_unpacked_kwargs(git_repo: Repo) -> None:
    """unpacked-kwargs: `allow_redirects` is still `get`'s at run time, past an `if TYPE_CHECKING:` stub."""
    data = drifted(
        git_repo, {"shop/client.py": CLIENT, "docs/redirects.md": CLIENT_DOC}, {"shop/client.py": CLIENT_TYPED}
    )
    assert found(data, "docs/redirects.md") == []
    assert "shop.client.Session.get" in resolved(git_repo, "docs/redirects.md")


FORM = text("""
    class LoginForm:
        def __init__(self, username, password, scope="", grant_type=None):
            self.username = username
            self.password = password
            self.scope = scope
            self.grant_type = grant_type
""")
FORM_DOC = text("""
    # Logging in

    `shop.forms.LoginForm` declares the form's fields:

    * `username`.
    * `password`.
    * `scope`, a string of scopes separated by spaces.
    * `grant_type`.
""")


def test_parameter_not_member(git_repo: Repo) -> None:
    """parameter-not-member: a list of a form's fields names its constructor's parameters; the attribute `scope`
    becoming `scopes` leaves the field `scope` right (FastAPI's OAuth2PasswordRequestForm). New with member lists
    (b11bd17), so it does not fail on c827dbe."""
    later = {"shop/forms.py": FORM.replace("self.scope = scope", "self.scopes = scope.split()")}
    data = drifted(git_repo, {"shop/forms.py": FORM, "docs/login.md": FORM_DOC}, later)
    assert found(data, "docs/login.md") == []
    assert "shop.forms.LoginForm.grant_type" in resolved(git_repo, "docs/login.md")  # the list is read as members
