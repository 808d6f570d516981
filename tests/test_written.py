"""Signatures the docs write, against the code's: Sphinx object directives, autodoc's explicit form, and inline
code a line presents as a signature (`Signature: `f(a, b=1)``, a heading)."""

from __future__ import annotations

import json

import pytest

from docsync.models import How, Reference, Style
from docsync.written import written_parameters
from tests.conftest import Repo, run

CART = "def add_item(cart, item, qty=1, *, note=''):\n    cart.append((item, qty, note))\n"


@pytest.mark.parametrize(
    ("style", "text", "line", "expected"),
    [
        (Style.AUTODOC, "add_item(cart, item, qty=1)", "", ["cart", "item", "qty=1"]),
        (Style.AUTODOC, "add_item", "", None),
        (Style.MD_CODE, "`add_item(cart, qty=2)`", "Signature: `add_item(cart, qty=2)`", ["cart", "qty=2"]),
        (Style.MD_CODE, "`add_item(cart)`", "### `add_item(cart)`", ["cart"]),
        (Style.MD_CODE, "`add_item(cart, qty=2)`", "Call `add_item(cart, qty=2)` to add two.", None),
        (Style.MD_CODE, "`add_item(cart, qty=2)`", "The signature `add_item(cart, qty=2)`", ["cart", "qty=2"]),
        (Style.CODE_BLOCK, "add_item(cart)", "Signature: add_item(cart)", None),
        (Style.AUTODOC, "add_item(cart, [qty])", "", ["cart", "qty"]),  # the bracket notation of optional ones
        (Style.AUTODOC, "add_item(cart[, qty=1[, note='']])", "", ["cart", "qty=1", "note=''"]),
        (Style.AUTODOC, "add_item(cart, qty=[1, 2])", "", ["cart", "qty=[1, 2]"]),  # a list default keeps its brackets
        (Style.AUTODOC, "Cache()", "", None),  # Sphinx's way to hide a signature
    ],
)
def test_what_writes_a_signature(style: Style, text: str, line: str, expected: list[str] | None) -> None:
    column = line.find(text) + 1 if text in line else 1
    reference = Reference("d.md", 1, column, "pkg.add_item", How.INFERRED, style, text)
    assert written_parameters(Reference("d.md", 1, column, "add_item", How.INFERRED, style, text), line) is None, (
        "a bare name, found by its suffix, is not certain enough"
    )
    written = written_parameters(reference, line)
    if expected is None:
        assert written is None
    else:
        assert written is not None
        assert [p.name + (f"={p.default}" if p.default else "") for p in written] == expected


def findings(repo: Repo, *args: str) -> list[tuple[int, str, str]]:
    data = json.loads(run(repo, "check", "--format", "json", *args).out)
    return [(f["line"], f["severity"], f["message"]) for f in data["findings"] if f["doc"] == "docs/api.md"]


@pytest.mark.parametrize(
    ("written", "severity", "words"),
    [
        ("add_item(cart, item, qty=1, note='')", None, ""),
        ("add_item(cart, item, qty=2, note='')", "warning", "the default of `qty` is `1`, not `2`"),
        ("add_item(cart, item, count=1, note='')", "error", "it has no parameter `count`"),
        ("add_item(cart, qty=1, note='')", "error", "it requires `item`, which the doc does not write"),
        ("add_item(cart, item, qty=1)", None, ""),  # an optional parameter left out is the doc's choice
        ("add_item(cart, item, qty=1, **options)", None, ""),
        ("add_item(cart, item, [qty=1, note=''])", None, ""),
    ],
)
def test_written_signatures_in_every_mode(git_repo: Repo, written: str, severity: str | None, words: str) -> None:
    doc = f"# API\n\nSignature: `shop.cart.{written}`\n"
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/api.md": doc})
    got = findings(git_repo)
    assert [(line, s) for line, s, _ in got] == ([(3, severity)] if severity else [])
    assert all(words in message for _, _, message in got)
    # A pull request reports only what it made wrong: the doc was already so at its base.
    git_repo.commit({"README.md": "# Shop\n"})
    assert findings(git_repo, "--base", base) == []


def test_the_bracket_notation_of_optional_parameters(git_repo: Repo) -> None:
    """`.. autofunction:: f(reason, [pytrace=True, msg=None])`: a written optional parameter the code lost is wrong."""
    doc = ".. autofunction:: shop.cart.add_item(cart, item, [qty=1, count=2])\n"
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/api.rst": doc})
    data = json.loads(run(git_repo, "check", "--format", "json").out)
    got = [(f["line"], f["severity"], f["message"]) for f in data["findings"] if f["doc"] == "docs/api.rst"]
    assert [(line, severity) for line, severity, _ in got] == [(1, "error")]
    assert "it has no parameter `count`" in got[0][2]


def test_a_signature_continued_over_lines(git_repo: Repo) -> None:
    """aiohttp's `.. function:: request(method, url, *, params=None, \\` goes on over backslashed lines: one
    signature, reported at its first line."""
    doc = (
        ".. module:: shop.cart\n\n"
        ".. function:: add_item(cart, item, \\\n"
        "                       qty=1, encoding='utf-8', \\\n"
        "                       note='')\n\n   Add it.\n"
    )
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/api.rst": doc})
    data = json.loads(run(git_repo, "check", "--format", "json").out)
    got = [(f["line"], f["severity"], f["message"]) for f in data["findings"] if f["doc"] == "docs/api.rst"]
    assert [(line, severity) for line, severity, _ in got] == [(3, "error")]
    assert "it has no parameter `encoding`" in got[0][2]


