"""The command-line survey (issue 17): what docsync's command-line readers find in real projects, to judge by hand.

    python benchmarks/accuracy/cli_survey.py --subjects DIR [--only NAME ...] [--rev NAME=REV ...] [--json FILE]

For each checkout `DIR/<name>` (default: every project of `projects.yaml` that declares console scripts) at a
revision (default: its HEAD), read with plain git, never importing the project: its console scripts (pyproject,
setup.cfg, setup.py), the Python modules under its code roots (each `ast.parse`d; files that do not parse are
skipped and counted), the command line they declare, and the command lines its docs show (the docs its docsync
settings select, else docsync's defaults). Then judge those claims against that command line and print, per
project, the scripts, the commands read (open-ended ones marked `*`), the claims and the problems; then every
problem as `doc:line:col: what: written (command) -> suggestion`. `--json` writes all of it, every claim too, and
each problem with an empty verdict to fill in (TRUE: the doc is wrong about the current command line; FALSE: it is
not, and why). History pages (changelogs, release notes, by path) are not read: they name old options on purpose.
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from docsync.code_subsets import is_proposal  # noqa: E402
from docsync.commandline.claims import read_claims  # noqa: E402
from docsync.commandline.judge import judge_claims  # noqa: E402
from docsync.commandline.model import CommandClaim, CommandLine  # noqa: E402
from docsync.commandline.project import command_names, module_names, read_command_line  # noqa: E402
from docsync.commandline.scripts import console_scripts  # noqa: E402
from docsync.config import parse_settings, roots_from_pyproject_text  # noqa: E402
from docsync.references.discover import find_docs  # noqa: E402
from docsync.references.history_pages import is_history_page  # noqa: E402
from docsync.settings import Config  # noqa: E402
from docsync.symbols.layout import declared_by_setup_files, default_code_roots  # noqa: E402

PACKAGING = ("pyproject.toml", "setup.cfg", "setup.py")
# Docs whose claims are read, by suffix; `.txt` docs live in docs/ only (find_docs) and are reST (Django's).
FORMATS = {".md": "markdown", ".markdown": "markdown", ".rst": "rst", ".txt": "rst"}


@dataclass(frozen=True)
class Survey:
    """One project's survey, as printed and as written to JSON."""

    name: str
    rev: str
    seconds: float
    scripts: Mapping[str, str]
    commands: tuple[dict[str, Any], ...]
    modules: int
    unparsed: tuple[str, ...]
    docs: int
    claims: tuple[dict[str, Any], ...]
    problems: tuple[dict[str, Any], ...]


class Tree:
    """A checkout's files at one revision, read with git alone."""

    def __init__(self, checkout: Path, rev: str) -> None:
        self.checkout = checkout
        self.rev = _git(checkout, "rev-parse", "--verify", f"{rev}^{{commit}}")
        listing = _git(checkout, "ls-tree", "-r", "-z", "--name-only", self.rev)
        self.paths = tuple(path for path in listing.split("\0") if path)

    def texts(self, paths: Iterable[str]) -> dict[str, str]:
        """Each path's content at the revision (undecodable bytes replaced), read in one `git cat-file --batch`."""
        wanted = [path for path in paths if "\n" not in path]
        request = "".join(f"{self.rev}:{path}\n" for path in wanted).encode()
        output = subprocess.run(
            ["git", "-C", str(self.checkout), "cat-file", "--batch"], input=request, capture_output=True, check=True
        ).stdout
        found: dict[str, str] = {}
        cursor = 0
        for path in wanted:
            end = output.index(b"\n", cursor)
            header = output[cursor:end].split()
            cursor = end + 1
            if len(header) != 3 or header[1] != b"blob":
                continue  # "missing", or a submodule's commit
            size = int(header[2])
            found[path] = output[cursor : cursor + size].decode("utf-8", "replace")
            cursor += size + 1
        return found


