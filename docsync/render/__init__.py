"""Renderers: one pure function per format, from records to text."""

from __future__ import annotations

from docsync.models import Report
from docsync.render import json_v1, text

REPORT_FORMATS = ("text", "json")


def render_report(report: Report, format: str, color: bool = False) -> str:
    if format == "json":
        return json_v1.render(report)
    return text.render(report, color=color)
