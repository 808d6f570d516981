"""A project's whole command line, from its syntax trees: every console script read by the click/typer reader and,
when that finds nothing, by the argparse reader (issue 17). Pure: trees and names in, records out."""

from __future__ import annotations

import ast
from collections.abc import Mapping

from docsync.commandline.argparse_reader import read_argparse
from docsync.commandline.click_reader import read_commands
from docsync.commandline.django_commands import add_django_commands
from docsync.commandline.model import Command, CommandLine
from docsync.commandline.modules import (  # noqa: F401  (re-exported: the surveys import them from here)
    command_names,
    declares_command_line,
    import_statements,
    imported_modules,
    module_names,
)
from docsync.commandline.pip_commands import add_pip_commands
from docsync.commandline.pytest_options import add_pytest_options
from docsync.commandline.scrapy_commands import add_scrapy_commands


def read_command_line(
    modules: Mapping[str, ast.Module], scripts: Mapping[str, str], paths: Mapping[str, str] | None = None
) -> CommandLine:
    """Every command the console `scripts` (name -> "module:function") reach in `modules` (module name -> tree).

    A script whose entry module is not among `modules`, or whose readers find no command, gets no command: it is
    never guessed. It stays in `CommandLine.scripts`, so a judge can tell "unreadable" from "not the project's".
    """
    commands: dict[tuple[str, ...], Command] = {}
    for script, entry in scripts.items():
        for command in _script_commands(modules, script, entry, paths):
            commands.setdefault(command.words, command)
    return CommandLine(commands=commands, scripts=dict(scripts))


def _script_commands(
    modules: Mapping[str, ast.Module], script: str, entry: str, paths: Mapping[str, str] | None
) -> tuple[Command, ...]:
    module = entry.partition(":")[0].strip()
    if module not in modules:
        return ()
    clicked = read_commands(modules, entry, script, paths)
    if clicked:
        return clicked
    # Django's and Scrapy's sub-commands are modules found at run time, which the argparse reader cannot follow
    commands = add_django_commands(modules, script, entry, read_argparse(modules, entry, script, paths), paths or {})
    commands = add_scrapy_commands(modules, script, entry, commands, paths or {})
    if commands and not commands[0].open_ended:
        return commands
    # pip's commands come from a registry of classes whose options come from factories (partial(Option, ...));
    # pytest's options from the `pytest_addoption` hooks its plugin manager calls
    commands = add_pip_commands(modules, script, entry, commands, paths or {})
    return add_pytest_options(modules, script, entry, commands, paths or {})
