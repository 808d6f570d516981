"""The Markdown report for pull-request comments and the GitHub step summary, kept within a size limit in bytes."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from docsync.models import DocScore, Finding, Report, Severity
from docsync.render.uses import grouped_uses

COMMENT_LIMIT = 65_536  # GitHub's maximum issue-comment body, in characters
SUMMARY_LIMIT = 1024 * 1024  # GitHub's maximum $GITHUB_STEP_SUMMARY size, in bytes
DEFAULT_DETAILS_HINT = "run `docsync check` for all of them"
# A longer cell helps nobody in a table, and one hostile message must not crowd out every other finding.
CELL_CHARS = 2_000
ELLIPSIS = "…"
ALREADY_STALE_TITLE = "Already stale on the base branch (not caused by this change)"

_FINDINGS_HEAD = "| | Doc | Line | Kind | Symbol | What happened |\n|---|---|--:|---|---|---|\n"
_DOCS_HEAD = "| Doc | Score | References | Stale |"
_MARKER = re.compile(r"<!--(?:(?!-->)[^\r\n])*-->")
_TICKS = re.compile(r"`+")
# `_` between two letters or digits can never open or close emphasis: leave `remove_item` readable.
_LONE_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")


def _escapes() -> dict[int, str]:
    """Untrusted text → one line of inert text: no HTML, no Markdown markup, no table cell or line break."""
    table = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029], " ")
    # Bidirectional controls could make a doc path read as another one (Trojan Source).
    table.update(
        dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), "\ufffd")
    )
    table.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"})
    # Numeric references, not backslashes: CommonMark reads a decoded reference as plain text, in any context.
    table.update({ord(char): f"&#{ord(char)};" for char in "|\\`*[]~$"})
    return table


_CODE_ESCAPES = _escapes()
# Outside code, a zero-width space after `@` keeps GitHub from notifying a user (`decorator added: @app.route`).
_TEXT_ESCAPES = {**_CODE_ESCAPES, ord("@"): "@&#8203;"}


def render(
    report: Report,
    limit: int = COMMENT_LIMIT,
    details_hint: str | None = None,
    marker: str | None = None,
    already_stale: Sequence[Finding] = (),
) -> str:
    """The report as GitHub-flavoured Markdown of at most `limit` UTF-8 bytes.

    Args:
        report: the findings this change caused (only they count as failing) and the doc scores.
        limit: the cap in bytes; rows are dropped from the end (already-stale ones, then per-doc scores,
            then the least severe findings) and a line says how many are not shown.
        details_hint: trusted Markdown saying where the rest can be found.
        marker: an HTML comment to put on the first line, by which the PR-comment code finds its comment.
        already_stale: findings that existed before the change, listed apart in a collapsed section.

    Raises:
        ValueError: the marker is not a one-line HTML comment, or `limit` cannot hold even the heading and one row.
    """
    if marker is not None and not _MARKER.fullmatch(marker):
        raise ValueError(f"the marker must be a one-line HTML comment, not {marker!r}")
    hint = DEFAULT_DETAILS_HINT if details_hint is None else details_hint
    findings = _by_severity(report.findings)
    uses = grouped_uses(findings)  # one row per symbol's uses in a doc that the same words describe
    top = _top(report, len(already_stale), marker)
    sections = [
        _findings_section(uses, hint),
        _docs_section(report.docs, findings),
        _already_stale_section(_by_severity(already_stale), hint),
    ]
    budget = limit - _bytes(top)
    counts = _fit(sections, budget)
    if _size(sections, counts) > budget and findings:
        row_budget = budget - _size(sections, counts) + sections[0].prefix[1]
        sections[0] = _section((_shortest_row(*uses[0], row_budget),), sections[0].frame)
    text = top + "".join(
        "\n" + section.text(count) for section, count in zip(sections, counts, strict=True) if section.rows
    )
    if _bytes(text) > limit:
        raise ValueError(f"a limit of {limit} bytes cannot hold even the heading and one finding")
    return text


def _by_severity(findings: Sequence[Finding]) -> list[Finding]:
    """Most severe first, then by doc and position; the message breaks the last ties, for identical bytes."""
    return sorted(findings, key=lambda f: (f.severity.rank, f.sort_key, f.message, f.replacement or ""))


def _top(report: Report, already_stale: int, marker: str | None) -> str:
    """The heading and the one-line summary: score and counts by severity."""
    docs = len({finding.doc for finding in report.findings})
    if report.findings:
        heading, counted = f"{_plural(docs, 'doc')} drifted", f"{_plural(len(report.findings), 'finding')}: "
        counted += ", ".join(_count(n, severity) for severity in Severity if (n := _tally(report.findings, severity)))
    else:
        heading, counted = "no new drift" if already_stale else "all docs are fresh", "no findings"
    line = f"Freshness score **{report.score:.1f}**/100 · {counted}"
    if already_stale:
        line += f" · {already_stale} already stale on the base branch"
    return (f"{marker}\n" if marker else "") + f"### docsync: {heading}\n\n{line}\n"


@dataclass(frozen=True)
class _Section:
    """A block whose first `k` rows are shown; `frame(k)` is the text before and after them."""

    rows: tuple[str, ...]
    frame: Callable[[int], tuple[str, str]]
    prefix: tuple[int, ...]  # prefix[k]: the bytes of the first k rows
    floor: int  # the fewest rows to keep: a findings table keeps its first row, shortened if need be

    def text(self, k: int) -> str:
        before, after = self.frame(k)
        return before + "".join(self.rows[:k]) + after

    def size(self, k: int) -> int:
        before, after = self.frame(k)
        return _bytes(before) + self.prefix[k] + _bytes(after)


def _section(rows: Sequence[str], frame: Callable[[int], tuple[str, str]], floor: int = 0) -> _Section:
    return _Section(tuple(rows), frame, (0, *accumulate(_bytes(row) for row in rows)), min(floor, len(rows)))


def _size(sections: Sequence[_Section], counts: Sequence[int]) -> int:
    """The bytes of the shown sections, each after a blank line."""
    return sum(section.size(count) + 1 for section, count in zip(sections, counts, strict=True) if section.rows)


def _fit(sections: Sequence[_Section], budget: int) -> list[int]:
    """How many rows of each section fit in `budget` bytes, cutting the last section first."""
    counts = [len(section.rows) for section in sections]
    for index in reversed(range(len(sections))):
        overflow = _size(sections, counts) - budget
        if overflow <= 0:
            break
        if sections[index].rows:
            counts[index] = _most_rows(sections[index], sections[index].size(counts[index]) - overflow)
    return counts


def _most_rows(section: _Section, budget: int) -> int:
    """The most rows, fewer than all but at least `floor`, whose block fits in `budget` bytes."""
    low, high = section.floor, len(section.rows) - 1
    while low < high:  # the size grows with k: a row outweighs the digits its count line saves
        middle = (low + high + 1) // 2
        low, high = (middle, high) if section.size(middle) <= budget else (low, middle - 1)
    return low


def _shortest_row(finding: Finding, lines: tuple[int, ...], budget: int) -> str:
    """The finding's row with its text cells cut short enough to fit in `budget` bytes (if any cut can)."""
    low, high = 0, CELL_CHARS
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if _bytes(_finding_row(finding, middle, lines)) <= budget else (low, middle - 1)
    return _finding_row(finding, low, lines)


