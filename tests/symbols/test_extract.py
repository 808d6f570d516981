"""Tests for symbols/extract.py: which symbols a module defines, with kinds, lines and signatures."""

from __future__ import annotations

import textwrap

import pytest

from docsync.models import ParamKind, Signature, SymbolKind
from docsync.symbols.extract import ImportedName, LocalSymbol, ModuleSymbols, extract_module
from docsync.symbols.names_only import UNKNOWN

M, C, F, ME, P, A = (
    SymbolKind.MODULE,
    SymbolKind.CLASS,
    SymbolKind.FUNCTION,
    SymbolKind.METHOD,
    SymbolKind.PROPERTY,
    SymbolKind.ATTRIBUTE,
)


def extract(source: str) -> ModuleSymbols:
    module = extract_module(textwrap.dedent(source).encode())
    assert module.error is None, module.error
    return module


def kinds(source: str) -> dict[str, SymbolKind]:
    return {s.name: s.kind for s in extract(source).symbols}


def symbol(source: str, name: str) -> LocalSymbol:
    return next(s for s in extract(source).symbols if s.name == name)


def signature_text(source: str, name: str) -> str:
    found = symbol(source, name).signature
    assert found is not None
    return found.text


# -- kinds and names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("", {"": M}, id="empty-module"),
        pytest.param("def f(): ...\nasync def g(): ...\n", {"": M, "f": F, "g": F}, id="functions"),
        pytest.param(
            "class C:\n    def m(self): ...\n    async def am(self): ...\n"
            "    @staticmethod\n    def s(): ...\n    @classmethod\n    def k(cls): ...\n",
            {"": M, "C": C, "C.m": ME, "C.am": ME, "C.s": ME, "C.k": ME},
            id="methods",
        ),
        pytest.param(
            "class C:\n    @property\n    def p(self): ...\n"
            "    @functools.cached_property\n    def q(self): ...\n"
            "    @cached_property\n    def r(self): ...\n",
            {"": M, "C": C, "C.p": P, "C.q": P, "C.r": P},
            id="properties",
        ),
        pytest.param(
            "X = 1\nY: int = 2\nZ: str\nA = B = 3\n(D, [E, F]) = 4, [5, 6]\n",
            {"": M, "X": A, "Y": A, "Z": A, "A": A, "B": A, "D": A, "E": A, "F": A},
            id="module-attributes",
        ),
        pytest.param(
            "obj.attr = 1\nitems[0] = 2\nx += 1\nfor i in range(3): pass\nwith open('f') as fh: pass\n",
            {"": M},
            id="not-definitions",
        ),
        pytest.param(
            "class Outer:\n    class Inner:\n        class Deepest:\n            def m(self): ...\n",
            {"": M, "Outer": C, "Outer.Inner": C, "Outer.Inner.Deepest": C, "Outer.Inner.Deepest.m": ME},
            id="nested-classes",
        ),
        pytest.param(
            "def outer():\n    def inner(): ...\n    class Local: ...\n    x = 1\n",
            {"": M, "outer": F},
            id="function-locals-are-not-symbols",
        ),
        pytest.param(
            "class C:\n    x = 1\n    y: int\n    z: int = 2\n    a, b = 1, 2\n",
            {"": M, "C": C, "C.x": A, "C.y": A, "C.z": A, "C.a": A, "C.b": A},
            id="class-attributes",
        ),
        pytest.param(
            "class C:\n    if FLAG:\n        def m(self): ...\n    else:\n        def n(self): ...\n",
            {"": M, "C": C, "C.m": ME, "C.n": ME},
            id="conditional-members",
        ),
    ],
)
def test_kinds(source: str, expected: dict[str, SymbolKind]) -> None:
    assert kinds(source) == expected


