"""Bad input gets one line naming the cause and the fix, exit 2, no traceback, and nothing written."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pytest

from docsync.main import main
from tests.conftest import Repo, Result, git_env, run

CART = "def add_item(cart, item):\n    cart.append(item)\n"
DOC = "# Doc\n\nUse `shop.cart.add_item`.\n"


def assert_one_line_error(result: object, *words: str) -> None:
    code, out, err = result.code, result.out, result.err  # type: ignore[attr-defined]
    assert code == 2, result
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("docsync: error: ")
    assert "Traceback" not in err
    for word in words:
        assert word in lines[0], lines[0]


def test_not_a_git_repository(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    assert_one_line_error(run(tmp_path / "plain", "check"), "not a git repository", "git init")


def test_missing_directory(tmp_path: Path) -> None:
    assert_one_line_error(run(tmp_path / "nowhere", "map"), "not a git repository")


def test_unknown_revision(git_repo: Repo) -> None:
    git_repo.commit({"shop/cart.py": CART})
    assert_one_line_error(run(git_repo, "check", "--base", "nope"), "unknown revision 'nope'", "fetch-depth: 0")


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--base=--output=x"),
        ("check", "--head=--output=x"),
        ("check", "--base=-"),
        ("map", "--rev=--output=x"),
        ("report", "--base=--output=x", "--format", "json", "--output", "-"),
        ("fix", "--base=--output=x", "--dry-run"),
        ("ci", "--base=--upload-pack=touch x;true", "--no-comment"),
    ],
    ids=lambda args: args[0] + "-" + args[1].lstrip("-").partition("=")[0],
)
def test_revision_that_looks_like_an_option(git_repo: Repo, args: tuple[str, ...]) -> None:
    """Rejected as a usage error before any git runs: never passed to git, where it would be an option."""
    git_repo.commit({"shop/cart.py": CART})
    result = run(git_repo, *args)
    assert_one_line_error(result, "is not a revision", "cannot start with '-'")
    assert not (git_repo.path / "x").exists()


def test_empty_repository(git_repo: Repo) -> None:
    assert_one_line_error(run(git_repo, "check", "--base", "HEAD"), "no commits yet")


def test_empty_repository_whole_repo_mode_works(git_repo: Repo) -> None:
    git_repo.write({"shop/cart.py": CART, "docs/a.md": DOC})
    assert run(git_repo, "check").code == 0


def test_bare_repository(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", "--bare", str(tmp_path / "bare.git")], check=True, env=git_env())
    assert_one_line_error(run(tmp_path / "bare.git", "check"), "bare repository")


def test_shallow_clone_missing_the_base(git_repo: Repo, tmp_path: Path) -> None:
    first = git_repo.commit({"shop/cart.py": CART, "docs/a.md": DOC})
    for n in range(3):
        git_repo.commit({"shop/cart.py": CART + f"\nX = {n}\n"})
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{git_repo.path}", str(clone)],
        check=True,
        env=git_env(),
    )
    assert_one_line_error(run(clone, "check", "--base", first), "unknown revision", "fetch-depth: 0")


def test_config_that_does_not_parse(git_repo: Repo) -> None:
    git_repo.commit({"shop/cart.py": CART, "pyproject.toml": "[tool.docsync\n"})
    assert_one_line_error(run(git_repo, "check"), "pyproject.toml does not parse", "TOML")


def test_yaml_config_that_does_not_parse(git_repo: Repo) -> None:
    git_repo.commit({"shop/cart.py": CART, ".docsync.yml": "docs: [a\n"})
    assert_one_line_error(run(git_repo, "check"), ".docsync.yml does not parse")


def test_unknown_config_key(git_repo: Repo) -> None:
    git_repo.commit({"pyproject.toml": "[tool.docsync]\nfail_under = 80\n"})
    assert_one_line_error(run(git_repo, "check"), "unknown key 'fail_under'", "did you mean 'fail-under'?")


def test_bad_fail_under_option(git_repo: Repo) -> None:
    git_repo.commit({"shop/cart.py": CART})
    assert_one_line_error(run(git_repo, "check", "--fail-under", "lots"), "--fail-under", "0 to 100")


def test_usage_errors_exit_2(git_repo: Repo) -> None:
    result = run(git_repo, "check", "--staged", "--head", "HEAD")
    assert result.code == 2
    assert "not allowed with argument" in result.err


def test_path_outside_the_repository(git_repo: Repo, tmp_path: Path) -> None:
    git_repo.commit({"shop/cart.py": CART})
    assert_one_line_error(run(git_repo, "check", str(tmp_path)), "outside the repository")


# --- files we skip with a warning, going on with the rest -----------------------------------------


def test_python_file_that_does_not_parse_is_reported_once(git_repo: Repo) -> None:
    git_repo.commit({
        "shop/cart.py": CART, "shop/broken.py": "def oops(:\n    pass\n", "docs/a.md": DOC,
        "docs/b.md": "`shop.cart.add_item`\n",
    })  # fmt: skip
    result = run(git_repo, "check", "--format", "json")
    assert result.code == 0
    warnings = [line for line in result.err.splitlines() if "broken.py" in line]
    assert warnings == [
        "docsync: warning: shop/broken.py:1: could not parse this file (invalid syntax); only the names of its classes and functions are read"
    ]


def test_undecodable_and_binary_docs_are_skipped(git_repo: Repo) -> None:
    git_repo.commit({
        "shop/cart.py": CART, "docs/latin1.md": "caf\xe9 `shop.cart.add_item`\n".encode("latin-1"),
        "docs/blob.md": b"\x89PNG\r\n\x1a\n\0\0\0", "docs/ok.md": DOC,
    })  # fmt: skip
    result = run(git_repo, "map", "--format", "json")
    assert result.code == 0
    assert "docs/latin1.md:1: is not UTF-8 text" in result.err
    assert "docs/blob.md:1: looks like a binary file; skipped" in result.err
    assert [r["doc"] for r in json.loads(result.out)["references"]] == ["docs/ok.md"]


def test_huge_files_are_skipped(git_repo: Repo) -> None:
    git_repo.commit({"shop/cart.py": CART, "docs/ok.md": DOC})
    git_repo.write({"docs/huge.md": "`shop.cart.gone`\n" + "x" * (5 * 1024 * 1024 + 1)})
    result = run(git_repo, "check", "--format", "json")
    assert result.code == 0, result  # the huge doc, with its missing reference, was not read
    warning = "docsync: warning: docs/huge.md: larger than 5 MB; skipped"
    assert result.err.splitlines().count(warning) == 1, result.err  # the work tree says so too (issue 13)
    git_repo.commit({"docs/huge.md": "`shop.cart.gone`\n" + "x" * (5 * 1024 * 1024 + 1)})
    result = run(git_repo, "check", "--head", "HEAD", "--format", "json")
    assert result.err.splitlines().count(warning) == 1, result.err
    result = run(git_repo, "check", "--base", "HEAD~1", "--format", "json")  # both snapshots: still once
    assert result.err.splitlines().count(warning) == 1, result.err
    git_repo.stage({"shop/generated.py": "TABLE = 1\n" + "#" * (5 * 1024 * 1024 + 1)})  # the index gives no sizes
    result = run(git_repo, "check", "--staged", "--format", "json")
    assert "docsync: warning: shop/generated.py: larger than 5 MB; skipped" in result.err.splitlines()
    result = run(git_repo, "check", "--format", "json")
    assert "docsync: warning: shop/generated.py: larger than 5 MB; skipped" in result.err.splitlines()


def test_huge_files_that_are_neither_docs_nor_modules_are_not_mentioned(git_repo: Repo) -> None:
    git_repo.commit({"shop/cart.py": CART, "docs/ok.md": DOC, "data.txt": "x" * (5 * 1024 * 1024 + 1)})
    assert run(git_repo, "check").err == ""


@pytest.mark.parametrize("worktree", [True, False], ids=["work tree", "commit"])
def test_a_doc_with_a_line_break_in_its_name_is_skipped_with_a_warning(git_repo: Repo, worktree: bool) -> None:
    git_repo.commit({"shop/cart.py": CART, "docs/ok.md": DOC, "docs/two\nlines.md": "`shop.cart.gone`\n"})
    result = run(git_repo, "map", "--format", "json", *([] if worktree else ["--rev", "HEAD"]))
    assert result.code == 0, result
    assert result.err.splitlines() == ["docsync: warning: docs/two\\nlines.md: has a line break in its name; skipped"]
    assert [r["doc"] for r in json.loads(result.out)["references"]] == ["docs/ok.md"]
    check = run(git_repo, "check", "--format", "json", *([] if worktree else ["--head", "HEAD"]))
    assert check.code == 0, check  # its missing reference was not read
    assert check.err.count("has a line break in its name") == 1


def test_symlinks_out_of_the_repository_are_not_followed(git_repo: Repo, tmp_path: Path) -> None:
    secret = tmp_path / "outside.md"
    secret.write_text("`shop.cart.gone`\n")
    git_repo.commit({"shop/cart.py": CART, "docs/a.md": DOC})
    os.symlink(secret, git_repo.path / "docs" / "link.md")
    os.symlink(git_repo.path / "docs" / "a.md", git_repo.path / "docs" / "inside.md")
    result = run(git_repo, "map", "--format", "json")
    docs = {r["doc"] for r in json.loads(result.out)["references"]}
    assert docs == {"docs/a.md", "docs/inside.md"}
    assert result.err.splitlines() == [
        f"docsync: warning: docs/link.md: resolves to {secret}, outside the repository; skipped"
    ]


def test_a_folder_linked_out_of_the_repository_is_not_followed(git_repo: Repo, tmp_path: Path) -> None:
    git_repo.commit({"shop/cart.py": CART, "docs/a.md": DOC, "notes/b.md": "`shop.cart.gone`\n"})
    (git_repo.path / "notes").rename(tmp_path / "notes")
    os.symlink(tmp_path / "notes", git_repo.path / "notes")
    git_repo.write({"pyproject.toml": '[tool.docsync]\ndocs = ["docs/**", "notes/**"]\n'})
    result = run(git_repo, "check", "--format", "json")
    assert result.code == 0, result  # the missing reference outside was not read
    assert (
        f"docsync: warning: notes/b.md: resolves to {tmp_path / 'notes' / 'b.md'}, outside the repository; skipped"
        in (result.err.splitlines())
    )


def test_nothing_is_written_to_the_work_tree(git_repo: Repo) -> None:
    git_repo.commit({"shop/cart.py": CART, "docs/a.md": DOC})
    git_repo.stage({"shop/cart.py": CART.replace("item)", "thing)")})
    before = git_repo.git("status", "--porcelain=v2", "--untracked-files=all")
    for args in (("check", "--staged"), ("check",), ("map",), ("check", "--base", "HEAD")):
        run(git_repo, *args)
    assert git_repo.git("status", "--porcelain=v2", "--untracked-files=all") == before


@pytest.mark.parametrize("command", ["check", "map"])
def test_internal_errors_say_please_report(git_repo: Repo, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    git_repo.commit({"shop/cart.py": CART})

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("docsync.loader.Loader.snapshot", boom)
    result = run(git_repo, command)
    assert result.code == 3
    assert "internal error, please report: RuntimeError: boom" in result.err
    assert "Traceback" not in result.err
    result = run(git_repo, command, "--debug")
    assert "Traceback" in result.err


# --- deep but valid Python (issue 13): nothing recursed past Python's limit -----------------------


def deep_module(branches: int = 490, terms: int = 980) -> str:
    """An `elif` chain of `branches` in a function and at module level (a def in one branch), a sum of
    `terms` ones, and a default too deep for `ast.unparse`."""
    chain = ["def dispatch(code):", "    if code == 0:", "        return 0"]
    chain += [line for i in range(1, branches) for line in (f"    elif code == {i}:", f"        return {i}")]
    module_chain = ["if MODE == 0:", "    pass"]
    for i in range(1, branches):
        body = ["    def handler():", "        return 1"] if i == branches // 2 else ["    pass"]
        module_chain += [f"elif MODE == {i}:", *body]
    ones = " + ".join(["1"] * (terms // 2))
    return "\n".join([
        *chain, "", "", "TOTAL = " + " + ".join(["1"] * terms), "", "",
        f"def scaled(x, factor={ones}):", "    return x * factor", "", "", *module_chain, "",
    ])  # fmt: skip


def test_deeply_nested_code_is_read_and_checked(git_repo: Repo, tmp_path: Path) -> None:
    guide = "# Guide\n\n`shop.deep.dispatch` maps codes; `shop.deep.TOTAL` counts them.\n\nCall `shop.deep.scaled` with `factor`, or `shop.deep.handler`, not `shop.deep.gone`.\n"
    source = deep_module()
    gone = "\n\ndef gone():\n    return 1\n"
    git_repo.commit({"shop/__init__.py": "", "shop/deep.py": source + gone, "docs/guide.md": guide})
    # Past the parser's own limit: a warning, and that file is skipped.
    renamed = source.replace("def scaled(x, factor=", "def scaled(x, scale=").replace("x * factor", "x * scale")
    git_repo.commit({"shop/deep.py": renamed, "shop/absurd.py": "TABLE = " + " + ".join(["1"] * 5000) + "\n"})
    parser_warning = (
        "docsync: warning: shop/absurd.py:1: could not parse this file (nested too deeply for Python's parser"
    )
    mapped = run(git_repo, "map", "--format", "json")
    assert mapped.code == 0, mapped
    mapping = json.loads(mapped.out)
    assert [r["symbol"] for r in mapping["references"]] == [
        "shop.deep.dispatch", "shop.deep.TOTAL", "shop.deep.scaled", "shop.deep.handler"
    ]  # fmt: skip
    assert [r["text"] for r in mapping["unresolved"]] == ["`shop.deep.gone`"]
    assert mapped.err.count(parser_warning) == 1

    checked = run(git_repo, "check", "--format", "json")
    assert checked.code == 1, checked
    findings = [(f["symbol"], f["kind"], f["severity"]) for f in json.loads(checked.out)["findings"]]
    assert findings == [("shop.deep.scaled", "signature", "error"), ("shop.deep.gone", "removed", "error")]
    changed = run(git_repo, "check", "--base", "HEAD~1")
    assert "parameter `factor` renamed to `scale`" in changed.out, changed
    assert changed.code in (0, 1)

    reported = run(git_repo, "report", "--output", str(tmp_path / "report.html"))
    assert reported.code == 0, reported  # a report is not a gate
    assert reported.out.endswith(": freshness score 80.0/100, 2 findings\n"), (
        reported
    )  # two errors of today: 1 - 2 × 0.5 / 5
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    for result in (mapped, checked, changed, reported):
        assert "internal error" not in result.err
        assert "Traceback" not in result.err


# --- file names that are not UTF-8 (found by tests/commands/test_fuzz.py) ---------------------------

LATIN1_DOC = "docs/caf\udce9.md"  # b"docs/caf\xe9.md": git hands it over as a lone surrogate


def run_on_a_terminal(repo: Repo, *args: str) -> Result:
    """`run`, with standard streams that encode like a real UTF-8 terminal's (stdout strict)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace", write_through=True)
    command, *rest = args
    code = main([command, "-C", str(repo.path), *rest], stdout=out, stderr=err)
    return Result(code, out.buffer.getvalue().decode(), err.buffer.getvalue().decode())


