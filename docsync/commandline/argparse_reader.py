"""A project's argparse (and optparse) command line, read from its syntax trees, never by importing it: from a
console script's function we follow, in source order, the parsers built there or in project functions it calls, their
`add_argument` calls, groups, `parents=`, and `add_subparsers().add_parser(name)` children, also through helpers
that receive a parser. What we cannot read (flags from data, `**kwargs`, a parser handed to code we cannot follow,
`parse_known_args`) makes the command open-ended rather than guessed: no option is called unknown on a guess."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from docsync.commandline.argparse_calls import (
    FunctionRef,
    is_super,
    method_owners,
    passed_strings,
    positional_parameters,
    project_class,
    resolve_call,
    resolve_target,
)
from docsync.commandline.model import Command, Option
from docsync.commandline.pynames import Names, keyword, literal, strings

MAX_DEPTH = 4  # entry -> main -> build_main -> get_parser: deeper chains are rare, and cost time for nothing
MAX_FUNCTIONS = 400  # a budget of function bodies read per script, so a large project stays cheap
PARSER_CLASSES = ("ArgumentParser", "OptionParser")
NO_VALUE_ACTIONS = {"store_true", "store_false", "store_const", "append_const", "count", "help", "version"}
HARMLESS_CALLEES = {"autocomplete", "print", "len", "isinstance", "id", "repr", "str", "vars"}  # read, never extend


@dataclass(slots=True, eq=False)
class _Parser:
    """A parser being built: mutable while the code is followed, turned into `Command`s at the end."""

    path: str
    line: int
    name: str = ""  # its sub-command word; "" for a top-level parser
    aliases: tuple[str, ...] = ()
    options: list[Option] = field(default_factory=list)
    positionals: list[str] = field(default_factory=list)
    children: list[_Parser] = field(default_factory=list)
    open_ended: bool = False
    is_child: bool = False
    used_as_parent: bool = False


@dataclass(slots=True)
class _Frame:
    """One function being followed: the parsers its names hold, the strings its loops bind, what it returns."""

    function: FunctionRef
    env: dict[str, _Parser]
    depth: int
    strings: dict[str, str] = field(default_factory=dict)  # `for ext in ("todo", "ifconfig"):` -> ext
    instances: dict[str, tuple[str, ast.ClassDef]] = field(default_factory=dict)  # `self`, `tool = Tool()`
    # parameters given a literal string at the call (`_command(commands, "check")`), for `add_parser(name)` only
    passed_strings: dict[str, str] = field(default_factory=dict)
    returned: _Parser | None = None


def read_argparse(
    modules: Mapping[str, ast.Module], entry: str, script: str, paths: Mapping[str, str] | None = None
) -> tuple[Command, ...]:
    """The commands the console script `script` (entry "pkg.module:function") declares with argparse or optparse,
    the script itself first; () when its entry function cannot be found or builds no parser. `paths` maps module
    names to repository-relative files, for `Command.path`."""
    names = Names(modules)
    function = resolve_target(names, entry)
    if function is None:
        return ()
    reader = _Reader(names, paths or {})
    reader.run(function, {}, 0)
    roots = [parser for parser in reader.created if not parser.is_child and not parser.used_as_parent]
    if not roots:
        return ()
    root = _merged(roots)
    known = {flag for option in root.options for flag in option.flags}
    root.options.extend(option for option in reader.argv_flags if option.flags[0] not in known)
    return tuple(_commands((script,), root))


def read_parameter_options(
    names: Names, functions: Iterable[FunctionRef], paths: Mapping[str, str] | None = None
) -> list[tuple[tuple[Option, ...], tuple[str, ...], bool]]:
    """Per function, the options and positionals it adds to the parser it receives first (Django's
    `add_arguments(self, parser)`), followed as any parser-building code, and True when it may add others we cannot
    read. One reader serves them all: indexing the project's methods costs more than reading one function."""
    reader = _Reader(names, paths or {})
    found: list[tuple[tuple[Option, ...], tuple[str, ...], bool]] = []
    for function in functions:
        parameters = positional_parameters(function, bound=function.cls is not None)
        parser = _Parser((paths or {}).get(function.module, ""), function.node.lineno, open_ended=not parameters)
        reader.runs = 0  # a budget per function
        if parameters:
            reader.run(function, {parameters[0]: parser}, 0)
        found.append((tuple(parser.options), tuple(dict.fromkeys(parser.positionals)), parser.open_ended))
    return found


def read_added_options(
    names: Names, function: FunctionRef, calls: Iterable[ast.Call]
) -> tuple[tuple[Option, ...], bool]:
    """The options `add_argument` `calls` found in `function` declare; True when one cannot be read (flags from
    data, `**kwargs`)."""
    parser = _Parser("", 0)
    frame = _Frame(function, {}, 0)
    for call in calls:
        _add_argument(parser, call, frame, names)
    return tuple(parser.options), parser.open_ended


