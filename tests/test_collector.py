"""The cyclic garbage collector is paused while docsync builds in bulk, and everything is given back after a run."""

from __future__ import annotations

import gc
import io
from pathlib import Path

from docsync.collector import building, release
from docsync.main import main
from docsync.parallel import PARALLEL_FROM, parallel_map
from tests.conftest import Repo


def _collecting(_: object) -> bool:
    return gc.isenabled()


def test_building_pauses_collection_and_freezes_what_it_built() -> None:
    assert gc.isenabled()
    try:
        with building():
            assert not gc.isenabled()
            built = [(number, str(number)) for number in range(1000)]
            with building():  # nested: the outer block freezes
                assert not gc.isenabled()
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(built)
    finally:
        release()
    assert gc.get_freeze_count() == 0


def test_the_collector_runs_again_after_an_error_inside() -> None:
    try:
        with building():
            raise ValueError("boom")
    except ValueError:
        pass
    finally:
        release()
    assert gc.isenabled()


def test_forked_workers_collect_their_own_garbage() -> None:
    assert all(parallel_map(_collecting, list(range(PARALLEL_FROM)), "testing", None))
    release()


def test_a_run_gives_back_what_it_froze(git_repo: Repo, tmp_path: Path) -> None:
    git_repo.commit(
        {"src/shop/__init__.py": "def add_item(name):\n    return name\n", "docs/guide.md": "Call `shop.add_item`.\n"}
    )
    out = io.StringIO()
    assert main(["map", "-C", str(git_repo.path)], stdout=out, stderr=io.StringIO()) == 0
    assert "shop.add_item" in out.getvalue()  # a table was built, so something was frozen on the way
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
