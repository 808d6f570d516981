"""Drift between two versions of a small package, through the real pipeline (extract, table, resolve, renames,
classification, judgement): deprecation shims and type annotations. The judgement's own table is test_judge.py."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import replace

import pytest

from docsync.drift import detect_drift, reference_key
from docsync.findings import DocContext, make_findings
from docsync.models import Finding, How, Reference, Style
from docsync.renames import match_renames, removed_and_added
from docsync.resolve import resolve
from docsync.settings import Config
from docsync.symbols.extract import extract_module
from docsync.symbols.layout import find_modules
from docsync.symbols.similarity import body_shapes
from docsync.symbols.table import SymbolTable, build_table

Files = Mapping[str, str]


def _files(code: str | Files) -> dict[str, str]:
    files = {"pkg/mod.py": code} if isinstance(code, str) else dict(code)
    files.setdefault("pkg/__init__.py", "")
    return {path: textwrap.dedent(source) for path, source in files.items()}


def _table(files: Files) -> SymbolTable:
    modules = find_modules(files, ("",))
    return build_table((modules[p], extract_module(s.encode())) for p, s in files.items())


def _shapes(files: Files, table: SymbolTable) -> dict[str, object]:
    return {
        f"{table.modules[path]}.{local}" if local else table.modules[path]: shape
        for path, source in files.items()
        for local, shape in body_shapes(source.encode()).items()
    }


def drift(
    old: str | Files,
    new: str | Files,
    name: str,
    style: Style = Style.MD_CODE,
    doc: str = "",
    config: Config | None = None,
) -> Finding | None:
    """The finding (if any) of a reference to `name` written in `style` on line 1 of a doc whose text is `doc`."""
    old_files, new_files = _files(old), _files(new)
    base, head = _table(old_files), _table(new_files)
    reference = Reference("docs/a.md", 1, 1, name, How.INFERRED, style, f"`{name}`")
    base_name, _ = resolve(reference, base)
    assert base_name is not None, f"{name} does not resolve in the old code"
    head_name, _ = resolve(reference, head)
    removed, added = removed_and_added(base, head, old_files, new_files)
    renames = match_renames(removed, added, _shapes(old_files, base), _shapes(new_files, head))  # type: ignore[arg-type]
    resolved = replace(reference, symbol=base_name)
    head_symbols = {reference_key(reference): head_name} if head_name else {}
    drifts = list(detect_drift([resolved], head_symbols, base, head, renames))
    findings = make_findings(drifts, DocContext(lines={"docs/a.md": doc.splitlines()}), config or Config())
    return findings[0] if findings else None


CART = """
def add_item(cart, item, qty=1):
    '''Put `qty` of `item` in the cart.'''
    if qty < 1:
        raise ValueError(qty)
    cart.append((item, qty))
    return cart
"""
CLASS = """
class Cart:
    '''A cart.'''

    def total(self, currency='EUR'):
        amount = sum(self.items)
        if currency != 'EUR':
            amount = convert(amount, currency)
        return amount

    def clear(self):
        self.items = []
        self.count = 0
"""

CLASS_REORDERED = """
class Cart:
    '''A cart.'''

    def clear(self):
        self.items = []
        self.count = 0

    def total(self, currency='EUR'):
        amount = sum(self.items)
        if currency != 'EUR':
            amount = convert(amount, currency)
        return amount