class _Reader:
    def __init__(self, names: Names, paths: Mapping[str, str]) -> None:
        self.names, self.paths = names, paths
        self.created: list[_Parser] = []
        self.runs = 0
        self.results: dict[int, _Parser | None] = {}  # functions run without parser arguments: read once
        self.method_owners = method_owners(names.modules)
        # flags the code looks for in argv itself (sphinx-build's `if argv[:1] == ["-M"]:`), as taking a value: we
        # cannot tell, and a value taken wrongly only hides a finding, never makes one
        self.argv_flags: list[Option] = []

    def run(
        self, function: FunctionRef, env: dict[str, _Parser], depth: int, passed: Mapping[str, str] | None = None
    ) -> _Parser | None:
        key = id(function.node)
        cached = not env and not passed  # what a call passes may change what the function builds
        if cached and key in self.results:
            return self.results[key]
        self.results.setdefault(key, None)  # recursion guard
        self.runs += 1
        frame = _Frame(function, env, depth, passed_strings=dict(passed or {}))
        receiver = function.node.args.args[:1] if function.cls else []
        frame.instances.update({argument.arg: (function.module, function.cls) for argument in receiver if function.cls})
        self._block(function.node.body, frame)
        if cached:
            self.results[key] = frame.returned
        return frame.returned

    def _block(self, body: list[ast.stmt], frame: _Frame) -> None:
        """Statements in source order, into every branch and loop body, not into nested functions or classes. A loop
        over literal strings runs once per string, so that `add_argument(f"--ext-{name}")` reads each option."""
        for statement in body:
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            value = self._statement(statement, frame)
            if isinstance(statement, ast.If | ast.While):
                self.argv_flags.extend(_compared_flags(statement.test))
            if isinstance(statement, ast.Return) and frame.returned is None:
                frame.returned = value
            strings = _loop_strings(statement, self.names, frame)
            loop_values: list[str | None] = list(strings) if strings else [None]
            for loop_value in loop_values:
                if loop_value is not None and isinstance(statement, ast.For | ast.AsyncFor):
                    frame.strings[ast.unparse(statement.target)] = loop_value
                parts = [*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())]  # except:, case:
                for nested in [*(getattr(statement, name, []) for name in ("body", "orelse", "finalbody")), *parts]:
                    nested = nested.body if isinstance(nested, ast.ExceptHandler | ast.match_case) else nested
                    if isinstance(nested, list) and nested and isinstance(nested[0], ast.stmt):
                        self._block(nested, frame)

    def _statement(self, statement: ast.stmt, frame: _Frame) -> _Parser | None:
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
            value = self.eval(statement.value, frame)
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            call = statement.value.func if isinstance(statement.value, ast.Call) else None
            instance = project_class(self.names, frame.function, call) if call else None
            frame.instances.update({ast.unparse(target): instance for target in targets if instance})
            named = [ast.unparse(target) for target in targets if isinstance(target, ast.Name | ast.Attribute)]
            frame.env.update({name: value for name in named if value is not None})
            return value
        if isinstance(statement, (ast.Expr, ast.Return)) and statement.value is not None:
            return self.eval(statement.value, frame)
        return None

    def eval(self, node: ast.expr, frame: _Frame) -> _Parser | None:
        """The parser-like value `node` gives, after running the side effects of its calls on parsers."""
        if isinstance(node, (ast.Name, ast.Attribute)):
            found = frame.env.get(ast.unparse(node))
            if found is not None or isinstance(node, ast.Name):
                return found
        if isinstance(node, ast.Attribute):
            self.eval(node.value, frame)
            return None
        if not isinstance(node, ast.Call):
            return None
        if isinstance(node.func, ast.Attribute):
            receiver = self.eval(node.func.value, frame)
            if isinstance(receiver, _Parser):
                return self._parser_method(receiver, node, frame)
        if self._is_parser_class(node.func, frame.function):
            return self._new_parser(node, frame)
        if _callee_name(node.func) == "OptionGroup" and node.args:
            return self.eval(node.args[0], frame)  # optparse: OptionGroup(parser, title) adds to that parser
        return self._call(node, frame)

    def _is_parser_class(self, func: ast.expr, caller: FunctionRef) -> bool:
        """`argparse.ArgumentParser`, `optparse.OptionParser`, or a project class derived from one of them."""
        if _callee_name(func).endswith(PARSER_CLASSES):
            return True
        found = project_class(self.names, caller, func)
        return found is not None and any(ast.unparse(base).endswith(PARSER_CLASSES) for base in found[1].bases)

    def _new_parser(self, node: ast.Call, frame: _Frame, name: str = "") -> _Parser:
        parser = _Parser(self.paths.get(frame.function.module, ""), node.lineno, name=name)
        keywords = {given.arg: given.value for given in node.keywords if given.arg}
        if any(given.arg is None for given in node.keywords):
            parser.open_ended = True
        for option in ("add_help", "add_help_option"):
            if option in keywords and _literal(keywords[option]) is False:
                break
        else:
            parser.options.append(Option(("-h", "--help"), takes_value=False, line=node.lineno))
        if "version" in keywords and _callee_name(node.func).endswith("OptionParser"):
            parser.options.append(Option(("--version",), takes_value=False, line=node.lineno))
        parents = keywords.get("parents")
        # a list we cannot read (`parents=PARENTS`) evaluates to no parser, and so opens the command
        for element in parents.elts if isinstance(parents, ast.List | ast.Tuple) else [parents] if parents else []:
            parent = self.eval(element, frame)
            if isinstance(parent, _Parser):
                parent.used_as_parent = True
                known = {option.flags for option in parser.options}
                parser.options.extend(option for option in parent.options if option.flags not in known)
                parser.positionals.extend(parent.positionals)
                parser.open_ended |= parent.open_ended
            else:
                parser.open_ended = True
        self.created.append(parser)
        return parser

    def _parser_method(self, parser: _Parser, node: ast.Call, frame: _Frame) -> _Parser | None:
        method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        if method in ("add_argument", "add_option"):
            _add_argument(parser, node, frame, self.names)
        elif method in ("add_argument_group", "add_mutually_exclusive_group", "add_option_group"):
            return parser  # a group's options are its parser's options
        elif method == "add_subparsers":
            return parser  # its `add_parser` adds a sub-command to this parser (which has no method of that name)
        elif method == "add_parser":
            return self._add_parser(parser, node, frame)
        elif method in ("parse_known_args", "parse_known_intermixed_args"):
            parser.open_ended = True
        return None

    def _add_parser(self, parent: _Parser, node: ast.Call, frame: _Frame) -> _Parser:
        given = node.args[0] if node.args else keyword(node, "name")
        name = _text(given, frame.passed_strings) if given is not None else None
        child = self._new_parser(node, frame, name=name or "")
        child.is_child = True
        aliases = keyword(node, "aliases")
        child.aliases = strings(aliases) or ()
        parent.open_ended |= aliases is not None and strings(aliases) is None
        if child.name:
            parent.children.append(child)
        else:
            parent.open_ended = True  # sub-commands named from data: any word may be one
        return child

    def _call(self, node: ast.Call, frame: _Frame) -> _Parser | None:
        """A call to a project function: followed, with the parsers it receives bound to its parameters."""
        passed = [self.eval(argument, frame) for argument in node.args]
        named = {given.arg: self.eval(given.value, frame) for given in node.keywords}
        handed = [value for value in [*passed, *named.values()] if value is not None]
        callee = resolve_call(self.names, node.func, frame.function, frame.instances)
        if callee is None or frame.depth >= MAX_DEPTH or self.runs >= MAX_FUNCTIONS:
            if _callee_name(node.func) not in HARMLESS_CALLEES:
                for parser in handed:  # the parser went where we cannot follow: it may gain any option there
                    parser.open_ended = True
            return None
        through_super = isinstance(node.func, ast.Attribute) and is_super(node.func.value)
        overridable = isinstance(node.func, ast.Attribute) and len(self.method_owners.get(node.func.attr, ())) > 1
        if handed and overridable and not through_super:
            for parser in handed:  # `self.add_arguments(parser)`: a subclass may override it with its own options
                parser.open_ended = True
        bound = isinstance(node.func, ast.Attribute) and ast.unparse(node.func.value) in frame.instances
        bound |= through_super
        env = _bind(callee, bound, passed, named)
        return self.run(callee, env, frame.depth + 1, passed_strings(callee, bound, node))


