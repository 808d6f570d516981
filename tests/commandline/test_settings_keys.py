"""Reading which settings keys a project's code accepts, from its real syntax trees (never importing it)."""

from __future__ import annotations

import ast
import textwrap

from docsync.commandline.model import Command, CommandLine
from docsync.commandline.settings_keys import (
    Settings,
    imported_modules,
    mentions_settings,
    read_settings,
    settings_module_needed,
)


def _read(sources: dict[str, str], names: tuple[str, ...] = ("mytool",), **kwargs: object) -> Settings:
    modules = {name: ast.parse(textwrap.dedent(source)) for name, source in sources.items()}
    paths = {name: name.replace(".", "/") + ".py" for name in sources}
    return read_settings(modules, paths, names, **kwargs)  # type: ignore[arg-type]


FILES = """
    import tomllib

    def parse_pyproject(path):
        with open(path, "rb") as f:
            data = tomllib.load(f)
        config = data.get("tool", {}).get("mytool", {})
        return {k.replace("-", "_"): v for k, v in config.items()}
"""

CLI = """
    import click
    from mytool.files import parse_pyproject

    def read_config(ctx, param, value):
        config = parse_pyproject(value)
        default_map = dict(ctx.default_map or {})
        default_map.update(config)
        ctx.default_map = default_map
        return value

    @click.command()
    @click.option("-l", "--line-length", type=int)
    @click.option("--color/--no-color")
    @click.option("-W", "--workers", "jobs")
    @click.option("--config", callback=read_config, is_eager=True)
    @click.version_option()
    @click.argument("src", nargs=-1)
    @click.pass_context
    def main(ctx, line_length, color, jobs, config, src):
        pass
"""


def test_a_table_put_in_clicks_default_map_accepts_the_commands_parameter_names_in_both_spellings() -> None:
    settings = _read({"mytool.files": FILES, "mytool.cli": CLI})

    section = settings.section("tool.mytool")
    assert section is not None
    assert not section.open_ended
    assert {"line_length", "line-length", "color", "jobs", "config", "version", "src"} <= section.keys
    assert "workers" not in section.keys  # click names the parameter `jobs`: that is the default_map key
    assert (section.path, section.line) == (
        "mytool/cli.py",
        20,
    )  # the `def` line, as the command-line reader records it


def test_the_command_may_live_in_another_module_than_the_callback_that_fills_its_default_map() -> None:
    callback, _, command = textwrap.dedent(CLI).partition("@click.command()")
    command_module = "import click\nfrom mytool.config import read_config\n\n@click.command()" + command
    assert mentions_settings(command_module.encode())  # the lead parses it: it names the callback
    settings = _read({"mytool.files": FILES, "mytool.config": callback, "mytool.cli": command_module})
    assert settings.sections["tool.mytool"].path == "mytool/cli.py"
    assert "line-length" in settings.sections["tool.mytool"].keys


def test_a_command_whose_decorators_we_cannot_read_makes_the_table_open_ended() -> None:
    cli = CLI.replace("@click.pass_context", "@shared_options\n    @click.pass_context").replace(
        "import click\n", "import click\n    from elsewhere import shared_options\n"
    )
    assert _read({"mytool.files": FILES, "mytool.cli": cli}).sections["tool.mytool"].open_ended


def test_a_command_the_command_line_reader_found_open_ended_makes_the_table_open_ended() -> None:
    line = CommandLine({("mytool",): Command(("mytool",), open_ended=True, path="mytool/cli.py", line=20)}, {})
    assert _read({"mytool.files": FILES, "mytool.cli": CLI}, command_line=line).sections["tool.mytool"].open_ended


def test_another_tools_table_is_not_the_projects() -> None:
    settings = _read({"mytool.files": FILES, "mytool.cli": CLI}, names=("othertool",))
    assert settings.sections == {}


