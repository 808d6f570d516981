"""The freshness score: a table of (references, stale findings with ages) → doc and repository scores."""

from __future__ import annotations

import pytest

from docsync.models import Finding, Kind, Severity
from docsync.score import age_factor, below, score_docs


def stale(doc: str, line: int, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(doc, line, 1, "pkg.f", Kind.SIGNATURE, severity, "changed")


@pytest.mark.parametrize(
    ("days", "factor"),
    [(None, 0.5), (0, 0.5), (-3, 0.5), (36.5, 0.55), (182.5, 0.75), (365, 1.0), (3650, 1.0)],
)
def test_age_factor(days: float | None, factor: float) -> None:
    assert age_factor(days) == pytest.approx(factor)


CASES = [
    # (id, reference counts per doc, findings, ages in days, expected repository score, expected doc scores)
    ("no references at all: nothing can be stale", {}, [], {}, 100.0, {}),
    ("all fresh", {"a.md": 4}, [], {}, 100.0, {"a.md": 100.0}),
    ("one new error of four", {"a.md": 4}, [stale("a.md", 1)], {}, 87.5, {"a.md": 87.5}),
    ("the same error a year old", {"a.md": 4}, [stale("a.md", 1)], {("a.md", 1, 1): 365.0}, 75.0, {"a.md": 75.0}),
    ("a warning weighs half an error", {"a.md": 4}, [stale("a.md", 1, Severity.WARNING)], {}, 93.75, {"a.md": 93.75}),
    ("an info is for the record: it costs nothing", {"a.md": 1}, [stale("a.md", 1, Severity.INFO)], {}, 100.0,
     {"a.md": 100.0}),
    ("two findings on one reference count once (the worst)", {"a.md": 2},
     [stale("a.md", 1, Severity.WARNING), stale("a.md", 1)], {}, 75.0, {"a.md": 75.0}),
    ("every reference stale for years", {"a.md": 2}, [stale("a.md", 1), stale("a.md", 2)],
     {("a.md", 1, 1): 900.0, ("a.md", 2, 1): 900.0}, 0.0, {"a.md": 0.0}),
    ("the repository weighs docs by their references", {"a.md": 1, "b.md": 9}, [stale("a.md", 1)],
     {("a.md", 1, 1): 365.0}, 90.0, {"a.md": 0.0, "b.md": 100.0}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("counts", "findings", "ages", "repository", "docs"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_score_table(
    counts: dict[str, int],
    findings: list[Finding],
    ages: dict[tuple[str, int, int], float],
    repository: float,
    docs: dict[str, float],
) -> None:
    score, doc_scores = score_docs(counts, findings, ages)
    assert score == pytest.approx(repository)
    assert {d.path: d.score for d in doc_scores} == pytest.approx(docs)
    assert [d.path for d in doc_scores] == sorted(docs)


def test_an_info_leaves_its_reference_fresh() -> None:
    _, (doc,) = score_docs({"a.md": 2}, [stale("a.md", 1, Severity.INFO), stale("a.md", 2, Severity.WARNING)])
    assert (doc.references, doc.stale) == (2, 1)


@pytest.mark.parametrize(
    ("score", "threshold", "fails"),
    [
        (79.96, "80", False),  # rounds to 80 at the precision written
        (79.4, "80", True),
        (79.96, "80.0", False),
        (79.94, "80.0", True),
        (92.544, "92.55", True),
        (92.549, "92.55", False),
        (92.55, "92.55", False),
        (100.0, "100", False),
        (0.0, "0", False),
    ],
)
def test_fail_under_compares_at_the_precision_written(score: float, threshold: str, fails: bool) -> None:
    assert below(score, threshold) is fails
