"""`docsync check` end to end on real git repositories: pull-request, staged and whole-repository modes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from examples.build_history import build
from tests.conftest import Repo, git_env, run
from tests.test_schemas import load_schema

CART = '''"""Carts."""


def add_item(cart, item, qty=1):
    """Put `qty` of `item` in the cart."""
    cart.append((item, qty))


def total(cart):
    return sum(q for _, q in cart)
'''
GUIDE = """# Guide

## Adding

Call `shop.cart.add_item` to fill a cart.
Pass `qty` to add several.

## Totals

`shop.cart.total` adds up the quantities.
"""


def findings(result_out: str) -> list[tuple[str, int, str, str]]:
    data = json.loads(result_out)
    jsonschema.validate(data, load_schema("report-v1.json"))
    return [(f["doc"], f["line"], f["kind"], f["symbol"]) for f in data["findings"]]


@pytest.fixture
def shop(git_repo: Repo) -> tuple[Repo, str]:
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE}, "initial")
    return git_repo, base


# --- pull-request mode ---------------------------------------------------------------------------


def test_a_renamed_parameter_the_doc_writes_strands_the_doc(shop: tuple[Repo, str]) -> None:
    repo, base = shop
    repo.commit({"shop/cart.py": CART.replace("qty=1", "quantity=1, *, price=None")}, "rename qty")
    result = run(repo, "check", "--base", base, "--format", "json")
    assert result.code == 1, result
    assert findings(result.out) == [("docs/guide.md", 6, "signature", "shop.cart.add_item")]
    message = json.loads(result.out)["findings"][0]["message"]
    assert message == (
        f"the signature of shop.cart.add_item changed in {repo.git('rev-parse', '--short=7', 'HEAD')}: "
        "parameter `qty` renamed to `quantity`"
    ), "only the change the doc's use is about: not the new `price`, which the doc does not write"


@pytest.mark.parametrize(
    "new_cart",
    [
        CART.replace("qty=1", "qty=1, *, price=None"),
        CART.replace("qty=1", "qty: int = 1"),
        CART.replace("(cart, item, qty=1)", "(cart, item, qty=1, /)"),
    ],
    ids=["an optional parameter more", "an annotation", "positional-only"],
)
def test_a_change_the_doc_does_not_use_is_no_finding(shop: tuple[Repo, str], new_cart: str) -> None:
    """Every call the doc shows still works, and the parameter it names is still there."""
    repo, base = shop
    repo.commit({"shop/cart.py": new_cart}, "compatible")
    result = run(repo, "check", "--base", base, "--format", "json")
    assert (result.code, findings(result.out)) == (0, [])


COUPLED = GUIDE.replace("Call `shop.cart.add_item`", "<!-- docsync: shop.cart.add_item -->\nCall `shop.cart.add_item`")


@pytest.mark.parametrize(
    ("new_cart", "kind", "coupled"),
    [
        (CART.replace("    cart.append((item, qty))", "    cart.insert(0, (item, qty))"), "body", True),
        (CART.replace("Put `qty` of `item` in the cart.", "Add an item."), "docstring", True),
        (CART.replace("    cart.append((item, qty))", "    cart.insert(0, (item, qty))"), None, False),
        (CART.replace("Put `qty` of `item` in the cart.", "Add an item."), None, False),
        (CART.replace("def add_item(cart, item, qty=1):", "def put(cart, item, qty=1):"), "renamed", False),
        ('"""Carts."""\n\n\ndef total(cart):\n    return sum(q for _, q in cart)\n', "removed", False),
    ],
    ids=["body, coupled", "docstring, coupled", "body, named only", "docstring, named only", "renamed", "removed"],
)
def test_each_kind(shop: tuple[Repo, str], new_cart: str, kind: str | None, coupled: bool) -> None:
    """Body and docstring changes matter only where the doc is coupled to the behaviour (a docsync marker)."""
    repo, base = shop
    if coupled:
        base = repo.commit({"docs/guide.md": COUPLED}, "couple the guide")
    repo.commit({"shop/cart.py": new_cart})
    result = run(repo, "check", "--base", base, "--format", "json")
    expected = [("docs/guide.md", 5, kind, "shop.cart.add_item")] if kind else []
    assert findings(result.out) == expected
    # Only errors fail by default: body is a warning, docstring an info.
    assert result.code == (1 if kind in ("removed", "renamed") else 0)


@pytest.mark.parametrize(
    "new_cart",
    [
        CART.replace("def add_item(cart, item, qty=1):", "def add_item(\n    cart,\n    item,\n    qty=1,\n):"),
        CART.replace("    cart.append((item, qty))", "    # remember the pair\n    cart.append((item, qty))  # here"),
        CART.replace("Put `qty` of `item` in the cart.", "Put `qty` of `item`\n    in the cart."),
        "\n\n" + CART.replace('"""Carts."""', "'''Carts.'''"),
    ],
    ids=["formatting", "comments", "docstring-rewrap", "quotes-and-blank-lines"],
)
def test_meaningless_changes_are_never_drift(shop: tuple[Repo, str], new_cart: str) -> None:
    repo, base = shop
    repo.commit({"shop/cart.py": new_cart})
    result = run(repo, "check", "--base", base, "--format", "json")
    assert (result.code, findings(result.out)) == (0, [])


RENAMED_QTY = CART.replace("qty=1", "count=1").replace("(item, qty)", "(item, count)")


def test_doc_updated_in_the_same_section_is_fresh(shop: tuple[Repo, str]) -> None:
    repo, base = shop
    repo.commit({
        "shop/cart.py": RENAMED_QTY,
        "docs/guide.md": GUIDE.replace("to fill a cart.", "to fill a cart (two at a time)."),
    })  # fmt: skip
    assert findings(run(repo, "check", "--base", base, "--format", "json").out) == []


def test_doc_updated_elsewhere_is_still_stale(shop: tuple[Repo, str]) -> None:
    """Editing another section of a long doc does not refresh a reference (DOCER's finding)."""
    repo, base = shop
    repo.commit({
        "shop/cart.py": RENAMED_QTY,
        "docs/guide.md": GUIDE.replace("adds up the quantities.", "adds up all quantities."),
    })  # fmt: skip
    result = run(repo, "check", "--base", base, "--format", "json")
    assert findings(result.out) == [("docs/guide.md", 6, "signature", "shop.cart.add_item")]


@pytest.mark.parametrize("updated_means", ["section", "file"])
def test_an_edit_next_to_a_name_that_is_gone_does_not_make_it_right(shop: tuple[Repo, str], updated_means: str) -> None:
    """The section was edited with the change, but `shop.cart.total` no longer leads anywhere: still wrong
    (Starlette renamed `starlette.response`, and the docs it edited kept importing from it)."""
    repo, base = shop
    repo.commit({
        "shop/cart.py": CART.replace("def total(", "def sum_quantities("),
        "docs/guide.md": GUIDE.replace("adds up the quantities.", "adds up all quantities."),
        ".docsync.yml": f"updated-means: {updated_means}\n",
    })  # fmt: skip
    result = run(repo, "check", "--base", base, "--format", "json")
    assert [(doc, line, symbol) for doc, line, _, symbol in findings(result.out)] == [
        ("docs/guide.md", 10, "shop.cart.total")
    ]
    assert findings(result.out)[0][2] in ("removed", "renamed")


def test_updated_means_file(shop: tuple[Repo, str]) -> None:
    repo, base = shop
    repo.commit({
        "shop/cart.py": RENAMED_QTY,
        "docs/guide.md": GUIDE.replace("adds up the quantities.", "adds up all quantities."),
        ".docsync.yml": "updated-means: file\n",
    })  # fmt: skip
    assert findings(run(repo, "check", "--base", base, "--format", "json").out) == []


def test_merge_base_is_used_not_the_tip_of_base(shop: tuple[Repo, str]) -> None:
    """Drift that happened on the base branch after the branch point is not this change's."""
    repo, _ = shop
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({"README.md": "# Shop\n"}, "readme")
    repo.git("checkout", "-q", "main")
    repo.commit({"shop/cart.py": CART.replace("qty=1", "qty=3")}, "main moves on")
    repo.git("checkout", "-q", "feature")
    result = run(repo, "check", "--base", "main", "--format", "json")
    assert (result.code, findings(result.out)) == (0, [])


def test_head_option_and_detached_head(shop: tuple[Repo, str]) -> None:
    repo, base = shop
    changed = repo.commit({"shop/cart.py": RENAMED_QTY})
    repo.commit({"docs/guide.md": GUIDE.replace("to fill a cart.", "to fill it.")}, "fix doc")
    assert findings(run(repo, "check", "--base", base, "--head", changed, "--format", "json").out) != []
    repo.git("checkout", "-q", "--detach", changed)
    assert findings(run(repo, "check", "--base", base, "--format", "json").out) != []


def test_text_output_is_ruff_like(shop: tuple[Repo, str]) -> None:
    repo, base = shop
    repo.commit({"shop/cart.py": CART.replace("def add_item(", "def put_item(")})
    result = run(repo, "check", "--base", base)
    first, summary = result.out.splitlines()
    sha = repo.git("rev-parse", "--short=7", "HEAD")
    assert first == f"docs/guide.md:5:6: renamed: shop.cart.add_item was renamed to shop.cart.put_item in {sha}"
    assert summary.startswith("1 finding (1 error) in 1 doc; freshness score")
    assert "\033[" not in result.out  # not a terminal: no colour


# --- staged mode (the pre-commit hook) ------------------------------------------------------------


def test_staged_change_is_checked_against_head(shop: tuple[Repo, str]) -> None:
    repo, _ = shop
    repo.stage({"shop/cart.py": CART.replace("qty=1", "count=1")})
    result = run(repo, "check", "--staged", "--format", "json")
    assert result.code == 1
    assert json.loads(result.out)["head"] == "STAGED"
    assert findings(result.out) == [("docs/guide.md", 6, "signature", "shop.cart.add_item")]
    repo.stage({"docs/guide.md": GUIDE.replace("to fill a cart.", "to fill a cart, `count` at a time.")})
    assert run(repo, "check", "--staged").code == 0


# What the pre-commit path may not load (issue 7: its budget is 0.3 s): the HTML report's template engine,
# the API clients' HTTP stack, libcst, YAML without YAML settings, and the whole-repository history walk.
NOT_ON_THE_STAGED_PATH = (
    "jinja2", "requests", "libcst", "yaml", "docsync.history.staleness", "docsync.checks.whole_repository",
    "docsync.render.html_page", "docsync.github.api", "docsync.rest",
)  # fmt: skip


def test_the_staged_check_imports_only_what_it_needs(shop: tuple[Repo, str]) -> None:
    repo, _ = shop
    repo.stage({"shop/cart.py": CART.replace("qty=1", "count=1")})
    probe = (
        "import sys\nfrom docsync.main import main\n"
        f"code = main(['check', '-C', {str(repo.path)!r}, '--staged'])\n"
        "print('modules:', ' '.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=git_env(), check=False)
    loaded = set(result.stdout.rpartition("modules: ")[2].split())
    assert "docsync.checks.pull_request" in loaded, result.stderr  # a control: it did run the staged check
    assert "shop.cart.add_item" in result.stdout  # and reported the finding
    assert sorted(m for m in loaded if m.split(".")[0] in NOT_ON_THE_STAGED_PATH or m in NOT_ON_THE_STAGED_PATH) == []


def test_staged_ignores_unstaged_work(shop: tuple[Repo, str]) -> None:
    repo, _ = shop
    repo.write({"shop/cart.py": CART.replace("qty=1", "count=1")})  # not staged
    assert run(repo, "check", "--staged").code == 0


def test_staged_honours_git_index_file(shop: tuple[Repo, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`git commit -a` runs hooks with GIT_INDEX_FILE pointing at a temporary index."""
    repo, _ = shop
    index = tmp_path / "other-index"
    env = {**git_env(), "GIT_INDEX_FILE": str(index)}
    repo.write({"shop/cart.py": CART.replace("qty=1", "count=1")})
    subprocess.run(["git", "read-tree", "HEAD"], cwd=repo.path, env=env, check=True)
    subprocess.run(["git", "add", "shop/cart.py"], cwd=repo.path, env=env, check=True)
    assert run(repo, "check", "--staged").code == 0  # the real index has nothing staged
    monkeypatch.setenv("GIT_INDEX_FILE", str(index))
    assert run(repo, "check", "--staged").code == 1


def test_staged_on_the_first_commit(git_repo: Repo) -> None:
    git_repo.stage({"shop/cart.py": CART, "docs/guide.md": GUIDE})
    result = run(git_repo, "check", "--staged")
    assert result.code == 0, result


# --- whole-repository mode -----------------------------------------------------------------------


def test_whole_repository_finds_references_to_removed_symbols(shop: tuple[Repo, str]) -> None:
    """A name the project had (history says so) is `removed`; one it never had is only `unresolved` in `map`."""
    repo, _ = shop
    repo.commit({"shop/cart.py": CART + "\n\ndef remove_item(cart, item):\n    cart.remove(item)\n"}, "add remove_item")
    repo.commit({"shop/cart.py": CART}, "drop remove_item")
    repo.write({"docs/more.md": "# More\n\nSee `shop.cart.remove_item`, `shop.cart.never_was` and `os.path.join`.\n"})
    result = run(repo, "check", "--format", "json")
    assert result.code == 1
    assert json.loads(result.out)["head"] == "WORKTREE"
    assert findings(result.out) == [("docs/more.md", 3, "removed", "shop.cart.remove_item")]
    unresolved = json.loads(run(repo, "map", "--format", "json").out)["unresolved"]
    assert [u["text"] for u in unresolved] == ["`shop.cart.remove_item`", "`shop.cart.never_was`"]


def test_names_that_never_existed_are_reported_only_when_asked(shop: tuple[Repo, str]) -> None:
    repo, _ = shop
    repo.write({"docs/more.md": "# More\n\nSee `shop.cart.never_was`.\n"})
    assert findings(run(repo, "check", "--format", "json").out) == []
    repo.write({".docsync.yml": "unresolved: info\n"})
    data = json.loads(run(repo, "check", "--format", "json").out)
    assert [(f["line"], f["kind"], f["severity"]) for f in data["findings"]] == [(3, "removed", "info")]


def test_paths_limit_the_docs(shop: tuple[Repo, str]) -> None:
    repo, _ = shop
    repo.write({
        "docs/more.md": "`shop.cart.gone`\n", "README.md": "`shop.cart.also_gone`\n", ".docsync.yml": "unresolved: error\n",
    })  # fmt: skip
    result = run(repo, "check", "--format", "json", str(repo.path / "docs"))
    assert [f[0] for f in findings(result.out)] == ["docs/more.md"]


def test_fail_under(shop: tuple[Repo, str]) -> None:
    repo, _ = shop
    repo.write({
        "docs/more.md": "# M\n\n`shop.cart.gone` and `shop.cart.add_item` and `shop.cart.total`\n",
        ".docsync.yml": "unresolved: error\n",
    })  # fmt: skip
    assert run(repo, "check", "--format", "json", "--fail-under", "0").code == 1  # an error fails anyway
    repo.write({".docsync.yml": "unresolved: warning\n"})
    score = json.loads(run(repo, "check", "--format", "json").out)["score"]
    assert 0 < score < 100
    assert run(repo, "check", "--fail-under", str(int(score))).code == 0
    assert run(repo, "check", "--fail-under", str(int(score) + 1)).code == 1


DEPRECATED_TOTAL = (
    CART.replace(
        "def total(cart):\n",
        "def total(cart):\n    warnings.warn('total() is deprecated; use `shop.cart.add_up`', DeprecationWarning)\n",
    ).replace('"""Carts."""\n', '"""Carts."""\nimport warnings\n')
    + "\n\ndef add_up(cart):\n    return 0\n"
)


def test_a_deprecation_after_the_doc_was_written_is_reported_with_its_replacement(shop: tuple[Repo, str]) -> None:
    """Whole-repository mode: a warning (the doc teaches what the code now warns about); the pull request that
    deprecated it: an error; a doc section written after the deprecation, or one that says so: nothing."""
    repo, base = shop
    repo.commit({"shop/cart.py": DEPRECATED_TOTAL}, "deprecate total")
    data = json.loads(run(repo, "check", "--format", "json").out)
    assert [(f["line"], f["kind"], f["severity"], f["replacement"]) for f in data["findings"]] == [
        (10, "deprecated", "warning", "shop.cart.add_up")
    ]
    assert "total() is deprecated" in data["findings"][0]["message"]
    pull = json.loads(run(repo, "check", "--base", base, "--format", "json").out)
    assert [(f["kind"], f["severity"]) for f in pull["findings"]] == [("deprecated", "error")]
    repo.commit({"docs/new.md": "# New\n\nSee `shop.cart.total`.\n"}, "a doc written since")
    repo.commit({"docs/guide.md": GUIDE.replace("adds up", "(deprecated) adds up")}, "say so")
    assert findings(run(repo, "check", "--format", "json").out) == []


# --- the sample project's history -----------------------------------------------------------------


def test_sample_history(tmp_path: Path) -> None:
    shas = build(tmp_path / "shop")
    repo = tmp_path / "shop"
    result = run(repo, "check", "--base", shas[0], "--format", "json")
    got = {(doc, kind, symbol) for doc, _, kind, symbol in findings(result.out)}
    assert got == {
        ("README.md", "renamed", "shop.cart.remove_item"),
        ("docs/api.rst", "renamed", "shop.cart.remove_item"),
        ("docs/api.rst", "signature", "shop.cart.Cart.total"),  # it writes ``currency``, renamed
        ("docs/api.rst", "body", "shop.pricing.apply_discount"),  # coupled by a docsync marker
        ("docs/guide.md", "signature", "shop.cart.Cart.total"),  # a link to its lines: a coupling
        ("docs/guide.md", "example", "shop.cart.Cart.total"),  # the doctest passes `currency=`
    }
    # The README only calls `cart.total()`, which still works; the guide's discount section was rewritten after
    # the change: both fresh.
    # The reformat commit alone is never drift.
    assert findings(run(repo, "check", "--base", shas[0], "--head", shas[1], "--format", "json").out) == []


def test_line_anchors_follow_the_symbol_not_the_lines(shop: tuple[Repo, str]) -> None:
    """A link written as `cart.py#L9-L10` means `total` at the base; code added above it is not drift."""
    repo, _ = shop
    base = repo.commit({"docs/links.md": "# Links\n\n[total](../shop/cart.py#L9-L10)\n"})
    grown = CART.replace(
        "def add_item(cart, item, qty=1):", "def add_item(\n    cart,\n    item,\n    qty=1,\n    *,\n    note='',\n):"
    )
    repo.commit({"shop/cart.py": grown})
    got = findings(run(repo, "check", "--base", base, "--format", "json").out)
    assert ("docs/links.md", 3, "signature", "shop.cart.total") not in got
    assert [f for f in got if f[0] == "docs/links.md"] == []


def test_signature_finding_points_at_the_parameter_the_doc_mentions(shop: tuple[Repo, str]) -> None:
    repo, _ = shop
    doc = "# Adding\n\nCall `shop.cart.add_item` to fill a cart.\n\nPass ``qty`` to add several at once,\nfor example `qty=3`.\n"
    base = repo.commit({"docs/qty.md": doc})
    repo.commit({"shop/cart.py": CART.replace("qty=1", "count=1").replace("(item, qty)", "(item, count)")})
    data = json.loads(run(repo, "check", "--base", base, "--format", "json", "docs/qty.md").out)  # relative to -C
    assert [(f["line"], f["column"], f["kind"]) for f in data["findings"]] == [(5, 8, "signature")]
    assert "parameter `qty` renamed to `count`" in data["findings"][0]["message"]


def test_a_file_that_did_not_parse_at_the_base_is_named_with_its_commit(git_repo: Repo) -> None:
    """The line of a parse error in an old version need not exist today: the warning names the commit instead."""
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": "def add_item(:\n" + "\n" * 40 + "x = (\n"})
    git_repo.commit({"shop/cart.py": CART, "docs/guide.md": GUIDE})
    result = run(git_repo, "check", "--base", base)
    assert f"docsync: warning: shop/cart.py: could not parse this file at {base[:7]} (" in result.err, result.err
    assert "shop/cart.py:1:" not in result.err
    assert "shop/cart.py:42:" not in result.err


def test_an_api_page_of_a_deprecated_symbol_documents_it_on_purpose(shop: tuple[Repo, str]) -> None:
    """A page with the symbol's generated entry (autodoc here) shows its deprecation itself: its import of the
    symbol in an example is part of that entry, not a doc left behind."""
    repo, _ = shop
    api = "API\n===\n\n.. code-block:: python\n\n   from shop.cart import total\n\n.. autofunction:: shop.cart.total\n"
    repo.commit({"docs/api.rst": api, "docs/guide.md": "# Guide\n"}, "an API page")
    repo.commit({"shop/cart.py": DEPRECATED_TOTAL}, "deprecate total")
    assert findings(run(repo, "check", "--format", "json").out) == []
    api_without_entry = api.replace(".. autofunction:: shop.cart.total\n", "")
    repo.commit({"docs/api.rst": api_without_entry}, "drop the entry")
    # Without the entry, the example left behind teaches a deprecated function.
    assert findings(run(repo, "check", "--format", "json").out) == [
        ("docs/api.rst", 6, "deprecated", "shop.cart.total")
    ]


def test_a_module_in_python_2_is_evidence_of_its_names_and_nothing_more(git_repo: Repo) -> None:
    """Werkzeug removed its Python 2 `templates.py` while `templates.rst` still documented `Template`: the old
    version's names are read from its tokens. Porting it to Python 3 is no change docsync can claim."""
    py2 = 'class Template(object):\n    def render(self, **context):\n        print "rendering"\n'
    doc = "Templates\n=========\n\n.. module:: shop.templates\n\n.. autoclass:: Template\n"
    marker = "# Render\n\n<!-- docsync: shop.templates.Template.render -->\nIt prints.\n"
    base = git_repo.commit({"shop/__init__.py": "", "shop/templates.py": py2, "docs/t.rst": doc, "docs/m.md": marker})
    git_repo.commit({"shop/templates.py": py2.replace('print "rendering"', 'print("rendering")')}, "port to 3")
    assert findings(run(git_repo, "check", "--base", base, "--format", "json").out) == []
    git_repo.commit({"shop/templates.py": None}, "remove templates")
    assert findings(run(git_repo, "check", "--base", base, "--format", "json").out) == [
        ("docs/m.md", 3, "removed", "shop.templates.Template.render"),
        ("docs/t.rst", 4, "removed", "shop.templates"),
        ("docs/t.rst", 6, "removed", "shop.templates.Template"),
    ]


def test_a_class_deprecated_in_its_constructor_is_found_by_history(git_repo: Repo) -> None:
    """The warning is in `__init__`, a member: the class's own fingerprint must still tell history it changed."""
    code = "class Cart:\n    def __init__(self):\n        self.items = []\n"
    warned = code.replace(
        "    def __init__(self):\n",
        "    def __init__(self):\n        warnings.warn('Cart is deprecated, use Basket', DeprecationWarning)\n",
    )
    warned = "import warnings\n\n\n" + warned + "\n\nclass Basket:\n    pass\n"
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": code, "docs/a.md": "# A\n\nMake a `shop.cart.Cart`.\n"})
    git_repo.commit({"shop/cart.py": warned}, "deprecate Cart")
    data = json.loads(run(git_repo, "check", "--format", "json").out)
    assert [(f["line"], f["kind"], f["replacement"]) for f in data["findings"]] == [
        (3, "deprecated", "shop.cart.Basket")
    ]
