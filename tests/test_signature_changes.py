"""Parameter changes between two signatures: a rename is named only when it is plausible (issue 14)."""

from __future__ import annotations

import ast

import pytest

from docsync.models import Signature, What
from docsync.signature_changes import compare_signatures, describe
from docsync.symbols.signatures import parameters


def signature(source: str) -> Signature:
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    return Signature(tuple(parameters(function.args)))


def changes(old: str, new: str) -> list[tuple[What, str]]:
    return [(change.what, change.parameter or "") for change in compare_signatures(signature(old), signature(new))]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "def get(url, proxies=None): ...",
            "def get(url, http1=True): ...",
            [(What.PARAMETER_REMOVED, "proxies"), (What.PARAMETER_ADDED_OPTIONAL, "http1")],
            id="an unrelated name in the same place is removed and added, never renamed",
        ),
        pytest.param(
            "def add(cart, item, qty=1): ...",
            "def add(cart, item, quantity=1): ...",
            [(What.PARAMETER_RENAMED, "qty")],
            id="a similar name is a rename",
        ),
        pytest.param(
            "def total(cart, currency: str = 'EUR'): ...",
            "def total(cart, code: str = 'EUR'): ...",
            [(What.PARAMETER_RENAMED, "currency")],
            id="the same default and annotation is a rename",
        ),
        pytest.param(
            "def pay(a, b): ...",
            "def pay(a, c): ...",
            [(What.PARAMETER_REMOVED, "b"), (What.PARAMETER_ADDED_REQUIRED, "c")],
            id="nothing in common but the place is not a rename",
        ),
        pytest.param(
            "def pay(a, *, b=1): ...",
            "def pay(a, bb=1): ...",
            [(What.PARAMETER_REMOVED, "b"), (What.PARAMETER_ADDED_OPTIONAL, "bb")],
            id="another kind of parameter is not a rename",
        ),
    ],
)
def test_renames_only_when_plausible(old: str, new: str, expected: list[tuple[What, str]]) -> None:
    assert sorted(changes(old, new)) == sorted(expected)


def test_the_wording_never_calls_an_unrelated_parameter_renamed() -> None:
    words = describe(
        compare_signatures(signature("def get(url, proxies=None): ..."), signature("def get(url, http1=True): ..."))
    )
    assert "renamed" not in words
    assert "proxies" in words
    assert "http1" in words
