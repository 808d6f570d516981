from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docsync.models import CodeBlock, CodeLine, How, Reference, Style
from docsync.references.rst import scan_rst
from tests.references.positions import shown

ROLE, AUTO, CODE, MARK, INCL = Style.RST_ROLE, Style.AUTODOC, Style.MD_CODE, Style.MARKER, Style.LITERALINCLUDE
EXP, INF = How.EXPLICIT, How.INFERRED

Row = tuple[object, ...]


def rst(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def row(reference: Reference) -> Row:
    fields = (reference.name, reference.line, reference.column, reference.style, reference.how, reference.context)
    return fields if reference.path is None else (*fields, reference.path)


def found(text: str) -> list[Row]:
    return [row(reference) for reference in shown(scan_rst("docs/api.rst", text).references)]


# --- roles -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["func", "class", "meth", "attr", "mod", "data", "exc", "obj", "const", "deco", "type"]
)
@pytest.mark.parametrize("prefix", ["", "py:"])
def test_every_python_role(role: str, prefix: str) -> None:
    text = f"See :{prefix}{role}:`shop.cart.thing` here."
    [reference] = scan_rst("docs/api.rst", text).references
    assert row(reference) == ("shop.cart.thing", 1, 5, ROLE, EXP, None)
    assert reference.text == f":{prefix}{role}:`shop.cart.thing`"
    assert reference.doc == "docs/api.rst"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(":func:`~shop.cart.add_item`", [("shop.cart.add_item", 1, 1, ROLE, EXP, None)], id="tilde"),
        pytest.param(":meth:`.Cart.total`", [(".Cart.total", 1, 1, ROLE, EXP, None)], id="dot-kept"),
        pytest.param(":meth:`~.Cart.total`", [(".Cart.total", 1, 1, ROLE, EXP, None)], id="tilde-dot"),
        pytest.param(":func:`!add_item`", [("add_item", 1, 1, ROLE, EXP, None)], id="bang"),
        pytest.param(":func:`add_item()`", [("add_item", 1, 1, ROLE, EXP, None)], id="parens"),
        pytest.param(
            "Use :class:`the cart <shop.cart.Cart>`.", [("shop.cart.Cart", 1, 5, ROLE, EXP, None)], id="title"
        ),
        pytest.param(":func:`adds <~shop.add()>`", [("shop.add", 1, 1, ROLE, EXP, None)], id="title-tilde-parens"),
        pytest.param("Suffix `shop.add`:func: form.", [("shop.add", 1, 8, ROLE, EXP, None)], id="suffix-role"),
        pytest.param(":FUNC:`shop.add`", [("shop.add", 1, 1, ROLE, EXP, None)], id="role-case"),
        pytest.param("(:func:`shop.add`)", [("shop.add", 1, 2, ROLE, EXP, None)], id="in-parentheses"),
        pytest.param(
            ":func:`a` and :meth:`b.c`, :attr:`d`",
            [("a", 1, 1, ROLE, EXP, None), ("b.c", 1, 15, ROLE, EXP, None), ("d", 1, 28, ROLE, EXP, None)],
            id="several",
        ),
        pytest.param(
            "Call :func:`the adder\n<shop.cart.add_item>` now.",
            [("shop.cart.add_item", 1, 6, ROLE, EXP, None)],
            id="split-over-two-lines",
        ),
        pytest.param(
            rst("""
                - Call :func:`the adder
                  <shop.cart.add_item>` in a list item.
                """),
            [("shop.cart.add_item", 1, 8, ROLE, EXP, None)],
            id="split-in-list-item",
        ),
        pytest.param(
            ":ref:`x` :doc:`y` :term:`z` :envvar:`HOME` :rfc:`1` :c:func:`f` :any:`g` :py:ref:`h`",
            [],
            id="other-roles",
        ),
        pytest.param(":func:`not closed", [], id="unclosed"),
        pytest.param(r":func:\`shop.add\`", [], id="escaped"),
        pytest.param("*see :func:`shop.add`*", [], id="inside-emphasis"),
        pytest.param("**see :func:`shop.add`**", [], id="inside-strong"),
        pytest.param("*args and **kwargs go to :func:`shop.add`", [("shop.add", 1, 26, ROLE, EXP, None)], id="stars"),
        pytest.param(":func:`two words` :func:`<x>` :func:`a..b` :func:`1x`", [], id="not-names"),
        pytest.param(":func:` spaced`", [], id="space-after-backtick"),
        pytest.param(":func:`shop.a`_ :func:`shop.b`:meth:", [], id="role-with-link-or-second-role"),
        pytest.param(r":func:`shop\`x` :func:`shop.c`", [("shop.c", 1, 17, ROLE, EXP, None)], id="escaped-backtick"),
        pytest.param(":func:`shop.a `shop.b`", [], id="space-before-backtick"),
    ],
)
def test_roles(text: str, expected: list[Row]) -> None:
    assert found(text) == expected


def test_role_text_is_its_first_line() -> None:
    scan = scan_rst("docs/api.rst", "Call :func:`the adder\n<shop.cart.add_item>` now.")
    assert [r.text for r in scan.references] == [":func:`the adder"]


