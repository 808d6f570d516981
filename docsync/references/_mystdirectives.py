"""MyST directives: module context, autodoc, Python objects, code, literalinclude; which bodies are prose."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from docsync.models import How, Reference, Style
from docsync.references._mdcode import PYTHON_LANGUAGES, rows_block
from docsync.references._mdfound import Found, Row
from docsync.references._mdinline import DOTTED_NAME, is_python_name
from docsync.references._mystfence import MystDirective
from docsync.references._mystrst import read_eval_rst

MODULE_DIRECTIVES = frozenset({"module", "currentmodule"})
AUTODOC = frozenset(
    {
        "autofunction", "autoclass", "automodule", "autoexception", "automethod", "autoattribute",
        "autodata", "autoproperty", "autodecorator",
    }
)  # fmt: skip
PY_OBJECTS = frozenset(
    {
        "function", "class", "method", "staticmethod", "classmethod", "attribute", "property",
        "data", "exception", "decorator", "decoratormethod",
    }
)  # fmt: skip
_PY_CLASSES = frozenset({"class", "exception"})
_AUTODOC_CLASSES = frozenset({"autoclass", "autoexception"})
_AUTODOC_CLASS_LEVEL = frozenset({"automethod", "autoattribute", "autoproperty"})
_AUTODOC_WITH_MEMBERS = frozenset({"autoclass", "automodule", "autoexception"})
# Code directives whose argument is the language (the value: without one), and those of a fixed language.
_LANGUAGE_ARGUMENT = {"code-block": "", "code": "", "sourcecode": "", "code-cell": "", "ipython": "ipython"}
_FIXED_LANGUAGE = {"testcode": "python", "jupyter-execute": "python", "doctest": "doctest"}
# Bodies that are neither prose nor Python: markup, data, diagrams, doc lists, other languages'
# code cells (Quarto/knitr write ```` ```{r} ````).
_OPAQUE = frozenset(
    {
        "toctree", "contents", "raw", "mermaid", "math", "graphviz", "digraph", "graph", "plantuml",
        "uml", "productionlist", "testsetup", "testcleanup", "testoutput", "index", "include",
        "tabularcolumns", "prompt", "program-output", "command-output", "csv-table", "r", "julia",
        "bash", "sh", "ojs", "dot", "sql",
    }
)  # fmt: skip
# Sphinx's py_sig_re: `prefix.name[type params](args) -> return`.
_PY_SIGNATURE = re.compile(r"([\w.]*\.)?(\w+)\s*(?:\[\s*(.*)\s*\])?(?:\(\s*(.*)\s*\)(?:\s*->\s*(.*))?)?$")
_WORD = re.compile(r"[^\s,]+")
_AUTOSUMMARY_ENTRY = re.compile(r"\s*~?(?P<name>[^\s(]+)")
_LINE_RANGE = re.compile(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?")


@dataclass(frozen=True, slots=True)
class Scope:
    """The class whose body is read: Sphinx resolves names there against `module.path` first."""

    module: str | None
    path: str

    @property
    def context(self) -> str:
        return f"{self.module}.{self.path}" if self.module else self.path


@dataclass(slots=True)
class MystState:
    """Document-wide settings of a MyST scan: the current module is not scoped, as in Sphinx."""

    doc: str
    module: str | None = None

    def context(self, scope: Scope | None) -> str | None:
        return scope.context if scope is not None else self.module

    def add(
        self,
        found: Found,
        row: Row,
        offset: int,
        name: str,
        style: Style,
        text: str,
        *,
        module: str | None = None,
        path: str | None = None,
        lines: tuple[int, int] | None = None,
    ) -> None:
        """Record an explicit reference written `offset` characters into `row`, in `module` or the current one."""
        _, line, column = row
        context = module or self.module
        found.references.append(
            Reference(self.doc, line, column + offset + 1, name, How.EXPLICIT, style, text, context, path, lines)
        )


class Body(NamedTuple):
    """Rows of a directive to read as MyST Markdown next, in the scope they are written in."""

    rows: tuple[Row, ...]
    scope: Scope | None


def read_directive(state: MystState, directive: MystDirective, scope: Scope | None, found: Found) -> list[Body]:
    """Record what a directive names; return the bodies to read as prose next."""
    domain, _, local = directive.name.rpartition(":")
    if domain not in ("", "py"):  # another domain's object (`{c:function}`): its signature is not prose
        return [Body(directive.content, scope)]
    if local == "eval-rst" and not domain:
        state.module = read_eval_rst(state.doc, state.module, directive.body, found)
        return []
    if local in AUTODOC:
        return [_read_autodoc(state, directive, local, scope, found)]
    if local in MODULE_DIRECTIVES:
        _set_module(state, directive)
        return [Body(directive.content, scope)]
    if local in PY_OBJECTS:
        return [_read_py_object(state, directive, local, scope, found)]
    if domain:
        return [Body(directive.content, scope)]
    reader = _READERS.get(local) or (_read_code if local in PYTHON_LANGUAGES else None)
    if reader is not None:
        reader(state, directive, found)
        return []
    if local in _OPAQUE:
        return []
    # Prose (admonitions, versionadded, dropdowns, unknown names): a note's argument is text too.
    argument = (directive.argument,) if directive.argument else ()
    return [Body(argument, scope), Body(directive.content, scope)]


def _set_module(state: MystState, directive: MystDirective) -> None:
    name = directive.argument[0] if directive.argument else ""
    if name == "None":
        state.module = None
    elif is_python_name(name):
        state.module = name


def _read_py_object(state: MystState, directive: MystDirective, local: str, scope: Scope | None, found: Found) -> Body:
    """`{function} name(args)` and friends; a class's body is read in its scope."""
    module_option = directive.option("module")
    module = module_option.value if module_option and module_option.value else state.module
    argument = directive.argument
    match = _PY_SIGNATURE.match(argument[0]) if argument else None
    if argument is None or match is None or not is_python_name((match[1] or "") + match[2]):
        return Body(directive.content, scope)
    name = _nested_name(scope, (match[1] or "") + match[2])
    state.add(found, argument, 0, name, Style.AUTODOC, argument[0], module=module)
    return Body(directive.content, Scope(module, name) if local in _PY_CLASSES else scope)


