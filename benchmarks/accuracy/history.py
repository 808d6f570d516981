"""The history corpus: real documentation-drift events, and whether docsync catches them (recall).

    python benchmarks/accuracy/history.py --subjects DIR [--docsync PATH] [--only PROJECT ...]

`history/*.yaml` list events mined the way they happen: a commit changed the code and left a doc behind (`head`,
with `base` its parent or the base of its pull request), and a later commit fixed the doc (`fixed_by`). For each,
docsync runs at `head` in a worktree of the project's clone (`DIR/<project>`; its URL from `projects.yaml`, or
from a `projects:` map in `history/*.yaml` for projects outside the accuracy corpus):
`check --base BASE --format json` in `mode: base`, the whole-repository `check --format json` in
`mode: repository`. The event is caught when a finding on its doc lies within `LINE_SLACK` lines of its line,
with one of its accepted kinds (and, where the event names one, its symbol or replacement). Negatives (commits
that only reformatted code, or changed a doc together with its code) must give no finding: on their doc, or
anywhere when they name none.

Prints, per project and in total: events, caught, recall, negatives, and the findings on negatives; then each
event missed and each finding on a negative, so that a change to docsync is judged on both.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import DOCSYNC, LINE_SLACK, code_digest, load_projects, run_docsync  # noqa: E402

MODES = ("base", "repository")


@dataclass(frozen=True)
class Event:
    """One drift event (a negative when `kinds` is empty: then no finding is expected)."""

    id: str
    project: str
    base: str
    head: str
    mode: str
    doc: str | None
    line: int = 0
    kinds: tuple[str, ...] = ()
    symbol: str | None = None
    replacement: str | None = None
    fixed_by: str | None = None
    what: str = ""

    @property
    def negative(self) -> bool:
        return not self.kinds


@dataclass(frozen=True)
class Result:
    event: Event
    findings: tuple[dict[str, Any], ...]  # on the event's doc (a negative without a doc: all of them)
    caught: bool
    # With --fix, for an event caught as renamed/deprecated with a replacement: whether `fix` made `check` stop
    # reporting it (None: no such finding, nothing mechanical to fix).
    fixed: bool | None = None


@dataclass
class Tally:
    events: int = 0
    caught: int = 0
    negatives: int = 0
    false: int = 0  # findings on negatives
    missed: list[Result] = field(default_factory=list)
    noisy: list[Result] = field(default_factory=list)


def load_files(folder: Path) -> list[dict[str, Any]]:
    return [yaml.safe_load(path.read_text(encoding="utf-8")) or {} for path in sorted(folder.glob("*.yaml"))]


def load_events(files: Sequence[Mapping[str, Any]], only: Sequence[str]) -> list[Event]:
    events = []
    items = [item for data in files for item in [*data.get("events", []), *data.get("negatives", [])]]
    for item in items:
        event = Event(
            id=str(item["id"]), project=str(item["project"]), base=str(item["base"]), head=str(item["head"]),
            mode=str(item.get("mode", "base")), doc=item.get("doc"), line=int(item.get("line", 0)),
            kinds=tuple(item.get("kinds", ())), symbol=item.get("symbol"), replacement=item.get("replacement"),
            fixed_by=item.get("fixed_by"), what=str(item.get("what", "")),
        )  # fmt: skip
        if event.mode not in MODES:
            raise SystemExit(f"history.py: event {event.id}: mode must be one of {', '.join(MODES)}")
        if not event.negative and (event.doc is None or event.line <= 0):
            raise SystemExit(f"history.py: event {event.id}: an event needs a doc and a line")
        if not only or event.project in only:
            events.append(event)
    return events


def worktree(project: str, url: str, subjects: Path, commit: str) -> Path:
    """The project's history worktree (one per project, reused), checked out at `commit`."""
    clone = subjects / project
    if not clone.exists():
        subprocess.run(["git", "clone", "-q", url, str(clone)], check=True)
    tree = subjects / ".history-worktrees" / project
    if not tree.exists():
        tree.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "-C", str(clone), "worktree", "add", "-q", "--detach", str(tree), commit], check=True)
    subprocess.run(["git", "-C", str(tree), "checkout", "-q", "--force", "--detach", commit], check=True)
    subprocess.run(["git", "-C", str(tree), "clean", "-q", "-fdx"], check=True)
    return tree


def judge(event: Event, report: Mapping[str, Any]) -> Result:
    findings = tuple(f for f in report["findings"] if event.doc is None or f["doc"] == event.doc)
    if event.negative:
        return Result(event, findings, caught=False)
    return Result(event, findings, caught=bool(_matching(event, findings)))


