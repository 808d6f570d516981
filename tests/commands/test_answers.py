"""Answers of unchanged runs (issue 18): `check`, `map` and `report` asked again of the same tree answer from the
cache, and any change to what they read (a file, the index, a commit, the settings, the lockfile, the options) runs
them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

import docsync.commands.check
from docsync.checks import Checked
from tests.conftest import Repo, Result, run

CART = '''"""Carts."""


def add_item(cart, item, qty=1):
    cart.append((item, qty))
'''
GUIDE = "# Guide\n\nCall `shop.cart.add_item` to fill a cart, or `shop.cart.empty` to empty it.\n"
KEPT = "(the answer kept from the same run on the same tree)"


@pytest.fixture
def shop(git_repo: Repo) -> Repo:
    """The guide names `empty`, which the second commit removed."""
    empty = "\n\ndef empty(cart):\n    cart.clear()\n"
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART + empty, "docs/guide.md": GUIDE}, "initial")
    git_repo.commit({"shop/cart.py": CART}, "remove empty")
    return git_repo


def check(repo: Repo, *args: str) -> tuple[Result, list[tuple[str, str]]]:
    result = run(repo, "check", "-v", "--format", "json", *args)
    assert result.code in (0, 1), result
    return result, [(f["doc"], f["symbol"]) for f in json.loads(result.out)["findings"]]


def kept(result: Result) -> bool:
    return KEPT in result.err


def test_an_unchanged_tree_is_answered_from_the_run_before(shop: Repo) -> None:
    first, found = check(shop)
    assert found == [("docs/guide.md", "shop.cart.empty")]
    assert not kept(first)
    second, _again = check(shop)
    assert kept(second), second.err
    assert second.out == first.out
    assert second.code == first.code == 1


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(lambda r: r.write({"shop/cart.py": CART + "\n\ndef empty(cart):\n    cart.clear()\n"}), [],
                     id="a tracked module edited"),
        pytest.param(lambda r: r.stage({"shop/cart.py": CART + "\n\ndef empty(cart):\n    cart.clear()\n"}), [],
                     id="a module edited and staged"),
        pytest.param(lambda r: r.write({"docs/new.md": "`shop.cart.empty`\n"}),
                     [("docs/guide.md", "shop.cart.empty"), ("docs/new.md", "shop.cart.empty")],
                     id="an untracked doc"),
        pytest.param(lambda r: r.write({"docs/guide.md": None}), [], id="a tracked doc deleted"),
        pytest.param(lambda r: r.commit({"docs/guide.md": "# Guide\n\n`shop.cart.add_item`\n"}), [], id="a commit"),
        pytest.param(lambda r: r.write({"pyproject.toml": "[tool.docsync]\nignore-symbols = ['shop.cart.empty']\n"}),
                     [], id="the settings"),
    ],
)  # fmt: skip
def test_any_change_to_what_the_check_reads_runs_it_again(
    shop: Repo, change: Callable[[Repo], object], expected: list[tuple[str, str]]
) -> None:
    check(shop)
    change(shop)
    result, found = check(shop)
    assert not kept(result), result.err
    assert found == expected
    assert kept(check(shop)[0]), "and the run after it is answered again"


def test_a_file_changed_and_changed_back_is_answered_again(shop: Repo) -> None:
    check(shop)
    shop.write({"docs/guide.md": GUIDE.replace("`shop.cart.empty`", "`shop.cart.add_item`")})
    assert not kept(check(shop)[0])
    shop.write({"docs/guide.md": GUIDE})
    result, found = check(shop)
    assert kept(result)
    assert found == [("docs/guide.md", "shop.cart.empty")]


def test_other_options_are_other_questions(shop: Repo) -> None:
    check(shop)
    assert not kept(check(shop, "docs/guide.md")[0])
    selected, found = check(shop, "--select", "signature")
    assert not kept(selected), "--select changes the settings' digest"
    assert found == []
    assert not kept(run(shop, "check", "-v", "--base", "HEAD"))
    assert kept(run(shop, "check", "-v", "--base", "HEAD")), "a pull request's check is kept by its commits"
    assert not kept(run(shop, "check", "-v", "--report-unused-ignores")), "it prints as it checks: never kept"
    assert not kept(run(shop, "check", "-v", "--report-unused-ignores"))


def test_a_staged_check_is_kept_by_the_index(shop: Repo) -> None:
    """`--staged` reads the index alone: an unstaged edit changes nothing it reads, a staged one does."""
    shop.stage({"shop/cart.py": CART.replace("qty=1", "count=1").replace("(item, qty)", "(item, count)")})
    first, found = check(shop, "--staged")
    assert not kept(first)
    assert found == [], "the guide writes no `qty`: a renamed parameter is no finding"
    assert kept(check(shop, "--staged")[0])
    shop.write({"docs/guide.md": GUIDE + "\nUnstaged.\n"})
    assert kept(check(shop, "--staged")[0]), "the work tree is not what --staged reads"
    shop.stage({"docs/guide.md": GUIDE + "\nStaged.\n"})
    assert not kept(check(shop, "--staged")[0])


def test_no_cache_keeps_and_reads_no_answer(shop: Repo) -> None:
    check(shop, "--no-cache")
    assert not kept(check(shop, "--no-cache")[0])
    assert not kept(check(shop)[0])


def test_the_warnings_of_the_run_are_printed_again(shop: Repo) -> None:
    shop.commit({"docs/latin1.md": "caf\xe9 `shop.cart.add_item`\n".encode("latin-1")})
    first, _ = check(shop)
    second, _ = check(shop)
    warning = "docsync: warning: docs/latin1.md:1: is not UTF-8 text"
    assert kept(second)
    assert warning in first.err
    assert warning in second.err


def test_a_file_saved_while_the_check_reads_keeps_no_answer(shop: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run may have read either version of the file: its answer must not stand for the version before."""
    original = docsync.commands.check.run_check

    def saving_mid_run(*args: object) -> Checked:
        shop.write({"docs/guide.md": GUIDE.replace("`shop.cart.empty`", "`shop.cart.add_item`")})
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(docsync.commands.check, "run_check", saving_mid_run)
    check(shop)
    monkeypatch.setattr(docsync.commands.check, "run_check", original)
    shop.write({"docs/guide.md": GUIDE})
    result, found = check(shop)
    assert not kept(result), "the answer was made from the saved file, not from this tree"
    assert found == [("docs/guide.md", "shop.cart.empty")]


