"""The command line's conventions (issue 16 item 6): global options on either side of the command, --quiet and
--verbose, --color, -o/--output, --select/--ignore, PATH arguments that do not exist, and --help."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from docsync.main import main
from docsync.models import Kind
from docsync.render import CHECK_FORMATS
from tests.commands.test_check import CART, GUIDE  # the same project and guide as check's own tests
from tests.conftest import Repo, git_env, run

# The head of `drifted`: `qty` renamed (a `signature` finding, line 6) and `total` removed (`removed`, line 10).
DRIFTED_CART = CART.replace("qty=1", "quantity=1").split("\n\ndef total")[0] + "\n"
ANSI = "\033["


class Terminal(io.StringIO):
    """A stream that says it is a terminal, as stdout is when a person runs docsync."""

    def isatty(self) -> bool:
        return True


def call(*argv: str, stdout: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = stdout or io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def kinds_of(report: str) -> list[str]:
    return [finding["kind"] for finding in json.loads(report)["findings"]]


@pytest.fixture
def drifted(git_repo: Repo) -> tuple[Repo, str]:
    """A repository whose last commit strands the guide twice: `base` is the commit before."""
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE}, "initial")
    git_repo.commit({"shop/cart.py": DRIFTED_CART}, "drift")
    return git_repo, base


@pytest.fixture(autouse=True)
def _no_colour_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FORCE_COLOR", "NO_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)


# --- 1. global options before the command, or after it --------------------------------------------


def test_repo_before_the_command(drifted: tuple[Repo, str]) -> None:
    repo, base = drifted
    code, out, err = call("-C", str(repo.path), "check", "--base", base, "--format", "json")
    assert (code, err) == (1, ""), err
    assert kinds_of(out) == ["signature", "removed"]


def test_config_before_the_command(drifted: tuple[Repo, str], tmp_path: Path) -> None:
    repo, _ = drifted
    settings = tmp_path / "elsewhere.toml"
    settings.write_text('[tool.docsync]\ndocs = ["nothing/**"]\n', encoding="utf-8")
    code, out, _ = call("--config", str(settings), "-C", str(repo.path), "map", "--format", "json")
    assert (code, json.loads(out)["references"]) == (0, []), "the --config given before `map` was used"


def test_no_cache_and_debug_before_the_command(drifted: tuple[Repo, str], monkeypatch: pytest.MonkeyPatch) -> None:
    repo, _ = drifted
    assert call("--no-cache", "-C", str(repo.path), "map")[0] == 0
    assert not (repo.path / ".git" / "docsync").exists(), "--no-cache before the command: no cache written"

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("docsync.loader.Loader.snapshot", boom)
    code, _, err = call("--debug", "-C", str(repo.path), "map")
    assert code == 3
    assert "Traceback" in err


def test_an_option_after_the_command_beats_the_same_before_it(drifted: tuple[Repo, str], tmp_path: Path) -> None:
    repo, base = drifted
    empty = Repo(tmp_path / "empty")
    empty.commit({"README.md": "# Nothing\n"})
    code, out, _ = call("-C", str(empty.path), "check", "-C", str(repo.path), "--base", base, "--format", "json")
    assert (code, kinds_of(out)) == (1, ["signature", "removed"])
    code, out, _ = call("-C", str(repo.path), "check", "-C", str(empty.path), "--format", "json")
    assert (code, kinds_of(out)) == (0, [])


@pytest.mark.parametrize(
    ("argv", "verbose", "quiet"),
    [
        (["-q", "check", "-v"], True, False),
        (["-v", "check", "-q"], False, True),
        (["-v", "check"], True, False),
        (["check", "--quiet"], False, True),
        (["--verbose", "-q", "check"], False, True),
    ],
    ids=["-q before, -v after", "-v before, -q after", "-v before", "--quiet after", "the last before wins"],
)
def test_quiet_and_verbose_on_either_side(
    drifted: tuple[Repo, str], argv: list[str], verbose: bool, quiet: bool
) -> None:
    repo, _ = drifted
    code, out, err = call("-C", str(repo.path), *argv)
    assert code == 1
    assert ("docsync: checked in whole-repository mode" in err) is verbose, err
    assert ("freshness score" in out) is not quiet, out


@pytest.mark.parametrize(
    ("argv", "coloured"),
    [
        (["--color", "always", "check"], True),
        (["check", "--color", "always"], True),
        (["--color", "always", "check", "--color", "never"], False),
        (["--color", "never", "check", "--color", "always"], True),
        (["check"], False),
    ],
)
def test_color_on_either_side(drifted: tuple[Repo, str], argv: list[str], coloured: bool) -> None:
    repo, _ = drifted
    code, out, _ = call("-C", str(repo.path), *argv)
    assert code == 1
    assert (ANSI in out) is coloured


def test_top_level_help_lists_the_global_options() -> None:
    code, out, _ = call("--help")
    assert code == 0
    for option in ("-C DIR", "--config FILE", "--no-cache", "--debug", "--quiet", "--verbose", "--color"):
        assert option in out


# --- 2. --quiet and --verbose ------------------------------------------------------------------------


def test_quiet_prints_the_findings_alone(drifted: tuple[Repo, str]) -> None:
    repo, base = drifted
    repo.commit({"shop/broken.py": "def broken(:\n"}, "a file that does not parse: a warning")
    loud = run(repo, "check", "--base", base)
    assert "docsync: warning: shop/broken.py" in loud.err
    quiet = run(repo, "check", "--base", base, "-q")
    assert quiet.code == loud.code == 1
    assert quiet.err == ""
    assert quiet.out == "".join(line + "\n" for line in loud.out.splitlines() if line.startswith("docs/guide.md:"))
    assert len(quiet.out.splitlines()) == 2


def test_quiet_keeps_whole_formats_whole(drifted: tuple[Repo, str]) -> None:
    repo, base = drifted
    assert run(repo, "check", "--base", base, "-q", "--format", "json").out == (
        run(repo, "check", "--base", base, "--format", "json").out
    )


def test_quiet_map_coverage_report_accept(drifted: tuple[Repo, str], tmp_path: Path) -> None:
    repo, _ = drifted
    loud_map = run(repo, "map")
    quiet_map = run(repo, "map", "-q")
    assert loud_map.out.splitlines()[:-1] == quiet_map.out.splitlines()
    assert "resolved in" in loud_map.out.splitlines()[-1]
    coverage = run(repo, "coverage", "-q")
    assert coverage.out == "", "every public symbol is referenced: nothing to print"
    assert "Doc coverage" in run(repo, "coverage").out
    report = run(repo, "report", "-q", "-o", str(tmp_path / "r.html"))
    assert (report.code, report.out, report.err) == (0, "", "")
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    accepted = run(repo, "accept", "-q")
    assert (accepted.code, accepted.out) == (0, "")
    assert (repo.path / ".docsync.lock").exists()


def test_quiet_turns_progress_bars_off(drifted: tuple[Repo, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Bars show on a terminal's stderr once work takes a second (here: at once); never under --quiet."""
    monkeypatch.setattr("docsync.progress.DELAY", 0.0)
    repo, _ = drifted
    bars, quiet = Terminal(), Terminal()
    assert main(["map", "-C", str(repo.path), "--no-cache"], stdout=io.StringIO(), stderr=bars) == 0
    assert "\r" in bars.getvalue(), "a progress bar was drawn"
    assert main(["map", "-C", str(repo.path), "--no-cache", "-q"], stdout=io.StringIO(), stderr=quiet) == 0
    assert quiet.getvalue() == ""


