"""Tests for doc_scans.py and diagnostics.Diagnostics: which paths are docs, their scans, name indexes and resolutions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from docsync.diagnostics import Diagnostics
from docsync.doc_scans import DocScans
from docsync.loader import MAX_FILE_BYTES, Snapshot
from docsync.models import Diagnostic, DocResolution, DocScan
from docsync.references import scan as scan_module
from docsync.references.index import doc_names
from docsync.workspace import Workspace, open_workspace
from tests.conftest import Repo

FILES = {
    "shop/__init__.py": "def add(cart, item):\n    pass\n",
    "README.md": "# Shop\n\nUse `shop.add`.\n",
    "CHANGELOG.md": "# 1.0\n\n`shop.gone` was removed.\n",
    "docs/guide.md": "# Guide\n\n```python\nimport shop\nshop.add([], 1)\n```\n",
    "docs/api/cart.rst": "Cart\n====\n\n:func:`shop.add` adds.\n",
    "docs/notes.txt": "Plain notes.\n",
    "docs2/other.md": "# Other\n",  # `*.md` means the top folder's: not a doc by default
    "requirements.txt": "pytest\n",
}
DOCS = ("README.md", "docs/api/cart.rst", "docs/guide.md", "docs/notes.txt")


@pytest.fixture
def shop(git_repo: Repo) -> Repo:
    git_repo.commit(FILES, "create the shop")
    return git_repo


@pytest.fixture
def workspace(shop: Repo) -> Iterator[Workspace]:
    with open_workspace(shop.path) as opened:
        yield opened


def head(workspace: Workspace) -> Snapshot:
    return workspace.loader.snapshot(workspace.repo.resolve("HEAD"))


def count_scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The docs scanned from now on (`scan_doc` still runs; fewer than 48 docs are scanned in this process)."""
    scanned: list[str] = []
    original = scan_module.scan_doc

    def scan_doc(doc: str, data: bytes) -> DocScan:
        scanned.append(doc)
        return original(doc, data)

    monkeypatch.setattr(scan_module, "scan_doc", scan_doc)
    return scanned


# -- paths -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("within", "expected"),
    [
        pytest.param((), DOCS, id="all-docs"),
        pytest.param(("docs",), ("docs/api/cart.rst", "docs/guide.md", "docs/notes.txt"), id="a-folder"),
        pytest.param(("docs/",), ("docs/api/cart.rst", "docs/guide.md", "docs/notes.txt"), id="a-folder-with-slash"),
        pytest.param(("docs/api", "README.md"), ("README.md", "docs/api/cart.rst"), id="a-subfolder-and-a-file"),
        pytest.param(("docs/guide.md",), ("docs/guide.md",), id="a-file"),
        pytest.param(("doc",), (), id="a-prefix-is-not-a-folder"),
        pytest.param(("CHANGELOG.md",), (), id="an-excluded-file"),
        pytest.param(("shop/__init__.py",), (), id="not-a-doc"),
        pytest.param(("docs2",), (), id="outside-the-doc-globs"),
    ],
)
def test_paths(workspace: Workspace, within: tuple[str, ...], expected: tuple[str, ...]) -> None:
    assert workspace.docs.paths(head(workspace), within) == expected


# -- scans ------------------------------------------------------------------------------------------------------


def test_scans_are_the_docs_scans(workspace: Workspace) -> None:
    snapshot = head(workspace)
    scans = workspace.docs.scans(snapshot, ["README.md", "docs/guide.md"])
    assert scans == {doc: scan_module.scan_doc(doc, FILES[doc].encode()) for doc in ("README.md", "docs/guide.md")}
    assert [r.name for r in scans["README.md"].references] == ["shop.add"]
    assert [c.name for c in scans["docs/guide.md"].calls] == ["shop.add"]