# -- conditional definitions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "line"),
    [
        pytest.param("if PY3:\n    def f(): return 3\nelse:\n    def f(): return 2\n", 2, id="if-else"),
        pytest.param(
            "try:\n    from fast import f\nexcept ImportError:\n    def f(): ...\nelse:\n    pass\n",
            4,
            id="try-except-fallback",
        ),
        pytest.param("try:\n    def f(): ...\nexcept E:\n    def f(): ...\n", 2, id="try-first-wins"),
        pytest.param("try:\n    pass\nfinally:\n    def f(): ...\n", 4, id="finally"),
        pytest.param("try:\n    pass\nexcept E:\n    pass\nelse:\n    def f(): ...\n", 6, id="try-else"),
        pytest.param("def f(): ...\nif X:\n    class f: ...\n", 1, id="function-then-class"),
        pytest.param("if X:\n    if Y:\n        def f(): ...\n", 3, id="nested-if"),
    ],
)
def test_conditional_definitions_first_one_wins(source: str, line: int) -> None:
    found = [s for s in extract(source).symbols if s.name == "f"]
    assert len(found) == 1
    assert found[0].line == line


def test_conditional_class_first_one_wins() -> None:
    module = extract("if X:\n    class C:\n        a = 1\nelse:\n    class C:\n        b = 1\n")
    assert [s.name for s in module.symbols] == ["", "C", "C.a"]


# -- lines --------------------------------------------------------------------------------------------


def test_lines_span_decorators_and_bodies() -> None:
    module = extract(
        """\
        import functools


        @functools.cache
        @other(
            1,
        )
        def f(
            a,
        ):
            return a


        class C(
            Base,
        ):
            x = (
                1
            )
        """
    )
    lines = {s.name: (s.line, s.end_line) for s in module.symbols}
    assert lines == {"": (1, 19), "f": (4, 11), "C": (14, 19), "C.x": (17, 19)}


@pytest.mark.parametrize(
    ("source", "end_line"),
    [
        (b"", 1),
        (b"x = 1", 1),
        (b"x = 1\n", 1),
        (b"x = 1\ny = 2\n", 2),
        (b"x = 1\n\n\n", 3),
        (b"x = 1\r\ny = 2\r\n", 2),
        (b"x = 1\ry = 2", 2),
    ],
)
def test_module_spans_the_whole_file(source: bytes, end_line: int) -> None:
    module_symbol = extract_module(source).symbols[0]
    assert (module_symbol.name, module_symbol.line, module_symbol.end_line) == ("", 1, end_line)


# -- properties and overloads -------------------------------------------------------------------------

PROPERTY = """\
    class C:
        @property
        def size(self) -> int:
            \"\"\"The size.\"\"\"
            return self._size

        @size.setter
        def size(self, value: int) -> None:
            self._size = value

        @size.deleter
        def size(self):
            del self._size

        def after(self): ...
    """


def test_property_with_setter_and_deleter_is_one_symbol() -> None:
    module = extract(PROPERTY)
    assert [(s.name, s.kind) for s in module.symbols] == [
        ("", M),
        ("C", C),
        ("C.size", P),
        ("C.after", ME),
        ("C._size", A),
    ]
    size = symbol(PROPERTY, "C.size")
    assert (size.line, size.end_line) == (2, 13)
    assert size.signature is not None
    assert size.signature.text == "(self) -> int"
    assert size.signature.decorators == ("property",)


def test_setter_body_is_part_of_the_property_body() -> None:
    changed = PROPERTY.replace("self._size = value", "self._size = abs(value)")
    before, after = symbol(PROPERTY, "C.size").fingerprint, symbol(changed, "C.size").fingerprint
    assert before.body != after.body
    assert before.signature == after.signature
    assert before.docstring == after.docstring


def test_setter_without_a_property_is_a_method() -> None:
    assert kinds("class C:\n    @x.setter\n    def x(self, v): ...\n") == {"": M, "C": C, "C.x": ME}


OVERLOADS = """\
    from typing import overload

    @overload
    def parse(text: str) -> str: ...
    @overload
    def parse(text: bytes) -> bytes: ...
    def parse(text):
        return text
    """


def test_overloads_are_one_symbol_at_the_implementation() -> None:
    module = extract(OVERLOADS)
    assert [s.name for s in module.symbols] == ["", "parse"]
    parse = symbol(OVERLOADS, "parse")
    assert (parse.line, parse.end_line) == (7, 8)
    assert parse.signature is not None
    assert parse.signature.text == "(text)"


