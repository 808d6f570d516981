"""`docsync fix [--dry-run]`: rewrite references to renamed symbols, and nothing else, byte for byte."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from docsync.checks import Checked, run_check
from docsync.errors import DocsyncError
from docsync.example_imports import ImportFixes, import_fixes, is_module_move, public_spellings
from docsync.gitrepo import outside_the_repository
from docsync.loader import WORKTREE
from docsync.lockfile import Lock, update_lock, with_docs
from docsync.models import CODE_STYLES, Diagnostic, Finding, Kind, Reference
from docsync.resolve import resolve
from docsync.rewrite import Edit, apply_edits, rename_edit, unified_diff
from docsync.runlog import SILENT, RunLog, what_was_checked
from docsync.symbols.names_only import UNKNOWN
from docsync.symbols.table import SymbolTable
from docsync.workspace import Workspace
from docsync.writing import write_file

_REWRITTEN = (Kind.RENAMED, Kind.DEPRECATED)  # what has a name to write instead


def fix_command(
    workspace: Workspace, base: str | None, dry_run: bool, out: TextIO, quiet: bool = False, log: RunLog = SILENT
) -> int:
    """Rewrite every `renamed` finding's reference, and every `deprecated` one's whose replacement is known; exit 1
    when some could not be rewritten mechanically, and under `dry_run` also when something would be rewritten (as
    `ruff --diff` does: a CI step fails until the fix is applied). `quiet`: no count line."""
    # Against the files on disk, so that a second run sees the first one's work.
    started = log.start()
    checked = run_check(workspace, base, WORKTREE if base else None, False, ())
    log.done(started, what_was_checked(checked))
    renamed = [f for f in checked.report.findings if f.kind in _REWRITTEN and f.replacement]
    edits, manual = _edits(checked, renamed)
    files = _files(workspace, sorted(edits))
    changed: dict[str, bytes] = {}
    for doc, (real, _) in files.items():
        before = _read(real, doc)
        result = apply_edits(before, edits[doc])
        manual += [f"{doc}:{edit.line}:{edit.column}: {why}" for edit, why in result.skipped]
        if result.applied:
            changed[doc] = result.data
            out.write(unified_diff(doc, before, result.data) if dry_run else "")
    if not dry_run:
        root = workspace.repo.root
        for doc, data in changed.items():
            hint = f"check that you may write {doc} and its folder"
            write_file(files[doc][0], data, hint, shown=doc, within=root)
        _reaccept(workspace, checked, renamed, sorted(name for doc in changed for name in files[doc][1]))
    workspace.report_diagnostics()
    for line in manual:
        out.write(f"not fixed: {line}\n")
    if not quiet:
        verb = "Would rewrite" if dry_run else "Rewrote"
        count = sum(len(edits[doc]) for doc in changed)
        references, docs = f"reference{'s' if count != 1 else ''}", f"doc{'s' if len(changed) != 1 else ''}"
        out.write(f"{verb} {count} {references} in {len(changed)} {docs}")
        out.write(f"; {len(manual)} left to edit by hand\n" if manual else "\n")
    return 1 if manual or (dry_run and changed) else 0


def _files(workspace: Workspace, docs: Sequence[str]) -> dict[str, tuple[Path, list[str]]]:
    """The files to rewrite, each under one of its docs' names: its real path (symlinks followed, so that a
    link stays a link and its target is what changes) and every doc that is that file (a link and its target
    have the same references: rewritten once). Docs that resolve outside the repository are skipped with a
    warning: nothing outside the work tree is read or written (issue 13)."""
    root = workspace.repo.root
    names: dict[Path, list[str]] = {}
    for doc in docs:
        real = Path(os.path.realpath(root / doc))
        if real.is_relative_to(root):
            names.setdefault(real, []).append(doc)
        else:
            workspace.loader.diagnostics.warn(Diagnostic(doc, 0, outside_the_repository(real)))
    files = {}
    for real, same in names.items():
        same.sort(key=lambda doc: (root / doc != real, doc))  # the file's own name, rather than a link's
        files[same[0]] = (real, same)
    return dict(sorted(files.items()))


def _read(real: Path, doc: str) -> bytes:
    try:
        return real.read_bytes()
    except OSError as error:
        raise DocsyncError(f"cannot read {doc}: {error.strerror or error}", f"check that you may read {doc}") from None


def _table(checked: Checked) -> SymbolTable:
    """The head's table: fix's checks read the work tree, whose table is always built (only a change between
    commits or to the index that touches no doc is told without one)."""
    if checked.table is None:
        raise AssertionError("fix's check has a table")
    return checked.table


def _edits(checked: Checked, renamed: Sequence[Finding]) -> tuple[dict[str, list[Edit]], list[str]]:
    """The edit for each renamed reference, found by position in the docs the check read on disk."""
    table = _table(checked)
    at = {(r.doc, r.line, r.column): r for scan in checked.scans.values() for r in scan.references}
    edits: dict[str, list[Edit]] = {}
    manual: list[str] = []
    imports = _import_fixes(checked, renamed, at)
    for doc, fixes in imports.items():
        edits.setdefault(doc, []).extend(fixes.edits)
        manual += [f"{doc}:{line}: {why}" for line, why in fixes.manual]
    for finding in renamed:
        reference = at.get((finding.doc, finding.line, finding.column))
        if reference is None and finding.replacement and _is_command_line(finding.symbol):
            # A command line's word: the finding stands on it (`apply_edits` checks that it still reads so).
            old = finding.symbol.rpartition(" ")[2]
            edits.setdefault(finding.doc, []).append(Edit(finding.line, finding.column, old, finding.replacement))
            continue
        if reference is None or finding.replacement is None:
            manual.append(f"{finding.doc}:{finding.line}:{finding.column}: the reference moved since the check")
            continue
        if _fixed_by_import(reference, imports.get(finding.doc)):
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


def _is_command_line(symbol: str) -> bool:
    """A command-line finding's symbol (`tool build --old`, `--old`): Python names hold no space and no dash."""
    return " " in symbol or symbol.startswith("-")


