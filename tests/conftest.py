"""Shared fixtures: real git repositories in temporary folders (git is never mocked)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

from docsync.main import main
from docsync.symbols.extract import extract_module
from docsync.symbols.layout import find_modules
from docsync.symbols.table import SymbolTable, build_table

AUTHOR = {
    "GIT_AUTHOR_NAME": "Doc Writer",
    "GIT_AUTHOR_EMAIL": "writer@example.com",
    "GIT_COMMITTER_NAME": "Doc Writer",
    "GIT_COMMITTER_EMAIL": "writer@example.com",
}


class Repo:
    """A real git repository in a temporary folder, with fixed author and dates so shas are stable."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tick = 0
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            ["git", *args],
            cwd=self.path,
            capture_output=True,
            text=True,
            env=git_env(self._date()),
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {result.stderr}")
        return result.stdout.strip()

    def _date(self) -> str:
        return f"{1_700_000_000 + self._tick * 86_400} +0000"

    def write(self, files: Mapping[str, str | bytes | None]) -> None:
        """Write (or, for None, delete) files in the work tree."""
        for name, content in files.items():
            target = self.path / name
            if content is None:
                target.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")

    def stage(self, files: Mapping[str, str | bytes | None]) -> None:
        self.write(files)
        self.git("add", "-A", *files)

    def commit(self, files: Mapping[str, str | bytes | None], message: str = "change", day: int | None = None) -> str:
        """Write, stage and commit (dated `day` days after the first, or a day after the last); returns the sha."""
        self._tick = day if day is not None else self._tick + 1
        self.stage(files)
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    def merge(self, branch: str, message: str = "merge", day: int | None = None) -> str:
        """Merge `branch` into the checked-out branch with a merge commit (dated as `commit` dates)."""
        self._tick = day if day is not None else self._tick + 1
        self.git("merge", "-q", "--no-ff", "-m", message, branch)
        return self.git("rev-parse", "HEAD")

    def read(self, name: str) -> str:
        return (self.path / name).read_text(encoding="utf-8")


def git_env(date: str = "1700000000 +0000") -> dict[str, str]:
    """The environment for git in tests: no GIT_* leaking in from a hook, no user or system config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(AUTHOR)
    env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    return env


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("GIT_", "DOCSYNC_", "GITHUB_", "GITLAB_", "CI_")) or name in ("CI", "NO_COLOR"):
            monkeypatch.delenv(name, raising=False)
    for name, value in git_env().items():
        if name.startswith("GIT_"):
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture
def git_repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"Result(code={self.code}, out={self.out!r}, err={self.err!r})"


def run(repo: Repo | Path, *args: str) -> Result:
    """Call `docsync` in-process on a repository, capturing the exit code and both streams."""
    path = repo.path if isinstance(repo, Repo) else repo
    out, err = io.StringIO(), io.StringIO()
    command, *rest = args
    code = main([command, "-C", str(path), *rest], stdout=out, stderr=err)
    return Result(code, out.getvalue(), err.getvalue())


GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/* from the current output")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> object:
    """`golden("name.ext", text)`: compare with tests/golden/name.ext byte for byte (or rewrite it)."""
    update = bool(request.config.getoption("--update-golden"))

    def compare(name: str, text: str) -> None:
        path = GOLDEN / name
        if update or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            if not update:
                pytest.fail(f"golden file {name} did not exist; written now, check it in")
        assert text == path.read_bytes().decode("utf-8"), f"output differs from tests/golden/{name} (--update-golden)"

    return compare


def table_of(files: Mapping[str, str], roots: tuple[str, ...] = ("",)) -> SymbolTable:
    """The symbol table of a project given as {path: source}, parsed for real."""
    modules = find_modules(files, roots)
    return build_table((modules[path], extract_module(source.encode())) for path, source in files.items())


def sigint_as_in_a_terminal() -> None:
    """`preexec_fn` for a docsync started to be sent SIGINT: a shell starts background jobs with SIGINT ignored
    (`pytest &`, nohup), and a child inherits that; Ctrl-C in a terminal reaches a process with the default."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
