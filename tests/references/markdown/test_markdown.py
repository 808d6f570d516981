from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docsync.models import CodeBlock, CodeLine, Diagnostic, How, Style
from docsync.references.markdown import scan_markdown
from tests.references.positions import assert_blocks_and_headings_in, shown

CODE, LINK, AUTO, MARK = Style.MD_CODE, Style.MD_LINK, Style.AUTOREFS, Style.MARKER
INF, EXP = How.INFERRED, How.EXPLICIT


def md(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def found(text: str) -> list[tuple[str, int, int, Style, How]]:
    scan = scan_markdown("docs/a.md", text)
    return [(r.name, r.line, r.column, r.style, r.how) for r in shown(scan.references)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Call `shop.cart.add_item`.", [("shop.cart.add_item", 1, 6, CODE, INF)], id="dotted"),
        pytest.param("`add_item(cart, qty=2)`", [("add_item", 1, 1, CODE, INF)], id="call-args"),
        pytest.param("`f(g(1), x=[2])`", [("f", 1, 1, CODE, INF)], id="nested-call"),
        pytest.param("`@shop.deco.cached`", [("shop.deco.cached", 1, 1, CODE, INF)], id="decorator"),
        pytest.param(
            "`Cart.total()` and `func`",
            [("Cart.total", 1, 1, CODE, INF), ("func", 1, 20, CODE, INF)],
            id="two",
        ),
        pytest.param("`f` then `f`", [("f", 1, 1, CODE, INF), ("f", 1, 10, CODE, INF)], id="repeated-name"),
        pytest.param("`` shop.a ``", [("shop.a", 1, 1, CODE, INF)], id="double-backticks"),
        pytest.param("`src/shop/cart.py`", [("", 1, 1, CODE, INF)], id="path"),
        pytest.param(
            "`pip install x`, `x = 1`, `--flag`, `a b`, `None`, `f(x) or g(y)`, `1.5`, `*.py`",
            [],
            id="not-names",
        ),
        pytest.param(
            md("""
                - a `one`
                  - b `two`
                    1. c `three`
                """),
            [("one", 1, 5, CODE, INF), ("two", 2, 7, CODE, INF), ("three", 3, 10, CODE, INF)],
            id="nested-lists",
        ),
        pytest.param(
            md("""
                | name | what |
                |------|------|
                | `shop.a` | `shop.a` |
                | x \\| y | `shop.b` |
                """),
            [("shop.a", 3, 3, CODE, INF), ("shop.a", 3, 14, CODE, INF), ("shop.b", 4, 12, CODE, INF)],
            id="table",
        ),
        pytest.param(
            "> Use `shop.a`\n> > and `shop.b`\n",
            [("shop.a", 1, 7, CODE, INF), ("shop.b", 2, 9, CODE, INF)],
            id="blockquotes",
        ),
        pytest.param("Title `shop.a`\n===\n", [("shop.a", 1, 7, CODE, INF)], id="setext-heading"),
        pytest.param("## `shop.a` ##\n", [("shop.a", 1, 4, CODE, INF)], id="atx-heading"),
        pytest.param("```python\nx = `shop.a` <!-- docsync: shop.b -->\n```\n", [], id="fence-is-not-prose"),
        pytest.param("~~~\n`shop.a` [c](m.py)\n~~~\n", [], id="tilde-fence"),
        pytest.param("````md\n```\n`shop.a`\n```\n````\n", [], id="fence-in-fence"),
        pytest.param("Text.\n\n    `shop.a` <!-- docsync: shop.b -->\n", [], id="indented-code"),
        pytest.param("`<!-- docsync: shop.a -->`", [], id="marker-in-inline-code"),
        pytest.param("<span>`shop.a`</span> <!-- a comment -->", [("shop.a", 1, 7, CODE, INF)], id="inline-html"),
        pytest.param("<div>\n`shop.a`\n</div>\n", [], id="html-block"),
        pytest.param(
            "<!-- docsync: shop.a, shop.B, 3x -->",
            [("shop.a", 1, 15, MARK, EXP), ("shop.B", 1, 23, MARK, EXP)],
            id="marker",
        ),
        pytest.param(
            "Text <!-- docsync: shop.a --> `shop.b`",
            [("shop.a", 1, 20, MARK, EXP), ("shop.b", 1, 31, CODE, INF)],
            id="inline-marker",
        ),
        pytest.param(
            "<!--\n  docsync: shop.a,\n  shop.b\n-->\n",
            [("shop.a", 2, 12, MARK, EXP), ("shop.b", 3, 3, MARK, EXP)],
            id="multi-line-marker",
        ),
        pytest.param(
            "::: shop.cart\n    options:\n      members: `shop.x`\n\n  ::: shop.b\n",
            [("shop.cart", 1, 1, Style.MKDOCSTRINGS, EXP), ("shop.b", 5, 3, Style.MKDOCSTRINGS, EXP)],
            id="mkdocstrings",
        ),
        pytest.param("```\n::: shop.cart\n```\n", [], id="mkdocstrings-in-fence"),
        pytest.param(
            "[the cart][shop.cart.Cart] and [shop.cart.add][]",
            [("shop.cart.Cart", 1, 1, AUTO, EXP), ("shop.cart.add", 1, 32, AUTO, EXP)],
            id="autorefs",
        ),
        pytest.param("[`Cart`][shop.cart.Cart]", [("shop.cart.Cart", 1, 1, AUTO, EXP)], id="autoref-code-label"),
        pytest.param("[`shop.cart.Cart`][]", [("shop.cart.Cart", 1, 1, AUTO, EXP)], id="autoref-code-only"),
        pytest.param("[x][shop.cart]\n\n[shop.cart]: https://example.com/\n", [], id="defined-reference-is-a-link"),
        pytest.param("[see][install] \\[x][a.b] ![i][a.b]", [], id="not-autorefs"),
        pytest.param("<!-- docsync: ignore -->\n`shop.a` `shop.b`", [("shop.b", 2, 10, CODE, INF)], id="ignore-next"),
        pytest.param(
            "`a.x` <!-- docsync: ignore --> `a.y` `a.z`",
            [("a.x", 1, 1, CODE, INF), ("a.z", 1, 38, CODE, INF)],
            id="ignore-inline",
        ),
        pytest.param(
            md("""
                `a.x`
                <!-- docsync: ignore-start -->
                `a.y`

                - `a.z` <!-- docsync: a.m -->
                <!-- docsync: ignore-end -->
                `a.w`
                """),
            [("a.x", 1, 1, CODE, INF), ("a.w", 7, 1, CODE, INF)],
            id="ignore-region",
        ),
        pytest.param("<!-- docsync: ignore-start -->\n`a.x`\n\n`a.y`\n", [], id="ignore-to-the-end"),
    ],
)
def test_references(text: str, expected: list[tuple[str, int, int, Style, How]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "path", "lines"),
    [
        ("[c](src/shop/cart.py)", "src/shop/cart.py", None),
        ("[c](src/shop/cart.py#L10-L20)", "src/shop/cart.py", (10, 20)),
        ("[c](../src/cart.py#L7)", "../src/cart.py", (7, 7)),
        ("[c](cart.py#L10-20)", "cart.py", (10, 20)),
        ("[c](cart.py#L3C1-L5C9)", "cart.py", (3, 5)),
        ("[c](cart.py?plain=1#L5)", "cart.py", (5, 5)),
        ("[c](cart.py#cart-add)", "cart.py", None),
        ("[c](<my cart.py>)", "my cart.py", None),
        ("[c](https://github.com/acme/shop/blob/main/src/shop/cart.py#L3-L9)", "/src/shop/cart.py", (3, 9)),
        (
            "[c](https://gitlab.com/acme/team/shop/-/blob/v1.2/src/shop/cart.py#L4)",
            "/src/shop/cart.py",
            (4, 4),
        ),
        ("<https://github.com/acme/shop/blob/main/m.py>", "/m.py", None),
        ("[c][1]\n\n[1]: src/m.py#L3\n", "src/m.py", (3, 3)),
    ],
)
def test_source_links(text: str, path: str, lines: tuple[int, int] | None) -> None:
    (reference,) = scan_markdown("docs/a.md", text).references
    assert (reference.name, reference.path, reference.lines) == ("", path, lines)
    assert (reference.line, reference.column, reference.style, reference.how) == (1, 1, LINK, INF)


