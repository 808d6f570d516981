from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docsync.models import CodeBlock, CodeLine, How, Style
from docsync.references.markdown import MAX_DEPTH, scan_markdown
from tests.references.markdown.test_markdown import assert_positions_in_text
from tests.references.positions import shown

ROLE, AUTO, CODE, INCL = Style.RST_ROLE, Style.AUTODOC, Style.MD_CODE, Style.LITERALINCLUDE
INF, EXP = How.INFERRED, How.EXPLICIT

Expected = tuple[str, int, int, Style, How, "str | None"]


def md(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def found(text: str) -> list[Expected]:
    scan = scan_markdown("docs/a.md", text)
    return [(r.name, r.line, r.column, r.style, r.how, r.context) for r in shown(scan.references)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("See {func}`shop.cart.add`.", [("shop.cart.add", 1, 5, ROLE, EXP, None)], id="role"),
        pytest.param(
            "{meth}`~shop.Cart.add` {attr}`.total` {func}`!shop.f` {class}`the cart <shop.Cart>`",
            [
                ("shop.Cart.add", 1, 1, ROLE, EXP, None),
                (".total", 1, 24, ROLE, EXP, None),
                ("shop.f", 1, 39, ROLE, EXP, None),
                ("shop.Cart", 1, 55, ROLE, EXP, None),
            ],
            id="role-target-forms",
        ),
        pytest.param(
            "{py:func}`shop.f()` {exc}`shop.Error` {DATA}`shop.X` {py:deco}`shop.cached`",
            [
                ("shop.f", 1, 1, ROLE, EXP, None),
                ("shop.Error", 1, 21, ROLE, EXP, None),
                ("shop.X", 1, 39, ROLE, EXP, None),
                ("shop.cached", 1, 54, ROLE, EXP, None),
            ],
            id="py-prefix-parens-case",
        ),
        pytest.param(
            "{ref}`shop.a` {doc}`shop.b` {term}`shop.c` {c:func}`shop.d` {func}`not a name`",
            [],
            id="other-roles-and-their-code-give-nothing",
        ),
        pytest.param(
            "\\{func}`shop.a` {func} `shop.b` `{func}`x",
            [("shop.a", 1, 8, CODE, INF, None), ("shop.b", 1, 24, CODE, INF, None)],
            id="not-roles",
        ),
        pytest.param(
            "`shop.a`{func}`shop.b` [{class}`shop.C`](https://x.org)",
            [("shop.a", 1, 1, CODE, INF, None), ("shop.b", 1, 9, ROLE, EXP, None), ("shop.C", 1, 25, ROLE, EXP, None)],
            id="role-after-code-and-in-link",
        ),
        pytest.param(
            md("""
                - a {func}`shop.a`
                  > b {func}`shop.b`

                | x | {class}`shop.C` |
                |---|---|
                """),
            [("shop.a", 1, 5, ROLE, EXP, None), ("shop.b", 2, 7, ROLE, EXP, None), ("shop.C", 4, 7, ROLE, EXP, None)],
            id="roles-in-containers",
        ),
        pytest.param(
            md("""
                {func}`before`

                ```{currentmodule} shop.cart
                ```

                {func}`add` and `total`

                :::{py:currentmodule} None
                :::

                {func}`after`
                """),
            [
                ("before", 1, 1, ROLE, EXP, None),
                ("add", 6, 1, ROLE, EXP, "shop.cart"),
                ("total", 6, 17, CODE, INF, "shop.cart"),
                ("after", 11, 1, ROLE, EXP, None),
            ],
            id="currentmodule-sets-and-clears",
        ),
        pytest.param(
            "```{module} shop\n:synopsis: The shop.\n\nSee {func}`f`.\n```\n{func}`g`\n",
            [("shop", 1, 13, ROLE, EXP, "shop"), ("f", 4, 5, ROLE, EXP, "shop"), ("g", 6, 1, ROLE, EXP, "shop")],
            id="module-body-is-prose",
        ),
        pytest.param(
            md("""
                ```{currentmodule} shop
                ```

                ```{eval-rst}
                .. autofunction:: add_item

                   Adds :func:`~shop.cart.total` and ``shop.x``.
                ```
                """),
            [
                ("add_item", 5, 19, AUTO, EXP, "shop"),
                ("shop.cart.total", 7, 9, ROLE, EXP, "shop"),
                ("shop.x", 7, 38, CODE, INF, "shop"),
            ],
            id="eval-rst-in-context",
        ),
        pytest.param(
            md("""
                ```{eval-rst}
                .. currentmodule:: shop.testing
                ```

                {class}`Runner`

                ```{eval-rst}
                .. autoclass:: Runner
                   :members: invoke
                ```
                """),
            [
                ("Runner", 5, 1, ROLE, EXP, "shop.testing"),
                ("Runner", 8, 16, AUTO, EXP, "shop.testing"),
                ("Runner.invoke", 9, 14, AUTO, EXP, "shop.testing"),
            ],
            id="eval-rst-sets-the-module-for-what-follows",
        ),
        pytest.param(
            "1. Step\n\n   ```{eval-rst}\n   See :class:`shop.Cart`.\n   ```\n",
            [("shop.Cart", 4, 8, ROLE, EXP, None)],
            id="eval-rst-in-a-list",
        ),
        pytest.param(
            md("""
                ```{currentmodule} shop
                ```
                ```{autofunction} cart.add_item(cart, qty=1)
                ```
                ~~~{autoclass} cart.Cart
                :members: add, total
                :undoc-members:
                ~~~
                :::{py:autodata} LIMIT
                :::
                """),
            [
                ("cart.add_item", 3, 19, AUTO, EXP, "shop"),
                ("cart.Cart", 5, 16, AUTO, EXP, "shop"),
                ("cart.Cart.add", 6, 11, AUTO, EXP, "shop"),
                ("cart.Cart.total", 6, 16, AUTO, EXP, "shop"),
                ("LIMIT", 9, 18, AUTO, EXP, "shop"),
            ],
            id="autodoc-and-members",
        ),
        pytest.param(
            md("""
                ```{autoclass} shop.Cart
                ---
                members: add
                ---
                ```
                ````{automodule} shop.util
                ```{automethod} Cart.total
                ```
                ````
                {func}`helper`
                """),
            [
                ("shop.Cart", 1, 16, AUTO, EXP, None),
                ("shop.Cart.add", 3, 10, AUTO, EXP, None),
                ("shop.util", 6, 18, AUTO, EXP, None),
                ("Cart.total", 7, 17, AUTO, EXP, "shop.util"),
                ("helper", 10, 1, ROLE, EXP, "shop.util"),
            ],
            id="yaml-options-and-automodule",
        ),
        pytest.param(
            md("""
                ```{currentmodule} shop
                ```
                `````{class} Cart(items=())
                A cart; see {meth}`add`.

                ````{method} add(item) -> None
                ```{note}
                Calls {func}`total`.
                ```
                ````
                `````
                {func}`outside`
                """),
            [
                ("Cart", 3, 14, AUTO, EXP, "shop"),
                ("add", 4, 13, ROLE, EXP, "shop.Cart"),
                ("Cart.add", 6, 14, AUTO, EXP, "shop"),
                ("total", 8, 7, ROLE, EXP, "shop.Cart"),
                ("outside", 12, 1, ROLE, EXP, "shop"),
            ],
            id="py-object-bodies-in-class-scope",
        ),
        pytest.param(
            "```{py:function} shop.f(a)\n:module: other\n```\n```{data} LIMIT\n```\n```{function} not a name\n```\n",
            [("shop.f", 1, 18, AUTO, EXP, "other"), ("LIMIT", 4, 11, AUTO, EXP, None)],
            id="py-objects",
        ),
        pytest.param(
            md("""
                ::::{note}
                Outer {func}`shop.a`.

                :::{warning}
                > Inner {class}`shop.B`
                :::
                ::::
                """),
            [("shop.a", 2, 7, ROLE, EXP, None), ("shop.B", 5, 9, ROLE, EXP, None)],
            id="nested-colon-fences",
        ),
        pytest.param(
            "~~~~{tip}\n~~~{seealso}\n{func}`shop.a`\n~~~\n~~~~\n",
            [("shop.a", 3, 1, ROLE, EXP, None)],
            id="nested-tilde-fences",
        ),
        pytest.param(
            md("""
                ```{versionadded} 2.0
                Added {func}`shop.a` and `shop.b`.
                ```
                ~~~{note} Use `shop.c`.
                ~~~
                :::{admonition} Why {func}`shop.d`?
                :class: tip

                Because.
                :::
                ```{dropdown}
                - {func}`shop.e`
                ```
                """),
            [
                ("shop.a", 2, 7, ROLE, EXP, None),
                ("shop.b", 2, 26, CODE, INF, None),
                ("shop.c", 4, 15, CODE, INF, None),
                ("shop.d", 6, 21, ROLE, EXP, None),
                ("shop.e", 12, 3, ROLE, EXP, None),
            ],
            id="admonition-arguments-and-bodies",
        ),
        pytest.param(
            md("""
                ```{toctree}
                `shop.a`
                ```
                ```{contents}
                :local:
                ```
                ```{raw} html
                {func}`shop.b`
                ```
                :::{mermaid}
                `shop.c`
                :::
                ```{math}
                `shop.d`
                ```
                """),
            [],
            id="bodies-that-are-not-prose",
        ),
        pytest.param(
            "```{plot}\n`shop.a`\n```\n```{runblock} console\n`shop.b`\n```\n",
            [],
            id="plot-and-runblock-bodies-are-not-prose",
        ),
        pytest.param(
            '```{csv-table}\n:header: Name, Meaning\n\n`shop.a`, "{func}`shop.b`"\n```\n',
            [("shop.a", 4, 1, CODE, INF, None), ("shop.b", 4, 12, ROLE, EXP, None)],
            id="csv-table-cells-are-prose",
        ),
        pytest.param(
            "```{function} f[T](x) -> int\n```\n```{function} g(x -> int\n```\n```{method} Cart.add (item)\n```\n",
            [("f", 1, 15, AUTO, EXP, None), ("Cart.add", 5, 13, AUTO, EXP, None)],
            id="sphinx-signature-grammar",
        ),
        pytest.param(
            "```{literalinclude} ../src/shop/cart.py\n:pyobject: Cart.add\n```\n"
            "```{literalinclude} ../README.md\n:pyobject: x\n```\n",
            [("Cart.add", 1, 21, INCL, EXP, None)],
            id="literalinclude",
        ),
        pytest.param(
            "- item\n\n  ```{note}\n  {func}`shop.a`\n  ```\n",
            [("shop.a", 4, 3, ROLE, EXP, None)],
            id="directive-in-a-list",
        ),
        pytest.param(
            "> ```{note}\n> > {func}`shop.a`\n> ```\n",
            [("shop.a", 2, 5, ROLE, EXP, None)],
            id="directive-in-a-quote",
        ),
        pytest.param(
            ":::{note}\n::: shop.b\n:::\n\n::: shop.c\n",
            [("shop.b", 2, 1, Style.MKDOCSTRINGS, EXP, None), ("shop.c", 5, 1, Style.MKDOCSTRINGS, EXP, None)],
            id="mkdocstrings-is-not-a-colon-fence",
        ),
        pytest.param(
            "<!-- docsync: ignore -->\n```{autofunction} shop.a\n```\n{func}`shop.b`\n",
            [("shop.b", 4, 1, ROLE, EXP, None)],
            id="ignore-marker-before-a-directive",
        ),
        pytest.param(
            "```{note}\n<!-- docsync: ignore-start -->\n```\n{func}`shop.a`\n<!-- docsync: ignore-end -->\n{func}`b`",
            [("b", 6, 1, ROLE, EXP, None)],
            id="ignore-region-opened-in-a-body",
        ),
        pytest.param("```{note}\n{func}`shop.a`\n", [("shop.a", 2, 1, ROLE, EXP, None)], id="unclosed-fence"),
    ],
)
def test_references(text: str, expected: list[Expected]) -> None:
    assert found(text) == expected


