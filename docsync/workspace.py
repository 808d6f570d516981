"""Opens what every command needs: the repository, its configuration, the cache, and the stores that read through it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from docsync.cache import Cache, cache_location, cache_max_bytes
from docsync.command_lines import CommandLines
from docsync.config import load_config
from docsync.diagnostics import Diagnostics
from docsync.doc_scans import DocScans
from docsync.environment import Environment
from docsync.gitrepo import GitRepo
from docsync.history.store import OldVersions
from docsync.loader import Loader
from docsync.project_settings import ProjectSettings
from docsync.settings import Config


@dataclass(frozen=True)
class Workspace:
    """One run's view of one repository: `loader` reads snapshots and their symbol tables, `docs` their docs,
    `versions` the old file versions history walks ask for, `commands` command lines; all share the cache and
    the warnings."""

    repo: GitRepo
    config: Config
    loader: Loader
    docs: DocScans
    versions: OldVersions
    commands: CommandLines  # the project's command line and the command lines its docs show (issue 17)
    environment: Environment  # the variables its code reads and those its docs set
    settings_keys: ProjectSettings  # the settings keys its loaders accept and those its docs show
    stderr: TextIO
    progress_stream: TextIO | None = None  # where progress bars go: stderr, or None (`--quiet`)
    warnings: bool = True  # False under `--quiet`: warnings go nowhere, what explains an exit code still does

    def report_diagnostics(self) -> None:
        """Print each warning met during the run, once, to stderr."""
        if not self.warnings:
            return
        for diagnostic in self.loader.diagnostics.sorted():
            where = f"{diagnostic.path}:{diagnostic.line}" if diagnostic.line else diagnostic.path  # 0: the file
            print(f"docsync: warning: {_printable(where)}: {diagnostic.message}", file=self.stderr)


def _printable(path: str) -> str:
    """A path on one line: a line break or other control character in a file name is shown escaped (`\\n`)."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in path)


def _tracked_files(repo: GitRepo) -> int:
    """How many files the repository has: what the default cache limit grows with (asked only past that limit).
    A tree listed in the run says it; else git lists the index (0.02 s at 50,000 files)."""
    if repo.files_listed:
        return repo.files_listed
    listed = repo.query("ls-files", "-z")
    return listed.count("\0") if listed else 0  # each name ends with a NUL


@contextmanager
def open_workspace(
    path: str | Path = ".",
    config_path: str | None = None,
    use_cache: bool = True,
    stderr: TextIO | None = None,
    show_progress: bool = True,
    show_warnings: bool = True,
) -> Iterator[Workspace]:
    err = stderr or sys.stderr
    bars = err if show_progress else None
    repo = GitRepo(path)
    try:
        config = load_config(repo.root, Path(config_path) if config_path else None)
        cache_path, guarded = cache_location(repo.git_dir, config.cache_dir, repo.root, config_path is None)
        max_bytes, grows = cache_max_bytes(config.cache_max_mb)
        cache = Cache(
            cache_path if use_cache else None,
            warn=lambda message: print(f"docsync: warning: {message}", file=err) if show_warnings else None,
            follow_links=not guarded,
            max_bytes=max_bytes if use_cache else None,
            files=(lambda: _tracked_files(repo)) if grows else None,
        )
        try:
            diagnostics = Diagnostics()
            loader = Loader(repo, config, cache, progress_stream=bars, diagnostics=diagnostics)
            docs = DocScans(config, cache, loader.read, diagnostics, progress_stream=bars)
            versions = OldVersions(repo, cache, loader.encoded_modules, progress_stream=bars)
            commands, environment = CommandLines(loader, cache), Environment(loader, cache)
            keys = ProjectSettings(loader, cache, commands)
            yield Workspace(repo, config, loader, docs, versions, commands, environment, keys, err, bars, show_warnings)
        finally:
            cache.close()
    finally:
        repo.close()
