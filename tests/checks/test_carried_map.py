"""A map after a change resolves again only the docs the change can reach, and must equal a map of every doc.

Each scenario (the pull-request scenarios, on the same small project) maps the base commit's work tree (which keeps
its map), commits or only writes the change, and maps again: once with no cache (every doc resolved, the reference)
and once from the kept map. The two maps must be equal reference for reference (the full names of unresolved
member-list items too), and the second must resolve again only the docs the change can touch.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from docsync.checks.carried_map import NAMESPACE, Mapped, map_carried
from docsync.loader import WORKTREE
from docsync.workspace import open_workspace
from tests.checks.test_carried import _seeing, apply_change
from tests.checks.test_pull_request import BASE, CART, SCENARIOS
from tests.conftest import Repo, run


def mapped(repo: Repo, cache: bool = True, rev: str | None = None) -> Mapped:
    with open_workspace(repo.path, use_cache=cache) as workspace:
        label = workspace.repo.resolve(rev) if rev else WORKTREE
        return map_carried(workspace, label if rev else None, workspace.loader.snapshot(label))


@pytest.mark.parametrize("committed", [True, False], ids=["committed", "in the work tree"])
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_a_map_after_a_change_equals_a_map_of_every_doc(git_repo: Repo, name: str, committed: bool) -> None:
    base = git_repo.commit(dict(BASE), "initial")
    first = mapped(git_repo)
    assert first.carried_from is None
    assert first.doc_map.references  # the project's docs do name its code
    change, may_touch = SCENARIOS[name]
    apply_change(git_repo, change, name, committed)
    full = mapped(git_repo, cache=False)
    carried = mapped(git_repo)
    assert carried.doc_map == full.doc_map, name
    if name == "a new top-level package":  # a change it cannot bound
        assert carried.carried_from is None
        return
    assert carried.carried_from == base
    changed_docs = {path for path in change if path.endswith(".md")}
    assert set(carried.resolved) <= may_touch | changed_docs | _seeing(git_repo, base, change), name
    assert len(carried.resolved) < len(full.resolved)


def test_maps_carry_along_a_line_of_commits(git_repo: Repo) -> None:
    """Each map is kept for the next: the second change's map comes from the first change's, whose untouched
    docs were themselves carried from the base's (stored once, where first resolved)."""
    git_repo.commit(dict(BASE), "initial")
    mapped(git_repo)
    steps = [
        {"shop/cart.py": CART.replace("def add_item", "def add_items")},
        {"docs/prose.md": "Now about `shop.cart.Cart.total`.\n"},
        {"shop/cart.py": CART.replace("def clear", "def empty")},
    ]
    for step in steps:
        commit = git_repo.commit(step, "step")
        previous = git_repo.git("rev-parse", f"{commit}~1")
        carried = mapped(git_repo)
        assert carried.carried_from == previous
        assert carried.doc_map == mapped(git_repo, cache=False).doc_map
    assert mapped(git_repo, rev="HEAD~1").carried_from is not None  # a commit's map reads kept maps too


def test_an_unresolved_member_list_item_is_carried_with_its_full_name(git_repo: Repo) -> None:
    box = "class Box:\n    def open(self):\n        pass\n\n    def close(self):\n        pass\n\n    def fill(self):\n        pass\n"
    listing = "A box has:\n\n- `open()`: opens.\n- `close()`: closes.\n- `fill()`: fills.\n- `seal()`: seals.\n"
    git_repo.commit({"shop/__init__.py": "", "shop/box.py": box, "shop/other.py": "def one():\n    pass\n"})
    git_repo.commit({"docs/box.md": listing, "docs/other.md": "See `shop.other.one`.\n"})
    mapped(git_repo)
    git_repo.commit({"shop/other.py": "def two():\n    pass\n"})
    carried, full = mapped(git_repo), mapped(git_repo, cache=False)
    assert carried.resolved == ("docs/other.md",)
    assert carried.doc_map == full.doc_map
    assert [r.name for r in carried.doc_map.unresolved if r.doc == "docs/box.md"] == ["shop.box.Box.seal"]


def test_a_member_list_is_resolved_again_when_its_class_changes_unseen(git_repo: Repo) -> None:
    """An item no member of the list's class names is unresolved unless the constructor takes it (a form's
    fields): a new constructor parameter changes that, though no symbol the doc resolved to changed."""
    box = "class Box:\n    def open(self):\n        pass\n\n    def close(self):\n        pass\n\n    def fill(self):\n        pass\n"
    listing = "A box has:\n\n- `open()`: opens.\n- `close()`: closes.\n- `fill()`: fills.\n- `seal`: seals.\n"
    git_repo.commit({"shop/__init__.py": "", "shop/box.py": box, "docs/box.md": listing})
    assert [r.name for r in mapped(git_repo).doc_map.unresolved] == ["shop.box.Box.seal"]
    git_repo.commit({"shop/box.py": box + "\n    def __init__(self, seal=None):\n        pass\n"})
    carried, full = mapped(git_repo), mapped(git_repo, cache=False)
    assert not full.doc_map.unresolved
    assert carried.doc_map == full.doc_map


@pytest.mark.parametrize("spoilt", ["one too few", "an unknown code"])
def test_kept_outcomes_of_another_layout_are_resolved_again(git_repo: Repo, spoilt: str) -> None:
    git_repo.commit(dict(BASE), "initial")
    mapped(git_repo)
    git_repo.commit({"shop/util.py": None})
    database = git_repo.path / ".git" / "docsync" / "cache.sqlite3"
    with sqlite3.connect(database) as db:
        query = "SELECT key, value FROM entries WHERE ns = ? AND key LIKE ?"
        (key, value), *_ = db.execute(query, (NAMESPACE, "%:docs/total.md")).fetchall()
        outcomes = json.loads(value)
        assert outcomes
        kept = outcomes[:-1] if spoilt == "one too few" else [*outcomes[:-1], 7]
        db.execute("UPDATE entries SET value = ? WHERE ns = ? AND key = ?", (json.dumps(kept), NAMESPACE, key))
    carried = mapped(git_repo)
    assert carried.carried_from is not None
    assert "docs/total.md" in carried.resolved
    assert carried.doc_map == mapped(git_repo, cache=False).doc_map


def test_the_map_command_says_what_it_carried(git_repo: Repo) -> None:
    git_repo.commit(dict(BASE), "initial")
    base = git_repo.git("rev-parse", "HEAD")
    assert run(git_repo, "map").code == 0
    git_repo.commit({"docs/prose.md": "Now about `shop.cart.Cart.total`.\n"})
    result = run(git_repo, "map", "--format", "json", "--verbose")
    assert f"1 docs resolved again, the others as mapped at {base[:10]}" in result.err
    assert "docs/prose.md" in {r["doc"] for r in json.loads(result.out)["references"]}
