"""Findings that say the same of one symbol in one doc (each call of a removed method, and its prose mention):
one group, so that the text and Markdown reports show a symbol's uses together. JSON and SARIF keep one each."""

from __future__ import annotations

from collections.abc import Sequence

from docsync.models import Finding


def same_use_key(finding: Finding) -> tuple[str, str, str, str]:
    return (finding.doc, finding.symbol, finding.kind.value, finding.message)


def grouped_uses(findings: Sequence[Finding]) -> list[tuple[Finding, tuple[int, ...]]]:
    """Each group's first finding (in the given order) and the lines of all its findings, in that order."""
    groups: dict[tuple[str, str, str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault(same_use_key(finding), []).append(finding)
    return [(group[0], tuple(f.line for f in group)) for group in groups.values()]