def _findings_section(uses: Sequence[tuple[Finding, tuple[int, ...]]], hint: str) -> _Section:
    """A row per group of uses (see `grouped_uses`); the rows not shown are counted as findings, by severity."""
    ranks = [finding.severity.rank for finding, lines in uses for _ in lines]
    rows_before = list(accumulate((len(lines) for _, lines in uses), initial=0))  # findings in the first k rows

    def frame(shown: int) -> tuple[str, str]:
        if shown == len(uses):
            return _FINDINGS_HEAD, ""
        start = rows_before[shown]
        left = [bisect_right(ranks, s.rank, lo=start) - bisect_left(ranks, s.rank, lo=start) for s in Severity]
        counts = ", ".join(_count(n, severity) for n, severity in zip(left, Severity, strict=True))
        more = _plural(len(ranks) - start, "more finding")
        return _FINDINGS_HEAD, f"\n…and {more} ({counts}) not shown: {hint}.\n"

    return _section([_finding_row(finding, CELL_CHARS, lines) for finding, lines in uses], frame, floor=1)


def _docs_section(docs: Sequence[DocScore], findings: Sequence[Finding]) -> _Section:
    """Score, references and staleness of the docs with findings, lowest score first."""
    drifted = {finding.doc for finding in findings}
    shown = sorted((doc for doc in docs if doc.path in drifted), key=lambda doc: (doc.score, doc.path))
    aged = any(doc.days_stale > 0 for doc in shown)
    head = _DOCS_HEAD + (" Stale for |\n|---|--:|--:|--:|---|\n" if aged else "\n|---|--:|--:|--:|\n")

    def frame(kept: int) -> tuple[str, str]:
        if kept == len(shown):
            return head, ""
        if kept:
            return head, f"\n…and {_plural(len(shown) - kept, 'more doc')} not shown.\n"
        return "", f"Scores of {_plural(len(shown), 'doc')} not shown, to stay within the size limit.\n"

    return _section([_doc_row(doc, aged) for doc in shown], frame)


