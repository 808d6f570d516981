"""Environment variables the docs tell users to set, against those the code reads (issue 17), end to end on real
git repositories: a variable is reported only when the code read it when the doc's line was written (or at a
pull request's base) and no longer does."""

from __future__ import annotations

import json

from tests.conftest import Repo, run

SETTINGS = '''\
"""Settings."""

import os


def token():
    return os.environ.get("{name}")


def debug():
    return os.getenv("TOOL_DEBUG", "0") == "1"
'''

GUIDE = """\
# Setup

```console
$ export TOOL_TOKEN=secret
$ export PATH=$PATH:~/bin
$ PYTHONPATH=. tool
```

Set the `TOOL_DEBUG` environment variable to see more.
"""


def _project(repo: Repo, name: str = "TOOL_TOKEN", guide: str = GUIDE, day: int | None = None) -> str:
    files = {"tool/__init__.py": "", "tool/settings.py": SETTINGS.format(name=name), "docs/guide.md": guide}
    return repo.commit(files, day=day)


def _findings(repo: Repo, *args: str) -> list[dict[str, object]]:
    result = run(repo, "check", "--format", "json", *args)
    assert result.code in (0, 1), result
    return json.loads(result.out)["findings"]


def test_a_variable_the_code_stopped_reading_is_reported_with_the_commit_that_read_it(git_repo: Repo) -> None:
    written = _project(git_repo)
    assert _findings(git_repo) == []  # PATH and PYTHONPATH: never the project's
    git_repo.commit({"tool/settings.py": SETTINGS.format(name="TOOL_API_TOKEN")})
    (finding,) = _findings(git_repo)
    assert (finding["doc"], finding["line"], finding["column"], finding["symbol"], finding["kind"]) == (
        "docs/guide.md", 4, 10, "TOOL_TOKEN", "removed",
    )  # fmt: skip
    assert finding["message"] == (
        f"the code no longer reads `TOOL_TOKEN`; it did at {written[:7]}; did you mean `TOOL_API_TOKEN`?"
    )
    assert finding["commit"] == written


def test_a_doc_wrong_from_the_start_is_no_finding(git_repo: Repo) -> None:
    """The doc's line was written when the code already did not read the variable: no evidence it was ever the
    project's (it may be another tool's), so nothing is said."""
    _project(git_repo, name="TOOL_API_TOKEN", guide="# Setup\n")
    git_repo.commit({"docs/guide.md": GUIDE})
    assert _findings(git_repo) == []


def test_a_pull_request_that_stops_reading_a_variable(git_repo: Repo) -> None:
    base = _project(git_repo)
    git_repo.git("branch", "main-line")
    git_repo.commit({"tool/settings.py": SETTINGS.format(name="TOOL_API_TOKEN")})
    findings = _findings(git_repo, "--base", "main-line")
    assert [(f["line"], f["symbol"], f["commit"]) for f in findings] == [(4, "TOOL_TOKEN", base)]
    git_repo.commit({"docs/guide.md": GUIDE.replace("TOOL_TOKEN", "TOOL_API_TOKEN")})
    assert _findings(git_repo, "--base", "main-line") == []


def test_a_change_to_other_files_says_nothing_about_variables(git_repo: Repo) -> None:
    _project(git_repo, name="TOOL_API_TOKEN", guide="# Setup\n")
    git_repo.commit({"docs/guide.md": GUIDE})  # wrong from the start (see above)
    git_repo.git("branch", "main-line")
    git_repo.commit({"tool/other.py": '"""Other."""\n'})
    assert _findings(git_repo, "--base", "main-line") == []


def test_an_uncommitted_doc_line_is_judged_against_head(git_repo: Repo) -> None:
    _project(git_repo, guide="# Setup\n")
    git_repo.write({"tool/settings.py": SETTINGS.format(name="TOOL_API_TOKEN"), "docs/guide.md": GUIDE})
    assert [f["symbol"] for f in _findings(git_repo)] == ["TOOL_TOKEN"]


def test_a_variable_the_code_still_spells_is_not_reported(git_repo: Repo) -> None:
    """Read through a project function in a module that names no environment API (`flag("TOOL_TOKEN")`): the
    readers may not see the read, but the code still spells the name, so nothing is said."""
    _project(git_repo)
    wrapped = '"""Settings."""\n\nfrom tool.flags import flag\n\n\ndef token():\n    return flag("TOOL_TOKEN"), flag("TOOL_DEBUG")\n'
    flags = '"""Flags."""\n\nimport os\n\n\ndef flag(name):\n    return os.environ.get(name)\n'
    git_repo.commit({"tool/settings.py": wrapped, "tool/flags.py": flags})
    assert _findings(git_repo) == []


def test_a_variable_the_build_script_reads_is_not_reported(git_repo: Repo) -> None:
    """The package stopped reading the variable but the top-level `setup.py` (outside the code roots) reads it at
    build time (pydantic's old `SKIP_CYTHON`): the project's Python still spells it, so nothing is said."""
    read = '"""Settings."""\n\nimport os\n\n\ndef token():\n    return os.environ.get("TOOL_TOKEN")\n'
    guide = "# Build\n\n```console\n$ export TOOL_TOKEN=secret\n```\n"
    files = {"src/tool/__init__.py": "", "src/tool/settings.py": read, "docs/guide.md": guide}
    git_repo.commit({**files, "pyproject.toml": '[project]\nname = "tool"\n'})
    setup = 'import os\n\nfrom setuptools import setup\n\nsetup(name="tool", zip_safe=not os.getenv("TOOL_TOKEN"))\n'
    git_repo.commit({"src/tool/settings.py": '"""Settings."""\n', "setup.py": setup})
    assert _findings(git_repo) == []
    git_repo.commit({"setup.py": "from setuptools import setup\n\nsetup(name='tool')\n"})
    assert [f["symbol"] for f in _findings(git_repo)] == ["TOOL_TOKEN"]  # no longer spelled anywhere


def test_a_staged_change_that_still_spells_the_variable_is_quiet(git_repo: Repo) -> None:
    """`--staged` greps the index (not a revision named STAGED) for the variable's name."""
    _project(git_repo)
    wrapped = '"""Settings."""\n\nfrom tool.flags import flag\n\n\ndef token():\n    return flag("TOOL_TOKEN"), flag("TOOL_DEBUG")\n'
    flags = '"""Flags."""\n\nimport os\n\n\ndef flag(name):\n    return os.environ.get(name)\n'
    git_repo.stage({"tool/settings.py": wrapped, "tool/flags.py": flags})
    assert _findings(git_repo, "--staged") == []
    git_repo.stage({"tool/settings.py": SETTINGS.format(name="TOOL_API_TOKEN")})  # no longer spelled anywhere
    assert [f["symbol"] for f in _findings(git_repo, "--staged")] == ["TOOL_TOKEN"]