def _nested_name(scope: Scope | None, name: str) -> str:
    """Sphinx's rule: in a class body, `name` means `Class.name` unless it already starts with the class."""
    if scope is None or name == scope.path or name.startswith(scope.path + "."):
        return name
    return f"{scope.path}.{name}"


def _read_autodoc(state: MystState, directive: MystDirective, local: str, scope: Scope | None, found: Found) -> Body:
    argument = directive.argument
    names: list[str] = []
    for offset, token, name in _autodoc_names(argument[0] if argument else ""):
        assert argument is not None  # names come from the argument
        if local in _AUTODOC_CLASS_LEVEL and scope is not None and "." not in name:
            name = f"{scope.path}.{name}"  # autodoc takes a bare method name as one of the current class
        state.add(found, argument, offset, name, Style.AUTODOC, token)
        names.append(name)
    members = directive.option("members")
    if names and members is not None and local in _AUTODOC_WITH_MEMBERS:
        # `:members: a, b` names `owner.a` and `owner.b`, each where it is written.
        row = ("", members.line, members.column)
        for word in _WORD.finditer(members.value):
            if is_python_name(word.group()):
                state.add(found, row, word.start(), f"{names[0]}.{word.group()}", Style.AUTODOC, word.group())
    if names and local == "automodule":
        state.module = names[0]  # it emits `py:module`, which sets the current module
    elif names and local in _AUTODOC_CLASSES:
        # autodoc reads a dotted name's prefix as its module, whatever the current module is.
        scope = Scope(None if "." in names[0] else state.module, names[0])
    return Body(directive.content, scope)


def _autodoc_names(text: str) -> list[tuple[int, str, str]]:
    """(offset, token as written, name) for each object an autodoc directive names."""
    stripped = text.strip()
    if "(" in stripped or "->" in stripped:  # one object with an explicit signature
        match = DOTTED_NAME.match(stripped)
        if match is None or not is_python_name(match.group()):
            return []
        return [(len(text) - len(text.lstrip()), stripped, match.group())]
    return [(word.start(), word.group(), word.group()) for word in _WORD.finditer(text) if is_python_name(word.group())]


def _read_code(state: MystState, directive: MystDirective, found: Found) -> None:
    """A code directive: its content after the options, in the language its name or argument gives."""
    name = directive.name
    words = directive.argument[0].split() if directive.argument else []
    if name in _LANGUAGE_ARGUMENT:
        language = words[0].lower() if words else _LANGUAGE_ARGUMENT[name]
    else:
        language = _FIXED_LANGUAGE.get(name, name)  # `{python}`: a Quarto/knitr code cell
    rows = list(directive.content)
    while rows and not rows[0][0].strip():
        rows.pop(0)  # the blank line that separates options from code
    block = rows_block(state.doc, language, rows) if rows else None
    if block is not None:
        found.blocks.append((directive.line, directive.column, block))


def _read_literalinclude(state: MystState, directive: MystDirective, found: Found) -> None:
    """A `.py` file shown in the doc; `:pyobject:` names the object in it, `:lines: a-b` its lines."""
    argument = directive.argument
    if argument is None or not argument[0].endswith((".py", ".pyi")):
        return
    pyobject = directive.option("pyobject")
    target = pyobject.value if pyobject else ""
    name = target if is_python_name(target) else ""
    line_option = directive.option("lines")
    lines = None if target or line_option is None else _line_range(line_option.value)
    state.add(found, argument, 0, name, Style.LITERALINCLUDE, argument[0], path=argument[0], lines=lines)


def _line_range(spec: str) -> tuple[int, int] | None:
    match = _LINE_RANGE.fullmatch(spec)
    if match is None:
        return None
    first, last = int(match[1]), int(match[2] or match[1])
    return (min(first, last), max(first, last))


def _read_autosummary(state: MystState, directive: MystDirective, found: Found) -> None:
    """Each entry of an autosummary table names an object, relative to the current module."""
    for row in directive.content:
        match = _AUTOSUMMARY_ENTRY.match(row[0])
        if match is not None and is_python_name(match["name"]):
            state.add(found, row, match.start("name"), match["name"], Style.AUTODOC, match["name"])


_READERS: dict[str, Callable[[MystState, MystDirective, Found], None]] = {
    **dict.fromkeys([*_LANGUAGE_ARGUMENT, *_FIXED_LANGUAGE], _read_code),
    "literalinclude": _read_literalinclude,
    "autosummary": _read_autosummary,
}
