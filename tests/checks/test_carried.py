"""A whole-repository check after a change judges again only the docs the change can reach, and must report exactly
what a check of every doc reports.

Each scenario (the pull-request scenarios, on the same small project) checks the base commit's work tree (which keeps
its judgement), commits or only writes the change, and checks again: once with no cache (every doc judged, the
reference) and once from the base's judgement; the two reports must be equal, and the second must read only the docs
the change can touch, those changed, and those that had something to say at the base.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pytest

from docsync.affected import resolutions
from docsync.checks import Checked
from docsync.checks.trend import score_trend, score_trend_fully
from docsync.checks.whole_repository import check_repository
from docsync.listings import NAMESPACE as LISTINGS
from docsync.workspace import open_workspace
from tests.checks.test_command_line import CLI, _project
from tests.checks.test_pull_request import BASE, CART, SCENARIOS, UTIL
from tests.conftest import Repo


def check(repo: Repo, cache: bool = True, head: str | None = None) -> Checked:
    with open_workspace(repo.path, use_cache=cache) as workspace:
        return check_repository(workspace, head, ())


@pytest.fixture
def project(git_repo: Repo) -> tuple[Repo, Checked]:
    git_repo.commit(dict(BASE), "initial")
    return git_repo, check(git_repo)


def _flagged(checked: Checked) -> set[str]:
    return {finding.doc for finding in (*checked.report.findings, *checked.report.suppressed)}


@pytest.mark.parametrize("committed", [True, False], ids=["committed", "in the work tree"])
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_a_check_after_a_change_reports_what_a_check_of_every_doc_reports(
    project: tuple[Repo, Checked], docs_read: set[str], name: str, committed: bool
) -> None:
    repo, at_base = project
    base = repo.git("rev-parse", "HEAD")
    change, may_touch = SCENARIOS[name]
    apply_change(repo, change, name, committed)
    full = check(repo, cache=False)
    assert full.carried_from is None
    seeing = _seeing(repo, base, change)
    docs_read.clear()
    carried = check(repo)
    assert carried.report == full.report, name
    if carried.carried_from is None:  # a change it cannot bound: a new top-level package
        assert name == "a new top-level package"
        return
    assert carried.carried_from == base
    changed_docs = {path for path in change if path.endswith(".md")}
    assert docs_read <= may_touch | changed_docs | _flagged(at_base) | seeing, name


def apply_change(repo: Repo, change: Mapping[str, str | None], name: str, committed: bool) -> None:
    """A scenario's change, committed (as `name`) or only written to the work tree."""
    if committed:
        repo.commit(dict(change), name)
    else:
        repo.write(dict(change))


def _seeing(repo: Repo, base: str, paths: Iterable[str]) -> set[str]:
    """The docs that resolved, at `base`, to a symbol of one of these files: their staleness is read from its
    versions, so they are judged again even where their symbol's definition did not change."""
    with open_workspace(repo.path, use_cache=False) as workspace:
        snapshot = workspace.loader.snapshot(base)
        table = workspace.loader.table(snapshot)
        names = {name for path in paths for name in table.names_in(path)}
        scans = workspace.docs.scans(snapshot, workspace.docs.paths(snapshot))
        return {doc for doc, resolution in resolutions(scans, table).items() if resolution.symbols & names}


def test_a_stale_finding_is_aged_to_the_new_head(git_repo: Repo, docs_read: set[str]) -> None:
    """A doc stale at the kept commit is judged again after an unrelated commit: its age moves with HEAD."""
    git_repo.commit(dict(BASE), "initial")
    changed = git_repo.commit({"shop/cart.py": CART.replace("discount=0", "discount")})
    kept = check(git_repo)
    assert [f.doc for f in kept.report.findings] == ["docs/total.md"], "the change must make a stale finding"
    git_repo.commit({"shop/util.py": UTIL.replace("return value", "return value + 0")}, "unrelated")
    git_repo.commit({"README.md": "A shop.\n"}, "another")
    full = check(git_repo, cache=False)
    docs_read.clear()
    carried = check(git_repo)
    assert carried.carried_from == changed
    assert carried.report == full.report
    assert [f.message for f in carried.report.findings] != [f.message for f in kept.report.findings]
    assert "docs/prose.md" not in docs_read


