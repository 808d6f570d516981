"""Answers of unchanged runs (issue 18): a run asked again of what it has already read answers from the cache.

A warm whole-repository check of 50,000 modules still assembled its symbol table from 50,000 cached entries (16 s)
to learn that nothing had changed. What a run reads is named here by git's own ids instead, in milliseconds at any
size: the commits it checks; for the index, its checksum; for the work tree, that and the files git says differ
from the index (changed, deleted, untracked), hashed here. The key also holds docsync's own code, the settings,
the options that change the answer, the lockfile and a shallow clone's boundary: any of them changed, a new run.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docsync.cache import code_digest
from docsync.codec_values import BadEntry, checked_int, checked_list, checked_str
from docsync.gitexec import GitFailed, run_git
from docsync.gitrepo import WORKTREE
from docsync.globs import PathMatcher
from docsync.loader import MAX_FILE_BYTES, STAGED
from docsync.lockfile import LOCK_NAME
from docsync.models import Diagnostic
from docsync.runlog import RunLog
from docsync.workspace import Workspace

NAMESPACE = "answers-1"  # a new layout of what a command keeps: a new namespace
# git's index ends with a hash of all before it: SHA-1, or SHA-256 whose last 20 bytes do as well; all zeros
# where git skips it (`index.skipHash`).
_INDEX_CHECKSUM_BYTES = 20


@dataclass(frozen=True, slots=True)
class Question:
    """One run's question: a command, what it reads (commit shas, STAGED or WORKTREE), the options that change
    its answer."""

    command: str
    reads: tuple[str, ...]
    options: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class Answer:
    """What a run printed: its result (JSON, the command's own encoding), what `--verbose` says it did, and the
    warnings it met (a recalled answer prints them again)."""

    result: Any
    what: str
    warnings: tuple[Diagnostic, ...]

    def replay(self, workspace: Workspace, log: RunLog, started: float) -> None:
        """Warn again what the run warned, and say under `--verbose` that this run is that one's answer."""
        for warning in self.warnings:
            workspace.loader.diagnostics.warn(warning)
        log.done(started, f"{self.what} (the answer kept from the same run on the same tree)")


def recall(workspace: Workspace, question: Question) -> tuple[str | None, Answer | None]:
    """The key of this question as the repository stands (None: no answer is kept for it), and the answer kept
    under it (None: none, or unreadable)."""
    key = _key(workspace, question)
    if key is None:
        return None, None
    return key, _decoded(workspace.loader.cache.get_many(_namespace(question), [key]).get(key))


def keep(workspace: Workspace, question: Question, key: str | None, answer: Answer) -> None:
    """Keep `answer` under `key`, the question's key when the run started, unless the repository changed while the
    run read it (a file saved mid-run: the answer may hold either version, so it answers no later run)."""
    if key is not None and _key(workspace, question) == key:
        warnings = [[w.path, w.line, w.message] for w in answer.warnings]
        workspace.loader.cache.put_recent(_namespace(question), key, [answer.result, answer.what, warnings])


def _decoded(value: Any) -> Answer | None:
    if value is None:
        return None
    try:
        result, what, warnings = checked_list(value, 3)
        listed = (checked_list(warning, 3) for warning in checked_list(warnings))
        diagnostics = tuple(Diagnostic(checked_str(p), checked_int(n), checked_str(m)) for p, n, m in listed)
        return Answer(result, checked_str(what), diagnostics)
    except BadEntry:
        return None


def _key(workspace: Workspace, question: Question) -> str | None:
    if workspace.loader.cache.path is None:
        return None  # --no-cache: nothing read, nothing kept
    state = _state(workspace, question.reads)
    if state is None:
        return None
    parts = (NAMESPACE, code_digest(), workspace.config.digest(), question.command, question.options, state)
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()


def _state(workspace: Workspace, reads: Sequence[str]) -> tuple[Any, ...] | None:
    """What the run reads of the repository, or None when that cannot be named cheaply (no commit yet)."""
    repo = workspace.repo
    local = STAGED in reads or WORKTREE in reads
    try:
        out = run_git(repo.root, ["rev-parse", "--git-path", "index", "--verify", "-q", "HEAD"]) if local else ""
    except GitFailed:
        return None  # no HEAD: a repository without commits is small, and asks for no shortcut
    index_path, head = out.split("\n")[:2] if local else ("", "")
    state: list[Any] = [tuple(reads), head, _read(repo.git_dir / "shallow"), _read(repo.root / LOCK_NAME)]
    if local:
        checksum = _index_checksum(repo.root / index_path)
        if checksum is None:
            return None
        state.append(checksum)
    if WORKTREE in reads:
        differing = _differing_files(workspace)
        if differing is None:
            return None
        state.append(differing)
    return tuple(state)


def _index_checksum(path: os.PathLike[str]) -> str | None:
    """The index's own trailing checksum: any staged change, and any stat refresh, rewrites it; where git skips
    it, the file's digest. No index (nothing staged yet): "". None: unreadable."""
    try:
        with open(path, "rb") as index:
            size = index.seek(0, os.SEEK_END)
            index.seek(max(0, size - _INDEX_CHECKSUM_BYTES))
            tail = index.read()
            if tail.strip(b"\0"):
                return f"{size}:{tail.hex()}"
            index.seek(0)
            return f"{size}:" + hashlib.blake2b(index.read(), digest_size=20).hexdigest()
    except FileNotFoundError:
        return ""
    except OSError:
        return None


def _differing_files(workspace: Workspace) -> tuple[tuple[str, str, str], ...] | None:
    """Each file of the work tree git says differs from the index (`C` changed, `R` deleted, `?` untracked, not
    ignored nor excluded by the settings), with a digest of what is there now."""
    root = workspace.repo.root
    try:
        out = run_git(root, ["-c", "core.quotepath=off", "ls-files", "-z", "-t", "--others", "--modified",
                             "--deleted", "--exclude-standard"])  # fmt: skip
    except GitFailed:
        return None
    # An untracked file under the excluded folders (a virtual environment not in .gitignore: thousands of files)
    # is never read by a run, so it is not hashed here either.
    excluded = PathMatcher(workspace.config.all_excludes)
    listed = sorted({(entry[:1], entry[2:]) for entry in out.split("\0") if entry})
    kept = [(tag, path) for tag, path in listed if tag != "?" or not excluded.matches(path)]
    return tuple((tag, path, _file_digest(os.path.join(root, path))) for tag, path in kept)


def _file_digest(path: str) -> str:
    try:
        if os.path.islink(path):
            return "link:" + os.readlink(path)
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:  # skipped by the run as too large: its size and time say it changed
            return f"large:{size}:{os.stat(path).st_mtime_ns}"
        with open(path, "rb") as file:
            return hashlib.blake2b(file.read(), digest_size=20).hexdigest()
    except FileNotFoundError:
        return "missing"
    except OSError as error:
        return f"unreadable:{error.errno}"


def _read(path: os.PathLike[str]) -> str:
    """A small file's digest ("" when there is none): the lockfile, a shallow clone's boundary."""
    try:
        with open(path, "rb") as file:
            return hashlib.blake2b(file.read(), digest_size=20).hexdigest()
    except OSError:
        return ""


def _namespace(question: Question) -> str:
    """One per command: each keeps its few latest answers (a CI job runs `check`, then `report`)."""
    return f"{NAMESPACE}-{question.command}"
