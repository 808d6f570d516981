"""Resolutions kept by table and doc version in a real cache file, and a head's entry of those it shares."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from docsync.cache import Cache
from docsync.doc_resolutions import NAMESPACE, DocResolutions
from docsync.models import DocResolution

A, B, C = (DocResolution(n, frozenset({f"pkg.f{n}"})) for n in (1, 2, 3))
DOCS = {"b1:a.md": "a.md", "b2:b.md": "b.md", "b3:c.md": "c.md"}


def _run(path: Path) -> tuple[Cache, DocResolutions]:
    cache = Cache(path / "cache.sqlite3")
    return cache, DocResolutions(cache)


def _stored(path: Path) -> dict[str, object]:
    with sqlite3.connect(path / "cache.sqlite3") as db:
        rows = db.execute("SELECT key, value FROM entries WHERE ns = ?", (NAMESPACE,)).fetchall()
    db.close()
    return dict(rows)


def test_a_head_shares_the_base_resolutions_of_its_untouched_docs(tmp_path: Path) -> None:
    cache, kept = _run(tmp_path)
    kept.put("base", {"b1:a.md": A, "b2:b.md": B, "b3:c.md": C})
    cache.close()
    cache, kept = _run(tmp_path)
    assert kept.get("base", DOCS) == {"a.md": A, "b.md": B, "c.md": C}
    touched = DocResolution(9, frozenset({"pkg.g"}))
    kept.put("head1", {"b1:a.md": touched})
    kept.put_same("head1", "base", {"b2:b.md": "b.md", "b3:c.md": "c.md"})
    cache.close()
    head_entries = [key for key in _stored(tmp_path) if key.startswith("head1:")]
    assert sorted(head_entries) == ["head1:b1:a.md", "head1:same"], "one entry for the shared, not one per doc"

    cache, kept = _run(tmp_path)  # the next commit's check: head1 is its base
    assert kept.get("head1", DOCS) == {"a.md": touched, "b.md": B, "c.md": C}
    kept.put_same("head2", "head1", DOCS)
    cache.close()
    assert _stored(tmp_path)["head2:same"] == '{"b1:a.md":"head1","b2:b.md":"base","b3:c.md":"base"}', (
        "where each is stored, not a chain through head1"
    )
    cache, kept = _run(tmp_path)
    assert kept.get("head2", DOCS) == {"a.md": touched, "b.md": B, "c.md": C}
    assert kept.get("head2", {"b4:a.md": "a.md"}) == {}, "another version of a doc is not shared"
    cache.close()


def test_sharing_with_itself_or_what_was_never_read_writes_nothing(tmp_path: Path) -> None:
    cache, kept = _run(tmp_path)
    kept.put("base", {"b1:a.md": A})
    kept.put_same("base", "base", DOCS)
    kept.put_same("head", "other", DOCS)  # nothing of `other` read or kept in this run
    cache.close()
    assert _stored(tmp_path).get("base:same") is None
    assert _stored(tmp_path).get("head:same") is None
    cache, kept = _run(tmp_path)
    assert kept.get("head", DOCS) == {}
    cache.close()


def test_a_shared_resolution_whose_entry_was_evicted_is_unknown(tmp_path: Path) -> None:
    cache, kept = _run(tmp_path)
    kept.put("base", {"b1:a.md": A, "b2:b.md": B})
    kept.put_same("head", "base", DOCS)
    cache.close()
    with sqlite3.connect(tmp_path / "cache.sqlite3") as db:
        db.execute("DELETE FROM entries WHERE ns = ? AND key = ?", (NAMESPACE, "base:b1:a.md"))
    db.close()
    cache, kept = _run(tmp_path)
    assert kept.get("head", DOCS) == {"b.md": B}
    cache.close()
