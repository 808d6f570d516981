"""The warnings of one run, each kept once."""

from __future__ import annotations

from docsync.models import Diagnostic


class Diagnostics:
    """Warnings met during a run (files that do not parse, undecodable docs...), each kept once."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, int, str], Diagnostic] = {}

    def warn(self, diagnostic: Diagnostic) -> None:
        self._seen.setdefault((diagnostic.path, diagnostic.line, diagnostic.message), diagnostic)

    def sorted(self) -> tuple[Diagnostic, ...]:
        return tuple(sorted(self._seen.values(), key=lambda d: (d.path, d.line, d.message)))
