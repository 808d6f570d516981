"""A listing patched from a near snapshot's is the listing made from scratch, and only then is it patched."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from docsync.cache import Cache
from docsync.gitrepo import FileEntry
from docsync.listings import Listing, Listings
from docsync.module_names import ModuleNames

ROOTS = ("src",)
BASE = {
    "src/shop/__init__.py": FileEntry("a1"),
    "src/shop/core.py": FileEntry("a2"),
    "src/shop/io/__init__.py": FileEntry("a3"),
    "src/shop/io/disk.py": FileEntry("a4"),
    "docs/index.md": FileEntry("a5"),
    "tools/run.py": FileEntry("a6"),
}


def _listings() -> Listings:
    return Listings(ModuleNames(Cache(None), ("tools/**",)))


def _fields(listing: Listing) -> tuple[object, ...]:
    return dict(listing.module_files), dict(listing.ids), list(listing.ids), listing.key, listing.paths, listing.lines


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
    ],
)
def test_a_patched_listing_is_the_listing_made_from_scratch(edit: Mapping[str, FileEntry | None]) -> None:
    head = {path: entry for path, entry in {**BASE, **edit}.items() if entry is not None}
    listings = _listings()
    base_listing = listings.of("base", BASE, ROOTS)
    listings.near("head", "base", BASE, set(edit))
    patched = listings.of("head", head, ROOTS)
    assert _fields(patched) == _fields(_listings().of("head", head, ROOTS))
    assert _fields(base_listing) == _fields(_listings().of("base", BASE, ROOTS))
    same_paths = head.keys() == BASE.keys()
    assert (patched.module_files is base_listing.module_files) == same_paths, "patched only when no path moved"


def test_a_near_snapshot_is_listed_once_and_a_cycle_is_not_followed() -> None:
    listings = _listings()
    listings.near("a", "b", BASE, [])
    listings.near("b", "a", BASE, [])
    assert (
        listings.of("a", BASE, ROOTS).key == listings.of("b", BASE, ROOTS).key == _listings().of("x", BASE, ROOTS).key
    )
