"""The HTML report: one self-contained page (inline CSS, a little inline JS, an inline SVG chart), escaped."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2

from docsync.models import Finding, RichReport, Severity, TrendPoint

_TEMPLATES = Path(__file__).resolve().parent / "templates"
_CHART_WIDTH, _CHART_HEIGHT, _CHART_PAD = 640, 180, 28


@dataclass(frozen=True, slots=True)
class ChartPoint:
    x: float
    y: float
    label: str


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
    return template.render(
        rich=rich,
        report=report,
        counts={s.value: sum(1 for f in report.findings if f.severity is s) for s in Severity},
        band=_band(report.score),
        chart=_chart(rich.trend),
        chart_floor=chart_floor(rich.trend),
        chart_size=(_CHART_WIDTH, _CHART_HEIGHT, _CHART_PAD),
        file_link=lambda path, line: _file_link(rich, path, line),
        commit_link=lambda sha: _commit_link(rich, sha),
        anchor=_anchor,
    )


def _band(score: float) -> str:
    """A colour class for a score: the thresholds are the usual coverage ones."""
    return "good" if score >= 90 else "fair" if score >= 70 else "poor"


def chart_floor(trend: tuple[TrendPoint, ...]) -> int:
    """The bottom of the chart's scale: 0, or closer to the scores when they all sit high (a flat line at the
    top of a 0-100 scale hides every change). Always a multiple of 10, and the axis says it."""
    lowest = min((point.score for point in trend), default=0.0)
    return max(0, int(lowest // 10) * 10 - 10)


def _chart(trend: tuple[TrendPoint, ...]) -> tuple[ChartPoint, ...]:
    if not trend:
        return ()
    floor = chart_floor(trend)
    inner_width = _CHART_WIDTH - 2 * _CHART_PAD
    inner_height = _CHART_HEIGHT - 2 * _CHART_PAD
    step = inner_width / max(1, len(trend) - 1)
    return tuple(
        ChartPoint(
            x=round(_CHART_PAD + index * step, 1),
            y=round(_CHART_PAD + inner_height * (100 - point.score) / (100 - floor), 1),
            label=f"{point.commit[:7]}: {point.score:.1f}",
        )
        for index, point in enumerate(trend)
    )


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
    return "f-" + hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()