def _matching(event: Event, findings: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The findings that report the event: near its line, of an accepted kind, about its symbol if it names one."""
    names = {event.symbol, event.replacement} - {None}
    return [
        f
        for f in findings
        if abs(f["line"] - event.line) <= LINE_SLACK
        and f["kind"] in event.kinds
        and (not names or any(_same_name(name, f) for name in names))
    ]


_WRITTEN = re.compile(r"\(written `([^`]+)`\)")


def _same_name(name: str | None, finding: Mapping[str, Any]) -> bool:
    """The event names the symbol as the docs write it (`pytest.fail`) or where it is defined
    (`_pytest.outcomes.fail`): the same last part, at the event's line, is the same symbol; an event that names a
    module (`starlette.response`, renamed) is about the names the doc takes from it (`starlette.response.Response`)."""
    last = (name or "").rpartition(".")[2]
    written = _WRITTEN.search(finding["message"])  # `compile_ (written `_pytest._code.compile`)`: an alias's name
    return any(
        candidate == name or candidate.rpartition(".")[2] == last or candidate.startswith(f"{name}.")
        for candidate in (finding["symbol"], finding.get("replacement") or "", written[1] if written else "")
        if candidate
    )


def evaluate(event: Event, url: str, subjects: Path, code: Path, fix: bool = False) -> Result:
    tree = worktree(event.project, url, subjects, event.head)
    cache = subjects / ".docsync-cache" / f"{event.project}-history" / code_digest(code)
    base = ["--base", event.base] if event.mode == "base" else []
    result = judge(event, run_docsync(tree, code, cache, "check", "--format", "json", *base))
    fixable = [f for f in _matching(event, result.findings) if f["kind"] in _FIXABLE and f.get("replacement")]
    if not fix or not fixable:
        return result
    # `fix` rewrites the work tree; a base-mode check reads the head commit, so the rewrite is committed first.
    run_fix(tree, code, cache, *base)
    subprocess.run(["git", "-C", str(tree), "-c", "user.name=h", "-c", "user.email=h@h", "commit", "-qam", "fix"],
                   check=False, capture_output=True)  # fmt: skip
    after = judge(event, run_docsync(tree, code, cache, "check", "--format", "json", *base))
    return replace(result, fixed=not after.caught)


_FIXABLE = ("renamed", "deprecated")


def run_fix(tree: Path, code: Path, cache: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(PYTHONPATH=str(code), DOCSYNC_CACHE_DIR=str(cache))
    command = [sys.executable, "-m", "docsync", "fix", *args]
    result = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1):
        raise SystemExit(f"history.py: docsync fix failed in {tree}:\n{result.stderr[-2000:]}")


def table(tallies: Mapping[str, Tally]) -> str:
    rows = [
        "| project | events | caught | recall | negatives | findings on negatives |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    total = Tally()
    for name, t in tallies.items():
        rows.append(_row(name, t))
        total.events, total.caught = total.events + t.events, total.caught + t.caught
        total.negatives, total.false = total.negatives + t.negatives, total.false + t.false
    rows.append(_row("**total**", total))
    return "\n".join(rows)


def _row(name: str, t: Tally) -> str:
    recall = f"{t.caught / t.events:.2f}" if t.events else "-"
    return f"| {name} | {t.events} | {t.caught} | {recall} | {t.negatives} | {t.false} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subjects", type=Path, required=True, help="where the projects' clones are (or go)")
    parser.add_argument("--docsync", type=Path, default=DOCSYNC, help="the docsync checkout to measure")
    parser.add_argument("--events", type=Path, default=HERE / "history", help="the folder of event files")
    parser.add_argument("--only", nargs="*", default=[], help="only these projects")
    parser.add_argument("--fix", action="store_true", help="also run `fix` on renamed/deprecated catches, check again")
    args = parser.parse_args()
    files = load_files(args.events)
    extra = {str(k): str(v) for data in files for k, v in (data.get("projects") or {}).items()}
    urls = {p.name: p.url for p in load_projects([])} | extra
    events = load_events(files, args.only)
    if len({e.id for e in events}) != len(events):
        raise SystemExit("history.py: two events have the same id")
    unknown = {e.project for e in events} - set(urls)
    if unknown:
        raise SystemExit(f"history.py: projects not in projects.yaml: {', '.join(sorted(unknown))}")
    tallies: dict[str, Tally] = {}
    fixes: list[Result] = []
    for event in sorted(events, key=lambda e: (e.project, e.id)):
        result = evaluate(event, urls[event.project], args.subjects.resolve(), args.docsync.resolve(), args.fix)
        if result.fixed is not None:
            fixes.append(result)
        tally = tallies.setdefault(event.project, Tally())
        if event.negative:
            tally.negatives += 1
            tally.false += len(result.findings)
            if result.findings:
                tally.noisy.append(result)
        else:
            tally.events += 1
            tally.caught += result.caught
            if not result.caught:
                tally.missed.append(result)
        print(f"{event.id}: {'negative' if event.negative else 'caught' if result.caught else 'MISSED'}",
              file=sys.stderr, flush=True)  # fmt: skip
    print(table(tallies))
    if args.fix:
        fixed = [r.event.id for r in fixes if r.fixed]
        print(f"fix: {len(fixed)} of {len(fixes)} events caught as renamed/deprecated with a replacement rewritten "
              f"so that check no longer reports them")  # fmt: skip
        for result in fixes:
            if not result.fixed:
                print(f"NOT FIXED: {result.event.id} {result.event.doc}:{result.event.line}")
    for tally in tallies.values():
        for result in tally.missed:
            e = result.event
            print(f"MISSED: {e.id} {e.doc}:{e.line} ({'/'.join(e.kinds)}): {e.what}")
        for result in tally.noisy:
            e = result.event
            for f in result.findings:
                print(f"FINDING ON A NEGATIVE: {e.id} {f['doc']}:{f['line']} {f['kind']}: {f['message']}")
    return 0


if __name__ == "__main__":
    os.environ.pop("DOCSYNC_CACHE_DIR", None)
    sys.exit(main())
