"""pip-style optparse commands (`pip install --user`), read from syntax trees, never imported. The script's entry
finds its commands in a module-level registry (`commands_dict`): `"name": CommandInfo("pkg.commands.x", "XCommand",
"summary")`, or, in older code, `{XCommand.name: XCommand}` / `{c.name: c for c in commands_order}` with the name a
class attribute. Each command class adds its options in `__init__` or `add_options(self)`:
`self.cmd_opts.add_option(cmdoptions.x())`, `self.cmd_opts.add_option("--flag", ...)`, a helper given the group,
and `make_option_group(cmdoptions.index_group, self.parser)` (a dict literal whose "options" are factories). Option
factories are `partial(Option, "-f", "--flag", ...)` or `def x(): return Option("--flag", ...)`. What cannot be read
makes that command open-ended: no option is called unknown on a guess. Pure: trees in, records out."""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from docsync.commandline.argparse_calls import FunctionRef, bases_known, class_and_bases, resolve_call
from docsync.commandline.model import Command, Option
from docsync.commandline.pynames import Names, keyword, literal, strings

# optparse actions that take no value (a "callback" takes one only when given a type or nargs)
NO_VALUE_ACTIONS = {"store_true", "store_false", "store_const", "append_const", "count", "help", "version"}
OPTION_GROUP_CALLS = {"make_option_group"}
# calls that receive the parser or an option group but add no option to it
HARMLESS_CALLS = {"OptionGroup", "add_option_group", "insert_option_group", "add_options", "__init__", "super"}
PARSER_NAMES = ("self.parser", "self.cmd_opts", "parser", "cmd_opts")
MAX_DEPTH = 3  # add_options -> a helper given the group -> its helper


@dataclass(slots=True)
class _Read:
    """The options read so far for one command, and whether anything was not readable."""

    options: list[Option] = field(default_factory=list)
    open_ended: bool = False


def add_pip_commands(
    modules: Mapping[str, ast.Module], script: str, entry: str, commands: tuple[Command, ...], paths: Mapping[str, str]
) -> tuple[Command, ...]:
    """`commands` (the script's, its root first) with the commands of a pip-style registry in the entry's package.
    The root lists them, has the general options, and stays open-ended (its own parser is not read)."""
    names = Names(modules)
    package = entry.partition(":")[0].strip().split(".")[0]
    registry = find_registry(names, package)
    if not registry:
        return commands
    general: tuple[Option, ...] | None = None
    found: list[Command] = []
    for name, (module, cls) in registry.items():
        chain = list(class_and_bases(names, module, cls))
        read = read_command_class(names, chain)
        general = read.options_of_general if general is None else general
        line = cls.lineno
        found.append(Command((script, name), tuple(read.options), (), (), read.open_ended, paths.get(module, ""), line))
    module = entry.partition(":")[0].strip()
    root = commands[0] if commands else Command((script,), path=paths.get(module, ""), line=1)
    known_flags = {option.flags for option in root.options}
    extra = tuple(option for option in general or () if option.flags not in known_flags)
    subcommands = tuple(dict.fromkeys([*root.subcommands, *registry]))
    root = replace(root, options=(*root.options, *extra), subcommands=subcommands, open_ended=True)
    known = {command.words for command in commands}
    return (root, *commands[1:], *(command for command in found if command.words not in known))


def find_registry(names: Names, package: str) -> dict[str, tuple[str, ast.ClassDef]]:
    """Command name -> (module, class) of the first registry found in `package` (`commands_dict` preferred): a
    module-level dict every value of which names a project class that builds an option parser."""
    candidates: list[tuple[str, dict[str, tuple[str, ast.ClassDef]]]] = []
    for (module, name), value in sorted(names.defs.items()):
        if module != package and not module.startswith(package + "."):
            continue
        if isinstance(value, ast.Dict | ast.DictComp):
            registry = _registry(names, module, value)
            if len(registry) >= 2 and all(_builds_parser(names, *found) for found in registry.values()):
                candidates.append((name, registry))
    candidates.sort(key=lambda candidate: candidate[0] != "commands_dict")
    return candidates[0][1] if candidates else {}


