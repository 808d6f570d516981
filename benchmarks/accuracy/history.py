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
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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
    names = {event.symbol, event.replacement} - {None}
    caught = any(
        abs(f["line"] - event.line) <= LINE_SLACK
        and f["kind"] in event.kinds
        and (not names or any(_same_name(name, f) for name in names))
        for f in findings
    )
    return Result(event, findings, caught)


def _same_name(name: str | None, finding: Mapping[str, Any]) -> bool:
    """The event names the symbol as the docs write it (`pytest.fail`) or where it is defined
    (`_pytest.outcomes.fail`): the same last part, at the event's line, is the same symbol; an event that names a
    module (`starlette.response`, renamed) is about the names the doc takes from it (`starlette.response.Response`)."""
    last = (name or "").rpartition(".")[2]
    return any(
        candidate == name or candidate.rpartition(".")[2] == last or candidate.startswith(f"{name}.")
        for candidate in (finding["symbol"], finding.get("replacement") or "")
        if candidate
    )


def evaluate(event: Event, url: str, subjects: Path, code: Path) -> Result:
    tree = worktree(event.project, url, subjects, event.head)
    cache = subjects / ".docsync-cache" / f"{event.project}-history" / code_digest(code)
    args = ["check", "--format", "json"]
    if event.mode == "base":
        args += ["--base", event.base]
    return judge(event, run_docsync(tree, code, cache, *args))


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
    for event in sorted(events, key=lambda e: (e.project, e.id)):
        result = evaluate(event, urls[event.project], args.subjects.resolve(), args.docsync.resolve())
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
