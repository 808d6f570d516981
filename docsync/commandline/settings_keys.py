"""The settings keys a project's code accepts, read from its syntax trees (issue 17): `[tool.<project>]` tables a
click `default_map` or a key-by-key loader reads, ConfigParser sections read key by key, pytest's `addini` options
and Sphinx's config values (settings_declared), and a YAML file's top-level schema (mkdocs' `config_options`,
settings_schema). Only loaders whose whole key set is statically known are judged; any key we cannot
see makes the section open-ended. Pure: trees in, records out."""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from dataclasses import replace

from docsync.commandline.model import CommandLine
from docsync.commandline.pynames import Names, keyword, strings, top_level
from docsync.commandline.settings_declared import read_declared
from docsync.commandline.settings_model import Settings, SettingsSection
from docsync.commandline.settings_schema import read_yaml_schemas

_CONFIG_PARSER_GETTERS = frozenset({"get", "getboolean", "getint", "getfloat", "has_option"})
_CONFIG_PARSER_CHECKS = frozenset({"has_section", "options"})
_CLICK_FIXED_NAMES = {"click.version_option": "version", "click.help_option": "help"}
_CLICK_NEUTRAL = frozenset({"click.pass_context", "click.pass_obj", "click.command", "click.group"})
_REGISTRATIONS = frozenset({"addini", "add_config_value", "setup_extension"})
# What a module must contain for a reader here to use it (`mentions_settings`), as flags: a loader's own marks, and
# those of modules that only help one (a schema, an option's callback), needed only where that loader is.
_YAML_LOADER, _YAML_SCHEMA, _DEFAULT_MAP, _CALLBACK, _LOADER = 1, 2, 4, 8, 16
_MARKS = (
    (_YAML_LOADER, (b"yaml.", b".yml", b".yaml")),
    (_YAML_SCHEMA, (b"config_options", b"schema=", b"_SCHEMA")),
    (_DEFAULT_MAP, (b"default_map",)),
    (_CALLBACK, (b"callback=",)),
    (_LOADER, (b'"tool"', b"'tool'", b"addini", b"ConfigParser", b"add_config_value", b"config_values",
               b"pytest_addoption")),
)  # fmt: skip
_HELPS = {_YAML_SCHEMA: _YAML_LOADER, _CALLBACK: _DEFAULT_MAP}  # a helper's mark -> the loaders it helps


def mentions_settings(source: bytes) -> int:
    """Which readers here may use a module's bytes (flags; 0: none): parse only those."""
    return sum(flag for flag, markers in _MARKS if any(marker in source for marker in markers))


def settings_module_needed(marks: int, found: int) -> bool:
    """Whether a module marked `marks` is read when the snapshot's modules together are marked `found`: a schema
    or a callback only where a loader that uses it is (SQLAlchemy's 75 modules passing `schema=` to tables are
    no mkdocs config)."""
    helped = 0
    for helper, loaders in _HELPS.items():
        if marks & helper and found & loaders:
            helped = helper
    return bool(marks & ~(_YAML_SCHEMA | _CALLBACK)) or bool(helped)


def imported_modules(modules: Mapping[str, ast.Module], project_modules: Collection[str]) -> set[str]:
    """The project modules that `modules` import from and that are not among them: parse these too (one hop), for
    constants that name settings (pytest's `addini(EMPTY_PARAMETERSET_OPTION)` from `.structures`)."""
    wanted: set[str] = set()
    for module, tree in modules.items():
        if not _registers(tree):
            continue  # only registrations name settings through other modules' constants
        for statement in top_level(tree.body):
            if isinstance(statement, ast.ImportFrom):
                source = _absolute(module, statement.module or "", statement.level, project_modules)
                for alias in statement.names:
                    submodule = f"{source}.{alias.name}"
                    wanted.add(submodule if submodule in project_modules else source)
            elif isinstance(statement, ast.Import):
                wanted.update(alias.name for alias in statement.names)
    return {module for module in wanted if module in project_modules and module not in modules}


