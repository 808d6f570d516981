"""The environment-variable survey (issue 17): what docsync's environment readers find in real projects, to judge.

    python benchmarks/accuracy/env_survey.py --subjects DIR [--only NAME ...] [--rev NAME=REV ...] [--json FILE]
    python benchmarks/accuracy/env_survey.py --subjects DIR [--only NAME ...] --events N

For each checkout `DIR/<name>` (default: every project of `projects.yaml`) at a revision (default: its HEAD), read
with plain git, never importing the project: the variables its code (the Python modules under its code roots, as
cli_survey.py finds them) reads and the prefixes it reads by, and the variables its docs tell users to set (history
pages excluded). For the claimed names the code does not read now, the history of the code roots says which it read
before: `git log -G` finds the commits that changed a quoted `"NAME"`, and the reader runs on the files each touched,
before and after it. Then the judge: a claimed name read before and not now is a problem. Printed per project:
reads, prefixes, claims, the claimed names not read, those read before (with the commit that stopped reading each),
and the problems as `doc:line:col: NAME -> suggestion`. Also checked: `mentions_env` is true for every module in
which the reader finds something (a pre-filter must never hide a read).

`--events N` mines history instead, for the recall corpus: in the newest N commits that touch a read in the
project's Python code (tests, docs and `_vendor` left out), each variable the touched files stop reading that no
code file writes any more, and every doc (history pages left out) that names it at that commit: its claims (or
`mention` when the claim reader finds none), the first later commit that changed the doc's mentions of it (`fixed`)
and the first that changed the code's (`code_back`). Printed one event a line, to verify by hand.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
import time
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
sys.path.insert(0, str(HERE))

from cli_survey import (  # noqa: E402
    FORMATS,
    PACKAGING,
    Tree,
    _corpus_names,
    _rev,
    code_roots,
    parse_modules,
    settings,
    survey_checkouts,
    write_surveys,
)

from docsync.commandline.env_claims import EnvClaim, read_env_claims  # noqa: E402
from docsync.commandline.env_judge import judge_env  # noqa: E402
from docsync.commandline.envvars import EnvReads, mentions_env, read_env_reads, wrapper_names  # noqa: E402
from docsync.commandline.project import module_names  # noqa: E402
from docsync.references.discover import find_docs  # noqa: E402
from docsync.references.history_pages import is_history_page  # noqa: E402

_NOT_CODE = ("**/test*/**", "test*/**", "doc*/**", "**/_vendor/**", "example*/**", "bench*/**", "script*/**")
_HISTORY_COMMITS = 400
_BUILD_SCRIPT = "setup.py"  # the newest commits that changed a missing name, per project (a bound on the cost)


@dataclass(frozen=True)
class Survey:
    name: str
    rev: str
    seconds: float
    modules: int
    reads: int
    prefixes: tuple[str, ...]
    filter_misses: tuple[str, ...]  # names and prefixes the mentions_env pre-filter would lose (must stay empty)
    docs: int
    claims: int
    missing: tuple[str, ...]  # claimed names the code does not read now
    before: dict[str, str]  # missing names read before -> the commit that stopped reading it ("" when unknown)
    problems: tuple[dict[str, Any], ...]
    claimed: tuple[dict[str, Any], ...]  # every claim, for the record


def survey(name: str, checkout: Path, rev: str) -> Survey:
    started = time.perf_counter()
    tree = Tree(checkout, rev)
    packaging = tree.texts(path for path in PACKAGING if path in tree.paths)
    config = settings(packaging)
    roots = code_roots(config, packaging, tree.paths)
    names = _with_build_script(module_names(tree.paths, roots), tree.paths)
    texts = tree.texts(names.values())
    modules, _ = parse_modules(texts, names)
    reads = read_env_reads(modules, names)
    misses = _filter_misses(modules, names, texts, reads)
    docs = [
        doc
        for doc in find_docs(tree.paths, config)
        if Path(doc).suffix.lower() in FORMATS
        and not is_history_page(doc, False, config.history_docs, config.current_docs)
    ]
    claims: list[EnvClaim] = []
    for doc, text in tree.texts(docs).items():
        claims.extend(read_env_claims(doc, text, FORMATS[Path(doc).suffix.lower()]))
    missing = sorted({claim.name for claim in claims if not reads.covers(claim.name)})
    before = read_before(checkout, tree.rev, roots, missing)
    problems = judge_env(claims, reads, set(before))
    return Survey(
        name, tree.rev, round(time.perf_counter() - started, 2), len(modules), len(reads.names), reads.prefixes,
        misses, len(docs), len(claims), tuple(missing), before,
        tuple(
            {"doc": p.claim.doc, "line": p.claim.line, "column": p.claim.column, "name": p.claim.name,
             "how": p.claim.how, "suggestion": p.suggestion, "stopped": before.get(p.claim.name, ""),
             "written_after": written_after(checkout, tree.rev, p.claim, before.get(p.claim.name, ""))}
            for p in problems
        ),
        tuple(asdict(claim) for claim in claims),
    )  # fmt: skip


def _filter_misses(
    modules: dict[str, ast.Module], names: dict[str, str], texts: dict[str, str], reads: EnvReads
) -> tuple[str, ...]:
    """What the pre-filter would lose: the names and prefixes read from every module but not from those that
    `mentions_env` keeps (with the wrappers of the modules that mention the environment)."""
    sources = {module: texts[names[module]].encode() for module in modules}
    mentioning = {module: modules[module] for module in modules if mentions_env(sources[module])}
    wrappers = wrapper_names(mentioning)
    kept = {module: syntax for module, syntax in modules.items() if mentions_env(sources[module], wrappers)}
    filtered = read_env_reads(kept, names)
    return tuple(sorted((set(reads.names) - set(filtered.names)) | (set(reads.prefixes) - set(filtered.prefixes))))


def read_before(checkout: Path, rev: str, roots: Sequence[str], missing: Sequence[str]) -> dict[str, str]:
    """The `missing` names the code read at some revision before `rev`, each with the newest commit after which it
    no longer read it (from the files that commit touched)."""
    if not missing:
        return {}
    specs = [*(f"{root}/*.py" if root else "*.py" for root in roots), _BUILD_SCRIPT]
    pattern = "[\"'](" + "|".join(re.escape(name) for name in missing) + ")[\"']"
    log = _git(checkout, "log", f"-{_HISTORY_COMMITS}", "--format=@%H", "--name-only", "-G", pattern, rev, "--", *specs)
    stopped: dict[str, str] = {}
    seen: set[str] = set()
    for commit, files in _commits(log):  # newest first
        after = _names_at(checkout, commit, files, roots)
        before = _names_at(checkout, f"{commit}^", files, roots)
        for name in missing:
            if name in before and name not in after:
                stopped.setdefault(name, commit)  # the last time the code stopped reading it
            if name in before or name in after:
                seen.add(name)
    # A name read before whose stop is not seen in the files a commit touched (moved, then dropped): commit "".
    return {name: stopped.get(name, "") for name in missing if name in seen}


def written_after(checkout: Path, rev: str, claim: EnvClaim, stopped: str) -> str:
    """The commit that last wrote the claim's line when it came after `stopped` (the code had already stopped
    reading the variable when the doc was written, so the doc likely means another program's: Sphinx's applehelp
    confvals, rewritten in 2024, name variables sphinxcontrib-applehelp reads since 2019), else ""."""
    if not stopped:
        return ""
    blame = _git(checkout, "blame", "--porcelain", "-L", f"{claim.line},{claim.line}", rev, "--", claim.doc)
    written = blame.split()[0] if blame else ""
    after = subprocess.run(
        ["git", "-C", str(checkout), "merge-base", "--is-ancestor", stopped, written], capture_output=True, check=False
    )
    return written if written and written != stopped and after.returncode == 0 else ""


def _with_build_script(names: dict[str, str], paths: Sequence[str]) -> dict[str, str]:
    """The modules, and the build script: what it reads is the project's too (pydantic's setup.py read SKIP_CYTHON,
    which its install docs told users to set until 2023, after setup.py was gone in 2022)."""
    if _BUILD_SCRIPT in paths and _BUILD_SCRIPT not in names.values():
        return {**names, "setup": _BUILD_SCRIPT}
    return names


def _commits(log: str) -> list[tuple[str, list[str]]]:
    commits: list[tuple[str, list[str]]] = []
    for line in log.splitlines():
        if line.startswith("@"):
            commits.append((line[1:], []))
        elif line.strip() and commits:
            commits[-1][1].append(line.strip())
    return commits


def _names_at(checkout: Path, rev: str, files: Sequence[str], roots: Sequence[str]) -> set[str]:
    """The names the reader finds in `files` at `rev` (files missing there are skipped)."""
    tree = Tree.__new__(Tree)  # no listing: the files are known, and cat-file skips those missing at `rev`
    tree.checkout, tree.rev = checkout, rev
    named = _with_build_script(module_names(files, roots), files)
    names = {module: path for module, path in named.items() if path in files}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        modules, _ = parse_modules(tree.texts(names.values()), names)
    return set(read_env_reads(modules, names, vendored=False).names)


@dataclass(frozen=True)
class Event:
    """A commit after which the code no longer read a variable that a doc (at that commit) still told users to set;
    `fixed` is the first later commit that changed the doc's mentions of it ("" when none did)."""

    project: str
    name: str
    stopped: str
    doc: str
    line: int
    how: str  # the claim's, or "mention" for a doc naming it in no claim (to check the claim reader's recall)
    fixed: str
    code_back: str  # the first later commit that changed the code's mentions of it again ("" when none)


