"""`docsync fix [--dry-run]`: rewrite references to renamed symbols, and nothing else, byte for byte."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from docsync.commands.check import CheckOptions, build_report
from docsync.errors import DocsyncError
from docsync.loader import WORKTREE
from docsync.lockfile import read_lock, with_docs, write_lock
from docsync.models import Finding, Kind, Reference
from docsync.resolve import resolve
from docsync.rewrite import Edit, apply_edits, rename_edit, unified_diff
from docsync.workspace import Workspace


def fix_command(workspace: Workspace, base: str | None, dry_run: bool, out: TextIO) -> int:
    """Rewrite every `renamed` finding's reference; exit 1 when some could not be rewritten mechanically."""
    # Against the files on disk, so that a second run sees the first one's work.
    report = build_report(workspace, CheckOptions(base=base, head=WORKTREE if base else None))
    renamed = [f for f in report.findings if f.kind is Kind.RENAMED and f.replacement]
    edits, manual = _edits(workspace, renamed)
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
            _write_atomically(workspace.repo.root / doc, data)
        _reaccept(workspace, renamed, sorted(changed))
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


def _edits(workspace: Workspace, renamed: Sequence[Finding]) -> tuple[dict[str, list[Edit]], list[str]]:
    """The edit for each renamed reference, found by position in the work tree's docs."""
    loader = workspace.loader
    snapshot = loader.snapshot(WORKTREE)
    table = loader.table(snapshot)
    scans = loader.scans(snapshot, sorted({f.doc for f in renamed} & set(loader.doc_paths(snapshot))))
    at = {(r.doc, r.line, r.column): r for scan in scans.values() for r in scan.references}
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


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace the file in one step, keeping its permissions; a failure leaves the old file whole."""
    mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".docsync")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise DocsyncError(f"cannot write {path.name}: {error.strerror}", "check the file's permissions") from None
        raise


def _reaccept(workspace: Workspace, renamed: Sequence[Finding], docs: Sequence[str]) -> None:
    """Re-accept what `fix` rewrote: in the lockfile, each rewritten doc now names the new symbols.

    Only the renamed entries change: any other drift of the doc stays visible until a human accepts it.
    """
    lock = read_lock(workspace.repo.root)
    if lock is None:
        return
    table = workspace.loader.table(workspace.loader.snapshot(WORKTREE))
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
    if accepted:
        write_lock(workspace.repo.root, with_docs(lock, accepted))
