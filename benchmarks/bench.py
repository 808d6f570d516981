"""Benchmark the docsync CLI: wall time and peak RSS per case, next to in-process floors.

    python benchmarks/bench.py [--repo PATH] [--base REV] [--head REV] [--runs 5]

Without --repo, a synthetic repository (generate_repo.py) is generated once and cached under
benchmarks/.generated/. docsync runs as a subprocess (`python -m docsync`), always with
DOCSYNC_CACHE_DIR pointing into a temporary folder, so the measured repository is never written to.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from _floors import Floor, clean_env, git, measure_floors  # next to this script, the first entry of sys.path
from _staging import StagedChange, stage_one_change

HERE = Path(__file__).resolve().parent
GENERATOR = (
    "generate_repo.py", "_words.py", "_code_model.py", "_code_build.py", "_docs_targets.py", "_docs_build.py",
    "_pr_changes.py",
)  # fmt: skip
# Fallback when /usr/bin/time is missing: a fresh process runs the command and reports its
# children's peak RSS (getrusage in the parent is cumulative over every child it ever had).
_RUSAGE_WRAPPER = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
    "sys.exit(code)"
)


def _gnu_time() -> str | None:
    """/usr/bin/time when it is GNU time (BSD time has no -f)."""
    found = shutil.which("time", path="/usr/bin:/bin")
    if found is None:
        return None
    probe = subprocess.run([found, "-f", "%M", "-o", os.devnull, "true"], capture_output=True)
    return found if probe.returncode == 0 else None


TIME = _gnu_time()


class BenchError(Exception):
    """docsync failed (exit code other than 0 or 1) or the setup did."""


@dataclass
class Run:
    """One timed docsync process."""

    seconds: float
    peak_kb: int
    stdout: str


@dataclass
class Result:
    """The runs of one case, what docsync answered, and the floor it is compared with."""

    name: str
    runs: list[Run] = field(default_factory=list)
    floor: str = ""
    error: str = ""

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def minimum(self) -> float:
        return min(r.seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_kb for r in self.runs) / 1024


def with_peak_rss(command: Sequence[str], rss_file: str) -> list[str]:
    """`command` run so that its peak RSS (KB, of the largest process) is written to `rss_file`: GNU time, else a
    getrusage wrapper."""
    if TIME:
        return [TIME, "-f", "%M", "-o", rss_file, *command]
    return [sys.executable, "-c", _RUSAGE_WRAPPER, rss_file, *command]


def run_docsync(args: Sequence[str], env: dict[str, str]) -> Run:
    """Run `python -m docsync ARGS` once; wall time measured here, peak RSS by /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        command = with_peak_rss([sys.executable, "-m", "docsync", *args], rss.name)
        start = time.perf_counter()
        process = subprocess.run(command, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        lines = rss.read().split()
    if process.returncode not in (0, 1):
        raise BenchError(f"exit {process.returncode}: {' '.join(args)}\n{process.stderr.strip()}")
    return Run(seconds, int(lines[-1]) if lines else 0, process.stdout)


Prepare = Callable[[int], tuple[Sequence[str], dict[str, str]]]  # run number → (arguments, environment)


@dataclass
class Bench:
    """Runs the cases on one repository; every cache lives in `scratch` (a temporary folder)."""

    repo: Path
    base: str
    head: str
    runs: int
    scratch: Path
    results: list[Result] = field(default_factory=list)

    def cache(self, name: str) -> Path:
        """An empty cache folder."""
        path = self.scratch / "caches" / hashlib.sha1(name.encode()).hexdigest()[:12]
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path

    def env(self, cache: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
        return clean_env({"DOCSYNC_CACHE_DIR": str(cache), **(extra or {})})

    def cold(self, name: str, args: Sequence[str], floor: str = "", extra: dict[str, str] | None = None) -> None:
        """Every run starts from an empty docsync cache, after one untimed run that warms the OS's file cache."""
        try:
            run_docsync(args, self.env(self.cache(f"{name}/cold"), extra))
        except BenchError as error:
            self.results.append(Result(name, error=str(error)))
            return
        self._measure(name, floor, lambda i: (args, self.env(self.cache(f"{name}/cold"), extra)))

    def filled(self, name: str, args: Sequence[str]) -> Path:
        """A cache filled by one untimed run of `args`."""
        cache = self.cache(name)
        run_docsync(args, self.env(cache))
        return cache

    def warm(self, name: str, args: Sequence[str], extra: dict[str, str] | None = None) -> Path:
        """One untimed run fills the cache, then every run reuses it; returns the cache folder."""
        cache = self.cache(name)
        try:
            run_docsync(args, self.env(cache, extra))
        except BenchError as error:
            self.results.append(Result(name, error=str(error)))
            return cache
        self._measure(name, "", lambda i: (args, self.env(cache, extra)))
        return cache

    def from_copy(self, name: str, args: Sequence[str], source: Path, extra: dict[str, str]) -> None:
        """Every run starts from a copy of the cache in `source` (copied outside the timing)."""

        def prepare(i: int) -> tuple[Sequence[str], dict[str, str]]:
            cache = self.cache(f"{name}/copy")
            if (source / "cache.sqlite3").exists():
                shutil.copy2(source / "cache.sqlite3", cache / "cache.sqlite3")
            return args, self.env(cache, extra)

        self._measure(name, "", prepare)

    def _measure(self, name: str, floor: str, prepare: Prepare) -> None:
        result = Result(name, floor=floor)
        try:
            for i in range(self.runs):
                args, env = prepare(i)
                result.runs.append(run_docsync(args, env))
        except BenchError as error:
            result.error = str(error)
        self.results.append(result)
        timings = " ".join(f"{run.seconds:.2f}" for run in result.runs)
        print(f"{name}: {timings or result.error.splitlines()[0]}", file=sys.stderr)  # progress, and the spread


def run_cases(bench: Bench, staged: StagedChange | None) -> None:
    """Every case, in an order where each warm cache is filled by its own first run."""
    repo = ["-C", str(bench.repo), "--format", "json"]
    pull = ["check", *repo, "--base", bench.base, "--head", bench.head]
    bench.warm("startup (`docsync --version`)", ["--version"])
    bench.cold("map, cold", ["map", *repo], floor="a+d+e")
    bench.warm("map, warm", ["map", *repo])
    bench.cold("check PR (base..head), cold", pull, floor="c")
    # What CI sees: the cache the main branch's own run left (restored by actions/cache), then the PR.
    main_cache = bench.filled("main's cache", ["check", *repo, "--base", bench.base, "--head", bench.base])
    bench.from_copy("check PR (base..head), with the base branch's cache", pull, main_cache, {})
    bench.warm("check PR (base..head), warm", pull)
    bench.cold("check whole repo (work tree), cold", ["check", *repo], floor="a+d+e")
    worktree_cache = bench.warm("check whole repo (work tree), warm", ["check", *repo])
    if staged is None:
        return
    staged_args = ["check", *repo, "--staged"]
    bench.from_copy(
        "check --staged, warm but the staged file new to the cache", staged_args, worktree_cache, staged.env
    )
    bench.warm("check --staged, warm (all cached)", staged_args, staged.env)


# -- the report -----------------------------------------------------------------------------------


def answer(run: Run) -> str:
    """What docsync answered, from its JSON output."""
    try:
        data = json.loads(run.stdout)
    except ValueError:
        return run.stdout.strip().rpartition("\n")[2].partition(": ")[2]  # `report`: "Wrote FILE: score, findings"
    if "references" in data:
        return f"{len(data['references'])} references, {len(data['unresolved'])} unresolved"
    return f"{len(data['findings'])} findings, score {data['score']}"


def _ratio(result: Result, floors: dict[str, Floor]) -> tuple[str, str]:
    if not result.floor or not result.runs:
        return "", ""
    seconds = sum(floors[key].median for key in result.floor.split("+"))
    return f"({result.floor}) {seconds:.2f}", f"{result.median / seconds:.1f}×"


def results_table(results: Sequence[Result], floors: dict[str, Floor]) -> list[str]:
    """The Markdown table of the cases."""
    lines = [
        "| case | median s | min s | peak RSS MB | floor s | × floor | docsync's answer |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for result in results:
        if result.error:
            lines.append(f"| {result.name} | **failed** | | | | | {result.error.splitlines()[0]} |")
            continue
        floor, ratio = _ratio(result, floors)
        row = (
            result.name,
            f"{result.median:.2f}",
            f"{result.minimum:.2f}",
            f"{result.peak_mb:.0f}",
            floor,
            ratio,
            answer(result.runs[-1]),
        )
        lines.append("| " + " | ".join(row) + " |")
    return lines


def floors_table(floors: dict[str, Floor]) -> list[str]:
    lines = ["| floor (in-process) | median s | min s |", "|---|---:|---:|"]
    lines += [f"| ({f.key}) {f.what} | {f.median:.3f} | {f.minimum:.3f} |" for f in floors.values()]
    return lines


def consistency_notes(results: Sequence[Result]) -> list[str]:
    """Cases of the same command (cold, warm...) must print the same thing."""
    outputs: dict[str, set[str]] = {}
    for result in results:
        outputs.setdefault(result.name.split(",")[0], set()).update(r.stdout for r in result.runs)
    return [
        f"- ⚠ `{name}`: the output differs between runs or between cold and warm"
        for name, seen in outputs.items()
        if len(seen) > 1
    ]


def machine_info() -> list[str]:
    """CPU, Python, platform, and the docsync commit measured."""
    cpu = next((line.split(":", 1)[1].strip() for line in _cpuinfo() if line.startswith("model name")), "?")
    commit = subprocess.run(
        ["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, env=clean_env()
    ).stdout.strip()
    return [
        f"- machine: {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {platform.platform()}",
        f"- docsync: commit {commit or '?'} of {HERE.parent} (its work tree as it was), "
        f"run as `{Path(sys.executable).name} -m docsync`",
        f"- peak RSS: {'/usr/bin/time -f %M' if TIME else 'getrusage in a fresh wrapper process'} "
        "(the largest single process of the tree, not the sum)",
        f"- cache limit: {_cache_limit()}",
    ]


def _cache_limit() -> str:
    """The limit docsync's cache ran with: one below what a run reads evicts, each run, what the next one needs."""
    set_mb = os.environ.get("DOCSYNC_CACHE_MAX_MB")
    if set_mb:
        return f"DOCSYNC_CACHE_MAX_MB={set_mb}"
    return "the default (256 MB, or 24 kB per file of the repository when more)"


def _cpuinfo() -> list[str]:
    try:
        return Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return []


# -- main -----------------------------------------------------------------------------------------


def synthetic_repo(modules: int, docs: int, seed: int) -> Path:
    """The generated repository for these parameters, generated on first use under .generated/."""
    generator = b"".join((HERE / name).read_bytes() for name in GENERATOR)
    key = f"m{modules}-d{docs}-s{seed}-{hashlib.sha256(generator).hexdigest()[:10]}"
    target = HERE / ".generated" / key
    if not target.exists():
        from generate_repo import generate

        partial = target.with_name(f"{key}.partial-{os.getpid()}")
        shutil.rmtree(partial, ignore_errors=True)
        print(f"generating {target.relative_to(HERE.parent)} ...", file=sys.stderr)
        generate(partial, modules, docs, seed)
        partial.rename(target)
        os.sync()  # so that writing the new files back does not compete with the first timed runs
    return target


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", type=Path, help="a real repository to measure (default: the synthetic one)")
    parser.add_argument("--base", help="PR base (default: HEAD~1 on the synthetic repo, HEAD~10 with --repo)")
    parser.add_argument("--head", default="HEAD", help="PR head (default: HEAD)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per case (default: 5)")
    parser.add_argument("--modules", type=int, default=2000, help="synthetic repo: .py files (default: 2000)")
    parser.add_argument("--docs", type=int, default=300, help="synthetic repo: docs (default: 300)")
    parser.add_argument("--seed", type=int, default=1, help="synthetic repo: random seed (default: 1)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def _target(args: argparse.Namespace) -> tuple[Path, str, str, str]:
    """The repository to measure, how to call it, and the PR's base and head shas."""
    if args.repo is not None:
        repo, label, default_base = args.repo.resolve(), f"`{args.repo}`", "HEAD~10"
    else:
        repo, default_base = synthetic_repo(args.modules, args.docs, args.seed), "HEAD~1"
        label = f"synthetic (`generate_repo.py --modules {args.modules} --docs {args.docs} --seed {args.seed}`)"
    base = git(repo, "rev-parse", "--verify", args.base or default_base).decode().strip()
    head = git(repo, "rev-parse", "--verify", args.head).decode().strip()
    return repo, label, base, head


def report(bench: Bench, floors: dict[str, Floor], staged: StagedChange | None, label: str) -> list[str]:
    """The Markdown section of one repository."""
    when = f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC"
    lines = [
        f"### {label}",
        "",
        f"- {when}; `{bench.repo}` at {bench.head[:10]}; PR {bench.base[:10]}..{bench.head[:10]}; "
        f"{bench.runs} timed runs per case",
        *machine_info(),
    ]
    if staged is not None:
        lines.append(f"- staged change: one statement added to the first function of `{staged.path}`")
    lines += ["", *results_table(bench.results, floors), "", *floors_table(floors)]
    notes = consistency_notes(bench.results) + [f"- {r.name}: {r.error}" for r in bench.results if r.error]
    return [*lines, "", *notes] if notes else lines


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    repo, label, base, head = _target(args)
    with tempfile.TemporaryDirectory(prefix="docsync-bench-") as scratch:
        bench = Bench(repo, base, head, args.runs, Path(scratch))
        staged = stage_one_change(repo, Path(scratch) / "staged")
        run_cases(bench, staged)
        floors = measure_floors(repo, base, head, args.runs)
    print("\n".join(report(bench, floors, staged, label)))
    return 1 if any(r.error for r in bench.results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
