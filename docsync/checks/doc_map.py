"""Every doc of a snapshot → the symbols its references name: what `map`, `coverage` and `accept` read."""

from __future__ import annotations

from collections.abc import Sequence

from docsync.loader import Snapshot
from docsync.models import DocMap
from docsync.progress import status
from docsync.resolve import resolve_references
from docsync.symbols.table import SymbolTable
from docsync.workspace import Workspace


def map_docs(
    workspace: Workspace,
    snapshot: Snapshot,
    docs: Sequence[str] | None = None,
    keep: bool = False,
    hidden: bool = False,
) -> tuple[DocMap, SymbolTable]:
    """The references of `docs` (default: every doc) resolved against the snapshot's table, and the table
    (`keep`: its bundle saved for later runs, as for a revision they start from). A reference a plain `ignore`
    marker hides is not shown nor counted as documentation, unless `hidden` (the lockfile records it: the check
    judges it, to tell whether the marker hides anything)."""
    stream = workspace.progress_stream
    with status("docsync: mapping references", stream):
        with status("docsync: scanning docs", stream):
            scans = workspace.docs.scans(snapshot, workspace.docs.paths(snapshot) if docs is None else docs)
        with status("docsync: building the symbol table", stream):
            table = workspace.loader.keep_table(snapshot) if keep else workspace.loader.table(snapshot)
        references = (r for s in scans.values() for r in s.references if hidden or all(i.kinds for i in r.ignored))
        with status("docsync: resolving references", stream):
            return resolve_references(references, table), table
