"""MyST `{eval-rst}` blocks: the reStructuredText scanner run on their body, positions mapped to the doc."""

from __future__ import annotations

import re
from collections.abc import Sequence

from docsync.references.markdown.found import Found, Row
from docsync.references.rst import scan_rst
from docsync.references.sphinx import current_module

# Directives that change Sphinx's current module for the rest of the document.
_MODULE_LINE = re.compile(
    r"\s*\.\.[ \t]+(?:py:)?(?:currentmodule|module|automodule)[ \t]?::[ \t]*(?P<name>\S*)", re.IGNORECASE
)


def read_eval_rst(doc: str, module: str | None, rows: Sequence[Row], found: Found) -> str | None:
    """Scan an `{eval-rst}` body as reStructuredText in `module`; return the current module after it.

    Args:
        doc: the doc's path.
        module: the current module where the block starts (`{currentmodule}` before it), or None.
        rows: the body's lines, each the exact tail of its line in the text being scanned.
        found: where the findings go, at their positions in that text.
    """
    if not rows:
        return module
    # Sphinx parses the body in the document's environment: the current module applies inside.
    prelude = [f".. currentmodule:: {module}"] if module else []
    scan = scan_rst(doc, "\n".join([*prelude, *(text for text, _, _ in rows)]))
    blocks = [(block.origin[0].line, block.origin[0].column, block) for block in scan.blocks if block.origin]
    nested = Found(list(scan.references), blocks, [], list(scan.headings), list(scan.diagnostics), list(scan.ignores))
    # The prelude line names nothing; it stands in for the body's first line so the mapping stays total.
    found.add_nested(nested, [rows[0]] * len(prelude) + list(rows))
    return _module_after(rows, module)


def _module_after(rows: Sequence[Row], module: str | None) -> str | None:
    """The current module after a body that may set it (`.. currentmodule:: shop.testing`)."""
    for text, _, _ in rows:
        match = _MODULE_LINE.match(text)
        if match is not None:
            module = current_module(match["name"], module)
    return module
