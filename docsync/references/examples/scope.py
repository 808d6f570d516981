"""The name environment of a doc's code examples: which names they import, bind, use and call."""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum

# Names a doctest or notebook can use without binding them: builtins, plus what the interactive
# interpreter and IPython inject (`_` is the last result).
_PREDEFINED = frozenset(dir(builtins)) | {"_", "__", "___", "__file__", "display", "get_ipython"}


# Written after a function's name in a dotted name (`shop.get().json`): what it returns, by its annotation.
RESULT = "()"


class _BindKind(Enum):
    IMPORT = "import"  # the name stands for the dotted `target`
    INSTANCE = "instance"  # the name holds an instance of the class `target`
    LOCAL = "local"  # bound to something we know nothing about


@dataclass(frozen=True, slots=True)
class _Binding:
    kind: _BindKind
    target: str = ""


_LOCAL = _Binding(_BindKind.LOCAL)


@dataclass(frozen=True, slots=True)
class Span:
    """Where a construct sits in its block's code (ast coordinates: 1-based lines, 0-based UTF-8 offsets)."""

    lineno: int
    col_offset: int
    end_lineno: int
    end_col_offset: int


@dataclass(frozen=True, slots=True)
class NameUse:
    """A dotted name an example imports or uses, after following imports and instances."""

    span: Span
    name: str


@dataclass(frozen=True, slots=True)
class CallUse:
    """A call whose callee resolved to a dotted name, with its argument shape."""

    span: Span
    name: str
    positional: int
    keywords: tuple[str, ...]
    star_args: bool
    star_kwargs: bool
    bound: bool = False  # called on an instance (`cart.total()`), so `self` is already given


def _span(node: ast.expr | ast.alias) -> Span:
    end_lineno = node.end_lineno if node.end_lineno is not None else node.lineno
    end_col = node.end_col_offset if node.end_col_offset is not None else node.col_offset
    return Span(node.lineno, node.col_offset, end_lineno, end_col)


def _chain(node: ast.expr) -> list[str] | None:
    """`a.b.c` -> ["a", "b", "c"]; None when the chain starts at a call, subscript..."""
    attributes: list[str] = []
    while isinstance(node, ast.Attribute):
        attributes.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *reversed(attributes)]


def _looks_like_class(name: str) -> bool:
    # A call of a CapWords name builds an instance; a function's result is of unknown type, and
    # tracking `make_cart()` as an instance of `make_cart` would invent names like `make_cart.total`.
    return name.rpartition(".")[2][:1].isupper()


def _argument_names(arguments: ast.arguments) -> Iterator[str]:
    for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
        yield arg.arg
    for star in (arguments.vararg, arguments.kwarg):
        if star is not None:
            yield star.arg


