"""Builds the synthetic package deterministically: nested subpackages, modules, `__init__` re-exports."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from _code_model import PACKAGE, PARAMETERS, RETURNS, Function, Klass, Module, Param
from _words import ADJECTIVES, AREAS, NOUNS, PAST, SUBAREAS, VERBS, sentence, wrap

_IMPORTS = (
    "from __future__ import annotations",
    "",
    "import logging",
    "from collections.abc import Callable, Mapping, Sequence",
    "from dataclasses import dataclass, field",
    "from pathlib import Path",
    "from typing import Any, ClassVar",
    "",
    "from requests import Session",
)
_REQUIRED = tuple(name for name, (_, default, _) in PARAMETERS.items() if not default)
_OPTIONAL = tuple(name for name, (_, default, _) in PARAMETERS.items() if default)


@dataclass
class Package:
    """The whole package: its modules, and re-exported name → the qualname it stands for."""

    modules: list[Module]
    exports: dict[str, str] = field(default_factory=dict)


def build_package(module_count: int, seed: int) -> Package:
    """About `module_count` .py files (leaf modules and `__init__.py`), the same for the same seed."""
    rng = random.Random(f"{seed}:tree")
    packages = _package_tree(rng, max(3, module_count // 20))
    leaves = _leaf_names(rng, packages, max(1, module_count - len(packages)))
    modules: list[Module] = []
    for package in packages:
        siblings: list[Module] = []
        for name in leaves.get(package, []):
            dotted = f"{package}.{name}"
            module = build_module(random.Random(f"{seed}:{dotted}"), dotted)
            siblings.append(_with_sibling_import(random.Random(f"{seed}:imp:{dotted}"), module, siblings))
        modules.extend(siblings)
    result = Package(modules)
    for package in sorted(packages, key=lambda p: -p.count(".")):  # deepest first: parents re-export
        result.modules.append(_build_init(random.Random(f"{seed}:{package}"), package, result))
    return result


def _package_tree(rng: random.Random, count: int) -> list[str]:
    areas = AREAS[: max(1, min(len(AREAS), count // 6))]
    packages = [PACKAGE, *(f"{PACKAGE}.{area}" for area in areas)]
    while len(packages) < count:
        parent = rng.choice(packages[1:])
        candidate = f"{parent}.{rng.choice(SUBAREAS)}"
        if parent.count(".") < 3 and candidate not in packages:
            packages.append(candidate)
    return packages


def _leaf_names(rng: random.Random, packages: Sequence[str], count: int) -> dict[str, list[str]]:
    weights = [0.3 if p == PACKAGE else rng.uniform(0.4, 1.6) for p in packages]
    names: dict[str, list[str]] = {}
    for package in rng.choices(packages, weights=weights, k=count):
        taken = names.setdefault(package, [])
        name = rng.choice(NOUNS)
        while name in taken:
            name = f"{rng.choice(NOUNS)}_{rng.choice(NOUNS)}"
        taken.append(name)
    return names


def module_path(dotted: str, is_package: bool = False) -> str:
    """`harbor.core.cache` → `src/harbor/core/cache.py` (or `.../__init__.py` for a package)."""
    base = "src/" + dotted.replace(".", "/")
    return base + "/__init__.py" if is_package else base + ".py"


class _Names:
    """Hands out names unique within one module."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def take(self, make: Callable[[], str]) -> str:
        name = make()
        while name in self.used:
            name = make()
        self.used.add(name)
        return name

    def function(self) -> str:
        return self.take(lambda: f"{self.rng.choice(VERBS)}_{self.rng.choice(NOUNS)}")

    def klass(self) -> str:
        return self.take(lambda: _camel(self.rng.choice(ADJECTIVES)) + _camel(self.rng.choice(NOUNS)))


def _camel(word: str) -> str:
    return "".join(part.capitalize() for part in word.split("_"))