def _already_stale_section(findings: Sequence[Finding], hint: str) -> _Section:
    """The findings the change did not cause, collapsed."""
    summary = f"<details>\n<summary>{ALREADY_STALE_TITLE}: {_plural(len(findings), 'finding')}</summary>\n\n"

    def frame(shown: int) -> tuple[str, str]:
        if shown == len(findings):
            return summary + _FINDINGS_HEAD, "\n</details>\n"
        if shown:
            more = _plural(len(findings) - shown, "more finding")
            return summary + _FINDINGS_HEAD, f"\n…and {more} not shown: {hint}.\n\n</details>\n"
        return summary, f"Too many to list here: {hint}.\n\n</details>\n"

    return _section([_finding_row(finding) for finding in findings], frame)


def _finding_row(finding: Finding, chars: int = CELL_CHARS, lines: tuple[int, ...] = ()) -> str:
    """`| error | doc | 3 | renamed | symbol | message → new |`, each text cell cut to `chars` characters; `lines`:
    every line where the doc uses the symbol so (`3, 17, 42`)."""
    what = _prose(_cut(finding.message, chars))
    if finding.replacement:
        what += f" → {_code(_cut(finding.replacement, chars))}"
    symbol = _code(_cut(finding.symbol, chars))
    cells = (
        finding.severity.value,
        _text(_cut(finding.doc, chars)),
        ", ".join(map(str, lines)) if lines else str(finding.line),
        finding.kind.value,
        symbol,
        what,
    )
    return "| " + " | ".join(cells) + " |\n"


def _doc_row(doc: DocScore, aged: bool) -> str:
    cells = [_text(_cut(doc.path, CELL_CHARS)), f"{doc.score:.1f}", str(doc.references), str(doc.stale)]
    if aged:
        cells.append(_stale_for(doc))
    return "| " + " | ".join(cells) + " |\n"


def _stale_for(doc: DocScore) -> str:
    """`400 days (120 commits)`; empty for a doc whose staleness has no age."""
    if doc.days_stale <= 0:
        return ""
    age = _plural(int(doc.days_stale), "day") if doc.days_stale >= 1 else "under a day"
    return age + (f" ({_plural(doc.commits_stale, 'commit')})" if doc.commits_stale else "")


def _cut(value: str, chars: int) -> str:
    value = value.replace("\r\n", "\n")
    return value if len(value) <= chars else value[:chars] + ELLIPSIS


def _text(value: str) -> str:
    return _LONE_UNDERSCORE.sub("&#95;", value.translate(_TEXT_ESCAPES))


def _code(value: str) -> str:
    # An HTML element rather than backticks: no backtick run can close it, and it decodes the references inside.
    return f"<code>{_LONE_UNDERSCORE.sub('&#95;', value.translate(_CODE_ESCAPES))}</code>"


def _prose(value: str) -> str:
    """Untrusted text whose backtick code spans (findings.py words messages with them) are shown as code."""
    parts, position = [], 0
    while (opener := _TICKS.search(value, position)) is not None:
        parts.append(_text(value[position : opener.start()]))
        closer = next((run for run in _TICKS.finditer(value, opener.end()) if run[0] == opener[0]), None)
        if closer is None:  # an unmatched run is literal backticks, as in CommonMark
            parts.append(_text(opener[0]))
            position = opener.end()
        else:
            parts.append(_code(_strip_one_space(value[opener.end() : closer.start()])))
            position = closer.end()
    parts.append(_text(value[position:]))
    return "".join(parts)


def _strip_one_space(code: str) -> str:
    """CommonMark drops one space on each side of a code span that has both, so `` `` ` `` `` can show a backtick."""
    if len(code) >= 2 and code[0] == code[-1] == " " and code.strip(" "):
        return code[1:-1]
    return code


def _tally(findings: Sequence[Finding], severity: Severity) -> int:
    return sum(1 for finding in findings if finding.severity is severity)


def _count(count: int, severity: Severity) -> str:
    return f"{count} {severity.value}" + ("" if count == 1 or severity is Severity.INFO else "s")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _bytes(text: str) -> int:
    return len(text.encode("utf-8"))
