"""Changes × references × Config → Findings: the judge's verdicts, under the user's policy (severity per kind,
ignore lists, "updated in the same change"), worded by `wording.py`, deduplicated and sorted."""

from __future__ import annotations

import fnmatch
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from docsync.drift import ExampleProblem
from docsync.globs import PathMatcher
from docsync.judge import Mention, Use, Verdict, judge, use_of
from docsync.models import (
    Change,
    DocScan,
    Finding,
    How,
    Ignore,
    Kind,
    Reference,
    Severity,
    SignatureChange,
    Staleness,
    Style,
    SymbolKind,
    What,
)
from docsync.references.examples import UNPARSABLE
from docsync.references.history_pages import is_history_page
from docsync.settings import DEFAULT_SEVERITY, Config
from docsync.suppressions import hiding
from docsync.wording import change_message, example_message, stale_message, unresolved_message, written_message
from docsync.written import WrittenProblem

# How far from a reference a parameter the doc writes still counts as "near" (within its section).
NEAR_LINES = 12
_PARAMETER_CHANGES = frozenset(
    {What.PARAMETER_REMOVED, What.PARAMETER_RENAMED, What.PARAMETER_DEFAULT, What.PARAMETER_NOW_REQUIRED,
     What.PARAMETER_KIND}
)  # fmt: skip


@dataclass(frozen=True)
class DocContext:
    """What the policy needs to know about the docs: where sections start, what the change touched, the text,
    and which lines record history (see `references.history_pages`)."""

    headings: Mapping[str, Sequence[int]] = field(default_factory=dict)
    updated_lines: Mapping[str, frozenset[int]] = field(default_factory=dict)
    lines: Mapping[str, Sequence[str]] = field(default_factory=dict)
    past: Mapping[str, Sequence[tuple[int, int]]] = field(default_factory=dict)
    dated: frozenset[str] = frozenset()  # docs whose headings are versions or dates
    generated: frozenset[tuple[str, str | None]] = frozenset()  # (doc, symbol) of its generated API entries

    @classmethod
    def of(cls, scans: Mapping[str, DocScan], **more: Any) -> DocContext:
        """The context the scans give (headings, history), plus `updated_lines` or `lines` when known."""
        headings = {doc: scan.headings for doc, scan in scans.items()}
        past = {doc: scan.past for doc, scan in scans.items() if scan.past}
        dated = frozenset(doc for doc, scan in scans.items() if scan.dated)
        return cls(headings=headings, past=past, dated=dated, **more)


_GONE = (Kind.REMOVED, Kind.RENAMED)  # the written name no longer leads anywhere at the head
_NAME_WRONG = (Kind.REMOVED, Kind.DEPRECATED)  # what makes even `import shop` in an example wrong
# A doc that says the symbol is deprecated (within a few lines of the reference) knows already.
_SAYS_DEPRECATED = re.compile(r"deprecat", re.IGNORECASE)
_SAYS_WITHIN = 4


def make_findings(
    drifts: Iterable[tuple[Reference, Change, SymbolKind]], docs: DocContext, config: Config
) -> list[Finding]:
    """Pull-request mode: findings for references whose symbol changed, unless the doc was updated where it
    matters."""
    findings = []
    for reference, change, symbol_kind in drifts:
        if symbol_kind is SymbolKind.MODULE and reference.how is How.INFERRED and change.kind not in _NAME_WRONG:
            continue  # `import shop` in an example says nothing about what the module contains
        if was_updated(reference, docs, config) and change.kind not in _GONE:
            continue  # the author edited here with the change; but an edit cannot make a name that is gone right
        mentions = parameter_mentions(reference, change, docs)
        verdict = judge(use_of(reference), change, mentions, config.behaviour_changes == "all", reviewing=True)
        if verdict is not None:
            message = change_message(reference, change, verdict.kind, verdict.evidence)
            findings.append(finding_of(reference, verdict, message, change, config, docs))
    return _unique_sorted(f for f in findings if f is not None)


def stale_findings(stale: Iterable[Staleness], docs: DocContext, config: Config) -> list[Finding]:
    """Whole-repository mode: references that went stale (by history or against the lockfile), with their age."""
    return [finding for finding, _ in judge_stale(stale, docs, config)]


