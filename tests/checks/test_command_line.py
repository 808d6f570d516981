"""Command-line claims through the whole pipeline (issue 17): `check` (whole repository and a change), `fix`,
suppression markers and the cache, on real git repositories with a real console script."""

from __future__ import annotations

import json

import pytest

from docsync.commandline import project
from docsync.commandline.project import read_command_line
from tests.conftest import Repo, run

PYPROJECT = """\
[project]
name = "tool"
version = "1.0"

[project.scripts]
tool = "tool.cli:main"
"""

CLI = '''\
"""The command line."""

import argparse


def main(argv=None):
    parser = argparse.ArgumentParser(prog="tool")
    sub = parser.add_subparsers(dest="command")
    build = sub.add_parser("build")
    build.add_argument("--{strict}", action="store_true")
    build.add_argument("--format", choices=["html", "json"])
    sub.add_parser("serve")
    return parser.parse_args(argv)
'''

GUIDE = """\
# Guide

Build the site:

```console
$ tool build --strict --format html
```
"""

UTIL = '''"""Helpers."""\n\n\ndef helper():\n    return 1\n'''


def _project(repo: Repo, strict: str = "strict", guide: str = GUIDE) -> str:
    return repo.commit(
        {
            "pyproject.toml": PYPROJECT,
            "tool/__init__.py": '"""Tool."""\n',
            "tool/cli.py": CLI.format(strict=strict),
            "tool/util.py": UTIL,
            "docs/guide.md": guide,
        }
    )


def _findings(repo: Repo, *args: str) -> list[dict[str, object]]:
    result = run(repo, "check", "--format", "json", *args)
    assert result.code in (0, 1), result
    return [f for f in json.loads(result.out)["findings"] if f["doc"] == "docs/guide.md"]


def test_whole_repository_reports_an_option_the_command_no_longer_has(git_repo: Repo) -> None:
    _project(git_repo, strict="fail-on-warning")
    findings = _findings(git_repo)
    assert [(f["line"], f["column"], f["symbol"], f["kind"], f["severity"]) for f in findings] == [
        (6, 14, "tool build --strict", "removed", "error")
    ]
    assert findings[0]["message"] == "`tool build` has no option `--strict`"


def test_a_spelling_of_the_same_option_is_a_rename_and_fix_rewrites_it(git_repo: Repo) -> None:
    _project(git_repo, guide=GUIDE.replace("--strict", "--Strict"))
    (finding,) = _findings(git_repo)
    assert (finding["kind"], finding["replacement"]) == ("renamed", "--strict")
    assert "it is now `--strict`" in finding["message"]
    fixed = run(git_repo, "fix")
    assert fixed.code == 0, fixed
    assert "$ tool build --strict --format html" in git_repo.read("docs/guide.md")
    assert _findings(git_repo) == []


def test_unknown_sub_command_and_choice(git_repo: Repo) -> None:
    guide = GUIDE + "\n```console\n$ tool deploy\n$ tool build --format xml\n```\n"
    _project(git_repo, guide=guide)
    findings = _findings(git_repo)
    assert [(f["line"], f["symbol"], f["kind"]) for f in findings] == [
        (10, "tool deploy", "removed"),
        (11, "tool build --format xml", "removed"),
    ]
    assert findings[1]["message"] == "`--format` of `tool build` does not accept `xml`"


def test_other_tools_and_fresh_claims_are_never_findings(git_repo: Repo) -> None:
    guide = GUIDE + "\n```console\n$ pip install --no-deps tool\n$ git commit --amend\n$ tool serve\n```\n"
    _project(git_repo, guide=guide)
    assert _findings(git_repo) == []


def test_a_change_reports_only_the_drift_it_caused(git_repo: Repo) -> None:
    _project(git_repo, guide=GUIDE + "\n```console\n$ tool deploy\n```\n")  # `deploy`: wrong before the change
    git_repo.git("branch", "main-line")
    git_repo.commit({"tool/cli.py": CLI.format(strict="fail-on-warning")})
    findings = _findings(git_repo, "--base", "main-line")
    assert [(f["symbol"], f["kind"]) for f in findings] == [("tool build --strict", "removed")]