def _bind(
    callee: FunctionRef, bound: bool, passed: list[_Parser | None], named: Mapping[str | None, _Parser | None]
) -> dict[str, _Parser]:
    """The parsers a call passes, by parameter name; `bound`: called through an instance (`self.add(parser)`)."""
    parameters = positional_parameters(callee, bound)
    env = {name: value for name, value in zip(parameters, passed, strict=False) if value is not None}
    env.update({name: value for name, value in named.items() if name and value is not None})
    return env


def _add_argument(parser: _Parser, node: ast.Call, frame: _Frame, names: Names) -> None:
    words = [_text(argument, frame.strings) for argument in node.args]
    if not words or None in words or any(given.arg is None for given in node.keywords):
        parser.open_ended = True  # flags from data or `**kwargs`: not statically readable
        return
    keywords = {given.arg: given.value for given in node.keywords if given.arg}
    flags = tuple(str(word) for word in words)
    if not flags[0].startswith("-"):
        parser.positionals.append(flags[0])
        return
    action = keywords.get("action")
    action_name = _literal(action) if action is not None else None
    is_boolean = action is not None and ast.unparse(action).endswith("BooleanOptionalAction")
    takes_value = action_name not in NO_VALUE_ACTIONS and not is_boolean and _literal(keywords.get("nargs")) != 0
    if action_name == "callback":  # optparse: a callback takes a value only when given a type or nargs
        takes_value = "type" in keywords or "nargs" in keywords
    if is_boolean:
        flags += tuple("--no-" + flag[2:] for flag in flags if flag.startswith("--"))
    choices = _choices(names.constant(frame.function.module, keywords.get("choices")))
    default = literal(keywords.get("default"))
    parser.options.append(Option(flags, takes_value, choices, default, line=node.lineno))


