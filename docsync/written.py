"""Signatures the docs write × the code's: which written parameters and defaults no longer hold.

A doc writes a signature in a Sphinx object directive (`.. function:: f(a, b=1)`, `.. method::`, `.. class:: C(x)`,
autodoc's explicit form `.. autofunction:: f(a, b=1)`), or in inline code that a line presents as one
(`Signature: `Request(scope, receive=None)``, a heading `` ### `f(a, b=1)` ``). Compared with the code in every
mode: a written parameter the code does not have, or a required one the doc leaves out, is an error; a default
that differs, a warning. An optional parameter the doc leaves out is the doc's choice; `f()` in a directive is
Sphinx's way to hide a signature; `_private` parameters are never the doc's business.
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
    # `.. autoclass:: Cache()` is Sphinx's way to hide a signature, not to claim there is none; a bare name that
    # was found by its suffix is not certain enough to judge what it writes.
    if match is None or not match.group("inner").strip() or not ("." in reference.name or reference.context):
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
    mine, theirs = _public(_unbound(written)), _public(_unbound(actual))
    if symbol.signature is not None and _writes_bases(mine, symbol.signature.bases):
        return None  # `Parser(OptionParser)`: a class and its base, not a call
    clauses: list[tuple[Severity, str]] = []
    open_written = any(p.kind in _VARIADIC for p in mine)
    open_actual = any(p.kind is ParamKind.VAR_KEYWORD for p in theirs)
    by_name = {p.name: p for p in theirs}
    for param in (p for p in mine if p.kind not in _VARIADIC):
        now = by_name.get(param.name)
        value = param.default if param.default not in (None, "...") else None  # `x=...`: "some value"
        if now is None:
            if not open_actual:
                clauses.append((Severity.ERROR, f"it has no parameter `{param.name}`"))
        elif value is not None and now.default is None and now.kind not in _VARIADIC:
            clauses.append((Severity.WARNING, f"`{param.name}` has no default (the doc writes `{value}`)"))
        elif value is not None and canonical_annotation(value) != canonical_annotation(now.default):
            clauses.append((Severity.WARNING, f"the default of `{param.name}` is `{now.default}`, not `{value}`"))
    # A parameter the doc leaves out is wrong only when a call must pass it; an optional one is the doc's choice.
    written_names = {p.name for p in mine}
    for param in (p for p in theirs if p.kind not in _VARIADIC and p.name not in written_names and not open_written):
        if param.default is None:
            clauses.append((Severity.ERROR, f"it requires `{param.name}`, which the doc does not write"))
    if not clauses:
        return None
    severity = min((s for s, _ in clauses), key=lambda s: s.rank)
    text = reference.text.strip().strip("`")
    return WrittenProblem(reference, symbol.qualname, text, _render(theirs), tuple(c for _, c in clauses), severity)


def _unbound(params: Sequence[Parameter]) -> tuple[Parameter, ...]:
    """Without a leading `self`/`cls`: docs write methods both ways."""
    return tuple(params[1:]) if params and params[0].name in _BOUND else tuple(params)


def _public(params: Sequence[Parameter]) -> tuple[Parameter, ...]:
    """`_ispytest`, `_warn`: underscored parameters are the code's own business, never the doc's."""
    return tuple(p for p in params if not p.name.startswith("_"))


def _writes_bases(written: Sequence[Parameter], bases: Sequence[str]) -> bool:
    names = {base.rpartition(".")[2] for base in bases}
    return bool(written) and all(p.default is None and p.name in names for p in written)


def _render(params: Sequence[Parameter]) -> str:
    return render_parameters(tuple(params))
