from __future__ import annotations

import json
from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docsync.models import CodeBlock, CodeLine, Diagnostic, How, Style
from docsync.references.notebook import scan_notebook
from tests.references.positions import assert_blocks_and_headings_in


def notebook(*cells: Mapping[str, object], language: str | None = "python") -> dict[str, object]:
    kernel = {"display_name": "K", "language": language, "name": "k"} if language else {}
    return {"cells": list(cells), "metadata": {"kernelspec": kernel}, "nbformat": 4, "nbformat_minor": 5}


def markdown_cell(source: list[str] | str) -> dict[str, object]:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def code_cell(source: list[str] | str, outputs: list[object] | None = None) -> dict[str, object]:
    return {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": {},
        "outputs": outputs or [],
        "source": source,
    }


SHOP = notebook(
    markdown_cell(["# Shop\n", "\n", "Intro."]),
    code_cell(
        [
            "%matplotlib inline\n",
            "from shop.cart import add_item\n",
            "!pip install shop\n",
            "add_item(cart, qty=2)",
        ],
        # Output text that repeats a markdown line must not be taken for the markdown cell's source.
        [{"name": "stdout", "output_type": "stream", "text": ["Use `shop.cart.add_item`\n", "\n"]}],
    ),
    markdown_cell(
        ['## Adding "items"\n', "\n", "Call `shop.cart.add_item` or [it](../src/shop/cart.py#L3).\n"],
    ),
)


def test_references_in_the_second_markdown_cell_are_at_their_ipynb_lines() -> None:
    text = json.dumps(SHOP, indent=1)
    # Line 39 of the file is `    "Call `shop.cart.add_item` or [it](../src/shop/cart.py#L3).\n"`.
    scan = scan_notebook("nb/shop.ipynb", text)
    assert [(r.name, r.line, r.column, r.style, r.how, r.path) for r in scan.references] == [
        ("shop.cart.add_item", 39, 11, Style.MD_CODE, How.INFERRED, None),
        ("", 39, 35, Style.MD_LINK, How.INFERRED, "../src/shop/cart.py"),
    ]
    lines = text.split("\n")
    assert lines[38][10:].startswith("`shop.cart.add_item`")
    assert scan.headings == (7, 37)
    assert scan.diagnostics == ()
    assert all(r.doc == "nb/shop.ipynb" for r in scan.references)


def test_code_cell_is_a_notebook_block_with_magics_blanked() -> None:
    scan = scan_notebook("nb/shop.ipynb", json.dumps(SHOP, indent=1))
    assert scan.blocks == (
        CodeBlock(
            "nb/shop.ipynb",
            Style.NOTEBOOK,
            "python",
            "\nfrom shop.cart import add_item\n\nadd_item(cart, qty=2)\n",
            (CodeLine(27, 5), CodeLine(28, 5), CodeLine(29, 5), CodeLine(30, 5)),
        ),
    )
    assert scan.calls == ()


def test_single_string_sources() -> None:
    nb = notebook(
        markdown_cell("# T\n\nSee `shop.a` and `shop.a`\n"),
        code_cell("import shop\nshop.a()\n"),
    )
    text = json.dumps(nb, indent=1)
    lines = text.split("\n")
    source_lines = [number for number, line in enumerate(lines, 1) if line.startswith('   "source": ')]
    markdown_line, code_line = source_lines
    scan = scan_notebook("n.ipynb", text)
    # `   "source": "` puts the opening quote at offset 13; `# T\n\nSee ` is 11 characters once encoded.
    assert [(r.name, r.line, r.column) for r in scan.references] == [
        ("shop.a", markdown_line, 26),
        ("shop.a", markdown_line, 39),
    ]
    assert all(lines[markdown_line - 1][r.column - 1 :].startswith("`shop.a`") for r in scan.references)
    assert scan.headings == (markdown_line,)
    (block,) = scan.blocks
    assert block.code == "import shop\nshop.a()\n"
    assert block.origin == (CodeLine(code_line, 14), CodeLine(code_line, 27))
    assert lines[code_line - 1][27:].startswith("shop.a()")


@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_columns_are_exact_after_escapes(ensure_ascii: bool) -> None:
    text = json.dumps(notebook(markdown_cell(['Caf\u00e9 "\\\\" \U0001f600 `shop.a`\n'])), ensure_ascii=ensure_ascii)
    (reference,) = scan_notebook("n.ipynb", text).references
    assert (reference.line, text[reference.column - 1 :].startswith("`shop.a`")) == (1, True)


def test_markdown_cell_front_matter_diagnostic_is_mapped() -> None:
    text = json.dumps(
        notebook(markdown_cell(["x\n"]), markdown_cell(["---\n", "a: b\n", "  c: d\n", "---\n"])), indent=1
    )
    (diagnostic,) = scan_notebook("n.ipynb", text).diagnostics
    assert text.split("\n")[diagnostic.line - 1] == '    "  c: d\\n",'


