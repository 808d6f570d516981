"""Whether a whole-repository check that carries untouched docs' judgements reports what a check of every doc does.

    python benchmarks/carried_equivalence.py --subjects DIR [--commits N] [--only PROJECT ...]

For each project in DIR (clones; the held-back acceptance projects are skipped), the last N+1 first-parent commits
of HEAD, oldest first, each checked whole with `check --head C --format json`:

  carried     with one cache for the project: the oldest commit is judged whole and keeps its judgement; each later
              one starts from the one before it (`--verbose` says "carried from");
  reference   `--no-cache`: every doc judged.

Prints, per project: commits compared, how many carried, the docs judged again of all the docs (summed over the
carried commits), the findings the reference reports hold, and every commit whose two reports differ (the JSON
reports are compared whole). Exit status 1 if any differ.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from rows_equivalence import docsync, git, subjects  # next to this script, the first entry of sys.path

CARRIED = re.compile(r"(\d+) of (\d+) docs read \(the others' judgement carried from")


def compare(project: Path, commits: int, scratch: Path) -> tuple[int, int, int, int, int, list[str]]:
    """(commits compared, carried, docs judged again, docs in all, findings in the references, commits differing)."""
    worktree, cache = scratch / f"wt-{project.name}", scratch / f"cache-{project.name}"
    git(project, "worktree", "add", "-q", "--detach", str(worktree), "HEAD")
    compared = carried = judged = total = findings = 0
    differ: list[str] = []
    try:
        line = git(project, "rev-list", "--first-parent", f"-{commits + 1}", "HEAD").split()[::-1]
        docsync(["check", "--head", line[0], "--format", "json"], worktree, cache)  # keeps its judgement
        for commit in line[1:]:
            reference = docsync(["check", "--head", commit, "--format", "json", "--no-cache"], worktree, None)
            if reference.returncode not in (0, 1):
                continue  # a commit docsync cannot check: nothing to compare
            warm = docsync(["check", "--head", commit, "--format", "json", "--verbose"], worktree, cache)
            compared += 1
            report = json.loads(reference.stdout)
            findings += len(report["findings"])
            found = CARRIED.search(warm.stderr)
            if found is not None:
                carried += 1
                judged += int(found[1])
                total += int(found[2])
            if warm.returncode not in (0, 1) or json.loads(warm.stdout) != report:
                differ.append(commit)  # a run that fails where the reference did not differs too
    finally:
        git(project, "worktree", "remove", "--force", str(worktree))
    return compared, carried, judged, total, findings, differ


def main(argv: Sequence[str] | None = None) -> int:
    commits, projects = subjects(argv, __doc__, 3, "commits per project after the first")
    failed = False
    print("| project | commits | carried | docs judged again / all | findings | differ |")
    print("|---|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory(prefix="docsync-carried-") as scratch:
        for project in projects:
            compared, carried, judged, total, findings, differ = compare(project, commits, Path(scratch))
            failed = failed or bool(differ)
            shown = ", ".join(sha[:10] for sha in differ) or "none"
            row = f"| {project.name} | {compared} | {carried} | {judged} / {total} | {findings} | {shown} |"
            print(row, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
