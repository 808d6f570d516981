"""`docsync fix [--dry-run]`: rewrite references to renamed symbols, and nothing else, byte for byte."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from docsync.checks import Checked, run_check
from docsync.loader import WORKTREE
from docsync.lockfile import Lock, update_lock, with_docs
from docsync.models import Finding, Kind, Reference
from docsync.resolve import resolve
from docsync.rewrite import Edit, apply_edits, rename_edit, unified_diff
from docsync.workspace import Workspace
from docsync.writing import replace_file


def fix_command(workspace: Workspace, base: str | None, dry_run: bool, out: TextIO) -> int:
    """Rewrite every `renamed` finding's reference; exit 1 when some could not be rewritten mechanically."""
    # Against the files on disk, so that a second run sees the first one's work.
    checked = run_check(workspace, base, WORKTREE if base else None, False, ())
    renamed = [f for f in checked.report.findings if f.kind is Kind.RENAMED and f.replacement]
    edits, manual = _edits(checked, renamed)
    changed: dict[str, bytes] = {}
    for doc in sorted(edits):
        before = (workspace.repo.root / doc).read_bytes()
        result = apply_edits(before, edits[doc])
        manual += [f"{doc}:{edit.line}:{edit.column}: {why}" for edit, why in result.skipped]
        if result.applied:
            changed[doc] = result.data
            out.write(unified_diff(doc, before, result.data) if dry_run else "")
    if not dry_run:
        for doc, data in changed.items():
            replace_file(workspace.repo.root / doc, data)
        _reaccept(workspace, checked, renamed, sorted(changed))
    workspace.report_diagnostics()
    for line in manual:
        out.write(f"not fixed: {line}\n")
    verb = "Would rewrite" if dry_run else "Rewrote"
    count = sum(len(edits[doc]) for doc in changed)
    out.write(
        f"{verb} {count} reference{'s' if count != 1 else ''} in {len(changed)} doc{'s' if len(changed) != 1 else ''}"
    )
    out.write(f"; {len(manual)} left to edit by hand\n" if manual else "\n")
    return 1 if manual else 0


def _edits(checked: Checked, renamed: Sequence[Finding]) -> tuple[dict[str, list[Edit]], list[str]]:
    """The edit for each renamed reference, found by position in the docs the check read on disk."""
    table = checked.table
    at = {(r.doc, r.line, r.column): r for scan in checked.scans.values() for r in scan.references}
    edits: dict[str, list[Edit]] = {}
    manual: list[str] = []
    for finding in renamed:
        reference = at.get((finding.doc, finding.line, finding.column))
        if reference is None or finding.replacement is None:
            manual.append(f"{finding.doc}:{finding.line}:{finding.column}: the reference moved since the check")
            continue

        def resolves_to(name: str, reference: Reference = reference) -> str | None:
            return resolve(
                Reference(reference.doc, 1, 1, name, reference.how, reference.style, name, reference.context), table
            )[0]

        edit = rename_edit(reference, finding.symbol, finding.replacement, resolves_to)
        if edit is None:
            continue
        if isinstance(edit, str):
            manual.append(f"{finding.doc}:{finding.line}:{finding.column}: {edit}")
        else:
            edits.setdefault(finding.doc, []).append(edit)
    return edits, manual


def _reaccept(workspace: Workspace, checked: Checked, renamed: Sequence[Finding], docs: Sequence[str]) -> None:
    """Re-accept what `fix` rewrote: in the lockfile, each rewritten doc now names the new symbols.

    Only the renamed entries change: any other drift of the doc stays visible until a human accepts it.
    """
    table = checked.table

    def reaccept(lock: Lock | None) -> Lock | None:
        if lock is None:
            return None
        accepted = {}
        for doc in docs:
            if doc not in lock.docs:
                continue
            entries = dict(lock.docs[doc])
            for finding in renamed:
                new = finding.replacement or ""
                if finding.doc == doc and new in table.symbols and finding.symbol in entries:
                    del entries[finding.symbol]
                    entries[new] = table.symbols[new].fingerprint
            accepted[doc] = entries
        return with_docs(lock, accepted) if accepted else None

    update_lock(workspace.repo.root, workspace.repo.git_dir, reaccept)
