"""A doc naming something that no longer exists → when it went, and where (the whole-repository mode's tracing).

Walks the history of the module the name lived in (one path-limited `git log` for all such modules),
finds the commit that removed it, and judges that commit the way a pull request is judged (renames
included).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from docsync.gitrepo import CommitFiles, GitRepo
from docsync.history.staleness import DAY
from docsync.loader import Loader
from docsync.models import Change, Kind, Reference, Staleness, SymbolKind
from docsync.renames import renames_between
from docsync.symbols.table import SymbolTable

# Each traced commit builds two symbol tables; beyond this many the rest stay plain `removed`.
MAX_TRACED_COMMITS = 12


def trace_missing(
    repo: GitRepo, loader: Loader, head: str, references: Iterable[Reference], table: SymbolTable
) -> list[Staleness]:
    """For each reference to a missing name whose module still exists: its removal or rename, with age."""
    candidates = [(reference, _candidate(reference, table)) for reference in references]
    modules = {name: _module_prefix(name, table) or "" for _, name in candidates if name is not None}
    paths = sorted({table.symbols[module].path for module in modules.values()})
    if not paths:
        return []
    head_time = repo.commit_time(head)
    order = {sha: index for index, sha in enumerate(repo.revisions(head))}
    log = repo.path_log(head, paths)  # newest first; one git call, however many modules lost a name
    verdicts: dict[str, tuple[Change, int] | None] = {}
    traced: list[Staleness] = []
    for reference, name in candidates:
        if name is None:
            continue
        if name not in verdicts:
            budget_left = sum(v is not None for v in verdicts.values()) < MAX_TRACED_COMMITS
            verdicts[name] = _trace(repo, loader, log, name, modules[name], table) if budget_left else None
        verdict = verdicts[name]
        if verdict is not None:
            change, time = verdict
            days = max(0.0, (head_time - time) / DAY)
            traced.append(Staleness(reference, change, time, days, order.get(change.commit or "", 0)))
    return traced


def _candidate(reference: Reference, table: SymbolTable) -> str | None:
    """The full name the reference means, when its module exists today (`shop.cart` of `shop.cart.gone`)."""
    name = reference.name.lstrip(".")
    context = reference.context or ""
    prefixes = [context.rsplit(".", drop)[0] for drop in range(context.count(".") + 1)] if context else []
    for candidate in [name, *(f"{prefix}.{name}" for prefix in prefixes)]:
        if _module_prefix(candidate, table) is not None:
            return candidate
    return None


def _module_prefix(name: str, table: SymbolTable) -> str | None:
    parts = name.split(".")
    for end in range(len(parts) - 1, 0, -1):
        symbol = table.symbols.get(".".join(parts[:end]))
        if symbol is not None and symbol.kind is SymbolKind.MODULE:
            return symbol.qualname
    return None


def _trace(
    repo: GitRepo, loader: Loader, log: Sequence[CommitFiles], name: str, module: str, table: SymbolTable
) -> tuple[Change, int] | None:
    path = table.symbols[module].path
    local = name[len(module) + 1 :]
    newer = None
    for commit in (c for c in log if path in c.blobs):  # newest first
        blob = commit.blobs[path]
        if blob is not None and any(s.name == local for s in loader.module(path, blob).symbols):
            return (_judge_removal(repo, loader, newer.sha, name, table), newer.time) if newer else None
        newer = commit
    return None


def _judge_removal(repo: GitRepo, loader: Loader, commit: str, name: str, table: SymbolTable) -> Change:
    """What `commit` did to `name`: a rename to a name that still exists, or a removal."""
    parent = repo.resolve(f"{commit}^")
    before, after = loader.snapshot(parent), loader.snapshot(commit)
    before_table, after_table = loader.table(before), loader.table(after)
    changed = [(c.old_path, c.new_path) for c in repo.changed_paths(parent, commit)]
    renames = renames_between(
        before_table,
        after_table,
        changed,
        lambda path: loader.read(before.files[path]),
        lambda path: loader.read(after.files[path]),
    )
    rename = renames.get(name)
    if rename is not None and rename.new is not None:
        if table.target(rename.new) is not None:
            return Change(name, Kind.RENAMED, rename.new, commit, "")
        return Change(name, Kind.REMOVED, None, commit, f"it became {rename.new}, which is gone too")
    candidates = rename.candidates if rename is not None else ()
    details = f"it may have become {' or '.join(candidates)}" if candidates else ""
    return Change(name, Kind.REMOVED, None, commit, details)
