"""argparse and optparse command lines read from syntax trees: parsers built directly or by project helpers,
options, groups, parents, sub-parsers, and everything we cannot read marked open-ended instead of guessed."""

from __future__ import annotations

import ast
import textwrap

import pytest

from docsync.commandline.argparse_reader import read_argparse
from docsync.commandline.model import Command


def _read(sources: dict[str, str], entry: str = "tool.cli:main", script: str = "tool") -> dict[str, Command]:
    modules = {name: ast.parse(textwrap.dedent(text)) for name, text in sources.items()}
    paths = {name: name.replace(".", "/") + ".py" for name in sources}
    return {" ".join(command.words): command for command in read_argparse(modules, entry, script, paths)}


def _flags(command: Command) -> set[str]:
    return {flag for option in command.options for flag in option.flags}


DIRECT = """
import argparse

FORMATS = ("html", "text")

def main(argv=None):
    parser = argparse.ArgumentParser(prog="tool")
    parser.add_argument("source", help="where to read")
    parser.add_argument("-o", "--output", default="out", help="where to write")
    parser.add_argument("-v", "--verbose", action="count", default=0)
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--color", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--format", choices=FORMATS, default="html")
    parser.add_argument("--level", type=int, choices=[1, 2, 3])
    parser.add_argument("--theme", choices=load_themes(), default=DEFAULT_THEME)
    parser.add_argument("--marker", nargs=0, action=MarkAction)
    args = parser.parse_args(argv)
    return run(args)
"""


def test_options_of_a_parser_built_in_the_entry_function() -> None:
    command = _read({"tool.cli": DIRECT})["tool"]
    options = {option.flags: option for option in command.options}
    assert set(options) == {
        ("-h", "--help"), ("-o", "--output"), ("-v", "--verbose"), ("--strict",), ("--color", "--no-color"),
        ("--format",), ("--level",), ("--theme",), ("--marker",),
    }  # fmt: skip
    taking_values = {flags[-1] for flags, option in options.items() if option.takes_value}
    assert taking_values == {"--output", "--format", "--level", "--theme"}
    assert options[("--format",)].choices == ("html", "text")  # a module constant
    assert options[("--level",)].choices == ("1", "2", "3")
    assert options[("--theme",)].choices is None
    assert options[("--theme",)].default is None
    assert options[("-o", "--output")].default == "'out'"
    assert options[("-v", "--verbose")].default == "0"
    assert options[("--color", "--no-color")].default == "True"
    assert command.positionals == ("source",)
    assert command.subcommands == ()
    assert not command.open_ended
    assert (command.path, command.line) == ("tool/cli.py", 7)
    assert options[("--strict",)].line == 11


HELPERS = {
    "tool.cli": """
        import sys
        from tool.options import get_parser

        def main():
            return build_main(sys.argv[1:])

        def build_main(argv):
            parser = get_parser()
            args = parser.parse_args(argv)
    """,
    "tool.options": """
        from argparse import ArgumentParser

        def get_parser():
            parser = ArgumentParser(add_help=False)
            _add_output(parser)
            group = parser.add_argument_group("logging")
            group.add_argument("-q", "--quiet", action="store_true")
            exclusive = group.add_mutually_exclusive_group()
            exclusive.add_argument("--fast", action="store_const", const=1)
            exclusive.add_argument("--slow", action="store_const", const=0)
            return parser

        def _add_output(parser):
            parser.add_argument("--out-dir")
    """,
}


def test_parser_built_by_a_helper_in_another_module_two_calls_deep_with_groups() -> None:
    commands = _read(HELPERS)
    assert list(commands) == ["tool"]
    assert _flags(commands["tool"]) == {"--out-dir", "-q", "--quiet", "--fast", "--slow"}  # add_help=False
    assert commands["tool"].path == "tool/options.py"
    assert not commands["tool"].open_ended