PLUGIN = """
    import sys
    from configparser import ConfigParser

    CONFIGFILE_KEY = "mytool-mypy"

    class PluginConfig:
        __slots__ = ("init_typed", "warn_untyped")

        def __init__(self, path, toml_config):
            if toml_config is not None:
                config = toml_config.get("tool", {}).get("mytool-mypy", {})
                for key in self.__slots__:
                    setattr(self, key, config.get(key, False))
                if config.get("legacy_flag"):
                    pass
                for key in sorted(config.keys() - set(self.__slots__)):
                    print(f"unknown {key}", file=sys.stderr)
            else:
                parser = ConfigParser()
                parser.read(path)
                for key in self.__slots__:
                    setattr(self, key, parser.getboolean(CONFIGFILE_KEY, key, fallback=False))
                if parser.has_section(CONFIGFILE_KEY):
                    for key in set(parser.options(CONFIGFILE_KEY)) - set(self.__slots__):
                        print(parser.get(CONFIGFILE_KEY, key))
"""


def test_a_table_read_key_by_key_accepts_the_literal_keys_and_the_slots_it_loops_over() -> None:
    settings = _read({"mytool.mypy": PLUGIN})

    table = settings.sections["tool.mytool-mypy"]
    assert table.keys == {"init_typed", "warn_untyped", "legacy_flag"}
    assert not table.open_ended
    ini = settings.sections["mytool-mypy"]
    assert ini.keys == {"init_typed", "warn_untyped"}
    assert not ini.open_ended


def test_a_table_passed_on_whole_is_open_ended() -> None:
    source = """
        def load(data):
            config = data["tool"]["mytool"]
            return Options(**config)
    """
    section = _read({"mytool.load": source}).sections["tool.mytool"]
    assert section.open_ended
    assert section.keys == frozenset()


ADDINI = """
    def pytest_addoption(parser):
        parser.addini("testpaths", "directories", type="args")
        parser.addini("minversion", "minimal version")
        parser.addini("strict_xfail", "default for xfail(strict=)", aliases=["xfail_strict"])
"""


def test_addini_options_are_pytests_sections_open_ended_but_complete() -> None:
    settings = _read({"_pytest.main": ADDINI}, names=("pytest",))

    assert set(settings.sections) == {"pytest", "tool:pytest", "tool.pytest.ini_options", "tool.pytest"}
    section = settings.sections["pytest"]
    assert section.keys == {"testpaths", "minversion", "strict_xfail", "xfail_strict"}  # an alias is accepted too
    assert section.open_ended
    assert section.complete


def test_an_addini_name_we_cannot_read_leaves_the_keys_incomplete() -> None:
    source = ADDINI + "\n    def more(parser, name):\n        parser.addini(name, 'computed')\n"
    assert not _read({"_pytest.main": source}, names=("pytest",)).sections["pytest"].complete


SPHINX_CONFIG = """
    class Config:
        config_values = {"project": None, "language": None}
"""
SPHINX_NAPOLEON = """
    class Config:
        _config_values = (("napoleon_google_docstring", True, "env"), ("napoleon_numpy_docstring", True, "env"))

    def setup(app):
        app.add_config_value("napoleon_custom_sections", None, "env")
        for name, default, rebuild in Config._config_values:
            app.add_config_value(name, default, rebuild)
"""
SPHINX_APP = """
    builtin_extensions = ("sphinx.ext.napoleon",)

    class Sphinx:
        def __init__(self, confoverrides):
            for extension in builtin_extensions:
                self.setup_extension(extension)
            for extension in confoverrides["extensions"]:
                self.setup_extension(extension)
"""


def test_sphinx_config_values_and_add_config_value_names_are_conf_py_keys() -> None:
    settings = _read(
        {"sphinx.config": SPHINX_CONFIG, "sphinx.ext.napoleon": SPHINX_NAPOLEON, "sphinx.application": SPHINX_APP},
        names=("sphinx",),
    )

    section = settings.sections["conf.py"]
    assert section.keys == {
        "project", "language", "napoleon_custom_sections", "napoleon_google_docstring", "napoleon_numpy_docstring",
    }  # fmt: skip
    assert section.open_ended
    assert section.complete  # a user's own extensions are not the project's to document


