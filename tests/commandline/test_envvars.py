"""commandline.envvars: the environment variables a project's code reads, from real syntax trees."""

from __future__ import annotations

import ast
import textwrap

import pytest

from docsync.commandline.envvars import EnvReads, mentions_env, read_env_reads, wrapper_names


def _reads(source: str, **others: str) -> EnvReads:
    """The reads of module `pkg.cli` (at `src/pkg/cli.py`), with `others` (`consts="..."`) as `pkg.<name>`."""
    sources = {"pkg": "", "pkg.cli": source, **{f"pkg.{name}": text for name, text in others.items()}}
    modules = {name: ast.parse(textwrap.dedent(text)) for name, text in sources.items()}
    return read_env_reads(modules, {name: "src/" + name.replace(".", "/") + ".py" for name in modules})


READ_CASES: list[tuple[str, str, set[str]]] = [
    ("subscript", "import os\nos.environ['TOOL_A']\n", {"TOOL_A"}),
    ("get, pop and setdefault", "import os\nos.environ.get('A_1')\nos.environ.pop('A_2')\nos.environ.setdefault('A_3', 'x')\n", {"A_1", "A_2", "A_3"}),
    ("getenv", "import os\nos.getenv('TOOL_B', 'x')\n", {"TOOL_B"}),
    ("from os import environ, getenv (renamed too)", "from os import environ as env, getenv\nenv['TOOL_C']\ngetenv('TOOL_D')\n", {"TOOL_C", "TOOL_D"}),
    ("membership", "import os\nif 'TOOL_E' not in os.environ: pass\n", {"TOOL_E"}),
    ("a function's own import os", "def f():\n    import os\n    return os.environ.get('TOOL_F')\n", {"TOOL_F"}),
    ("a module-level constant", "import os\nNAME = 'TOOL_G'\nos.getenv(NAME)\n", {"TOOL_G"}),
    ("a constant of another project module", "import os\nfrom pkg.consts import NAME\nos.getenv(NAME)\n", {"TOOL_H"}),
    ("a constant through its module", "import os\nfrom pkg import consts\nos.getenv(consts.NAME)\n", {"TOOL_H"}),
    ("literal pieces joined", "import os\nP = 'TOOL_'\nos.getenv(P + 'I')\nos.getenv(f'{P}J')\n", {"TOOL_I", "TOOL_J"}),
    ("click envvar, one or a list", "import click\n@click.option('--a', envvar='TOOL_K')\n@click.option('--b', envvar=['TOOL_L', 'TOOL_M'])\ndef f(a, b): pass\n", {"TOOL_K", "TOOL_L", "TOOL_M"}),
    ("typer envvar through a constant tuple", "import typer\nNAMES = ('TOOL_N', 'TOOL_O')\ndef f(a: str = typer.Option('', envvar=NAMES)): pass\n", {"TOOL_N", "TOOL_O"}),
    ("an attribute assigned os.environ, a class attribute, a chain", "import os\nclass C:\n    _environ = os.environ\n    def f(self):\n        environ = self._environ\n        return self._environ.get('TOOL_R'), environ.get('TOOL_S')\n", {"TOOL_R", "TOOL_S"}),
    ("a copy or a choice of os.environ", "import os\ndef f(env=None):\n    env = env or os.environ.copy()\n    return env['TOOL_T']\n", {"TOOL_T"}),
    ("a loop over a literal list of names, through a variable", "import os\ndef ci():\n    names = ['CI_X', 'BUILD_NO']\n    return any(os.environ.get(var) for var in names)\nfor key in ('TOOL_U',):\n    os.getenv(key)\n", {"CI_X", "BUILD_NO", "TOOL_U"}),
    ("os.environ.get under another name", "import os\nget_environ = os.environ.get\nget_environ('TOOL_V')\n", {"TOOL_V"}),
    ("a project function reading the variable its parameter names, called here or from another module", "import os\nfrom pkg.consts import flag\ndef number(default, name):\n    return int(os.environ[name])\nnumber(1, 'TOOL_W')\nnumber(2, name='TOOL_X')\nflag('TOOL_Y')\n", {"TOOL_W", "TOOL_X", "TOOL_Y"}),
    ("a written environ is not read", "import os\nos.environ['TOOL_P'] = '1'\n", set()),
    ("a WSGI environ is no os.environ", "def app(environ, start):\n    return environ.get('HTTP_HOST')\n", set()),
    ("another object's get", "import os\nconfig = {}\nconfig.get('TOOL_Q')\n", set()),
    ("a name built from nothing literal", "import os\ndef f(name):\n    return os.getenv(name)\n", set()),
]  # fmt: skip


