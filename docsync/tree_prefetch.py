"""HEAD's tree listed by git while docsync starts (issue 18).

A pre-commit check needs HEAD's tree first (at 50,000 files, 0.05 s of git), after 0.05 s of imports, settings
and opening the cache that need no tree. Started in a thread before those, git's work overlaps them on another
core. `GitRepo.tree` takes the listing once, and only for the repository and commit it was started for: HEAD may
have moved in between, and then it is listed again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from docsync.gitexec import GIT_CONFIG, TREE_LISTING, GitFailed, run_git


@dataclass(frozen=True, slots=True)
class _Listed:
    root: str  # the work tree's top folder, resolved
    commit: str
    out: str  # git's listing, as `GitRepo.tree` reads it


_started: list[tuple[threading.Thread, list[_Listed]]] = []


def start(path: str, rev: str = "HEAD") -> None:
    """List the tree of `rev` in the repository at `path`, in the background (nothing when it names none)."""
    found: list[_Listed] = []

    def list_tree() -> None:
        try:
            top, commit = run_git(path, ["rev-parse", "--show-toplevel", f"{rev}^{{commit}}"]).split("\n")[:2]
            out = run_git(path, [*GIT_CONFIG, *TREE_LISTING, commit])
            found.append(_Listed(str(Path(top).resolve()), commit, out))
        except (GitFailed, ValueError, OSError):
            return  # not a repository, no commits yet: the check says so itself

    thread = threading.Thread(target=list_tree, name="docsync-tree-prefetch", daemon=True)
    thread.start()
    _started.append((thread, found))


def take(root: Path, commit: str) -> str | None:
    """git's listing of `commit`'s tree in the repository at `root`, if one was started for it (once)."""
    if not _started:
        return None
    thread, found = _started.pop()
    thread.join()
    if found and found[0].root == str(root) and found[0].commit == commit:
        return found[0].out
    return None
