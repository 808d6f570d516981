"""The judgement's table: what the doc uses × what changed → the finding (kind, severity, words) or none.

Each row runs the real pipeline (extract, table, resolve, renames, classification, judgement, wording) on two
versions of a small package, with a one-line doc that uses the symbol in one way:

- `name`: the doc names it in prose (`` `pkg.mod.add_item` ``);
- `param`: ...and writes a parameter in inline code (`` `qty` ``);
- `default`: ...and writes a parameter with its default (`` `qty=1` ``);
- `prose`: ...and says the parameter's name as a plain word (never a mention);
- `code`: the name in a code example (its calls are judged by fit.py, see test_fit.py);
- `marker`: an explicit coupling (`<!-- docsync: ... -->`);
- `autodoc`: a page generated from the code.
"""

from __future__ import annotations

import textwrap

import pytest

from docsync.judge import Mention, Use, judge, use_of
from docsync.models import Change, How, Kind, Reference, Severity, SignatureChange, Style, What
from docsync.settings import Config
from tests.test_drift import CART, CLASS, CLASS_REORDERED, drift

DOCS = {
    "name": (Style.MD_CODE, "Call `{name}` to fill a cart."),
    "param": (Style.MD_CODE, "Call `{name}`; `qty` says how many."),
    "default": (Style.MD_CODE, "Call `{name}`; `qty=1` by default."),
    "prose": (Style.MD_CODE, "Call `{name}` with the qty you want, or options."),
    "code": (Style.CODE_BLOCK, ">>> {name}(cart, 'pear')"),
    "marker": (Style.MARKER, "<!-- docsync: {name} -->"),
    "autodoc": (Style.AUTODOC, ".. autofunction:: {name}"),
}
SIG = "(cart, item, qty=1)"
CHANGES = {
    # name: (old code, new code, the symbol the doc names)
    "renamed": (CART, CART.replace("add_item", "put_item"), "pkg.mod.add_item"),
    "moved": ({"pkg/a.py": CART}, {"pkg/b.py": CART}, "pkg.a.add_item"),
    "removed": (CART + "\ndef other():\n    return 1\n", "def other():\n    return 1\n", "pkg.mod.add_item"),
    "rewritten under a new name": (CART, "def put_item(cart, item):\n    cart.extend([item] * 3)\n    log(item)\n", "pkg.mod.add_item"),
    "two candidates": (CART, CART.replace("add_item", "put_item") + CART.replace("add_item", "push_item"), "pkg.mod.add_item"),
    "qty removed": (CART, CART.replace(SIG, "(cart, item)").replace("qty", "1"), "pkg.mod.add_item"),
    "qty into **kwargs": (CART, CART.replace(SIG, "(cart, item, **options)").replace("qty", "options['qty']").replace("options['qty']=1", "qty=1"), "pkg.mod.add_item"),
    "qty renamed": (CART, CART.replace(SIG, "(cart, item, quantity=1)").replace("qty)", "quantity)").replace("(qty", "(quantity"), "pkg.mod.add_item"),
    "qty default changed": (CART, CART.replace("qty=1", "qty=2"), "pkg.mod.add_item"),
    "qty default removed": (CART, CART.replace("qty=1", "qty"), "pkg.mod.add_item"),
    "qty keyword-only": (CART, CART.replace(SIG, "(cart, item, *, qty=1)"), "pkg.mod.add_item"),
    "qty positional-only": (CART, CART.replace(SIG, "(cart, item, qty=1, /)"), "pkg.mod.add_item"),
    "required parameter added": (CART, CART.replace(SIG, "(cart, item, price, qty=1)"), "pkg.mod.add_item"),
    "optional parameter added": (CART, CART.replace("qty=1)", "qty=1, price=None)"), "pkg.mod.add_item"),
    "other parameter removed": (CART, CART.replace(SIG, "(cart, qty=1)").replace("(item, qty)", "(None, qty)"), "pkg.mod.add_item"),
    "parameters reordered": (CART, CART.replace(SIG, "(item, cart, qty=1)"), "pkg.mod.add_item"),
    "annotation added": (CART, CART.replace(SIG, "(cart: list, item: str, qty: int = 1) -> list"), "pkg.mod.add_item"),
    "annotation respelled": (CART.replace(SIG, "(cart, item, qty: Optional[int] = 1)"), CART.replace(SIG, "(cart, item, qty: 'int | None' = 1)"), "pkg.mod.add_item"),
    "made a property": (CLASS, CLASS.replace("    def total", "    @property\n    def total"), "pkg.mod.Cart.total"),
    "decorator added": (CART, CART.replace("def add_item", "@traced\ndef add_item"), "pkg.mod.add_item"),
    "bases changed": ("class E(ValueError):\n    pass\n", "class E(LookupError):\n    pass\n", "pkg.mod.E"),
    "body changed": (CART, CART.replace("return cart", "return tuple(cart)"), "pkg.mod.add_item"),
    "docstring changed": (CART, CART.replace("Put `qty`", "Add `qty`"), "pkg.mod.add_item"),
    "formatting only": (CART, CART.replace("def add_item(cart, item, qty=1):", "def add_item(\n    cart,\n    item,\n    qty=1,\n):"), "pkg.mod.add_item"),
    "comments only": (CART, CART.replace("    cart.append((item, qty))", "    # keep the pair\n    cart.append((item, qty))  # here"), "pkg.mod.add_item"),
    "methods reordered": (CLASS, CLASS_REORDERED, "pkg.mod.Cart"),
}  # fmt: skip
ERROR, WARNING, INFO = "error", "warning", "info"
NONE = None
# (change, use) -> (kind, severity, words in the message) or None: no finding.
EXPECT: dict[tuple[str, str], tuple[str, str, tuple[str, ...]] | None] = {
    # A name that is gone is wrong however the doc uses it.
    **{("renamed", use): ("renamed", ERROR, ("renamed to pkg.mod.put_item",)) for use in ("name", "param", "marker", "autodoc")},
    ("renamed", "code"): ("renamed", ERROR, ("pkg.mod.put_item",)),
    ("moved", "name"): ("renamed", ERROR, ("renamed to pkg.b.add_item",)),
    ("moved", "autodoc"): ("renamed", ERROR, ("pkg.b.add_item",)),
    ("moved", "code"): ("renamed", ERROR, ("pkg.b.add_item",)),
    **{("removed", use): ("removed", ERROR, ("pkg.mod.add_item was removed",)) for use in ("name", "marker", "autodoc")},
    ("removed", "code"): ("example", ERROR, ("was removed",)),
    ("rewritten under a new name", "name"): ("removed", ERROR, ("was removed",)),
    ("two candidates", "name"): ("removed", ERROR, ("may have become pkg.mod.push_item or pkg.mod.put_item",)),
    # A parameter the doc writes, in code context, that is gone: an error pointing at it.
    ("qty removed", "param"): ("signature", ERROR, ("parameter `qty` removed",)),
    ("qty removed", "default"): ("signature", ERROR, ("parameter `qty` removed",)),
    ("qty renamed", "param"): ("signature", ERROR, ("parameter `qty` renamed to `quantity`",)),
    ("qty renamed", "default"): ("signature", ERROR, ("renamed to `quantity`",)),
    # ...but not when the doc only names the function, says the word in prose, or shows it in an example.
    **{(change, use): NONE for change in ("qty removed", "qty renamed") for use in ("name", "prose", "code", "autodoc")},
    # A parameter now taken through `**kwargs` is still accepted by keyword: the doc's `qty=1` is not wrong.
    **{("qty into **kwargs", use): NONE for use in ("name", "param", "default", "prose", "code", "autodoc")},
    ("qty into **kwargs", "marker"): ("signature", WARNING, ("parameter `qty` is now taken through `**options`",)),
    # A default the doc writes, changed or gone: worth a look.
    ("qty default changed", "default"): ("signature", WARNING, ("default changed for `qty`: `1` -> `2`",)),
    ("qty default removed", "default"): ("signature", WARNING, ("default removed for `qty`",)),
    ("qty positional-only", "default"): ("signature", WARNING, ("positional-only",)),
    **{(change, use): NONE for change in ("qty default changed", "qty default removed", "qty positional-only")
       for use in ("name", "param", "prose", "code", "autodoc")},
    **{("qty keyword-only", use): NONE for use in ("name", "param", "default", "prose", "code", "autodoc")},
    # Changes the doc does not use: no finding, whatever the use but an explicit coupling.
    **{(change, use): NONE
       for change in ("required parameter added", "optional parameter added", "other parameter removed",
                      "parameters reordered", "made a property", "decorator added", "bases changed")
       for use in ("name", "param", "default", "prose", "code", "autodoc")},
    # An explicit coupling to the symbol's behaviour: a person should look at any change but typing.
    ("required parameter added", "marker"): ("signature", WARNING, ("required parameter `price` added",)),
    ("optional parameter added", "marker"): ("signature", WARNING, ("optional parameter `price` added",)),
    ("qty removed", "marker"): ("signature", WARNING, ("parameter `qty` removed",)),
    ("qty default changed", "marker"): ("signature", WARNING, ("default changed for `qty`",)),
    ("made a property", "marker"): ("signature", WARNING, ("decorator added: @property",)),
    ("bases changed", "marker"): ("signature", WARNING, ("base classes changed",)),
    ("body changed", "marker"): ("body", WARNING, ("the body of pkg.mod.add_item changed",)),
    ("docstring changed", "marker"): ("docstring", INFO, ("the docstring of pkg.mod.add_item changed",)),
    # Body and docstring changes under an inferred mention, and typing: never a finding.
    **{(change, use): NONE for change in ("body changed", "docstring changed") for use in ("name", "param", "code", "autodoc")},
    **{(change, use): NONE for change in ("annotation added", "annotation respelled")
       for use in ("name", "param", "default", "code", "marker", "autodoc")},
    # Never drift: formatting, comments, order.
    **{(change, use): NONE for change in ("formatting only", "comments only", "methods reordered")
       for use in ("name", "param", "marker", "autodoc")},
}  # fmt: skip
ROWS = sorted(EXPECT.items())


