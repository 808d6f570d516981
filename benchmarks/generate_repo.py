"""Generate a realistic synthetic git repository for benchmarking docsync: a base commit and a 10-file PR.

    python benchmarks/generate_repo.py OUT_DIR [--modules 2000] [--docs 300] [--seed 1]

The same arguments always give the same files and the same commit shas (fixed names and dates).
"""

from __future__ import annotations

import argparse
import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from _code_build import Package, build_package  # next to this script, the first entry of sys.path
from _code_model import PACKAGE, render_module
from _docs_build import build_docs
from _docs_targets import build_index
from _pr_changes import PullRequest, make_pull_request

BASE_DATE = "2024-03-01T12:00:00+00:00"
HEAD_DATE = "2024-03-02T15:30:00+00:00"


def git_env(date: str | None = None) -> dict[str, str]:
    """The environment for git on the generated repository: no user config, fixed identity and dates."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Bench Author",
        GIT_AUTHOR_EMAIL="author@example.com",
        GIT_COMMITTER_NAME="Bench Committer",
        GIT_COMMITTER_EMAIL="committer@example.com",
    )
    if date is not None:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return env


def _git(repo: Path, *args: str, date: str | None = None) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), *args], env=git_env(date), check=True, capture_output=True, text=True
    )
    return result.stdout.strip()


def _write(root: Path, files: Mapping[str, str]) -> None:
    for path, text in files.items():
        full = root / path
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_bytes(text.encode("utf-8"))


def _commit(repo: Path, message: str, date: str) -> str:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--no-verify", "-m", message, date=date)
    return _git(repo, "rev-parse", "HEAD")


def project_files(package: Package) -> dict[str, str]:
    """The files around the package: pyproject, Sphinx/MkDocs config, a changelog, a few tests."""
    pyproject = (
        f'[project]\nname = "{PACKAGE}"\nversion = "2.4.0"\nrequires-python = ">=3.10"\n'
        'dependencies = ["requests>=2.31"]\n\n[tool.setuptools.packages.find]\nwhere = ["src"]\n'
    )
    files = {
        "pyproject.toml": pyproject,
        ".gitignore": "__pycache__/\n*.egg-info/\n/build/\n/site/\n",
        "CHANGES.md": f"# Changes\n\n## 2.4.0\n\n- `{PACKAGE}.core` gained a faster loader.\n",
        "docs/conf.py": f'project = "{PACKAGE}"\nextensions = ["sphinx.ext.autodoc", "sphinx.ext.doctest"]\n',
        "mkdocs.yml": f"site_name: {PACKAGE}\nplugins:\n  - search\n  - mkdocstrings\n  - autorefs\n",
    }
    areas = sorted({m.dotted.split(".")[1] for m in package.modules if m.dotted.count(".") >= 1})
    for area in areas:
        files[f"tests/test_{area}.py"] = (
            f"import {PACKAGE}.{area}\n\n\ndef test_imports():\n    assert {PACKAGE}.{area}\n"
        )
    return files


def generate(out_dir: Path, modules: int = 2000, docs: int = 300, seed: int = 1) -> tuple[str, str, PullRequest]:
    """Write the repository into `out_dir` (created; must not exist) and return (base sha, head sha, PR)."""
    package = build_package(modules, seed)
    rendered = {module.path: render_module(module) for module in package.modules}
    index = build_index(package.modules, rendered, package.exports)
    doc_set = build_docs(index, docs, seed)
    out_dir.mkdir(parents=True)
    _git(out_dir, "init", "-q", "-b", "main")
    _write(out_dir, {**{p: r.text for p, r in rendered.items()}, **doc_set.files, **project_files(package)})
    base = _commit(out_dir, f"{PACKAGE} 2.4.0: {len(rendered)} modules, {len(doc_set.files)} docs", BASE_DATE)
    pull_request = make_pull_request(package, doc_set, index, seed)
    _write(out_dir, {**pull_request.sources, **pull_request.docs})
    message = "Rework loaders (the 10-file PR)\n\n" + "\n".join(f"- {line}" for line in pull_request.summary)
    head = _commit(out_dir, message, HEAD_DATE)
    return base, head, pull_request


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="where to create the repository (must not exist)")
    parser.add_argument("--modules", type=int, default=2000, help="number of .py files in src/ (default: 2000)")
    parser.add_argument("--docs", type=int, default=300, help="number of docs (default: 300)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument("-v", "--verbose", action="store_true", help="also list what the PR changes")
    args = parser.parse_args(argv)
    if args.out_dir.exists():
        parser.error(f"{args.out_dir} already exists")
    if args.modules < 20 or args.docs < 10:
        parser.error("need at least --modules 20 and --docs 10")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    base, head, pull_request = generate(args.out_dir, args.modules, args.docs, args.seed)
    print(f"base {base}")
    print(f"head {head}")
    if args.verbose:
        print("\n".join(pull_request.summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
