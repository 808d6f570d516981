"""Tests for history/staleness.py: references gone stale by git history (blame) or against accepted fingerprints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pytest

from docsync.findings import section_bounds
from docsync.gitrepo import WORKTREE
from docsync.history.log import History
from docsync.history.staleness import DAY, days_stale, stale_by_history, stale_by_lock
from docsync.models import Fingerprint, Kind, Reference, Staleness
from docsync.resolve import resolve_references
from docsync.workspace import open_workspace
from tests.conftest import Repo
from tests.history.conftest import time_of

CART = (
    'def add_item(cart, item, qty=1):\n    """Add an item."""\n    cart.append((item, qty))\n'
    "\n\ndef total(cart):\n    return len(cart)\n"
)
GUIDE = "# Guide\n\n## Adding\n\nCall `shop.cart.add_item` to fill a cart.\n\n## Totals\n\n`shop.cart.total` counts.\n"
SIGNATURE = CART.replace("qty=1", "qty=2")
BODY = CART.replace("cart.append((item, qty))", "cart.extend([item] * qty)")
DOCSTRING = CART.replace("Add an item.", "Add an item to the cart.")


@dataclass(frozen=True)
class Stale:
    """What the tests compare of a Staleness: where, which symbol, how it changed, since which commit."""

    doc: str
    line: int
    symbol: str
    kind: Kind
    commit: str | None
    since: int | None
    days: float
    commits: int


def stale(found: list[Staleness]) -> list[Stale]:
    return [
        Stale(s.reference.doc, s.reference.line, s.change.qualname, s.change.kind, s.change.commit, s.since, s.days,
              s.commits)
        for s in found
    ]  # fmt: skip


def judge(repo: Repo, accepted: Mapping[str, Mapping[str, Fingerprint]] | None = None) -> list[Staleness]:
    """Judge the work tree's docs as whole-repository mode does: history up to HEAD, blame of the work tree;
    against `accepted` fingerprints instead, when given."""
    with open_workspace(repo.path) as workspace:
        loader = workspace.loader
        snapshot = loader.snapshot(WORKTREE)
        table = loader.table(snapshot)
        scans = workspace.docs.scans(snapshot, workspace.docs.paths(snapshot))
        references = resolve_references((r for scan in scans.values() for r in scan.references), table).references
        code = {table.symbols[r.symbol].path for r in references if r.symbol}
        history = History(workspace.repo, workspace.versions, "HEAD", [*code, *scans])
        if accepted is not None:
            return stale_by_lock(references, accepted, table, history)

        def section_of(reference: Reference) -> tuple[int, int]:
            return section_bounds(scans[reference.doc].headings, reference.line)

        return stale_by_history(references, table, history, section_of)


@pytest.fixture
def shop(git_repo: Repo) -> Repo:
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE}, "create", day=1)
    return git_repo


def days(repo: Repo, since: str) -> float:
    return (time_of(repo, "HEAD") - time_of(repo, since)) / DAY


# -- stale_by_history --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "kind"), [(SIGNATURE, Kind.SIGNATURE), (BODY, Kind.BODY), (DOCSTRING, Kind.DOCSTRING)]
)
def test_a_change_after_the_section_was_written_is_stale(shop: Repo, source: str, kind: Kind) -> None:
    change = shop.commit({"shop/cart.py": source}, "change add_item", day=10)
    shop.commit({"README.md": "# Shop\n"}, "unrelated", day=40)
    assert stale(judge(shop)) == [
        Stale("docs/guide.md", 5, "shop.cart.add_item", kind, change, time_of(shop, change), 30.0, 1)
    ]


def test_the_first_change_after_the_section_is_named(shop: Repo) -> None:
    first = shop.commit({"shop/cart.py": BODY}, "body", day=10)
    shop.commit({"shop/cart.py": BODY.replace("qty=1", "qty=2")}, "signature", day=20)
    shop.commit({"shop/cart.py": BODY.replace("qty=1", "qty=3")}, "signature again", day=30)
    assert stale(judge(shop)) == [
        Stale("docs/guide.md", 5, "shop.cart.add_item", Kind.SIGNATURE, first, time_of(shop, first), 20.0, 2)
    ]


@pytest.mark.parametrize(
    ("later", "expected_line"),
    [
        pytest.param({"docs/guide.md": GUIDE.replace("to fill a cart.", "to fill a cart, two by default.")}, None,
                     id="the-section-was-edited-after"),
        pytest.param({"docs/guide.md": GUIDE.replace("counts.", "counts the items.")}, 5,
                     id="another-section-was-edited-after"),
        pytest.param({"docs/guide.md": GUIDE.replace("# Guide", "# The guide")}, 5,
                     id="the-title-section-was-edited-after"),
        pytest.param({"README.md": "# Shop\n"}, 5, id="nothing-the-doc-says"),
    ],
)  # fmt: skip
def test_an_edit_of_the_section_after_the_change_makes_it_fresh(
    shop: Repo, later: dict[str, str], expected_line: int | None
) -> None:
    change = shop.commit({"shop/cart.py": SIGNATURE}, "signature", day=10)
    shop.commit(later, "later", day=11)
    found = [(s.line, s.commit) for s in stale(judge(shop))]
    assert found == ([(expected_line, change)] if expected_line else [])


def test_an_unchanged_symbol_is_fresh(shop: Repo) -> None:
    shop.commit({"shop/cart.py": CART + "\n\ndef clear(cart):\n    cart.clear()\n"}, "another function", day=10)
    assert judge(shop) == []


def test_a_symbol_younger_than_the_section_is_fresh(shop: Repo) -> None:
    # The section names `shop.cart.clear` before it exists; it is then added and changed.
    shop.commit({"docs/guide.md": GUIDE.replace("`shop.cart.total` counts.", "`shop.cart.clear` empties.")}, day=2)
    shop.commit({"shop/cart.py": CART + "\n\ndef clear(cart):\n    cart.clear()\n"}, "add clear", day=10)
    shop.commit({"shop/cart.py": CART + "\n\ndef clear(cart, keep=0):\n    cart.clear()\n"}, "change clear", day=20)
    assert judge(shop) == []


def test_a_doc_written_after_the_change_is_fresh(git_repo: Repo) -> None:
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART}, "code", day=1)
    git_repo.commit({"shop/cart.py": SIGNATURE}, "signature", day=10)
    git_repo.commit({"docs/guide.md": GUIDE}, "the guide", day=20)
    assert judge(git_repo) == []


def test_an_uncommitted_doc_is_fresh(git_repo: Repo) -> None:
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART}, "code", day=1)
    git_repo.commit({"shop/cart.py": SIGNATURE}, "signature", day=10)
    git_repo.write({"docs/guide.md": GUIDE})  # in the work tree only
    assert judge(git_repo) == []
    git_repo.commit({}, "the guide, committed on day 20", day=20)
    assert git_repo.git("ls-files", "docs/guide.md") == "docs/guide.md"
    assert judge(git_repo) == [], "written after the change"


def test_an_uncommitted_edit_of_the_section_makes_it_fresh(shop: Repo) -> None:
    shop.commit({"shop/cart.py": SIGNATURE}, "signature", day=10)
    assert [s.reference.line for s in judge(shop)] == [5]
    shop.write({"docs/guide.md": GUIDE.replace("to fill a cart.", "to fill a cart (two by default).")})
    assert judge(shop) == []


# -- stale_by_lock -------------------------------------------------------------------------------------------------


def accepted_at(repo: Repo, commit: str, names: list[str]) -> dict[str, dict[str, Fingerprint]]:
    """The guide accepted with these symbols as `commit` had them (what `docsync accept` writes)."""
    with open_workspace(repo.path) as workspace:
        table = workspace.loader.table(workspace.loader.snapshot(workspace.repo.resolve(commit)))
        return {"docs/guide.md": {name: table.symbols[name].fingerprint for name in names}}


def test_a_symbol_no_longer_matching_its_accepted_fingerprint_is_stale(shop: Repo) -> None:
    accepted = accepted_at(shop, "HEAD", ["shop.cart.add_item", "shop.cart.total"])
    shop.commit({"shop/cart.py": BODY}, "body", day=10)
    change = shop.commit({"shop/cart.py": BODY.replace("qty=1", "qty=2")}, "signature", day=20)
    shop.commit({"README.md": "# Shop\n"}, "unrelated", day=50)
    found = judge(shop, accepted)
    # Judged against the fingerprint accepted, not against history: the body changed on day 10 already.
    since = time_of(shop, shop.git("rev-parse", "HEAD~2"))
    assert stale(found) == [
        Stale("docs/guide.md", 5, "shop.cart.add_item", Kind.SIGNATURE, shop.git("rev-parse", "HEAD~2"), since,
              40.0, 2)
    ]  # fmt: skip
    assert [s.accepted for s in found] == [True]
    assert change != found[0].change.commit


def test_a_symbol_matching_its_accepted_fingerprint_is_fresh(shop: Repo) -> None:
    shop.commit({"shop/cart.py": SIGNATURE}, "signature", day=10)
    assert judge(shop, accepted_at(shop, "HEAD", ["shop.cart.add_item", "shop.cart.total"])) == []


def test_only_what_was_accepted_is_judged_by_the_lock(shop: Repo) -> None:
    accepted = accepted_at(shop, "HEAD", ["shop.cart.total"])
    shop.commit({"shop/cart.py": SIGNATURE.replace("len(cart)", "sum(1 for _ in cart)")}, "both change", day=10)
    assert [(s.reference.line, s.change.qualname, s.change.kind) for s in judge(shop, accepted)] == [
        (9, "shop.cart.total", Kind.BODY)
    ]
    assert judge(shop, {"docs/other.md": accepted["docs/guide.md"]}) == []


def test_a_fingerprint_no_version_had_is_stale_since_unknown(shop: Repo) -> None:
    made_up = {"docs/guide.md": {"shop.cart.add_item": Fingerprint("0" * 16, "0" * 16, "0" * 16)}}
    assert stale(judge(shop, made_up)) == [
        Stale("docs/guide.md", 5, "shop.cart.add_item", Kind.SIGNATURE, None, None, 0.0, 0)
    ]


def test_stale_by_lock_without_history(shop: Repo) -> None:
    accepted = accepted_at(shop, "HEAD", ["shop.cart.add_item"])
    shop.commit({"shop/cart.py": DOCSTRING}, "docstring", day=10)
    with open_workspace(shop.path) as workspace:
        snapshot = workspace.loader.snapshot(workspace.repo.resolve("HEAD"))
        table = workspace.loader.table(snapshot)
        scans = workspace.docs.scans(snapshot, ["docs/guide.md"])
        references = resolve_references(scans["docs/guide.md"].references, table).references
        found = stale_by_lock(references, accepted, table, None)
    assert stale(found) == [Stale("docs/guide.md", 5, "shop.cart.add_item", Kind.DOCSTRING, None, None, 0.0, 0)]
    assert found[0].accepted is True


# -- days_stale -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "head_time", "expected"),
    [
        pytest.param(None, 1_700_000_000, 0.0, id="not-stale-yet"),
        pytest.param(1_700_000_000, 1_700_000_000, 0.0, id="since-now"),
        pytest.param(1_700_000_000, 1_700_000_000 + 3 * 86_400, 3.0, id="three-days"),
        pytest.param(1_700_000_000, 1_700_000_000 + 43_200, 0.5, id="half-a-day"),
        pytest.param(1_700_000_000 + 86_400, 1_700_000_000, 0.0, id="since-after-the-head"),
    ],
)
def test_days_stale(since: int | None, head_time: int, expected: float) -> None:
    assert days_stale(since, head_time) == expected
