"""Where a function's `**kwargs` go: one callee it passes them all to, whole, or nothing we can use."""

from __future__ import annotations

import ast
import textwrap

import pytest

from docsync.symbols.forwarding import kwargs_target


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def get(url, **kwargs):\n    return request('GET', url, **kwargs)\n", "request"),
        ("def m(self, **kw):\n    return self._request(**kw)\n", "self._request"),
        ("def m(cls, **kw):\n    return cls(**kw)\n", None),  # `cls(...)` is the class: not a name we follow
        ("def f(**kw):\n    g(**kw)\n    return g(**kw)\n", "g"),  # twice to the same callee
        ("def f(**kw):\n    a(**kw)\n    b(**kw)\n", None),  # two callees: either may take a keyword
        ("def f(**kw):\n    kw.setdefault('x', 1)\n    return g(**kw)\n", None),  # used otherwise too
        ("def f(**kw):\n    return other.mod.g(**kw)\n", None),  # another package's, or an object's
        ("def f(**kw):\n    def inner(**kw):\n        return h(**kw)\n    return g(**kw)\n", "g"),  # inner's own
        ("def f(**kw):\n    return 1\n", None),  # never passed on
        ("def f(x):\n    return g(**x)\n", None),  # no `**kwargs` of its own
    ],
)
def test_kwargs_target(source: str, expected: str | None) -> None:
    node = ast.parse(textwrap.dedent(source)).body[0]
    assert isinstance(node, ast.FunctionDef)
    assert kwargs_target(node) == expected