@pytest.mark.parametrize("decorator", ["overload", "typing.overload", "typing_extensions.overload"])
def test_changing_an_overload_changes_the_signature(decorator: str) -> None:
    source = OVERLOADS.replace("@overload", f"@{decorator}")
    changed = source.replace("def parse(text: bytes) -> bytes", "def parse(text: bytearray) -> bytes")
    before, after = symbol(source, "parse").fingerprint, symbol(changed, "parse").fingerprint
    assert before.signature != after.signature
    assert before.body == after.body


def test_overloaded_method() -> None:
    source = "class C:\n    @overload\n    def m(self, x: int) -> int: ...\n    def m(self, x): ...\n"
    assert kinds(source) == {"": M, "C": C, "C.m": ME}


# -- signatures ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("definition", "text"),
    [
        ("def f(): ...", "()"),
        ("def f(a, b): ...", "(a, b)"),
        ("def f(a, b=2, *args, **kwargs): ...", "(a, b=2, *args, **kwargs)"),
        ("def f(a, /): ...", "(a, /)"),
        ("def f(a, b, /, c): ...", "(a, b, /, c)"),
        ("def f(a=1, /, b=2): ...", "(a=1, /, b=2)"),
        ("def f(*, key): ...", "(*, key)"),
        ("def f(a, *, key=None, **rest): ...", "(a, *, key=None, **rest)"),
        ("def f(a, /, b, *args, c, d=4, **kw): ...", "(a, /, b, *args, c, d=4, **kw)"),
        ("def f(*args, key): ...", "(*args, key)"),
        ("def f(a: int, b: str = 'x') -> bool: ...", "(a: int, b: str = 'x') -> bool"),
        (
            "def f(a: 'Cart', *items: Item, **kw: Any) -> None: ...",
            "(a: 'Cart', *items: Item, **kw: Any) -> None",
        ),
        ("def f(a = {'k' : [1,2]}, b=-1, c=(1,)): ...", "(a={'k': [1, 2]}, b=-1, c=(1,))"),
        (
            "def f(x: list[int] | None = None) -> dict[str, int]: ...",
            "(x: list[int] | None = None) -> dict[str, int]",
        ),
        ("async def f(a, *, b): ...", "(a, *, b)"),
        ("def f(a, b=lambda x: x * 2): ...", "(a, b=lambda x: x * 2)"),
    ],
)
def test_signature_text(definition: str, text: str) -> None:
    assert signature_text(definition + "\n", "f") == text


def test_parameter_records() -> None:
    found = symbol("def f(a, /, b: int = 1, *c, d, **e) -> None: ...\n", "f").signature
    assert found is not None
    assert [(p.name, p.kind, p.default, p.annotation) for p in found.parameters] == [
        ("a", ParamKind.POSITIONAL_ONLY, None, None),
        ("b", ParamKind.POSITIONAL_OR_KEYWORD, "1", "int"),
        ("c", ParamKind.VAR_POSITIONAL, None, None),
        ("d", ParamKind.KEYWORD_ONLY, None, None),
        ("e", ParamKind.VAR_KEYWORD, None, None),
    ]
    assert found.returns == "None"


def test_decorators_are_recorded_and_change_the_signature() -> None:
    source = "@app.route('/cart', methods=['GET'])\n@login_required\ndef view(request): ...\n"
    view = symbol(source, "view")
    assert view.signature is not None
    assert view.signature.decorators == ("app.route('/cart', methods=['GET'])", "login_required")
    assert view.line == 1
    other = symbol(source.replace("'GET'", "'POST'"), "view")
    assert view.fingerprint.signature != other.fingerprint.signature
    assert view.fingerprint.body == other.fingerprint.body


def test_async_changes_the_signature_not_the_body() -> None:
    sync, coroutine = symbol("def f(a): return a\n", "f"), symbol("async def f(a): return a\n", "f")
    assert sync.fingerprint.signature != coroutine.fingerprint.signature
    assert sync.fingerprint.body == coroutine.fingerprint.body
    assert coroutine.kind is F


