"""Fixtures the checks' tests share."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from docsync.doc_scans import DocScans
from docsync.loader import Snapshot


@pytest.fixture
def docs_read(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The docs any `DocScans.scans` call read (the real method still runs)."""
    read: set[str] = set()
    original = DocScans.scans

    def spy(self: DocScans, snapshot: Snapshot, docs: Sequence[str], *args: object, **kwargs: object) -> object:
        read.update(docs)
        return original(self, snapshot, docs, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(DocScans, "scans", spy)
    return read