# Dates the signature changes a finding is about: the Staleness aged from the first of them, and each one's commit.
Dating = Callable[[Staleness, Sequence[SignatureChange]], tuple[Staleness, tuple[str | None, ...]]]


def judge_stale(
    stale: Iterable[Staleness], docs: DocContext, config: Config, dating: Dating | None = None
) -> list[tuple[Finding, Staleness]]:
    """`stale_findings`, each with its Staleness placed where the finding is (a finding about a parameter points
    at the doc's mention of it), so that the score ages the finding the doc shows; `dating` names the commit of
    each signature change the finding is about (not the first change after the doc was written)."""
    pairs: dict[tuple[str, int, int, str, str], tuple[Finding, Staleness]] = {}
    for item in stale:
        mentions = parameter_mentions(item.reference, item.change, docs)
        verdict = judge(use_of(item.reference), item.change, mentions, config.behaviour_changes == "all")
        if verdict is None:
            continue
        commits: tuple[str | None, ...] = ()
        if verdict.evidence and dating is not None:
            item, commits = dating(item, verdict.evidence)
        message = stale_message(item, verdict.kind, verdict.evidence, commits)
        finding = finding_of(item.reference, verdict, message, item.change, config, docs)
        if finding is not None:
            placed = replace(item.reference, line=finding.line, column=finding.column)
            if not _hides_one_shown(finding, pairs.get(finding.sort_key)):
                pairs[finding.sort_key] = (finding, replace(item, reference=placed))
    return [pairs[key] for key in sorted(pairs)]


def unresolved_findings(references: Iterable[Reference], docs: DocContext, config: Config) -> list[Finding]:
    """Whole-repository mode: names that resolve to nothing and that history gives no evidence of ever having
    existed. They are `unresolved` in `map`; a finding only when the `unresolved` setting asks for one."""
    if config.unresolved is None:
        return []
    findings = []
    for reference in references:
        kind = Kind.EXAMPLE if use_of(reference) is Use.CODE else Kind.REMOVED
        verdict = Verdict(kind, config.unresolved)
        message = unresolved_message(reference)
        findings.append(finding_of(reference, verdict, message, None, config, docs, policy=False))
    return _unique_sorted(f for f in findings if f is not None)


def example_findings(
    problems: Iterable[ExampleProblem],
    docs: DocContext,
    config: Config,
    known_before: Iterable[ExampleProblem] = (),
    reviewing: bool = False,
) -> list[Finding]:
    """Calls in examples that do not fit, or pass a deprecated parameter (a warning; an error from the change under
    review); in a pull request, only those the change caused."""
    before = {(p.call.doc, p.callee, p.call.positional, p.call.keywords, p.problem) for p in known_before}
    findings = []
    for problem in problems:
        call = problem.call
        if (call.doc, problem.callee, call.positional, call.keywords, problem.problem) in before:
            continue
        reference = Reference(
            call.doc, call.line, call.column, call.name, How.INFERRED, Style.CODE_BLOCK, call.name, ignored=call.ignored
        )
        message = example_message(problem.callee, problem.problem)
        deprecated = problem.kind is Kind.DEPRECATED
        if deprecated and _says_deprecated(reference, docs):
            continue  # the doc shows the old way on purpose, and says so
        verdict = Verdict(problem.kind, Severity.WARNING if deprecated and not reviewing else Severity.ERROR)
        findings.append(finding_of(reference, verdict, message, None, config, docs, symbol=problem.callee))
    return _unique_sorted(f for f in findings if f is not None)


def written_findings(
    problems: Iterable[WrittenProblem], docs: DocContext, config: Config, known_before: Iterable[WrittenProblem] = ()
) -> list[Finding]:
    """Signatures the docs write that the code no longer has; in a pull request, only those the change caused."""
    before: dict[tuple[object, ...], set[str]] = {}
    for known in known_before:
        before.setdefault(_written_key(known), set()).update(known.words)
    findings = []
    for problem in problems:
        # Only what the change made wrong: a clause that held at the base too was not this change's doing.
        new = problem.without(before.get(_written_key(problem), set()))
        if new is None:
            continue
        message = written_message(new.written, new.symbol, new.actual, new.words)
        verdict = Verdict(Kind.SIGNATURE, new.severity)
        findings.append(finding_of(new.reference, verdict, message, None, config, docs, symbol=new.symbol))
    return _unique_sorted(f for f in findings if f is not None)