def mine_events(name: str, checkout: Path, rev: str, limit: int) -> list[Event]:
    """Events in the history of the project's code up to `rev` (the newest `limit` commits that touch a read)."""
    tree = Tree(checkout, rev)
    config = settings(tree.texts(path for path in PACKAGING if path in tree.paths))
    # All Python code but tests, docs and bundled code: the code roots of old layouts differ (pip before src/), so
    # each commit's modules are named from its own files.
    specs = ["*.py", *(f":(exclude,glob){glob}" for glob in _NOT_CODE)]
    log = _git(
        checkout, "log", f"-{limit}", "--format=@%H", "--name-only", "-G", "environ|getenv|envvar|env_prefix",
        tree.rev, "--", *specs,
    )  # fmt: skip
    events: list[Event] = []
    for commit, files in _commits(log):
        dropped = _names_at(checkout, f"{commit}^", files, ()) - _names_at(checkout, commit, files, ())
        for variable in sorted(dropped):
            moved = subprocess.run(
                ["git", "-C", str(checkout), "grep", "-q", "-w", "-F", variable, commit, "--", *specs],
                capture_output=True, check=False,
            )  # fmt: skip
            if moved.returncode == 0:
                continue  # still written somewhere in the code: moved or read another way, not dropped
            found = _doc_events(name, checkout, commit, tree.rev, variable, config)
            if found:
                back = _first(checkout, variable, f"{commit}..{tree.rev}", specs)
                events.extend(replace(event, code_back=back) for event in found)
    return events