def test_scans_come_from_the_cache_the_second_time(shop: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    scanned = count_scans(monkeypatch)
    with open_workspace(shop.path) as first:
        snapshot = head(first)
        expected = first.docs.scans(snapshot, DOCS)
        assert sorted(scanned) == sorted(DOCS)
        assert first.docs.scans(snapshot, DOCS) == expected, "the same run"
        assert len(scanned) == len(DOCS)
    with open_workspace(shop.path) as second:
        assert second.docs.scans(head(second), DOCS) == expected, "another run"
    assert len(scanned) == len(DOCS)


def test_the_same_doc_version_is_scanned_once_across_commits(shop: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    first = shop.git("rev-parse", "HEAD")
    shop.commit({"README.md": "# Shop\n\nUse `shop.add` twice.\n"}, "edit the readme")
    scanned = count_scans(monkeypatch)
    with open_workspace(shop.path) as workspace:
        workspace.docs.scans(workspace.loader.snapshot(first), ["README.md", "docs/guide.md"])
        workspace.docs.scans(head(workspace), ["README.md", "docs/guide.md"])
    assert scanned == ["README.md", "docs/guide.md", "README.md"]


def test_a_doc_over_5_mb_is_skipped(git_repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    git_repo.commit({"docs/huge.md": "`shop.add`\n" * (MAX_FILE_BYTES // 11 + 1), "docs/small.md": "`shop.add`\n"})
    scanned = count_scans(monkeypatch)
    with open_workspace(git_repo.path) as workspace:
        scans = workspace.docs.scans(head(workspace), ["docs/huge.md", "docs/small.md"])
        diagnostics = workspace.loader.diagnostics.sorted()
    assert scans["docs/huge.md"] == DocScan(
        "docs/huge.md", (), diagnostics=(Diagnostic("docs/huge.md", 0, "larger than 5 MB; skipped"),)
    )
    assert [r.name for r in scans["docs/small.md"].references] == ["shop.add"]
    assert diagnostics == (Diagnostic("docs/huge.md", 0, "larger than 5 MB; skipped"),)
    assert scanned == ["docs/small.md"]


def test_scan_diagnostics_are_warned_once_but_not_unparsable_examples(git_repo: Repo) -> None:
    git_repo.commit(
        {
            "docs/binary.md": b"\0\1\2binary",
            "docs/latin.md": "caf\xe9\n".encode("latin-1"),
            "docs/broken.md": "```python\ndef broken(:\n```\n",
        }
    )
    with open_workspace(git_repo.path) as workspace:
        snapshot = head(workspace)
        scans = workspace.docs.scans(snapshot, ["docs/binary.md", "docs/broken.md", "docs/latin.md"])
        workspace.docs.scans(snapshot, ["docs/binary.md"])  # met again: still one warning
        diagnostics = workspace.loader.diagnostics.sorted()
    assert [(d.path, d.message) for d in diagnostics] == [
        ("docs/binary.md", "looks like a binary file; skipped"),
        ("docs/latin.md", "is not UTF-8 text (byte 3 on line 1); skipped"),
    ]
    assert scans["docs/broken.md"].diagnostics, "the broken example is a note of its scan, not a warning"


# -- names -------------------------------------------------------------------------------------------------------


def test_names_are_the_doc_name_indexes(shop: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_workspace(shop.path) as first:
        snapshot = head(first)
        names = first.docs.names(snapshot, DOCS)
        found = first.docs.scans(snapshot, DOCS)
    assert names == {doc: doc_names(found[doc]) for doc in DOCS}
    assert names["docs/api/cart.rst"] == {"shop", "add"}
    assert names["docs/notes.txt"] == frozenset()
    scanned = count_scans(monkeypatch)
    with open_workspace(shop.path) as second:
        asked: list[str] = []
        scans_of = second.docs.scans

        def asking(snapshot: Snapshot, docs: Sequence[str]) -> dict[str, DocScan]:
            asked.extend(docs)
            return scans_of(snapshot, docs)

        monkeypatch.setattr(second.docs, "scans", asking)
        assert second.docs.names(head(second), DOCS) == names
    assert (asked, scanned) == ([], []), "name indexes are cached: no scan is even decoded"


# -- resolutions -------------------------------------------------------------------------------------------------


def test_resolutions_round_trip(shop: Repo) -> None:
    resolved = {
        "README.md": DocResolution(1, frozenset({"shop.add"})),
        "docs/guide.md": DocResolution(0, frozenset({"shop.add", "shop.cart.Cart"})),
    }
    with open_workspace(shop.path) as first:
        snapshot = head(first)
        first.docs.put_resolutions("table-a", snapshot, resolved)
        assert first.docs.resolutions("table-a", snapshot, DOCS) == resolved, "the same run"
    with open_workspace(shop.path) as second:
        snapshot = head(second)
        assert second.docs.resolutions("table-a", snapshot, DOCS) == resolved, "another run"
        assert second.docs.resolutions("table-b", snapshot, DOCS) == {}, "another table"
        assert second.docs.resolutions("table-a", snapshot, ["docs/notes.txt"]) == {}
    shop.commit({"README.md": "# Shop, edited\n"}, "another version of the readme")
    with open_workspace(shop.path) as third:
        assert third.docs.resolutions("table-a", head(third), DOCS) == {"docs/guide.md": resolved["docs/guide.md"]}


def test_resolutions_asked_again_in_a_run_are_not_read_again(shop: Repo) -> None:
    resolved = {"README.md": DocResolution(1, frozenset({"shop.add"}))}
    with open_workspace(shop.path) as first:
        first.docs.put_resolutions("table-a", head(first), resolved)
    with open_workspace(shop.path) as second:
        cache, snapshot = second.loader.cache, head(second)
        assert second.docs.resolutions("table-a", snapshot, DOCS) == resolved
        read = (cache.hits, cache.misses)
        assert second.docs.resolutions("table-a", snapshot, DOCS) == resolved  # a change's quiet test, then its check
        assert (cache.hits, cache.misses) == (read[0], read[1] + len(DOCS) - 1)  # only the docs not found are asked


def test_doc_scans_work_without_a_cache_file(shop: Repo) -> None:
    with open_workspace(shop.path, use_cache=False) as workspace:
        snapshot = head(workspace)
        docs = DocScans(workspace.config, workspace.loader.cache, workspace.loader.read, Diagnostics())
        assert docs.names(snapshot, ["README.md"]) == {"README.md": frozenset({"shop", "add"})}
    assert not (Path(shop.path) / ".git" / "docsync").exists()


# -- Diagnostics -----------------------------------------------------------------------------------------------------


def test_diagnostics_keep_each_warning_once_sorted() -> None:
    diagnostics = Diagnostics()
    for diagnostic in [
        Diagnostic("docs/b.md", 3, "is not UTF-8 text"),
        Diagnostic("docs/a.md", 10, "larger than 5 MB; skipped"),
        Diagnostic("docs/b.md", 3, "is not UTF-8 text"),
        Diagnostic("docs/a.md", 2, "z: the last message"),
        Diagnostic("docs/a.md", 2, "a: the first message"),
        Diagnostic("docs/a.md", 10, "larger than 5 MB; skipped"),
    ]:
        diagnostics.warn(diagnostic)
    assert diagnostics.sorted() == (
        Diagnostic("docs/a.md", 2, "a: the first message"),
        Diagnostic("docs/a.md", 2, "z: the last message"),
        Diagnostic("docs/a.md", 10, "larger than 5 MB; skipped"),
        Diagnostic("docs/b.md", 3, "is not UTF-8 text"),
    )
    assert Diagnostics().sorted() == ()