def test_verbose_tells_what_the_run_did_with_real_numbers(drifted: tuple[Repo, str]) -> None:
    repo, base = drifted
    cold = run(repo, "check", "--base", base, "-v")
    assert cold.code == 1
    lines = cold.err.splitlines()
    assert lines[0].startswith(f"docsync: opened {repo.path.resolve()}, settings from defaults ("), lines
    merge_base = repo.git("rev-parse", base)
    head = repo.git("rev-parse", "HEAD")
    checked = (
        f"docsync: checked in pull-request mode, {merge_base} (the merge base) to {head}: 1 docs read, "
        "2 modules (3 symbols), 2 findings, score "
    )
    assert any(line.startswith(checked) for line in lines), lines
    assert any(re.fullmatch(r"docsync: wrote the text report to stdout \(\d+\.\d\d s\)", line) for line in lines)
    assert re.search(r"^docsync: check: exit code 1 \(\d+\.\d\d s\)$", cold.err, re.MULTILINE)
    cold_cache = re.search(r"^docsync: cache: (\d+) hits, (\d+) misses$", cold.err, re.MULTILINE)
    assert cold_cache is not None
    assert int(cold_cache[2]) > 0
    warm = run(repo, "check", "--base", base, "-v")
    warm_cache = re.search(r"^docsync: cache: (\d+) hits, (\d+) misses$", warm.err, re.MULTILINE)
    assert warm_cache is not None
    assert int(warm_cache[1]) > 0, "the second run finds what the first stored"
    assert cold.out == warm.out
    assert "docsync: cache: not used (--no-cache)\n" in run(repo, "check", "--base", base, "-v", "--no-cache").err


