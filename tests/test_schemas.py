"""The JSON Schema files shipped in the package (docsync/schemas/) describe docsync's real JSON output.

Users validate `check`, `report`, `map` and `coverage --format json` against these files, so they are read
here the way a user's code reads them (from the installed package), checked against every mode's real output
on real repositories, kept in step with the enums of `docsync.models`, and found in the built wheel.
"""

from __future__ import annotations

import importlib.resources
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for

from docsync.models import How, Kind, Severity, Style
from tests.conftest import Repo, run

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILES = ("report-v1.json", "map-v1.json", "coverage-v1.json")
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

CART = '''"""Carts."""


def add_item(cart, item, qty=1):
    cart.append((item, qty))


def remove_item(cart, item):
    for index, (name, _) in enumerate(cart):
        if name == item:
            del cart[index]
            return


def total(cart):
    return sum(qty for _, qty in cart)
'''
# A rename (same body), a renamed parameter and a new body: one of each kind the guide can use.
CART_LATER = (
    CART.replace("remove_item", "discard_item")
    .replace("qty=1", "count=1")
    .replace("(item, qty)", "(item, count)")
    .replace("return sum(qty for _, qty in cart)", "return sum(max(qty, 0) for _, qty in cart)")
)
GUIDE = """# Guide

Call `shop.cart.add_item` with `qty=2` to add two.
Use `shop.cart.remove_item` to take one out.

<!-- docsync: shop.cart.total -->
`shop.cart.total` adds up the quantities; `shop.cart.no_such_helper` is not the project's.

```python
from shop.cart import add_item

add_item([], "apple", qty=3)
```
"""


def load_schema(name: str) -> dict[str, Any]:
    """A schema file as an installed docsync holds it (importlib.resources, not a path into the source tree)."""
    text = (importlib.resources.files("docsync") / "schemas" / name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validated(text: str, name: str) -> dict[str, Any]:
    """`text` parsed as JSON and validated against the shipped schema `name` (by the draft it declares)."""
    data: dict[str, Any] = json.loads(text)
    schema = load_schema(name)
    validator_for(schema)(schema).validate(data)
    return data


@pytest.fixture
def shop(git_repo: Repo) -> tuple[Repo, str]:
    """A project whose docs drift: base commit, then a commit that renames, re-signs and rewrites."""
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE}, "initial")
    git_repo.commit({"shop/cart.py": CART_LATER}, "rename and rewrite")
    return git_repo, base


# --- the files -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_each_shipped_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    schema = load_schema(name)
    assert schema["$schema"] == DRAFT_2020_12
    assert validator_for(schema) is Draft202012Validator
    Draft202012Validator.check_schema(schema)
    assert schema["properties"]["version"]["const"] == 1


def test_the_schemas_enums_are_the_models_enums() -> None:
    """A new kind or style in `docsync.models` must reach the shipped schema, or users' validation rejects it."""
    finding = load_schema("report-v1.json")["properties"]["findings"]["items"]["properties"]
    assert finding["kind"]["enum"] == [kind.value for kind in Kind]
    assert finding["severity"]["enum"] == [severity.value for severity in Severity]
    reference = load_schema("map-v1.json")["properties"]["references"]["items"]["properties"]
    assert reference["how"]["enum"] == [how.value for how in How]
    assert reference["style"]["enum"] == [style.value for style in Style]


FINDING = {
    "doc": "docs/a.md", "line": 1, "column": 1, "symbol": "shop.f", "kind": "removed", "severity": "error",
    "message": "shop.f was removed", "replacement": None, "commit": None,
}  # fmt: skip
REPORT = {"version": 1, "base": None, "head": "WORKTREE", "score": 90.0, "findings": [FINDING], "docs": []}


@pytest.mark.parametrize(
    "broken",
    [
        {**REPORT, "version": 2},
        {**REPORT, "findings": [{**FINDING, "kind": "moved"}]},
        {**REPORT, "findings": [{**FINDING, "line": 0}]},
        {**REPORT, "findings": [{**FINDING, "doc": "/etc/passwd"}]},
        {**REPORT, "findings": [{k: v for k, v in FINDING.items() if k != "commit"}]},
        {**REPORT, "findings": [{**FINDING, "url": "https://example.com"}]},
        {**REPORT, "score": 100.5},
        {k: v for k, v in REPORT.items() if k != "docs"},
    ],
)
def test_the_report_schema_rejects_what_docsync_never_writes(broken: dict[str, Any]) -> None:
    validated(json.dumps(REPORT), "report-v1.json")  # the unbroken one passes
    with pytest.raises(jsonschema.ValidationError):
        validated(json.dumps(broken), "report-v1.json")


# --- real output, every mode -----------------------------------------------------------------------


def test_pull_request_mode_json_matches_the_schema(shop: tuple[Repo, str]) -> None:
    repo, base = shop
    result = run(repo, "check", "--base", base, "--format", "json")
    assert result.code == 1, result
    data = validated(result.out, "report-v1.json")
    assert (data["base"], data["head"]) == (base, repo.git("rev-parse", "HEAD"))
    assert {f["kind"] for f in data["findings"]} >= {"renamed", "signature", "example", "body"}
    assert any(f["replacement"] == "shop.cart.discard_item" for f in data["findings"])