def _choices(node: ast.expr | None) -> tuple[str, ...] | None:
    if not isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return None
    values = [_literal(element) for element in node.elts]
    if any(value is None or isinstance(value, (list, dict, tuple)) for value in values):
        return None
    return tuple(str(value) for value in values)


def _merged(roots: list[_Parser]) -> _Parser:
    """One top-level parser: a script that builds several (per branch of `main`) accepts their union."""
    merged = roots[0]
    for other in roots[1:]:
        known = {option.flags for option in merged.options}
        merged.options.extend(option for option in other.options if option.flags not in known)
        merged.positionals.extend(other.positionals)
        merged.children.extend(other.children)
        merged.open_ended |= other.open_ended
    return merged


def _commands(words: tuple[str, ...], parser: _Parser) -> Iterator[Command]:
    names = tuple(dict.fromkeys(name for child in parser.children for name in (child.name, *child.aliases)))
    options, positionals = tuple(parser.options), tuple(dict.fromkeys(parser.positionals))
    yield Command(words, options, names, positionals, parser.open_ended, parser.path, parser.line)
    for child in parser.children:
        for name in (child.name, *child.aliases):
            yield from _commands((*words, name), child)


def _loop_strings(statement: ast.stmt, names: Names, frame: _Frame) -> list[str] | None:
    """The strings a `for name in <literal or module constant>:` loop binds; None for any other statement."""
    if not isinstance(statement, ast.For | ast.AsyncFor) or not isinstance(statement.target, ast.Name):
        return None
    iterable = names.constant(frame.function.module, statement.iter)
    if isinstance(iterable, ast.Dict):  # `for name in {"todo": ..., "ifconfig": ...}` iterates the keys
        iterable = ast.Tuple([key for key in iterable.keys if key is not None])
    elements = iterable.elts if isinstance(iterable, ast.List | ast.Tuple | ast.Set) else []
    values = [_literal(element) for element in elements]
    return [value for value in values if isinstance(value, str)] if all(isinstance(v, str) for v in values) else None


def _compared_flags(test: ast.expr) -> Iterator[Option]:
    """`-M` in `argv[:1] == ["-M"]`, `"--version" in sys.argv`: an option the code reads without its parser."""
    for compare in (node for node in ast.walk(test) if isinstance(node, ast.Compare)):
        for node in ast.walk(compare):
            text = node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""
            if len(text) > 1 and text.startswith("-") and (text[1].isalnum() or text[1:3].strip("-").isalnum()):
                yield Option((text,), takes_value=True, line=compare.lineno)


def _text(node: ast.expr, strings: Mapping[str, str]) -> str | None:
    """A string literal, a loop's string, or an f-string made of those; None when not statically known."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.Name):
        return strings.get(node.id)
    if isinstance(node, ast.FormattedValue) and node.conversion == -1 and node.format_spec is None:
        return _text(node.value, strings)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):  # "--ext-%s" % name, "--" + name
        left, right = _text(node.left, strings), _text(node.right, strings)
        if left is None or right is None:
            return None
        return left + right if isinstance(node.op, ast.Add) else left.replace("%s", right, 1)
    if isinstance(node, ast.JoinedStr):
        parts = [_text(part, strings) for part in node.values]
        return "".join(part for part in parts if part is not None) if None not in parts else None
    return None


def _callee_name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _literal(node: ast.expr | None) -> object:
    """The value of a literal expression; None when absent or not a literal."""
    try:
        return ast.literal_eval(node) if node is not None else None
    except (ValueError, TypeError, SyntaxError, RecursionError):
        return None