def test_verbose_whole_repository_and_staged_modes(drifted: tuple[Repo, str]) -> None:
    repo, _ = drifted
    assert "docsync: checked in whole-repository mode at the work tree: 1 docs read" in run(repo, "check", "-v").err
    repo.stage({"shop/cart.py": CART})
    staged = run(repo, "check", "--staged", "-v").err
    assert f"docsync: checked in pull-request mode, {repo.git('rev-parse', 'HEAD')} (the merge base) to the index" in (
        staged
    )


def test_verbose_map_and_coverage(drifted: tuple[Repo, str]) -> None:
    repo, _ = drifted
    assert "docsync: mapped the work tree: 1 docs with references, 2 modules (3 symbols), 1 references resolved" in (
        run(repo, "map", "-v").err
    )
    assert "docsync: measured coverage: 1 docs with references, 2 modules, 1 public symbols" in (
        run(repo, "coverage", "-v").err
    )


def test_verbose_report_and_fix(drifted: tuple[Repo, str], tmp_path: Path) -> None:
    repo, base = drifted
    report = run(repo, "report", "--base", base, "--format", "json", "-o", "-", "-v").err
    assert "docsync: checked in pull-request mode, " in report
    assert re.search(r"^docsync: rendered the json report \(\d+\.\d\d s\)$", report, re.MULTILINE)
    html = run(repo, "report", "-o", str(tmp_path / "r.html"), "--history", "2", "-v").err
    assert "docsync: checked in whole-repository mode at " in html
    assert "docsync: rendered the html report, with the trend over 2 commits (" in html
    fix = run(repo, "fix", "--dry-run", "-v").err
    assert "docsync: checked in whole-repository mode at " in fix
    assert re.search(r"^docsync: fix: exit code 0 \(\d+\.\d\d s\)$", fix, re.MULTILINE)


# --- 3. --color --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "terminal", "env", "expected"),
    [
        ("auto", True, {}, True),
        ("auto", False, {}, False),
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", True, {"NO_COLOR": ""}, True),  # no-color.org: set and not empty
        ("auto", True, {"TERM": "dumb"}, False),
        ("auto", True, {"TERM": "xterm-256color"}, True),
        ("auto", False, {"FORCE_COLOR": "1"}, True),
        ("auto", False, {"FORCE_COLOR": ""}, False),
        ("auto", True, {"TERM": "dumb", "FORCE_COLOR": "1"}, True),
        ("auto", True, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),  # as CPython decides its own colour
        ("always", False, {"NO_COLOR": "1"}, True),
        ("always", False, {"TERM": "dumb"}, True),
        ("never", True, {"FORCE_COLOR": "1"}, False),
        ("never", True, {}, False),
    ],
)
def test_wants_color(choice: str, terminal: bool, env: dict[str, str], expected: bool) -> None:
    from docsync.output import wants_color  # here: the rest of this file runs against a docsync without it

    stream = Terminal() if terminal else io.StringIO()
    assert wants_color(choice, stream, env) is expected


