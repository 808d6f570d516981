"""The monorepo benchmark's pieces (benchmarks/bench_monorepo.py, issue 18) at a tiny size: the generated
repository's shape and determinism, the change floor's choice of docs, and the process-tree memory sampler."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture
def benchmarks(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The benchmark scripts import their helpers by bare name, from their own folder."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import _monorepo

    return _monorepo


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from _monorepo import generate_monorepo

        repo = tmp_path_factory.mktemp("mono") / "fleet"
        generate_monorepo(repo, 40, 20, seed=1)
    finally:
        sys.path.remove(str(BENCHMARKS))
    return repo


def test_monorepo_has_packages_history_and_a_ten_module_pr(tiny: Path) -> None:
    assert sorted(p.name for p in (tiny / "packages").iterdir()) == ["anchor", "harbor"]
    assert _git(tiny, "rev-list", "--count", "HEAD").strip() == "32"  # import, 30 commits of history, the PR
    changed = _git(tiny, "diff", "--name-only", "HEAD~1", "HEAD").split()
    modules = [p for p in changed if p.startswith("packages/harbor/src/harbor/") and p.endswith(".py")]
    docs = [p for p in changed if p.startswith("packages/harbor/") and p.endswith((".md", ".rst", ".ipynb"))]
    assert (len(modules), len(docs), len(changed)) == (10, 2, 12)
    anchor = list(_git(tiny, "ls-files", "packages/anchor").split())
    assert not [p for p in anchor if "harbor" in (tiny / p).read_text()]  # each package is renamed throughout
    assert "anchor" in (tiny / "packages/anchor/src/anchor/__init__.py").read_text()
    history = _git(tiny, "diff", "--name-only", "HEAD~31", "HEAD~1").split()
    assert history
    assert all(p.startswith("packages/anchor/") for p in history)


def test_monorepo_is_the_same_for_the_same_arguments(tiny: Path, benchmarks: ModuleType, tmp_path: Path) -> None:
    again = benchmarks.generate_monorepo(tmp_path / "again", 40, 20, seed=1)
    assert again.head == _git(tiny, "rev-parse", "HEAD").strip()
    assert again.base == _git(tiny, "rev-parse", "HEAD~1").strip()


def test_docsync_sees_every_package_and_doc(tiny: Path, benchmarks: ModuleType) -> None:
    from _floors import ProjectFiles, tree

    files, listing = ProjectFiles(tiny), list(tree(tiny, "HEAD"))
    modules = files.modules(listing)
    assert len(modules) >= 40
    assert {m.split("/")[1] for m in modules} == {"harbor", "anchor"}
    docs = files.docs(listing)
    assert "docs/index.md" in docs
    assert "packages/anchor/README.md" in docs
    assert len(docs) >= 20


def test_change_floor_reads_the_changed_docs_and_those_that_see_the_modules(tiny: Path, benchmarks: ModuleType) -> None:
    from _change_floors import change_floor, find_change

    diff = ["diff", "HEAD~1", "HEAD"]
    change = find_change(tiny, diff)
    assert len(change.modules) == 10
    assert len(change.blobs) == 20
    edited = set(_git(tiny, "diff", "--name-only", *diff[1:], "--", "*.md", "*.rst", "*.ipynb").split())
    assert edited < set(change.docs)  # the two edited docs, and docs that name a changed module
    assert set(change.docs) - edited  # some unedited doc references a changed module
    assert not [d for d in change.docs if d.startswith("packages/anchor/")]  # anchor's docs cannot see harbor
    floor = change_floor("c", "the PR", tiny, diff, change, runs=1)
    assert floor.median > 0
    assert "10 changed modules" in floor.what


def test_process_tree_peak_counts_children_the_largest_process_does_not(benchmarks: ModuleType) -> None:
    from _process_tree import run_measured

    allocate = "block = bytearray(80 * 2**20); block[::4096] = b'x' * len(block[::4096])"
    child = f"import time; {allocate}; print('ready', flush=True); time.sleep(0.6)"
    # The parent allocates only once the child holds its block: both are resident together, however slow the start.
    parent = (
        f"import subprocess, sys, time; child = subprocess.Popen([sys.executable, '-c', {child!r}], "
        f"stdout=subprocess.PIPE, text=True); child.stdout.readline(); {allocate}; time.sleep(0.3); child.wait()"
    )
    run = run_measured([sys.executable, "-c", parent], {})
    assert run.returncode == 0
    assert 80 * 1024 < run.peak_kb < 150 * 1024  # one process: its 80 MB and the interpreter
    assert run.tree_kb > 160 * 1024  # both processes at once


def test_a_staged_rename_renames_the_first_function_of_the_index_only(benchmarks: ModuleType, tiny: Path) -> None:
    """The benchmark's staged rename: the staged module's first function under a new name, in a temporary index
    (the repository's own index and work tree untouched), seen by docsync as a changed name."""
    from _staging import rename_first_function, stage_one_change

    assert rename_first_function(b"import os\n\n@wrap\ndef load(a):\n    return load(a)\n") == (
        b"import os\n\n@wrap\ndef load_renamed(a):\n    return load(a)\n"
    )
    assert rename_first_function(b"x = 1\n") is None
    status = _git(tiny, "status", "--porcelain")
    with tempfile.TemporaryDirectory() as scratch:
        staged = stage_one_change(tiny, Path(scratch), edit=rename_first_function)
        assert staged is not None
        diff = subprocess.run(
            ["git", "-C", str(tiny), "diff", "--cached", "-U0", "HEAD"],
            capture_output=True, text=True, check=True, env={**os.environ, **staged.env},
        ).stdout  # fmt: skip
    assert staged.path in diff
    assert "_renamed(" in diff
    assert _git(tiny, "status", "--porcelain") == status
