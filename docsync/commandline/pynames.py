"""Names in a project's syntax trees, resolved without importing anything: which definition or library name an
expression denotes through the project's own imports, and literal values (shared by the command-line readers)."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping

Key = tuple[str, str]  # (module, top-level name)


def literal(expr: ast.expr | None) -> str | None:
    """`expr` as source text when it is a literal (`"auto"`, `3`, `-1`, `None`), else None."""
    if expr is None or (isinstance(expr, ast.Constant) and expr.value is Ellipsis):
        return None
    try:
        ast.literal_eval(expr)
    except ValueError:
        return None
    return ast.unparse(expr)


def strings(expr: ast.expr | None) -> tuple[str, ...] | None:
    """A string or a literal list/tuple of strings, else None."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return (expr.value,)
    if isinstance(expr, ast.List | ast.Tuple) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in expr.elts
    ):
        return tuple(str(e.value) for e in expr.elts if isinstance(e, ast.Constant))
    return None


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def is_true(expr: ast.expr | None) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is True


class Names:
    """The given modules' imports and top-level definitions."""

    def __init__(self, modules: Mapping[str, ast.Module]) -> None:
        self.modules = modules
        self.defs: dict[Key, ast.AST] = {}
        self.imports: dict[str, dict[str, tuple[str, str]]] = {}  # local name -> ("ext"|"def"|"mod", target)
        for name, tree in modules.items():
            self.imports[name] = {}
            for statement in top_level(tree.body):
                self._index(name, statement)

    def _index(self, module: str, statement: ast.stmt) -> None:
        local = self.imports[module]
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.name in self.modules and alias.asname:
                    local[alias.asname] = ("mod", alias.name)
                else:
                    local[alias.asname or alias.name.split(".")[0]] = (
                        "ext",
                        (alias.asname and alias.name) or alias.name.split(".")[0],
                    )
        elif isinstance(statement, ast.ImportFrom):
            source = self._absolute(module, statement.module or "", statement.level)
            for alias in statement.names:
                target = f"{source}.{alias.name}" if source else alias.name
                if target in self.modules:
                    local[alias.asname or alias.name] = ("mod", target)
                elif source in self.modules:
                    local[alias.asname or alias.name] = ("def", f"{source}:{alias.name}")
                else:
                    local[alias.asname or alias.name] = ("ext", target)
        elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            self.defs[(module, statement.name)] = statement
        elif isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target_expr in targets:
                if isinstance(target_expr, ast.Name):
                    self.defs[(module, target_expr.id)] = statement.value

    def _absolute(self, module: str, source: str, level: int) -> str:
        if not level:
            return source
        # A package's own `from . import x` is relative to itself; a module's to its package.
        is_package = any(other.startswith(module + ".") for other in self.modules)
        parts = module.split(".")[: len(module.split(".")) - level + (1 if is_package else 0)]
        return ".".join([*parts, source] if source else parts)

    def find(self, module: str, name: str, depth: int = 0) -> Key | None:
        """The definition `name` denotes in `module`, through the project's own imports."""
        if (module, name) in self.defs:
            return (module, name)
        kind, target = self.imports.get(module, {}).get(name, ("", ""))
        if kind == "def" and depth < 8:
            source, _, attr = target.partition(":")
            return self.find(source, attr, depth + 1)
        return None

    def key(self, module: str, expr: ast.expr) -> Key | None:
        """The project definition an expression names: `cli`, `commands.cli` (a module imported by name)."""
        if isinstance(expr, ast.Name):
            return self.find(module, expr.id)
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            kind, target = self.imports.get(module, {}).get(expr.value.id, ("", ""))
            if kind == "mod":
                return self.find(target, expr.attr)
        return None

    def dotted(self, module: str, expr: ast.expr) -> str:
        """A library name an expression denotes (`click.option`, `typer.Option`), "" for anything else."""
        parts: list[str] = []
        while isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return ""
        kind, target = self.imports.get(module, {}).get(expr.id, ("", ""))
        return ".".join([target, *reversed(parts)]) if kind == "ext" else ""

    def constant(self, module: str, expr: ast.expr | None) -> ast.expr | None:
        """A module-level constant's value in place of its name (`CONTEXT_SETTINGS`, `FORMATS`)."""
        key = self.key(module, expr) if isinstance(expr, ast.Name) else None
        value = self.defs.get(key) if key else None
        return value if isinstance(value, ast.expr) else expr

    def typing(self, module: str, expr: ast.expr) -> str:
        name = self.dotted(module, expr)
        return name.rpartition(".")[2] if name.startswith(("typing.", "typing_extensions.")) else ""


def top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, including those under `if`/`try` (version-dependent imports and definitions)."""
    for statement in body:
        if isinstance(statement, ast.If | ast.Try):
            yield from top_level(
                statement.body + statement.orelse + [s for h in getattr(statement, "handlers", []) for s in h.body]
            )
        else:
            yield statement


def listed_strings(names: Names, module: str, expr: ast.expr, depth: int = 0) -> tuple[str, ...] | None:
    """The strings a choices argument lists: a literal list or a constant naming one, a dict's keys (`LOOPS`,
    `LOOPS.keys()`, `list(LOOPS)`), less those a comprehension leaves out (`[k for k in LOOPS if k != "none"]`)."""
    expr = names.constant(module, expr) or expr
    if depth > 3:
        return None
    if isinstance(expr, ast.Dict):
        keys = [key for key in expr.keys if isinstance(key, ast.Constant) and isinstance(key.value, str)]
        return tuple(str(key.value) for key in keys) if len(keys) == len(expr.keys) else None
    if isinstance(expr, ast.ListComp) and len(expr.generators) == 1:
        return _filtered(names, module, expr, depth)
    if isinstance(expr, ast.Call) and not expr.keywords:
        func = expr.func
        if isinstance(func, ast.Name) and func.id in ("list", "tuple", "sorted") and len(expr.args) == 1:
            return listed_strings(names, module, expr.args[0], depth + 1)
        if isinstance(func, ast.Attribute) and func.attr == "keys" and not expr.args:
            return listed_strings(names, module, func.value, depth + 1)
    return strings(expr)


def _filtered(names: Names, module: str, comprehension: ast.ListComp, depth: int) -> tuple[str, ...] | None:
    """`[key for key in X if key != "a"]` / `... if key not in ("a", "b")`: X's strings but those."""
    generator = comprehension.generators[0]
    target = generator.target
    if not isinstance(target, ast.Name) or not isinstance(comprehension.elt, ast.Name):
        return None
    if comprehension.elt.id != target.id:
        return None
    values = listed_strings(names, module, generator.iter, depth + 1)
    left_out: set[str] = set()
    for condition in generator.ifs:
        test = condition if isinstance(condition, ast.Compare) and len(condition.ops) == 1 else None
        if test is None or not isinstance(test.left, ast.Name) or test.left.id != target.id:
            return None
        if isinstance(test.ops[0], ast.NotEq):
            excluded = strings(test.comparators[0])
        elif isinstance(test.ops[0], ast.NotIn):
            excluded = strings(test.comparators[0]) or _set_strings(test.comparators[0])
        else:
            return None
        if excluded is None:
            return None
        left_out.update(excluded)
    return tuple(value for value in values if value not in left_out) if values is not None else None


def _set_strings(expr: ast.expr) -> tuple[str, ...] | None:
    if isinstance(expr, ast.Set) and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in expr.elts):
        return tuple(str(e.value) for e in expr.elts if isinstance(e, ast.Constant))
    return None
