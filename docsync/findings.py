"""Changes × DocMap × Config → Findings: the one place for severity, ignore lists, "updated" and wording."""

from __future__ import annotations

import fnmatch
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence

from docsync.config import Config, PathMatcher
from docsync.models import Change, Finding, How, Kind, Reference, Severity, SymbolKind


def make_findings(
    drifts: Iterable[tuple[Reference, Change, SymbolKind]],
    updated_lines: Mapping[str, frozenset[int]],
    headings: Mapping[str, Sequence[int]],
    config: Config,
) -> list[Finding]:
    """Findings for references whose symbol changed, unless the doc was updated where it matters.

    `updated_lines` holds, for each doc the change touched, the lines it touched; `headings`
    the section starts of each doc, for `updated-means = "section"`.
    """
    findings = []
    for reference, change, symbol_kind in drifts:
        if (
            symbol_kind is SymbolKind.MODULE
            and reference.how is How.INFERRED
            and change.kind is not Kind.REMOVED
        ):
            continue  # `import shop` in an example says nothing about what the module contains
        if _was_updated(reference, updated_lines, headings, config):
            continue
        finding = _finding(reference, change.kind, _message(reference, change), change, config)
        if finding is not None:
            findings.append(finding)
    return _unique_sorted(findings)


def unresolved_findings(references: Iterable[Reference], config: Config) -> list[Finding]:
    """Whole-repository mode: references to project names that do not exist."""
    findings = []
    for reference in references:
        message = f"{reference.name or reference.path} does not exist in the project"
        finding = _finding(reference, Kind.REMOVED, message, None, config)
        if finding is not None:
            findings.append(finding)
    return _unique_sorted(findings)


def fails(findings: Iterable[Finding], config: Config) -> bool:
    """Whether any finding is at least as severe as `fail-on`."""
    return any(f.severity.rank <= config.fail_on.rank for f in findings)


def _finding(
    reference: Reference, kind: Kind, message: str, change: Change | None, config: Config
) -> Finding | None:
    severity = config.severity.get(kind)
    if severity is None or _ignored(reference, config):
        return None
    symbol = (
        change.qualname
        if change is not None
        else (reference.symbol or reference.name or reference.path or "")
    )
    return Finding(
        doc=reference.doc,
        line=reference.line,
        column=reference.column,
        symbol=symbol,
        kind=kind,
        severity=severity,
        message=message,
        replacement=change.new_qualname if change is not None and kind is Kind.RENAMED else None,
        commit=change.commit if change is not None else None,
    )


def _ignored(reference: Reference, config: Config) -> bool:
    names = [n for n in (reference.symbol, reference.name) if n]
    if any(fnmatch.fnmatchcase(n, pattern) for n in names for pattern in config.ignore_symbols):
        return True
    return bool(config.ignore_docs) and PathMatcher(config.ignore_docs).matches(reference.doc)


def _was_updated(
    reference: Reference,
    updated_lines: Mapping[str, frozenset[int]],
    headings: Mapping[str, Sequence[int]],
    config: Config,
) -> bool:
    touched = updated_lines.get(reference.doc)
    if not touched:
        return False
    if config.updated_means == "file":
        return True
    starts = headings.get(reference.doc, ())
    index = bisect_right(starts, reference.line)
    section_start = starts[index - 1] if index else 1
    section_end = starts[index] - 1 if index < len(starts) else 1 << 31
    return any(section_start <= line <= section_end for line in touched)


def _message(reference: Reference, change: Change) -> str:
    written = reference.name or reference.path or change.qualname
    alias = f" (written `{written}`)" if written != change.qualname else ""
    if change.kind is Kind.REMOVED:
        return f"{change.qualname}{alias} was removed; the doc still refers to it"
    if change.kind is Kind.RENAMED:
        return f"{change.qualname}{alias} was renamed to {change.new_qualname}"
    if change.kind is Kind.SIGNATURE:
        detail = f": {change.details}" if change.details else ""
        return f"the signature of {change.qualname}{alias} changed{detail}"
    if change.kind is Kind.BODY:
        return (
            f"the body of {change.qualname}{alias} changed; check that the doc still describes what it does"
        )
    if change.kind is Kind.DOCSTRING:
        return f"the docstring of {change.qualname}{alias} changed"
    return change.details or f"{change.qualname} changed"


def _unique_sorted(findings: Iterable[Finding]) -> list[Finding]:
    unique = {(f.sort_key): f for f in findings}
    return [unique[key] for key in sorted(unique)]


def worst(findings: Iterable[Finding]) -> Severity | None:
    ranks = sorted((f.severity for f in findings), key=lambda s: s.rank)
    return ranks[0] if ranks else None
