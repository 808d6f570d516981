"""Tests for the code-example analyser: imports, aliases, names used, calls and their positions."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docsync.models import Call, CodeBlock, CodeLine, Diagnostic, How, Style
from docsync.references.examples import Examples, analyze_examples

DOC = "docs/guide.md"


def block(
    code: str,
    *,
    first_line: int = 1,
    column: int = 0,
    language: str = "python",
    style: Style = Style.CODE_BLOCK,
) -> CodeBlock:
    """A block whose code line i sits at doc line `first_line + i`, `column` characters in."""
    count = len(re.split(r"\r\n|\r|\n", code))
    origin = tuple(CodeLine(first_line + index, column) for index in range(count))
    return CodeBlock(DOC, style, language, code, origin)


def doctest_block(doc: str, language: str = "") -> CodeBlock:
    """The doctest in `doc` as the doc scanners build it: prompts removed, output lines dropped."""
    code: list[str] = []
    origin: list[CodeLine] = []
    for number, line in enumerate(doc.splitlines(), start=1):
        match = re.match(r"(\s*)(?:>>>|\.\.\.)( |$)", line)
        if match:
            code.append(line[match.end() :])
            origin.append(CodeLine(number, match.end()))
    return CodeBlock(DOC, Style.DOCTEST, language, "\n".join(code), tuple(origin))


def names(examples: Examples) -> list[tuple[str, int, int]]:
    return [(ref.name, ref.line, ref.column) for ref in examples.references]


def calls(examples: Examples) -> list[tuple[str, int, int, int, tuple[str, ...], bool, bool]]:
    return [
        (call.name, call.line, call.column, call.positional, call.keywords, call.star_args, call.star_kwargs)
        for call in examples.calls
    ]


# (code of each block, one block per doc line range) -> expected (name, line, column) references.
REFERENCE_CASES = [
    pytest.param(["import shop.cart"], [("shop.cart", 1, 8)], id="import-dotted"),
    pytest.param(
        ["import shop.cart\nshop.cart.Cart.total(1)"],
        [("shop.cart", 1, 8), ("shop.cart.Cart.total", 2, 1)],
        id="import-dotted-longest-chain",
    ),
    pytest.param(
        ["import shop.cart as c\nc.add_item(1)\nc"],
        [("shop.cart", 1, 8), ("shop.cart.add_item", 2, 1), ("shop.cart", 3, 1)],
        id="import-as",
    ),
    pytest.param(
        ["from shop.cart import add_item as ai, Cart\nai(Cart)"],
        [
            ("shop.cart.add_item", 1, 23),
            ("shop.cart.Cart", 1, 39),
            ("shop.cart.add_item", 2, 1),
            ("shop.cart.Cart", 2, 4),
        ],
        id="from-import-as",
    ),
    pytest.param(
        ["from shop import (\n    cart,\n    tax as t,\n)\ncart.Cart\nt.rate"],
        [
            ("shop.cart", 2, 5),
            ("shop.tax", 3, 5),
            ("shop.cart.Cart", 5, 1),
            ("shop.tax.rate", 6, 1),
        ],
        id="from-import-parenthesised",
    ),
    pytest.param(
        ["import shop, shop.tax as tx\nshop.cart.Cart\ntx"],
        [("shop", 1, 8), ("shop.tax", 1, 14), ("shop.cart.Cart", 2, 1), ("shop.tax", 3, 1)],
        id="import-several",
    ),
    pytest.param(["from shop.cart import *\nCart.total"], [("Cart.total", 2, 1)], id="star-import-binds-nothing"),
    pytest.param(
        ["from . import cart\nfrom .tax import rate\ncart.Cart\nrate"],
        [("cart.Cart", 3, 1), ("rate", 4, 1)],
        id="relative-import-binds-nothing",
    ),
    pytest.param(
        ["import shop.cart as c", "cart = c.Cart()", "cart.total()"],
        [("shop.cart", 1, 8), ("shop.cart.Cart", 2, 8), ("shop.cart.Cart.total", 3, 1)],
        id="blocks-share-imports",
    ),
    pytest.param(
        ["from shop.cart import Cart\nCart.total\nCart = dict\nCart.total"],
        [("shop.cart.Cart", 1, 23), ("shop.cart.Cart.total", 2, 1)],
        id="assignment-shadows-import",
    ),
    pytest.param(
        ["from shop.cart import Cart", "for Cart in []:\n    pass\nCart.total"],
        [("shop.cart.Cart", 1, 23)],
        id="for-target-shadows-import-in-next-block",
    ),
    pytest.param(
        ["import os\nos.path.join('a', 'b')"],
        [("os", 1, 8), ("os.path.join", 2, 1)],
        id="stdlib-reported-too",
    ),
    pytest.param(
        ["print(len([1]), sorted, ValueError, __name__, _)"],
        [],
        id="builtins-are-not-references",
    ),
    pytest.param(
        ["Cart.total(checkout(), x)"],
        [("Cart.total", 1, 1), ("checkout", 1, 12), ("x", 1, 24)],
        id="unbound-names-are-bare",
    ),
    pytest.param(
        ["from shop import make\nmake().items[0].price.value"],
        # `make().items` is what `make` returns (resolution reads its annotation); the chain stops at the subscript.
        [("shop.make", 1, 18), ("shop.make().items", 2, 1), ("shop.make", 2, 1)],
        id="chain-stops-at-call-and-subscript",
    ),
    pytest.param(
        [
            "from shop.cart import Cart\n"
            "class Basket(Cart):\n"
            "    limit: int = LIMIT\n"
            "    def add(self, item: Item, *rest, qty=DEFAULT, **opts) -> None:\n"
            "        self.items.append((item, rest, qty, opts, Basket))\n"
            "Basket().add(1)"
        ],
        [
            ("shop.cart.Cart", 1, 23),
            ("shop.cart.Cart", 2, 14),
            ("LIMIT", 3, 18),
            ("Item", 4, 25),
            ("DEFAULT", 4, 42),
        ],
        id="class-and-def-bind-their-names-and-parameters",
    ),
    pytest.param(
        ["def f(x):\n    y = x\n    return y\ny\nf"],
        [("y", 4, 1)],
        id="function-locals-stay-inside",
    ),
    pytest.param(
        ["[item.price for item in items if item]\n{k: v for k, v in pairs}\nlambda a, *b: a + b + c"],
        [("items", 1, 25), ("pairs", 2, 19), ("c", 3, 23)],
        id="comprehension-and-lambda-variables",
    ),
    pytest.param(
        ["try:\n    pass\nexcept Oops as err:\n    err.args\nwith open(p) as fh:\n    fh.read()"],
        [("Oops", 3, 8), ("p", 5, 11)],
        id="except-and-with-targets",
    ),
    pytest.param(
        ["import shop.api as api\nresult = await api.fetch(1)\nasync for x in api.stream():\n    x.y"],
        [("shop.api", 1, 8), ("shop.api.fetch", 2, 16), ("shop.api.stream", 3, 16)],
        id="top-level-await",
    ),
    pytest.param(
        ["match order:\n    case Order(total=t) | [t, *rest] | {'k': t, **more}:\n        t, rest, more"],
        [("order", 1, 7), ("Order", 2, 10)],
        id="match-patterns-bind",
    ),
    pytest.param(
        ["from shop.cart import Cart\ncart: Cart\ncart.total\nother: Cart = Cart()\nother.total"],
        [
            ("shop.cart.Cart", 1, 23),
            ("shop.cart.Cart", 2, 7),
            ("shop.cart.Cart", 4, 8),
            ("shop.cart.Cart", 4, 15),
            ("shop.cart.Cart.total", 5, 1),
        ],
        id="annotated-assignment",
    ),
    pytest.param(
        ["(n := count())\nn.real\nx += 1"],
        [("count", 1, 7), ("x", 3, 1)],
        id="walrus-binds-augassign-reads",
    ),
    pytest.param(
        ['label = "héllo"; shop.greet()'],
        [("shop.greet", 1, 18)],
        id="columns-count-characters-not-bytes",
    ),
]


@pytest.mark.parametrize(("codes", "expected"), REFERENCE_CASES)
def test_references(codes: list[str], expected: list[tuple[str, int, int]]) -> None:
    blocks, line = [], 1
    for code in codes:
        blocks.append(block(code, first_line=line))
        line += code.count("\n") + 1
    examples = analyze_examples(blocks)
    assert names(examples) == expected
    assert examples.diagnostics == ()
    assert {(ref.how, ref.style, ref.doc) for ref in examples.references} <= {(How.INFERRED, Style.CODE_BLOCK, DOC)}


# code -> expected (name, line, column, positional, keywords, star_args, star_kwargs) calls.
CALL_CASES = [
    pytest.param(
        "from shop.cart import add_item as ai\nai(cart, 'apple', qty=2, price=3)",
        [("shop.cart.add_item", 2, 1, 2, ("qty", "price"), False, False)],
        id="alias-positional-and-keywords-in-order",
    ),
    pytest.param(
        "import shop\nshop.cart.add_item(*items, 1, key=k, **extra)",
        [("shop.cart.add_item", 2, 1, 1, ("key",), True, True)],
        id="star-args-and-kwargs",
    ),
    pytest.param(
        "import shop.cart as c\ncart = c.Cart(items=[])\ncart.total(currency='EUR')",
        [
            ("shop.cart.Cart", 2, 8, 0, ("items",), False, False),
            ("shop.cart.Cart.total", 3, 1, 0, ("currency",), False, False),
        ],
        id="instance-method-call",
    ),
    pytest.param(
        "from shop.cart import Cart\ncart = Cart()\ncart = other()\ncart.total()",
        [("shop.cart.Cart", 2, 8, 0, (), False, False), ("other", 3, 8, 0, (), False, False)],
        id="reassignment-forgets-instance",
    ),
    pytest.param(
        "from shop.cart import Cart\nwith Cart(1) as c, lock:\n    c.checkout(fast=True)",
        [
            ("shop.cart.Cart", 2, 6, 1, (), False, False),
            ("shop.cart.Cart.checkout", 3, 5, 0, ("fast",), False, False),
        ],
        id="with-binds-instance",
    ),
    pytest.param(
        "from shop import make_cart\ncart = make_cart()\ncart.total()",
        # What `make_cart` returns, by its annotation: resolution follows it (`resolve.lookup`).
        [("shop.make_cart", 2, 8, 0, (), False, False), ("shop.make_cart().total", 3, 1, 0, (), False, False)],
        id="factory-result-is-what-it-returns",
    ),
    pytest.param(
        "@cli.option(\n    '--name',\n)",
        [("cli.option", 1, 2, 1, (), False, False)],
        id="a-decorator-on-its-own-still-parses",
    ),
    pytest.param(
        "Cart().total(1)\nobj.method(2)\nprint('x')\n(lambda: 1)()",
        [
            ("Cart.total", 1, 1, 1, (), False, False),
            ("Cart", 1, 1, 0, (), False, False),
            ("obj.method", 2, 1, 1, (), False, False),
        ],
        id="instance-built-on-the-spot-and-unknown-objects",
    ),
    pytest.param(
        "from shop.cart import Cart\nc = Cart()\nd = c\nd.total(\n    1,\n)",
        [("shop.cart.Cart", 2, 5, 0, (), False, False), ("shop.cart.Cart.total", 4, 1, 1, (), False, False)],
        id="instance-copied-by-assignment",
    ),
]


@pytest.mark.parametrize(("code", "expected"), CALL_CASES)
def test_calls(code: str, expected: list[tuple[str, int, int, int, tuple[str, ...], bool, bool]]) -> None:
    assert calls(analyze_examples([block(code)])) == expected


def test_instance_method_is_a_reference_too() -> None:
    code = "from shop.cart import Cart\ncart = Cart()\ncart.total(currency='EUR')\ncart.items"
    assert names(analyze_examples([block(code)])) == [
        ("shop.cart.Cart", 1, 23),
        ("shop.cart.Cart", 2, 8),
        ("shop.cart.Cart.total", 3, 1),
        ("shop.cart.Cart.items", 4, 1),
    ]


def test_records_are_complete_and_positioned_in_the_doc() -> None:
    code = "import shop.cart as c\nc.add_item(x=1)"
    examples = analyze_examples([block(code, first_line=7, column=4)])
    assert examples.references[0].text == "shop.cart as c"
    assert examples.references[1].text == "c.add_item"
    assert examples.references[1].line == 8
    assert examples.references[1].column == 5
    assert examples.calls == (Call(DOC, 8, 5, "shop.cart.add_item", 0, ("x",), False, False),)


def test_text_of_a_multiline_chain_is_its_first_line() -> None:
    examples = analyze_examples([block("import shop\n(shop\n .cart.Cart)")])
    assert [(ref.name, ref.line, ref.column, ref.text) for ref in examples.references] == [
        ("shop", 1, 8, "shop"),
        ("shop.cart.Cart", 2, 2, "shop"),
    ]


TUTORIAL = """\
# Shopping