def test_an_extension_from_another_distribution_loaded_always_leaves_sphinx_keys_incomplete() -> None:
    app = SPHINX_APP + '\n    builtin_extensions += ("sphinxcontrib.applehelp",)\n'
    settings = _read({"sphinx.config": SPHINX_CONFIG, "sphinx.application": app}, names=("sphinx",))
    assert not settings.sections["conf.py"].complete


YAML_BASE = """
    import yaml

    def _open_config_file(path):
        paths_to_try = ["mytool.yml", "mytool.yaml"]
        return open(path or paths_to_try[0])

    def yaml_load(source):
        result = yaml.load(source, Loader=yaml.SafeLoader)
        if "INHERIT" in result:
            result.pop("INHERIT")
        return result

    def load_config(path):
        from mytool.config.defaults import MyToolConfig
        with _open_config_file(path) as fd:
            cfg = MyToolConfig(config_file_path=path)
            cfg.load_dict(yaml_load(fd))
        return cfg
"""
YAML_DEFAULTS = """
    from mytool.config import base
    from mytool.config import config_options as c

    class _Shared(base.Config):
        site_name = c.Type(str)

    class MyToolConfig(_Shared):
        nav = c.Optional(c.Nav())
        pages = c.Deprecated(removed=True, moved_to="nav")
        validation = c.PropagatingSubConfig[Validation]()
        theme_dir = c.Deprecated(moved_to="theme.custom_dir")
"""
YAML_OPTIONS = """
    class BaseConfigOption:
        pass

    class Type(BaseConfigOption):
        pass
"""
YAML_CONFIG = """
    class Config(dict):
        pass
"""


def test_a_yaml_files_top_level_keys_are_its_config_class_schema() -> None:
    settings = _read({
        "mytool.config.base": YAML_BASE + YAML_CONFIG, "mytool.config.defaults": YAML_DEFAULTS,
        "mytool.config.config_options": YAML_OPTIONS,
    })  # fmt: skip

    section = settings.sections["mytool.yml"]  # the first name the loader tries
    assert section.keys == {"site_name", "nav", "validation", "theme_dir", "INHERIT"}
    assert section.replacements == (("pages", "nav"),)  # removed: rejected, with its successor
    assert not section.open_ended
    assert section.path == "mytool/config/defaults.py"


def test_a_yaml_schema_given_as_name_option_pairs_is_read_too() -> None:
    base = YAML_BASE.replace(
        "from mytool.config.defaults import MyToolConfig", "from mytool.config.defaults import get_schema"
    ).replace("MyToolConfig(config_file_path=path)", "Config(schema=get_schema(), config_file_path=path)")
    defaults = """
        from mytool.config import config_options

        def get_schema():
            return (
                ("site_name", config_options.Type(str)),
                ("pages", config_options.Pages()),
            )
    """
    settings = _read({"mytool.config.base": base + YAML_CONFIG, "mytool.config.defaults": defaults})
    assert settings.sections["mytool.yml"].keys == {"site_name", "pages", "INHERIT"}


def test_a_module_that_did_not_parse_makes_every_section_open_ended() -> None:
    settings = _read({"mytool.files": FILES, "mytool.cli": CLI}, unparsed=("mytool/newer.py",))
    section = settings.sections["tool.mytool"]
    assert section.open_ended
    assert not section.complete


def test_mentions_settings_lets_through_every_module_a_reader_uses() -> None:
    for source in (FILES, CLI, PLUGIN, ADDINI, SPHINX_CONFIG, SPHINX_NAPOLEON, YAML_BASE, YAML_DEFAULTS):
        assert mentions_settings(textwrap.dedent(source).encode())
    assert not mentions_settings(b"def add(a, b):\n    return a + b\n")


