"""Tests for config.py: finding and validating `[tool.docsync]` / `.docsync.yml` (path globs: test_globs.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from docsync.config import load_config, parse_settings
from docsync.errors import ConfigError, UsageError
from docsync.models import Kind, Severity
from docsync.settings import (
    DEFAULT_DOCS,
    DEFAULT_EXCLUDE,
    DEFAULT_SEVERITY,
    Config,
    parse_fail_under,
    parse_kinds,
    with_kinds,
)


def write(root: Path, files: Mapping[str, str | bytes]) -> Path:
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def config_error(root: Path, explicit: Path | None = None) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(root, explicit)
    return caught.value


# -- zero configuration -------------------------------------------------------------------------------


def test_zero_config_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config == Config()
    assert config.docs == DEFAULT_DOCS
    assert config.exclude == ()
    assert config.all_excludes == DEFAULT_EXCLUDE
    assert config.code_roots is None
    assert dict(config.severity) == dict(DEFAULT_SEVERITY)
    assert config.severity[Kind.BODY] is Severity.WARNING
    assert config.severity[Kind.DOCSTRING] is Severity.INFO
    assert config.ignore_symbols == ()
    assert config.ignore_docs == ()
    assert config.fail_under is None
    assert config.fail_on is Severity.ERROR
    assert config.updated_means == "section"
    assert config.cache_dir is None
    assert config.source == "defaults"


def test_pyproject_without_a_docsync_section_gives_defaults(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[project]\nname = "shop"\n'})
    config = load_config(tmp_path)
    assert config.source == "pyproject.toml"
    assert config.docs == DEFAULT_DOCS
    assert config.code_roots is None
    assert config.fail_under is None


def test_default_severity_is_a_fresh_copy_per_config() -> None:
    first, second = Config(), Config()
    assert first.severity == second.severity
    assert first.severity is not second.severity


# -- where settings come from -------------------------------------------------------------------------


def test_tool_docsync_in_pyproject(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": (
                "[tool.docsync]\n"
                'docs = ["docs/**/*.md"]\n'
                'fail-under = "92.5"\n'
                "[tool.docsync.severity]\n"
                'body = "error"\n'
            )
        },
    )
    config = load_config(tmp_path)
    assert config.docs == ("docs/**/*.md",)
    assert config.fail_under == "92.5"
    assert config.severity[Kind.BODY] is Severity.ERROR
    assert config.source == "[tool.docsync] in pyproject.toml"


def test_docsync_yml(tmp_path: Path) -> None:
    write(tmp_path, {".docsync.yml": "docs:\n  - guide/**\nfail-under: 80\nfail-on: warning\n"})
    config = load_config(tmp_path)
    assert config.docs == ("guide/**",)
    assert config.fail_under == "80"
    assert config.fail_on is Severity.WARNING
    assert config.source == ".docsync.yml"


def test_docsync_yaml_spelling_is_found_too(tmp_path: Path) -> None:
    write(tmp_path, {".docsync.yaml": "ignore-docs: [docs/old/**]\n"})
    config = load_config(tmp_path)
    assert config.ignore_docs == ("docs/old/**",)
    assert config.source == ".docsync.yaml"


def test_yaml_file_wins_over_pyproject(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": "[tool.docsync]\nfail-under = 50\nunknown-key = 1\n",
            ".docsync.yml": "fail-under: 75\n",
        },
    )
    config = load_config(tmp_path)
    assert config.fail_under == "75"
    assert config.source == ".docsync.yml"


def test_explicit_config_wins_over_both(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": "[tool.docsync]\nfail-under = 50\n",
            ".docsync.yml": "fail-under: 75\n",
            "ci/docsync.yml": "fail-under: 99\n",
        },
    )
    config = load_config(tmp_path, tmp_path / "ci" / "docsync.yml")
    assert config.fail_under == "99"
    assert config.source == str(tmp_path / "ci" / "docsync.yml")


def test_explicit_relative_path_is_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"elsewhere/settings.yml": "updated-means: file\n"})
    monkeypatch.chdir(tmp_path / "elsewhere")
    config = load_config(tmp_path / "repo", Path("settings.yml"))
    assert config.updated_means == "file"


def test_explicit_toml_file_reads_its_tool_docsync_section(tmp_path: Path) -> None:
    write(tmp_path, {"conf/docsync.toml": '[tool.docsync]\nexclude = ["vendor/**"]\n'})
    config = load_config(tmp_path, tmp_path / "conf" / "docsync.toml")
    assert config.exclude == ("vendor/**",)
    assert config.all_excludes[-1] == "vendor/**"


def test_explicit_config_that_does_not_exist(tmp_path: Path) -> None:
    write(tmp_path, {".docsync.yml": "fail-under: 75\n"})
    error = config_error(tmp_path, Path("missing/docsync.yml"))
    assert str(error) == "config file not found: missing/docsync.yml (check the path given to --config)"


def test_explicit_config_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "folder.yml").mkdir()
    error = config_error(tmp_path, tmp_path / "folder.yml")
    assert "config file not found" in str(error)


# -- files that do not parse --------------------------------------------------------------------------


def test_toml_that_does_not_parse(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n[tool.docsync\n"})
    error = config_error(tmp_path)
    assert error.message.startswith("pyproject.toml does not parse: ")
    assert "line 3" in error.message
    assert error.hint == "fix the TOML syntax"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param("docs: [a, b\nfail-under: 80\n", 2, id="unclosed-flow-list"),
        pytest.param("docs: x\n  bad: indent\n", 2, id="mapping-in-scalar"),
        pytest.param("fail-under: 80\nfail-on: 'error\n", 3, id="unclosed-quote"),
        pytest.param("\tdocs: x\n", 1, id="tab"),
    ],
)
def test_yaml_that_does_not_parse_names_the_line(tmp_path: Path, text: str, line: int) -> None:
    write(tmp_path, {".docsync.yml": text})
    error = config_error(tmp_path)
    assert error.message.startswith(f".docsync.yml does not parse (line {line}): ")
    assert error.hint == "fix the YAML syntax"


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_yaml_file_gives_defaults(tmp_path: Path, text: str) -> None:
    write(tmp_path, {".docsync.yml": text})
    config = load_config(tmp_path)
    assert config.docs == DEFAULT_DOCS
    assert config.fail_under is None
    assert config.source == ".docsync.yml"


def test_yaml_file_that_is_not_utf8(tmp_path: Path) -> None:
    write(tmp_path, {".docsync.yml": b"docs: [\xff\xfe]\n"})
    error = config_error(tmp_path)
    assert error.message.startswith("cannot read .docsync.yml: ")
    assert error.hint == "make it a readable UTF-8 file"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        pytest.param(
            {".docsync.yml": "- docs\n- exclude\n"},
            ".docsync.yml must be a table of settings",
            id="yaml-list",
        ),
        pytest.param(
            {".docsync.yml": "just a string\n"},
            ".docsync.yml must be a table of settings",
            id="yaml-scalar",
        ),
        pytest.param(
            {"pyproject.toml": "[tool]\ndocsync = 5\n"},
            "[tool.docsync] in pyproject.toml must be a table of settings",
            id="toml-scalar",
        ),
    ],
)
def test_settings_that_are_not_a_table(tmp_path: Path, files: dict[str, str], message: str) -> None:
    write(tmp_path, files)
    error = config_error(tmp_path)
    assert error.message == message
    assert error.hint


def test_pyproject_whose_tool_is_not_a_table_is_not_a_crash(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": 'tool = "nothing"\n'})
    config = load_config(tmp_path)
    assert config.docs == DEFAULT_DOCS
    assert config.code_roots is None


# -- every key: good values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "field", "expected"),
    [
        ({"docs": ["docs/**", "README.md"]}, "docs", ("docs/**", "README.md")),
        ({"docs": "guide/**"}, "docs", ("guide/**",)),
        ({"docs": []}, "docs", DEFAULT_DOCS),
        ({"exclude": ["docs/old/**"]}, "exclude", ("docs/old/**",)),
        ({"exclude": "vendor/**"}, "exclude", ("vendor/**",)),
        ({"code-roots": ["src/"]}, "code_roots", ("src",)),
        ({"code-roots": ["lib", "/plugins/"]}, "code_roots", ("lib", "plugins")),
        ({"code-roots": "src"}, "code_roots", ("src",)),
        ({"code-roots": []}, "code_roots", ()),
        ({"ignore-symbols": ["shop._impl.helper"]}, "ignore_symbols", ("shop._impl.helper",)),
        ({"ignore-docs": ["docs/legacy/**"]}, "ignore_docs", ("docs/legacy/**",)),
        ({"fail-under": 80}, "fail_under", "80"),
        ({"fail-under": 92.5}, "fail_under", "92.5"),
        ({"fail-under": "92.50"}, "fail_under", "92.50"),
        ({"fail-under": " 70 "}, "fail_under", "70"),
        ({"fail-under": 0}, "fail_under", "0"),
        ({"fail-under": 100}, "fail_under", "100"),
        ({"fail-under": "100.0"}, "fail_under", "100.0"),
        ({"fail-on": "error"}, "fail_on", Severity.ERROR),
        ({"fail-on": "warning"}, "fail_on", Severity.WARNING),
        ({"fail-on": "info"}, "fail_on", Severity.INFO),
        ({"updated-means": "section"}, "updated_means", "section"),
        ({"updated-means": "file"}, "updated_means", "file"),
        ({}, "behaviour_changes", "coupled"),
        ({"behaviour-changes": "all"}, "behaviour_changes", "all"),
        ({"cache-dir": ".cache/docsync"}, "cache_dir", ".cache/docsync"),
        ({}, "cache_dir", None),
        ({"cache-max-mb": 64}, "cache_max_mb", 64),
        ({"cache-max-mb": 1}, "cache_max_mb", 1),
        ({}, "cache_max_mb", None),
    ],
)
def test_good_values(settings: dict[str, Any], field: str, expected: object) -> None:
    config = parse_settings(settings, "[tool.docsync] in pyproject.toml", None)
    assert getattr(config, field) == expected


def test_code_roots_given_override_the_detected_ones() -> None:
    assert parse_settings({"code-roots": ["lib"]}, "x", ("src",)).code_roots == ("lib",)
    assert parse_settings({}, "x", ("src",)).code_roots == ("src",)


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ({}, {}),
        ({"body": "error"}, {Kind.BODY: Severity.ERROR}),
        ({"docstring": "off"}, {Kind.DOCSTRING: None}),
        (
            {"removed": "warning", "renamed": "info"},
            {Kind.REMOVED: Severity.WARNING, Kind.RENAMED: Severity.INFO},
        ),
        (
            {"signature": "off", "example": "off", "body": "off"},
            {Kind.SIGNATURE: None, Kind.EXAMPLE: None, Kind.BODY: None},
        ),
    ],
)
def test_severity_table(table: dict[str, str], expected: dict[Kind, Severity | None]) -> None:
    severity = parse_settings({"severity": table}, "x", None).severity
    assert dict(severity) == {**DEFAULT_SEVERITY, **expected}


def test_severity_off_written_bare_in_yaml(tmp_path: Path) -> None:
    # YAML 1.1 reads a bare `off` as false; the user meant "off".
    write(tmp_path, {".docsync.yml": "severity:\n  body: off\n  docstring: 'off'\n"})
    severity = load_config(tmp_path).severity
    assert severity[Kind.BODY] is None
    assert severity[Kind.DOCSTRING] is None
    assert severity[Kind.REMOVED] is Severity.ERROR


# -- every key: bad values ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("docs", 5),
        ("docs", [1]),
        ("docs", [""]),
        ("docs", ["docs/**", None]),
        ("docs", {"a": "b"}),
        ("exclude", 3),
        ("exclude", [["nested"]]),
        ("code-roots", [1]),
        ("code-roots", True),
        ("ignore-symbols", True),
        ("ignore-symbols", ["ok", 2]),
        ("ignore-docs", [[]]),
        ("ignore-docs", 1.5),
        ("fail-under", 101),
        ("fail-under", -1),
        ("fail-under", "100.01"),
        ("fail-under", "abc"),
        ("fail-under", ""),
        ("fail-under", "80%"),
        ("fail-under", True),
        ("fail-under", False),
        ("fail-under", None),
        ("fail-under", "nan"),
        ("fail-under", "inf"),
        ("fail-under", float("inf")),
        ("fail-under", [80]),
        ("fail-under", {"min": 80}),
        ("fail-on", "fatal"),
        ("fail-on", "Error"),
        ("fail-on", 1),
        ("fail-on", None),
        ("fail-on", ["error"]),
        ("updated-means", "commit"),
        ("updated-means", True),
        ("behaviour-changes", "every"),
        ("behaviour-changes", True),
        ("cache-dir", 5),
        ("cache-dir", ["a"]),
        ("cache-dir", True),
        ("cache-max-mb", 0),
        ("cache-max-mb", -1),
        ("cache-max-mb", 1.5),
        ("cache-max-mb", True),
        ("cache-max-mb", "lots"),
        ("cache-max-mb", None),
        ("severity", "error"),
        ("severity", ["body"]),
        ("severity", {"body": "fatal"}),
        ("severity", {"body": 1}),
        ("severity", {"body": None}),
        ("severity", {"body": True}),
        ("severity", {"bogus": "error"}),
        ("severity", {"Body": "error"}),
    ],
)
def test_bad_values_name_the_key(key: str, value: object) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings({key: value}, "[tool.docsync] in pyproject.toml", None)
    error = caught.value
    assert key in str(error)
    assert "[tool.docsync] in pyproject.toml" in str(error)
    assert error.hint, "every configuration error names the fix"
    assert "\n" not in str(error)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            {"fail-under": 101},
            "fail-under in W must be a number from 0 to 100, got 101 (for example 80 or 92.5)",
        ),
        (
            {"fail-under": True},
            "fail-under in W must be a number from 0 to 100, got True (for example 80 or 92.5)",
        ),
        (
            {"docs": 5},
            'docs in W must be a list of strings, got 5 (for example docs = ["x"])',
        ),
        (
            {"fail-on": "fatal"},
            "fail-on in W must be one of error, warning, info, got 'fatal' (pick one of those)",
        ),
        (
            {"cache-dir": 5},
            'cache-dir in W must be a string, got 5 (for example cache-dir = "path")',
        ),
        (
            {"cache-max-mb": 0},
            "cache-max-mb in W must be a whole number of megabytes, 1 or more, got 0 (for example cache-max-mb = 256)",
        ),
        (
            {"severity": {"body": "fatal"}},
            "severity.body in W must be one of error, warning, info, off, got 'fatal' (pick one of those)",
        ),
        (
            {"severity": {"bogus": "error"}},
            "unknown drift kind 'bogus' in severity of W "
            "(kinds: removed, renamed, signature, example, body, docstring, deprecated)",
        ),
        (
            {"severity": "error"},
            'severity in W must be a table of kind = level (for example body = "error")',
        ),
    ],
)
def test_error_messages(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings(settings, "W", None)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("key", "suggestion"),
    [
        ("fail_under", "fail-under"),
        ("fail-unde", "fail-under"),
        ("code_roots", "code-roots"),
        ("doc", "docs"),
        ("excludes", "exclude"),
        ("ignore_symbol", "ignore-symbols"),
        ("cache_dir", "cache-dir"),
        ("severities", "severity"),
    ],
)
def test_unknown_key_suggests_the_closest(key: str, suggestion: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings({key: 1}, "[tool.docsync] in pyproject.toml", None)
    assert caught.value.message == f"unknown key {key!r} in [tool.docsync] in pyproject.toml"
    assert caught.value.hint == f"did you mean {suggestion!r}?"


def test_unknown_key_without_a_close_match_lists_the_known_keys() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings({"colour": "blue"}, "W", None)
    assert caught.value.message == "unknown key 'colour' in W"
    assert caught.value.hint == (
        "known keys: behaviour-changes, cache-dir, cache-max-mb, code-roots, coverage-fail-under, current-docs, docs, exclude, "
        "fail-on, fail-under, history-docs, ignore, ignore-docs, ignore-symbols, select, severity, unresolved, updated-means"
    )


def test_unknown_key_in_pyproject_through_load_config(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.docsync]\nfail_under = 80\n"})
    error = config_error(tmp_path)
    assert str(error) == ("unknown key 'fail_under' in [tool.docsync] in pyproject.toml (did you mean 'fail-under'?)")


def test_unknown_key_in_yaml_through_load_config(tmp_path: Path) -> None:
    write(tmp_path, {".docsync.yml": "docs: [a]\nfail_under: 80\n"})
    error = config_error(tmp_path)
    assert str(error) == "unknown key 'fail_under' in .docsync.yml (did you mean 'fail-under'?)"


# -- fail-under on the command line -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("80", "80"),
        ("80.50", "80.50"),
        ("0", "0"),
        ("100", "100"),
        (75, "75"),
        (99.9, "99.9"),
    ],
)
def test_parse_fail_under_keeps_the_text(value: object, expected: str) -> None:
    assert parse_fail_under(value, "--fail-under") == expected


@pytest.mark.parametrize(
    "value",
    ["-0.5", "100.5", "1e3", "1e1", "1e-30", "80.1234567", "x", "", "NaN", "-inf", "Infinity", True, None],
)
def test_parse_fail_under_rejects(value: object) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_fail_under(value, "--fail-under")
    assert str(caught.value).startswith("--fail-under must be a number from 0 to 100, got ")


# -- code roots packaging tools declare ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("pyproject", "roots"),
    [
        pytest.param('[tool.setuptools]\npackage-dir = {"" = "src"}\n', ("src",), id="setuptools-package-dir"),
        pytest.param('[tool.setuptools]\npackage-dir = {"" = "lib/"}\n', ("lib",), id="package-dir-slash"),
        pytest.param('[tool.setuptools]\npackage-dir = {"shop" = "src/shop"}\n', None, id="package-dir-per-package"),
        pytest.param('[tool.setuptools.packages.find]\nwhere = ["src"]\n', ("src",), id="find-where"),
        pytest.param('[tool.setuptools.packages.find]\nwhere = ["./src"]\n', ("src",), id="find-where-dot"),
        pytest.param('[tool.setuptools.packages.find]\nwhere = ["."]\n', ("",), id="find-where-root"),
        pytest.param(
            '[tool.setuptools.packages.find]\nwhere = ["lib", "plugins"]\n', ("lib", "plugins"), id="find-two"
        ),
        pytest.param('[tool.setuptools.packages.find]\ninclude = ["shop*"]\n', None, id="find-no-where"),
        pytest.param("[tool.setuptools.packages.find]\nwhere = []\n", None, id="find-where-empty"),
        pytest.param('[tool.hatch.build.targets.wheel]\npackages = ["src/shop"]\n', ("src",), id="hatch-src"),
        pytest.param(
            '[tool.hatch.build.targets.wheel]\npackages = ["src/shop", "lib/extra", "src/other"]\n',
            ("lib", "src"),
            id="hatch-several",
        ),
        pytest.param('[tool.hatch.build.targets.wheel]\npackages = ["shop"]\n', ("",), id="hatch-flat"),
        pytest.param('[tool.poetry]\npackages = [{include = "shop", from = "src"}]\n', ("src",), id="poetry-from"),
        pytest.param('[tool.poetry]\npackages = [{include = "shop"}]\n', ("",), id="poetry-flat"),
        pytest.param('[project]\nname = "shop"\n', None, id="nothing-declared"),
        pytest.param('[tool.setuptools]\npackages = ["shop"]\n', None, id="setuptools-package-list"),
        pytest.param('tool = "x"\n', None, id="tool-not-a-table"),
        pytest.param("[tool]\nsetuptools = 3\n", None, id="setuptools-not-a-table"),
    ],
)
def test_code_roots_detected_from_pyproject(tmp_path: Path, pyproject: str, roots: tuple[str, ...] | None) -> None:
    write(tmp_path, {"pyproject.toml": pyproject})
    assert load_config(tmp_path).code_roots == roots


def test_code_roots_detected_alongside_a_docsync_section(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.setuptools]\npackage-dir = {"" = "src"}\n[tool.docsync]\n'})
    assert load_config(tmp_path).code_roots == ("src",)


def test_code_roots_from_pyproject_when_settings_are_in_yaml(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.setuptools]\npackage-dir = {"" = "lib"}\n',
            ".docsync.yml": "fail-under: 80\n",
        },
    )
    config = load_config(tmp_path)
    assert config.code_roots == ("lib",)
    assert config.fail_under == "80"


def test_code_roots_in_yaml_override_pyproject(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.setuptools]\npackage-dir = {"" = "lib"}\n',
            ".docsync.yml": "code-roots: [src]\n",
        },
    )
    assert load_config(tmp_path).code_roots == ("src",)


def test_broken_pyproject_next_to_yaml_settings_is_only_a_missing_hint(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.setuptools\n", ".docsync.yml": "fail-under: 80\n"})
    config = load_config(tmp_path)
    assert config.code_roots is None
    assert config.fail_under == "80"


def test_the_digest_follows_what_a_check_finds_not_where_the_cache_is() -> None:
    base = Config()
    assert base.digest() == Config().digest()
    assert base.digest() == replace(base, cache_dir="/elsewhere", source="pyproject.toml").digest()
    assert base.digest() != replace(base, ignore_symbols=("pkg.old",)).digest()
    assert base.digest() != replace(base, severity={**base.severity, Kind.BODY: None}).digest()
    assert base.digest() != replace(base, updated_means="file").digest()


# -- select / ignore (issue 16): kinds turned off, in the settings and on the command line ------------------


def _on(config: Config) -> list[str]:
    return [kind.value for kind, level in config.severity.items() if level is not None]


@pytest.mark.parametrize(
    ("settings", "on"),
    [
        ({}, ["removed", "renamed", "signature", "example", "body", "docstring", "deprecated"]),
        ({"select": ["removed", "renamed"]}, ["removed", "renamed"]),
        ({"select": "removed,renamed"}, ["removed", "renamed"]),
        ({"ignore": ["body", "docstring"]}, ["removed", "renamed", "signature", "example", "deprecated"]),
        ({"ignore": "body"}, ["removed", "renamed", "signature", "example", "docstring", "deprecated"]),
        ({"select": ["removed", "body"], "ignore": ["body"]}, ["removed"]),
        ({"select": ["body"], "severity": {"body": "off"}}, ["body"]),
        ({"ignore": [], "severity": {"docstring": "off"}}, ["removed", "renamed", "signature", "example", "body",
                                                            "deprecated"]),
        ({"select": []}, []),
    ],
)  # fmt: skip
def test_select_and_ignore_settings(settings: dict[str, Any], on: list[str]) -> None:
    config = parse_settings(settings, "[tool.docsync]", None)
    assert _on(config) == on
    assert config.levels == parse_settings({"severity": settings.get("severity", {})}, "x", None).severity


def test_a_kind_selected_comes_back_at_its_configured_level() -> None:
    config = parse_settings({"severity": {"body": "error"}, "ignore": ["body"]}, "[tool.docsync]", None)
    assert config.severity[Kind.BODY] is None
    assert with_kinds(config, [Kind.BODY], ()).severity[Kind.BODY] is Severity.ERROR
    assert with_kinds(Config(), [Kind.BODY], ()).severity[Kind.BODY] is DEFAULT_SEVERITY[Kind.BODY]


@pytest.mark.parametrize(
    ("select", "ignore", "on"),
    [
        (None, (), ["removed", "renamed", "example"]),
        ([Kind.SIGNATURE], (), ["signature"]),
        (None, [Kind.REMOVED], ["renamed", "example"]),
        ([Kind.REMOVED, Kind.BODY], [Kind.BODY], ["removed"]),
    ],
)
def test_the_command_line_applies_over_the_settings(
    select: list[Kind] | None, ignore: list[Kind], on: list[str]
) -> None:
    config = parse_settings({"select": ["removed", "renamed", "example"]}, "[tool.docsync]", None)
    assert _on(with_kinds(config, select, ignore)) == on


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["removed", "bodies"], "unknown kind 'bodies' in select in [tool.docsync] (kinds: removed, renamed, "),
        (3, "select in [tool.docsync] must be a list of kinds, got 3"),
        ([3], "select in [tool.docsync] must name kinds, got 3"),
        ("removed,", "unknown kind '' in select in [tool.docsync]"),
    ],
)
def test_bad_select_is_a_config_error(value: object, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings({"select": value}, "[tool.docsync]", None)
    assert str(caught.value).startswith(message)


def test_parse_kinds_raises_the_error_it_is_given() -> None:
    assert parse_kinds(["removed,renamed", "removed"], "--select", UsageError) == (Kind.REMOVED, Kind.RENAMED)
    with pytest.raises(UsageError, match="unknown kind 'x' in --ignore"):
        parse_kinds(["x"], "--ignore", UsageError)


def test_the_digest_changes_with_select_and_ignore() -> None:
    """Results cached across runs (the trend) are keyed by the digest: a kind turned off must not reuse them."""
    base = parse_settings({}, "[tool.docsync]", None)
    ignored = parse_settings({"ignore": ["body"]}, "[tool.docsync]", None)
    selected = parse_settings({"select": ["removed"]}, "[tool.docsync]", None)
    assert len({base.digest(), ignored.digest(), selected.digest()}) == 3
    assert with_kinds(base, None, [Kind.BODY]).digest() == ignored.digest()
    assert with_kinds(base, [Kind.REMOVED], ()).digest() == selected.digest()
    assert with_kinds(base, None, ()).digest() == base.digest()