@pytest.mark.parametrize(
    ("source", "text", "complete"),
    [
        pytest.param("class C:\n    def __init__(self, a, b=2): ...\n", "(a, b=2)", True, id="init"),
        pytest.param(
            "class C:\n    def __new__(cls, a, *, b): ...\n", "(a, *, b)", True, id="new"
        ),
        pytest.param(
            "class C:\n    def __new__(cls, x): ...\n    def __init__(self, a): ...\n", "(a)", True,
            id="init-wins",
        ),
        pytest.param(
            "class C:\n    def __init__(self, /, a, *args, key=None, **kw): ...\n",
            "(a, *args, key=None, **kw)",
            True,
            id="init-positional-only-self",
        ),
        pytest.param("class C: pass\n", "()", True, id="no-constructor"),
        pytest.param("class C(object): pass\n", "()", True, id="object-base"),
        pytest.param("class C(Base): pass\n", "()", False, id="inherited-constructor"),
        pytest.param("class C(metaclass=Meta): pass\n", "()", True, id="metaclass-only"),
        pytest.param(
            "@dataclass\nclass D:\n    x: int\n    y: str = 'a'\n    z: ClassVar[int] = 0\n"
            "    w: typing.ClassVar[int] = 0\n    v: list = field(default_factory=list)\n    plain = 3\n",
            "(x: int, y: str = 'a', v: list = list)",
            True,
            id="dataclass",
        ),
        pytest.param(
            "@dataclasses.dataclass(frozen=True, slots=True)\nclass D:\n    x: int\n", "(x: int)", True,
            id="dataclass-call",
        ),
        pytest.param("@attrs.define\nclass D:\n    x: int = 0\n", "(x: int = 0)", True, id="attrs"),
        pytest.param(
            "class N(NamedTuple):\n    a: int\n    b: float = 0.0\n", "(a: int, b: float = 0.0)", True,
            id="namedtuple",
        ),
        pytest.param(
            "class N(typing.NamedTuple):\n    a: int\n", "(a: int)", True, id="typing-namedtuple"
        ),
        pytest.param("class T(TypedDict):\n    a: int\n", "(*, a: int)", True, id="typeddict"),
        pytest.param(
            "@dataclass\nclass D:\n    x: int\n    def __init__(self, y): ...\n", "(y)", True,
            id="dataclass-own-init",
        ),
    ],
)  # fmt: skip
def test_class_constructor_signature(source: str, text: str, complete: bool) -> None:
    found = symbol(source, "C" if "class C" in source else source.split("class ")[1][0]).signature
    assert found is not None
    assert found.text == text
    assert found.complete is complete


def test_class_signature_records_bases_and_decorators() -> None:
    found = symbol("@register\nclass C(Base, mixins.Extra, metaclass=Meta):\n    pass\n", "C").signature
    assert found is not None
    assert found.bases == ("Base", "mixins.Extra", "metaclass=Meta")
    assert found.decorators == ("register",)


def test_an_attribute_signature_is_its_annotation() -> None:
    assert symbol("X: int = 1\n", "X").signature == Signature(returns="int")
    assert symbol("X = 1\n", "X").signature is None


# -- instance attributes ------------------------------------------------------------------------------

INIT = """\
    class Cart:
        limit = 10

        def __init__(self, owner, items=()):
            self.owner = owner
            \"\"\"Who owns the cart.\"\"\"
            self.items: list[str] = list(items)
            self.limit = 5
            self.owner = None
            self.first, (self.second, *self.rest) = 1, (2, 3)
            if owner:
                self.named = True
            else:
                self.anonymous = True
            try:
                self.tried = 1
            except ValueError:
                self.failed = 1
            for item in items:
                self.last = item
            with lock:
                self.locked = 1
            other.attribute = 1
            self.owner.nested = 1
            self[0] = 1

            def helper():
                self.not_an_attribute = 1

        def add(self, item):
            self.not_in_init = item
    """


