"""The HTML report: byte-identical output, everything from the repository escaped, and it works in a browser."""

from __future__ import annotations

import itertools
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from docsync.coverage import Coverage
from docsync.hosting import Hosting
from docsync.models import (
    ExcerptLine,
    Finding,
    FindingDetail,
    Kind,
    Report,
    RichReport,
    Severity,
    TrendPoint,
)
from docsync.render.html_page import OPEN_FINDINGS_BUDGET, doc_sections, render, x_label_indices, y_ticks
from tests.render.scenario import CLEAN, FINDINGS, HOSTILE_DOC, HOSTILE_MESSAGE, REPORT, SHA, large_rich_report

HOSTING = Hosting(
    file_url="https://github.com/shop/shop/blob/{sha}/{path}#L{line}",
    commit_url="https://github.com/shop/shop/commit/{sha}",
)
HOSTILE_EXCERPT = (
    ExcerptLine(1, '<img src=x onerror="alert(1)">'),
    ExcerptLine(2, "<script>document.title='pwned'</script> [link](javascript:alert(1))", marked=True),
    ExcerptLine(3, '" autofocus onfocus="alert(2)'),
)


def rich_report() -> RichReport:
    details = tuple(
        FindingDetail(
            finding=finding,
            excerpt=HOSTILE_EXCERPT if index == len(FINDINGS) - 1 else (ExcerptLine(finding.line, "Call `x`.", True),),
            old_signature="remove_item(cart, item)" if index == 0 else None,
            new_signature="discard_item(cart, item)" if index == 0 else None,
            body_diff="@@ -1,2 +1,2 @@\n-    return total\n+    return total * 0.5\n"
            if finding.kind.value == "body"
            else None,
            commit_subject="Cap discounts <b>now</b>" if finding.commit else None,
            fix="Run `docsync fix`.",
        )
        for index, finding in enumerate(FINDINGS)
    )
    trend = tuple(
        TrendPoint(f"{n:040x}", 1_700_000_000 + n * 86_400, score) for n, score in enumerate((90, 85.5, 80, 71.4))
    )
    coverage = Coverage(75.0, 4, ("shop.cart.<script>Item",))
    return RichReport(REPORT, "shop", details, trend, coverage, HOSTING, SHA)


def test_html_golden(golden: object) -> None:
    golden("scenario.html", render(rich_report()))  # type: ignore[operator]
    golden("clean.html", render(RichReport(CLEAN, "shop")))  # type: ignore[operator]


def test_same_input_same_bytes() -> None:
    assert render(rich_report()) == render(rich_report())


def test_hostile_content_is_escaped() -> None:
    page = render(rich_report())
    body = page.split("<body>", 1)[1].split("<script>\n// Sorting", 1)[0]
    assert body != page.split("<body>", 1)[1]  # the split found our script
    assert "<script>" not in body  # the only script is ours, after the content
    assert "<img" not in body
    assert 'onerror="alert(1)"' not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&#34; autofocus onfocus=&#34;alert(2)" in body  # attribute injection stays text
    assert "Cap discounts &lt;b&gt;now&lt;/b&gt;" in body
    assert "shop.cart.&lt;script&gt;Item" in body
    assert not re.search(r"href=\"(?!https://github\.com/shop/shop/|#doc-)", body)  # no javascript: or other links
    assert "docs/we%2Cird%3Aname%25.md#L2" in body  # paths are URL-quoted inside links
    assert page.count("<script>") == 1


def test_no_network_by_construction() -> None:
    page = render(rich_report())
    assert "default-src 'none'" in page
    assert not re.search(r"(src|href)=\"(?!https://github\.com/shop/shop/)[a-z]+:", page)
    assert "@import" not in page
    assert "url(" not in page


def test_links_only_with_a_known_host() -> None:
    plain = render(RichReport(REPORT, "shop", rich_report().details, (), None, None, SHA))
    assert re.search(r'<a href="#doc-', plain)  # links inside the page stay
    assert not re.search(r'<a href="(?!#)', plain)


def test_the_worst_docs_open_within_a_budget() -> None:
    """A small report opens every doc; at scale only the worst docs open, as many as fit the budget, at least one."""
    small = doc_sections(rich_report())
    assert all(section.open for section in small)
    assert small[0].path == "docs/api.rst"  # worst first: 2 errors, then README's 1
    sections = doc_sections(large_rich_report())
    assert len(sections) == 60
    opened = [section for section in sections if section.open]
    assert opened == [sections[0]]
    worst = max(sections, key=lambda s: (s.counts["error"], s.counts["warning"], s.counts["info"], -(s.score or 0)))
    assert sections[0].counts == worst.counts
    assert sum(len(section.details) for section in opened) <= OPEN_FINDINGS_BUDGET
    assert sum(len(section.details) for section in sections) == 500


