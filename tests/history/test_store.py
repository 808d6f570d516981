"""Tests for history/store.py: what history walks read through the cache (path logs, moves, blames, old symbols)."""

from __future__ import annotations

import pytest

from docsync.gitrepo import CommitFiles
from docsync.history.store import BlameRequest, OldVersions, Version
from docsync.models import Fingerprint
from docsync.workspace import Workspace, open_workspace
from tests.history.conftest import CART, CART_QTY, Shop, blob_of, spy, time_of

# -- path_log -----------------------------------------------------------------------------------------


def test_path_log_is_the_git_log_of_those_paths(shop: Shop, workspace: Workspace) -> None:
    log = workspace.versions.path_log(shop.followed, ["shop/basket.py", "docs/guide.md"])
    repo = shop.repo
    assert log == [
        CommitFiles(shop.followed, time_of(repo, shop.followed), {"docs/guide.md": blob_of(repo, "HEAD", "docs/guide.md")}),
        CommitFiles(shop.moved, time_of(repo, shop.moved), {"shop/basket.py": blob_of(repo, "HEAD", "shop/basket.py")}),
        CommitFiles(shop.created, time_of(repo, shop.created), {"docs/guide.md": blob_of(repo, shop.created, "docs/guide.md")}),
    ]  # fmt: skip