Install it, then import the cart:

```bash
pip install shop
```

```python
from shop.cart import Cart, add_item as add
import shop.tax
```

Fill a cart:

```python
cart = Cart(owner="ann")
add(cart, "apple", qty=2)
print(cart.total(currency="EUR"), shop.tax.rate("FR"))
```

```toml
[tool.shop]
```
"""


def blocks_of(markdown: str) -> list[CodeBlock]:
    """The fenced blocks of a Markdown doc, as the Markdown scanner builds them."""
    lines = markdown.splitlines()
    found: list[CodeBlock] = []
    index = 0
    while index < len(lines):
        if lines[index].startswith("```"):
            end = lines.index("```", index + 1)
            code = "\n".join(lines[index + 1 : end])
            found.append(
                CodeBlock(
                    DOC,
                    Style.CODE_BLOCK,
                    lines[index][3:],
                    code,
                    tuple(CodeLine(number, 0) for number in range(index + 2, end + 2)),
                )
            )
            index = end
        index += 1
    return found


def assert_texts_sit_at_their_positions(doc: str, examples: Examples) -> None:
    lines = doc.splitlines()
    for ref in examples.references:
        assert lines[ref.line - 1][ref.column - 1 :].startswith(ref.text), ref


def test_real_tutorial() -> None:
    examples = analyze_examples(blocks_of(TUTORIAL))
    assert names(examples) == [
        ("shop.cart.Cart", 10, 23),
        ("shop.cart.add_item", 10, 29),
        ("shop.tax", 11, 8),
        ("shop.cart.Cart", 17, 8),
        ("shop.cart.add_item", 18, 1),
        ("shop.cart.Cart.total", 19, 7),
        ("shop.tax.rate", 19, 35),
    ]
    assert calls(examples) == [
        ("shop.cart.Cart", 17, 8, 0, ("owner",), False, False),
        ("shop.cart.add_item", 18, 1, 2, ("qty",), False, False),
        ("shop.cart.Cart.total", 19, 7, 0, ("currency",), False, False),
        ("shop.tax.rate", 19, 35, 1, (), False, False),
    ]
    assert examples.diagnostics == ()
    assert_texts_sit_at_their_positions(TUTORIAL, examples)


DOCTEST = """\
Usage
=====

    >>> from shop.cart import Cart
    >>> cart = Cart(
    ...     owner="ann",
    ... )
    >>> cart.total()
    0
    >>> for item in cart:
    ...     shop_print(item)
