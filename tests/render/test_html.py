"""The HTML report: byte-identical output, everything from the repository escaped, and it works in a browser."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from docsync.models import (
    Coverage,
    ExcerptLine,
    FindingDetail,
    Hosting,
    RichReport,
    TrendPoint,
)
from docsync.render.html_page import render
from tests.render.scenario import CLEAN, FINDINGS, REPORT, SHA

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
    assert "<script>" not in body  # the only script is ours, after the content
    assert "<img" not in body
    assert 'onerror="alert(1)"' not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&#34; autofocus onfocus=&#34;alert(2)" in body  # attribute injection stays text
    assert "Cap discounts &lt;b&gt;now&lt;/b&gt;" in body
    assert "shop.cart.&lt;script&gt;Item" in body
    assert not re.search(r"href=\"(?!https://github\.com/shop/shop/)", body)  # no javascript: or other links
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
    assert "<a href" not in plain


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="needs Debian's chromium (.ci/run installs it)"
)
def test_in_a_real_browser(tmp_path: Path) -> None:
    """Open the page in headless Chromium: the score, the docs table and a finding show, sorting works, and the
    page makes no network request at all."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM is not None, "chromium is not installed (apt-get install chromium)"
    page_file = tmp_path / "report.html"
    page_file.write_text(render(rich_report()), encoding="utf-8")
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(page_file.as_uri())
            assert page.text_content("#score") == "71.4"
            rows = page.locator("#docs tbody tr")
            assert rows.count() == 4
            assert page.locator("article.finding").count() == len(FINDINGS)
            assert "was renamed to shop.cart.discard_item" in (page.text_content("article.finding") or "")
            assert page.title() != "pwned"
            assert dialogs == []

            def scores() -> list[str]:
                return [rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())]

            page.click("#docs th:nth-child(2)")
            assert scores() == ["0.0", "50.0", "60.0", "82.5"]
            page.click("#docs th:nth-child(2)")
            assert scores() == ["82.5", "60.0", "50.0", "0.0"]
            page.fill("#filter", "discount")
            assert page.locator("article.finding:not(.hidden)").count() == 1
            page.uncheck("input.severity[value=warning]")
            assert page.locator("article.finding:not(.hidden)").count() == 0
            assert page.locator("#trend circle").count() == 4
            assert requests == [page_file.as_uri()]  # the page itself, and nothing else
        finally:
            browser.close()