def _registry(names: Names, module: str, value: ast.Dict | ast.DictComp) -> dict[str, tuple[str, ast.ClassDef]]:
    """The registry's entries, {} when any entry is not statically readable."""
    registry: dict[str, tuple[str, ast.ClassDef]] = {}
    pairs: list[tuple[ast.expr | None, ast.expr]]
    if isinstance(value, ast.DictComp):  # {c.name: c for c in commands_order}
        loop = value.generators[0] if len(value.generators) == 1 else None
        target = ast.unparse(loop.target) if loop else ""
        if not loop or ast.unparse(value.key) != f"{target}.name" or ast.unparse(value.value) != target:
            return {}
        listed = names.constant(module, loop.iter)
        pairs = [(None, element) for element in (listed.elts if isinstance(listed, ast.List | ast.Tuple) else [])]
    else:
        pairs = list(zip(value.keys, value.values, strict=True))
    for key, item in pairs:
        found = _class_info(names, module, item)
        name = _command_name(key, found)
        if found is None or name is None:
            return {}
        registry[name] = found
    return registry


def _class_info(names: Names, module: str, item: ast.expr) -> tuple[str, ast.ClassDef] | None:
    """The class an entry names: `XCommand`, or `CommandInfo("pkg.commands.x", "XCommand", "summary")`."""
    if isinstance(item, ast.Call):
        given = [argument.value for argument in item.args[:2] if isinstance(argument, ast.Constant)]
        if len(given) == 2 and all(isinstance(text, str) for text in given) and given[0] in names.modules:
            found = names.defs.get((str(given[0]), str(given[1])))
            return (str(given[0]), found) if isinstance(found, ast.ClassDef) else None
        return None
    key = names.key(module, item)
    found = names.defs.get(key) if key else None
    return (key[0], found) if key and isinstance(found, ast.ClassDef) else None


def _command_name(key: ast.expr | None, found: tuple[str, ast.ClassDef] | None) -> str | None:
    """A literal key, else the class's literal `name = "install"` (for `XCommand.name` keys and comprehensions)."""
    if isinstance(key, ast.Constant):
        return key.value if isinstance(key.value, str) else None
    if found is None or (key is not None and not (isinstance(key, ast.Attribute) and key.attr == "name")):
        return None
    for statement in found[1].body:
        if isinstance(statement, ast.Assign) and [ast.unparse(target) for target in statement.targets] == ["name"]:
            value = statement.value
            return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None
    return None


def _builds_parser(names: Names, module: str, cls: ast.ClassDef) -> bool:
    """Whether the class or a project base sets `self.cmd_opts` in `__init__`: pip's command base class."""
    for _, owner in class_and_bases(names, module, cls):
        for method in owner.body:
            is_init = isinstance(method, ast.FunctionDef) and method.name == "__init__"
            if is_init and any(ast.unparse(node) == "self.cmd_opts" for node in ast.walk(method)):
                return True
    return False


@dataclass(slots=True)
class _ClassRead(_Read):
    options_of_general: tuple[Option, ...] = ()  # the general group's options, which the root parser has too


def read_command_class(names: Names, chain: Sequence[tuple[str, ast.ClassDef]]) -> _ClassRead:
    """The options of a command class: every `__init__` of its chain, then the first `add_options` (the one a
    `self.add_options()` call runs). A project base we cannot see (a library class) leaves it open-ended."""
    read = _ClassRead()
    methods = [
        FunctionRef(module, node, cls)
        for module, cls in chain
        for node in cls.body
        if isinstance(node, ast.FunctionDef) and node.name == "__init__"
    ]
    adders = [
        FunctionRef(module, node, cls)
        for module, cls in chain
        for node in cls.body
        if isinstance(node, ast.FunctionDef) and node.name == "add_options"
    ]
    for method in [*methods, *_run_adders(adders)]:
        _read_function(names, method, read, 0)
    read.open_ended |= not bases_known(names, chain)
    general = _general_options(names, methods)
    read.options_of_general = general
    known: dict[tuple[str, ...], Option] = {}
    for option in read.options:
        known.setdefault(option.flags, option)
    read.options = list(known.values())
    return read


def _run_adders(adders: Sequence[FunctionRef]) -> list[FunctionRef]:
    """The `add_options` methods a call runs: the first of the chain, and the next while one calls its base's
    (`super().add_options()`, `Base.add_options(self)`)."""
    run: list[FunctionRef] = []
    for adder in adders:
        run.append(adder)
        calls = [
            node for node in ast.walk(adder.node) if isinstance(node, ast.Call) and _callee(node.func) == "add_options"
        ]
        if not any(isinstance(call.func, ast.Attribute) and ast.unparse(call.func.value) != "self" for call in calls):
            break
    return run