def not_said(findings: Iterable[Finding], already: Iterable[Finding]) -> list[Finding]:
    """`findings` but those on a line where `already` has one about the same symbol: a written signature that
    a change made wrong is one finding (the change's, which names its commit), not two."""
    said = {(f.doc, f.line, f.symbol) for f in already}
    return [f for f in findings if (f.doc, f.line, f.symbol) not in said]


def _written_key(problem: WrittenProblem) -> tuple[object, ...]:
    return (problem.reference.doc, problem.symbol, problem.written)


# A code block marked as Python that does not parse: (doc, line, message, the ignore markers that cover the block).
Unparsable = tuple[str, int, str, tuple[Ignore, ...]]


def unparsable_blocks(scans: Iterable[DocScan]) -> list[Unparsable]:
    """Each code block marked as Python that does not parse."""
    return [
        (d.path, d.line, d.message, _block_ignores(s, d.line))
        for s in scans
        for d in s.diagnostics
        if d.message.startswith(UNPARSABLE)
    ]


def _block_ignores(scan: DocScan, line: int) -> tuple[Ignore, ...]:
    """The ignore markers of the code block that holds this line of the doc."""
    return next((b.ignored for b in scan.blocks if any(origin.line == line for origin in b.origin)), ())


def broken_example_findings(diagnostics: Iterable[Unparsable], docs: DocContext, config: Config) -> list[Finding]:
    """A block marked as Python that does not parse: an `info` note, so the author knows it is not checked."""
    findings = []
    for doc, line, message, ignored in diagnostics:
        reference = Reference(doc, line, 1, "", How.INFERRED, Style.CODE_BLOCK, "", ignored=ignored)
        verdict = Verdict(Kind.EXAMPLE, Severity.INFO)
        findings.append(finding_of(reference, verdict, message, None, config, docs, symbol="", policy=False))
    return _unique_sorted(f for f in findings if f is not None)


def generated_pages(references: Iterable[Reference]) -> frozenset[tuple[str, str | None]]:
    """(doc, symbol) of the API entries the docs generate (autodoc, mkdocstrings): such a page documents a
    deprecated symbol on purpose (and renders its deprecation), its other mentions of it with it."""
    return frozenset((r.doc, r.symbol) for r in references if use_of(r) is Use.GENERATED)


# The kinds whose judgement reads the doc's lines: parameter mentions, "deprecated" said nearby.
READ_LINES_FOR = (Kind.SIGNATURE, Kind.DEPRECATED)


def _still_right(reference: Reference, change: Change, verdict: Verdict, docs: DocContext) -> bool:
    """Whether what the doc writes stays right whatever the change: a bare name it never qualified, moved under the
    same name (pytest's ``tmpdir_factory``, now in a plugin class); a deprecated symbol on a page that generates its
    entry (the page documents it on purpose and renders the deprecation) or next to words saying it is deprecated."""
    if change.kind is Kind.RENAMED:
        written = reference.name.lstrip(".")
        moved_name = (change.new_qualname or "").rpartition(".")[2]
        return reference.how is How.INFERRED and "." not in written and moved_name == written
    if verdict.kind is Kind.DEPRECATED:
        # A page that generates the entry of a symbol still defined renders its deprecation; of a shim, it cannot.
        generated = (reference.doc, reference.symbol) in docs.generated and Kind.REMOVED not in change.parts
        return generated or _says_deprecated(reference, docs)
    return False


def was_updated(reference: Reference, docs: DocContext, config: Config) -> bool:
    """Whether the change touched the reference's section (or, with `updated-means = "file"`, its doc)."""
    touched = docs.updated_lines.get(reference.doc)
    if not touched:
        return False
    if config.updated_means == "file":
        return True
    start, end = _section(reference.doc, reference.line, docs)
    return any(start <= line <= end for line in touched)


