"""Changes × DocMap × Config → Findings: the one place for severity, ignore lists, "updated" and wording."""

from __future__ import annotations

import fnmatch
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from docsync.drift import ExampleProblem
from docsync.globs import PathMatcher
from docsync.models import (
    CODE_STYLES,
    Change,
    DocScan,
    Finding,
    How,
    Kind,
    Reference,
    Severity,
    Staleness,
    Style,
    SymbolKind,
)
from docsync.references.examples import UNPARSABLE
from docsync.settings import Config
from docsync.signature_changes import compatible, is_additive

# Rendered from the code by Sphinx/mkdocstrings: a new signature or docstring shows up by itself,
# so only a name that is gone leaves these behind.
GENERATED_STYLES = frozenset({Style.AUTODOC, Style.MKDOCSTRINGS, Style.LITERALINCLUDE})
# How far from a reference a mention of an affected parameter still counts as "near".
NEAR_LINES = 12


@dataclass(frozen=True)
class DocContext:
    """What the policy needs to know about the docs: where sections start, what the change touched, the text."""

    headings: Mapping[str, Sequence[int]] = field(default_factory=dict)
    updated_lines: Mapping[str, frozenset[int]] = field(default_factory=dict)
    lines: Mapping[str, Sequence[str]] = field(default_factory=dict)


def make_findings(
    drifts: Iterable[tuple[Reference, Change, SymbolKind]], docs: DocContext, config: Config
) -> list[Finding]:
    """Findings for references whose symbol changed, unless the doc was updated where it matters."""
    findings = []
    for reference, change, symbol_kind in drifts:
        if symbol_kind is SymbolKind.MODULE and reference.how is How.INFERRED and change.kind is not Kind.REMOVED:
            continue  # `import shop` in an example says nothing about what the module contains
        if was_updated(reference, docs, config) or _renders_itself(reference, change.kind):
            continue
        kind = change.kind
        if kind is Kind.REMOVED and reference.style in CODE_STYLES:
            kind = Kind.EXAMPLE  # an example importing or calling something gone no longer runs
        mention = _parameter_mention(reference, change, docs)
        severity = _severity(change, config, reference, mention is not None)
        finding = _finding(reference, kind, _message(reference, change), change, config, severity)
        if finding is not None:
            findings.append(_moved(finding, *(mention or (reference.line, reference.column))))
    return _unique_sorted(findings)


def unresolved_findings(references: Iterable[Reference], config: Config) -> list[Finding]:
    """Whole-repository mode: references to project names that do not exist."""
    findings = []
    for reference in references:
        written = reference.name or reference.path or ""
        if reference.style in CODE_STYLES:
            kind, message = Kind.EXAMPLE, f"the example uses {written}, which does not exist in the project"
        else:
            kind, message = Kind.REMOVED, f"{written} does not exist in the project"
        finding = _finding(reference, kind, message, None, config)
        if finding is not None:
            findings.append(finding)
    return _unique_sorted(findings)


def example_findings(
    problems: Iterable[ExampleProblem], config: Config, known_before: Iterable[ExampleProblem] = ()
) -> list[Finding]:
    """Calls in examples that do not fit; in a pull request, only those the change caused."""
    before = {(p.call.doc, p.callee, p.call.positional, p.call.keywords, p.problem) for p in known_before}
    findings = []
    for problem in problems:
        call = problem.call
        if (call.doc, problem.callee, call.positional, call.keywords, problem.problem) in before:
            continue
        reference = Reference(call.doc, call.line, call.column, call.name, How.INFERRED, Style.CODE_BLOCK, call.name)
        message = f"the example calls {problem.callee}, which {problem.problem}"
        finding = _finding(reference, Kind.EXAMPLE, message, None, config, symbol=problem.callee)
        if finding is not None:
            findings.append(finding)
    return _unique_sorted(findings)


def unparsable_blocks(scans: Iterable[DocScan]) -> list[tuple[str, int, str]]:
    """(doc, line, message) of each code block marked as Python that does not parse."""
    return [(d.path, d.line, d.message) for s in scans for d in s.diagnostics if d.message.startswith(UNPARSABLE)]


