"""Settings keys a project declares by registering them with a host (issue 17): pytest's `parser.addini("name")`
and Sphinx's `app.add_config_value("name")` / `Config.config_values`. Others (plugins, extensions, a user's own
conf.py variables) add keys to the same sections, so these are open-ended for what users write; but the project's
own declarations are complete when every registered name is a literal we can read. Pure: trees in, records out."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from docsync.commandline.pynames import Names, strings

# pytest reads its ini options from all of these.
PYTEST_SECTIONS = ("pytest", "tool:pytest", "tool.pytest.ini_options", "tool.pytest")
SPHINX_SECTION = "conf.py"


@dataclass(frozen=True, slots=True)
class Declared:
    """The names registered through one host API."""

    sections: tuple[str, ...]
    keys: frozenset[str]
    complete: bool  # every registration's name was read
    path: str
    line: int


def read_declared(names: Names, paths: Mapping[str, str]) -> Iterator[Declared]:
    """pytest ini options (only in pytest itself: a plugin's keys are its own, documented with pytest's) and Sphinx
    config values (in Sphinx or any extension that registers them)."""
    for method, sections in (("addini", PYTEST_SECTIONS), ("add_config_value", (SPHINX_SECTION,))):
        keys: set[str] = set()
        complete = True
        first: tuple[str, int] | None = None
        for module, function, cls, call in _registrations(names, method):
            found = _names_of(names, module, function, cls, call.args[0] if call.args else None)
            complete = complete and found is not None
            keys.update(found or ())
            first = first or (paths.get(module, ""), call.lineno)
        if method == "add_config_value":
            for module, value, line in _config_values(names):
                keys.update(value)
                first = first or (paths.get(module, ""), line)
            complete = complete and not _loads_other_extensions(names)
        if first is not None:
            yield Declared(sections, frozenset(keys), complete, *first)


def _registrations(names: Names, method: str) -> Iterator[tuple[str, ast.AST, ast.ClassDef | None, ast.Call]]:
    """Each `x.<method>(...)` call with the function (or module) and class it is in; the method's own definition
    (Sphinx's `Sphinx.add_config_value`) is not a registration."""
    for module, tree in names.modules.items():
        for scope, cls in _scopes(tree):
            if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef) and scope.name == method:
                continue
            for call in _own_calls(scope):
                if isinstance(call.func, ast.Attribute) and call.func.attr == method:
                    yield module, scope, cls, call


def _scopes(tree: ast.Module) -> Iterator[tuple[ast.AST, ast.ClassDef | None]]:
    yield tree, None
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield item, node
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not _is_method(tree, node):
            yield node, None


def _is_method(tree: ast.Module, function: ast.AST) -> bool:
    return any(isinstance(n, ast.ClassDef) and function in n.body for n in ast.walk(tree))


def _own_calls(scope: ast.AST) -> Iterator[ast.Call]:
    """Calls in `scope` itself, not in the functions nested in it (each is a scope of its own)."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        if isinstance(node, ast.Call):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _names_of(
    names: Names, module: str, scope: ast.AST, cls: ast.ClassDef | None, expr: ast.expr | None
) -> tuple[str, ...] | None:
    """A literal name, or the loop variable of `for name, default, ... in Config._config_values` (napoleon)."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return (expr.value,)
    if not isinstance(expr, ast.Name):
        return None
    for loop in ast.walk(scope):
        if not isinstance(loop, ast.For):
            continue
        if isinstance(loop.target, ast.Name) and loop.target.id == expr.id:
            return _literal_sequence(names, module, cls, loop.iter, None)
        if isinstance(loop.target, ast.Tuple):
            for position, element in enumerate(loop.target.elts):
                if isinstance(element, ast.Name) and element.id == expr.id:
                    return _literal_sequence(names, module, cls, loop.iter, position)
    return None


