"""pytest's options from its `pytest_addoption` hooks, read statically; an open-ended command whose declared
options' choices are still judged."""

from __future__ import annotations

import ast

from docsync.commandline.judge import judge_claims
from docsync.commandline.model import Command, CommandClaim
from docsync.commandline.project import read_command_line
from docsync.commandline.pytest_options import add_pytest_options, declares_hook

HOOKSPEC = '''
from pluggy import HookspecMarker

hookspec = HookspecMarker("pytest")


@hookspec(historic=True)
def pytest_addoption(parser, pluginmanager):
    """Register argparse-style options."""
'''
ENTRY = """
import sys


def console_main():
    from _tiny.config import main
    return main(sys.argv[1:])
"""
CONFIG = """
def main(args):
    return 0
"""
ARGPARSING = """
import argparse


class HelpAction(argparse.Action):
    def __init__(self, option_strings, dest=None, default=False, help=None):
        super().__init__(option_strings=option_strings, dest=dest, const=True, default=default, nargs=0, help=help)


class MoreQuietAction(argparse.Action):
    def __init__(self, option_strings, dest, default=None, required=False, help=None):
        super().__init__(option_strings, dest, 0, default=default, required=required, help=help)
"""
TERMINAL = """
from _tiny.argparsing import MoreQuietAction

TB_STYLES = ("auto", "long", "short")


def pytest_addoption(parser):
    group = parser.getgroup("terminal reporting", "Reporting", after="general")
    group._addoption("-v", "--verbose", action="count", default=0, dest="verbose")
    group._addoption("-q", "--quiet", action=MoreQuietAction, default=0, dest="verbose")
    group.addoption("--tb", metavar="style", action="store", dest="tbstyle", default="auto", choices=TB_STYLES)
    parser.getgroup("general").addoption("--color", choices=["yes", "no", "auto"])
    parser.addoption("--durations", action="store", type=int, default=None)
    parser.addini("console_output_style", help="Console output")
"""
LOGGING = """
def pytest_addoption(parser):
    group = parser.getgroup("logging")

    def add_option_ini(option, dest, default=None, type=None, **kwargs):
        parser.addini(dest, default=default, type=type, help="Default value for " + option)
        group.addoption(option, dest=dest, **kwargs)

    add_option_ini("--log-level", dest="log_level", default=None, metavar="LEVEL")
    add_option_ini("--log-file-mode", dest="log_file_mode", default="w", choices=["w", "a"])
    _add_capture(group)


def _add_capture(group):
    group.addoption("--capture", action="store", default="fd", choices=["fd", "sys", "no"], dest="capture")
    group._addoption("-s", action="store_const", const="no", dest="capture")
    group.addoption("--debug", action="store", nargs="?", const="debug.log", choices=["debug.log"])
"""
HELPCONFIG = """
from _tiny.argparsing import HelpAction


def pytest_addoption(parser):
    group = parser.getgroup("debugconfig")
    group._addoption("-h", "--help", action=HelpAction, dest="help")
    group._addoption("-p", action="append", dest="plugins", default=[], metavar="name")
    group.addoption(*FLAGS, action="store_true")
"""
SOURCES = {
    "pytest": ENTRY,
    "_tiny": "",
    "_tiny.hookspec": HOOKSPEC,
    "_tiny.config": CONFIG,
    "_tiny.argparsing": ARGPARSING,
    "_tiny.terminal": TERMINAL,
    "_tiny.logging": LOGGING,
    "_tiny.helpconfig": HELPCONFIG,
}
SCRIPTS = {"pytest": "pytest:console_main", "py.test": "pytest:console_main"}


def _modules(sources: dict[str, str]) -> dict[str, ast.Module]:
    return {name: ast.parse(text) for name, text in sources.items()}


def _command(*argv: str) -> CommandClaim:
    return CommandClaim("doc/en/usage.rst", 7, 1, argv, "cli-command")


def _option(written: str, words: tuple[str, ...] = (), loose: bool = False) -> CommandClaim:
    return CommandClaim("doc/en/usage.rst", 9, 5, (written,), "cli-option", words, loose)


def test_every_hook_option_is_on_the_open_ended_root_of_each_script() -> None:
    line = read_command_line(_modules(SOURCES), SCRIPTS)

    assert set(line.commands) == {("pytest",), ("py.test",)}
    root = line.commands[("pytest",)]
    assert root.open_ended  # plugins and conftest files add options
    flags = {option.flags for option in root.options}
    assert flags == {
        ("-v", "--verbose"), ("-q", "--quiet"), ("--tb",), ("--color",), ("--durations",),  # groups, the parser
        ("--log-level",), ("--log-file-mode",),  # a helper defined in the hook, its **kwargs bound
        ("--capture",), ("-s",), ("--debug",),  # a module helper given the group
        ("-h", "--help"), ("-p",),  # `group.addoption(*FLAGS)` is not readable: left out
    }  # fmt: skip
    assert line.commands[("py.test",)].options == root.options


def test_choices_and_arity_are_read_through_constants_kwargs_and_custom_actions() -> None:
    root = read_command_line(_modules(SOURCES), SCRIPTS).commands[("pytest",)]

    def option(flag: str):
        found = root.option(flag)
        assert found is not None
        return found

    assert option("--tb").choices == ("auto", "long", "short")
    assert option("--log-file-mode").choices == ("w", "a")
    assert option("--log-level").takes_value
    assert not option("-q").takes_value  # MoreQuietAction passes nargs 0 to its base
    assert not option("--help").takes_value
    assert option("--debug").choices is None  # an optional value: the next word may be no value at all


def test_choices_of_declared_options_are_judged_though_the_command_is_open_ended() -> None:
    line = read_command_line(_modules(SOURCES), SCRIPTS)
    claims = (
        _command("pytest", "--tb=reinterp", "tests"),
        _command("pytest", "-q", "--capture", "tee", "tests"),
        _command("pytest", "--runslow", "--tb=nope"),  # a conftest's option: nothing after it is placed
        _command("pytest", "--tb=short", "--log-file-mode=a", "-p", "no:cacheprovider"),
        _option("--assert=plain"),  # an option we do not see: never judged
        _option("--tb=native"),
        _option("--color=never", ("pytest",)),
        _option("--color=always", loose=True),  # a flag in prose may be another tool's
        _option("--tb=long"),
    )

    problems = [problem for problem in judge_claims(line, claims) if not problem.unsure]  # unsure: history decides

    assert [(p.what, p.written, p.option, p.suggestion) for p in problems] == [
        ("choice", "reinterp", "--tb", None),
        ("choice", "tee", "--capture", None),
        ("choice", "native", "--tb", None),
        ("choice", "never", "--color", None),
    ]


def test_only_the_project_that_specifies_the_hook_reads_its_hooks() -> None:
    plugin = {name: text for name, text in SOURCES.items() if name != "_tiny.hookspec"}
    root = Command(("tiny",), open_ended=True)

    assert not declares_hook(_modules(plugin))
    assert add_pytest_options(_modules(plugin), "tiny", "pytest:console_main", (root,), {}) == (root,)
    assert read_command_line(_modules(plugin), SCRIPTS).commands == {}
