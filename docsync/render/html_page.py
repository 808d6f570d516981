"""The HTML report: one self-contained page (inline CSS, a little inline JS, an inline SVG chart), escaped."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import jinja2

from docsync.models import Finding, FindingDetail, Kind, RichReport, Severity, TrendPoint

_TEMPLATES = Path(__file__).resolve().parent / "templates"

# Findings a reader sees without a click (issue 16 item 8: 470 findings, all open, made a 204,213 px page). A report
# this small opens whole; a larger one opens its docs with errors if they fit, else only the worst doc.
OPEN_FINDINGS_BUDGET = 25

# The chart's box and margins: the y axis' score ticks sit left of the plot, dates and short shas below it.
_CHART_WIDTH, _CHART_HEIGHT = 640, 200
_PLOT_LEFT, _PLOT_RIGHT, _PLOT_TOP, _PLOT_BOTTOM = 40, 600, 12, 158
# Room for one x label ("2023-11-14" is ~62 px at 11 px): labels this far apart never overlap.
_X_LABEL_SPACING = 96


@dataclass(frozen=True, slots=True)
class DocSection:
    """One doc's findings, collapsed under a summary line: its path, counts by severity and score."""

    path: str
    anchor: str
    details: tuple[FindingDetail, ...]
    counts: dict[str, int]  # severity value -> findings
    score: float | None  # None: the doc is not in the report's table
    open: bool


@dataclass(frozen=True, slots=True)
class ChartPoint:
    x: float
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class AxisLabel:
    position: float  # y of a score tick, x of a commit
    text: str
    detail: str = ""  # the short sha under a commit's date


@dataclass(frozen=True, slots=True)
class Chart:
    points: tuple[ChartPoint, ...]
    y_labels: tuple[AxisLabel, ...]  # top (100) first
    x_labels: tuple[AxisLabel, ...]  # oldest first
    width: int = _CHART_WIDTH
    height: int = _CHART_HEIGHT
    left: int = _PLOT_LEFT
    right: int = _PLOT_RIGHT
    top: int = _PLOT_TOP
    bottom: int = _PLOT_BOTTOM


