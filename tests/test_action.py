"""action.yml: a composite action whose inputs, outputs and steps fit together, and whose scripts run.

The install script runs for real on Linux (a real venv from the system's externally managed Python, a real
`pip install` of a stand-in project); its macOS and Windows branches run here with stand-in Pythons that
record what they were asked. Nothing here runs on a real macOS or Windows runner.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION_TEXT = (ROOT / "action.yml").read_text(encoding="utf-8")
ACTION = yaml.safe_load(ACTION_TEXT)
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
# `uses: owner/repo[/path]@<40 hex> # vX.Y.Z`: a sha cannot be moved, a tag can; the comment says which release.
PINNED = re.compile(r"uses:\s*(?P<action>[\w.-]+/[\w.-]+(?:/[\w.-]+)*)@(?P<ref>\S+)(?P<comment>.*)$")
OWN_ACTION = "docsync/docsync"  # this repository: a commit sha the user picks, until releases are tagged
BASH = shutil.which("bash") or "/bin/bash"  # by its path: the scripts run with a PATH of the test's making


def steps() -> list[dict[str, Any]]:
    return ACTION["runs"]["steps"]


def step(step_id: str) -> dict[str, Any]:
    return next(s for s in steps() if s.get("id") == step_id)


def install_step() -> dict[str, Any]:
    return next(s for s in steps() if "pip install" in s.get("run", ""))


def readme_workflow() -> tuple[str, dict[Any, Any]]:
    """The workflow in README's "GitHub Actions" section: its text and its parsed YAML."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### GitHub Actions\n") : readme.index("### GitLab CI\n")]
    text = section[section.index("```yaml\n") + 8 : section.index("```\n", section.index("```yaml\n") + 8)]
    return text, yaml.safe_load(text)


def test_structure() -> None:
    assert ACTION["runs"]["using"] == "composite"  # no Docker
    assert set(ACTION["inputs"]) == {
        "fail-under",
        "comment",
        "token",
        "config",
        "args",
        "sarif",
        "python-version",
        "working-directory",
    }
    assert ACTION["inputs"]["token"]["default"] == "${{ github.token }}"
    assert set(ACTION["outputs"]) == {"score", "findings", "errors", "report"}
    for name, output in ACTION["outputs"].items():
        assert output["value"] == f"${{{{ steps.docsync.outputs.{name} }}}}"


def test_every_expression_names_something_that_exists() -> None:
    step_ids = {s.get("id") for s in steps()}
    for expression in EXPRESSION.findall(ACTION_TEXT):
        for name in re.findall(r"inputs\.([\w-]+)", expression):
            assert name in ACTION["inputs"], expression
        for step_name in re.findall(r"steps\.([\w-]+)\.", expression):
            assert step_name in step_ids, expression


def test_scripts_use_bash_and_take_inputs_through_env() -> None:
    for each in steps():
        if "run" in each:
            assert each["shell"] == "bash"  # on Linux, macOS and Windows runners alike
            assert "${{" not in each["run"], "inputs reach scripts through env, never spliced in"


@pytest.mark.parametrize("where", ["action.yml", "README.md"])
def test_every_action_is_pinned_by_sha_with_its_release_in_a_comment(where: str) -> None:
    text = ACTION_TEXT if where == "action.yml" else readme_workflow()[0]
    lines = [line.strip().removeprefix("- ") for line in text.splitlines() if re.match(r"\s*(- )?uses:", line)]
    assert len(lines) >= 3
    for line in lines:
        pin = PINNED.match(line)
        assert pin, line
        if pin["action"] == OWN_ACTION:
            assert where == "README.md", line  # the action never uses itself
            assert pin["ref"] == "<commit-sha>", line
            continue
        assert re.fullmatch(r"[0-9a-f]{40}", pin["ref"]), f"{line}: pin a full commit sha, not a tag"
        assert re.match(r"\s*# v\d+\.\d+\.\d+\b", pin["comment"]), f"{line}: name the release in a comment"


def test_the_same_release_is_pinned_everywhere() -> None:
    """One sha per action across action.yml and the README, so an update cannot leave half of them behind."""
    pins: dict[str, set[str]] = {}
    for line in (ACTION_TEXT + readme_workflow()[0]).splitlines():
        pin = PINNED.search(line)
        if pin and pin["action"] != OWN_ACTION:
            repository = "/".join(pin["action"].split("/")[:2])
            pins.setdefault(repository, set()).add(pin["ref"])
    assert {name: len(refs) for name, refs in pins.items() if len(refs) > 1} == {}


# --- the parse cache ---------------------------------------------------------------------------------


