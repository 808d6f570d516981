"""A YAML settings file's top-level keys, read from the schema its loader validates against (mkdocs' `mkdocs.yml`:
a config class of `config_options.*` attributes, or a tuple of `(name, option)` pairs). Split from settings_keys
(size). Pure: trees in, records out."""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass

from docsync.commandline.pynames import Key, Names, is_true, keyword, strings

_YAML_FILE = re.compile(r"(?P<stem>[\w-]+)\.ya?ml")
_MAX_DEPTH = 6


@dataclass(frozen=True, slots=True)
class YamlSchema:
    """The top-level keys of the YAML file `file` (`mkdocs.yml`), as its loader's schema declares them."""

    file: str
    keys: frozenset[str]
    open_ended: bool
    path: str  # where the schema is declared
    line: int
    replacements: tuple[tuple[str, str], ...]  # removed keys -> the key to use instead


@dataclass(slots=True)
class _Schema:
    keys: dict[str, int]  # key -> line
    replacements: dict[str, str]
    open_ended: bool
    module: str
    line: int


def read_yaml_schemas(names: Names, paths: Mapping[str, str], own: Collection[str]) -> Iterator[YamlSchema]:
    """For each module that names a YAML file after the project (`mkdocs.yml`) in a function, the schema that
    function (or one of the module's functions calling it) validates the file's contents with."""
    for module, tree in names.modules.items():
        functions = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)}
        files = {name: found for name, f in functions.items() if (found := _yaml_files(f, own))}  # in source order
        if not files:
            continue
        loaders = set(files) | {
            name for name, f in functions.items() if any(_calls(f, other) for other in files)
        }  # fmt: skip
        for name in sorted(loaders):
            schema = _schema_used(names, module, functions[name])
            if schema is None:
                continue
            extra = _loader_keys(names)
            file = (files.get(name) or next(iter(files.values())))[0]
            yield YamlSchema(
                file, frozenset(schema.keys) | extra, schema.open_ended, paths.get(schema.module, ""), schema.line,
                tuple(sorted(schema.replacements.items())),
            )  # fmt: skip
            break


def _yaml_files(function: ast.AST, own: Collection[str]) -> list[str]:
    """The project's YAML file names the function writes, in source order (`mkdocs.yml` before `mkdocs.yaml`)."""
    found: list[str] = []
    for node in ast.walk(function):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = _YAML_FILE.fullmatch(node.value)
            if match and match["stem"].lower().replace("_", "-") in own and node.value not in found:
                found.append(node.value)
    return found


def _calls(function: ast.AST, name: str) -> bool:
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == name for n in ast.walk(function)
    )


def _schema_used(names: Names, module: str, function: ast.FunctionDef | ast.AsyncFunctionDef) -> _Schema | None:
    """The schema of the config class the function instantiates, or of the `schema=` it passes."""
    local = _local_imports(names, module, function)
    for call in ast.walk(function):
        if not isinstance(call, ast.Call):
            continue
        schema_expr = keyword(call, "schema")
        if schema_expr is not None:
            schema = _pairs_schema(names, module, schema_expr, local)
            if schema is not None:
                return schema
        key = _resolve(names, module, call.func, local)
        if key is not None and isinstance(names.defs.get(key), ast.ClassDef):
            schema = _class_schema(names, key, 0)
            if schema is not None and schema.keys:
                return schema
    return None


def _local_imports(names: Names, module: str, function: ast.AST) -> dict[str, Key | str]:
    """`from mkdocs.config.defaults import MkDocsConfig` (a definition) or `from mkdocs import config` (a module)
    inside the function: lazy imports."""
    found: dict[str, Key | str] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                key = submodule if submodule in names.modules else names.find(node.module, alias.name)
                if key is not None:
                    found[alias.asname or alias.name] = key
    return found


def _resolve(names: Names, module: str, expr: ast.expr, local: Mapping[str, Key | str]) -> Key | None:
    """The definition `expr` names, through the module's imports and the function's own."""
    named = local.get(expr.id) if isinstance(expr, ast.Name) else None
    if isinstance(named, tuple):
        return named
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        target = local.get(expr.value.id)
        if isinstance(target, str):  # `config.DEFAULT_SCHEMA` of a module imported in the function
            return names.find(target, expr.attr)
    return names.key(module, expr)