def _absolute(module: str, source: str, level: int, project_modules: Collection[str]) -> str:
    """The module a relative import names: a package's `from . import x` is relative to itself."""
    if not level:
        return source
    is_package = any(other.startswith(module + ".") for other in project_modules)
    parts = module.split(".")[: len(module.split(".")) - level + (1 if is_package else 0)]
    return ".".join([*parts, source] if source else parts)


def _registers(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _REGISTRATIONS
        for node in ast.walk(tree)
    )


def read_settings(
    modules: Mapping[str, ast.Module],
    paths: Mapping[str, str],
    project_names: Collection[str],
    command_line: CommandLine | None = None,
    unparsed: Collection[str] = (),
) -> Settings:
    """The settings sections the project's own loaders read, in `modules` (module name -> tree).

    `paths` maps module names to files; `project_names` are the project's names (distribution, package, scripts):
    only `[tool.<name>]` tables and YAML files named after one of them are the project's. `command_line`, when
    given, says whether a click command whose defaults a table fills is fully known. `unparsed` names modules that
    `mentions_settings` let through but that did not parse: any of them may declare keys, so then every section is
    open-ended and incomplete.
    """
    names = Names(modules)
    own = {name.lower().replace("_", "-") for name in project_names}
    found: dict[str, SettingsSection] = {}
    readers = (_default_map_sections, _declared_sections, _lookup_sections, _yaml_sections)
    for reader in readers:
        for section in reader(names, paths, own, command_line):
            found.setdefault(section.section, section)
    if unparsed:
        found = {name: replace(section, open_ended=True, complete=False) for name, section in found.items()}
    return Settings(dict(sorted(found.items())))


def _is_own(name: str, own: Collection[str]) -> bool:
    """`black`, `pydantic-mypy` (a project's tool named after it), never another tool's table."""
    name = name.lower().replace("_", "-")
    return any(name == project or name.startswith(project + "-") for project in own)


# -- [tool.x] tables ----------------------------------------------------------------------------------------------


def _tool_table(expr: ast.expr) -> tuple[str, int] | None:
    """`data.get("tool", {}).get("x", {})` or `data["tool"]["x"]`: ("x", line)."""
    outer = _lookup(expr)
    if outer is None:
        return None
    inner = _lookup(outer[0])
    if inner is None or inner[1] != "tool":
        return None
    return outer[1], expr.lineno


def _lookup(expr: ast.expr) -> tuple[ast.expr, str] | None:
    """(the mapping, the literal key) of `m.get("k", ...)` or `m["k"]`."""
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get" and expr.args:
        key = expr.args[0]
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return expr.func.value, key.value
    if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant) and isinstance(expr.slice.value, str):
        return expr.value, expr.slice.value
    return None


def _functions(names: Names) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, ast.ClassDef | None]]:
    """Every function and method of every module, with its class."""
    for module, tree in names.modules.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                        yield module, item, node
            elif isinstance(node, ast.Module):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                        yield module, item, None


def _tables_in(function: ast.AST) -> Iterator[tuple[str, int]]:
    for node in ast.walk(function):
        if isinstance(node, ast.expr):
            table = _tool_table(node)
            if table is not None:
                yield table


def _default_map_sections(
    names: Names, paths: Mapping[str, str], own: Collection[str], command_line: CommandLine | None
) -> Iterator[SettingsSection]:
    """black's way: an option callback reads `[tool.x]` and puts it in click's `default_map`, so the table's keys
    are the command's parameter names (`line_length`, also written `line-length`: the loader turns `-` into `_`)."""
    for module, function, _ in _functions(names):
        if not _assigns_default_map(function):
            continue
        tables = list(_tables_in(function))
        for call in ast.walk(function):
            if isinstance(call, ast.Call):
                key = names.key(module, call.func)
                callee = names.defs.get(key) if key else None
                if isinstance(callee, ast.FunctionDef):
                    tables += _tables_in(callee)
        for table, _line in tables:
            if not _is_own(table, own):
                continue
            for command_module, command in _commands_with_callback(names, module, function.name):
                params = _click_params(names, command_module, command)
                open_ended = params is None or _command_open_ended(command_line, paths.get(command_module), command)
                keys = frozenset(k for name in params or () for k in (name, name.replace("_", "-")))
                yield SettingsSection(f"tool.{table}", keys, open_ended, paths.get(command_module, ""), command.lineno)