def broken_example_findings(diagnostics: Iterable[tuple[str, int, str]], config: Config) -> list[Finding]:
    """A block marked as Python that does not parse: an `info` note, so the author knows it is not checked."""
    findings = []
    for doc, line, message in diagnostics:
        reference = Reference(doc, line, 1, "", How.INFERRED, Style.CODE_BLOCK, "")
        finding = _finding(reference, Kind.EXAMPLE, message, None, config, Severity.INFO, symbol="")
        if finding is not None:
            findings.append(finding)
    return _unique_sorted(findings)


def stale_findings(stale: Iterable[Staleness], docs: DocContext, config: Config) -> list[Finding]:
    """Whole-repository mode: references that went stale (by history or against the lockfile), with their age."""
    findings = []
    for item in stale:
        kind = item.change.kind
        if _renders_itself(item.reference, kind):
            continue
        if kind is Kind.REMOVED and item.reference.style in CODE_STYLES:
            kind = Kind.EXAMPLE  # an example importing or calling something gone no longer runs
        mention = _parameter_mention(item.reference, item.change, docs)
        severity = _severity(item.change, config, item.reference, mention is not None)
        finding = _finding(item.reference, kind, _stale_message(item), item.change, config, severity)
        if finding is not None:
            findings.append(_moved(finding, *(mention or (item.reference.line, item.reference.column))))
    return _unique_sorted(findings)


def _stale_message(item: Staleness) -> str:
    change, reference = item.change, item.reference
    written = reference.name or change.qualname
    alias = f" (written `{written}`)" if written != change.qualname and reference.path is None else ""
    what = {Kind.SIGNATURE: "signature", Kind.BODY: "body", Kind.DOCSTRING: "docstring"}.get(change.kind, "code")
    when = f"in {change.commit[:7]}" if change.commit else "in the work tree (not committed yet)"
    age = (
        f"stale for {_days(item.days)}, {item.commits} commit{'s' if item.commits != 1 else ''}"
        if change.commit
        else ""
    )
    if change.kind in (Kind.REMOVED, Kind.RENAMED):
        went = f"was renamed to {change.new_qualname}" if change.kind is Kind.RENAMED else "was removed"
        detail = f"; {change.details}" if change.details else ""
        return f"{change.qualname}{alias} {went} {when}; the doc still refers to it ({age}){detail}"
    if item.accepted:
        ago = f" ({age})" if age else ""
        head = f"the {what} of {change.qualname}{alias} changed since the doc was accepted, {when}{ago}"
    else:
        ago = f": {age}" if age else ""
        head = f"the {what} of {change.qualname}{alias} changed {when}, after this part of the doc was written{ago}"
    return head + (f"; {change.details}" if change.details else "")


def _days(days: float) -> str:
    whole = int(days)
    return "less than a day" if whole == 0 else f"{whole} day{'s' if whole != 1 else ''}"


def _renders_itself(reference: Reference, kind: Kind) -> bool:
    return reference.style in GENERATED_STYLES and kind not in (Kind.REMOVED, Kind.RENAMED)


def was_updated(reference: Reference, docs: DocContext, config: Config) -> bool:
    """Whether the change touched the reference's section (or, with `updated-means = "file"`, its doc)."""
    touched = docs.updated_lines.get(reference.doc)
    if not touched:
        return False
    if config.updated_means == "file":
        return True
    start, end = _section(reference.doc, reference.line, docs)
    return any(start <= line <= end for line in touched)


def _section(doc: str, line: int, docs: DocContext) -> tuple[int, int]:
    return section_bounds(docs.headings.get(doc, ()), line)


def section_bounds(headings: Sequence[int], line: int) -> tuple[int, int]:
    """The first and last line of the section (the text under one heading) that holds `line`."""
    index = bisect_right(headings, line)
    return (headings[index - 1] if index else 1, headings[index] - 1 if index < len(headings) else 1 << 31)


def _severity(change: Change, config: Config, reference: Reference, mentioned: bool) -> Severity | None:
    severity = config.severity.get(change.kind)
    if change.kind is not Kind.SIGNATURE or severity is None:
        return severity
    if is_additive(change.signature_changes):
        # Type annotations where there were none make no doc wrong: worth knowing, never failing.
        return Severity.INFO
    if severity is not Severity.ERROR:
        return severity
    if compatible(change.signature_changes):
        # Every call the doc shows still works (an optional parameter more, `Any | None` -> `object`): a doc
        # may be incomplete now, but it is not wrong. Worth a look, not a failure.
        return Severity.WARNING
    parameters_only = bool(change.signature_changes) and all(c.parameter for c in change.signature_changes)
    if parameters_only and not mentioned:
        # The doc names the function but none of the parameters that changed: its calls are checked as
        # examples (kind `example`), and its prose is not wrong. Worth a look, not a failure.
        return Severity.WARNING
    return severity


