"""Statements nested in blocks (`if`/`elif`/`else`, `try`, loops), walked with a stack rather than recursion.

An `elif` chain nests each branch in the one before it, and valid code has chains of hundreds of
branches: recursing once per block ran out of Python's recursion limit (issue 13).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Sequence

Blocks = Callable[[ast.stmt], Sequence[Sequence[ast.stmt]] | None]


def nested_statements(body: Sequence[ast.stmt], blocks_of: Blocks) -> Iterator[tuple[ast.stmt, ast.stmt | None]]:
    """In source order, each statement for which `blocks_of` gives None, with the statement after it in its
    block; a statement for which it gives blocks (maybe none) is replaced by the statements of those blocks."""
    pending: list[tuple[Sequence[ast.stmt], int]] = [(body, 0)]  # (block, position of its next statement)
    while pending:
        block, position = pending.pop()
        if position >= len(block):
            continue
        pending.append((block, position + 1))
        statement = block[position]
        inner = blocks_of(statement)
        if inner is None:
            yield statement, block[position + 1] if position + 1 < len(block) else None
        else:
            pending.extend((nested, 0) for nested in reversed(inner))


def conditional_blocks(statement: ast.stmt) -> list[list[ast.stmt]] | None:
    """The blocks of an `if` (its `elif`s are in `orelse`) or a `try`, where definitions are alternatives."""
    if isinstance(statement, ast.If):
        return [statement.body, statement.orelse]
    if isinstance(statement, ast.Try):
        handlers = [handler.body for handler in statement.handlers]
        return [statement.body, *handlers, statement.orelse, statement.finalbody]
    return None
