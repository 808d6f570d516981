"""The Markdown report (PR comment, step summary): layout, escaping of untrusted text, truncation to a byte limit."""

from __future__ import annotations

import dataclasses
import random
import re
from collections import Counter
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from docsync.models import DocScore, Finding, Kind, Report, Severity
from docsync.render import markdown
from docsync.render.markdown import COMMENT_LIMIT, SUMMARY_LIMIT, render
from tests.render.scenario import CLEAN, FINDINGS, REPORT, SHA

MARKER = "<!-- docsync:comment -->"
HINT = "run `docsync check` for all of them"
# Findings of the base branch, with their own hostile text.
ALREADY = (
    Finding("docs/old|guide.md", 7, 1, "shop.legacy.checkout", Kind.REMOVED, Severity.ERROR,
            "shop.legacy.checkout does not exist in the project </details><script>x</script>", None, None),
    Finding("README.md", 9, 4, "shop.cart.Cart.count", Kind.RENAMED, Severity.ERROR,
            "shop.cart.Cart.count was renamed to shop.cart.Cart.size in 1a2b3c4", "shop.cart.Cart.size", SHA),
    Finding("docs/api.rst", 50, 3, "shop.cart.Cart", Kind.DOCSTRING, Severity.INFO,
            "the docstring of shop.cart.Cart changed", None, None),
)  # fmt: skip
NOTE = re.compile(
    r"^…and (\d+) more findings? \((\d+) errors?, (\d+) warnings?, (\d+) info\) not shown: (.*)\.$", re.MULTILINE
)


def _html(text: str) -> str:
    """What GitHub would show, near enough: CommonMark with GFM tables and raw HTML passed through."""
    return str(MarkdownIt("commonmark").enable("table").render(text))


