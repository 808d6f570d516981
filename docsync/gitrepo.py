"""The repository through git's plumbing: revisions, merge-base, blobs at a revision/index/work tree, diffs.

Nothing here checks out, stashes or writes to the work tree or the index, so `--staged` never
touches the user's files. Index reads go through git itself (`ls-files --stage`), which honours
`GIT_INDEX_FILE`: git points it at a temporary index during `git commit -a`.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from docsync import tree_prefetch
from docsync.errors import RepoError
from docsync.git_output import (
    INDEX_ENTRY,
    REGULAR_FILE_MODES,
    FileEntry,
    PathChange,
    changed_lines_in,
    index_changes_in,
    name_status_in,
    staged_files_in,
    tree_files_in,
)
from docsync.gitexec import GIT_CONFIG, TREE_LISTING, BlobReader, GitFailed, run_git

FETCH_HINT = "in CI, fetch the full history (actions/checkout with fetch-depth: 0, or `git fetch --unshallow`)"
WORKTREE = "WORKTREE"  # as a `head`: the files on disk
# Before every revision, remote or refspec we pass: whatever follows is never read as an option (git 2.24+),
# even a "revision" like `--output=x` or `--upload-pack=cmd` from a CI event (issue 13).
_END = "--end-of-options"
# Up to this many paths, `path_log` names them; past it, globs of their folders and extensions.
_LITERAL_PATHS_MAX = 16
_GLOB_SPECIAL = re.compile(r"[*?\[\]\\]")


@dataclass(frozen=True, slots=True)
class CommitFiles:
    """One commit of a path-limited log: its sha, committer time, and the new blob of each path it changed."""

    sha: str
    time: int
    blobs: Mapping[str, str | None]


def outside_the_repository(real: Path) -> str:
    """The warning for a work-tree path that leads out of the repository (issue 13: never read or written)."""
    return f"resolves to {real}, outside the repository; skipped"


def too_large(max_bytes: int) -> str:
    """The warning for a file docsync will not read: the same for a commit's blob and a work-tree file."""
    return f"larger than {max_bytes // 2**20} MB; skipped"


def blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob (so work-tree files share the cache with commits)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


