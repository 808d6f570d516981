"""Settings keys the docs show, against the keys the project's own loader accepts (issue 17), end to end on real
git repositories: whole repository and a change."""

from __future__ import annotations

import json

from tests.conftest import Repo, run

PYPROJECT = '[project]\nname = "mytool"\nversion = "1"\n'

LOADER = '''\
"""Reads [tool.mytool] key by key."""


def load(data):
    config = data.get("tool", {}).get("mytool", {})
    return config.get("{key}", 88), config.get("strict", False)
'''

GUIDE = """\
# Configuration

```toml
[tool.mytool]
line-length = 100
strict = true

[tool.other]
anything = 1
```
"""


def _findings(repo: Repo, *args: str) -> list[dict[str, object]]:
    result = run(repo, "check", "--format", "json", *args)
    assert result.code in (0, 1), result
    return json.loads(result.out)["findings"]


def _project(repo: Repo, key: str) -> str:
    files = {"pyproject.toml": PYPROJECT, "mytool/__init__.py": "", "mytool/config.py": LOADER.replace("{key}", key)}
    return repo.commit({**files, "docs/config.md": GUIDE})


def test_a_key_the_loader_no_longer_reads(git_repo: Repo) -> None:
    _project(git_repo, "line-length")
    assert _findings(git_repo) == []  # [tool.other] is another tool's table
    git_repo.commit({"mytool/config.py": LOADER.replace("{key}", "line_length")})
    findings = _findings(git_repo)
    assert [(f["line"], f["column"], f["symbol"], f["kind"]) for f in findings] == [
        (5, 1, "[tool.mytool] line-length", "removed")
    ]
    assert findings[0]["message"] == "`tool.mytool` does not accept `line-length`; did you mean `line_length`?"


def test_a_change_reports_only_the_keys_it_made_wrong(git_repo: Repo) -> None:
    _project(git_repo, "line-width")  # line-length: wrong before the change
    git_repo.git("branch", "main-line")
    git_repo.commit({"mytool/config.py": LOADER.replace("{key}", "line-width").replace('"strict"', '"fail"')})
    findings = _findings(git_repo, "--base", "main-line")
    assert [(f["line"], f["symbol"]) for f in findings] == [(6, "[tool.mytool] strict")]


def test_map_lists_the_settings_keys_docs_write(git_repo: Repo) -> None:
    _project(git_repo, "line-length")
    data = json.loads(run(git_repo, "map", "--format", "json").out)
    assert [(r["line"], r["style"], r["symbol"]) for r in data["references"] if r["style"] == "setting"] == [
        (5, "setting", "[tool.mytool] line-length"),
        (6, "setting", "[tool.mytool] strict"),
    ]
