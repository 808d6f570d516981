"""The pre-commit hook, installed and run by the real `pre-commit` tool from this repository."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Repo, git_env

ROOT = Path(__file__).resolve().parent.parent
CART = "def add_item(cart, item, qty=1):\n    cart.append((item, qty))\n"
GUIDE = "# Guide\n\nCall `shop.cart.add_item(cart, item, qty=1)` to fill a cart (one by default).\n"
PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One hook environment for the module: installing docsync into it is the slow part."""
    return tmp_path_factory.mktemp("pre-commit-home")


def pre_commit(repo: Repo, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**git_env(), "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run([PRE_COMMIT, *args], cwd=repo.path, env=env, capture_output=True, text=True, check=False)


@pytest.mark.skipif(not Path(PRE_COMMIT).exists(), reason="pre-commit is in the test extras")
def test_hook_blocks_a_stranded_doc_and_passes_once_it_is_fixed(git_repo: Repo, pre_commit_home: Path) -> None:
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE})
    git_repo.stage({"shop/cart.py": CART.replace("qty=1", "count=1").replace("(item, qty)", "(item, count)")})
    blocked = pre_commit(git_repo, pre_commit_home, "try-repo", str(ROOT), "docsync")
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "docs/guide.md:3:" in blocked.stdout
    assert "parameter `qty` renamed to `count`" in blocked.stdout
    git_repo.stage({"docs/guide.md": GUIDE.replace("qty=1", "count=1")})
    passed = pre_commit(git_repo, pre_commit_home, "try-repo", str(ROOT), "docsync")
    assert passed.returncode == 0, passed.stdout + passed.stderr


@pytest.mark.skipif(not Path(PRE_COMMIT).exists(), reason="pre-commit is in the test extras")
def test_hook_args_take_effect(git_repo: Repo, pre_commit_home: Path, tmp_path: Path) -> None:
    """`args:` in .pre-commit-config.yaml reach `docsync check --staged`."""
    hook_repo = tmp_path / "hook-repo"  # a committed copy of this checkout, as pre-commit wants a rev
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(hook_repo)], check=True, env=git_env())
    for changed in _uncommitted(ROOT):
        target = hook_repo / changed
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / changed, target)
    subprocess.run(["git", "add", "-A"], cwd=hook_repo, check=True, env=git_env())
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "test"], cwd=hook_repo, check=True, env=git_env())
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=hook_repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    config = (
        f"repos:\n- repo: {hook_repo}\n  rev: {rev}\n  hooks:\n  - id: docsync\n"
        "    args: [--config, docsync-strict.yml]\n"
    )
    git_repo.commit({
        "shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE, ".pre-commit-config.yaml": config,
        "docsync-strict.yml": "fail-on: warning\n",
    })  # fmt: skip
    git_repo.stage({"shop/cart.py": CART.replace("qty=1", "qty=2")})  # the default the guide writes: a warning
    result = pre_commit(git_repo, pre_commit_home, "run")
    assert result.returncode == 1, result.stdout + result.stderr  # a warning fails only with the args
    assert "default changed for `qty`" in result.stdout
    git_repo.git("restore", "--staged", "shop/cart.py")  # the same change, without the args: a warning, passing
    git_repo.commit({".pre-commit-config.yaml": config.replace("    args: [--config, docsync-strict.yml]\n", "")})
    git_repo.git("add", "shop/cart.py")
    relaxed = pre_commit(git_repo, pre_commit_home, "run")
    assert relaxed.returncode == 0, relaxed.stdout + relaxed.stderr
    assert "Passed" in relaxed.stdout


def _uncommitted(root: Path) -> list[str]:
    out = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    return [line[3:] for line in out.splitlines() if line[3:] and (root / line[3:]).is_file()]


RENAMED = CART.replace("def add_item", "def put_item")


@pytest.mark.skipif(not Path(PRE_COMMIT).exists(), reason="pre-commit is in the test extras")
def test_all_files_checks_the_whole_tree_when_nothing_is_staged(git_repo: Repo, pre_commit_home: Path) -> None:
    """`pre-commit run --all-files` (pre-commit.ci, CI jobs) stages nothing: a committed rename must still fail."""
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE})
    git_repo.commit({"shop/cart.py": RENAMED})  # committed: `--staged` alone would see nothing
    result = pre_commit(git_repo, pre_commit_home, "try-repo", str(ROOT), "docsync", "--all-files")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "docs/guide.md:3:" in result.stdout
    assert "shop.cart.add_item" in result.stdout
    git_repo.commit({"docs/guide.md": GUIDE.replace("add_item", "put_item")})
    fixed = pre_commit(git_repo, pre_commit_home, "try-repo", str(ROOT), "docsync", "--all-files")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr


@pytest.mark.skipif(not Path(PRE_COMMIT).exists(), reason="pre-commit is in the test extras")
def test_from_ref_to_ref_checks_that_range(git_repo: Repo, pre_commit_home: Path) -> None:
    """`--from-ref A --to-ref B` (and pre-push) checks the change A..B, not the index nor the whole tree."""
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE})
    renamed = git_repo.commit({"shop/cart.py": RENAMED})
    fixed = git_repo.commit({"docs/guide.md": GUIDE.replace("add_item", "put_item")})
    stranded = pre_commit(
        git_repo, pre_commit_home, "try-repo", str(ROOT), "docsync", "--from-ref", base, "--to-ref", renamed
    )
    assert stranded.returncode == 1, stranded.stdout + stranded.stderr
    assert "docs/guide.md:3:" in stranded.stdout
    both = pre_commit(
        git_repo, pre_commit_home, "try-repo", str(ROOT), "docsync", "--from-ref", base, "--to-ref", fixed
    )
    assert both.returncode == 0, both.stdout + both.stderr  # the range renamed and fixed the doc together