SUBCOMMANDS = """
import argparse

def main():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config")
    parser = argparse.ArgumentParser(parents=[common])
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", aliases=["b"], parents=[common], help="build it")
    build.add_argument("--jobs", "-j", type=int, default=1)
    _add_target_options(sub.add_parser("serve"))
    sub.add_parser("clean").add_argument("--all", action="store_true")
    parser.parse_args()

def _add_target_options(target):
    target.add_argument("--port", default=8000)
    target.add_argument("target")
"""


def test_subcommands_with_aliases_parents_and_options_added_by_a_helper() -> None:
    commands = _read({"tool.cli": SUBCOMMANDS})
    assert set(commands) == {"tool", "tool build", "tool b", "tool serve", "tool clean"}
    assert commands["tool"].subcommands == ("build", "b", "serve", "clean")
    assert _flags(commands["tool"]) == {"-h", "--help", "--config"}
    assert commands["tool"].line == 7  # `parser`, not `common`: a parent is no command of its own
    assert _flags(commands["tool build"]) == {"-h", "--help", "--config", "--jobs", "-j"}
    assert commands["tool b"].options == commands["tool build"].options
    assert _flags(commands["tool serve"]) == {"-h", "--help", "--port"}
    assert commands["tool serve"].positionals == ("target",)
    assert commands["tool serve"].option("--port=9000") is not None
    assert _flags(commands["tool clean"]) == {"-h", "--help", "--all"}
    assert not any(command.open_ended for command in commands.values())


def _main(body: str, extra: str = "") -> dict[str, str]:
    code = "import argparse\n" + extra + "\ndef main():\n    parser = argparse.ArgumentParser()\n"
    return {"tool.cli": code + textwrap.indent(textwrap.dedent(body), "    ")}


OPEN_ENDED_CASES = [
    ("parser.add_argument('--x')\nparser.parse_args()\n", False),
    ("parser.add_argument('--x')\nargs, rest = parser.parse_known_args()\n", True),
    ("for flag in load_flags():\n    parser.add_argument(flag)\n", True),
    ("for name in ('a', 'b'):\n    parser.add_argument(f'--with-{name}')\n", False),
    ("for name in NAMES:\n    parser.add_argument('--no-%s' % name)\n", False),
    ("parser.add_argument('--x', **SHARED)\n", True),
    ("parser.add_argument(*FLAGS)\n", True),
    ("plugins.extend_parser(parser)\n", True),
    ("argcomplete.autocomplete(parser)\n", False),
    ("sub = parser.add_subparsers()\nfor name in COMMANDS:\n    sub.add_parser(name)\n", True),
    ("p = argparse.ArgumentParser(**settings)\n", True),  # a second parser, merged into the first, unreadable
    ("parser.add_argument('--x', action=ExtraAction)\n", False),
]  # fmt: skip


@pytest.mark.parametrize(("body", "open_ended"), OPEN_ENDED_CASES)
def test_what_cannot_be_read_makes_the_command_open_ended(body: str, open_ended: bool) -> None:
    sources = _main(body, extra="NAMES = ['cache', 'color']\n")
    assert _read(sources)["tool"].open_ended is open_ended


def test_loops_over_literal_strings_give_each_option() -> None:
    sources = _main("for name in NAMES:\n    parser.add_argument('--no-%s' % name)\n", "NAMES = ['cache', 'color']")
    assert _flags(_read(sources)["tool"]) == {"-h", "--help", "--no-cache", "--no-color"}
    sources = _main("for name in {'a': 1, 'b': 2}:\n    parser.add_argument('--' + name)\n")
    assert _flags(_read(sources)["tool"]) == {"-h", "--help", "--a", "--b"}


CLASS_BASED = """
import argparse

class ToolParser(argparse.ArgumentParser):
    pass

class Command:
    def run(self, argv):
        parser = ToolParser()
        self._add_common(parser)
        self.add_arguments(parser)
        parser.parse_args(argv)

    def _add_common(self, parser):
        parser.add_argument("--settings")

    def add_arguments(self, parser):
        pass

class BuildCommand(Command):
    def add_arguments(self, parser):
        parser.add_argument("--jobs")
"""