def render(rich: RichReport) -> str:
    """The page as text; everything that came from the repository is escaped by jinja2's autoescape."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,  # doc text, code, names and commit messages are untrusted
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    template = environment.get_template("report.html.j2")
    report = rich.report
    sections = doc_sections(rich)
    return template.render(
        rich=rich,
        report=report,
        counts=_severity_counts(report.findings),
        kinds=[(kind.value, n) for kind in Kind if (n := sum(1 for f in report.findings if f.kind is kind))],
        sections=sections,
        section_of={section.path: section for section in sections},
        band=_band(report.score),
        chart=_chart(rich.trend),
        file_link=lambda path, line: _file_link(rich, path, line),
        commit_link=lambda sha: _commit_link(rich, sha),
        anchor=_anchor,
    )


def _band(score: float) -> str:
    """A colour class for a score: the thresholds are the usual coverage ones."""
    return "good" if score >= 90 else "fair" if score >= 70 else "poor"


def _severity_counts(findings: Sequence[Finding]) -> dict[str, int]:
    return {s.value: sum(1 for f in findings if f.severity is s) for s in Severity}


def doc_sections(rich: RichReport) -> tuple[DocSection, ...]:
    """The findings grouped by doc, worst doc first (most errors, then warnings, then infos, then lowest score),
    and which of them open by default: every doc when the report fits OPEN_FINDINGS_BUDGET, else the docs with
    errors when they fit it, else only the worst doc."""
    by_doc: dict[str, list[FindingDetail]] = {}
    for detail in rich.details:
        by_doc.setdefault(detail.finding.doc, []).append(detail)
    scores = {doc.path: doc.score for doc in rich.report.docs}
    counts = {path: _severity_counts([d.finding for d in details]) for path, details in by_doc.items()}
    ranked = sorted(by_doc, key=lambda path: _worst_first(path, counts[path], scores.get(path)))
    with_errors = [path for path in ranked if counts[path]["error"]]
    if len(rich.details) <= OPEN_FINDINGS_BUDGET:
        opened = set(ranked)
    elif with_errors and sum(len(by_doc[path]) for path in with_errors) <= OPEN_FINDINGS_BUDGET:
        opened = set(with_errors)
    else:
        opened = set(ranked[:1])
    return tuple(
        DocSection(path, _doc_anchor(path), tuple(by_doc[path]), counts[path], scores.get(path), path in opened)
        for path in ranked
    )


def _worst_first(path: str, counts: dict[str, int], score: float | None) -> tuple[int, int, int, float, str]:
    return (-counts["error"], -counts["warning"], -counts["info"], 100.0 if score is None else score, path)


def chart_floor(trend: tuple[TrendPoint, ...]) -> int:
    """The bottom of the chart's scale: 0, or closer to the scores when they all sit high (a flat line at the
    top of a 0-100 scale hides every change). Always a multiple of 10, and the axis says it."""
    lowest = min((point.score for point in trend), default=0.0)
    return max(0, int(lowest // 10) * 10 - 10)


def y_ticks(floor: int) -> tuple[int, ...]:
    """The scores the y axis labels, from `floor` up to 100: three to six ticks at round steps."""
    span = 100 - floor
    step = 20 if span >= 60 else 10 if span >= 30 else 5
    return tuple(range(floor, 101, step))


def x_label_indices(points: int, most: int) -> tuple[int, ...]:
    """Which of `points` commits get a label when at most `most` fit across: evenly spread, both ends included,
    any two at least `ceil((points - 1) / (most - 1))` points apart, so that labels never overlap."""
    if points <= most:
        return tuple(range(points))
    stride = -(-(points - 1) // (most - 1))
    labels = 1 + (points - 1) // stride
    return tuple(round(i * (points - 1) / (labels - 1)) for i in range(labels))


def _chart(trend: tuple[TrendPoint, ...]) -> Chart | None:
    if not trend:
        return None
    floor = chart_floor(trend)

    def y_of(score: float) -> float:
        return round(_PLOT_TOP + (_PLOT_BOTTOM - _PLOT_TOP) * (100 - score) / (100 - floor), 1)

    step = (_PLOT_RIGHT - _PLOT_LEFT) / max(1, len(trend) - 1)
    xs = [round(_PLOT_LEFT + index * step, 1) for index in range(len(trend))]
    points = tuple(
        ChartPoint(x, y_of(point.score), f"{_date(point)} {point.commit[:7]}: {point.score:.1f}")
        for x, point in zip(xs, trend, strict=True)
    )
    most = (_PLOT_RIGHT - _PLOT_LEFT) // _X_LABEL_SPACING
    return Chart(
        points=points,
        y_labels=tuple(AxisLabel(y_of(value), str(value)) for value in reversed(y_ticks(floor))),
        x_labels=tuple(
            AxisLabel(xs[i], _date(trend[i]), trend[i].commit[:7]) for i in x_label_indices(len(trend), most)
        ),
    )


def _date(point: TrendPoint) -> str:
    """The commit's day in UTC: the same report renders to the same bytes on every machine."""
    return datetime.fromtimestamp(point.time, timezone.utc).strftime("%Y-%m-%d")


def _file_link(rich: RichReport, path: str, line: int) -> str | None:
    if rich.hosting is None or rich.commit is None:
        return None
    return rich.hosting.file_url.format(sha=rich.commit, path=quote(path), line=line)


def _commit_link(rich: RichReport, sha: str | None) -> str | None:
    if rich.hosting is None or not sha:
        return None
    return rich.hosting.commit_url.format(sha=quote(sha))


def _anchor(finding: Finding) -> str:
    """A stable id (`hash()` is salted per process: the same report must render to the same bytes)."""
    key = f"{finding.doc}\0{finding.line}\0{finding.column}\0{finding.kind.value}\0{finding.symbol}"
    return "f-" + _digest(key)


def _doc_anchor(path: str) -> str:
    return "doc-" + _digest(path)


def _digest(key: str) -> str:
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()
