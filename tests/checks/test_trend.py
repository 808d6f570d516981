"""The report's score trend judges again only the docs each step between two commits can touch, and must score
every commit exactly as judging all of its docs does.

The history runs every pull-request scenario of test_pull_request one after the other (renames, signature and
base-class changes, removals, doc edits, a new top-level package), then a lockfile, a merged branch that changes
a symbol and a doc and changes both back, and a lockfile edit; commits are weeks apart, so ages move the score.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from docsync.checks import trend as _trend
from docsync.checks.whole_repository import check_repository
from docsync.workspace import open_workspace
from tests.checks.test_pull_request import BASE as PULL_REQUEST_BASE
from tests.checks.test_pull_request import CART, SCENARIOS
from tests.conftest import Repo, run

# The pull-request scenarios' project, plus a doc coupled to the behaviour of the symbols the history changes
# (a docsync marker), so that every change in it moves the score: a flat trend would prove little.
BASE = {
    **PULL_REQUEST_BASE,
    "docs/coupled.md": "<!-- docsync: shop.cart.Cart.total, shop.cart.add_item, shop.util.helper -->\nThe cart.\n",
}

DAYS_APART = 20


@pytest.fixture
def history(git_repo: Repo) -> Repo:
    day = 1
    git_repo.commit(dict(BASE), "initial", day=day)
    for name, (change, _) in SCENARIOS.items():
        day += DAYS_APART
        git_repo.commit(dict(change), name, day=day)
    assert run(git_repo, "accept", "docs/total.md").code == 0
    day += DAYS_APART
    git_repo.commit({}, "accept total", day=day)
    git_repo.git("checkout", "-q", "-b", "side")
    git_repo.commit({"shop/cart.py": CART.replace("qty=1", "qty=5"), "docs/total.md": "Now `shop.cart.Cart`.\n"})
    git_repo.commit({"shop/cart.py": git_repo.git("show", "main:shop/cart.py") + "\n", "docs/total.md": None})
    git_repo.write({"docs/total.md": git_repo.git("show", "main:docs/total.md") + "\n"})
    git_repo.commit({}, "side: back as it was")
    git_repo.git("checkout", "-q", "main")
    day += DAYS_APART
    git_repo.commit({"docs/prose.md": "`shop.cart.add_item` again.\n"}, "meanwhile on main", day=day)
    git_repo.merge("side", "merge side")
    day += DAYS_APART
    git_repo.commit({"shop/cart.py": CART.replace("discount=0", "discount=1")}, "after the merge", day=day)
    assert run(git_repo, "accept").code == 0
    day += DAYS_APART
    git_repo.commit({}, "accept all", day=day)
    return git_repo


def trend(repo: Repo, incremental: bool, count: int = 40) -> tuple[float, ...]:
    with open_workspace(repo.path) as workspace:
        score = _trend.score_trend if incremental else _trend.score_trend_fully
        return tuple(point.score for point in score(workspace, count))


@pytest.fixture
def judged(monkeypatch: pytest.MonkeyPatch) -> list[Sequence[str]]:
    """The docs each `judge_quickly` call of the trend judged (the real function still runs)."""
    calls: list[Sequence[str]] = []
    original = _trend.judge_quickly

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(list(args[3]))  # type: ignore[call-overload]
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_trend, "judge_quickly", spy)
    return calls


def test_the_incremental_trend_scores_every_commit_as_a_full_check_does(history: Repo, judged: list) -> None:
    full = trend(history, incremental=False)
    everything = sum(len(docs) for docs in judged)
    judged.clear()
    assert trend(history, incremental=True) == full
    assert len(set(full)) > 5, "a control: a flat trend would prove little"
    assert sum(len(docs) for docs in judged) < everything  # it skips some (this history touches most docs)


def test_warm_and_cold_trends_agree(history: Repo) -> None:
    cold = trend(history, incremental=True)
    assert trend(history, incremental=True) == cold
    assert trend(history, incremental=True, count=3) == cold[-3:]


def test_a_doc_judged_at_no_commit_keeps_its_score_aged(git_repo: Repo, judged: list) -> None:
    """A stale reference carried from a newer commit costs what it cost there, aged to the older commit's time."""
    git_repo.commit(dict(BASE), "initial", day=1)
    git_repo.commit({"shop/cart.py": CART.replace("discount=0", "discount")}, "signature", day=2)
    for day in (200, 300, 400):
        git_repo.commit({"VERSION": f"{day}\n"}, "unrelated", day=day)
    judged.clear()
    scores = trend(git_repo, incremental=True, count=4)
    assert len(judged) == 1  # only HEAD judged its docs; the older commits changed no doc or code
    assert scores == trend(git_repo, incremental=False, count=4)
    assert scores[0] > scores[1] > scores[2] > scores[3]  # the same stale reference weighs more as it ages


# Each rule of `_to_judge` below is needed for some history: without it, that test's trend differs from the full one.
TOTAL = "    def total(self, discount=0):\n"


def with_total(default: str) -> str:
    return CART.replace(TOTAL, TOTAL.replace("discount=0", f"discount={default}"))


def changed_back_and_forth(repo: Repo) -> None:
    """`Cart.total` differs, is changed back, then differs for good: a bisection over its file's versions then
    names the first or the last change depending on how many versions there are (see `history.staleness._bisect`)."""
    repo.commit(dict(BASE), "initial", day=1)
    for day, default in ((20, "1"), (40, "2"), (60, "0"), (80, "3")):
        repo.commit({"shop/cart.py": with_total(default)}, f"total({default})", day=day)


