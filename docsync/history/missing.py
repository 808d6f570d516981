"""A doc naming something that no longer exists → the evidence that it existed, when it went, and where.

A name is only `removed` (or `renamed`) when history shows the project had it: defined or imported (a re-export)
in an old version of its module, or as a module file of its own (`_pytest/pdb.py`), in either layout of a module
(`routing.py` or `routing/__init__.py`). One path-limited `git log` reads the history of every place for all the
missing names; the commit that removed a name is then judged the way a pull request is judged (renames included).
A name with no such evidence is `unresolved`: a typo, another project's, or one the docs declare themselves.
"""

from __future__ import annotations

import posixpath
import sys
from collections.abc import Iterable, Sequence

from docsync.cache import code_digest
from docsync.gitrepo import CommitFiles, GitRepo
from docsync.history.staleness import DAY
from docsync.history.store import OldVersions
from docsync.loader import Loader
from docsync.models import Change, Kind, Reference, Staleness, SymbolKind
from docsync.renames import Rename, renames_between
from docsync.symbols.extract import ModuleSymbols
from docsync.symbols.table import SymbolTable

RENAMES_NAMESPACE = f"removal-renames/1/py{sys.version_info[0]}{sys.version_info[1]}"  # see `_rename_in`
# Each traced commit builds two symbol tables; beyond this many the rest are `removed` (with their commit) unjudged.
MAX_TRACED_COMMITS = 12

Place = tuple[str, str]  # (a file path, the name relative to the module there; "" for the module itself)


def trace_missing(
    store: OldVersions, loader: Loader, head: str, references: Iterable[Reference], table: SymbolTable
) -> list[Staleness]:
    """For each reference to a missing name that history shows existed: its removal or rename, with age."""
    repo = store.repo
    candidates = [(reference, _candidate(reference, table)) for reference in references]
    head_sha = repo.resolve(head)
    moves = _moves(store, head_sha, {_module_path(name, table) for _, name in candidates if name is not None})
    places = {name: _with_moves(_places(name, table), moves) for _, name in candidates if name is not None}
    paths = sorted({path for where in places.values() for path, _ in where})
    if not paths:
        return []
    head_time = repo.commit_time(head)
    order = {sha: index for index, sha in enumerate(repo.revisions(head))}
    log = store.path_log(head_sha, paths)  # newest first; one git call, however many names went missing
    verdicts: dict[str, tuple[Change, int] | None] = {}
    judged = 0
    traced: list[Staleness] = []
    for reference, name in candidates:
        if name is None:
            continue
        if name not in verdicts:
            removal = _removal(loader, log, places[name])
            if removal is not None and judged < MAX_TRACED_COMMITS:
                judged += 1
                verdicts[name] = (_judge_removal(repo, loader, removal.sha, name, table), removal.time)
            elif removal is not None:
                verdicts[name] = (Change(name, Kind.REMOVED, None, removal.sha, ""), removal.time)
            else:
                verdicts[name] = None
        verdict = verdicts[name]
        if verdict is not None:
            change, time = verdict
            days = max(0.0, (head_time - time) / DAY)
            traced.append(Staleness(reference, change, time, days, order.get(change.commit or "", 0)))
    return traced


def _candidate(reference: Reference, table: SymbolTable) -> str | None:
    """The full name the reference means, when a module of it exists today (`shop.cart` of `shop.cart.gone`)."""
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


def _places(name: str, table: SymbolTable) -> list[Place]:
    """Where `name` would have lived: in its nearest existing module's file (either layout), or in a module file
    of its own below it (`pkg/gone.py` or `pkg/gone/__init__.py` for `pkg.gone` or `pkg.gone.func`)."""
    module = _module_prefix(name, table)
    if module is None:
        return []
    path = table.symbols[module].path
    rest = name[len(module) + 1 :].split(".")
    package = posixpath.dirname(path) if path.endswith("/__init__.py") else path[: -len(".py")]
    places = [(p, ".".join(rest)) for p in _layouts(path)]
    for end in range(1, len(rest) + 1):
        folder = posixpath.join(package, *rest[:end])
        places += [(f"{folder}.py", ".".join(rest[end:])), (f"{folder}/__init__.py", ".".join(rest[end:]))]
    return places


def _module_path(name: str, table: SymbolTable) -> str:
    module = _module_prefix(name, table)
    return table.symbols[module].path if module is not None else ""


