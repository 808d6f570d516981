"""reStructuredText and Sphinx docs → DocScan, read line by line as docutils would (without docutils)."""

from __future__ import annotations

from docsync.references.rst.scan import MAX_DEPTH, scan_rst

__all__ = ["MAX_DEPTH", "scan_rst"]