def test_reference_text_is_the_whole_role() -> None:
    text = "```{note}\n  A {py:meth}`~shop.Cart.add` b\n```\n"
    (reference,) = scan_markdown("a.md", text).references
    assert (reference.text, reference.line, reference.column) == ("{py:meth}`~shop.Cart.add`", 2, 5)


def test_multi_line_role_text_is_its_first_line() -> None:
    (reference,) = scan_markdown("a.md", "See {class}`the\ncart <shop.Cart>`.").references
    assert (reference.name, reference.column, reference.text) == ("shop.Cart", 5, "{class}`the")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "```{code-block} python\n:caption: cart.py\n:linenos:\n\n    cart.add(1)\n```\n",
            CodeBlock("a.md", Style.CODE_BLOCK, "python", "cart.add(1)\n", (CodeLine(5, 4),)),
            id="code-block-directive",
        ),
        pytest.param(
            ":::{code} py3\nx = 1\n:::\n",
            CodeBlock("a.md", Style.CODE_BLOCK, "py3", "x = 1\n", (CodeLine(2, 0),)),
            id="code-colon-fence",
        ),
        pytest.param(
            "```{sourcecode}\nf()\n```\n",
            CodeBlock("a.md", Style.CODE_BLOCK, "", "f()\n", (CodeLine(2, 0),)),
            id="sourcecode-without-language",
        ),
        pytest.param(
            "```{testcode}\nf()\n```\n",
            CodeBlock("a.md", Style.CODE_BLOCK, "python", "f()\n", (CodeLine(2, 0),)),
            id="testcode",
        ),
        pytest.param(
            "```{doctest}\n>>> f(1)\n2\n```\n",
            CodeBlock("a.md", Style.DOCTEST, "doctest", "f(1)\n", (CodeLine(2, 4),)),
            id="doctest",
        ),
        pytest.param(
            "```{code-block} text\n>>> f(1)\n```\n",
            CodeBlock("a.md", Style.DOCTEST, "text", "f(1)\n", (CodeLine(2, 4),)),
            id="prompt-in-another-language",
        ),
        pytest.param(
            "```{code-cell} ipython3\n---\ntags: [hide]\n---\nimport shop\n```\n",
            CodeBlock("a.md", Style.CODE_BLOCK, "ipython3", "import shop\n", (CodeLine(5, 0),)),
            id="code-cell-yaml-options",
        ),
        pytest.param(
            "::::{tip}\nText.\n\n```python\nshop.a()\n```\n::::\n",
            CodeBlock("a.md", Style.CODE_BLOCK, "python", "shop.a()\n", (CodeLine(5, 0),)),
            id="fence-in-an-admonition",
        ),
        pytest.param(
            "1. x\n\n   ```{note}\n   >>> f()\n   ```\n",
            CodeBlock("a.md", Style.DOCTEST, "", "f()\n", (CodeLine(4, 7),)),
            id="doctest-paragraph-in-a-nested-body",
        ),
        pytest.param(
            "```{eval-rst}\nTitle\n=====\n\n.. code-block:: python\n\n   shop.a()\n```\n",
            CodeBlock("a.md", Style.CODE_BLOCK, "python", "shop.a()\n", (CodeLine(7, 3),)),
            id="eval-rst-code-block",
        ),
    ],
)
def test_code_blocks(text: str, expected: CodeBlock) -> None:
    assert scan_markdown("a.md", text).blocks == (expected,)


