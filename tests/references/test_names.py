"""The one copy of the name helpers answers as each of the two copies it replaced did."""

from __future__ import annotations

import keyword
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docsync.references.names import classify_code, is_python_name

# The two former copies, frozen as they were before the merge: the Markdown scanner's (code spans,
# autorefs with `dotted`) and the reStructuredText scanner's (inline literals, which may wrap lines).
_IDENTIFIER = r"[^\W\d]\w*"
_DOTTED_NAME = re.compile(rf"{_IDENTIFIER}(?:\.{_IDENTIFIER})*")
_CODE_NAME = re.compile(rf"@?(?P<name>{_DOTTED_NAME.pattern})(?:\([^()]*(?:\([^()]*\)[^()]*)*\))?")
_SOURCE_PATH = re.compile(r"/?(?:[\w.~-]+/)*[\w.~-]+\.py")


def _markdown_is_python_name(text: str, *, dotted: bool = False) -> bool:
    if not _DOTTED_NAME.fullmatch(text) or (dotted and "." not in text):
        return False
    return not any(keyword.iskeyword(part) for part in text.split("."))


def _markdown_classify_code(code: str) -> tuple[str, str | None] | None:
    code = code.strip()
    if _SOURCE_PATH.fullmatch(code) and "//" not in code:
        return "", code
    match = _CODE_NAME.fullmatch(code)
    if match and _markdown_is_python_name(match["name"]):
        return match["name"], None
    return None


def _rst_is_python_name(text: str) -> bool:
    if not _DOTTED_NAME.fullmatch(text):
        return False
    return not any(keyword.iskeyword(part) for part in text.split("."))


def _rst_classify_code(content: str) -> tuple[str, str | None] | None:
    code = " ".join(content.split())
    if _SOURCE_PATH.fullmatch(code) and "//" not in code:
        return "", code
    match = _CODE_NAME.fullmatch(code)
    if match and _rst_is_python_name(match["name"]):
        return match["name"], None
    return None


# (text, is a name, is a dotted name)
NAMES = [
    ("shop.cart.add_item", True, True),
    ("add_item", True, False),  # the one difference: Markdown's autorefs ask for a dot
    ("_private.x", True, True),
    ("émile.ñame", True, True),
    ("None", False, False),
    ("shop.None", False, False),
    ("import", False, False),
    ("match", True, False),  # a soft keyword is a name
    ("1st", False, False),
    ("shop..cart", False, False),
    ("shop.", False, False),
    (".shop", False, False),
    ("shop cart", False, False),
    ("shop-cart", False, False),
    ("", False, False),
]


@pytest.mark.parametrize(("text", "name", "dotted"), NAMES)
def test_is_python_name(text: str, name: bool, dotted: bool) -> None:
    assert is_python_name(text) is name
    assert is_python_name(text, dotted=True) is dotted
    # What each former caller got: the RST scanner and Sphinx without `dotted`, Markdown with either.
    assert is_python_name(text) is _rst_is_python_name(text) is _markdown_is_python_name(text)
    assert is_python_name(text, dotted=True) is _markdown_is_python_name(text, dotted=True)


CODE = [
    ("shop.cart.add_item", ("shop.cart.add_item", None)),
    ("  shop.add  ", ("shop.add", None)),
    ("@shop.deco", ("shop.deco", None)),
    ("add()", ("add", None)),
    ("add(a, b=f(1))", ("add", None)),
    ("add(g(h(1)))", None),  # two nesting levels are not read
    # An RST inline literal wrapped over lines: the RST copy collapsed whitespace, the Markdown copy
    # only stripped the ends; the name ends before the parentheses, so both answered the same.
    ("add(a,\n     b)", ("add", None)),
    ("add(a,\t\u3000b)", ("add", None)),
    ("\x1cshop.add\x1c", ("shop.add", None)),
    ("shop/cart.py", ("", "shop/cart.py")),
    ("/shop/cart.py", ("", "/shop/cart.py")),
    (" shop/cart.py\n", ("", "shop/cart.py")),
    ("shop /cart.py", None),
    ("shop//cart.py", None),
    ("https://example.com/cart.py", None),
    ("cart.pyi", ("cart.pyi", None)),  # a dotted name that happens to end like a file
    ("None", None),
    ("import shop", None),
    ("x = 1", None),
    ("add(", None),
    ("", None),
    ("   ", None),
]


@pytest.mark.parametrize(("code", "expected"), CODE)
def test_classify_code(code: str, expected: tuple[str, str | None] | None) -> None:
    assert classify_code(code) == expected
    assert classify_code(code) == _markdown_classify_code(code) == _rst_classify_code(code)


# Name parts, path parts, call parts and whitespace of every kind `str.split` and `str.strip` know.
_WORDS = ["shop", "cart", "None", "if", "é", "1", "_", ".", "..", "/", "//", ".py", "@", "(", ")", ",", "=", "~", "-"]
_SPACES = [" ", "  ", "\n", "\t", "\u3000", "\x1c", "\xa0", "\r"]
_PIECES = st.sampled_from([*_WORDS, *_SPACES])


@settings(max_examples=2000, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_merged_helpers_answer_as_both_former_copies(text: str) -> None:
    assert classify_code(text) == _markdown_classify_code(text) == _rst_classify_code(text)
    assert is_python_name(text) is _rst_is_python_name(text) is _markdown_is_python_name(text)
    assert is_python_name(text, dotted=True) is _markdown_is_python_name(text, dotted=True)


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_merged_helpers_answer_as_both_former_copies_on_any_text(text: str) -> None:
    assert classify_code(text) == _markdown_classify_code(text) == _rst_classify_code(text)
    assert is_python_name(text, dotted=True) is _markdown_is_python_name(text, dotted=True)