"""


def test_doctest_columns_follow_the_prompt() -> None:
    examples = analyze_examples([doctest_block(DOCTEST)])
    assert names(examples) == [
        ("shop.cart.Cart", 4, 31),
        ("shop.cart.Cart", 5, 16),
        ("shop.cart.Cart.total", 8, 9),
        ("shop_print", 11, 13),
    ]
    assert {ref.style for ref in examples.references} == {Style.DOCTEST}
    assert calls(examples)[0] == ("shop.cart.Cart", 5, 16, 0, ("owner",), False, False)
    assert_texts_sit_at_their_positions(DOCTEST, examples)


BROKEN_DOCTEST = """\
>>> import shop
>>> shop.open(
... 1,
... )
>>> shop.close(]
>>> shop.reset()
>>> if shop.ready:
...     shop.go()
... else:
...     shop.stop()
"""


def test_doctest_statement_that_does_not_parse_keeps_the_others() -> None:
    examples = analyze_examples([doctest_block(BROKEN_DOCTEST)])
    assert names(examples) == [
        ("shop", 1, 12),
        ("shop.open", 2, 5),
        ("shop.reset", 6, 5),
        ("shop.ready", 7, 8),
        ("shop.go", 8, 9),
        ("shop.stop", 10, 9),
    ]
    assert len(examples.diagnostics) == 1
    assert examples.diagnostics[0].line == 5
    assert examples.diagnostics[0].message.startswith("python example does not parse: ")


@pytest.mark.parametrize(
    ("language", "style", "expected"),
    [
        pytest.param("", Style.CODE_BLOCK, [], id="unknown-language-silent"),
        pytest.param("console", Style.CODE_BLOCK, [], id="other-language-silent"),
        pytest.param("python", Style.CODE_BLOCK, [3], id="python"),
        pytest.param("py3", Style.NOTEBOOK, [3], id="py3-notebook"),
        pytest.param("python title=cart.py", Style.CODE_BLOCK, [3], id="info-string-with-attributes"),
        pytest.param("", Style.DOCTEST, [3, 4], id="doctest-style-each-statement"),
    ],
)
def test_diagnostic_only_for_python_that_does_not_parse(language: str, style: Style, expected: list[int]) -> None:
    code = "x = 1\n$ pip install shop\nshop run --fast"
    examples = analyze_examples([block(code, first_line=2, language=language, style=style)])
    assert [diagnostic.line for diagnostic in examples.diagnostics] == expected
    assert examples.references == ()


def test_diagnostic_names_the_error() -> None:
    examples = analyze_examples([block("def f(:\n    pass", first_line=4)])
    assert examples.diagnostics == (Diagnostic(DOC, 4, "python example does not parse: invalid syntax"),)


def test_unclosed_bracket_is_reported_inside_the_block() -> None:
    examples = analyze_examples([block("x = 1\nf(x,\n", first_line=10)])
    assert [diagnostic.line for diagnostic in examples.diagnostics] == [11]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        pytest.param("x = 1\0", "source code string cannot contain null bytes", id="null-byte"),
        pytest.param("x = 'a\udc80'", "'utf-8' codec can't encode character", id="lone-surrogate"),
        # Python 3.11+ refuses to parse this; 3.10 parses it and the walk gives up instead.
        pytest.param("f(" + "1+" * 20_000 + "1)", "maximum recursion depth exceeded|too deeply nested", id="too-deep"),
        pytest.param(
            "f(" + "-" * 2_000 + "x)", "python example is too deeply nested to analyse", id="too-deep-to-walk"
        ),
    ],
)
def test_pathological_code_gives_a_diagnostic(code: str, message: str) -> None:
    examples = analyze_examples([block(code, first_line=3)])
    assert [diagnostic.line for diagnostic in examples.diagnostics] == [3]
    assert any(option in examples.diagnostics[0].message for option in message.split("|"))
    assert examples.references == ()


def test_other_languages_are_not_analysed() -> None:
    examples = analyze_examples([block("[tool.docsync]\nfail_under = 3", language="toml")])
    assert examples == Examples((), (), ())


def test_ipython_magics_are_dropped_when_the_cell_fails() -> None:
    code = "%matplotlib inline\n!pip install shop\nimport shop\nshop.plot()"
    examples = analyze_examples([block(code, language="python", style=Style.NOTEBOOK)])
    assert names(examples) == [("shop", 3, 8), ("shop.plot", 4, 1)]
    assert examples.diagnostics == ()


def test_block_that_fails_does_not_stop_the_next_ones() -> None:
    blocks = [block("import shop.cart as c"), block("c.(", first_line=2), block("c.Cart", first_line=3)]
    examples = analyze_examples(blocks)
    assert names(examples) == [("shop.cart", 1, 8), ("shop.cart.Cart", 3, 1)]
    assert [diagnostic.line for diagnostic in examples.diagnostics] == [2]


def test_nothing_is_deduplicated() -> None:
    examples = analyze_examples([block("import shop\nshop.f(); shop.f()\nshop.f()")])
    assert names(examples) == [("shop", 1, 8), ("shop.f", 2, 1), ("shop.f", 2, 11), ("shop.f", 3, 1)]
    assert len(examples.calls) == 3


def test_no_blocks() -> None:
    assert analyze_examples([]) == Examples((), (), ())


SNIPPETS = [
    "import shop.cart as c",
    "from shop import tax",
    "c.Cart(1, *a, k=2, **kw)",
    "cart = c.Cart()",
    "cart.total()",
    "    x = (",
    "def f(a):",
    "    return a",
    ">>> await tax.rate()",
    "é = 'ü'; f(é)",
    "class K:",
    "    pass",
    "]",
    "\\",
    "%time x",
    "\x00",
    "(" * 120 + ")" * 120,
]

code_texts = st.one_of(st.text(), st.lists(st.sampled_from(SNIPPETS), max_size=8).map("\n".join))


@settings(max_examples=300, deadline=None)
@given(
    codes=st.lists(code_texts, min_size=1, max_size=3),
    language=st.sampled_from(["", "python", "bash"]),
    style=st.sampled_from([Style.CODE_BLOCK, Style.DOCTEST, Style.NOTEBOOK]),
    column=st.integers(min_value=0, max_value=8),
)
def test_never_crashes_and_positions_stay_in_the_doc(
    codes: list[str], language: str, style: Style, column: int
) -> None:
    blocks = []
    code_lines: dict[int, str] = {}
    line = 1
    for code in codes:
        blocks.append(block(code, first_line=line, column=column, language=language, style=style))
        for text in re.split(r"\r\n|\r|\n", code):
            code_lines[line] = text
            line += 1
    examples = analyze_examples(blocks)
    for ref in examples.references:
        assert ref.line in code_lines
        assert column + 1 <= ref.column <= column + 1 + len(code_lines[ref.line])
        assert "\n" not in ref.text
    for call in examples.calls:
        assert call.line in code_lines
        assert column + 1 <= call.column <= column + 1 + len(code_lines[call.line])
    for diagnostic in examples.diagnostics:
        assert diagnostic.line in code_lines


def test_prose_naming_a_class_the_doc_s_examples_define_is_the_reader_s_not_the_project_s() -> None:
    """SQLAlchemy's guides define `class Address(Base)` and then talk about ``Address``: not a project name, even
    where the project has a class of that name (a test fixture)."""
    from docsync.references.scan import scan_doc

    doc = (
        "Guide\n=====\n\n.. code-block:: python\n\n    from shop.models import Base\n\n\n"
        "    class Address(Base):\n        pass\n\nA ``User`` has many ``Address`` objects; ``Base`` is ours.\n"
    )
    names = [r.name for r in scan_doc("docs/guide.rst", doc.encode()).references]
    assert "Address" not in names
    assert "User" in names  # not defined by the examples: still a name to resolve
    assert "shop.models.Base" in names  # imported by the examples: what they import