@pytest.mark.parametrize(
    "text",
    [
        "```{note}\nx = 1\n```\n",
        "```{code-block} bash\npip install shop\n```\n",
        "```{toctree}\n>>> f()\n```\n",
        ":::{tip}\n:::\n",
        "```{code-block} python\n:caption: empty\n```\n",
    ],
)
def test_directive_fences_are_not_code(text: str) -> None:
    assert scan_markdown("a.md", text).blocks == ()


def test_headings_inside_bodies_map_to_the_doc() -> None:
    text = "# A\n\n```{eval-rst}\nB\n=\n```\n\n:::{note}\n## C\n:::\n"
    assert scan_markdown("a.md", text).headings == (1, 4, 9)


def test_deep_nesting_stops_at_the_limit() -> None:
    # Fence `level` holds a role and fence `level + 1`; its body is read at nesting depth `level + 1`.
    depth = MAX_DEPTH + 5
    lines: list[str] = []
    for level in range(depth):
        lines += [":" * (depth + 3 - level) + "{note}", f"{{func}}`shop.l{level}`"]
    lines += [":" * (3 + level) for level in range(depth)]
    names = [reference.name for reference in scan_markdown("a.md", "\n".join(lines)).references]
    assert names == [f"shop.l{level}" for level in range(MAX_DEPTH)]


