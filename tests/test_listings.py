"""A listing patched from a near snapshot's, or read from a commit's cached lines, is the listing made from scratch."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

import pytest

from docsync.cache import Cache
from docsync.gitrepo import FileEntry, GitRepo
from docsync.listings import NAMESPACE, Listing, Listings, ParentChanges
from docsync.module_names import ModuleNames
from docsync.symbols.layout import ModuleFile
from tests.conftest import Repo

ROOTS = ("src",)
EXCLUDES = ("tools/**",)
BASE = {
    "src/shop/__init__.py": FileEntry("a1"),
    "src/shop/core.py": FileEntry("a2"),
    "src/shop/io/__init__.py": FileEntry("a3"),
    "src/shop/io/disk.py": FileEntry("a4"),
    "docs/index.md": FileEntry("a5"),
    "tools/run.py": FileEntry("a6"),
}


class _CountedNames(ModuleNames):
    """Module names that count the paths they are asked to name."""

    def __init__(self, cache: Cache) -> None:
        super().__init__(cache, EXCLUDES)
        self.asked = 0

    def of(self, paths: Collection[str], roots: tuple[str, ...]) -> dict[str, ModuleFile]:
        self.asked += len(paths)
        return super().of(paths, roots)


@pytest.fixture(autouse=True)
def _lines_of_any_tree_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("docsync.listings._LINES_CACHED_FROM", 0)  # these trees are small


def _no_parent(commit: str) -> None:
    return None


def _listings(cache: Cache | None = None, parent_changes: ParentChanges = _no_parent) -> Listings:
    cache = cache or Cache(None)
    return Listings(_CountedNames(cache), cache, EXCLUDES, parent_changes)


def _fields(listing: Listing) -> tuple[object, ...]:
    return dict(listing.module_files), dict(listing.ids), listing.key, listing.lines


def _scratch(files: Mapping[str, FileEntry]) -> Listing:
    return _listings().of("x", files, ROOTS)


@pytest.mark.parametrize(
    "edit",
    [
        {"src/shop/core.py": FileEntry("b2")},
        {"src/shop/core.py": FileEntry("b2"), "src/shop/io/__init__.py": FileEntry("b3"), "docs/index.md": None},
        {"src/shop/io/disk.py": None},  # removed
        {"src/shop/io/cloud.py": FileEntry("b7")},  # added
        {"src/shop/io/disk.py": None, "src/shop/io/cloud.py": FileEntry("a4")},  # renamed
        {"src/shop/io/__init__.py": None, "src/shop/io/x.txt": FileEntry("b8")},  # a package gone, the count kept
        {"tools/run.py": FileEntry("b6"), "docs/index.md": FileEntry("b5")},  # no module changed
        {"src/shop/a.py": FileEntry("b9"), "src/shop/zz.py": FileEntry("b10"), "src/shop/core.py": None},
    ],
)
def test_a_patched_listing_is_the_listing_made_from_scratch(edit: Mapping[str, FileEntry | None]) -> None:
    head = {path: entry for path, entry in {**BASE, **edit}.items() if entry is not None}
    listings = _listings()
    listings.near("head", "base", BASE, True, set(edit))
    base_listing = listings.of("base", BASE, ROOTS)
    patched = listings.of("head", head, ROOTS)
    assert _fields(patched) == _fields(_scratch(head))
    assert _fields(base_listing) == _fields(_scratch(BASE))
    assert all(patched.module_file(path) == _scratch(head).module_files.get(path) for path in [*BASE, *edit])
    # Told from the patched paths alone, the same as comparing every module of both (a listing made apart).
    assert patched.differences(base_listing) == _scratch(head).differences(_scratch(BASE))
    assert base_listing.differences(patched) == _scratch(BASE).differences(_scratch(head)), "and the other way"


def test_the_differences_of_two_listings_name_each_changed_module_on_both_sides() -> None:
    edit = {"src/shop/core.py": FileEntry("b2"), "src/shop/io/disk.py": None, "src/shop/new.py": FileEntry("b7")}
    head = {path: entry for path, entry in {**BASE, **edit}.items() if entry is not None}
    listings = _listings()
    listings.near("head", "base", BASE, True, [*edit, "docs/index.md"])
    patched = listings.of("head", head, ROOTS)
    assert patched.differences(listings.of("base", BASE, ROOTS)) == {
        "src/shop/core.py": (("src/shop/core.py", "shop.core", "a2"), ("src/shop/core.py", "shop.core", "b2")),
        "src/shop/io/disk.py": (("src/shop/io/disk.py", "shop.io.disk", "a4"), None),
        "src/shop/new.py": (None, ("src/shop/new.py", "shop.new", "b7")),
    }


def test_a_listing_near_one_the_diff_does_not_describe_is_made_whole() -> None:
    listings = _listings()
    listings.of("base", BASE, ROOTS)
    head = {**BASE, "src/shop/new.py": FileEntry("c1")}
    listings.near("head", "base", BASE, True, [])  # a diff that missed the new file
    assert _fields(listings.of("head", head, ROOTS)) == _fields(_scratch(head))


def test_a_commits_lines_are_read_from_the_cache_and_its_modules_named_only_when_walked(tmp_path: Path) -> None:
    first = Cache(tmp_path / "cache.sqlite3")
    listings = _listings(first)
    listings.near("STAGED", "c0ffee", BASE, True, [])  # a check of a change starting from commit c0ffee
    made = listings.of("c0ffee", BASE, ROOTS)
    listings.of("STAGED", BASE, ROOTS)  # not a commit: its lines are not kept
    _listings(first).of("c0ffee", BASE, ("",))  # a commit no check of a change starts from: not kept either
    first.close()
    cache = Cache(tmp_path / "cache.sqlite3")
    assert len([key for key in cache.get_prefixed(NAMESPACE, "") if key != "recent"]) == 1
    listings = _listings(cache)
    names = listings._module_names
    assert isinstance(names, _CountedNames)
    listings.near("head", "c0ffee", BASE, True, ["src/shop/core.py"])
    read = listings.of("c0ffee", BASE, ROOTS)
    assert (read.key, read.lines) == (made.key, made.lines)
    assert read.module_file("src/shop/core.py") == ModuleFile("src/shop/core.py", "shop.core", False)
    assert read.module_file("tools/run.py") is None
    assert names.asked == 2, "one path named at a time"
    head = {**BASE, "src/shop/core.py": FileEntry("d2")}
    assert listings.of("head", head, ROOTS).key == _scratch(head).key
    assert names.asked == 3
    assert _fields(read) == _fields(made)  # walked: named now
    cache.close()


def test_a_work_trees_lines_kept_as_its_commits_are_read_by_the_next_check_from_that_commit(tmp_path: Path) -> None:
    """A whole check of a clean work tree keeps its lines as HEAD's: the next pre-commit check names no path."""
    first = Cache(tmp_path / "cache.sqlite3")
    listings = _listings(first)
    worktree = listings.of("WORKTREE", BASE, ROOTS)
    listings.keep_lines("c0ffee", ROOTS, worktree)
    first.close()
    cache = Cache(tmp_path / "cache.sqlite3")
    listings = _listings(cache, lambda commit: pytest.fail("the parent's lines looked for"))
    names = listings._module_names
    assert isinstance(names, _CountedNames)
    listings.near("STAGED", "c0ffee", BASE, True, [])
    read = listings.of("c0ffee", BASE, ROOTS)
    assert names.asked == 0
    assert (read.key, read.lines) == (worktree.key, worktree.lines)
    # A run that only reads the commit (a later whole check starting from its judgement) finds its lines too.
    alone = _listings(cache)
    assert alone.of("c0ffee", BASE, ROOTS).lines == worktree.lines
    assert isinstance(alone._module_names, _CountedNames)
    assert alone._module_names.asked == 0
    assert alone.of("WORKTREE", BASE, ROOTS).key == worktree.key  # not a commit: named
    assert alone._module_names.asked == len(BASE)
    cache.close()


