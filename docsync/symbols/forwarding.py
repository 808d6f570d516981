"""Where a function sends its `**kwargs`: `def get(url, **kwargs): return request("GET", url, **kwargs)`.

A keyword an example passes to `get` that `get` does not name is `request`'s to accept. Only the plain case is
read: every use of the `**kwargs` name in the body (nested functions aside) passes it on whole, as `**kwargs`, to
calls of one callee written as a name or `self.`/`cls.` and a name. Anything else (`kwargs.pop("x")`, two
callees, a third-party call) may accept any keyword, as the function itself says it does.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

_FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def kwargs_target(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """The callee (`request`, `self._request`) the function passes all its `**kwargs` to, as written, or None."""
    kwarg = node.args.kwarg
    if kwarg is None:
        return None
    uses, passes = 0, 0
    targets: set[str] = set()
    for found in _own_nodes(node.body):
        if isinstance(found, ast.Name) and found.id == kwarg.arg:
            uses += 1
        elif isinstance(found, ast.Call):
            for keyword in found.keywords:
                if keyword.arg is None and isinstance(keyword.value, ast.Name) and keyword.value.id == kwarg.arg:
                    passes += 1
                    targets.add(_callee(found.func) or "")
    if not uses or uses != passes or len(targets) != 1 or "" in targets:
        return None
    return targets.pop()


def _callee(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id if func.id not in ("self", "cls") else None
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
        return f"{func.value.id}.{func.attr}"
    return None


def _own_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Every node of the body but those of functions and classes defined in it (their names are their own)."""
    stack: list[ast.AST] = [s for s in reversed(body) if not isinstance(s, _FunctionNode | ast.ClassDef)]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, _FunctionNode | ast.ClassDef | ast.Lambda):
                stack.append(child)