@pytest.mark.parametrize(
    "text",
    [
        "[c](https://example.com/cart.py)",
        "[c](https://github.com/acme/shop/tree/main/src/shop)",
        "[c](docs/index.md#L3)",
        "[c](mailto:a@b.py)",
        "`[c](src/m.py)`",
        "![diagram](src/m.py)",
    ],
)
def test_links_that_are_not_source_references(text: str) -> None:
    assert scan_markdown("docs/a.md", text).references == ()


def test_reference_fields_and_text() -> None:
    text = "Use `shop.cart.add_item(cart, 2)` or `src/shop/cart.py` and [cart](src/shop/cart.py#L3).\n"
    first, second, third = scan_markdown("docs/a.md", text).references
    assert (first.doc, first.text, first.path) == ("docs/a.md", "`shop.cart.add_item(cart, 2)`", None)
    assert (second.text, second.path) == ("`src/shop/cart.py`", "src/shop/cart.py")
    assert (third.text, third.column) == ("[cart](src/shop/cart.py#L3)", 61)


def test_multi_line_construct_text_is_its_first_line() -> None:
    (reference,) = scan_markdown("a.md", "See [the\ncart][shop.cart.Cart].").references
    assert (reference.name, reference.line, reference.column, reference.text) == (
        "shop.cart.Cart",
        1,
        5,
        "[the",
    )


