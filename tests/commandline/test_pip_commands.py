"""pip-style optparse commands: a registry of command classes whose options come from factories, read statically."""

from __future__ import annotations

import ast

from docsync.commandline.judge import judge_claims
from docsync.commandline.model import Command, CommandClaim
from docsync.commandline.pip_commands import add_pip_commands
from docsync.commandline.project import read_command_line

MAIN = """
import sys
from tiny.cli.main_parser import parse_command
from tiny.commands import create_command


def main(args=None):
    name, rest = parse_command(args or sys.argv[1:])
    command = create_command(name)
    return command.main(rest)
"""
MAIN_PARSER = """
from tiny.cli import cmdoptions
from tiny.cli.parser import ConfigOptionParser


def parse_command(args):
    parser = ConfigOptionParser(add_help_option=False, name="global")
    parser.add_option(cmdoptions.version())
    gen_opts = cmdoptions.make_option_group(cmdoptions.general_group, parser)
    parser.add_option_group(gen_opts)
    general_options, args_else = parser.parse_args(args)
    return args_else[0], args_else[1:]
"""
PARSER = """
import optparse


class ConfigOptionParser(optparse.OptionParser):
    pass
"""
CMDOPTIONS = """
from functools import partial
from optparse import Option, OptionGroup
from typing import Any, Callable

from tiny.features import ALWAYS_ENABLED


def make_option_group(group, parser):
    option_group = OptionGroup(parser, group["name"])
    for option in group["options"]:
        option_group.add_option(option())
    return option_group


class PipOption(Option):
    pass


help_: Callable[..., Option] = partial(Option, "-h", "--help", dest="help", action="help")
verbose: Callable[..., Option] = partial(Option, "-v", "--verbose", action="count", default=0)
version = partial(Option, "-V", "--version", action="store_true")
use_new_feature: Callable[..., Option] = partial(
    Option, "--use-feature", action="append", default=[], choices=["fast-deps"] + ALWAYS_ENABLED
)


def index_url() -> Option:
    return Option("-i", "--index-url", "--pypi-url", dest="index_url", metavar="URL")


def platforms() -> Option:
    return Option("--platform", action="append", default=None)


def add_target_python_options(cmd_opts):
    cmd_opts.add_option(platforms())


general_group: dict[str, Any] = {"name": "General Options", "options": [help_, verbose, use_new_feature]}
index_group: dict[str, Any] = {"name": "Package Index Options", "options": [index_url]}
"""
FEATURES = 'ALWAYS_ENABLED = ["truststore"]\n'
BASE_COMMAND = """
import optparse
from tiny.cli import cmdoptions
from tiny.cli.parser import ConfigOptionParser


class Command:
    name = None

    def __init__(self, name, summary):
        self.parser = ConfigOptionParser(add_help_option=False, name=name)
        self.cmd_opts = optparse.OptionGroup(self.parser, "Options")
        gen_opts = cmdoptions.make_option_group(cmdoptions.general_group, self.parser)
        self.parser.add_option_group(gen_opts)
        self.add_options()

    def add_options(self):
        pass
"""
COMMANDS = """
from collections import namedtuple

CommandInfo = namedtuple("CommandInfo", "module_path, class_name, summary")

commands_dict = {
    "list": CommandInfo("tiny.commands.list", "ListCommand", "List installed packages."),
    "install": CommandInfo("tiny.commands.install", "InstallCommand", "Install packages."),
}


def create_command(name):
    return None
"""
LIST = """
from tiny.cli import cmdoptions
from tiny.cli.base_command import Command


class ListCommand(Command):
    def add_options(self):
        self.cmd_opts.add_option("-o", "--outdated", action="store_true", default=False)
        self.cmd_opts.add_option("--format", dest="list_format", default="columns", choices=("columns", "json"))
        self.cmd_opts.add_option(cmdoptions.PipOption("--path", dest="path", action="append"))
        index_opts = cmdoptions.make_option_group(cmdoptions.index_group, self.parser)
        self.parser.insert_option_group(0, index_opts)
        self.parser.insert_option_group(0, self.cmd_opts)
"""
INSTALL = """
from tiny.cli import cmdoptions
from tiny.cli.base_command import Command


class InstallCommand(Command):
    def add_options(self):
        self.cmd_opts.add_option("--user", dest="use_user_site", action="store_true")
        cmdoptions.add_target_python_options(self.cmd_opts)
        self.parser.insert_option_group(0, self.cmd_opts)
"""
SOURCES = {
    "tiny": "",
    "tiny.features": FEATURES,
    "tiny.cli": "",
    "tiny.cli.main": MAIN,
    "tiny.cli.main_parser": MAIN_PARSER,
    "tiny.cli.parser": PARSER,
    "tiny.cli.cmdoptions": CMDOPTIONS,
    "tiny.cli.base_command": BASE_COMMAND,
    "tiny.commands": COMMANDS,
    "tiny.commands.list": LIST,
    "tiny.commands.install": INSTALL,
}
SCRIPTS = {"tiny": "tiny.cli.main:main"}
GENERAL = {("-h", "--help"), ("-v", "--verbose"), ("--use-feature",)}