"""


SHIM = (
    "def __getattr__(name):\n"
    "    if name == 'get_stream':\n"
    "        import warnings\n"
    "        warnings.warn('deprecated', DeprecationWarning)\n"
    "        return _get_stream\n"
    "    if name == 'split':\n"
    "        from .completion import split\n"
    "        return split\n"
    "    raise AttributeError(name)\n"
)
BODY = "    data = open(name).read()\n    return data.split()\n"


@pytest.mark.parametrize(
    ("new_files", "name", "expected"),
    [
        # Made private behind a shim that warns: the doc teaches a deprecated name (`_get_stream` is no advice).
        ({"pkg/__init__.py": SHIM, "pkg/mod.py": f"def _get_stream(name):\n{BODY}"}, "pkg.get_stream", "deprecated"),
        # The same shim without a warning: the public name still works, silently.
        (
            {
                "pkg/__init__.py": SHIM.replace("warnings.warn", "print"),
                "pkg/mod.py": f"def _get_stream(name):\n{BODY}",
            },
            "pkg.get_stream",
            None,
        ),
        # Moved to a public home, the old path kept as a shim: the doc should move too.
        ({"pkg/__init__.py": SHIM, "pkg/completion.py": f"def split(name):\n{BODY}"}, "pkg.split", "renamed"),
    ],
    ids=["made-private-behind-a-warning-shim", "made-private-behind-a-silent-shim", "moved-behind-a-shim"],
)
def test_deprecation_shims(new_files: Files, name: str, expected: str | None) -> None:
    old = {
        "pkg/__init__.py": "from .mod import get_stream, split\n",
        "pkg/mod.py": f"def get_stream(name):\n{BODY}\n\ndef split(name):\n{BODY}",
    }
    finding = drift(old, new_files, name)
    assert (finding.kind.value if finding else None) == expected


@pytest.mark.parametrize(
    ("old", "new", "name", "severity", "words"),
    [
        (
            "class C:\n    def __init__(self, a):\n        self.a = a\n",
            "class C:\n    def __init__(self, a) -> None:\n        self.a = a\n",
            "pkg.mod.C",
            None,
            [],
        ),
        (
            "class C:\n    def __init__(self, a):\n        self.a = a\n",
            "class C:\n    def __init__(self, a: int) -> None:\n        self.a = a\n",
            "pkg.mod.C",
            None,
            [],
        ),
        ("X = None\n", "X: int | None = None\n", "pkg.mod.X", None, []),
        ("X: int = 0\n", "X: float = 0\n", "pkg.mod.X", None, []),
        ("def f(a: Optional[int]): pass\n", "def f(a: 'int | None'): pass\n", "pkg.mod.f", None, []),
        (
            "class C:\n    def __init__(self):\n        self.auth = None\n",
            "class C:\n    def __init__(self):\n        self.auth: str | None = None\n",
            "pkg.mod.C.auth",
            None,
            [],
        ),
    ],
    ids=[
        "init-returns-none-is-not-news",
        "init-annotated",
        "attribute-annotated",
        "attribute-annotation-changed",
        "optional-spelled-as-a-union",
        "instance-attribute-annotated",
    ],
)
def test_type_annotations(old: str, new: str, name: str, severity: str | None, words: list[str]) -> None:
    """Type hints (the most common "signature" change of a typed codebase) are no finding, even under an explicit
    coupling to the symbol's behaviour (a docsync marker)."""
    finding = drift(old, new, name, Style.MARKER)
    assert (finding.severity.value if finding else None) == severity
    for word in words:
        assert finding is not None
        assert word in finding.message


OLD_API = "def fetch(url, timeout=5):\n    return url\n\n\ndef get(url):\n    return url\n"
WARNS = (
    "import warnings\n\n\ndef fetch(url, timeout=5):\n    warnings.warn({text!r}, DeprecationWarning)\n    return url\n"
)
NEW_API = "\n\ndef get(url):\n    return url\n"


@pytest.mark.parametrize(
    ("text", "style", "doc", "expected"),
    [
        ("fetch() is deprecated; use get() instead", Style.MD_CODE, "Call `pkg.mod.fetch`.", ("error", "pkg.mod.get")),
        ("deprecated since 2.0", Style.CODE_BLOCK, "fetch(url)", ("error", None)),
        # What the page generates from the code shows the deprecation itself.
        ("use get()", Style.AUTODOC, ".. autofunction:: pkg.mod.fetch", None),
        # The doc says so next to the name: it knows.
        ("use get()", Style.MD_CODE, "`pkg.mod.fetch` is deprecated, use `get`.", None),
    ],
    ids=["name-with-replacement", "example-without-one", "autodoc", "doc-says-deprecated"],
)
def test_deprecated_in_a_pull_request(
    text: str, style: Style, doc: str, expected: tuple[str, str | None] | None
) -> None:
    """A change that deprecates what the doc teaches is an error in pull-request mode (the change under review)."""
    finding = drift(OLD_API, WARNS.format(text=text) + NEW_API, "pkg.mod.fetch", style, doc)
    if expected is None:
        assert finding is None
        return
    assert finding is not None
    assert (finding.kind.value, finding.severity.value, finding.replacement) == ("deprecated", *expected)
    assert "was deprecated" in finding.message
    assert text in finding.message


def test_a_removed_parameter_of_a_deprecated_function_is_still_a_signature_error() -> None:
    new = "import warnings\n\n\ndef fetch(url):\n    warnings.warn('use get', DeprecationWarning)\n    return url\n"
    finding = drift(OLD_API, new + NEW_API, "pkg.mod.fetch", Style.MD_CODE, "`pkg.mod.fetch` with `timeout=5`")
    assert finding is not None
    assert (finding.kind.value, finding.severity.value) == ("signature", "error")


def test_already_deprecated_is_no_news() -> None:
    old = WARNS.format(text="use get") + NEW_API
    assert drift(old, old.replace("return url", "return url.strip()"), "pkg.mod.fetch") is None


def test_a_bare_name_moved_under_the_same_name_is_still_right() -> None:
    """pytest moved the `tmpdir_factory` fixture into a plugin class: the doc's bare ``tmpdir_factory`` still names
    it; a dotted path to the old place does not."""
    old = {"pkg/mod.py": "def tmpdir_factory(request):\n    return request.config\n"}
    new = {"pkg/legacy.py": "class Plugin:\n    def tmpdir_factory(request):\n        return request.config\n"}
    assert drift(old, new, "tmpdir_factory") is None
    finding = drift(old, new, "pkg.mod.tmpdir_factory")
    assert finding is not None
    assert (finding.kind.value, finding.replacement) == ("renamed", "pkg.legacy.Plugin.tmpdir_factory")
