"""The score's trend over the last commits of HEAD's first-parent line, each commit scored from the next.

A quick whole-repository check of one commit judges every doc; most of them are the same as in the
commit after it. Going back from HEAD, each commit therefore judges again only the docs the step to
the next commit can touch, and keeps the others' findings, aged to its own time:

- docs whose file changed (or that are new to the older commit);
- docs that `affected.py` finds touched (a name they use appeared, went, or means something else);
- docs that resolved to any symbol of a changed file, even where its definition did not change:
  its staleness is read from that file's versions, which differ between the two.

"Changed" means changed between the two commits, or by a commit of the history log dated between
them: every point reads one log cut at its own time (see `History`), so the histories of two points
differ by those commits, merged from a side branch or not. The lockfile changing, or the code layout
moving, makes the step judge every doc again. Scores equal a full check's at each commit
(`score_trend_fully`); the tests compare both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from docsync.affected import affected_by
from docsync.cache import code_digest
from docsync.checks import Judged
from docsync.checks.whole_repository import judge_quickly
from docsync.gitrepo import CommitFiles, blob_id
from docsync.history.staleness import days_stale
from docsync.loader import MAX_FILE_BYTES, WORKTREE, Snapshot
from docsync.lockfile import LOCK_NAME
from docsync.models import DocResolution, Finding, Staleness, TrendPoint
from docsync.progress import progress
from docsync.score import make_report
from docsync.symbols.table import SymbolTable
from docsync.workspace import Workspace

TREND_NAMESPACE = "trend-scores/3"  # key: see `_point_keys`; value: the score


@dataclass(frozen=True, slots=True)
class DocPart:
    """One doc's share of a commit's score: what it resolved to, and its findings there."""

    blob: str
    resolution: DocResolution
    findings: tuple[Finding, ...]
    stale: tuple[Staleness, ...]


@dataclass(frozen=True, slots=True)
class ScoredCommit:
    sha: str
    time: int
    table: SymbolTable
    parts: Mapping[str, DocPart]


def score_trend(workspace: Workspace, count: int, worktree: Judged | None = None) -> tuple[TrendPoint, ...]:
    """The repository score at each of the last `count` commits, oldest first (judged quickly: no tracing of
    missing names through history), each from the next, cached per commit.

    `worktree`: every doc of the work tree judged quickly, which the report has at hand; HEAD's point uses
    it when the work tree is HEAD (same modules, docs and lockfile)."""
    return _trend(workspace, count, True, worktree)


def score_trend_fully(workspace: Workspace, count: int) -> tuple[TrendPoint, ...]:
    """`score_trend`, judging every doc at every commit and reading no cached score: the reference the tests
    compare the incremental trend with."""
    return _trend(workspace, count, False, None)


def _trend(workspace: Workspace, count: int, incremental: bool, worktree: Judged | None) -> tuple[TrendPoint, ...]:
    if count <= 0 or not workspace.repo.has_commits():
        return ()
    commits = workspace.repo.first_parent_log("HEAD", count)
    head_sha, head_time = commits[0]  # the first-parent log starts at HEAD
    log = _trend_log(workspace, head_sha)
    cache = workspace.loader.cache
    keys = _point_keys(workspace, commits, log)
    cached = cache.get_many(TREND_NAMESPACE, keys.values()) if incremental else {}
    points = []
    newer: ScoredCommit | None = None
    for sha, time in progress(commits, len(commits), "docsync: scoring history", workspace.progress_stream):
        score = cached.get(keys[sha])
        if isinstance(score, float):
            scored = None  # the next older commit, if not cached either, is judged whole
        else:
            head = sha == head_sha and incremental and worktree is not None
            judged = worktree if head and _worktree_is_head(workspace, head_sha, head_time, log) else None
            scored = _score_commit(workspace, sha, time, newer if incremental else None, log, judged)
            score = _score(scored)
            cache.put_many(TREND_NAMESPACE, {keys[sha]: score})
        points.append(TrendPoint(sha, time, score))
        if newer is not None:
            workspace.loader.forget(newer.sha)  # tables of two commits at a time: a long trend would hold them all
        newer = scored
    return tuple(reversed(points))  # oldest first, as the chart reads


def _point_keys(workspace: Workspace, commits: Sequence[tuple[str, int]], log: Sequence[CommitFiles]) -> dict[str, str]:
    """What a commit's trend score depends on: the commit, the history it is judged with (the log cut at its
    time, which a later HEAD extends only by commits dated after it, or merged from before), the settings,
    and docsync's own code."""
    entries = [(commit.time, _entry_digest(commit)) for commit in log]
    common = f"{code_digest()}:{workspace.config.digest()}"
    keys = {}
    for sha, time in commits:
        history = hashlib.blake2b("".join(d for t, d in entries if t <= time).encode(), digest_size=16).hexdigest()
        keys[sha] = f"{common}:{sha}:{history}"
    return keys


