"""A doc's Python code examples → the names they import and use and the calls they make (with `ast`)."""

from __future__ import annotations

from docsync.references.examples.analysis import UNPARSABLE, Examples, analyze_examples

__all__ = ["UNPARSABLE", "Examples", "analyze_examples"]