def _literal_sequence(
    names: Names, module: str, cls: ast.ClassDef | None, expr: ast.expr, position: int | None
) -> tuple[str, ...] | None:
    """The strings a loop over `expr` yields (or the `position`-th item of each tuple it yields)."""
    items = isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "items"
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in ("items", "keys"):
        expr = expr.func.value
    value = _value_of(names, module, cls, expr)
    if isinstance(value, ast.Dict):
        if position not in (None, 0) or (position == 0 and not items):
            return None
        return strings(ast.Tuple(elts=[k for k in value.keys if k is not None], ctx=ast.Load()))
    if position is None:
        return strings(value) if isinstance(value, ast.expr) else None
    if not isinstance(value, ast.Tuple | ast.List):
        return None
    picked = [e.elts[position] for e in value.elts if isinstance(e, ast.Tuple) and len(e.elts) > position]
    if len(picked) != len(value.elts):
        return None
    return strings(ast.Tuple(elts=picked, ctx=ast.Load()))


def _loads_other_extensions(names: Names) -> bool:
    """The project always loads an extension from another distribution (Sphinx's `_first_party_extensions`:
    `sphinxcontrib.applehelp`), which registers config values we cannot see. Names we cannot resolve are the
    user's own `extensions` and do not count: their values are not the project's to document."""
    tops = {module.split(".")[0] for module in names.modules}
    for module, scope, cls, call in _registrations(names, "setup_extension"):
        loaded = _names_of(names, module, scope, cls, call.args[-1] if call.args else None)
        if any(name.split(".")[0] not in tops for name in loaded or ()):
            return True
    return False


def _value_of(names: Names, module: str, cls: ast.ClassDef | None, expr: ast.expr) -> ast.AST | None:
    """A literal, a module constant, `self.attr`/`cls.attr` of the enclosing class or `Class.attr` of a class."""
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        owner: ast.AST | None = cls if expr.value.id in ("self", "cls") else None
        if owner is None:
            key = names.find(module, expr.value.id)
            owner = names.defs.get(key) if key else None
        return _class_attribute(owner, expr.attr) if isinstance(owner, ast.ClassDef) else None
    if isinstance(expr, ast.Name):
        key = names.find(module, expr.id)
        value = names.defs.get(key) if key else None
        extended = [_value_of(names, key[0], None, e) for e in _augmented(names, key)] if key else []
        if extended and isinstance(value, ast.Tuple | ast.List):
            # `builtin_extensions += _first_party_extensions`: the constant is all of its parts
            parts = [value, *extended]
            if all(isinstance(part, ast.Tuple | ast.List) for part in parts):
                return ast.Tuple(
                    elts=[e for part in parts if isinstance(part, ast.Tuple | ast.List) for e in part.elts]
                )
            return None
        return value
    return expr


def _augmented(names: Names, key: tuple[str, str]) -> list[ast.expr]:
    """What a module's `NAME += ...` statements add to a module constant."""
    tree = names.modules.get(key[0])
    return [
        node.value for node in (tree.body if tree else [])
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == key[1]
    ]  # fmt: skip


def _class_attribute(cls: ast.ClassDef, attr: str) -> ast.expr | None:
    for statement in cls.body:
        targets = statement.targets if isinstance(statement, ast.Assign) else []
        targets = [statement.target] if isinstance(statement, ast.AnnAssign) else targets
        if any(isinstance(target, ast.Name) and target.id == attr for target in targets):
            return statement.value if isinstance(statement, ast.Assign | ast.AnnAssign) else None
    return None


def _config_values(names: Names) -> Iterator[tuple[str, tuple[str, ...], int]]:
    """Sphinx's own `class Config: config_values = {"project": ..., ...}`: the built-in values."""
    for module, tree in names.modules.items():
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == "Config":
                value = _class_attribute(node, "config_values")
                if isinstance(value, ast.Dict):
                    keys = strings(ast.Tuple(elts=[k for k in value.keys if k is not None], ctx=ast.Load()))
                    if keys:
                        yield module, keys, value.lineno