def test_fenced_block_in_markdown_cell_is_mapped() -> None:
    text = json.dumps(notebook(markdown_cell(["Example:\n", "\n", "```python\n", "f(1)\n", "```\n"])), indent=1)
    (block,) = scan_notebook("n.ipynb", text).blocks
    assert (block.style, block.code) == (Style.CODE_BLOCK, "f(1)\n")
    (origin,) = block.origin
    assert text.split("\n")[origin.line - 1][origin.column :] == 'f(1)\\n",'


@pytest.mark.parametrize(
    "language_metadata",
    [
        {"kernelspec": {"language": "R"}},
        {"language_info": {"name": "julia"}},
        {"kernelspec": {"language": "python"}, "language_info": {"name": "scala"}},
    ],
)
def test_code_cells_of_other_languages_are_not_examples(language_metadata: dict[str, object]) -> None:
    nb = {"cells": [code_cell(["f(1)\n"]), markdown_cell(["`shop.a`"])], "metadata": language_metadata}
    scan = scan_notebook("n.ipynb", json.dumps(nb))
    assert scan.blocks == ()
    assert [r.name for r in scan.references] == ["shop.a"]


@pytest.mark.parametrize(
    ("source", "code"),
    [
        (["%%bash\n", "ls\n"], None),
        (["%%time\n", "f()\n"], "\nf()\n"),
        (["files = !ls \\\n", "  -la\n", "f(files)\n"], "\n\nf(files)\n"),
        (["\n", "   \n"], None),
    ],
)
def test_ipython_cells(source: list[str], code: str | None) -> None:
    scan = scan_notebook("n.ipynb", json.dumps(notebook(code_cell(source), language=None)))
    assert [block.code for block in scan.blocks] == ([code] if code else [])


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        ("[]", 'no "cells" list (nbformat 4 expected)'),
        ('{"worksheets": []}', 'no "cells" list (nbformat 4 expected)'),
        ("# A markdown file\n", "Expecting value: line 1 column 1 (char 0)"),
    ],
)
def test_not_a_notebook(text: str, problem: str) -> None:
    scan = scan_notebook("n.ipynb", text)
    assert scan.references == ()
    assert scan.diagnostics == (Diagnostic("n.ipynb", 1, f"not a valid notebook: {problem}"),)


def test_sources_written_with_other_escapes_fall_back_to_the_cell_line() -> None:
    # Hand-written JSON: an escaped `source` key, a source string escaped unlike json.dumps, and a
    # metadata string after it whose escaped quote must not be taken for the string's opening quote.
    text = (
        '{"cells": [\n'
        ' {"cell_type": "markdown", "source": ["Use \\u0060shop.a`\\n", "`shop.b`"],\n'
        '  "metadata": {"k": "x \\"Use `shop.a`\\n"}},\n'
        ' {"cell_type": "markdown",\n'
        '  "\\u0073ource": "`shop.c`"}\n'
        "]}\n"
    )
    scan = scan_notebook("n.ipynb", text)
    assert [(r.name, r.line, r.column) for r in scan.references] == [
        ("shop.a", 2, 5),  # not found: the line of the cell's "source" key, the cell's column
        ("shop.b", 2, 63),
        ("shop.c", 5, 19),  # found after the escaped key; no "source" key, so searched from the last cell
    ]
    assert text.split("\n")[1][61:].startswith('"`shop.b`"')


def test_odd_cells_are_skipped() -> None:
    nb = {
        "cells": [
            3,
            {"cell_type": "raw", "source": "`a.b`"},
            {"cell_type": "markdown", "source": [1]},
            {"cell_type": "code", "source": []},
        ]
    }
    assert scan_notebook("n.ipynb", json.dumps(nb)) == scan_notebook("n.ipynb", '{"cells": []}')


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_crashes_on_any_text(text: str) -> None:
    scan = scan_notebook("n.ipynb", text)
    assert scan.references == () or scan.diagnostics == ()


SOURCES = st.lists(
    st.sampled_from(["`shop.a`", "# H", "[x](m.py#L2)", "```", ">>> f()", "%ls", "\n", '"', "\\", "é", "\U0001f600"])
    | st.text(max_size=8),
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["markdown", "code", "raw"]), SOURCES, st.booleans()), max_size=5),
    st.booleans(),
    st.sampled_from([None, 1]),
)
def test_positions_are_inside_the_file(
    cells: list[tuple[str, list[str], bool]], ensure_ascii: bool, indent: int | None
) -> None:
    nb = notebook(*({"cell_type": kind, "source": "".join(src) if one else src} for kind, src, one in cells))
    text = json.dumps(nb, indent=indent, ensure_ascii=ensure_ascii)
    lines = text.split("\n")
    scan = scan_notebook("n.ipynb", text)
    assert scan.diagnostics == ()
    for reference in scan.references:
        assert 1 <= reference.line <= len(lines)
        assert 1 <= reference.column <= len(lines[reference.line - 1]) + 1
    assert_blocks_and_headings_in(scan, lines)