def test_staged_mode_json_matches_the_schema(shop: tuple[Repo, str]) -> None:
    repo, _ = shop
    repo.stage({"shop/cart.py": CART_LATER.replace("def add_item", "def put_item")})
    result = run(repo, "check", "--staged", "--format", "json")
    assert result.code == 1, result
    data = validated(result.out, "report-v1.json")
    assert (data["base"], data["head"]) == (repo.git("rev-parse", "HEAD"), "STAGED")
    assert any(f["symbol"] == "shop.cart.add_item" for f in data["findings"])


def test_whole_repository_mode_json_matches_the_schema(shop: tuple[Repo, str]) -> None:
    repo, _ = shop
    repo.commit({"shop/extra.py": "LIMIT = 3\n"}, "a day later, a commit that leaves the guide alone")
    result = run(repo, "check", "--format", "json")
    assert result.code == 1, result
    data = validated(result.out, "report-v1.json")
    assert (data["base"], data["head"]) == (None, "WORKTREE")
    assert data["findings"]
    (stale,) = (d for d in data["docs"] if d["stale"])
    assert (stale["path"], stale["days_stale"], stale["commits_stale"]) == ("docs/guide.md", 1.0, 1)


def test_whole_repository_mode_against_the_lockfile_matches_the_schema(git_repo: Repo) -> None:
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE}, "initial")
    assert run(git_repo, "accept").code == 0
    git_repo.commit({".docsync.lock": git_repo.read(".docsync.lock")}, "accept the docs")
    git_repo.commit({"shop/cart.py": CART_LATER}, "rename and rewrite")
    result = run(git_repo, "check", "--format", "json")
    assert result.code == 1, result
    data = validated(result.out, "report-v1.json")
    assert {f["kind"] for f in data["findings"]} >= {"renamed", "body"}


def test_whole_repository_mode_at_a_commit_and_the_json_report_match_the_schema(shop: tuple[Repo, str]) -> None:
    repo, _ = shop
    head = repo.git("rev-parse", "HEAD")
    at_commit = run(repo, "check", "--head", "HEAD", "--format", "json")
    assert validated(at_commit.out, "report-v1.json")["head"] == head
    report = run(repo, "report", "--format", "json")
    assert report.code == 0, report
    assert validated(report.out, "report-v1.json")["findings"]


def test_unused_ignores_json_matches_the_schema(shop: tuple[Repo, str]) -> None:
    """`--report-unused-ignores` adds `unused_ignores` to the report: the schema knows it, and only it."""
    repo, _ = shop
    marked = "<!-- docsync: ignore[docstring] -->\nCall `shop.cart.add_item` to add.\n"
    repo.commit({"docs/marked.md": marked}, "a marker with nothing to hide")
    result = run(repo, "check", "--report-unused-ignores", "--format", "json")
    assert result.code == 1, result
    data = validated(result.out, "report-v1.json")
    assert data["unused_ignores"] == [{"path": "docs/marked.md", "line": 1, "column": 1, "marker": "ignore[docstring]"}]
    data["unused_ignores"][0]["kinds"] = ["docstring"]
    with pytest.raises(jsonschema.ValidationError):
        validated(json.dumps(data), "report-v1.json")


def test_a_fresh_repository_json_matches_the_schema(git_repo: Repo) -> None:
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE}, "initial")
    result = run(git_repo, "check", "--format", "json")
    assert result.code == 0, result
    data = validated(result.out, "report-v1.json")
    assert data["findings"] == []
    assert data["score"] == 100.0


def test_map_json_matches_the_schema(shop: tuple[Repo, str]) -> None:
    repo, base = shop
    for args in (("map", "--format", "json"), ("map", "--format", "json", "--rev", base)):
        result = run(repo, *args)
        assert result.code == 0, result
        data = validated(result.out, "map-v1.json")
        assert {r["style"] for r in data["references"]} >= {"md-code", "marker", "code-block"}
        assert any(u["text"].endswith("no_such_helper`") for u in data["unresolved"]), data["unresolved"]


def test_coverage_json_matches_the_schema(shop: tuple[Repo, str], git_repo: Repo) -> None:
    repo, _ = shop
    result = run(repo, "coverage", "--format", "json")
    assert result.code == 0, result
    data = validated(result.out, "coverage-v1.json")
    assert data["undocumented"] == ["shop.cart.discard_item"]
    assert 0 < data["coverage"] < 100


def test_coverage_json_of_a_project_with_nothing_public_matches_the_schema(git_repo: Repo) -> None:
    git_repo.commit({"shop/__init__.py": "", "shop/_private.py": "def _helper():\n    pass\n"}, "initial")
    data = validated(run(git_repo, "coverage", "--format", "json").out, "coverage-v1.json")
    assert (data["coverage"], data["undocumented"]) == (100.0, [])


# --- the wheel ------------------------------------------------------------------------------------


def test_the_wheel_ships_the_schema_files(tmp_path: Path) -> None:
    """Built from a copy of the project (the source tree stays clean), as pip builds it for users."""
    source = tmp_path / "project"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "docsync", source / "docsync", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q", "-w", "dist", "."],
        cwd=source,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (source / "dist").glob("docsync_lint-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name for name in archive.namelist() if name.startswith("docsync/schemas/")}
        assert shipped == {f"docsync/schemas/{name}" for name in SCHEMA_FILES}
        for name in SCHEMA_FILES:
            assert json.loads(archive.read(f"docsync/schemas/{name}")) == load_schema(name)
