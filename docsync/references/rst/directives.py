"""Sphinx directives for the reStructuredText scanner: module context, Python objects, autodoc, code."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

from docsync.models import Style
from docsync.references import sphinx
from docsync.references.rst.code import make_code_block
from docsync.references.rst.lines import Directive, Line, nest_first
from docsync.references.rst.state import ScanState
from docsync.references.sphinx import Scope


class Body(NamedTuple):
    """Lines of a directive to read as prose next, in the scope they are written in."""

    lines: Sequence[Line]
    scope: Scope | None


def read_directive(state: ScanState, directive: Directive, scope: Scope | None) -> Body | None:
    """Record what a directive names; return the body to read as prose next, if any."""
    domain, _, local = directive.name.rpartition(":")
    python = domain == "py" or (not domain and state.default_domain == "py")
    if local in sphinx.AUTODOC and domain in ("", "py"):
        return _read_autodoc(state, directive, local, scope)
    if python and local in sphinx.MODULE_DIRECTIVES:
        return _read_module(state, directive, local, scope)
    if python and local in sphinx.PY_OBJECTS:
        return _read_py_object(state, directive, local, scope)
    if domain:  # another domain's object (`.. c:function::`): its signature is not prose
        return Body(directive.content, scope)
    if local in _READERS:
        _READERS[local](state, directive)
        return None
    if local in sphinx.OPAQUE:
        return None
    # Prose (admonitions, versionadded, only, tables...): the argument line reads as content.
    return Body(nest_first(directive.argument, [*directive.head, *directive.content]), scope)


def _read_module(state: ScanState, directive: Directive, local: str, scope: Scope | None) -> Body:
    """`.. currentmodule::` sets the context; `.. module::` also names the module, as `:mod:` would (it renders
    nothing: not a generated entry)."""
    argument = directive.argument
    name = argument.text.strip()
    state.module = sphinx.current_module(name, state.module)
    if local == "module" and state.module == name:
        offset = len(argument.text) - len(argument.text.lstrip())
        state.add_reference(argument, offset, name, Style.RST_ROLE, name, None)
    return Body(directive.content, scope)


def _read_py_object(state: ScanState, directive: Directive, local: str, scope: Scope | None) -> Body:
    """`.. function:: name(args)` and friends; each line of the argument is one signature, but for a line that
    ends in a backslash: the signature goes on on the next line (as Sphinx reads it)."""
    module = directive.option("module") or state.module
    names: list[str] = []
    for signature, text in _signatures((directive.argument, *directive.head)):
        written = sphinx.signature_name(text)
        if written is None:
            continue
        name = sphinx.nested_name(scope, written)
        state.add_reference(signature, 0, name, Style.AUTODOC, text, module)
        names.append(name)
    if local in sphinx.PY_CLASSES and names:
        scope = Scope(module, names[0])
    return Body(directive.content, scope)


def _signatures(lines: Sequence[Line]) -> Iterator[tuple[Line, str]]:
    """Each signature's first line and its whole text, continuation lines (after a `\\`) joined."""
    first: Line | None = None
    parts: list[str] = []
    for line in lines:
        first = first or line
        if line.text.endswith("\\"):
            parts.append(line.text[:-1].rstrip() + " ")
            continue
        yield first, "".join(parts) + line.text
        first, parts = None, []
    if first is not None:
        yield first, "".join(parts).rstrip()


def _read_autodoc(state: ScanState, directive: Directive, local: str, scope: Scope | None) -> Body:
    argument = directive.argument
    names: list[str] = []
    for offset, token, name in sphinx.autodoc_names(local, argument.text, scope):
        state.add_reference(argument, offset, name, Style.AUTODOC, token, state.module)
        names.append(name)
    if names and local in sphinx.AUTODOC_WITH_MEMBERS:
        _add_members(state, directive, names[0])
    if names:
        state.module, scope = sphinx.after_autodoc(local, names[0], state.module, scope)
    return Body(directive.content, scope)


def _add_members(state: ScanState, directive: Directive, owner: str) -> None:
    """`:members: a, b` names `owner.a` and `owner.b`, each where it is written."""
    for option in directive.options:
        if option.name != "members":
            continue
        pieces = [(option.line, option.value_offset), *((line, 0) for line in option.continuation)]
        for line, start in pieces:
            for offset, word in sphinx.python_words(line.text, start):
                state.add_reference(line, offset, f"{owner}.{word}", Style.AUTODOC, word, state.module)


def _read_autosummary(state: ScanState, directive: Directive) -> None:
    """Each entry of an autosummary table names an object, relative to the current module."""
    for line in (*directive.head, *directive.content):
        entry = sphinx.autosummary_entry(line.text)
        if entry is not None:
            offset, name = entry
            state.add_reference(line, offset, name, Style.AUTODOC, name, state.module)


def _read_code(state: ScanState, directive: Directive) -> None:
    name = directive.name
    language = sphinx.code_language(name, directive.argument.text)
    # Lines right after the directive line are code too (Sphinx wants a blank line; people forget it).
    body = [*directive.head, *directive.content]
    state.add_block(make_code_block(state.doc, body, language, session=name == "doctest"), directive.argument)


def _read_literalinclude(state: ScanState, directive: Directive) -> None:
    """A `.py` file shown in the doc; `:pyobject:` names the object in it, `:lines: a-b` its lines."""
    argument = directive.argument
    path = argument.text.strip()
    if not sphinx.is_python_source(path):
        return
    name, lines = sphinx.included_object(directive.option("pyobject"), directive.option("lines"))
    offset = len(argument.text) - len(argument.text.lstrip())
    state.add_reference(argument, offset, name, Style.LITERALINCLUDE, path, state.module, path=path, lines=lines)


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
    **dict.fromkeys(sphinx.CODE_DIRECTIVES, _read_code),
    "literalinclude": _read_literalinclude,
    "autosummary": _read_autosummary,
    "highlight": _set_highlight,
    "default-domain": _set_default_domain,
    "default-role": _set_default_role,
}