def test_real_document() -> None:
    text = md("""
        ---
        title: Cart
        docsync:
          - shop.cart.add_item
          - shop.cart.Cart
        ---
        # The cart

        Add with `add_item(cart, qty=2)`; see [the source](../src/shop/cart.py#L10-L20).

        1. Create a [`Cart`][shop.cart.Cart]:

           ```python
           from shop.cart import Cart
           cart = Cart()
           ```

        > **Note**: `Cart.total` is cached.
        """)
    scan = scan_markdown("docs/cart.md", text)
    assert [(r.name, r.line, r.column, r.style) for r in scan.references] == [
        ("shop.cart.add_item", 4, 5, Style.FRONT_MATTER),
        ("shop.cart.Cart", 5, 5, Style.FRONT_MATTER),
        ("add_item", 9, 10, CODE),
        ("", 9, 39, LINK),
        ("shop.cart.Cart", 11, 13, AUTO),
        ("Cart.total", 18, 13, CODE),
    ]
    assert scan.headings == (7,)
    assert scan.blocks == (
        CodeBlock(
            "docs/cart.md",
            Style.CODE_BLOCK,
            "python",
            "from shop.cart import Cart\ncart = Cart()\n",
            (CodeLine(14, 3), CodeLine(15, 3)),
        ),
    )
    assert scan.calls == ()
    assert scan.diagnostics == ()


def test_headings() -> None:
    text = "# A\n\nText\n===\n\n```\n# not a heading\n```\n## B ##\n> ### C\n<!--\n# D\n-->\n"
    assert scan_markdown("a.md", text).headings == (1, 3, 9, 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "```python\ncart.add(1)\n```\n",
            CodeBlock("a.md", Style.CODE_BLOCK, "python", "cart.add(1)\n", (CodeLine(2, 0),)),
            id="python-fence",
        ),
        pytest.param(
            "~~~Py3 title='x'\nx = 1\n\n  y = 2\n~~~\n",
            CodeBlock(
                "a.md",
                Style.CODE_BLOCK,
                "py3",
                "x = 1\n\n  y = 2\n",
                (CodeLine(2, 0), CodeLine(3, 0), CodeLine(4, 0)),
            ),
            id="tilde-fence",
        ),
        pytest.param(
            "1. Step:\n\n   ```python\n   cart.add(1)\n     more()\n   ```\n",
            CodeBlock(
                "a.md",
                Style.CODE_BLOCK,
                "python",
                "cart.add(1)\n  more()\n",
                (CodeLine(4, 3), CodeLine(5, 3)),
            ),
            id="indented-fence",
        ),
        pytest.param(
            "```python\n    import shop\n\n      shop.run()\n```\n",
            CodeBlock(
                "a.md",
                Style.CODE_BLOCK,
                "python",
                "import shop\n\n  shop.run()\n",
                (CodeLine(2, 4), CodeLine(3, 0), CodeLine(4, 4)),
            ),
            id="indented-python-fence",
        ),
        pytest.param(
            "- x\n\n  ```\n  \tf()\n  \tg()\n  ```\n",
            CodeBlock("a.md", Style.CODE_BLOCK, "", "f()\ng()\n", (CodeLine(4, 3), CodeLine(5, 3))),
            id="tab-indented-fence-in-a-list",
        ),
        pytest.param(
            "> ```\n> f(1)\n> ```\n",
            CodeBlock("a.md", Style.CODE_BLOCK, "", "f(1)\n", (CodeLine(2, 2),)),
            id="fence-in-quote",
        ),
        pytest.param(
            "Para.\n\n    x = 1\n      y = 2\n",
            CodeBlock("a.md", Style.CODE_BLOCK, "", "x = 1\n  y = 2\n", (CodeLine(3, 4), CodeLine(4, 4))),
            id="indented-block",
        ),
        pytest.param(
            md("""
                ```pycon
                >>> from shop import cart
                >>> cart.add(1,
                ...          2)
                3
                >>>
                >>> print("x")
                x
                ...
                ```
                """),
            CodeBlock(
                "a.md",
                Style.DOCTEST,
                "pycon",
                'from shop import cart\ncart.add(1,\n         2)\n\nprint("x")\n',
                (CodeLine(2, 4), CodeLine(3, 4), CodeLine(4, 4), CodeLine(6, 3), CodeLine(7, 4)),
            ),
            id="doctest-fence-with-output",
        ),
        pytest.param(
            "```text\n  >>> f()\n  1\n```\n",
            CodeBlock("a.md", Style.DOCTEST, "text", "f()\n", (CodeLine(2, 6),)),
            id="doctest-in-other-language",
        ),
        pytest.param(
            "Text.\n\n>>> total(1, 2)\n3\n>>> total(\n...     4)\n7\n",
            CodeBlock(
                "a.md",
                Style.DOCTEST,
                "",
                "total(1, 2)\ntotal(\n    4)\n",
                (CodeLine(3, 4), CodeLine(5, 4), CodeLine(6, 4)),
            ),
            id="doctest-paragraph",
        ),
        pytest.param(
            "> >>> f()\n> 1\n",
            CodeBlock("a.md", Style.DOCTEST, "", "f()\n", (CodeLine(1, 6),)),
            id="doctest-paragraph-in-quote",
        ),
        pytest.param(
            "    >>> g()\n    2\n",
            CodeBlock("a.md", Style.DOCTEST, "", "g()\n", (CodeLine(1, 8),)),
            id="doctest-indented-block",
        ),
    ],
)
def test_code_blocks(text: str, expected: CodeBlock) -> None:
    scan = scan_markdown("a.md", text)
    assert scan.blocks == (expected,)
    assert scan.references == ()