def test_instance_attributes_from_init_then_other_methods() -> None:
    attributes = [(s.name, s.line) for s in extract(INIT).symbols if s.kind is A]
    assert attributes == [
        ("Cart.limit", 2),
        ("Cart.owner", 5),
        ("Cart.items", 7),
        ("Cart.first", 10),
        ("Cart.second", 10),
        ("Cart.rest", 10),
        ("Cart.named", 12),
        ("Cart.anonymous", 14),
        ("Cart.tried", 16),
        ("Cart.failed", 18),
        ("Cart.last", 20),
        ("Cart.locked", 22),
        ("Cart.not_in_init", 31),
    ]


def test_instance_attribute_docstring_and_annotation() -> None:
    documented = symbol(INIT, "Cart.owner")
    undocumented = symbol(INIT.replace('"""Who owns the cart."""', "pass"), "Cart.owner")
    assert documented.fingerprint.docstring != undocumented.fingerprint.docstring
    assert documented.fingerprint.body == undocumented.fingerprint.body
    annotated = symbol(INIT, "Cart.items")
    other_annotation = symbol(INIT.replace("list[str]", "list[int]"), "Cart.items")
    assert annotated.fingerprint.signature != other_annotation.fingerprint.signature


def test_members_are_symbols_of_their_own_not_the_class_body() -> None:
    """Renaming an instance attribute changes (removes and adds) that attribute, not the class's body."""
    before = symbol(INIT, "Cart").fingerprint
    after = symbol(INIT.replace("self.tried = 1", "self.tried_again = 1"), "Cart").fingerprint
    assert before.body == after.body


def test_any_method_defines_instance_attributes() -> None:
    """Every instance has what any method sets (issue 14: not a name that is gone); `__init__`'s come first."""
    source = (
        "class C:\n    def setup(self):\n        self.x = 1\n    def __post_init__(self):\n        self.y = 2\n"
        "    def __init__(self):\n        self.x = 0\n"
    )
    assert kinds(source) == {"": M, "C": C, "C.setup": ME, "C.__post_init__": ME, "C.__init__": ME, "C.x": A, "C.y": A}
    assert symbol(source, "C.x").line == 7  # from `__init__`, as autodoc reads it


def test_module_level_init_function_defines_no_attributes() -> None:
    assert kinds("def __init__(self):\n    self.x = 1\n") == {"": M, "__init__": F}


# -- __all__ ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "names"),
    [
        pytest.param("x = 1\n", None, id="none"),
        pytest.param("__all__ = ['a', 'b']\n", ("a", "b"), id="list"),
        pytest.param("__all__ = ('a',)\n", ("a",), id="tuple"),
        pytest.param("__all__ = []\n", (), id="empty"),
        pytest.param("__all__: list[str] = ['a']\n", ("a",), id="annotated"),
        pytest.param("__all__ = ['a'] + ['b']\n", ("a", "b"), id="concatenated"),
        pytest.param("__all__ = ['a'] + (['b'] + ('c',))\n", ("a", "b", "c"), id="concatenated-grouped"),
        pytest.param("__all__ = ['a'] + ['b'] * 2\n", None, id="concatenated-computed"),
        pytest.param(
            "__all__ = " + " + ".join(f"['n{i}']" for i in range(1500)) + "\n",
            tuple(f"n{i}" for i in range(1500)),
            id="1500-concatenated",
        ),
        pytest.param("__all__ = ['a']\n__all__ += ['b', 'c']\n", ("a", "b", "c"), id="plus-equals"),
        pytest.param("__all__ = ['a']\n__all__.extend(['b'])\n", ("a", "b"), id="extend"),
        pytest.param("__all__ = ['a']\n__all__.extend(('b', 'c'))\n", ("a", "b", "c"), id="extend-tuple"),
        pytest.param("__all__ = ['a']\n__all__.append('b')\n", ("a", "b"), id="append"),
        pytest.param(
            "__all__ = ['a']\n__all__ += ['b']\n__all__.extend(['c'])\n__all__.append('d')\n",
            ("a", "b", "c", "d"),
            id="all-forms",
        ),
        pytest.param("__all__ += ['b']\n", ("b",), id="plus-equals-first"),
        pytest.param("__all__ = ['a']\n__all__.append(name)\n", ("a",), id="append-non-literal-ignored"),
        pytest.param("__all__ = ['a']\n__all__.extend(other.__all__)\n", ("a",), id="extend-non-literal-ignored"),
        pytest.param("__all__ = ['a']\n__all__.remove('a')\n", ("a",), id="remove-ignored"),
        pytest.param("__all__ = ['a', name]\n", None, id="non-literal"),
        pytest.param("__all__ = other.__all__\n", None, id="computed"),
        pytest.param("__all__ = ['a']\n__all__ -= ['a']\n", ("a",), id="minus-ignored"),
        pytest.param("if X:\n    __all__ = ['a']\n", ("a",), id="conditional"),
        pytest.param("class C:\n    __all__ = ['a']\n", None, id="in-a-class"),
        pytest.param("def f():\n    __all__ = ['a']\n", None, id="in-a-function"),
    ],
)
def test_all_forms(source: str, names: tuple[str, ...] | None) -> None:
    assert extract(source).all_names == names