def test_the_cache_is_restored_then_saved_whatever_the_run_found() -> None:
    """actions/cache saves in a post step that runs only when the job succeeded: a run that found drift fails,
    so its cache would never be saved (and a base branch with drift would never have one)."""
    assert not [s for s in steps() if s.get("uses", "").startswith("actions/cache@")]
    restore, save = step("cache"), next(s for s in steps() if s.get("uses", "").startswith("actions/cache/save@"))
    order = [s.get("id") or s.get("name") for s in steps()]
    assert order.index("cache") < order.index("docsync") < order.index(save["name"])
    assert restore["uses"].startswith("actions/cache/restore@")
    assert restore["with"]["path"] == save["with"]["path"] == step("docsync")["env"]["DOCSYNC_CACHE_DIR"]
    assert save["with"]["key"] == "${{ steps.cache.outputs.cache-primary-key }}"
    condition = save["if"]
    assert "!cancelled()" in condition
    assert "success()" not in condition
    assert "failure()" not in condition
    assert "steps.docsync.outcome != 'skipped'" in condition  # nothing to save when docsync never ran
    assert "steps.cache.outputs.cache-hit != 'true'" in condition  # an exact hit (a re-run): the key is taken


def test_the_cache_key_lets_pull_requests_fall_back_to_the_base_branch() -> None:
    restore = step("cache")
    key, fallbacks = restore["with"]["key"], restore["with"]["restore-keys"].strip().splitlines()
    assert key.endswith("-${{ github.sha }}")  # each run saves its own (cache entries cannot be overwritten)
    assert fallbacks == [key.removesuffix("${{ github.sha }}")]  # the newest of this OS and Python, any commit
    assert "${{ runner.os }}" in key
    assert "${{ inputs.python-version }}" in key


def test_the_readme_workflow_runs_on_pushes_to_the_default_branch() -> None:
    """Only a run on the base branch saves the cache pull requests restore (they may read the base's, not
    the reverse); YAML 1.1 reads the key `on` as True."""
    _, workflow = readme_workflow()
    triggers: dict[str, Any] = workflow["on"] if "on" in workflow else workflow[True]
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]


# --- the README's workflow -----------------------------------------------------------------------------


def test_the_readme_workflow_uses_only_inputs_the_action_has() -> None:
    _, workflow = readme_workflow()
    [docsync] = [s for s in workflow["jobs"]["docsync"]["steps"] if s.get("uses", "").startswith(OWN_ACTION)]
    assert set(docsync["with"]) <= set(ACTION["inputs"])
    assert docsync["id"] == "docsync"


def test_the_readme_skips_the_sarif_upload_on_forks_and_when_there_is_no_file() -> None:
    """Code scanning refuses uploads with a fork's read-only token; the action writes the SARIF file itself."""
    text, workflow = readme_workflow()
    job = workflow["jobs"]["docsync"]
    [docsync] = [s for s in job["steps"] if s.get("uses", "").startswith(OWN_ACTION)]
    [upload] = [s for s in job["steps"] if "upload-sarif@" in s.get("uses", "")]
    assert upload["with"]["sarif_file"] == docsync["with"]["sarif"]
    condition = " ".join(upload["if"].split())
    assert "github.event.pull_request.head.repo.full_name == github.repository" in condition
    assert f"hashFiles('{docsync['with']['sarif']}') != ''" in condition
    assert "fork" in text.lower()
    assert not [s for s in job["steps"] if "run" in s], "no second docsync run: the action wrote the SARIF"
    assert job.get("permissions", workflow["permissions"])["security-events"] == "write"


# --- the install script: a venv of its own on every runner OS ----------------------------------------

STANDIN_BACKEND = '''
"""A PEP 517 backend that builds a wheel with a `docsync` command recording its arguments (no download)."""
import base64, hashlib, os, zipfile

INFO = "docsync_standin-0.dist-info"
FILES = {
    "docsync_standin.py": "import os, sys\\n\\ndef main():\\n"
    "    with open(os.environ['RECORD'], 'w') as f:\\n        f.write(''.join(a + '\\\\n' for a in sys.argv[1:]))\\n",
    f"{INFO}/METADATA": "Metadata-Version: 2.1\\nName: docsync-standin\\nVersion: 0\\n",
    f"{INFO}/WHEEL": "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
    f"{INFO}/entry_points.txt": "[console_scripts]\\ndocsync = docsync_standin:main\\n",
}


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = "docsync_standin-0-py3-none-any.whl"
    record = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as wheel:
        for path, text in FILES.items():
            data = text.encode()
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{path},sha256={digest},{len(data)}")
            wheel.writestr(path, data)
        wheel.writestr(f"{INFO}/RECORD", "".join(line + "\\n" for line in [*record, f"{INFO}/RECORD,,"]))
    return name
'''


