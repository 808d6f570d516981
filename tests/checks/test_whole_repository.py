"""Whole-repository mode end to end: git history (with ages), the lockfile and `accept`."""

from __future__ import annotations

import json
import sqlite3

import pytest

from docsync.gitrepo import GitRepo
from docsync.history import missing
from docsync.history.store import BLAMES_NAMESPACE, LOGS_NAMESPACE
from tests.conftest import Repo, run

CART = (
    "def add_item(cart, item, qty=1):\n    if qty < 1:\n        raise ValueError(qty)\n    cart.append((item, qty))\n"
    "\n\ndef total(cart):\n    return len(cart)\n"
)
GUIDE = (
    "# Guide\n\n## Adding\n\nCall `shop.cart.add_item` to fill a cart; `qty=1` adds one by default.\n\n## Totals\n\n"
    "<!-- docsync: shop.cart.total --> `shop.cart.total` counts.\n"
)


NAMESPACES = (LOGS_NAMESPACE, BLAMES_NAMESPACE)


def check(repo: Repo, *args: str) -> dict:  # type: ignore[type-arg]
    result = run(repo, "check", "--format", "json", *args)
    assert result.code in (0, 1), result
    return json.loads(result.out)


def kinds(data: dict) -> list[tuple[str, int, str]]:  # type: ignore[type-arg]
    return [(f["doc"], f["line"], f["kind"]) for f in data["findings"]]