def _import_fixes(
    checked: Checked, renamed: Sequence[Finding], at: Mapping[tuple[str, int, int], Reference]
) -> dict[str, ImportFixes]:
    """Per doc, the edits to its examples' imports of symbols that moved to another module under the same name."""
    moves: dict[str, dict[str, str]] = {}
    for finding in renamed:
        reference = at.get((finding.doc, finding.line, finding.column))
        new = finding.replacement
        if reference is not None and reference.style in CODE_STYLES and new and is_module_move(finding.symbol, new):
            # By the name the example imports: `from sqlalchemy.ext.declarative import declarative_base` names the
            # symbol defined in `sqlalchemy.ext.declarative.api` through a re-export.
            moves.setdefault(finding.doc, {})[reference.name] = new
    if not moves:
        return {}
    spelled = public_spellings(_table(checked), {new for moved in moves.values() for new in moved.values()})
    return {
        doc: import_fixes(checked.scans[doc].blocks, {old: spelled[new] for old, new in moved.items()})
        for doc, moved in moves.items()
    }


def _fixed_by_import(reference: Reference, fixes: ImportFixes | None) -> bool:
    """Whether an example's use of a moved name is right once the import the doc rewrites is: `Response(...)` below
    `from starlette.response import Response`, not `starlette.response.Response(...)` spelled in full."""
    in_code = reference.style in CODE_STYLES
    return in_code and fixes is not None and reference.name in fixes.fixed and reference.text != reference.name


def _reaccept(workspace: Workspace, checked: Checked, renamed: Sequence[Finding], docs: Sequence[str]) -> None:
    """Re-accept what `fix` rewrote: in the lockfile, each rewritten doc now names the new symbols.

    Only the renamed entries change: any other drift of the doc stays visible until a human accepts it.
    """
    table = _table(checked)

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
                    if table.symbols[new].fingerprint != UNKNOWN:  # a file that does not parse: nothing to record
                        entries[new] = table.symbols[new].fingerprint
            accepted[doc] = entries
        return with_docs(lock, accepted) if accepted else None

    update_lock(workspace.repo.root, workspace.repo.git_dir, reaccept)
