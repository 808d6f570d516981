"""A generated monorepo: several packages like generate_repo.py's `harbor`, a history, then a 10-file PR.

    packages/<name>/src/<name>/...   one package of about 5,000 modules each (`--modules` split evenly)
    packages/<name>/docs/...         its docs (Markdown, reST, notebooks), README.md, tests/, pyproject.toml
    README.md, docs/index.md         the monorepo's own docs, naming each package's re-exported API
    pyproject.toml                   `[tool.docsync]` with every package's code root and doc folder

Commits: the initial import, `HISTORY` small commits (body edits, new functions, doc paragraphs) in the
packages other than the first, then the PR of `_pr_changes.py` (10 modules and 2 docs of the first
package) as HEAD, so the PR's base is HEAD~1. Each package is built by the unchanged single-package
generator (its name is `harbor`, renamed in the text), so bench.py's repository and its cache key stay
as they are. The same arguments always give the same files and commit shas.
"""

from __future__ import annotations

import ast
import random
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from _code_build import Package, build_package  # next to this script, the first entry of sys.path
from _code_model import PACKAGE, render_module
from _docs_build import DocSet, build_docs
from _docs_targets import Index, build_index
from _pr_changes import PullRequest, make_pull_request
from _words import sentence, wrap
from generate_repo import BASE_DATE, git_env, project_files

MODULES_PER_PACKAGE = 5000
HISTORY = 30
NAMES = (
    "harbor", "anchor", "beacon", "compass", "ferry", "keel", "lagoon", "mooring", "pier", "quay",
    "rudder", "sextant", "tiller", "wharf", "buoy", "galley", "hull", "jetty", "marina", "regatta",
)  # fmt: skip
_OWN_NAME = re.compile(rf"\b{PACKAGE}\b")


@dataclass(frozen=True)
class Monorepo:
    """What was generated: the package names, the PR's summary, and the base and head shas."""

    packages: tuple[str, ...]
    pr_summary: tuple[str, ...]
    base: str
    head: str


def package_names(modules: int) -> tuple[str, ...]:
    """One name per package of about MODULES_PER_PACKAGE modules; at least two packages."""
    count = max(2, round(modules / MODULES_PER_PACKAGE))
    return tuple(NAMES[i] if i < len(NAMES) else f"{NAMES[i % len(NAMES)]}{i // len(NAMES)}" for i in range(count))


def _relocate(name: str, files: Mapping[str, str]) -> dict[str, str]:
    """A single-package repository's files as package `name`'s folder of the monorepo."""
    moved = {}
    for path, text in files.items():
        if path.startswith(f"src/{PACKAGE}/"):
            path = f"src/{name}/" + path.removeprefix(f"src/{PACKAGE}/")
        moved[f"packages/{name}/{path}"] = _OWN_NAME.sub(name, text)
    return moved


def _write(root: Path, files: Mapping[str, str]) -> None:
    for path, text in files.items():
        full = root / path
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_bytes(text.encode("utf-8"))


def _git(repo: Path, *args: str, date: str | None = None) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), *args], env=git_env(date), check=True, capture_output=True, text=True
    )
    return result.stdout.strip()


def _commit(repo: Path, paths: list[str] | None, message: str, date: str) -> str:
    _git(repo, "add", "-A", *(["--", *paths] if paths else []))
    _git(repo, "commit", "-q", "--no-verify", "-m", message, date=date)
    return _git(repo, "rev-parse", "HEAD")


def _date(hours: int) -> str:
    """BASE_DATE plus `hours` hours (commits one hour apart)."""
    day, hour = divmod(12 + hours, 24)
    return f"2024-03-{1 + day:02d}T{hour:02d}:00:00+00:00"


def root_files(names: tuple[str, ...], exports: Mapping[str, list[str]]) -> dict[str, str]:
    """The monorepo's pyproject (docsync's settings), README and docs/index.md."""
    roots = ", ".join(f'"packages/{name}/src"' for name in names)
    docs = '"README.md", "docs/**", "packages/*/README.md", "packages/*/docs/**"'
    pyproject = (
        f'[project]\nname = "fleet"\nversion = "1.0.0"\n\n[tool.docsync]\ncode-roots = [{roots}]\ndocs = [{docs}]\n'
    )
    readme = ["# fleet", "", "One repository, many packages:", ""]
    index = ["# The fleet API", ""]
    for name in names:
        shown = ", ".join(f"`{name}.{export}`" for export in exports[name][:3])
        readme.append(f"- [`{name}`](packages/{name}/README.md): {shown}")
        index += [f"## {name}", "", *wrap(sentence(random.Random(name)), 88), ""]
        index += [f"- `{name}.{export}`" for export in exports[name][3:8]] + [""]
    return {
        "pyproject.toml": pyproject,
        ".gitignore": "__pycache__/\n*.egg-info/\n/build/\n/site/\n",
        "README.md": "\n".join(readme) + "\n",
        "docs/index.md": "\n".join(index),
    }


