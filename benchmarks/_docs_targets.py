"""What docs can reference in the synthetic package, and the code examples that import and call it."""

from __future__ import annotations

import posixpath
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from _code_model import RETURN_OUTPUT, Function, Klass, Module, Rendered, call_text, construct_text


@dataclass(frozen=True)
class Target:
    """A symbol docs may name: kind is module, class, exception, function, method, property or constant."""

    qualname: str
    module: Module
    local: str
    kind: str
    function: Function | None = None
    klass: Klass | None = None
    export: str | None = None
    span: tuple[int, int] | None = None

    @property
    def name(self) -> str:
        return self.local.rsplit(".", 1)[-1] if self.local else self.module.dotted.rsplit(".", 1)[-1]


@dataclass
class Index:
    """Every target, grouped by the module defining it."""

    by_module: dict[str, list[Target]] = field(default_factory=dict)
    modules: dict[str, Module] = field(default_factory=dict)


def build_index(modules: Sequence[Module], rendered: Mapping[str, Rendered], exports: Mapping[str, str]) -> Index:
    """The public targets of every leaf module, with their line spans and re-exported names."""
    reexported = {target: name for name, target in sorted(exports.items(), key=lambda kv: -len(kv[0]))}
    index = Index()
    for module in modules:
        index.modules[module.dotted] = module
        if module.is_package:
            continue
        spans = rendered[module.path].spans
        targets = [Target(module.dotted, module, "", "module")]
        targets += [Target(f"{module.dotted}.{n}", module, n, "constant") for n, _ in module.constants[1:]]
        for klass in module.classes:
            targets += _class_targets(module, klass, spans)
        for function in module.functions:
            if not function.name.startswith("_"):
                qualname = f"{module.dotted}.{function.name}"
                targets.append(
                    Target(qualname, module, function.name, "function", function, None, None, spans.get(function.name))
                )
        index.by_module[module.dotted] = [_with_export(t, reexported) for t in targets]
    return index


def _class_targets(module: Module, klass: Klass, spans: Mapping[str, tuple[int, int]]) -> list[Target]:
    kind = "exception" if klass.is_exception else "class"
    qualname = f"{module.dotted}.{klass.name}"
    targets = [Target(qualname, module, klass.name, kind, None, klass, None, spans.get(klass.name))]
    for method in klass.methods:
        if method.name.startswith("_"):
            continue
        local = f"{klass.name}.{method.name}"
        kind = "property" if method.is_property else "method"
        targets.append(Target(f"{module.dotted}.{local}", module, local, kind, method, klass, None, spans.get(local)))
    return targets


def _with_export(target: Target, reexported: Mapping[str, str]) -> Target:
    export = reexported.get(target.qualname)
    if export is None:
        return target
    return Target(
        target.qualname, target.module, target.local, target.kind, target.function, target.klass, export, target.span
    )


def relative_link(doc: str, path: str) -> str:
    """The path of a source file as a doc in `doc`'s folder links to it."""
    return posixpath.relpath(path, posixpath.dirname(doc) or ".")


@dataclass
class Example:
    """A code example: import lines, then (statement, expected output or "") pairs."""

    imports: list[str] = field(default_factory=list)
    statements: list[tuple[str, str]] = field(default_factory=list)
    referenced: set[str] = field(default_factory=set)
    called: set[str] = field(default_factory=set)

    def lines(self) -> list[str]:
        return [*self.imports, "", *(statement for statement, _ in self.statements)]


def build_example(rng: random.Random, targets: Sequence[Target]) -> Example:
    """Imports and calls of up to three callable targets, fitting their current signatures."""
    callable_ = [t for t in targets if t.kind in ("function", "class", "method", "property")]
    example = Example()
    imported: dict[str, list[str]] = {}
    for target in rng.sample(callable_, min(len(callable_), rng.randint(1, 3))):
        owner = target.klass if target.kind in ("method", "property") else None
        name = _import(rng, owner.name if owner else target.local, target, imported, example)
        example.referenced.add(target.qualname)
        if owner is not None:
            variable = _snake(owner.name)
            example.statements.append((f"{variable} = {construct_text(owner).replace(owner.name, name, 1)}", ""))
            _member_statement(target, variable, example)
        elif target.kind == "class" and target.klass is not None:
            example.statements.append(
                (f"{_snake(target.local)} = {construct_text(target.klass).replace(target.local, name, 1)}", "")
            )
        elif target.function is not None:
            example.called.add(target.qualname)
            output = RETURN_OUTPUT.get(target.function.returns, "")
            example.statements.append((call_text(target.function, name), output))
    for source, names in imported.items():
        example.imports.append(f"from {source} import {', '.join(sorted(set(names)))}")
    return example


def _member_statement(target: Target, variable: str, example: Example) -> None:
    assert target.function is not None
    if target.kind == "property":
        example.statements.append((f"{variable}.{target.name}", ""))
        return
    example.called.add(target.qualname)
    output = RETURN_OUTPUT.get(target.function.returns, "")
    example.statements.append((call_text(target.function, f"{variable}.{target.name}"), output))


def _import(rng: random.Random, name: str, target: Target, imported: dict[str, list[str]], example: Example) -> str:
    """Import `name` the way docs do (from the module, from a re-exporting package, or an alias)."""
    style = rng.random()
    if style < 0.15:
        alias = target.module.dotted.rsplit(".", 1)[1] + "_mod"
        line = f"import {target.module.dotted} as {alias}"
        if line not in example.imports:
            example.imports.append(line)
        return f"{alias}.{name}"
    if style < 0.4 and target.export is not None and target.kind != "method":
        imported.setdefault(target.export.rsplit(".", 1)[0], []).append(name)
        return name
    imported.setdefault(target.module.dotted, []).append(name)
    return name


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