class ScopeWalker(ast.NodeVisitor):
    """Walks the blocks of one doc in order; the environment carries over from block to block."""

    def __init__(self) -> None:
        self._env: dict[str, _Binding] = {}
        self._uses: list[NameUse] = []
        self._calls: list[CallUse] = []
        self.imported: dict[str, str] = {}  # every name an import of the doc's examples bound -> what it names
        self.defined: set[str] = set()  # the classes and functions the doc's examples define at their top level
        self._depth = 0

    def analyze(self, tree: ast.Module) -> tuple[list[NameUse], list[CallUse]]:
        """The names used and the calls made by `tree`, updating the environment as it goes."""
        self._uses, self._calls = [], []
        self.visit(tree)
        return self._uses, self._calls

    # -- resolution ------------------------------------------------------------------------------

    def _resolve(self, parts: Sequence[str]) -> str | None:
        binding = self._env.get(parts[0])
        if binding is None:
            return None if parts[0] in _PREDEFINED else ".".join(parts)
        if binding.kind is _BindKind.IMPORT:
            return ".".join([binding.target, *parts[1:]])
        if binding.kind is _BindKind.INSTANCE and len(parts) > 1:
            return ".".join([binding.target, *parts[1:]])
        return None

    def _resolve_expr(self, node: ast.expr) -> str | None:
        parts = _chain(node)
        return self._resolve(parts) if parts else self._resolve_on_new_instance(node)

    def _resolve_on_new_instance(self, node: ast.expr) -> str | None:
        """`Cart().total` -> `<Cart>.total`: an attribute of an instance built on the spot."""
        attributes: list[str] = []
        while isinstance(node, ast.Attribute):
            attributes.append(node.attr)
            node = node.value
        if not attributes or not isinstance(node, ast.Call):
            return None
        callee = self._resolve_expr(node.func)
        made = self._made_by(node.func, callee)
        return ".".join([made, *reversed(attributes)]) if made is not None else None

    def _made_by(self, func: ast.expr, callee: str | None) -> str | None:
        """What calling `callee` makes, as a name: the class for `Cart()`, `shop.get()` (what `get` returns, see
        `resolve.lookup`) for a function the examples imported; None for a name they never bound."""
        if callee is None or _looks_like_class(callee):
            return callee
        parts = _chain(func)
        binding = self._env.get(parts[0]) if parts else _Binding(_BindKind.INSTANCE)  # `a().b()`: `a()` was known
        return f"{callee}{RESULT}" if binding is not None and binding.kind is not _BindKind.LOCAL else None

    def _value_binding(self, value: ast.expr) -> _Binding:
        """What a name assigned from `value` is bound to."""
        if isinstance(value, ast.Call):
            # `cart = Cart()` holds a Cart; `r = shop.get(url)` what `get` is annotated to return (`shop.get()`).
            made = self._made_by(value.func, self._resolve_expr(value.func))
            return _Binding(_BindKind.INSTANCE, made) if made is not None else _LOCAL
        if isinstance(value, ast.Name):
            binding = self._env.get(value.id)
            if binding is not None and binding.kind is _BindKind.INSTANCE:
                return binding
        return _LOCAL

    def _bind_target(self, target: ast.expr, binding: _Binding) -> None:
        if isinstance(target, ast.Name):
            self._env[target.id] = binding
        else:  # tuples bind their names as locals; attributes and subscripts are uses
            self.visit(target)

    def _define(self, name: str) -> None:
        self._env[name] = _LOCAL
        if self._depth == 0:
            self.defined.add(name)
            self.imported.pop(name, None)  # the doc's own `class Address` from here on, not an import of that name

    def _bind_locals(self, names: Iterator[str] | Sequence[str]) -> None:
        for name in names:
            self._env[name] = _LOCAL

    @contextmanager
    def _scope(self) -> Iterator[None]:
        """A function, class or comprehension body: it sees the outer names, its own stay inside."""
        outer = self._env
        self._env = dict(outer)
        self._depth += 1
        try:
            yield
        finally:
            self._env = outer
            self._depth -= 1

    def _visit_all(self, nodes: Sequence[ast.AST | None]) -> None:
        for node in nodes:
            if node is not None:
                self.visit(node)

    # -- imports ---------------------------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self._env[alias.asname] = _Binding(_BindKind.IMPORT, alias.name)
                self.imported.setdefault(alias.asname, alias.name)
            else:  # `import shop.cart` binds `shop`; the chain `shop.cart...` then resolves
                root = alias.name.partition(".")[0]
                self._env[root] = _Binding(_BindKind.IMPORT, root)
            self._uses.append(NameUse(_span(alias), alias.name))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            return  # relative: the module it names is unknown
        for alias in node.names:
            if alias.name == "*":
                continue
            full = f"{node.module}.{alias.name}"
            self._env[alias.asname or alias.name] = _Binding(_BindKind.IMPORT, full)
            self.imported.setdefault(alias.asname or alias.name, full)
            self._uses.append(NameUse(_span(alias), full))

    # -- names, attributes, calls ----------------------------------------------------------------

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Store):
            self._env[node.id] = _LOCAL
        elif isinstance(node.ctx, ast.Load):
            self._record_use(node, [node.id])

    def visit_Attribute(self, node: ast.Attribute) -> None:
        parts = _chain(node)
        if parts is None:  # `Cart().x` is an instance's attribute; `items[0].x` is nothing we know
            name = self._resolve_on_new_instance(node)
            if name is not None:
                self._uses.append(NameUse(_span(node), name))
            self.visit(node.value)
        else:  # the longest chain only, never its prefixes
            self._record_use(node, parts)

    def _record_use(self, node: ast.expr, parts: Sequence[str]) -> None:
        name = self._resolve(parts)
        if name is not None:
            self._uses.append(NameUse(_span(node), name))

    def visit_Call(self, node: ast.Call) -> None:
        name = self._resolve_expr(node.func)
        # `request(...)`: an argument written as `...` stands for arguments the doc leaves out; nothing to judge.
        elided = any(isinstance(arg, ast.Constant) and arg.value is Ellipsis for arg in node.args)
        if name is not None and not elided:
            keywords = tuple(keyword.arg for keyword in node.keywords if keyword.arg is not None)
            self._calls.append(
                CallUse(
                    span=_span(node),
                    name=name,
                    positional=sum(not isinstance(arg, ast.Starred) for arg in node.args),
                    keywords=keywords,
                    star_args=any(isinstance(arg, ast.Starred) for arg in node.args),
                    star_kwargs=len(keywords) < len(node.keywords),
                    bound=self._is_instance_attribute(node.func),
                )
            )
        self.generic_visit(node)

    def _is_instance_attribute(self, node: ast.expr) -> bool:
        parts = _chain(node)
        if parts is None:
            return isinstance(node, ast.Attribute) and self._resolve_on_new_instance(node) is not None
        binding = self._env.get(parts[0])
        return len(parts) > 1 and binding is not None and binding.kind is _BindKind.INSTANCE

    # -- bindings, in evaluation order -----------------------------------------------------------

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        binding = self._value_binding(node.value)
        for target in node.targets:
            self._bind_target(target, binding)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.visit(node.annotation)
        if node.value is None:
            self._bind_target(node.target, _LOCAL)
        else:
            self.visit(node.value)
            self._bind_target(node.target, self._value_binding(node.value))

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        if isinstance(node.target, ast.Name):  # `x += 1` reads x, then rebinds it
            self._record_use(node.target, [node.target.id])
        self._bind_target(node.target, _LOCAL)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self._bind_target(node.target, self._value_binding(node.value))

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self._bind_target(node.target, _LOCAL)
        self._visit_all([*node.body, *node.orelse])

    visit_AsyncFor = visit_For

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self._bind_target(item.optional_vars, self._value_binding(item.context_expr))
        self._visit_all(node.body)

    visit_AsyncWith = visit_With

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        self._visit_all([node.type])
        if node.name:
            self._env[node.name] = _LOCAL
        self._visit_all(node.body)

    # -- scopes ----------------------------------------------------------------------------------

    def _visit_signature(self, arguments: ast.arguments) -> None:
        """Defaults and annotations are evaluated outside the function's scope."""
        every_arg = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        every_arg += [arg for arg in (arguments.vararg, arguments.kwarg) if arg is not None]
        self._visit_all([*arguments.defaults, *arguments.kw_defaults])
        self._visit_all([arg.annotation for arg in every_arg])

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._visit_all([*node.decorator_list, node.returns])
        self._visit_signature(node.args)
        self._define(node.name)
        with self._scope():
            self._bind_locals([param.name for param in getattr(node, "type_params", ())])
            self._bind_locals(_argument_names(node.args))
            self._visit_all(node.body)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._visit_signature(node.args)
        with self._scope():
            self._bind_locals(_argument_names(node.args))
            self.visit(node.body)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._visit_all([*node.decorator_list, *node.bases, *node.keywords])
        self._define(node.name)  # before the body: methods may name their own class
        with self._scope():
            self._bind_locals([param.name for param in getattr(node, "type_params", ())])
            self._visit_all(node.body)

    def _visit_comprehension(self, generators: list[ast.comprehension], results: list[ast.expr]) -> None:
        with self._scope():
            for generator in generators:
                self.visit(generator.iter)
                self._bind_target(generator.target, _LOCAL)
                self._visit_all(generator.ifs)
            self._visit_all(results)

    def visit_ListComp(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp) -> None:
        self._visit_comprehension(node.generators, [node.elt])

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node: ast.DictComp) -> None:
        self._visit_comprehension(node.generators, [node.key, node.value])

    # -- match patterns bind bare strings, not Name nodes ----------------------------------------

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        self._visit_all([node.pattern])
        self._bind_locals([node.name] if node.name else [])

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        self._bind_locals([node.name] if node.name else [])

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        self._visit_all([*node.keys, *node.patterns])
        self._bind_locals([node.rest] if node.rest else [])