def _entry_digest(commit: CommitFiles) -> str:
    files = "".join(f"{path}\0{commit.blobs[path]}\0" for path in sorted(commit.blobs))
    return hashlib.blake2b(
        f"{commit.sha}:{commit.time}:{files}".encode("utf-8", "surrogateescape"), digest_size=16
    ).hexdigest()


def _trend_log(workspace: Workspace, head_sha: str) -> list[CommitFiles]:
    """History of every Python file and doc of HEAD, read once for all the trend's commits."""
    loader = workspace.loader
    head = loader.snapshot(head_sha)
    paths = [p for p in head.files if p.endswith(".py")] + list(workspace.docs.paths(head))
    return workspace.versions.path_log(head_sha, paths)


def _score_commit(
    workspace: Workspace,
    sha: str,
    time: int,
    newer: ScoredCommit | None,
    log: Sequence[CommitFiles],
    judged: Judged | None = None,
) -> ScoredCommit:
    """`judged`: this commit's docs, all of them, already judged (see `score_trend`)."""
    loader = workspace.loader
    snapshot = loader.snapshot(sha)
    table = loader.table(snapshot)
    docs = workspace.docs.paths(snapshot)
    blobs = {doc: snapshot.files[doc].blob for doc in docs}
    judge = list(docs) if newer is None else _to_judge(workspace, snapshot, time, table, blobs, newer, log)
    parts = {doc: newer.parts[doc] for doc in docs if newer is not None and doc not in judge}
    if judge:
        if judged is None:
            judged = judge_quickly(workspace, sha, snapshot, judge, log)
        parts.update(_split(judged, blobs))
    return ScoredCommit(sha, time, table, parts)


def _worktree_is_head(workspace: Workspace, head_sha: str, head_time: int, log: Sequence[CommitFiles]) -> bool:
    """Whether judging the work tree is judging HEAD: the same table, docs and lockfile, and a history with
    nothing dated after HEAD (which HEAD's trend point would leave out)."""
    loader, repo = workspace.loader, workspace.repo
    head, worktree = loader.snapshot(head_sha), loader.snapshot(WORKTREE)
    lock = repo.read_worktree(LOCK_NAME, MAX_FILE_BYTES)
    head_lock = head.files.get(LOCK_NAME)
    return (
        loader.table_key(head) == loader.table_key(worktree)
        and _doc_blobs(workspace, head) == _doc_blobs(workspace, worktree)
        and (blob_id(lock) if lock is not None else None) == (head_lock.blob if head_lock is not None else None)
        and all(commit.time <= head_time for commit in log)
    )


def _doc_blobs(workspace: Workspace, snapshot: Snapshot) -> dict[str, str]:
    return {doc: snapshot.files[doc].blob for doc in workspace.docs.paths(snapshot)}


def _to_judge(
    workspace: Workspace,
    snapshot: Snapshot,
    time: int,
    table: SymbolTable,
    blobs: Mapping[str, str],
    newer: ScoredCommit,
    log: Sequence[CommitFiles],
) -> list[str]:
    """The docs of `snapshot` whose findings may differ from those they had at `newer`, the commit after it."""
    step = workspace.repo.changed_paths(snapshot.label, newer.sha)
    changed = {path for change in step for path in (change.old_path, change.new_path) if path}
    changed.update(path for commit in log if time < commit.time <= newer.time for path in commit.blobs)
    affected = affected_by(newer.table, table, changed)
    if affected.everything or LOCK_NAME in changed:
        return list(blobs)
    shaken = {q for path in changed for q in newer.table.names_in(path)}
    affected = replace(affected, symbols=affected.symbols | shaken)
    names = workspace.docs.names(snapshot, list(blobs))
    return [
        doc
        for doc, blob in blobs.items()
        if doc in changed
        or doc not in newer.parts
        or newer.parts[doc].blob != blob
        or affected.touches(names[doc], newer.parts[doc].resolution)
    ]


def _split(judged: Judged, blobs: Mapping[str, str]) -> dict[str, DocPart]:
    findings: dict[str, list[Finding]] = {}
    stale: dict[str, list[Staleness]] = {}
    for finding in judged.findings:
        findings.setdefault(finding.doc, []).append(finding)
    for item in judged.stale:
        stale.setdefault(item.reference.doc, []).append(item)
    return {
        doc: DocPart(blobs[doc], resolution, tuple(findings.get(doc, ())), tuple(stale.get(doc, ())))
        for doc, resolution in judged.resolutions.items()
    }


def _score(scored: ScoredCommit) -> float:
    """The score as the full check of that commit computes it, with each stale reference aged to its time."""
    parts = scored.parts.values()
    counts = {doc: part.resolution.count for doc, part in scored.parts.items() if part.resolution.count}
    findings = [finding for part in parts for finding in part.findings]
    stale = [replace(item, days=days_stale(item.since, scored.time)) for part in parts for item in part.stale]
    return make_report(None, scored.sha, counts, findings, stale).score
