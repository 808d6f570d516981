"""What `Class(...)` accepts when the class writes no constructor: a record's fields (dataclass, attrs, NamedTuple,
TypedDict), and whether we can see all of them."""

from __future__ import annotations

import textwrap

import pytest

from docsync.drift import check_examples
from docsync.fit import call_problems, deprecated_arguments
from docsync.models import Call, Symbol
from docsync.symbols.extract import extract_module
from docsync.symbols.layout import find_modules
from docsync.symbols.table import SymbolTable, build_table
from tests.conftest import table_of


def signature_of(source: str, name: str) -> tuple[str, bool]:
    module = extract_module(textwrap.dedent(source).encode())
    symbol = next(s for s in module.symbols if s.name == name)
    assert symbol.signature is not None
    return symbol.signature.text, symbol.signature.complete


@pytest.mark.parametrize(
    ("source", "name", "expected"),
    [
        ("from typing import TypedDict\nclass C(TypedDict, total=False):\n    a: int\n    b: str\n", "C", ("(*, a: int = ..., b: str = ...)", True)),
        ("from typing import TypedDict\nclass C(TypedDict):\n    a: int\n    b: NotRequired[str]\n", "C", ("(*, a: int, b: NotRequired[str] = ...)", True)),
        ("class C(TypedDict, total=False):\n    a: Required[int]\n", "C", ("(*, a: Required[int])", True)),
        ("@dataclass\nclass C:\n    x: int\n    y: list = field(default_factory=list)\n    z: int = field(init=False)\n", "C", ("(x: int, y: list = list)", True)),
        ("@dataclass\nclass C(Base):\n    x: int = 0\n", "C", ("(x: int = 0)", False)),
        ("class P(NamedTuple):\n    x: int\n    y: int = 0\n", "P", ("(x: int, y: int = 0)", True)),
        ("@attr.s\nclass C:\n    x: int = attr.ib(default=1)\n", "C", ("(x: int = 1)", True)),
        ("class C(Base):\n    pass\n", "C", ("()", False)),
        ("class C:\n    pass\n", "C", ("()", True)),
        # A dataclass under another name (aiohttp's `frozen_dataclass_decorator = partial(dataclass, frozen=True)`).
        ("@frozen_dataclass_decorator\nclass C:\n    a: float = 1.0\n", "C", ("(a: float = 1.0)", True)),
        # Another decorator over fields may make a record we cannot read: not complete. Without fields it is plain.
        ("@some_model\nclass C:\n    a: float = 1.0\n", "C", ("()", False)),
        ("@final\nclass C:\n    pass\n", "C", ("()", True)),
    ],
    ids=["typeddict-total-false", "typeddict-not-required", "typeddict-required", "dataclass-fields",
         "dataclass-inheriting", "namedtuple", "attrs", "inherits-a-constructor", "plain", "dataclass-alias",
         "unknown-decorator-over-fields", "decorator-without-fields"],
)  # fmt: skip
def test_record_signatures(source: str, name: str, expected: tuple[str, bool]) -> None:
    assert signature_of(source, name) == expected


def test_a_typed_dict_with_optional_keys_fits_any_subset() -> None:
    """pydantic's `ConfigDict(TypedDict, total=False)`: `ConfigDict(str_max_length=10)` is a correct call."""
    files = {
        "pkg/__init__.py": "",
        "pkg/config.py": "from typing import TypedDict\n\n\nclass ConfigDict(TypedDict, total=False):\n    str_max_length: int\n    strict: bool\n",
    }
    table: SymbolTable = build_table(
        (find_modules(files, ("",))[p], extract_module(s.encode())) for p, s in files.items()
    )
    callee: Symbol = table.symbols["pkg.config.ConfigDict"]
    assert call_problems(Call("d.md", 1, 1, "pkg.config.ConfigDict", 0, ("str_max_length",)), callee) == []
    assert call_problems(Call("d.md", 1, 1, "pkg.config.ConfigDict", 0, ("nope",)), callee) == [
        "has no parameter `nope`"
    ]


@pytest.mark.parametrize(
    ("positional", "keywords", "bound", "expected"),
    [
        (1, ("spider",), True, ["spider"]),  # by keyword
        (2, (), True, ["spider"]),  # by position, on an instance: `self` is given
        (2, (), False, []),  # on the class: the second positional is `request`
        (1, (), True, []),  # not passed
    ],
)
def test_deprecated_arguments_by_keyword_or_position(
    positional: int, keywords: tuple[str, ...], bound: bool, expected: list[str]
) -> None:
    """scrapy's `engine.download(request, spider)` passes the deprecated `spider` by position."""
    source = (
        "import warnings\n\n\nclass Engine:\n    def download(self, request, spider=None):\n        if spider is None:\n"
        "            return 1\n        else:\n"
        '            warnings.warn("passing spider is deprecated", DeprecationWarning)\n'
    )
    files = {"pkg/__init__.py": "", "pkg/engine.py": source}
    table = table_of(files)
    call = Call("d.md", 1, 1, "pkg.engine.Engine.download", positional, keywords, bound=bound)
    found = deprecated_arguments(call, table.symbols["pkg.engine.Engine.download"])
    assert [name for name, _ in found] == expected


FORWARDING = {
    "pkg/__init__.py": "",
    "pkg/api.py": (
        "def request(method, url, *, timeout=None, headers=None):\n    pass\n\n\n"
        "def get(url, **kwargs):\n    return request('GET', url, **kwargs)\n\n\n"
        "def get_json(url, **kwargs):\n    return get(url, **kwargs)\n\n\n"
        "def loose(url, **kwargs):\n    kwargs.pop('retries', None)\n    return request('GET', url, **kwargs)\n\n\n"
        "class Client:\n    def __init__(self, **options):\n        self._configure(**options)\n\n"
        "    def _configure(self, base_url='', verify=True):\n        pass\n"
    ),
}


@pytest.mark.parametrize(
    ("callee", "keywords", "expected"),
    [
        ("pkg.api.get", ("timeout",), []),  # request takes it
        ("pkg.api.get", ("timeot",), ["has no parameter `timeot` (nor has pkg.api.request, where its `**kwargs` go)"]),
        (
            "pkg.api.get_json",
            ("headers", "verify"),
            [  # two hops
                "has no parameter `verify` (nor has pkg.api.request, where its `**kwargs` go)"
            ],
        ),
        ("pkg.api.loose", ("retries", "anything"), []),  # kwargs used otherwise too: it may take anything
        ("pkg.api.Client", ("verify",), []),  # a constructor that passes them to a method of its class
        (
            "pkg.api.Client",
            ("verfy",),
            ["has no parameter `verfy` (nor has pkg.api.Client._configure, where its `**kwargs` go)"],
        ),
    ],
)
def test_keywords_a_function_passes_on_through_kwargs_are_checked_where_they_go(
    callee: str, keywords: tuple[str, ...], expected: list[str]
) -> None:
    """`def get(url, **kwargs): return request("GET", url, **kwargs)`: `get(url, timeot=1)` is a TypeError."""
    files = FORWARDING
    table = table_of(files)
    call = Call("d.md", 1, 1, callee, 1 if callee != "pkg.api.Client" else 0, keywords)
    assert [p.problem for p in check_examples([call], table)] == expected