def test_a_schema_or_a_callback_is_read_only_where_a_loader_that_uses_it_is() -> None:
    table = mentions_settings(b"Table('users', metadata, schema='app')\n")  # SQLAlchemy's 75 such modules
    yaml_loader = mentions_settings(textwrap.dedent(YAML_BASE).encode())
    callback = mentions_settings(b"@click.option('--config', callback=read_config)\n")
    default_map = mentions_settings(textwrap.dedent(FILES).encode() + b"ctx.default_map = config\n")
    assert table  # they pass the text test...
    assert callback
    assert not settings_module_needed(table, table | callback)  # ...but with no YAML loader nor default_map,
    assert not settings_module_needed(callback, table | callback)  # they are not read
    assert settings_module_needed(table, table | yaml_loader)
    assert settings_module_needed(callback, callback | default_map)
    assert settings_module_needed(yaml_loader, yaml_loader)
    assert settings_module_needed(default_map, default_map)


PYTEST_CONFIG = """
    from _pytest.mark.structures import EMPTY_PARAMETERSET_OPTION

    class Config:
        VERBOSITY_ASSERTIONS = "assertions"

        @staticmethod
        def _verbosity_ini_name(verbosity_type):
            return f"verbosity_{verbosity_type}"

        @staticmethod
        def _add_verbosity_ini(parser, verbosity_type, help):
            parser.addini(Config._verbosity_ini_name(verbosity_type), help=help)

    def pytest_addoption(parser):
        parser.addini(EMPTY_PARAMETERSET_OPTION, "marker")
        Config._add_verbosity_ini(parser, Config.VERBOSITY_ASSERTIONS, help="assertions")

        def add_option_ini(option, dest, default=None):
            parser.addini(dest, default=default, help="Default value for " + option)

        add_option_ini("--log-level", dest="log_level")
        add_option_ini("--log-format", "log_format")
"""
PYTEST_OTHER_PLUGIN = """
    from _pytest.config import Config

    def pytest_addoption(parser):
        Config._add_verbosity_ini(parser, "test_cases", help="test cases")
"""
PYTEST_STRUCTURES = 'EMPTY_PARAMETERSET_OPTION = "empty_parameter_set_mark"\n'


def test_registered_names_are_followed_through_constants_helpers_and_f_strings() -> None:
    sources = {"_pytest.config": PYTEST_CONFIG, "_pytest.terminal": PYTEST_OTHER_PLUGIN}
    modules = {name: ast.parse(textwrap.dedent(source)) for name, source in sources.items()}
    wanted = imported_modules(modules, {"_pytest.config", "_pytest.terminal", "_pytest.mark.structures"})
    assert wanted == {"_pytest.mark.structures"}  # the constant lives there: parse it too

    settings = _read({**sources, "_pytest.mark.structures": PYTEST_STRUCTURES}, names=("pytest",))
    section = settings.sections["pytest"]
    assert section.keys == {
        "empty_parameter_set_mark", "verbosity_assertions", "verbosity_test_cases", "log_level", "log_format",
    }  # fmt: skip
    assert section.complete
    assert not _read(sources, names=("pytest",)).sections["pytest"].complete  # the constant's module is missing


def test_imported_modules_resolves_a_packages_relative_imports() -> None:
    mark = "from .structures import EMPTY_PARAMETERSET_OPTION\n\ndef pytest_addoption(parser):\n    parser.addini(EMPTY_PARAMETERSET_OPTION, 'x')\n"
    plain = "from .structures import OTHER\n"  # registers nothing: its imports are not needed
    modules = {"_pytest.mark": ast.parse(mark), "_pytest.python": ast.parse(plain)}
    project = {"_pytest.mark", "_pytest.mark.structures", "_pytest.python", "_pytest.structures"}
    assert imported_modules(modules, project) == {"_pytest.mark.structures"}
