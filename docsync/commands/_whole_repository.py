"""`check` without `--base`: the whole repository as it is, against the lockfile or git history."""

from __future__ import annotations

from collections.abc import Sequence

from docsync.commands._common import broken_examples, calls_in, make_report, scans_of
from docsync.drift import check_examples
from docsync.findings import broken_example_findings, example_findings, unresolved_findings
from docsync.loader import WORKTREE
from docsync.models import Report
from docsync.resolve import resolve_references
from docsync.workspace import Workspace


def whole_repository_report(workspace: Workspace, head_rev: str | None, paths: Sequence[str]) -> Report:
    """Findings for the work tree (or `head_rev`): missing names, examples, and staleness."""
    loader, config = workspace.loader, workspace.config
    head = loader.snapshot(workspace.repo.resolve(head_rev) if head_rev else WORKTREE)
    scans = scans_of(workspace, head, paths)
    table = loader.table(head)
    doc_map = resolve_references((r for scan in scans.values() for r in scan.references), table)
    findings = unresolved_findings(doc_map.unresolved, config)
    findings += example_findings(check_examples(calls_in(scans.values()), table), config)
    findings += broken_example_findings(broken_examples(scans.values()), config)
    return make_report(None, head.label, doc_map, findings)
