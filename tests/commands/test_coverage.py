"""`docsync coverage` end to end: public symbols no doc references, the percentage, and its threshold."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from tests.conftest import Repo, run

GUIDE = "# Guide\n\nCall `shop.cart.add_item` to fill a cart; `shop.cart.total` counts.\n"


@pytest.fixture
def shop(git_repo: Repo) -> Repo:
    cart = (
        "def add_item(cart, item, qty=1):\n    cart.append((item, qty))\n\n\ndef total(cart):\n    return len(cart)\n"
    )
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": cart, "docs/guide.md": GUIDE})
    return git_repo


def test_coverage(shop: Repo) -> None:
    shop.write({"shop/extra.py": "class Basket:\n    def empty(self):\n        pass\n\ndef _private():\n    pass\n"})
    result = run(shop, "coverage", "--format", "json")
    assert json.loads(result.out) == {
        "version": 1,
        "coverage": 50.0,
        "undocumented": ["shop.extra.Basket", "shop.extra.Basket.empty"],
    }
    text = run(shop, "coverage").out
    assert text.splitlines()[-1].startswith("Doc coverage 50.0%: 2 of 4")
    assert run(shop, "coverage", "--fail-under", "50").code == 0
    assert run(shop, "coverage", "--fail-under", "50.1").code == 1


def test_coverage_has_its_own_threshold(shop: Repo) -> None:
    """`fail-under` is the freshness score's threshold; coverage reads `coverage-fail-under` (regression:
    a freshness threshold of 90 failed every coverage run below 90%)."""
    shop.write({"shop/extra.py": "class Basket:\n    def empty(self):\n        pass\n"})
    shop.write({"pyproject.toml": "[tool.docsync]\nfail-under = 90\n"})
    assert run(shop, "coverage").code == 0
    shop.write({"pyproject.toml": "[tool.docsync]\ncoverage-fail-under = 90\n"})
    assert run(shop, "coverage").code == 1
    assert run(shop, "coverage", "--fail-under", "40").code == 0  # the option wins over the setting


def test_autodoc_covers_members(shop: Repo) -> None:
    shop.write({
        "shop/extra.py": "class Basket:\n    def empty(self):\n        pass\n",
        "docs/api.rst": "API\n===\n\n.. autoclass:: shop.extra.Basket\n   :members:\n",
    })  # fmt: skip
    assert json.loads(run(shop, "coverage", "--format", "json").out)["undocumented"] == []


CLI = """\
import argparse
import os

HOME = os.environ.get("SHOP_HOME")


def main():
    parser = argparse.ArgumentParser(prog="shop")
    parser.add_argument("--verbose", action="store_true")
    sub = parser.add_subparsers()
    build = sub.add_parser("build")
    build.add_argument("--strict", action="store_true")
    build.add_argument("--jobs", type=int)
    sub.add_parser("serve")
    return parser.parse_args()
"""


def test_coverage_of_the_command_line(shop: Repo) -> None:
    """Sub-commands and options no doc's command line shows: `--verbose` before the sub-command counts for the
    root, `--jobs` and `serve` are shown nowhere; nor does any doc set `SHOP_HOME`, which the code reads."""
    shop.commit(
        {
            "pyproject.toml": '[project]\nname = "shop"\nversion = "1"\n\n[project.scripts]\nshop = "shop.cli:main"\n',
            "shop/cli.py": CLI,
            "docs/cli.md": "# CLI\n\n```console\n$ shop --verbose build --strict\n```\n",
        }
    )
    data = json.loads(run(shop, "coverage", "--format", "json").out)
    assert data["command_line"] == {"total": 6, "undocumented": ["shop build --jobs", "shop serve", "$SHOP_HOME"]}
    schema = json.loads((resources.files("docsync") / "schemas" / "coverage-v1.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    text = run(shop, "coverage").out.splitlines()
    assert "undocumented on the command line: shop serve" in text
    assert text[-1] == "Command line: 3 of 6 sub-commands, options and environment variables are shown in a doc"
