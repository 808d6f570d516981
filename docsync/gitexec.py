"""Running git: one command at a time, or one long-lived `git cat-file --batch` for blob reads.

Plain subprocesses rather than GitPython: docsync needs only these two, and importing GitPython
costs ~40 ms, an eighth of what a pre-commit run may take (see the README's performance section).
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO

# Every command of `GitRepo`: paths unquoted, no colours, diffs with their a/ and b/ prefixes.
GIT_CONFIG = ("-c", "core.quotepath=off", "-c", "color.ui=never", "-c", "diff.noprefix=false")
# Every regular file of a commit, in `git_output.tree_files_in`'s form (no `-l`: sizes cost git a read of every
# object; the loader checks the size of what it reads).
TREE_LISTING = ("ls-tree", "-r", "-z", "--full-tree", "--end-of-options")
# git's messages in English (they are shown to the user, never parsed), and no pager.
_ENV_OVERRIDES = {"LANGUAGE": "C", "LC_ALL": "C", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0"}


class GitFailed(Exception):
    """git exited with an error, or could not be started; the message is git's own last line."""

    def __init__(self, command: str, message: str) -> None:
        super().__init__(f"git {command}: {message}")
        self.message = message


def git_env() -> dict[str, str]:
    return {**os.environ, **_ENV_OVERRIDES}


def run_git(cwd: Path | str, args: Sequence[str]) -> str:
    """git's stdout (undecodable bytes kept as surrogates, like paths); GitFailed when it fails."""
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env=git_env(),
            check=False,
        )
    except FileNotFoundError as error:
        missing = "git is not installed" if error.filename in ("git", None) else f"no such folder: {cwd}"
        raise GitFailed(args[0] if args else "", missing) from None
    except (NotADirectoryError, PermissionError) as error:
        raise GitFailed(args[0] if args else "", f"cannot enter {cwd}: {error.strerror}") from None
    if result.returncode != 0:
        raise GitFailed(args[0] if args else "", last_line(result.stderr.decode("utf-8", "replace")))
    return result.stdout.decode("utf-8", "surrogateescape")


def last_line(stderr: str) -> str:
    """git's own complaint (`fatal: ...`): the last non-empty line of its stderr."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else "failed"


class BlobReader:
    """Reads blobs through one `git cat-file --batch` started on first use (safe to share between threads)."""

    def __init__(self, cwd: Path) -> None:
        self._cwd = cwd
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def read(self, sha: str) -> bytes:
        if not sha or any(c not in "0123456789abcdef" for c in sha):
            raise GitFailed("cat-file", f"not an object id: {sha!r}")
        with self._lock:
            stdin, stdout = self._pipes()
            stdin.write(sha.encode("ascii") + b"\n")
            stdin.flush()
            header = stdout.readline().decode("ascii", "replace").split()
            if len(header) != 3 or not header[2].isdigit():
                if not header:  # the process died: start afresh next time
                    self.close()
                raise GitFailed("cat-file", " ".join(header[1:]) or "unreadable")
            size = int(header[2])
            data = stdout.read(size)
            stdout.read(1)  # the newline after the content
            if len(data) != size:
                self.close()
                raise GitFailed("cat-file", "cut short")
            return data

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                # git maps its packs in windows of up to 1 GiB, all counted in its RSS: reading 50,000 blobs held
                # 120 MB of the pack mapped; 16 MB at a time costs 1.6 µs per blob.
                ["git", "-c", "core.packedGitWindowSize=1m", "-c", "core.packedGitLimit=16m", "cat-file", "--batch"],
                cwd=self._cwd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=git_env(),
            )
        stdin, stdout = self._process.stdin, self._process.stdout
        if stdin is None or stdout is None:  # never: both are pipes
            raise GitFailed("cat-file", "no pipes to git")
        return stdin, stdout

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
