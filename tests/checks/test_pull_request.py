"""A pull-request check reads only the docs a change can touch, and must report exactly what a full check reports.

Each scenario commits a change on top of the same small project, checks it once reading every doc (no cache:
the reference) and twice proportionally (the first run fills the cache, the second is the warm one a PR gets
after the main branch was checked), and compares the three reports and which docs the warm run read.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from docsync.checks import pull_request
from docsync.checks.pull_request import check_change, check_change_fully
from docsync.loader import Loader
from docsync.models import Report
from docsync.workspace import open_workspace
from tests.conftest import Repo

INIT = "from shop.cart import Cart, add_item\n"
CART = '''\
"""Carts."""


def add_item(cart, item, qty=1):
    """Add an item."""
    cart.append((item, qty))


class Cart:
    """A cart."""

    def total(self, discount=0):
        """The total."""
        return 0

    def clear(self):
        """Empty it."""
'''
SPECIAL = '''\
from shop.cart import Cart


class SpecialCart(Cart):
    """A cart with a ribbon."""
'''
UTIL = '''\
def helper(value):
    """Help."""
    return value
'''
DOCS = {
    "docs/export.md": "Call `shop.add_item` to add.\n",
    "docs/total.md": "Use `shop.cart.Cart.total` for the sum; `discount=0` by default takes nothing off.\n",
    "docs/special.md": "`shop.special.SpecialCart.clear` empties it.\n",
    "docs/example.md": "```python\nfrom shop.cart import add_item\nadd_item([], 'pen', qty=2)\n```\n",
    "docs/util.md": "See `shop.util.helper`.\n",
    "docs/link.md": "The [helpers](../shop/util.py) file.\n",
    "docs/prose.md": "Nothing about code here, only `pip install shop`.\n",
    "docs/missing.md": "`shop.cart.checkout` is coming.\n",
    "docs/tour.md": '```python\n--8<-- "examples/tour.py"\n```\n',
}
TOUR = "from shop.cart import add_item\n\nadd_item([], 'pen', qty=2)\n"  # an example file docs/tour.md includes
BASE = {
    "shop/__init__.py": INIT, "shop/cart.py": CART, "shop/special.py": SPECIAL, "shop/util.py": UTIL,
    "examples/tour.py": TOUR, **DOCS,
}  # fmt: skip

# (change, docs the warm proportional run may not skip: every doc the change can touch)
SCENARIOS: dict[str, tuple[Mapping[str, str | None], set[str]]] = {
    "rename a function": (
        {"shop/cart.py": CART.replace("def add_item", "def add_items"), "shop/__init__.py": INIT + "add_items = 1\n"},
        {"docs/export.md", "docs/example.md", "examples/tour.py"},
    ),
    "change a method's signature": (
        {"shop/cart.py": CART.replace("discount=0", "discount")},
        {"docs/total.md"},
    ),
    "remove a function (and the file a doc links to)": (
        {"shop/util.py": None},
        {"docs/util.md", "docs/link.md"},
    ),
    "stop re-exporting": (
        {"shop/__init__.py": "from shop.cart import Cart\n"},
        {"docs/export.md", "docs/example.md", "examples/tour.py"},  # it names add_item: it may be touched
    ),
    "change a class's bases": (
        {"shop/special.py": SPECIAL.replace("SpecialCart(Cart)", "SpecialCart")},
        {"docs/special.md", "docs/total.md"},  # any doc naming a member SpecialCart inherited may be touched
    ),
    "remove an inherited method": (
        {"shop/cart.py": CART.replace('    def clear(self):\n        """Empty it."""\n', "")},
        {"docs/special.md"},
    ),
    "add what a doc was missing": (
        {"shop/cart.py": CART + "\n\ndef checkout(cart):\n    return cart\n"},
        {"docs/missing.md"},
    ),
    "edit a doc only": (
        {"docs/prose.md": "Now about `shop.cart.Cart.total`.\n"},
        {"docs/prose.md"},
    ),
    "format code only": (
        {"shop/cart.py": CART.replace("qty=1", "qty = 1").replace('"""Carts."""', "# carts\n")},
        set(),
    ),
    "a new top-level package": (
        {"extra/__init__.py": "def add_item():\n    pass\n"},
        {*DOCS, "examples/tour.py"},
    ),
    "rename a parameter an included example passes": (
        {"shop/cart.py": CART.replace("qty=1", "count=1").replace("qty)", "count)")},
        {"docs/export.md", "docs/example.md", "examples/tour.py"},
    ),
    "edit an included example": (
        {"examples/tour.py": TOUR.replace("qty=2", "quantity=2")},
        {"examples/tour.py"},
    ),
}


@pytest.fixture
def project(git_repo: Repo) -> tuple[Repo, str]:
    base = git_repo.commit(dict(BASE), "initial")
    git_repo.git("checkout", "-q", "-b", "topic")
    return git_repo, base


def check(repo: Repo, base: str, proportional: bool, staged: bool = False, cache: bool = True) -> Report:
    with open_workspace(repo.path, use_cache=cache) as workspace:
        check_with = check_change if proportional else check_change_fully
        return check_with(workspace, base, None, staged, ()).report


def warm_up(repo: Repo, base: str) -> None:
    """What the main branch's own check leaves in the shared cache: the base's resolutions."""
    with open_workspace(repo.path) as workspace:
        check_change(workspace, base, base, False, ())


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_proportional_check_reports_what_a_full_check_reports(
    project: tuple[Repo, str], docs_read: set[str], name: str
) -> None:
    repo, base = project
    change, may_touch = SCENARIOS[name]
    repo.commit(dict(change), name)
    full = check(repo, base, proportional=False, cache=False)
    assert full.docs, "the scenario must have docs to score"
    warm_up(repo, base)
    docs_read.clear()
    assert check(repo, base, proportional=True) == full
    assert docs_read <= may_touch | {p for p in change if p.endswith(".md")}, name
    assert check(repo, base, proportional=True) == full  # its own cache entries change nothing


def test_the_scenarios_do_drift(project: tuple[Repo, str]) -> None:
    """A control: equal reports prove little if every scenario were fresh."""
    repo, base = project
    kinds = set()
    for name, (change, _) in SCENARIOS.items():
        repo.git("checkout", "-q", "-B", "topic", base)
        repo.commit(dict(change), name)
        kinds.update(f.kind.value for f in check(repo, base, proportional=False, cache=False).findings)
    assert {"renamed", "removed", "signature"} <= kinds


def test_a_change_that_keeps_every_name_reads_the_base_table_from_its_rows(
    project: tuple[Repo, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A changed signature or body leaves each file's names as they were: the base's table is read from the rows
    the main branch's check kept (no table is assembled), and the report is the full check's."""
    repo, base = project
    repo.commit({"shop/cart.py": CART.replace("discount=0", "discount")})
    full = check(repo, base, proportional=False, cache=False)
    assert [f.doc for f in full.findings] == ["docs/total.md"]
    warm_up(repo, base)
    monkeypatch.setattr(Loader, "keep_table", lambda *_: pytest.fail("the base's table was assembled"))
    assert check(repo, base, proportional=True) == full
    # That check kept its head (HEAD) as a pointer to the base's rows: a staged body edit on HEAD reads them too.
    repo.stage({"shop/util.py": UTIL.replace("return value", "return value * 2")})
    assert check(repo, "HEAD", proportional=True, staged=True).findings == ()


