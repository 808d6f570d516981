"""Reading the settings keys docs show: tables in toml/ini blocks, the project's YAML file, `.. confval::`."""

from __future__ import annotations

import textwrap

from docsync.commandline.settings_claims import CONFVAL, SettingClaim, read_settings_claims


def _keys(text: str, doc_format: str = "markdown", yaml_files: tuple[str, ...] = ()) -> list[tuple[int, int, str, str]]:
    claims = read_settings_claims("docs/config.md", textwrap.dedent(text), doc_format, yaml_files)
    return [(claim.line, claim.column, claim.section, claim.key) for claim in claims]


def test_toml_tables_give_each_top_level_key_with_its_position() -> None:
    doc = """\
        # Configuration

        ```toml
        [tool.mytool]
        line-length = 88
        "quoted-key" = true
        target-version = [
            "py311",
            "py312",
        ]
        extend-exclude = '''
        ^/docs
        '''
        nested.inner = 1
          indented = { a = 1, b = [2] }

        [tool.other]
        flag = 1
        ```
    """
    assert _keys(doc) == [
        (5, 1, "tool.mytool", "line-length"),
        (6, 1, "tool.mytool", "quoted-key"),
        (7, 1, "tool.mytool", "target-version"),
        (11, 1, "tool.mytool", "extend-exclude"),
        (14, 1, "tool.mytool", "nested"),
        (15, 3, "tool.mytool", "indented"),
        (18, 1, "tool.other", "flag"),
    ]


def test_keys_before_any_header_and_in_arrays_of_tables_belong_to_no_section() -> None:
    doc = """\
        ```toml
        orphan = 1
        [[tool.mytool.overrides]]
        module = "x"
        ```
    """
    assert _keys(doc) == []


def test_ini_sections_and_their_keys_continuations_skipped() -> None:
    doc = """\
        ```ini
        [tool:pytest]
        addopts = -ra
            --strict-markers
        testpaths: tests
        ; a comment
        ```
    """
    assert _keys(doc) == [(3, 1, "tool:pytest", "addopts"), (5, 1, "tool:pytest", "testpaths")]


def test_fences_indented_under_material_tabs_are_read() -> None:
    doc = """\
        === "pyproject.toml"

            ```toml
            [tool.mytool-mypy]
            init_typed = true
            ```
    """
    assert _keys(doc) == [(5, 5, "tool.mytool-mypy", "init_typed")]


def test_a_myst_code_block_directive_is_read_without_its_options() -> None:
    doc = """\
        ```{code-block} toml
        :caption: pyproject.toml

        [tool.mytool]
        strict = true
        ```
    """
    assert _keys(doc) == [(5, 1, "tool.mytool", "strict")]


def test_rst_code_blocks_and_confval_directives() -> None:
    doc = """\
        Settings
        ========

        .. code-block:: toml
           :caption: pyproject.toml

           [tool.mytool]
           line-length = 88

        .. confval:: cache_dir

           Where the cache lives.
    """
    assert _keys(doc, "rst") == [(8, 4, "tool.mytool", "line-length"), (10, 14, CONFVAL, "cache_dir")]


def test_yaml_blocks_are_read_only_for_the_projects_file_and_only_when_the_doc_names_it() -> None:
    doc = """\
        Put this in your `mytool.yml`:

        ```yaml
        site_name: My Docs
        nav:
          - index.md
        # comment: not a key
        ```
    """
    assert _keys(doc) == []  # no YAML settings file known
    assert _keys(doc, yaml_files=("mytool.yml",)) == [(4, 1, "mytool.yml", "site_name"), (5, 1, "mytool.yml", "nav")]
    assert _keys(doc.replace("`mytool.yml`", "config"), yaml_files=("mytool.yml",)) == []


def test_a_yaml_block_shown_for_another_file_is_not_the_projects() -> None:
    doc = """\
        Every `mytool.yml` may name a theme.

        A theme's own `mytool_theme.yml` says:

        ```yaml
        extends: base
        ```

        A GitHub workflow:

        ```yaml
        # .github/workflows/docs.yml
        name: docs
        ```

        ```yaml
        - a list
        ```
    """
    assert _keys(doc, yaml_files=("mytool.yml",)) == []


def test_claims_carry_the_doc_and_the_block_they_belong_to() -> None:
    claims = read_settings_claims("docs/a.md", "```toml\n[tool.x]\na = 1\n```\n", "markdown")
    assert claims == (SettingClaim("docs/a.md", 3, 1, "tool.x", "a", 2),)
