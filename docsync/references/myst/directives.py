"""MyST directives: module context, autodoc, Python objects, code, literalinclude; which bodies are prose."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from docsync.models import How, Reference, Style
from docsync.references import sphinx
from docsync.references.markdown.code import PYTHON_LANGUAGES, rows_block
from docsync.references.markdown.found import Found, Row
from docsync.references.myst.eval_rst import read_eval_rst
from docsync.references.myst.fence import MystDirective
from docsync.references.sphinx import Scope


@dataclass(slots=True)
class MystState(sphinx.ModuleContext):
    """A MyST scan's doc and current module, and how it records the references of directives."""

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
    if local in sphinx.AUTODOC:
        return [_read_autodoc(state, directive, local, scope, found)]
    if local in sphinx.MODULE_DIRECTIVES:
        _set_module(state, directive, local, found)
        return [Body(directive.content, scope)]
    if local in sphinx.PY_OBJECTS:
        return [_read_py_object(state, directive, local, scope, found)]
    if domain:
        return [Body(directive.content, scope)]
    reader = _READERS.get(local) or (_read_code if local in PYTHON_LANGUAGES else None)
    if reader is not None:
        reader(state, directive, found)
        return []
    if local in sphinx.OPAQUE:
        return []
    # Prose (admonitions, versionadded, dropdowns, unknown names): a note's argument is text too.
    argument = (directive.argument,) if directive.argument else ()
    return [Body(argument, scope), Body(directive.content, scope)]


def _set_module(state: MystState, directive: MystDirective, local: str, found: Found) -> None:
    """`{currentmodule}` sets the context; `{module}` also names the module, as `{mod}` would."""
    argument = directive.argument
    name = argument[0].strip() if argument else ""
    state.module = sphinx.current_module(name, state.module)
    if argument is not None and local == "module" and state.module == name:
        state.add(found, argument, len(argument[0]) - len(argument[0].lstrip()), name, Style.RST_ROLE, name)


def _read_py_object(state: MystState, directive: MystDirective, local: str, scope: Scope | None, found: Found) -> Body:
    """`{function} name(args)` and friends; a class's body is read in its scope."""
    module_option = directive.option("module")
    module = module_option.value if module_option and module_option.value else state.module
    argument = directive.argument
    written = sphinx.signature_name(argument[0]) if argument else None
    if argument is None or written is None:
        return Body(directive.content, scope)
    name = sphinx.nested_name(scope, written)
    state.add(found, argument, 0, name, Style.AUTODOC, argument[0], module=module)
    return Body(directive.content, Scope(module, name) if local in sphinx.PY_CLASSES else scope)


def _read_autodoc(state: MystState, directive: MystDirective, local: str, scope: Scope | None, found: Found) -> Body:
    argument = directive.argument
    if argument is None:
        return Body(directive.content, scope)
    names: list[str] = []
    for offset, token, name in sphinx.autodoc_names(local, argument[0], scope):
        state.add(found, argument, offset, name, Style.AUTODOC, token)
        names.append(name)
    members = directive.option("members")
    if names and members is not None and local in sphinx.AUTODOC_WITH_MEMBERS:
        # `:members: a, b` names `owner.a` and `owner.b`, each where it is written.
        row = ("", members.line, members.column)
        for offset, word in sphinx.python_words(members.value):
            state.add(found, row, offset, f"{names[0]}.{word}", Style.AUTODOC, word)
    if names:
        state.module, scope = sphinx.after_autodoc(local, names[0], state.module, scope)
    return Body(directive.content, scope)


def _read_code(state: MystState, directive: MystDirective, found: Found) -> None:
    """A code directive: its content after the options, in the language its name or argument gives."""
    language = sphinx.code_language(directive.name, directive.argument[0] if directive.argument else "")
    rows = list(directive.content)
    while rows and not rows[0][0].strip():
        rows.pop(0)  # the blank line that separates options from code
    block = rows_block(state.doc, language, rows) if rows else None
    if block is not None:
        found.blocks.append((directive.line, directive.column, block))


def _read_literalinclude(state: MystState, directive: MystDirective, found: Found) -> None:
    """A `.py` file shown in the doc; `:pyobject:` names the object in it, `:lines: a-b` its lines."""
    argument = directive.argument
    if argument is None or not sphinx.is_python_source(argument[0]):
        return
    pyobject, line_option = directive.option("pyobject"), directive.option("lines")
    target = pyobject.value if pyobject else ""
    name, lines = sphinx.included_object(target, line_option.value if line_option else None)
    state.add(found, argument, 0, name, Style.LITERALINCLUDE, argument[0], path=argument[0], lines=lines)


def _read_autosummary(state: MystState, directive: MystDirective, found: Found) -> None:
    """Each entry of an autosummary table names an object, relative to the current module."""
    for row in directive.content:
        entry = sphinx.autosummary_entry(row[0])
        if entry is not None:
            state.add(found, row, entry[0], entry[1], Style.AUTODOC, entry[1])


_READERS: dict[str, Callable[[MystState, MystDirective, Found], None]] = {
    **dict.fromkeys(sphinx.CODE_DIRECTIVES, _read_code),
    "literalinclude": _read_literalinclude,
    "autosummary": _read_autosummary,
}