@pytest.fixture
def shop(git_repo: Repo) -> Repo:
    git_repo.commit({"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE}, day=1)
    return git_repo


# --- history --------------------------------------------------------------------------------------


def test_history_finds_a_change_the_doc_never_followed(shop: Repo) -> None:
    change = shop.commit({"shop/cart.py": CART.replace("qty=1", "qty=2")}, "default", day=10)
    shop.commit({"README.md": "# Shop\n"}, "unrelated", day=40)
    data = check(shop)
    assert kinds(data) == [("docs/guide.md", 5, "signature")]
    finding = data["findings"][0]
    assert finding["commit"] == change
    assert "stale for 30 days, 1 commit" in finding["message"]
    assert "default changed for `qty`: `1` -> `2`" in finding["message"]


def test_a_later_edit_of_the_section_makes_it_fresh(shop: Repo) -> None:
    shop.commit({"shop/cart.py": CART.replace("qty=1", "qty=2")}, day=10)
    shop.commit(
        {"docs/guide.md": GUIDE.replace("`qty=1` adds one by default.", "`qty=2` adds two by default.")}, day=11
    )
    assert kinds(check(shop)) == []


def test_an_edit_of_another_section_does_not(shop: Repo) -> None:
    """Blame tells which lines were written when: the doc's last commit is not enough."""
    shop.commit({"shop/cart.py": CART.replace("qty=1", "qty=2")}, day=10)
    shop.commit({"docs/guide.md": GUIDE.replace("counts.", "counts the lines.")}, day=11)
    assert kinds(check(shop)) == [("docs/guide.md", 5, "signature")]


# --- dated by when it landed: the first-parent line of the branch checked ----------------------------


def test_a_change_made_on_a_branch_is_dated_by_its_merge(shop: Repo) -> None:
    shop.git("checkout", "-q", "-b", "side")
    shop.commit({"shop/cart.py": CART.replace("qty=1", "qty=2")}, "side: default", day=10)
    shop.git("checkout", "-q", "main")
    shop.commit({"README.md": "# Shop\n"}, "main: unrelated", day=20)
    merge = shop.merge("side", day=50)
    shop.commit({"VERSION": "1\n"}, "later", day=60)
    data = check(shop)
    assert kinds(data) == [("docs/guide.md", 5, "signature")]
    finding = data["findings"][0]
    assert finding["commit"] == merge
    assert "changed in " + merge[:7] in finding["message"]
    assert "stale for 10 days, 1 commit" in finding["message"]  # since it landed, in commits of main


def test_a_section_rewritten_on_main_before_a_branch_landed_is_stale(shop: Repo) -> None:
    """The section was written against main's code of day 20; the branch's change (made on day 10) reached main
    on day 30. By the time each landed, the doc is behind."""
    shop.git("checkout", "-q", "-b", "side")
    shop.commit({"shop/cart.py": CART.replace("qty=1", "qty=2")}, "side: default", day=10)
    shop.git("checkout", "-q", "main")
    shop.commit({"docs/guide.md": GUIDE.replace("to fill a cart", "to put an item in a cart")}, "main: doc", day=20)
    merge = shop.merge("side", day=30)
    data = check(shop)
    assert kinds(data) == [("docs/guide.md", 5, "signature")]
    assert data["findings"][0]["commit"] == merge


def test_code_and_doc_changed_together_on_a_branch_are_fresh(shop: Repo) -> None:
    shop.git("checkout", "-q", "-b", "side")
    shop.commit({"shop/cart.py": CART.replace("qty=1", "qty=2")}, "side: default", day=10)
    shop.commit({"README.md": "# Shop\n"}, "side: more work", day=15)
    shop.commit({"docs/guide.md": GUIDE.replace("`qty=1` adds one", "`qty=2` adds two")}, "side: doc", day=20)
    shop.git("checkout", "-q", "main")
    shop.commit({"VERSION": "1\n"}, "main: unrelated", day=25)
    shop.merge("side", day=30)
    assert kinds(check(shop)) == []


def test_uncommitted_edits_count(shop: Repo) -> None:
    shop.commit({"shop/cart.py": CART.replace("qty=1", "qty=2")}, day=10)
    shop.write({"docs/guide.md": GUIDE.replace("`qty=1` adds one by default.", "`qty=2` adds two by default.")})
    assert kinds(check(shop)) == []


@pytest.fixture
def git_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The slow history reads (`git log --raw`, `git blame`) each run makes; the real ones still run."""
    calls: list[str] = []
    for name in ("path_log", "blame_times"):
        original = getattr(GitRepo, name)

        def spy(self: GitRepo, *args: object, _name: str = name, _original: object = original) -> object:
            calls.append(f"{_name} {args[0]}")
            return _original(self, *args)  # type: ignore[operator]

        monkeypatch.setattr(GitRepo, name, spy)
    return calls


def test_history_reads_are_cached_by_what_they_read(shop: Repo, git_calls: list[str]) -> None:
    """A second run on the same commit reads no log and no blame; a new commit that leaves the doc alone
    blames nothing again; an uncommitted edit of the doc is blamed afresh every time. (The second run of each
    names a PATH: the same check, but not the same question, so it is not answered from the run before.)"""
    shop.commit({"shop/cart.py": CART.replace("qty=1", "qty=2")}, day=10)
    first = check(shop)
    assert "blame_times docs/guide.md" in git_calls
    git_calls.clear()
    assert check(shop, "docs/guide.md") == first
    assert git_calls == []
    shop.commit({"shop/cart.py": CART.replace("qty=1", "qty=3")}, day=20)
    check(shop)
    assert [c for c in git_calls if c.startswith("blame")] == []  # the doc did not change: same blame
    assert any(c.startswith("path_log") for c in git_calls)  # a new commit: a new log
    shop.write({"docs/guide.md": GUIDE.replace("`qty=1` adds one by default.", "`qty=3` adds three by default.")})
    for paths in ((), ("docs/guide.md",)):
        git_calls.clear()
        assert kinds(check(shop, *paths)) == []
        assert "blame_times docs/guide.md" in git_calls


def test_the_score_decays_with_age(shop: Repo) -> None:
    """The same stale reference costs more the longer it stays stale."""
    shop.commit({"shop/cart.py": CART.replace("qty=1", "qty=2")}, day=10)
    scores = []
    for day in (11, 100, 200, 400, 800):
        shop.commit({"README.md": f"# Shop, day {day}\n"}, day=day)
        scores.append(check(shop)["score"])
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[-1]
    assert scores[-2] == scores[-1]  # full weight after a year


def test_a_rename_long_ago_is_traced(shop: Repo) -> None:
    renamed = shop.commit({"shop/cart.py": CART.replace("add_item", "put_item")}, "rename", day=5)
    shop.commit({"README.md": "# Shop\n"}, day=65)
    data = check(shop)
    assert kinds(data) == [("docs/guide.md", 5, "renamed")]
    finding = data["findings"][0]
    assert (finding["replacement"], finding["commit"]) == ("shop.cart.put_item", renamed)
    assert "stale for 60 days" in finding["message"]


def test_a_rename_is_judged_once_then_read_from_the_cache(shop: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """Telling a rename from a removal assembles the tables of the commit and its parent: a later check (here after
    an unrelated commit, so not answered from the kept report) reads the verdict from the cache instead."""
    shop.commit({"shop/cart.py": CART.replace("add_item", "put_item")}, "rename", day=5)
    assert kinds(check(shop)) == [("docs/guide.md", 5, "renamed")]
    shop.commit({"README.md": "# Shop\n"}, day=65)
    monkeypatch.setattr(missing, "renames_between", lambda *_: pytest.fail("the rename was judged again"))
    data = check(shop)
    assert kinds(data) == [("docs/guide.md", 5, "renamed")]
    assert data["findings"][0]["replacement"] == "shop.cart.put_item"


# --- the lockfile ---------------------------------------------------------------------------------


def test_accept_then_check_against_the_lock(shop: Repo) -> None:
    assert run(shop, "accept").code == 0
    lock = shop.read(".docsync.lock")
    assert "[docs/guide.md]" in lock
    assert "shop.cart.add_item " in lock
    assert str(shop.path) not in lock
    assert kinds(check(shop)) == []
    shop.commit({"shop/cart.py": CART.replace("len(cart)", "sum(1 for _ in cart)")}, day=20)
    data = check(shop)
    assert kinds(data) == [("docs/guide.md", 9, "body")]
    assert "changed since the doc was accepted" in data["findings"][0]["message"]
    assert run(shop, "accept", "docs/guide.md").code == 0
    assert kinds(check(shop)) == []


def test_the_lock_holds_even_when_history_says_fresh(shop: Repo) -> None:
    """Accepting is a review: a doc edited after the change is still judged against what was accepted."""
    run(shop, "accept")
    shop.commit({"shop/cart.py": CART.replace("qty=1", "qty=2")}, day=10)
    shop.commit({"docs/guide.md": GUIDE.replace("counts.", "counts lines.")}, day=11)
    assert kinds(check(shop)) == [("docs/guide.md", 5, "signature")]


def test_accept_is_deterministic_and_atomic(shop: Repo) -> None:
    run(shop, "accept")
    first = shop.read(".docsync.lock")
    run(shop, "accept")
    assert shop.read(".docsync.lock") == first
    assert sorted(p.name for p in shop.path.iterdir() if p.name.startswith(".docsync")) == [".docsync.lock"]


def test_accept_unknown_doc(shop: Repo) -> None:
    result = run(shop, "accept", "shop/cart.py")
    assert result.code == 2
    assert "not a doc docsync scans: shop/cart.py" in result.err


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("<<<<<<< HEAD\n[docs/guide.md]\n=======\n>>>>>>> other\n", "merge-conflict markers"),
        ("# docsync lock\n# format: 99\n", "newer docsync"),
        ("# format: 1\nshop.cart.add_item 12:34:56\n", "line 2"),
    ],
    ids=["conflict-markers", "newer-format", "corrupt"],
)
def test_bad_lockfiles_are_exit_2(shop: Repo, content: str, words: str) -> None:
    shop.write({".docsync.lock": content})
    for command in (("check",), ("accept", "docs/guide.md")):
        result = run(shop, *command)
        assert result.code == 2, result
        assert words in result.err
        assert "Traceback" not in result.err
    assert shop.read(".docsync.lock") == content  # nothing written over it


@pytest.mark.parametrize(
    "broken", ['"text"', "[[1, 2, 3]]", '[["sha", "time", {}]]', '[["sha", 1, {"a": 2}]]', '[1, "x"]']
)
def test_broken_cached_history_is_read_again(shop: Repo, git_calls: list[str], broken: str) -> None:
    shop.commit({"shop/cart.py": CART.replace("qty=1", "qty=2")}, day=10)
    first = check(shop)
    db = sqlite3.connect(shop.path / ".git" / "docsync" / "cache.sqlite3")
    with db:
        db.execute("UPDATE entries SET value = ? WHERE ns IN (?, ?) AND key != 'recent'", [broken, *NAMESPACES])
    db.close()
    git_calls.clear()
    assert check(shop, "docs/guide.md") == first  # a PATH: not the question of the run before, so not answered by it
    assert any(c.startswith("path_log") for c in git_calls)
    assert any(c.startswith("blame_times") for c in git_calls)


# --- evidence that a missing name existed ---------------------------------------------------------


def evidence(repo: Repo, doc: str) -> list[tuple[str, str | None]]:
    repo.write({"docs/evidence.md": f"# Evidence\n\n{doc}\n"})
    data = check(repo)
    return [(f["kind"], f["replacement"]) for f in data["findings"] if f["doc"] == "docs/evidence.md"]


def test_a_re_export_that_went_is_removed(shop: Repo) -> None:
    shop.commit({"shop/__init__.py": "from shop.cart import add_item\n"}, day=2)
    shop.commit({"shop/__init__.py": ""}, day=3)
    assert evidence(shop, "Call `shop.add_item`.") == [("removed", None)]


def test_a_module_that_went_is_removed_and_one_renamed_is_renamed(shop: Repo) -> None:
    shop.commit({"shop/gone.py": "def f():\n    return 1\n", "shop/old.py": "def g():\n    return [1, 2]\n"}, day=2)
    shop.git("mv", "shop/old.py", "shop/new.py")
    shop.commit({"shop/gone.py": None}, "drop gone, rename old", day=3)
    assert evidence(shop, "See `shop.gone` and `shop.gone.f`.") == [("removed", None), ("removed", None)]
    assert evidence(shop, "See `shop.old`.") == [("renamed", "shop.new")]


def test_a_module_split_into_a_package_that_dropped_a_re_export(shop: Repo) -> None:
    """`from shop.routing import NotFound` worked until routing.py became routing/__init__.py without it."""
    shop.commit({"shop/errors.py": "class NotFound(Exception):\n    pass\n",
                 "shop/routing.py": "from shop.errors import NotFound\n\n\ndef route():\n    pass\n"}, day=2)  # fmt: skip
    shop.commit({"shop/routing.py": None, "shop/routing/__init__.py": "def route():\n    pass\n"}, "split", day=3)
    assert evidence(shop, "```python\nfrom shop.routing import NotFound\n```") == [("example", None)]


def test_a_name_gone_before_the_code_moved_to_src(shop: Repo) -> None:
    shop.commit({"shop/pdb.py": "def set_trace():\n    return 1\n"}, day=2)
    shop.commit({"shop/pdb.py": None}, "drop pdb", day=3)
    (shop.path / "src").mkdir()
    shop.git("mv", "shop", "src/shop")
    shop.commit({}, "move to src", day=4)
    assert evidence(shop, "See `shop.pdb`.") == [("removed", None)]


def test_a_name_history_never_had_is_no_finding(shop: Repo) -> None:
    assert evidence(shop, "See `shop.cart.never_was` and `shop.nothing`.") == []


# --- example files the docs include (`--8<-- "x.py"`, `{* x.py *}`): doc code, checked as examples ----------

TOUR = "from shop.cart import add_item\n\ncart = []\nadd_item(cart, 'pen', qty=2)\n"
INCLUDING = '# Tour\n\n```python\n--8<-- "docs_src/tour.py"\n```\n\n{* ../docs_src/shown.py hl[2] *}\n'


def test_an_example_file_a_doc_includes_is_checked(shop: Repo) -> None:
    shop.commit(
        {"docs/tour.md": INCLUDING, "docs_src/tour.py": TOUR, "docs_src/shown.py": TOUR, "docs_src/alone.py": TOUR}
    )
    assert kinds(check(shop)) == []
    shop.commit({"shop/cart.py": CART.replace("qty=1", "count=1").replace("qty", "count")})
    data = check(shop)
    assert [(f["doc"], f["line"], f["kind"]) for f in data["findings"] if f["doc"].startswith("docs_src/")] == [
        ("docs_src/shown.py", 4, "example"),
        ("docs_src/tour.py", 4, "example"),
    ]  # not docs_src/alone.py: no doc includes it
    assert "has no parameter `qty`" in data["findings"][-1]["message"]
    mapped = json.loads(run(shop, "map", "--format", "json").out)
    assert {r["doc"] for r in mapped["references"]} >= {"docs_src/tour.py", "docs_src/shown.py"}
    assert "docs/tour.md" not in {r["doc"] for r in mapped["references"]}, "the include line is not code"


def test_an_excluded_example_file_is_not_checked(shop: Repo) -> None:
    shop.commit({"docs/tour.md": INCLUDING, "docs_src/tour.py": TOUR, "docs_src/shown.py": TOUR,
                 "pyproject.toml": '[tool.docsync]\nexclude = ["docs_src/shown.py"]\n'})  # fmt: skip
    shop.commit({"shop/cart.py": CART.replace("qty=1", "count=1").replace("qty", "count")})
    assert [f["doc"] for f in check(shop)["findings"] if f["doc"].startswith("docs_src/")] == ["docs_src/tour.py"]


def test_fix_rewrites_a_rename_in_an_included_example(shop: Repo) -> None:
    shop.commit({"docs/tour.md": INCLUDING, "docs_src/tour.py": TOUR, "docs_src/shown.py": TOUR})
    shop.commit({"shop/cart.py": CART.replace("def add_item", "def put_item")}, "rename")
    result = run(shop, "fix")
    assert result.code in (0, 1), result
    assert shop.read("docs_src/tour.py") == TOUR.replace("add_item", "put_item")


def test_python_in_a_docs_folder_is_doc_code_but_not_its_build_config(shop: Repo) -> None:
    """pydantic's `docs/examples/*.py`, pytest's `doc/en/example/*.py`: examples no doc includes by a line we read."""
    shop.commit({"docs/examples/tour.py": TOUR, "doc/en/demo.py": TOUR, "docs/conf.py": TOUR, "tools/tour.py": TOUR})
    shop.commit({"shop/cart.py": CART.replace("def add_item", "def put_item")}, "rename")
    found = {(f["doc"], f["line"], f["kind"]) for f in check(shop)["findings"]}
    examples = {(doc, line, "renamed") for doc in ("docs/examples/tour.py", "doc/en/demo.py") for line in (1, 4)}
    assert found == {("docs/guide.md", 5, "renamed"), *examples}  # not docs/conf.py, not tools/tour.py


def test_a_name_our_package_now_imports_from_another_package_still_works(shop: Repo) -> None:
    """pydantic's `ValidationError` moved to pydantic_core, and `pydantic` re-exports it: the doc is right."""
    errors = "class CartError(Exception):\n    pass\n"
    shop.commit({"shop/errors.py": errors, "shop/__init__.py": "from shop.errors import CartError\n"}, day=2)
    base = shop.commit({"docs/errors.md": "# Errors\n\nCatch `shop.CartError` or `CartError`.\n"}, day=3)
    shop.commit({"shop/errors.py": "", "shop/__init__.py": "from shopcore import CartError\n"}, "move out", day=10)
    assert [f for f in check(shop)["findings"] if f["doc"] == "docs/errors.md"] == []
    assert [f for f in check(shop, "--base", base)["findings"] if f["doc"] == "docs/errors.md"] == []
    shop.commit({"shop/__init__.py": ""}, "no longer re-exported", day=20)
    assert {f["kind"] for f in check(shop, "--base", base)["findings"] if f["doc"] == "docs/errors.md"} == {"removed"}


# --- a parameter the doc writes is as old as its own line ------------------------------------------------

API = "# API\n\n## add_item\n\n`shop.cart.add_item` puts an item in a cart.\n\nIts `qty` says how many.\n\nSee the guide.\n"


def test_a_parameter_written_before_it_went_is_stale_after_an_edit_elsewhere_in_its_section(shop: Repo) -> None:
    shop.commit({"docs/api.md": API}, "api page", day=2)
    removal = shop.commit({"shop/cart.py": CART.replace("item, qty=1)", "item)").replace("qty", "1")}, day=10)
    shop.commit({"docs/api.md": API.replace("See the guide.", "See the tour.")}, "edit the section", day=20)
    data = check(shop)
    found = [(f["doc"], f["line"], f["kind"], f["severity"], f["commit"]) for f in data["findings"]]
    assert ("docs/api.md", 7, "signature", "error", removal) in found
    assert "parameter `qty` removed" in next(f["message"] for f in data["findings"] if f["doc"] == "docs/api.md")


def test_a_parameter_line_rewritten_after_the_change_is_judged_from_then(shop: Repo) -> None:
    shop.commit({"docs/api.md": API}, "api page", day=2)
    shop.commit({"shop/cart.py": CART.replace("qty=1", "qty=2")}, day=10)  # a default the line does not state
    shop.commit({"docs/api.md": API.replace("See the guide.", "See the tour.")}, "edit the section", day=20)
    assert [f for f in check(shop)["findings"] if f["doc"] == "docs/api.md"] == []


def test_an_example_only_history_pages_include_records_history_too(shop: Repo) -> None:
    """FastAPI's migration guide includes an example of the API it migrates away from: not a finding."""
    migration = '# Migrating to 2.0\n\n--8<-- "docs_src/old.py"\n'
    shop.commit(
        {"docs/migration.md": migration, "docs_src/old.py": TOUR, "docs_src/tour.py": TOUR, "docs/tour.md": INCLUDING}
    )
    shop.commit({"shop/cart.py": CART.replace("qty=1", "count=1").replace("qty", "count")})
    examples = {f["doc"] for f in check(shop)["findings"] if f["doc"].startswith("docs_src/")}
    assert examples == {"docs_src/tour.py"}  # not docs_src/old.py: only the migration guide includes it
    shop.commit({"docs/tour.md": INCLUDING.replace("docs_src/tour.py", "docs_src/old.py")})  # now a guide includes it
    assert "docs_src/old.py" in {f["doc"] for f in check(shop)["findings"]}


# --- member lists: `- `total()`: ...` items are the members of the class most of them belong to ----------------

MODEL = (
    "class Model:\n    def dump(self):\n        pass\n\n    def copy(self):\n        pass\n\n"
    "    def validate(self):\n        pass\n\n    def modify_schema(self):\n        pass\n"
)
MODELS_PAGE = (
    "# Models\n\nModels have these methods:\n\n- `dump()`: a dict.\n- `copy()`: a copy.\n- `validate()`: checks.\n"
    "- `modify_schema()`: the schema.\n"
)


def test_a_member_a_list_names_is_removed_when_its_class_loses_it(shop: Repo) -> None:
    """pydantic's models page listed `model_modify_json_schema()` among BaseModel's methods after it went."""
    base = shop.commit({"shop/model.py": MODEL, "docs/models.md": MODELS_PAGE}, day=2)
    shop.commit({"shop/model.py": MODEL.split("    def modify_schema")[0]}, "drop modify_schema", day=10)
    expected = [("docs/models.md", 8, "removed")]
    assert [k for k in kinds(check(shop, "--base", base)) if k[0] == "docs/models.md"] == expected
    assert [k for k in kinds(check(shop)) if k[0] == "docs/models.md"] == expected
    message = next(f["message"] for f in check(shop)["findings"] if f["doc"] == "docs/models.md")
    assert message.startswith("shop.model.Model.modify_schema was removed")
    shop.commit({"docs/models.md": MODELS_PAGE.replace("- `dump()`: a dict.\n", "")}, "three items left", day=11)
    assert [k for k in kinds(check(shop)) if k[0] == "docs/models.md"] == []  # two members of three: no evidence


# --- an example that passes a parameter the code now warns is deprecated ------------------------------------------

WARNS_ON_QTY = (
    "import warnings\n\n\ndef add_item(cart, item, qty=None, count=1):\n    if qty is not None:\n"
    '        warnings.warn("qty is deprecated; pass count", DeprecationWarning)\n    cart.append((item, count))\n'
)


def test_an_example_passing_a_deprecated_parameter_is_reported(shop: Repo) -> None:
    """tornado's guides kept calling `fetch(url, callback=...)` after passing `callback` started to warn."""
    base = shop.commit({"docs/examples/tour.py": TOUR, "docs/examples/bare.py": TOUR.replace(", qty=2", "")}, day=2)
    shop.commit({"shop/cart.py": WARNS_ON_QTY + CART.split("\n\n\n", 1)[1]}, "deprecate qty", day=10)
    expected = [("docs/examples/tour.py", 4, "deprecated")]  # not bare.py: it does not pass `qty`
    reviewed = [f for f in check(shop, "--base", base)["findings"] if f["doc"].startswith("docs/examples/")]
    assert [(f["doc"], f["line"], f["kind"], f["severity"]) for f in reviewed] == [(*expected[0], "error")]
    assert reviewed[0]["message"] == (
        'the example calls shop.cart.add_item, which warns that `qty` is deprecated ("qty is deprecated; pass count")'
    )
    whole = [f for f in check(shop)["findings"] if f["doc"].startswith("docs/examples/")]
    assert [(f["doc"], f["line"], f["kind"], f["severity"]) for f in whole] == [(*expected[0], "warning")]


# --- a name a deprecation helper serves (`deprecated_alias(...)`) -------------------------------------------------


SHIMS = {
    # Sphinx moved PickleHTMLBuilder to sphinxcontrib, kept `deprecated_alias('sphinx.builders.html', ...)`, and
    # templating.rst still pointed readers to sphinx.builders.html.PickleHTMLBuilder.
    "named in prose": (
        "shop/builders.py", "class PickleBuilder:\n    pass\n\n\nclass HTMLBuilder:\n    pass\n",
        "from shopcontrib import PickleBuilder\n\n\nclass HTMLBuilder:\n    pass\n\n\n"
        "deprecated_alias('shop.builders', {'PickleBuilder': PickleBuilder}, RemovedInShop3Warning)\n",
        "docs/builders.md", "# Builders\n\nSubclass `shop.builders.PickleBuilder`.\n", 3,
    ),
    # Sphinx deleted `sphinx.addnodes.meta` for docutils' and kept a deprecated alias; nodes.rst still autoclassed
    # it. A generated entry of a symbol still defined renders its own deprecation; of a shim it cannot.
    "a generated entry": (
        "shop/nodes.py", "class meta:\n    pass\n\n\nclass only:\n    pass\n",
        "from docutils.nodes import meta\n\n\nclass only:\n    pass\n\n\n"
        "deprecated_alias('shop.nodes', {'meta': meta}, RemovedInShop7Warning)\n",
        "docs/nodes.rst", "Nodes\n=====\n\n.. module:: shop.nodes\n\n.. autoclass:: only\n.. autoclass:: meta\n", 7,
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(SHIMS))
def test_a_name_only_a_deprecation_helper_serves_is_deprecated(shop: Repo, case: str) -> None:
    path, before, after, doc, text, line = SHIMS[case]
    base = shop.commit({path: before, doc: text})
    shop.commit({path: after}, "move it out, keep a deprecated alias")
    found = [(f["doc"], f["line"], f["kind"]) for f in check(shop, "--base", base)["findings"]]
    assert found == [(doc, line, "deprecated")]


# --- names a doctest session prints: the last line of a traceback, an object's repr ------------------------------

SESSION = (
    "# Errors\n\n```pycon\n>>> from shop.cart import add_item\n>>> add_item([], 'pen', qty=0)\n"
    "Traceback (most recent call last):\n  ...\nshop.errors.BadQuantity: 0\n>>> object()\n"
    "<object object at 0x7f00>\n```\n"
)


def test_a_class_a_session_prints_is_a_use_of_it(shop: Repo) -> None:
    error = (
        'class BadQuantity(ValueError):\n    """Fewer than one."""\n\n    def __init__(self, qty):\n'
        "        super().__init__(qty)\n        self.qty = qty\n\n    def hint(self):\n"
        '        return f"{self.qty} < 1"\n'
    )
    base = shop.commit({"shop/errors.py": error, "docs/errors.md": SESSION})
    shop.commit({"shop/errors.py": error.replace("BadQuantity", "QuantityError")}, "rename the error")
    found = [(f["doc"], f["line"], f["kind"]) for f in check(shop, "--base", base)["findings"]]
    assert found == [("docs/errors.md", 8, "renamed")]  # not `object`: not ours, and not dotted
    assert run(shop, "fix", "--base", base).code == 0
    assert "shop.errors.QuantityError: 0" in shop.read("docs/errors.md")


# --- instances a function is annotated to return: `r = shop.get(url)` makes `r.json()` a use of `Response.json` ---

MODELS = (
    "class Response:\n    def json(self, strict=True):\n        return {}\n\n    def text(self):\n        return ''\n"
)
GET_API = "from shop.models import Response\n\n\ndef get(url) -> Response:\n    return Response()\n"
CLIENT_PAGE = (
    "# Client\n\n```python\nimport shop.api\n\nr = shop.api.get('https://x')\ndata = r.json(strict=False)\n```\n"
)


def test_a_method_of_what_a_function_returns_is_checked(shop: Repo) -> None:
    base = shop.commit({"shop/models.py": MODELS, "shop/api.py": GET_API, "docs/client.md": CLIENT_PAGE})
    assert [f for f in check(shop)["findings"] if f["doc"] == "docs/client.md"] == []
    shop.commit({"shop/models.py": MODELS.replace("strict=True", "loose=True")}, "rename the keyword")
    found = [(f["doc"], f["line"], f["kind"], f["message"]) for f in check(shop, "--base", base)["findings"]]
    assert found == [
        (
            "docs/client.md",
            7,
            "example",
            ("the example calls shop.models.Response.json, which has no parameter `strict`"),
        )
    ]