def generate_monorepo(out_dir: Path, modules: int, docs: int, seed: int = 1) -> Monorepo:
    """Write the monorepo into `out_dir` (created; must not exist); see the module docstring."""
    names = package_names(modules)
    out_dir.mkdir(parents=True)
    _git(out_dir, "init", "-q", "-b", "main")
    exports: dict[str, list[str]] = {}
    pull_request = None
    for number, name in enumerate(names):
        package_seed = seed * 1000 + number
        share = modules // len(names) + (modules % len(names) if number == 0 else 0)
        package = build_package(share, package_seed)
        rendered = {module.path: render_module(module) for module in package.modules}
        index = build_index(package.modules, rendered, package.exports)
        doc_set = build_docs(index, max(10, docs // len(names)), package_seed)
        files = {**{p: r.text for p, r in rendered.items()}, **doc_set.files, **project_files(package)}
        _write(out_dir, _relocate(name, files))
        exports[name] = sorted(key.split(".", 1)[1] for key in package.exports if key.count(".") == 1)
        if number == 0:  # the PR edits the first package
            pull_request = _parsing_pull_request(package, doc_set, index, package_seed)
    assert pull_request is not None
    _write(out_dir, root_files(names, exports))
    _commit(out_dir, None, f"fleet 1.0.0: {len(names)} packages", BASE_DATE)
    base = _history(out_dir, names[1:], seed)
    _write(out_dir, _relocate(names[0], {**pull_request.sources, **pull_request.docs}))
    summary = tuple(f"packages/{names[0]}/{line}" for line in pull_request.summary)
    message = "Rework loaders (the 10-file PR)\n\n" + "\n".join(f"- {line}" for line in summary)
    head = _commit(out_dir, None, message, _date(HISTORY + 1))
    return Monorepo(names, summary, base, head)


def _parsing_pull_request(package: Package, docs: DocSet, index: Index, seed: int) -> PullRequest:
    """The PR of the first seed from `seed` on whose modules all parse: `_pr_changes` can put a keyword after a
    `**kwargs` (a syntax error), and a broken file would measure docsync's fallback rather than its usual path."""
    for attempt in range(seed, seed + 50):
        pull_request = make_pull_request(package, docs, index, attempt)
        try:
            for source in pull_request.sources.values():
                ast.parse(source)
        except SyntaxError:
            continue
        return pull_request
    raise RuntimeError("no PR seed gives modules that all parse")


def _history(repo: Path, names: tuple[str, ...], seed: int) -> str:
    """HISTORY small commits in the packages `names`; the last one's sha."""
    rng = random.Random(f"{seed}:history")
    listing = _git(repo, "ls-files", "--", *(f"packages/{name}" for name in names)).splitlines()
    modules = sorted(p for p in listing if "/src/" in p and p.endswith(".py"))
    docs = sorted(p for p in listing if "/docs/" in p and p.endswith(".md"))
    sha = ""
    for number in range(1, HISTORY + 1):
        paths = rng.sample(modules, rng.randint(1, 3))
        for path in paths:
            file = repo / path
            file.write_text(_edit_module(file.read_text(encoding="utf-8"), number, rng), encoding="utf-8")
        if number % 3 == 0:
            doc = rng.choice(docs)
            file = repo / doc
            file.write_text(file.read_text(encoding="utf-8") + "\n" + "\n".join(wrap(sentence(rng), 88)) + "\n")
            paths.append(doc)
        sha = _commit(repo, paths, f"Maintenance {number}: {', '.join(sorted(paths))}", _date(number))
    return sha


def _edit_module(source: str, number: int, rng: random.Random) -> str:
    """A body edit of the first top-level function (a log line before its last statement), or a new function."""
    tree = ast.parse(source)
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    if functions and rng.random() < 0.7:
        last = functions[0].body[-1]
        lines = source.split("\n")
        indent = " " * last.col_offset
        lines.insert(last.lineno - 1, f'{indent}logger.debug("revision {number} of %s", __name__)')
        return "\n".join(lines)
    added = f'\n\ndef revision_{number}_helper(limit: int = {number}) -> int:\n    """Revision {number}."""\n'
    return source.rstrip("\n") + added + "    return limit * 2\n"
