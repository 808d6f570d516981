"""A change that provably touches no doc is told without building a table (issue 18), and reports exactly what
the full check reports; any change that may touch a doc takes the full path."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from docsync.checks.pull_request import check_change, check_change_fully
from docsync.loader import Loader
from docsync.models import Report
from docsync.workspace import open_workspace
from tests.checks.test_pull_request import BASE, CART, check, warm_up
from tests.conftest import Repo

INTERNAL = '''\
"""Internals no doc names."""


def _shuffle(items):
    """Shuffle."""
    return list(items)


class Pool:
    def size(self, limit=3):
        return limit
'''


@pytest.fixture
def project(git_repo: Repo) -> tuple[Repo, str]:
    base = git_repo.commit({**BASE, "shop/internal.py": INTERNAL}, "initial")
    git_repo.git("checkout", "-q", "-b", "topic")
    return git_repo, base


@pytest.fixture
def tables(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The labels of the snapshots whose tables were built, or read from rows (the real methods still run)."""
    built: list[str] = []
    original, from_rows = Loader.table, Loader.change_tables

    def spy(self: Loader, snapshot: object) -> object:
        built.append(snapshot.label)  # type: ignore[attr-defined]
        return original(self, snapshot)  # type: ignore[arg-type]

    def spy_rows(self: Loader, base: object, head: object) -> object:
        built.append(f"rows of {base.label}")  # type: ignore[attr-defined]
        return from_rows(self, base, head)  # type: ignore[arg-type]

    monkeypatch.setattr(Loader, "table", spy)
    monkeypatch.setattr(Loader, "change_tables", spy_rows)
    return built


QUIET: dict[str, Mapping[str, str]] = {
    "a body no doc names": {"shop/internal.py": INTERNAL.replace("return list(items)", "return sorted(items)")},
    "a signature no doc names": {"shop/internal.py": INTERNAL.replace("limit=3", "limit=4")},
    "code formatted": {"shop/internal.py": INTERNAL.replace("return limit", "return (limit)")},
}
LOUD: dict[str, Mapping[str, str]] = {
    "a body a doc names": {"shop/cart.py": CART.replace("return 0", "return 1")},
    "a signature a doc names": {"shop/cart.py": CART.replace("discount=0", "discount")},
    "a new function": {"shop/internal.py": INTERNAL + "\n\ndef fresh():\n    pass\n"},
    "a package's __init__": {"shop/__init__.py": "from shop.cart import Cart, add_item  # same names\n"},
    "a doc": {"docs/prose.md": "Now about `shop.cart.Cart.total`.\n"},
    "a new module": {"shop/extra.py": "def more():\n    pass\n"},
    "a class's bases": {"shop/internal.py": INTERNAL.replace("class Pool:", "class Pool(dict):")},
    "a file that stops parsing": {"shop/internal.py": INTERNAL.replace("return limit", "return limit +")},
}


@pytest.mark.parametrize("name", [*QUIET, *LOUD])
def test_a_quiet_change_builds_no_table_and_reports_what_a_full_check_does(
    project: tuple[Repo, str], tables: list[str], name: str
) -> None:
    repo, base = project
    repo.commit(dict({**QUIET, **LOUD}[name]), name)
    full = check(repo, base, proportional=False, cache=False)
    warm_up(repo, base)
    tables.clear()
    assert check(repo, base, proportional=True) == full
    assert (tables == []) is (name in QUIET), tables
    assert check(repo, base, proportional=True) == full


@pytest.mark.parametrize("name", list(QUIET))
def test_a_quiet_staged_change_builds_no_table(project: tuple[Repo, str], tables: list[str], name: str) -> None:
    repo, _ = project
    warm_up(repo, "HEAD")
    repo.stage(dict(QUIET[name]))
    tables.clear()
    report = check(repo, "HEAD", proportional=True, staged=True)
    assert tables == []
    assert report == check(repo, "HEAD", proportional=False, staged=True, cache=False)
    assert report.findings == ()
    assert len(report.docs) >= 8, "every doc is scored, from its resolution at the base"


def test_a_cold_cache_takes_the_full_path(project: tuple[Repo, str], tables: list[str]) -> None:
    """Without the base's resolutions in the cache nothing is known of what the docs use: the tables are built."""
    repo, base = project
    repo.commit(dict(QUIET["a body no doc names"]))
    assert check(repo, base, proportional=True) == check(repo, base, proportional=False, cache=False)
    assert tables != []


def test_the_next_change_from_a_quiet_head_is_quiet_too(project: tuple[Repo, str], tables: list[str]) -> None:
    """The quiet check keeps each doc's resolution under the head's table key: a change on top of it (the next
    commit's pre-commit run) finds them."""
    repo, base = project
    warm_up(repo, base)
    head = repo.commit(dict(QUIET["a body no doc names"]))
    check(repo, base, proportional=True)
    repo.commit(dict(QUIET["a signature no doc names"]))
    tables.clear()
    report = check(repo, head, proportional=True)
    assert tables == []
    assert report == check(repo, head, proportional=False, cache=False)


def test_verbose_says_no_table_was_built(project: tuple[Repo, str]) -> None:
    from docsync.runlog import what_was_checked

    repo, base = project
    warm_up(repo, base)
    repo.commit(dict(QUIET["a body no doc names"]))
    with open_workspace(repo.path) as workspace:
        checked = check_change(workspace, base, None, False, ())
        full = check_change_fully(workspace, base, None, False, ())
    assert checked.table is None
    assert full.table is not None
    assert "no symbol table built" in what_was_checked(checked)
    assert isinstance(checked.report, Report)
