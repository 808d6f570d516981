"""What the code says is deprecated, read from real module sources the way projects write it."""

from __future__ import annotations

import textwrap

import pytest

from docsync.symbols.extract import extract_module


def deprecated(source: str) -> dict[str, str]:
    module = extract_module(textwrap.dedent(source).encode())
    return {s.name: s.deprecated for s in module.symbols if s.deprecated is not None}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            """
            import warnings
            def old(x):
                '''Old.'''
                warnings.warn("old() is deprecated, use new()", DeprecationWarning, stacklevel=2)
                return new(x)
            """,
            {"old": "old() is deprecated, use new()"},
        ),
        (
            """
            from warnings import warn
            def old(x):
                warn(f"{x!r}: use 'new'", category=PendingDeprecationWarning)
            """,
            {"old": "{x}: use 'new'"},
        ),
        (
            """
            from typing_extensions import deprecated
            @deprecated("Use `Client` instead")
            class Session:
                pass
            """,
            {"Session": "Use `Client` instead"},
        ),
        (
            """
            import warnings
            @warnings.deprecated
            def old(): ...
            """,
            {"old": ""},
        ),
        (
            """
            import warnings
            class Old:
                def __init__(self, a):
                    super().__init__()
                    warnings.warn("Old is deprecated; use New", RemovedInShop30Warning)
                def keep(self): ...
            """,
            {"Old": "Old is deprecated; use New", "Old.__init__": "Old is deprecated; use New"},
        ),
        (
            """
            from shop import util
            def old():
                util.warn_deprecated("old() will be removed; use new()", "2.0")
            """,
            {"old": "old() will be removed; use new()"},
        ),
        (
            """
            import warnings
            warnings.warn("shop.legacy is deprecated; import shop.modern", DeprecationWarning)
            def f(): ...
            """,
            {"": "shop.legacy is deprecated; import shop.modern"},
        ),
    ],
    ids=["warn-first", "warn-category-keyword", "pep702-class", "bare-decorator", "in-init", "helper", "module"],
)
def test_deprecated(source: str, expected: dict[str, str]) -> None:
    assert deprecated(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        # Under a condition: one way of calling it is deprecated (a parameter), not the function.
        """
        import warnings
        def f(x, old=None):
            if old is not None:
                warnings.warn("old is deprecated", DeprecationWarning)
        """,
        # A FutureWarning about a default that will change is no deprecation of the function.
        """
        import warnings
        def f(x):
            warnings.warn("the default of sort will change to True", FutureWarning)
        """,
        # Other warnings.
        """
        import warnings
        def f(x):
            warnings.warn("slow path", RuntimeWarning)
            warnings.warn("careful")
        """,
        # Deep in the body, after the work: a warning about a result, not about calling it.
        """
        import warnings
        def f(x):
            a = 1
            b = 2
            c = 3
            d = 4
            warnings.warn("deprecated", DeprecationWarning)
        """,
    ],
    ids=["conditional", "future-default", "other-categories", "late"],
)
def test_not_deprecated(source: str) -> None:
    assert deprecated(source) == {}


def test_a_deprecated_method_is_not_its_class() -> None:
    source = """
        import warnings
        class C:
            def old(self):
                warnings.warn("deprecated", DeprecationWarning)
        """
    assert deprecated(source) == {"C.old": "deprecated"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            """
            import warnings
            def __getattr__(name):
                if name == "BaseResponse":
                    warnings.warn("'BaseResponse' is deprecated; 'Response' now does it all", DeprecationWarning)
                    return Response
                if name == "quiet":
                    return 1
                raise AttributeError(name)
            """,
            (("BaseResponse", "'BaseResponse' is deprecated; 'Response' now does it all"),),
        ),
        (
            """
            import warnings
            _MOVED = {"OldError": "shop.errors.NewError", "Other": ("shop.other", 2)}
            def __getattr__(name):
                if name in _MOVED:
                    warnings.warn(f"{name} moved", DeprecationWarning, stacklevel=2)
                    return 1
                raise AttributeError(name)
            """,
            (("OldError", "OldError moved (shop.errors.NewError)"), ("Other", "Other moved (shop.other)")),
        ),
        (
            """
            def __getattr__(name):
                if name == "x":
                    return 1
                raise AttributeError(name)
            """,
            (),
        ),
    ],
    ids=["compared-names", "table-of-moves", "silent"],
)
def test_served_deprecated(source: str, expected: tuple[tuple[str, str], ...]) -> None:
    assert extract_module(textwrap.dedent(source).encode()).served_deprecated == expected


