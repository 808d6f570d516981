"""`docsync fix`: references to renamed symbols are rewritten, and not one other byte changes."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Repo, run, sigint_as_in_a_terminal

CART = (
    '"""Carts."""\n\n\ndef remove_item(cart, item):\n    """Take `item` out."""\n'
    "    cart.remove(item)\n    return cart\n"
)
RENAMED = CART.replace("def remove_item", "def discard_item")
MARKDOWN = (
    "# Guide\r\n"
    "\r\n"
    "Call `shop.cart.remove_item`   \r\n"  # trailing spaces and CRLF stay
    "to empty it (see also `remove_item()` and [it][shop.cart.remove_item]).\r\n"
    "<!-- docsync: shop.cart.remove_item -->\r\n"
    "\r\n"
    "::: shop.cart.remove_item\r\n"
    "\r\n"
    "```python\r\n"
    "from shop.cart import remove_item\r\n"
    "from shop.cart import remove_item as rm\r\n"
    "remove_item(cart, 'tea')\r\n"
    "rm(cart, 'tea')\r\n"
    "```\r\n"
    "Café ☕ `remove_item`"  # no final newline, non-ASCII before the name
)
RST = (
    "API\n===\n\n.. currentmodule:: shop.cart\n\n.. autofunction:: remove_item\n\n"
    "Use :func:`~shop.cart.remove_item` or :func:`remove it <remove_item>`.\n\n.. docsync: shop.cart.remove_item\n"
)


@pytest.fixture
def renamed(git_repo: Repo) -> tuple[Repo, str]:
    base = git_repo.commit({
        "shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": MARKDOWN.encode(),
        "docs/api.rst": "\ufeff" + RST,
    })  # fmt: skip
    git_repo.commit({"shop/cart.py": RENAMED}, "rename")
    return git_repo, base


def test_fix_rewrites_every_style_and_nothing_else(renamed: tuple[Repo, str]) -> None:
    repo, base = renamed
    result = run(repo, "fix", "--base", base)
    assert result.code == 0, result
    assert (repo.path / "docs/guide.md").read_bytes() == MARKDOWN.replace("remove_item", "discard_item").encode()
    assert (repo.path / "docs/api.rst").read_bytes() == ("\ufeff" + RST.replace("remove_item", "discard_item")).encode()
    assert result.out.endswith("Rewrote 13 references in 2 docs\n")
    check = run(repo, "check", "--base", base, "--head", "HEAD")  # the committed docs are still stale
    assert check.code == 1


def test_fix_twice_changes_nothing_the_second_time(renamed: tuple[Repo, str]) -> None:
    repo, base = renamed
    run(repo, "fix", "--base", base)
    after = {p: (repo.path / p).read_bytes() for p in ("docs/guide.md", "docs/api.rst")}
    second = run(repo, "fix", "--base", base)
    assert (second.code, second.out) == (0, "Rewrote 0 references in 0 docs\n")
    assert {p: (repo.path / p).read_bytes() for p in after} == after


def test_dry_run_prints_a_diff_and_writes_nothing(renamed: tuple[Repo, str]) -> None:
    repo, base = renamed
    before = (repo.path / "docs/api.rst").read_bytes()
    result = run(repo, "fix", "--base", base, "--dry-run")
    assert result.code == 1, "like `ruff --diff`: a dry run that would change something fails (issue 16)"
    assert "--- a/docs/api.rst\n+++ b/docs/api.rst\n" in result.out
    assert "-Use :func:`~shop.cart.remove_item` or :func:`remove it <remove_item>`.\n" in result.out
    assert "+Use :func:`~shop.cart.discard_item` or :func:`remove it <discard_item>`.\n" in result.out
    assert result.out.endswith("Would rewrite 13 references in 2 docs\n")
    assert (repo.path / "docs/api.rst").read_bytes() == before
    assert repo.git("status", "--porcelain") == ""


def test_a_dry_run_with_nothing_to_rewrite_exits_0(renamed: tuple[Repo, str]) -> None:
    repo, base = renamed
    assert run(repo, "fix", "--base", base).code == 0
    result = run(repo, "fix", "--base", base, "--dry-run")
    assert (result.code, result.out) == (0, "Would rewrite 0 references in 0 docs\n")


def test_quiet_fix_prints_the_diff_and_no_count(renamed: tuple[Repo, str]) -> None:
    repo, base = renamed
    result = run(repo, "fix", "--base", base, "--dry-run", "-q")
    assert result.code == 1
    assert "+++ b/docs/api.rst" in result.out
    assert "Would rewrite" not in result.out
    quiet = run(repo, "fix", "--base", base, "--quiet")
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "")
    assert "discard_item" in (repo.path / "docs/api.rst").read_text(encoding="utf-8-sig")


def test_whole_repository_fix_uses_history(renamed: tuple[Repo, str]) -> None:
    """Without --base, renames are traced in history for names that no longer exist."""
    repo, _ = renamed
    result = run(repo, "fix")
    assert result.code == 0, result
    text = (repo.path / "docs/api.rst").read_text(encoding="utf-8-sig")
    assert "shop.cart.discard_item" in text
    assert "shop.cart.remove_item" not in text


def test_notebooks_are_fixed_in_place(git_repo: Repo) -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["Use `shop.cart.remove_item`.\n"]},
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
             "source": ["from shop.cart import remove_item\n", "remove_item([], 1)\n"]},
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }  # fmt: skip
    text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/tour.ipynb": text})
    git_repo.commit({"shop/cart.py": RENAMED})
    assert run(git_repo, "fix", "--base", base).code == 0
    assert git_repo.read("docs/tour.ipynb") == text.replace("remove_item", "discard_item")


MOVED_DOC = (
    "# A\n\n```python\nfrom shop.cart import remove_item\n\nremove_item(cart, 'tea')\n```\n\n"
    ">>> from shop.cart import remove_item\n>>> remove_item(cart, 'pen')\n\n`shop.cart.remove_item`\n"
)


def test_a_move_to_another_module_rewrites_the_examples_import(git_repo: Repo) -> None:
    """starlette.response became starlette.responses: `from starlette.response import Response` is one edit, the
    uses below it none (the import found with libcst, in a fence and in a doctest)."""
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "shop/basket.py": "", "docs/a.md": MOVED_DOC})
    git_repo.commit({"shop/cart.py": '"""Carts."""\n', "shop/basket.py": CART})
    result = run(git_repo, "fix", "--base", base)
    assert result.code == 0, result
    assert git_repo.read("docs/a.md") == MOVED_DOC.replace("shop.cart", "shop.basket")
    git_repo.commit({"docs/a.md": git_repo.read("docs/a.md")}, "fixed")
    assert json.loads(run(git_repo, "check", "--base", base, "--format", "json").out)["findings"] == []
    assert "Would rewrite 0 references" in run(git_repo, "fix", "--base", base, "--dry-run").out


def test_an_import_of_what_moved_and_what_did_not_is_left_to_a_human(git_repo: Repo) -> None:
    doc = "# A\n\n```python\nfrom shop.cart import remove_item, keep\n```\n"
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART + "\n\ndef keep():\n    pass\n",
                            "shop/basket.py": "", "docs/a.md": doc})  # fmt: skip
    git_repo.commit({"shop/cart.py": '"""Carts."""\n\n\ndef keep():\n    pass\n', "shop/basket.py": CART})
    dry = run(git_repo, "fix", "--base", base, "--dry-run")
    assert (dry.code, dry.out.splitlines()[-1]) == (1, "Would rewrite 0 references in 0 docs; 2 left to edit by hand")
    result = run(git_repo, "fix", "--base", base)
    assert result.code == 1
    assert "not fixed: docs/a.md:4: `from shop.cart import remove_item, keep` also imports what did not move" in (
        result.out
    )
    assert git_repo.read("docs/a.md") == doc


def test_fix_reaccepts_what_it_rewrote(renamed: tuple[Repo, str]) -> None:
    repo, base = renamed
    repo.git("checkout", "-q", base)
    run(repo, "accept", "docs/api.rst")
    lock = repo.read(".docsync.lock")
    repo.git("checkout", "-q", "main")
    repo.write({".docsync.lock": lock})
    assert "shop.cart.remove_item" in lock
    run(repo, "fix", "--base", base)
    relocked = repo.read(".docsync.lock")
    assert "shop.cart.remove_item" not in relocked
    assert "shop.cart.discard_item " in relocked
    assert "[docs/guide.md]" not in relocked  # never accepted: fix does not accept it for you


# -- links, the repository's edge, interruptions (issue 13) --------------------------------------------

GUIDE = "# Guide\n\nCall `shop.cart.remove_item` to empty it.\n"


@pytest.mark.parametrize("target_tracked", [True, False], ids=["both tracked", "only the link tracked"])
def test_a_symlinked_doc_is_fixed_in_its_target_and_stays_a_link(git_repo: Repo, target_tracked: bool) -> None:
    files: dict[str, str | None] = {"shop/__init__.py": "", "shop/cart.py": CART, "docs/index.md": GUIDE}
    if not target_tracked:
        files[".gitignore"] = "docs/index.md\n"
    git_repo.write(files)
    os.symlink("docs/index.md", git_repo.path / "README.md")
    base = git_repo.commit({})
    assert ("docs/index.md" in git_repo.git("ls-files")) is target_tracked
    git_repo.commit({"shop/cart.py": RENAMED}, "rename")
    result = run(git_repo, "fix", "--base", base)
    assert result.code == 0, result
    assert os.readlink(git_repo.path / "README.md") == "docs/index.md"
    assert git_repo.read("docs/index.md") == GUIDE.replace("remove_item", "discard_item")
    assert result.out == "Rewrote 1 reference in 1 doc\n"  # one file, however many names it has
    assert run(git_repo, "fix", "--base", base).out == "Rewrote 0 references in 0 docs\n"


def test_fix_never_reads_or_writes_outside_the_repository(git_repo: Repo, tmp_path: Path) -> None:
    """A tracked doc whose folder was replaced by a link out of the repository is skipped, with a warning."""
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE, "a.md": GUIDE})
    git_repo.commit({"shop/cart.py": RENAMED}, "rename")
    outside = tmp_path / "elsewhere"
    (git_repo.path / "docs").rename(outside)
    os.symlink(outside, git_repo.path / "docs")
    result = run(git_repo, "fix", "--base", base)
    assert (outside / "guide.md").read_text() == GUIDE
    assert os.listdir(outside) == ["guide.md"]
    assert f"docsync: warning: docs/guide.md: resolves to {outside / 'guide.md'}, outside the repository; skipped" in (
        result.err.splitlines()
    )
    assert git_repo.read("a.md") == GUIDE.replace("remove_item", "discard_item")  # the rest is fixed


def test_a_read_only_folder_is_a_one_line_error(git_repo: Repo) -> None:
    """Was exit 3 with a traceback: the temporary file was made outside the error handling."""
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE})
    git_repo.commit({"shop/cart.py": RENAMED}, "rename")
    folder = git_repo.path / "docs"
    with read_only(folder):
        result = run(git_repo, "fix", "--base", base)
    assert result.code == 2, result
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("docsync: error: cannot write docs/guide.md: ")
    assert lines[0].endswith("(check that you may write docs/guide.md and its folder)")
    assert git_repo.read("docs/guide.md") == GUIDE
    assert os.listdir(folder) == ["guide.md"]


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """A folder no one may create files in: immutable for root (chmod does not stop root), else mode 0o555."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False).returncode != 0:
        pytest.skip("running as root on a file system without the immutable attribute (chattr +i)")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def dotfiles(folder: Path) -> list[str]:
    """What a write leaves beside the docs: the docs here have no dotfiles of their own."""
    return sorted(name for name in os.listdir(folder) if name.startswith("."))


