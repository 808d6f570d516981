"""`docsync map` end to end: every reference style, found in real files of a real repository."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from docsync.symbols import extract
from tests.conftest import Repo, run
from tests.test_schemas import load_schema

CODE = {
    "pyproject.toml": '[project]\nname = "shop"\n',
    "src/shop/__init__.py": "from .cart import Cart, add_item\n",
    "src/shop/cart.py": (
        "class Cart:\n"
        "    def total(self, currency='EUR'):\n"
        "        return 0\n"
        "\n"
        "def add_item(cart, item, qty=1):\n"
        "    pass\n"
    ),
}
NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Tour\n", "\n", "Call `shop.cart.add_item`.\n"]},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": ["from shop import Cart\n", "Cart().total()\n"]},
    ],
    "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}  # fmt: skip
DOCS = {
    "README.md": (
        "---\n"
        "docsync: [shop.cart.Cart]\n"
        "---\n"
        "# Shop\n"
        "\n"
        "Use `shop.cart.add_item()` or see [the code](src/shop/cart.py#L5-L6).\n"
        "\n"
        "```python\n"
        "from shop.cart import add_item as put\n"
        "put(cart, 'tea')\n"
        "```\n"
        "\n"
        ">>> from shop import Cart\n"
        ">>> Cart().total()\n"
        "0\n"
        "\n"
        "<!-- docsync: shop.cart.Cart.total -->\n"
        "<!-- docsync: ignore -->\n"
        "`shop.cart.ignored_name`\n"
        "\n"
        "`shop.cart.gone` is not there.\n"
    ),
    "docs/api.rst": (
        "API\n"
        "===\n"
        "\n"
        ".. currentmodule:: shop.cart\n"
        "\n"
        ".. autofunction:: add_item\n"
        "\n"
        "See :meth:`Cart.total` and :func:`~shop.cart.add_item`.\n"
        "\n"
        ".. literalinclude:: ../src/shop/cart.py\n"
        "   :pyobject: Cart.total\n"
        "\n"
        ".. docsync: shop.cart.Cart\n"
    ),
    "docs/mkdocs.md": "# Reference\n\n::: shop.cart.Cart\n\nSee [the cart][shop.cart.Cart].\n",
    "docs/tour.ipynb": json.dumps(NOTEBOOK, indent=1),
}


@pytest.fixture
def project(git_repo: Repo) -> Repo:
    git_repo.commit({**CODE, **DOCS})
    return git_repo


def test_every_style_is_found_and_resolved(project: Repo) -> None:
    result = run(project, "map", "--format", "json")
    assert result.code == 0, result
    data = json.loads(result.out)
    jsonschema.validate(data, load_schema("map-v1.json"))
    found = {(r["doc"], r["line"], r["style"], r["how"], r["symbol"]) for r in data["references"]}
    expected = {
        ("README.md", 2, "front-matter", "explicit", "shop.cart.Cart"),
        ("README.md", 6, "md-code", "inferred", "shop.cart.add_item"),
        ("README.md", 6, "md-link", "inferred", "shop.cart.add_item"),
        ("README.md", 9, "code-block", "inferred", "shop.cart.add_item"),
        ("README.md", 10, "code-block", "inferred", "shop.cart.add_item"),
        ("README.md", 13, "doctest", "inferred", "shop.cart.Cart"),
        ("README.md", 14, "doctest", "inferred", "shop.cart.Cart.total"),
        ("README.md", 17, "marker", "explicit", "shop.cart.Cart.total"),
        ("docs/api.rst", 6, "autodoc", "explicit", "shop.cart.add_item"),
        ("docs/api.rst", 8, "rst-role", "explicit", "shop.cart.Cart.total"),
        ("docs/api.rst", 8, "rst-role", "explicit", "shop.cart.add_item"),
        ("docs/api.rst", 10, "literalinclude", "explicit", "shop.cart.Cart.total"),
        ("docs/api.rst", 13, "marker", "explicit", "shop.cart.Cart"),
        ("docs/mkdocs.md", 3, "mkdocstrings", "explicit", "shop.cart.Cart"),
        ("docs/mkdocs.md", 5, "autorefs", "explicit", "shop.cart.Cart"),
    }
    assert expected <= found, expected - found
    notebook = sorted((r["line"], r["style"], r["symbol"]) for r in data["references"] if r["doc"] == "docs/tour.ipynb")
    lines = (project.path / "docs/tour.ipynb").read_text().splitlines()
    # Line numbers point into the .ipynb file itself, at the JSON string holding that source line.
    wanted = ["Call `shop.cart.add_item`", "from shop import Cart", "Cart().total()", "Cart().total()"]
    assert all(text in lines[line - 1] for (line, _, _), text in zip(notebook, wanted, strict=True))
    assert [style for _, style, _ in notebook] == ["md-code", "notebook", "notebook", "notebook"]
    assert not any("ignored_name" in r["text"] for r in data["references"] + data["unresolved"])
    assert [(u["doc"], u["line"], u["text"]) for u in data["unresolved"]] == [("README.md", 21, "`shop.cart.gone`")]


def test_text_format(project: Repo) -> None:
    result = run(project, "map")
    assert "docs/api.rst:6:19: shop.cart.add_item (autodoc, explicit) add_item" in result.out
    assert result.out.splitlines()[-1].endswith("in 4 docs, 1 unresolved")


def test_map_of_a_revision(project: Repo) -> None:
    project.write({"docs/new.md": "`shop.cart.add_item`\n"})
    docs = {r["doc"] for r in json.loads(run(project, "map", "--format", "json", "--rev", "HEAD").out)["references"]}
    assert "docs/new.md" not in docs


def test_each_file_version_is_parsed_once(project: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache is content-addressed by blob id: a second run, or another revision with the same blobs, parses nothing."""
    calls: list[bytes] = []
    real = extract.extract_module

    def counting(source: bytes) -> extract.ModuleSymbols:
        calls.append(source)
        return real(source)

    monkeypatch.setattr("docsync.parsing.extract_module", counting)
    run(project, "map")
    assert len(calls) == 2  # __init__.py and cart.py
    run(project, "map")
    run(project, "map", "--rev", "HEAD")  # same blobs as the work tree
    run(project, "check", "--base", "HEAD")
    assert len(calls) == 2
    project.write({"src/shop/cart.py": CODE["src/shop/cart.py"] + "\nX = 1\n"})
    run(project, "check")
    assert len(calls) == 3
    assert run(project, "map", "--no-cache").code == 0
    assert len(calls) == 5