@pytest.mark.parametrize(
    ("source", "expected"), [case[1:] for case in READ_CASES], ids=[case[0] for case in READ_CASES]
)
def test_reads_by_name(source: str, expected: set[str]) -> None:
    reads = _reads(source, consts="import os\nNAME = 'TOOL_H'\ndef flag(name):\n    return os.getenv(name) == '1'\n")
    assert set(reads.names) == expected
    assert reads.prefixes == ()


PREFIX_CASES: list[tuple[str, str, tuple[str, ...]]] = [
    ("a literal head and a run-time tail", "import os\ndef f(key):\n    return os.environ.get('TOOL_' + key)\n", ("TOOL_",)),
    ("an f-string's literal head, through a constant", "import os\nP = 'TOOL_'\ndef f(k):\n    os.getenv(f'{P}{k.upper()}')\n", ("TOOL_",)),
    ("click's auto_envvar_prefix gets click's underscore, upper-cased", "def main():\n    cli(auto_envvar_prefix='tool')\n", ("TOOL_",)),
    ("auto_envvar_prefix in context_settings", "import click\n@click.group(context_settings={'auto_envvar_prefix': 'TOOL'})\ndef cli(): pass\n", ("TOOL_",)),
    ("pydantic-settings model_config", "from pydantic_settings import BaseSettings, SettingsConfigDict\nclass S(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix='APP_')\n", ("APP_",)),
    ("pydantic v1 class Config", "class S(BaseSettings):\n    class Config:\n        env_prefix = 'APP_'\n", ("APP_",)),
    ("a walk of the environment selecting by startswith", "import os\ndef f():\n    for key, value in os.environ.items():\n        if key.startswith('PIP_'):\n            yield key\n", ("PIP_",)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("source", "expected"), [case[1:] for case in PREFIX_CASES], ids=[case[0] for case in PREFIX_CASES]
)
def test_prefixes(source: str, expected: tuple[str, ...]) -> None:
    reads = _reads(source)
    assert reads.prefixes == expected
    assert reads.names == {}


def test_where_each_name_is_first_read() -> None:
    reads = _reads("import os\n\nos.getenv('TOOL_A')\nos.getenv('TOOL_A')\n", aaa="import os\nos.getenv('TOOL_B')\n")
    assert reads.names == {"TOOL_A": ("src/pkg/cli.py", 3), "TOOL_B": ("src/pkg/aaa.py", 2)}


def test_bundled_third_party_code_can_be_left_out() -> None:
    vendored = {"pkg._vendor.lib": ast.parse("import os\nos.getenv('LIB_HOME')\n")}
    paths = {"pkg._vendor.lib": "src/pkg/_vendor/lib.py"}
    assert read_env_reads(vendored, paths, vendored=False) == EnvReads({}, ())
    assert set(read_env_reads(vendored, paths).names) == {"LIB_HOME"}
    assert set(read_env_reads(vendored, {"pkg._vendor.lib": "src/pkg/vendorlib.py"}, vendored=False).names) == {
        "LIB_HOME"
    }


def test_covers_by_name_and_by_prefix_ignoring_case() -> None:
    reads = EnvReads({"TOOL_A": ("a.py", 1)}, ("app_",))
    assert reads.covers("TOOL_A")
    assert reads.covers("APP_PORT")
    assert not reads.covers("TOOL_B")


@pytest.mark.parametrize("case", READ_CASES + PREFIX_CASES, ids=[case[0] for case in READ_CASES + PREFIX_CASES])
def test_mentions_env_is_true_wherever_something_is_read(case: tuple[str, str, object]) -> None:
    source = case[1]
    if _reads(source, consts="NAME = 'TOOL_H'\n") != EnvReads({}, ()):
        assert mentions_env(source.encode())


def test_mentions_env_is_false_for_a_module_without_reads() -> None:
    assert not mentions_env(b"import sys\n\ndef main(argv):\n    return argv[1:]\n")


def test_mentions_env_keeps_a_module_that_calls_a_wrapper() -> None:
    wrapper = ast.parse("import os\ndef flag(name):\n    return os.getenv(name) == '1'\n")
    caller = b"from pkg.consts import flag\nflag('TOOL_Y')\n"
    assert wrapper_names({"pkg.consts": wrapper}) == {"flag"}
    assert not mentions_env(caller)
    assert mentions_env(caller, wrapper_names({"pkg.consts": wrapper}))


# pip 1.0's baseparser.py, cut down: the parser walks the environment for `PIP_<OPTION>` and looks each option up.
OPTION_PARSER = """\
import os
import optparse

class ConfigOptionParser(optparse.OptionParser):
    def update_defaults(self, defaults):
        for key, val in self.get_environ_vars():
            option = self.get_option('--%s' % key.replace('_', '-'))
            if option is not None:
                defaults[option.dest] = val
        return defaults

    def get_environ_vars(self, prefix='PIP_'):
        for key, val in os.environ.items():
            if key.startswith(prefix):
                yield (key.replace(prefix, '').lower(), val)

parser = ConfigOptionParser(name='global')
parser.add_option('-v', '--verbose', action='count')
parser.add_option('--log-file', '--local-log', dest='log_file')
"""


def test_an_option_parser_reads_the_variables_of_its_options_only() -> None:
    reads = _reads(OPTION_PARSER, install="self.parser.add_option('-U', '--upgrade', action='store_true')\n")
    assert reads.prefixes == ()
    assert set(reads.names) == {"PIP_VERBOSE", "PIP_LOG_FILE", "PIP_LOCAL_LOG", "PIP_UPGRADE"}
    assert reads.names["PIP_UPGRADE"] == ("src/pkg/install.py", 1)  # where the option is declared
    assert not reads.covers("PIP_VIRTUALENV_BASE")  # an option that is gone: its variable is no longer read


PARSER_PREFIX_CASES = [
    ("the prefix a parameter's default: a walk outside a parser covers every name under it",
     "import os\ndef walk(prefix='PIP_'):\n    for key in os.environ:\n        if key.startswith(prefix):\n            yield key\n"
     "class P:\n    def f(self):\n        self.get_option('--x')\n", ("PIP_",)),
    ("a parser that never looks its options up by name", OPTION_PARSER.replace("self.get_option", "lookup"), ("PIP_",)),
    ("a prefix built from something else than a literal",
     OPTION_PARSER.replace("prefix='PIP_'", "prefix=None").replace("key.startswith(prefix)", "key.startswith(NAME + '_')"),
     ()),
    ("an argparse parser: its variables are not read by option name", OPTION_PARSER.replace("optparse.OptionParser", "argparse.ArgumentParser"), ("PIP_",)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("source", "expected"), [case[1:] for case in PARSER_PREFIX_CASES], ids=[c[0] for c in PARSER_PREFIX_CASES]
)
def test_a_walk_that_is_not_an_option_parsers_keeps_its_prefix(source: str, expected: tuple[str, ...]) -> None:
    reads = _reads(source)
    assert reads.prefixes == expected
    assert not {name for name in reads.names if name.startswith("PIP_")}


def test_the_parsers_options_are_read_from_each_way_optparse_declares_one() -> None:
    """pip 1.3's `optparse.make_option` list, 1.5's `OptionMaker(...)`, 6.0's `partial(Option, ...)`."""
    options = (
        "import optparse\nfrom functools import partial\nfrom optparse import Option\n"
        "standard = [optparse.make_option('-v', '--verbose', action='count')]\n"
        "log = OptionMaker('--log', dest='log')\nproxy = partial(Option, '--proxy', type='str')\n"
        "group = optparse.OptionGroup(None, 'General')\ngroup.add_option_group('--not-an-option')\n"
        "click_like = option('--no-such-option')\n"
    )
    reads = _reads(OPTION_PARSER.split("parser = ")[0], options=options)
    assert set(reads.names) == {"PIP_VERBOSE", "PIP_LOG", "PIP_PROXY"}
