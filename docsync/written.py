"""Signatures the docs write × the code's: which written parameters and defaults no longer hold.

A doc writes a signature in a Sphinx object directive (`.. function:: f(a, b=1)`, `.. method::`, `.. class:: C(x)`,
autodoc's explicit form `.. autofunction:: f(a, b=1)`), or in inline code that a line presents as one
(`Signature: `Request(scope, receive=None)``, a heading `` ### `f(a, b=1)` ``). Compared with the code in every
mode: a written parameter the code does not have, or a required one the doc leaves out, is an error; a default
that differs, a warning. An optional parameter the doc leaves out is the doc's choice, unless a pull request adds
it to a signature the doc wrote in full (a warning: the change left a complete doc behind); `f()` in a directive is
Sphinx's way to hide a signature; `_private` parameters are never the doc's business.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from docsync.fit import callable_signature
from docsync.models import Parameter, ParamKind, Reference, Severity, Style, Symbol, render_parameters
from docsync.symbols.signatures import parameters
from docsync.symbols.table import SymbolTable

_CALL_FORM = re.compile(r"^`*\s*[A-Za-z_][\w.]*\s*\((?P<inner>.*)\)\s*(?:->\s*[^`]*)?`*$", re.S)
_SIGNATURE_LINE = re.compile(r"(?i)\bsignature\b[^`]*$")
_BOUND = ("self", "cls")
_VARIADIC = (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD)
_POSITIONAL = (ParamKind.POSITIONAL_ONLY, ParamKind.POSITIONAL_OR_KEYWORD)


@dataclass(frozen=True, slots=True)
class WrittenProblem:
    """A written signature that disagrees with the code: each clause with its severity."""

    reference: Reference
    symbol: str
    written: str
    actual: str
    clauses: tuple[tuple[Severity, str], ...]

    def without(self, known: Collection[str]) -> WrittenProblem | None:
        """The problem without the clauses in `known` (those that held before a change), or None if none is left."""
        left = tuple(clause for clause in self.clauses if clause[1] not in known)
        return replace(self, clauses=left) if left else None

    @property
    def severity(self) -> Severity:
        return min((severity for severity, _ in self.clauses), key=lambda s: s.rank)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(text for _, text in self.clauses)


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
    inner = match.group("inner")
    tree = _parameter_list(inner)
    if tree is None and "[" in inner:
        # The bracket notation of optional parameters (`fail(reason, [pytrace=True, msg=None])`, `get(key[,
        # default])`), tried only when the text is not Python as written: `x=[1, 2]` keeps its brackets.
        tree = _parameter_list(re.sub(r",?\s*\[\s*,?", ", ", inner).replace("]", "").strip(", "))
    if tree is None:
        return None
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    return tuple(parameters(function.args))


def _parameter_list(inner: str) -> ast.Module | None:
    try:
        return ast.parse(f"def _({inner}): pass")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def signature_docs(references: Iterable[Reference]) -> set[str]:
    """The docs whose text `check_written` needs: those with a reference that may write a signature."""
    return {r.doc for r in references if r.style in (Style.MD_CODE, Style.AUTODOC) and "(" in r.text}


def check_written(
    references: Iterable[Reference],
    lines: Mapping[str, Sequence[str]],
    table: SymbolTable,
    before: SymbolTable | None = None,
) -> list[WrittenProblem]:
    """Every written signature (of these resolved references) that no longer matches the code. With `before` (a
    pull request's base), an optional parameter the change added is a warning where the doc wrote every parameter
    the base had: the doc was complete, and the change left it behind (else leaving one out is the doc's choice)."""
    problems = []
    for reference in references:
        doc_lines = lines.get(reference.doc, ())
        line = doc_lines[reference.line - 1] if 0 < reference.line <= len(doc_lines) else ""
        written = written_parameters(reference, line) if reference.symbol else None
        symbol = table.symbols.get(reference.symbol or "")
        if written is None or symbol is None:
            continue
        old = before.symbols.get(symbol.qualname) if before is not None else None
        problem = _compare(reference, written, symbol, _complete(written, old) if old is not None else None)
        if problem is not None:
            problems.append(problem)
    return problems


def _complete(written: Sequence[Parameter], old: Symbol) -> frozenset[str] | None:
    """The base's parameter names when the doc wrote each of them (None: it left some out, or cannot tell)."""
    signature = callable_signature(old)
    if signature is None:
        return None
    names = frozenset(p.name for p in _public(_unbound(signature)) if p.kind not in _VARIADIC)
    return names if names <= {p.name for p in written} else None


def _compare(
    reference: Reference, written: Sequence[Parameter], symbol: Symbol, complete: frozenset[str] | None = None
) -> WrittenProblem | None:
    actual = callable_signature(symbol)
    if actual is None:
        return None  # a decorator that may change the call, an inherited constructor: quiet rather than wrong
    mine, theirs = _public(_unbound(written)), _public(_unbound(actual))
    if symbol.signature is not None and _writes_bases(mine, symbol.signature.bases):
        return None  # `Parser(OptionParser)`: a class and its base, not a call
    clauses = _parameter_clauses(mine, theirs) + _missing_clauses(mine, theirs) + _added_clauses(mine, theirs, complete)
    if not clauses:
        return None
    text = reference.text.strip().strip("`")
    return WrittenProblem(reference, symbol.qualname, text, _render(theirs), tuple(clauses))


def _parameter_clauses(mine: Sequence[Parameter], theirs: Sequence[Parameter]) -> list[tuple[Severity, str]]:
    """What the written parameters get wrong. Written positionally, a parameter is matched by position: docs name
    positional parameters for the reader (`include(module)` for `include(arg)`), and a call passes them so. By
    name otherwise, and its written default is compared when both are literal values."""
    clauses: list[tuple[Severity, str]] = []
    open_actual = any(p.kind is ParamKind.VAR_KEYWORD for p in theirs)
    by_name = {p.name: p for p in theirs}
    for param in mine:
        if param.kind in _VARIADIC:
            continue
        now = by_name.get(param.name)
        if now is None and param.kind in _POSITIONAL and param.default is None:
            continue  # named for the reader, passed by position (`too many` is what a call would find)
        if now is None:
            if not open_actual:
                clauses.append((Severity.ERROR, f"it has no parameter `{param.name}`"))
            continue
        clause = _default_clause(param, now)
        if clause is not None:
            clauses.append((Severity.WARNING, clause))
    return clauses


def _default_clause(written: Parameter, now: Parameter) -> str | None:
    """A written default the code no longer has. `None` written is a definite claim; otherwise values are
    compared only as literals (`1` = `1.0`): a constant (`DEFAULT_DB_ALIAS`) may mean what the doc writes, and a
    sentinel the code fills in (`None`, `''`) stands for the value the doc writes."""
    if written.default in (None, "...") or now.kind in _VARIADIC:
        return None
    if now.default is None:
        return f"`{written.name}` has no default (the doc writes `{written.default}`)"
    mine, theirs = _literal(written.default), _literal(now.default)
    if mine is None and theirs is not None:
        return f"the default of `{written.name}` is `{now.default}`, not `{written.default}`"
    if mine is _UNKNOWN or theirs is _UNKNOWN or theirs in _SENTINELS or mine == theirs:
        return None
    return f"the default of `{written.name}` is `{now.default}`, not `{written.default}`"


def _missing_clauses(mine: Sequence[Parameter], theirs: Sequence[Parameter]) -> list[tuple[Severity, str]]:
    """Required parameters the doc leaves out (matched by position, then by name); an optional one left out is
    the doc's choice."""
    if any(p.kind in _VARIADIC for p in mine):
        return []
    names = {p.name for p in mine}
    written_positional = sum(1 for p in mine if p.kind in _POSITIONAL and p.default is None)
    clauses = []
    for index, param in enumerate(p for p in theirs if p.kind not in _VARIADIC):
        covered = param.name in names or (param.kind in _POSITIONAL and index < written_positional)
        if param.default is None and not covered:
            clauses.append((Severity.ERROR, f"it requires `{param.name}`, which the doc does not write"))
    return clauses


def _added_clauses(
    mine: Sequence[Parameter], theirs: Sequence[Parameter], complete: frozenset[str] | None
) -> list[tuple[Severity, str]]:
    """Optional parameters the code gained since a base whose every parameter (`complete`) the doc wrote."""
    if complete is None or any(p.kind in _VARIADIC for p in mine):
        return []
    written = {p.name for p in mine}
    return [
        (Severity.WARNING, f"it takes `{p.name}` now, which the doc does not write (it wrote every other one)")
        for p in theirs
        if p.kind not in _VARIADIC and p.default is not None and p.name not in written and p.name not in complete
    ]


_UNKNOWN = object()
_SENTINELS = (None, "")  # defaults code replaces with the real value: the doc writes that value


def _literal(text: str) -> object:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, RecursionError, MemoryError):
        return _UNKNOWN


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