def test_all_is_not_a_symbol() -> None:
    assert kinds("__all__ = ['a']\na = 1\n") == {"": M, "a": A}


# -- imports ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "imports"),
    [
        ("import os\n", ()),
        ("import os.path\n", ()),
        ("import shop.cart as cart\n", (ImportedName("cart", "shop.cart", 0, ""),)),
        ("from shop.cart import add_item\n", (ImportedName("add_item", "shop.cart", 0, "add_item"),)),
        ("from shop.cart import add_item as add\n", (ImportedName("add", "shop.cart", 0, "add_item"),)),
        ("from . import cart\n", (ImportedName("cart", "", 1, "cart"),)),
        ("from .cart import *\n", (ImportedName("*", "cart", 1, "*"),)),
        ("from ...a.b import c\n", (ImportedName("c", "a.b", 3, "c"),)),
        (
            "from .x import (a,\n    b as c)\n",
            (ImportedName("a", "x", 1, "a"), ImportedName("c", "x", 1, "b")),
        ),
        ("if TYPE_CHECKING:\n    from .x import a\n", (ImportedName("a", "x", 1, "a"),)),
        ("def f():\n    from .x import a\n", ()),
        ("class C:\n    from .x import a\n", ()),
    ],
)
def test_imports(source: str, imports: tuple[ImportedName, ...]) -> None:
    assert extract(source).imports == imports


# -- files that do not parse --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        (b"def f(:\n    pass\n", 1, "invalid syntax"),
        (b"x = 1\ny = (\n", 2, "'(' was never closed"),
        (b"x = 1\n\n  y = 2\n", 3, "unexpected indent"),
        (b"x = 1\x00\n", 1, "source code string cannot contain null bytes"),
        (b"x = '\xff'\n", 1, "(unicode error) 'utf-8' codec can't decode byte 0xff"),
        (b"x = 1 +" + b"(" * 300 + b"\n", 1, None),
        (b"x = " + b" + ".join([b"1"] * 5000) + b"\n", 1, "nested too deeply for Python's parser: RecursionError"),
        (b"x = " + b"not " * 10_000 + b"y\n", 1, "nested too deeply for Python's parser: MemoryError"),
    ],
)
def test_file_that_does_not_parse(source: bytes, line: int, message: str | None) -> None:
    module = extract_module(source)
    assert all(symbol.fingerprint == UNKNOWN for symbol in module.symbols), "names at most, nothing of their contents"
    assert module.imports == ()
    assert module.error is not None
    assert module.error[0] == line
    if message is not None:
        assert module.error[1].startswith(message)