def test_a_doc_on_an_unaltered_symbol_of_a_changed_file_is_judged_again(git_repo: Repo) -> None:
    changed_back_and_forth(git_repo)
    for day in (100, 120):  # only add_item changes: Cart.total is not altered, but its file has new versions
        git_repo.commit({"shop/cart.py": with_total("3").replace("qty=1", f"qty={day}")}, day=day)
    assert trend(git_repo, incremental=True, count=4) == trend(git_repo, incremental=False, count=4)


def test_a_merged_commit_dated_between_two_points_counts_for_the_later(git_repo: Repo) -> None:
    """Each point cuts HEAD's history at its own time: a side commit dated in between is in one cut only."""
    changed_back_and_forth(git_repo)
    git_repo.commit({"shop/cart.py": with_total("3").replace("qty=1", "qty=2")}, "add_item", day=100)
    git_repo.git("checkout", "-q", "-b", "side")
    git_repo.commit({"shop/cart.py": with_total("3").replace("qty=1", "qty=3")}, "side: add_item", day=110)
    git_repo.git("checkout", "-q", "main")
    git_repo.commit({"VERSION": "2\n"}, "unrelated", day=120)
    git_repo.merge("side", day=140)
    assert trend(git_repo, incremental=True, count=4) == trend(git_repo, incremental=False, count=4)


def test_scores_are_cached_per_commit_and_history(git_repo: Repo, judged: list) -> None:
    changed_back_and_forth(git_repo)
    git_repo.commit({"shop/cart.py": with_total("3").replace("qty=1", "qty=2")}, "add_item", day=100)
    first = trend(git_repo, incremental=True, count=4)
    judged.clear()
    assert trend(git_repo, incremental=True, count=4) == first
    assert judged == []  # warm: every point read from the cache
    git_repo.commit({"VERSION": "1\n"}, "a new HEAD", day=120)
    assert trend(git_repo, incremental=True, count=5) == trend(git_repo, incremental=False, count=5)
    judged.clear()
    trend(git_repo, incremental=True, count=5)
    assert judged == []


def test_cached_scores_follow_the_settings(git_repo: Repo) -> None:
    changed_back_and_forth(git_repo)
    git_repo.commit({"VERSION": "1\n"}, "unrelated", day=100)
    before = trend(git_repo, incremental=True, count=3)
    git_repo.write({"pyproject.toml": '[tool.docsync]\nignore-symbols = ["shop.cart.Cart.total"]\n'})  # not committed
    after = trend(git_repo, incremental=True, count=3)
    assert after == trend(git_repo, incremental=False, count=3)
    assert after != before  # a control: the settings do move these scores


SLOW = "def slow(x):\n    a = 1\n    b = 2\n    c = 3\n    d = 4\n    return a + b + c + d + x\n"


def test_a_merge_leaves_the_scores_before_it_alone(git_repo: Repo) -> None:
    """A change is dated by when it landed on the branch: a side commit dated 70 and merged at 110 changes
    nothing in the points before the merge, so their cached scores stay right."""
    coupled = {"shop/slow.py": SLOW, "docs/slow.md": "<!-- docsync: shop.slow.slow -->\nIt adds up.\n"}
    git_repo.commit({**BASE, **coupled}, "initial", day=1)
    git_repo.commit({"VERSION": "1\n"}, "unrelated", day=60)
    git_repo.commit({"shop/slow.py": SLOW.replace("d = 4", "d = 40")}, "main: slow's body", day=80)
    git_repo.commit({"VERSION": "2\n"}, "unrelated", day=100)
    git_repo.git("checkout", "-q", "-b", "side", "HEAD~2")
    git_repo.commit({"shop/slow.py": SLOW.replace("a = 1", "a = 10")}, "side: slow's body", day=70)
    git_repo.git("checkout", "-q", "main")
    before = trend(git_repo, incremental=True, count=3)
    git_repo.merge("side", day=110)
    after = trend(git_repo, incremental=True, count=4)
    assert after == trend(git_repo, incremental=False, count=4)
    assert after[:3] == before  # the points are oldest first


def report_trend(repo: Repo, count: int) -> tuple[tuple[float, ...], set[str]]:
    """The trend as `docsync report` scores it (HEAD from the report's own judgement of the work tree), with
    the commits whose docs the trend judged itself."""
    judged_at: set[str] = set()
    original = _trend.judge_quickly

    def spy(*args: object, **kwargs: object) -> object:
        judged_at.add(str(args[1]))
        return original(*args, **kwargs)  # type: ignore[arg-type]

    with open_workspace(repo.path) as workspace, pytest.MonkeyPatch.context() as patch:
        patch.setattr(_trend, "judge_quickly", spy)
        worktree = check_repository(workspace, None, ()).untraced
        points = _trend.score_trend(workspace, count, worktree=worktree)
    return tuple(point.score for point in points), judged_at


def test_the_report_scores_head_from_its_own_judgement_of_a_clean_work_tree(history: Repo) -> None:
    scores, judged_at = report_trend(history, 40)
    assert scores == trend(history, incremental=False)
    assert history.git("rev-parse", "HEAD") not in judged_at


@pytest.mark.parametrize(
    "edit",
    [{"docs/total.md": "Use `shop.cart.Cart.clear` now.\n"}, {"shop/util.py": "def helper():\n    pass\n"}],
    ids=["a doc", "a module"],
)
def test_an_edited_work_tree_is_not_taken_for_head(history: Repo, edit: dict) -> None:
    history.write(edit)
    scores, judged_at = report_trend(history, 40)
    assert scores == trend(history, incremental=False)
    assert history.git("rev-parse", "HEAD") in judged_at
