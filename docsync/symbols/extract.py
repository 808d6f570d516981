"""Module source → its symbols, with names relative to the module, via the stdlib `ast`.

`ast` rather than libcst: only structure matters here, and `ast.parse` is ~10x faster than
`libcst.parse_module` (see the README's performance section); libcst reads only what the running `ast` cannot,
newer grammar (see `parse.py`). The result depends on the
file's bytes only, so it is cached by git blob id (`cache.py`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from docsync.models import Fingerprint, Signature, SymbolKind
from docsync.symbols import deprecations as warned
from docsync.symbols.blocks import assignments_in, definition_blocks, nested_statements
from docsync.symbols.decorators import identity_decorators
from docsync.symbols.fingerprint import (
    canonical,
    digest,
    docstring_digest,
    own_name_placeholders,
    statements_digest,
)
from docsync.symbols.forwarding import kwargs_target
from docsync.symbols.module_getattr import served_names
from docsync.symbols.names_only import UNKNOWN, defined_names
from docsync.symbols.parse import parse_python
from docsync.symbols.signatures import call_interface, class_signature, parameters, unparse

# Matched on the decorator's last name, so `@t.overload` (after `import typing as t`) counts too.
_PROPERTY_DECORATORS = frozenset({"property", "cached_property"})
_OVERLOAD_DECORATORS = frozenset({"overload"})


@dataclass(frozen=True, slots=True)
class LocalSymbol:
    """A symbol with its name relative to its module ("" is the module itself, "Cart.total")."""

    name: str
    kind: SymbolKind
    line: int
    end_line: int
    fingerprint: Fingerprint
    signature: Signature | None = None
    deprecated: str | None = None  # the deprecation warning's text ("" if not literal), if it is deprecated
    deprecated_parameters: tuple[tuple[str, str], ...] = ()  # (parameter, warning text): passing it warns


# `ImportedName.level` of an attribute set on an imported module (`pytest.Testdir = Testdir`): the module
# `module` gets `alias`, our `name`. Such a name is importable from there as if that module had imported it.
ATTRIBUTE_SET = -1


class ImportedName(NamedTuple):
    """`from .cart import add_item as alias` (name "*" for star imports; "" for `import a.b as alias`), or an
    attribute set on an imported module (level `ATTRIBUTE_SET`).

    A named tuple, not a dataclass: a table of a large project is built from tens of thousands of them.
    """

    alias: str
    module: str
    level: int
    name: str


@dataclass(frozen=True, slots=True)
class ModuleSymbols:
    """What one file version defines; `error` is (line, message) when it does not parse."""

    symbols: tuple[LocalSymbol, ...]
    imports: tuple[ImportedName, ...] = ()
    all_names: tuple[str, ...] | None = None
    error: tuple[int, str] | None = None
    # The names a module-level `__getattr__` (PEP 562) serves, when it serves only names it
    # spells out (`if name == "old": ...; raise AttributeError`): None when it may serve any.
    dynamic_names: tuple[str, ...] | None = None
    # (name, warning text) for the names that `__getattr__` serves with a deprecation warning.
    served_deprecated: tuple[tuple[str, str], ...] = ()
    aliased: tuple[tuple[str, str], ...] = ()  # (module, name) a deprecation helper serves (see `deprecations`)


def _called_name(decorator: ast.expr) -> str:
    """`name` of `@name` and `@name(...)`; "" for any other decorator."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return target.id if isinstance(target, ast.Name) else ""


def extract_module(source: bytes) -> ModuleSymbols:
    """Every symbol a module defines, or the parse error (line, message) when it does not parse."""
    try:
        tree = parse_python(source)
    except SyntaxError as error:
        return _names_only(source, (error.lineno or 1, error.msg))
    except ValueError as error:  # null bytes
        return ModuleSymbols(symbols=(), error=(1, str(error)))
    except (RecursionError, MemoryError) as error:  # the parser's limits: `1 + 1 + ...` with 5,000 terms
        return ModuleSymbols(symbols=(), error=(1, f"nested too deeply for Python's parser: {type(error).__name__}"))
    collector = _Collector(identity_decorators(tree))
    collector.visit_body(tree.body, ())
    deprecated = warned.module_deprecation(tree)
    module_symbol = LocalSymbol(
        name="",
        kind=SymbolKind.MODULE,
        line=1,
        end_line=max(1, len(source.splitlines())),
        fingerprint=Fingerprint(
            signature=digest(""),
            # Each of a module's members is a symbol of its own, and adding one makes no doc wrong:
            # a module drifts only by being removed, deprecated, or by its docstring.
            body=_deprecation_digest(digest(""), deprecated),
            docstring=docstring_digest(ast.get_docstring(tree, clean=True), {}),
        ),
        deprecated=deprecated,
    )
    return ModuleSymbols(
        symbols=(module_symbol, *collector.symbols),
        imports=tuple(collector.imports),
        all_names=collector.all_names,
        dynamic_names=served_names(tree),
        served_deprecated=warned.served_deprecations(tree),
        aliased=warned.aliased_deprecations(tree),
    )


