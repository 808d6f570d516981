"""Type annotations in one canonical spelling, so that an equivalent spelling is no change at all.

`Optional[X]`, `X | None` and `Union[X, None]` are one type; so are `typing.Dict[str, int]`, `t.Dict[str, int]`
and `dict[str, int]`, `"Foo"` (a forward reference) and `Foo`, `collections.abc.Mapping` and `typing.Mapping`.
A doc that does not write an annotation is never wrong because the code spells it another way.
"""

from __future__ import annotations

import ast
from functools import lru_cache

# Module prefixes that only say where a typing name comes from.
_TYPING_MODULES = frozenset({"typing", "t", "typing_extensions", "te", "collections.abc", "abc", "builtins"})
# typing's capitalised aliases of builtins (PEP 585).
_BUILTIN_ALIASES = {
    "Dict": "dict", "List": "list", "Tuple": "tuple", "Set": "set", "FrozenSet": "frozenset", "Type": "type",
    "DefaultDict": "collections.defaultdict", "OrderedDict": "collections.OrderedDict", "Deque": "collections.deque",
    "Text": "str",
}  # fmt: skip


@lru_cache(maxsize=8192)
def canonical_annotation(text: str | None) -> str | None:
    """The annotation in canonical spelling (None stays None); text that does not parse is kept as it is."""
    if text is None:
        return None
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return text
    try:
        return ast.unparse(_canonical(tree))
    except RecursionError:  # absurdly nested: compare as written
        return text


def _canonical(node: ast.expr) -> ast.expr:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):  # a forward reference: "Foo"
        try:
            return _canonical(ast.parse(node.value.strip(), mode="eval").body)
        except SyntaxError:
            return node
    if isinstance(node, ast.Attribute):
        prefix = _dotted(node.value)
        if prefix in _TYPING_MODULES:
            return _canonical(ast.Name(node.attr))
        return node
    if isinstance(node, ast.Name):
        return ast.Name(_BUILTIN_ALIASES.get(node.id, node.id))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union([node.left, node.right])
    if isinstance(node, ast.Subscript):
        base = _canonical(node.value)
        arguments = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if isinstance(base, ast.Name) and base.id == "Optional" and len(arguments) == 1:
            return _union([arguments[0], ast.Constant(None)])
        if isinstance(base, ast.Name) and base.id == "Union":
            return _union(arguments)
        canonical = [_canonical(argument) for argument in arguments]
        index = ast.Tuple(canonical) if isinstance(node.slice, ast.Tuple) else canonical[0]
        return ast.Subscript(base, index)
    if isinstance(node, ast.Tuple | ast.List):
        return type(node)([_canonical(element) for element in node.elts])
    return node


def _union(members: list[ast.expr]) -> ast.expr:
    """`A | B | None`, members flattened, canonical, without repeats, in one order."""
    flat: dict[str, ast.expr] = {}
    todo = list(members)
    while todo:
        member = _canonical(todo.pop(0))
        if isinstance(member, ast.BinOp) and isinstance(member.op, ast.BitOr):
            todo[:0] = [member.left, member.right]
            continue
        flat.setdefault(ast.unparse(member), member)
    ordered = [flat[key] for key in sorted(flat, key=lambda key: (key == "None", key))]
    union = ordered[0]
    for member in ordered[1:]:
        union = ast.BinOp(union, ast.BitOr(), member)
    return union


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        prefix = _dotted(node.value)
        return f"{prefix}.{node.attr}" if prefix else None
    return None
