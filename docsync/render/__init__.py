"""Renderers: one pure function per format, from records to text."""

from __future__ import annotations

from docsync.models import Report

CHECK_FORMATS = ("text", "json", "markdown", "github", "sarif", "junit")


def render_report(report: Report, format: str, color: bool = False) -> str:
    """The report in one of CHECK_FORMATS (the HTML page is `html_page.render`, from a RichReport)."""
    if format == "json":
        from docsync.render import json_v1

        return json_v1.render(report)
    if format == "sarif":
        from docsync.render import sarif

        return sarif.render(report)
    if format == "junit":
        from docsync.render import junit

        return junit.render(report)
    if format == "github":
        from docsync.render import github

        return github.render(report)
    if format == "markdown":
        from docsync.render import markdown

        return markdown.render(report, limit=markdown.SUMMARY_LIMIT)
    from docsync.render import text

    return text.render(report, color=color)