@pytest.mark.parametrize(
    ("env", "argv", "coloured"),
    [
        ({}, [], True),
        ({"NO_COLOR": "1"}, [], False),
        ({"TERM": "dumb"}, [], False),
        ({"NO_COLOR": "1"}, ["--color", "always"], True),
        ({}, ["--color", "never"], False),
    ],
)
def test_the_check_on_a_terminal(
    drifted: tuple[Repo, str], monkeypatch: pytest.MonkeyPatch, env: dict[str, str], argv: list[str], coloured: bool
) -> None:
    repo, _ = drifted
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, out, _ = call("-C", str(repo.path), "check", *argv, stdout=Terminal())
    assert code == 1
    assert (ANSI in out) is coloured


def test_force_color_colours_a_pipe_and_never_a_file_or_json(
    drifted: tuple[Repo, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    repo, _ = drifted
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ANSI in run(repo, "check").out
    assert ANSI not in run(repo, "check", "--format", "json", "--color", "always").out
    assert run(repo, "check", "--color", "always", "-o", str(tmp_path / "out.txt")).out == ""
    assert ANSI not in (tmp_path / "out.txt").read_text(encoding="utf-8")


# --- 4. -o/--output -----------------------------------------------------------------------------------


@pytest.mark.parametrize("format", CHECK_FORMATS)
def test_check_writes_every_format_to_a_file(drifted: tuple[Repo, str], tmp_path: Path, format: str) -> None:
    repo, base = drifted
    printed = run(repo, "check", "--base", base, "--format", format)
    target = tmp_path / "reports" / f"check.{format}"
    written = run(repo, "check", "--base", base, "--format", format, "--output", str(target))
    assert (written.code, written.out) == (printed.code, "")
    assert target.read_text(encoding="utf-8") == printed.out
    dash = run(repo, "check", "--base", base, "--format", format, "-o", "-")
    assert (dash.code, dash.out) == (printed.code, printed.out)


def test_output_is_relative_to_the_current_folder_and_replaces_the_file(
    drifted: tuple[Repo, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, _ = drifted
    monkeypatch.chdir(tmp_path)
    (tmp_path / "map.json").write_text("old and longer than the new one" * 1000, encoding="utf-8")
    assert run(repo, "map", "--format", "json", "-o", "map.json").code == 0
    assert json.loads((tmp_path / "map.json").read_text(encoding="utf-8"))["version"] == 1
    assert run(repo, "coverage", "--format", "json", "-o", "cov.json").code == 0
    assert json.loads((tmp_path / "cov.json").read_text(encoding="utf-8"))["coverage"] == 100.0
    assert run(repo, "report", "--format", "json", "-o", "rep.json").out.startswith("Wrote rep.json:")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cov.json", "map.json", "rep.json", "repo"]


def test_output_to_dev_stdout_writes_to_the_pipe(drifted: tuple[Repo, str]) -> None:
    """A device is written to, not replaced by a file (docsync.writing): `-o /dev/stdout` in a pipe."""
    repo, base = drifted
    env = {**git_env(), "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    command = [sys.executable, "-m", "docsync", "-C", str(repo.path), "check", "--base", base, "--format", "json"]
    result = subprocess.run([*command, "-o", "/dev/stdout"], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 1, result.stderr
    assert kinds_of(result.stdout) == ["signature", "removed"]


def test_an_output_that_cannot_be_written_is_a_one_line_error(drifted: tuple[Repo, str], tmp_path: Path) -> None:
    repo, _ = drifted
    (tmp_path / "folder").mkdir()
    result = run(repo, "check", "-o", str(tmp_path / "folder"))
    assert result.code == 2
    assert result.err.startswith(f"docsync: error: cannot write {tmp_path / 'folder'}: ")
    assert len(result.err.splitlines()) == 1


# --- 5. --select / --ignore ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "argv", "expected"),
    [
        ("", [], ["signature", "removed"]),
        ("", ["--select", "removed"], ["removed"]),
        ("", ["--select", "removed,signature"], ["signature", "removed"]),
        ("", ["--select", "removed", "--select", "signature"], ["signature", "removed"]),
        ("", ["--ignore", "removed"], ["signature"]),
        ("", ["--select", "removed,signature", "--ignore", "removed"], ["signature"]),
        ('select = ["removed"]', [], ["removed"]),
        ('ignore = ["removed"]', [], ["signature"]),
        ('ignore = "removed,signature"', [], []),
        ('ignore = ["removed"]', ["--select", "removed"], ["removed"]),
        ('select = ["removed"]', ["--ignore", "removed"], []),
        ('select = ["removed"]', ["--select", "signature"], ["signature"]),
        ('[tool.docsync.severity]\nremoved = "off"', ["--select", "removed"], ["removed"]),
    ],
)
def test_select_and_ignore(drifted: tuple[Repo, str], settings: str, argv: list[str], expected: list[str]) -> None:
    repo, base = drifted
    if settings:
        repo.commit({"pyproject.toml": f"[tool.docsync]\n{settings}\n"}, "settings")
    result = run(repo, "check", "--base", base, "--format", "json", *argv)
    assert kinds_of(result.out) == expected, result.err
    assert result.code == (1 if expected else 0)


def test_a_kind_selected_again_keeps_its_configured_severity(drifted: tuple[Repo, str]) -> None:
    repo, base = drifted
    repo.commit({".docsync.yml": "ignore: [removed]\nseverity:\n  removed: info\n"}, "settings")
    result = run(repo, "check", "--base", base, "--format", "json", "--select", "removed")
    assert [(f["kind"], f["severity"]) for f in json.loads(result.out)["findings"]] == [("removed", "info")]
    assert result.code == 0, "info does not fail the run"


def test_report_and_ci_take_select_and_ignore(drifted: tuple[Repo, str], tmp_path: Path) -> None:
    repo, base = drifted
    report = run(repo, "report", "--base", base, "--format", "json", "-o", "-", "--ignore", "signature")
    assert kinds_of(report.out) == ["removed"]
    ci = run(repo, "ci", "--base", base, "--no-comment", "--report", str(tmp_path / "r.html"), "--select", "removed")
    assert ci.code == 1
    assert "removed" in ci.out
    assert "signature" not in ci.out


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_an_unknown_kind_is_a_one_line_error(drifted: tuple[Repo, str], option: str) -> None:
    repo, _ = drifted
    result = run(repo, "check", option, "removed,sigature")
    assert (result.code, result.out) == (2, "")
    kinds = ", ".join(kind.value for kind in Kind)
    assert result.err == f"docsync: error: unknown kind 'sigature' in {option} (kinds: {kinds})\n"


def test_an_unknown_kind_in_the_settings_is_a_config_error(drifted: tuple[Repo, str]) -> None:
    repo, _ = drifted
    repo.commit({"pyproject.toml": '[tool.docsync]\nignore = ["bodies"]\n'}, "settings")
    result = run(repo, "check")
    assert result.code == 2
    assert result.err.startswith("docsync: error: unknown kind 'bodies' in ignore in [tool.docsync] in pyproject.toml")
    assert len(result.err.splitlines()) == 1


# --- 6. PATH arguments ---------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [("nosuch/",), ("docs/guide.md", "docs/nosuch.md"), ("--base", "HEAD~1", "nosuch")])
def test_a_path_that_does_not_exist_is_exit_2(drifted: tuple[Repo, str], args: tuple[str, ...]) -> None:
    repo, _ = drifted
    result = run(repo, "check", *args)
    assert (result.code, result.out) == (2, "")
    missing = next(a for a in args if "nosuch" in a).rstrip("/")
    assert result.err.startswith(f"docsync: error: {missing}: no such file or folder in the work tree")
    assert len(result.err.splitlines()) == 1


def test_a_path_that_exists_only_at_the_checked_revision_is_checked(drifted: tuple[Repo, str]) -> None:
    repo, _ = drifted
    repo.commit({"docs/guide.md": None}, "guide deleted")
    assert run(repo, "check", "docs/guide.md").code == 2, "not in the work tree"
    before = run(repo, "check", "--head", "HEAD~1", "docs/guide.md", "--format", "json")
    assert (before.code, kinds_of(before.out)) == (1, ["signature", "removed"])
    at_head = run(repo, "check", "--head", "HEAD", "docs/guide.md")
    assert at_head.code == 2
    assert "no such file or folder in the work tree nor at HEAD" in at_head.err


def test_pull_request_mode_checks_paths_at_head(drifted: tuple[Repo, str]) -> None:
    """Without --head, --base compares with HEAD: a doc deleted in the work tree only is still there."""
    repo, base = drifted
    repo.write({"docs/guide.md": None})
    result = run(repo, "check", "--base", base, "docs/guide.md", "--format", "json")
    assert (result.code, kinds_of(result.out)) == (1, ["signature", "removed"])
    assert run(repo, "check", "docs/guide.md").code == 2


def test_a_path_with_no_doc_is_a_warning(drifted: tuple[Repo, str]) -> None:
    repo, _ = drifted
    result = run(repo, "check", "shop")
    assert result.code == 0
    assert result.err == (
        "docsync: warning: shop: holds no doc docsync checks (see `docs` and `exclude` in the configuration)\n"
    )
    assert run(repo, "check", "shop", "-q").err == ""


def test_accept_of_a_doc_that_does_not_exist_is_exit_2(drifted: tuple[Repo, str]) -> None:
    repo, _ = drifted
    result = run(repo, "accept", "docs/nosuch.md")
    assert (result.code, result.err) == (2, "docsync: error: docs/nosuch.md: no such file in the work tree "
                                            "(check the DOC arguments)\n")  # fmt: skip
    assert not (repo.path / ".docsync.lock").exists()


# --- 8. --help: examples that work, and the exit codes -----------------------------------------------

COMMANDS = ["check", "map", "accept", "coverage", "ci", "report", "fix"]


def _examples(command: str) -> list[list[str]]:
    code, out, _ = call(command, "--help")
    assert code == 0
    return [line.split()[1:] for line in out.splitlines() if line.startswith("  docsync ")]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_examples_and_exit_codes(command: str) -> None:
    code, out, _ = call(command, "--help")
    assert code == 0
    assert "\nexamples:\n" in out
    assert "\nexit codes:\n" in out
    assert re.search(r"^  0 ", out, re.MULTILINE)
    assert re.search(r"^  2 ", out, re.MULTILINE)
    examples = _examples(command)
    assert len(examples) >= 2
    assert all(command in example for example in examples)


@pytest.mark.parametrize("command", COMMANDS)
def test_the_examples_in_help_run(
    drifted: tuple[Repo, str], command: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Every example of every command's --help runs in a real repository: exit 0 or 1, never a usage error."""
    repo, _ = drifted
    repo.commit({"README.md": "# Shop\n\nSee `shop.cart.add_item`.\n"}, "readme")
    monkeypatch.chdir(repo.path)
    examples = _examples(command)
    assert examples, f"{command} --help shows no example"
    for example in examples:
        code, _, err = call(*example)
        assert code in (0, 1), (example, err)
        assert "error" not in err, (example, err)
