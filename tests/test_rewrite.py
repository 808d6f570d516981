from __future__ import annotations

import json
import re
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docsync.references.scan import scan_doc
from docsync.rewrite import Edit, apply_edits, unified_diff
from tests.conftest import Repo, git_env

E = Edit
BOM = b"\xef\xbb\xbf"
ADD = E(1, 6, "cart.add", "basket.put")  # `cart.add` in "Use `cart.add`..." on line 1


def at(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based (line, column in characters) of the nth `needle` in a text with LF line ends."""
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def notebook(markdown: list[str], code: str) -> dict[str, object]:
    return {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": markdown},
            {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], "source": code},
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


# A code cell whose source is one string: in the JSON the name follows the `\n` escape.
NB_BEFORE = notebook(["# Café\n", "Call `shop.cart.add` — then `shop.cart.add`.\n"], "import shop\nshop.cart.add(1)")
NB_AFTER = notebook(["# Café\n", "Call `shop.basket.put` — then `shop.cart.add`.\n"], "import shop\nshop.basket.put(1)")
NB_TEXT = json.dumps(NB_BEFORE, indent=1)  # ensure_ascii: "Caf\u00e9", "\u2014" before the name
NB_EDITS = [E(*at(NB_TEXT, "shop.cart.add", n), "shop.cart.add", "shop.basket.put") for n in (1, 3)]

CASES = [
    # (input bytes, edits, expected bytes, expected skipped reasons in (line, column) order)
    pytest.param(b"Use `cart.add` here.\nNext.\n", [ADD], b"Use `basket.put` here.\nNext.\n", [], id="lf"),
    pytest.param(
        b"Title\r\n\r\nUse `cart.add`.  \r\n",
        [E(3, 6, "cart.add", "basket.put")],
        b"Title\r\n\r\nUse `basket.put`.  \r\n",
        [],
        id="crlf-trailing-spaces",
    ),
    pytest.param(
        b"Title\r\rUse `cart.add`.\r",
        [E(3, 6, "cart.add", "basket.put")],
        b"Title\r\rUse `basket.put`.\r",
        [],
        id="cr",
    ),
    pytest.param(
        b"a\r\nb\nc\rUse `cart.add`\r\n\n",
        [E(4, 6, "cart.add", "basket.put")],
        b"a\r\nb\nc\rUse `basket.put`\r\n\n",
        [],
        id="mixed-endings",
    ),
    # "\r\r\n" is two line breaks for the scanners (CR, then CRLF).
    pytest.param(b"x\r\r\n`cart.add`", [E(3, 2, "cart.add", "basket.put")], b"x\r\r\n`basket.put`", [], id="cr-crlf"),
    pytest.param(b"Intro\nSee `cart.add`", [E(2, 6, "cart.add", "bp")], b"Intro\nSee `bp`", [], id="no-final-newline"),
    pytest.param(BOM + b"Use `cart.add`\n", [ADD], BOM + b"Use `basket.put`\n", [], id="bom-not-counted"),
    # Only the first BOM is a BOM; a second one is a character of line 1 (the scanners decode with utf-8-sig).
    pytest.param(
        BOM + BOM + b"`cart.add`",
        [E(1, 3, "cart.add", "basket.put")],
        BOM + BOM + b"`basket.put`",
        [],
        id="second-bom-is-a-character",
    ),
    pytest.param(b"\t\tcart.add(1)\t\n", [E(1, 3, "cart.add", "basket.put")], b"\t\tbasket.put(1)\t\n", [], id="tabs"),
    pytest.param(
        "Café — `cart.add` ✓\n".encode(),
        [E(1, 9, "cart.add", "basket.put")],
        "Café — `basket.put` ✓\n".encode(),
        [],
        id="non-ascii-before-columns-in-characters",
    ),
    pytest.param(
        "🛒 `cart.add`\r\n".encode(),
        [E(1, 4, "cart.add", "basket.put")],
        "🛒 `basket.put`\r\n".encode(),
        [],
        id="astral-character-is-one-column",
    ),
    pytest.param(
        "`café.add`".encode(), [E(1, 2, "café.add", "Straße.put")], "`Straße.put`".encode(), [], id="non-ascii-names"
    ),
    pytest.param(
        b"`cart.add` and `cart.remove`\n",
        [E(1, 17, "cart.remove", "basket.pop"), E(1, 2, "cart.add", "basket.put")],  # any order
        b"`basket.put` and `basket.pop`\n",
        [],
        id="two-on-one-line",
    ),
    pytest.param(
        b"`Cart.add`, `Cart.total`\n",
        [E(1, 2, "Cart", "CartV2"), E(1, 14, "Cart", "CartV2")],
        b"`CartV2.add`, `CartV2.total`\n",
        [],
        id="new-starts-with-old-twice-on-a-line",
    ),
    pytest.param(b"Use `cart.add`\n", [ADD, ADD], b"Use `basket.put`\n", [], id="duplicates-count-once"),
    pytest.param(
        b"shop.cart.add\n",
        [E(1, 6, "cart.add", "basket.add"), E(1, 1, "shop.cart", "store.cart")],
        b"store.cart.add\n",
        ["overlaps the edit at 1:1 ('shop.cart' → 'store.cart')"],
        id="overlap-first-wins",
    ),
    pytest.param(
        b"cart\n",
        [E(1, 1, "cart", "a"), E(1, 1, "cart", "b")],
        b"a\n",
        ["overlaps the edit at 1:1 ('cart' → 'a')"],
        id="same-start-input-order-wins",
    ),
    pytest.param(
        b"shop.cart.add\n",
        [E(1, 1, "shop.cart.add", "x"), E(1, 6, "cart", "y"), E(1, 11, "add", "z")],
        b"x\n",
        ["overlaps the edit at 1:1 ('shop.cart.add' → 'x')", "overlaps the edit at 1:1 ('shop.cart.add' → 'x')"],
        id="overlaps-the-kept-edit",
    ),
    # "b.c.d" overlaps "a.b" and is skipped; "d.e" overlaps only the skipped edit, so it applies.
    pytest.param(
        b"a.b.c.d.e\n",
        [E(1, 1, "a.b", "X"), E(1, 3, "b.c.d", "Q"), E(1, 7, "d.e", "Y")],
        b"X.c.Y\n",
        ["overlaps the edit at 1:1 ('a.b' → 'X')"],
        id="a-skipped-edit-blocks-nothing",
    ),
    pytest.param(b"a.b\n", [E(1, 1, "a", "x"), E(1, 2, ".b", ".y")], b"x.y\n", [], id="adjacent-spans-both-apply"),
    pytest.param(
        b"Use `cart.add`.\n",
        [E(1, 5, "cart.add", "basket.put")],
        b"Use `cart.add`.\n",
        ["'cart.add' not found at 1:5 (the line has '`cart.ad' there)"],
        id="wrong-column",
    ),
    pytest.param(
        b"Use `cart.add`.\nUse `cart.remove`.\n",
        [E(2, 6, "cart.add", "basket.put")],
        b"Use `cart.add`.\nUse `cart.remove`.\n",
        ["'cart.add' not found at 2:6 (the line has 'cart.rem' there)"],
        id="wrong-line",
    ),
    pytest.param(
        b"Use `cart.add`.",
        [E(1, 40, "cart.add", "basket.put")],
        b"Use `cart.add`.",
        ["'cart.add' not found at 1:40 (the line has '' there)"],
        id="column-past-the-end",
    ),
    pytest.param(
        # "one\ntwo\n" has 3 lines for the scanners: the last one is empty.
        b"one\ntwo\n",
        [E(0, 1, "one", "1"), E(3, 1, "x", "y"), E(4, 1, "two", "2")],
        b"one\ntwo\n",
        [
            "line 0 is out of range (the doc has 3 lines)",
            "'x' not found at 3:1 (the line has '' there)",
            "line 4 is out of range (the doc has 3 lines)",
        ],
        id="line-out-of-range",
    ),
    pytest.param(
        b"one\n", [E(1, 0, "one", "1")], b"one\n", ["column 0 is out of range (columns start at 1)"], id="column-zero"
    ),
    pytest.param(
        b"caf\xe9 `cart.add`\n",
        [E(1, 7, "cart.add", "basket.put"), E(1, 1, "caf", "x")],
        b"caf\xe9 `cart.add`\n",
        ["not UTF-8 text (byte 3 on line 1)", "not UTF-8 text (byte 3 on line 1)"],
        id="latin-1-untouched",
    ),
    pytest.param(
        BOM + b"ok\n\xff`cart.add`",
        [E(2, 3, "cart.add", "basket.put")],
        BOM + b"ok\n\xff`cart.add`",
        ["not UTF-8 text (byte 6 on line 2)"],
        id="invalid-after-bom-untouched",
    ),
    pytest.param(
        b"`cart.add_all`\n",
        [E(1, 2, "cart.add", "basket.put")],
        b"`cart.add_all`\n",
        ["'cart.add' at 1:2 is only the start of the longer name 'cart.add_all'"],
        id="prefix-of-a-longer-name",
    ),
    pytest.param(
        b"`cart.add` `cart.add2`\n",
        [E(1, 2, "cart.add", "basket.put"), E(1, 13, "cart.add", "basket.put")],
        b"`basket.put` `cart.add2`\n",
        ["'cart.add' at 1:13 is only the start of the longer name 'cart.add2'"],
        id="longer-name-skipped-other-applied",
    ),
    pytest.param(
        b"`cart.add_item`\n",
        [E(1, 2, "cart.add", "cart.add_item")],
        b"`cart.add_item`\n",
        ["already reads 'cart.add_item' at 1:2"],
        id="already-reads-new",
    ),
    pytest.param(
        b"`Cart.Item`\n",
        [E(1, 2, "Cart", "Cart.Item")],
        b"`Cart.Item`\n",
        ["already reads 'Cart.Item' at 1:2"],
        id="already-reads-new-dotted",
    ),
    # `new` holds `old` after a prefix: the second run finds "shop.car" at the column and skips (see the next test).
    pytest.param(
        b"`cart.add`\n", [E(1, 2, "cart.add", "shop.cart.add")], b"`shop.cart.add`\n", [], id="new-contains-old-later"
    ),
    pytest.param(b"`cart`\n", [E(1, 2, "cart", "cart")], b"`cart`\n", ["already reads 'cart' at 1:2"], id="new-is-old"),
    pytest.param(
        b"`cart`\n",
        [E(1, 2, "", "x"), E(1, 2, "cart", ""), E(1, 2, "cart", "a\nb"), E(1, 2, "cart\r", "x")],
        b"`cart`\n",
        [
            "an edit needs a non-empty `old` and `new`",
            "an edit needs a non-empty `old` and `new`",
            "an edit cannot span lines (`old` or `new` holds a line break)",
            "an edit cannot span lines (`old` or `new` holds a line break)",
        ],
        id="invalid-edits",
    ),
    # Applying both would give "`CartManager`, `add`, `put`", where `add` now sits at column 17 again: a second
    # run would change the line again, so the line is left alone.
    pytest.param(
        b"`Cart`, `add`, `add`\n",
        [E(1, 2, "Cart", "CartManager"), E(1, 17, "add", "put")],
        b"`Cart`, `add`, `add`\n",
        [
            "not applied: the result would not be stable (applying this line's edits again would change it again)",
            "not applied: the result would not be stable (applying this line's edits again would change it again)",
        ],
        id="unstable-line-left-alone",
    ),
    pytest.param(
        NB_TEXT.encode(), NB_EDITS, json.dumps(NB_AFTER, indent=1).encode(), [], id="notebook-json-cell-sources"
    ),
]


@pytest.mark.parametrize(("data", "edits", "expected", "reasons"), CASES)
def test_apply_edits(data: bytes, edits: list[Edit], expected: bytes, reasons: list[str]) -> None:
    result = apply_edits(data, edits)
    assert result.data == expected
    assert [why for _, why in result.skipped] == reasons
    unique = list(dict.fromkeys(edits))
    assert sorted([*result.applied, *(edit for edit, _ in result.skipped)], key=repr) == sorted(unique, key=repr)
    if expected == data:
        assert result.data is data
        assert result.applied == ()


@pytest.mark.parametrize(("data", "edits", "expected", "reasons"), CASES)
def test_applying_the_same_edits_again_changes_nothing(
    data: bytes, edits: list[Edit], expected: bytes, reasons: list[str]
) -> None:
    again = apply_edits(apply_edits(data, edits).data, edits)
    assert again.data == expected
    assert again.applied == ()
    assert len(again.skipped) == len(dict.fromkeys(edits))


def test_second_run_reasons_say_why() -> None:
    once = apply_edits(b"`cart.add` `Cart`\n", [E(1, 2, "cart.add", "basket.put"), E(1, 13, "Cart", "CartV2")])
    assert once.data == b"`basket.put` `CartV2`\n"
    twice = apply_edits(once.data, [E(1, 2, "cart.add", "basket.put"), E(1, 13, "Cart", "CartV2")])
    assert [why for _, why in twice.skipped] == [
        "'cart.add' not found at 1:2 (the line has 'basket.p' there)",
        "'Cart' not found at 1:13 (the line has ' `Ca' there)",
    ]


def test_new_starting_with_old_is_applied_once_where_it_stays_at_its_column() -> None:
    once = apply_edits(b"`Cart`\n", [E(1, 2, "Cart", "CartV2")])
    twice = apply_edits(once.data, [E(1, 2, "Cart", "CartV2")])
    assert (once.data, twice.data) == (b"`CartV2`\n", b"`CartV2`\n")
    assert [why for _, why in twice.skipped] == ["already reads 'CartV2' at 1:2"]


def test_results_are_sorted_by_position() -> None:
    data = b"a b\nc d\n"
    edits = [E(2, 3, "d", "D"), E(1, 1, "a", "A"), E(2, 1, "x", "X"), E(1, 3, "b", "B"), E(1, 9, "q", "Q")]
    result = apply_edits(data, edits)
    assert result.data == b"A B\nc D\n"
    assert result.applied == (E(1, 1, "a", "A"), E(1, 3, "b", "B"), E(2, 3, "d", "D"))
    assert [edit for edit, _ in result.skipped] == [E(1, 9, "q", "Q"), E(2, 1, "x", "X")]


def test_no_edits_returns_the_same_object() -> None:
    data = b"anything\r\n"
    result = apply_edits(data, [])
    assert result.data is data
    assert (result.applied, result.skipped) == ((), ())


# --- positions from the real scanners ---------------------------------------------------------------------------


def rename_scanned(doc: str, data: bytes, old: str, new: str) -> bytes:
    """Rename every reference to `old` that the scanner finds, at the name's column inside the construct."""
    edits = [
        E(ref.line, ref.column + ref.text.index(old), old, new)
        for ref in scan_doc(doc, data).references
        if ref.name == old
    ]
    assert edits, "the scanner found no reference to rename"
    result = apply_edits(data, edits)
    assert result.skipped == ()
    return result.data


@pytest.mark.parametrize(
    ("doc", "before", "after"),
    [
        pytest.param(
            "docs/a.md",
            BOM + "# Café\r\n\r\nCall `shop.cart.add` — or `shop.cart.add()`.\r\nLast".encode(),
            BOM + "# Café\r\n\r\nCall `shop.basket.put` — or `shop.basket.put()`.\r\nLast".encode(),
            id="markdown-bom-crlf-non-ascii",
        ),
        pytest.param(
            "docs/a.rst",
            "Título\n======\n\n\tSee :func:`~shop.cart.add` and :py:func:`shop.cart.add`.\r".encode(),
            "Título\n======\n\n\tSee :func:`~shop.basket.put` and :py:func:`shop.basket.put`.\r".encode(),
            id="rst-roles-tab-cr",
        ),
    ],
)
def test_positions_from_the_scanners_apply(doc: str, before: bytes, after: bytes) -> None:
    assert rename_scanned(doc, before, "shop.cart.add", "shop.basket.put") == after


@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_notebook_markdown_references_from_the_scanner_apply(ensure_ascii: bool) -> None:
    markdown = ["# Café — panier\n", "\n", "Use `shop.cart.add`, «`shop.cart.add`».\n"]
    before = json.dumps(notebook(markdown, "x = 1"), indent=1, ensure_ascii=ensure_ascii).encode()
    renamed = [line.replace("shop.cart.add", "shop.basket.put") for line in markdown]
    after = json.dumps(notebook(renamed, "x = 1"), indent=1, ensure_ascii=ensure_ascii).encode()
    assert rename_scanned("nb/a.ipynb", before, "shop.cart.add", "shop.basket.put") == after


# --- property ---------------------------------------------------------------------------------------------------

# A small alphabet makes coincidences (a name reappearing at a shifted column) likely.
CHARS = st.sampled_from(list("ab_.é🛒 \t`\r\n\x85\u2028")) | st.characters(codec="utf-8")
NEW = st.text(st.sampled_from(list("ab_.xé")), min_size=1, max_size=5).filter(lambda s: "\r" not in s)


def byte_line_starts(body: bytes) -> list[int]:
    return [0] + [match.end() for match in re.finditer(rb"\r\n|\r|\n", body)]


@st.composite
def doc_and_edits(draw: st.DrawFn) -> tuple[bytes, list[Edit]]:
    text = draw(st.text(CHARS, max_size=60))
    data = (BOM if draw(st.booleans()) else b"") + text.encode()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    edits: list[Edit] = []
    for _ in range(draw(st.integers(0, 5))):
        number = draw(st.integers(1, len(lines)))
        line = lines[number - 1]
        start = draw(st.integers(0, max(len(line) - 1, 0)))
        old = line[start : draw(st.integers(start + 1, max(len(line), start + 1)))] or "a"
        edits.append(E(number, start + 1, old, draw(NEW)))
    return data, edits


@settings(max_examples=400, deadline=None)
@given(doc_and_edits())
def test_only_the_edited_spans_change(case: tuple[bytes, list[Edit]]) -> None:
    data, edits = case
    result = apply_edits(data, edits)
    result.data.decode("utf-8")
    bom = len(BOM) if data.startswith(BOM) else 0
    text = data[bom:].decode()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    starts = byte_line_starts(data[bom:])
    # Splice the applied edits into the input bytes, right to left, from byte offsets computed independently.
    expected = data
    for edit in sorted(result.applied, key=lambda e: (e.line, e.column), reverse=True):
        begin = bom + starts[edit.line - 1] + len(lines[edit.line - 1][: edit.column - 1].encode())
        end = begin + len(edit.old.encode())
        assert data[begin:end] == edit.old.encode()
        expected = expected[:begin] + edit.new.encode() + expected[end:]
    assert result.data == expected
    unique = set(edits)
    assert len(result.applied) + len(result.skipped) == len(unique)
    assert {*result.applied, *(edit for edit, _ in result.skipped)} == unique
    again = apply_edits(result.data, edits)
    assert (again.data, again.applied) == (result.data, ())


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=40), st.lists(st.tuples(st.integers(-1, 4), st.integers(-1, 6), NEW, NEW), max_size=4))
def test_arbitrary_bytes_never_crash(data: bytes, raw: list[tuple[int, int, str, str]]) -> None:
    result = apply_edits(data, [E(*fields) for fields in raw])
    if result.applied:
        result.data.decode("utf-8")
    else:
        assert result.data is data