def test_a_change_that_fixes_the_doc_and_the_code_together_is_quiet(git_repo: Repo) -> None:
    _project(git_repo)
    git_repo.git("branch", "main-line")
    git_repo.commit(
        {
            "tool/cli.py": CLI.format(strict="fail-on-warning"),
            "docs/guide.md": GUIDE.replace("strict", "fail-on-warning"),
        }
    )
    assert _findings(git_repo, "--base", "main-line") == []


def test_a_change_to_a_doc_that_adds_a_wrong_option_is_reported(git_repo: Repo) -> None:
    _project(git_repo)
    git_repo.git("branch", "main-line")
    git_repo.commit({"docs/guide.md": GUIDE + "\n`tool serve --port 80` serves it.\n"})
    findings = _findings(git_repo, "--base", "main-line")
    assert [(f["line"], f["column"], f["symbol"]) for f in findings] == [(9, 13, "tool serve --port")]


def test_an_ignore_marker_hides_the_finding(git_repo: Repo) -> None:
    guide = GUIDE.replace("```console", "<!-- docsync: ignore -->\n```console")
    _project(git_repo, strict="fail-on-warning", guide=guide)
    assert _findings(git_repo) == []
    regions = GUIDE.replace("Build the site:", "<!-- docsync: ignore-start -->\nBuild the site:")
    regions += "<!-- docsync: ignore-end -->\n\n```console\n$ tool build --strict\n```\n"
    git_repo.commit({"docs/guide.md": regions})
    assert [(f["line"], f["symbol"]) for f in _findings(git_repo)] == [(12, "tool build --strict")]


def test_history_pages_are_not_read(git_repo: Repo) -> None:
    _project(git_repo, strict="fail-on-warning")
    git_repo.commit({"CHANGELOG.md": "# Changelog\n\n## 2.0\n\n- `tool build --strict` is now `--fail-on-warning`\n"})
    result = run(git_repo, "check", "--format", "json")
    assert [f["doc"] for f in json.loads(result.out)["findings"]] == ["docs/guide.md"]


def test_claims_count_towards_the_score(git_repo: Repo) -> None:
    _project(git_repo, strict="fail-on-warning", guide=GUIDE + "\n```console\n$ tool serve\n```\n")
    report = json.loads(run(git_repo, "check", "--format", "json").out)
    (doc,) = [d for d in report["docs"] if d["path"] == "docs/guide.md"]
    assert (doc["references"], doc["stale"]) == (2, 1)


