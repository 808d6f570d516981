"""The strings an expression can take, read statically (for the names settings are registered under): literals,
module and class constants, loop variables over literal sequences, a helper's parameter through every call of the
helper, f-strings and small functions returning one (pytest's `Config._verbosity_ini_name(type)`). None whenever
one value cannot be read. Pure: trees in, strings out."""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator

from docsync.commandline.pynames import Names, strings

Scope = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef
_MAX_DEPTH = 4
_MAX_VALUES = 64  # an f-string over several sets of values: more than this is not a set of names we trust


class StringValues:
    """Resolves expressions of the given modules to the strings they can take."""

    def __init__(self, names: Names) -> None:
        self.names = names
        self.scopes = {module: list(scopes(tree)) for module, tree in names.modules.items()}

    def of(
        self, module: str, scope: Scope, cls: ast.ClassDef | None, expr: ast.expr | None, depth: int = 0
    ) -> tuple[str, ...] | None:
        if expr is None or depth > _MAX_DEPTH:
            return None
        if isinstance(expr, ast.Constant):
            return (expr.value,) if isinstance(expr.value, str) else None
        if isinstance(expr, ast.JoinedStr):
            return self._formatted(module, scope, cls, expr, depth)
        if isinstance(expr, ast.Name):
            return self._name(module, scope, cls, expr.id, depth)
        if isinstance(expr, ast.Attribute):
            value = self._attribute(module, cls, expr)
            return self.of(module, scope, cls, value, depth + 1) if value is not None else None
        if isinstance(expr, ast.Call):
            return self._call(module, scope, cls, expr, depth)
        return None

    def _formatted(
        self, module: str, scope: Scope, cls: ast.ClassDef | None, expr: ast.JoinedStr, depth: int
    ) -> tuple[str, ...] | None:
        parts: list[tuple[str, ...]] = []
        for part in expr.values:
            if isinstance(part, ast.FormattedValue):
                if part.format_spec is not None or part.conversion != -1:
                    return None
                found = self.of(module, scope, cls, part.value, depth + 1)
            else:
                found = self.of(module, scope, cls, part, depth + 1)
            if found is None:
                return None
            parts.append(found)
        values = tuple(
            "".join(combination) for combination in itertools.islice(itertools.product(*parts), _MAX_VALUES + 1)
        )
        return values if len(values) <= _MAX_VALUES else None

    def _name(
        self, module: str, scope: Scope, cls: ast.ClassDef | None, name: str, depth: int
    ) -> tuple[str, ...] | None:
        for loop in ast.walk(scope):
            if isinstance(loop, ast.For):
                position = _loop_position(loop.target, name)
                if position is not False:
                    return self.sequence(module, cls, loop.iter, position)
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef) and name in _parameters(scope):
            return self._arguments(scope, name, depth)
        key = self.names.find(module, name)
        constant = self.names.defs.get(key) if key else None
        if key is None or not isinstance(constant, ast.expr):
            return None
        return self.of(key[0], self.names.modules[key[0]], None, constant, depth + 1)

    def _attribute(self, module: str, cls: ast.ClassDef | None, expr: ast.Attribute) -> ast.expr | None:
        """`self.X`/`cls.X` of the enclosing class, `Class.X` of a class, `module.X` of a module."""
        if not isinstance(expr.value, ast.Name):
            return None
        owner: ast.AST | None = cls if expr.value.id in ("self", "cls") else None
        if owner is None:
            key = self.names.find(module, expr.value.id) or self.names.key(module, expr)
            owner = self.names.defs.get(key) if key else None
            if key is not None and not isinstance(owner, ast.ClassDef):
                return owner if isinstance(owner, ast.expr) else None
        return class_attribute(owner, expr.attr) if isinstance(owner, ast.ClassDef) else None

    def _call(
        self, module: str, scope: Scope, cls: ast.ClassDef | None, call: ast.Call, depth: int
    ) -> tuple[str, ...] | None:
        """A small function returning an f-string of its parameters: its values for this call's arguments."""
        function = self._function(module, cls, call.func)
        returns = [n.value for n in ast.walk(function) if isinstance(n, ast.Return)] if function else []
        if function is None or len(returns) != 1 or not isinstance(returns[0], ast.JoinedStr | ast.Constant):
            return None
        pieces = returns[0].values if isinstance(returns[0], ast.JoinedStr) else [returns[0]]
        parts: list[tuple[str, ...]] = []
        for piece in pieces:
            inner = piece.value if isinstance(piece, ast.FormattedValue) else piece
            if isinstance(inner, ast.Name) and inner.id in _parameters(function):
                found = self.of(module, scope, cls, _argument(function, call, inner.id), depth + 1)
            else:
                found = self.of(module, scope, cls, inner, depth + 1) if isinstance(inner, ast.Constant) else None
            if found is None:
                return None
            parts.append(found)
        return tuple("".join(combination) for combination in itertools.product(*parts))[:_MAX_VALUES]

    def _function(self, module: str, cls: ast.ClassDef | None, func: ast.expr) -> ast.FunctionDef | None:
        if isinstance(func, ast.Name):
            key = self.names.find(module, func.id)
            found = self.names.defs.get(key) if key else None
            return found if isinstance(found, ast.FunctionDef) else None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            owner: ast.AST | None = cls if func.value.id in ("self", "cls") else None
            if owner is None:
                key = self.names.find(module, func.value.id)
                owner = self.names.defs.get(key) if key else None
            if isinstance(owner, ast.ClassDef):
                return next((s for s in owner.body if isinstance(s, ast.FunctionDef) and s.name == func.attr), None)
        return None

    def _arguments(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef, name: str, depth: int
    ) -> tuple[str, ...] | None:
        """A helper's parameter: its values at every call of the helper (by its name, in any module read)."""
        values: list[str] = []
        calls = 0
        for module, found in self.scopes.items():
            for scope, cls in found:
                for call in own_calls(scope):
                    called = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", None)
                    if called != function.name:
                        continue
                    argument = _argument(function, call, name)
                    result = self.of(module, scope, cls, argument, depth + 1) if argument is not None else None
                    if result is None:
                        return None
                    values.extend(result)
                    calls += 1
        return tuple(values) if calls else None

    def sequence(
        self, module: str, cls: ast.ClassDef | None, expr: ast.expr, position: int | None
    ) -> tuple[str, ...] | None:
        """The strings a loop over `expr` yields (or the `position`-th item of each tuple it yields)."""
        items = isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "items"
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in ("items", "keys"):
            expr = expr.func.value
        value = self.literal(module, cls, expr)
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

    def literal(self, module: str, cls: ast.ClassDef | None, expr: ast.expr) -> ast.AST | None:
        """A literal, a module constant (with what `NAME += ...` adds to it), or a class attribute."""
        if isinstance(expr, ast.Attribute):
            return self._attribute(module, cls, expr)
        if not isinstance(expr, ast.Name):
            return expr
        key = self.names.find(module, expr.id)
        value = self.names.defs.get(key) if key else None
        extended = [self.literal(key[0], None, e) for e in self._augmented(key)] if key else []
        if extended and isinstance(value, ast.Tuple | ast.List):
            # `builtin_extensions += _first_party_extensions`: the constant is all of its parts
            parts = [part for part in (value, *extended) if isinstance(part, ast.Tuple | ast.List)]
            return ast.Tuple(elts=[e for part in parts for e in part.elts]) if len(parts) == 1 + len(extended) else None
        return value

    def _augmented(self, key: tuple[str, str]) -> list[ast.expr]:
        tree = self.names.modules.get(key[0])
        return [
            node.value for node in (tree.body if tree else [])
            if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == key[1]
        ]  # fmt: skip


