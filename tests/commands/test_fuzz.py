"""Hostile input through every command (issue 13): generated docs, notebooks and Python sources, committed
and uncommitted in a real git repository, never crash docsync (exit 3, a traceback) and never change a file
that only reading commands touched.

Each example writes a small project (Markdown, reStructuredText, MyST, notebooks that are valid JSON, invalid
JSON or JSON of odd shapes, Python with deep nesting and syntax errors; lone surrogates, invalid UTF-8 and
deep nesting throughout) into a fresh repository, commits part of it twice, leaves the rest in the work tree,
and runs check, check --base HEAD~1, map, report, coverage, fix --dry-run and accept in-process.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docsync.main import main
from tests.conftest import Repo

# Names the generated docs and code share, so references resolve, go stale and get renamed.
NAMES = st.sampled_from(["shop", "shop.cart", "shop.cart.add_item", "shop.cart.Cart", "shop.cart.Cart.total",
                         "shop.gone", "add_item", "Cart", "os.path.join", "shop.cart.Cart.__init__"])  # fmt: skip
ODD = st.sampled_from(["\ud800", "\udfff", "\x1b[31m", "\u202e", "\ufeff", "é", "\U0001f600", "\r", "\t",
                       "\\", "`", "*", "_", "[", "]", "(", ")", "{", "}", ":", "|", "<!--", "-->", "&#xD800;"])  # fmt: skip
TEXT = st.text(st.characters(blacklist_characters="\x00"), max_size=6)  # NUL makes a file "binary": rarely
WORDS = st.one_of(NAMES, ODD, TEXT)


def _deep(opening: str, closing: str = "", inner: str = "x") -> st.SearchStrategy[str]:
    return st.integers(1, 400).map(lambda depth: opening * depth + inner + closing * depth)


def _nested_fences(depth: int, marker: str, name: str) -> str:
    """MyST directives nested `depth` deep: each fence one marker longer than the one inside it."""
    opening = "".join(f"{marker * (3 + depth - level)}{{{name}}}\n" for level in range(depth))
    return opening + "`shop.cart.add_item`\n" + "".join(f"{marker * (4 + level)}\n" for level in range(depth))


DEEP_CODE = st.one_of(
    st.integers(1, 3000).map(lambda n: "x = " + "1 + " * n + "1"),
    st.integers(1, 300).map(lambda n: "shop.cart.add_item(" * n + ")" * n),
    st.integers(1, 600).map(lambda n: "if x:\n    pass\n" + "elif x:\n    shop.cart.add_item()\n" * n),
)


MARKDOWN_PIECES = st.one_of(
    WORDS,
    NAMES.map(lambda name: f"`{name}`"),
    NAMES.map(lambda name: f"[{name}]({name})"),
    NAMES.map(lambda name: f"{{py:func}}`{name}`"),
    st.sampled_from(["# ", "\n", "\n\n", "- ", "1. ", "> ", "    ", "---\n", "| a | b |\n|---|---|\n", "<div>", "</div>"]),
    st.tuples(st.sampled_from(["python", "pycon", "py", "", "{code-cell} python", "{eval-rst}", "text"]),
              st.lists(st.one_of(NAMES.map(lambda n: f"{n}()"), st.just(">>> import shop.cart"), WORDS), max_size=4))
    .map(lambda t: f"\n```{t[0]}\n" + "\n".join(t[1]) + "\n```\n"),
    NAMES.map(lambda name: f"\n```{{autofunction}} {name}\n:noindex:\n```\n"),
    NAMES.map(lambda name: f"\n:::{{autoclass}} {name}\n:members:\n:::\n"),
    st.just("---\ntitle: [unclosed\n---\n"),
    _deep("> "), _deep("- "), _deep("[", "]"), _deep("`"), _deep("````{note}\n", "\n````"), _deep("*", "*"),
    st.tuples(st.integers(1, 150), st.sampled_from(["`", ":"]), st.sampled_from(["note", "eval-rst", "autoclass"]))
    .map(lambda t: _nested_fences(*t)),
    DEEP_CODE.map(lambda code: f"\n```python\nimport shop.cart\n{code}\n```\n"),
)  # fmt: skip
RST_PIECES = st.one_of(
    WORDS,
    NAMES.map(lambda name: f":py:func:`{name}`"),
    NAMES.map(lambda name: f"``{name}``"),
    NAMES.map(lambda name: f"\n.. autofunction:: {name}\n   :noindex:\n"),
    NAMES.map(lambda name: f"\n.. automodule:: {name}\n   :members:\n\n"),
    st.lists(st.one_of(NAMES.map(lambda n: f">>> {n}(1)"), WORDS), max_size=4).map(lambda lines: "\n" + "\n".join(lines) + "\n"),
    st.lists(st.one_of(NAMES.map(lambda n: f"    {n}()"), WORDS), max_size=4)
    .map(lambda lines: "\n.. code-block:: python\n\n" + "\n".join(lines) + "\n"),
    st.sampled_from(["\n", "::\n\n    ", "Title\n=====\n", ".. ", "   ", "|sub|", ".. |sub| replace:: x\n"]),
    st.integers(1, 300).map(lambda depth: "".join("   " * level + ".. note::\n\n" for level in range(depth))),
    _deep("   "),
    DEEP_CODE.map(lambda code: "\n.. code-block:: python\n\n" + "\n".join("    " + line for line in code.split("\n")) + "\n"),
    DEEP_CODE.map(lambda code: "\n>>> " + code.replace("\n", "\n... ") + "\n"),
)  # fmt: skip
PYTHON_PIECES = st.one_of(
    st.just("def add_item(cart, item, qty=1):\n    '''Add `item`.'''\n    cart.append(item)\n"),
    st.just("class Cart:\n    def __init__(self):\n        self.items = []\n\n    def total(self):\n        return 0\n"),
    st.just("__all__ = ['add_item', 'Cart']\n"),
    st.just("def put_item(cart, item, *, qty=1):\n    cart.append(item)\n"),
    st.integers(1, 600).map(lambda n: "def f(x):\n    if x == 0:\n        pass\n" + "    elif x:\n        pass\n" * n),
    st.integers(1, 1200).map(lambda n: "X = " + " + ".join(["1"] * n) + "\n"),
    st.integers(1, 4000).map(lambda n: "Y = a" + ".b" * n + "\n"),
    st.integers(1, 300).map(lambda n: "def g(x=" + " + ".join(["1"] * n) + "): pass\n"),
    st.sampled_from(["def oops(:\n", "x = '\\ud800'\n", "'''\\udfff'''\n", "\x00", "class C(object):\n  pass\n",
                     "async def h():\n    await x\n", "match x:\n    case [a, *b]: pass\n", "@overload\ndef add_item(): ...\n"]),
    TEXT,
)  # fmt: skip
SETTINGS_PIECES = st.one_of(
    st.sampled_from(["[tool.docsync]\n", "docs = ['docs/**']\n", "fail-under = 80\n", "fail_under = 'x'\n",
                     "docs:\n  - '**/*.md'\n", "exclude: [\n", "severity:\n  body: error\n", "code-roots = [1]\n",
                     "[tool.docsync.severity]\nremoved = 'loud'\n", "ignore-symbols = ['shop.*']\n"]),
    _deep("[", "]"), _deep("{a: ", "}"), _deep("- "), TEXT,
)  # fmt: skip
LOCK_PIECES = st.one_of(
    st.sampled_from(["# docsync lock\n# format: 1\n", "[docs/guide.md]\n", "shop.cart.add_item = 0123456789abcdef "
                     "0123456789abcdef 0123456789abcdef\n", "# format: 99\n", "<<<<<<< HEAD\n", "# end\n"]),
    TEXT,
)  # fmt: skip


def _notebook_cell(kind: str, source: object, outputs: object) -> dict[str, object]:
    return {"cell_type": kind, "source": source, "metadata": {}, "outputs": outputs}


NOTEBOOK_SOURCES = st.one_of(
    st.lists(st.one_of(MARKDOWN_PIECES, NAMES.map(lambda n: f"import {n}\n{n}()")), max_size=4),
    MARKDOWN_PIECES, st.none(), st.integers(), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)  # fmt: skip
NOTEBOOKS = st.one_of(
    st.builds(
        lambda cells, nbformat: json.dumps({"cells": cells, "nbformat": nbformat, "metadata": {}}),
        st.lists(st.builds(_notebook_cell, st.sampled_from(["markdown", "code", "raw", "odd", ""]), NOTEBOOK_SOURCES,
                           st.one_of(st.just([]), st.none(), st.just([{"output_type": "stream", "text": "x"}]))),
                 max_size=4),
        st.sampled_from([4, 3, "4", None]),
    ),
    st.builds(lambda cells: json.dumps({"worksheets": [{"cells": cells}], "nbformat": 3}),
              st.lists(st.builds(lambda s: {"cell_type": "code", "input": s}, NOTEBOOK_SOURCES), max_size=3)),
    st.sampled_from(['{"cells": [', "[]", "null", '{"cells": {}}', '{"cells": [1, "a", null]}', "\ufeff{}",
                     '{"cells": [{"cell_type": "markdown", "source": "\\ud800 `shop.cart`"}]}']),
    st.integers(1, 100_000).map(lambda depth: '{"cells": ' + "[" * depth + "]" * depth + "}"),
    TEXT,
)  # fmt: skip


def _text(pieces: st.SearchStrategy[str], max_size: int = 12) -> st.SearchStrategy[str]:
    return st.lists(pieces, max_size=max_size).map("".join)


def _encoded(text: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """Mostly UTF-8 (a lone surrogate as surrogatepass bytes makes it invalid), sometimes Latin-1 or binary."""
    return st.tuples(text, st.sampled_from(["utf-8"] * 8 + ["latin-1", "binary"])).map(
        lambda pair: (
            b"\x89PNG\r\n\x1a\n\x00" + pair[0].encode("utf-8", "surrogatepass")
            if pair[1] == "binary"
            else pair[0].encode(pair[1], "surrogatepass" if pair[1] != "latin-1" else "replace")
        )
    )


# b"docs/\xff-latin1.md" is not UTF-8: git hands such a name over as a lone surrogate.
PATHS = [
    "README.md", "docs/guide.md", "docs/myst.md", "docs/api.rst", "docs/deep/nested.rst", "notes.md", "docs/nb.ipynb",
    "analysis.ipynb", "docs/caf\u00e9.md", "docs/\U0001f600.rst", "docs/\udcff-latin1.md", " spaced.md",
    "shop/__init__.py", "shop/cart.py", "shop/gone.py", "shop/sub/deep.py", "tools/x.py",
]  # fmt: skip
SETTINGS = ["pyproject.toml", ".docsync.yml", ".docsync.lock"]  # each in one example of six: a bad one stops the run
FILES = st.tuples(
    st.lists(st.sampled_from(PATHS), min_size=1, max_size=9, unique=True),
    st.lists(st.sampled_from(SETTINGS + [""] * 15), max_size=3, unique=True),
).flatmap(lambda names: st.fixed_dictionaries({name: _content(name) for name in [*names[0], *names[1]] if name}))


def _content(name: str) -> st.SearchStrategy[bytes]:
    if name in ("pyproject.toml", ".docsync.yml"):
        return _encoded(_text(SETTINGS_PIECES, 4))
    if name == ".docsync.lock":
        return _encoded(_text(LOCK_PIECES, 6))
    if name.endswith(".py"):
        return _encoded(_text(PYTHON_PIECES, 6))
    if name.endswith(".ipynb"):
        return _encoded(NOTEBOOKS)
    return _encoded(_text(RST_PIECES if name.endswith(".rst") else MARKDOWN_PIECES))


# Where each file goes: in both commits, only the first (then changed), only the second, or the work tree.
PLACES = st.sampled_from(["both", "first", "second", "worktree"])
COMMANDS = [
    ("check",),
    ("check", "--base", "HEAD~1", "--format", "json"),
    ("map", "--format", "json"),
    ("report", "--output", "{report}"),
    ("coverage",),
    ("fix", "--dry-run"),
    ("accept",),
]
READ_ONLY = {"check", "map", "report", "coverage", "fix"}  # `fix --dry-run` writes nothing either
_CHANGE = {".ipynb": b"\n", ".toml": b"\n", ".yml": b"\n", ".lock": b"\n"}  # still what it was, if it was valid


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the work tree (not .git), by path: what reading commands must leave byte-identical."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def _run(repo: Path, args: tuple[str, ...], report: Path) -> tuple[int, str]:
    """Run docsync in-process with streams that encode like a real terminal's (stdout strict UTF-8)."""
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", write_through=True)
    stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace", write_through=True)
    argv = [arg.format(report=report) for arg in args]  # with the cache: names that are not UTF-8 reach it too
    code = main([argv[0], "-C", str(repo), *argv[1:]], stdout=stdout, stderr=stderr)
    output = b"".join(stream.buffer.getvalue() for stream in (stdout, stderr))
    return code, output.decode("utf-8", "replace")