def standin_project(where: Path) -> Path:
    """What $GITHUB_ACTION_PATH holds, in miniature: a project pip installs with no index at all."""
    where.mkdir()
    (where / "pyproject.toml").write_text(
        '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n', encoding="utf-8"
    )
    (where / "backend.py").write_text(STANDIN_BACKEND, encoding="utf-8")
    return where


def runner_env(tmp: Path, path: str, runner_os: str = "Linux") -> dict[str, str]:
    """What the runner gives every step, with this test's PATH."""
    (tmp / "runner-temp").mkdir(exist_ok=True)
    (tmp / "github-path").touch()
    return {
        "PATH": path,
        "HOME": str(tmp),
        "RUNNER_OS": runner_os,
        "RUNNER_TEMP": str(tmp / "runner-temp"),
        "GITHUB_PATH": str(tmp / "github-path"),
        "GITHUB_ACTION_PATH": str(tmp / "action"),
        "PIP_NO_INDEX": "1",  # offline: the stand-in project needs nothing from an index
    }


def bash(script: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BASH, "-c", script], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300
    )


def externally_managed_python() -> Path:
    """The system's python3, which Debian 12 and Ubuntu 24.04 mark as externally managed (PEP 668)."""
    for candidate in ("/usr/bin/python3", "/bin/python3"):
        stdlib = subprocess.run(
            [candidate, "-c", "import sysconfig; print(sysconfig.get_path('stdlib'))"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if stdlib and (Path(stdlib) / "EXTERNALLY-MANAGED").exists():
            return Path(candidate)
    pytest.fail("this test needs a system python3 marked EXTERNALLY-MANAGED (Debian 12, Ubuntu 24.04)")


def test_install_works_with_an_externally_managed_system_python(tmp_path: Path) -> None:
    """ubuntu-24.04 with `python-version: ''`: its python3 refuses `pip install`; the action's venv does not,
    and a later step finds `docsync` through $GITHUB_PATH."""
    system_python = externally_managed_python()
    python_dir = tmp_path / "python-only"
    python_dir.mkdir()
    (python_dir / "python3").symlink_to(system_python)
    standin_project(tmp_path / "action")
    env = runner_env(tmp_path, f"{python_dir}{os.pathsep}/usr/bin{os.pathsep}/bin")
    refused = bash('python3 -m pip install --quiet "$GITHUB_ACTION_PATH"', env, tmp_path)
    assert "externally-managed-environment" in refused.stderr  # what the action did before

    result = bash(install_step()["run"], env, tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    venv_bin = tmp_path / "runner-temp" / "docsync-venv" / "bin"
    assert (tmp_path / "github-path").read_text(encoding="utf-8").splitlines() == [str(venv_bin)]
    later = {**env, "PATH": f"{venv_bin}{os.pathsep}{env['PATH']}", "RECORD": str(tmp_path / "argv")}
    assert bash("docsync --version", later, tmp_path).returncode == 0
    assert (tmp_path / "argv").read_text(encoding="utf-8") == "--version\n"
    untouched = subprocess.run([system_python, "-c", "import docsync_standin"], capture_output=True, check=False)
    assert untouched.returncode != 0  # the system's Python was left as it was


def test_install_is_this_checkout_into_a_venv() -> None:
    script = install_step()["run"]
    assert '-m pip install --disable-pip-version-check --quiet "$GITHUB_ACTION_PATH"' in script
    assert '"$venv/$bin/python" -m pip' in script  # never the runner's own pip
    assert '"$RUNNER_TEMP/docsync-venv"' in script


STANDIN_PYTHON = textwrap.dedent(
    """\
    #!{bash}
    # A base Python: logs its name and arguments; answers the version check; makes a venv like CPython's
    # (bin/ on Linux and macOS, Scripts/ on Windows) holding a Python that logs what it is asked.
    echo "$(basename "$0") $*" >> "$LOG"
    case "$1" in
      -V) echo "Python 3.9.6" ;;
      -c) exit "${STANDIN_TOO_OLD:-0}" ;;
      -m)
        [ -z "${STANDIN_NO_VENV:-}" ] || { echo "Error: ensurepip is not available" >&2; exit 1; }
        venv="${@: -1}"
        if [ "$RUNNER_OS" = Windows ]; then bin=Scripts; else bin=bin; fi
        mkdir -p "$venv/$bin"
        printf '%s\\n' "#!$BASH" \\
          'echo "venv-python $*" >> "$LOG"' \\
          'if [ "$1" = -c ]; then cd "$(dirname "$0")" && pwd; fi' > "$venv/$bin/python"
        chmod +x "$venv/$bin/python" ;;
    esac
    """
).replace("{bash}", BASH)


def standin_pythons(tmp: Path, names: tuple[str, ...] = ("python", "python3")) -> Path:
    folder = tmp / "standins"
    folder.mkdir()
    for name in names:
        (folder / name).write_text(STANDIN_PYTHON, encoding="utf-8")
        (folder / name).chmod(0o755)
    return folder


def run_install_with_standins(
    tmp: Path, runner_os: str, names: tuple[str, ...] = ("python", "python3"), **extra: str
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    folder = standin_pythons(tmp, names)
    # Only what bash needs besides the stand-ins: no real python on PATH.
    tools = tmp / "tools"
    tools.mkdir()
    for tool in ("mkdir", "chmod", "basename", "dirname"):
        (tools / tool).symlink_to(shutil.which(tool) or f"/bin/{tool}")
    env = {**runner_env(tmp, f"{folder}{os.pathsep}{tools}", runner_os), "LOG": str(tmp / "log"), **extra}
    result = bash(install_step()["run"], env, tmp)
    log = (tmp / "log").read_text(encoding="utf-8").splitlines() if (tmp / "log").exists() else []
    return result, log


@pytest.mark.parametrize(
    ("runner_os", "python", "bin_dir"),
    [("Linux", "python3", "bin"), ("macOS", "python3", "bin"), ("Windows", "python", "Scripts")],
)
def test_install_on_each_runner_os(tmp_path: Path, runner_os: str, python: str, bin_dir: str) -> None:
    """Windows: `python` (python3 there may be the Microsoft Store's stub) and the venv's Scripts folder."""
    result, log = run_install_with_standins(tmp_path, runner_os)
    assert result.returncode == 0, result.stdout + result.stderr
    venv = tmp_path / "runner-temp" / "docsync-venv"
    assert log == [
        f"{python} -c import sys; sys.exit(sys.version_info < (3, 10))",
        f"{python} -m venv --clear {venv}",
        f"venv-python -m pip install --disable-pip-version-check --quiet {tmp_path / 'action'}",
        "venv-python -c import os, sys; print(os.path.dirname(sys.executable))",
    ]
    assert (tmp_path / "github-path").read_text(encoding="utf-8").splitlines() == [str(venv / bin_dir)]


@pytest.mark.parametrize(
    ("runner_os", "names", "extra", "message"),
    [
        ("Linux", ("python",), {}, "no python3 on PATH: set the action's python-version input"),
        ("Windows", ("python3",), {}, "no python on PATH: set the action's python-version input"),
        (
            "macOS",
            ("python3",),
            {"STANDIN_TOO_OLD": "1"},
            "docsync needs Python 3.10 or newer, and python3 is Python 3.9.6: set python-version",
        ),
        (
            "Linux",
            ("python3",),
            {"STANDIN_NO_VENV": "1"},
            "python3 cannot create a virtual environment (on Debian or Ubuntu: apt-get install python3-venv;"
            " or set python-version)",
        ),
    ],
    ids=["no-python3", "windows-no-python", "too-old", "no-venv-module"],
)
def test_install_failures_are_one_line_naming_the_cause(
    tmp_path: Path, runner_os: str, names: tuple[str, ...], extra: dict[str, str], message: str
) -> None:
    result, log = run_install_with_standins(tmp_path, runner_os, names, **extra)
    assert result.returncode == 1
    assert result.stdout == f"::error title=docsync::{message}\n"
    assert not [line for line in log if "pip" in line]
    assert (tmp_path / "github-path").read_text(encoding="utf-8") == ""


# --- the run script --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inputs", "argv"),
    [
        ({}, ["ci"]),
        ({"INPUT_FAIL_UNDER": "85.5", "INPUT_COMMENT": "false"}, ["ci", "--fail-under", "85.5", "--no-comment"]),
        (
            {"INPUT_CONFIG": "my docsync.yml", "INPUT_ARGS": "--base origin/main  --report out.html"},
            ["ci", "--config", "my docsync.yml", "--base", "origin/main", "--report", "out.html"],
        ),
        ({"INPUT_SARIF": "out/docsync.sarif"}, ["ci", "--sarif", "out/docsync.sarif"]),
        ({"INPUT_ARGS": "'$(touch pwned)' ;rm -rf x"}, ["ci", "'$(touch", "pwned)'", ";rm", "-rf", "x"]),
    ],
    ids=["defaults", "fail-under-and-no-comment", "config-and-args", "sarif", "no-injection"],
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
        "INPUT_SARIF": "",
        "INPUT_ARGS": "",
        **inputs,
    }
    result = bash(step("docsync")["run"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "argv").read_text(encoding="utf-8").splitlines() == argv
    assert not (tmp_path / "pwned").exists()


def test_the_run_step_passes_every_input_it_reads() -> None:
    run = step("docsync")
    read = set(re.findall(r"\$(INPUT_\w+)", run["run"]))
    assert read == set(run["env"]) - {"GITHUB_TOKEN", "DOCSYNC_CACHE_DIR"}
    assert run["env"]["GITHUB_TOKEN"] == "${{ inputs.token }}"
