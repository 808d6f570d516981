"""`docsync map`: every doc → symbol reference found in the work tree (or a commit)."""

from __future__ import annotations

from typing import TextIO

from docsync.checks.doc_map import map_docs
from docsync.loader import WORKTREE
from docsync.render import json_v1, text
from docsync.workspace import Workspace


def map_command(workspace: Workspace, format: str, out: TextIO, rev: str | None = None) -> int:
    snapshot = workspace.loader.snapshot(workspace.repo.resolve(rev) if rev else WORKTREE)
    doc_map, _ = map_docs(workspace, snapshot, keep=True)
    workspace.report_diagnostics()
    out.write(json_v1.render_map(doc_map) if format == "json" else text.render_map(doc_map))
    return 0