def _build(repo: Repo, files: Mapping[str, bytes], places: list[str]) -> None:
    first = {n: c for (n, c), p in zip(files.items(), places, strict=False) if p in ("both", "first")}
    repo.commit({"seed.txt": "seed\n", **first}, "first")
    second = {n: c + _CHANGE.get(Path(n).suffix, b"\n# changed\n") if p == "first" else c
              for (n, c), p in zip(files.items(), places, strict=False) if p in ("both", "first", "second")}  # fmt: skip
    repo.commit(second, "second")
    repo.write({n: c for (n, c), p in zip(files.items(), places, strict=False) if p == "worktree"})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=FILES, places=st.lists(PLACES, min_size=12, max_size=12))
def test_hostile_input_never_crashes_and_reading_changes_nothing(files: dict[str, bytes], places: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Repo(Path(tmp) / "repo")
        _build(repo, files, places)
        report = Path(tmp) / "report.html"
        for args in COMMANDS:
            before = _snapshot(repo.path)
            code, output = _run(repo.path, args, report)
            assert code != 3, f"docsync {' '.join(args)}: {output}"
            assert "Traceback" not in output, output
            assert "internal error" not in output, output
            if args[0] in READ_ONLY:
                assert _snapshot(repo.path) == before, f"docsync {' '.join(args)} changed the repository's files"
