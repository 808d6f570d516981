"""Scrapy-style commands: modules of a walked commands package read as sub-commands, never imported."""

from __future__ import annotations

import ast

from docsync.commandline.model import Command
from docsync.commandline.project import read_command_line
from docsync.commandline.scrapy_commands import add_scrapy_commands

CMDLINE = """
import argparse
import inspect
from mini.commands import BaseRunCommand, ScrapyCommand
from mini.utils import walk_modules


def _iter_command_classes():
    for module in walk_modules("mini.commands"):
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, ScrapyCommand) and obj not in {ScrapyCommand, BaseRunCommand}:
                yield obj


def execute(argv=None):
    cmds = {cmd.__module__.split(".")[-1]: cmd() for cmd in _iter_command_classes()}
    cmd = cmds[argv[1]]
    parser = argparse.ArgumentParser(conflict_handler="resolve")
    cmd.add_options(parser)
    parser.parse_known_args(argv[2:])
"""
BASES = """
class ScrapyCommand:
    def add_options(self, parser):
        group = parser.add_argument_group(title="Global Options")
        group.add_argument("--logfile", metavar="FILE")
        group.add_argument("-s", "--set", action="append")


class BaseRunCommand(ScrapyCommand):
    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument("-a", dest="spargs")
"""
CRAWL = """
from mini.commands import BaseRunCommand


class Command(BaseRunCommand):
    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument("-o", "--output")
        parser.add_argument("-a", help="again, hidden")
"""
VERSION = """
from mini.commands import ScrapyCommand


class Helper:
    pass


class Command(ScrapyCommand):
    def add_options(self, parser):
        ScrapyCommand.add_options(self, parser)
        parser.add_argument("--verbose", action="store_true")
"""
LIST = """
from mini.commands import ScrapyCommand


class Command(ScrapyCommand):
    requires_project = True
"""
SOURCES = {
    "mini.cmdline": CMDLINE,
    "mini.commands": BASES,
    "mini.commands.crawl": CRAWL,
    "mini.commands.version": VERSION,
    "mini.commands.list": LIST,
    "mini.utils": "def walk_modules(path):\n    return []\n",
}
COMMON = {("-h", "--help"), ("--logfile",), ("-s", "--set")}


def _modules(sources: dict[str, str]) -> dict[str, ast.Module]:
    return {name: ast.parse(text) for name, text in sources.items()}


def _flags(command: Command) -> set[tuple[str, ...]]:
    return {option.flags for option in command.options}


def test_each_module_of_the_walked_package_is_a_sub_command_listed_by_an_open_ended_root() -> None:
    line = read_command_line(_modules(SOURCES), {"mini": "mini.cmdline:execute"})

    root = line.commands[("mini",)]
    assert set(root.subcommands) == {"crawl", "list", "version"}  # not the bases, not Helper
    assert root.open_ended  # settings and entry points may add commands
    assert set(line.commands) == {("mini",), ("mini", "crawl"), ("mini", "list"), ("mini", "version")}


def test_options_come_from_add_options_through_super_and_the_base_class_call() -> None:
    line = read_command_line(_modules(SOURCES), {"mini": "mini.cmdline:execute"})

    crawl, version = line.commands[("mini", "crawl")], line.commands[("mini", "version")]
    assert _flags(crawl) == COMMON | {("-a",), ("-o", "--output")}
    assert [option.flags for option in crawl.options].count(("-a",)) == 1  # re-added: resolved, not doubled
    assert _flags(version) == COMMON | {("--verbose",)}
    assert not crawl.open_ended
    # (version stays open-ended: the argparse reader takes `ScrapyCommand.add_options(self, parser)` for an
    # overridable method call, which a subclass could extend)
    assert crawl.line == 5


def test_a_command_without_add_options_inherits_the_common_ones() -> None:
    line = read_command_line(_modules(SOURCES), {"mini": "mini.cmdline:execute"})

    listed = line.commands[("mini", "list")]
    assert _flags(listed) == COMMON
    assert not listed.open_ended


def test_a_library_base_without_add_options_leaves_the_command_open_ended() -> None:
    sources = {**SOURCES, "mini.commands.list": "from lib import Base\n\nclass Command(Base, object):\n    pass\n"}
    sources["mini.commands.bench"] = "from mini.commands import ScrapyCommand\nfrom lib import Mixin\n\n" + (
        "class Command(Mixin, ScrapyCommand):\n    pass\n"
    )
    line = read_command_line(_modules(sources), {"mini": "mini.cmdline:execute"})

    assert ("mini", "list") not in line.commands  # not a subclass of the tested base
    assert line.commands[("mini", "bench")].open_ended


def test_nothing_is_added_unless_the_entry_module_walks_a_commands_package() -> None:
    modules = _modules({**SOURCES, "mini.cmdline": CMDLINE.replace('walk_modules("mini.commands")', "walk_modules(x)")})
    root = Command(("mini",))

    assert add_scrapy_commands(modules, "mini", "mini.cmdline:execute", (root,), {}) == (root,)
    # the same project, named otherwise, walking its package: triggered by the code, not the name
    renamed = _modules({**SOURCES, "mini.cmdline": CMDLINE})
    found = add_scrapy_commands(renamed, "tool", "mini.cmdline:execute", (Command(("tool",)),), {})
    assert [command.words for command in found] == [("tool",), ("tool", "crawl"), ("tool", "list"), ("tool", "version")]