def test_a_pull_request_that_breaks_a_written_signature(git_repo: Repo) -> None:
    doc = "# API\n\n.. the same in Markdown:\n\n### `shop.cart.add_item(cart, item, qty=1, note='')`\n"
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/api.md": doc})
    git_repo.commit({"shop/cart.py": CART.replace("qty=1", "quantity=1").replace("qty,", "quantity,")})
    assert [(line, s) for line, s, _ in findings(git_repo, "--base", base)] == [(5, "error")]


def test_prose_names_what_the_examples_import(git_repo: Repo) -> None:
    """`Request` in prose after `from shop.cart import Request` is the project's Request, not a bare word."""
    code = "class Request:\n    def __init__(self, scope, receive=None):\n        self.scope = scope\n"
    doc = "# Requests\n\nSignature: `Request(scope, receive=None)`\n\n```python\nfrom shop.cart import Request\n```\n"
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": code, "docs/api.md": doc})
    assert findings(git_repo) == []
    git_repo.commit({"shop/cart.py": code.replace("receive=None", "receive")})
    assert [(line, s) for line, s, _ in findings(git_repo)] == [(3, "warning")]


@pytest.mark.parametrize(
    ("written", "severity"),
    [
        ("add_item(basket, thing, qty=1)", None),  # positional parameters named for the reader
        ("add_item(basket, thing, qty=1.0)", None),  # the same value
        ("add_item(basket, thing, qty=DEFAULT_QTY)", None),  # a constant: not comparable, not claimed wrong
        ("add_item(basket, thing, qty=2)", "warning"),
        ("add_item(basket, thing, quantity=1)", "error"),  # a keyword the code does not take
        ("add_item(basket)", "error"),  # too few: `item` is required
    ],
)
def test_what_a_written_signature_may_differ_in(git_repo: Repo, written: str, severity: str | None) -> None:
    doc = f"# API\n\nSignature: `shop.cart.{written}`\n"
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/api.md": doc})
    assert [s for _, s, _ in findings(git_repo)] == ([severity] if severity else [])


def test_a_written_none_is_a_claim(git_repo: Repo) -> None:
    """starlette's `Request(scope, receive=None)` when the code's default is `empty_receive`: passing None breaks."""
    code = "def serve(scope, receive=empty_receive):\n    pass\n"
    doc = "# API\n\nSignature: `shop.cart.serve(scope, receive=None)`\n"
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": code, "docs/api.md": doc})
    assert [s for _, s, _ in findings(git_repo)] == ["warning"]


def test_a_sentinel_default_the_code_fills_in_is_not_a_claim(git_repo: Repo) -> None:
    code = "def serve(site=None, scheme=''):\n    site = site or DEFAULT\n"
    doc = "# API\n\nSignature: `shop.cart.serve(site=admin_site)` or `shop.cart.serve(site='main', scheme='http')`\n"
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": code, "docs/api.md": doc.replace(" or", "\n\nSignature:")})
    assert findings(git_repo) == []


def test_a_pull_request_reports_only_the_clauses_it_made_wrong(git_repo: Repo) -> None:
    """aiohttp swapped a parameter and wrote the swap into a signature that already listed removed ones: the
    PR did not make those wrong. A clause it did make wrong is reported alone."""
    code = "def connect(*, limit=100, sockopts=None):\n    pass\n"
    doc = "# API\n\nSignature: `shop.cart.connect(*, limit=100, sockopts=None, loop=None)`\n"
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": code, "docs/api.md": doc})
    git_repo.commit(
        {"shop/cart.py": code.replace("sockopts", "factory"), "docs/api.md": doc.replace("sockopts", "factory")}
    )
    assert findings(git_repo, "--base", base) == []
    git_repo.commit({"shop/cart.py": code.replace("sockopts", "factory").replace("limit=100", "limit=10")})
    got = findings(git_repo, "--base", base)
    assert [(line, severity) for line, severity, _ in got] == [(3, "warning")]
    assert "the default of `limit` is `10`, not `100`" in got[0][2]
    assert "no parameter `loop`" not in got[0][2]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # Starlette's `Signature: StaticFiles(directory=None, packages=None, check_dir=True)`, then `html=False`.
        ("connect(*, limit=100, sockopts=None)", [(3, "warning")]),
        ("connect(*, limit=100)", []),  # it already left one out: leaving out another is its choice
        ("connect(*, limit=100, sockopts=None, **more)", []),
    ],
)
def test_a_pull_request_that_adds_a_parameter_to_a_complete_written_signature(
    git_repo: Repo, written: str, expected: list[tuple[int, str]]
) -> None:
    code = "def connect(*, limit=100, sockopts=None):\n    pass\n"
    doc = f"# API\n\nSignature: `shop.cart.{written}`\n"
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": code, "docs/api.md": doc})
    git_repo.commit({"shop/cart.py": code.replace("sockopts=None", "sockopts=None, html=False")})
    got = findings(git_repo, "--base", base)
    assert [(line, severity) for line, severity, _ in got] == expected
    assert all("it takes `html` now" in message for _, _, message in got)
    assert findings(git_repo) == [], "the whole-repository check leaves an optional parameter to the doc"