def settings(packaging: Mapping[str, str]) -> Config:
    """The project's own docsync settings (`[tool.docsync]`), else docsync's defaults."""
    text = packaging.get("pyproject.toml")
    try:
        data = tomllib.loads(text) if text is not None else {}
    except tomllib.TOMLDecodeError:
        data = {}
    section = data.get("tool", {}).get("docsync") if isinstance(data.get("tool"), dict) else None
    roots = roots_from_pyproject_text(text) if text is not None else None
    if isinstance(section, dict):
        return parse_settings(section, "[tool.docsync]", roots)
    return Config(code_roots=roots)


def code_roots(config: Config, packaging: Mapping[str, str], paths: Sequence[str]) -> tuple[str, ...]:
    """As docsync's loader finds them: settings, pyproject, setup.cfg/setup.py, else the layout."""
    roots = config.code_roots
    if roots is None:
        roots = declared_by_setup_files(packaging.get("setup.cfg"), packaging.get("setup.py"))
    has_code = roots is not None and any(
        path.endswith(".py") and any(root == "" or path.startswith(root + "/") for root in roots) for path in paths
    )
    return roots if roots is not None and has_code else default_code_roots(paths)


def parse_modules(texts: Mapping[str, str], names: Mapping[str, str]) -> tuple[dict[str, ast.Module], list[str]]:
    """Every module that parses, by dotted name; the paths of those that do not."""
    modules: dict[str, ast.Module] = {}
    unparsed = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)  # invalid escapes in old code are not ours to report
        for name, path in names.items():
            try:
                modules[name] = ast.parse(texts[path], filename=path)
            except (SyntaxError, ValueError, KeyError):
                unparsed.append(path)
    return modules, sorted(unparsed)


def survey(name: str, checkout: Path, rev: str) -> Survey | None:
    """One project's survey; None when it declares no console script."""
    started = time.perf_counter()
    tree = Tree(checkout, rev)
    packaging = tree.texts(path for path in PACKAGING if path in tree.paths)
    scripts = console_scripts(*(packaging.get(path) for path in PACKAGING))
    if not scripts:
        return None
    config = settings(packaging)
    names = module_names(tree.paths, code_roots(config, packaging, tree.paths))
    modules, unparsed = parse_modules(tree.texts(names.values()), names)
    line = read_command_line(modules, scripts, names)
    commands = command_names(scripts, names)
    # History pages (by path or settings, as docsync decides) name old options on purpose: not read.
    docs = [
        doc
        for doc in find_docs(tree.paths, config)
        if Path(doc).suffix.lower() in FORMATS
        and not is_history_page(doc, False, config.history_docs, config.current_docs)
        and not is_proposal(doc)
    ]
    claims: list[CommandClaim] = []
    for doc, text in tree.texts(docs).items():
        claims.extend(read_claims(doc, text, FORMATS[Path(doc).suffix.lower()], commands))
    # A command that takes options we cannot see: its unknown options need history (docsync check has it)
    problems = tuple(problem for problem in judge_claims(line, tuple(claims)) if not problem.unsure)
    return Survey(
        name, tree.rev, round(time.perf_counter() - started, 2), dict(scripts), describe(line), len(modules),
        tuple(unparsed), len(docs), tuple(_claim(claim) for claim in claims),
        tuple(_problem(problem) for problem in problems),
    )  # fmt: skip


def describe(line: CommandLine) -> tuple[dict[str, Any], ...]:
    return tuple(
        {
            "words": " ".join(command.words), "open_ended": command.open_ended, "options": len(command.options),
            "subcommands": len(command.subcommands), "path": command.path, "line": command.line,
        }
        for command in sorted(line.commands.values(), key=lambda command: command.words)
    )  # fmt: skip


def _claim(claim: CommandClaim) -> dict[str, Any]:
    return {
        "doc": claim.doc, "line": claim.line, "column": claim.column, "argv": list(claim.argv), "style": claim.style,
        "words": " ".join(claim.words),
    }  # fmt: skip