@pytest.mark.parametrize(
    "text",
    [
        "```bash\npip install shop\n```\n",
        "```json\n{}\n```\n",
        "<!-- docsync: ignore -->\n```python\nf()\n```\n",
        "::: shop.cart\n    >>> options\n",
    ],
)
def test_no_code_blocks(text: str) -> None:
    assert shown(scan_markdown("a.md", text).blocks) == []


def test_ignore_drops_only_the_next_block() -> None:
    text = "<!-- docsync: ignore -->\n```python\nf()\n```\n\n`a.b`\n\n```python\ng()\n```\n"
    scan = scan_markdown("a.md", text)
    assert [block.code for block in shown(scan.blocks)] == ["g()\n"]
    assert [block.code for block in scan.blocks] == ["f()\n", "g()\n"]  # kept, to be judged, and marked
    assert found(text) == [("a.b", 6, 1, CODE, INF)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "---\ndocsync: shop.a, shop.b\n---\n",
            [("shop.a", 2, 10), ("shop.b", 2, 18)],
            id="comma-separated",
        ),
        pytest.param(
            "---\ntitle: x\ndocsync: [shop.a, shop.a]\n...\n",
            [("shop.a", 3, 11), ("shop.a", 3, 19)],
            id="flow-list-dots-end",
        ),
        pytest.param(
            '---\ndocsync:\n- "shop\\x2ea"\n- shop.b\n---\n',
            [("shop.a", 2, 1), ("shop.b", 4, 3)],
            id="escaped-name-falls-back-to-the-key-line",
        ),
        pytest.param("---\ntitle: see shop.x\nsummary: x\n---\n", [], id="no-docsync-key"),
        pytest.param("---\n- a\n---\n", [], id="not-a-mapping"),
        pytest.param("---\ndocsync: 3\n---\n", [], id="not-names"),
    ],
)
def test_front_matter(text: str, expected: list[tuple[str, int, int]]) -> None:
    scan = scan_markdown("a.md", text)
    assert [(r.name, r.line, r.column) for r in scan.references] == expected
    assert all((r.style, r.how, r.text) == (Style.FRONT_MATTER, EXP, r.name) for r in scan.references)
    assert scan.headings == ()  # `summary: x` over `---` would be a setext heading if it were prose
    assert scan.diagnostics == ()


def test_invalid_front_matter_is_a_diagnostic_and_scanning_goes_on() -> None:
    scan = scan_markdown("a.md", "---\ntitle: a\n  bad: b\n---\n`shop.c`\n")
    assert scan.diagnostics == (
        Diagnostic("a.md", 3, "front matter is not valid YAML: mapping values are not allowed here"),
    )
    assert found("---\ntitle: a\n  bad: b\n---\n`shop.c`\n") == [("shop.c", 5, 1, CODE, INF)]


