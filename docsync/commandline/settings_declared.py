"""Settings keys a project declares by registering them with a host (issue 17): pytest's `parser.addini("name")`
and Sphinx's `app.add_config_value("name")` / `Config.config_values`. Others (plugins, extensions, a user's own
conf.py variables) add keys to the same sections, so these are open-ended for what users write; but the project's
own declarations are complete when every registered name is a literal we can read. Pure: trees in, records out."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from docsync.commandline.pynames import Names, keyword, strings
from docsync.commandline.settings_names import Scope, StringValues, class_attribute, own_calls

# pytest reads its ini options from all of these.
PYTEST_SECTIONS = ("pytest", "tool:pytest", "tool.pytest.ini_options", "tool.pytest")
SPHINX_SECTION = "conf.py"


@dataclass(frozen=True, slots=True)
class Declared:
    """The names registered through one host API."""

    sections: tuple[str, ...]
    keys: frozenset[str]
    complete: bool  # every registration's name was read
    path: str
    line: int


def read_declared(names: Names, paths: Mapping[str, str]) -> Iterator[Declared]:
    """pytest ini options and Sphinx config values (in Sphinx or any extension that registers them)."""
    values = StringValues(names)
    for method, sections in (("addini", PYTEST_SECTIONS), ("add_config_value", (SPHINX_SECTION,))):
        keys: set[str] = set()
        complete = True
        first: tuple[str, int] | None = None
        for module, scope, cls, call in _registrations(values, method):
            found = values.of(module, scope, cls, call.args[0] if call.args else keyword(call, "name"))
            aliases = keyword(call, "aliases")  # pytest's `addini("strict_xfail", aliases=["xfail_strict"])`
            also = values.sequence(module, cls, aliases, None) if aliases is not None else ()
            complete = complete and found is not None and also is not None
            keys.update(found or (), also or ())
            first = first or (paths.get(module, ""), call.lineno)
        if method == "add_config_value":
            for module, value, line in _config_values(names):
                keys.update(value)
                first = first or (paths.get(module, ""), line)
            complete = complete and not _loads_other_extensions(values)
        if first is not None:
            yield Declared(sections, frozenset(keys), complete, *first)


def _registrations(values: StringValues, method: str) -> Iterator[tuple[str, Scope, ast.ClassDef | None, ast.Call]]:
    """Each `x.<method>(...)` call with the function (or module) and class it is in; the method's own definition
    (Sphinx's `Sphinx.add_config_value`) is not a registration."""
    for module, found in values.scopes.items():
        for scope, cls in found:
            if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef) and scope.name == method:
                continue
            for call in own_calls(scope):
                if isinstance(call.func, ast.Attribute) and call.func.attr == method:
                    yield module, scope, cls, call


def _loads_other_extensions(values: StringValues) -> bool:
    """The project always loads an extension from another distribution (Sphinx's `_first_party_extensions`:
    `sphinxcontrib.applehelp`), which registers config values we cannot see. Names we cannot resolve are the
    user's own `extensions` and do not count: their values are not the project's to document."""
    tops = {module.split(".")[0] for module in values.names.modules}
    for module, scope, cls, call in _registrations(values, "setup_extension"):
        loaded = values.of(module, scope, cls, call.args[-1] if call.args else None)
        if any(name.split(".")[0] not in tops for name in loaded or ()):
            return True
    return False


def _config_values(names: Names) -> Iterator[tuple[str, tuple[str, ...], int]]:
    """Sphinx's own `class Config: config_values = {"project": ..., ...}`: the built-in values."""
    for module, tree in names.modules.items():
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == "Config":
                value = class_attribute(node, "config_values")
                if isinstance(value, ast.Dict):
                    keys = strings(ast.Tuple(elts=[k for k in value.keys if k is not None], ctx=ast.Load()))
                    if keys:
                        yield module, keys, value.lineno