def test_a_commits_lines_are_its_parents_patched(git_repo: Repo, tmp_path: Path) -> None:
    """The first check after a commit finds the lines the check before it kept, of the commit's parent."""
    git_repo.commit({"src/shop/__init__.py": "", "src/shop/core.py": "A = 1\n", "src/shop/old.py": "", "a.md": "x"})
    parent = git_repo.git("rev-parse", "HEAD").strip()
    git_repo.commit({"src/shop/core.py": "A = 2\n", "src/shop/old.py": None, "src/shop/new.py": "", "a.md": "y"})
    child = git_repo.git("rev-parse", "HEAD").strip()
    repo = GitRepo(git_repo.path)
    cache = Cache(tmp_path / "cache.sqlite3")
    before = _listings(cache, repo.parent_changes)
    before.near("STAGED", parent, repo.tree(parent), True, [])
    before.of(parent, repo.tree(parent), ROOTS)
    cache.flush()
    after = _listings(cache, repo.parent_changes)
    after.near("STAGED", child, repo.tree(child), True, [])
    listing = after.of(child, repo.tree(child), ROOTS)
    names = after._module_names
    assert isinstance(names, _CountedNames)
    assert names.asked == 3, "only the changed paths named"
    assert _fields(listing) == _fields(_scratch(repo.tree(child)))
    cache.close()
    assert _listings(None, repo.parent_changes).of(child, repo.tree(child), ROOTS).key == listing.key


def test_a_tree_with_a_line_break_in_a_module_path_is_not_kept(tmp_path: Path) -> None:
    """A module's own path parts are identifiers, but a code root may be any folder: its lines are not one text."""
    files = {**BASE, "we\nird/pkg/__init__.py": FileEntry("e1"), "we\nird/pkg/m.py": FileEntry("e2")}
    cache = Cache(tmp_path / "cache.sqlite3")
    listings = _listings(cache)
    listings.near("STAGED", "c0ffee", files, True, [])
    made = listings.of("c0ffee", files, ("we\nird",))
    assert made.module_file("we\nird/pkg/m.py") == ModuleFile("we\nird/pkg/m.py", "pkg.m", False)
    cache.close()
    assert Cache(tmp_path / "cache.sqlite3").get_prefixed(NAMESPACE, "") == {}


def test_a_small_tree_is_listed_without_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("docsync.listings._LINES_CACHED_FROM", len(BASE) + 1)
    cache = Cache(tmp_path / "cache.sqlite3")
    listings = _listings(cache, lambda commit: pytest.fail("git asked for a parent"))
    listings.near("STAGED", "c0ffee", BASE, True, [])
    assert listings.of("c0ffee", BASE, ROOTS).key == _scratch(BASE).key
    cache.close()
    assert Cache(tmp_path / "cache.sqlite3").get_prefixed(NAMESPACE, "") == {}


def test_a_near_snapshot_is_listed_once_and_a_cycle_is_not_followed() -> None:
    listings = _listings()
    listings.near("a", "b", BASE, True, [])
    listings.near("b", "a", BASE, True, [])
    assert listings.of("a", BASE, ROOTS).key == listings.of("b", BASE, ROOTS).key == _scratch(BASE).key