def _deprecation_digest(body: str, deprecated: str | None) -> str:
    """A class's or module's body digest, marked when it is deprecated: its warning lives in a member (`__init__`)
    or is no statement of a symbol (a module's), yet a fingerprint must change when it comes (history compares
    fingerprints first). Unchanged for what is not deprecated."""
    return body if deprecated is None else digest(body + "\0deprecated")


def _names_only(source: bytes, error: tuple[int, str]) -> ModuleSymbols:
    """A file that does not parse (Python 2, a half-edited file): its names, with nothing known of their contents."""
    lines = max(1, len(source.splitlines()))
    symbols = [LocalSymbol("", SymbolKind.MODULE, 1, lines, UNKNOWN)]
    symbols += [LocalSymbol(name, kind, line, line, UNKNOWN) for name, kind, line in defined_names(source)]
    return ModuleSymbols(symbols=tuple(symbols), error=error)


class _Collector:
    def __init__(self, identity_decorators: frozenset[str] = frozenset()) -> None:
        self._identity = identity_decorators  # the module's own decorators that return what they decorate
        self.symbols: list[LocalSymbol] = []
        self.imports: list[ImportedName] = []
        self._imported_modules: dict[str, str] = {}  # `import a.b as x`: x -> a.b
        self.all_names: tuple[str, ...] | None = None
        self._index: dict[str, int] = {}
        self._overloads: dict[str, list[str]] = {}

    def visit_body(self, body: Sequence[ast.stmt], chain: tuple[str, ...]) -> None:
        for statement, following in nested_statements(body, definition_blocks):
            self._visit(statement, chain, following)

    def _visit(self, node: ast.stmt, chain: tuple[str, ...], following: ast.stmt | None) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            self._function(node, chain)
        elif isinstance(node, ast.ClassDef):
            self._class(node, chain)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            self._assignment(node, chain, following)
        elif isinstance(node, ast.AugAssign) and not chain:
            self._extend_all(node)
        elif isinstance(node, ast.Expr) and not chain:
            self._extend_all_call(node)
        elif isinstance(node, ast.ImportFrom | ast.Import) and not chain:
            self._import(node)

    def _add(self, symbol: LocalSymbol) -> None:
        # The first definition wins: later ones are conditional alternatives (`try: ... except ImportError:`).
        if symbol.name not in self._index:
            self._index[symbol.name] = len(self.symbols)
            self.symbols.append(symbol)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, chain: tuple[str, ...]) -> None:
        name = ".".join((*chain, node.name))
        # A decorator of this module that returns the function it gets changes nothing about calling it.
        decorator_list = [d for d in node.decorator_list if _called_name(d) not in self._identity]
        decorators = tuple(unparse(d) for d in decorator_list)
        own = own_name_placeholders((*chain, node.name))
        decorator_names = {_last_name(d) for d in decorators}
        if _OVERLOAD_DECORATORS & decorator_names:
            self._overloads.setdefault(name, []).append(canonical(node.args, own))
            return
        if name in self._index and any(d.endswith((".setter", ".deleter")) for d in decorators):
            self._fold_accessor(name, node, own)
            return
        signature_text = canonical([node.args, *([node.returns] if node.returns else []), *decorator_list], own)
        signature_text += "async" if isinstance(node, ast.AsyncFunctionDef) else ""
        signature_text += "".join(self._overloads.pop(name, []))
        if chain:
            kind = SymbolKind.PROPERTY if _PROPERTY_DECORATORS & decorator_names else SymbolKind.METHOD
        else:
            kind = SymbolKind.FUNCTION
        self._add(
            LocalSymbol(
                name=name,
                kind=kind,
                line=_first_line(node),
                end_line=node.end_lineno or node.lineno,
                fingerprint=Fingerprint(
                    signature=digest(signature_text),
                    body=statements_digest(_without_docstring(node.body), own),
                    docstring=docstring_digest(ast.get_docstring(node, clean=True), own),
                ),
                signature=Signature(
                    parameters=tuple(parameters(node.args)),
                    returns=unparse(node.returns) if node.returns else None,
                    decorators=decorators,
                    forwards=kwargs_target(node),
                ),
                deprecated=warned.deprecation_of(node),
                deprecated_parameters=warned.deprecated_parameters(node),
            )
        )
        if chain and node.name == "__init__":
            self._instance_attributes(node, chain)

    def _fold_accessor(self, name: str, node: ast.FunctionDef | ast.AsyncFunctionDef, own: dict[str, str]) -> None:
        """A `@x.setter` belongs to the property `x`: its body is part of the property's body."""
        index = self._index[name]
        symbol = self.symbols[index]
        extra = statements_digest(_without_docstring(node.body), own)
        fingerprint = replace(symbol.fingerprint, body=digest(symbol.fingerprint.body + extra))
        self.symbols[index] = replace(
            symbol, fingerprint=fingerprint, end_line=max(symbol.end_line, node.end_lineno or 0)
        )

    def _class(self, node: ast.ClassDef, chain: tuple[str, ...]) -> None:
        name = ".".join((*chain, node.name))
        if name in self._index:
            return  # a conditional alternative definition: the first one wins
        own = own_name_placeholders((*chain, node.name))
        members_before = len(self.symbols)
        self._add(_placeholder_symbol(name))
        self.visit_body(node.body, (*chain, node.name))
        for method in node.body:  # after `__init__`'s, which autodoc documents: an attribute any method sets
            if isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef) and method.name != "__init__":
                self._instance_attributes(method, (*chain, node.name))
        members = self.symbols[members_before + 1 :]
        # The class's body is what is not a member: members are symbols of their own, and a new
        # method makes no doc about the class wrong (renames compare member lists: `similarity.py`).
        other_statements = [
            s
            for s in _without_docstring(node.body)
            if not isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Assign | ast.AnnAssign)
        ]
        decorators = tuple(unparse(d) for d in node.decorator_list)
        # `class A(object)` is `class A` in Python 3: dropping `object` changes nothing.
        real_bases = [b for b in node.bases if not (isinstance(b, ast.Name) and b.id == "object")]
        bases = tuple(unparse(b) for b in real_bases) + tuple(unparse(k) for k in node.keywords)
        constructor = next(
            (
                m.signature
                for method in ("__init__", "__new__")
                for m in members
                if m.name == f"{name}.{method}" and m.signature is not None
            ),
            None,
        )
        signature = class_signature(node, constructor, decorators, bases)
        deprecated = warned.deprecation_of(node)
        constructing = [m for m in members if m.name in (f"{name}.__init__", f"{name}.__new__")]
        self.symbols[self._index[name]] = LocalSymbol(
            name=name,
            kind=SymbolKind.CLASS,
            line=_first_line(node),
            end_line=node.end_lineno or node.lineno,
            fingerprint=Fingerprint(
                signature=digest(
                    canonical([*real_bases, *node.keywords, *node.decorator_list], own) + call_interface(signature)
                ),
                body=_deprecation_digest(statements_digest(other_statements, own), deprecated),
                docstring=docstring_digest(ast.get_docstring(node, clean=True), own),
            ),
            signature=signature,
            deprecated=deprecated,
            deprecated_parameters=tuple(pair for m in constructing for pair in m.deprecated_parameters),
        )

    def _assignment(self, node: ast.Assign | ast.AnnAssign, chain: tuple[str, ...], following: ast.stmt | None) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if not chain and isinstance(node.value, ast.Name):
            self._attributes_set(targets, node.value.id)
        names = [n.id for target in targets for n in _assigned_names(target)]
        if not chain and "__all__" in names and node.value is not None:
            self.all_names = _string_list(node.value)
            return
        annotation = unparse(node.annotation) if isinstance(node, ast.AnnAssign) else None
        docstring = _attribute_docstring(following)
        for name in names:
            self._add(_attribute((*chain, name), node, annotation, docstring))

    def _instance_attributes(self, method: ast.FunctionDef | ast.AsyncFunctionDef, chain: tuple[str, ...]) -> None:
        """`self.x = ...` in a method makes an instance attribute (`__init__`'s first, as Sphinx's autodoc sees
        them; a name already defined keeps its first definition)."""
        for statement, following in assignments_in(method.body):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            annotation = unparse(statement.annotation) if isinstance(statement, ast.AnnAssign) else None
            for attribute in (a for target in targets for a in _self_attributes(target)):
                self._add(_attribute((*chain, attribute), statement, annotation, _attribute_docstring(following)))

    def _attributes_set(self, targets: Sequence[ast.expr], value: str) -> None:
        """`pytest.Testdir = Testdir` after `import pytest`: a name of ours made importable from that module."""
        for target in targets:
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                module = self._imported_modules.get(target.value.id)
                if module is not None:
                    self.imports.append(ImportedName(target.attr, module, ATTRIBUTE_SET, value))

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                # `import a.b` binds `a`; `import a.b as x` binds `x` to `a.b`.
                self._imported_modules[alias.asname or alias.name.partition(".")[0]] = (
                    alias.name if alias.asname else alias.name.partition(".")[0]
                )
                if alias.asname:  # `import a.b` binds only `a`: not a re-export of anything of ours
                    self.imports.append(ImportedName(alias=alias.asname, module=alias.name, level=0, name=""))
            return
        for alias in node.names:
            local = alias.asname or alias.name
            self.imports.append(
                ImportedName(
                    alias=local if alias.name != "*" else "*",
                    module=node.module or "",
                    level=node.level,
                    name=alias.name,
                )
            )

    def _extend_all(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, ast.Name) and node.target.id == "__all__" and isinstance(node.op, ast.Add):
            extra = _string_list(node.value)
            if extra is not None:
                self.all_names = (*(self.all_names or ()), *extra)

    def _extend_all_call(self, node: ast.Expr) -> None:
        call = node.value
        is_all_method = (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == "__all__"
            and call.func.attr in {"append", "extend"}
            and len(call.args) == 1
        )
        if not is_all_method:
            return
        assert isinstance(call, ast.Call)
        assert isinstance(call.func, ast.Attribute)
        argument = call.args[0]
        if call.func.attr == "append":
            extra: tuple[str, ...] | None = (
                (argument.value,) if isinstance(argument, ast.Constant) and isinstance(argument.value, str) else None
            )
        else:
            extra = _string_list(argument)
        if extra is not None:
            self.all_names = (*(self.all_names or ()), *extra)