def _modules(sources: dict[str, str]) -> dict[str, ast.Module]:
    return {name: ast.parse(text) for name, text in sources.items()}


def _flags(command: Command) -> set[tuple[str, ...]]:
    return {option.flags for option in command.options}


def _claim(*argv: str) -> CommandClaim:
    return CommandClaim("docs/usage.rst", 3, 1, argv, "cli-command")


def test_the_registry_lists_the_commands_of_an_open_ended_root_with_the_general_options() -> None:
    line = read_command_line(_modules(SOURCES), SCRIPTS)

    root = line.commands[("tiny",)]
    assert root.subcommands == ("list", "install")
    assert root.open_ended  # its own parser (version, the general group) is built where we do not read it
    assert _flags(root) >= GENERAL
    assert set(line.commands) == {("tiny",), ("tiny", "list"), ("tiny", "install")}


def test_options_come_from_literals_factories_groups_helpers_and_option_classes() -> None:
    line = read_command_line(_modules(SOURCES), SCRIPTS)

    listed, install = line.commands[("tiny", "list")], line.commands[("tiny", "install")]
    assert _flags(listed) == GENERAL | {
        ("-o", "--outdated"),
        ("--format",),
        ("--path",),
        ("-i", "--index-url", "--pypi-url"),
    }
    assert _flags(install) == GENERAL | {("--user",), ("--platform",)}  # the helper given the group is followed
    assert not listed.open_ended
    assert not install.open_ended
    fmt, feature = listed.option("--format"), listed.option("--use-feature")
    assert fmt is not None
    assert fmt.choices == ("columns", "json")
    assert fmt.takes_value
    assert feature is not None
    assert feature.choices == ("fast-deps", "truststore")  # a list plus an imported one
    outdated = listed.option("-o")
    assert outdated is not None
    assert not outdated.takes_value


def test_removed_options_and_choices_are_judged_against_each_command() -> None:
    line = read_command_line(_modules(SOURCES), SCRIPTS)
    claims = (
        _claim("tiny", "list", "--columns"),
        _claim("tiny", "list", "--format=legacy"),
        _claim("tiny", "install", "--use-feature", "2020-resolver", "thing"),
        _claim("tiny", "install", "--user", "-v", "--platform", "linux", "thing"),
    )

    problems = judge_claims(line, claims)

    assert [(p.what, p.written, p.command) for p in problems] == [
        ("option", "--columns", ("tiny", "list")),
        ("choice", "legacy", ("tiny", "list")),
        ("choice", "2020-resolver", ("tiny", "install")),
    ]


