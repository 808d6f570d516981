"""Findings × references → DocScores, the repository score and the Report: pure arithmetic.

A reference costs nothing when fresh (an info is for the record: it leaves its reference fresh); a stale
one costs its severity's weight times an age factor that grows from 0.5 (stale since today) to 1.0
(stale for a year or more). A doc's score
is 100 × (1 − cost / references); the repository's is the same over all references. With no
references there is nothing that can be stale: the score is 100.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from docsync.models import DocScore, Finding, Report, Severity, Staleness

# An info is for the record: it costs nothing, and its reference is not stale.
SEVERITY_WEIGHT: Mapping[Severity, float] = {Severity.ERROR: 1.0, Severity.WARNING: 0.5}
FULL_WEIGHT_AFTER_DAYS = 365.0


def age_factor(days: float | None) -> float:
    """0.5 for drift of today (or of unknown age), rising linearly to 1.0 after a year."""
    if days is None or days <= 0:
        return 0.5
    return 0.5 + 0.5 * min(days, FULL_WEIGHT_AFTER_DAYS) / FULL_WEIGHT_AFTER_DAYS


def reference_cost(
    findings: Iterable[Finding], ages: Mapping[tuple[str, int, int], float] | None = None
) -> dict[tuple[str, int, int], float]:
    """The cost of each stale reference (doc, line, column): its worst finding, aged."""
    costs: dict[tuple[str, int, int], float] = {}
    for finding in findings:
        if finding.severity not in SEVERITY_WEIGHT:
            continue
        key = (finding.doc, finding.line, finding.column)
        cost = SEVERITY_WEIGHT[finding.severity] * age_factor((ages or {}).get(key))
        costs[key] = max(cost, costs.get(key, 0.0))
    return costs


def score_docs(
    reference_counts: Mapping[str, int],
    findings: Iterable[Finding],
    ages: Mapping[tuple[str, int, int], float] | None = None,
) -> tuple[float, tuple[DocScore, ...]]:
    """(repository score, per-doc scores sorted by path) from each doc's reference count and the findings."""
    costs = reference_cost(findings, ages)
    cost_by_doc: dict[str, float] = {}
    stale_by_doc: dict[str, int] = {}
    for (doc, _, _), cost in costs.items():
        cost_by_doc[doc] = cost_by_doc.get(doc, 0.0) + cost
        stale_by_doc[doc] = stale_by_doc.get(doc, 0) + 1
    docs = []
    for doc in sorted(set(reference_counts) | set(cost_by_doc)):
        count = max(reference_counts.get(doc, 0), stale_by_doc.get(doc, 0))
        docs.append(DocScore(doc, _score(cost_by_doc.get(doc, 0.0), count), count, stale_by_doc.get(doc, 0)))
    total = sum(d.references for d in docs)
    return _score(sum(cost_by_doc.values()), total), tuple(docs)


def _score(cost: float, references: int) -> float:
    if references == 0:
        return 100.0
    return 100.0 * max(0.0, 1.0 - cost / references)


def below(score: float, fail_under: str) -> bool:
    """`score < fail_under`, with the score rounded to the number of decimals the user wrote."""
    threshold = Decimal(fail_under)
    exponent = min(0, int(threshold.as_tuple().exponent))
    rounded = Decimal(repr(score)).quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)
    return rounded < threshold


def make_report(
    base: str | None,
    head: str,
    counts: Mapping[str, int],
    findings: list[Finding],
    stale: Sequence[Staleness] = (),
) -> Report:
    """Score the docs (`counts`: references per doc; stale ones weigh more with age) and put the report together.
    A finding an ignore marker hides is neither reported nor scored: the report keeps it apart (`suppressed`)."""
    ordered = sorted((f for f in findings if not f.ignored), key=lambda f: f.sort_key)
    suppressed = tuple(sorted((f for f in findings if f.ignored), key=lambda f: f.sort_key))
    reported = {(f.doc, f.line, f.column) for f in ordered}
    kept = [s for s in stale if (s.reference.doc, s.reference.line, s.reference.column) in reported]
    score, docs = score_docs(counts, ordered, _ages(kept))
    oldest: dict[str, tuple[float, int]] = {}
    for item in kept:
        days, commits = oldest.get(item.reference.doc, (0.0, 0))
        oldest[item.reference.doc] = (max(days, item.days), max(commits, item.commits))
    docs = tuple(
        replace(d, days_stale=oldest.get(d.path, (0.0, 0))[0], commits_stale=oldest.get(d.path, (0.0, 0))[1])
        for d in docs
    )
    return Report(base=base, head=head, score=score, findings=tuple(ordered), docs=docs, suppressed=suppressed)


def _ages(stale: Iterable[Staleness]) -> dict[tuple[str, int, int], float]:
    """Days each stale reference has been stale, for the score's age factor."""
    return {(s.reference.doc, s.reference.line, s.reference.column): s.days for s in stale}
