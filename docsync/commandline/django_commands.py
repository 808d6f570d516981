"""Django's management commands (`django-admin migrate --fake`), read from syntax trees, never imported. Django
finds them at run time: one module `<app>/management/commands/<name>.py` per command, defining `class Command`
(a `BaseCommand`), whose `add_arguments(self, parser)` adds its options to the parser `BaseCommand.create_parser`
built with the common ones (`--verbosity`, `--settings`, ...). Pure: trees in, records out."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import replace

from docsync.commandline.argparse_calls import FunctionRef, bases_known, class_and_bases
from docsync.commandline.argparse_reader import read_added_options, read_parameter_options
from docsync.commandline.model import Command, Option
from docsync.commandline.pynames import Names

BASE_COMMAND = ("django.core.management.base", "BaseCommand")
IMPORTED_BASES = ("django.core.management.base.BaseCommand", "django.core.management.BaseCommand")
RUNNERS = ("execute_from_command_line", "ManagementUtility")  # what a script calls to dispatch to the commands
Chain = list[tuple[str, ast.ClassDef]]


def add_django_commands(
    modules: Mapping[str, ast.Module], script: str, entry: str, commands: tuple[Command, ...], paths: Mapping[str, str]
) -> tuple[Command, ...]:
    """`commands` (the script's, its root first) with the management commands it dispatches to, when its entry
    module runs Django's `execute_from_command_line` and the project contains or imports `BaseCommand`. The root
    lists them and stays open-ended: the user's INSTALLED_APPS may bring commands no tree here declares."""
    tree = modules.get(entry.partition(":")[0].strip())
    if not commands or tree is None or not _dispatches(tree):
        return commands
    found = read_django_commands(modules, commands[0].words[0], paths)
    if not found:
        return commands
    known = {command.words for command in commands}
    names = tuple(dict.fromkeys([*commands[0].subcommands, *(command.words[1] for command in found)]))
    root = replace(commands[0], subcommands=names, open_ended=True)
    return (root, *commands[1:], *(command for command in found if command.words not in known))


def read_django_commands(
    modules: Mapping[str, ast.Module], script: str, paths: Mapping[str, str] | None = None
) -> tuple[Command, ...]:
    """One `Command` per management command name (words `(script, name)`), sorted by name; () when the project
    neither contains nor imports Django's `BaseCommand`. Two apps' commands of one name (core and staticfiles
    `runserver`) are merged: which one runs depends on INSTALLED_APPS, so either one's options may be accepted."""
    names = Names(modules)
    if not _uses_django(names):
        return ()
    classes: list[tuple[str, str, ast.ClassDef]] = []  # (command name, module, class)
    for module in sorted(modules):
        parts = module.split(".")
        cls = names.defs.get((module, "Command"))
        # Django skips `_private.py` command modules, and packages under commands/
        if len(parts) < 3 or parts[-3:-1] != ["management", "commands"] or parts[-1].startswith("_"):
            continue
        if isinstance(cls, ast.ClassDef) and not any(other.startswith(module + ".") for other in modules):
            classes.append((parts[-1], module, cls))
    chains = [list(class_and_bases(names, module, cls)) for _, module, cls in classes]
    methods = [_first_method(chain, "add_arguments") for chain in chains]
    read = iter(read_parameter_options(names, [method for method in methods if method], paths))
    found: dict[str, list[Command]] = {}
    for (name, module, cls), chain, method in zip(classes, chains, methods, strict=True):
        options, common_open = _common_options(names, chain)
        own, positionals, own_open = next(read) if method else ((), (), False)
        known = {flag for option in options for flag in option.flags}
        options = (*options, *(option for option in own if not known.intersection(option.flags)))
        open_ended = common_open or own_open or not bases_known(names, chain)
        path = (paths or {}).get(module, "")
        command = Command((script, name), options, (), positionals, open_ended, path, cls.lineno)
        found.setdefault(name, []).append(command)
    return tuple(_merged(group) for _, group in sorted(found.items()))


def _dispatches(tree: ast.Module) -> bool:
    """Whether a module names Django's command dispatcher (`execute_from_command_line`, `ManagementUtility`)."""
    for node in ast.walk(tree):
        name = node.id if isinstance(node, ast.Name) else getattr(node, "name", None) or getattr(node, "attr", None)
        if name in RUNNERS:
            return True
    return False


def _uses_django(names: Names) -> bool:
    if BASE_COMMAND in names.defs:
        return True
    return any(target in IMPORTED_BASES for local in names.imports.values() for _, target in local.values())


def _common_options(names: Names, chain: Chain) -> tuple[tuple[Option, ...], bool]:
    """The options `create_parser` adds before `add_arguments`: its `parser.add_argument(...)` calls and those
    made through a method that forwards its arguments (`self.add_base_argument(parser, "--settings", ...)`). An
    `if self.requires_system_checks:` is decided by the class attribute when it is a literal."""
    method = _first_method(chain, "create_parser")
    if method is None:
        return (), True  # Django's own BaseCommand is not among the trees: its options are unknown
    calls: list[ast.Call] = []
    others: list[ast.Call] = []
    for call in _calls(method.node.body, chain):
        func = call.func
        if not isinstance(func, ast.Attribute):
            continue
        forwarder = _first_method(chain, func.attr) if ast.unparse(func.value) == "self" else None
        if func.attr == "add_argument":
            calls.append(call)
        elif forwarder is not None and _forwards(forwarder.node) and call.args:
            forwarded = ast.Call(ast.Attribute(call.args[0], "add_argument"), call.args[1:], call.keywords)
            calls.append(ast.copy_location(forwarded, call))
        elif func.attr != "add_arguments":
            others.append(call)
    parsers = {ast.unparse(call.func.value) for call in calls if isinstance(call.func, ast.Attribute)}
    # the parser handed to code we do not follow may gain options there
    open_ended = any(ast.unparse(argument) in parsers for call in others for argument in call.args)
    options, unreadable = read_added_options(names, method, calls)
    return options, open_ended or unreadable


def _calls(body: list[ast.stmt], chain: Chain) -> Iterator[ast.Call]:
    """The calls made as statements, into the branches of an `if self.<attribute>:` the class does not rule out."""
    for statement in body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            yield statement.value
        elif isinstance(statement, ast.If):
            value = _attribute_value(statement.test, chain)
            if value is not False:
                yield from _calls(statement.body, chain)
            if value is not True:
                yield from _calls(statement.orelse, chain)


def _attribute_value(test: ast.expr, chain: Chain) -> bool | None:
    """The truth of `self.<name>` from the nearest class that sets it to a literal; None when unknown."""
    if not (isinstance(test, ast.Attribute) and isinstance(test.value, ast.Name) and test.value.id == "self"):
        return None
    for _, cls in chain:
        for statement in cls.body:
            if isinstance(statement, ast.Assign) and any(ast.unparse(t) == test.attr for t in statement.targets):
                try:
                    return bool(ast.literal_eval(statement.value))
                except (ValueError, TypeError, SyntaxError, RecursionError):
                    return None
    return None


def _forwards(method: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`def add_base_argument(self, parser, *args, **kwargs): ... parser.add_argument(*args, **kwargs)`."""
    arguments = method.args
    if arguments.vararg is None or len(arguments.args) < 2:
        return False
    parser, varargs = arguments.args[1].arg, arguments.vararg.arg
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "add_argument"
        and ast.unparse(node.func.value) == parser
        and any(isinstance(arg, ast.Starred) and ast.unparse(arg.value) == varargs for arg in node.args)
        for node in ast.walk(method)
    )


def _first_method(chain: Chain, name: str) -> FunctionRef | None:
    for module, cls in chain:
        for node in cls.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
                return FunctionRef(module, node, cls)
    return None


def _merged(group: list[Command]) -> Command:
    first = group[0]
    options = list(first.options)
    for other in group[1:]:
        known = {flag for option in options for flag in option.flags}
        options.extend(option for option in other.options if not known.intersection(option.flags))
    positionals = tuple(dict.fromkeys(name for command in group for name in command.positionals))
    open_ended = any(command.open_ended for command in group)
    return replace(first, options=tuple(options), positionals=positionals, open_ended=open_ended)
