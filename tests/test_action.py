"""action.yml: a composite action whose inputs, outputs and steps fit together, and whose script runs."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def run_step() -> dict:  # type: ignore[type-arg]
    return next(step for step in ACTION["runs"]["steps"] if step.get("id") == "docsync")


def test_structure() -> None:
    assert ACTION["runs"]["using"] == "composite"  # no Docker
    assert set(ACTION["inputs"]) == {
        "fail-under",
        "comment",
        "token",
        "config",
        "args",
        "python-version",
        "working-directory",
    }
    assert ACTION["inputs"]["token"]["default"] == "${{ github.token }}"
    assert set(ACTION["outputs"]) == {"score", "findings", "errors", "report"}
    for name, output in ACTION["outputs"].items():
        assert output["value"] == f"${{{{ steps.docsync.outputs.{name} }}}}"


def test_every_expression_names_something_that_exists() -> None:
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    step_ids = {step.get("id") for step in ACTION["runs"]["steps"]}
    for expression in EXPRESSION.findall(text):
        for name in re.findall(r"inputs\.([\w-]+)", expression):
            assert name in ACTION["inputs"], expression
        for step in re.findall(r"steps\.([\w-]+)\.", expression):
            assert step in step_ids, expression


def test_steps_are_pinned_and_scripts_use_bash() -> None:
    for step in ACTION["runs"]["steps"]:
        if "uses" in step:
            assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", step["uses"]), step["uses"]
        else:
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], "inputs reach scripts through env, never spliced in"


def test_install_step_installs_this_checkout() -> None:
    install = next(s for s in ACTION["runs"]["steps"] if "pip install" in s.get("run", ""))
    assert '"$GITHUB_ACTION_PATH"' in install["run"]


def test_cache_is_shared_with_the_base_branch() -> None:
    cache = next(s for s in ACTION["runs"]["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == run_step()["env"]["DOCSYNC_CACHE_DIR"]
    assert "${{ github.sha }}" in cache["with"]["key"]
    assert cache["with"]["restore-keys"].strip()
    assert "github.sha" not in cache["with"]["restore-keys"]


@pytest.mark.parametrize(
    ("inputs", "argv"),
    [
        ({}, ["ci"]),
        ({"INPUT_FAIL_UNDER": "85.5", "INPUT_COMMENT": "false"}, ["ci", "--fail-under", "85.5", "--no-comment"]),
        (
            {"INPUT_CONFIG": "my docsync.yml", "INPUT_ARGS": "--base origin/main  --report out.html"},
            ["ci", "--config", "my docsync.yml", "--base", "origin/main", "--report", "out.html"],
        ),
        ({"INPUT_ARGS": "'$(touch pwned)' ;rm -rf x"}, ["ci", "'$(touch", "pwned)'", ";rm", "-rf", "x"]),
    ],
    ids=["defaults", "fail-under-and-no-comment", "config-and-args", "no-injection"],
)
def test_the_run_script_passes_inputs_as_arguments(tmp_path: Path, inputs: dict[str, str], argv: list[str]) -> None:
    """Run the step's real script with a stand-in `docsync` that records its arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    recorder = bin_dir / "docsync"
    recorder.write_text('#!/usr/bin/env bash\nprintf "%s\\n" "$@" > "$RECORD"\n', encoding="utf-8")
    recorder.chmod(0o755)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "RECORD": str(tmp_path / "argv"),
        "INPUT_FAIL_UNDER": "",
        "INPUT_COMMENT": "true",
        "INPUT_CONFIG": "",
        "INPUT_ARGS": "",
        **inputs,
    }
    result = subprocess.run(
        ["bash", "-c", run_step()["run"]], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "argv").read_text(encoding="utf-8").splitlines() == argv
    assert not (tmp_path / "pwned").exists()
