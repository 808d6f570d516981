"""What Sphinx's Python domain (roles, object directives) and autodoc mean, shared by the RST and MyST scanners."""

from __future__ import annotations

import re
from dataclasses import dataclass

from docsync.references.names import DOTTED_NAME, is_python_name

MODULE_DIRECTIVES = frozenset({"module", "currentmodule"})
PY_OBJECTS = frozenset(
    {
        "function", "class", "method", "staticmethod", "classmethod", "attribute", "property",
        "data", "exception", "decorator", "decoratormethod",
        "cofunction", "comethod",  # sphinxcontrib-asyncio's coroutines (aiohttp's docs, for years)
    }
)  # fmt: skip
PY_CLASSES = frozenset({"class", "exception"})
_WRITTEN_AS = re.compile(r":(?:py:)?(?P<role>\w+):|\.\.\s+(?:py:)?(?P<directive>\w+)::|\{(?:py:)?(?P<myst>\w+)\}")
_DATA_WORDS = frozenset({"data", "const", "attr", "attribute", "autodata", "autoattribute"})
# Sphinx's Python-domain roles, written `:func:` or `:py:func:` (in MyST `{func}` or `{py:func}`).
PY_ROLES = frozenset({"func", "class", "meth", "attr", "mod", "data", "exc", "obj", "const", "deco", "type"})
AUTODOC = frozenset(
    {
        "autofunction", "autoclass", "automodule", "autoexception", "automethod", "autoattribute",
        "autodata", "autoproperty", "autodecorator",
    }
)  # fmt: skip
AUTODOC_WITH_MEMBERS = frozenset({"autoclass", "automodule", "autoexception"})
_AUTODOC_CLASSES = frozenset({"autoclass", "autoexception"})
_AUTODOC_CLASS_LEVEL = frozenset({"automethod", "autoattribute", "autoproperty"})
# Code directives whose argument names the language (the value here when there is none), and those of a
# fixed language. `doctest` says what the block is, a session, as `pycon` does (not "": no language written).
_LANGUAGE_ARGUMENT = {"code-block": "", "code": "", "sourcecode": "", "code-cell": "", "ipython": "ipython"}
_FIXED_LANGUAGE = {"testcode": "python", "jupyter-execute": "python", "doctest": "doctest"}
CODE_DIRECTIVES = frozenset({*_LANGUAGE_ARGUMENT, *_FIXED_LANGUAGE})
# Directives whose body is neither prose nor a Python example: markup, data, diagrams, shell sessions,
# doc lists, other languages' code cells (Quarto/knitr write ```` ```{r} ````). Not `csv-table`:
# docutils parses each of its cells as body text, so roles and inline code there are references.
OPAQUE = frozenset(
    {
        "raw", "math", "productionlist", "graphviz", "digraph", "graph", "dot", "mermaid", "plantuml", "uml",
        "testsetup", "testcleanup", "testoutput", "toctree", "contents", "index", "include", "plot",
        "tabularcolumns", "prompt", "program-output", "command-output", "runblock",
        "r", "julia", "bash", "sh", "ojs", "sql",
    }
)  # fmt: skip
# Sphinx's py_sig_re: `prefix.name[type params](args) -> return`.
_PY_SIGNATURE = re.compile(r"([\w.]*\.)?(\w+)\s*(?:\[\s*(.*)\s*\])?(?:\(\s*(.*)\s*\)(?:\s*->\s*(.*))?)?$")
_WORD = re.compile(r"[^\s,]+")
_AUTOSUMMARY_ENTRY = re.compile(r"\s*~?(?P<name>[^\s(]+)")
_LINE_RANGE = re.compile(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?")
_ROLE_TARGET = re.compile(rf"\.?{DOTTED_NAME.pattern}")
_EXPLICIT_TITLE = re.compile(r"(.+?)\s*<([^<]*?)>", re.DOTALL)  # Sphinx's `title <target>`
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Scope:
    """The class directive whose body is read: Sphinx resolves names there against `module.path` first."""

    module: str | None
    path: str

    @property
    def context(self) -> str:
        return f"{self.module}.{self.path}" if self.module else self.path


@dataclass(slots=True)
class ModuleContext:
    """A scan's doc and Sphinx's current module, which is document-wide: a class body does not scope it."""

    doc: str
    module: str | None = None

    def context(self, scope: Scope | None) -> str | None:
        """Where a name written in `scope` is looked up first: its class, else the current module."""
        return scope.context if scope is not None else self.module


def current_module(name: str, module: str | None) -> str | None:
    """The current module after `.. module:: name`: `None` clears it, text that is not a name leaves it."""
    if name == "None":
        return None
    return name if is_python_name(name) else module


def written_as_data(text: str) -> bool:
    """Whether a reference's text is a role or declaration of data or an attribute (`:data:`, `:py:attr:`,
    `.. data::`, MyST's `{data}`)."""
    written = _WRITTEN_AS.match(text)
    return written is not None and (written["role"] or written["directive"] or written["myst"]) in _DATA_WORDS


def role_target(content: str) -> str | None:
    """The name a Python role points at, as Sphinx reads it, or None when it is not a name.

    `title <target>` → target; `~` and `!` are dropped, a leading `.` is kept (it means "search
    by suffix"), a trailing `()` is dropped.
    """
    text = _unescape(" ".join(content.split()))
    titled = _EXPLICIT_TITLE.fullmatch(text)
    target = titled[2].strip() if titled else text
    target = target.removeprefix("!").lstrip("~").removesuffix("()")
    if not _ROLE_TARGET.fullmatch(target) or not is_python_name(target.lstrip(".")):
        return None
    return target


def _unescape(text: str) -> str:
    # docutils drops an escaped space and keeps any other escaped character.
    return _ESCAPE.sub(lambda match: "" if match[1].isspace() else match[1], text)


def signature_name(signature: str) -> str | None:
    """The name a Python object directive's signature line declares, None when Sphinx would not parse it."""
    match = _PY_SIGNATURE.match(signature)
    if match is None or not is_python_name((match[1] or "") + match[2]):
        return None
    return (match[1] or "") + match[2]


def nested_name(scope: Scope | None, name: str) -> str:
    """Sphinx's rule: in a class body, `name` means `Class.name` unless it already starts with the class."""
    if scope is None or name == scope.path or name.startswith(scope.path + "."):
        return name
    return f"{scope.path}.{name}"


def python_words(text: str, start: int = 0) -> list[tuple[int, str]]:
    """(offset, word) for each Python name in a comma or space separated list (`:members: a, b`)."""
    return [(word.start(), word.group()) for word in _WORD.finditer(text, start) if is_python_name(word.group())]


def autodoc_names(local: str, text: str, scope: Scope | None) -> list[tuple[int, str, str]]:
    """(offset, token as written, name) for each object the autodoc directive `local` names in `text`."""
    stripped = text.strip()
    if "(" in stripped or "->" in stripped:  # one object with an explicit signature
        match = DOTTED_NAME.match(stripped)
        if match is None or not is_python_name(match.group()):
            return []
        found = [(len(text) - len(text.lstrip()), stripped, match.group())]
    else:
        found = [(offset, word, word) for offset, word in python_words(text)]
    if local not in _AUTODOC_CLASS_LEVEL or scope is None:
        return found
    # autodoc takes a bare method name as one of the current class.
    return [(offset, token, name if "." in name else f"{scope.path}.{name}") for offset, token, name in found]


def after_autodoc(local: str, first: str, module: str | None, scope: Scope | None) -> tuple[str | None, Scope | None]:
    """(current module, scope of the body) after an autodoc directive whose first object is `first`."""
    if local == "automodule":
        return first, scope  # it emits `py:module`, which sets the current module
    if local in _AUTODOC_CLASSES:
        # autodoc reads a dotted name's prefix as its module, whatever the current module is.
        return module, Scope(None if "." in first else module, first)
    return module, scope


def autosummary_entry(text: str) -> tuple[int, str] | None:
    """(offset, name) of the object an autosummary table line names (`~pkg.mod.func`), or None."""
    match = _AUTOSUMMARY_ENTRY.match(text)
    if match is None or not is_python_name(match["name"]):
        return None
    return match.start("name"), match["name"]


def code_language(name: str, argument: str) -> str:
    """The language of a code directive's body; a name that is no code directive is its own language."""
    words = argument.split()
    if name in _LANGUAGE_ARGUMENT:
        return words[0].lower() if words else _LANGUAGE_ARGUMENT[name]
    return _FIXED_LANGUAGE.get(name, name)  # MyST's `{python}`: a Quarto/knitr code cell


def is_python_source(path: str) -> bool:
    """True for the path of a Python file, the only kind of `literalinclude` that shows code objects."""
    return path.endswith((".py", ".pyi"))


def included_object(pyobject: str, lines: str | None) -> tuple[str, tuple[int, int] | None]:
    """(name, lines) a `literalinclude` shows: `:pyobject:` names an object, else `:lines: a-b` a range."""
    name = pyobject if is_python_name(pyobject) else ""
    if pyobject or lines is None:
        return name, None
    match = _LINE_RANGE.fullmatch(lines)
    if match is None:
        return name, None
    first, last = int(match[1]), int(match[2] or match[1])
    return name, (min(first, last), max(first, last))
