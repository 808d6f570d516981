"""Module source → the shape of each function's body (a multiset of statement digests), for rename matching.

Computed only for the few files a change touches, never cached: the fingerprint's body digest
says whether two bodies are equal; this says how much two different bodies have in common.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterator, Sequence

from docsync.symbols.blocks import conditional_blocks, nested_statements
from docsync.symbols.fingerprint import canonical, digest, own_name_placeholders
from docsync.symbols.parse import parse_python

Shape = Counter[str]
_BODY_FIELDS = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})


def body_shapes(source: bytes) -> dict[str, Shape]:
    """For each function and method (name relative to the module), the digests of its statements;
    for each class and for the module itself (""), the names of its members."""
    try:
        tree = parse_python(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    shapes = dict(_walk(tree.body, ()))
    shapes[""] = Counter(_member_names(tree.body))
    return shapes


def similarity(first: Shape, second: Shape) -> float:
    """Jaccard similarity of two multisets of statement digests (1.0: the same statements)."""
    union = sum((first | second).values())
    return sum((first & second).values()) / union if union else 1.0


def _walk(body: Sequence[ast.stmt], chain: tuple[str, ...]) -> Iterator[tuple[str, Shape]]:
    for node, _ in nested_statements(body, conditional_blocks):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            own = own_name_placeholders((*chain, node.name))
            yield ".".join((*chain, node.name)), Counter(_statement_digests(node.body, own))
        elif isinstance(node, ast.ClassDef):  # recursion only per nested class: indentation limits that to 100
            yield ".".join((*chain, node.name)), Counter(_member_names(node.body))
            yield from _walk(node.body, (*chain, node.name))


def _member_names(body: Sequence[ast.stmt]) -> Iterator[str]:
    """The public names a class or module body defines (conditional definitions included)."""
    for node, _ in nested_statements(body, _branches):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names = [node.name]
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
        else:
            continue
        yield from (name for name in names if not name.startswith("_") or name == "__init__")


def _branches(node: ast.stmt) -> list[list[ast.stmt]] | None:
    """An `if`'s or `try`'s blocks, except the handlers (a name defined only on failure is not a member)."""
    if isinstance(node, ast.If | ast.Try):
        return [node.body, node.orelse, getattr(node, "finalbody", [])]
    return None


def _statement_digests(body: Sequence[ast.stmt], own: dict[str, str]) -> Iterator[str]:
    """Every simple statement, and the header of every compound one, at any depth (a multiset: order is free)."""
    pending = list(body)  # a stack, not recursion: `elif` chains nest hundreds deep (issue 13)
    while pending:
        statement = pending.pop()
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # docstrings and bare strings are not behaviour
        header = [getattr(statement, f) for f in statement._fields if f not in _BODY_FIELDS]
        parts = [h for h in header if isinstance(h, ast.AST)] + [i for h in header if isinstance(h, list) for i in h]
        yield digest(type(statement).__name__ + canonical(parts, own))
        for field in _BODY_FIELDS:
            for child in getattr(statement, field, None) or ():
                if isinstance(child, ast.stmt):
                    pending.append(child)
                elif isinstance(child, ast.ExceptHandler | ast.match_case):
                    pending += child.body