def test_a_change_to_other_code_reads_no_command_line_module(git_repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line is read again only when a module that may declare it (or the scripts) changed."""
    reads: list[str] = []

    def counting(modules, scripts, paths=None):  # type: ignore[no-untyped-def]
        reads.append(",".join(sorted(modules)))
        return read_command_line(modules, scripts, paths)

    monkeypatch.setattr(project, "read_command_line", counting)  # imported from there when a line is read
    _project(git_repo, strict="fail-on-warning")
    assert len(_findings(git_repo)) == 1
    assert reads == ["tool.cli"]  # util.py names no command-line library: never parsed
    git_repo.commit({"tool/util.py": UTIL + "\n\ndef other():\n    return 2\n"})
    assert len(_findings(git_repo)) == 1
    git_repo.git("branch", "-f", "main-line", "HEAD~1")
    assert len(_findings(git_repo, "--base", "main-line")) == 0
    assert len(reads) == 1
    git_repo.commit({"tool/cli.py": CLI.format(strict="strict")})
    assert _findings(git_repo) == []
    assert len(reads) == 2


def test_the_negation_of_an_option_is_no_rename(git_repo: Repo) -> None:
    """`--no-strict` when only `--strict` exists: close by similarity, but the opposite; `fix` must not flip it."""
    _project(git_repo, guide=GUIDE.replace("--strict", "--no-strict"))
    (finding,) = _findings(git_repo)
    assert (finding["kind"], finding["replacement"]) == ("removed", None)
    assert finding["message"] == "`tool build` has no option `--no-strict`; did you mean `--strict`?"


def test_a_flag_in_prose_is_reported_only_as_a_near_miss(git_repo: Repo) -> None:
    """Prose names one command and another's flags in one breath: only a flag close to one of the command's
    options (the one the doc must have meant) is a finding."""
    prose = "\nRun `tool build` with `--fail_on_warning` to stop early; `--select` is the linter's.\n"
    _project(git_repo, strict="fail-on-warning", guide=GUIDE.replace("--strict ", "") + prose)
    findings = _findings(git_repo)
    assert [(f["line"], f["column"], f["symbol"], f["kind"], f["replacement"]) for f in findings] == [
        (9, 24, "tool build --fail_on_warning", "renamed", "--fail-on-warning")
    ]


DEFAULTS_CLI = """\
import argparse


def main(argv=None):
    parser = argparse.ArgumentParser(prog="tool")
    sub = parser.add_subparsers()
    build = sub.add_parser("build")
    build.add_argument("--jobs", type=int, default=4)
    build.add_argument("--theme", default="light")
    build.add_argument("--out", default=default_folder())
    return parser.parse_args(argv)
"""

DEFAULTS_DOC = """\
# Reference

## `tool build`

| Option | Default | Effect |
|---|---|---|
| `--jobs N` | `8` | workers |
| `--theme` | "light" | colours |
| `--out DIR` | `site` | where |
| `--verbose` | the number of CPUs | not one value: not read |
"""


def test_a_default_an_options_table_writes_that_the_code_changed_is_a_warning(git_repo: Repo) -> None:
    """`--jobs` defaults to 4 in the code, the doc says 8; `--theme` agrees ("light" and `light` alike); `--out`'s
    default is no literal (never judged); `--verbose` is unknown (an error of its own)."""
    _project(git_repo, guide=DEFAULTS_DOC)
    git_repo.commit({"tool/cli.py": DEFAULTS_CLI})
    findings = _findings(git_repo)
    assert [(f["line"], f["symbol"], f["kind"], f["severity"]) for f in findings] == [
        (7, "tool build --jobs", "signature", "warning"),
        (10, "tool build --verbose", "removed", "error"),
    ]
    assert findings[0]["message"] == "`tool build --jobs` defaults to `4`; the doc says `8`"


CLICK_CLI = '''\
import click

from tool.config import LOOPS

LOOP_CHOICES = click.Choice([key for key in LOOPS.keys() if key != "none"])


@click.command()
@click.option("--loop", type=LOOP_CHOICES, default="auto")
def main(loop):
    """Serve."""
'''


def test_choices_from_another_modules_dict_and_a_change_to_that_module(git_repo: Repo) -> None:
    """`click.Choice([k for k in LOOPS.keys() if k != "none"])` with LOOPS in another module that names no
    command-line library: read (one import away from the command), and a change to it is a change of the CLI."""
    loops = 'LOOPS = {"none": None, "auto": "a", "asyncio": "b", "uvloop": "c"}\n'
    doc = "# Serve\n\n```console\n$ tool --loop asyncio\n$ tool --loop none\n$ tool --loop auto\n```\n"
    git_repo.commit(
        {
            "pyproject.toml": PYPROJECT.replace("tool.cli:main", "tool.cli:main"),
            "tool/__init__.py": "",
            "tool/cli.py": CLICK_CLI,
            "tool/config.py": loops,
            "docs/guide.md": doc,
        }
    )
    assert [(f["line"], f["symbol"]) for f in _findings(git_repo)] == [(5, "tool --loop none")]
    git_repo.git("branch", "main-line")
    git_repo.commit({"tool/config.py": loops.replace('"asyncio": "b", ', "")})
    assert [(f["line"], f["symbol"]) for f in _findings(git_repo, "--base", "main-line")] == [
        (4, "tool --loop asyncio")
    ]


def test_a_list_of_the_commands_options_judges_each_of_its_items(git_repo: Repo) -> None:
    """A settings page listing the command's options, one per item: an item whose flag the command lacks is a
    finding even with no near option (two thirds of the list are the command's: it is its list)."""
    listing = "\n## Options\n\n* `--strict` - fail\n* `--format` - html or json\n* `--legacy-mode` - old output\n"
    _project(git_repo, guide=GUIDE + listing.replace("## Options", "## build"))
    assert [(f["line"], f["symbol"], f["kind"]) for f in _findings(git_repo)] == [
        (13, "tool build --legacy-mode", "removed")
    ]
    other = "\n## Gunicorn\n\n* `--workers` - processes\n* `--bind` - address\n* `--strict` - fail\n"
    _project(git_repo, guide=GUIDE + other)  # a list of another tool's options: loose, no near miss, silent
    assert _findings(git_repo) == []


def test_a_page_of_short_option_lists_judges_each_item(git_repo: Repo) -> None:
    """A settings page: a few options per section, eight or more in all, four fifths of them the command's."""
    sections = [("`tool build`", ["--strict", "--format"]), ("`tool build` output", ["--format", "--strict"]),
                ("`tool build` more", ["--strict", "--format"]), ("`tool build` old", ["--format", "--legacy-mode"])]  # fmt: skip
    page = "".join(f"\n## {title}\n\n" + "".join(f"* `{flag}` - what\n" for flag in flags) for title, flags in sections)
    _project(git_repo, guide=GUIDE + page)
    assert [(f["symbol"], f["kind"]) for f in _findings(git_repo)] == [("tool build --legacy-mode", "removed")]


OPEN_CLI = """\
import argparse


def main(argv=None):
    parser = argparse.ArgumentParser(prog="tool")
    parser.add_argument("--{flag}", action="store_true")
    return parser.parse_known_args(argv)  # plugins take the rest: any option may be accepted
"""


def test_an_open_ended_commands_option_needs_evidence_it_was_the_projects(git_repo: Repo) -> None:
    """A command that takes options we cannot see (plugins): `--resultlog`, which its own code declared when the
    doc was written and no longer does, is a finding; `--cov`, which it never declared (a plugin's), is not."""
    doc = "# Run\n\n```console\n$ tool --resultlog=out.txt\n$ tool --cov\n```\n"
    files = {"pyproject.toml": PYPROJECT, "tool/__init__.py": "", "tool/cli.py": OPEN_CLI.format(flag="resultlog")}
    git_repo.commit({**files, "docs/guide.md": doc})
    assert _findings(git_repo) == []
    git_repo.git("branch", "main-line")
    git_repo.commit({"tool/cli.py": OPEN_CLI.format(flag="report-log")})
    assert [(f["line"], f["symbol"]) for f in _findings(git_repo)] == [(4, "tool --resultlog")]
    assert [(f["line"], f["symbol"]) for f in _findings(git_repo, "--base", "main-line")] == [(4, "tool --resultlog")]


def test_a_removed_option_is_dated_by_the_commit_that_removed_it(git_repo: Repo) -> None:
    """The doc's line was written when `--strict` existed; of the commits since, the one whose command line first
    lacks it is named (`commit`, and in the message); a word the doc had wrong from the start gets no date."""
    _project(git_repo, guide=GUIDE + "\n```console\n$ tool deploy\n```\n")  # `deploy`: never a sub-command
    for n in range(5):
        git_repo.commit({"tool/util.py": UTIL + f"\n\nVALUE = {n}\n"})
    removed = git_repo.commit({"tool/cli.py": CLI.format(strict="fail-on-warning")})
    for n in range(3):
        git_repo.commit({"tool/util.py": UTIL + f"\n\nOTHER = {n}\n"})
    findings = {f["symbol"]: f for f in _findings(git_repo)}
    assert findings["tool build --strict"]["commit"] == removed
    assert findings["tool build --strict"]["message"] == f"`tool build` has no option `--strict` since {removed[:7]}"
    assert findings["tool deploy"]["commit"] is None
    again = {f["symbol"]: f["commit"] for f in _findings(git_repo)}  # from the cache
    assert again == {"tool build --strict": removed, "tool deploy": None}


def test_a_removed_choice_and_sub_command_are_dated_too(git_repo: Repo) -> None:
    _project(git_repo, guide=GUIDE + "\n```console\n$ tool build --format json\n$ tool serve\n```\n")
    narrowed = git_repo.commit({"tool/cli.py": CLI.format(strict="strict").replace('"html", "json"', '"html"')})
    gone = git_repo.commit({"tool/cli.py": CLI.format(strict="strict").replace('"html", "json"', '"html"').replace(
        '    sub.add_parser("serve")\n', "")})  # fmt: skip
    findings = {f["symbol"]: f["commit"] for f in _findings(git_repo)}
    assert findings == {"tool build --format json": narrowed, "tool serve": gone}