def section_bounds(headings: Sequence[int], line: int) -> tuple[int, int]:
    """The first and last line of the section (the text under one heading) that holds `line`."""
    index = bisect_right(headings, line)
    return (headings[index - 1] if index else 1, headings[index] - 1 if index < len(headings) else 1 << 31)


def parameter_mentions(reference: Reference, change: Change, docs: DocContext) -> dict[str, Mention]:
    """The parameters the change affected that the doc writes in code context (`` `qty` ``, `` `qty=1` ``,
    `:param qty:`) in the reference's section, near it: the nearest of each. Prose words never count."""
    lines = docs.lines.get(reference.doc)
    names = {
        name
        for c in change.signature_changes
        if c.what in _PARAMETER_CHANGES
        for name in (c.old if c.what is What.PARAMETER_RENAMED else c.parameter,)
        if name
    }
    if not lines or not names:
        return {}
    start, end = _section(reference.doc, reference.line, docs)
    low, high = max(start, reference.line - NEAR_LINES), min(end, reference.line + NEAR_LINES, len(lines))
    found: dict[str, tuple[int, Mention]] = {}
    for number in range(low, high + 1):
        for mention in _mentions_in(lines[number - 1], number, names):
            distance = abs(number - reference.line)
            if mention.name not in found or distance < found[mention.name][0]:
                found[mention.name] = (distance, mention)
    return {name: mention for name, (_, mention) in found.items()}


_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_WHOLE_NAME = re.compile(r"\s*([A-Za-z_]\w*)\s*(?:=.*)?")
_KEYWORD = re.compile(r"[(,]\s*([A-Za-z_]\w*)\s*(?::[^=,)]*)?=")


def written_parameter_names(line: str) -> set[str]:
    """The names one doc line writes where a parameter would be, in code context: an inline code span that is a
    name (`` `qty` ``, `` `qty=1` ``), a keyword of a call or signature in one (`` `f(cart, qty=1)` ``), an RST
    field (`:param qty:`). The candidates for `parameter_mentions`, before knowing what changed."""
    if "`" not in line and ":" not in line:
        return set()
    names = {field.group(1) for field in _FIELD.finditer(line)}
    for span in _INLINE_CODE.finditer(line):
        content = span.group(2)
        whole = _WHOLE_NAME.fullmatch(content)
        if whole:
            names.add(whole.group(1))
        elif "(" in content:
            names.update(keyword.group(1) for keyword in _KEYWORD.finditer(content))
    return names


_FIELD = re.compile(r":(?:param|parameter|arg|argument|key|keyword|type)(?:\s+[^:`]+?)?\s+(\w+)\s*:")


def _mentions_in(line: str, number: int, names: set[str]) -> Iterator[Mention]:
    """The parameters of `names` that one doc line writes in code context: an inline code span that is the name
    (`` `qty` ``, `` `qty=1` ``) or a call or signature in which it is a keyword or parameter
    (`` `add_item(cart, qty=1)` ``), or an RST field (`:param qty:`)."""
    if not any(name in line for name in names):  # the substring test spares most lines
        return
    says_default = "default" in line.lower()
    for span in _INLINE_CODE.finditer(line):
        content, offset = span.group(2), span.start(2)
        for name in sorted(names):
            for mention in _in_code(content, offset, name, number):
                yield replace(mention, claims_default=says_default)
    for written in _FIELD.finditer(line):
        if written.group(1) in names:
            yield Mention(written.group(1), number, written.start(1) + 1)


def _in_code(content: str, offset: int, name: str, number: int) -> Iterator[Mention]:
    whole = re.fullmatch(rf"\s*({re.escape(name)})\s*(?:=\s*(.+?)\s*)?", content)
    if whole:
        yield Mention(name, number, offset + whole.start(1) + 1, whole.group(2))
        return
    if "(" not in content:
        return
    # A keyword in a call or a parameter of a written signature: `name=value`, `name: T = value`, `name: T`. A bare
    # `name` between commas is a positional argument (a variable of the same name), not the parameter.
    inner = re.search(rf"[(,]\s*({re.escape(name)})\s*(?::[^=,)]*|(?=\s*=))(?:=\s*([^,)]+?)\s*)?(?=[,)])", content)
    if inner:
        yield Mention(name, number, offset + inner.start(1) + 1, inner.group(2))