@pytest.mark.parametrize("name", [name for name in SCENARIOS if name != "a new top-level package"])
def test_a_change_that_renames_reads_the_head_over_the_bases_rows(
    project: tuple[Repo, str], monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Whatever the change does to names (but a new top-level package, which changes what every import means), the
    head's table is the base's rows with an overlay (`table_delta`): neither table is assembled, and the report is
    the full check's."""
    repo, base = project
    repo.commit(dict(SCENARIOS[name][0]), name)
    full = check(repo, base, proportional=False, cache=False)
    warm_up(repo, base)
    monkeypatch.setattr(Loader, "keep_table", lambda *_: pytest.fail("a table was assembled"))
    assert check(repo, base, proportional=True) == full


def test_a_quiet_staged_check_leaves_the_next_commits_check_its_rows(
    project: tuple[Repo, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pre-commit check that judged a body edit no doc uses built no table; committed, the next pre-commit check
    (a signature change a doc uses) starts from that commit, whose table is read from the rows it pointed to."""
    repo, _ = project
    repo.commit({"shop/extra.py": "def unused():\n    return 1\n"})
    warm_up(repo, "HEAD")
    repo.stage({"shop/extra.py": "def unused():\n    return 2\n"})
    with open_workspace(repo.path) as workspace:
        assert check_change(workspace, "HEAD", None, True, ()).table is None, "judged without a table"
    repo.git("commit", "-q", "-m", "quiet")
    repo.stage({"shop/cart.py": CART.replace("discount=0", "discount")})
    full = check(repo, "HEAD", proportional=False, staged=True, cache=False)
    assert [f.doc for f in full.findings] == ["docs/total.md"]
    monkeypatch.setattr(Loader, "keep_table", lambda *_: pytest.fail("the base's table was assembled"))
    assert check(repo, "HEAD", proportional=True, staged=True) == full


@pytest.mark.parametrize("names_kept", [True, False])
def test_a_commit_no_check_saw_reads_its_base_from_its_parents_rows(
    project: tuple[Repo, str], monkeypatch: pytest.MonkeyPatch, docs_read: set[str], names_kept: bool
) -> None:
    """A commit made without a docsync run (`--no-verify`, a pull) after one whose table is kept as rows: when it left
    every file's names as they were, the next pre-commit check reads its base from the parent's rows, and the docs'
    resolutions there (only the doc the staged change touches is read); when it added a name, the base is
    assembled. The report is the same either way."""
    repo, _ = project
    repo.commit({"shop/extra.py": "def unused():\n    return 1\n"})
    warm_up(repo, "HEAD")
    added = "" if names_kept else "\n\ndef more():\n    return 3\n"
    repo.commit({"shop/extra.py": "def unused():\n    return 2\n" + added}, "no check ran")
    repo.stage({"shop/cart.py": CART.replace("discount=0", "discount")})
    full = check(repo, "HEAD", proportional=False, staged=True, cache=False)
    assert [f.doc for f in full.findings] == ["docs/total.md"]
    _the_check_of_the_staged_change_is_the_full_one(repo, monkeypatch, docs_read, full, names_kept)


def test_a_commit_no_check_saw_that_changed_what_a_doc_uses_shares_no_resolution_of_it(
    project: tuple[Repo, str], monkeypatch: pytest.MonkeyPatch, docs_read: set[str]
) -> None:
    """The commit (no check saw it) changed a signature a doc resolves to: the base reads its parent's rows (the same
    names), but that doc's resolution is not taken from the parent: it is resolved again."""
    repo, _ = project
    warm_up(repo, "HEAD")
    repo.commit({"shop/cart.py": CART.replace("discount=0", "discount=1")}, "no check ran")
    repo.stage({"shop/util.py": "def helper(x):\n    return x\n"})
    full = check(repo, "HEAD", proportional=False, staged=True, cache=False)
    resolved: list[str] = []
    parents = pull_request._parents_resolutions
    monkeypatch.setattr(
        pull_request, "_parents_resolutions", lambda *args: resolved.extend(found := parents(*args)) or found
    )
    _the_check_of_the_staged_change_is_the_full_one(repo, monkeypatch, docs_read, full, True, check_read=False)
    assert resolved, "the other docs' resolutions were shared"
    assert "docs/total.md" not in resolved


def _the_check_of_the_staged_change_is_the_full_one(
    repo: Repo,
    monkeypatch: pytest.MonkeyPatch,
    docs_read: set[str],
    full: Report,
    names_kept: bool,
    check_read: bool = True,
) -> None:
    assembled: list[str] = []
    keep_table = Loader.keep_table
    monkeypatch.setattr(Loader, "keep_table", lambda self, s: assembled.append(s.label) or keep_table(self, s))
    docs_read.clear()
    assert check(repo, "HEAD", proportional=True, staged=True) == full
    assert (assembled == []) is names_kept
    if names_kept and check_read:
        assert docs_read == {"docs/total.md"}


def test_a_cold_cache_reads_every_doc(project: tuple[Repo, str], docs_read: set[str]) -> None:
    repo, base = project
    repo.commit({"shop/cart.py": CART.replace("discount=0", "discount")})
    report = check(repo, base, proportional=True)
    assert docs_read >= set(DOCS)  # nothing known about the base yet: every doc may be touched
    assert report == check(repo, base, proportional=False, cache=False)


def test_staged_check_is_proportional_too(project: tuple[Repo, str], docs_read: set[str]) -> None:
    repo, base = project
    warm_up(repo, base)
    repo.stage({"shop/cart.py": CART.replace("discount=0", "discount")})
    docs_read.clear()
    report = check(repo, "HEAD", proportional=True, staged=True)
    assert docs_read == {"docs/total.md"}
    assert [f.doc for f in report.findings] == ["docs/total.md"]
    assert report == check(repo, "HEAD", proportional=False, staged=True, cache=False)


def test_a_shared_cache_serves_another_clone(
    project: tuple[Repo, str], tmp_path: Path, docs_read: set[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache is keyed by content, so the main branch's cache makes a fresh clone's PR check warm."""
    repo, base = project
    repo.commit({"shop/cart.py": CART.replace("discount=0", "discount")})
    # Shared through the environment: a repository's own cache-dir may not point outside it (issue 13).
    monkeypatch.setenv("DOCSYNC_CACHE_DIR", str(tmp_path / "shared-cache"))
    repo.git("clone", "-q", str(repo.path), str(tmp_path / "clone"))
    clone = Repo(tmp_path / "clone")
    clone.git("checkout", "-q", base)
    warm_up(clone, base)
    clone.git("checkout", "-q", "topic")
    repo.git("clone", "-q", str(repo.path), str(tmp_path / "other"))
    other = Repo(tmp_path / "other")
    other.git("checkout", "-q", "topic")
    docs_read.clear()
    report = check(other, base, proportional=True)
    assert docs_read == {"docs/total.md"}
    assert report == check(repo, base, proportional=False, cache=False)


def test_an_included_example_a_change_breaks_is_reported_where_it_breaks(project: tuple[Repo, str]) -> None:
    repo, base = project
    repo.commit({"shop/cart.py": CART.replace("qty=1", "count=1").replace("qty)", "count)")})
    report = check(repo, base, proportional=True)
    assert [(f.doc, f.line, f.kind.value) for f in report.findings if f.doc == "examples/tour.py"] == [
        ("examples/tour.py", 3, "example")
    ]
