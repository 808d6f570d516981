"""`docsync map`: every doc → symbol reference found in the work tree."""

from __future__ import annotations

from typing import TextIO

from docsync.loader import WORKTREE
from docsync.render import json_v1, text
from docsync.resolve import DocMap, resolve_references
from docsync.workspace import Workspace


def build_map(workspace: Workspace, rev: str | None = None) -> DocMap:
    loader = workspace.loader
    snapshot = loader.snapshot(workspace.repo.resolve(rev) if rev else WORKTREE)
    scans = loader.scans(snapshot, loader.doc_paths(snapshot))
    return resolve_references(
        (r for scan in scans.values() for r in scan.references), loader.table(snapshot, remember=True)
    )


def map_command(workspace: Workspace, format: str, out: TextIO, rev: str | None = None) -> int:
    doc_map = build_map(workspace, rev)
    workspace.report_diagnostics()
    out.write(json_v1.render_map(doc_map) if format == "json" else text.render_map(doc_map))
    return 0