def test_python_2_code_gives_its_names() -> None:
    """werkzeug/templates.py in 2013: Python 2. Its classes, functions and methods are evidence that they existed;
    what they were is unknown (no change is ever claimed against such a version)."""
    source = (
        b'class Template(object):\n    """A template."""\n    def __init__(self, source):\n        print "hi"\n'
        b"        def inner(): pass\n    @classmethod\n    def from_file(cls, f, mode=0777):\n"
        b'        exec "x = 1"\n\ndef render(x):\n    return `x`\n\nasync def fetch(): pass\n'
    )
    module = extract_module(source)
    assert module.error is not None
    assert [(s.name, s.kind.value, s.line) for s in module.symbols] == [
        ("", "module", 1),
        ("Template", "class", 1),
        ("Template.__init__", "method", 3),
        ("Template.from_file", "method", 7),
        ("render", "function", 10),
        ("fetch", "function", 13),
    ]
    assert {s.fingerprint for s in module.symbols} == {UNKNOWN}


def test_encoding_declaration_is_honoured() -> None:
    module = extract_module("# -*- coding: latin-1 -*-\nNAME = 'caf\u00e9'\n".encode("latin-1"))
    assert module.error is None
    assert [s.name for s in module.symbols] == ["", "NAME"]


def test_docstrings_change_only_the_docstring_part() -> None:
    before = symbol('def f():\n    """Old."""\n    return 1\n', "f").fingerprint
    after = symbol('def f():\n    """New."""\n    return 1\n', "f").fingerprint
    assert before.docstring != after.docstring
    assert (before.signature, before.body) == (after.signature, after.body)


# -- deep but valid code (issue 13) -------------------------------------------------------------------


def elif_chain(branches: int, body: str, special: str, at: int, indent: str = "") -> str:
    lines = [f"{indent}if x == 0:", f"{indent}    {body}"]
    for i in range(1, branches):
        lines += [
            f"{indent}elif x == {i}:",
            *(f"{indent}    {line}" for line in (special if i == at else body).split("\n")),
        ]
    return "\n".join(lines) + "\n"


def test_definitions_deep_in_an_elif_chain() -> None:
    """Every branch nests in the one before: 980 branches are 980 levels, read without recursing."""
    module = elif_chain(980, "pass", "def handler():\n    return 1", at=700)
    module += "class Box:\n" + elif_chain(980, "pass", "size = 1", at=900, indent="    ")
    module += "    def __init__(self):\n" + elif_chain(980, "pass", "self.inner = 1", at=950, indent="        ")
    module += "def handler():\n    return 2\n"
    symbols = {s.name: s for s in extract(module).symbols}
    assert set(symbols) == {"", "handler", "Box", "Box.size", "Box.__init__", "Box.inner"}
    assert symbols["handler"].line == module.splitlines().index("    def handler():") + 1  # the first one wins


def test_defaults_and_annotations_too_deep_to_unparse() -> None:
    """`ast.unparse` recurses: past its depth, a placeholder with the expression's digest (and no crash)."""
    ones = " + ".join(["1"] * 980)
    source = f"def f(x={ones}, y: a{'.b' * 980} = 2) -> c{'.d' * 980}:\n    pass\n"
    found = symbol(source, "f").signature
    assert found is not None
    x, y = found.parameters
    assert x.default is not None
    assert x.default.startswith("<expression too deeply nested to show: ")
    assert y.annotation is not None
    assert y.annotation.startswith("<expression too deeply nested to show: ")
    assert found.returns is not None
    assert found.returns.startswith("<expression too deeply nested to show: ")
    other = symbol(source.replace(ones, ones + " + 2"), "f").signature
    assert other is not None
    assert other.parameters[0].default != x.default


def test_unparsed_text_does_not_depend_on_the_callers_stack() -> None:
    """The text is cached by blob id and shared: past the safe depth, unparsing runs on a fresh stack, so a
    caller deep in its own stack gets the same text as a shallow one."""
    source = "def f(x=" + " + ".join(["1"] * 250) + "):\n    pass\n"

    def nested(levels: int) -> ModuleSymbols:
        return nested(levels - 1) if levels else extract_module(source.encode())

    shallow, deep = extract_module(source.encode()), nested(600)
    assert shallow == deep
    default = shallow.symbols[1].signature.parameters[0].default  # type: ignore[union-attr]
    assert default == " + ".join(["1"] * 250)
