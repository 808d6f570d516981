"""Benchmark a history walk: `docsync check` without a lockfile on the last N commits of a real repository,
and `docsync report --history H` (the HTML report with its score trend over the last H commits).

    python benchmarks/bench_history.py --repo /work/subjects/sqlalchemy [--commits 1000] [--runs 3] [--trend 30]

The repository is cloned (`--depth N`, into a temporary folder, never touched) so that the walk sees
N commits of history. Next to docsync, in the same run, the floor: read every module blob those
commits changed (one `git cat-file --batch`) and fingerprint it with the stdlib's `ast` (`ast.parse`,
then a digest of `ast.dump` of every class and function) on all cores. That is what a tool that
parses each changed version once must do; docsync parses only the versions its docs' symbols need.
The report runs cold, warm, and "after a new commit": from a copy of the cache the report of HEAD's
first parent left (a worktree of the clone), which is what a report in CI after each push sees.
Prints a Markdown table like bench.py's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from _floors import Floor, ProjectFiles, fingerprint_via_ast, git, on_all_cores, read_blobs
from bench import Bench, machine_info, results_table


def changed_module_blobs(repo: Path) -> list[str]:
    """Every blob a commit of `repo` gave to a file docsync treats as a module (deletions aside)."""
    out = git(repo, "log", "--raw", "--no-renames", "--no-abbrev", "--format=", "--", "*.py").decode(
        "utf-8", "surrogateescape"
    )
    changes = [line.split("\t", 1) for line in out.splitlines() if line.startswith(":") and "\t" in line]
    modules = set(ProjectFiles(repo).modules(sorted({path for _, path in changes})))
    blobs = {meta.split()[3] for meta, path in changes if path in modules}
    return sorted(blob for blob in blobs if set(blob) != {"0"})


def measure_floor(repo: Path, blobs: Sequence[str], runs: int) -> dict[str, Floor]:
    reads, parses = [], []
    for _ in range(runs):
        start = time.perf_counter()
        sources = read_blobs(repo, blobs)
        reads.append(time.perf_counter() - start)
        start = time.perf_counter()
        on_all_cores(fingerprint_via_ast, sources)
        parses.append(time.perf_counter() - start)
    size = sum(len(s) for s in sources) / 1e6
    return {
        "h": Floor("h", f"read the {len(blobs)} changed module blobs ({size:.0f} MB), one cat-file --batch",
                   statistics.median(reads), min(reads)),
        "f": Floor("f", f"fingerprint them via ast (parse + dump of each def/class), {os.cpu_count()} processes",
                   statistics.median(parses), min(parses)),
    }  # fmt: skip


def shallow_clone(repo: Path, commits: int, scratch: Path) -> Path:
    target = scratch / "history"
    git(repo, "clone", "--quiet", "--no-local", "--depth", str(commits), f"file://{repo}", str(target))
    return target


def run_report_cases(bench: Bench, clone: Path, trend: int, scratch: Path) -> None:
    def report(repo: Path) -> list[str]:
        return ["report", "-C", str(repo), "--history", str(trend), "--output", str(scratch / "report.html")]

    name = f"report --history {trend}"
    bench.cold(f"{name}, cold", report(clone))
    bench.warm(f"{name}, warm", report(clone))
    parent = scratch / "parent"
    git(clone, "worktree", "add", "--quiet", "--detach", str(parent), "HEAD^")
    before = bench.filled("the parent's report", report(parent))
    bench.from_copy(f"{name}, after a new commit (the parent's cache)", report(clone), before, {})


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", type=Path, required=True, help="a real repository (e.g. a fetched SQLAlchemy)")
    parser.add_argument("--commits", type=int, default=1000, help="history depth to walk (default: 1000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per case (default: 3)")
    parser.add_argument("--trend", type=int, default=30, help="commits in the report's trend (default: 30)")
    args = parser.parse_args(argv)
    if not (args.repo / ".git").exists():
        parser.error(f"{args.repo} is not a git clone (fetch one, e.g. sqlalchemy/sqlalchemy)")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="docsync-bench-history-") as scratch:
        clone = shallow_clone(args.repo.resolve(), args.commits, Path(scratch))
        head = git(clone, "rev-parse", "HEAD").decode().strip()
        count = len(git(clone, "rev-list", "HEAD").split())
        bench = Bench(clone, head, head, args.runs, Path(scratch))
        command = ["check", "-C", str(clone), "--format", "json"]
        bench.cold("check without lockfile (history walk), cold", command, floor="h+f")
        bench.warm("check without lockfile (history walk), warm", command)
        run_report_cases(bench, clone, args.trend, Path(scratch))
        blobs = changed_module_blobs(clone)
        floors = measure_floor(clone, blobs, args.runs)
    when = f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC"
    lines = [
        f"### history: `{args.repo}`, `--depth {args.commits}` ({count} commits reachable)",
        "",
        f"- {when}; at {head[:10]}; {args.runs} timed runs per case",
        *machine_info(),
        "",
        *results_table(bench.results, floors),
        "",
        "| floor (in-process) | median s | min s |",
        "|---|---:|---:|",
        *[f"| ({f.key}) {f.what} | {f.median:.3f} | {f.minimum:.3f} |" for f in floors.values()],
    ]
    print("\n".join(lines))
    return 1 if any(r.error for r in bench.results) else 0


if __name__ == "__main__":
    sys.exit(main())
