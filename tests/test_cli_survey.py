"""The command-line survey script (benchmarks/accuracy/cli_survey.py) on a tiny click project whose README shows
one option the command does not have: the problem is printed and written to JSON, from git alone."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import Repo

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "accuracy" / "cli_survey.py"

PYPROJECT = """\
[project]
name = "tool"
version = "1.0"

[project.scripts]
tool = "tool.cli:main"
"""
CLI = """\
import click


@click.group()
def main():
    pass


@main.command()
@click.option("--strict", is_flag=True)
@click.option("--site-dir", default="site")
def build(strict, site_dir):
    pass
"""
README = """\
# tool

```console
$ tool build --strict
$ tool build --site-directory out
```
"""


def _survey_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cli_survey", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["cli_survey"] = module
    spec.loader.exec_module(module)
    return module


def test_the_survey_lists_an_option_the_command_does_not_have(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = Repo(tmp_path / "subjects" / "tool")
    repo.commit({"pyproject.toml": PYPROJECT, "tool/__init__.py": "", "tool/cli.py": CLI, "tool/broken.py": "def (:\n"})
    repo.write({"README.md": README})  # the work tree is not read: only the revision's files
    head = repo.commit({"README.md": README})
    repo.write({"README.md": "# tool\n\n```console\n$ tool build --other\n```\n"})
    output = tmp_path / "survey.json"

    code = _survey_module().main(["--subjects", str(tmp_path / "subjects"), "--only", "tool", "--json", str(output)])

    printed = capsys.readouterr().out
    assert code == 0
    assert "scripts: tool = tool.cli:main" in printed
    assert "tool build" in printed
    assert "claims: 2; problems: 1" in printed
    assert "README.md:5:3: option: --site-directory (tool build)" in printed
    assert "--other" not in printed
    (project,) = json.loads(output.read_text(encoding="utf-8"))["projects"]
    assert project["rev"] == head
    assert project["unparsed"] == ["tool/broken.py"]
    (problem,) = project["problems"]
    assert (problem["doc"], problem["line"], problem["written"], problem["verdict"]) == (
        "README.md", 5, "--site-directory", ""
    )  # fmt: skip