def _problem(problem: Any) -> dict[str, Any]:
    claim: CommandClaim = problem.claim
    command = problem.command
    return {
        "doc": claim.doc, "line": claim.line, "column": claim.column, "what": problem.what,
        "written": problem.written, "command": " ".join(command) if isinstance(command, tuple) else command,
        "suggestion": problem.suggestion, "argv": list(claim.argv), "style": claim.style,
        "verdict": "", "reason": "",
    }  # fmt: skip


def problem_line(problem: Mapping[str, Any]) -> str:
    suggestion = f" -> {problem['suggestion']}" if problem["suggestion"] else ""
    where = f"{problem['doc']}:{problem['line']}:{problem['column']}"
    return f"{where}: {problem['what']}: {problem['written']} ({problem['command']}){suggestion}"


def report(surveys: Sequence[Survey], skipped: Sequence[str]) -> str:
    lines = []
    for found in surveys:
        lines.append(f"== {found.name} @ {found.rev[:12]} ({found.seconds:.2f} s)")
        lines.append("scripts: " + ", ".join(f"{name} = {target}" for name, target in sorted(found.scripts.items())))
        unparsed = f" ({len(found.unparsed)} do not parse: {', '.join(found.unparsed[:5])})" if found.unparsed else ""
        lines.append(f"modules: {found.modules}{unparsed}; docs: {found.docs}")
        shown = [c["words"] + ("*" if c["open_ended"] else "") for c in found.commands]
        lines.append(f"commands ({len(shown)}; * open-ended): " + ", ".join(shown))
        lines.append(f"claims: {len(found.claims)}; problems: {len(found.problems)}")
    if skipped:
        lines.append("no console scripts: " + ", ".join(skipped))
    total_claims = sum(len(found.claims) for found in surveys)
    total_problems = sum(len(found.problems) for found in surveys)
    lines.append(f"== total: {len(surveys)} projects, {total_claims} claims, {total_problems} problems")
    lines.extend(f"{found.name}: {problem_line(problem)}" for found in surveys for problem in found.problems)
    return "\n".join(lines)


def survey_checkouts(
    options: argparse.Namespace, run: Callable[[str, Path, str], Any], tool: str
) -> tuple[list[Any], list[str]]:
    """`run(name, checkout, rev)` for each project `--only` names (default: the corpus's), at its `--rev`; the
    surveys, and the names it gave None for. Shared by the command-line, environment and settings surveys."""
    revs = dict(_rev(value) for value in options.rev)
    surveys, skipped = [], []
    for name in options.only or _corpus_names():
        checkout = options.subjects / name
        if not (checkout / ".git").exists():
            raise SystemExit(f"{tool}: no git checkout at {checkout}")
        found = run(name, checkout, revs.get(name, "HEAD"))
        if found is None:
            skipped.append(name)
        else:
            surveys.append(found)
    return surveys, skipped


def write_surveys(path: Path | None, surveys: Sequence[Any]) -> None:
    if path is not None:
        path.write_text(
            json.dumps({"projects": [asdict(found) for found in surveys]}, indent=1) + "\n", encoding="utf-8"
        )


def main(argv: Sequence[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    surveys, skipped = survey_checkouts(options, survey, "cli_survey.py")
    print(report(surveys, skipped))
    write_surveys(options.json, surveys)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=Path, required=True, help="the folder holding each project's checkout")
    parser.add_argument("--only", nargs="+", default=[], help="these checkouts (default: the corpus's projects)")
    parser.add_argument("--rev", action="append", default=[], metavar="NAME=REV", help="a revision for one project")
    parser.add_argument("--json", type=Path, help="write the surveys, problems with empty verdicts, here")
    return parser


def _rev(value: str) -> tuple[str, str]:
    name, equals, rev = value.partition("=")
    if not equals or not name or not rev:
        raise SystemExit(f"cli_survey.py: --rev wants NAME=REV, got {value!r}")
    return name, rev


def _corpus_names() -> list[str]:
    data = yaml.safe_load((HERE / "projects.yaml").read_text(encoding="utf-8"))
    return [project["name"] for project in data["projects"]]


def _git(checkout: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(checkout), *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"cli_survey.py: git {' '.join(args)} failed in {checkout}: {result.stderr.strip()}")
    return result.stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
