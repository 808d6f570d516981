"""The pipelines: a change (`pull_request`), the whole repository (`whole_repository`), the score's trend
(`trend`) and what the HTML report adds (`details`). Each returns what it computed, so that a command that
goes on from a check (report, ci, fix) reuses its tables, scans and references instead of reading them again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from docsync.loader import Snapshot
from docsync.models import DocMap, DocResolution, DocScan, Finding, Report, Staleness
from docsync.progress import status
from docsync.symbols.table import SymbolTable
from docsync.workspace import Workspace


@dataclass(frozen=True, slots=True)
class Judged:
    """Some docs of one revision judged, before they are scored: what `score.make_report` takes, and what each
    doc resolved to (which the trend keeps from one commit to the next)."""

    label: str
    counts: Mapping[str, int]  # references per doc that count towards its score
    findings: tuple[Finding, ...]
    stale: tuple[Staleness, ...]
    resolutions: Mapping[str, DocResolution]


@dataclass(frozen=True, slots=True)
class Checked:
    """A check's report, and what it computed on the way at its head."""

    report: Report
    head: Snapshot
    table: SymbolTable | None  # the head's; None: a change that could touch no doc was told without one
    scans: Mapping[str, DocScan]  # the docs read at the head (all of them in whole-repository mode)
    doc_map: DocMap | None = None  # every doc's references resolved at the head (whole-repository mode)
    untraced: Judged | None = None  # whole-repository mode: the same docs judged without tracing missing names
    carried_from: str | None = None  # whole-repository mode: the commit the docs not read kept their judgement from


def run_check(workspace: Workspace, base: str | None, head: str | None, staged: bool, paths: Sequence[str]) -> Checked:
    """Pull-request mode with `base` (or `staged`), else the whole repository (`head`: a commit, or WORKTREE)."""
    # Once a phase has shown, the line stays until the check ends: the moments between phases are not silent.
    with status("docsync: checking", workspace.progress_stream):
        if base is not None or staged:
            from docsync.checks.pull_request import check_change

            return check_change(workspace, base, head, staged, paths)
        # Imported here: the pre-commit hook (--staged) never walks history, and its budget is 0.3 s.
        from docsync.checks.whole_repository import check_repository

        return check_repository(workspace, head, paths)
