"""Ignore markers in every scanner: which references and code blocks each one covers, with which kinds, where the
marker is, and what is wrong with it. (What they hide once judged: tests/test_suppressions.py.)"""

from __future__ import annotations

import json

import pytest

from docsync.models import DocScan, Kind
from docsync.references.ignores import KIND_NAMES, read_action
from docsync.references.markdown import scan_markdown
from docsync.references.notebook import scan_notebook
from docsync.references.rst import scan_rst
from docsync.references.scan import scan_doc

# (name, line, the markers that cover it as (line, column, marker as written))
Covered = tuple[str, int, list[tuple[int, int, str]]]


def covered(scan: DocScan) -> list[Covered]:
    return [(r.name, r.line, [(i.line, i.column, i.marker) for i in r.ignored]) for r in scan.references]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "<!-- docsync: ignore[signature] -->\n`a.x` `a.y`",
            [("a.x", 2, [(1, 1, "ignore[signature]")]), ("a.y", 2, [])],
            id="ignore-with-a-kind-covers-the-next-reference",
        ),
        pytest.param(
            "<!-- docsync: ignore-next-line -->\n\n`a.x` and [the y][a.y]\n`a.z`",
            [("a.x", 3, [(1, 1, "ignore-next-line")]), ("a.y", 3, [(1, 1, "ignore-next-line")]), ("a.z", 4, [])],
            id="next-line-skips-blank-lines",
        ),
        pytest.param(
            "`a.x` <!-- docsync: ignore-next-line[body] -->\n`a.y`",
            [("a.x", 1, []), ("a.y", 2, [(1, 7, "ignore-next-line[body]")])],
            id="next-line-after-an-inline-marker",
        ),
        pytest.param(
            "<!--\n  docsync: ignore-next-line\n-->\n`a.x`\n`a.y`",
            [("a.x", 4, [(1, 1, "ignore-next-line")]), ("a.y", 5, [])],
            id="next-line-after-a-comment-over-lines",
        ),
        pytest.param(
            "<!-- docsync: ignore-start[body] -->\n<!-- docsync: ignore[docstring] -->\n`a.x` `a.y`\n"
            "<!-- docsync: ignore-end -->\n`a.z`",
            [
                ("a.x", 3, [(1, 1, "ignore-start[body]"), (2, 1, "ignore[docstring]")]),
                ("a.y", 3, [(1, 1, "ignore-start[body]")]),
                ("a.z", 5, []),
            ],
            id="markers-add-up",
        ),
        pytest.param(
            "```{note}\n<!-- docsync: ignore-next-line[body] -->\n{func}`shop.a`\n```\n{func}`shop.b`\n",
            [("shop.a", 3, [(2, 1, "ignore-next-line[body]")]), ("shop.b", 5, [])],
            id="myst-directive-body",
        ),
        pytest.param(
            "```{eval-rst}\n.. docsync: ignore[signature]\n\n:func:`shop.a`\n```\n:func:`shop.b`\n",
            [("shop.a", 4, [(2, 1, "ignore[signature]")]), ("shop.b", 6, [])],
            id="eval-rst-body",
        ),
        pytest.param("<!-- docsync: ignore[signatures] -->\n`a.x`", [("a.x", 2, [])], id="unknown-kind-covers-nothing"),
        pytest.param("<!-- docsync: ignore a.b -->\n`a.x`", [("ignore", 1, []), ("a.b", 1, []), ("a.x", 2, [])],
                     id="not-a-marker-but-names"),
    ],
)  # fmt: skip
def test_markdown_markers(text: str, expected: list[Covered]) -> None:
    assert covered(scan_markdown("docs/a.md", text)) == expected


def test_the_kinds_of_a_marker_and_the_doc_markers() -> None:
    scan = scan_markdown(
        "docs/a.md", "<!-- docsync: ignore-start[Docstring, body] -->\n`a.x`\n<!-- docsync: ignore-end -->"
    )
    assert [(i.line, i.marker, i.kinds) for i in scan.ignores] == [
        (1, "ignore-start[Docstring, body]", (Kind.BODY, Kind.DOCSTRING))
    ]
    assert scan.references[0].ignored == scan.ignores
    assert scan.diagnostics == ()


def test_next_line_covers_a_code_block_that_starts_on_it() -> None:
    text = "<!-- docsync: ignore-next-line[example] -->\n```python\nf()\n```\n\n```python\ng()\n```\n"
    scan = scan_doc("docs/a.md", text.encode())
    assert [(b.code, [i.marker for i in b.ignored]) for b in scan.blocks] == [
        ("f()\n", ["ignore-next-line[example]"]),
        ("g()\n", []),
    ]
    # What a covered block makes carries its markers: the calls and names judged later.
    assert [(c.name, [i.line for i in c.ignored]) for c in scan.calls] == [("f", [1]), ("g", [])]


