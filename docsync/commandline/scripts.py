"""The console scripts a project declares, read from its packaging files' text: pyproject `[project.scripts]` and
`[tool.poetry.scripts]`, setup.cfg `[options.entry_points] console_scripts`, setup.py `entry_points=` (read with
`ast`: literals, or the literal names a local function builds them from). Each maps a command name to
"package.module:function". Malformed input gives nothing, never an exception: a project's broken packaging file
is not docsync's error to report."""

from __future__ import annotations

import ast
import configparser
import re
import sys
from collections.abc import Iterable, Mapping
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


def console_scripts(
    pyproject: str | None = None, setup_cfg: str | None = None, setup_py: str | None = None
) -> dict[str, str]:
    """Every console script the given files declare; pyproject wins over setup.cfg, which wins over setup.py
    (the order in which modern builds read them)."""
    found: dict[str, str] = {}
    for read, text in ((from_setup_py, setup_py), (from_setup_cfg, setup_cfg), (from_pyproject, pyproject)):
        if text is not None:
            found.update(read(text))
    return found


def from_pyproject(text: str) -> dict[str, str]:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return {}
    project = _table(data, "project")
    poetry = _table(_table(data, "tool"), "poetry")
    found = _entries(_table(project, "scripts").items())
    # poetry 2 also allows a table: `name = { reference = "pkg.mod:main", type = "console" }`
    for name, value in _table(poetry, "scripts").items():
        if isinstance(value, Mapping) and value.get("type", "console") == "console":
            value = value.get("reference", value.get("callable"))
        found.update(_entries([(name, value)]))
    return found


def from_setup_cfg(text: str) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
        value = parser.get("options.entry_points", "console_scripts", fallback="")
    except configparser.Error:
        return {}
    return _entries(_ini_lines(value.splitlines()))


def from_setup_py(text: str) -> dict[str, str]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return {}
    constants = _module_constants(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called_name(node.func) == "setup":
            entry_points = next((kw.value for kw in node.keywords if kw.arg == "entry_points"), None)
            if entry_points is not None:
                literal = _setup_py_entry_points(_literal(entry_points, constants))
                return literal or _built_scripts(tree, entry_points)
    return {}


def setup_py_scripts(text: str) -> list[str]:
    """The files `setup(scripts=[...])` installs as commands (`bin/tool`; Windows `.bat` files left out), also
    through a module-level dict given as `setup(**args)`."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    constants = _module_constants(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called_name(node.func) == "setup":
            for keyword in node.keywords:
                value = _literal(keyword.value, constants)
                if keyword.arg is None and isinstance(value, dict):
                    value = value.get("scripts")
                elif keyword.arg != "scripts":
                    continue
                if isinstance(value, list | tuple):
                    return [path for path in value if isinstance(path, str) and not path.endswith(".bat")]
    return []


def script_entry(text: str) -> str | None:
    """`module:function` a script file runs: `from tool.cmdline import execute` then `execute()` (or
    `sys.exit(execute())`) at its top level; None when it does something else."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    imported = {
        alias.asname or alias.name: f"{node.module}:{alias.name}"
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module and not node.level
        for alias in node.names
    }
    for statement in tree.body:
        call = statement.value if isinstance(statement, ast.Expr) else None
        if isinstance(call, ast.Call) and _called_name(call.func) in ("exit", "sys.exit") and call.args:
            call = call.args[0]
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in imported:
            return imported[call.func.id]
    return None


def _setup_py_entry_points(value: Any) -> dict[str, str]:
    if isinstance(value, str):  # setuptools also takes the ini text itself: `[console_scripts]\nname = mod:fn`
        parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
        try:
            parser.read_string(value)
            return _entries(parser.items("console_scripts")) if parser.has_section("console_scripts") else {}
        except configparser.Error:
            return {}
    if not isinstance(value, Mapping):
        return {}
    scripts = value.get("console_scripts", ())
    lines = scripts.splitlines() if isinstance(scripts, str) else scripts
    if not isinstance(lines, (list, tuple)):
        return {}
    return _entries(_ini_lines(line for line in lines if isinstance(line, str)))


# `tool = pkg.cli:main` written whole in one string literal (extras allowed); nothing built, nothing else
_ENTRY_LINE = re.compile(r"\s*([\w.-]+)\s*=\s*([\w.]+\s*:\s*[\w.]+)\s*(?:\[[^\]]*\])?\s*")
_SCRIPT_NAME = re.compile(r"[\w.-]+")
MAX_BUILDERS = 4  # make_entry_points() -> cmdline_entrypoints() -> ...


