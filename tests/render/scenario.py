"""A fixed Report for the renderers' golden files: every kind, every severity, hostile text."""

from __future__ import annotations

from docsync.models import DocScore, Finding, Kind, Report, Severity

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