# --- unified_diff -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        pytest.param(
            b"a\nb\nc\n",
            b"a\nB\nc\n",
            "--- a/docs/x.md\n+++ b/docs/x.md\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n",
            id="one-line",
        ),
        pytest.param(
            b"a\nb",
            b"a\nB",
            "--- a/docs/x.md\n+++ b/docs/x.md\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+B\n"
            "\\ No newline at end of file\n",
            id="no-final-newline",
        ),
        pytest.param(
            b"a\r\nb\r\n",
            b"a\r\nB\r\n",
            "--- a/docs/x.md\n+++ b/docs/x.md\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+B\r\n",
            id="crlf-shows-cr",
        ),
        pytest.param(
            b"caf\xe9\n",
            b"cafe\n",
            "--- a/docs/x.md\n+++ b/docs/x.md\n@@ -1 +1 @@\n-caf\ufffd\n+cafe\n",
            id="invalid-utf8-replaced",
        ),
        pytest.param(b"same\r\n", b"same\r\n", "", id="equal"),
    ],
)
def test_unified_diff(before: bytes, after: bytes, expected: str) -> None:
    assert unified_diff("docs/x.md", before, after) == expected


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(b"a\nb\nc\n", b"a\nB\nc\n", id="one-line"),
        pytest.param(b"a\nb", b"a\nB", id="no-final-newline"),
        pytest.param(b"a\nb", b"a\nb\n", id="newline-added"),
        pytest.param(b"a\r\nb\r\nc\r\n", b"a\r\nB\r\nc\r\n", id="crlf"),
        pytest.param(
            "".join(f"line {n}\n" for n in range(1, 20)).encode(),
            "".join(f"line {n}\n" if n not in (3, 15) else f"LINE {n}\n" for n in range(1, 20)).encode(),
            id="two-hunks",
        ),
        pytest.param(BOM + "Café `a`\n".encode(), BOM + "Café `b`\n".encode(), id="bom-non-ascii"),
    ],
)
def test_unified_diff_matches_git(git_repo: Repo, before: bytes, after: bytes) -> None:
    git_repo.commit({"docs/x.md": before})
    git_repo.write({"docs/x.md": after})
    command = ["git", "-c", "core.autocrlf=false", "-c", "core.quotepath=false", "diff", "--no-color", "--no-ext-diff"]
    out = subprocess.run(command, cwd=git_repo.path, capture_output=True, env=git_env(), check=True).stdout.decode()
    # Drop git's `diff --git` and `index` lines and the function context it adds after a hunk header.
    expected = re.sub(r"^(@@ [^@]* @@).*$", r"\1", out.split("\n", 2)[2], flags=re.MULTILINE)
    assert unified_diff("docs/x.md", before, after) == expected


def test_unified_diff_of_a_rewrite() -> None:
    before = b"# Cart\r\nCall `cart.add`.\r\n"
    after = apply_edits(before, [E(2, 7, "cart.add", "basket.put")]).data
    assert unified_diff("README.md", before, after) == (
        "--- a/README.md\n+++ b/README.md\n@@ -1,2 +1,2 @@\n # Cart\r\n-Call `cart.add`.\r\n+Call `basket.put`.\r\n"
    )