def test_the_old_registry_of_classes_with_options_added_in_init() -> None:
    old_list = """
from tiny.cli.base_command import Command
from tiny.cli.cmdoptions import make_option_group, index_group, other_group


class ListCommand(Command):
    name = 'list'

    def __init__(self, *args, **kw):
        super(ListCommand, self).__init__(*args, **kw)
        cmd_opts = self.cmd_opts
        cmd_opts.add_option('-o', '--outdated', action='store_true')
        index_opts = make_option_group(other_group, self.parser)
        self.parser.insert_option_group(0, index_opts)
"""
    old_install = "from tiny.cli.base_command import Command\n\nclass InstallCommand(Command):\n    name = 'install'\n"
    registry = """
from tiny.commands.list import ListCommand
from tiny.commands.install import InstallCommand

commands_order = [InstallCommand, ListCommand]
commands_dict = {c.name: c for c in commands_order}
"""
    extra = '\nother_group = {"name": "More", "options": index_group["options"] + [platforms]}\n'
    sources = {**SOURCES, "tiny.commands": registry, "tiny.commands.list": old_list}
    sources["tiny.commands.install"] = old_install
    sources["tiny.cli.cmdoptions"] = CMDOPTIONS + extra
    line = read_command_line(_modules(sources), SCRIPTS)

    assert line.commands[("tiny",)].subcommands == ("install", "list")
    listed = line.commands[("tiny", "list")]
    assert _flags(listed) == GENERAL | {("-o", "--outdated"), ("-i", "--index-url", "--pypi-url"), ("--platform",)}
    assert not listed.open_ended
    assert _flags(line.commands[("tiny", "install")]) == GENERAL


def test_what_cannot_be_read_leaves_that_command_open_ended_and_unjudged() -> None:
    unreadable = LIST.replace(
        'self.cmd_opts.add_option("-o", "--outdated", action="store_true", default=False)',
        "self.cmd_opts.add_option(*OUTDATED_FLAGS)",
    )
    handed = INSTALL.replace("cmdoptions.add_target_python_options(self.cmd_opts)", "plugins.extend(self.cmd_opts)")
    sources = {**SOURCES, "tiny.commands.list": unreadable, "tiny.commands.install": handed}
    line = read_command_line(_modules(sources), SCRIPTS)

    listed, install = line.commands[("tiny", "list")], line.commands[("tiny", "install")]
    assert listed.open_ended
    assert install.open_ended
    problems = judge_claims(line, (_claim("tiny", "list", "--columns"), _claim("tiny", "install", "--gone")))
    assert all(problem.unsure for problem in problems)  # reported only with history's evidence (checks/)


def test_nothing_is_added_without_a_registry_of_parser_building_classes() -> None:
    root = Command(("tiny",), open_ended=True)
    plain = {**SOURCES, "tiny.cli.base_command": BASE_COMMAND.replace("self.cmd_opts", "self.group")}

    assert add_pip_commands(_modules(plain), "tiny", "tiny.cli.main:main", (root,), {}) == (root,)
    # an entry we cannot read (a module named from data): no registry rather than a partial one
    one = {**SOURCES, "tiny.commands": COMMANDS.replace('CommandInfo("tiny.commands.install"', "CommandInfo(PATH")}
    assert add_pip_commands(_modules(one), "tiny", "tiny.cli.main:main", (root,), {}) == (root,)


def test_an_add_options_calling_its_base_gets_the_base_options_too() -> None:
    base = BASE_COMMAND.replace("    def add_options(self):\n        pass\n", "")
    middle = """
from tiny.cli.base_command import Command


class IndexCommand(Command):
    def add_options(self):
        self.cmd_opts.add_option("--index", action="store_true")
"""
    install = INSTALL.replace("from tiny.cli.base_command import Command", "from tiny.cli.index import IndexCommand")
    install = install.replace("(Command)", "(IndexCommand)").replace(
        "    def add_options(self):\n", "    def add_options(self):\n        super().add_options()\n"
    )
    sources = {**SOURCES, "tiny.cli.base_command": base, "tiny.cli.index": middle, "tiny.commands.install": install}
    line = read_command_line(_modules(sources), SCRIPTS)

    assert _flags(line.commands[("tiny", "install")]) == GENERAL | {("--user",), ("--platform",), ("--index",)}
    assert _flags(line.commands[("tiny", "list")]) >= {("--format",)}
