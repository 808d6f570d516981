"""pytest's own options (`pytest --tb=short`), read from the `pytest_addoption(parser)` hooks of its syntax trees,
never imported: `parser.addoption(...)`, `parser.getgroup(name)` then `.addoption`/`._addoption` on it (or on a
name it is assigned to), and helpers given the parser or a group, whose parameters are bound at each call (logging's
`add_option_ini("--log-level", dest=..., **kwargs)`). Only the project that declares the hook (its `hookspec`
module defines `pytest_addoption`) is read so: a plugin's hooks add options to another project's command. The
script's root command gets every option and stays open-ended: third-party plugins and conftest files add more.
Pure: trees in, records out."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, replace

from docsync.commandline.model import Command, Option
from docsync.commandline.pip_commands import declared_option
from docsync.commandline.pynames import Names

HOOK = "pytest_addoption"
ADDERS = ("addoption", "_addoption")
MAX_DEPTH = 3  # the hook -> a helper given the group -> its helper


@dataclass(frozen=True, slots=True)
class _Scope:
    """What names mean inside the function being read: the parser or a group, and the arguments of its call."""

    module: str
    function: ast.FunctionDef
    receivers: frozenset[str]  # names holding the parser or one of its groups
    bound: Mapping[str, ast.expr]  # parameter -> the expression the call passed
    extra: tuple[ast.keyword, ...] = ()  # the keywords a `**kwargs` parameter received
    extra_name: str = ""
    depth: int = 0


def add_pytest_options(
    modules: Mapping[str, ast.Module], script: str, entry: str, commands: tuple[Command, ...], paths: Mapping[str, str]
) -> tuple[Command, ...]:
    """`commands` (the script's, its root first) with the hooks' options on the root, which stays open-ended."""
    if not declares_hook(modules):
        return commands
    options = read_hook_options(modules)
    if not options:
        return commands
    module = entry.partition(":")[0].strip()
    root = commands[0] if commands else Command((script,), path=paths.get(module, ""), line=1)
    known = {flag for option in root.options for flag in option.flags}
    added = tuple(option for option in options if not known.intersection(option.flags))
    return (replace(root, options=(*root.options, *added), open_ended=True), *commands[1:])


def declares_hook(modules: Mapping[str, ast.Module]) -> bool:
    """Whether the project is the one that calls the hook: its hook specification module defines it."""
    return any(
        isinstance(node, ast.FunctionDef) and node.name == HOOK
        for name, tree in modules.items()
        if name.rsplit(".", 1)[-1] == "hookspec"
        for node in tree.body
    )


def read_hook_options(modules: Mapping[str, ast.Module]) -> tuple[Option, ...]:
    """Every option the project's `pytest_addoption` hooks declare (the first declaration of a flag wins)."""
    names = Names(modules)
    found: dict[str, Option] = {}
    for module in sorted(modules):
        if module.rsplit(".", 1)[-1] == "hookspec":
            continue
        for node in modules[module].body:
            if isinstance(node, ast.FunctionDef) and node.name == HOOK and node.args.args:
                parser = node.args.args[0].arg
                for option in _options(names, _Scope(module, node, frozenset({parser}), {})):
                    for flag in option.flags:
                        found.setdefault(flag, option)
    return tuple(dict.fromkeys(found.values()))


def _options(names: Names, scope: _Scope) -> list[Option]:
    """The options a function adds, in source order, following helpers it hands the parser or a group."""
    receivers = set(scope.receivers)
    nested = {node.name: node for node in ast.walk(scope.function) if isinstance(node, ast.FunctionDef)}
    options: list[Option] = []
    for node in _calls(scope.function):
        if isinstance(node, ast.Assign) and _is_receiver(node.value, receivers):
            receivers.update(ast.unparse(target) for target in node.targets)
            continue
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ADDERS and _is_receiver(func.value, receivers):
            option = _declared(names, scope, node)
            options.extend([option] if option is not None else [])
        elif scope.depth < MAX_DEPTH:
            helper = _helper(names, scope, func, nested)
            if helper is not None and (helper[1] in nested.values() or _hands(node, receivers)):
                options.extend(_options(names, _bind(scope, helper, node, frozenset(receivers))))
    return options


def _calls(function: ast.FunctionDef) -> list[ast.AST]:
    """Assignments and calls of `function`'s own body, in source order, not those of functions it defines."""
    found: list[ast.AST] = []
    pending: list[ast.AST] = list(reversed(function.body))
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        if isinstance(node, ast.Assign | ast.Call):
            found.append(node)
        pending.extend(reversed(list(ast.iter_child_nodes(node))))
    return found


def _is_receiver(node: ast.expr, receivers: set[str]) -> bool:
    """The parser or a group: a name holding one, or `<receiver>.getgroup(...)`."""
    if isinstance(node, ast.Name):
        return node.id in receivers
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "getgroup":
        return _is_receiver(node.func.value, receivers)
    return False


def _hands(call: ast.Call, receivers: set[str]) -> bool:
    given = [*call.args, *(keyword.value for keyword in call.keywords)]
    return any(_is_receiver(argument, receivers) for argument in given)


def _helper(
    names: Names, scope: _Scope, func: ast.expr, nested: Mapping[str, ast.FunctionDef]
) -> tuple[str, ast.FunctionDef] | None:
    """A function defined in the hook (`add_option_ini`) or a project function, called by name."""
    if isinstance(func, ast.Name) and func.id in nested and nested[func.id] is not scope.function:
        return scope.module, nested[func.id]
    key = names.key(scope.module, func)
    found = names.defs.get(key) if key else None
    return (key[0], found) if key and isinstance(found, ast.FunctionDef) else None


def _bind(scope: _Scope, helper: tuple[str, ast.FunctionDef], call: ast.Call, receivers: frozenset[str]) -> _Scope:
    """The helper's scope: its parameters bound to what the call passes (resolved in the caller's scope first)."""
    module, function = helper
    arguments = function.args
    parameters = [argument.arg for argument in [*arguments.posonlyargs, *arguments.args]]
    passed = [_resolved(scope, argument) for argument in call.args if not isinstance(argument, ast.Starred)]
    bound: dict[str, ast.expr] = dict(zip(parameters, passed, strict=False))
    accepted = {*parameters, *(argument.arg for argument in arguments.kwonlyargs)}
    extra: list[ast.keyword] = []
    for given in _keywords(scope, call.keywords) or []:
        if given.arg in accepted:
            bound[given.arg] = given.value
        else:
            extra.append(given)
    for parameter, default in zip(reversed(arguments.args), reversed(arguments.defaults), strict=False):
        bound.setdefault(parameter.arg, default)
    inner = {name for name, value in bound.items() if isinstance(value, ast.Name) and value.id in receivers}
    inner |= receivers if function in ast.walk(scope.function) else set()  # a nested helper sees the hook's names
    kwargs = arguments.kwarg.arg if arguments.kwarg else ""
    return _Scope(module, function, frozenset(inner), bound, tuple(extra), kwargs, scope.depth + 1)


def _declared(names: Names, scope: _Scope, call: ast.Call) -> Option | None:
    """The option an `addoption` call declares, with the helper's parameters replaced by what its caller passed."""
    keywords = _keywords(scope, call.keywords)
    if keywords is None:
        return None
    args = [_resolved(scope, argument) for argument in call.args]
    return declared_option(names, scope.module, args, keywords, call.lineno)


def _keywords(scope: _Scope, keywords: list[ast.keyword]) -> list[ast.keyword] | None:
    """The keywords with bound values, `**kwargs` expanded to what the helper received; None for other `**`."""
    resolved: list[ast.keyword] = []
    for given in keywords:
        if given.arg is None and isinstance(given.value, ast.Name) and given.value.id == scope.extra_name:
            resolved.extend(scope.extra)
        elif given.arg is None:
            return None
        else:
            resolved.append(ast.keyword(given.arg, _resolved(scope, given.value)))
    return resolved


def _resolved(scope: _Scope, node: ast.expr) -> ast.expr:
    return scope.bound.get(node.id, node) if isinstance(node, ast.Name) else node