def _doc_events(project: str, checkout: Path, commit: str, rev: str, variable: str, config: Any) -> list[Event]:
    """The docs at `commit` that name `variable` (each claim of it, else the doc as a "mention"), each with the
    commit that later changed the doc's mentions of it."""
    listed = subprocess.run(
        ["git", "-C", str(checkout), "grep", "-l", "-w", "-F", variable, commit, "--", *(f"*{s}" for s in FORMATS)],
        capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    docs = [line.partition(":")[2] for line in listed.splitlines()]
    docs = [doc for doc in docs if not is_history_page(doc, False, config.history_docs, config.current_docs)]
    at = Tree.__new__(Tree)
    at.checkout, at.rev = checkout, commit
    events: list[Event] = []
    for doc, text in at.texts(docs).items():
        fixed = _first(checkout, variable, f"{commit}..{rev}", [doc])
        claims = read_env_claims(doc, text, FORMATS[Path(doc).suffix.lower()])
        where = [(claim.line, claim.how) for claim in claims if claim.name == variable] or [(0, "mention")]
        events.extend(Event(project, variable, commit, doc, line, how, fixed, "") for line, how in where)
    return events


def _first(checkout: Path, variable: str, commits: str, specs: Sequence[str]) -> str:
    """The oldest of `commits` that changed how often `specs` write `variable` ("" when none did)."""
    changed = _git(checkout, "log", "--reverse", "--format=%H", "-S", variable, commits, "--", *specs)
    return (changed.split() or [""])[0]


def report(surveys: Sequence[Survey]) -> str:
    lines = []
    for found in surveys:
        lines.append(f"== {found.name} @ {found.rev[:12]} ({found.seconds:.2f} s)")
        misses = f"; FILTER MISSES: {', '.join(found.filter_misses)}" if found.filter_misses else ""
        lines.append(f"modules: {found.modules}; reads: {found.reads}; prefixes: {', '.join(found.prefixes)}{misses}")
        lines.append(f"docs: {found.docs}; claims: {found.claims}; not read now: {', '.join(found.missing)}")
        before = ", ".join(f"{name} ({commit[:10] or '?'})" for name, commit in found.before.items())
        lines.append(f"read before: {before}; problems: {len(found.problems)}")
    total = sum(len(found.problems) for found in surveys)
    lines.append(f"== total: {len(surveys)} projects, {sum(f.claims for f in surveys)} claims, {total} problems")
    for found in surveys:
        for problem in found.problems:
            suggestion = f" -> {problem['suggestion']}" if problem["suggestion"] else ""
            where = f"{problem['doc']}:{problem['line']}:{problem['column']}"
            stopped = f" (stopped: {problem['stopped'][:10]})" if problem["stopped"] else ""
            if problem["written_after"]:
                stopped += f" (doc line written after, in {problem['written_after'][:10]})"
            lines.append(f"{found.name}: {where}: {problem['name']} [{problem['how']}]{suggestion}{stopped}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    revs = dict(_rev(value) for value in options.rev)
    if options.events:
        for name in options.only or _corpus_names():
            for event in mine_events(name, options.subjects / name, revs.get(name, "HEAD"), options.events):
                print(" ".join(f"{value}" for value in asdict(event).values()), flush=True)
        return 0
    surveys, _ = survey_checkouts(options, survey, "env_survey.py")
    print(report(surveys))
    write_surveys(options.json, surveys)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--subjects", type=Path, required=True, help="the folder holding each project's checkout")
    parser.add_argument("--only", nargs="+", default=[], help="these checkouts (default: the corpus's projects)")
    parser.add_argument("--rev", action="append", default=[], metavar="NAME=REV", help="a revision for one project")
    parser.add_argument("--json", type=Path, help="write the surveys here")
    parser.add_argument(
        "--events", type=int, metavar="N", default=0,
        help="instead: mine the newest N commits that touch a read for variables dropped while a doc still set them",
    )  # fmt: skip
    return parser


def _git(checkout: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(checkout), *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"env_survey.py: git {' '.join(args[:3])} failed in {checkout}: {result.stderr.strip()}")
    return result.stdout


if __name__ == "__main__":
    sys.exit(main())