def test_the_docs_with_errors_open_when_they_are_few() -> None:
    errors = tuple(
        FindingDetail(Finding(doc, line, 1, "pkg.f", Kind.REMOVED, Severity.ERROR, "gone"))
        for doc, line in (("b.md", 1), ("b.md", 2), ("a.md", 1))
    )
    warnings = tuple(
        FindingDetail(Finding(f"w{n % 3}.md", n, 1, "pkg.g", Kind.BODY, Severity.WARNING, "body changed"))
        for n in range(1, OPEN_FINDINGS_BUDGET)
    )
    details = tuple(sorted(errors + warnings, key=lambda d: d.finding.sort_key))
    report = Report(None, SHA, 50.0, tuple(d.finding for d in details), ())
    sections = doc_sections(RichReport(report, "shop", details))
    assert [(s.path, s.open) for s in sections] == [
        ("b.md", True), ("a.md", True), ("w0.md", False), ("w1.md", False), ("w2.md", False)
    ]  # fmt: skip


def test_one_huge_doc_still_opens() -> None:
    huge = doc_sections(large_rich_report(findings=120, docs=2))
    assert [section.open for section in huge] == [True, False]


@pytest.mark.parametrize(
    ("points", "most", "expected"),
    [
        (0, 6, ()),
        (1, 6, (0,)),
        (4, 6, (0, 1, 2, 3)),
        (6, 6, (0, 1, 2, 3, 4, 5)),
        (7, 6, (0, 2, 4, 6)),
        (40, 6, (0, 10, 20, 29, 39)),
        (40, 5, (0, 13, 26, 39)),
        (40, 2, (0, 39)),
    ],
)
def test_x_labels_are_spread_and_keep_both_ends(points: int, most: int, expected: tuple[int, ...]) -> None:
    assert x_label_indices(points, most) == expected


@pytest.mark.parametrize(
    ("floor", "expected"),
    [(0, (0, 20, 40, 60, 80, 100)), (50, (50, 60, 70, 80, 90, 100)), (80, (80, 85, 90, 95, 100)), (90, (90, 95, 100))],
)
def test_y_ticks_cover_the_visible_range(floor: int, expected: tuple[int, ...]) -> None:
    assert y_ticks(floor) == expected


def test_chart_axes_are_escaped_text() -> None:
    page = render(large_rich_report())
    chart = page.split('<svg id="trend"', 1)[1].split("</svg>", 1)[0]
    assert "2023-11-14" in chart  # the first point's date (UTC)
    assert "&lt;i&gt;&#34;x&#39;&lt;" in chart  # the hostile commit's first seven characters, as text
    assert "<i>" not in chart


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="needs Debian's chromium (.ci/run installs it)"
)
LARGE_PAGE_MAX_HEIGHT = 10_000  # px at 1280 wide; 500 findings made 169,832 px before they were collapsed


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM is not None, "chromium is not installed (apt-get install chromium)"
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            yield launched
        finally:
            launched.close()


@needs_chromium
def test_in_a_real_browser(tmp_path: Path, browser: Any) -> None:
    """Open the page in headless Chromium: the score, the docs table and a finding show, sorting works, and the
    page makes no network request at all."""
    page_file = tmp_path / "report.html"
    page_file.write_text(render(rich_report()), encoding="utf-8")
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    page.set_default_timeout(5_000)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(page_file.as_uri())
    assert page.text_content("#score") == "71.4"
    rows = page.locator("#docs tbody tr")
    assert rows.count() == 4
    assert page.locator("article.finding:visible").count() == len(FINDINGS)  # a small report: every doc open
    assert "was renamed to shop.cart.discard_item" in (page.text_content("#findings") or "")
    assert page.title() != "pwned"
    assert dialogs == []

    def scores() -> list[str]:
        return [rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())]

    page.click("#docs th:nth-child(2)")
    assert scores() == ["0.0", "50.0", "60.0", "82.5"]
    page.click("#docs th:nth-child(2)")
    assert scores() == ["82.5", "60.0", "50.0", "0.0"]
    page.fill("#filter", "discount")
    assert page.locator("article.finding:visible").count() == 1
    page.uncheck("input.severity[value=warning]")
    assert page.locator("article.finding:visible").count() == 0
    assert page.locator("#trend circle").count() == 4
    assert requests == [page_file.as_uri()]  # the page itself, and nothing else
    page.close()


def _visible_count(page: Any, section: str, severity: str) -> int:
    return int(page.get_attribute(f"{section} summary [data-count={severity}]", "data-n"))


