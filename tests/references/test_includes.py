"""Tests for references/includes.py: the lines that include an example file, and which file they name."""

from __future__ import annotations

import pytest

from docsync.models import Include
from docsync.references.includes import find_includes, included_file
from docsync.references.scan import scan_doc


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('--8<-- "docs_src/first.py"', Include(1, 9, "docs_src/first.py")),
        ("--8<-- 'examples/a.py'", Include(1, 9, "examples/a.py")),
        ("    --8<-- examples/a.py", Include(1, 12, "examples/a.py")),
        ('--8<-- "examples/a.py:3:10"', Include(1, 9, "examples/a.py")),  # a range of its lines
        ("{!> ../../docs_src/app.py !}", Include(1, 5, "../../docs_src/app.py")),
        ("{!../docs_src/app.py!}", Include(1, 3, "../docs_src/app.py")),
        ("{* ../../docs_src/app.py hl[3,7] *}", Include(1, 4, "../../docs_src/app.py")),
        ("{* ../../docs_src/app.py ln[1:10] hl[3] *}", Include(1, 4, "../../docs_src/app.py")),
        # Not an include of Python: other files, prose that mentions the syntax, a line with more on it.
        ('--8<-- "docs/snippet.md"', None),
        ("{* ../../docs_src/app.js *}", None),
        ('Write `--8<-- "x.py"` to include a file.', None),
        ('--8<-- "a.py" and more', None),
        (';--8<-- "a.py"', None),  # the escaped form that snippets leaves as text
    ],
)
def test_include_lines(line: str, expected: Include | None) -> None:
    assert find_includes([line]) == ((expected,) if expected else ())


@pytest.mark.parametrize(
    ("doc", "written", "expected"),
    [
        ("docs/guide.md", "docs_src/app.py", "docs_src/app.py"),  # from the repository root (snippets' default)
        ("docs/guide.md", "snippets/app.py", "docs/snippets/app.py"),  # from the doc's folder first
        ("docs/en/docs/tutorial/a.md", "../../docs_src/app.py", "docs_src/app.py"),  # from mkdocs.yml's folder
        ("docs/guide.md", "/docs_src/app.py", "docs_src/app.py"),
        ("docs/guide.md", "../../outside.py", None),
        ("docs/guide.md", "docs_src/missing.py", None),
    ],
)
def test_the_included_file(doc: str, written: str, expected: str | None) -> None:
    files = {"docs_src/app.py", "docs/snippets/app.py", "snippets/app.py", "docs/guide.md"}
    assert included_file(doc, written, files) == expected


def test_an_include_line_in_a_fence_is_not_code_and_is_recorded() -> None:
    scan = scan_doc("docs/a.md", b'# A\n\n```python\n--8<-- "docs_src/app.py"\n```\n\n{* docs_src/b.py hl[1] *}\n')
    assert scan.includes == (Include(4, 9, "docs_src/app.py"), Include(7, 4, "docs_src/b.py"))
    assert scan.diagnostics == ()
    assert scan.references == ()


@pytest.mark.parametrize(
    "line",
    ["{!../../docs_src/app.py!}", "{!> ../../docs_src/app.py !}", "    {!> docs_src/app.py!}", "{* docs_src/app.py *}"],
)
def test_an_include_line_that_is_no_python_is_not_parsed(line: str) -> None:
    """A fenced include line that Python cannot parse (`--8<-- "x.py"` happens to) is no 'does not parse' note."""
    scan = scan_doc("docs/a.md", f'# A\n\n```Python hl_lines="7"\n{line}\n```\n'.encode())
    assert len(scan.includes) == 1
    assert scan.diagnostics == ()


def test_an_example_file_is_one_example_line_for_line() -> None:
    scan = scan_doc("docs_src/app.py", b"from shop.cart import add_item\n\nadd_item([], 'pen', qty=2)\n")
    assert [(c.name, c.line, c.column, c.keywords) for c in scan.calls] == [("shop.cart.add_item", 3, 1, ("qty",))]
    assert [(r.name, r.line) for r in scan.references] == [("shop.cart.add_item", 1), ("shop.cart.add_item", 3)]
