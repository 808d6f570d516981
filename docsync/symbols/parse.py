"""Python source → an `ast` tree, for grammar newer than the running interpreter too.

`ast` is the fast path. Code it cannot parse because the grammar is newer (PEP 695 type parameters and `type`
statements on a 3.11 runner, PEP 701 f-strings, PEP 750 t-strings, PEP 758 `except A, B:`) is read with libcst's
native parser, which reads every grammar up to 3.14 under any interpreter, and lowered to an equivalent the
running `ast` reads, line for line: type parameters dropped, `type X = ...` an assignment, f- and t-strings
plain strings, unparenthesised exception lists parenthesised. The lowered code has the same names, signatures
and structure; only what no doc can name (a type parameter, the inside of an f-string) is left out.
"""

from __future__ import annotations

import ast
import re
from typing import Any

_LOWERING = (SyntaxError, ValueError, RecursionError, MemoryError)
# What newer grammar looks like: a `type` statement, type parameters, an f- or t-string, `except A, B:`. Source
# without any of these failed for another reason, and libcst (slow to load) is not asked.
_NEWER = re.compile(r"^\s*type\s+\w|(?:def|class)\s+\w+\s*\[|\b[fFtT][rR]?['\"]|^\s*except\s+[^:(\n]*,", re.M)


def parse_python(source: bytes | str, flags: int = 0) -> ast.Module:
    """The tree of `source` (`flags`: `compile`'s, e.g. top-level await for examples).

    Raises:
        SyntaxError: neither `ast` nor libcst reads it (the error is `ast`'s, with its line).
    """
    try:
        return _compile(source, flags)
    except SyntaxError as error:
        text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
        lowered = lower(source) if _NEWER.search(text) else None
        if lowered is None:
            raise error from None
        try:
            return _compile(lowered, flags)
        except _LOWERING:
            raise error from None


def lower(source: bytes | str) -> str | None:
    """`source` in grammar the running `ast` reads, or None when libcst cannot read it either."""
    import libcst  # only code in newer grammar loads it: the pre-commit path stays light

    try:
        text = source.decode("utf-8") if isinstance(source, bytes) else source
        module = libcst.parse_module(text)
        return module.visit(_transformer()()).code
    except (libcst.ParserSyntaxError, UnicodeDecodeError, *_LOWERING):
        return None
    except Exception:
        return None


def _compile(source: bytes | str, flags: int) -> ast.Module:
    tree = compile(source, "<source>", "exec", flags=ast.PyCF_ONLY_AST | flags, dont_inherit=True)
    assert isinstance(tree, ast.Module)
    return tree


def _transformer() -> Any:
    import libcst

    class Lowering(libcst.CSTTransformer):
        """Newer grammar → an equivalent older `ast` reads, keeping every line where it was."""

        def leave_ClassDef(self, original: Any, updated: Any) -> Any:
            return updated.with_changes(type_parameters=None)

        def leave_FunctionDef(self, original: Any, updated: Any) -> Any:
            return updated.with_changes(type_parameters=None)

        def leave_TypeAlias(self, original: Any, updated: Any) -> Any:
            target = libcst.AssignTarget(target=updated.name)
            return libcst.Assign(targets=[target], value=updated.value, semicolon=updated.semicolon)

        def leave_FormattedString(self, original: Any, updated: Any) -> Any:
            return _string(libcst, original)

        def leave_TemplatedString(self, original: Any, updated: Any) -> Any:
            return _string(libcst, original)

        def leave_ExceptHandler(self, original: Any, updated: Any) -> Any:
            kind = updated.type
            if isinstance(kind, libcst.Tuple) and not kind.lpar:
                kind = kind.with_changes(lpar=[libcst.LeftParen()], rpar=[libcst.RightParen()])
            return updated.with_changes(type=kind)

    return Lowering


def _string(libcst: Any, node: Any) -> Any:
    """A plain string spanning as many lines as the f-string it stands for."""
    lines = libcst.Module(body=[]).code_for_node(node).count("\n")
    return libcst.SimpleString('"""' + "\n" * lines + '"""' if lines else '""')