def _general_options(names: Names, methods: Sequence[FunctionRef]) -> tuple[Option, ...]:
    """The options of the group the base class's `__init__` makes (`make_option_group(general_group, ...)`)."""
    for method in reversed(methods):  # the base class's __init__ comes last in the chain
        for node in ast.walk(method.node):
            if isinstance(node, ast.Call) and _callee(node.func) in OPTION_GROUP_CALLS and node.args:
                read = _Read()
                _read_group(names, method.module, node.args[0], read)
                return tuple(read.options) if not read.open_ended else ()
    return ()


def _read_function(names: Names, function: FunctionRef, read: _Read, depth: int) -> None:
    """The options every `add_option` call in `function` adds, following helpers given the parser or a group."""
    for node in ast.walk(function.node):
        if not isinstance(node, ast.Call):
            continue
        callee = _callee(node.func)
        if callee == "add_option":
            _read_added(names, function.module, node, read)
        elif callee in OPTION_GROUP_CALLS and node.args:
            _read_group(names, function.module, node.args[0], read)
        elif callee not in HARMLESS_CALLS and _hands_parser(node):
            helper = resolve_call(names, node.func, function, {})
            if helper is None or depth >= MAX_DEPTH:
                read.open_ended = True  # the parser went where we cannot follow: it may gain any option there
            else:
                _read_function(names, helper, read, depth + 1)


def _hands_parser(call: ast.Call) -> bool:
    given = [*call.args, *(keyword.value for keyword in call.keywords)]
    return any(ast.unparse(argument) in PARSER_NAMES for argument in given)


def _read_added(names: Names, module: str, call: ast.Call, read: _Read) -> None:
    """`group.add_option(cmdoptions.x())` or `group.add_option("-f", "--flag", action=...)`."""
    made = call.args[0] if len(call.args) == 1 and not call.keywords else None
    if isinstance(made, ast.Call) and _is_option_class(names, module, made.func):  # add_option(PipOption("--x"))
        option = declared_option(names, module, made.args, made.keywords, made.lineno)
    elif isinstance(made, ast.Call):
        option = read_factory_call(names, module, made)
    else:
        option = declared_option(names, module, call.args, call.keywords, call.lineno)
    if option is None:
        read.open_ended = True
    else:
        read.options.append(option)


def _read_group(names: Names, module: str, group: ast.expr, read: _Read) -> None:
    """A group dict's `"options"`: factories (not called), each read in the module that lists it."""
    listed = _group_factories(names, module, ast.Subscript(group, ast.Constant("options")))
    if listed is None:
        read.open_ended = True
        return
    for owner, element in listed:
        option = read_factory(names, owner, element, ast.Call(element, [], [], lineno=element.lineno))
        if option is None:
            read.open_ended = True
        else:
            read.options.append(option)


def _group_factories(names: Names, module: str, node: ast.expr, depth: int = 0) -> list[tuple[str, ast.expr]] | None:
    """(module, factory) for a list of factories: a literal list, `group["options"]` of a module-level dict, or a
    sum of those (`non_deprecated_index_group["options"] + [allow_external]`)."""
    if depth > 4:
        return None
    if isinstance(node, ast.List):
        return [(module, element) for element in node.elts]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _group_factories(names, module, node.left, depth + 1)
        right = _group_factories(names, module, node.right, depth + 1)
        return left + right if left is not None and right is not None else None
    if not isinstance(node, ast.Subscript) or not isinstance(node.slice, ast.Constant):
        return None
    key = names.key(module, node.value)
    value = names.defs.get(key) if key else None
    if not key or not isinstance(value, ast.Dict):
        return None
    for name, listed in zip(value.keys, value.values, strict=True):
        if isinstance(name, ast.Constant) and name.value == node.slice.value:
            return _group_factories(names, key[0], listed, depth + 1)
    return None


def read_factory_call(names: Names, module: str, call: ast.Call) -> Option | None:
    """The option `cmdoptions.x()` makes, None when not statically known."""
    return read_factory(names, module, call.func, call)