def _last_name(decorator: str) -> str:
    """`functools.cached_property` -> `cached_property`; `lru_cache(maxsize=1)` -> `lru_cache`."""
    return decorator.split("(")[0].rpartition(".")[2]


def _attribute(
    chain: tuple[str, ...], node: ast.Assign | ast.AnnAssign, annotation: str | None, docstring: str | None
) -> LocalSymbol:
    """A module, class or instance attribute; its annotation is its signature (`Signature.returns`)."""
    own = own_name_placeholders(chain)
    return LocalSymbol(
        name=".".join(chain),
        kind=SymbolKind.ATTRIBUTE,
        line=node.lineno,
        end_line=node.end_lineno or node.lineno,
        fingerprint=Fingerprint(
            signature=digest(annotation or ""),
            body=digest(canonical(node.value, own) if node.value is not None else ""),
            docstring=docstring_digest(docstring, own),
        ),
        signature=Signature(returns=annotation) if annotation is not None else None,
    )


def _placeholder_symbol(name: str) -> LocalSymbol:
    """Reserves the class's slot before its members, so the symbol order follows the source."""
    empty = digest("")
    return LocalSymbol(name, SymbolKind.CLASS, 0, 0, Fingerprint(empty, empty, empty))


def _first_line(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> int:
    return min([node.lineno, *(d.lineno for d in node.decorator_list)])


def _without_docstring(body: Sequence[ast.stmt]) -> Sequence[ast.stmt]:
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return body[1:]
    return body


def _attribute_docstring(following: ast.stmt | None) -> str | None:
    """Sphinx's attribute docstring: a string literal right after the assignment."""
    if isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant):
        value = following.value.value
        if isinstance(value, str):
            return value
    return None


def _self_attributes(target: ast.expr) -> Iterator[str]:
    """`self.x`, also inside tuple targets (`self.a, self.b = a, b`) and starred ones."""
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
        yield target.attr
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            yield from _self_attributes(element)
    elif isinstance(target, ast.Starred):
        yield from _self_attributes(target.value)


def _assigned_names(target: ast.expr) -> Iterator[ast.Name]:
    if isinstance(target, ast.Name):
        yield target
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            yield from _assigned_names(element)


def _string_list(node: ast.expr) -> tuple[str, ...] | None:
    """The strings of a list, tuple or set of string literals, or of a sum of such (`[...] + [...]`); else None."""
    values: list[str] = []
    pending = [node]  # a stack, not recursion: `[...] + [...] + ...` nests one level per `+` (issue 13)
    while pending:
        part = pending.pop()
        if isinstance(part, ast.BinOp) and isinstance(part.op, ast.Add):
            pending += (part.right, part.left)
            continue
        if not isinstance(part, ast.List | ast.Tuple | ast.Set):
            return None
        strings = [e.value for e in part.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        if len(strings) != len(part.elts):
            return None
        values += strings
    return tuple(values)
