"""The environment variables an option parser reads for its own options: pip 1.x's `ConfigOptionParser` (an
`optparse.OptionParser` subclass) walks `os.environ`, keeps the names that start with `PIP_` and looks each rest up
with `self.get_option("--" + rest.lower().replace("_", "-"))`. The names it reads are exactly the prefix followed by
each option's long name (`--virtualenv-base` -> `PIP_VIRTUALENV_BASE`), not every name under the prefix: when an
option goes, so does its variable. Pure: syntax trees in, records out.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

_PARSER_BASES = ("OptionParser",)  # optparse's, as written: `optparse.OptionParser` or imported by name
_LOOKUPS = frozenset({"get_option", "has_option"})
_DECLARERS = frozenset({"add_option", "make_option", "Option", "OptionMaker"})


def parser_methods(tree: ast.Module) -> set[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The methods of the module's option-parser classes that look their options up by name: a walk of the
    environment in one of them reads the options' variables only."""
    found: set[ast.FunctionDef | ast.AsyncFunctionDef] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and _is_parser(node) and _looks_options_up(node):
            found.update(item for item in node.body if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef))
    return found


def option_flags(tree: ast.Module) -> Iterator[tuple[str, int]]:
    """(`--long-name`, line) of every optparse option the module declares: `.add_option("-x", "--long-name")`,
    `optparse.make_option(...)`/`Option(...)` (pip 1.3's `standard_options`), pip 1.5's `OptionMaker(...)` and
    pip 6's `partial(Option, ...)`."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        arguments = node.args
        if _name(node.func) == "partial" and arguments and _name(arguments[0]) in _DECLARERS:
            arguments = arguments[1:]
        elif _name(node.func) not in _DECLARERS:
            continue
        for argument in arguments:
            flag = argument.value if isinstance(argument, ast.Constant) else None
            if isinstance(flag, str) and flag.startswith("--") and len(flag) > 2:
                yield flag, node.lineno


def option_variable(prefix: str, flag: str) -> str:
    """The variable that sets the option: `PIP_` and `--virtualenv-base` -> `PIP_VIRTUALENV_BASE`."""
    return prefix + flag[2:].upper().replace("-", "_")


def _name(node: ast.expr) -> str:
    """The called name as written last: `add_option` of `parser.add_option`, `Option` of `optparse.Option`."""
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _is_parser(node: ast.ClassDef) -> bool:
    return any(ast.unparse(base).rpartition(".")[2] in _PARSER_BASES for base in node.bases)


def _looks_options_up(node: ast.ClassDef) -> bool:
    return any(
        isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in _LOOKUPS
        for call in ast.walk(node)
    )