def scopes(tree: ast.Module) -> Iterator[tuple[Scope, ast.ClassDef | None]]:
    """The module and every function in it, each with the class it is a method of."""
    yield tree, None
    methods: dict[ast.AST, ast.ClassDef] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            methods.update(
                {item: node for item in node.body if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)}
            )
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node, methods.get(node)


def own_calls(scope: ast.AST) -> Iterator[ast.Call]:
    """Calls in `scope` itself, not in the functions nested in it (each is a scope of its own)."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        if isinstance(node, ast.Call):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def class_attribute(cls: ast.ClassDef, attr: str) -> ast.expr | None:
    for statement in cls.body:
        targets = statement.targets if isinstance(statement, ast.Assign) else []
        targets = [statement.target] if isinstance(statement, ast.AnnAssign) else targets
        if any(isinstance(target, ast.Name) and target.id == attr for target in targets):
            return statement.value if isinstance(statement, ast.Assign | ast.AnnAssign) else None
    return None


def _loop_position(target: ast.expr, name: str) -> int | bool | None:
    """None: the loop variable is `name`; an int: `name` is that item of a tuple target; False: not bound here."""
    if isinstance(target, ast.Name):
        return None if target.id == name else False
    if isinstance(target, ast.Tuple):
        for position, element in enumerate(target.elts):
            if isinstance(element, ast.Name) and element.id == name:
                return position
    return False


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    return [arg.arg for arg in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)]


def _argument(function: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call, name: str) -> ast.expr | None:
    """The expression `call` passes for the parameter `name` (by keyword or position; a bound method's `self`
    is not passed)."""
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    positional = [arg.arg for arg in (*function.args.posonlyargs, *function.args.args)]
    static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in function.decorator_list)
    if positional and positional[0] in ("self", "cls") and not static:
        positional = positional[1:]
    if name in positional and positional.index(name) < len(call.args):
        argument = call.args[positional.index(name)]
        return None if isinstance(argument, ast.Starred) else argument
    return None
