"""The terminal output: a `path:line:col: kind: message` line per finding (as ruff prints), then a summary."""

from __future__ import annotations

from docsync.models import Finding, Report, Severity
from docsync.render.uses import same_use_key
from docsync.resolve import DocMap

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def render(report: Report, color: bool = False, summary: bool = True) -> str:
    """The findings, grouped by doc, then (unless `summary` is off: `--quiet`) the stalest docs and the summary."""
    lines: list[str] = []
    first_use: dict[tuple[str, str, str, str], int] = {}  # a use said already in this doc: its line
    for finding in report.findings:
        if lines and not lines[-1].startswith(finding.doc + ":"):
            lines.append("")  # one group per doc
        said_at = first_use.setdefault(same_use_key(finding), finding.line)
        lines.append(_finding_line(finding, color, None if said_at == finding.line else said_at))
    lines += _unused_ignores(report, bool(lines))
    if not summary:
        return "".join(line + "\n" for line in lines)
    lines += _stalest(report)
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _unused_ignores(report: Report, after: bool) -> list[str]:
    """With `--report-unused-ignores`: `path:line:col: unused-ignore: `marker` suppresses nothing` (ruff's RUF100)."""
    unused = [
        f"{i.doc}:{i.line}:{i.column}: unused-ignore: `{i.marker}` suppresses nothing"
        for i in report.unused_ignores or ()
    ]
    return ["", *unused] if unused and after else unused


def _stalest(report: Report, count: int = 5) -> list[str]:
    """The docs stale the longest (whole-repository mode knows their age)."""
    aged = sorted((d for d in report.docs if d.days_stale > 0), key=lambda d: (-d.days_stale, d.path))[:count]
    if not aged:
        return []
    rows = [
        f"  {d.path}: stale for {int(d.days_stale)} days ({d.commits_stale} commits), score {d.score:.1f}" for d in aged
    ]
    return ["", "Stalest docs:", *rows, ""]


def _finding_line(finding: Finding, color: bool, said_at: int | None = None) -> str:
    """`path:line:col: kind: message`; another use of what line `said_at` said in full, shortly."""
    location = f"{finding.doc}:{finding.line}:{finding.column}:"
    kind = f"{finding.kind.value}:"
    if color:
        location = f"{_BOLD}{location}{_RESET}"
        kind = f"{_COLORS[finding.severity]}{kind}{_RESET}"
    message = finding.message if said_at is None else f"{finding.symbol} again (as at line {said_at})"
    return f"{location} {kind} {message}"


def summary_line(report: Report) -> str:
    """`3 findings (2 errors, 1 warning) in 2 docs; freshness score 93.4/100` (and the unused ignore markers)."""
    unused = f"; {_plural(len(report.unused_ignores), 'unused ignore marker')}" if report.unused_ignores else ""
    if not report.findings:
        return f"All {len(report.docs)} docs with references are fresh; freshness score {report.score:.1f}/100{unused}"
    counts = []
    for severity in Severity:
        count = sum(1 for f in report.findings if f.severity is severity)
        if count:
            counts.append(_plural(count, severity.value))
    docs = len({f.doc for f in report.findings})
    findings = _plural(len(report.findings), "finding")
    return f"{findings} ({', '.join(counts)}) in {_plural(docs, 'doc')}; freshness score {report.score:.1f}/100{unused}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def render_map(doc_map: DocMap, summary: bool = True) -> str:
    """A line per reference, then (unless `summary` is off: `--quiet`) how many resolved."""
    lines = [
        f"{r.doc}:{r.line}:{r.column}: {r.symbol} ({r.style.value}, {r.how.value}) {r.text}" for r in doc_map.references
    ]
    lines += [f"{r.doc}:{r.line}:{r.column}: unresolved {r.text}" for r in doc_map.unresolved]
    if not summary:
        return "".join(line + "\n" for line in lines)
    resolved, docs = _plural(len(doc_map.references), "reference"), _plural(len(doc_map.by_doc()), "doc")
    lines.append(f"{resolved} resolved in {docs}, {len(doc_map.unresolved)} unresolved")
    return "\n".join(lines) + "\n"
