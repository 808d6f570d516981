"""What a module-level `__getattr__` (PEP 562) serves: the closed set of names it spells out, when it does."""

from __future__ import annotations

import ast
from collections.abc import Sequence


def served_names(tree: ast.Module) -> tuple[str, ...] | None:
    """The closed set of names a module `__getattr__` answers, or None if it may answer anything."""
    function = next(
        (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "__getattr__" and n.args.args), None
    )
    if function is None or not _ends_in_attribute_error(function.body):
        return None
    parameter = function.args.args[0].arg
    names: list[str] = []
    for node in ast.walk(function):
        if not (isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and node.left.id == parameter):
            continue
        for comparator in node.comparators:
            if isinstance(comparator, ast.Constant) and isinstance(comparator.value, str):
                names.append(comparator.value)
            elif isinstance(comparator, ast.Set | ast.List | ast.Tuple | ast.Dict):
                elements = comparator.keys if isinstance(comparator, ast.Dict) else comparator.elts
                names += [e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return tuple(sorted(set(names)))


def _ends_in_attribute_error(body: Sequence[ast.stmt]) -> bool:
    last = body[-1] if body else None
    if not isinstance(last, ast.Raise) or last.exc is None:
        return False
    exception = last.exc.func if isinstance(last.exc, ast.Call) else last.exc
    return isinstance(exception, ast.Name) and exception.id == "AttributeError"
