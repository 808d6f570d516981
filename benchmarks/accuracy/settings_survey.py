"""The settings survey (issue 17): which settings sections docsync reads from real projects' code, which keys their
docs show, and which of those the loader does not accept, to judge by hand.

    python benchmarks/accuracy/settings_survey.py --subjects DIR [--only NAME ...] [--rev NAME=REV ...] [--json FILE]

For each checkout `DIR/<name>` (default: every project of `projects.yaml`) at a revision (default: HEAD), read with
plain git, never importing the project: the modules under its code roots that `mentions_settings` lets through
and the project modules that those registering settings import from (`imported_modules`), parsed as docsync does
(newer grammar through libcst), the command line too when a click `default_map` is involved; the settings
sections they declare, and the settings keys its docs show (history pages left out, as cli_survey.py does).
Then print, per project, each section (its keys; `*` when open-ended, `~` when the project's own keys were not
all read), the claims per section and the problems; `--json` writes them all, each problem with an empty verdict
to fill in (TRUE: the loader no longer accepts the key; FALSE: it does, or the doc is not about the project's
settings, and why).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
sys.path.insert(0, str(HERE))

from cli_survey import (  # noqa: E402
    FORMATS,
    PACKAGING,
    Tree,
    code_roots,
    parse_modules,
    settings,
    survey_checkouts,
    tomllib,
    write_surveys,
)  # fmt: skip

from docsync.commandline.project import module_names, read_command_line  # noqa: E402
from docsync.commandline.scripts import console_scripts  # noqa: E402
from docsync.commandline.settings_claims import SettingClaim, read_settings_claims  # noqa: E402
from docsync.commandline.settings_judge import judge_settings  # noqa: E402
from docsync.commandline.settings_keys import (  # noqa: E402
    Settings,
    imported_modules,
    mentions_settings,
    read_settings,
    settings_module_needed,
)
from docsync.references.discover import find_docs  # noqa: E402
from docsync.references.history_pages import is_history_page  # noqa: E402
from docsync.symbols.parse import parse_python  # noqa: E402


@dataclass(frozen=True)
class Survey:
    name: str
    rev: str
    seconds: float
    project_names: tuple[str, ...]
    modules: int
    unparsed: tuple[str, ...]
    sections: tuple[dict[str, Any], ...]
    docs: int
    claims: tuple[dict[str, Any], ...]
    problems: tuple[dict[str, Any], ...]


def project_names(
    name: str, packaging: Mapping[str, str], scripts: Mapping[str, str], modules: Sequence[str]
) -> set[str]:
    """The checkout's name, the distribution's (pyproject), the console scripts' and the top-level packages'."""
    found = {name, *scripts, *(module.split(".")[0] for module in modules)}
    try:
        project = tomllib.loads(packaging.get("pyproject.toml", "")).get("project", {})
    except tomllib.TOMLDecodeError:
        project = {}
    if isinstance(project, dict) and isinstance(project.get("name"), str):
        found.add(project["name"])
    return {n.lower().replace("_", "-") for n in found}


def survey(name: str, checkout: Path, rev: str) -> Survey:
    started = time.perf_counter()
    tree = Tree(checkout, rev)
    packaging = tree.texts(path for path in PACKAGING if path in tree.paths)
    scripts = console_scripts(*(packaging.get(path) for path in PACKAGING))
    config = settings(packaging)
    names = module_names(tree.paths, code_roots(config, packaging, tree.paths))
    texts = tree.texts(names.values())
    marks = {module: mentions_settings(texts.get(path, "").encode()) for module, path in names.items()}
    found = 0
    for mark in marks.values():
        found |= mark
    chosen = {module: path for module, path in names.items() if settings_module_needed(marks[module], found)}
    modules, unparsed = parse_modules(texts, chosen)
    for module in sorted(imported_modules(modules, names)):  # one hop: constants that name settings
        chosen[module] = names[module]
    modules, unparsed = parse_modules(texts, chosen)
    # docsync parses newer grammar (PEP 695, 701) through libcst; cli_survey's parse_modules does not.
    for module, path in chosen.items():
        if module not in modules and path in unparsed:
            with contextlib.suppress(SyntaxError, ValueError):
                modules[module] = parse_python(texts[path])
    unparsed = [path for module, path in chosen.items() if module not in modules]
    command_line = None
    if scripts and any("default_map" in texts.get(path, "") for path in chosen.values()):
        command_line = read_command_line(parse_modules(texts, names)[0], scripts, names)
    own = project_names(name, packaging, scripts, list(names))
    found = read_settings(modules, chosen, own, command_line, unparsed)
    yaml_files = [section for section in found.sections if section.endswith((".yml", ".yaml"))]
    docs = [
        doc
        for doc in find_docs(tree.paths, config)
        if Path(doc).suffix.lower() in FORMATS
        and not is_history_page(doc, False, config.history_docs, config.current_docs)
    ]
    claims: list[SettingClaim] = []
    for doc, text in sorted(tree.texts(docs).items()):
        claims.extend(read_settings_claims(doc, text, FORMATS[Path(doc).suffix.lower()], yaml_files))
    problems = judge_settings(claims, found)
    return Survey(
        name, tree.rev, round(time.perf_counter() - started, 2), tuple(sorted(own)), len(modules), tuple(unparsed),
        describe(found), len(docs), tuple(asdict(claim) for claim in claims),
        tuple(
            {**asdict(p.claim), "suggestion": p.suggestion, "symbol": p.symbol, "verdict": "", "reason": ""}
            for p in problems
        ),
    )  # fmt: skip


def describe(found: Settings) -> tuple[dict[str, Any], ...]:
    return tuple(
        {
            "section": s.section, "open_ended": s.open_ended, "keys": sorted(s.keys), "path": s.path, "line": s.line,
            "complete": s.complete, "replacements": dict(s.replacements),
        }
        for s in found.sections.values()
    )  # fmt: skip


def report(surveys: Sequence[Survey]) -> str:
    lines = []
    for found in surveys:
        unread = f" ({len(found.unparsed)} do not parse: {', '.join(found.unparsed[:3])})" if found.unparsed else ""
        lines.append(
            f"== {found.name} @ {found.rev[:12]} ({found.seconds:.2f} s); modules read: {found.modules}{unread}"
        )
        for section in found.sections:
            mark = ("*" if section["open_ended"] else "") + ("" if section["complete"] else "~")
            where = f"{section['path']}:{section['line']}"
            lines.append(f"  section [{section['section']}]{mark} {len(section['keys'])} keys ({where})")
        per_section = Counter(claim["section"] or "(confval)" for claim in found.claims)
        shown = ", ".join(f"[{section}] {count}" for section, count in sorted(per_section.items()))
        lines.append(f"  docs: {found.docs}; claims: {len(found.claims)} ({shown}); problems: {len(found.problems)}")
    lines.append(
        f"== total: {len(surveys)} projects, {sum(len(s.sections) for s in surveys)} sections, "
        f"{sum(len(s.claims) for s in surveys)} claims, {sum(len(s.problems) for s in surveys)} problems"
    )
    for found in surveys:
        for p in found.problems:
            suggestion = f" -> {p['suggestion']}" if p["suggestion"] else ""
            lines.append(f"{found.name}: {p['doc']}:{p['line']}:{p['column']}: {p['symbol']}{suggestion}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    surveys, _ = survey_checkouts(options, survey, "settings_survey.py")
    print(report(surveys))
    write_surveys(options.json, surveys)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--subjects", type=Path, required=True, help="the folder holding each project's checkout")
    parser.add_argument("--only", nargs="+", default=[], help="these checkouts (default: the corpus's projects)")
    parser.add_argument("--rev", action="append", default=[], metavar="NAME=REV", help="a revision for one project")
    parser.add_argument("--json", type=Path, help="write the surveys, problems with empty verdicts, here")
    return parser


if __name__ == "__main__":
    sys.exit(main())
