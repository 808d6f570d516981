"""A module's own decorators that hand back the function they decorate: they leave its call signature as written.

pytest's `@_with_exception(Failed)` sets an attribute on `fail` and returns it; a docs example calls `fail` as
written. Any other decorator may change how a function is called (`@app.command()`), so only these are seen
through: a module-level function whose every `return` gives back its first parameter (as is, or through
`typing.cast`), or a factory whose every `return` gives back such a function defined inside it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def identity_decorators(module: ast.Module) -> frozenset[str]:
    """The names of the module-level functions that, used as decorators, return the function they get."""
    return frozenset(
        node.name
        for node in module.body
        if isinstance(node, _FUNCTIONS) and (_returns_its_argument(node) or _returns_such_a_function(node))
    )


def _returns_its_argument(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    positional = [*function.args.posonlyargs, *function.args.args]
    if len(positional) != 1 or isinstance(function, ast.AsyncFunctionDef) or _may_leave_otherwise(function):
        return False
    same = {positional[0].arg}  # the argument, and the names bound to it (`wrapped = cast(T, func)`)
    for node in _own_statements(function.body):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if _is_the_argument(node.value, same):
                same.add(node.targets[0].id)
            else:
                same.discard(node.targets[0].id)
    returns = [node for node in _own_statements(function.body) if isinstance(node, ast.Return)]
    return bool(returns) and all(r.value is not None and _is_the_argument(r.value, same) for r in returns)


def _returns_such_a_function(factory: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    inner = {
        node.name
        for node in _own_statements(factory.body)
        if isinstance(node, ast.FunctionDef) and _returns_its_argument(node)
    }
    returns = [node for node in _own_statements(factory.body) if isinstance(node, ast.Return)]
    return bool(inner) and bool(returns) and all(isinstance(r.value, ast.Name) and r.value.id in inner for r in returns)


def _may_leave_otherwise(function: ast.FunctionDef) -> bool:
    """A generator, or a `match` (whose cases' returns `_own_statements` does not read): not judged."""
    generator = any(isinstance(node, ast.Yield | ast.YieldFrom) for node in ast.walk(function))
    return generator or any(isinstance(node, ast.Match) for node in _own_statements(function.body))


def _is_the_argument(value: ast.expr, names: set[str]) -> bool:
    if isinstance(value, ast.Name):
        return value.id in names
    # `cast(T, func)` / `typing.cast(T, func)`: the same object, typed
    if isinstance(value, ast.Call) and len(value.args) == 2 and not value.keywords:
        called = value.func
        is_cast = (isinstance(called, ast.Name) and called.id == "cast") or (
            isinstance(called, ast.Attribute) and called.attr == "cast"
        )
        return is_cast and isinstance(value.args[1], ast.Name) and value.args[1].id in names
    return False


def _own_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of a function body, nested blocks included, not those of functions or classes inside it
    (their own `return`s are not the function's)."""
    for statement in body:
        yield statement
        if isinstance(statement, (*_FUNCTIONS, ast.ClassDef)):
            continue
        for field in ("body", "orelse", "finalbody"):
            yield from _own_statements(getattr(statement, field, []) or [])
        for handler in getattr(statement, "handlers", []) or []:
            yield from _own_statements(handler.body)
