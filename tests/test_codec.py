"""Tests for codec.py: cached symbols and doc scans ↔ JSON, and malformed values → BadEntry."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docsync.codec import (
    BadEntry,
    decode_bundle,
    decode_module,
    decode_outline,
    decode_scan,
    encode_bundle,
    encode_module,
    encode_outline,
    encode_scan,
)
from docsync.models import Call, CodeBlock, CodeLine, Diagnostic, DocScan, How, Ignore, Include, Kind, Reference, Style
from docsync.symbols.extract import ModuleSymbols, extract_module
from docsync.symbols.layout import ModuleFile
from docsync.symbols.table import make_piece, outline_of

SOURCE = b'''"""A shop's cart."""
from __future__ import annotations

from dataclasses import dataclass
from typing import overload

from . import pricing as prices
from .._compat import *
from .tax import rate as tax_rate

__all__ = ["Cart", "add_item"]
__all__ += ["LIMIT"]

LIMIT: int = 10
"""How many items a cart holds."""


@dataclass(frozen=True)
class Item:
    name: str
    price: float = 0.0


class Cart(Base, metaclass=Meta):
    """A cart."""

    def __init__(self, owner, /, *items: Item, limit: int = LIMIT, **extra) -> None:
        self.owner = owner
        self.items = list(items)

    @property
    def total(self) -> float:
        return sum(i.price for i in self.items)

    @total.setter
    def total(self, value):
        raise AttributeError

    class Line:
        def describe(self): ...


@overload
def add_item(cart: Cart, item: Item) -> None: ...
@overload
def add_item(cart: Cart, item: str) -> None: ...
def add_item(cart, item, *, qty=1):
    cart.items.append(item)


async def checkout(cart: "Cart", *, pay: bool = True) -> str:
    return "ok"


class Plugin(Base):
    pass
