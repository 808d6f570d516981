"""Judging the settings keys docs show against the keys the project's loaders accept."""

from __future__ import annotations

import ast
import textwrap

from docsync.commandline.settings_claims import read_settings_claims
from docsync.commandline.settings_judge import judge_settings
from docsync.commandline.settings_keys import Settings, SettingsSection, read_settings

BLACKISH = SettingsSection("tool.mytool", frozenset({"line_length", "line-length", "skip-magic"}), False, "cli.py", 1)
OPEN = SettingsSection("pytest", frozenset({"addopts"}), True, "main.py", 1)
YAML = SettingsSection("mytool.yml", frozenset({"site_name", "nav"}), False, "defaults.py", 1, (("pages", "nav"),))


def _problems(doc: str, settings: Settings, doc_format: str = "markdown") -> list[tuple[int, str, str | None]]:
    yaml_files = [name for name in settings.sections if name.endswith(".yml")]
    claims = read_settings_claims("docs/c.md", textwrap.dedent(doc), doc_format, yaml_files)
    return [(p.claim.line, p.symbol, p.suggestion) for p in judge_settings(claims, settings)]


def test_a_key_the_loader_does_not_accept_is_reported_with_the_closest_key() -> None:
    doc = """\
        ```toml
        [tool.mytool]
        line-lenght = 88
        skip-magic = true
        colour = "auto"
        ```
    """
    settings = Settings({"tool.mytool": BLACKISH})
    assert _problems(doc, settings) == [
        (3, "[tool.mytool] line-lenght", "line-length"),
        (5, "[tool.mytool] colour", None),
    ]


def test_open_ended_unknown_and_placeholder_sections_are_never_judged() -> None:
    doc = """\
        ```ini
        [pytest]
        asyncio_mode = auto

        [flake8]
        max-line-length = 88
        ```

        ```toml
        [tool.mytool]
        <key> = "value"
        ```
    """
    assert _problems(doc, Settings({"pytest": OPEN, "tool.mytool": BLACKISH})) == []


def test_a_removed_yaml_key_is_reported_with_its_successor_even_alone() -> None:
    doc = """\
        In `mytool.yml`:

        ```yaml
        pages:
          - index.md
        ```
    """
    assert _problems(doc, Settings({"mytool.yml": YAML})) == [(4, "[mytool.yml] pages", "nav")]


def test_a_yaml_block_with_no_accepted_key_is_not_judged_one_with_an_accepted_key_is() -> None:
    doc = """\
        Configure `mytool.yml`:

        ```yaml
        my_plugin:
          option: 1
        ```

        ```yaml
        site_name: x
        site_nmae: y
        ```
    """
    assert _problems(doc, Settings({"mytool.yml": YAML})) == [(10, "[mytool.yml] site_nmae", "site_name")]


def test_confval_is_judged_against_all_declared_keys_only_when_they_are_complete() -> None:
    doc = """\
        .. confval:: addopts

        .. confval:: removed_option
    """
    complete = Settings({"pytest": OPEN})
    assert _problems(doc, complete, "rst") == [(3, "[pytest] removed_option", None)]
    incomplete = Settings({"pytest": SettingsSection("pytest", frozenset({"addopts"}), True, "m.py", 1, (), False)})
    assert _problems(doc, incomplete, "rst") == []


def test_read_from_code_to_judgement_end_to_end() -> None:
    source = """
        def load(data):
            config = data.get("tool", {}).get("mytool", {})
            return config.get("strict"), config.get("cache-dir")
    """
    settings = read_settings(
        {"mytool.load": ast.parse(textwrap.dedent(source))}, {"mytool.load": "mytool/load.py"}, ["mytool"]
    )
    doc = """\
        ```toml
        [tool.mytool]
        strict = true
        cache_dir = ".cache"
        ```
    """
    assert _problems(doc, settings) == [(4, "[tool.mytool] cache_dir", "cache-dir")]
