"""A whole-repository check that judges again only the docs a change since a kept judgement can reach (issue 18).

A whole-repository check judges every doc: at 2,000 docs and 50,000 modules, 15–30 s, most of it resolving and
judging docs the change since the last check never touched. Each check of a commit (a clean work tree, or `--head`)
keeps what the next one needs to skip those: every doc's reference count, and which docs had a finding (suppressed
or not). A stale reference with no finding stays so as HEAD moves (whether one is reported never depends on its
age, and only a reported one's age is scored). A later check finds the newest kept commit on its first-parent
line and judges again only:

- the docs that changed, are new, or had a finding (findings carry ages and commit counts, which move with HEAD:
  they are judged again rather than aged);
- the docs `affected.py` finds touched (a name they use appeared, went, or means something else; a symbol they
  resolved to changed);
- the docs that resolved to any symbol of a changed file, even where its definition did not change: staleness is
  read from that file's versions;
- the example files docs include whose findings depend on who includes them (one only history pages include
  records history), where a changed doc may have changed that;
- the docs that show command lines, environment variables or settings keys, when the command line, the variables
  the code reads or the settings it loads may have changed (a variable also when a changed file spelled it: one any
  Python file spells is never reported).

"Changed" is what differs between the two trees, and every file a commit between the two touched (`a...b`: merged
from a side branch or not), since those commits are history the judgement reads. The rest keep their reference
counts and have no finding, as at the kept commit. A change this cannot bound judges every doc: the code layout
moving, a new top-level package, Sphinx's `conf.py` or `mkdocs.yml`, the lockfile, another version of docsync or
other settings.
"""

from __future__ import annotations

import posixpath
import sys
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

from docsync.affected import Affected, affected_by
from docsync.cache import code_digest
from docsync.gitrepo import FileEntry, blob_id
from docsync.loader import MAX_FILE_BYTES, WORKTREE, Snapshot
from docsync.lockfile import LOCK_NAME
from docsync.models import DocResolution, Finding
from docsync.symbols.table import SymbolTable
from docsync.workspace import Workspace

NAMESPACE = f"whole-judgements/1/py{sys.version_info[0]}{sys.version_info[1]}"
_LOOK_BACK = 50  # first-parent commits searched for a kept judgement
# Files that decide which docs there are and how they read (Sphinx's, MkDocs'): a change to one judges every doc.
DOC_BUILD_FILES = frozenset({"conf.py", "mkdocs.yml", "mkdocs.yaml"})


@dataclass(frozen=True, slots=True)
class _Kept:
    """A whole-repository judgement of one commit, as the next check starts from it."""

    commit: str
    lock: str | None  # the lockfile's blob id there
    docs: frozenset[str]
    counts: Mapping[str, int]  # references per doc that count towards its score (those with any)
    flagged: frozenset[str]  # docs with a finding (suppressed or not)


@dataclass(frozen=True, slots=True)
class Carry:
    """The docs to judge again, and the reference counts of the others (which have no finding)."""

    judged: tuple[str, ...]
    counts: Mapping[str, int]
    resolutions: Mapping[str, DocResolution]  # what the others resolve to (as at the kept commit)
    since: str  # the commit whose judgement the others are carried from


@dataclass(frozen=True, slots=True)
class Point:
    """Where a whole-repository check stands: the commit its first-parent line starts from (HEAD for the work tree),
    that commit's files, and the paths the tree checked changes on top of it (none: the tree is the commit's)."""

    start: str
    committed: Snapshot
    uncommitted: frozenset[str]
    lock: str | None  # the blob id of the lockfile the tree checked has


def point_of(workspace: Workspace, head_commit: str | None, head: Snapshot) -> Point | None:
    """Where a check of `head` (the snapshot of `head_commit`; None: the work tree) stands; None without commits."""
    repo = workspace.repo
    if head_commit is not None:
        return Point(head_commit, head, frozenset(), _lock_id(workspace, head))
    if not repo.has_commits():
        return None
    start = repo.resolve("HEAD")
    committed = workspace.loader.snapshot(start)
    new = {path for path, entry in head.files.items() if _blob(committed.files, path) != entry.blob}
    # Staged, edited or deleted: git's own lists (a tracked file deleted is not in the work tree's files at all).
    uncommitted = new | set(repo.index_changes(start)) | repo.worktree_changed()
    lock = _lock_id(workspace, head)
    if lock != _lock_id(workspace, committed):
        uncommitted.add(LOCK_NAME)
    return Point(start, committed, frozenset(uncommitted), lock)


