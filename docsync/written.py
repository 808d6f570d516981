"""Signatures the docs write × the code's: which written parameters and defaults no longer hold.

A doc writes a signature in a Sphinx object directive (`.. function:: f(a, b=1)`, `.. method::`, `.. class:: C(x)`,
autodoc's explicit form `.. autofunction:: f(a, b=1)`), or in inline code that a line presents as one
(`Signature: `Request(scope, receive=None)``, a heading `` ### `f(a, b=1)` ``). Compared with the code in every
mode: a written parameter the code does not have, or a required one the doc leaves out, is an error; a default
that differs, or an optional parameter the doc leaves out, a warning.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from docsync.fit import callable_signature
from docsync.models import Parameter, ParamKind, Reference, Severity, Style, Symbol, render_parameters
from docsync.symbols.annotations import canonical_annotation
from docsync.symbols.signatures import parameters
from docsync.symbols.table import SymbolTable

_CALL_FORM = re.compile(r"^`*\s*[A-Za-z_][\w.]*\s*\((?P<inner>.*)\)\s*(?:->\s*[^`]*)?`*$", re.S)
_SIGNATURE_LINE = re.compile(r"(?i)\bsignature\b[^`]*$")
_BOUND = ("self", "cls")
_VARIADIC = (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD)


@dataclass(frozen=True, slots=True)
class WrittenProblem:
    """A written signature that disagrees with the code: each clause, with the worst severity."""

    reference: Reference
    symbol: str
    written: str
    actual: str
    clauses: tuple[str, ...]
    severity: Severity


def written_parameters(reference: Reference, line: str) -> tuple[Parameter, ...] | None:
    """The parameters the reference writes as a signature (None: it writes none)."""
    text = reference.text.strip()
    if reference.style is Style.MD_CODE:
        before = line[: max(0, reference.column - 1)]
        if not (_SIGNATURE_LINE.search(before) or line.lstrip().startswith("#")):
            return None
    elif reference.style is not Style.AUTODOC:
        return None
    match = _CALL_FORM.match(text)
    if match is None:
        return None
    try:
        tree = ast.parse(f"def _({match.group('inner')}): pass")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    return tuple(parameters(function.args))


def signature_docs(references: Iterable[Reference]) -> set[str]:
    """The docs whose text `check_written` needs: those with a reference that may write a signature."""
    return {r.doc for r in references if r.style in (Style.MD_CODE, Style.AUTODOC) and "(" in r.text}


def check_written(
    references: Iterable[Reference], lines: Mapping[str, Sequence[str]], table: SymbolTable
) -> list[WrittenProblem]:
    """Every written signature (of these resolved references) that no longer matches the code."""
    problems = []
    for reference in references:
        doc_lines = lines.get(reference.doc, ())
        line = doc_lines[reference.line - 1] if 0 < reference.line <= len(doc_lines) else ""
        written = written_parameters(reference, line) if reference.symbol else None
        symbol = table.symbols.get(reference.symbol or "")
        if written is None or symbol is None:
            continue
        problem = _compare(reference, written, symbol)
        if problem is not None:
            problems.append(problem)
    return problems


def _compare(reference: Reference, written: Sequence[Parameter], symbol: Symbol) -> WrittenProblem | None:
    actual = callable_signature(symbol)
    if actual is None:
        return None  # a decorator that may change the call, an inherited constructor: quiet rather than wrong
    mine, theirs = _unbound(written), _unbound(actual)
    clauses: list[tuple[Severity, str]] = []
    open_written = any(p.kind in _VARIADIC for p in mine)
    open_actual = any(p.kind is ParamKind.VAR_KEYWORD for p in theirs)
    by_name = {p.name: p for p in theirs}
    for param in (p for p in mine if p.kind not in _VARIADIC):
        now = by_name.get(param.name)
        if now is None:
            if not open_actual:
                clauses.append((Severity.ERROR, f"it has no parameter `{param.name}`"))
        elif param.default is not None and now.default is None and now.kind not in _VARIADIC:
            clauses.append((Severity.WARNING, f"`{param.name}` has no default (the doc writes `{param.default}`)"))
        elif param.default is not None and canonical_annotation(param.default) != canonical_annotation(now.default):
            clause = f"the default of `{param.name}` is `{now.default}`, not `{param.default}`"
            clauses.append((Severity.WARNING, clause))
    written_names = {p.name for p in mine}
    for param in (p for p in theirs if p.kind not in _VARIADIC and p.name not in written_names and not open_written):
        if param.default is None:
            clauses.append((Severity.ERROR, f"it requires `{param.name}`, which the doc does not write"))
        else:
            clauses.append((Severity.WARNING, f"the doc does not write its optional `{param.name}`"))
    if not clauses:
        return None
    severity = min((s for s, _ in clauses), key=lambda s: s.rank)
    text = reference.text.strip().strip("`")
    return WrittenProblem(reference, symbol.qualname, text, _render(theirs), tuple(c for _, c in clauses), severity)


def _unbound(params: Sequence[Parameter]) -> tuple[Parameter, ...]:
    """Without a leading `self`/`cls`: docs write methods both ways."""
    return tuple(params[1:]) if params and params[0].name in _BOUND else tuple(params)


def _render(params: Sequence[Parameter]) -> str:
    return render_parameters(tuple(params))
