"""Find and read `[tool.docsync]` / `.docsync.yml` (or a pyproject.toml of any revision) → a validated Config."""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from docsync.errors import ConfigError
from docsync.globs import validate_globs
from docsync.models import Kind, Severity
from docsync.settings import (
    BEHAVIOUR_CHANGES,
    DEFAULT_DOCS,
    DEFAULT_SEVERITY,
    UPDATED_MEANS,
    Config,
    parse_cache_max_mb,
    parse_fail_under,
    parse_kinds,
    with_kinds,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

YAML_NAMES = (".docsync.yml", ".docsync.yaml")

_KEYS = {
    "docs", "exclude", "code-roots", "severity", "ignore-symbols", "ignore-docs", "fail-under",
    "fail-on", "updated-means", "cache-dir", "cache-max-mb", "coverage-fail-under", "unresolved", "history-docs",
    "current-docs", "behaviour-changes", "select", "ignore",
}  # fmt: skip


def load_config(root: Path, explicit: Path | None = None) -> Config:
    """The configuration of the repository at `root`: `--config`, else `.docsync.yml`, else pyproject."""
    if explicit is not None:
        path = explicit if explicit.is_absolute() else Path.cwd() / explicit
        if not path.is_file():
            raise ConfigError(f"config file not found: {explicit}", "check the path given to --config")
        return _from_file(path, root)
    for name in YAML_NAMES:
        if (root / name).is_file():
            return _inside(_from_file(root / name, root), root)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        return _inside(_from_file(pyproject, root), root)
    return Config(code_roots=None)


def _inside(config: Config, root: Path) -> Config:
    """Settings read from the repository may not send writes out of it (issue 13): a clone of someone else's
    repository must not be able to make docsync write a cache in your home. `--config` and DOCSYNC_CACHE_DIR
    come from whoever runs docsync, and may point anywhere."""
    if config.cache_dir is not None and not Path(os.path.realpath(root / config.cache_dir)).is_relative_to(root):
        raise ConfigError(
            f"cache-dir in {config.source} points outside the repository ({config.cache_dir})",
            "use a folder inside the repository; DOCSYNC_CACHE_DIR or --config may point anywhere",
        )
    return config


def _from_file(path: Path, root: Path) -> Config:
    shown = path.name if path.parent == root else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read {shown}: {error}", "make it a readable UTF-8 file") from None
    if path.suffix == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{shown} does not parse: {error}", "fix the TOML syntax") from None
        section = _dig(data, "tool", "docsync")
        auto_roots = _roots_from_pyproject(data)
        if section is None:
            return Config(code_roots=auto_roots, source=shown)
        return parse_settings(section, f"[tool.docsync] in {shown}", auto_roots)
    import yaml  # only YAML settings need it: the pre-commit path of most projects never does

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise ConfigError(f"{shown} does not parse{where}: {problem}", "fix the YAML syntax") from None
    if data is None:
        data = {}
    return parse_settings(data, shown, _pyproject_roots(root / "pyproject.toml"))


def roots_from_pyproject_text(text: str) -> tuple[str, ...] | None:
    """The code roots a pyproject.toml (of any revision) declares; None if none, or if it does not parse."""
    try:
        return _roots_from_pyproject(tomllib.loads(text))
    except tomllib.TOMLDecodeError:
        return None


def _pyproject_roots(pyproject: Path) -> tuple[str, ...] | None:
    """The code roots pyproject.toml declares, when the settings come from another file."""
    try:
        return _roots_from_pyproject(tomllib.loads(pyproject.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None  # only a hint here: the settings file in use is what must be valid


def parse_settings(data: Any, where: str, auto_roots: tuple[str, ...] | None) -> Config:
    """Validate raw settings; every problem is a ConfigError naming the key."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where} must be a table of settings", "see the README's configuration section")
    for key in data:
        if key not in _KEYS:
            close = difflib.get_close_matches(str(key).replace("_", "-"), sorted(_KEYS), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(sorted(_KEYS))}"
            raise ConfigError(f"unknown key {key!r} in {where}", hint)
    roots = _string_list(data, "code-roots", where)
    levels = _severity(data.get("severity", {}), where)
    config = Config(
        docs=_glob_list(data, "docs", where) or DEFAULT_DOCS,
        exclude=_glob_list(data, "exclude", where) or (),
        code_roots=tuple(r.strip("/") for r in roots) if roots is not None else auto_roots,
        explicit_code_roots=roots is not None,
        severity=levels,
        levels=dict(levels),
        ignore_symbols=_string_list(data, "ignore-symbols", where) or (),
        ignore_docs=_glob_list(data, "ignore-docs", where) or (),
        history_docs=_glob_list(data, "history-docs", where) or (),
        current_docs=_glob_list(data, "current-docs", where) or (),
        fail_under=_threshold(data, "fail-under", where),
        coverage_fail_under=_threshold(data, "coverage-fail-under", where),
        fail_on=_choice(data, "fail-on", where, [s.value for s in Severity], Severity.ERROR.value, Severity),
        unresolved=_level(data, "unresolved", where),
        updated_means=_choice(data, "updated-means", where, list(UPDATED_MEANS), "section", str),
        behaviour_changes=_choice(data, "behaviour-changes", where, list(BEHAVIOUR_CHANGES), "coupled", str),
        cache_dir=_string(data, "cache-dir", where),
        cache_max_mb=_cache_max_mb(data, where),
        source=where,
    )
    if "select" not in data and "ignore" not in data:
        return config
    return with_kinds(config, _kinds(data, "select", where), _kinds(data, "ignore", where) or ())


def _kinds(data: Mapping[str, Any], key: str, where: str) -> tuple[Kind, ...] | None:
    """`select`/`ignore`: kinds as a list, or one string (`"removed,renamed"` as on the command line)."""
    if key not in data:
        return None
    value = data[key]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ConfigError(f"{key} in {where} must be a list of kinds, got {value!r}", f'for example {key} = ["body"]')
    return parse_kinds(value, f"{key} in {where}")


def _level(data: Mapping[str, Any], key: str, where: str) -> Severity | None:
    """A severity or `off` (YAML reads a bare `off` as false)."""
    value = data.get(key, "off")
    value = "off" if value is False else value
    levels = [s.value for s in Severity] + ["off"]
    if value not in levels:
        raise ConfigError(f"{key} in {where} must be one of {', '.join(levels)}, got {value!r}", "pick one of those")
    return None if value == "off" else Severity(value)


def _threshold(data: Mapping[str, Any], key: str, where: str) -> str | None:
    return parse_fail_under(data[key], f"{key} in {where}") if key in data else None


def _cache_max_mb(data: Mapping[str, Any], where: str) -> int | None:
    key = "cache-max-mb"
    return parse_cache_max_mb(data[key], f"{key} in {where}") if key in data else None


def _string_list(data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...] | None:
    if key not in data:
        return None
    value = data[key]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ConfigError(f"{key} in {where} must be a list of strings, got {value!r}", f'for example {key} = ["x"]')
    return tuple(value)


def _glob_list(data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...] | None:
    """Path globs: a malformed one is an error naming the setting now, not a surprise when matching starts."""
    patterns = _string_list(data, key, where)
    if patterns is not None:
        validate_globs(patterns, f"the {key} setting ({where})")
    return patterns


def _string(data: Mapping[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{key} in {where} must be a string, got {value!r}", f'for example {key} = "path"')
    return value


def _choice(data: Mapping[str, Any], key: str, where: str, allowed: Sequence[str], default: str, kind: Any) -> Any:
    value = data.get(key, default)
    if value not in allowed:
        raise ConfigError(f"{key} in {where} must be one of {', '.join(allowed)}, got {value!r}", "pick one of those")
    return kind(value)


def _severity(raw: Any, where: str) -> dict[Kind, Severity | None]:
    if not isinstance(raw, dict):
        raise ConfigError(f"severity in {where} must be a table of kind = level", 'for example body = "error"')
    severity: dict[Kind, Severity | None] = dict(DEFAULT_SEVERITY)
    kinds = {k.value: k for k in Kind}
    levels = [s.value for s in Severity] + ["off"]
    for name, raw_level in raw.items():
        level = "off" if raw_level is False else raw_level  # YAML reads a bare `off` as false
        if name not in kinds:
            raise ConfigError(f"unknown drift kind {name!r} in severity of {where}", f"kinds: {', '.join(kinds)}")
        if level not in levels:
            raise ConfigError(
                f"severity.{name} in {where} must be one of {', '.join(levels)}, got {level!r}",
                "pick one of those",
            )
        severity[kinds[name]] = None if level == "off" else Severity(level)
    return severity


def _roots_from_pyproject(data: Mapping[str, Any]) -> tuple[str, ...] | None:
    """Code roots that packaging tools already declare (setuptools, hatch, poetry), if any."""
    tool = data.get("tool", {}) if isinstance(data.get("tool"), dict) else {}
    setuptools = tool.get("setuptools", {}) if isinstance(tool.get("setuptools"), dict) else {}
    package_dir = setuptools.get("package-dir")
    if isinstance(package_dir, dict) and isinstance(package_dir.get(""), str):
        return (package_dir[""].strip("/"),)
    packages = setuptools.get("packages")
    find = packages.get("find") if isinstance(packages, dict) else None
    if isinstance(find, dict) and isinstance(find.get("where"), list):
        return tuple(str(w).strip("./") for w in find["where"]) or None
    hatch_packages = _dig(tool, "hatch", "build", "targets", "wheel", "packages")
    if isinstance(hatch_packages, list) and hatch_packages:
        return tuple(sorted({str(Path(str(p)).parent).strip(".") for p in hatch_packages}))
    poetry_packages = _dig(tool, "poetry", "packages")
    if isinstance(poetry_packages, list) and poetry_packages:
        return tuple(sorted({str(p.get("from", "")).strip("/") for p in poetry_packages if isinstance(p, dict)}))
    return None


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
