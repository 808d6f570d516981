"""Every use of a symbol is reported (one finding each in JSON and SARIF), and grouped per doc and symbol where a
person reads them: the terminal says it in full once, the Markdown report in one row with every line."""

from __future__ import annotations

import dataclasses

from docsync.models import DocScore, Finding, Kind, Report, Severity
from docsync.render import markdown, text

GONE = "shop.cart.Cart.empty was removed in 1a2b3c4; the doc still refers to it"
FINDINGS = (
    Finding("docs/a.md", 3, 5, "shop.cart.Cart.empty", Kind.REMOVED, Severity.ERROR, GONE),
    Finding("docs/a.md", 9, 1, "shop.cart.add", Kind.RENAMED, Severity.ERROR, "shop.cart.add was renamed", "x.y"),
    Finding("docs/a.md", 17, 1, "shop.cart.Cart.empty", Kind.REMOVED, Severity.ERROR, GONE),
    Finding("docs/a.md", 42, 1, "shop.cart.Cart.empty", Kind.REMOVED, Severity.ERROR, GONE),
    Finding("docs/b.md", 2, 1, "shop.cart.Cart.empty", Kind.REMOVED, Severity.ERROR, GONE),
)
REPORT = Report(None, "HEAD", 80.0, FINDINGS, (DocScore("docs/a.md", 70.0, 9, 4), DocScore("docs/b.md", 90.0, 3, 1)))


def test_the_terminal_says_each_use_once_in_full() -> None:
    lines = text.render(REPORT).splitlines()
    assert lines[:6] == [
        f"docs/a.md:3:5: removed: {GONE}",
        "docs/a.md:9:1: renamed: shop.cart.add was renamed",
        "docs/a.md:17:1: removed: shop.cart.Cart.empty again (as at line 3)",
        "docs/a.md:42:1: removed: shop.cart.Cart.empty again (as at line 3)",
        "",
        f"docs/b.md:2:1: removed: {GONE}",  # another doc: in full again
    ]
    assert lines[-1].startswith("5 findings (5 errors) in 2 docs")


def test_the_markdown_report_has_a_row_per_symbol_and_doc_with_every_line() -> None:
    rows = [row for row in markdown.render(REPORT).splitlines() if row.startswith("| error")]
    assert [row.split(" | ")[1:4] for row in rows] == [
        ["docs/a.md", "3, 17, 42", "removed"],
        ["docs/a.md", "9", "renamed"],
        ["docs/b.md", "2", "removed"],
    ]
    assert "5 findings" in markdown.render(REPORT)


def test_rows_cut_by_the_limit_are_counted_as_findings() -> None:
    """A cut row of three uses is three findings not shown."""
    last = tuple(f if f.doc != "docs/a.md" or f.kind is Kind.RENAMED else dataclasses.replace(f, doc="docs/c.md")
                 for f in FINDINGS)  # fmt: skip
    report = Report(None, "HEAD", 50.0, last, ())
    full = markdown.render(report)
    assert [row.split(" | ")[2] for row in full.splitlines() if row.startswith("| error")] == ["9", "2", "3, 17, 42"]
    cut = markdown.render(report, limit=len(full.encode()) - 40)
    assert [row.split(" | ")[2] for row in cut.splitlines() if row.startswith("| error")] == ["9", "2"]
    assert "…and 3 more findings (3 errors, 0 warnings, 0 info) not shown" in cut
