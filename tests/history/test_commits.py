"""Tests for history/commits.py: which commit of a pull request's range made a change (a finding's `commit`)."""

from __future__ import annotations

import pytest

from docsync.history.commits import CommitFinder
from docsync.models import Change, Kind
from docsync.symbols.table import SymbolTable
from docsync.workspace import Workspace, open_workspace
from tests.conftest import Repo
from tests.history.conftest import spy

CART = (
    'def add_item(cart, item, qty=1):\n    """Add an item."""\n    cart.append((item, qty))\n'
    "\n\ndef total(cart):\n    return len(cart)\n"
    "\n\ndef clear(cart):\n    cart.clear()\n"
)
# The commits after the base, in order, each editing shop/cart.py (edits accumulate).
STEPS = {
    "total-body": [("len(cart)", "sum(1 for _ in cart)")],
    "add-signature": [("qty=1", "qty=2")],
    "clear-removed": [("\n\ndef clear(cart):\n    cart.clear()\n", "")],
    "add-body": [("cart.append((item, qty))", "cart.extend([item] * qty)")],
    "add-signature-again": [("qty=2", "qty=3"), ("Add an item.", "Add items.")],
}


@pytest.fixture
def commits(git_repo: Repo) -> dict[str, str]:
    made = {"base": git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART}, "base", day=1)}
    git_repo.git("checkout", "-q", "-b", "feature")
    source = CART
    for name, edits in STEPS.items():
        for old, new in edits:
            assert old in source
            source = source.replace(old, new)
        made[name] = git_repo.commit({"shop/cart.py": source}, name)
    made["readme"] = git_repo.commit({"README.md": "# Shop\n"}, "unrelated")
    return made


def tables(workspace: Workspace, commits: dict[str, str]) -> tuple[SymbolTable, SymbolTable]:
    loader = workspace.loader
    return loader.table(loader.snapshot(commits["base"])), loader.table(loader.snapshot(commits["readme"]))


@pytest.mark.parametrize(
    ("qualname", "kind", "new_qualname", "expected"),
    [
        pytest.param("shop.cart.clear", Kind.REMOVED, None, "clear-removed", id="removed"),
        pytest.param("shop.cart.clear", Kind.RENAMED, "shop.cart.empty", "clear-removed", id="renamed"),
        pytest.param("shop.cart.add_item", Kind.SIGNATURE, "shop.cart.add_item", "add-signature-again",
                     id="the-last-signature-change"),
        pytest.param("shop.cart.add_item", Kind.BODY, "shop.cart.add_item", "add-body", id="the-last-body-change"),
        pytest.param("shop.cart.add_item", Kind.DOCSTRING, "shop.cart.add_item", "add-signature-again",
                     id="the-last-docstring-change"),
        pytest.param("shop.cart.total", Kind.BODY, "shop.cart.total", "total-body", id="another-symbol"),
        pytest.param("shop.cart.total", Kind.SIGNATURE, "shop.cart.total", None, id="a-part-that-never-changed"),
        pytest.param("shop.cart.add_item", Kind.SIGNATURE, None, None, id="no-new-symbol"),
    ],
)  # fmt: skip
def test_commit_of(
    git_repo: Repo, commits: dict[str, str], qualname: str, kind: Kind, new_qualname: str | None, expected: str | None
) -> None:
    with open_workspace(git_repo.path) as workspace:
        base, head = tables(workspace, commits)
        finder = CommitFinder(workspace.repo, workspace.loader, commits["base"], commits["readme"])
        found = finder.commit_of(Change(qualname, kind, new_qualname, None, ""), base, head)
    assert found == (commits[expected] if expected else None)


def test_each_file_s_history_is_read_once(
    git_repo: Repo, commits: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_workspace(git_repo.path) as workspace:
        histories = spy(monkeypatch, workspace.repo, "file_history")
        base, head = tables(workspace, commits)
        finder = CommitFinder(workspace.repo, workspace.loader, commits["base"], commits["readme"])
        found = [
            finder.commit_of(Change("shop.cart.clear", Kind.REMOVED, None, None, ""), base, head),
            finder.commit_of(Change("shop.cart.add_item", Kind.BODY, "shop.cart.add_item", None, ""), base, head),
        ]
    assert found == [commits["clear-removed"], commits["add-body"]]
    assert histories == [(commits["base"], commits["readme"], "shop/cart.py")]


def test_only_the_range_counts(git_repo: Repo, commits: dict[str, str]) -> None:
    """A change made before the base is not the range's: from `add-signature` on, only the second one is seen."""
    with open_workspace(git_repo.path) as workspace:
        loader = workspace.loader
        base = loader.table(loader.snapshot(commits["add-signature"]))
        head = loader.table(loader.snapshot(commits["readme"]))
        finder = CommitFinder(workspace.repo, loader, commits["add-signature"], commits["readme"])
        signature = Change("shop.cart.add_item", Kind.SIGNATURE, "shop.cart.add_item", None, "")
        assert finder.commit_of(signature, base, head) == commits["add-signature-again"]
        total = Change("shop.cart.total", Kind.BODY, "shop.cart.total", None, "")
        assert finder.commit_of(total, base, head) is None
