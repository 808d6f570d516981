"""Inline suppression end to end, on real repositories where a real change makes real findings: `ignore[kinds]`,
`ignore-start[kinds]` ... `ignore-end`, `ignore-next-line`, their warnings, and `--report-unused-ignores`."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from tests.conftest import Repo, run
from tests.test_schemas import load_schema

CART = '''"""Carts."""


def add_item(cart, item, qty=1):
    """Put `qty` of `item` in the cart."""
    cart.append((item, qty))


def total(cart):
    return sum(q for _, q in cart)
'''
RENAMED_QTY = CART.replace("qty=1", "quantity=1").replace("(item, qty)", "(item, quantity)")
# `add_item` renamed (its body says so), `total` removed.
GONE = CART.replace("def add_item(", "def put_item(").partition("\n\n\ndef total(")[0] + "\n"
KINDS = "removed, renamed, signature, example, body, docstring, deprecated"


def check(repo: Repo, *args: str) -> tuple[int, list[tuple[str, int, str]], dict[str, Any], str]:
    """(exit code, (doc, line, kind) of each finding, the JSON report, stderr) of `check --format json`."""
    result = run(repo, "check", "--format", "json", *args)
    data = json.loads(result.out)
    jsonschema.validate(data, load_schema("report-v1.json"))
    return result.code, [(f["doc"], f["line"], f["kind"]) for f in data["findings"]], data, result.err


def changed(git_repo: Repo, docs: dict[str, str], new_cart: str = RENAMED_QTY) -> str:
    """Commit the shop and `docs`, then `new_cart`; return the base to check the change from."""
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, **docs}, "initial")
    git_repo.commit({"shop/cart.py": new_cart}, "change the cart")
    return base


def test_a_marker_with_kinds_hides_only_findings_of_those_kinds(git_repo: Repo) -> None:
    guide = (
        "# Guide\n\n"
        "<!-- docsync: ignore[signature] -->\n"
        "Call `shop.cart.add_item` to fill a cart.\n"
        "Pass `qty` to add several.\n\n"
        "## Again\n\n"
        "<!-- docsync: ignore[body, docstring] -->\n"
        "Call `shop.cart.add_item` with `qty` too.\n"
    )
    base = changed(git_repo, {"docs/guide.md": guide})
    code, found, _, _ = check(git_repo, "--base", base)
    # The first finding would be on line 5 (the parameter the doc writes), below the reference the marker covers.
    assert (code, found) == (1, [("docs/guide.md", 10, "signature")])


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        pytest.param("ignore[signature,example]", [("docs/guide.md", 4, "renamed")], id="another-kind-still-reports"),
        pytest.param("ignore[renamed]", [], id="the-kind-of-the-finding"),
        pytest.param("IGNORE[ Renamed ]", [], id="case-and-spaces"),
        pytest.param("ignore", [], id="plain-ignore-hides-every-kind"),
    ],
)
def test_which_kinds_a_marker_hides(git_repo: Repo, marker: str, expected: list[tuple[str, int, str]]) -> None:
    guide = f"# Guide\n\n<!-- docsync: {marker} -->\nCall `shop.cart.add_item`.\n\nAnd `shop.cart.total`.\n"
    base = changed(git_repo, {"docs/guide.md": guide}, GONE)
    code, found, _, _ = check(git_repo, "--base", base)
    assert found == [*expected, ("docs/guide.md", 6, "removed")]
    assert code == 1
    # The whole repository judged by history says the same: the marker is used when it hides the finding.
    code, found, data, _ = check(git_repo, "--report-unused-ignores")
    assert found == [*expected, ("docs/guide.md", 6, "removed")]
    assert data["unused_ignores"] == (
        [{"path": "docs/guide.md", "line": 3, "column": 1, "marker": marker}] if expected else []
    )


def test_ignore_next_line_covers_every_reference_on_the_next_non_blank_line(git_repo: Repo) -> None:
    guide = (
        "# Guide\n\n"
        "<!-- docsync: ignore-next-line -->\n\n"
        "Use `shop.cart.add_item` and `shop.cart.total`.\n"
        "Then `shop.cart.total` again.\n"
    )
    base = changed(git_repo, {"docs/guide.md": guide}, GONE)
    assert check(git_repo, "--base", base)[1] == [("docs/guide.md", 6, "removed")]


def test_ignore_next_line_with_a_kind_covers_a_code_block_that_starts_on_it(git_repo: Repo) -> None:
    block = "```python\nfrom shop.cart import add_item\nadd_item([], 'tea', qty=2)\n```\n"
    guide = f"# Guide\n\n<!-- docsync: ignore-next-line[example] -->\n{block}\n{block}"
    base = changed(git_repo, {"docs/guide.md": guide})
    code, found, data, _ = check(git_repo, "--base", base)
    assert (code, found) == (1, [("docs/guide.md", 11, "example")]), "the second block's call is not covered"
    assert "no parameter `qty`" in data["findings"][0]["message"]


def test_an_ignore_region_with_kinds(git_repo: Repo) -> None:
    guide = (
        "# Guide\n\n"
        "<!-- docsync: ignore-start[signature] -->\n"
        "Call `shop.cart.add_item`; pass `qty`.\n\n"
        "```python\nfrom shop.cart import add_item\nadd_item([], 'tea', qty=2)\n```\n"
        "<!-- docsync: ignore-end -->\n\n"
        "Call `shop.cart.add_item`; pass `qty`.\n"
    )
    base = changed(git_repo, {"docs/guide.md": guide})
    code, found, _, err = check(git_repo, "--base", base)
    # The call in the block is an `example` finding, which the region does not name.
    assert (code, found) == (1, [("docs/guide.md", 8, "example"), ("docs/guide.md", 12, "signature")])
    assert "ignore" not in err


@pytest.mark.parametrize(
    ("marker", "hidden"),
    [(".. docsync: ignore[signature]", True), (".. docsync: ignore-next-line[body]", False)],
    ids=["signature", "another-kind"],
)
def test_restructuredtext_markers_with_kinds(git_repo: Repo, marker: str, hidden: bool) -> None:
    api = f"API\n===\n\n{marker}\n\nCall :func:`shop.cart.add_item`, pass ``qty``.\n"
    base = changed(git_repo, {"docs/api.rst": api})
    code, found, _, _ = check(git_repo, "--base", base)
    assert (code, found) == ((0, []) if hidden else (1, [("docs/api.rst", 6, "signature")]))
    unused = (
        [] if hidden else [{"path": "docs/api.rst", "line": 4, "column": 1, "marker": marker[len(".. docsync: ") :]}]
    )
    assert check(git_repo, "--report-unused-ignores")[2]["unused_ignores"] == unused


def test_a_notebook_markdown_cell(git_repo: Repo) -> None:
    cell = "<!-- docsync: ignore-next-line[signature] -->\nCall `shop.cart.add_item`, pass `qty`.\n"
    other = "Call `shop.cart.add_item`, pass `qty`.\n"
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": cell.splitlines(keepends=True)},
            {"cell_type": "markdown", "metadata": {}, "source": [other]},
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    text = json.dumps(notebook, indent=1) + "\n"
    base = changed(git_repo, {"docs/tour.ipynb": text})
    line = [number for number, row in enumerate(text.splitlines(), 1) if other[:-1] in row][-1]  # the second cell
    assert check(git_repo, "--base", base)[1] == [("docs/tour.ipynb", line, "signature")]


# --- what is wrong with a marker: warnings that name its line ------------------------------------------------


def test_an_unknown_kind_is_a_warning_and_the_marker_hides_nothing(git_repo: Repo) -> None:
    guide = "# Guide\n\n<!-- docsync: ignore[signatur, body] -->\nCall `shop.cart.add_item`, pass `qty`.\n"
    base = changed(git_repo, {"docs/guide.md": guide})
    code, found, _, err = check(git_repo, "--base", base)
    assert (code, found) == (1, [("docs/guide.md", 4, "signature")])
    warning = f"`ignore[signatur, body]` names unknown kind 'signatur' (kinds: {KINDS}); it hides nothing"
    assert f"docsync: warning: docs/guide.md:3: {warning}\n" in err


def test_empty_brackets_are_a_warning(git_repo: Repo) -> None:
    api = "API\n===\n\n.. docsync: ignore-next-line[]\n\nCall :func:`shop.cart.add_item`, pass ``qty``.\n"
    base = changed(git_repo, {"docs/api.rst": api})
    code, found, _, err = check(git_repo, "--base", base)
    assert (code, found) == (1, [("docs/api.rst", 6, "signature")])
    assert f"docs/api.rst:4: `ignore-next-line[]` names no kind (kinds: {KINDS}); it hides nothing" in err


def test_an_ignore_start_without_an_end_still_hides_the_rest_of_the_doc_but_warns(git_repo: Repo) -> None:
    guide = "# Guide\n\nCall `shop.cart.total`.\n\n<!-- docsync: ignore-start -->\n\nCall `shop.cart.add_item`.\n"
    base = changed(git_repo, {"docs/guide.md": guide}, GONE)
    code, found, _, err = check(git_repo, "--base", base)
    assert (code, found) == (1, [("docs/guide.md", 3, "removed")])
    assert (
        "docsync: warning: docs/guide.md:5: `ignore-start` has no `ignore-end`: it hides the rest of the doc\n" in err
    )


def test_an_ignore_end_without_a_start_is_a_warning(git_repo: Repo) -> None:
    api = "API\n===\n\nCall :func:`shop.cart.add_item`, pass ``qty``.\n\n.. docsync: ignore-end\n"
    base = changed(git_repo, {"docs/api.rst": api})
    code, found, _, err = check(git_repo, "--base", base)
    assert (code, found) == (1, [("docs/api.rst", 4, "signature")])
    assert "docsync: warning: docs/api.rst:6: `ignore-end` has no `ignore-start`\n" in err


# --- suppressed findings are neither reported nor scored, in any mode or format ---------------------------


GUIDE = (
    "# Guide\n\n"
    "<!-- docsync: ignore[signature] -->\n"
    "Call `shop.cart.add_item`, pass `qty`.\n\n"
    "<!-- docsync: ignore -->\n"
    "See `shop.cart.total`.\n"
)


@pytest.mark.parametrize("fmt", ["text", "markdown", "github", "sarif"])
def test_a_suppressed_finding_appears_in_no_format(git_repo: Repo, fmt: str) -> None:
    base = changed(git_repo, {"docs/guide.md": GUIDE})
    result = run(git_repo, "check", "--base", base, "--format", fmt)
    assert result.code == 0, result
    assert "add_item" not in result.out
    assert "qty" not in result.out
    if fmt == "sarif":
        assert json.loads(result.out)["runs"][0]["results"] == []


def test_a_suppressed_finding_is_not_scored_and_a_plainly_ignored_reference_does_not_count(git_repo: Repo) -> None:
    base = changed(git_repo, {"docs/guide.md": GUIDE})
    code, found, data, _ = check(git_repo, "--base", base)
    assert (code, found, data["score"]) == (0, [], 100.0)
    # `add_item` is still checked for the other kinds: it counts; `total`, hidden from every kind, does not.
    assert [(d["path"], d["references"], d["stale"]) for d in data["docs"]] == [("docs/guide.md", 1, 0)]


def test_whole_repository_mode_hides_stale_references_by_kind(git_repo: Repo) -> None:
    guide = GUIDE + "\nCall `shop.cart.add_item`, pass `qty`.\n"
    changed(git_repo, {"docs/guide.md": guide})
    code, found, data, _ = check(git_repo)
    assert (code, found) == (1, [("docs/guide.md", 9, "signature")])
    assert data["docs"][0]["references"] == 2


def test_ci_and_report_show_no_suppressed_finding(git_repo: Repo, tmp_path: Any) -> None:
    base = changed(git_repo, {"docs/guide.md": GUIDE})
    summary = run(git_repo, "ci", "--base", base, "--no-comment")
    assert "add_item" not in summary.out, summary
    page = tmp_path / "report.html"
    report = run(git_repo, "report", "--base", base, "--output", str(page))
    assert report.code == 0, report
    assert "pass `qty`" not in page.read_text(encoding="utf-8")


def test_two_references_that_lead_to_one_place_when_only_one_is_covered(git_repo: Repo) -> None:
    """Both references to `add_item` point their finding at the `qty` the doc writes; one is not covered."""
    guide = (
        "# Guide\n\n"
        "<!-- docsync: ignore-next-line[signature] -->\n"
        "Call `shop.cart.add_item` to fill a cart.\n"
        "With `shop.cart.add_item`, pass `qty` for several.\n"
    )
    base = changed(git_repo, {"docs/guide.md": guide})
    assert check(git_repo, "--base", base)[1] == [("docs/guide.md", 5, "signature")]
    # The finding shows all the same: the marker changes nothing, so it is reported as unused.
    _, found, data, _ = check(git_repo, "--report-unused-ignores")
    assert found == [("docs/guide.md", 5, "signature")]
    assert data["unused_ignores"] == [
        {"path": "docs/guide.md", "line": 3, "column": 1, "marker": "ignore-next-line[signature]"}
    ]


# --- --report-unused-ignores (ruff's RUF100) -----------------------------------------------------------------


UNUSED = (
    "# Guide\n\n"
    "<!-- docsync: ignore[signature] -->\n"
    "Call `shop.cart.add_item`, pass `qty`.\n\n"
    "## Body\n\n"
    "<!-- docsync: ignore[body] -->\n"
    "Call `shop.cart.add_item`.\n\n"
    "<!-- docsync: ignore-next-line -->\n\n"
    "Plain prose, no reference.\n\n"
    "`shop.cart.total` <!-- docsync: ignore-start[renamed,removed] -->\n"
    "`shop.cart.total`\n"
    "<!-- docsync: ignore-end -->\n"
)
API = "API\n===\n\n.. docsync: ignore[example]\n\nCall :func:`shop.cart.add_item`, pass ``qty``.\n"


@pytest.fixture
def stale(git_repo: Repo) -> Repo:
    """The docs were written, then `add_item` renamed its `qty`: in whole-repository mode, history finds it."""
    changed(git_repo, {"docs/guide.md": UNUSED, "docs/api.rst": API})
    return git_repo


def test_report_unused_ignores_in_text(stale: Repo) -> None:
    plain = run(stale, "check")
    assert plain.code == 1, plain
    assert "unused" not in plain.out
    result = run(stale, "check", "--report-unused-ignores")
    assert result.code == 1, result
    lines = result.out.splitlines()
    assert [line.partition(": signature: ")[0] for line in lines[:2]] == ["docs/api.rst:6:41", ""]
    assert lines[2:6] == [
        "docs/api.rst:4:1: unused-ignore: `ignore[example]` suppresses nothing",
        "docs/guide.md:8:1: unused-ignore: `ignore[body]` suppresses nothing",
        "docs/guide.md:11:1: unused-ignore: `ignore-next-line` suppresses nothing",
        "docs/guide.md:15:19: unused-ignore: `ignore-start[renamed,removed]` suppresses nothing",
    ]
    assert lines[-1] == "1 finding (1 error) in 1 doc; freshness score 90.0/100; 4 unused ignore markers"


def test_report_unused_ignores_in_json(stale: Repo) -> None:
    assert "unused_ignores" not in check(stale)[2], "an additive field, there only when asked for"
    code, found, data, _ = check(stale, "--report-unused-ignores")
    assert (code, found) == (1, [("docs/api.rst", 6, "signature")])
    assert data["unused_ignores"] == [
        {"path": "docs/api.rst", "line": 4, "column": 1, "marker": "ignore[example]"},
        {"path": "docs/guide.md", "line": 8, "column": 1, "marker": "ignore[body]"},
        {"path": "docs/guide.md", "line": 11, "column": 1, "marker": "ignore-next-line"},
        {"path": "docs/guide.md", "line": 15, "column": 19, "marker": "ignore-start[renamed,removed]"},
    ]


def test_unused_ignores_alone_fail_the_check(stale: Repo) -> None:
    stale.write({"docs/api.rst": API.replace("ignore[example]", "ignore[signature]")})
    assert run(stale, "check").code == 0
    result = run(stale, "check", "--report-unused-ignores")
    assert result.code == 1, result
    assert "docs/api.rst" not in result.out, "its marker hides the signature finding: used"
    assert result.out.endswith("are fresh; freshness score 100.0/100; 3 unused ignore markers\n")


def test_every_marker_used_passes(stale: Repo) -> None:
    stale.write(
        {
            "docs/guide.md": UNUSED.partition("<!-- docsync: ignore[body]")[0],
            "docs/api.rst": API.replace("example", "signature"),
        }
    )
    result = run(stale, "check", "--report-unused-ignores", "--format", "json")
    assert result.code == 0, result
    assert json.loads(result.out)["unused_ignores"] == []


@pytest.mark.parametrize("mode", [("--base", "HEAD~1"), ("--staged",)], ids=["base", "staged"])
def test_report_unused_ignores_needs_the_whole_repository(stale: Repo, mode: tuple[str, ...]) -> None:
    result = run(stale, "check", "--report-unused-ignores", *mode)
    assert result.code == 2
    assert "--report-unused-ignores works in whole-repository mode only" in result.err


@pytest.mark.parametrize("quiet", [(), ("-q",)], ids=["", "quiet"])
@pytest.mark.parametrize("fmt", ["sarif", "github", "markdown", "junit"])
def test_formats_without_a_place_for_unused_ignores_say_them_on_stderr(
    stale: Repo, fmt: str, quiet: tuple[str, ...]
) -> None:
    """Even under -q: they are why the check exits 1."""
    result = run(stale, *quiet, "check", "--report-unused-ignores", "--format", fmt)
    assert result.code == 1, result
    assert "docsync: docs/guide.md:8:1: unused-ignore: `ignore[body]` suppresses nothing\n" in result.err
    assert "unused-ignore" not in result.out
