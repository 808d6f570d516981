"""A module's own decorators that return the function they decorate: seen through, so its calls are judged."""

from __future__ import annotations

import ast
import json

import pytest

from docsync.symbols.decorators import identity_decorators
from tests.conftest import Repo, run


@pytest.mark.parametrize(
    ("source", "identity"),
    [
        pytest.param("def mark(f):\n    f.marked = True\n    return f\n", True, id="returns-its-argument"),
        pytest.param(
            "def factory(kind):\n    def decorate(func):\n        done = cast(T, func)\n        done.kind = kind\n"
            "        return done\n    return decorate\n",
            True,
            id="a-factory-of-one-through-cast",
        ),
        pytest.param(
            "def wrap(f):\n    def inner(*a):\n        return f(*a)\n    return inner\n", False, id="a-wrapper"
        ),
        pytest.param("def maybe(f):\n    if f:\n        return f\n    return None\n", False, id="another-return"),
        pytest.param("def gen(f):\n    yield f\n", False, id="a-generator"),
        pytest.param("def two(f, g):\n    return f\n", False, id="two-parameters"),
        pytest.param("def rebind(f):\n    f = other(f)\n    return f\n", False, id="rebound-to-something-else"),
        pytest.param(
            "def factory():\n    def decorate(f):\n        return f\n    return wrap\n",
            False,
            id="a-factory-of-another",
        ),
        pytest.param("def nothing(f):\n    pass\n", False, id="no-return"),
    ],
)
def test_identity_decorators(source: str, identity: bool) -> None:
    name = source.split("(")[0].removeprefix("def ")
    assert (name in identity_decorators(ast.parse(source))) is identity


OUTCOMES = """\
from typing import cast


def _with_exception(exception_type):
    def decorate(func):
        func_with_exception = cast(object, func)
        func_with_exception.Exception = exception_type
        return func_with_exception

    return decorate


class Failed(Exception):
    pass


@_with_exception(Failed)
def fail(reason="", pytrace=True):
    raise Failed(reason)


def wrapping(func):
    def inner(*args, **kwargs):
        return func(*args, **kwargs)

    return inner


@wrapping
def skip(reason=""):
    pass
"""
DOC = "# Outcomes\n\n```python\nfrom shop.outcomes import fail, skip\n\nfail('no', msg='old')\nskip('no', msg='old')\n```\n"


def test_a_call_through_an_identity_decorator_is_judged(git_repo: Repo) -> None:
    """`fail(..., msg=...)` is wrong as written; `skip` is under a wrapper that may take anything: no finding."""
    git_repo.commit({"shop/__init__.py": "", "shop/outcomes.py": OUTCOMES, "docs/outcomes.md": DOC})
    data = json.loads(run(git_repo, "check", "--format", "json").out)
    got = [(f["line"], f["kind"], f["symbol"]) for f in data["findings"]]
    assert got == [(6, "example", "shop.outcomes.fail")]
    assert "has no parameter `msg`" in data["findings"][0]["message"]