def _assigns_default_map(function: ast.AST) -> bool:
    return any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Attribute) and t.attr == "default_map" for t in node.targets)
        for node in ast.walk(function)
    )


def _commands_with_callback(names: Names, module: str, callback: str) -> Iterator[tuple[str, ast.FunctionDef]]:
    """The functions whose `click.option(..., callback=<callback>)` decorator names `(module, callback)`."""
    for other, function, _ in _functions(names):
        if not isinstance(function, ast.FunctionDef):
            continue
        for decorator in function.decorator_list:
            target = keyword(decorator, "callback") if isinstance(decorator, ast.Call) else None
            if target is not None and names.key(other, target) == (module, callback):
                yield other, function
                break


def _click_params(names: Names, module: str, command: ast.FunctionDef) -> list[str] | None:
    """The click parameter names of a command's decorators (click's own naming rule), None when one is unknown."""
    params: list[str] = []
    for decorator in command.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        dotted = names.dotted(module, call.func if call else decorator)
        if dotted in ("click.option", "click.argument") and call is not None:
            decls = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if len(decls) != len(call.args) or not decls:
                return None  # computed names: any key
            params.append(_click_name(decls))
        elif dotted in _CLICK_FIXED_NAMES:
            params.append(_CLICK_FIXED_NAMES[dotted])
        elif dotted not in _CLICK_NEUTRAL and not dotted.startswith(("click.pass_", "typer.")):
            return None  # a decorator that may add parameters we do not see
    return params


def _click_name(decls: list[str]) -> str:
    """click's rule: a declaration without dashes is the name; else the first of the longest-prefixed flags."""
    for decl in decls:
        if decl.isidentifier():
            return decl
    flags = [decl.partition("/")[0].strip() for decl in decls]
    best = max(flags, key=lambda flag: len(flag) - len(flag.lstrip("-")))
    return best.lstrip("-").replace("-", "_").lower()


def _command_open_ended(command_line: CommandLine | None, path: str | None, command: ast.FunctionDef) -> bool:
    """The command-line reader found the command open-ended (an option it could not name)."""
    if command_line is None or path is None:
        return False
    return any(c.open_ended for c in command_line.commands.values() if c.path == path and c.line == command.lineno)


def _lookup_sections(
    names: Names, paths: Mapping[str, str], own: Collection[str], command_line: CommandLine | None
) -> Iterator[SettingsSection]:
    """A table (`config = data.get("tool", {}).get("x", {})`) or a ConfigParser section read key by key: its
    keys are the literal keys looked up; any other use of the table (passed on, iterated) makes it open-ended."""
    for module, function, cls in _functions(names):
        for node in ast.walk(function):
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
                continue
            table = _tool_table(node.value)
            if table is not None and _is_own(table[0], own):
                keys = _keys_read(function, cls, node.targets[0].id)
                yield SettingsSection(
                    f"tool.{table[0]}", frozenset(keys or ()), keys is None, paths.get(module, ""), node.lineno
                )
        yield from _config_parser_sections(names, module, function, cls, paths, own)


def _keys_read(function: ast.AST, cls: ast.ClassDef | None, table: str) -> set[str] | None:
    """The literal keys `table` is read with in `function`; None when it is used any other way."""
    keys: set[str] = set()
    parents = {child: parent for parent in ast.walk(function) for child in ast.iter_child_nodes(parent)}
    for node in ast.walk(function):
        if not (isinstance(node, ast.Name) and node.id == table and isinstance(node.ctx, ast.Load)):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.attr == "keys":
            continue  # `config.keys() - known`: an unknown-key check
        if isinstance(parent, ast.Compare) and parent.comparators and parent.comparators[-1] is node:
            found = _key_values(parent.left, function, cls)  # `"k" in config`
        elif isinstance(parent, ast.Attribute) and parent.attr == "get":
            call = parents.get(parent)
            found = _key_values(call.args[0], function, cls) if isinstance(call, ast.Call) and call.args else None
        elif isinstance(parent, ast.Subscript) and parent.value is node:
            found = _key_values(parent.slice, function, cls)
        else:
            found = None
        if found is None:
            return None
        keys.update(found)
    return keys


