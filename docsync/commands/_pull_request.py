"""`check --base` / `--staged`: the drift a change caused, judged between the merge-base and the head."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from docsync.affected import EVERYTHING, DocResolution, affected_by, resolutions
from docsync.commands._common import (
    broken_examples,
    calls_in,
    docs_of,
    make_report,
    renames_between,
)
from docsync.drift import check_examples, detect_drift, reference_key
from docsync.findings import DocContext, broken_example_findings, example_findings, make_findings, was_updated
from docsync.history import CommitFinder
from docsync.loader import STAGED, WORKTREE, Loader, Snapshot
from docsync.models import Change, DocScan, How, Kind, Reference, Report, Style, SymbolKind
from docsync.resolve import DocMap, resolve_references
from docsync.symbols.table import SymbolTable
from docsync.workspace import Workspace

Drift = tuple[Reference, Change, SymbolKind]


def pull_request_report(
    workspace: Workspace,
    base_rev: str | None,
    head_rev: str | None,
    staged: bool,
    paths: Sequence[str],
    proportional: bool = True,
) -> Report:
    """Findings for the docs a change (merge-base of `base_rev` to `head_rev`, or the index) left behind.

    `proportional` reads only the docs the change may touch (see `affected.py`); False reads them all,
    which must give the same report (the tests compare both).
    """
    repo, loader, config = workspace.repo, workspace.loader, workspace.config
    if staged and not repo.has_commits():
        return Report(
            base=None, head=STAGED, score=100.0, findings=(), docs=()
        )  # the first commit: nothing to drift from
    # The head is a commit, the index (None), or the work tree (`fix` rewrites what is on disk).
    on_disk = head_rev == WORKTREE
    head_commit = None if staged else (WORKTREE if on_disk else repo.resolve(head_rev or "HEAD"))
    base_commit = repo.resolve(base_rev or "HEAD")
    merge_base = base_commit if staged else repo.merge_base(base_commit, "HEAD" if on_disk else head_commit or "HEAD")
    base, head = loader.snapshot(merge_base), loader.snapshot(STAGED if head_commit is None else head_commit)
    base_table, head_table = loader.table(base, remember=True), loader.table(head)
    changed = repo.changed_paths(merge_base, head_commit)
    changed_paths = {path for c in changed for path in (c.old_path, c.new_path) if path}
    affected = affected_by(base_table, head_table, changed_paths) if proportional else EVERYTHING
    all_docs = docs_of(workspace, head, paths)
    # Only the docs the change may touch are read and resolved: the others resolve the same on both sides.
    known = _base_resolutions(loader, base, head, all_docs) if not affected.everything else {}
    names = loader.doc_names(head, all_docs) if not affected.everything else {}
    touched = [d for d in all_docs if d in changed_paths or affected.touches(names.get(d, ()), known.get(d))]
    scans = loader.scans(head, touched)
    references = [r for scan in scans.values() for r in scan.references]
    base_map, head_map = resolve_references(references, base_table), resolve_references(references, head_table)
    counts = _remember_resolutions(loader, (base, base_map), (head, head_map), scans, known)
    head_symbols = {reference_key(r): r.symbol or "" for r in head_map.references}
    for reference in base_map.references:
        if reference.lines is not None:  # `#L10-L20` was written against the base's lines: keep its symbol
            symbol = reference.symbol or ""
            head_symbols[reference_key(reference)] = symbol if symbol in head_table.symbols else ""
    renames = renames_between(loader, base, head, base_table, head_table, changed)
    head_names = {key: name for key, name in head_symbols.items() if name}
    drifts: list[Drift] = list(detect_drift(base_map.references, head_names, base_table, head_table, renames))
    if head_commit is not None:
        last = "HEAD" if on_disk else head_commit  # uncommitted changes have no commit to name
        drifts = _with_commits(drifts, CommitFinder(repo, loader, merge_base, last), base_table, head_table)
    changed_docs = [c.new_path for c in changed if c.new_path in scans]
    docs = DocContext(
        headings={doc: scan.headings for doc, scan in scans.items()},
        updated_lines=repo.changed_lines(merge_base, head_commit, changed_docs),
        lines=_doc_lines(loader, head, {r.doc for r, c, _ in drifts if c.kind is Kind.SIGNATURE}),
    )
    base_scans = loader.scans(base, [doc for doc in scans if doc in base.files])
    findings = make_findings(drifts, docs, config)
    findings += example_findings(
        check_examples(calls_in(scans.values()), head_table),
        config,
        known_before=check_examples(calls_in(base_scans.values()), base_table),
    )
    broken = [b for b in broken_examples(scans.values()) if was_updated(_at(b[0], b[1]), docs, config)]
    findings += broken_example_findings(broken, config)
    return make_report(merge_base, head.label, counts, findings)


def _base_resolutions(loader: Loader, base: Snapshot, head: Snapshot, docs: Sequence[str]) -> dict[str, DocResolution]:
    """What each doc (as it is at the head) resolves to at the base: cached, else resolved now against the
    base alone (a cold cache), so that only the docs the change touches are resolved on both sides."""
    table_key = loader.table_key(base)
    known = loader.resolutions(table_key, head, docs)
    unknown = loader.scans(head, [doc for doc in docs if doc not in known])
    if unknown:
        resolved = resolutions(unknown, loader.table(base))
        loader.put_resolutions(table_key, head, resolved)
        known.update(resolved)
    return known


def _remember_resolutions(
    loader: Loader,
    base: tuple[Snapshot, DocMap],
    head: tuple[Snapshot, DocMap],
    scans: Mapping[str, DocScan],
    untouched: Mapping[str, DocResolution],
) -> dict[str, int]:
    """Cache what the docs resolved to on both sides (the next check of a branch on this head is then warm)
    and return the references per doc at the base, which score the docs."""
    (base_snapshot, base_map), (head_snapshot, head_map) = base, head
    at_base = resolutions(scans, loader.table(base_snapshot), base_map)
    at_head = resolutions(scans, loader.table(head_snapshot), head_map)
    untouched = {doc: resolution for doc, resolution in untouched.items() if doc not in scans}
    loader.put_resolutions(loader.table_key(base_snapshot), head_snapshot, at_base)
    loader.put_resolutions(loader.table_key(head_snapshot), head_snapshot, at_head | untouched)
    return {doc: resolution.count for doc, resolution in (untouched | at_base).items() if resolution.count}


def _with_commits(drifts: list[Drift], finder: CommitFinder, base: SymbolTable, head: SymbolTable) -> list[Drift]:
    commits: dict[tuple[str, Kind], str | None] = {}
    result = []
    for reference, change, kind in drifts:
        key = (change.qualname, change.kind)
        if key not in commits:
            commits[key] = finder.commit_of(change, base, head)
        result.append((reference, replace(change, commit=commits[key]), kind))
    return result


def _doc_lines(loader: Loader, snapshot: Snapshot, docs: Iterable[str]) -> dict[str, list[str]]:
    """The text of the docs whose findings may point at a parameter's mention."""
    return {doc: loader.read(snapshot.files[doc]).decode("utf-8", "replace").splitlines() for doc in docs}


def _at(doc: str, line: int) -> Reference:
    return Reference(doc, line, 1, "", How.INFERRED, Style.CODE_BLOCK, "")