def _moves(store: OldVersions, head: str, module_paths: Iterable[str]) -> list[tuple[str, str]]:
    """(new prefix, old prefix) of the folders these modules' files were moved from (`src/_pytest/` was
    `_pytest/`): a name that went before the move lived under the old folder."""
    moves: set[tuple[str, str]] = set()
    paths = sorted(p for p in module_paths if p)
    added: dict[str, str] = {}  # path -> the oldest commit that touched it (the log is newest first)
    for commit in store.path_log(head, paths) if paths else []:
        added.update(dict.fromkeys(commit.blobs, commit.sha))
    for path in paths:
        source = store.rename_source(added[path], path) if path in added else None
        if source is None:
            continue
        common = 0
        while common < min(len(path), len(source)) and path[-1 - common] == source[-1 - common]:
            common += 1
        tail = path[len(path) - common :]
        if "/" in tail:  # the same file name under another folder
            tail = tail[tail.index("/") :]
            moves.add((path[: len(path) - len(tail)] + "/", source[: len(source) - len(tail)] + "/"))
    return sorted(moves)


def _with_moves(places: list[Place], moves: Sequence[tuple[str, str]]) -> list[Place]:
    moved = [(old + path[len(new) :], local) for path, local in places for new, old in moves if path.startswith(new)]
    return places + moved


def _layouts(path: str) -> list[str]:
    """A module's file in both layouts: `pkg/mod.py` and `pkg/mod/__init__.py`."""
    if path.endswith("/__init__.py"):
        return [path, posixpath.dirname(path) + ".py"]
    return [path, path[: -len(".py")] + "/__init__.py"]


def _removal(loader: Loader, log: Sequence[CommitFiles], places: Sequence[Place]) -> CommitFiles | None:
    """The commit that took the name away: in the place where it lived last, the change after the newest version
    that had it (None: history never had it, or its file still has it)."""
    found: CommitFiles | None = None
    for path, local in places:
        newer: CommitFiles | None = None
        for commit in (c for c in log if path in c.blobs):  # newest first: this file's versions
            blob = commit.blobs[path]
            if blob is not None and _has(loader.module(path, blob), local):
                if newer is not None and (found is None or newer.time > found.time):
                    found = newer
                break
            newer = commit
    return found


def _has(module: ModuleSymbols, local: str) -> bool:
    """Whether a module version defines `local`, or binds it with an import (a re-export); "" is the module."""
    if not local or any(symbol.name == local for symbol in module.symbols):
        return True
    return "." not in local and any(imported.alias == local for imported in module.imports)


def _judge_removal(repo: GitRepo, loader: Loader, commit: str, name: str, table: SymbolTable) -> Change:
    """What `commit` did to `name`: a rename to a name that still exists, or a removal."""
    rename = _rename_in(repo, loader, commit, name)
    if rename is not None and rename.new is not None:
        if table.target(rename.new) is not None:
            return Change(name, Kind.RENAMED, rename.new, commit, "")
        return Change(name, Kind.REMOVED, None, commit, f"it became {rename.new}, which is gone too")
    candidates = rename.candidates if rename is not None else ()
    details = f"it may have become {' or '.join(candidates)}" if candidates else ""
    return Change(name, Kind.REMOVED, None, commit, details)


def _rename_in(repo: GitRepo, loader: Loader, commit: str, name: str) -> Rename | None:
    """Where `commit` moved `name`, judged from the tables of the commit and its parent, and cached: a check that
    names a removal judges it again on every run, and each table took seconds to assemble at 50,000 modules."""
    key = f"{code_digest()}:{loader.config.digest()}:{commit}:{name}"
    cached = loader.cache.get_many(RENAMES_NAMESPACE, [key]).get(key)
    if isinstance(cached, list) and len(cached) == 2 and all(isinstance(n, str) for n in cached[1]):
        return Rename(name, cached[0], tuple(cached[1])) if isinstance(cached[0], str) or cached[1] else None
    parent = repo.resolve(f"{commit}^")
    before, after = loader.snapshot(parent), loader.snapshot(commit)
    before_table, after_table = loader.change_tables(before, after, keep=False)
    changed = [(c.old_path, c.new_path) for c in repo.changed_paths(parent, commit)]
    renames = renames_between(
        before_table,
        after_table,
        changed,
        lambda path: loader.read(before.files[path]),
        lambda path: loader.read(after.files[path]),
    )
    rename = renames.get(name)
    found = [rename.new, list(rename.candidates)] if rename is not None else [None, []]
    loader.cache.put_many(RENAMES_NAMESPACE, {key: found})
    return rename