def test_a_corrupt_cache_is_rebuilt(project: Repo) -> None:
    run(project, "map")
    cache = project.path / ".git" / "docsync" / "cache.sqlite3"
    assert cache.exists()
    cache.write_bytes(b"this is not sqlite" * 100)
    result = run(project, "map", "--format", "json")
    assert result.code == 0
    assert "rebuilding the cache" in result.err
    assert len(json.loads(result.out)["references"]) > 10
    assert "rebuilding" not in run(project, "map").err


def test_installed_entry_points(project: Repo) -> None:
    """The console script and `python -m docsync` both work, outside this process."""
    script = Path(sys.executable).with_name("docsync")
    for command in ([str(script)], [sys.executable, "-m", "docsync"]):
        result = subprocess.run([*command, "map", "-C", str(project.path)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        assert "shop.cart.add_item" in result.stdout
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False)
    assert version.stdout.startswith("docsync ")


def test_the_console_script_exits_fast_but_loses_nothing(project: Repo, tmp_path: Path) -> None:
    """`console_main` skips the interpreter's teardown: exit codes, full output and the cache must survive it."""
    script = Path(sys.executable).with_name("docsync")
    env = {**os.environ, "DOCSYNC_CACHE_DIR": str(tmp_path / "cache")}
    mapped = subprocess.run(
        [str(script), "map", "-C", str(project.path), "--format", "json"], capture_output=True, env=env, check=False
    )
    assert mapped.returncode == 0
    assert json.loads(mapped.stdout)["references"]  # the whole document arrived: it parses
    db = sqlite3.connect(tmp_path / "cache" / "cache.sqlite3")
    assert db.execute("SELECT count(*) FROM entries").fetchone()[0] > 0
    db.close()
    bad = subprocess.run(
        [str(script), "check", "-C", str(project.path), "--base", "nope"], capture_output=True, env=env
    )
    assert bad.returncode == 2
    assert b"unknown revision 'nope'" in bad.stderr
    # `docsync map | true`: the reader is gone before docsync writes (it takes far longer to start than this close).
    reader = subprocess.Popen(
        [str(script), "map", "-C", str(project.path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert reader.stdout is not None
    reader.stdout.close()
    _, errors = reader.communicate(timeout=60)
    assert reader.returncode == 0
    assert errors == b""  # no traceback, no "Exception ignored" from a flush at exit


def test_map_lists_command_lines_with_their_styles(git_repo: Repo) -> None:
    git_repo.commit(
        {
            "pyproject.toml": '[project]\nname = "t"\nversion = "1"\n\n[project.scripts]\ntool = "tool.cli:main"\n',
            "tool/__init__.py": "",
            "tool/cli.py": "import argparse\n\n\ndef main():\n    p = argparse.ArgumentParser()\n"
            "    s = p.add_subparsers()\n    b = s.add_parser('build')\n    b.add_argument('--strict')\n",
            "docs/cli.md": "# CLI\n\n```console\n$ tool build --strict x\n```\n\n## build\n\n| option | what |\n"
            "|---|---|\n| `--strict LEVEL` | fail |\n",
        }
    )
    data = json.loads(run(git_repo, "map", "--format", "json").out)
    assert [(r["line"], r["column"], r["style"], r["symbol"], r["text"]) for r in data["references"]] == [
        (4, 3, "cli-command", "tool build", "tool build --strict x"),
        (11, 4, "cli-option", "tool build", "--strict"),
    ]


def test_map_lists_the_environment_variables_docs_set(git_repo: Repo) -> None:
    git_repo.commit({"tool/__init__.py": "", "docs/env.md": "# Env\n\n```bash\nexport TOOL_HOME=~/tool\n```\n"})
    data = json.loads(run(git_repo, "map", "--format", "json").out)
    assert [(r["line"], r["column"], r["style"], r["symbol"]) for r in data["references"]] == [
        (4, 8, "env-var", "TOOL_HOME")
    ]
