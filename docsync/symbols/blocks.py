"""Statements nested in blocks (`if`/`elif`/`else`, `try`, loops), walked with a stack rather than recursion;
which blocks' definitions count, and in which order (a `TYPE_CHECKING` stub, an import fallback).

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


def definition_blocks(statement: ast.stmt) -> list[list[ast.stmt]] | None:
    """The blocks whose definitions count, in the order that decides which wins (the first does)."""
    if isinstance(statement, ast.If) and _type_checking(statement.test):
        # The definition calls meet at run time wins over the type checker's stub of it.
        return [statement.orelse, statement.body]
    if isinstance(statement, ast.Try):
        imported = _imported_names(statement.body)
        # `except ImportError: brotli = None` is a stand-in for another package's module, not ours.
        handlers = [[s for s in handler.body if not _assigns_only(s, imported)] for handler in statement.handlers]
        return [statement.body, *handlers, statement.orelse, statement.finalbody]
    return conditional_blocks(statement)


def _type_checking(test: ast.expr) -> bool:
    """`if TYPE_CHECKING:` / `if typing.TYPE_CHECKING:`."""
    name = test.attr if isinstance(test, ast.Attribute) else test.id if isinstance(test, ast.Name) else ""
    return name == "TYPE_CHECKING"


def _imported_names(body: Sequence[ast.stmt]) -> set[str]:
    """Names a `try` block binds by absolute imports: another package's, whose fallback is a stand-in. A relative
    import's fallback (`from ._version import version as __version__`, else `"unknown"`) is our own name."""
    names: set[str] = set()
    for statement in body:
        if isinstance(statement, ast.Import) or (isinstance(statement, ast.ImportFrom) and not statement.level):
            names.update((alias.asname or alias.name).partition(".")[0] for alias in statement.names)
    return names


def _assigns_only(statement: ast.stmt, names: set[str]) -> bool:
    """Whether `statement` only binds some of `names` (`brotli = None`, `json = simplejson = None`)."""
    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, ast.AnnAssign):
        targets = [statement.target]
    else:
        return False
    return bool(names) and all(isinstance(t, ast.Name) and t.id in names for t in targets)


def assignments_in(body: Sequence[ast.stmt]) -> Iterator[tuple[ast.AnnAssign | ast.Assign, ast.stmt | None]]:
    """Assignments with the statement after each, also inside `if`/`try`/`with`/loops (not nested defs)."""
    for statement, following in nested_statements(body, _blocks_around_assignments):
        assert isinstance(statement, ast.Assign | ast.AnnAssign)
        yield statement, following


def _blocks_around_assignments(statement: ast.stmt) -> list[list[ast.stmt]] | None:
    """None for an assignment (to yield it); the blocks of a compound statement; none in a nested def or class."""
    if isinstance(statement, ast.Assign | ast.AnnAssign):
        return None
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return []
    blocks: list[list[ast.stmt]] = []
    for _, value in ast.iter_fields(statement):
        if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
            blocks.append(value)  # body, orelse, finalbody
        elif isinstance(value, list):
            blocks += [item.body for item in value if isinstance(item, ast.ExceptHandler | ast.match_case)]
    return blocks