def test_path_log_is_cached(shop: Shop, workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = spy(monkeypatch, workspace.repo, "path_log")
    paths = ["shop/basket.py", "docs/guide.md"]
    first = workspace.versions.path_log(shop.followed, paths)
    assert workspace.versions.path_log(shop.followed, list(reversed(paths))) == first  # the same set of paths
    assert calls == [(shop.followed, sorted(paths))]
    workspace.versions.path_log(shop.moved, paths)  # another commit is another log
    workspace.versions.path_log(shop.followed, ["docs/guide.md"])  # and so are other paths
    assert len(calls) == 3


def test_a_second_run_reads_the_path_log_from_the_cache(shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_workspace(shop.repo.path) as first:
        expected = first.versions.path_log(shop.followed, ["shop/basket.py"])
    with open_workspace(shop.repo.path) as second:
        calls = spy(monkeypatch, second.repo, "path_log")
        assert second.versions.path_log(shop.followed, ["shop/basket.py"]) == expected
    assert calls == []


# -- versions_before_move ------------------------------------------------------------------------------


def test_versions_before_a_move_are_the_old_path_s(
    shop: Shop, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    renames = spy(monkeypatch, workspace.repo, "rename_source")
    logs = spy(monkeypatch, workspace.repo, "path_log")
    repo = shop.repo
    expected = [
        Version(shop.qty, time_of(repo, shop.qty), blob_of(repo, shop.qty, "shop/cart.py")),
        Version(shop.created, time_of(repo, shop.created), blob_of(repo, shop.created, "shop/cart.py")),
    ]
    assert workspace.versions.versions_before_move("shop/basket.py", shop.moved) == expected
    assert workspace.versions.versions_before_move("shop/basket.py", shop.moved) == expected
    assert renames == [(shop.moved, "shop/basket.py")]  # followed once a run
    assert logs == [(f"{shop.moved}^", ["shop/cart.py"])]


@pytest.mark.parametrize(
    ("path", "commit"),
    [
        pytest.param("docs/guide.md", "followed", id="a-commit-that-edited-the-file"),
        pytest.param("shop/cart.py", "qty", id="a-commit-that-moved-nothing"),
        pytest.param("shop/cart.py", "created", id="the-root-commit"),
    ],
)
def test_no_versions_before_a_commit_that_moved_nothing(
    shop: Shop, workspace: Workspace, path: str, commit: str
) -> None:
    assert workspace.versions.versions_before_move(path, getattr(shop, commit)) == []


# -- blames ------------------------------------------------------------------------------------------------


def guide_request(shop: Shop) -> BlameRequest:
    blob = blob_of(shop.repo, shop.followed, "docs/guide.md")
    return BlameRequest(blob, (shop.followed, blob))


def test_blames_are_line_times(shop: Shop, workspace: Workspace) -> None:
    times = workspace.versions.blames({"docs/guide.md": guide_request(shop)}, shop.followed)
    created, followed = time_of(shop.repo, shop.created), time_of(shop.repo, shop.followed)
    # "Use `shop.basket.add`." (line 3) and the `Cart.total` line (7) changed when the guide followed the move.
    assert times == {"docs/guide.md": [created, created, followed, created, created, created, followed]}


def test_blames_are_remembered_by_doc_version(
    shop: Shop, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    blamed = spy(monkeypatch, workspace.repo, "blame_times")
    # `version` None: nothing to cache across runs, so only the run's memo (by doc and blob) can answer.
    request = BlameRequest(guide_request(shop).blob, None)
    first = workspace.versions.blames({"docs/guide.md": request}, shop.followed)
    # Asked again, even at another revision that has the same version of the doc: no `git blame`.
    assert workspace.versions.blames({"docs/guide.md": request}, "HEAD") == first
    assert blamed == [("docs/guide.md", shop.followed)]
    workspace.versions.blames({"docs/guide.md": BlameRequest(None, None)}, "HEAD")  # no blob: not remembered
    assert len(blamed) == 2


def test_blames_are_cached_by_commit_doc_and_blob(shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    request = guide_request(shop)
    with open_workspace(shop.repo.path) as first:
        expected = first.versions.blames({"docs/guide.md": request}, shop.followed)
    with open_workspace(shop.repo.path) as second:
        blamed = spy(monkeypatch, second.repo, "blame_times")
        # No blob for the run memo: only the cache, keyed by (commit, doc, blob), can answer.
        assert second.versions.blames({"docs/guide.md": BlameRequest(None, request.version)}, shop.followed) == expected
        assert blamed == []
        second.versions.blames({"docs/guide.md": BlameRequest(None, None)}, shop.followed)  # not cacheable
        assert blamed == [("docs/guide.md", shop.followed)]


def test_several_docs_are_blamed_at_once(shop: Shop, workspace: Workspace) -> None:
    repo = shop.repo
    repo.commit({"docs/other.md": "# Other\n\nText.\n"}, "another doc", day=5)
    other = blob_of(repo, "HEAD", "docs/other.md")
    head = repo.git("rev-parse", "HEAD")
    times = workspace.versions.blames(
        {"docs/guide.md": guide_request(shop), "docs/other.md": BlameRequest(other, (head, other))}, head
    )
    assert times["docs/other.md"] == [time_of(repo, head)] * 3
    assert times["docs/guide.md"] == workspace.repo.blame_times("docs/guide.md", head)


# -- old symbols ----------------------------------------------------------------------------------------------


def counted_store(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> tuple[OldVersions, list[tuple[object]]]:
    """A store over the workspace's cache whose `encoded_modules` (the loader's, still run) counts its calls."""
    loader = workspace.loader
    calls = spy(monkeypatch, loader, "encoded_modules")
    return OldVersions(workspace.repo, workspace.loader.cache, loader.encoded_modules), calls


@pytest.mark.parametrize(
    ("source", "local", "signature"),
    [
        pytest.param(CART, "add", "(cart, item)", id="a-function"),
        pytest.param(CART_QTY, "add", "(cart, item, qty=1)", id="its-later-version"),
        pytest.param(CART, "Cart.total", "(self)", id="a-method"),
        pytest.param(CART, "Cart.gone", None, id="a-name-not-defined-there"),
    ],
)
def test_symbols_of_an_old_file_version(
    shop: Shop, workspace: Workspace, source: str, local: str, signature: str | None
) -> None:
    commit = shop.created if source == CART else shop.qty
    blob = blob_of(shop.repo, commit, "shop/cart.py")
    symbol = workspace.versions.symbol_in("shop/cart.py", blob, local)
    fingerprint = workspace.versions.fingerprint_in("shop/cart.py", blob, local)
    parsed = {s.name: s for s in workspace.loader.module("shop/cart.py", blob).symbols}
    if signature is None:
        assert (symbol, fingerprint) == (None, None)
        assert local not in parsed
        return
    assert symbol == parsed[local]
    assert symbol.signature is not None
    assert symbol.signature.text == signature
    assert fingerprint == parsed[local].fingerprint


def test_fingerprints_differ_where_the_signature_changed(shop: Shop, workspace: Workspace) -> None:
    old, new = (blob_of(shop.repo, commit, "shop/cart.py") for commit in (shop.created, shop.qty))
    before, after = (workspace.versions.fingerprint_in("shop/cart.py", blob, "add") for blob in (old, new))
    assert isinstance(before, Fingerprint)
    assert isinstance(after, Fingerprint)
    assert (before.signature != after.signature, before.body, before.docstring) == (True, after.body, after.docstring)


def test_prefetch_fingerprints_parses_in_one_batch(
    shop: Shop, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, calls = counted_store(workspace, monkeypatch)
    old, new = (blob_of(shop.repo, commit, "shop/cart.py") for commit in (shop.created, shop.qty))
    wanted = [("shop/cart.py", old, "add"), ("shop/cart.py", new, "add"), ("shop/cart.py", old, "Cart.total")]
    store.prefetch_fingerprints(wanted)
    assert calls == [({old: "shop/cart.py", new: "shop/cart.py"},)]
    found = [store.fingerprint_in(*item) for item in wanted]
    store.prefetch_fingerprints(wanted)
    assert len(calls) == 1, "fingerprints at hand are not asked for again"
    assert all(isinstance(f, Fingerprint) for f in found)
    assert found[0] != found[1]


def test_prefetch_symbols_parses_in_one_batch(
    shop: Shop, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, calls = counted_store(workspace, monkeypatch)
    old, new = (blob_of(shop.repo, commit, "shop/cart.py") for commit in (shop.created, shop.qty))
    wanted = [("shop/cart.py", old, "add"), ("shop/cart.py", new, "add"), ("shop/cart.py", new, "missing")]
    store.prefetch_symbols(wanted)
    assert calls == [({old: "shop/cart.py", new: "shop/cart.py"},)]
    found = [store.symbol_in(*item) for item in wanted]
    assert len(calls) == 1
    assert [s.signature.text if s and s.signature else s for s in found] == [
        "(cart, item)",
        "(cart, item, qty=1)",
        None,
    ]


def test_old_symbols_and_fingerprints_come_from_the_cache_in_a_second_run(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    blob = blob_of(shop.repo, shop.created, "shop/cart.py")
    with open_workspace(shop.repo.path) as first:
        expected = (first.versions.symbol_in("shop/cart.py", blob, "add"),
                    first.versions.fingerprint_in("shop/cart.py", blob, "add"),
                    first.versions.symbol_in("shop/cart.py", blob, "gone"))  # fmt: skip
    with open_workspace(shop.repo.path) as second:
        store, calls = counted_store(second, monkeypatch)
        found = (store.symbol_in("shop/cart.py", blob, "add"),
                 store.fingerprint_in("shop/cart.py", blob, "add"),
                 store.symbol_in("shop/cart.py", blob, "gone"))  # fmt: skip
    assert found == expected
    assert expected[0] is not None
    assert [versions for (versions,) in calls if versions] == []  # asked for no file version (`{}` is a no-op)