'''

DEPRECATIONS = b"""import warnings
def old():
    warnings.warn("use new", DeprecationWarning)
def fetch(url, callback=None):
    if callback is not None:
        warnings.warn("callback is deprecated", DeprecationWarning)
deprecated_alias("shop.html", {"Pickle": old}, RemovedWarning)
def __getattr__(name):
    if name == "Old":
        warnings.warn(f"{name} is gone", DeprecationWarning)
        return 1
    raise AttributeError(name)
"""

REFERENCE = Reference(
    doc="docs/api.md",
    line=3,
    column=5,
    name="shop.cart.add_item",
    how=How.EXPLICIT,
    style=Style.RST_ROLE,
    text=":func:`~shop.cart.add_item`",
    context="shop",
)
IGNORE_ALL = Ignore("docs/api.md", 10, 1, "ignore")
IGNORE_SIGNATURE = Ignore("docs/api.md", 11, 1, "ignore-start[signature, example]", (Kind.SIGNATURE, Kind.EXAMPLE))
SCAN = DocScan(
    doc="docs/api.md",
    references=(
        REFERENCE,
        Reference("docs/api.md", 7, 1, "cart.py", How.INFERRED, Style.MD_LINK,
                  "[cart](../src/shop/cart.py#L3-L9)", path="../src/shop/cart.py", lines=(3, 9)),
        Reference("docs/api.md", 12, 1, "shop.Cart", How.INFERRED, Style.CODE_BLOCK, "Cart(owner)",
                  ignored=(IGNORE_ALL, IGNORE_SIGNATURE)),
        Reference("docs/api.md", 20, 2, "x", How.EXPLICIT, Style.MARKER, "<!-- docsync: x -->", lines=(1, 1)),
        Reference("docs/api.md", 22, 3, "dump", How.INFERRED, Style.MD_CODE, "`dump()`", siblings=("dump", "copy")),
        Reference("docs/api.md", 23, 3, "copy", How.INFERRED, Style.MD_CODE, "`copy()`", siblings=("dump", "copy")),
    ),
    blocks=(
        CodeBlock("docs/api.md", Style.CODE_BLOCK, "python", "from shop import Cart\nCart('me')\n",
                  (CodeLine(11, 0), CodeLine(12, 0)), (IGNORE_SIGNATURE,)),
        CodeBlock("docs/api.md", Style.DOCTEST, "", ">>> 1\n", (CodeLine(30, 4),)),
        CodeBlock("docs/api.md", Style.CODE_BLOCK, "py", "", ()),
    ),
    calls=(
        Call("docs/api.md", 12, 1, "shop.Cart", 1, (), False, False),
        Call("docs/api.md", 13, 1, "shop.cart.add_item", 2, ("qty", "note"), True, True, ignored=(IGNORE_SIGNATURE,)),
    ),
    headings=(1, 10, 25),
    diagnostics=(Diagnostic("docs/api.md", 40, "unclosed fence; read to the end of the file"),),
    past=((30, 34), (50, 51)),
    dated=True,
    includes=(Include(60, 9, "docs_src/app.py"),),
    ignores=(IGNORE_ALL, IGNORE_SIGNATURE),
)  # fmt: skip


def through_json(value: Any) -> Any:
    return json.loads(json.dumps(value))


# -- round trips --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(SOURCE, id="rich-module"),
        pytest.param(b"", id="empty"),
        pytest.param(b"def broken(:\n    pass\n", id="syntax-error"),
        pytest.param(b"x = 1\x00\n", id="null-byte"),
        pytest.param(b"__all__ = []\n", id="empty-all"),
        pytest.param("NAME = 'ünïcödé \u2192'\ndef f(a='\u00e9'): ...\n".encode(), id="unicode"),
        pytest.param(DEPRECATIONS, id="deprecations"),
    ],
)
def test_module_round_trip(source: bytes) -> None:
    module = extract_module(source)
    assert decode_module(through_json(encode_module(module))) == module
    assert decode_module(encode_module(module)) == module, "also without going through JSON"


def test_deprecations_module_has_what_the_codec_carries() -> None:
    module = extract_module(DEPRECATIONS)
    assert {s.name: s.deprecated for s in module.symbols if s.deprecated is not None} == {"old": "use new"}
    assert module.served_deprecated == (("Old", "Old is gone"),)
    assert {s.name: s.deprecated_parameters for s in module.symbols if s.deprecated_parameters} == {
        "fetch": (("callback", "callback is deprecated"),)
    }
    assert module.aliased == (("shop.html", "Pickle"),)


def test_rich_module_really_has_everything_the_codec_carries() -> None:
    module = extract_module(SOURCE)
    assert module.error is None
    assert module.all_names == ("Cart", "add_item", "LIMIT")
    assert {i.name for i in module.imports} >= {"pricing", "*", "rate"}
    assert {i.level for i in module.imports} == {0, 1, 2}
    signatures = [s.signature for s in module.symbols if s.signature is not None]
    assert any(s.returns for s in signatures)
    assert any(s.decorators for s in signatures)
    assert any(s.bases for s in signatures)
    assert any(not s.complete for s in signatures)
    assert any(p.default is not None and p.annotation is not None for s in signatures for p in s.parameters)


def test_error_round_trip() -> None:
    module = extract_module(b"x = (\n")
    assert module.error is not None
    assert decode_module(through_json(encode_module(module))).error == module.error


def test_module_encoding_is_json_and_stable() -> None:
    encoded = encode_module(extract_module(SOURCE))
    assert json.dumps(encoded) == json.dumps(encode_module(extract_module(SOURCE)))
    assert through_json(encoded) == encoded


@pytest.mark.parametrize("doc", ["docs/api.md", "elsewhere/copy.md"])
def test_scan_round_trip(doc: str) -> None:
    decoded = decode_scan(doc, through_json(encode_scan(SCAN)))
    if doc == SCAN.doc:
        assert decoded == SCAN
    assert decoded.doc == doc
    assert {r.doc for r in decoded.references} == {doc}
    assert {b.doc for b in decoded.blocks} == {doc}
    assert {c.doc for c in decoded.calls} == {doc}
    assert {d.path for d in decoded.diagnostics} == {doc}
    assert decoded.references[1].lines == (3, 9)
    assert decoded.calls[1].keywords == ("qty", "note")
    assert decoded.references[2].ignored == (replace(IGNORE_ALL, doc=doc), replace(IGNORE_SIGNATURE, doc=doc))
    assert decoded.ignores[1].kinds == (Kind.SIGNATURE, Kind.EXAMPLE)


def test_scan_round_trip_without_json() -> None:
    assert decode_scan(SCAN.doc, encode_scan(SCAN)) == SCAN


def test_empty_scan_round_trip() -> None:
    empty = DocScan("README.md", ())
    assert decode_scan("README.md", through_json(encode_scan(empty))) == empty


def test_a_resolved_symbol_is_not_cached() -> None:
    # Scans are cached before resolution: `symbol` depends on the symbol table, not on the doc.
    resolved = DocScan("a.md", (Reference("a.md", 1, 1, "x", How.INFERRED, Style.MD_CODE, "`x`", symbol="pkg.x"),))
    assert decode_scan("a.md", encode_scan(resolved)).references[0].symbol is None


# -- malformed values ---------------------------------------------------------------------------------


def good_module() -> list[Any]:
    return through_json(encode_module(extract_module(SOURCE)))


def good_scan() -> list[Any]:
    return through_json(encode_scan(SCAN))


def edited(value: list[Any], path: tuple[int, ...], new: Any) -> list[Any]:
    """A copy of `value` with the item at `path` replaced, removed (`REMOVE`) or appended (past the end)."""
    result = copy.deepcopy(value)
    target = result
    for index in path[:-1]:
        target = target[index]
    if new is REMOVE:
        del target[path[-1]]
    elif path[-1] == len(target):
        target.append(new)
    else:
        target[path[-1]] = new
    return result


REMOVE = object()
CLASS_INDEX = 5  # the position of `Cart` in SOURCE's symbols (module, LIMIT, Item, Item.name, Item.price, Cart)


def test_class_index_points_at_cart() -> None:
    assert good_module()[0][CLASS_INDEX][0] == "Cart"
    assert good_module()[0][CLASS_INDEX][5] is not None


@pytest.mark.parametrize(
    ("path", "new"),
    [
        pytest.param((), None, id="null"),
        pytest.param((), {}, id="object"),
        pytest.param((), "text", id="string"),
        pytest.param((), 7, id="number"),
        pytest.param((0,), REMOVE, id="too-short"),
        pytest.param((4,), "extra", id="too-long"),
        pytest.param((0,), "abc", id="symbols-string"),
        pytest.param((0,), {"a": 1}, id="symbols-object"),
        pytest.param((0, 0), [], id="symbol-empty"),
        pytest.param((0, 0, 0), 5, id="name-number"),
        pytest.param((0, 0, 0), None, id="name-null"),
        pytest.param((0, 0, 1), "variable", id="unknown-kind"),
        pytest.param((0, 0, 1), ["module"], id="kind-list"),
        pytest.param((0, 0, 2), "1", id="line-string"),
        pytest.param((0, 0, 2), 1.5, id="line-float"),
        pytest.param((0, 0, 2), True, id="line-bool"),
        pytest.param((0, 0, 2), float("inf"), id="line-infinite"),
        pytest.param((0, 0, 2), float("nan"), id="line-nan"),
        pytest.param((0, 0, 3), None, id="end-line-null"),
        pytest.param((0, 0, 4), ["a", "b"], id="fingerprint-short"),
        pytest.param((0, 0, 4), ["a", "b", "c", "d"], id="fingerprint-long"),
        pytest.param((0, 0, 4, 1), 1, id="fingerprint-number"),
        pytest.param((0, 0, 4), "abc", id="fingerprint-string"),
        pytest.param((0, CLASS_INDEX, 5), [], id="signature-empty"),
        pytest.param((0, CLASS_INDEX, 5), "()", id="signature-string"),
        pytest.param((0, CLASS_INDEX, 5, 0), [["x", "bogus-kind", None, None]], id="unknown-param-kind"),
        pytest.param((0, CLASS_INDEX, 5, 0), [["x", "keyword-only", None]], id="param-short"),
        pytest.param((0, CLASS_INDEX, 5, 0), [[1, "keyword-only", None, None]], id="param-name-number"),
        pytest.param((0, CLASS_INDEX, 5, 0), [["x", "keyword-only", 1, None]], id="param-default-number"),
        pytest.param((0, CLASS_INDEX, 5, 0), [["x", "keyword-only", None, ["int"]]], id="param-annotation-list"),
        pytest.param((0, CLASS_INDEX, 5, 0), "x", id="params-string"),
        pytest.param((0, CLASS_INDEX, 5, 1), 3, id="returns-number"),
        pytest.param((0, CLASS_INDEX, 5, 2), "dataclass", id="decorators-string"),
        pytest.param((0, CLASS_INDEX, 5, 3), [None], id="bases-null"),
        pytest.param((0, CLASS_INDEX, 5, 4), "false", id="complete-string"),
        pytest.param((0, CLASS_INDEX, 5, 4), 0, id="complete-number"),
        pytest.param((1,), [["a", "m", 0]], id="import-short"),
        pytest.param((1,), [["a", "m", "0", "n"]], id="import-level-string"),
        pytest.param((1,), [["a", None, 0, "n"]], id="import-module-null"),
        pytest.param((1,), {"a": "m"}, id="imports-object"),
        pytest.param((2,), "Cart", id="all-string"),
        pytest.param((2,), [1, 2], id="all-numbers"),
        pytest.param((3,), [1], id="error-short"),
        pytest.param((3,), ["1", "msg"], id="error-line-string"),
        pytest.param((3,), [1, None], id="error-message-null"),
        pytest.param((3,), "1: msg", id="error-string"),
    ],
)
def test_malformed_module(path: tuple[int, ...], new: Any) -> None:
    value = new if path == () else edited(good_module(), path, new)
    with pytest.raises(BadEntry):
        decode_module(value)


@pytest.mark.parametrize(
    ("path", "new"),
    [
        pytest.param((), None, id="null"),
        pytest.param((), [], id="empty"),
        pytest.param((0,), REMOVE, id="too-short"),
        pytest.param((9,), [], id="too-long"),
        pytest.param((0, 2, 10), [2], id="ignored-index-out-of-range"),
        pytest.param((0, 2, 10), [-1], id="ignored-index-negative"),
        pytest.param((0, 2, 10), ["0"], id="ignored-index-string"),
        pytest.param((0, 2, 10), 0, id="ignored-number"),
        pytest.param((0, 2, 10), REMOVE, id="reference-without-ignored"),
        pytest.param((1, 0, 4), [5], id="block-ignored-out-of-range"),
        pytest.param((2, 1, 8), None, id="call-ignored-null"),
        pytest.param((8, 0), [10, 1, "ignore"], id="ignore-short"),
        pytest.param((8, 1, 3), ["signatures"], id="ignore-unknown-kind"),
        pytest.param((8, 1, 2), None, id="ignore-marker-null"),
        pytest.param((0, 0), [], id="reference-empty"),
        pytest.param((0, 0, 0), "3", id="line-string"),
        pytest.param((0, 0, 1), None, id="column-null"),
        pytest.param((0, 0, 2), 5, id="name-number"),
        pytest.param((0, 0, 3), "implicit", id="unknown-how"),
        pytest.param((0, 0, 4), "md-quote", id="unknown-style"),
        pytest.param((0, 0, 4), None, id="style-null"),
        pytest.param((0, 0, 5), None, id="text-null"),
        pytest.param((0, 0, 6), 5, id="context-number"),
        pytest.param((0, 0, 7), ["a"], id="path-list"),
        pytest.param((0, 1, 8), [3], id="lines-short"),
        pytest.param((0, 1, 8), [3, 9, 12], id="lines-long"),
        pytest.param((0, 1, 8), ["3", "9"], id="lines-strings"),
        pytest.param((0, 1, 8), [], id="lines-empty"),
        pytest.param((0, 1, 8), 3, id="lines-number"),
        pytest.param((1, 0), ["code-block", "python", "x"], id="block-short"),
        pytest.param((1, 0, 0), "fence", id="block-unknown-style"),
        pytest.param((1, 0, 2), None, id="block-code-null"),
        pytest.param((1, 0, 3), [[1]], id="origin-short"),
        pytest.param((1, 0, 3), [[1, "0"]], id="origin-column-string"),
        pytest.param((1, 0, 3), "1:0", id="origin-string"),
        pytest.param((2, 0), [12, 1, "f", 0, []], id="call-short"),
        pytest.param((2, 1, 3), "2", id="positional-string"),
        pytest.param((2, 1, 4), "qty", id="keywords-string"),
        pytest.param((2, 1, 4), [None], id="keywords-null"),
        pytest.param((2, 1, 5), "yes", id="star-args-string"),
        pytest.param((2, 1, 6), 1, id="star-kwargs-number"),
        pytest.param((3,), [1, "2"], id="heading-string"),
        pytest.param((3,), 1, id="headings-number"),
        pytest.param((4, 0), [40], id="diagnostic-short"),
        pytest.param((4, 0), [40, None], id="diagnostic-message-null"),
        pytest.param((4, 0), ["40", "m"], id="diagnostic-line-string"),
        pytest.param((5,), [[3]], id="past-short"),
        pytest.param((5,), "3-9", id="past-string"),
        pytest.param((6,), "yes", id="dated-string"),
        pytest.param((7,), "docs_src/app.py", id="includes-string"),
        pytest.param((7, 0), [60, 9], id="include-short"),
        pytest.param((7, 0, 2), None, id="include-path-null"),
    ],
)
def test_malformed_scan(path: tuple[int, ...], new: Any) -> None:
    value = new if path == () else edited(good_scan(), path, new)
    with pytest.raises(BadEntry):
        decode_scan("docs/api.md", value)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(SOURCE, id="rich-module"),
        pytest.param(b"def broken(:\n    pass\n", id="syntax-error"),
        pytest.param(b"def __getattr__(name):\n    pass\n", id="module-getattr"),
    ],
)
def test_outline_round_trip(source: bytes) -> None:
    outline = outline_of(extract_module(source))
    assert decode_outline(through_json(encode_outline(outline))) == outline


def good_outline() -> list[Any]:
    return through_json(encode_outline(outline_of(extract_module(SOURCE))))


def test_good_outline_has_fifteen_names() -> None:
    """The malformed-outline table below replaces whole strings of one character per name."""
    assert len(good_outline()[0]) == 15


@pytest.mark.parametrize(
    ("path", "new"),
    [
        pytest.param((), None, id="null"),
        pytest.param((0,), REMOVE, id="too-short"),
        pytest.param((7,), None, id="too-long"),
        pytest.param((0,), ["a"], id="names-and-kinds-differ"),
        pytest.param((0, 0), 5, id="name-number"),
        pytest.param((1,), "9" * 15, id="unknown-kind"),
        pytest.param((1,), ["0"] * 15, id="kinds-list"),
        pytest.param((2,), "2" * 15, id="flag-not-binary"),
        pytest.param((3,), ["a", "m", 0], id="import-short"),
        pytest.param((3,), ["a", "m", "0", "n"], id="import-level-string"),
        pytest.param((3,), ["a", None, 0, "n"], id="import-module-null"),
        pytest.param((4,), "Cart", id="all-string"),
        pytest.param((5,), ["1", "msg"], id="error-line-string"),
        pytest.param((6,), [1], id="dynamic-number"),
    ],
)
def test_malformed_outline(path: tuple[int, ...], new: Any) -> None:
    value = new if path == () else edited(good_outline(), path, new)
    with pytest.raises(BadEntry):
        decode_outline(value)


BUNDLE_SOURCES = {
    "shop/__init__.py": b"from .cart import *\nfrom . import cart as c\n",
    "shop/cart.py": SOURCE,
    "shop/broken.py": b"def broken(:\n",
    "shop/lazy.py": b"def __getattr__(name):\n    raise AttributeError(name)\n",
    "shop/empty.py": b"",
    "shop/legacy.py": b"import shop\nclass Old: ...\nshop.Old = Old\n",
    "shop/html.py": b"from other import Pickle\ndeprecated_alias(__name__, {'Pickle': Pickle}, W)\n",
}


def bundle_pieces() -> list[Any]:
    pieces = []
    for number, (path, source) in enumerate(BUNDLE_SOURCES.items()):
        module = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        module_file = ModuleFile(path, module, path.endswith("__init__.py"))
        pieces.append((f"{number:040x}", make_piece(module_file, outline_of(extract_module(source)))))
    return pieces


def test_bundle_round_trip() -> None:
    pieces = bundle_pieces()
    assert {bool(p.stars) for _, p in pieces} == {True, False}
    assert {p.error is None for _, p in pieces} == {True, False}
    assert {p.dynamic_names is None for _, p in pieces} == {True, False}
    assert {bool(p.attributes_set) for _, p in pieces} == {True, False}
    assert {bool(p.aliased) for _, p in pieces} == {True, False}
    assert decode_bundle(through_json(encode_bundle(pieces))) == pieces
    assert decode_bundle(through_json(encode_bundle([]))) == []


def good_bundle() -> list[Any]:
    return through_json(encode_bundle(bundle_pieces()))


@pytest.mark.parametrize(
    ("path", "new"),
    [
        pytest.param((), None, id="null"),
        pytest.param((0,), REMOVE, id="too-short"),
        pytest.param((0, 0), 5, id="blob-number"),
        pytest.param((1,), ["a"], id="columns-differ"),
        pytest.param((3,), "2" * 5, id="package-flag"),
        pytest.param((4, 0), -1, id="negative-count"),
        pytest.param((4, 0), 1000, id="counts-do-not-add-up"),
        pytest.param((4, 0), "1", id="count-string"),
        pytest.param((6,), "x", id="kinds-short"),
        pytest.param((8, 0), 99, id="import-count-wrong"),
        pytest.param((10,), [[99, ["shop.cart"]]], id="star-index-out-of-range"),
        pytest.param((10,), [[True, ["shop.cart"]]], id="star-index-bool"),
        pytest.param((10,), [[0, [1]]], id="star-number"),
        pytest.param((13,), [[2, ["1", "m"]]], id="error-line-string"),
    ],
)
def test_malformed_bundle(path: tuple[int, ...], new: Any) -> None:
    value = new if path == () else edited(good_bundle(), path, new)
    with pytest.raises(BadEntry):
        decode_bundle(value)


def test_bad_entry_message_says_what_was_wrong() -> None:
    with pytest.raises(BadEntry, match="unknown SymbolKind 'variable'"):
        decode_module(edited(good_module(), (0, 0, 1), "variable"))
    with pytest.raises(BadEntry, match="expected a list of 7, got"):
        decode_module([])


# -- never anything but BadEntry ----------------------------------------------------------------------

json_leaves = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
json_values = st.recursive(
    json_leaves,
    lambda children: st.lists(children, max_size=6) | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=30,
)
enum_words = st.sampled_from(
    ["module", "class", "method", "keyword-only", "explicit", "md-code", "doctest", "code-block", "x"]
)
plausible = st.recursive(
    json_leaves | enum_words,
    lambda children: st.lists(children, min_size=0, max_size=9),
    max_leaves=60,
)


def mutations(good: list[Any]) -> st.SearchStrategy[Any]:
    """A valid encoding with one item somewhere replaced by something random."""

    def paths(value: Any, prefix: tuple[int, ...] = ()) -> list[tuple[int, ...]]:
        found = [prefix]
        if isinstance(value, list):
            for index, item in enumerate(value):
                found += paths(item, (*prefix, index))
        return found

    every_path = paths(good)[1:]
    return st.tuples(st.sampled_from(every_path), json_values | enum_words).map(
        lambda change: edited(good, change[0], change[1])
    )


def decodes_or_bad_entry(decode: Any, encode: Any, value: Any) -> None:
    try:
        decoded = decode(value)
    except BadEntry:
        return
    # What decodes is well formed: encoding it again gives back exactly what was read.
    assert through_json(encode(decoded)) == through_json(value)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(json_values | plausible)
def test_decode_module_never_raises_anything_else(value: Any) -> None:
    decodes_or_bad_entry(decode_module, encode_module, value)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(json_values | plausible)
def test_decode_scan_never_raises_anything_else(value: Any) -> None:
    decodes_or_bad_entry(lambda v: decode_scan("d.md", v), encode_scan, value)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(mutations(good_module()))
def test_mutated_module_decodes_or_is_a_bad_entry(value: Any) -> None:
    decodes_or_bad_entry(decode_module, encode_module, value)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(mutations(good_scan()))
def test_mutated_scan_decodes_or_is_a_bad_entry(value: Any) -> None:
    decodes_or_bad_entry(lambda v: decode_scan("docs/api.md", v), encode_scan, value)


def test_decoded_module_is_a_module_symbols() -> None:
    assert isinstance(decode_module(good_module()), ModuleSymbols)
