"""Whether a whole-repository check that carries untouched docs' judgements reports what a check of every doc does.

    python benchmarks/carried_equivalence.py --subjects DIR [--commits N] [--only PROJECT ...] [--map]

For each project in DIR (clones; the held-back acceptance projects are skipped), the last N+1 first-parent commits
of HEAD, oldest first, each checked whole with `check --head C --format json`:

  carried     with one cache for the project: the oldest commit is judged whole and keeps its judgement; each later
              one starts from the one before it (`--verbose` says "carried from");
  reference   `--no-cache`: every doc judged.

Prints, per project: commits compared, how many carried, the docs judged again of all the docs (summed over the
carried commits), the findings the reference reports hold, and every commit whose two reports differ (the JSON
reports are compared whole). Exit status 1 if any differ.

`--map` compares `map --rev C --format json` the same way (a map carries the docs a change did not reach from the
map kept before it): the docs resolved again (summed), the references the reference maps hold, the maps differing.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from rows_equivalence import docsync, git, subjects  # next to this script, the first entry of sys.path

CARRIED = re.compile(r"(\d+) of (\d+) docs read \(the others' judgement carried from")
MAP_CARRIED = re.compile(r"(\d+) docs resolved again, the others as mapped at")


def compare(project: Path, commits: int, scratch: Path, mapping: bool) -> tuple[int, int, int, int, int, list[str]]:
    """(commits compared, carried, docs judged again, docs in all (0 for maps), findings in the references (for
    maps, references), commits differing)."""
    worktree, cache = scratch / f"wt-{project.name}", scratch / f"cache-{project.name}"
    git(project, "worktree", "add", "-q", "--detach", str(worktree), "HEAD")
    compared = carried = judged = total = findings = 0
    differ: list[str] = []
    try:
        line = git(project, "rev-list", "--first-parent", f"-{commits + 1}", "HEAD").split()[::-1]
        command = (lambda commit: ["map", "--rev", commit]) if mapping else (lambda commit: ["check", "--head", commit])
        docsync([*command(line[0]), "--format", "json"], worktree, cache)  # keeps its judgement (or map)
        for commit in line[1:]:
            reference = docsync([*command(commit), "--format", "json", "--no-cache"], worktree, None)
            if reference.returncode not in (0, 1):
                continue  # a commit docsync cannot check: nothing to compare
            warm = docsync([*command(commit), "--format", "json", "--verbose"], worktree, cache)
            compared += 1
            report = json.loads(reference.stdout)
            findings += len(report["references" if mapping else "findings"])
            found = (MAP_CARRIED if mapping else CARRIED).search(warm.stderr)
            if found is not None:
                carried += 1
                judged += int(found[1])
                total += 0 if mapping else int(found[2])
            if warm.returncode not in (0, 1) or json.loads(warm.stdout) != report:
                differ.append(commit)  # a run that fails where the reference did not differs too
    finally:
        git(project, "worktree", "remove", "--force", str(worktree))
    return compared, carried, judged, total, findings, differ


def main(argv: Sequence[str] | None = None) -> int:
    maps = argparse.ArgumentParser(add_help=False)
    maps.add_argument("--map", action="store_true")
    known, rest = maps.parse_known_args(argv)
    commits, projects = subjects(rest, __doc__, 3, "commits per project after the first")
    failed = False
    if known.map:
        print("| project | commits | carried | docs resolved again | references | differ |")
    else:
        print("| project | commits | carried | docs judged again / all | findings | differ |")
    print("|---|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory(prefix="docsync-carried-") as scratch:
        for project in projects:
            compared, carried, judged, total, findings, differ = compare(project, commits, Path(scratch), known.map)
            failed = failed or bool(differ)
            shown = ", ".join(sha[:10] for sha in differ) or "none"
            again = str(judged) if known.map else f"{judged} / {total}"
            row = f"| {project.name} | {compared} | {carried} | {again} | {findings} | {shown} |"
            print(row, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
