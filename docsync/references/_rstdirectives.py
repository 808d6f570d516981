"""Sphinx directives for the reStructuredText scanner: module context, Python objects, autodoc, code."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from docsync.models import Style
from docsync.references._rstcode import make_code_block
from docsync.references._rstinline import DOTTED_NAME, is_python_name
from docsync.references._rstlines import Directive, Line, nest_first
from docsync.references._rststate import ScanState, Scope

MODULE_DIRECTIVES = frozenset({"module", "currentmodule"})
PY_OBJECTS = frozenset(
    {
        "function", "class", "method", "staticmethod", "classmethod", "attribute", "property",
        "data", "exception", "decorator", "decoratormethod",
    }
)  # fmt: skip
PY_CLASSES = frozenset({"class", "exception"})
AUTODOC = frozenset(
    {
        "autofunction", "autoclass", "automodule", "autoexception", "automethod", "autoattribute",
        "autodata", "autoproperty", "autodecorator",
    }
)  # fmt: skip
_AUTODOC_CLASSES = frozenset({"autoclass", "autoexception"})
_AUTODOC_CLASS_LEVEL = frozenset({"automethod", "autoattribute", "autoproperty"})
_AUTODOC_WITH_MEMBERS = frozenset({"autoclass", "automodule", "autoexception"})
# Code directives: the language their argument names, or the fixed one of those whose argument is not one.
_LANGUAGE_ARGUMENT = {"code-block": "", "code": "", "sourcecode": "", "code-cell": "", "ipython": "ipython"}
_FIXED_LANGUAGE = {"testcode": "python", "jupyter-execute": "python", "doctest": ""}
# Directives whose body is neither prose nor a Python example (markup, data, shell sessions, doc lists).
_OPAQUE = frozenset(
    {
        "raw", "math", "productionlist", "graphviz", "digraph", "graph", "mermaid", "plantuml", "uml",
        "testsetup", "testcleanup", "testoutput", "toctree", "index", "include", "plot",
        "tabularcolumns", "prompt", "program-output", "command-output", "runblock",
    }
)  # fmt: skip
_SIGNATURE_NAME = re.compile(r"[\w.]+")
_WORD = re.compile(r"[^\s,]+")
_AUTOSUMMARY_ENTRY = re.compile(r"~?(?P<name>[^\s(]+)")
_LINE_RANGE = re.compile(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?")


class Body(NamedTuple):
    """Lines of a directive to read as prose next, in the scope they are written in."""

    lines: Sequence[Line]
    scope: Scope | None


def read_directive(state: ScanState, directive: Directive, scope: Scope | None) -> Body | None:
    """Record what a directive names; return the body to read as prose next, if any."""
    domain, _, local = directive.name.rpartition(":")
    python = domain == "py" or (not domain and state.default_domain == "py")
    if local in AUTODOC and domain in ("", "py"):
        return _read_autodoc(state, directive, local, scope)
    if python and local in MODULE_DIRECTIVES:
        return _read_module(state, directive, scope)
    if python and local in PY_OBJECTS:
        return _read_py_object(state, directive, local, scope)
    if domain:  # another domain's object (`.. c:function::`): its signature is not prose
        return Body(directive.content, scope)
    if local in _READERS:
        _READERS[local](state, directive)
        return None
    if local in _OPAQUE:
        return None
    # Prose (admonitions, versionadded, only, tables...): the argument line reads as content.
    return Body(nest_first(directive.argument, [*directive.head, *directive.content]), scope)


def _read_module(state: ScanState, directive: Directive, scope: Scope | None) -> Body:
    name = directive.argument.text.strip()
    if name == "None":
        state.module = None
    elif is_python_name(name):
        state.module = name
    return Body(directive.content, scope)


def _read_py_object(state: ScanState, directive: Directive, local: str, scope: Scope | None) -> Body:
    """`.. function:: name(args)` and friends; each line of the argument is one signature."""
    module = directive.option("module") or state.module
    names: list[str] = []
    for signature in (directive.argument, *directive.head):
        written = _signature_name(signature.text)
        if written is None:
            continue
        name = _nested_name(scope, written)
        state.add_reference(signature, 0, name, Style.AUTODOC, signature.text, module)
        names.append(name)
    if local in PY_CLASSES and names:
        scope = Scope(module, names[0])
    return Body(directive.content, scope)


def _signature_name(signature: str) -> str | None:
    """The name in a signature as Sphinx's py_sig_re reads it: `name[type params](args) -> return`."""
    match = _SIGNATURE_NAME.match(signature)
    if match is None or not is_python_name(match.group()):
        return None
    rest = signature[match.end() :].strip()
    if rest and not (rest[0] in "([" and (rest.endswith((")", "]")) or "->" in rest)):
        return None  # not a signature: Sphinx shows the line as it is
    return match.group()


