"""The synthetic package's model (modules, classes, functions) and its rendering to Python source."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

PACKAGE = "harbor"

# Parameter name → (annotation, a default's source text or "" when it has none, an example value).
PARAMETERS: dict[str, tuple[str, str, str]] = {
    "path": ("Path | str", "", '"data/input.json"'),
    "name": ("str", "", '"alpha"'),
    "key": ("str", "", '"user:42"'),
    "value": ("object", "None", "17"),
    "items": ("Sequence[str]", "", '["a", "b"]'),
    "records": ("list[dict[str, Any]]", "", '[{"id": 1}]'),
    "payload": ("bytes", "", 'b"{}"'),
    "limit": ("int", "DEFAULT_LIMIT", "10"),
    "timeout": ("float", "30.0", "5.0"),
    "retries": ("int", "3", "2"),
    "encoding": ("str", '"utf-8"', '"latin-1"'),
    "strict": ("bool", "False", "True"),
    "verbose": ("bool", "False", "True"),
    "dry_run": ("bool", "False", "True"),
    "options": ("Mapping[str, Any] | None", "None", '{"mode": "fast"}'),
    "tags": ("tuple[str, ...]", "()", '("blue",)'),
    "callback": ("Callable[[str], None] | None", "None", "print"),
    "offset": ("int", "0", "5"),
    "size": ("int", "1024", "2048"),
    "mode": ("str", '"r"', '"w"'),
    "prefix": ("str", '""', '"tmp-"'),
    "batch_size": ("int", "100", "50"),
    "region": ("str", '"eu-west-1"', '"us-east-2"'),
    "session": ("Session | None", "None", "None"),
}
RETURNS = ("None", "int", "str", "bool", "list[str]", "dict[str, Any]", "Path", "float")
RETURN_OUTPUT = {
    "int": "3",
    "str": "'alpha'",
    "bool": "True",
    "list[str]": "['a', 'b']",
    "dict[str, Any]": "{'count': 2}",
    "Path": "PosixPath('data/input.json')",
    "float": "0.5",
}


@dataclass(frozen=True)
class Param:
    """One parameter: `kind` is plain, kwonly, star (*args) or starstar (**kwargs)."""

    name: str
    annotation: str = ""
    default: str = ""
    kind: str = "plain"

    def source(self) -> str:
        prefix = {"star": "*", "starstar": "**"}.get(self.kind, "")
        text = prefix + self.name + (f": {self.annotation}" if self.annotation else "")
        if self.default:
            text += f" = {self.default}" if self.annotation else f"={self.default}"
        return text


@dataclass(frozen=True)
class Function:
    """A function or method; `doc` and `body` are lines, the body's indented relative to the def."""

    name: str
    params: tuple[Param, ...]
    returns: str
    doc: tuple[str, ...]
    body: tuple[str, ...]
    decorators: tuple[str, ...] = ()

    @property
    def public_params(self) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.name not in ("self", "cls"))

    @property
    def is_property(self) -> bool:
        return "property" in self.decorators


@dataclass(frozen=True)
class Klass:
    """A class; `fields` are dataclass fields (empty for plain classes, which have an `__init__`)."""

    name: str
    bases: tuple[str, ...]
    doc: tuple[str, ...]
    methods: tuple[Function, ...] = ()
    fields: tuple[Param, ...] = ()
    decorators: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()

    @property
    def is_exception(self) -> bool:
        return any(base.endswith(("Error", "Exception")) for base in self.bases)

    def init_params(self) -> tuple[Param, ...]:
        init = next((m for m in self.methods if m.name == "__init__"), None)
        return init.public_params if init is not None else self.fields


@dataclass(frozen=True)
class Module:
    """One .py file of the package (`is_package`: an `__init__.py`)."""

    dotted: str
    path: str
    doc: tuple[str, ...]
    imports: tuple[str, ...] = ()
    constants: tuple[tuple[str, str], ...] = ()
    classes: tuple[Klass, ...] = ()
    functions: tuple[Function, ...] = ()
    footer: tuple[str, ...] = ()
    is_package: bool = False


@dataclass
class Rendered:
    """A module's source and where each of its symbols sits: local name → (first line, last line)."""

    text: str
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