# --- a parameter whose use warns: `if callback is not None: warnings.warn("callback ... deprecated", ...)` ------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (  # tornado's AsyncHTTPClient.fetch
            """
            def fetch(request, callback=None, raise_error=True):
                '''Fetch.'''
                if callback is not None:
                    warnings.warn("callback arguments are deprecated, use the returned Future", DeprecationWarning)
                return request
            """,
            (("callback", "callback arguments are deprecated, use the returned Future"),),
        ),
        (  # scrapy's ExecutionEngine.download: the `else` of `is None`
            """
            def download(request, spider=None):
                if spider is None:
                    spider = 1
                else:
                    warnings.warn("Passing a 'spider' argument is deprecated", category=ScrapyDeprecationWarning)
            """,
            (("spider", "Passing a 'spider' argument is deprecated"),),
        ),
        (  # pytest's raises(message=...): a keyword taken from **kwargs, the warning a project constant
            """
            def raises(expected, *args, **kwargs):
                if "message" in kwargs:
                    message = kwargs.pop("message")
                    warnings.warn(deprecated.RAISES_MESSAGE_PARAMETER, stacklevel=2)
            """,
            (("message", ""),),
        ),
        (  # a truthiness test
            """
            def run(loop=None):
                if loop:
                    warnings.warn("the loop argument is deprecated", DeprecationWarning)
            """,
            (("loop", "the loop argument is deprecated"),),
        ),
    ],
)
def test_deprecated_parameters(source: str, expected: tuple[tuple[str, str], ...]) -> None:
    function = next(s for s in extract_module(textwrap.dedent(source).encode()).symbols if s.name)
    assert function.deprecated_parameters == expected
    assert function.deprecated is None  # the function itself is not deprecated


@pytest.mark.parametrize(
    "source",
    [
        # The warning names something else: about the function, whichever way it is called.
        'def f(loop=None):\n    if loop is not None:\n        warnings.warn("f is deprecated", DeprecationWarning)\n',
        # Not a deprecation: a FutureWarning about a default.
        'def f(x=None):\n    if x is not None:\n        warnings.warn("x will change", FutureWarning)\n',
        # Not a parameter.
        'def f():\n    if LEGACY is not None:\n        warnings.warn("LEGACY is deprecated", DeprecationWarning)\n',
        # Nested deeper than the body's own level: under a loop, about each item.
        'def f(x=None):\n    for i in x:\n        if i:\n            warnings.warn("i deprecated", DeprecationWarning)\n',
    ],
)
def test_not_deprecated_parameters(source: str) -> None:
    assert next(s for s in extract_module(source.encode()).symbols if s.name).deprecated_parameters == ()


def test_a_class_takes_its_constructors_deprecated_parameters() -> None:
    source = (
        "class Client:\n    def __init__(self, url, timeout=None):\n        if timeout is not None:\n"
        '            warnings.warn("timeout is deprecated; use Timeout", DeprecationWarning)\n'
    )
    symbols = {s.name: s for s in extract_module(source.encode()).symbols}
    assert symbols["Client"].deprecated_parameters == (("timeout", "timeout is deprecated; use Timeout"),)


@pytest.mark.parametrize(
    ("decorator", "expected"),
    [
        ('@util.moved_20("now available as :func:`pkg.orm.make`.")', "now available as :func:`pkg.orm.make`."),
        ('@util.deprecated_20(":meth:`.Query.get`", "use Session.get()")', "use Session.get()"),  # not the API name
        ('@util.deprecated_20(":meth:`.Connection.connect`", alternative="use the Engine")', "use the Engine"),
        ('@util.deprecated("1.4", "use make_new() instead")', "use make_new() instead"),  # not the version
        ("@util.deprecated_cls", ""),
    ],
)
def test_projects_own_deprecation_decorators(decorator: str, expected: str) -> None:
    """SQLAlchemy's `@util.moved_20`, `@util.deprecated_20`, `@util.deprecated("1.4", ...)`."""
    assert deprecated(f"{decorator}\ndef make():\n    pass\n") == {"make": expected}


def test_a_decorator_about_some_parameters_does_not_deprecate_the_function() -> None:
    assert deprecated('@util.deprecated_params(x=("2.0", "x is deprecated"))\ndef make(x=None):\n    pass\n') == {}


def test_names_a_deprecation_helper_aliases_are_deprecated_not_the_module() -> None:
    """Sphinx's `deprecated_alias('sphinx.builders.html', {...}, RemovedInSphinx40Warning)`, in html.py itself and
    in dirhtml.py (for html): the names are deprecated where they are served; neither module is."""
    source = (
        "from other import PickleBuilder\n\n"
        "deprecated_alias('shop.html', {'PickleBuilder': PickleBuilder, 'WebBuilder': PickleBuilder}, W)\n"
        "deprecated_alias(__name__, {'Old': PickleBuilder}, W)\n"
    )
    module = extract_module(source.encode())
    assert module.aliased == (("shop.html", "PickleBuilder"), ("shop.html", "WebBuilder"), ("", "Old"))
    assert deprecated(source) == {}