def test_methods_through_self_and_overridable_hooks() -> None:
    command = _read({"tool.cli": CLASS_BASED}, entry="tool.cli:Command.run")["tool"]
    assert _flags(command) == {"-h", "--help", "--settings"}  # a project subclass of ArgumentParser
    assert command.open_ended  # `add_arguments` is overridden by a subclass: any option may come from there


def test_a_method_inherited_from_a_project_base_class() -> None:
    sources = {
        "tool.base": "class Base:\n    def common(self, parser):\n        parser.add_argument('--settings')\n",
        "tool.cli": "import argparse\nfrom tool.base import Base\n\nclass Tool(Base):\n    def main(self):\n"
        "        parser = argparse.ArgumentParser()\n        self.common(parser)\n        parser.parse_args()\n",
    }
    command = _read(sources, entry="tool.cli:Tool.main")["tool"]
    assert _flags(command) == {"-h", "--help", "--settings"}
    assert not command.open_ended


OPTPARSE = """
import optparse
from optparse import OptionGroup, OptionParser

def main():
    parser = OptionParser(usage="%prog [options]", version="1.0")
    parser.add_option("-f", "--file", dest="filename", default="-")
    parser.add_option("--dry-run", action="store_true")
    parser.add_option("--on-error", action="callback", callback=handle)
    parser.add_option("--with-hook", action="callback", callback=handle, type="string")
    group = OptionGroup(parser, "Debug")
    group.add_option("--trace", action="store_true")
    parser.add_option_group(group)
    options, args = parser.parse_args()
"""


def test_optparse() -> None:
    command = _read({"tool.cli": OPTPARSE})["tool"]
    options = {option.flags[-1]: option for option in command.options}
    assert set(options) == {"--help", "--version", "--file", "--dry-run", "--on-error", "--with-hook", "--trace"}
    assert {flag for flag, option in options.items() if option.takes_value} == {"--file", "--with-hook"}
    assert options["--file"].default == "'-'"
    assert not command.open_ended


NOTHING_CASES = [
    ({"tool.cli": "def main():\n    print('hello')\n"}, "tool.cli:main"),
    ({"tool.cli": DIRECT}, "tool.cli:missing"),
    ({"tool.cli": DIRECT}, "tool.other:main"),
    ({"tool.cli": "from click import command\n@command()\ndef main():\n    pass\n"}, "tool.cli:main"),
]


@pytest.mark.parametrize(("sources", "entry"), NOTHING_CASES)
def test_no_parser_gives_nothing(sources: dict[str, str], entry: str) -> None:
    assert _read(sources, entry=entry) == {}


def test_entry_reexported_by_a_package_and_dotted_module_calls() -> None:
    sources = {
        "tool": "from tool.cli import main\n",
        "tool.cli": "import tool.parsing\n\ndef main():\n    tool.parsing.build().parse_args()\n",
        "tool.parsing": "import argparse\n\ndef build():\n    p = argparse.ArgumentParser()\n"
        "    p.add_argument('--deep')\n    return p\n",
    }
    assert _flags(_read(sources, entry="tool:main")["tool"]) == {"-h", "--help", "--deep"}


def test_methods_of_a_local_instance_and_function_local_imports() -> None:
    sources = {
        "tool.cli": "def main(argv=None):\n    from tool.utility import Utility\n    utility = Utility(argv)\n"
        "    utility.execute()\n",
        "tool.utility": "import argparse\n\nclass Utility:\n    def execute(self):\n"
        "        from .parsing import add_globals\n        parser = argparse.ArgumentParser(add_help=False)\n"
        "        add_globals(parser)\n        options, rest = parser.parse_known_args()\n",
        "tool.parsing": "def add_globals(parser):\n    parser.add_argument('--settings')\n",
    }
    command = _read(sources)["tool"]
    assert _flags(command) == {"--settings"}
    assert command.open_ended  # parse_known_args: the rest goes to a sub-command loaded at run time