@pytest.mark.parametrize(
    ("change", "use", "expected"), [(c, u, e) for (c, u), e in ROWS], ids=[f"{c} × {u}" for (c, u), _ in ROWS]
)
def test_the_judgement_table(change: str, use: str, expected: tuple[str, str, tuple[str, ...]] | None) -> None:
    old, new, name = CHANGES[change]
    style, doc = DOCS[use]
    finding = drift(old, new, name, style, doc.format(name=name))
    if expected is None:
        assert finding is None, finding and finding.message
        return
    kind, severity, words = expected
    assert finding is not None
    assert (finding.kind.value, finding.severity.value) == (kind, severity), finding.message
    for word in words:
        assert word in finding.message, finding.message
    if kind == "renamed":
        assert finding.replacement is not None
    if use in ("param", "default") and kind == "signature":
        assert doc.format(name=name)[finding.column - 1 :].startswith("qty"), "the finding points at the mention"


@pytest.mark.parametrize(
    ("change", "use", "expected"),
    [
        ("body changed", "name", ("body", WARNING)),
        ("docstring changed", "code", ("docstring", INFO)),
        ("optional parameter added", "name", ("signature", WARNING)),
        ("qty removed", "param", ("signature", ERROR)),  # what the doc uses still decides first
        ("body changed", "autodoc", None),  # a generated page shows the new body by itself
        ("annotation added", "name", None),
        ("formatting only", "name", None),
    ],
)
def test_behaviour_changes_all_makes_any_mention_a_coupling(
    change: str, use: str, expected: tuple[str, str] | None
) -> None:
    """The setting `behaviour-changes = "all"` opts in to body and docstring changes under inferred mentions."""
    old, new, name = CHANGES[change]
    style, doc = DOCS[use]
    assert drift(old, new, name, style, doc.format(name=name)) is None or expected == ("signature", ERROR)
    finding = drift(old, new, name, style, doc.format(name=name), Config(behaviour_changes="all"))
    got = (finding.kind.value, finding.severity.value) if finding is not None else None
    assert got == expected, finding and finding.message


