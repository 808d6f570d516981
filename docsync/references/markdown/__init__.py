"""Markdown docs (CommonMark, mkdocstrings, MyST) → DocScan, read with markdown-it-py."""

from __future__ import annotations

from docsync.references.markdown.scan import MAX_DEPTH, scan_markdown

__all__ = ["MAX_DEPTH", "scan_markdown"]