def _reports_unknown_keys(function: ast.AST) -> bool:
    """The loader itself names unknown keys (`set(parser.options(S)) - known`, `config.keys() - known`): its
    other reads of the section only serve that report."""
    for node in ast.walk(function):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
            calls = [n for n in ast.walk(node.left) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]
            if any(call.func.attr in ("options", "keys") for call in calls if isinstance(call.func, ast.Attribute)):
                return True
    return False


def _key_values(expr: ast.expr, function: ast.AST, cls: ast.ClassDef | None) -> tuple[str, ...] | None:
    """A literal key, or the loop variable of `for key in ("a", "b")` / `for key in self.__slots__`."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return (expr.value,)
    if not isinstance(expr, ast.Name):
        return None
    for loop in ast.walk(function):
        if isinstance(loop, ast.For) and isinstance(loop.target, ast.Name) and loop.target.id == expr.id:
            return _literal_strings(loop.iter, cls)
    return None


def _literal_strings(expr: ast.expr, cls: ast.ClassDef | None) -> tuple[str, ...] | None:
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id in ("self", "cls"):
        attr = expr.attr
        for statement in cls.body if cls else []:
            if isinstance(statement, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == attr for t in statement.targets
            ):
                return strings(statement.value)
        return None
    return strings(expr)


def _config_parser_sections(
    names: Names,
    module: str,
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    cls: ast.ClassDef | None,
    paths: Mapping[str, str],
    own: Collection[str],
) -> Iterator[SettingsSection]:
    """`parser.getboolean(SECTION, key)` on a `ConfigParser()` made in the same function: the ini section's keys
    (pydantic's `[pydantic-mypy]` in mypy.ini). Any other call on the parser with that section: open-ended."""
    parsers = {
        target.id
        for node in ast.walk(function)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
        and names.dotted(module, node.value.func).endswith("ConfigParser")
        for target in node.targets if isinstance(target, ast.Name)
    }  # fmt: skip
    sections: dict[str, tuple[set[str], bool, int]] = {}
    reports_unknown = _reports_unknown_keys(function)
    for call in ast.walk(function):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.args):
            continue
        if not (isinstance(call.func.value, ast.Name) and call.func.value.id in parsers):
            continue
        written = strings(names.constant(module, call.args[0]))
        if written is None or not _is_own(written[0], own):
            continue
        keys, open_ended, line = sections.setdefault(written[0], (set(), False, call.lineno))
        found = _key_values(call.args[1], function, cls) if len(call.args) > 1 else None
        if call.func.attr in _CONFIG_PARSER_CHECKS or (found is None and reports_unknown):
            continue  # `has_section`, `options`; a value read only to report an unknown key
        if call.func.attr not in _CONFIG_PARSER_GETTERS or found is None:
            sections[written[0]] = (keys, True, line)
        else:
            keys.update(found)
    for name, (keys, open_ended, line) in sections.items():
        yield SettingsSection(name, frozenset(keys), open_ended, paths.get(module, ""), line)


# -- keys registered with a host, and YAML schemas ----------------------------------------------------------------


def _declared_sections(
    names: Names, paths: Mapping[str, str], own: Collection[str], command_line: CommandLine | None
) -> Iterator[SettingsSection]:
    """pytest's `addini` and Sphinx's config values: open-ended (plugins and extensions add keys to the same
    sections), complete when every name registered here is a literal."""
    for declared in read_declared(names, paths):
        for section in declared.sections:
            yield SettingsSection(section, declared.keys, True, declared.path, declared.line, (), declared.complete)


def _yaml_sections(
    names: Names, paths: Mapping[str, str], own: Collection[str], command_line: CommandLine | None
) -> Iterator[SettingsSection]:
    for schema in read_yaml_schemas(names, paths, own):
        yield SettingsSection(
            schema.file, schema.keys, schema.open_ended, schema.path, schema.line, schema.replacements
        )
