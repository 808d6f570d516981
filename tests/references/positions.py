"""What every scanner's positions must satisfy: code lines and headings point into the doc's lines."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from docsync.models import CodeBlock, DocScan, Reference

Item = TypeVar("Item", Reference, CodeBlock)


def shown(items: Iterable[Item]) -> list[Item]:
    """The references or blocks no plain `ignore` marker hides (those stay in the scan, marked, to be judged)."""
    return [item for item in items if all(ignore.kinds for ignore in item.ignored)]


def assert_blocks_and_headings_in(scan: DocScan, lines: Sequence[str]) -> None:
    """Each line of each code block has an origin in `lines`; each heading is one of `lines`."""
    for block in scan.blocks:
        assert len(block.origin) == block.code.count("\n")
        for origin in block.origin:
            assert 1 <= origin.line <= len(lines)
            assert 0 <= origin.column <= len(lines[origin.line - 1])
    assert all(1 <= heading <= len(lines) for heading in scan.headings)