def test_options_in_every_branch_and_flags_the_code_reads_from_argv_itself() -> None:
    body = """
        if "--bug-report" in sys.argv:
            return report()
        try:
            parser.add_argument("--in-try")
        except ImportError:
            parser.add_argument("--in-except")
        else:
            parser.add_argument("--in-else")
        finally:
            parser.add_argument("--in-finally")
        with open(path) as handle:
            parser.add_argument("--in-with")
        match mode:
            case "fast":
                parser.add_argument("--in-case")
        while argv[:1] == ["-M"]:
            parser.add_argument("--in-while")
    """
    command = _read(_main(body))["tool"]
    assert _flags(command) == {
        "-h", "--help", "--in-try", "--in-except", "--in-else", "--in-finally", "--in-with", "--in-case",
        "--in-while", "--bug-report", "-M",
    }  # fmt: skip
    assert command.option("-M").takes_value  # a value wrongly taken hides a finding; one wrongly refused makes one


def test_parameters_bound_through_an_instance_a_class_or_a_static_method() -> None:
    sources = {
        "tool.cli": """
            import argparse

            class Builder:
                def main(self):
                    parser = argparse.ArgumentParser()
                    self.add_named(parser)
                    self.add_static(parser)
                    Builder.add_named(self, parser)

                def add_named(self, parser):
                    parser.add_argument("--named")

                @staticmethod
                def add_static(parser):
                    parser.add_argument("--static")
        """
    }
    command = _read(sources, entry="tool.cli:Builder.main")["tool"]
    assert _flags(command) == {"-h", "--help", "--named", "--static"}
    assert not command.open_ended


HELPER_MADE_SUBCOMMANDS = """
import argparse

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-C", "--repo")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config")
    commands = parser.add_subparsers(dest="command")
    _add_build(_command(commands, common, "build", "build the site"))
    serve = _command(commands, common, name="serve", summary="serve it")
    serve.add_argument("--port", type=int)
    _command(commands, common, "clean", "remove the output")
    parser.parse_args()

def _command(commands, common, name, summary):
    return commands.add_parser(name, parents=[common], help=summary, description=summary.capitalize())

def _add_build(build):
    build.add_argument("-j", "--jobs", type=int)
    build.add_argument("--format", choices=("html", "text"), default="html")
"""


def test_subcommands_made_by_a_helper_that_receives_their_name() -> None:
    commands = _read({"tool.cli": HELPER_MADE_SUBCOMMANDS})
    assert set(commands) == {"tool", "tool build", "tool serve", "tool clean"}
    assert commands["tool"].subcommands == ("build", "serve", "clean")
    assert _flags(commands["tool build"]) == {"-h", "--help", "--config", "-j", "--jobs", "--format"}
    assert commands["tool build"].option("--format").choices == ("html", "text")
    assert _flags(commands["tool serve"]) == {"-h", "--help", "--config", "--port"}
    assert _flags(commands["tool clean"]) == {"-h", "--help", "--config"}
    assert not any(command.open_ended for command in commands.values())


@pytest.mark.parametrize(
    "helper",
    [
        "def _command(commands, name):\n    name = name.upper()\n    return commands.add_parser(name)\n",
        "def _command(commands, name):\n    return commands.add_parser(name + suffix())\n",
        "def _command(commands, name, *rest):\n    return commands.add_parser(rest[0])\n",
    ],
)
def test_a_helper_whose_sub_command_name_is_not_the_literal_passed_stays_open_ended(helper: str) -> None:
    code = "import argparse\n\ndef main():\n    parser = argparse.ArgumentParser()\n"
    code += "    commands = parser.add_subparsers()\n    _command(commands, 'build', 'x')\n\n" + helper
    commands = _read({"tool.cli": code})
    assert set(commands) == {"tool"}
    assert commands["tool"].open_ended