def _section(doc: str, line: int, docs: DocContext) -> tuple[int, int]:
    return section_bounds(docs.headings.get(doc, ()), line)


def finding_of(
    reference: Reference,
    verdict: Verdict,
    message: str,
    change: Change | None,
    config: Config,
    docs: DocContext,
    symbol: str | None = None,
    policy: bool = True,
) -> Finding | None:
    """The Finding, under the user's policy: a kind turned off, an ignored symbol or doc, a doc or block that
    records history, or a severity set for the kind (`policy`: whether the kind's severity setting applies; the
    table's severity stands otherwise); `ignored` names the doc's markers that hide it, if any."""
    configured = config.severity.get(verdict.kind)
    if configured is None or _ignored(reference, config, symbol) or in_history(reference, docs, config):
        return None
    if change is not None and _still_right(reference, change, verdict, docs):
        return None
    overridden = policy and configured is not DEFAULT_SEVERITY.get(verdict.kind)
    severity = configured if overridden else verdict.severity
    if symbol is None:
        symbol = change.qualname if change is not None else (reference.symbol or reference.name or reference.path or "")
    line, column = (
        (verdict.at.line, verdict.at.column) if verdict.at is not None else (reference.line, reference.column)
    )
    return Finding(
        doc=reference.doc,
        line=line,
        column=column,
        symbol=symbol,
        kind=verdict.kind,
        severity=severity,
        message=message,
        replacement=change.new_qualname if change is not None and change.kind in _REPLACED else None,
        commit=change.commit if change is not None else None,
        ignored=hiding(reference.ignored, verdict.kind),  # then judged, but not reported (see `suppressions`)
    )


_REPLACED = (Kind.RENAMED, Kind.DEPRECATED)  # the kinds whose `new_qualname` is what to write instead


def _says_deprecated(reference: Reference, docs: DocContext) -> bool:
    lines = docs.lines.get(reference.doc, ())
    nearby = lines[max(0, reference.line - 1 - _SAYS_WITHIN) : reference.line + _SAYS_WITHIN]
    return any(_SAYS_DEPRECATED.search(line) for line in nearby)


def in_history(reference: Reference, docs: DocContext, config: Config) -> bool:
    """Whether the reference is in a history page or block: named so (`changelog`, `release-notes`, ...), with
    headings that are versions, inside a `versionchanged` block, or set so by `history-docs`; `current-docs`
    says a page is not one (its version blocks still are)."""
    if any(first <= reference.line <= last for first, last in docs.past.get(reference.doc, ())):
        return True
    return is_history_page(reference.doc, reference.doc in docs.dated, config.history_docs, config.current_docs)


def _ignored(reference: Reference, config: Config, symbol: str | None) -> bool:
    names = [n for n in (symbol, reference.symbol, reference.name) if n]
    if any(fnmatch.fnmatchcase(n, pattern) for n in names for pattern in config.ignore_symbols):
        return True
    return bool(config.ignore_docs) and _doc_matcher(config.ignore_docs).matches(reference.doc)


@lru_cache(maxsize=16)
def _doc_matcher(patterns: tuple[str, ...]) -> PathMatcher:
    """One matcher per set of patterns, not one per reference."""
    return PathMatcher(patterns)


def _unique_sorted(findings: Iterable[Finding]) -> list[Finding]:
    unique: dict[tuple[str, int, int, str, str], Finding] = {}
    for finding in findings:
        if not _hides_one_shown(finding, unique.get(finding.sort_key)):
            unique[finding.sort_key] = finding
    return [unique[key] for key in sorted(unique)]


def _hides_one_shown(finding: Finding, same: Finding | tuple[Finding, Staleness] | None) -> bool:
    """Whether `finding`, which an ignore marker hides, would take the place of the same finding, shown: two
    references (one covered by a marker, one not) can lead to one place, the parameter the doc writes."""
    other = same[0] if isinstance(same, tuple) else same
    return bool(finding.ignored) and other is not None and not other.ignored
