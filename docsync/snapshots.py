"""Snapshots: the files of one revision (a commit, the index, the work tree), listed through git."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from docsync.gitrepo import FileEntry, GitRepo, blob_id, too_large
from docsync.globs import PathMatcher
from docsync.references.discover import DOC_SUFFIXES

STAGED = "STAGED"
MAX_FILE_BYTES = 5 * 1024 * 1024
TOO_LARGE = too_large(MAX_FILE_BYTES)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The files of one revision: `label` is a commit sha, STAGED or WORKTREE; `skipped`: files of it left out,
    and why (a warning's words), for those who would have read them to say so."""

    label: str
    files: Mapping[str, FileEntry]
    skipped: Mapping[str, str] = field(default_factory=dict)


def index_over(repo: GitRepo, base: Snapshot) -> tuple[Snapshot, dict[str, FileEntry | None]]:
    """The index, as a commit's snapshot with git's diff of the two applied, and that diff: at 50,000 files, listing
    the index took 0.1 s of a pre-commit check that had the commit's files listed already."""
    changes = repo.index_changes(base.label)
    files = dict(base.files)
    for path, entry in changes.items():
        if entry is None:
            files.pop(path, None)
        else:
            files[path] = entry
    return Snapshot(STAGED, files), changes


def worktree_files(
    repo: GitRepo, exclude: PathMatcher, read: dict[str, bytes]
) -> tuple[dict[str, FileEntry], dict[str, str]]:
    """The work tree's files, and those skipped with why (too large, or links out of the repository); the bytes of
    those read here go into `read` (by blob id).

    A tracked regular file git says is as staged is its index entry, read from git's object store when needed
    (at 50,000 files, reading and hashing every file took 5.9 s of each run, git's answer 0.1 s); the others
    (changed, untracked, symlinks) are read and hashed here."""
    files: dict[str, FileEntry] = {}
    skipped: dict[str, str] = {}
    staged, changed = repo.index(sizes=True), repo.worktree_changed()
    for path in repo.worktree_paths():
        if not path.endswith((".py", *DOC_SUFFIXES)) or exclude.matches(path):
            continue
        if path in staged and path not in changed:
            if staged[path].size > MAX_FILE_BYTES:
                skipped[path] = TOO_LARGE
            else:
                files[path] = staged[path]
            continue
        data = repo.worktree_file(path, MAX_FILE_BYTES)
        if isinstance(data, str):
            skipped[path] = data
        if not isinstance(data, bytes):
            continue
        sha = blob_id(data)
        read[sha] = data
        files[path] = FileEntry(sha, len(data))
    return files, skipped