class _Writer:
    """Accumulates lines and the spans of the symbols written."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.spans: dict[str, tuple[int, int]] = {}

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def symbol(self, name: str, lines: Sequence[str]) -> None:
        first = len(self.lines) + 1
        self.lines.extend(lines)
        self.spans[name] = (first, len(self.lines))


def render_module(module: Module, exploded: bool = False) -> Rendered:
    """The module's source; `exploded` writes one parameter per line (same syntax tree, other layout)."""
    out = _Writer()
    out.add(*docstring_lines(module.doc, ""))
    if module.imports:
        out.add("", *module.imports)
    if module.constants:
        out.add("", *(f"{name} = {value}" for name, value in module.constants))
    for klass in module.classes:
        out.add("", "")
        _write_class(out, klass, exploded)
    for function in module.functions:
        out.add("", "")
        out.symbol(function.name, function_lines(function, "", exploded))
    if module.footer:
        out.add("", *module.footer)
    return Rendered("\n".join(out.lines) + "\n", out.spans)


def _write_class(out: _Writer, klass: Klass, exploded: bool) -> None:
    first = len(out.lines) + 1
    bases = f"({', '.join(klass.bases)})" if klass.bases else ""
    out.add(*(f"@{d}" for d in klass.decorators), f"class {klass.name}{bases}:")
    out.add(*docstring_lines(klass.doc, "    "))
    if klass.attributes or klass.fields:
        out.add("", *(f"    {a}" for a in klass.attributes), *(f"    {f.source()}" for f in klass.fields))
    for method in klass.methods:
        out.add("")
        out.symbol(f"{klass.name}.{method.name}", function_lines(method, "    ", exploded))
    out.spans[klass.name] = (first, len(out.lines))


def function_lines(function: Function, indent: str, exploded: bool) -> list[str]:
    """A def with its decorators, docstring and body."""
    lines = [f"{indent}@{d}" for d in function.decorators]
    lines += _signature_lines(function, indent, exploded)
    lines += docstring_lines(function.doc, indent + "    ")
    lines += [f"{indent}    {line}" if line else "" for line in function.body]
    if not function.doc and not function.body:
        lines.append(f"{indent}    pass")
    return lines


def _signature_lines(function: Function, indent: str, exploded: bool) -> list[str]:
    parts = _parameter_texts(function.params)
    returns = f" -> {function.returns}" if function.returns else ""
    one_line = f"{indent}def {function.name}({', '.join(parts)}){returns}:"
    if parts and (exploded or len(one_line) > 100):
        return [
            f"{indent}def {function.name}(",
            *(f"{indent}    {part}," for part in parts),
            f"{indent}){returns}:",
        ]
    return [one_line]


def _parameter_texts(params: Sequence[Param]) -> list[str]:
    parts: list[str] = []
    star_written = False
    for param in params:
        if param.kind == "kwonly" and not star_written:
            parts.append("*")
        star_written = star_written or param.kind in ("kwonly", "star")
        parts.append(param.source())
    return parts


def docstring_lines(doc: Sequence[str], indent: str) -> list[str]:
    """A triple-quoted docstring, one line when it has one line."""
    if not doc:
        return []
    if len(doc) == 1:
        return [f'{indent}"""{doc[0]}"""']
    rest = [f"{indent}{line}" if line else "" for line in doc[1:]]
    return [f'{indent}"""{doc[0]}', *rest, f'{indent}"""']


def call_text(function: Function, callee: str) -> str:
    """A call that fits the signature: every required argument, and the first optional one by keyword."""
    arguments: list[str] = []
    optional_used = False
    for param in function.public_params:
        example = PARAMETERS.get(param.name, ("", "", "None"))[2]
        if param.kind == "plain" and not param.default:
            arguments.append(example)
        elif param.kind in ("plain", "kwonly") and not optional_used:
            arguments.append(f"{param.name}={example}")
            optional_used = True
    return f"{callee}({', '.join(arguments)})"


def construct_text(klass: Klass) -> str:
    """`Klass(...)` with every required constructor argument."""
    init = Function("__init__", klass.init_params(), "", (), ())
    return call_text(init, klass.name)