def test_a_doctest_session_output_names_carry_the_markers_of_their_block() -> None:
    text = "<!-- docsync: ignore -->\n>>> shop.make()\n<shop.cart.Cart object at 0x1f>\n"
    scan = scan_doc("docs/a.md", text.encode())
    assert [(r.name, len(r.ignored)) for r in scan.references] == [("shop.make", 1), ("shop.cart.Cart", 1)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "<!-- docsync: ignore[signatur] -->\n`a.x`",
            [(1, f"`ignore[signatur]` names unknown kind 'signatur' (kinds: {', '.join(KIND_NAMES)}); it hides nothing")],
            id="unknown-kind",
        ),
        pytest.param(
            "`a.y`\n\n<!-- docsync: ignore-start -->\n`a.x`",
            [(3, "`ignore-start` has no `ignore-end`: it hides the rest of the doc")],
            id="start-without-end",
        ),
        pytest.param(
            "<!-- docsync: ignore-end -->\n`a.x`", [(1, "`ignore-end` has no `ignore-start`")], id="end-without-start"
        ),
        pytest.param(
            "<!-- docsync: ignore[x, body, y] -->\n`a.x`",
            [(1, f"`ignore[x, body, y]` names unknown kinds 'x', 'y' (kinds: {', '.join(KIND_NAMES)}); it hides nothing")],
            id="unknown-kinds",
        ),
        pytest.param(
            "<!-- docsync: ignore-start -->\n<!-- docsync: ignore-end[body] -->",
            [(2, "`ignore-end[body]`: `ignore-end` takes no kinds")],
            id="end-with-kinds",
        ),
    ],
)  # fmt: skip
def test_markdown_marker_warnings(text: str, expected: list[tuple[int, str]]) -> None:
    assert [(d.line, d.message) for d in scan_markdown("docs/a.md", text).diagnostics] == expected


def test_rst_markers() -> None:
    text = (
        "API\n===\n\n"
        ".. docsync: ignore-next-line[example]\n\n"
        ".. code-block:: python\n\n   shop.add(1)\n\n"
        ".. docsync: ignore-start[body,\n   docstring]\n\n"
        ":func:`shop.a`\n\n"
        ".. docsync: ignore-end\n\n"
        ":func:`shop.b`\n\n"
        ".. docsync: ignore-start\n"
    )
    scan = scan_rst("docs/api.rst", text)
    assert [[i.marker for i in b.ignored] for b in scan.blocks] == [["ignore-next-line[example]"]]
    assert covered(scan) == [("shop.a", 13, [(10, 1, "ignore-start[body, docstring]")]), ("shop.b", 17, [])]
    assert [(d.line, d.message) for d in scan.diagnostics] == [
        (19, "`ignore-start` has no `ignore-end`: it hides the rest of the doc")
    ]


def test_notebook_markers_are_at_their_ipynb_lines() -> None:
    cells = [
        {
            "cell_type": "markdown",
            "metadata": {},
            "source": ["# Tour\n", "<!-- docsync: ignore[body] -->\n", "`shop.a`"],
        },
        {"cell_type": "markdown", "metadata": {}, "source": ["`shop.b` <!-- docsync: ignore-start -->"]},
    ]
    text = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)
    lines = text.splitlines()
    scan = scan_notebook("docs/tour.ipynb", text)
    marker_line = next(n for n, line in enumerate(lines, 1) if "ignore[body]" in line)
    (ignore,) = scan.references[0].ignored
    assert (ignore.line, ignore.column) == (marker_line, lines[marker_line - 1].index("<!--") + 1)
    assert scan.ignores[0] == ignore
    assert scan.references[1].ignored == ()
    start_line = next(n for n, line in enumerate(lines, 1) if "ignore-start" in line)
    assert [d.line for d in scan.diagnostics] == [start_line]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("ignore", ("ignore", None, "ignore")),
        (" Ignore-Next-Line [ signature , Example ] ", ("ignore-next-line", ("signature", "example"), "Ignore-Next-Line [ signature , Example ]")),
        ("ignore[]", ("ignore", (), "ignore[]")),
        ("ignore-start[body,]", ("ignore-start", ("body",), "ignore-start[body,]")),
        ("ignore shop.a", None),
        ("ignored", None),
        ("ignore[body]x", None),
    ],
)  # fmt: skip
def test_read_action(body: str, expected: tuple[str, tuple[str, ...] | None, str] | None) -> None:
    action = read_action(body)
    assert (None if action is None else (action.name, action.kinds, action.text)) == expected
