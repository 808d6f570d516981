"""Code examples checked against current signatures, end to end, in Markdown, RST and notebooks."""

from __future__ import annotations

import json

from tests.conftest import Repo, run

CODE = {
    "src/shop/__init__.py": "from .cart import Cart, add_item\n",
    "src/shop/cart.py": (
        "class Cart:\n"
        "    def __init__(self, owner, *, currency='EUR'):\n"
        "        self.owner = owner\n"
        "\n"
        "    def total(self, *, rounding=2):\n"
        "        return 0\n"
        "\n"
        "    @staticmethod\n"
        "    def empty():\n"
        "        return Cart('nobody')\n"
        "\n"
        "def add_item(cart, item, qty=1):\n"
        "    pass\n"
        "\n"
        "def log(*args, **kwargs):\n"
        "    pass\n"
    ),
}
TUTORIAL = """# Tutorial

```python
from shop.cart import add_item as put
import shop
```

Later, in another block, the imports still hold:

```python
cart = shop.Cart("ada", currency="GBP")
put(cart, "tea", 2)
put(cart, "tea", 2, 3)
put(cart, "tea", amount=2)
cart.total(rounding=1)
cart.total(precision=1)
shop.cart.Cart.empty()
shop.cart.log(1, 2, x=3)
put(*things)
```

>>> from shop import Cart
>>> Cart()
>>> Cart("ada").total(2)

```python
from shop.cart import remove_item
```

```bash
put(cart)  # not Python: never checked
```

```python
def broken(:
```

```
pseudo code (with) ... that does not parse
```
"""
API_RST = """API
===

.. code-block:: python

   from shop import add_item
   add_item(cart)

.. doctest::

   >>> import shop.cart as c
   >>> c.add_item(cart, 'tea', qty=1, note='x')
"""


def example_findings(repo: Repo, *args: str) -> list[tuple[str, int, str, str]]:
    data = json.loads(run(repo, "check", "--format", "json", *args).out)
    return [
        (
            f["doc"],
            f["line"],
            f["severity"],
            f["message"].partition(f" {f['commit'][:7]};")[0] if f["commit"] else f["message"],
        )
        for f in data["findings"]
        if f["kind"] == "example"
    ]


def test_whole_repository_examples(git_repo: Repo) -> None:
    cart = CODE["src/shop/cart.py"]
    git_repo.commit({**CODE, "src/shop/cart.py": cart + "\n\ndef remove_item(cart, item):\n    cart.remove(item)\n"})
    git_repo.commit({**CODE, "docs/tutorial.md": TUTORIAL, "docs/api.rst": API_RST}, "remove_item goes")
    got = example_findings(git_repo)
    assert got == [
        (
            "docs/api.rst",
            7,
            "error",
            "the example calls shop.cart.add_item, which requires `item`, which the example does not pass",
        ),
        ("docs/api.rst", 12, "error", "the example calls shop.cart.add_item, which has no parameter `note`"),
        (
            "docs/tutorial.md",
            13,
            "error",
            "the example calls shop.cart.add_item, which takes 3 positional arguments but the example gives 4",
        ),
        ("docs/tutorial.md", 14, "error", "the example calls shop.cart.add_item, which has no parameter `amount`"),
        ("docs/tutorial.md", 16, "error", "the example calls shop.cart.Cart.total, which has no parameter `precision`"),
        (
            "docs/tutorial.md",
            23,
            "error",
            "the example calls shop.cart.Cart, which requires `owner`, which the example does not pass",
        ),
        (
            "docs/tutorial.md",
            24,
            "error",
            "the example calls shop.cart.Cart.total, which takes 0 positional arguments but the example gives 1",
        ),
        (
            "docs/tutorial.md",
            27,
            "error",
            "shop.cart.remove_item was removed in",
        ),
    ]  # the block that does not parse (line 35) is not checked, and not reported: a pull request that edits it is


def test_pull_request_reports_only_the_examples_it_broke(git_repo: Repo) -> None:
    base = git_repo.commit({**CODE, "docs/tutorial.md": TUTORIAL, "docs/api.rst": API_RST})
    git_repo.commit({"src/shop/cart.py": CODE["src/shop/cart.py"].replace("qty=1", "quantity=1")})
    got = example_findings(git_repo, "--base", base)
    assert [(doc, line, message) for doc, line, _, message in got] == [
        ("docs/api.rst", 12, "the example calls shop.cart.add_item, which has no parameter `qty`"),
    ]


def test_fixing_the_example_in_the_same_change(git_repo: Repo) -> None:
    base = git_repo.commit(
        {**CODE, "docs/api.rst": API_RST.replace(", note='x'", "").replace("add_item(cart)", "add_item(cart, 'tea')")}
    )
    git_repo.commit({
        "src/shop/cart.py": CODE["src/shop/cart.py"].replace("qty=1", "quantity=1"),
        "docs/api.rst": API_RST.replace(", note='x'", "").replace("add_item(cart)", "add_item(cart, 'tea')").replace("qty=1", "quantity=1"),
    })  # fmt: skip
    assert example_findings(git_repo, "--base", base) == []


def test_notebook_code_cells_are_examples(git_repo: Repo) -> None:
    notebook = {
        "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                   "source": ["from shop import add_item\n", "add_item(1, 2, 3, 4)\n"]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }  # fmt: skip
    git_repo.commit({**CODE, "docs/tour.ipynb": json.dumps(notebook, indent=1)})
    got = example_findings(git_repo)
    assert [(doc, message) for doc, _, _, message in got] == [
        (
            "docs/tour.ipynb",
            "the example calls shop.cart.add_item, which takes 3 positional arguments but the example gives 4",
        )
    ]
    line = got[0][1]
    assert "add_item(1, 2, 3, 4)" in (git_repo.path / "docs/tour.ipynb").read_text().splitlines()[line - 1]


def test_what_an_example_means_is_not_guessed(git_repo: Repo) -> None:
    """`Session.commit()` written in prose-like code means a session's method; `Foo()` that the example never
    imported is the example's own class, not the project's test fixture of that name."""
    code = {
        "src/shop/__init__.py": "",
        "src/shop/session.py": "class Session:\n    def commit(self):\n        pass\n\n    def add(self, item, _warn=True):\n        pass\n",
        "src/shop/testing.py": "class Foo:\n    def __init__(self, required):\n        self.required = required\n",
    }
    doc = "# Sessions\n\n```python\nfrom shop.session import Session\nSession.add(item)\nSession.commit()\nFoo()\n```\n"
    git_repo.commit({**code, "docs/s.md": doc})
    assert example_findings(git_repo) == []
    exported = {"src/shop/__init__.py": "from shop.testing import Foo\n"}  # now `Foo()` means the package's
    git_repo.commit(exported)
    assert [line for _, line, _, _ in example_findings(git_repo)] == [7]
    git_repo.commit({"src/shop/__init__.py": "", "docs/s.md": doc.replace("Session.add(item)", "Session.add()")})
    assert [line for _, line, _, _ in example_findings(git_repo)] == [5]  # a call that fits neither way


def test_an_elided_call_is_not_judged(git_repo: Repo) -> None:
    """`request(...)`: the `...` stands for the arguments the doc leaves out."""
    code = {"src/shop/__init__.py": "", "src/shop/http.py": "def request(method, url):\n    pass\n"}
    doc = "# HTTP\n\n```python\nfrom shop.http import request\nrequest(...)\nrequest()\n```\n"
    git_repo.commit({**code, "docs/h.md": doc})
    assert [line for _, line, _, _ in example_findings(git_repo)] == [6]