def build_module(rng: random.Random, dotted: str) -> Module:
    """One leaf module: constants, 0-3 classes and 1-9 functions, with docstrings everywhere."""
    names = _Names(rng)
    constants = _constants(rng)
    numbers = [name for name, value in constants if value[0].isdigit()]
    class_count = rng.choices((0, 1, 2, 3), weights=(2, 5, 3, 1))[0]
    classes = tuple(_make_class(rng, names, numbers) for _ in range(class_count))
    function_count = rng.choices(range(1, 10), weights=(3, 4, 4, 4, 3, 2, 1, 1, 1))[0]
    functions = tuple(
        make_function(rng, ("_" if rng.random() < 0.15 else "") + names.function(), numbers)
        for _ in range(function_count)
    )
    summary = f"{_camel(dotted.rsplit('.', 1)[1]).replace('_', ' ')}s: {rng.choice(VERBS)} and "
    summary += f"{rng.choice(VERBS)} them for the {dotted.split('.')[1]} layer."
    doc = (summary, "", *wrap(sentence(rng) + sentence(rng), 88))
    return Module(dotted, module_path(dotted), doc, _IMPORTS, constants, classes, functions)


def _constants(rng: random.Random) -> tuple[tuple[str, str], ...]:
    noun = rng.choice(NOUNS).upper()
    pool = [
        (f"MAX_{noun}S", str(rng.randrange(2, 500))),
        (f"{noun}_TIMEOUT", f"{rng.randrange(1, 120)}.0"),
        (f"{noun}_PREFIX", f'"{noun.lower()}:"'),
        (f"SUPPORTED_{noun}_FORMATS", '("json", "yaml", "toml")'),
        (f"{noun}_RETRY_DELAY", f"{rng.randrange(1, 9)}.5"),
    ]
    chosen = rng.sample(pool, rng.randint(1, len(pool)))
    return (("logger", "logging.getLogger(__name__)"), ("DEFAULT_LIMIT", str(rng.randrange(10, 1000))), *chosen)


def make_function(rng: random.Random, name: str, numbers: Sequence[str], method: bool = False) -> Function:
    """A function (or a method when `method`) with a varied signature, docstring and body."""
    params = _make_params(rng)
    returns = rng.choice(RETURNS)
    doc = _function_doc(rng, name, params, returns)
    names = [p.name for p in params if p.kind in ("plain", "kwonly")]
    if method:
        names += [f"self._{rng.choice(NOUNS)}"]
        params = (Param("self"), *params)
    body = make_body(rng, names, numbers, returns)
    return Function(name, params, returns, doc, body)


def _make_params(rng: random.Random) -> tuple[Param, ...]:
    required = rng.sample(_REQUIRED, rng.choices((0, 1, 2, 3), weights=(2, 4, 3, 1))[0])
    optional = rng.sample(_OPTIONAL, rng.choices((0, 1, 2, 3, 4), weights=(2, 3, 3, 2, 1))[0])
    params = [Param(name, PARAMETERS[name][0]) for name in required]
    if rng.random() < 0.08:
        params.append(Param("args", "str", kind="star"))
    keyword_only = rng.random() < 0.35 or any(p.kind == "star" for p in params)
    for name in optional:
        annotation, default, _ = PARAMETERS[name]
        params.append(Param(name, annotation, default, "kwonly" if keyword_only else "plain"))
    if rng.random() < 0.1:
        params.append(Param("kwargs", "Any", kind="starstar"))
    return tuple(params)


def _function_doc(rng: random.Random, name: str, params: Sequence[Param], returns: str) -> tuple[str, ...]:
    words = name.strip("_").split("_")
    lines = [f"{words[0].capitalize()} the {' '.join(words[1:])} of a {rng.choice(NOUNS)}."]
    if rng.random() < 0.7:
        lines += ["", *wrap(sentence(rng), 84)]
    if params and rng.random() < 0.6:
        lines += ["", "Args:"]
        lines += [f"    {p.name}: the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} to use." for p in params]
    if returns != "None" and rng.random() < 0.5:
        lines += ["", "Returns:", f"    The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}."]
    return tuple(lines)


def make_body(rng: random.Random, names: Sequence[str], numbers: Sequence[str], returns: str) -> tuple[str, ...]:
    """A few statement chunks that use the parameters, then a return fitting the annotation."""
    pool = list(names) or ["DEFAULT_LIMIT"]
    lines: list[str] = []
    for chunk in rng.sample(_CHUNKS, rng.randint(1, 4)):
        lines += chunk(rng.choice(pool), rng.choice(pool), rng.choice(numbers or ["DEFAULT_LIMIT"]), rng)
    lines += _return_lines(rng.choice(pool), rng.choice(pool), returns)
    return tuple(lines)