@needs_chromium
def test_a_500_finding_report_stays_usable(tmp_path: Path, browser: Any) -> None:
    """Issue 16 item 8: collapsed per doc with the worst open, bounded in height, filtered by kind and severity with
    the counts kept up to date, a doc's section opened from the table, axis labels on the chart, escaped."""
    page_file = tmp_path / "report.html"
    page_file.write_text(render(large_rich_report()), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(5_000)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(page_file.as_uri())
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < LARGE_PAGE_MAX_HEIGHT, f"the 500-finding page is {height} px tall"
    assert page.locator("details.doc").count() == 60
    assert page.locator("details.doc[open]").count() == 1
    assert page.locator("article.finding").count() == 500
    worst_findings = page.locator("details.doc[open] article.finding").count()
    assert page.locator("article.finding:visible").count() == worst_findings
    assert page.text_content("#shown") == "500 of 500 findings shown"

    # Filters: hide the info findings, then the removed ones; every count follows.
    closed = "details.doc:not([open])"
    first_closed = page.locator(closed).first
    section = "#" + (first_closed.get_attribute("id") or "")
    infos, errors = _visible_count(page, section, "info"), _visible_count(page, section, "error")
    assert infos + errors > 0
    row = page.locator(f'#docs tbody tr:has(a[href="{section}"])')
    assert row.locator("td[data-count=info]").inner_text() == str(infos)
    page.uncheck("input.severity[value=info]")
    assert page.text_content("#shown") == "300 of 500 findings shown"
    assert _visible_count(page, section, "info") == 0
    assert "0 info" in (page.text_content(f"{section} summary") or "")
    assert row.locator("td[data-count=info]").inner_text() == "0"
    assert page.locator("article.finding[data-severity=info]:visible").count() == 0
    assert page.locator("#filters label:has(input.severity[value=info])").count() == 1
    removed = page.locator("article.finding[data-kind=removed]:not([data-severity=info])").count()
    page.uncheck("input.kind[value=removed]")
    assert page.text_content("#shown") == f"{300 - removed} of 500 findings shown"
    page.check("input.kind[value=removed]")
    page.check("input.severity[value=info]")
    assert page.text_content("#shown") == "500 of 500 findings shown"
    assert _visible_count(page, section, "info") == infos

    # Opening a closed doc shows its findings: by its summary, and by its link in the docs table.
    assert page.locator(f"{section} article.finding:visible").count() == 0
    page.click(f"{section} summary")
    assert page.locator(f"{section} article.finding:visible").count() == infos + errors + _visible_count(
        page, section, "warning"
    )
    last_closed = page.locator(closed).last
    target = "#" + (last_closed.get_attribute("id") or "")
    page.click(f'#docs a[href="{target}"]')
    assert page.locator(f"{target}[open]").count() == 1
    assert page.locator(f"{target} article.finding:visible").count() > 0
    assert page.locator(f"{target} summary").is_visible()

    # The chart: score ticks on y, a few dates and short shas on x that do not overlap.
    y_labels = page.locator("#trend .y-label").all_text_contents()
    assert y_labels[0] == "100"
    assert len(y_labels) >= 3
    x_labels = page.locator("#trend .x-label")
    assert 2 <= x_labels.count() < 40
    boxes = [x_labels.nth(i).bounding_box() for i in range(x_labels.count())]
    for left, right in itertools.pairwise(boxes):
        assert left is not None
        assert right is not None
        assert left["x"] + left["width"] < right["x"], (left, right)
    assert "2023-11-14" in (x_labels.first.text_content() or "")
    assert "<i>\"x'<" in (x_labels.first.text_content() or "")  # the hostile commit as text
    assert page.locator("#trend i").count() == 0

    # A link to a closed doc (or to a finding inside one: Chromium opens those itself) opens it; a phone's page
    # stays bounded too.
    closed_doc = page.locator(closed).first.get_attribute("id")
    sections_last = page.locator(closed).last.get_attribute("id")
    closed_finding = page.locator(f"{closed} article.finding").last.get_attribute("id")
    page.goto("about:blank")
    page.goto(f"{page_file.as_uri()}#{closed_doc}")  # a fresh load
    assert page.locator(f"#{closed_doc}[open]").count() == 1
    page.goto(f"{page_file.as_uri()}#{sections_last}")  # a jump within the page
    assert page.locator(f"#{sections_last}[open]").count() == 1
    page.goto(f"{page_file.as_uri()}#{closed_finding}")
    assert page.locator(f"#{closed_finding}").is_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page_file.as_uri())
    phone_height = page.evaluate("document.documentElement.scrollHeight")
    assert phone_height < LARGE_PAGE_MAX_HEIGHT + 2_000, f"the 500-finding page is {phone_height} px tall on a phone"

    # Hostile doc path, symbol and message stay text.
    assert dialogs == []
    assert page.locator("script").count() == 1
    assert page.locator("#findings img").count() == 0
    assert HOSTILE_DOC in (page.text_content("#findings") or "")
    assert HOSTILE_MESSAGE in (page.text_content("#findings") or "")
    assert HOSTILE_DOC in page.locator("#docs").inner_text()
    page.close()


@needs_chromium
def test_without_javascript_everything_is_shown(tmp_path: Path, browser: Any) -> None:
    """With scripts off there is no filter to hide anything, and every doc opens by its summary."""
    page_file = tmp_path / "report.html"
    page_file.write_text(render(large_rich_report()), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(5_000)
    page.goto(page_file.as_uri())
    assert page.locator("article.finding").count() == 500
    assert page.locator("article.finding.hidden").count() == 0
    assert not page.locator("#filters").is_visible()
    closed = page.locator("#" + (page.locator("details.doc:not([open])").first.get_attribute("id") or ""))
    assert closed.locator("article.finding:visible").count() == 0
    closed.locator("summary").click()
    assert closed.locator("article.finding:visible").count() > 0
    assert page.evaluate("document.documentElement.scrollHeight") < LARGE_PAGE_MAX_HEIGHT + 5_000
    context.close()
