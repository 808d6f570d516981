"""Where a call goes in a project's syntax trees, statically, on top of `pynames.Names`: also `self.method`,
`Class.method`, `pkg.mod.function`, a name a function imports for itself, and which classes define a method name
(a call through `self` may reach any of them). Used by the argparse reader to follow the code that builds a parser."""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass

from docsync.commandline.pynames import Key, Names


@dataclass(frozen=True, slots=True)
class FunctionRef:
    module: str
    node: ast.FunctionDef | ast.AsyncFunctionDef
    cls: ast.ClassDef | None = None  # the class it is a method of


def resolve_target(names: Names, target: str) -> FunctionRef | None:
    """The function an entry point ("pkg.module:function" or "pkg.module:Class.method") names."""
    module, _, attribute = target.partition(":")
    head, _, method = attribute.strip().partition(".")
    key = names.find(module.strip(), head)
    return _function(names, key, method) if key else None


def resolve_call(
    names: Names, func: ast.expr, caller: FunctionRef, instances: Mapping[str, tuple[str, ast.ClassDef]]
) -> FunctionRef | None:
    """The project function a call in `caller` reaches: a name defined or imported in its module or imported in the
    function itself, `module.f`, `Class.method`, or `obj.method` where `obj` (`self`, `utility = Utility()`) is an
    instance of a project class (`instances`), found in that class or a base class; None for library or dynamic
    calls. `super().method` is looked up in the bases of the caller's class."""
    if isinstance(func, ast.Attribute) and is_super(func.value) and caller.cls is not None:
        for module, cls in list(class_and_bases(names, caller.module, caller.cls))[1:]:
            method = _method(cls, func.attr)
            if method is not None:
                return FunctionRef(module, method, cls)
        return None
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in instances:
        for module, cls in class_and_bases(names, *instances[func.value.id]):
            method = _method(cls, func.attr)
            if method is not None:
                return FunctionRef(module, method, cls)
        return None
    key = names.key(caller.module, func) or _local_import(names, caller, func)
    if key is not None:
        return _function(names, key, "")
    if isinstance(func, ast.Attribute):  # `Class.method(...)`, `pkg.module.function(...)`
        owner = names.key(caller.module, func.value) or _module_key(names, names.dotted(caller.module, func))
        return _function(names, owner, func.attr if owner and owner[1] != func.attr else "") if owner else None
    return None


def positional_parameters(callee: FunctionRef, bound: bool) -> list[str]:
    """The names a call's positional arguments bind; `bound`: called through an instance (`self.add(parser)`)."""
    arguments = callee.node.args
    parameters = [argument.arg for argument in [*arguments.posonlyargs, *arguments.args]]
    static = any(ast.unparse(decorator) == "staticmethod" for decorator in callee.node.decorator_list)
    return parameters[1:] if bound and not static else parameters  # `self` is the receiver, not an argument


def passed_strings(callee: FunctionRef, bound: bool, call: ast.Call) -> dict[str, str]:
    """The parameters `call` gives a literal string (`_command(commands, "check")` -> {"name": "check"}), but not
    those the function assigns again (`name = name.upper()`): their value there is no longer the one passed."""
    positional = call.args[: next((i for i, a in enumerate(call.args) if isinstance(a, ast.Starred)), len(call.args))]
    given = dict(zip(positional_parameters(callee, bound), positional, strict=False))
    arguments = callee.node.args
    by_keyword = {argument.arg for argument in [*arguments.args, *arguments.kwonlyargs]}
    given.update({k.arg: k.value for k in call.keywords if k.arg in by_keyword})
    changed = {
        node.id for node in ast.walk(callee.node) if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load)
    }
    return {
        name: value.value
        for name, value in given.items()
        if name not in changed and isinstance(value, ast.Constant) and isinstance(value.value, str)
    }


def project_class(names: Names, caller: FunctionRef, func: ast.expr) -> tuple[str, ast.ClassDef] | None:
    key = names.key(caller.module, func) or _local_import(names, caller, func)
    found = names.defs.get(key) if key else None
    return (key[0], found) if key and isinstance(found, ast.ClassDef) else None


def _local_import(names: Names, caller: FunctionRef, func: ast.expr) -> Key | None:
    """A name a function imports for itself (`def main(): from pkg.parser import parse_command`)."""
    for node in ast.walk(caller.node) if isinstance(func, ast.Name) else ():
        if isinstance(node, ast.ImportFrom):
            package = caller.module.split(".")[: -node.level] if node.level else []
            base = ".".join([*package, *filter(None, [node.module])])
            for alias in node.names:
                if (alias.asname or alias.name) == getattr(func, "id", None):
                    return names.find(base, alias.name)
    return None


def _module_key(names: Names, dotted: str) -> Key | None:
    """`pkg.module.function` (after a plain `import pkg.module`) -> the function's key."""
    module, _, name = dotted.rpartition(".")
    return names.find(module, name) if module in names.modules else None


def _function(names: Names, key: Key, method: str) -> FunctionRef | None:
    found = names.defs.get(key)
    if isinstance(found, ast.ClassDef) and method:
        node = _method(found, method)
        return FunctionRef(key[0], node, found) if node else None
    return FunctionRef(key[0], found) if isinstance(found, ast.FunctionDef | ast.AsyncFunctionDef) else None


def _method(cls: ast.ClassDef, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    return next((n for n in cls.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == name), None)


def class_and_bases(names: Names, module: str, cls: ast.ClassDef, depth: int = 0) -> Iterator[tuple[str, ast.ClassDef]]:
    """The class, then its project base classes depth first (a simple MRO, enough for single inheritance)."""
    yield module, cls
    for base in cls.bases if depth < 8 else ():
        key = names.key(module, base)
        found = names.defs.get(key) if key else None
        if key and isinstance(found, ast.ClassDef):
            yield from class_and_bases(names, key[0], found, depth + 1)


def is_super(node: ast.expr) -> bool:
    """`super()`, as a method call's receiver."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super" and not node.args


def method_owners(modules: Mapping[str, ast.Module]) -> dict[str, set[str]]:
    """Method name -> the classes defining it: a call through `self` may reach any of them."""
    owners: dict[str, set[str]] = {}
    for module, tree in modules.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        owners.setdefault(item.name, set()).add(f"{module}.{node.name}")
    return owners


def bases_known(names: Names, chain: Sequence[tuple[str, ast.ClassDef]], roots: Collection[str] = ("object",)) -> bool:
    """Whether every base class of a command's class chain is the project's (or one of `roots`, which add no
    options): a library base may add options we cannot see."""
    for module, cls in chain:
        for base in cls.bases:
            key = names.key(module, base)
            if ast.unparse(base) not in roots and not (key and isinstance(names.defs.get(key), ast.ClassDef)):
                return False
    return True
