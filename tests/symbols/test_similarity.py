"""Body shapes for rename matching: what they hold, and that deep code does not exhaust the recursion limit."""

from __future__ import annotations

from collections import Counter

from docsync.symbols.similarity import body_shapes, similarity


def test_shapes_of_functions_classes_and_the_module() -> None:
    source = (
        b"def f(x):\n    if x:\n        return 1\n    return 2\n\nclass C:\n    def m(self):\n        pass\n    n = 1\n"
    )
    shapes = body_shapes(source)
    assert set(shapes) == {"", "f", "C", "C.m"}
    assert sum(shapes["f"].values()) == 3  # the `if` header and both returns
    assert shapes["C"] == Counter({"m": 1, "n": 1})
    assert shapes[""] == Counter({"f": 1, "C": 1})
    assert similarity(shapes["f"], shapes["f"]) == 1.0


def test_elif_chains_thousands_deep() -> None:
    """Each `elif` nests in the one before (issue 13): 2,000 branches, in a function and at module level."""
    branches = range(1, 2000)
    source = "def dispatch(x):\n    if x == 0:\n        return 0\n"
    source += "".join(f"    elif x == {i}:\n        return {i}\n" for i in branches)
    source += "if x == 0:\n    pass\n"
    source += "".join(f"elif x == {i}:\n    {'def handler(): pass' if i == 1500 else 'pass'}\n" for i in branches)

    def nested(levels: int) -> dict[str, Counter[str]]:  # as deep in the stack as a command runs it
        return nested(levels - 1) if levels else body_shapes(source.encode())

    shapes = nested(100)
    assert {name: sum(shape.values()) for name, shape in shapes.items()} == {"": 2, "dispatch": 4000, "handler": 1}
