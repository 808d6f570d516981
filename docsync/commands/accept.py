"""`docsync accept [DOC...]`: record that docs were reviewed against the code as it is now (`.docsync.lock`)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TextIO

from docsync.checks.doc_map import map_docs
from docsync.errors import UsageError
from docsync.loader import WORKTREE
from docsync.lockfile import LOCK_NAME, Lock, doc_path_problem, update_lock, with_docs
from docsync.models import Diagnostic, Fingerprint
from docsync.symbols.names_only import UNKNOWN
from docsync.workspace import Workspace


def accept_command(workspace: Workspace, docs: Sequence[str], out: TextIO, quiet: bool = False) -> int:
    """Stamp the given docs (all docs without arguments) into the lockfile, atomically; `quiet`: say nothing."""
    accepted = accepted_fingerprints(workspace, docs)

    def accept(lock: Lock | None) -> Lock:
        # Accepting everything also forgets docs that no longer exist; accepting some leaves the rest alone.
        gone = [doc for doc in (lock.docs if lock else {}) if doc not in accepted] if not docs else []
        return with_docs(lock, accepted, gone)

    update_lock(workspace.repo.root, workspace.repo.git_dir, accept)
    workspace.report_diagnostics()
    if quiet:
        return 0
    symbols = sum(len(entries) for entries in accepted.values())
    noun = "doc" if len(accepted) == 1 else "docs"
    out.write(f"Accepted {len(accepted)} {noun} ({symbols} symbol references) into {LOCK_NAME}\n")
    return 0


def accepted_fingerprints(workspace: Workspace, docs: Sequence[str]) -> dict[str, dict[str, Fingerprint]]:
    """For each doc, the current fingerprint of every symbol it references."""
    snapshot = workspace.loader.snapshot(WORKTREE)
    known = workspace.docs.paths(snapshot)
    unknown = [doc for doc in docs if doc not in known]
    gone = [doc for doc in unknown if not os.path.lexists(workspace.repo.root / doc)]
    if gone:
        raise UsageError(f"{gone[0]}: no such file in the work tree", "check the DOC arguments")
    if unknown:
        raise UsageError(
            f"not a doc docsync scans: {unknown[0]}", "pass a doc path, or widen `docs` in the configuration"
        )
    targets = [doc for doc in list(docs) or list(known) if _recordable(workspace, doc)]
    doc_map, table = map_docs(workspace, snapshot, targets, hidden=True)
    accepted: dict[str, dict[str, Fingerprint]] = {doc: {} for doc in targets}
    for reference in doc_map.references:
        fingerprint = table.symbols[reference.symbol].fingerprint if reference.symbol is not None else UNKNOWN
        if reference.symbol is not None and fingerprint != UNKNOWN:  # a file that does not parse: nothing to record
            accepted[reference.doc][reference.symbol] = fingerprint
    return accepted


def _recordable(workspace: Workspace, doc: str) -> bool:
    """Whether `doc` can sit in the lockfile (a name that is not UTF-8 cannot); if not, a warning skips it."""
    problem = doc_path_problem(doc)
    if problem is not None:
        message = f"cannot be recorded in {LOCK_NAME} ({problem}); not accepted: rename the file"
        workspace.loader.diagnostics.warn(Diagnostic(doc, 0, message))
    return problem is None