def read_factory(names: Names, module: str, factory: ast.expr, call: ast.Call) -> Option | None:
    """`factory` (`cmdoptions.x`) called as `call`: a `partial(Option, ...)` or a function returning `Option(...)`;
    the call's keywords override the partial's, its positional arguments add flags."""
    key = names.key(module, factory)
    value = names.defs.get(key) if key else None
    if key is None or value is None:
        return None
    made: ast.Call | None = None
    if isinstance(value, ast.Call) and _callee(value.func) == "partial" and value.args:
        made = ast.Call(value.args[0], value.args[1:], value.keywords, lineno=value.lineno)
    elif isinstance(value, ast.FunctionDef):
        returns = [node for node in ast.walk(value) if isinstance(node, ast.Return)]
        only = returns[0].value if len(returns) == 1 else None
        made = only if isinstance(only, ast.Call) and _callee(only.func).endswith("Option") else None
    if made is None or (made is not value and not _callee(made.func).endswith("Option")):
        return None
    overridden = {keyword.arg for keyword in call.keywords}
    keywords = [*(k for k in made.keywords if k.arg not in overridden), *call.keywords]
    return declared_option(names, key[0], [*made.args, *call.args], keywords, made.lineno)


def declared_option(
    names: Names, module: str, args: Sequence[ast.expr], keywords: Sequence[ast.keyword], line: int
) -> Option | None:
    """An optparse/argparse option from its declaration's flags and keywords; None when a flag is not a literal or
    keywords come from `**kwargs` (then what it is, or whether it takes a value, is not known)."""
    flags = [argument.value for argument in args if isinstance(argument, ast.Constant)]
    if len(flags) != len(args) or not flags or not all(isinstance(f, str) and f.startswith("-") for f in flags):
        return None
    given = {keyword.arg: keyword.value for keyword in keywords if keyword.arg}
    if len(given) != len(keywords):
        return None
    action = given.get("action")
    action_name = action.value if isinstance(action, ast.Constant) else None
    takes_value = action_name not in NO_VALUE_ACTIONS and literal(given.get("nargs")) != "0"
    if action_name == "callback":
        takes_value = "type" in given or "nargs" in given
    if action is not None and not isinstance(action, ast.Constant) and "nargs" not in given:
        takes_value = not _action_without_value(names, module, action)
    # an optional value (nargs="?"/"*") may be absent: the next word is then no value to judge against the choices
    nargs = given.get("nargs")
    optional = isinstance(nargs, ast.Constant) and nargs.value in ("?", "*")
    choices = None if optional else choice_values(names, module, given.get("choices"))
    return Option(tuple(str(flag) for flag in flags), takes_value, choices, literal(given.get("default")), line=line)


def choice_values(names: Names, module: str, node: ast.expr | None, depth: int = 0) -> tuple[str, ...] | None:
    """A literal list/tuple of strings, a module constant holding one, or a sum of those (`[...] + FEATURES`)."""
    if node is None or depth > 4:
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = choice_values(names, module, node.left, depth + 1)
        right = choice_values(names, module, node.right, depth + 1)
        return (*left, *right) if left is not None and right is not None else None
    if isinstance(node, ast.Name | ast.Attribute):
        key = names.key(module, node)
        value = names.defs.get(key) if key else None
        return choice_values(names, key[0], value, depth + 1) if key and isinstance(value, ast.expr) else None
    if isinstance(node, ast.List | ast.Tuple):  # elements may be constants too: (CHOICE_NONE, CHOICE_UDIFF)
        values = [e if isinstance(e, ast.Constant) else _constant(names, module, e) for e in node.elts]
        return strings(ast.Tuple([value for value in values if value is not None]) if None not in values else None)
    return None


def _constant(names: Names, module: str, node: ast.expr) -> ast.expr | None:
    key = names.key(module, node)
    value = names.defs.get(key) if key else None
    return value if isinstance(value, ast.Constant) else None


def _action_without_value(names: Names, module: str, action: ast.expr) -> bool:
    """Whether a project's `argparse.Action` subclass passes `nargs=0` to its base (pytest's HelpAction,
    OverrideIniAction): a flag then. Any other custom action is taken to take a value: its arity is not read."""
    key = names.key(module, action)
    cls = names.defs.get(key) if key else None
    for node in ast.walk(cls) if isinstance(cls, ast.ClassDef) else ():
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "__init__":
            nargs = keyword(node, "nargs") or (node.args[2] if len(node.args) > 2 else None)
            if literal(nargs) == "0":
                return True
    return False


def _is_option_class(names: Names, module: str, func: ast.expr) -> bool:
    """`Option`, `optparse.make_option`, or a project class named like one (`PipOption(Option)`)."""
    key = names.key(module, func)
    if key is not None:
        return isinstance(names.defs.get(key), ast.ClassDef) and key[1].endswith("Option")
    return names.dotted(module, func) in ("optparse.Option", "optparse.make_option")


def _callee(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""
