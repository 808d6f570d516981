"""Whether a pull-request check whose base table is read from the cache's rows reports what one without a cache does.

    python benchmarks/rows_equivalence.py --subjects DIR [--commits N] [--only PROJECT ...]

For the last N first-parent commits C of each project in DIR (clones; the held-back acceptance projects are
skipped), three runs of docsync in a worktree checked out at C:

  reference   `check --base C^ --format json --no-cache`: every table assembled from scratch;
  keep        `check --head C^` (the whole repository at C^), with the project's cache: keeps C^'s table as rows;
  from rows   `check --base C^ --format json --verbose`, with that cache: the base's table is read from its rows
              when the commit left every file's names as they were (`--verbose` says so).

Prints, per project: commits compared, how many read the base from rows, the findings the reference reports hold,
and every commit whose two reports differ (the JSON reports are compared whole). Exit status 1 if any differ.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

HELD_BACK = {"httpx", "attrs", "marshmallow", "flask", "typer", "more-itertools", "click", "requests"}
ROOT = Path(__file__).resolve().parent.parent
FROM_ROWS = "read from the rows the cache keeps"


def docsync(args: Sequence[str], cwd: Path, cache: Path | None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if cache is not None:
        env["DOCSYNC_CACHE_DIR"] = str(cache)
    return subprocess.run(
        [sys.executable, "-m", "docsync", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout.strip()


def compare(project: Path, commits: int, scratch: Path) -> tuple[int, int, int, list[str]]:
    """(commits compared, read from rows, findings in the reference reports, the commits whose reports differ)."""
    worktree, cache = scratch / f"wt-{project.name}", scratch / f"cache-{project.name}"
    git(project, "worktree", "add", "-q", "--detach", str(worktree), "HEAD")
    compared, from_rows, findings, differ = 0, 0, 0, []
    try:
        for commit in git(project, "rev-list", "--first-parent", f"-{commits}", "HEAD").split():
            parent = f"{commit}^"
            git(worktree, "checkout", "-q", "--detach", commit)
            reference = docsync(["check", "--base", parent, "--format", "json", "--no-cache"], worktree, None)
            if reference.returncode not in (0, 1):
                continue  # a commit docsync cannot check (no parent, broken settings): nothing to compare
            docsync(["check", "--head", parent, "--format", "json"], worktree, cache)
            warm = docsync(["check", "--base", parent, "--format", "json", "--verbose"], worktree, cache)
            compared += 1
            from_rows += FROM_ROWS in warm.stderr
            findings += len(json.loads(reference.stdout)["findings"])
            if warm.returncode not in (0, 1) or json.loads(warm.stdout) != json.loads(reference.stdout):
                differ.append(commit)  # a run that fails where the reference did not differs too
    finally:
        git(project, "worktree", "remove", "--force", str(worktree))
    return compared, from_rows, findings, differ


def subjects(argv: Sequence[str] | None, doc: str, commits: int, per: str) -> tuple[int, list[Path]]:
    """(--commits, the projects to compare): the clones in --subjects but the held-back ones, --only those named."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--subjects", type=Path, required=True, help="a folder of the projects' clones")
    parser.add_argument("--commits", type=int, default=commits, help=f"{per} (default: {commits})")
    parser.add_argument("--only", nargs="*", default=(), help="these projects only")
    args = parser.parse_args(argv)
    found = sorted(p for p in args.subjects.iterdir() if (p / ".git").exists() and p.name not in HELD_BACK)
    return args.commits, [p for p in found if not args.only or p.name in args.only]


def main(argv: Sequence[str] | None = None) -> int:
    commits, projects = subjects(argv, __doc__, 10, "commits per project")
    failed = False
    with tempfile.TemporaryDirectory(prefix="docsync-rows-") as scratch:
        for project in projects:
            compared, from_rows, findings, differ = compare(project, commits, Path(scratch))
            print(
                f"{project.name}: {compared} commits, {from_rows} read the base from rows, {findings} findings, "
                f"{len(differ)} differ"
            )
            for commit in differ:
                print(f"  differs: {commit}")
            failed = failed or bool(differ)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