def _class_schema(names: Names, key: Key, depth: int) -> _Schema | None:
    """A config class's options (`site_name = c.Type(str)`), its project bases' first; None when it declares no
    option at any depth. A base we cannot read (another library's) may declare keys: open-ended."""
    cls = names.defs[key]
    if not isinstance(cls, ast.ClassDef) or depth > _MAX_DEPTH:
        return None
    schema = _Schema({}, {}, False, key[0], cls.lineno)
    for base in cls.bases:
        base_key = names.key(key[0], base)
        inherited = _class_schema(names, base_key, depth + 1) if base_key in names.defs else None
        if base_key is None and not (isinstance(base, ast.Name) and base.id == "object"):
            schema.open_ended = True
        if inherited is not None:
            schema.keys.update(inherited.keys)
            schema.replacements.update(inherited.replacements)
            schema.open_ended = schema.open_ended or inherited.open_ended
    for statement in cls.body:
        target = statement.targets[0] if isinstance(statement, ast.Assign) and len(statement.targets) == 1 else None
        target = statement.target if isinstance(statement, ast.AnnAssign) else target
        value = statement.value if isinstance(statement, ast.Assign | ast.AnnAssign) else None
        if isinstance(target, ast.Name) and isinstance(value, ast.Call) and _is_option(names, key[0], value.func):
            _add_option(schema, target.id, value, statement.lineno)
    return schema if schema.keys or schema.replacements else None


def _add_option(schema: _Schema, name: str, option: ast.Call, line: int) -> None:
    """A removed option (`Deprecated(removed=True, moved_to="nav")`) is rejected: not a key, its successor noted."""
    if _last(option.func) == "Deprecated" and is_true(keyword(option, "removed")):
        moved = strings(keyword(option, "moved_to"))
        schema.replacements[name] = moved[0].split(".")[0] if moved else ""
        return
    schema.keys[name] = line


def _is_option(names: Names, module: str, func: ast.expr) -> bool:
    """A call of the config-options module's classes: `c.Type(...)`, `config_options.Choice(...)`."""
    root = func
    while isinstance(root, ast.Attribute | ast.Subscript):  # `c.PropagatingSubConfig[Validation]()`
        root = root.value
    if not isinstance(root, ast.Name):
        return False
    kind, target = names.imports.get(module, {}).get(root.id, ("", ""))
    if kind == "def":
        target = target.replace(":", ".")
    return target.rsplit(".", 1)[-1] == "config_options" or (
        kind == "def" and target.rsplit(".", 2)[-2:-1] == ["config_options"]
    )


def _last(expr: ast.expr) -> str:
    return expr.attr if isinstance(expr, ast.Attribute) else expr.id if isinstance(expr, ast.Name) else ""


def _pairs_schema(names: Names, module: str, expr: ast.expr, local: Mapping[str, Key | str]) -> _Schema | None:
    """`schema=get_schema()` (a function returning the tuple), `schema=DEFAULT_SCHEMA`: a tuple of (name, option)."""
    key = _resolve(names, module, expr.func if isinstance(expr, ast.Call) else expr, local)
    value = names.defs.get(key) if key else None
    if isinstance(value, ast.FunctionDef):
        returns = [n.value for n in ast.walk(value) if isinstance(n, ast.Return) and n.value is not None]
        value = returns[0] if len(returns) == 1 else None
        value = names.constant(key[0], value) if isinstance(value, ast.Name) and key else value
    if key is None or not isinstance(value, ast.Tuple | ast.List):
        return None
    schema = _Schema({}, {}, False, key[0], value.lineno)
    for element in value.elts:
        pair = element.elts if isinstance(element, ast.Tuple) else []
        if len(pair) != 2 or not isinstance(pair[0], ast.Constant) or not isinstance(pair[0].value, str):
            schema.open_ended = True
            continue
        if isinstance(pair[1], ast.Call) and _is_option(names, key[0], pair[1].func):
            _add_option(schema, pair[0].value, pair[1], element.lineno)
        else:
            schema.keys[pair[0].value] = element.lineno
    return schema if schema.keys else None


def _loader_keys(names: Names) -> frozenset[str]:
    """Keys the YAML loading helper itself takes out before validation (mkdocs' `INHERIT`): `data.pop("KEY")`
    in a `*yaml*` function that calls `yaml.load`/`yaml.safe_load`."""
    found: set[str] = set()
    for module, tree in names.modules.items():
        for function in ast.walk(tree):
            # Only a generic loading helper (mkdocs' `yaml_load`), which every YAML file goes through; not a
            # loader of another file (mkdocs' theme config pops `extends`).
            if (
                not isinstance(function, ast.FunctionDef)
                or "yaml" not in function.name
                or not any(
                    isinstance(n, ast.Call) and names.dotted(module, n.func).startswith("yaml.")
                    for n in ast.walk(function)
                )
            ):
                continue
            for call in ast.walk(function):
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "pop":
                    popped = strings(call.args[0]) if call.args else None
                    found.update(popped or ())
    return frozenset(found)