def plan(workspace: Workspace, point: Point | None, head: Snapshot, docs: Sequence[str]) -> Carry | None:
    """What a whole-repository check of `head` must judge again, from the newest judgement kept on the first-parent
    line it stands on; None: judge every doc."""
    repo, loader = workspace.repo, workspace.loader
    if point is None:
        return None
    start = point.start
    kept = _newest_kept(workspace, [sha for sha, _ in repo.first_parent_log(start, _LOOK_BACK)])
    if kept is None or kept.lock != point.lock:
        return None
    found = reach(workspace, point, kept.commit, head)
    if found is None:
        return None
    old, changed, affected, shaken = found.old, found.changed, found.affected, found.shaken
    old_key = loader.table_key(old)
    known = workspace.docs.resolutions(old_key, head, [doc for doc in docs if doc in kept.docs])
    names = workspace.docs.names(head, list(known)) if affected.names else {}

    def again(doc: str) -> bool:
        resolution = known.get(doc)
        return (
            resolution is None
            or doc in changed
            or doc in kept.flagged
            or affected.touches(names.get(doc, ()), resolution)
            or not shaken.isdisjoint(resolution.symbols)
        )

    judged = {doc for doc in docs if again(doc)}
    if any(path in kept.docs or path in docs for path in changed):  # an example read as history, or no longer
        judged |= workspace.docs.history_examples(old) ^ workspace.docs.history_examples(head)
    judged |= _claims_to_judge(workspace, old, head, changed, docs, judged)
    carried = sorted(set(docs).difference(judged))
    # The next check of a change from this tree asks what each doc resolves to here: as at the kept commit.
    workspace.docs.put_same_resolutions(loader.table_key(head), old_key, head, carried)
    counts = {doc: kept.counts[doc] for doc in carried if doc in kept.counts}
    resolutions = {doc: known[doc] for doc in carried}
    return Carry(tuple(doc for doc in docs if doc in judged), counts, resolutions, kept.commit)


@dataclass(frozen=True, slots=True)
class Reach:
    """What the change from a kept commit to the tree checked can reach (what a carried check or map reads)."""

    old: Snapshot  # the kept commit's snapshot
    new_table: SymbolTable
    changed: frozenset[str]  # the paths the trees differ in, and every path a commit between them touched
    affected: Affected
    shaken: frozenset[str]  # every name of a changed file, on either side


def reach(workspace: Workspace, point: Point, commit: str, head: Snapshot) -> Reach | None:
    """The reach of the change from `commit` (on `point`'s first-parent line) to `head`; None when it cannot be
    bounded (a file that decides which docs there are and how they read, the layout, a new top-level package)."""
    repo, loader = workspace.repo, workspace.loader
    old = point.committed if commit == point.start else loader.snapshot(commit)
    changed = set(point.uncommitted)
    if commit != point.start:
        changed |= repo.touched_between(commit, point.start)
    if any(posixpath.basename(path) in DOC_BUILD_FILES for path in changed):
        return None
    old_table, new_table = loader.change_tables(old, head)
    affected = affected_by(old_table, new_table, changed)
    if affected.everything:
        return None
    shaken = {name for path in changed for table in (old_table, new_table) for name in table.names_in(path)}
    return Reach(old, new_table, frozenset(changed), affected, frozenset(shaken))


