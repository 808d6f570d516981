"""Names a doctest session prints (tracebacks' last lines, reprs) are references, found in its output lines only."""

from __future__ import annotations

from docsync.references.scan import scan_doc


def printed(doc: str, text: str) -> list[tuple[int, int, str]]:
    return [(r.line, r.column, r.name) for r in scan_doc(doc, text.encode()).references if r.name.startswith("shop.")]


def test_markdown_session() -> None:
    text = (
        "# A\n\n```pycon\n>>> cart.add('pen', qty=0)\nTraceback (most recent call last):\n  ...\n"
        "shop.errors.BadQuantity: 0\n>>> cart\n<shop.cart.Cart object at 0x7f3a>\n>>> type(cart)\n"
        "<class 'shop.cart.Cart'>\n```\nshop.prose.Line: after the fence, not output\n"
    )
    assert printed("a.md", text) == [
        (7, 1, "shop.errors.BadQuantity"),
        (9, 2, "shop.cart.Cart"),
        (11, 9, "shop.cart.Cart"),
    ]


def test_rst_session_ends_at_a_blank_line() -> None:
    text = (
        "Errors\n======\n\n    >>> add_item(cart, 'pen', qty=0)\n    Traceback (most recent call last):\n"
        "    shop.errors.BadQuantity: 0\n\nshop.prose.Line: prose after the session\n"
    )
    assert printed("a.rst", text) == [(6, 5, "shop.errors.BadQuantity")]


def test_only_dotted_names_in_output_lines() -> None:
    text = "# A\n\n```pycon\n>>> f()\nBadQuantity: bare\n'shop.cart.Cart: a string that is printed'\n```\n"
    assert printed("a.md", text) == []
