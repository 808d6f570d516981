"""The accuracy corpus: docsync's whole-repository findings on real projects, against labels judged by hand.

    python benchmarks/accuracy/run.py --subjects DIR [--docsync PATH] [--only NAME ...]
    python benchmarks/accuracy/run.py --subjects DIR --sample 40 --only NAME   # stubs to judge, as YAML

Each project of `projects.yaml` is checked at its pinned commit: a detached worktree of the clone
`DIR/<name>` (made with `git clone URL` when missing), `python -m docsync check --format json` and
`map --format json` run in it with the docsync found at `--docsync` (default: this checkout), and a
cache of their own under `DIR/.docsync-cache/<name>/<digest of that docsync's code>` (two versions of
docsync never read each other's entries, even where a cache namespace was not bumped).
Each finding is matched with the labels of
`labels/<name>.yaml` (TRUE: the doc is wrong as the finding says; FALSE: it is not, with a reason and a
category). Prints, per project and in total: references, findings, judged TRUE/FALSE, unjudged, and
false findings per 1,000 references (judged, all severities and errors only); then every TRUE label
that is no longer reported (recall is never traded for precision).

A label matches a finding of the same doc and symbol (or replacement) within `LINE_SLACK` lines:
a finding may move to the parameter mention it is about, or change kind (removed -> renamed).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
DOCSYNC = HERE.parent.parent
LINE_SLACK = 15
VERDICTS = ("TRUE", "FALSE")


@dataclass(frozen=True)
class Project:
    name: str
    url: str
    commit: str
    docs: str  # the doc system: sphinx, myst, mkdocs, markdown


@dataclass(frozen=True)
class Label:
    doc: str
    line: int
    symbol: str
    kind: str
    severity: str
    verdict: str
    reason: str
    category: str = ""


@dataclass(frozen=True)
class Outcome:
    project: Project
    references: int
    findings: tuple[dict[str, Any], ...]
    matched: Mapping[int, Label]  # finding index -> its label
    missed: tuple[Label, ...]  # TRUE labels no finding matches any more


def load_projects(only: Sequence[str]) -> list[Project]:
    data = yaml.safe_load((HERE / "projects.yaml").read_text(encoding="utf-8"))
    projects = [Project(p["name"], p["url"], p["commit"], p["docs"]) for p in data["projects"]]
    unknown = set(only) - {p.name for p in projects}
    if unknown:
        raise SystemExit(f"run.py: unknown project(s): {', '.join(sorted(unknown))}")
    return [p for p in projects if not only or p.name in only]


def load_labels(project: Project) -> list[Label]:
    path = HERE / "labels" / f"{project.name}.yaml"
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    labels = []
    for item in data.get("findings", []):
        verdict = str(item.get("verdict", "")).upper()
        if verdict not in VERDICTS:
            continue  # a stub not judged yet
        labels.append(
            Label(
                item["doc"], int(item["line"]), item["symbol"], item["kind"], item["severity"], verdict,
                item.get("reason", ""), item.get("category", ""),
            )
        )  # fmt: skip
    return labels


def checkout(project: Project, subjects: Path) -> Path:
    """A detached worktree of the project's clone at the pinned commit (made once, reused)."""
    clone = subjects / project.name
    if not clone.exists():
        subprocess.run(["git", "clone", "-q", project.url, str(clone)], check=True)
    tree = subjects / ".accuracy-worktrees" / project.name
    if tree.exists():
        head = _git(tree, "rev-parse", "HEAD")
        if head == project.commit:
            return tree
        subprocess.run(["git", "-C", str(clone), "worktree", "remove", "--force", str(tree)], check=True)
    tree.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["git", "-C", str(clone), "worktree", "add", "-q", "--detach", str(tree), project.commit], check=True
    )
    return tree


