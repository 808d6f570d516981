"""A call in a code example × the callee's current signature → what no longer fits (statically, never run)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from docsync.models import Call, Parameter, ParamKind, Signature, Symbol, SymbolKind

# Decorators known to keep the call signature as written (or to only drop `self`/`cls`); under any
# other decorator the function may be called in a way we cannot see (`@app.command()`), so we
# stay quiet rather than be wrong.
_TRANSPARENT_DECORATORS = frozenset(
    {"staticmethod", "classmethod", "abstractmethod", "abc.abstractmethod", "overload", "typing.overload",
     "final", "typing.final", "override", "typing.override", "typing_extensions.override", "cache",
     "functools.cache", "lru_cache", "functools.lru_cache", "deprecated", "warnings.deprecated",
     "typing_extensions.deprecated", "contextmanager", "contextlib.contextmanager", "asynccontextmanager",
     "contextlib.asynccontextmanager", "dataclass", "dataclasses.dataclass", "wraps", "functools.wraps"}
)  # fmt: skip
_POSITIONAL = (ParamKind.POSITIONAL_ONLY, ParamKind.POSITIONAL_OR_KEYWORD)
_KEYWORD = (ParamKind.POSITIONAL_OR_KEYWORD, ParamKind.KEYWORD_ONLY)


# Where a function's `**kwargs` go (see `symbols.forwarding`): the symbol it passes them to, or None if unknown.
Forwarded = Callable[[Symbol], Symbol | None]
_MAX_FORWARDS = 5


def call_problems(call: Call, callee: Symbol, forwarded: Forwarded | None = None) -> list[str]:
    """Why `call` no longer fits `callee`, one clause each; empty when it fits or we cannot tell.

    `Session.commit()` in a doc usually means a session's method, not the class's: a method called on its class
    fits when it fits either way. A keyword `callee` takes through `**kwargs` is checked against where they go."""
    signature = _call_signature(call, callee)
    if signature is None:
        return []
    problems = list(_problems(call, signature))
    if problems and callee.kind is SymbolKind.METHOD and not call.bound:
        bound = _call_signature(replace(call, bound=True), callee)
        if bound is not None and not list(_problems(call, bound)):
            return []
    if forwarded is not None and not call.star_kwargs:
        refused = _refused(call, callee, signature, forwarded)
        problems += [f"has no parameter `{k}` (nor has {where}, where its `**kwargs` go)" for k, where in refused]
    return problems


def _refused(call: Call, callee: Symbol, signature: Signature, forwarded: Forwarded) -> Iterator[tuple[str, str]]:
    """(keyword, the symbol that refuses it) for each keyword the callee takes through `**kwargs` and passes on to a
    chain of project functions whose last takes no such parameter and no `**kwargs`."""
    if ParamKind.VAR_KEYWORD not in {p.kind for p in signature.parameters}:
        return
    unknown = [k for k in call.keywords if k not in {p.name for p in signature.parameters if p.kind in _KEYWORD}]
    for keyword in unknown:
        current = callee
        for _ in range(_MAX_FORWARDS):
            target = forwarded(current)
            parameters = callable_signature(target) if target is not None else None
            if target is None or parameters is None or keyword in {p.name for p in parameters if p.kind in _KEYWORD}:
                break  # accepted, or we cannot tell
            if not any(p.kind is ParamKind.VAR_KEYWORD for p in parameters):
                yield keyword, target.qualname
                break
            current = target


def deprecated_arguments(call: Call, callee: Symbol) -> list[tuple[str, str]]:
    """(parameter, warning text) for each deprecated parameter the call passes, by keyword or by position."""
    if not callee.deprecated_parameters:
        return []
    signature = _call_signature(call, callee)
    positional = [p.name for p in signature.parameters if p.kind in _POSITIONAL] if signature is not None else []
    passed = set(call.keywords) | set(positional[: call.positional])
    return [(name, text) for name, text in callee.deprecated_parameters if name in passed]


def callable_signature(callee: Symbol) -> tuple[Parameter, ...] | None:
    """What calling the symbol takes (a method's `self` included), or None when we cannot know it for sure."""
    signature = callee.signature
    if signature is None or not signature.complete or callee.kind not in (
        SymbolKind.FUNCTION, SymbolKind.METHOD, SymbolKind.CLASS
    ):  # fmt: skip
        return None
    if any(d.split("(")[0] not in _TRANSPARENT_DECORATORS for d in signature.decorators):
        return None
    return signature.parameters


def _call_signature(call: Call, callee: Symbol) -> Signature | None:
    """The parameters the call must supply, or None when we cannot know them for sure."""
    parameters = callable_signature(callee)
    if parameters is None or callee.signature is None:
        return None
    signature = callee.signature
    if callee.kind is SymbolKind.METHOD:
        static = "staticmethod" in signature.decorators
        classmethod = "classmethod" in signature.decorators
        # On an instance (or a classmethod on anything), the first parameter is already bound.
        if not static and (call.bound or classmethod) and parameters and parameters[0].kind in _POSITIONAL:
            parameters = parameters[1:]
    return Signature(parameters=parameters)


def _problems(call: Call, signature: Signature) -> Iterator[str]:
    params = signature.parameters
    kinds = {p.kind for p in params}
    positional = [p for p in params if p.kind in _POSITIONAL]
    if call.positional > len(positional) and ParamKind.VAR_POSITIONAL not in kinds:
        yield f"takes {_count(len(positional), 'positional argument')} but the example gives {call.positional}"
    keyword_names = {p.name for p in params if p.kind in _KEYWORD}
    if ParamKind.VAR_KEYWORD not in kinds:
        for keyword in call.keywords:
            if keyword not in keyword_names:
                yield f"has no parameter `{keyword}`"
    if call.star_args or call.star_kwargs:
        return  # `*args`/`**kwargs` in the call may supply anything: only what is certainly wrong above
    given = {p.name for p in positional[: call.positional]} | set(call.keywords)
    for param in params:
        required = param.default is None and param.kind in (*_POSITIONAL, ParamKind.KEYWORD_ONLY)
        if required and param.name not in given:
            yield f"requires `{param.name}`, which the example does not pass"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