def _nested_name(scope: Scope | None, name: str) -> str:
    """Sphinx's rule: in a class body, `name` means `Class.name` unless it already starts with the class."""
    if scope is None or name == scope.path or name.startswith(scope.path + "."):
        return name
    return f"{scope.path}.{name}"


def _read_autodoc(state: ScanState, directive: Directive, local: str, scope: Scope | None) -> Body:
    argument = directive.argument
    names: list[str] = []
    for offset, token, name in _autodoc_names(argument.text):
        if local in _AUTODOC_CLASS_LEVEL and scope is not None and "." not in name:
            name = f"{scope.path}.{name}"  # autodoc takes a bare method name as one of the current class
        state.add_reference(argument, offset, name, Style.AUTODOC, token, state.module)
        names.append(name)
    if names and local in _AUTODOC_WITH_MEMBERS:
        _add_members(state, directive, names[0])
    if names and local == "automodule":
        state.module = names[0]  # it emits `.. py:module::`, which sets the current module
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


def _add_members(state: ScanState, directive: Directive, owner: str) -> None:
    """`:members: a, b` names `owner.a` and `owner.b`, each where it is written."""
    for option in directive.options:
        if option.name != "members":
            continue
        pieces = [(option.line, option.value_offset), *((line, 0) for line in option.continuation)]
        for line, start in pieces:
            for word in _WORD.finditer(line.text, start):
                if is_python_name(word.group()):
                    member = f"{owner}.{word.group()}"
                    state.add_reference(line, word.start(), member, Style.AUTODOC, word.group(), state.module)


def _read_autosummary(state: ScanState, directive: Directive) -> None:
    """Each entry of an autosummary table names an object, relative to the current module."""
    for line in (*directive.head, *directive.content):
        match = _AUTOSUMMARY_ENTRY.match(line.text)
        if match is not None and is_python_name(match["name"]):
            offset = match.start("name")
            state.add_reference(line, offset, match["name"], Style.AUTODOC, match["name"], state.module)


def _read_code(state: ScanState, directive: Directive) -> None:
    name = directive.name
    words = directive.argument.text.split()
    if name in _LANGUAGE_ARGUMENT:
        language = words[0].lower() if words else _LANGUAGE_ARGUMENT[name]
    else:
        language = _FIXED_LANGUAGE[name]
    # Lines right after the directive line are code too (Sphinx wants a blank line; people forget it).
    body = [*directive.head, *directive.content]
    state.add_block(make_code_block(state.doc, body, language, session=name == "doctest"))


def _read_literalinclude(state: ScanState, directive: Directive) -> None:
    """A `.py` file shown in the doc; `:pyobject:` names the object in it, `:lines: a-b` its lines."""
    argument = directive.argument
    path = argument.text.strip()
    if not path.endswith((".py", ".pyi")):
        return
    pyobject = directive.option("pyobject")
    name = pyobject if is_python_name(pyobject) else ""
    lines = None if pyobject else _line_range(directive.option("lines"))
    offset = len(argument.text) - len(argument.text.lstrip())
    state.add_reference(argument, offset, name, Style.LITERALINCLUDE, path, state.module, path=path, lines=lines)


def _line_range(spec: str) -> tuple[int, int] | None:
    match = _LINE_RANGE.fullmatch(spec)
    if match is None:
        return None
    first, last = int(match[1]), int(match[2] or match[1])
    return (min(first, last), max(first, last))


def _set_highlight(state: ScanState, directive: Directive) -> None:
    """`.. highlight:: lang` sets the language of the literal blocks that follow."""
    words = directive.argument.text.split()
    language = words[0].lower() if words else ""
    state.highlight = "" if language == "default" else language


def _set_default_domain(state: ScanState, directive: Directive) -> None:
    state.default_domain = directive.argument.text.strip().lower() or "py"


def _set_default_role(state: ScanState, directive: Directive) -> None:
    state.default_role = directive.argument.text.strip().lower() or None


_READERS: dict[str, Callable[[ScanState, Directive], None]] = {
    **dict.fromkeys([*_LANGUAGE_ARGUMENT, *_FIXED_LANGUAGE], _read_code),
    "literalinclude": _read_literalinclude,
    "autosummary": _read_autosummary,
    "highlight": _set_highlight,
    "default-domain": _set_default_domain,
    "default-role": _set_default_role,
}