def wait_until_stopped(pid: int) -> None:
    """Until the process is really stopped (state T in /proc), or a second has passed."""
    deadline = time.monotonic() + 1
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        except (OSError, IndexError):
            return
        if state in ("T", "t"):
            return
        time.sleep(0.001)


def stop_while_writing(process: subprocess.Popen[bytes], folder: Path, skip: int) -> bool:
    """Stop the process (SIGSTOP) at a moment when a temporary file of its exists in `folder`, passing `skip`
    such moments first; False when it finished before."""
    seen = 0
    while process.poll() is None:
        if not dotfiles(folder):
            continue
        os.kill(process.pid, signal.SIGSTOP)
        wait_until_stopped(process.pid)  # SIGSTOP is delivered later than kill() returns
        if dotfiles(folder):  # still there now that it is stopped: it is half way through a write
            seen += 1
            if seen > skip:
                return True
        os.kill(process.pid, signal.SIGCONT)
    return False


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("skip", [0, 10], ids=["first write", "later write"])
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_a_fix_killed_while_writing_leaves_no_temporary_file(git_repo: Repo, how: signal.Signals, skip: int) -> None:
    count = 24
    docs = {f"docs/d{n:02}.md": GUIDE + "Filler text.\n" * 300 for n in range(count)}
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, **docs})
    git_repo.commit({"shop/cart.py": RENAMED}, "rename")
    fixed = {doc: text.replace("remove_item", "discard_item") for doc, text in docs.items()}
    folder = git_repo.path / "docs"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    for _attempt in range(5):  # a write takes a millisecond or so: catching one may take more than one run
        process = subprocess.Popen(
            [sys.executable, "-m", "docsync", "fix", "-C", str(git_repo.path), "--base", base],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, preexec_fn=sigint_as_in_a_terminal,
        )  # fmt: skip
        if stop_while_writing(process, folder, skip):
            break
        process.wait()
        git_repo.git("checkout", "-q", "--", "docs")
    else:
        pytest.fail("never caught docsync fix while it was writing a doc")
    os.kill(process.pid, how)
    os.kill(process.pid, signal.SIGCONT)
    _, errors = process.communicate(timeout=60)
    for doc, text in docs.items():  # each doc whole: the old text or the new one
        assert git_repo.read(doc) in (text, fixed[doc]), doc
    if how is signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
        assert dotfiles(folder), "killed half way through a write: its temporary file is left"
        for name in dotfiles(folder):  # the killed run's file, as a later run finds it: minutes old
            then = os.stat(folder / name).st_mtime - 3600
            os.utime(folder / name, (then, then))
    else:
        assert process.returncode == (130 if how is signal.SIGINT else 128 + signal.SIGTERM), errors
        assert b"Traceback" not in errors
        assert dotfiles(folder) == []
    again = run(git_repo, "fix", "--base", base)
    assert again.code == 0, again
    assert dotfiles(folder) == []
    assert {doc: git_repo.read(doc) for doc in docs} == fixed


