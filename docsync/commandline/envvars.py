"""The environment variables a project's code reads, from its syntax trees (never importing it).

A read is `os.environ["X"]`, `os.environ.get/pop/setdefault("X")`, `os.getenv("X")`, `"X" in os.environ` (also
through `from os import environ, getenv`), click/typer's `envvar=` and `auto_envvar_prefix=`, and pydantic-settings'
`env_prefix`. A name written through a constant (`os.getenv(TOKEN_VAR)`, `consts.TOKEN_VAR`) is followed; a name
built at run time (`PREFIX + name`, `f"TOOL_{key}"`) is a prefix when its head is literal, else ignored: the judge
never reports a name a prefix covers. An option parser that walks the environment for its own options (pip 1.x's
`PIP_<OPTION>`) reads the prefix followed by each option's name, no other (see `parser_env`). Pure: syntax trees
in, records out.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass

from docsync.commandline.parser_env import option_flags, option_variable, parser_methods
from docsync.commandline.pynames import Key, Names, top_level
from docsync.commandline.pynames import keyword as keyword_argument

# Every module in which a read can be found says one of these (click's `auto_envvar_prefix` contains "envvar").
_MENTIONS = (b"environ", b"getenv", b"envvar", b"env_prefix")
_ENVIRON = frozenset({"os.environ"})
_GETENV = frozenset({"os.getenv"})
_READING_METHODS = frozenset({"get", "pop", "setdefault"})
_ITERATING_METHODS = frozenset({"items", "keys"})
# Folders of bundled third-party code (pip's `_vendor`, setuptools' `extern`): what it reads is its authors'
# variables, not the project's (pip's vendored distlib read PYTHONUSERBASE, which only Python's `site` honours).
_VENDORED = frozenset({"_vendor", "vendor", "_vendored", "vendored", "extern", "_extern", "third_party", "thirdparty"})


@dataclass(frozen=True, slots=True)
class EnvReads:
    """The variables the code reads by name, each with the first (path, line) reading it, and the prefixes of
    names it reads but builds at run time (`TOOL_` for `os.environ.get("TOOL_" + key)`)."""

    names: Mapping[str, tuple[str, int]]
    prefixes: tuple[str, ...] = ()

    def covers(self, name: str) -> bool:
        """Whether the code may read `name`: by name, or by a prefix (compared ignoring case, as pydantic-settings
        and click's upper-cased prefixes do)."""
        upper = name.upper()
        return name in self.names or any(upper.startswith(prefix.upper()) for prefix in self.prefixes)


@dataclass(frozen=True, slots=True)
class _Key:
    """A variable's name as the code writes it: whole (`prefix` False) or only its literal head."""

    text: str
    prefix: bool = False
    options: bool = False  # a prefix an option parser reads its options' names under (`PIP_` + `VIRTUALENV_BASE`)


def mentions_env(source: bytes, wrappers: Collection[str] = ()) -> bool:
    """A cheap pre-filter: False only for a module in which `read_env_reads` cannot find anything.

    A module may read through a project function that reads the variable its argument names (`flag("TOOL_X")`):
    parse the modules that mention the environment first, then pass `wrapper_names` of them here to keep the
    modules that call one. (A constant naming a variable may live in another module too: its module must be
    parsed for the name to be followed.)
    """
    return any(word in source for word in _MENTIONS) or any(name.encode() in source for name in wrappers)


def wrapper_names(modules: Mapping[str, ast.Module]) -> frozenset[str]:
    """The names of the functions in `modules` that read the variable one of their parameters names."""
    names = Names(modules)
    return frozenset(key[1] for module, tree in modules.items() for key, _ in _Reader(names, module, tree).wrappers())


def read_env_reads(modules: Mapping[str, ast.Module], paths: Mapping[str, str], *, vendored: bool = True) -> EnvReads:
    """What `modules` (dotted name -> syntax tree) read from the environment; `paths` maps each module to its
    repository path, for where each read is.

    `vendored=False` leaves out bundled third-party code (a `_vendor` folder): right for the names read *before*,
    which must be the project's own (pip's vendored distlib once read PYTHONUSERBASE, a variable of Python's);
    what the code reads *now* includes it (pip honours XDG_CONFIG_DIRS through its vendored platformdirs).
    """
    names = Names(modules)
    found: dict[str, tuple[str, int]] = {}
    prefixes: set[str] = set()
    readers = {
        module: _Reader(names, module, modules[module])
        for module in sorted(modules, key=lambda module: paths.get(module, module))
        if vendored or not is_vendored(paths.get(module, module))
    }
    wrappers = {key: found for reader in readers.values() for key, found in reader.wrappers()}
    by_options: set[str] = set()
    read: list[tuple[str, str, int]] = []
    for module, reader in readers.items():
        path = paths.get(module, module)
        for key, line in reader.reads(wrappers):
            if key.prefix:
                (by_options if key.options else prefixes).add(key.text)
            else:
                read.append((key.text, path, line))
    # The option parser's variables: where each option is declared is where its variable is read.
    for prefix in sorted(by_options - prefixes):
        for module, reader in readers.items():
            read.extend((option_variable(prefix, flag), paths.get(module, module), line)
                        for flag, line in option_flags(reader.tree))  # fmt: skip
    for name, path, line in read:
        if name not in found or (path, line) < found[name]:
            found[name] = (path, line)
    return EnvReads(dict(sorted(found.items())), tuple(sorted(prefix for prefix in prefixes if prefix)))


def is_vendored(path: str) -> bool:
    """Whether `path` is in a folder of bundled third-party code (`src/pip/_vendor/distlib/compat.py`)."""
    return any(part in _VENDORED for part in path.split("/")[:-1])


class _Reader:
    """The reads of one module."""

    def __init__(self, names: Names, module: str, tree: ast.Module) -> None:
        self.names = names
        self.module = module
        self.tree = tree
        self.aliases: set[str] = set()  # what stands for os.environ here, as written: `self._environ`, `env`
        self.getters: set[str] = set()  # what stands for os.environ.get or os.getenv: `get_environ`
        self.loops: dict[str, list[ast.expr]] = {}  # `var` of `for var in ["CI", "BUILD_NUMBER"]` -> the names
        self.parser_methods = parser_methods(tree)
        self._find_aliases(tree)
        self._find_loops(tree)

    def wrappers(self) -> Iterator[tuple[Key, tuple[int, str]]]:
        """The module's functions that read the variable one of their parameters names (`def _get_environ_int(name,
        default): ... os.environ[name]`), each with that parameter's position and name."""
        for function in top_level(self.tree.body):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            parameters = [argument.arg for argument in function.args.posonlyargs + function.args.args]
            for node in ast.walk(function):
                key = self._key_expr(node)
                if isinstance(key, ast.Name) and key.id in parameters:
                    yield (self.module, function.name), (parameters.index(key.id), key.id)
                    break

    def reads(self, wrappers: Mapping[Key, tuple[int, str]]) -> Iterator[tuple[_Key, int]]:
        for node in ast.walk(self.tree):
            key = self._key_expr(node)
            if key is not None:
                yield from self._keyed(key, key)
            if isinstance(node, ast.Call):
                yield from self._call(node, wrappers)
            elif isinstance(node, ast.Dict):
                yield from self._settings_dict(node)
            elif isinstance(node, ast.ClassDef):
                yield from self._settings_class(node)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and self._iterates_environ(node):
                yield from self._startswith_prefixes(node)

    def _find_aliases(self, tree: ast.Module) -> None:
        """Names and attributes assigned os.environ (or a copy, or a choice of it: `environ or os.environ`), so
        that `self._environ.get("NO_COLOR")` is a read; a class attribute is also `self.<name>`."""
        assignments: list[tuple[list[str], ast.expr]] = []
        for node in ast.walk(tree):
            body = node.body if isinstance(node, ast.ClassDef) else []
            for statement in body:
                if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
                    fields = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                    names = [field.id for field in fields if isinstance(field, ast.Name)]
                    assignments.append(([f"self.{name}" for name in names], statement.value))
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                assignments.append(([ast.unparse(target) for target in targets], node.value))
        for _ in range(3):  # chains: `environ = self._environ` after `self._environ = os.environ`
            for written, value in assignments:
                if self._environ_value(value):
                    self.aliases.update(written)
                elif self._is(value, _GETENV) or (
                    isinstance(value, ast.Attribute) and value.attr == "get" and self._is(value.value, _ENVIRON)
                ):
                    self.getters.update(written)  # `get_environ = os.environ.get`

    def _find_loops(self, tree: ast.Module) -> None:
        """Loop variables over a literal list of names, also through a variable assigned it anywhere in the module
        (`env_vars = ["CI", "BUILD_NUMBER"]; any(os.environ.get(var) for var in env_vars)`)."""
        lists: dict[str, list[ast.expr]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.List | ast.Tuple):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        lists[target.id] = list(node.value.elts)
        for node in ast.walk(tree):
            if isinstance(node, ast.For | ast.comprehension) and isinstance(node.target, ast.Name):
                source = self._constant(node.iter)
                if isinstance(source, ast.Name) and source.id in lists:
                    self.loops[node.target.id] = lists[source.id]
                elif isinstance(source, ast.List | ast.Tuple):
                    self.loops[node.target.id] = list(source.elts)

    def _environ_value(self, value: ast.expr) -> bool:
        if isinstance(value, ast.IfExp):
            return self._environ_value(value.body) or self._environ_value(value.orelse)
        if isinstance(value, ast.BoolOp):
            return any(self._environ_value(operand) for operand in value.values)
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "copy":
            return self._is(value.func.value, _ENVIRON)
        if isinstance(value, ast.Call) and _written(value.func) == "dict" and len(value.args) == 1:
            return self._is(value.args[0], _ENVIRON)
        return self._is(value, _ENVIRON)

    def _key_expr(self, node: ast.AST) -> ast.expr | None:
        """The expression naming the variable `node` reads, when it is a read: `os.environ[key]`,
        `os.environ.get(key)`, `os.getenv(key)`, `key in os.environ`."""
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and self._is(node.value, _ENVIRON):
            return node.slice
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.In | ast.NotIn):
            return node.left if self._is(node.comparators[0], _ENVIRON) else None
        if not isinstance(node, ast.Call) or not node.args:
            return None
        function = node.func
        reading = (
            self._is(function, _GETENV)
            or (isinstance(function, ast.Name | ast.Attribute) and ast.unparse(function) in self.getters)
            or (
                isinstance(function, ast.Attribute)
                and function.attr in _READING_METHODS
                and self._is(function.value, _ENVIRON)
            )
        )
        return node.args[0] if reading else None

    def _call(self, call: ast.Call, wrappers: Mapping[Key, tuple[int, str]]) -> Iterator[tuple[_Key, int]]:
        wrapper = self.names.key(self.module, call.func) if wrappers else None
        if wrapper is not None and wrapper in wrappers:
            position, parameter = wrappers[wrapper]
            passed = call.args[position] if position < len(call.args) else keyword_argument(call, parameter)
            if passed is not None and not isinstance(passed, ast.Starred):
                yield from self._keyed(passed, call)
        for keyword in call.keywords:
            if keyword.arg == "envvar":
                for element in self._elements(keyword.value):
                    yield from self._keyed(element, keyword.value)
            elif keyword.arg in ("auto_envvar_prefix", "env_prefix"):
                yield from self._prefix(keyword.arg, keyword.value)

    def _settings_dict(self, mapping: ast.Dict) -> Iterator[tuple[_Key, int]]:
        """`context_settings={"auto_envvar_prefix": "TOOL"}`, `model_config = {"env_prefix": "APP_"}`."""
        for key, value in zip(mapping.keys, mapping.values, strict=True):
            if isinstance(key, ast.Constant) and key.value in ("auto_envvar_prefix", "env_prefix"):
                yield from self._prefix(str(key.value), value)

    def _prefix(self, setting: str, value: ast.expr) -> Iterator[tuple[_Key, int]]:
        key = self._key(value)
        if key is not None and key.text:
            # click builds `f"{prefix}_{name}".upper()`; pydantic-settings prepends env_prefix as written.
            text = f"{key.text.upper()}_" if setting == "auto_envvar_prefix" and not key.prefix else key.text
            yield _Key(text, prefix=True), value.lineno

    def _settings_class(self, node: ast.ClassDef) -> Iterator[tuple[_Key, int]]:
        """`class Config: env_prefix = "APP_"` (pydantic v1; a `model_config` dict is read as any dict)."""
        for statement in node.body:
            if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                for target in targets:
                    if isinstance(target, ast.Name) and target.id == "env_prefix":
                        yield from self._prefix("env_prefix", statement.value)

    def _iterates_environ(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """Whether the function walks the whole environment (`for key, value in os.environ.items()`)."""
        for node in ast.walk(function):
            if isinstance(node, ast.For | ast.comprehension):
                source = node.iter
                method = source.func if isinstance(source, ast.Call) else None
                if isinstance(method, ast.Attribute) and method.attr in _ITERATING_METHODS:
                    source = method.value
                if self._is(source, _ENVIRON):
                    return True
        return False

    def _startswith_prefixes(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[tuple[_Key, int]]:
        """In a function that walks the environment, `key.startswith("PIP_")` selects the variables it reads (the
        prefix also a parameter's default: `def get_environ_vars(self, prefix="PIP_")`); in an option parser's
        method, only those named after its options."""
        arguments = function.args
        defaults = dict(zip([a.arg for a in arguments.args][::-1], arguments.defaults[::-1], strict=False))
        defaults.update((a.arg, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True) if d)
        options = function in self.parser_methods
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "startswith"
                and node.args
            ):
                for element in self._elements(node.args[0]):
                    written = defaults.get(element.id, element) if isinstance(element, ast.Name) else element
                    key = self._key(written)
                    if key is not None and key.text:
                        yield _Key(key.text, prefix=True, options=options and not key.prefix), node.lineno

    def _keyed(self, expr: ast.expr, where: ast.expr | ast.stmt) -> Iterator[tuple[_Key, int]]:
        looped = self.loops.get(expr.id) if isinstance(expr, ast.Name) else None
        for element in looped if looped is not None else [expr]:
            key = self._key(element)
            if key is not None and key.text:
                yield key, where.lineno

    def _elements(self, expr: ast.expr) -> list[ast.expr]:
        """A list or tuple's elements (also through a constant), else the expression itself."""
        value = self._constant(expr)
        return list(value.elts) if isinstance(value, ast.List | ast.Tuple) else [expr]

    def _key(self, expr: ast.expr, depth: int = 0) -> _Key | None:
        """The variable's name, or the literal head of a name built at run time; None when nothing is literal."""
        if depth > 8:
            return None
        value = self._constant(expr)
        if isinstance(value, ast.Constant):
            return _Key(value.value) if isinstance(value.value, str) else None
        if value is not expr:
            return self._key(value, depth + 1)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return self._joined([expr.left, expr.right], depth)
        if isinstance(expr, ast.JoinedStr):
            parts = [
                part.value
                if isinstance(part, ast.FormattedValue) and not part.format_spec and part.conversion == -1
                else part
                for part in expr.values
            ]
            return self._joined(parts, depth)
        return None

    def _joined(self, parts: list[ast.expr], depth: int) -> _Key | None:
        """Literal pieces concatenated up to the first that is not: the whole name, or its head as a prefix."""
        head = ""
        for part in parts:
            key = self._key(part, depth + 1)
            if key is None:
                return _Key(head, prefix=True) if head else None
            head += key.text
            if key.prefix:
                return _Key(head, prefix=True)
        return _Key(head)

    def _constant(self, expr: ast.expr) -> ast.expr:
        """A module-level constant's value in place of its name (`TOKEN_VAR`, `settings.TOKEN_VAR`)."""
        if isinstance(expr, ast.Name | ast.Attribute):
            key = self.names.key(self.module, expr)
            value = self.names.defs.get(key) if key else None
            if isinstance(value, ast.expr):
                return value
        return expr

    def _is(self, expr: ast.expr, names: frozenset[str]) -> bool:
        """Whether `expr` denotes `os.environ` (or `os.getenv`), through the module's imports or, for a function's
        own `import os`, as written."""
        if names is _ENVIRON and isinstance(expr, ast.Name | ast.Attribute) and ast.unparse(expr) in self.aliases:
            return True
        dotted = self.names.dotted(self.module, expr)
        if dotted:
            return dotted in names
        return (
            isinstance(expr, ast.Attribute)
            and isinstance(expr.value, ast.Name)
            and f"{expr.value.id}.{expr.attr}" in names
        )


def _written(expr: ast.expr) -> str:
    return expr.id if isinstance(expr, ast.Name) else ""
