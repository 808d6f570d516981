"""History pages and blocks name old APIs on purpose: detected by name, by headings and by directive; no finding
there, unless the settings say otherwise."""

from __future__ import annotations

import json

import pytest

from docsync.references.history_pages import is_history_by_headings, is_history_path, version_blocks
from docsync.references.scan import scan_doc
from tests.conftest import Repo, run


@pytest.mark.parametrize(
    ("path", "history"),
    [
        ("CHANGELOG.md", True), ("docs/changelog.rst", True), ("doc/changes/7.0.rst", True),
        ("docs/release-notes.md", True), ("docs/about/release_notes.md", True), ("docs/releases/2.0.md", True),
        ("docs/whatsnew/3.12.rst", True), ("docs/whats_new_3_0.rst", True), ("docs/migration_to_2xx.rst", True),
        ("docs/upgrading.md", True), ("docs/deprecations.rst", True), ("doc/extdev/deprecated.rst", True),
        ("docs/historical-notes.rst", True), ("NEWS.rst", True), ("docs/versions.md", True),
        ("docs/api.rst", False), ("README.md", False), ("docs/guide/changing-things.md", False),
        ("docs/newsletter.md", False), ("docs/tracking.md", False), ("docs/release.md", False),
        ("doc/en/announce/index.rst", True), ("docs/release-2.9.0.rst", True), ("docs/releasing.md", False),
    ],
)  # fmt: skip
def test_history_by_name(path: str, history: bool) -> None:
    assert is_history_path(path) is history


@pytest.mark.parametrize(
    ("headings", "history"),
    [
        (["Changes", "1.2.0", "1.1.3", "1.1.0 (2024-01-02)", "1.0"], True),
        (["Release notes", "v2.1", "v2.0", "Version 1.9"], True),
        (["Log", "2024-05-01", "2024-04-01", "2024-03-01"], True),
        (["Guide", "Install", "Use", "1.2 compatibility"], False),
        (["1.2", "1.1"], False),  # too few headings to tell
        (["API", "Carts", "Prices", "Discounts", "3.x notes"], False),
    ],
)
def test_history_by_headings(headings: list[str], history: bool) -> None:
    assert is_history_by_headings(headings) is history


def test_version_blocks_in_rst_and_myst() -> None:
    rst = ["Intro", "", ".. versionchanged:: 2.0", "   ``old`` became ``new``.", "", "   Still the note.", "After"]
    assert version_blocks(rst) == [(3, 6)]
    myst = ["Intro", "```{deprecated} 1.0", "Use `new`.", "```", "After", ":::{versionadded} 3.0", "x", ":::"]
    assert version_blocks(myst) == [(2, 4), (6, 8)]
    assert version_blocks([".. note::", "   not history"]) == []


def test_the_scan_records_them() -> None:
    scan = scan_doc("docs/a.rst", b"Title\n=====\n\n.. deprecated:: 1.0\n   Use ``x``.\n\nText\n")
    assert (scan.past, scan.dated) == (((4, 5),), False)
    changelog = b"# Changes\n\n## 1.2\n\nx\n\n## 1.1\n\ny\n\n## 1.0\n\nz\n"
    assert scan_doc("docs/log.md", changelog).dated is True


CART = "def add_item(cart, item):\n    cart.append(item)\n"


@pytest.fixture
def history(git_repo: Repo) -> Repo:
    """`remove_item` existed and went: docs that name it on purpose, and one that still teaches it."""
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART + "\n\ndef remove_item(cart, item):\n    pass\n"})
    git_repo.commit({
        "shop/cart.py": CART,
        "docs/guide.md": "# Guide\n\nUse `shop.cart.remove_item` to take it out.\n",
        "docs/release-notes.md": "# Release notes\n\n`shop.cart.remove_item` was removed.\n",
        "docs/log.md": "# Log\n\n## 2.0\n\n`shop.cart.remove_item` is gone.\n\n## 1.1\n\nx\n\n## 1.0\n\ny\n",
        "docs/api.rst": "API\n===\n\n.. deprecated:: 2.0\n   :func:`shop.cart.remove_item` is gone.\n\n"
                        "Use :func:`shop.cart.remove_item`.\n",
    })  # fmt: skip
    return git_repo


def docs_with_findings(repo: Repo) -> list[tuple[str, int]]:
    data = json.loads(run(repo, "check", "--format", "json").out)
    return [(f["doc"], f["line"]) for f in data["findings"]]


def test_no_finding_in_history(history: Repo) -> None:
    assert docs_with_findings(history) == [("docs/api.rst", 7), ("docs/guide.md", 3)]


def test_the_settings_override_the_detection(history: Repo) -> None:
    history.write(
        {".docsync.yml": 'current-docs: ["docs/log.md", "docs/release-notes.md"]\nhistory-docs: ["docs/guide.md"]\n'}
    )
    assert docs_with_findings(history) == [("docs/api.rst", 7), ("docs/log.md", 5), ("docs/release-notes.md", 3)]