def test_fix_rewrites_a_deprecated_name_to_the_replacement_its_warning_names(git_repo: Repo) -> None:
    """`remove_item()` now warns "use `discard_item`": the doc's name and the example's call move to the
    replacement; a deprecated name whose warning names none is left to a human, and `check` is clean afterwards."""
    warned = (
        CART.replace('"""Carts."""\n', '"""Carts."""\nimport warnings\n').replace(
            "    cart.remove(item)\n",
            "    warnings.warn('use `discard_item`', DeprecationWarning)\n    cart.remove(item)\n",
        )
        + "\n\ndef discard_item(cart, item):\n    cart.remove(item)\n    return cart\n"
    )
    doc = "# Guide\n\nCall `shop.cart.remove_item` to empty it.\n\n```python\nfrom shop.cart import remove_item\n```\n"
    base = git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": doc})
    git_repo.commit({"shop/cart.py": warned}, "deprecate remove_item")
    before = json.loads(run(git_repo, "check", "--base", base, "--format", "json").out)["findings"]
    assert [(f["line"], f["kind"], f["replacement"]) for f in before] == [
        (3, "deprecated", "shop.cart.discard_item"),
        (6, "deprecated", "shop.cart.discard_item"),
    ]
    result = run(git_repo, "fix", "--base", base)
    assert result.code == 0, result
    assert git_repo.read("docs/guide.md") == doc.replace("remove_item", "discard_item")
    git_repo.commit({"docs/guide.md": git_repo.read("docs/guide.md")}, "the fix")
    assert json.loads(run(git_repo, "check", "--base", base, "--format", "json").out)["findings"] == []


def test_a_deprecated_import_through_a_re_export_becomes_the_replacements_public_import(git_repo: Repo) -> None:
    """SQLAlchemy's `from sqlalchemy.ext.declarative import declarative_base` (defined in `...declarative.api`)
    became `from sqlalchemy.orm import declarative_base` (defined in `sqlalchemy.orm.decl_api`)."""
    impl = "def make_base():\n    return object\n"
    doc = "# Bases\n\n```python\nfrom shop.legacy import make_base\n\nBase = make_base()\n```\n"
    base = git_repo.commit({
        "shop/__init__.py": "", "shop/legacy/__init__.py": "from .api import make_base\n", "shop/legacy/api.py": impl,
        "shop/core/__init__.py": "from .impl import make_base\n", "shop/core/impl.py": impl, "docs/bases.md": doc,
    })  # fmt: skip
    deprecated = '@deprecated("make_base() is now available as shop.core.make_base")\n' + impl
    git_repo.commit({"shop/legacy/api.py": "from typing_extensions import deprecated\n\n\n" + deprecated})
    result = run(git_repo, "fix", "--base", base)
    assert result.code == 0, result
    assert git_repo.read("docs/bases.md") == doc.replace("shop.legacy", "shop.core")