def _finding(
    reference: Reference,
    kind: Kind,
    message: str,
    change: Change | None,
    config: Config,
    severity: Severity | None = None,
    symbol: str | None = None,
) -> Finding | None:
    severity = severity if severity is not None else config.severity.get(kind)
    if severity is None or config.severity.get(kind) is None or _ignored(reference, config, symbol):
        return None
    if symbol is None:
        symbol = change.qualname if change is not None else (reference.symbol or reference.name or reference.path or "")
    return Finding(
        doc=reference.doc,
        line=reference.line,
        column=reference.column,
        symbol=symbol,
        kind=kind,
        severity=severity,
        message=message,
        replacement=change.new_qualname if change is not None and change.kind is Kind.RENAMED else None,
        commit=change.commit if change is not None else None,
    )


def _ignored(reference: Reference, config: Config, symbol: str | None) -> bool:
    names = [n for n in (symbol, reference.symbol, reference.name) if n]
    if any(fnmatch.fnmatchcase(n, pattern) for n in names for pattern in config.ignore_symbols):
        return True
    return bool(config.ignore_docs) and PathMatcher(config.ignore_docs).matches(reference.doc)


def _message(reference: Reference, change: Change) -> str:
    written = reference.name or change.qualname
    # A source link names a file, not the symbol: only a differently written name is worth quoting.
    alias = f" (written `{written}`)" if written != change.qualname and reference.path is None else ""
    commit = f" in {change.commit[:7]}" if change.commit else ""
    if change.kind is Kind.REMOVED:
        maybe = f"; {change.details}" if change.details else ""
        return f"{change.qualname}{alias} was removed{commit}; the doc still refers to it{maybe}"
    if change.kind is Kind.RENAMED:
        also = f"; its signature changed too: {change.details}" if change.details else ""
        return f"{change.qualname}{alias} was renamed to {change.new_qualname}{commit}{also}"
    if change.kind is Kind.SIGNATURE:
        detail = f": {change.details}" if change.details else ""
        return f"the signature of {change.qualname}{alias} changed{commit}{detail}"
    if change.kind is Kind.BODY:
        return f"the body of {change.qualname}{alias} changed{commit}; check that the doc still describes what it does"
    return f"the docstring of {change.qualname}{alias} changed{commit}"


def _parameter_mention(reference: Reference, change: Change, docs: DocContext) -> tuple[int, int] | None:
    """Where the doc mentions a parameter the change affected (`qty=`, ``qty``, `:param qty:`), near the reference."""
    lines = docs.lines.get(reference.doc)
    names = [c.parameter for c in change.signature_changes if c.parameter]
    if not lines or not names or change.kind is not Kind.SIGNATURE:
        return None
    start, end = _section(reference.doc, reference.line, docs)
    low, high = max(start, reference.line - NEAR_LINES), min(end, reference.line + NEAR_LINES, len(lines))
    best: tuple[int, int, int] | None = None
    for name in dict.fromkeys(names):
        pattern = _mention_pattern(name)
        for number in range(low, high + 1):
            line = lines[number - 1]
            match = pattern.search(line) if name in line else None  # the substring test spares most searches
            if match and (best is None or abs(number - reference.line) < best[0]):
                best = (abs(number - reference.line), number, match.start("name") + 1)
    return (best[1], best[2]) if best else None


@lru_cache(maxsize=4096)
def _mention_pattern(name: str) -> re.Pattern[str]:
    """`qty=`, `` `qty` ``, ``` ``qty`` ```, `:param qty:` or `:param int qty:`."""
    return re.compile(rf"(?:\b|`+|:param(?:\s+[\w.\[\], ]+)?\s+)(?P<name>{re.escape(name)})(?:\s*=(?!=)|`+|:)")


def _moved(finding: Finding, line: int, column: int) -> Finding:
    return finding if (line, column) == (finding.line, finding.column) else replace(finding, line=line, column=column)


def _unique_sorted(findings: Iterable[Finding]) -> list[Finding]:
    unique = {f.sort_key: f for f in findings}
    return [unique[key] for key in sorted(unique)]