def test_map_is_answered_from_the_run_before(shop: Repo) -> None:
    first = run(shop, "map", "-v", "--format", "json")
    second = run(shop, "map", "-v", "--format", "json")
    assert not kept(first)
    assert kept(second)
    assert second.out == first.out
    assert not kept(run(shop, "map", "-v")), "another format, another question"
    shop.write({"docs/new.md": "`shop.cart.add_item`\n"})
    third = run(shop, "map", "-v", "--format", "json")
    assert not kept(third)
    assert "docs/new.md" in third.out


def test_a_gitignored_lockfile_is_still_read(shop: Repo) -> None:
    shop.commit({".gitignore": ".docsync.lock\n"})
    check(shop)
    assert run(shop, "accept", "docs/guide.md").code == 0
    result, _ = check(shop)
    assert not kept(result), "the lockfile is in the key even where git does not see it"


def test_report_is_answered_from_the_run_before(shop: Repo, tmp_path: Path) -> None:
    target = tmp_path / "report.html"  # outside the work tree: writing it changes nothing the report reads
    first = run(shop, "report", "-v", "-o", str(target))
    html = target.read_text(encoding="utf-8")
    second = run(shop, "report", "-v", "-o", str(target))
    assert not kept(first)
    assert kept(second), second.err
    assert target.read_text(encoding="utf-8") == html
    assert second.out == first.out
    assert first.out.startswith(f"Wrote {target}: freshness score ")
    assert first.out.endswith("/100, 1 findings\n")
    assert not kept(run(shop, "report", "-v", "--history", "5", "-o", str(target))), "another trend"
    shop.git("remote", "add", "origin", "https://github.com/example/shop.git")
    assert not kept(run(shop, "report", "-v", "-o", str(target))), "its links point elsewhere"
    assert "https://github.com/example/shop/blob/" in target.read_text(encoding="utf-8")


def test_untracked_files_in_excluded_folders_change_no_answer(shop: Repo) -> None:
    """A virtual environment git does not ignore holds thousands of files no run reads: they are not hashed."""
    check(shop)
    shop.write({".venv/lib/site.py": "x = 1\n", "node_modules/pkg/index.md": "`shop.cart.gone`\n"})
    assert kept(check(shop)[0])
    shop.write({"shop/extra.py": "def more():\n    pass\n"})
    assert not kept(check(shop)[0]), "an untracked module is read"
