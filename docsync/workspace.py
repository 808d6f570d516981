"""Opens what every command needs: the repository, its configuration, the cache and a loader."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from docsync.cache import Cache, default_cache_path
from docsync.config import load_config
from docsync.gitrepo import GitRepo
from docsync.loader import Loader
from docsync.models import Diagnostic
from docsync.settings import Config


@dataclass(frozen=True)
class Workspace:
    repo: GitRepo
    config: Config
    loader: Loader
    stderr: TextIO

    def report_diagnostics(self) -> None:
        """Print each warning met during the run, once, to stderr."""
        for diagnostic in self.loader.diagnostics:
            print(f"docsync: warning: {format_diagnostic(diagnostic)}", file=self.stderr)


def format_diagnostic(diagnostic: Diagnostic) -> str:
    return f"{diagnostic.path}:{diagnostic.line}: {diagnostic.message}"


@contextmanager
def open_workspace(
    path: str | Path = ".",
    config_path: str | None = None,
    use_cache: bool = True,
    stderr: TextIO | None = None,
) -> Iterator[Workspace]:
    err = stderr or sys.stderr
    repo = GitRepo(path)
    try:
        config = load_config(repo.root, Path(config_path) if config_path else None)
        cache_path = default_cache_path(repo.git_dir, config.cache_dir, repo.root) if use_cache else None
        cache = Cache(cache_path, warn=lambda message: print(f"docsync: warning: {message}", file=err))
        try:
            yield Workspace(repo, config, Loader(repo, config, cache, progress_stream=err), err)
        finally:
            cache.close()
    finally:
        repo.close()
