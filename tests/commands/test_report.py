"""`docsync report` end to end on a real repository: each finding's commit subject and old signature, the trend."""

from __future__ import annotations

import re

from tests.conftest import Repo, run

CART = "def add_item(cart, item, qty=1):\n    cart.append((item, qty))\n"
GUIDE = "# Guide\n\nCall `shop.cart.add_item` to fill a cart; `qty=1` adds one by default.\n"


def report(repo: Repo, *args: str) -> str:
    target = repo.path.parent / "report.html"
    result = run(repo, "report", "--output", str(target), *args)
    assert result.code == 0, result
    return target.read_text(encoding="utf-8")


def test_findings_show_their_commit_subject_and_the_signature_before_it(git_repo: Repo) -> None:
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE}, "start", day=1)
    git_repo.commit({"shop/cart.py": CART.replace("qty=1", "*, qty=1")}, "Make qty keyword-only <now>", day=5)
    git_repo.commit({"README.md": "# Shop\n"}, "Readme", day=6)
    git_repo.commit({"shop/cart.py": CART.replace("qty=1", "*, qty=2")}, "Default to two <now>", day=8)
    page = report(git_repo, "--history", "3")
    # The doc writes `qty=1` as the default: the commit that made it wrong is the one that changed the default,
    # not the first change after the doc was written (which made qty keyword-only, and left the doc right).
    assert "Default to two &lt;now&gt;" in page  # the subject of that commit, escaped
    assert "Make qty keyword-only" not in page
    assert "add_item(cart, item, *, qty=1)" in page  # before: the parent's version of that commit
    assert "add_item(cart, item, *, qty=2)" in page  # now
    assert len(re.findall(r"<circle ", page)) == 3  # one trend point per commit asked for
    assert report(git_repo, "--history", "3") == page  # warm: the same bytes


def test_the_signature_before_is_found_after_the_code_moved_to_src(git_repo: Repo) -> None:
    """The parent of the commit that changed it read its modules from another layout: the file is what matters."""
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE}, "start", day=1)
    git_repo.commit(
        {"shop/__init__.py": None, "shop/cart.py": None, "src/shop/__init__.py": "", "src/shop/cart.py": CART},
        "Move to src",
        day=2,
    )
    git_repo.commit({"src/shop/cart.py": CART.replace("qty=1", "qty=3")}, "Three by default", day=5)
    page = report(git_repo, "--history", "2")
    assert "Three by default" in page
    assert "add_item(cart, item, qty=1)" in page
    assert "add_item(cart, item, qty=3)" in page