def remember(
    workspace: Workspace,
    point: Point | None,
    docs: Sequence[str],
    counts: Mapping[str, int],
    findings: Iterable[Finding],
) -> None:
    """Keep the judgement of every doc for the checks after it, when the tree checked is a commit's (new files
    of other kinds than code and docs are not seen: a new `mkdocs.yml` in the work tree, say; commit it, or check
    with --head)."""
    if point is None or point.uncommitted:  # a judgement of uncommitted changes is not a commit's
        return
    commit = point.start
    flagged = {finding.doc for finding in findings}
    value = {
        "commit": commit,
        "lock": point.lock,
        "docs": sorted(docs),
        "counts": dict(counts),
        "flagged": sorted(flagged),
    }
    workspace.loader.cache.put_many(NAMESPACE, {_key(workspace, commit): value})


def _newest_kept(workspace: Workspace, line: Sequence[str]) -> _Kept | None:
    keys = {_key(workspace, sha): sha for sha in line}
    found = workspace.loader.cache.get_many(NAMESPACE, list(keys))
    for key, sha in keys.items():
        kept = _decoded(found.get(key))
        if kept is not None and kept.commit == sha:
            return kept
    return None


def _decoded(value: Any) -> _Kept | None:
    if not isinstance(value, dict):
        return None
    commit, lock, docs, counts, flagged = (value.get(k) for k in ("commit", "lock", "docs", "counts", "flagged"))
    if not (isinstance(commit, str) and (lock is None or isinstance(lock, str))):
        return None
    if not (isinstance(docs, list) and isinstance(flagged, list) and isinstance(counts, dict)):
        return None
    if not all(isinstance(n, int) for n in counts.values()):
        return None
    return _Kept(commit, lock, frozenset(map(str, docs)), {str(d): n for d, n in counts.items()}, frozenset(flagged))


def _key(workspace: Workspace, commit: str) -> str:
    """Keyed by what decides the judgement besides the commit: docsync's code and the settings."""
    return f"{code_digest()}:{workspace.config.digest()}:{commit}"


def _lock_id(workspace: Workspace, snapshot: Snapshot) -> str | None:
    if snapshot.label == WORKTREE:
        data = workspace.repo.read_worktree(LOCK_NAME, MAX_FILE_BYTES)
        return blob_id(data) if data is not None else None
    entry = snapshot.files.get(LOCK_NAME)
    return entry.blob if entry is not None else None


def _blob(files: Mapping[str, FileEntry], path: str) -> str | None:
    entry = files.get(path)
    return entry.blob if entry is not None else None


def _claims_to_judge(
    workspace: Workspace, old: Snapshot, head: Snapshot, changed: Set[str], docs: Sequence[str], judged: set[str]
) -> set[str]:
    """Of the docs not `judged` already, those whose command lines, environment variables or settings keys may be
    judged otherwise now: the command line or the settings the code loads may have changed, or the variables the
    code reads; a variable is also looked for in every Python file's text (`setup.py` included), so a doc that sets
    one a changed file spelled before is judged again too. Every doc's claims are asked (each cached per doc
    version): the next pre-commit check asks for all of them, and finds them under one key."""
    commands, environment, settings = workspace.commands, workspace.environment, workspace.settings_keys
    for store in (commands, environment, settings):
        store.after(old, head, changed)
    # Which docs show any first (cached per doc version): knowing the code's side unchanged can take reading every
    # module (which modules may load settings: 11 s at 50,000 modules when no check asked before).
    again: set[str] = set()
    showing = [doc for doc in settings.showing(head, docs) if doc not in judged]
    if showing and not settings.same_settings(old, head):
        again.update(showing)
    claimed = [doc for doc, found in commands.claims(head, docs).items() if found and doc not in judged]
    if claimed and not commands.same(old, head):
        again.update(claimed)
    variables = {doc: {claim.name for claim in found} for doc, found in environment.claims(head, docs).items()}
    variables = {doc: names for doc, names in variables.items() if names and doc not in judged}
    if variables and not environment.same_reads(old, head):
        return again | set(variables)
    if variables:
        texts = [workspace.loader.read(old.files[path]) for path in sorted(changed) if _is_code(old, path)]
        spelled = {name for names in variables.values() for name in names if any(name.encode() in t for t in texts)}
        again.update(doc for doc, names in variables.items() if names & spelled)
    return again


def _is_code(snapshot: Snapshot, path: str) -> bool:
    return path.endswith(".py") and path in snapshot.files