def test_the_table_is_large() -> None:
    assert len(ROWS) >= 80
    assert sum(expected is None for _, expected in ROWS) >= 40, "the 'not a finding' rows are the point"


@pytest.mark.parametrize(
    ("style", "lines", "use"),
    [
        (Style.MD_CODE, None, Use.NAME), (Style.RST_ROLE, None, Use.NAME), (Style.AUTOREFS, None, Use.NAME),
        (Style.MD_LINK, None, Use.NAME), (Style.MD_LINK, (3, 9), Use.BEHAVIOUR), (Style.MARKER, None, Use.BEHAVIOUR),
        (Style.FRONT_MATTER, None, Use.BEHAVIOUR), (Style.LITERALINCLUDE, None, Use.BEHAVIOUR),
        (Style.AUTODOC, None, Use.GENERATED), (Style.MKDOCSTRINGS, None, Use.GENERATED),
        (Style.CODE_BLOCK, None, Use.CODE), (Style.DOCTEST, None, Use.CODE), (Style.NOTEBOOK, None, Use.CODE),
    ],
)  # fmt: skip
def test_what_a_reference_uses(style: Style, lines: tuple[int, int] | None, use: Use) -> None:
    reference = Reference("d.md", 1, 1, "pkg.f", How.INFERRED, style, "x", lines=lines)
    assert use_of(reference) is use


def test_a_written_value_that_is_not_the_old_default_is_an_argument_not_the_default() -> None:
    """`qty=5` where the default was 1 passes 5; it does not claim a default, so a new default is no news."""
    change = Change(
        "pkg.f",
        Kind.SIGNATURE,
        "pkg.f",
        None,
        "",
        (SignatureChange(What.PARAMETER_DEFAULT, "qty", "1", "2"),),
        frozenset({Kind.SIGNATURE}),
    )
    assert judge(Use.NAME, change, {"qty": Mention("qty", 1, 1, "5", claims_default=True)}) is None
    assert judge(Use.NAME, change, {"qty": Mention("qty", 1, 1, "1")}) is None, "`qty=1` alone passes 1"
    verdict = judge(Use.NAME, change, {"qty": Mention("qty", 1, 1, "1", claims_default=True)})
    assert verdict is not None
    assert verdict.severity is Severity.WARNING


def test_a_parameter_mention_is_code_never_prose() -> None:
    cart = textwrap.dedent(CART)
    doc = "Use `pkg.mod.add_item` to add options.\nThe qty option says how many:\n\n    qty: the count"
    assert (
        drift(
            cart,
            cart.replace("qty=1", "count=1").replace("(qty", "(count").replace("qty)", "count)"),
            "pkg.mod.add_item",
            Style.MD_CODE,
            doc,
        )
        is None
    )
