"""The exit codes, and the one decision every command makes with them: did this run fail?"""

from __future__ import annotations

from collections.abc import Iterable

from docsync.models import Finding, Severity
from docsync.score import below

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
# The shell's code for a process a signal ended is 128 + the signal's number: 130 for Ctrl-C (SIGINT, 2),
# 143 for SIGTERM, 129 for SIGHUP. docsync exits with it when it ends on such a signal.
EXIT_SIGNAL_BASE = 128


def exit_code(
    score: float, threshold: str | None, findings: Iterable[Finding] = (), fail_on: Severity | None = None
) -> int:
    """1 when a finding is at least as severe as `fail_on`, or `score` is below `threshold` (compared at the
    precision it was written with); else 0."""
    failing = fail_on is not None and any(f.severity.rank <= fail_on.rank for f in findings)
    return EXIT_FINDINGS if failing or (threshold is not None and below(score, threshold)) else EXIT_OK