def test_real_document() -> None:
    text = md("""
        # Options

        ```{currentmodule} shop
        ```

        Use the {func}`option` decorator; see {ref}`params`.

        ```{eval-rst}
        .. autofunction:: option
        ```

        ````{tip}
        Prefer {class}`Cart` over `dict`:

        ```python
            cart = Cart()
            cart.add(1)
        ```
        ````

        ```{versionchanged} 2.0
        {meth}`Cart.add` takes `qty`.
        ```
        """)
    scan = scan_markdown("docs/options.md", text)
    assert [(r.name, r.line, r.column, r.style, r.context, r.text) for r in scan.references] == [
        ("option", 6, 9, ROLE, "shop", "{func}`option`"),
        ("option", 9, 19, AUTO, "shop", "option"),
        ("Cart", 13, 8, ROLE, "shop", "{class}`Cart`"),
        ("dict", 13, 27, CODE, "shop", "`dict`"),
        ("Cart.add", 22, 1, ROLE, "shop", "{meth}`Cart.add`"),
        ("qty", 22, 24, CODE, "shop", "`qty`"),
    ]
    assert scan.blocks == (
        CodeBlock(
            "docs/options.md",
            Style.CODE_BLOCK,
            "python",
            "cart = Cart()\ncart.add(1)\n",
            (CodeLine(16, 4), CodeLine(17, 4)),
        ),
    )
    assert scan.headings == (1,)


