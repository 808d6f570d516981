"""What every scanner's positions must satisfy: code lines and headings point into the doc's lines."""

from __future__ import annotations

from collections.abc import Sequence

from docsync.models import DocScan


def assert_blocks_and_headings_in(scan: DocScan, lines: Sequence[str]) -> None:
    """Each line of each code block has an origin in `lines`; each heading is one of `lines`."""
    for block in scan.blocks:
        assert len(block.origin) == block.code.count("\n")
        for origin in block.origin:
            assert 1 <= origin.line <= len(lines)
            assert 0 <= origin.column <= len(lines[origin.line - 1])
    assert all(1 <= heading <= len(lines) for heading in scan.headings)