def _guard(p: str, q: str, c: str, rng: random.Random) -> list[str]:
    return [f"if {p} is None:", f'    raise ValueError("{p.removeprefix("self._")} is required")']


def _log(p: str, q: str, c: str, rng: random.Random) -> list[str]:
    return [f'logger.debug("{rng.choice(VERBS)} %s with %s", {p}, {q})']


def _accumulate(p: str, q: str, c: str, rng: random.Random) -> list[str]:
    return [
        "total = 0",
        f"for index, item in enumerate(str({p})):",
        f"    if index >= {c}:",
        "        break",
        "    total += len(str(item))",
    ]


def _mapping(p: str, q: str, c: str, rng: random.Random) -> list[str]:
    noun = rng.choice(NOUNS)
    return ["result: dict[str, Any] = {", f'    "{noun}": {p},', f'    "limit": {c},', "}", f"result.update(extra={q})"]


def _comprehension(p: str, q: str, c: str, rng: random.Random) -> list[str]:
    return [f'parts = [str(part).strip() for part in str({p}).split(",") if part]', "parts.sort(key=len)"]


def _convert(p: str, q: str, c: str, rng: random.Random) -> list[str]:
    noun = rng.choice(NOUNS)
    return [
        "try:",
        f"    number = int(str({p}))",
        "except (TypeError, ValueError):",
        f"    number = {c}",
        f'    logger.warning("bad {noun} %r", {p})',
    ]


def _retry(p: str, q: str, c: str, rng: random.Random) -> list[str]:
    return [
        "attempt = 0",
        f"while attempt < {c}:",
        "    attempt += 1",
        f"    if attempt * 2 > len(str({q})):",
        "        break",
    ]


def _branch(p: str, q: str, c: str, rng: random.Random) -> list[str]:
    noun = rng.choice(NOUNS)
    return [
        f'if isinstance({p}, str) and {p}.startswith("{noun}"):',
        f"    label = {p}[{len(noun)}:]",
        f"elif {q}:",
        f"    label = str({q})",
        "else:",
        f'    label = "{noun}"',
    ]


_CHUNKS: tuple[Callable[[str, str, str, random.Random], list[str]], ...] = (
    _guard, _log, _accumulate, _mapping, _comprehension, _convert, _retry, _branch,
)  # fmt: skip


def _return_lines(p: str, q: str, returns: str) -> list[str]:
    return {
        "None": [],
        "int": [f"return len(str({p})) + len(str({q}))"],
        "str": [f'return "{p.removeprefix("self._")}:" + str({q})'],
        "bool": [f"return bool({p}) and {q} is not None"],
        "list[str]": [f"return sorted(str(x) for x in ({p}, {q}))"],
        "dict[str, Any]": [f'return {{"first": {p}, "second": {q}}}'],
        "Path": [f"return Path(str({p}))"],
        "float": [f"return float(len(str({p}))) / 2"],
    }[returns]


def _make_class(rng: random.Random, names: _Names, numbers: Sequence[str]) -> Klass:
    kind = rng.choices(("plain", "dataclass", "exception"), weights=(6, 3, 1))[0]
    if kind == "exception":
        name = names.take(lambda: _camel(rng.choice(NOUNS)) + "Error")
        raised = (f"Raised when a {rng.choice(NOUNS)} cannot be {rng.choice(PAST)}.",)
        return Klass(name, ("Exception",), raised, attributes=(f"code: ClassVar[int] = {rng.randrange(400, 600)}",))
    name = names.klass()
    doc: tuple[str, ...] = (f"A {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} of the {rng.choice(NOUNS)} layer.", "")
    doc += tuple(wrap(sentence(rng) + sentence(rng), 84))
    methods = _methods(rng, name, numbers, with_init=kind == "plain")
    if kind == "dataclass":
        fields = _make_params(rng)
        fields = tuple(replace(f, kind="plain") for f in fields if f.kind in ("plain", "kwonly"))
        return Klass(name, (), doc, methods, fields, ("dataclass(frozen=True)",))
    attributes = (f'kind: ClassVar[str] = "{rng.choice(NOUNS)}"',)
    return Klass(name, (), doc, methods, attributes=attributes)