# Whole lines of MyST, behind container prefixes, so directive bodies land in lists, quotes and tabs.
PREFIXES = st.sampled_from(["", "", "  ", "   ", "    ", "\t", "- ", "1. ", "> ", "> > ", "  - ", " \t"])
MYST_LINES = st.sampled_from(
    [
        "```{note}", "```{eval-rst}", "````{tip}", "~~~{autoclass} shop.Cart", ":::{warning} Title `x`", "::::{seealso}",
        "```", "````", "~~~", ":::", "::::", "```python", "```{code-block} python", "```{currentmodule} shop",
        "```{class} Cart(x)", "```{method} add(y)", "```{literalinclude} m.py", ":members: a, b", ":pyobject: F",
        ":caption: x", "---", "key: v", "{func}`shop.a` and `shop.b`", ".. autofunction:: f", ":func:`g` ``h``",
        ".. currentmodule:: shop.x", "   :members: m", ">>> f(1)", "    x = 1", "Title", "=====", "# H", "",
        "<!-- docsync: ignore -->", "::: shop.mk", "| {class}`T` | `u` |", "|---|---|", "\tcode()",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(PREFIXES, MYST_LINES | st.text(max_size=4)).map("".join), max_size=30).map("\n".join))
def test_myst_never_crashes_and_positions_are_in_the_text(text: str) -> None:
    assert_positions_in_text(text)
