"""Benchmark docsync on a generated monorepo (issue 18): each case beside its floor measured in the same run.

    python benchmarks/bench_monorepo.py [--modules 50000] [--docs 2000] [--seed 1] [--runs 1]

The monorepo (`_monorepo.py`: packages of about 5,000 modules each, 30 commits of history, then a
10-file PR as HEAD) is generated once and cached under benchmarks/.generated/. It is measured through
a clone in a temporary folder (objects shared), so that checking out the PR's base and staging a file
never touch the cached repository; every docsync cache lives in that folder (DOCSYNC_CACHE_DIR).

For `map`, `check` and `report --history 30`:
  cold (at the PR's base)   the PR's base checked out, every run from an empty cache;
  after the 10-file change  HEAD (the PR: 10 modules, 2 docs) checked out, every run from a copy of
                            the cache the cold run left (the run before the change);
  warm (unchanged)          the same command again, with the cache the run after the change left.
`check --base <the PR's base>` is cold and warm at HEAD (at the base the PR is empty), then after the
change from the cache the same command left at the base (what the main branch's CI run leaves).
Then `check --staged` with one staged module edit (`_staging.py`): from the work-tree check's cache, from
that cache after a `--staged` check of another module's edit (the pre-commit run before: the hook's case),
and warm; and with a function renamed instead (the names change: the table is read with an overlay), from the
work-tree check's cache. Peak RSS: the largest single process (GNU time) and the sum over docsync's process tree
(workers, git) sampled every 20 ms. Prints a Markdown table like bench.py's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from _change_floors import (  # next to this script, the first entry of sys.path
    change_floor,
    find_change,
    history_floor,
    startup_floor,
    unchanged_floors,
    whole_repository_floors,
)
from _floors import Floor, clean_env, git
from _process_tree import Run, run_measured
from _staging import StagedChange, rename_first_function, stage_one_change
from bench import GENERATOR, answer, consistency_notes, machine_info

HERE = Path(__file__).resolve().parent
HISTORY_TREND = 30


class BenchError(Exception):
    """docsync failed (an exit code other than 0 or 1)."""


@dataclass
class Case:
    """The runs of one case and the floors (keys joined by +) it is compared with."""

    name: str
    floor: str
    runs: list[Run] = field(default_factory=list)
    error: str = ""
    at_base: bool = False  # run with the PR's base checked out (its answer differs from HEAD's)


def run_docsync(args: Sequence[str], env: dict[str, str]) -> Run:
    run = run_measured([sys.executable, "-m", "docsync", *args], env)
    if run.returncode not in (0, 1):
        raise BenchError(f"exit {run.returncode}: {' '.join(args)}\n{run.stderr.strip()}")
    return run


Prepare = Callable[[], tuple[Sequence[str], dict[str, str]]]


@dataclass
class MonorepoBench:
    """Runs the cases in `repo` (the scratch clone, on branch main = the PR's head)."""

    repo: Path
    base: str
    runs: int
    scratch: Path
    deadline: float | None = None  # time.perf_counter() after which no new command starts
    log: Path | None = None  # where each timed run's stderr is kept
    verbose: bool = False  # run docsync with -v (its steps' times on stderr: see `log`)
    cases: list[Case] = field(default_factory=list)

    def cache(self, name: str, source: Path | None = None) -> Path:
        """An empty cache folder, or a copy of `source`."""
        path = self.scratch / "caches" / hashlib.sha1(name.encode()).hexdigest()[:12]
        shutil.rmtree(path, ignore_errors=True)
        if source is None:
            path.mkdir(parents=True)
        else:
            shutil.copytree(source, path)
            # The copy is dirty in the page cache: else the run's first commit to it writes out all of it (0.2 s
            # of a 0.8 s --staged check, which no user's cache pays).
            os.sync()
        return path

    def env(self, cache: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
        return clean_env({"DOCSYNC_CACHE_DIR": str(cache), **(extra or {})})

    def checkout(self, revision: str) -> None:
        """Check out `revision` (a branch or a sha) and refresh the index, as a user's repository would be."""
        git(self.repo, "checkout", "-q", revision)
        git(self.repo, "status", "--porcelain")

    def measure(self, name: str, floor: str, prepare: Prepare, at_base: bool = False) -> Case:
        case = Case(name, floor, at_base=at_base)
        self.cases.append(case)
        try:
            for number in range(self.runs):
                args, env = prepare()
                if self.verbose and args[0] != "--version":
                    args = [*args, "-v"]
                case.runs.append(run_docsync(args, env))
                if self.log is not None:
                    slug = re.sub(r"[^\w.-]+", "-", name).strip("-")
                    (self.log / f"{len(self.cases):02d}-{slug}-{number + 1}.txt").write_text(case.runs[-1].stderr)
        except BenchError as error:
            case.error = str(error)
        except KeyboardInterrupt:
            case.error = "not run: interrupted"
            raise
        shown = " ".join(f"{r.seconds:.2f}s/{r.tree_kb / 1024:.0f}MB" for r in case.runs)
        print(f"{name}: {shown or case.error.splitlines()[0]}", file=sys.stderr)
        return case

    def _cold(self, label: str, name: str, args: Sequence[str], floor: str) -> Path | None:
        """Every run from an empty cache; the cache the last run left, None when the command failed."""
        caches: list[Path] = []

        def empty() -> tuple[Sequence[str], dict[str, str]]:
            caches.append(self.cache(f"{label}/cold/{len(caches)}"))
            return args, self.env(caches[-1])

        return None if self.measure(name, floor, empty, at_base="PR's base" in name).error else caches[-1]

    def command(self, label: str, args: Sequence[str], floors: tuple[str, str, str]) -> Path | None:
        """Cold at the PR's base (whose cache is the one before the change), after the change (HEAD checked out,
        from copies of that cache), then warm (unchanged); the warm cache, None when the command failed."""
        self.checkout(self.base)
        try:
            before = self._cold(label, f"{label}, cold (at the PR's base)", args, floors[0])
        finally:
            self.checkout("main")
        if before is None:
            return None
        copies: list[Path] = []

        def copy() -> tuple[Sequence[str], dict[str, str]]:
            copies.append(self.cache(f"{label}/after/{len(copies)}", before))
            return args, self.env(copies[-1])

        if self.measure(f"{label}, after the 10-file change", floors[2], copy).error:
            return None
        warm = copies[-1]
        self.measure(f"{label}, warm (unchanged)", floors[1], lambda: (args, self.env(warm)))
        return warm

    def pull_request(self, label: str, args: Sequence[str], floors: tuple[str, str, str]) -> None:
        """A PR check is cold at HEAD (at the base it is an empty PR); the cache before the change is that of
        the same command at the base (what the main branch's CI run leaves)."""
        warm = self._cold(label, f"{label}, cold", args, floors[0])
        if warm is None:
            return
        self.measure(f"{label}, warm (unchanged)", floors[1], lambda: (args, self.env(warm)))
        before = self.cache(f"{label}/before")
        self.checkout(self.base)
        try:
            run_docsync(args, self.env(before))
        except BenchError as error:
            self.cases.append(Case(f"{label}, after the 10-file change", floors[2], error=f"at the base: {error}"))
            return
        finally:
            self.checkout("main")
        copy = f"{label}/after"
        self.measure(
            f"{label}, after the 10-file change", floors[2], lambda: (args, self.env(self.cache(copy, before)))
        )

    def staged(
        self,
        staged: StagedChange,
        check_cache: Path | None,
        args: Sequence[str],
        before: StagedChange | None,
        rename: StagedChange | None = None,
    ) -> None:
        """`before`: another module's edit, checked first (the pre-commit run before this one, the hook's case);
        `rename`: a function renamed, from the work-tree check's cache (the table changes names: an overlay)."""
        if check_cache is not None:
            name = "check --staged, from `check`'s cache (the staged file new to it)"
            self.measure(name, "p+s", lambda: (args, self.env(self.cache("staged/copy", check_cache), staged.env)))
        if check_cache is not None and rename is not None:
            name = "check --staged (a function renamed), from `check`'s cache"  # its own output: not the edit's
            self.measure(name, "p+t", lambda: (args, self.env(self.cache("staged/rename", check_cache), rename.env)))
        if check_cache is not None and before is not None:

            def after_another() -> tuple[Sequence[str], dict[str, str]]:
                cache = self.cache("staged/hook", check_cache)
                run_docsync(args, self.env(cache, before.env))
                return args, self.env(cache, staged.env)

            self.measure(
                "check --staged, after the pre-commit run of another edit (the staged file new)", "p+s", after_another
            )
        filled = self.cache("staged/warm")
        try:
            run_docsync(args, self.env(filled, staged.env))
        except BenchError as error:
            self.cases.append(Case("check --staged, warm", "p+s", error=str(error)))
            return
        self.measure("check --staged, warm (all cached)", "p+s", lambda: (args, self.env(filled, staged.env)))


COMMANDS = ("check", "staged", "map", "pr", "report")


def run_cases(
    bench: MonorepoBench,
    staged: StagedChange | None,
    commands: Sequence[str] = COMMANDS,
    staged_before: StagedChange | None = None,
    staged_rename: StagedChange | None = None,
) -> None:
    """Every case, the ones the issue's targets name first; once past the deadline, the rest are skipped."""
    repo = ["-C", str(bench.repo), "--format", "json"]
    report = ["report", "-C", str(bench.repo), "--history", str(HISTORY_TREND)]
    report += ["--output", str(bench.scratch / "report.html")]
    pull, history = f"check --base {bench.base[:10]}", f"report --history {HISTORY_TREND}"
    caches: dict[str, Path | None] = {}
    steps: list[tuple[str, Callable[[], object]]] = [
        (
            "startup",
            lambda: bench.measure(
                "startup (`docsync --version`)", "", lambda: (["--version"], bench.env(bench.scratch))
            ),
        ),
        ("check", lambda: caches.update(check=bench.command("check", ["check", *repo], ("p+a+d+e", "p+u", "p+c+u")))),
        (
            "staged",
            lambda: (
                staged
                and bench.staged(
                    staged, caches.get("check"), ["check", *repo, "--staged"], staged_before, staged_rename
                )
            ),
        ),
        ("map", lambda: bench.command("map", ["map", *repo], ("p+a+d+e", "p+u", "p+c+u"))),
        ("pr", lambda: bench.pull_request(pull, ["check", *repo, "--base", bench.base], ("p+a+d+e", "p+r", "p+c"))),
        ("report", lambda: bench.command(history, report, ("p+a+d+e+h", "p+r", "p+c"))),
    ]
    for label, step in steps:
        if label not in ("startup", *commands):
            continue
        if bench.deadline is not None and time.perf_counter() > bench.deadline:
            shown = {"staged": "check --staged", "pr": pull, "report": history}.get(label, label)
            bench.cases.append(Case(shown, "", error="not run: the --budget was spent"))
            continue
        step()


def measure_floors(
    repo: Path, base: str, staged: StagedChange | None, runs: int, rename: StagedChange | None = None
) -> dict[str, Floor]:
    floors = {"p": startup_floor(runs)}
    floors.update(whole_repository_floors(repo, runs))
    floors.update(unchanged_floors(repo, base, runs))
    floors["h"] = history_floor(repo, HISTORY_TREND, runs)
    pull = ["diff", base, "HEAD"]
    floors["c"] = change_floor("c", "the 10-file change", repo, pull, find_change(repo, pull), runs)
    if staged is not None:
        index = ["diff-index", "--cached", "HEAD"]
        change = find_change(repo, index, staged.env)
        floors["s"] = change_floor("s", "the staged edit", repo, index, change, runs, staged.env)
    if rename is not None:
        index = ["diff-index", "--cached", "HEAD"]
        change = find_change(repo, index, rename.env)
        floors["t"] = change_floor("t", "the staged rename", repo, index, change, runs, rename.env)
    return floors


def warm_file_cache(repo: Path) -> None:
    """Read every tracked file once, so that the first cold run does not pay for the disk alone."""
    for path in git(repo, "ls-files", "-z").split(b"\0"):
        if path:
            (repo / path.decode("utf-8", "surrogateescape")).read_bytes()


# -- the report -----------------------------------------------------------------------------------


def _ratio(case: Case, floors: dict[str, Floor]) -> tuple[str, str]:
    keys = [key for key in case.floor.split("+") if key in floors] if case.floor else []
    if not keys or not case.runs:
        return "", ""
    seconds = sum(floors[key].median for key in keys)
    return f"({'+'.join(keys)}) {seconds:.2f}", f"{statistics.median(r.seconds for r in case.runs) / seconds:.1f}×"


def results_table(cases: Sequence[Case], floors: dict[str, Floor]) -> list[str]:
    lines = [
        "| case | median s | min s | peak RSS MB, largest process | peak RSS MB, process tree | floor s | × floor "
        "| docsync's answer |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for case in cases:
        if case.error or not case.runs:
            status = "**not run**" if case.error.startswith("not run") else "**failed**"
            lines.append(f"| {case.name} | {status} | | | | | | {(case.error or 'no run').splitlines()[0]} |")
            continue
        floor, ratio = _ratio(case, floors)
        seconds = [r.seconds for r in case.runs]
        largest = max(r.peak_kb for r in case.runs) / 1024
        whole = max(r.tree_kb for r in case.runs) / 1024
        row = (case.name, f"{statistics.median(seconds):.2f}", f"{min(seconds):.2f}", f"{largest:.0f}", f"{whole:.0f}")
        lines.append("| " + " | ".join((*row, floor, ratio, answer(case.runs[-1]))) + " |")
    return lines


def floors_table(floors: dict[str, Floor]) -> list[str]:
    lines = ["| floor (in-process) | median s | min s |", "|---|---:|---:|"]
    return lines + [f"| ({f.key}) {f.what} | {f.median:.3f} | {f.minimum:.3f} |" for f in floors.values()]


def report(
    bench: MonorepoBench,
    floors: dict[str, Floor],
    staged: StagedChange | None,
    about: dict[str, str],
    renamed: StagedChange | None = None,
) -> str:
    when = f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC"
    lines = [
        f"### monorepo: {about['label']}",
        "",
        f"- {when}; {about['size']}; PR {bench.base[:10]}..HEAD (HEAD~1..HEAD); {bench.runs} timed run(s) per case",
        f"- generated in {about['generated']}; measured in a clone in a temporary folder (objects shared)",
        *machine_info(),
        "- peak RSS, process tree: the sum of the RSS of docsync and all its children (workers, git), sampled "
        "every 20 ms (pages shared after fork count once per process)",
    ]
    if staged is not None:
        lines.append(f"- staged change: one statement added to the first function of `{staged.path}`")
    if renamed is not None:
        lines.append(f"- staged rename: the first function of `{renamed.path}` renamed (`name` -> `name_renamed`)")
    lines += ["", *results_table(bench.cases, floors), "", *floors_table(floors)]
    notes = consistency_notes([case for case in bench.cases if not case.at_base]) + [
        f"- {c.name}: {c.error}" for c in bench.cases if c.error
    ]
    return "\n".join([*lines, "", *notes] if notes else lines)


# -- main -----------------------------------------------------------------------------------------


def monorepo(modules: int, docs: int, seed: int) -> tuple[Path, dict[str, str]]:
    """The generated monorepo for these parameters (generated on first use) and what to say about it."""
    source = b"".join((HERE / name).read_bytes() for name in (*GENERATOR, "_monorepo.py"))
    key = f"monorepo-m{modules}-d{docs}-s{seed}-{hashlib.sha256(source).hexdigest()[:10]}"
    target = HERE / ".generated" / key
    about_file = target.with_name(f"{key}.json")
    if not target.exists():
        from _monorepo import generate_monorepo

        partial = target.with_name(f"{key}.partial")
        shutil.rmtree(partial, ignore_errors=True)
        print(f"generating {target.relative_to(HERE.parent)} ...", file=sys.stderr)
        start = time.perf_counter()
        generated = generate_monorepo(partial, modules, docs, seed)
        seconds = time.perf_counter() - start
        partial.rename(target)
        size = subprocess.run(["du", "-sh", str(target)], capture_output=True, text=True).stdout.split()[0]
        packages = f"{len(generated.packages)} packages ({', '.join(generated.packages)})"
        about_file.write_text(json.dumps({"generated": f"{seconds:.0f} s, {size} on disk", "packages": packages}))
    about = json.loads(about_file.read_text())
    about["label"] = f"`bench_monorepo.py --modules {modules} --docs {docs} --seed {seed}`, {about['packages']}"
    return target, about


def describe(repo: Path) -> str:
    from _floors import ProjectFiles, tree

    files, listing = ProjectFiles(repo), list(tree(repo, "HEAD"))
    python = sum(path.endswith(".py") for path in listing)
    commits = git(repo, "rev-list", "--count", "HEAD").decode().strip()
    return (
        f"{len(listing)} files: {python} Python files, {len(files.modules(listing))} of them modules, "
        f"{len(files.docs(listing))} docs; {commits} commits"
    )


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", type=int, default=50000, help=".py modules in all (default: 50000)")
    parser.add_argument("--docs", type=int, default=2000, help="docs in all (default: 2000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument("--runs", type=int, default=1, help="timed runs per case (default: 1)")
    parser.add_argument("--budget", type=float, help="minutes after which no new command starts (default: none)")
    parser.add_argument(
        "--commands",
        default=",".join(COMMANDS),
        help=f"which commands to measure, comma-separated (default: {','.join(COMMANDS)}; "
        "staged needs check for its first case, pr is check --base)",
    )
    parser.add_argument("--log", type=Path, help="keep each timed run's stderr in this folder (created)")
    parser.add_argument("--verbose", action="store_true", help="run docsync with -v (its step timings: see --log)")
    parser.add_argument("--generate-only", action="store_true", help="generate (or find) the monorepo and stop")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    args.commands = [name.strip() for name in args.commands.split(",") if name.strip()]
    unknown = sorted(set(args.commands) - set(COMMANDS))
    if unknown:
        parser.error(f"unknown --commands {', '.join(unknown)}: choose from {', '.join(COMMANDS)}")
    if args.modules < 40 or args.docs < 20:
        parser.error("need at least --modules 40 and --docs 20 (two packages)")
    return args


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill PID` (a background job ignores SIGINT): print what was measured
    started = time.perf_counter()
    source, about = monorepo(args.modules, args.docs, args.seed)
    if args.generate_only:
        print(f"{source}: {describe(source)}; generated in {about['generated']}")
        return 0
    with tempfile.TemporaryDirectory(prefix="docsync-bench-monorepo-") as scratch:
        repo = Path(scratch) / "fleet"
        git(source, "clone", "-q", "--shared", str(source), str(repo))
        git(repo, "status", "--porcelain")  # refresh the new index (racily clean entries)
        about["size"] = describe(repo)
        base = git(repo, "rev-parse", "HEAD~1").decode().strip()
        warm_file_cache(repo)
        staged = stage_one_change(repo, Path(scratch) / "staged")
        staged_before = stage_one_change(repo, Path(scratch) / "staged-before", skip=1)
        renamed = stage_one_change(repo, Path(scratch) / "staged-rename", edit=rename_first_function)
        for change in (staged, staged_before, renamed):
            if change is not None:  # stat information for the temporary index: a real index has it
                subprocess.run(["git", "-C", str(repo), "update-index", "-q", "--refresh"], env=clean_env(change.env))
        floors = measure_floors(repo, base, staged, args.runs, renamed)
        deadline = started + args.budget * 60 if args.budget else None
        if args.log is not None:
            args.log.mkdir(parents=True, exist_ok=True)
        bench = MonorepoBench(repo, base, args.runs, Path(scratch), deadline, args.log, args.verbose)
        try:
            run_cases(bench, staged, args.commands, staged_before, renamed)
        except KeyboardInterrupt:  # print what was measured
            bench.cases.append(Case("the rest", "", error="not run: interrupted"))
    print(report(bench, floors, staged, about, renamed))
    return 1 if any(case.error for case in bench.cases) else 0


if __name__ == "__main__":
    raise SystemExit(main())