@pytest.mark.parametrize(
    "change",
    [{"docs/conf.py": "project = 'shop'\n"}, {".docsync.lock": "# format: 1\n"}],
    ids=["Sphinx's conf.py", "the lockfile"],
)
def test_what_cannot_be_bounded_judges_every_doc(project: tuple[Repo, Checked], change: Mapping[str, str]) -> None:
    repo, _ = project
    repo.commit(dict(change))
    checked = check(repo)
    assert checked.carried_from is None
    assert checked.report == check(repo, cache=False).report


def test_a_check_of_a_commit_starts_from_an_older_commits_judgement(project: tuple[Repo, Checked]) -> None:
    """`--head`: the kept judgement is found on the commit's first-parent line, the work tree plays no part."""
    repo, _ = project
    base = repo.git("rev-parse", "HEAD")
    change, _ = SCENARIOS["change a method's signature"]
    head = repo.commit(dict(change))
    repo.write({"docs/prose.md": "Now about `shop.cart.Cart.total`.\n"})  # uncommitted: not at `head`
    carried = check(repo, head=head)
    assert carried.carried_from == base
    assert carried.report == check(repo, cache=False, head=head).report


def test_a_command_line_change_judges_again_the_docs_that_show_it(git_repo: Repo, docs_read: set[str]) -> None:
    """An unchanged doc's command line is judged again when the command's options changed; a doc that shows none is
    carried."""
    _project(git_repo)
    git_repo.commit({"docs/other.md": "Nothing to run here.\n"})
    assert check(git_repo).report.findings == ()
    git_repo.commit({"tool/cli.py": CLI.format(strict="fail-on-warning")})
    full = check(git_repo, cache=False)
    docs_read.clear()
    carried = check(git_repo)
    assert carried.carried_from is not None
    assert carried.report == full.report
    assert [f.symbol for f in carried.report.findings] == ["tool build --strict"]
    assert "docs/other.md" not in docs_read


def test_the_score_trend_starts_from_a_carried_check(project: tuple[Repo, Checked]) -> None:
    """`report --history`: HEAD's point is scored from the carried check's docs (judged again, or carried with
    what they resolve to and no finding), and the trend is the one every doc judged at every commit gives."""
    repo, _ = project
    for name in ("change a method's signature", "rename a function"):
        repo.commit(dict(SCENARIOS[name][0]), name)
    with open_workspace(repo.path) as workspace:
        checked = check_repository(workspace, None, ())
        assert checked.carried_from is not None
        assert checked.untraced is not None
        assert set(checked.untraced.resolutions) == set(workspace.docs.paths(checked.head))
        trend = score_trend(workspace, 3, worktree=checked.untraced)
    with open_workspace(repo.path, use_cache=False) as workspace:
        assert trend == score_trend_fully(workspace, 3)
    assert len({point.score for point in trend}) > 1, "the scores must move for the comparison to say anything"


def test_a_clean_work_trees_check_keeps_its_listing_as_the_commits(
    git_repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next pre-commit check starts from HEAD: it reads HEAD's listing instead of naming every path again."""
    monkeypatch.setattr("docsync.listings._LINES_CACHED_FROM", 0)
    git_repo.commit(dict(BASE), "initial")
    check(git_repo)
    with open_workspace(git_repo.path) as workspace:
        loader, head = workspace.loader, git_repo.git("rev-parse", "HEAD")
        key = loader._listings._lines_key(loader.code_roots(loader.snapshot(head)), head)
        kept = loader.cache.get_many(LISTINGS, [key]).get(key)
        assert isinstance(kept, str)
        assert kept.splitlines() == loader.listing(loader.snapshot(head)).lines
