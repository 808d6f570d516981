"""Scrapy-style commands (`scrapy crawl -o out.json`), read from syntax trees, never imported. `scrapy.cmdline`
finds them at run time by walking a commands package (`_get_commands_from_module("scrapy.commands")` over
`walk_modules`): each module `<package>.<name>` defining a subclass of the base command class (the one the entry
module tests with `issubclass`) is the sub-command `<name>`; its `add_options(self, parser)` adds its options,
the common ones through `super().add_options(parser)`. Pure: trees in, records out."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import replace

from docsync.commandline.argparse_calls import FunctionRef, bases_known, class_and_bases
from docsync.commandline.argparse_reader import read_parameter_options
from docsync.commandline.model import Command, Option
from docsync.commandline.pynames import Key, Names

WALKERS = ("walk_modules", "walk_modules_iter", "iter_modules", "_get_commands_from_module")
LIBRARY_ROOTS = ("object", "ABC", "abc.ABC")  # bases that add no options


def add_scrapy_commands(
    modules: Mapping[str, ast.Module], script: str, entry: str, commands: tuple[Command, ...], paths: Mapping[str, str]
) -> tuple[Command, ...]:
    """`commands` (the script's, its root first) with the commands its entry module finds by walking a commands
    package. The root lists them and stays open-ended: settings (COMMANDS_MODULE) and entry points add others."""
    module = entry.partition(":")[0].strip()
    tree = modules.get(module)
    package = _walked_package(tree, modules) if tree is not None else None
    if package is None:
        return commands
    found = read_scrapy_commands(modules, module, package, script, paths)
    if not found:
        return commands
    root = commands[0] if commands else Command((script,), path=paths.get(module, ""), line=1)
    known = {command.words for command in commands}
    names = tuple(dict.fromkeys([*root.subcommands, *(command.words[1] for command in found)]))
    root = replace(root, subcommands=names, open_ended=True)
    return (root, *commands[1:], *(command for command in found if command.words not in known))


def read_scrapy_commands(
    modules: Mapping[str, ast.Module], entry: str, package: str, script: str, paths: Mapping[str, str]
) -> tuple[Command, ...]:
    """One `Command` per module under `package` defining a command class (words `(script, name)`), by name."""
    names = Names(modules)
    bases = _tested_classes(names, entry, "issubclass")
    if not bases:
        return ()  # which classes are commands is decided by code we do not see
    excluded = _tested_classes(names, entry, "not in") | bases
    classes: dict[str, tuple[str, ast.ClassDef]] = {}  # command name -> (module, class); the last one wins
    for module in sorted(modules):
        if module != package and not module.startswith(package + "."):
            continue
        for node in modules[module].body:
            chain = list(class_and_bases(names, module, node)) if isinstance(node, ast.ClassDef) else []
            keys = {(owner, cls.name) for owner, cls in chain}
            if chain and (module, chain[0][1].name) not in excluded and keys & bases:
                classes[module.rsplit(".", 1)[-1]] = (module, chain[0][1])
    chains = {name: list(class_and_bases(names, *found)) for name, found in classes.items()}
    methods = {name: _first_method(chain, "add_options") for name, chain in chains.items()}
    read = iter(read_parameter_options(names, [method for method in methods.values() if method], paths))
    helps = (Option(("-h", "--help"), takes_value=False),) if _adds_help(modules[entry]) else ()
    found: list[Command] = []
    for name, (module, cls) in sorted(classes.items()):
        method = methods[name]
        own, positionals, own_open = next(read) if method else ((), (), False)
        own_open = own_open or not bases_known(
            names, chains[name], LIBRARY_ROOTS
        )  # a library mixin may define add_options
        # the dispatcher's parser resolves conflicts: an option added again (view's hidden --headers) replaces
        latest = {option.flags: option for option in own if not {"-h", "--help"}.intersection(option.flags)}
        options = (*helps, *latest.values())
        path = paths.get(module, "")
        found.append(Command((script, name), options, (), positionals, own_open, path, cls.lineno))
    return tuple(sorted(found, key=lambda command: command.words))


def _walked_package(tree: ast.Module, modules: Mapping[str, ast.Module]) -> str | None:
    """The literal package a walker call receives (`walk_modules("mini.commands")`), when it is the project's."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        for argument in node.args[:1] if name in WALKERS else ():
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str) and argument.value in modules:
                return argument.value
    return None


def _tested_classes(names: Names, entry: str, test: str) -> set[Key]:
    """The project classes the entry module names in `issubclass(obj, X)` or in `obj not in {X, Y}`."""
    named: list[ast.expr] = []
    for node in ast.walk(names.modules[entry]):
        if test == "issubclass" and isinstance(node, ast.Call) and ast.unparse(node.func) == "issubclass":
            named.extend(node.args[1:2])
        elif test == "not in" and isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.NotIn):
            container = node.comparators[0]
            named.extend(container.elts if isinstance(container, ast.Set | ast.Tuple | ast.List) else ())
    keys = {names.key(entry, expression) for expression in named}
    return {key for key in keys if key and isinstance(names.defs.get(key), ast.ClassDef)}


def _adds_help(tree: ast.Module) -> bool:
    """argparse's `-h/--help`, unless the entry module turns it off (`add_help=False`)."""
    return not any(
        isinstance(node, ast.keyword) and node.arg == "add_help" and ast.unparse(node.value) == "False"
        for node in ast.walk(tree)
    )


def _first_method(chain: list[tuple[str, ast.ClassDef]], name: str) -> FunctionRef | None:
    for module, cls in chain:
        for node in cls.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
                return FunctionRef(module, node, cls)
    return None