class GitRepo:
    """One repository; each method answers one question with plain values."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        start = Path(path)
        if not start.is_dir():
            raise RepoError(f"not a git repository: {os.fspath(path)}", "run docsync inside a git work tree")
        try:
            bare, common_dir = run_git(start, ["rev-parse", "--is-bare-repository", "--git-common-dir"]).splitlines()
        except GitFailed as error:
            if "not a git repository" in error.message:
                raise RepoError(
                    f"not a git repository: {os.fspath(path)}",
                    "run docsync inside a git work tree, or `git init` first",
                ) from None
            raise RepoError(f"git failed: {error.message}", "is git installed and working?") from None
        self._common_dir = (start / common_dir).resolve()  # relative to `start` unless absolute
        if bare == "true":
            raise RepoError(f"{self._common_dir} is a bare repository", "run docsync in a clone with a work tree")
        try:
            self.root = Path(run_git(start, ["rev-parse", "--show-toplevel"]).strip()).resolve()
        except GitFailed as error:
            raise RepoError(f"no work tree here: {error.message}", "run docsync in a clone with a work tree") from None
        self._blobs = BlobReader(self.root)
        self._root_text, self._root_prefix = str(self.root), os.path.join(str(self.root), "")
        self._real_folders: dict[str, str] = {}
        self.files_listed = 0  # the most files a tree listed in this run has (the cache's default limit grows with it)

    # -- revisions -------------------------------------------------------------------------------

    @property
    def git_dir(self) -> Path:
        """The directory shared by all work trees of this repository (where the cache lives)."""
        return self._common_dir

    def has_revision(self, rev: str) -> bool:
        if rev.startswith("-"):
            return False  # never let a revision be read as an option
        return self._try("rev-parse", "--verify", "--quiet", _END, f"{rev}^{{commit}}") is not None

    def has_commits(self) -> bool:
        return self._try("rev-parse", "--verify", "--quiet", "HEAD^{commit}") is not None

    def has_staged_changes(self) -> bool:
        """Whether the index differs from HEAD (every staged file, when there is no commit yet)."""
        if not self.has_commits():
            return self._try("ls-files", "--cached") is not None
        # --name-only lists what differs: empty output means nothing staged (no exit-code plumbing needed).
        return self._try("diff-index", "--cached", "--name-only", "HEAD", _END) is not None

    def resolve(self, rev: str) -> str:
        """The commit sha `rev` names; RepoError naming the revision when it names none."""
        if rev.startswith("-"):
            raise RepoError(f"unknown revision {rev!r}", "a revision cannot start with '-'")
        sha = self._try("rev-parse", "--verify", "--quiet", _END, f"{rev}^{{commit}}")
        if sha:
            return sha
        if rev == "HEAD" and not self.has_commits():
            raise RepoError("this repository has no commits yet", "commit something first, then run docsync")
        hint = FETCH_HINT if self.is_shallow() else "check the name with `git log --oneline --all`; " + FETCH_HINT
        raise RepoError(f"unknown revision {rev!r}", hint)

    def merge_base(self, base: str, head: str) -> str:
        found = self._try("merge-base", _END, base, head)
        if found:
            return found.splitlines()[0]
        if self.is_shallow():
            raise RepoError(
                f"no merge-base of {base[:12]} and {head[:12]}: this is a shallow clone", "use fetch-depth: 0"
            )
        raise RepoError(f"{base[:12]} and {head[:12]} have no common ancestor", "pass a --base on the same history")

    def is_shallow(self) -> bool:
        return (self.git_dir / "shallow").exists()

    # -- files ------------------------------------------------------------------------------------

    def tree(self, commit: str) -> dict[str, FileEntry]:
        """Every regular file of a commit (symlinks and submodules are never followed)."""
        out = tree_prefetch.take(self.root, commit) or self._run(*TREE_LISTING, commit)
        files = tree_files_in(out)
        self.files_listed = max(self.files_listed, len(files))
        return files

    def index(self, sizes: bool = False) -> dict[str, FileEntry]:
        """Every regular file staged in the index (the one `GIT_INDEX_FILE` names, if set); `sizes`: each with the
        size git recorded for its work-tree file (0 when it recorded none; modulo 2**32). Stages 1-3: a conflict."""
        out = self._run("ls-files", "--stage", *(["--debug"] if sizes else []), "-z")
        if not sizes:
            return staged_files_in(out)
        return {
            entry["path"]: FileEntry(entry["sha"], int(entry["size"]) if entry["size"] else -1)
            for entry in INDEX_ENTRY.finditer(out)
            if entry["mode"] in REGULAR_FILE_MODES and entry["stage"] == "0"
        }

    def index_changes(self, commit: str) -> dict[str, FileEntry | None]:
        """How the index differs from a commit: each path whose entry differs, with its staged regular file (None:
        not one, or a conflict). The commit's `tree` patched with them is `index()`, read in time proportional to
        the change (at 50,000 files, 0.015 s where listing the index took 0.1 s)."""
        out = self._run("diff-index", "--cached", "--raw", "-z", "--no-renames", _END, commit, "--")
        return index_changes_in(out)

    def parent_changes(self, commit: str) -> tuple[str, dict[str, FileEntry | None]] | None:
        """A commit's first parent and how the commit differs from it (as `index_changes`); None for a root."""
        parent = self._try("rev-parse", "--verify", "--quiet", _END, f"{commit}^1")
        if parent is None:
            return None
        out = self._run("diff-tree", "-r", "--raw", "-z", "--no-renames", _END, parent, commit, "--")
        return parent, index_changes_in(out)

    def worktree_changed(self) -> set[str]:
        """Tracked paths whose work-tree file may differ from the index (by its stat data: edited, deleted, touched)."""
        return {path for path in self._run("diff-files", "--name-only", "-z").split("\0") if path}

    def worktree_paths(self) -> list[str]:
        """Tracked and untracked-but-not-ignored files of the work tree that exist on disk."""
        out = self._run("ls-files", "-z", "--cached", "--others", "--exclude-standard")
        return sorted({path for path in out.split("\0") if path})

    def read_worktree(self, path: str, max_bytes: int) -> bytes | None:
        """A work-tree file's bytes; None when it is missing, skipped (see `worktree_file`) or not a file."""
        found = self.worktree_file(path, max_bytes)
        return found if isinstance(found, bytes) else None

    def worktree_file(self, path: str, max_bytes: int) -> bytes | str | None:
        """A work-tree file's bytes; else why it is skipped, worded for a warning; None when there is none
        (deleted, or not a regular file: a FIFO would block the read).

        Nothing outside the work tree is read: not through a symlink, nor through a folder replaced by one.
        """
        try:
            real = self._real_path(path)
            if real != self._root_text and not real.startswith(self._root_prefix):
                return outside_the_repository(Path(real))
            info = os.stat(real)
            if not stat.S_ISREG(info.st_mode):
                return None
            if info.st_size > max_bytes:
                return too_large(max_bytes)
            with open(real, "rb") as file:
                return file.read()
        except OSError:
            return None

    def _real_path(self, path: str) -> str:
        """Where a work-tree path leads, every symlink on the way followed (os.path, not pathlib: a run asks
        for every file of the work tree)."""
        parent, name = os.path.split(os.path.join(self._root_text, path))
        folder = self._real_folders.get(parent)
        if folder is None:  # resolved once per folder
            folder = self._real_folders[parent] = os.path.realpath(parent)
        candidate = os.path.join(folder, name)
        return os.path.realpath(candidate) if os.path.islink(candidate) else candidate

    def read_blob(self, sha: str) -> bytes:
        """A blob's bytes, through one persistent `git cat-file --batch` process."""
        try:
            return self._blobs.read(sha)
        except GitFailed as error:
            raise RepoError(f"cannot read git object {sha[:12]}: {error.message}", FETCH_HINT) from None

    # -- changes ----------------------------------------------------------------------------------

    def changed_paths(self, base: str, head: str | None) -> tuple[PathChange, ...]:
        """What changed from `base` to `head` (None: to the index; WORKTREE: to the work tree), renames detected."""
        target = _diff_target(base, head)
        out = self._run("diff", "--name-status", "-z", "-M", "--no-ext-diff", *target, "--")
        return tuple(name_status_in(out))

    def changed_lines(self, base: str, head: str | None, paths: Sequence[str]) -> dict[str, frozenset[int]]:
        """For each path, the lines of its new version that the change touched (`git diff -U0`)."""
        if not paths:
            return {}
        target = _diff_target(base, head)
        out = self._run("diff", "-U0", "--no-color", "--no-ext-diff", "-M", *target, "--", *paths)
        return changed_lines_in(out)

    def file_history(self, base: str, head: str, path: str) -> list[tuple[str, str | None]]:
        """Commits of `base..head` that changed `path`, oldest first, with its blob after each (None: deleted)."""
        return [(c.sha, c.blobs[path]) for c in reversed(self.path_log(f"{base}..{head}", [path])) if path in c.blobs]

    def path_log(self, revisions: str, paths: Sequence[str]) -> list[CommitFiles]:
        """Commits of `revisions`' first-parent line that changed any of `paths`, newest first, each with the new
        blob per path.

        A change is dated by when it landed on the branch: a merge shows what it brought in (its diff against its
        first parent) and the side branch's own commits are not walked. One `git log` for all paths: past a few
        paths, by globs of their folders and extensions (git matches a few globs much faster than hundreds of
        paths: 0.4 s instead of 1.3 s on pytest's 408 docs and modules), the files not asked for dropped.
        """
        if not paths:
            return []
        wanted = set(paths)
        out = self._run(
            "log", "--first-parent", "--format=%x00%H %ct", "--raw", "--no-abbrev", "--no-renames", _END, revisions,
            "--", *_pathspecs(wanted),
        )  # fmt: skip
        commits = []
        for record in out.split("\0")[1:]:
            header, _, raw = record.partition("\n")
            sha, _, time = header.strip().partition(" ")
            blobs: dict[str, str | None] = {}
            for line in raw.splitlines():
                if line.startswith(":"):
                    meta, _, changed = line.partition("\t")
                    if changed in wanted:
                        blob = meta.split()[3]
                        blobs[changed] = None if set(blob) == {"0"} else blob
            if blobs:
                commits.append(CommitFiles(sha, int(time), blobs))
        return commits

    def rename_source(self, commit: str, path: str) -> str | None:
        """The path `commit` renamed to `path` (None: it did not, or `commit` has no parent)."""
        parent = self._try("rev-parse", "--verify", "--quiet", _END, f"{commit}^")
        if parent is None:
            return None
        diff = self._run("diff", "--name-status", "-z", "-M", _END, parent, commit, "--")
        for change in name_status_in(diff):
            if change.status == "R" and change.new_path == path:
                return change.old_path
        return None

    def commit_subjects(self, commits: Iterable[str]) -> dict[str, str]:
        """The subject line of each of these commits, in one `git log --no-walk`."""
        wanted = sorted({c for c in commits if c and not c.startswith("-")})
        if not wanted:
            return {}
        out = self._run("log", "--no-walk=unsorted", "--format=%H%x00%s", _END, *wanted, "--")
        return dict(line.split("\0", 1) for line in out.splitlines() if "\0" in line)

    def touched_between(self, one: str, other: str) -> set[str]:
        """Every path a commit on either side of `one...other` touched (renames as both paths): the commits one
        has and the other lacks change the history of those files, even where their content ends up the same."""
        out = self._run("log", "--no-renames", "--format=", "--name-only", "-z", _END, f"{one}...{other}", "--")
        return {path.strip("\n") for path in out.split("\0")} - {""}

    def first_parent_log(self, head: str, count: int) -> list[tuple[str, int]]:
        """The last `count` commits of `head`'s first-parent line, newest first, with their times."""
        out = self._run("log", "--first-parent", f"-n{count}", "--format=%H %ct", _END, head, "--")
        return [(sha, int(time)) for sha, time in (line.split() for line in out.splitlines() if line.strip())]

    def remote_url(self) -> str | None:
        """The URL of `origin` (else the first remote), for links; None without remotes."""
        remotes = (self._try("remote") or "").split()
        if not remotes:
            return None
        name = "origin" if "origin" in remotes else remotes[0]
        return self._try("remote", "get-url", name)

    def fetch(self, remote: str, *refspecs: str, options: Sequence[str] = ()) -> bool:
        """`git fetch --quiet --no-tags <options> <remote> <refspecs>`; False when it failed (no remote, no network,
        unknown ref). The remote and refspecs come after `--end-of-options`: never read as options."""
        try:
            run_git(self.root, [*GIT_CONFIG, "fetch", "--quiet", "--no-tags", *options, _END, remote, *refspecs])
        except GitFailed:
            return False
        return True

    def deepen_until(self, base: str, head: str, remote: str = "origin") -> str | None:
        """Fetch more history of a shallow clone until `base` and `head` have a merge-base; returns it, or None.

        Fetches the base commit itself first (cheap), then deepens in doubling steps, then unshallows.
        """
        self.fetch(remote, base)
        for depth in (50, 200, 1000):
            found = self._try("merge-base", _END, base, head)
            if found:
                return found.splitlines()[0]
            if not self.fetch(remote, options=[f"--deepen={depth}"]):
                break
        if self.is_shallow():
            self.fetch(remote, options=["--unshallow"])
        found = self._try("merge-base", _END, base, head)
        return found.splitlines()[0] if found else None

    def commit_time(self, rev: str) -> int:
        return int(self._run("log", "-1", "--format=%ct", _END, rev, "--").strip())

    def revisions(self, head: str) -> list[str]:
        """The commits of `head`'s first-parent line, newest first (to count commits since a change landed)."""
        return self._run("rev-list", "--first-parent", _END, head, "--").split()

    def blame_times(self, path: str, rev: str | None = None) -> list[int]:
        """For each line of `path` (at `rev`, else in the work tree), when it was last changed (uncommitted: now):
        when the change landed on the first-parent line, as `path_log` dates code."""
        if rev is not None and rev.startswith("-"):  # git blame has no --end-of-options (git 2.39)
            raise RepoError(f"unknown revision {rev!r}", "a revision cannot start with '-'")
        out = self._run("blame", "--porcelain", "--first-parent", *([rev] if rev else []), "--", path)
        times: dict[str, int] = {}
        lines: list[int] = []
        current = ""
        for line in out.splitlines():
            if line.startswith("\t"):
                lines.append(times.get(current, 0))
            elif len(line) > 40 and line[40:41] == " " and all(c in "0123456789abcdef" for c in line[:40]):
                current = line[:40]
            elif line.startswith("committer-time "):
                times[current] = int(line.split()[1])
        return lines

    def query(self, *args: str) -> str | None:
        """A git command's output, None when it fails (a read whose failure only means "no answer")."""
        return self._try(*args)

    # -- plumbing ---------------------------------------------------------------------------------

    def _run(self, *args: str) -> str:
        try:
            return run_git(self.root, [*GIT_CONFIG, *args])
        except GitFailed as error:
            raise RepoError(f"git {args[0]} failed: {error.message}", FETCH_HINT) from None

    def _try(self, *args: str) -> str | None:
        try:
            out = run_git(self.root, [*GIT_CONFIG, *args]).strip()
        except GitFailed:
            return None
        return out or None

    def close(self) -> None:
        self._blobs.close()


def _diff_target(base: str, head: str | None) -> list[str]:
    if head is None:
        return ["--cached", _END, base]
    return [_END, base] if head == WORKTREE else [_END, base, head]


def _pathspecs(paths: Iterable[str]) -> list[str]:
    """Pathspecs that cover `paths`: the paths themselves when few, else a glob per top folder and extension
    (`:(glob)src/**/*.py`), and the paths no glob fits (files at the root, names git would read as globs)."""
    paths = sorted(paths)
    if len(paths) <= _LITERAL_PATHS_MAX:
        return [f":(literal){path}" for path in paths]
    globs, literal = set(), []
    for path in paths:
        folder, slash, _ = path.partition("/")
        extension = posixpath.splitext(path)[1]
        if slash and extension and not _GLOB_SPECIAL.search(folder + extension):
            globs.add(f":(glob){folder}/**/*{extension}")
        else:
            literal.append(f":(literal){path}")
    return sorted(globs) + literal