# --- context -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            rst("""
                :func:`a`

                .. module:: shop.cart

                :func:`b`

                .. currentmodule:: shop.orders

                :func:`c`

                .. currentmodule:: None

                :func:`d`

                .. py:module:: shop.x

                :func:`e`

                .. py:currentmodule:: shop.y

                :func:`f`
                """),
            [
                ("a", 1, 1, ROLE, EXP, None),
                ("shop.cart", 3, 13, ROLE, EXP, None),  # `.. module::` names it, as `:mod:` would (it renders nothing)
                ("b", 5, 1, ROLE, EXP, "shop.cart"),
                ("c", 9, 1, ROLE, EXP, "shop.orders"),
                ("d", 13, 1, ROLE, EXP, None),
                ("shop.x", 15, 16, ROLE, EXP, None),
                ("e", 17, 1, ROLE, EXP, "shop.x"),
                ("f", 21, 1, ROLE, EXP, "shop.y"),
            ],
            id="module-directives",
        ),
        pytest.param(
            rst("""
                .. currentmodule:: shop.cart

                .. class:: Cart

                   Sum with :meth:`total`.

                   .. method:: total()

                      See :attr:`items`.

                After :meth:`total`.
                """),
            [
                ("Cart", 3, 12, AUTO, EXP, "shop.cart"),
                ("total", 5, 13, ROLE, EXP, "shop.cart.Cart"),
                ("Cart.total", 7, 16, AUTO, EXP, "shop.cart"),
                ("items", 9, 11, ROLE, EXP, "shop.cart.Cart"),
                ("total", 11, 7, ROLE, EXP, "shop.cart"),
            ],
            id="class-body",
        ),
        pytest.param(
            rst("""
                .. py:class:: Cart

                   :meth:`total`

                .. exception:: CartError

                   :attr:`code`

                .. py:exception:: OtherError

                   :attr:`code`
                """),
            [
                ("Cart", 1, 15, AUTO, EXP, None),
                ("total", 3, 4, ROLE, EXP, "Cart"),
                ("CartError", 5, 16, AUTO, EXP, None),
                ("code", 7, 4, ROLE, EXP, "CartError"),
                ("OtherError", 9, 19, AUTO, EXP, None),
                ("code", 11, 4, ROLE, EXP, "OtherError"),
            ],
            id="class-without-module",
        ),
        pytest.param(
            rst("""
                .. currentmodule:: shop

                .. autoclass:: Cart

                   :meth:`total`

                .. autoexception:: shop.errors.CartError

                   :attr:`code`
                """),
            [
                ("Cart", 3, 16, AUTO, EXP, "shop"),
                ("total", 5, 4, ROLE, EXP, "shop.Cart"),
                ("shop.errors.CartError", 7, 20, AUTO, EXP, "shop"),
                ("code", 9, 4, ROLE, EXP, "shop.errors.CartError"),
            ],
            id="autoclass-body",
        ),
        pytest.param(
            rst("""
                .. py:class:: Cart
                   :module: shop.cart

                   :meth:`total`
                """),
            [("Cart", 1, 15, AUTO, EXP, "shop.cart"), ("total", 4, 4, ROLE, EXP, "shop.cart.Cart")],
            id="module-option",
        ),
    ],
)
def test_context(text: str, expected: list[Row]) -> None:
    assert found(text) == expected


# --- autodoc and Python-domain directives -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            ".. autofunction:: shop.cart.add_item",
            [("shop.cart.add_item", 1, 19, AUTO, EXP, None)],
            id="plain",
        ),
        pytest.param(
            ".. autofunction:: shop.cart.add_item(cart, item, *, qty=1) -> None",
            [("shop.cart.add_item", 1, 19, AUTO, EXP, None)],
            id="signature",
        ),
        pytest.param(".. autofunction:: add_item -> int", [("add_item", 1, 19, AUTO, EXP, None)], id="return-only"),
        pytest.param(
            ".. autofunction:: shop.a, shop.b  shop.c",
            [
                ("shop.a", 1, 19, AUTO, EXP, None),
                ("shop.b", 1, 27, AUTO, EXP, None),
                ("shop.c", 1, 35, AUTO, EXP, None),
            ],
            id="several-names",
        ),
        pytest.param(
            rst("""
                .. currentmodule:: shop

                .. autoclass:: Cart
                   :members: total, add,
                      remove
                   :undoc-members:
                """),
            [
                ("Cart", 3, 16, AUTO, EXP, "shop"),
                ("Cart.total", 4, 14, AUTO, EXP, "shop"),
                ("Cart.add", 4, 21, AUTO, EXP, "shop"),
                ("Cart.remove", 5, 7, AUTO, EXP, "shop"),
            ],
            id="members",
        ),
        pytest.param(
            rst("""
                .. automodule:: shop.cart
                   :members: add_item
                   :noindex:

                :func:`add_item`
                """),
            [
                ("shop.cart", 1, 17, AUTO, EXP, None),
                ("shop.cart.add_item", 2, 14, AUTO, EXP, None),
                ("add_item", 5, 1, ROLE, EXP, "shop.cart"),
            ],
            id="automodule-sets-module",
        ),
        pytest.param(
            rst("""
                .. autoclass:: shop.Cart
                   :members:

                   .. automethod:: total
                   .. autoattribute:: Cart.items
                   .. autofunction:: helper
                """),
            [
                ("shop.Cart", 1, 16, AUTO, EXP, None),
                ("shop.Cart.total", 4, 20, AUTO, EXP, None),
                ("Cart.items", 5, 23, AUTO, EXP, None),
                ("helper", 6, 22, AUTO, EXP, None),
            ],
            id="class-level-autodoc-in-class",
        ),
        pytest.param(
            rst("""
                .. autodata:: shop.LIMIT
                .. autoproperty:: shop.Cart.size
                .. autodecorator:: shop.cached
                .. autoexception:: shop.Error
                .. py:autofunction:: shop.f
                """),
            [
                ("shop.LIMIT", 1, 15, AUTO, EXP, None),
                ("shop.Cart.size", 2, 19, AUTO, EXP, None),
                ("shop.cached", 3, 20, AUTO, EXP, None),
                ("shop.Error", 4, 20, AUTO, EXP, None),
                ("shop.f", 5, 22, AUTO, EXP, None),
            ],
            id="other-autodoc",
        ),
        pytest.param(
            rst("""
                .. currentmodule:: shop

                .. autosummary::
                   :toctree: generated

                   Cart
                   ~shop.orders.Order
                """),
            [("Cart", 6, 4, AUTO, EXP, "shop"), ("shop.orders.Order", 7, 5, AUTO, EXP, "shop")],
            id="autosummary",
        ),
    ],
)
def test_autodoc(text: str, expected: list[Row]) -> None:
    assert found(text) == expected


def test_autodoc_text_is_the_argument_as_written() -> None:
    scan = scan_rst("docs/api.rst", ".. autofunction:: shop.add(a, b) -> int\n")
    assert [r.text for r in scan.references] == ["shop.add(a, b) -> int"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            rst("""
                .. module:: shop.cart

                .. function:: add_item(cart, item, *, qty=1)
                .. py:function:: remove_item(cart, item)
                .. data:: LIMIT
                .. decorator:: cached(ttl)
                """),
            [
                ("shop.cart", 1, 13, ROLE, EXP, None),
                ("add_item", 3, 15, AUTO, EXP, "shop.cart"),
                ("remove_item", 4, 18, AUTO, EXP, "shop.cart"),
                ("LIMIT", 5, 11, AUTO, EXP, "shop.cart"),
                ("cached", 6, 16, AUTO, EXP, "shop.cart"),
            ],
            id="module-level",
        ),
        pytest.param(
            rst("""
                .. class:: Cart(items=())

                   .. method:: total() -> Decimal
                   .. py:attribute:: items
                   .. property:: size
                   .. staticmethod:: empty()
                   .. classmethod:: Cart.load(data)
                   .. class:: Line

                      .. attribute:: qty
                """),
            [
                ("Cart", 1, 12, AUTO, EXP, None),
                ("Cart.total", 3, 16, AUTO, EXP, None),
                ("Cart.items", 4, 22, AUTO, EXP, None),
                ("Cart.size", 5, 18, AUTO, EXP, None),
                ("Cart.empty", 6, 22, AUTO, EXP, None),
                ("Cart.load", 7, 21, AUTO, EXP, None),
                ("Cart.Line", 8, 15, AUTO, EXP, None),
                ("Cart.Line.qty", 10, 22, AUTO, EXP, None),
            ],
            id="nested-in-class",
        ),
        pytest.param(
            rst("""
                .. function:: area(radius)
                              area(width, height)

                   Two signatures.
                """),
            [("area", 1, 15, AUTO, EXP, None), ("area", 2, 15, AUTO, EXP, None)],
            id="multiple-signatures",
        ),
        pytest.param(
            rst("""
                .. cofunction:: fetch(url, *, \\
                                timeout=None)

                .. class:: Client

                   .. comethod:: get(url)
                """),
            [
                ("fetch", 1, 17, AUTO, EXP, None),
                ("Client", 4, 12, AUTO, EXP, None),
                ("Client.get", 6, 18, AUTO, EXP, None),
            ],
            id="asyncio-coroutines-over-two-lines",
        ),
        pytest.param(
            rst("""
                .. function:: f(x)
                   Describes f without the blank line Sphinx wants.

                .. function:: (x)
                .. autofunction:: (x)
                """),
            [("f", 1, 15, AUTO, EXP, None)],
            id="not-signatures",
        ),
        pytest.param(
            rst("""
                .. function:: f[T](x) -> int
                .. function:: g(x -> int
                .. method:: Cart.add (item)
                .. function:: h[T]->int
                """),
            [("f", 1, 15, AUTO, EXP, None), ("Cart.add", 3, 13, AUTO, EXP, None)],
            id="sphinx-signature-grammar",
        ),
        pytest.param(
            rst("""
                .. c:function:: int add_item(struct cart *c)

                   Calls :c:func:`helper`; see :func:`shop.add`.

                .. js:function:: addItem(cart)
                .. cpp:class:: Cart
                """),
            [("shop.add", 3, 32, ROLE, EXP, None)],
            id="other-domains",
        ),
        pytest.param(
            rst("""
                .. default-domain:: c

                .. function:: int add(int a)

                :func:`add` :py:func:`shop.add`

                .. py:function:: shop.remove()
                """),
            [("shop.add", 5, 13, ROLE, EXP, None), ("shop.remove", 7, 18, AUTO, EXP, None)],
            id="default-domain",
        ),
    ],
)
def test_python_domain_directives(text: str, expected: list[Row]) -> None:
    assert found(text) == expected


def test_the_types_fields_state_are_cross_references() -> None:
    """Sphinx links `:type x:`, `:rtype:` and `:raises X:`: names there are the doc's (aiohttp kept a removed
    `aiohttp.streams.FlowControlStreamReader` in a `:type payload:` for years); prose words are not."""
    text = rst("""
        .. module:: shop

        .. function:: make(cart, payload)

           :param payload: raw payload reader object
           :type  payload: shop.streams.Reader
           :rtype: list of ~shop.cart.Cart
           :raises shop.errors.OutOfStock: when it is
           :returns: a new list of things
        """)
    assert [r for r in found(text) if r[3] is ROLE] == [
        ("shop", 1, 13, ROLE, EXP, None),
        ("shop.streams.Reader", 6, 20, ROLE, EXP, "shop"),
        ("shop.cart.Cart", 7, 21, ROLE, EXP, "shop"),
        ("shop.errors.OutOfStock", 8, 12, ROLE, EXP, "shop"),
    ]


def test_csv_table_cells_are_prose() -> None:
    text = '.. csv-table::\n   :header: Name, Meaning\n\n   ``shop.a``, ":func:`shop.b`"\n'
    assert found(text) == [("shop.a", 4, 4, CODE, INF, None), ("shop.b", 4, 17, ROLE, EXP, None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            rst("""
                .. literalinclude:: ../src/shop/cart.py
                   :pyobject: Cart.total
                   :linenos:
                """),
            [("Cart.total", 1, 21, INCL, EXP, None, "../src/shop/cart.py")],
            id="pyobject",
        ),
        pytest.param(
            ".. literalinclude:: ../src/shop/cart.py\n",
            [("", 1, 21, INCL, EXP, None, "../src/shop/cart.py")],
            id="whole-file",
        ),
        pytest.param(".. literalinclude:: ../config.toml\n   :lines: 1-3\n", [], id="not-python"),
    ],
)
def test_literalinclude(text: str, expected: list[Row]) -> None:
    assert found(text) == expected


def test_literalinclude_lines_option() -> None:
    [reference] = scan_rst("d.rst", ".. literalinclude:: cart.py\n   :lines: 12-20\n").references
    assert (reference.path, reference.lines, reference.text) == ("cart.py", (12, 20), "cart.py")


# --- markers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            ".. docsync: shop.cart.add_item, shop.cart.Cart\n",
            [("shop.cart.add_item", 1, 13, MARK, EXP, None), ("shop.cart.Cart", 1, 33, MARK, EXP, None)],
            id="names",
        ),
        pytest.param(
            rst("""
                .. docsync: shop.a,
                   shop.b

                .. currentmodule:: shop

                .. docsync: shop.c x-y
                """),
            [
                ("shop.a", 1, 13, MARK, EXP, None),
                ("shop.b", 2, 4, MARK, EXP, None),
                ("shop.c", 6, 13, MARK, EXP, "shop"),
            ],
            id="continuation-and-context",
        ),
        pytest.param(
            rst("""
                .. docsync: ignore

                :func:`dropped` and :func:`kept`
                """),
            [("kept", 3, 21, ROLE, EXP, None)],
            id="ignore-next-reference",
        ),
        pytest.param(
            rst("""
                :func:`a`

                .. docsync: ignore-start

                :func:`b`

                .. autofunction:: c

                .. docsync: ignore-end

                :func:`d`
                """),
            [("a", 1, 1, ROLE, EXP, None), ("d", 11, 1, ROLE, EXP, None)],
            id="ignore-region",
        ),
        pytest.param(
            ".. docsync: shop.a\n.. docsync:shop.b\n",
            [("shop.a", 1, 13, MARK, EXP, None), ("shop.b", 2, 12, MARK, EXP, None)],
            id="no-space",
        ),
    ],
)
def test_markers(text: str, expected: list[Row]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            rst("""
                .. docsync: ignore

                .. code-block:: python

                   shop.add(1)

                :func:`kept`
                """),
            id="code-block",
        ),
        pytest.param(
            rst("""
                .. docsync: ignore

                Example::

                    shop.add(1)

                :func:`kept`
                """),
            id="literal-after-paragraph",
        ),
        pytest.param(
            rst("""
                .. docsync: ignore

                >>> shop.add(1)
                1

                :func:`kept`
                """),
            id="doctest",
        ),
        pytest.param(
            rst("""
                .. docsync: ignore

                .. code-block:: console

                   $ shop add

                :func:`kept`
                """),
            id="non-python-block",
        ),
    ],
)
def test_ignore_drops_the_next_code_block_and_nothing_else(text: str) -> None:
    scan = scan_rst("docs/a.rst", text)
    assert shown(scan.blocks) == []
    assert [r.name for r in shown(scan.references)] == ["kept"]
    assert [ignore.line for block in scan.blocks for ignore in block.ignored] == [1] * len(scan.blocks)


# --- where roles do not count, and where they do ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Example::\n\n    :func:`shop.no`\n    ``shop.no``\n", id="literal-block"),
        pytest.param("Example: ::\n\n    :func:`shop.no`\n", id="literal-block-spaced-marker"),
        pytest.param("::\n\n    :func:`shop.no`\n", id="literal-block-alone"),
        pytest.param("- Item::\n\n      :func:`shop.no`\n", id="literal-block-in-list"),
        pytest.param(".. code-block:: python\n\n   :func:`shop.no`\n", id="code-block"),
        pytest.param(".. code-block:: python\n   :caption: :func:`shop.no`\n\n   x = 1\n", id="code-block-option"),
        pytest.param(".. code:: rst\n\n   :func:`shop.no`\n", id="code"),
        pytest.param(".. sourcecode:: rst\n\n   :func:`shop.no`\n", id="sourcecode"),
        pytest.param(".. testcode::\n\n   :func:`shop.no`\n", id="testcode"),
        pytest.param(".. doctest::\n\n   >>> :func:`shop.no`\n", id="doctest-directive"),
        pytest.param(".. ipython::\n\n   In [1]: :func:`shop.no`\n", id="ipython"),
        pytest.param(".. jupyter-execute::\n\n   :func:`shop.no`\n", id="jupyter-execute"),
        pytest.param(".. raw:: html\n\n   :func:`shop.no`\n", id="raw"),
        pytest.param(".. math::\n\n   `shop.no`\n", id="math"),
        pytest.param(".. contents:: ``shop.no``\n   :local:\n", id="contents"),
        pytest.param(".. sh::\n\n   `shop.no`\n", id="other-language-cell"),
        pytest.param(".. this is a comment :func:`shop.no`\n   and more :func:`shop.no`\n", id="comment"),
        pytest.param("..\n   :func:`shop.no` in a comment body\n", id="comment-body"),
        pytest.param(".. _target: :func:`shop.no`\n", id="target"),
        pytest.param(".. note::\n   :class: :func:`shop.no`\n\n   Text.\n", id="directive-option"),
        pytest.param(">>> :func:`shop.no`\n... ``shop.no``\n:func:`shop.no`\n", id="doctest-block"),
        pytest.param("`shop.no`_ and `shop.no <https://x>`_ and `shop.no`__", id="links"),
        pytest.param("_`shop.no` is an inline target", id="inline-target"),
        pytest.param("__ https://example.com/\n   :func:`shop.no`\n", id="anonymous-target"),
    ],
)
def test_roles_that_are_not_references(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            rst("""
                +--------------------+------------------+
                | Name               | What             |
                +====================+==================+
                | :func:`shop.add`   | adds an item     |
                +--------------------+------------------+
                | :class:`shop.Cart` | holds the items, |
                |                    | see :meth:`sum`  |
                +--------------------+------------------+
                """),
            [
                ("shop.add", 4, 3, ROLE, EXP, None),
                ("shop.Cart", 6, 3, ROLE, EXP, None),
                ("sum", 7, 28, ROLE, EXP, None),
            ],
            id="grid-table",
        ),
        pytest.param(
            "+------------------------+\n| See :mod:`shop.cart`|x |\n+------------------------+\n",
            [],
            id="grid-table-cell-boundary-not-at-border",
        ),
        pytest.param(
            rst("""
                ==================  =========
                Name                What
                ==================  =========
                :func:`shop.add`    ``shop.b``
                ==================  =========
                """),
            [("shop.add", 4, 1, ROLE, EXP, None), ("shop.b", 4, 21, CODE, INF, None)],
            id="simple-table",
        ),
        pytest.param(
            rst("""
                * One :func:`shop.a`
                * Two

                  - Nested :func:`shop.b`

                #. Enumerated :func:`shop.c`
                """),
            [
                ("shop.a", 1, 7, ROLE, EXP, None),
                ("shop.b", 4, 12, ROLE, EXP, None),
                ("shop.c", 6, 15, ROLE, EXP, None),
            ],
            id="lists",
        ),
        pytest.param(
            rst("""
                :param cart: the :class:`shop.Cart`
                    to fill, see :func:`shop.fill`
                :returns: nothing
                """),
            [("shop.Cart", 1, 18, ROLE, EXP, None), ("shop.fill", 2, 18, ROLE, EXP, None)],
            id="field-list",
        ),
        pytest.param(
            rst("""
                term :class:`shop.Cart`
                    Definition with :func:`shop.add`.
                """),
            [("shop.Cart", 1, 6, ROLE, EXP, None), ("shop.add", 2, 21, ROLE, EXP, None)],
            id="definition-list",
        ),
        pytest.param(
            rst("""
                .. note:: First line :func:`shop.a`
                   continues :func:`shop.b`.

                .. versionchanged:: 2.0
                   Use :func:`shop.c`.

                .. seealso::

                   :func:`shop.d`

                .. rubric:: About :mod:`shop`
                """),
            [
                ("shop.a", 1, 22, ROLE, EXP, None),
                ("shop.b", 2, 14, ROLE, EXP, None),
                ("shop.c", 5, 8, ROLE, EXP, None),
                ("shop.d", 9, 4, ROLE, EXP, None),
                ("shop", 11, 19, ROLE, EXP, None),
            ],
            id="prose-directives",
        ),
        pytest.param(
            rst("""
                Quoted:

                    A block quote :func:`shop.a`.

                .. [1] A footnote :func:`shop.b`.
                .. |adder| replace:: :func:`shop.c`
                """),
            [
                ("shop.a", 3, 19, ROLE, EXP, None),
                ("shop.b", 5, 19, ROLE, EXP, None),
                ("shop.c", 6, 22, ROLE, EXP, None),
            ],
            id="quote-footnote-substitution",
        ),
        pytest.param(
            rst("""
                The :mod:`shop.cart` module
                ===========================
                """),
            [("shop.cart", 1, 5, ROLE, EXP, None)],
            id="section-title",
        ),
        pytest.param(
            "Example\n::\n\n    :func:`shop.no`\n",
            [],
            id="short-adornment-is-text",
        ),
        pytest.param(
            "Example::\n\nNo literal block :func:`shop.a`.\n",
            [("shop.a", 3, 18, ROLE, EXP, None)],
            id="no-literal-block",
        ),
        pytest.param(
            "=====  =====\na      b\n\n:func:`shop.a`\n", [("shop.a", 4, 1, ROLE, EXP, None)], id="table-without-bottom"
        ),
        pytest.param(
            "..\n\n   Quoted :func:`shop.a`\n", [("shop.a", 3, 11, ROLE, EXP, None)], id="after-empty-comment"
        ),
        pytest.param(
            "Term::\n    :func:`shop.a` (a definition: no blank line)\n",
            [("shop.a", 2, 5, ROLE, EXP, None)],
            id="definition-not-literal",
        ),
    ],
)
def test_roles_that_count(text: str, expected: list[Row]) -> None:
    assert found(text) == expected


# --- inline code ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Call ``shop.cart.add_item``.", [("shop.cart.add_item", 1, 6, CODE, INF, None)], id="literal"),
        pytest.param("``add_item(cart, qty=2)``", [("add_item", 1, 1, CODE, INF, None)], id="call"),
        pytest.param("``f(g(1), x=[2])``", [("f", 1, 1, CODE, INF, None)], id="nested-call"),
        pytest.param("``@shop.cached``", [("shop.cached", 1, 1, CODE, INF, None)], id="decorator"),
        pytest.param("``src/shop/cart.py``", [("", 1, 1, CODE, INF, None, "src/shop/cart.py")], id="path"),
        pytest.param("Default `shop.add()` role.", [("shop.add", 1, 9, CODE, INF, None)], id="default-role"),
        pytest.param("`src/shop/cart.py`", [("", 1, 1, CODE, INF, None, "src/shop/cart.py")], id="default-role-path"),
        pytest.param(
            "``pip install x``, ``x = 1``, ``--flag``, ``None``, ``f(x) or g(y)``, ``1.5``, `a b`, ``*.py``",
            [],
            id="not-names",
        ),
        pytest.param("``a``\\ ``b``", [("a", 1, 1, CODE, INF, None), ("b", 1, 8, CODE, INF, None)], id="escaped-space"),
        pytest.param("``unclosed and `also", [], id="unclosed"),
        pytest.param("`shop.x`:func:text", [("shop.x", 1, 1, CODE, INF, None)], id="not-a-suffix-role"),
        pytest.param(
            rst("""
                .. currentmodule:: shop

                ``add``
                """),
            [("add", 3, 1, CODE, INF, "shop")],
            id="context",
        ),
        pytest.param(
            rst("""
                .. default-role:: py:obj

                `shop.add` and ``shop.b``

                .. default-role::

                `shop.c`

                .. default-role:: math

                `x`
                """),
            [
                ("shop.add", 3, 1, ROLE, EXP, None),
                ("shop.b", 3, 16, CODE, INF, None),
                ("shop.c", 7, 1, CODE, INF, None),
            ],
            id="default-role-directive",
        ),
    ],
)
def test_inline_code(text: str, expected: list[Row]) -> None:
    assert found(text) == expected


# --- headings ------------------------------------------------------------------------------------------


def test_headings() -> None:
    text = rst("""
        ==========
         Overline
        ==========

        Title
        =====

        Sub
        ---

        Short underline is text
        ---

        .. note::

           Not a title
           -----------

        Long enough underline
        ~~~~

        1. Numbered title
        =================

        1. A list item, not a title
        """)
    assert scan_rst("d.rst", text).headings == (2, 5, 8, 19, 22)
    assert scan_rst("d.rst", "Text\n\n=====\nNot a title at the end").headings == ()


# --- code blocks ---------------------------------------------------------------------------------------


def block(style: Style, language: str, code: str, *origin: tuple[int, int]) -> CodeBlock:
    return CodeBlock("docs/a.rst", style, language, code, tuple(CodeLine(line, column) for line, column in origin))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Example::\n\n    x = 1\n    if x:\n        y = 2\n\nAfter.\n",
            [block(Style.CODE_BLOCK, "", "x = 1\nif x:\n    y = 2\n", (3, 4), (4, 4), (5, 4))],
            id="literal-block",
        ),
        pytest.param(
            rst("""
                .. code-block:: Python
                   :linenos:
                   :caption: Adding

                   cart = Cart()

                   cart.add(1)
                """),
            [block(Style.CODE_BLOCK, "python", "cart = Cart()\n\ncart.add(1)\n", (5, 3), (6, 0), (7, 3))],
            id="code-block-with-options",
        ),
        pytest.param(
            ".. code-block::\n\n   x = 1\n",
            [block(Style.CODE_BLOCK, "", "x = 1\n", (3, 3))],
            id="code-block-no-language",
        ),
        pytest.param(
            ".. code-block:: python\n   :linenos:\n   x = 1\n",
            [block(Style.CODE_BLOCK, "python", "x = 1\n", (3, 3))],
            id="code-without-blank-line-after-options",
        ),
        pytest.param(".. doctest::\n\n   no prompt here\n", [], id="doctest-without-prompts"),
        pytest.param(".. code-block:: python\n\n", [], id="empty"),
        pytest.param(
            ".. testcode::\n\n   run()\n",
            [block(Style.CODE_BLOCK, "python", "run()\n", (3, 3))],
            id="testcode",
        ),
        pytest.param(
            ".. jupyter-execute::\n\n   run()\n",
            [block(Style.CODE_BLOCK, "python", "run()\n", (3, 3))],
            id="jupyter",
        ),
        pytest.param(
            rst("""
                >>> cart = Cart()
                >>> for item in items:
                ...     cart.add(item)
                >>> cart.total()
                42
                ...
                """),
            [
                block(
                    Style.DOCTEST,
                    "",
                    "cart = Cart()\nfor item in items:\n    cart.add(item)\ncart.total()\n",
                    (1, 4),
                    (2, 4),
                    (3, 4),
                    (4, 4),
                )
            ],
            id="doctest-block-with-output",
        ),
        pytest.param(
            ".. doctest::\n\n   >>> f()\n   1\n   >>>\n",
            [block(Style.DOCTEST, "doctest", "f()\n\n", (3, 7), (5, 6))],
            id="doctest-directive",
        ),
        pytest.param(
            ".. code-block:: pycon\n\n   >>> f()\n   1\n",
            [block(Style.DOCTEST, "pycon", "f()\n", (3, 7))],
            id="pycon",
        ),
        pytest.param(
            ".. code-block:: text\n\n   >>> f()\n",
            [block(Style.DOCTEST, "text", "f()\n", (3, 7))],
            id="any-language-with-prompt",
        ),
        pytest.param(
            ".. ipython::\n\n   In [1]: x = f()\n      ...: y = 2\n\n   In [2]: x\n   Out[2]: 1\n",
            [block(Style.DOCTEST, "ipython", "x = f()\ny = 2\nx\n", (3, 11), (4, 11), (6, 11))],
            id="ipython-prompts",
        ),
        pytest.param(
            ".. highlight:: console\n\nRun::\n\n   $ shop\n\n.. highlight:: python3\n\nCode::\n\n   f()\n",
            [block(Style.CODE_BLOCK, "python3", "f()\n", (11, 3))],
            id="highlight",
        ),
        pytest.param("- Item::\n\n      f()\n", [block(Style.CODE_BLOCK, "", "f()\n", (3, 6))], id="literal-in-list"),
        pytest.param(
            "Quoted::\n\n>>> f()\n> not code\n",
            [block(Style.DOCTEST, "", "f()\n", (3, 4))],
            id="quoted-literal",
        ),
        pytest.param(
            ".. code-block:: console\n\n   $ pip install shop\n\n.. code-block:: yaml\n\n   a: 1\n",
            [],
            id="not-python",
        ),
        pytest.param("Paragraph::\nno blank line\n", [], id="literal-needs-blank-line"),
    ],
)
def test_code_blocks(text: str, expected: list[CodeBlock]) -> None:
    scan = scan_rst("docs/a.rst", text)
    assert list(scan.blocks) == expected
    assert scan.calls == ()


# --- a whole page ----------------------------------------------------------------------------------------

PAGE = rst("""
    .. _cart-api:

    ============
    Shopping API
    ============

    .. module:: shop.cart
       :synopsis: Carts and the items in them.

    The :mod:`shop.cart` module keeps a :class:`Cart` per session. Add items with
    :func:`~shop.cart.add_item` (see :ref:`adding`) or by calling ``Cart.add()``.

    .. note:: Totals are cached; :meth:`Cart.total` recomputes them
       after :func:`add_item <shop.cart.add_item>` runs.

    Quick start
    -----------

    A cart starts empty::

        cart = Cart()
        cart.add(:func:`not_a_role`)

    >>> from shop.cart import Cart, add_item
    >>> cart = Cart()
    >>> add_item(cart, "apple", qty=2)
    >>> cart.total()
    Decimal('3.00')

    .. code-block:: python
       :linenos:
       :caption: Checking out

       from shop.orders import checkout
       order = checkout(cart)

    .. code-block:: console

       $ shop --cart demo

    Reference
    ---------

    .. autofunction:: add_item(cart, item, *, qty=1) -> None

    .. autoclass:: Cart
       :members: total, items
       :noindex:

       Use :meth:`total` for the sum and :attr:`.items` for the lines.

       .. method:: clear()

          Empties the cart; see also :py:meth:`~Cart.total`.

    .. currentmodule:: shop.orders

    +---------------------+-----------------------------+
    | Function            | Purpose                     |
    +=====================+=============================+
    | :func:`checkout`    | Turns a cart into an order. |
    +---------------------+-----------------------------+

    .. literalinclude:: ../src/shop/orders.py
       :pyobject: checkout

    .. docsync: shop.orders.Order, shop.orders.refund

    .. docsync: ignore

    This sentence mentions :func:`legacy_checkout` only for history.

    .. comment: :func:`commented_out` is never a reference.

    .. currentmodule:: None

    See `src/shop/cart.py` and :c:func:`shop_init`; the ``pip install shop`` command.
    """)


def test_real_sphinx_page() -> None:
    scan = scan_rst("docs/cart.rst", PAGE)
    assert [(*row(r), r.text) for r in shown(scan.references)] == [
        ("shop.cart", 7, 13, ROLE, EXP, None, "shop.cart"),
        ("shop.cart", 10, 5, ROLE, EXP, "shop.cart", ":mod:`shop.cart`"),
        ("Cart", 10, 37, ROLE, EXP, "shop.cart", ":class:`Cart`"),
        ("shop.cart.add_item", 11, 1, ROLE, EXP, "shop.cart", ":func:`~shop.cart.add_item`"),
        ("Cart.add", 11, 63, CODE, INF, "shop.cart", "``Cart.add()``"),
        ("Cart.total", 13, 30, ROLE, EXP, "shop.cart", ":meth:`Cart.total`"),
        ("shop.cart.add_item", 14, 10, ROLE, EXP, "shop.cart", ":func:`add_item <shop.cart.add_item>`"),
        ("add_item", 44, 19, AUTO, EXP, "shop.cart", "add_item(cart, item, *, qty=1) -> None"),
        ("Cart", 46, 16, AUTO, EXP, "shop.cart", "Cart"),
        ("Cart.total", 47, 14, AUTO, EXP, "shop.cart", "total"),
        ("Cart.items", 47, 21, AUTO, EXP, "shop.cart", "items"),
        ("total", 50, 8, ROLE, EXP, "shop.cart.Cart", ":meth:`total`"),
        (".items", 50, 38, ROLE, EXP, "shop.cart.Cart", ":attr:`.items`"),
        ("Cart.clear", 52, 16, AUTO, EXP, "shop.cart", "clear()"),
        ("Cart.total", 54, 34, ROLE, EXP, "shop.cart.Cart", ":py:meth:`~Cart.total`"),
        ("checkout", 61, 3, ROLE, EXP, "shop.orders", ":func:`checkout`"),
        ("checkout", 64, 21, INCL, EXP, "shop.orders", "../src/shop/orders.py", "../src/shop/orders.py"),
        ("shop.orders.Order", 67, 13, MARK, EXP, "shop.orders", "shop.orders.Order"),
        ("shop.orders.refund", 67, 32, MARK, EXP, "shop.orders", "shop.orders.refund"),
        ("", 77, 5, CODE, INF, None, "src/shop/cart.py", "`src/shop/cart.py`"),
    ]
    assert scan.blocks == (
        CodeBlock(
            "docs/cart.rst",
            Style.CODE_BLOCK,
            "",
            "cart = Cart()\ncart.add(:func:`not_a_role`)\n",
            (CodeLine(21, 4), CodeLine(22, 4)),
        ),
        CodeBlock(
            "docs/cart.rst",
            Style.DOCTEST,
            "",
            'from shop.cart import Cart, add_item\ncart = Cart()\nadd_item(cart, "apple", qty=2)\ncart.total()\n',
            (CodeLine(24, 4), CodeLine(25, 4), CodeLine(26, 4), CodeLine(27, 4)),
        ),
        CodeBlock(
            "docs/cart.rst",
            Style.CODE_BLOCK,
            "python",
            "from shop.orders import checkout\norder = checkout(cart)\n",
            (CodeLine(34, 3), CodeLine(35, 3)),
        ),
    )
    assert scan.headings == (4, 16, 41)
    assert scan.calls == ()
    assert scan.diagnostics == ()


# --- robustness ----------------------------------------------------------------------------------------


def test_crlf_tabs_and_no_final_newline() -> None:
    text = ".. module:: shop\r\n\r\n.. class:: Cart\r\n\r\n\t:meth:`total`\r\n\r\nEnd ``shop.add``"
    assert found(text) == [
        ("shop", 1, 13, ROLE, EXP, None),
        ("Cart", 3, 12, AUTO, EXP, "shop"),
        ("total", 5, 2, ROLE, EXP, "shop.Cart"),
        ("shop.add", 7, 5, CODE, INF, "shop"),
    ]


def test_crlf_code_block() -> None:
    scan = scan_rst("docs/a.rst", "Example::\r\n\r\n    f()\r\n")
    assert scan.blocks == (block(Style.CODE_BLOCK, "", "f()\n", (3, 4)),)


def test_deep_nesting_does_not_recurse_forever() -> None:
    text = "".join(" " * depth + f"- :func:`shop.f{depth}`\n" for depth in range(0, 600, 2))
    assert len(found(text)) == 300


@pytest.mark.parametrize("piece", [":func:`a ", "`a ", "``a ", "*a ", "**a ", ":func:`x\n"])
def test_many_unclosed_starts_take_linear_time(piece: str) -> None:
    # Each start looks for its end; searching the rest of the paragraph every time took minutes here.
    assert found(piece * 20000) == []


def test_empty_and_blank_documents() -> None:
    assert scan_rst("d.rst", "").references == ()
    assert scan_rst("d.rst", "\n\n   \n\t\n").blocks == ()


FRAGMENTS = st.sampled_from(
    [
        ".. ", "::", "`", "``", ":func:", ":meth:`", "~", "<x>", ">>> ", "... ", "   ", "\t", "\n", "\r\n",
        "\r", ".. code-block:: python", ".. class:: A", ".. autoclass:: a.B", "   :members: x, y",
        ".. docsync: ignore", ".. docsync: a.b", "- ", "1. ", ":param x: ", "====", "----", "+---+---+",
        "| a | b |", "=== ===", ".. note::", ".. currentmodule:: None", "foo.bar", "*", "**", "_", "|", "\\",
        ".. [1] ", ".. _t:", ".. |s| replace:: ", ".. literalinclude:: a.py", "   :pyobject: A.b",
        ".. doctest::", "In [1]: ", ".. ipython::", "\ufeff", "\x0c",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(FRAGMENTS | st.text(max_size=5), max_size=40).map("".join))
def test_never_crashes_and_positions_are_in_the_text(text: str) -> None:
    scan = scan_rst("d.rst", text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for reference in scan.references:
        source = lines[reference.line - 1]
        start = reference.column - 1
        assert 0 <= start < len(source)
        assert source[start : start + len(reference.text)] == reference.text
    for code in scan.blocks:
        assert len(code.origin) == code.code.count("\n")
        for place in code.origin:
            assert 0 <= place.column <= len(lines[place.line - 1])
    assert list(scan.headings) == sorted(set(scan.headings))
    assert all(1 <= heading <= len(lines) for heading in scan.headings)