@pytest.mark.parametrize("args", [("map",), ("map", "--format", "json"), ("check", "--format", "json")])
def test_a_doc_name_that_is_not_utf8_is_printed_escaped(git_repo: Repo, args: tuple[str, ...]) -> None:
    git_repo.commit({"shop/cart.py": CART, LATIN1_DOC: "`shop.cart.gone`\n"})
    result = run_on_a_terminal(git_repo, *args)
    assert result.code in (0, 1), result
    assert "docs/caf\\udce9.md" in result.out
    if "json" in args:
        assert LATIN1_DOC in json.dumps(json.loads(result.out), ensure_ascii=False)  # the escape round-trips


def test_the_score_trend_over_a_doc_name_that_is_not_utf8(git_repo: Repo) -> None:
    git_repo.commit({"shop/cart.py": CART, LATIN1_DOC: "`shop.cart.add_item`\n"})
    git_repo.commit({"shop/cart.py": CART + "\n"})
    result = run_on_a_terminal(git_repo, "report", "--output", "-")  # the HTML page, with the trend
    assert result.code == 0, result
    assert "caf\\udce9.md" in result.out


def test_a_report_file_with_a_doc_name_that_is_not_utf8(git_repo: Repo, tmp_path: Path) -> None:
    git_repo.commit({"shop/cart.py": CART, LATIN1_DOC: "`shop.cart.gone`\n"})
    result = run_on_a_terminal(git_repo, "report", "--output", str(tmp_path / "report.html"))
    assert result.code == 0, result
    assert "caf\\udce9.md" in (tmp_path / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "shown", "problem"),
    [
        (LATIN1_DOC, "docs/caf\\udce9.md", "it is not valid Unicode"),
        (" notes.md", " notes.md", "it starts or ends with white space"),
    ],
)
def test_accept_skips_a_doc_whose_name_the_lockfile_cannot_hold(
    git_repo: Repo, name: str, shown: str, problem: str
) -> None:
    git_repo.commit({"shop/cart.py": CART, name: "`shop.cart.add_item`\n", "docs/a.md": DOC})
    result = run_on_a_terminal(git_repo, "accept")
    assert result.code == 0, result
    assert result.out == "Accepted 1 doc (1 symbol references) into .docsync.lock\n"
    assert result.err == (
        f"docsync: warning: {shown}: cannot be recorded in .docsync.lock ({problem}); not accepted: rename the file\n"
    )
    assert "[docs/a.md]" in git_repo.read(".docsync.lock")