class _Cells(HTMLParser):
    """The table rows of rendered HTML: per cell, its text and the tags inside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[tuple[str, list[str]]]] = []
        self.tags: list[str] = []
        self._cell: tuple[list[str], list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = ([], [])
        elif self._cell is not None:
            self._cell[1].append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(("".join(self._cell[0]), self._cell[1]))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell[0].append(data)


def _cells(text: str) -> _Cells:
    parser = _Cells()
    parser.feed(_html(text))
    return parser


def _one(**fields: Any) -> Report:
    finding = dataclasses.replace(FINDINGS[1], **fields)
    return Report(None, "WORKTREE", 50.0, (finding,), (DocScore(finding.doc, 50.0, 2, 1),))


def _rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(("| error |", "| warning |", "| info |"))]


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


# Golden files -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "report", "options"),
    [
        ("scenario.md", REPORT, {}),
        ("scenario-comment.md", REPORT, {"marker": MARKER, "already_stale": ALREADY}),
        ("clean.md", CLEAN, {}),
        ("clean-comment.md", CLEAN, {"marker": MARKER, "already_stale": ALREADY}),
        ("scenario-truncated.md", REPORT, {"limit": 1400, "already_stale": ALREADY, "details_hint": "the HTML report"}),
    ],
)
def test_golden(golden, name, report, options) -> None:
    golden(name, render(report, **options))


def test_the_scenario_layout() -> None:
    text = render(REPORT)
    assert text.startswith(
        "### docsync: 4 docs drifted\n\nFreshness score **71.4**/100 · 7 findings: 5 errors, 1 warning, 1 info\n"
    )
    assert [row.split(" | ")[1:3] for row in _rows(text)] == [
        ["README.md", "3"],
        ["docs/api.rst", "12"],
        ["docs/api.rst", "13"],
        ["docs/guide.md", "20"],
        ["docs/we,ird:name%.md", "2"],
        ["docs/guide.md", "30"],
        ["docs/guide.md", "41"],
    ]
    assert _rows(text)[0].endswith("→ <code>shop.cart.discard_item</code> |")
    assert "| docs/guide.md | 82.5 | 8 | 3 | 400 days (120 commits) |" in text
    assert "| README.md | 50.0 | 2 | 1 |  |" in text
    assert "Already stale" not in text


@pytest.mark.parametrize(
    ("report", "already", "heading", "summary"),
    [
        (CLEAN, (), "all docs are fresh", "Freshness score **100.0**/100 · no findings"),
        (CLEAN, ALREADY, "no new drift", "Freshness score **100.0**/100 · no findings · 3 already stale on the base branch"),
        (_one(), (), "1 doc drifted", "Freshness score **50.0**/100 · 1 finding: 1 error"),
        (_one(severity=Severity.INFO), ALREADY[:1], "1 doc drifted", "Freshness score **50.0**/100 · 1 finding: 1 info · 1 already stale on the base branch"),
    ],
)  # fmt: skip
def test_heading_and_summary(report, already, heading, summary) -> None:
    assert render(report, already_stale=already).startswith(f"### docsync: {heading}\n\n{summary}\n")


def test_marker_is_the_first_line_and_appears_once() -> None:
    hostile = _one(message=f"{MARKER} fake", doc=MARKER)
    text = render(hostile, marker=MARKER, already_stale=[dataclasses.replace(ALREADY[0], message=MARKER)])
    assert text.startswith(MARKER + "\n### docsync: 1 doc drifted\n")
    assert text.count(MARKER) == 1


@pytest.mark.parametrize("marker", ["docsync", "<!-- a -->\n", "<!-- a --> <b>x</b> <!-- b -->", "<!-- a -- >"])
def test_a_marker_that_is_not_one_html_comment_is_refused(marker) -> None:
    with pytest.raises(ValueError, match="marker"):
        render(REPORT, marker=marker)


def test_already_stale_findings_are_collapsed_and_never_counted() -> None:
    text = render(CLEAN, already_stale=ALREADY)
    details = text[text.index("<details>") :]
    assert details.startswith(
        "<details>\n<summary>Already stale on the base branch (not caused by this change): 3 findings</summary>\n\n"
    )
    assert details.endswith("\n</details>\n")
    assert [row.split(" | ")[1:3] for row in _rows(details)] == [
        ["README.md", "9"],
        ["docs/old&#124;guide.md", "7"],
        ["docs/api.rst", "50"],
    ]
    assert "Doc | Score" not in text  # no per-doc table: no finding of this change
    html = _html(text)
    assert html.count("</details>") == 1
    assert "<script>" not in html


def test_docs_without_age_have_no_stale_for_column() -> None:
    text = render(_one())
    assert "| Doc | Score | References | Stale |\n|---|--:|--:|--:|\n| docs/api.rst | 50.0 | 2 | 1 |\n" in text


@pytest.mark.parametrize(
    ("days", "commits", "cell"),
    [(0.5, 1, "under a day (1 commit)"), (1.9, 0, "1 day"), (12.5, 3, "12 days (3 commits)")],
)
def test_stale_for(days, commits, cell) -> None:
    report = dataclasses.replace(_one(), docs=(DocScore("docs/api.rst", 50.0, 2, 1, days, commits),))
    assert f"| docs/api.rst | 50.0 | 2 | 1 | {cell} |" in render(report)


# Escaping -----------------------------------------------------------------------------------------------------------

PIPE_ROW = 7  # `| a | b | c | d | e | f |`


@pytest.mark.parametrize(
    ("fields", "column", "shown", "tags"),
    [
        ({"doc": "docs/a|b.md"}, 1, "docs/a|b.md", []),
        ({"doc": "docs/__init__.md"}, 1, "docs/__init__.md", []),
        ({"doc": "docs/<img src=x onerror=alert(1)>.md"}, 1, "docs/<img src=x onerror=alert(1)>.md", []),
        ({"doc": "docs/\u202egnp.md"}, 1, "docs/\ufffdgnp.md", []),
        ({"symbol": "shop.`evil`|x"}, 4, "shop.`evil`|x", ["code"]),
        ({"symbol": "shop.<script>alert(1)</script>"}, 4, "shop.<script>alert(1)</script>", ["code"]),
        ({"message": "a | b || c"}, 5, "a | b || c", []),
        ({"message": "line1\r\nline2\rline3\nline4\tend"}, 5, "line1 line2 line3 line4 end", []),
        ({"message": "<script>alert(1)</script>"}, 5, "<script>alert(1)</script>", []),
        ({"message": "x ``a`b`` y"}, 5, "x a`b y", ["code"]),
        ({"message": "x `` ` `` y"}, 5, "x ` y", ["code"]),
        ({"message": "unmatched ` tick ``` run"}, 5, "unmatched ` tick ``` run", []),
        ({"message": "`a|b` and `<b>&amp;</b>`"}, 5, "a|b and <b>&amp;</b>", ["code", "code"]),
        ({"message": "**b** _e_ [l](http://x) ![i](x) ~~s~~ $x$"}, 5, "**b** _e_ [l](http://x) ![i](x) ~~s~~ $x$", []),
        ({"message": "&amp; &lt; \\| \\` \\*"}, 5, "&amp; &lt; \\| \\` \\*", []),
        ({"message": "a <!-- b --> c"}, 5, "a <!-- b --> c", []),
        ({"replacement": "new`name|x</code>"}, 5, "shop.cart.gone does not exist in the project → new`name|x</code>", ["code"]),
    ],
)  # fmt: skip
def test_untrusted_text_stays_inside_its_cell(fields, column, shown, tags) -> None:
    text = render(_one(**fields))
    (row,) = _rows(text)
    assert row.count("|") == PIPE_ROW
    assert "`" not in row
    cells = _cells(text)
    body = [row for row in cells.rows if row and row[0][0] == "error"]
    assert len(body) == 1
    assert len(body[0]) == 6
    assert body[0][column] == (shown, tags)
    assert set(cells.tags) <= {"h3", "p", "strong", "table", "thead", "tbody", "tr", "th", "td", "code"}


def test_a_mention_does_not_notify_anybody() -> None:
    text = render(_one(message="decorator added: @app.route, see `@app`", doc="docs/@team.md"))
    (row,) = _rows(text)
    assert "decorator added: @&#8203;app.route, see <code>@app</code>" in row
    assert "| docs/@&#8203;team.md |" in row
    assert re.search(r"@(?!&#8203;|app</code>)", text) is None


def test_a_doc_path_cannot_break_the_per_doc_table() -> None:
    report = _one(doc="a|b\r\n| x | y |")
    text = render(report)
    rows = _cells(text).rows
    assert rows[-1] == [("a|b | x | y |", []), ("50.0", []), ("2", []), ("1", [])]


# Truncation ---------------------------------------------------------------------------------------------------------


def _many(count: int, seed: int = 0, docs: int = 300) -> tuple[Finding, ...]:
    """`count` findings in a shuffled order: 10% errors, 30% warnings, 60% info, messages of varied length."""
    severities = [Severity.ERROR] + [Severity.WARNING] * 3 + [Severity.INFO] * 6
    kinds = {Severity.ERROR: Kind.REMOVED, Severity.WARNING: Kind.BODY, Severity.INFO: Kind.DOCSTRING}
    findings = []
    for index in range(count):
        severity = severities[index % 10]
        findings.append(Finding(f"docs/page{index % docs:03}.md", index + 1, 1, f"pkg.mod{index}.func", kinds[severity],
                                severity, f"pkg.mod{index}.func changed <{'x' * (index % 97)}>", None, None))  # fmt: skip
    random.Random(seed).shuffle(findings)
    return tuple(findings)


def _report(findings: tuple[Finding, ...], docs: int = 300) -> Report:
    scores = tuple(DocScore(f"docs/page{index:03}.md", 40.0, 70, 60, float(index), index) for index in range(docs))
    return Report("0" * 40, SHA, 40.0, findings, scores)


def _in_order(findings: tuple[Finding, ...]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.severity.rank, f.sort_key))


def _check_truncated(text: str, findings: tuple[Finding, ...], limit: int) -> int:
    """The most severe findings are shown, as many as fit, and the count line is exact; returns how many."""
    assert _size(text) <= limit
    ordered = _in_order(findings)
    rows = _rows(text[: text.index("\n…and")])
    assert [row.split(" | ")[2] for row in rows] == [str(f.line) for f in ordered[: len(rows)]]
    left = Counter(f.severity for f in ordered[len(rows) :])
    (note,) = NOTE.findall(text)
    assert note == (str(len(findings) - len(rows)), str(left[Severity.ERROR]), str(left[Severity.WARNING]), str(left[Severity.INFO]), HINT)  # fmt: skip
    next_row = _rows(render(dataclasses.replace(_report(()), findings=(ordered[len(rows)],))))[0]
    assert limit - _size(text) < _size(next_row)  # the next row would not have fitted
    return len(rows)


@pytest.mark.parametrize("limit", [COMMENT_LIMIT, SUMMARY_LIMIT])
def test_twenty_thousand_findings_are_cut_to_the_limit(limit) -> None:
    findings = _many(20_000)
    text = render(_report(findings), limit=limit, already_stale=_many(500, seed=1))
    shown = _check_truncated(text, findings, limit)
    assert 100 < shown < 20_000
    assert "\nScores of 300 docs not shown, to stay within the size limit.\n" in text
    assert text.endswith(
        "(not caused by this change): 500 findings</summary>\n\nToo many to list here: " + HINT + ".\n\n</details>\n"
    )
    assert len(_cells(text).rows[-1]) == 6  # only the findings table is left, and it still parses


def test_already_stale_rows_go_first_then_per_doc_rows() -> None:
    findings = _many(150)
    full = render(_report(findings), already_stale=_many(3_000, seed=2))
    assert _size(full) <= COMMENT_LIMIT
    assert NOTE.search(full) is None  # every finding of the change is shown
    assert "| docs/page149.md |" in full
    (note,) = re.findall(
        r"\n…and (\d+) more findings not shown: run `docsync check` for all of them\.\n\n</details>\n$", full
    )
    listed = len(_rows(full[full.index("<details>") :]))
    assert int(note) == 3_000 - listed
    assert listed > 100
    squeezed = render(_report(findings), limit=30_000, already_stale=_many(3_000, seed=2))
    assert _size(squeezed) <= 30_000
    assert NOTE.search(squeezed) is None
    assert "Too many to list here" in squeezed
    (docs_note,) = re.findall(r"\n…and (\d+) more docs not shown\.\n", squeezed)
    assert int(docs_note) + len(re.findall(r"^\| docs/page", squeezed, re.MULTILINE)) == 150


def test_exactly_at_the_limit_nothing_is_cut() -> None:
    report = _report(_many(400))
    full = render(report, limit=SUMMARY_LIMIT)
    assert render(report, limit=_size(full)) == full
    cut = render(report, limit=_size(full) - 1)
    assert _size(cut) < _size(full)
    assert cut.endswith("\n\n…and 1 more doc not shown.\n")


@pytest.mark.parametrize("character", ["x", "<", "é", "|", "`"])
def test_a_message_longer_than_the_limit_is_shortened(character) -> None:
    huge = dataclasses.replace(_many(1)[0], severity=Severity.ERROR, message=character * (2 * COMMENT_LIMIT))
    findings = (huge, *(f for f in _many(50) if f.line != 1))
    text = render(_report(findings), limit=COMMENT_LIMIT)
    assert _size(text) <= COMMENT_LIMIT
    assert _rows(text)[0].endswith("… |")
    assert len(_rows(text)) == 50  # the cap per cell leaves room for the others
    small = render(_report(findings), limit=2_000)
    assert _size(small) <= 2_000
    assert _rows(small)[0].endswith("… |")
    assert len(_rows(small)) == 1
    assert NOTE.search(small) is not None


def test_a_limit_too_small_for_anything_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot hold"):
        render(REPORT, limit=200)


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(
        st.tuples(st.text(max_size=60), st.text(max_size=300), st.text(max_size=40)), min_size=1, max_size=40
    ),
    limit=st.integers(min_value=1_500, max_value=12_000),
)
def test_any_text_fits_and_stays_in_its_cells(texts, limit) -> None:
    findings = tuple(
        Finding(doc, index + 1, 1, symbol, Kind.BODY, list(Severity)[index % 3], message, symbol or None, None)
        for index, (doc, message, symbol) in enumerate(texts)
    )
    docs = tuple(DocScore(doc, 10.0, 3, 1, 2.0, 1) for doc in sorted({f.doc for f in findings}))
    text = render(Report(None, "WORKTREE", 10.0, findings, docs), limit=limit, marker=MARKER)
    assert _size(text) <= limit
    for line in text.splitlines():
        if line.startswith("| "):
            assert line.count("|") in (PIPE_ROW, 6, 5), line  # findings, docs with and without age
            assert "`" not in line
    assert re.search(r"<(?!/?(code|details|summary)>)", text.removeprefix(MARKER)) is None
    assert text.count("<!--") == 1


# Determinism --------------------------------------------------------------------------------------------------------


def test_same_report_same_bytes_whatever_the_order() -> None:
    findings = _many(2_000)
    first = render(_report(findings), limit=20_000, already_stale=ALREADY)
    again = render(_report(tuple(reversed(findings))), limit=20_000, already_stale=tuple(reversed(ALREADY)))
    assert first == again


def test_limits() -> None:
    assert (markdown.COMMENT_LIMIT, markdown.SUMMARY_LIMIT) == (65_536, 1_048_576)
