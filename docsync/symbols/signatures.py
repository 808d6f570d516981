"""Function and class syntax → Signatures: parameters, a class's constructor, a record's fields."""

from __future__ import annotations

import ast
import contextlib
import threading
from collections.abc import Iterator

from docsync.models import Parameter, ParamKind, Signature
from docsync.symbols.fingerprint import canonical, digest

_DATACLASS_DECORATORS = frozenset(
    {"dataclass", "dataclasses.dataclass", "attr.s", "attrs.define", "attr.define", "define", "frozen"}
)
_NAMED_TUPLE_BASES = frozenset({"NamedTuple", "typing.NamedTuple"})
_TYPED_DICT_BASES = frozenset({"TypedDict", "typing.TypedDict", "typing_extensions.TypedDict"})
_FIELD_CALLS = frozenset({"field", "ib", "attrib"})  # dataclasses.field, attr.ib, attrs.field
# `ast.unparse` recurses two or three Python frames per level: a default of `1 + 1 + ...` with 490
# terms exhausted the recursion limit (issue 13). Up to this depth it is safe from any caller.
SAFE_UNPARSE_DEPTH = 100


def unparse(node: ast.AST) -> str:
    """An expression's normalised source text (`ast.unparse`), or, for one too deep to unparse, a placeholder
    with its digest (so that two different deep expressions still differ)."""
    if not _deeper_than(node, SAFE_UNPARSE_DEPTH):
        return ast.unparse(node)
    # In a thread of its own, unparsing starts at the bottom of a fresh stack: whether it fits within the
    # recursion limit then depends on the expression alone, not on how deep our caller was, so the text
    # (cached, and shared between machines) is the same on every run; and it is `ast.unparse`'s own
    # text wherever unparsing in the caller's stack, as docsync did before, could have succeeded.
    text: list[str] = []

    def attempt() -> None:
        with contextlib.suppress(RecursionError):
            text.append(ast.unparse(node))

    thread = threading.Thread(target=attempt, name="docsync-unparse")
    thread.start()
    thread.join()
    return text[0] if text else f"<expression too deeply nested to show: {digest(canonical(node))}>"


def _deeper_than(node: ast.AST, limit: int) -> bool:
    """Whether the tree under `node` has more than `limit` levels (level by level: no recursion)."""
    level = [node]
    for _ in range(limit):
        level = [child for parent in level for child in ast.iter_child_nodes(parent)]
        if not level:
            return False
    return True


def parameters(args: ast.arguments) -> Iterator[Parameter]:
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for index, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
        kind = ParamKind.POSITIONAL_ONLY if index < len(args.posonlyargs) else ParamKind.POSITIONAL_OR_KEYWORD
        yield _parameter(arg, kind, default)
    if args.vararg:
        yield _parameter(args.vararg, ParamKind.VAR_POSITIONAL, None)
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        yield _parameter(arg, ParamKind.KEYWORD_ONLY, kw_default)
    if args.kwarg:
        yield _parameter(args.kwarg, ParamKind.VAR_KEYWORD, None)


def _parameter(arg: ast.arg, kind: ParamKind, default: ast.expr | None) -> Parameter:
    return Parameter(
        name=arg.arg,
        kind=kind,
        default=unparse(default) if default is not None else None,
        annotation=unparse(arg.annotation) if arg.annotation is not None else None,
    )


def call_interface(signature: Signature) -> str:
    """What `Class(...)` accepts, as the class's Signature shows it: `__init__`'s `-> None` is not news."""
    return repr([(p.name, p.kind.value, p.default, p.annotation) for p in signature.parameters]) + repr(
        signature.complete
    )


def class_signature(
    node: ast.ClassDef, constructor: Signature | None, decorators: tuple[str, ...], bases: tuple[str, ...]
) -> Signature:
    """The call interface of `Class(...)`: its `__init__` (or `__new__`: `constructor`, if it has one) without
    `self`, or its fields (a dataclass, attrs class, NamedTuple or TypedDict)."""
    if constructor is not None:
        parameters = constructor.parameters[1:]
        return Signature(parameters=parameters, decorators=decorators, bases=bases, forwards=constructor.forwards)
    typed_dict = bool(_TYPED_DICT_BASES.intersection(bases))
    names = [d.split("(")[0] for d in decorators]
    is_record = (
        typed_dict
        or bool(_NAMED_TUPLE_BASES.intersection(bases))
        # `frozen_dataclass_decorator = partial(dataclass, frozen=True)`: a dataclass by another name.
        or any(name in _DATACLASS_DECORATORS or "dataclass" in name.rpartition(".")[2] for name in names)
    )
    # A base other than the record's own marker may add fields (a dataclass of a dataclass): we cannot see them.
    others = [b for b in bases if "=" not in b and b not in (*_NAMED_TUPLE_BASES, *_TYPED_DICT_BASES, "object")]
    if is_record:
        total = "total=False" not in bases
        fields = _typed_dict_fields(node, total) if typed_dict else _record_fields(node)
        return Signature(parameters=tuple(fields), decorators=decorators, bases=bases, complete=not others)
    # Another decorator over annotated fields may make a record of them that we cannot read (a pydantic or
    # msgspec model, an alias of attrs.define); without a constructor of its own the class inherits one we may not
    # see. Neither is complete.
    annotated = any(isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name) for s in node.body)
    unseen = bool(names) and annotated
    return Signature(parameters=(), decorators=decorators, bases=bases, complete=not others and not unseen)


def _record_fields(node: ast.ClassDef) -> Iterator[Parameter]:
    """A dataclass's, attrs class's or NamedTuple's fields, in order: `field(init=False)` is none of them."""
    for statement in node.body:
        if not (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)):
            continue
        annotation = unparse(statement.annotation)
        if annotation.startswith(("ClassVar", "typing.ClassVar")):
            continue
        value = statement.value
        if isinstance(value, ast.Call) and _last_name(value.func) in _FIELD_CALLS:
            keywords = {k.arg: k.value for k in value.keywords if k.arg}
            init = keywords.get("init")
            if isinstance(init, ast.Constant) and init.value is False:
                continue
            given = next((keywords[k] for k in ("default", "default_factory", "factory") if k in keywords), None)
            default = unparse(given) if given is not None else None
        else:
            default = unparse(value) if value is not None else None
        yield Parameter(statement.target.id, ParamKind.POSITIONAL_OR_KEYWORD, default, annotation)


def _typed_dict_fields(node: ast.ClassDef, total: bool) -> Iterator[Parameter]:
    """A TypedDict's keys, keyword-only: with `total=False` (or `NotRequired[...]`) a key may be left out."""
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            annotation = unparse(statement.annotation)
            wrapper = annotation.partition("[")[0].rpartition(".")[2]
            required = wrapper == "Required" or (total and wrapper != "NotRequired")
            default = None if required else "..."
            yield Parameter(statement.target.id, ParamKind.KEYWORD_ONLY, default, annotation)


def _last_name(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