def _built_scripts(tree: ast.Module, entry_points: ast.expr) -> dict[str, str]:
    """`entry_points=make_entry_points()` (or `{"console_scripts": make_scripts()}`): the scripts that the
    setup.py's own functions, and the local functions they call, write with literal names: whole
    `"tool = pkg.cli:main"` strings, `{"tool": target}` and `points["tool"] = target`, the target a literal or a
    name the function assigns one. A name built with % or format (`py.test-%s.%s` % version) is left out: which
    one is installed depends on the interpreter that installs, and none of them is written in docs as such."""
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    call: ast.expr | None = entry_points
    whole = True  # the call builds all entry points: it must name console_scripts (not only gui_scripts)
    if isinstance(entry_points, ast.Dict):
        keys = [key.value if isinstance(key, ast.Constant) else None for key in entry_points.keys]
        call = dict(zip(keys, entry_points.values, strict=True)).get("console_scripts")
        whole = False
    elif isinstance(entry_points, ast.Call) and _called_name(entry_points.func) == "dict":
        call = next((kw.value for kw in entry_points.keywords if kw.arg == "console_scripts"), None)
        whole = False
    reached = _local_functions(functions, call)
    if whole and not any(_string(node) == "console_scripts" for function in reached for node in ast.walk(function)):
        return {}
    return _entries(pair for function in reached for pair in _literal_pairs(function))


def _local_functions(functions: Mapping[str, ast.FunctionDef], call: ast.expr | None) -> list[ast.FunctionDef]:
    """The setup.py functions `call` runs, and those they call in turn (a few levels)."""
    reached: list[ast.FunctionDef] = []
    pending = [call] if isinstance(call, ast.Call) else []
    while pending and len(reached) < MAX_BUILDERS:
        node = pending.pop()
        function = functions.get(node.func.id) if isinstance(node.func, ast.Name) else None
        if function is not None and function not in reached:
            reached.append(function)
            pending.extend(inner for inner in ast.walk(function) if isinstance(inner, ast.Call))
    return reached


def _literal_pairs(function: ast.FunctionDef) -> list[tuple[str, str]]:
    """(name, target) pairs the function writes with a literal name (see `_built_scripts`)."""
    assigned = {
        target.id: text
        for node in ast.walk(function)
        if isinstance(node, ast.Assign) and (text := _string(node.value)) is not None
        for target in node.targets
        if isinstance(target, ast.Name)
    }

    def target(node: ast.expr) -> str | None:
        return assigned.get(node.id) if isinstance(node, ast.Name) else _string(node)

    pairs: list[tuple[str | None, str | None]] = []
    for node in ast.walk(function):
        line = _ENTRY_LINE.fullmatch(_string(node) or "")
        if line is not None:
            pairs.append((line[1], line[2]))
        elif isinstance(node, ast.Dict):
            written = zip(node.keys, node.values, strict=True)
            pairs.extend((_string(key), target(value)) for key, value in written if key is not None)
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript):
            pairs.append((_string(node.targets[0].slice), target(node.value)))
    return [
        (name, value)
        for name, value in pairs
        if name and value and _SCRIPT_NAME.fullmatch(name) and _ENTRY_LINE.fullmatch(f"{name}={value}")
    ]


def _string(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _ini_lines(lines: Iterable[str]) -> list[tuple[str, str]]:
    pairs = []
    for line in lines:
        name, equals, target = line.partition("=")
        if equals:
            pairs.append((name.strip(), target))
    return pairs


def _entries(pairs: Iterable[tuple[Any, Any]]) -> dict[str, str]:
    """Well-formed `name -> module:function` pairs; extras (`mod:main [cli]`) dropped, anything else skipped."""
    found = {}
    for name, target in pairs:
        if not isinstance(name, str) or not isinstance(target, str):
            continue
        target = target.partition("[")[0].strip()
        module, colon, function = target.partition(":")
        if name.strip() and colon and module.strip() and function.strip():
            found[name.strip()] = f"{module.strip()}:{function.strip()}"
    return found


def _table(data: Any, key: str) -> Mapping[str, Any]:
    value = data.get(key) if isinstance(data, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def _called_name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):  # setuptools.setup(...)
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _module_constants(tree: ast.Module) -> dict[str, ast.expr]:
    """Top-level `NAME = <expr>`, so that `entry_points=ENTRY_POINTS` is read too."""
    return {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _literal(node: ast.expr, constants: Mapping[str, ast.expr], depth: int = 0) -> Any:
    """The value of a literal, following module-level names a few times; None when not a literal."""
    if isinstance(node, ast.Name) and depth < 3 and node.id in constants:
        return _literal(constants[node.id], constants, depth + 1)
    if isinstance(node, ast.Dict):
        keys = [_literal(key, constants, depth) if key is not None else None for key in node.keys]
        values = (_literal(value, constants, depth) for value in node.values)
        return {key: value for key, value in zip(keys, values, strict=True) if isinstance(key, str)}
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_literal(element, constants, depth) for element in node.elts]
    if isinstance(node, ast.Call) and _called_name(node.func) == "dict" and not node.args:
        return {kw.arg: _literal(kw.value, constants, depth) for kw in node.keywords if kw.arg}
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError):
        return None
