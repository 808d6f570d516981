"""`docsync map`: every doc → symbol reference found in the work tree (or a commit)."""

from __future__ import annotations

from typing import TextIO

from docsync.checks.doc_map import map_docs
from docsync.loader import WORKTREE
from docsync.output import emit
from docsync.render import json_v1, text
from docsync.runlog import SILENT, RunLog
from docsync.workspace import Workspace


def map_command(
    workspace: Workspace,
    format: str,
    out: TextIO,
    rev: str | None = None,
    output: str | None = None,
    quiet: bool = False,
    log: RunLog = SILENT,
) -> int:
    """Print the map (or write it to `output`); `quiet`: the references alone, without the count."""
    started = log.start()
    snapshot = workspace.loader.snapshot(workspace.repo.resolve(rev) if rev else WORKTREE)
    doc_map, table = map_docs(workspace, snapshot, keep=True)
    log.done(
        started,
        f"mapped {rev or 'the work tree'}: {len(doc_map.by_doc())} docs with references, {len(table.modules)} "
        f"modules ({len(table.symbols)} symbols), {len(doc_map.references)} references resolved",
    )
    workspace.report_diagnostics()
    emit(json_v1.render_map(doc_map) if format == "json" else text.render_map(doc_map, not quiet), output, out)
    return 0
