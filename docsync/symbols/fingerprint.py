"""Normalised syntax trees → stable digests: no comments, formatting, quote style or own name.

The serialisation is our own rather than `ast.dump`, because `ast.dump` changes between Python
versions (3.12 added `type_params=[]`, 3.13 hides empty fields), and fingerprints are stored in
the cache and in `.docsync.lock`: the same code must give the same digest on every interpreter.
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence

# Fields that carry no meaning for us: load/store context, `u"..."` prefixes, `# type:` comments.
_SKIPPED_FIELDS = frozenset({"ctx", "kind", "type_comment", "type_ignores"})
_FIELDS: dict[type, tuple[str, ...]] = {}
_WHITESPACE = re.compile(r"\s+")

PLACEHOLDER = "\x00self{}\x00"
# Valid code nests far deeper than Python's recursion limit (`x = 1 + 1 + ...` with 980 terms, an
# `elif` chain of 490 branches: issue 13). `canonical` recurses for this many levels, the fast way for
# ordinary code (the stack alone made fingerprinting Django's statements 1.4x slower), then goes on
# with an explicit stack.
_RECURSIVE_LEVELS = 100


def digest(text: str) -> str:
    """A short, stable hex digest (64 bits: plenty to tell versions of one symbol apart)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def canonical(node: ast.AST | Sequence[ast.AST], own_names: Mapping[str, str] | None = None) -> str:
    """Serialise a tree so that only its meaning remains.

    `own_names` maps the symbol's own name (and its enclosing classes') to placeholders, so
    that a rename alone (a recursive call, `cls.Name`) does not change the body digest.
    """
    out: list[str] = []
    _emit(node, out, own_names or {}, _RECURSIVE_LEVELS)
    return "".join(out)


def _fields(cls: type) -> tuple[str, ...]:
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = tuple(f for f in getattr(cls, "_fields", ()) if f not in _SKIPPED_FIELDS)
        _FIELDS[cls] = fields
    return fields


def _emit(node: object, out: list[str], renames: Mapping[str, str], levels: int) -> None:
    """Plain recursion for the first `levels` levels (ordinary code is a few deep, and this is the fast way);
    deeper subtrees go to `_emit_with_stack`, which writes exactly the same text."""
    if levels == 0:
        _emit_with_stack(node, out, renames)
    elif isinstance(node, ast.AST):
        cls = type(node)
        if renames:
            if cls is ast.Name and node.id in renames:  # type: ignore[attr-defined]
                out.append(f"Name({renames[node.id]})")  # type: ignore[attr-defined]
                return
            if cls is ast.Attribute and node.attr in renames:  # type: ignore[attr-defined]
                out.append("Attribute(")
                _emit(node.value, out, renames, levels - 1)  # type: ignore[attr-defined]
                out.append(f",{renames[node.attr]})")  # type: ignore[attr-defined]
                return
        out.append(cls.__name__)
        out.append("(")
        for field in _fields(cls):
            value = getattr(node, field, None)
            if value is None or (isinstance(value, list) and not value):
                continue  # absent and empty are the same on every Python version
            out.append(field)
            out.append("=")
            _emit(value, out, renames, levels - 1)
            out.append(",")
        out.append(")")
    elif isinstance(node, list):
        out.append("[")
        for item in node:
            _emit(item, out, renames, levels - 1)
            out.append(",")
        out.append("]")
    else:
        out.append(repr(node))


def _emit_with_stack(node: object, out: list[str], renames: Mapping[str, str]) -> None:
    """`_emit` without recursion, for trees of any depth: pending work on a stack, last first.

    A str on the stack is text to write as it is; anything else is a tree or a list still to
    serialise (other values are turned into their text when pushed).
    """
    stack: list[object] = [_pending(node)]
    while stack:
        item = stack.pop()
        if type(item) is str:
            out.append(item)
        elif isinstance(item, list):
            out.append("[")
            stack.append("]")
            for child in reversed(item):
                stack.append(",")
                stack.append(_pending(child))
        else:
            assert isinstance(item, ast.AST)
            stack.extend(reversed(_node_parts(item, renames)))


def _pending(value: object) -> object:
    return value if isinstance(value, ast.AST | list) else repr(value)


def _node_parts(node: ast.AST, renames: Mapping[str, str]) -> list[object]:
    """One node's serialisation in `_emit`'s order: text, and its children (still to serialise) in their places."""
    cls = type(node)
    if renames:
        if cls is ast.Name and node.id in renames:  # type: ignore[attr-defined]
            return [f"Name({renames[node.id]})"]  # type: ignore[attr-defined]
        if cls is ast.Attribute and node.attr in renames:  # type: ignore[attr-defined]
            return ["Attribute(", _pending(node.value), f",{renames[node.attr]})"]  # type: ignore[attr-defined]
    parts: list[object] = [cls.__name__, "("]
    for field in _fields(cls):
        value = getattr(node, field, None)
        if value is None or (isinstance(value, list) and not value):
            continue
        parts += (field, "=", _pending(value), ",")
    parts.append(")")
    return parts


def statements_digest(statements: Iterable[ast.stmt], own_names: Mapping[str, str]) -> str:
    """Digest a body; runs of consecutive imports are sorted, since their order has no meaning."""
    parts: list[str] = []
    imports: list[str] = []
    for statement in statements:
        text = canonical(statement, own_names)
        if isinstance(statement, ast.Import | ast.ImportFrom):
            imports.append(text)
            continue
        if imports:
            parts.extend(sorted(imports))
            imports = []
        parts.append(text)
    parts.extend(sorted(imports))
    return digest("\n".join(parts))


def docstring_digest(docstring: str | None, own_names: Mapping[str, str]) -> str:
    """Digest a docstring with whitespace runs collapsed (re-wrapping is formatting) and own names hidden."""
    if not docstring:
        return digest("")
    text = _WHITESPACE.sub(" ", docstring).strip()
    for name, placeholder in own_names.items():
        text = re.sub(rf"\b{re.escape(name)}\b", placeholder, text)
    return digest(text)


def own_name_placeholders(chain: Sequence[str]) -> dict[str, str]:
    """Placeholders for a symbol's name and its enclosing classes' names (`("Cart", "total")`)."""
    return {name: PLACEHOLDER.format(index) for index, name in enumerate(reversed(chain)) if name}
