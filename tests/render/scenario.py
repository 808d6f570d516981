"""A fixed Report for the renderers' golden files: every kind, every severity, hostile text."""

from __future__ import annotations

from docsync.models import DocScore, ExcerptLine, Finding, FindingDetail, Kind, Report, RichReport, Severity, TrendPoint

SHA = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"

FINDINGS = (
    Finding("README.md", 3, 5, "shop.cart.remove_item", Kind.RENAMED, Severity.ERROR,
            "shop.cart.remove_item was renamed to shop.cart.discard_item in 1a2b3c4", "shop.cart.discard_item", SHA),
    Finding("docs/api.rst", 12, 41, "shop.cart.gone", Kind.REMOVED, Severity.ERROR,
            "shop.cart.gone does not exist in the project", None, None),
    Finding("docs/api.rst", 13, 1, "shop.cart.Cart.total", Kind.SIGNATURE, Severity.ERROR,
            "the signature of shop.cart.Cart.total changed in 1a2b3c4: parameter `qty` renamed to `count`", None, SHA),
    Finding("docs/guide.md", 20, 1, "shop.cart.add_item", Kind.EXAMPLE, Severity.ERROR,
            "the example calls shop.cart.add_item, which has no parameter `qty`", None, None),
    Finding("docs/guide.md", 30, 7, "shop.pricing.apply_discount", Kind.BODY, Severity.WARNING,
            "the body of shop.pricing.apply_discount changed in 1a2b3c4; check that the doc still describes what it does",
            None, SHA),
    Finding("docs/guide.md", 41, 2, "shop.pricing.TAX_RATE", Kind.DOCSTRING, Severity.INFO,
            "the docstring of shop.pricing.TAX_RATE changed", None, None),
    # Hostile text: HTML, workflow-command and Markdown metacharacters in paths and messages.
    Finding("docs/we,ird:name%.md", 2, 3, "shop.<script>", Kind.REMOVED, Severity.ERROR,
            "<script>alert(1)</script> 100% broken: a,b\r\nnext | line `x` <!-- -->", None, None),
)  # fmt: skip

DOCS = (
    DocScore("README.md", 50.0, 2, 1, 0.0, 0),
    DocScore("docs/api.rst", 60.0, 5, 2, 12.5, 3),
    DocScore("docs/guide.md", 82.5, 8, 3, 400.0, 120),
    DocScore("docs/we,ird:name%.md", 0.0, 1, 1, 0.0, 0),
)

REPORT = Report(base="0123456789abcdef0123456789abcdef01234567", head=SHA, score=71.4, findings=FINDINGS, docs=DOCS)
CLEAN = Report(base=None, head="WORKTREE", score=100.0, findings=(), docs=(DocScore("README.md", 100.0, 3, 0),))


# A report at real scale (issue 16 item 8: 470 findings made a 204,213 px page): `findings` spread over `docs`,
# every kind and severity, five-line excerpts like `checks/details.py` makes, a long trend, and hostile text in a
# doc path, a symbol, a message and a trend commit.
HOSTILE_DOC = "docs/<script>alert(\"doc\")</script>'q'.md"
HOSTILE_MESSAGE = "\"quoted\" <script>alert(2)</script> & 'single' <img src=x onerror=alert(3)>"
_LARGE_KINDS = tuple(Kind)
_LARGE_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.WARNING, Severity.INFO, Severity.INFO)


def large_doc_path(index: int) -> str:
    return HOSTILE_DOC if index == 7 else f"docs/section{index // 10}/page{index:02}.md"


def _large_detail(n: int, docs: int) -> FindingDetail:
    doc_index = n * 37 % docs
    line = 10 + n
    finding = Finding(
        doc=large_doc_path(doc_index),
        line=line,
        column=1 + n % 9,
        symbol="pkg.<img src=x onerror=alert(3)>" if n == 11 else f"pkg.module{n % 13}.func{n}",
        kind=_LARGE_KINDS[n % len(_LARGE_KINDS)],
        severity=_LARGE_SEVERITIES[(n + n // docs + n // 150) % len(_LARGE_SEVERITIES)],
        message=HOSTILE_MESSAGE if n % 50 == 7 else f"pkg.module{n % 13}.func{n} changed in 1a2b3c4 (finding {n})",
        commit=SHA if n % 2 else None,
    )
    return FindingDetail(
        finding=finding,
        excerpt=tuple(
            ExcerptLine(k, f"Line {k} of the doc calls `func{n}(a, b)`.", k == line) for k in range(line - 2, line + 3)
        ),
        old_signature=f"func{n}(a, b)" if n % 3 == 0 else None,
        new_signature=f"func{n}(a, b, *, c=1)" if n % 3 == 0 else None,
        body_diff="@@ -1,2 +1,2 @@\n-    return a\n+    return b\n" if finding.kind is Kind.BODY else None,
        commit_subject="Rework <b>the</b> module" if finding.commit else None,
        fix="Update the call in the doc.",
    )


def large_rich_report(findings: int = 500, docs: int = 60, trend: int = 40) -> RichReport:
    """`findings` findings over `docs` docs (sorted like a real report), with a `trend`-point score history."""
    details = tuple(sorted((_large_detail(n, docs) for n in range(findings)), key=lambda d: d.finding.sort_key))
    per_doc = {path: sum(1 for d in details if d.finding.doc == path) for path in map(large_doc_path, range(docs))}
    doc_scores = tuple(
        DocScore(path, round(100.0 - 100.0 * stale / (stale + 20), 1), stale + 20, stale, float(stale * 3), stale)
        for path, stale in sorted(per_doc.items())
    )
    points = tuple(
        TrendPoint("<i>\"x'</i>" if n == 0 else f"{n:040x}", 1_700_000_000 + n * 86_400, 60.0 + (n * 7) % 30)
        for n in range(trend)
    )
    report = Report(base=None, head=SHA, score=63.2, findings=tuple(d.finding for d in details), docs=doc_scores)
    return RichReport(report, "big<project>", details, points, None, None, SHA)