def test_front_matter_constructor_error_is_a_diagnostic() -> None:
    (diagnostic,) = scan_markdown("a.md", "---\ndate: 2024-13-45\n---\n").diagnostics
    assert diagnostic.message.startswith("front matter is not valid YAML: ")


def test_thematic_break_is_not_front_matter() -> None:
    assert found("---\n`shop.a`\n") == [("shop.a", 2, 1, CODE, INF)]


def test_crlf_line_endings() -> None:
    assert found("# T\r\n\r\nUse `shop.a`\r\n") == [("shop.a", 3, 5, CODE, INF)]


FRAGMENTS = st.sampled_from(
    [
        "\n", "\n\n", "`", "``", "```", "~~~", "    ", "> ", "- ", "1. ", "| ", " |", "|---|", "[", "]", "(",
        ")", "#", "#L3-L9", "<!--", "-->", " docsync: ", "ignore", "ignore-start", "ignore-end", "shop.cart",
        "f()", "m.py", "https://github.com/a/b/blob/m/x.py", ">>> ", "... ", "::: ", "---", "\\", "\t", "é",
        "python", "[x][a.b]", "===", "<div>", "\r",
        # MyST: roles, directive fences (backtick, tilde, colon), options, eval-rst.
        "{func}", "{py:class}", "{ref}", "`~a.b`", "```{note}", "```{eval-rst}", "~~~{autoclass} a.B",
        ":::{tip}", "::::{warning}", ":::", "{currentmodule} shop", ":members: x, y", "---", ".. autofunction:: f",
        ":func:`g`", "{code-block} python", "{literalinclude} m.py", ":pyobject: F", "{class} C",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(FRAGMENTS | st.text(max_size=5), max_size=40).map("".join))
def test_never_crashes_and_positions_are_in_the_text(text: str) -> None:
    assert_positions_in_text(text)


def assert_positions_in_text(text: str) -> None:
    """Scanning never fails, and every reference, code line and heading points into the text."""
    scan = scan_markdown("a.md", text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for reference in scan.references:
        assert 1 <= reference.line <= len(lines)
        line = lines[reference.line - 1].replace("\0", "\ufffd")
        assert 1 <= reference.column <= len(line) + 1
        if reference.style is not Style.FRONT_MATTER:
            assert line[reference.column - 1 :].startswith(reference.text)
    assert_blocks_and_headings_in(scan, lines)
    assert all(1 <= diagnostic.line <= len(lines) for diagnostic in scan.diagnostics)
    assert [(r.line, r.column) for r in scan.references] == sorted((r.line, r.column) for r in scan.references)


def test_a_definition_list_is_prose_not_code() -> None:
    """MkDocs' `def_list`: a definition's further paragraphs are indented by four (CommonMark would read them as an
    indented code block); MkDocs' own plugin guide documented event parameters so. A plain indented block stays code."""
    text = (
        "##### on_pre_page\n\n"
        ":   The event is called before any actions are taken on the\n"
        "    page.\n\n"
        "    Parameters:\n"
        "    : __page:__ `shop.nav.Page` instance\n\n"
        "    Returns:\n"
        "    : `shop.cart.Cart`\n\n"
        "Code:\n\n"
        "    cart = `shop.not_a_reference`\n"
    )
    assert [(name, line, column) for name, line, column, _, _ in found(text)] == [
        ("shop.nav.Page", 7, 17),
        ("shop.cart.Cart", 10, 7),
    ]
    assert [block.origin[0].line for block in scan_markdown("docs/a.md", text).blocks] == [14]


def test_a_list_of_three_or_more_items_led_by_bare_names_is_a_member_list() -> None:
    text = (
        "Models have:\n\n- `model_dump()`: a dict, like `dict(m)`.\n- `model_copy()`: a copy.\n"
        "- `model_gone`: gone.\n  - `nested_a`: a nested list of one.\n- plain text\n- `pkg.mod.func`: qualified\n\n"
        "Prose `model_dump`.\n\n- `a_name`\n- `b_name`\n"
    )
    siblings = {(r.line, r.name): r.siblings for r in scan_markdown("d.md", text).references}
    names = ("model_dump", "model_copy", "model_gone")
    assert siblings == {
        (3, "model_dump"): names,
        (3, "dict"): (),  # not the item's lead
        (4, "model_copy"): names,
        (5, "model_gone"): names,
        (6, "nested_a"): (),  # a list of its own, of one
        (8, "pkg.mod.func"): (),  # a qualified name needs no class to be read against
        (10, "model_dump"): (),  # prose
        (12, "a_name"): (),  # two items are no list of members
        (13, "b_name"): (),
    }