def code_digest(code: Path) -> str:
    """A digest of the docsync package's sources at `code`."""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted((code / "docsync").rglob("*.py")):
        digest.update(path.relative_to(code).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def run_docsync(tree: Path, code: Path, cache: Path, *args: str) -> Any:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(PYTHONPATH=str(code), DOCSYNC_CACHE_DIR=str(cache))
    result = subprocess.run(
        [sys.executable, "-m", "docsync", *args], cwd=tree, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode not in (0, 1):
        raise SystemExit(f"run.py: docsync {' '.join(args)} failed in {tree}:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


def evaluate(project: Project, subjects: Path, code: Path) -> Outcome:
    tree = checkout(project, subjects)
    cache = subjects / ".docsync-cache" / project.name / code_digest(code)
    report = run_docsync(tree, code, cache, "check", "--format", "json")
    doc_map = run_docsync(tree, code, cache, "map", "--format", "json")
    findings = tuple(report["findings"])
    labels = load_labels(project)
    matched = match(findings, labels)
    found = {id(label) for label in matched.values()}
    missed = tuple(label for label in labels if label.verdict == "TRUE" and id(label) not in found)
    return Outcome(project, len(doc_map["references"]), findings, matched, missed)


def match(findings: Sequence[Mapping[str, Any]], labels: Iterable[Label]) -> dict[int, Label]:
    """One label per finding and one finding per label: the same doc and symbol (or replacement), within
    LINE_SLACK lines; the closest pairs first, a pair of the same kind before one of another."""
    by_doc_symbol: dict[tuple[str, str], list[Label]] = {}
    for label in labels:
        by_doc_symbol.setdefault((label.doc, label.symbol), []).append(label)
    pairs = []
    for index, finding in enumerate(findings):
        names = {finding["symbol"], finding.get("replacement") or ""}
        for label in (label for name in names for label in by_doc_symbol.get((finding["doc"], name), ())):
            distance = abs(label.line - finding["line"])
            if distance <= LINE_SLACK:
                pairs.append((distance, label.kind != finding["kind"], index, label))
    matched: dict[int, Label] = {}
    taken: set[int] = set()
    for _, _, index, label in sorted(pairs, key=lambda pair: pair[:3]):
        if index not in matched and id(label) not in taken:
            matched[index] = label
            taken.add(id(label))
    return matched


def stubs(outcome: Outcome, size: int) -> str:
    """A seeded sample of the unjudged findings (errors first, see `_stratified`) as YAML stubs to judge."""
    unjudged = [f for index, f in enumerate(outcome.findings) if index not in outcome.matched]
    chosen = sorted(_stratified(unjudged, size, random.Random(outcome.project.name)), key=_order)
    items = [
        {
            "doc": f["doc"], "line": f["line"], "symbol": f["symbol"], "kind": f["kind"], "severity": f["severity"],
            "message": f["message"], "verdict": "?", "category": "", "reason": "",
        }
        for f in chosen
    ]  # fmt: skip
    return yaml.safe_dump({"findings": items}, sort_keys=False, allow_unicode=True, width=200)


def _stratified(findings: Sequence[dict[str, Any]], size: int, rng: random.Random) -> list[dict[str, Any]]:
    """Up to 5/8 of the sample from the errors (false errors weigh most), the rest from the other findings."""
    errors = [f for f in findings if f["severity"] == "error"]
    others = [f for f in findings if f["severity"] != "error"]
    take_errors = min(len(errors), max(size * 5 // 8, size - len(others)))
    take_others = min(len(others), size - take_errors)
    return rng.sample(errors, take_errors) + rng.sample(others, take_others)


def _order(finding: Mapping[str, Any]) -> tuple[str, int, str]:
    return (finding["doc"], finding["line"], finding["symbol"])


def _git(tree: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(tree), *args], capture_output=True, text=True, check=True).stdout.strip()


def table(outcomes: Sequence[Outcome]) -> str:
    header = (
        "project|docs|references|findings|errors|TRUE|FALSE|FALSE errors|unjudged|false/1k|false errors/1k"
        "|est. false/1k|est. false errors/1k"
    )
    rows = ["| " + " | ".join(header.split("|")) + " |", "|---|---" + "|--:" * 11 + "|"]
    totals = Counts()
    for outcome in outcomes:
        counts = _counts(outcome)
        totals = totals + counts
        rows.append(_row(outcome.project.name, outcome.project.docs, counts))
    rows.append(_row("**total**", "", totals))
    return "\n".join(rows)


@dataclass(frozen=True)
class Counts:
    references: int = 0
    findings: int = 0
    errors: int = 0
    true: int = 0
    false: int = 0
    false_errors: int = 0
    # Where only a sample is judged: the false findings (and errors) expected among all of them, at the judged
    # sample's false rate per severity.
    estimated_false: float = 0.0
    estimated_false_errors: float = 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def _counts(outcome: Outcome) -> Counts:
    findings, matched = outcome.findings, outcome.matched
    estimated = {}
    for severity in ("error", "warning", "info"):
        all_of = [i for i, f in enumerate(findings) if f["severity"] == severity]
        judged = [matched[i] for i in all_of if i in matched]
        false = sum(label.verdict == "FALSE" for label in judged)
        estimated[severity] = len(all_of) * false / len(judged) if judged else 0.0
    return Counts(
        references=outcome.references,
        findings=len(findings),
        errors=sum(f["severity"] == "error" for f in findings),
        true=sum(label.verdict == "TRUE" for label in matched.values()),
        false=sum(label.verdict == "FALSE" for label in matched.values()),
        false_errors=sum(matched[i].verdict == "FALSE" and findings[i]["severity"] == "error" for i in matched),
        estimated_false=sum(estimated.values()),
        estimated_false_errors=estimated["error"],
    )


def _row(name: str, docs: str, c: Counts) -> str:
    def per_k(value: float) -> str:
        return f"{1000 * value / c.references:.2f}" if c.references else "-"

    unjudged = c.findings - c.true - c.false
    cells = [
        name, docs, c.references, c.findings, c.errors, c.true, c.false, c.false_errors, unjudged,
        per_k(c.false), per_k(c.false_errors), per_k(c.estimated_false), per_k(c.estimated_false_errors),
    ]  # fmt: skip
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subjects", type=Path, required=True, help="where the projects' clones are (or go)")
    parser.add_argument("--docsync", type=Path, default=DOCSYNC, help="the docsync checkout to measure")
    parser.add_argument("--only", nargs="*", default=[], help="only these projects")
    parser.add_argument("--sample", type=int, metavar="N", help="print N unjudged findings per project as YAML stubs")
    parser.add_argument("--json", type=Path, help="also write every finding with its verdict to this file")
    args = parser.parse_args()
    outcomes = [
        evaluate(project, args.subjects.resolve(), args.docsync.resolve()) for project in load_projects(args.only)
    ]
    if args.sample is not None:
        for outcome in outcomes:
            print(f"# {outcome.project.name}\n{stubs(outcome, args.sample)}")
        return 0
    print(table(outcomes))
    for outcome in outcomes:
        for label in outcome.missed:
            where = f"{outcome.project.name} {label.doc}:{label.line} {label.symbol} ({label.kind})"
            print(f"NO LONGER REPORTED: {where}: {label.reason}")
    if args.json is not None:
        dump = {
            o.project.name: [
                {**f, "verdict": o.matched[i].verdict if i in o.matched else None} for i, f in enumerate(o.findings)
            ]
            for o in outcomes
        }
        args.json.write_text(json.dumps(dump, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