def _methods(rng: random.Random, class_name: str, numbers: Sequence[str], with_init: bool) -> tuple[Function, ...]:
    names = _Names(rng)
    methods: list[Function] = [_init(rng)] if with_init else []
    for _ in range(rng.randint(0, 2)):
        noun = names.take(lambda: rng.choice(NOUNS))
        body: tuple[str, ...] = (f"return len(self._{noun}s)" if rng.random() < 0.5 else f"return str(self._{noun})",)
        returns = "int" if body[0].startswith("return len") else "str"
        doc = (f"The {rng.choice(ADJECTIVES)} {noun} this {class_name} holds.",)
        methods.append(Function(noun, (Param("self"),), returns, doc, body, ("property",)))
    methods += [make_function(rng, names.function(), numbers, method=True) for _ in range(rng.randint(1, 5))]
    if rng.random() < 0.3:
        noun = rng.choice(NOUNS)
        doc = (f"Build a {class_name} from a {noun} mapping.",)
        params = (Param("cls"), Param("data", "Mapping[str, Any]"))
        body = ("instance = cls.__new__(cls)", "instance.__dict__.update(data)", "return instance")
        methods.append(Function(f"from_{noun}", params, class_name, doc, body, ("classmethod",)))
    return tuple(methods)


def _init(rng: random.Random) -> Function:
    params = tuple(p for p in _make_params(rng) if p.kind in ("plain", "kwonly"))
    body = tuple(f"self._{p.name} = {p.name}" for p in params) or ("self._ready = False",)
    return Function("__init__", (Param("self"), *params), "None", (), body)


def _with_sibling_import(rng: random.Random, module: Module, siblings: Sequence[Module]) -> Module:
    """Half the modules import a public function from an earlier module of their package."""
    candidates = [(s, f.name) for s in siblings for f in s.functions if not f.name.startswith("_")]
    if not candidates or rng.random() < 0.5:
        return module
    sibling, name = rng.choice(candidates)
    line = f"from .{sibling.dotted.rsplit('.', 1)[1]} import {name}"
    return replace(module, imports=(*module.imports, "", line))


def _build_init(rng: random.Random, package: str, result: Package) -> Module:
    """`__init__.py`: re-exports a couple of public names from each child module and subpackage."""
    prefix = package + "."
    children = [m for m in result.modules if m.dotted.startswith(prefix) and "." not in m.dotted[len(prefix) :]]
    lines = ["from __future__ import annotations", ""]
    exported: list[str] = []
    for child in children[:12]:
        names = _public_names(rng, child, package, result.exports, exported)
        if names:
            lines.append(f"from .{child.dotted.rsplit('.', 1)[1]} import {', '.join(names)}")
            exported += names
    all_names = "[\n" + "".join(f'    "{name}",\n' for name in sorted(exported)) + "]"
    doc = (
        f"The {package.rsplit('.', 1)[-1]} package of {PACKAGE}: {rng.choice(NOUNS)}s and their {rng.choice(NOUNS)}s.",
    )
    constants = (("__all__", all_names),) + ((("__version__", '"2.4.0"'),) if package == PACKAGE else ())
    return Module(package, module_path(package, True), doc, tuple(lines), constants, is_package=True)


def _public_names(
    rng: random.Random, child: Module, package: str, exports: dict[str, str], taken: Sequence[str]
) -> list[str]:
    if child.is_package:
        local = [(name, target) for name, target in exports.items() if name.rsplit(".", 1)[0] == child.dotted]
        options = [(n.rsplit(".", 1)[1], target) for n, target in local]
    else:
        options = [(c.name, f"{child.dotted}.{c.name}") for c in child.classes]
        options += [(f.name, f"{child.dotted}.{f.name}") for f in child.functions if not f.name.startswith("_")]
    options = [(name, target) for name, target in options if name not in taken]
    chosen = rng.sample(options, min(len(options), 2))
    for name, target in chosen:
        exports[f"{package}.{name}"] = target
    return sorted(name for name, _ in chosen)
