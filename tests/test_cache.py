"""Tests for cache.py: the SQLite cache of JSON values, and how it survives broken files and places."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from docsync import cache as cache_module
from docsync import cache_format
from docsync.cache import Cache, default_cache_path
from docsync.gitrepo import GitRepo
from docsync.workspace import _tracked_files
from tests.conftest import Repo, Result, run

# Running as root ignores file modes, so permission tests cannot fail there.
needs_permissions = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores file permissions"
)


Warnings = list[str]  # filled through `warn=warnings.append`


@pytest.fixture
def warnings() -> Warnings:
    return []


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "cache.sqlite3"


def fresh_cache(path: Path, warnings: Warnings) -> Cache:
    cache = Cache(path, warn=warnings.append)
    cache.put_many("ns", {"a": {"x": 1}})
    cache.flush()
    return cache


# -- round trips --------------------------------------------------------------------------------------


def test_round_trip_across_two_instances(cache_path: Path, warnings: Warnings) -> None:
    values = {
        "blob1": [1, "two", None, True, {"k": [3.5]}],
        "blob2": "text with ünïcödé and \u2192",
        "blob3": {"nested": {"deep": []}},
        "blob4": 0,
    }
    writer = Cache(cache_path, warn=warnings.append)
    writer.put_many("symbols/1", values)
    writer.flush()
    reader = Cache(cache_path, warn=warnings.append)
    assert reader.get_many("symbols/1", list(values)) == values
    writer.close()
    reader.close()
    assert warnings == []
    assert cache_path.is_file()


def test_values_are_visible_before_flush_in_the_same_instance(cache_path: Path, warnings: Warnings) -> None:
    cache = Cache(cache_path, warn=warnings.append)
    cache.put_many("ns", {"k": [1, 2]})
    assert cache.get_many("ns", ["k"]) == {"k": [1, 2]}
    assert Cache(cache_path, warn=warnings.append).get_many("ns", ["k"]) == {}, "not written before flush"
    cache.close()
    assert Cache(cache_path, warn=warnings.append).get_many("ns", ["k"]) == {"k": [1, 2]}, "close flushes"


def test_namespaces_are_separate(cache_path: Path, warnings: Warnings) -> None:
    cache = Cache(cache_path, warn=warnings.append)
    cache.put_many("symbols/1", {"k": "symbols"})
    cache.put_many("scans/1", {"k": "scans"})
    cache.flush()
    again = Cache(cache_path, warn=warnings.append)
    assert again.get_many("symbols/1", ["k"]) == {"k": "symbols"}
    assert again.get_many("scans/1", ["k"]) == {"k": "scans"}
    assert again.get_many("symbols/2", ["k"]) == {}


def test_put_replaces_an_existing_value(cache_path: Path, warnings: Warnings) -> None:
    cache = Cache(cache_path, warn=warnings.append)
    cache.put_many("ns", {"k": 1})
    cache.flush()
    cache.put_many("ns", {"k": 2})
    cache.flush()
    assert Cache(cache_path, warn=warnings.append).get_many("ns", ["k"]) == {"k": 2}


def test_missing_keys_are_absent(cache_path: Path, warnings: Warnings) -> None:
    cache = fresh_cache(cache_path, warnings)
    assert cache.get_many("ns", ["missing", "a", "also-missing"]) == {"a": {"x": 1}}
    assert cache.get_many("ns", []) == {}
    assert cache.get_many("other", ["a"]) == {}
    assert warnings == []


def test_repeated_keys_are_looked_up_once(cache_path: Path, warnings: Warnings) -> None:
    cache = fresh_cache(cache_path, warnings)
    assert cache.get_many("ns", iter(["a", "a", "a"])) == {"a": {"x": 1}}


@pytest.mark.parametrize("count", [499, 500, 501, 1234])
def test_many_keys_in_one_get(cache_path: Path, warnings: Warnings, count: int) -> None:
    values = {f"{index:040x}": index for index in range(count)}
    writer = Cache(cache_path, warn=warnings.append)
    writer.put_many("ns", values)
    writer.flush()
    reader = Cache(cache_path, warn=warnings.append)
    wanted = [*values, "not-there"]
    assert reader.get_many("ns", wanted) == values
    assert warnings == []


def test_flush_without_pending_values_is_harmless(cache_path: Path, warnings: Warnings) -> None:
    cache = Cache(cache_path, warn=warnings.append)
    cache.flush()
    cache.close()
    cache.close()
    assert warnings == []


# -- broken files -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "garbage",
    [
        pytest.param(b"this is not a database at all" * 50, id="text"),
        pytest.param(bytes(range(256)) * 20, id="binary"),
        pytest.param(b"SQLite format 3\x00" + b"\xff" * 4000, id="bad-sqlite-header"),
    ],
)
def test_corrupt_file_is_moved_aside_once(cache_path: Path, warnings: Warnings, garbage: bytes) -> None:
    cache_path.parent.mkdir(parents=True)
    cache_path.write_bytes(garbage)
    cache = Cache(cache_path, warn=warnings.append)
    assert warnings == [f"rebuilding the cache at {cache_path}: it was corrupt"]
    broken = cache_path.with_name("cache.sqlite3.broken")
    assert broken.read_bytes() == garbage
    cache.put_many("ns", {"k": "v"})
    cache.flush()
    assert cache.get_many("ns", ["k"]) == {"k": "v"}
    assert Cache(cache_path, warn=warnings.append).get_many("ns", ["k"]) == {"k": "v"}
    assert len(warnings) == 1, "the rebuilt cache is fine the next time"


def test_empty_file_is_a_fresh_cache(cache_path: Path, warnings: Warnings) -> None:
    cache_path.parent.mkdir(parents=True)
    cache_path.write_bytes(b"")
    cache = fresh_cache(cache_path, warnings)
    assert cache.get_many("ns", ["a"]) == {"a": {"x": 1}}
    assert warnings == []


@pytest.mark.parametrize(
    "schema",
    [
        pytest.param(["CREATE TABLE users (id INTEGER, name TEXT)"], id="other-tables"),
        pytest.param(
            [
                "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
                "CREATE TABLE entries (ns TEXT, key TEXT, value TEXT)",
                "CREATE TABLE extra (x)",
            ],
            id="more-tables",
        ),
        pytest.param(
            [
                "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
                "CREATE TABLE entries (ns TEXT, key TEXT, value TEXT)",
                "INSERT INTO meta VALUES ('application', 'docsync'), ('format', '0')",
            ],
            id="older-format",
        ),
        pytest.param(
            [
                "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
                "CREATE TABLE entries (ns TEXT, key TEXT, value TEXT)",
                "INSERT INTO meta VALUES ('application', 'someone-else'), ('format', '1')",
            ],
            id="other-application",
        ),
        pytest.param(
            ["CREATE TABLE meta (a, b, c)", "CREATE TABLE entries (ns TEXT, key TEXT, value TEXT)"],
            id="meta-other-columns",
        ),
    ],
)
def test_foreign_sqlite_file_is_moved_aside(cache_path: Path, warnings: Warnings, schema: list[str]) -> None:
    cache_path.parent.mkdir(parents=True)
    db = sqlite3.connect(cache_path)
    for statement in schema:
        db.execute(statement)
    db.commit()
    db.close()
    cache = Cache(cache_path, warn=warnings.append)
    assert len(warnings) == 1
    assert warnings[0].startswith(f"rebuilding the cache at {cache_path}: ")
    moved = sqlite3.connect(cache_path.with_name("cache.sqlite3.broken"))
    assert moved.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] == len(
        [s for s in schema if s.startswith("CREATE")]
    )
    moved.close()
    cache.put_many("ns", {"k": [1]})
    cache.flush()
    assert Cache(cache_path, warn=warnings.append).get_many("ns", ["k"]) == {"k": [1]}
    assert len(warnings) == 1


@pytest.mark.parametrize("bad_value", ["{not json", "", "[1, 2", "\udcff", "NaN]"])
def test_unreadable_entry_is_treated_as_missing(cache_path: Path, warnings: Warnings, bad_value: str) -> None:
    fresh_cache(cache_path, warnings).close()
    db = sqlite3.connect(cache_path)
    db.execute(
        "INSERT INTO entries (ns, key, value) VALUES ('ns', ?, ?)",
        ("0123456789abcdef0123", bad_value.encode("utf-8", "surrogatepass")),
    )
    db.commit()
    db.close()
    cache = Cache(cache_path, warn=warnings.append)
    assert cache.get_many("ns", ["a", "0123456789abcdef0123"]) == {"a": {"x": 1}}
    assert warnings == ["cache entry ns/0123456789ab was unreadable; rebuilding it"]
    cache.put_many("ns", {"0123456789abcdef0123": "fixed"})
    cache.flush()
    assert Cache(cache_path, warn=warnings.append).get_many("ns", ["0123456789abcdef0123"]) == {
        "0123456789abcdef0123": "fixed"
    }


def test_entries_table_dropped_under_us_disables_the_cache(cache_path: Path, warnings: Warnings) -> None:
    cache = fresh_cache(cache_path, warnings)
    db = sqlite3.connect(cache_path)
    db.execute("DROP TABLE entries")
    db.commit()
    db.close()
    assert cache.get_many("ns", ["a"]) == {}
    assert len(warnings) == 1
    assert warnings[0].startswith("cannot read the cache (")
    assert warnings[0].endswith("); going on without it")
    cache.put_many("ns", {"b": 1})
    cache.flush()
    assert cache.get_many("ns", ["b"]) == {}, "disabled for the rest of the run"
    assert len(warnings) == 1


def test_write_failure_disables_the_cache(cache_path: Path, warnings: Warnings) -> None:
    cache = fresh_cache(cache_path, warnings)
    db = sqlite3.connect(cache_path)
    db.execute("DROP TABLE entries")
    db.execute("CREATE TABLE entries (only_one_column)")
    db.commit()
    db.close()
    cache.put_many("ns", {"b": 1})
    cache.flush()
    assert len(warnings) == 1
    assert warnings[0].startswith("cannot write the cache (")
    assert warnings[0].endswith("); results were not saved")


# -- places the cache cannot live ---------------------------------------------------------------------


def test_parent_is_a_file(tmp_path: Path, warnings: Warnings) -> None:
    (tmp_path / "file").write_text("not a folder")
    path = tmp_path / "file" / "docsync" / "cache.sqlite3"
    cache = Cache(path, warn=warnings.append)
    assert len(warnings) == 1
    assert warnings[0].startswith(f"cache disabled: cannot create {path}: ")
    cache.put_many("ns", {"k": 1})
    assert cache.get_many("ns", ["k"]) == {"k": 1}, "values put in this run are still served"
    cache.flush()
    cache.close()
    assert (tmp_path / "file").read_text() == "not a folder"
    assert len(warnings) == 1


def test_path_is_a_folder(tmp_path: Path, warnings: Warnings) -> None:
    path = tmp_path / "cache.sqlite3"
    (path / "inside").mkdir(parents=True)
    cache = Cache(path, warn=warnings.append)
    assert warnings == [f"cache disabled: cannot create {path}: unable to open database file"]
    assert (path / "inside").is_dir(), "a folder we do not own is left where it is"
    assert not path.with_name("cache.sqlite3.broken").exists()
    cache.put_many("ns", {"k": 1})
    cache.flush()
    cache.close()
    assert len(warnings) == 1


@needs_permissions
def test_read_only_folder(tmp_path: Path, warnings: Warnings) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        path = folder / "cache.sqlite3"
        cache = Cache(path, warn=warnings.append)
        cache.put_many("ns", {"k": 1})
        cache.flush()
        cache.close()
        assert warnings == [f"cache disabled: cannot create {path}: unable to open database file"]
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


@needs_permissions
def test_read_only_folder_to_create(tmp_path: Path, warnings: Warnings) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        path = folder / "docsync" / "cache.sqlite3"
        Cache(path, warn=warnings.append).close()
        assert warnings == [f"cache disabled: cannot create {path}: Permission denied"]
    finally:
        folder.chmod(0o700)


@needs_permissions
def test_read_only_cache_file(cache_path: Path, warnings: Warnings) -> None:
    fresh_cache(cache_path, warnings).close()
    cache_path.chmod(0o400)
    cache_path.parent.chmod(0o500)
    try:
        cache = Cache(cache_path, warn=warnings.append)
        assert cache.get_many("ns", ["a"]) == {"a": {"x": 1}}, "still readable"
        cache.put_many("ns", {"b": 2})
        cache.flush()
        assert len(warnings) == 1
        assert warnings[0].startswith("cannot write the cache (")
    finally:
        cache_path.parent.chmod(0o700)
        cache_path.chmod(0o600)


def test_in_memory_cache(tmp_path: Path, warnings: Warnings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cache = Cache(None, warn=warnings.append)
    assert cache.path is None
    assert cache.get_many("ns", ["k"]) == {}
    cache.put_many("ns", {"k": {"v": 1}})
    assert cache.get_many("ns", ["k", "other"]) == {"k": {"v": 1}}
    cache.flush()
    cache.close()
    assert warnings == []
    assert list(tmp_path.iterdir()) == []


def test_default_warning_goes_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cache.sqlite3"
    path.mkdir()
    Cache(path).close()
    assert (
        capsys.readouterr().err
        == f"docsync: warning: cache disabled: cannot create {path}: unable to open database file\n"
    )


# -- where the cache lives ----------------------------------------------------------------------------


def test_default_path_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCSYNC_CACHE_DIR", str(tmp_path / "env-cache"))
    path = default_cache_path(tmp_path / ".git", ".docsync-cache", tmp_path)
    assert path == tmp_path / "env-cache" / "cache.sqlite3"


def test_empty_environment_variable_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCSYNC_CACHE_DIR", "")
    (tmp_path / ".git").mkdir()
    assert default_cache_path(tmp_path / ".git", None, tmp_path) == tmp_path / ".git" / "docsync" / "cache.sqlite3"


def test_default_path_from_the_config(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    path = default_cache_path(tmp_path / ".git", ".docsync-cache", tmp_path)
    assert path == tmp_path / ".docsync-cache" / "cache.sqlite3"


def test_absolute_cache_dir_in_the_config(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    path = default_cache_path(tmp_path / ".git", str(elsewhere), tmp_path / "repo")
    assert path == elsewhere / "cache.sqlite3"


def test_default_path_in_the_git_dir(git_repo: object, tmp_path: Path) -> None:
    git_dir = tmp_path / "repo" / ".git"
    assert git_dir.is_dir()
    assert default_cache_path(git_dir, None, tmp_path / "repo") == git_dir / "docsync" / "cache.sqlite3"


def test_git_dir_not_writable_falls_back_to_the_user_cache(tmp_path: Path) -> None:
    # A git dir that does not exist is not writable, whoever we run as.
    path = default_cache_path(tmp_path / "no-such-git-dir", None, tmp_path)
    assert path == tmp_path / "xdg-cache" / "docsync" / "cache.sqlite3"


def test_user_cache_without_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = default_cache_path(tmp_path / "no-such-git-dir", None, tmp_path)
    assert path == tmp_path / "home" / ".cache" / "docsync" / "cache.sqlite3"


def test_cache_in_the_default_git_dir_location_works(git_repo: object, tmp_path: Path, warnings: Warnings) -> None:
    git_dir = tmp_path / "repo" / ".git"
    path = default_cache_path(git_dir, None, tmp_path / "repo")
    fresh_cache(path, warnings).close()
    assert Cache(path, warn=warnings.append).get_many("ns", ["a"]) == {"a": {"x": 1}}
    assert warnings == []


def test_keep_only_drops_the_rest_of_one_namespace(cache_path: Path, warnings: Warnings) -> None:
    cache = Cache(cache_path, warn=warnings.append)
    cache.put_many("tables", {"a": 1, "b": 2, "c": 3})
    cache.put_many("other", {"a": 1, "b": 2})
    cache.flush()
    cache.put_many("tables", {"d": 4})
    cache.keep_only("tables", ["b", "d"])
    cache.close()
    reader = Cache(cache_path, warn=warnings.append)
    assert reader.get_many("tables", ["a", "b", "c", "d"]) == {"b": 2, "d": 4}
    assert reader.get_many("other", ["a", "b"]) == {"a": 1, "b": 2}
    reader.keep_only("tables", [])
    reader.close()
    assert Cache(cache_path, warn=warnings.append).get_many("tables", ["b", "d"]) == {}
    assert warnings == []


def _rows(cache_path: Path, warnings: Warnings) -> Cache:
    """A cache holding rows under prefixes a range query could confuse (t1/, t10/, t1é/), and another namespace."""
    cache = Cache(cache_path, warn=warnings.append)
    cache.put_many("rows", {"t1/a": 1, "t1/b": 2, "t2/a": 3, "t10/a": 4, "t1\u00e9/x": 5})
    cache.put_many("other", {"t1/a": 6})
    cache.flush()
    return cache


def test_entries_by_key_prefix_read_and_kept(cache_path: Path, warnings: Warnings) -> None:
    cache = _rows(cache_path, warnings)
    cache.put_many("rows", {"t1/c": 7})  # pending: read too
    assert cache.get_prefixed("rows", "t1/") == {"t1/a": 1, "t1/b": 2, "t1/c": 7}
    assert cache.get_prefixed("rows", "t1") == {"t1/a": 1, "t1/b": 2, "t1/c": 7, "t10/a": 4, "t1\u00e9/x": 5}
    cache.keep_only_prefixed("rows", ["t2/", "t1\u00e9/"])
    cache.close()
    reader = Cache(cache_path, warn=warnings.append)
    assert reader.get_prefixed("rows", "") == {"t2/a": 3, "t1\u00e9/x": 5}
    assert reader.get_prefixed("other", "") == {"t1/a": 6}
    reader.close()
    assert warnings == []


def test_entries_by_key_prefix_dropped(cache_path: Path, warnings: Warnings) -> None:
    cache = _rows(cache_path, warnings)
    cache.drop_prefixed("rows", ["t1/", "t1\u00e9/"])
    cache.drop_prefixed("rows", ["t3/"])  # none there: nothing else goes
    cache.close()
    reader = Cache(cache_path, warn=warnings.append)
    assert reader.get_prefixed("rows", "") == {"t2/a": 3, "t10/a": 4}
    assert reader.get_prefixed("other", "") == {"t1/a": 6}
    reader.close()
    assert warnings == []


def test_large_pending_writes_are_flushed_early(
    cache_path: Path, warnings: Warnings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("docsync.cache._FLUSH_AT_CHARS", 1000)
    writer = Cache(cache_path, warn=warnings.append)
    writer.put_many("ns", {f"k{n}": "x" * 100 for n in range(20)})  # 2,000+ characters: written now
    reader = Cache(cache_path, warn=warnings.append)
    assert len(reader.get_many("ns", [f"k{n}" for n in range(20)])) == 20
    writer.put_many("ns", {"small": 1})  # below the mark: stays pending until flush
    assert reader.get_many("ns", ["small"]) == {}
    writer.close()
    assert reader.get_many("ns", ["small"]) == {"small": 1}
    reader.close()


def test_without_a_file_pending_values_are_the_cache(warnings: Warnings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("docsync.cache._FLUSH_AT_CHARS", 10)
    cache = Cache(None, warn=warnings.append)
    cache.put_many("ns", {"a": "x" * 100, "b": "y" * 100})
    assert cache.get_many("ns", ["a", "b"]) == {"a": "x" * 100, "b": "y" * 100}


# -- the repository cannot send the cache elsewhere (issue 13) ------------------------------------------

CART = "def add_item(cart, item):\n    cart.append(item)\n"
DOC = "Use `shop.cart.add_item`.\n"


@pytest.mark.parametrize(
    ("name", "value"),
    [("pyproject.toml", "../elsewhere"), ("pyproject.toml", "{outside}"), (".docsync.yml", "link/cache")],
)
def test_a_cache_dir_out_of_the_repository_is_a_config_error(
    git_repo: Repo, tmp_path: Path, name: str, value: str
) -> None:
    outside = tmp_path / "elsewhere"
    os.symlink(outside, git_repo.path / "link")
    value = value.format(outside=outside)
    setting = f'[tool.docsync]\ncache-dir = "{value}"\n' if name == "pyproject.toml" else f"cache-dir: {value}\n"
    git_repo.commit({"shop/cart.py": CART, "docs/a.md": DOC, name: setting})
    result = run(git_repo, "check")
    assert result.code == 2, result
    where = "[tool.docsync] in pyproject.toml" if name == "pyproject.toml" else ".docsync.yml"
    assert result.err == (
        f"docsync: error: cache-dir in {where} points outside the repository ({value}) "
        "(use a folder inside the repository; DOCSYNC_CACHE_DIR or --config may point anywhere)\n"
    )
    assert not outside.exists()


def test_the_environment_and_the_command_line_may_put_the_cache_anywhere(
    git_repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git_repo.commit({"shop/cart.py": CART, "docs/a.md": DOC})
    config = tmp_path / "ci.toml"
    config.write_text(f'[tool.docsync]\ncache-dir = "{tmp_path / "from-config"}"\n')
    assert run(git_repo, "check", "--config", str(config)).code == 0
    assert (tmp_path / "from-config" / "cache.sqlite3").is_file()
    (tmp_path / "real").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "from-env")  # the user's own link: followed
    monkeypatch.setenv("DOCSYNC_CACHE_DIR", str(tmp_path / "from-env"))
    result = run(git_repo, "check")
    assert (result.code, result.err) == (0, "")
    assert (tmp_path / "real" / "cache.sqlite3").is_file()


@pytest.mark.parametrize("link", ["folder", "file", "configured folder"])
def test_a_symlink_where_the_repository_puts_its_cache_is_not_followed(
    git_repo: Repo, tmp_path: Path, link: str
) -> None:
    git_repo.commit({"shop/cart.py": CART, "docs/a.md": DOC})
    target = tmp_path / "target"
    target.mkdir()
    if link == "configured folder":
        git_repo.write({"pyproject.toml": '[tool.docsync]\ncache-dir = ".cache"\n'})
        (git_repo.path / "real-cache").mkdir()
        target = git_repo.path / "real-cache"
        os.symlink("real-cache", git_repo.path / ".cache")
        where = git_repo.path / ".cache"
    elif link == "folder":
        where = git_repo.path / ".git" / "docsync"
        os.symlink(target, where)
    else:
        (git_repo.path / ".git" / "docsync").mkdir()
        where = git_repo.path / ".git" / "docsync" / "cache.sqlite3"
        os.symlink(target / "cache.sqlite3", where)
    result = run(git_repo, "check")
    assert result.code == 0, result
    assert result.err == (
        f"docsync: warning: cache disabled: {where} is a symlink, and docsync does not follow links where the "
        "repository puts its cache (remove the link, or set DOCSYNC_CACHE_DIR)\n"
    )
    assert os.listdir(target) == []
    assert where.is_symlink()


# -- a cache another process is writing (issue 13, item 12) ---------------------------------------------

HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
db.execute("INSERT OR REPLACE INTO entries (ns, key, value) VALUES ('holder', 'k', '1')")
print("held", flush=True)
sys.stdin.readline()
db.execute("COMMIT")
print("committed", flush=True)
"""


def outcome(result: Result) -> tuple[int, str, str]:
    return result.code, result.out, result.err


class Holder:
    """Another process, holding a write transaction on the cache file until `commit`."""

    def __init__(self, path: Path) -> None:
        command = [sys.executable, "-c", HOLDER, str(path)]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        assert self.process.stdout.readline() == "held\n"

    def commit(self) -> str:
        out, _ = self.process.communicate("go\n", timeout=30)
        return out


def test_a_busy_cache_is_not_moved_aside(git_repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression test for issue 13, item 12: a cache held for more than 10 s was called corrupt and moved
    aside, and its holder's commit then failed. Busy is not corrupt: run without it, and say so."""
    monkeypatch.setattr(cache_module, "BUSY_WAIT_SECONDS", 0.5)
    monkeypatch.setenv("DOCSYNC_CACHE_DIR", str(tmp_path / "cache"))
    git_repo.commit({"pkg/m.py": "def f(a):\n    return a\n", "docs/a.md": "Call `pkg.m.f`.\n"})
    expected = outcome(run(git_repo, "map", "--no-cache"))
    assert outcome(run(git_repo, "map")) == expected  # creates the cache
    path = tmp_path / "cache" / "cache.sqlite3"
    holder = Holder(path)
    try:
        busy = run(git_repo, "map")
    finally:
        committed = holder.commit()
    assert (busy.code, busy.out) == expected[:2]
    assert busy.err.startswith("docsync: warning: cache busy: running without it"), busy.err
    assert busy.err.count("\n") == 1, busy.err
    assert committed == "committed\n"
    assert sorted(os.listdir(path.parent)) == ["cache.sqlite3"], "nothing moved aside"
    assert Cache(path).get_many("holder", ["k"]) == {"k": 1}, "the holder's write is in the cache"
    assert outcome(run(git_repo, "map")) == expected


def test_busy_while_reading(cache_path: Path, warnings: Warnings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "BUSY_WAIT_SECONDS", 0.3)
    cache = fresh_cache(cache_path, warnings)
    holder = Holder(cache_path)
    try:
        assert cache.get_many("ns", ["a"]) == {}
        cache.put_many("ns", {"b": 2})
        assert cache.get_many("ns", ["b"]) == {"b": 2}, "values of this run are still served"
        cache.close()
    finally:
        assert holder.commit() == "committed\n"
    assert warnings == [
        f"cache busy: running without it (another process has been writing {cache_path} for over 0.3 s)"
    ]
    assert Cache(cache_path, warn=warnings.append).get_many("ns", ["a", "b"]) == {"a": {"x": 1}}
    assert sorted(os.listdir(cache_path.parent)) == ["cache.sqlite3"]


def test_busy_while_writing(cache_path: Path, warnings: Warnings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "BUSY_WAIT_SECONDS", 0.3)
    cache = fresh_cache(cache_path, warnings)
    cache.put_many("ns", {"b": 2})
    holder = Holder(cache_path)
    try:
        cache.close()
    finally:
        assert holder.commit() == "committed\n"
    assert warnings == [
        f"cache busy: results were not saved (another process has been writing {cache_path} for over 0.3 s)"
    ]
    assert Cache(cache_path, warn=warnings.append).get_many("holder", ["k"]) == {"k": 1}
    assert sorted(os.listdir(cache_path.parent)) == ["cache.sqlite3"]


# -- values and keys that are not UTF-8 (issue 13, item 5) ----------------------------------------------

NOTEBOOK = (
    '{"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["Call `pkg.m.f` \\ud800 here.\\n"]}, '
    '{"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], '
    '"source": ["import pkg.m\\n", "pkg.m.f(1)  # \\ud800\\n"]}], '
    '"metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'
)


def test_lone_surrogates_and_non_utf8_names_round_trip(
    git_repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression test for issue 13, item 5: a lone surrogate in a notebook cell, and a file name that is
    not UTF-8, crashed the cache write (UnicodeEncodeError); --no-cache worked."""
    git_repo.write({"pkg/m.py": "def f(a):\n    return a\n", "docs/nb.ipynb": NOTEBOOK})
    (git_repo.path / os.fsdecode(b"docs/caf\xe9.md")).write_bytes("# Café\n\nSee `pkg.m.f`.\n".encode())
    git_repo.commit({}, "a notebook and a doc whose name is Latin-1")
    monkeypatch.setenv("DOCSYNC_CACHE_DIR", str(tmp_path / "cache"))
    for command in (["map"], ["check"], ["check", "--format", "json"], ["map", "--rev", "HEAD"]):
        expected = outcome(run(git_repo, *command, "--no-cache"))
        if command[0] == "map":  # `check` lists findings only, and these docs are fresh
            assert "docs/nb.ipynb" in expected[1]
            assert "caf" in expected[1]
        assert outcome(run(git_repo, *command)) == expected, f"cold {command}"
        assert outcome(run(git_repo, *command)) == expected, f"warm {command}"


def test_keys_and_values_with_surrogates(cache_path: Path, warnings: Warnings) -> None:
    values = {"caf\udce9": "a lone \ud800", "café": {"\udcff": ["\ud800"]}, "plain": 1, "\ud800": None}
    writer = Cache(cache_path, warn=warnings.append)
    writer.put_many("ns", values)
    writer.close()
    reader = Cache(cache_path, warn=warnings.append)
    assert reader.get_many("ns", [*values, "caf\udce8"]) == values
    reader.keep_only("ns", ["caf\udce9", "plain"])
    reader.close()
    assert Cache(cache_path, warn=warnings.append).get_many("ns", values) == {
        "caf\udce9": "a lone \ud800",
        "plain": 1,
    }
    assert warnings == []


# -- a bounded cache (issue 13: a 1,000-commit history walk left 128 MB) -----------------------------


def entry_keys(path: Path) -> set[tuple[str, str]]:
    db = sqlite3.connect(path)
    try:
        return set(db.execute("SELECT ns, key FROM entries").fetchall())
    finally:
        db.close()


@pytest.mark.parametrize("limit_from", ["environment", "config"])
def test_a_cache_past_its_limit_keeps_what_was_used_last(
    git_repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit_from: str
) -> None:
    monkeypatch.setenv("DOCSYNC_CACHE_DIR", str(tmp_path / "cache"))
    files = {f"pkg/m{n}.py": f"def f{n}(a):\n    return a + {n}\n" for n in range(10)}
    files.update({f"docs/d{n}.md": f"Call `pkg.m{n}.f{n}`.\n" for n in range(10)})
    if limit_from == "environment":
        monkeypatch.setenv("DOCSYNC_CACHE_MAX_MB", "1")
    else:
        files[".docsync.yml"] = "cache-max-mb: 1\n"
    git_repo.commit(files, "code and docs")
    expected = {command: outcome(run(git_repo, command, "--no-cache")) for command in ("map", "check")}
    assert {command: outcome(run(git_repo, command)) for command in expected} == expected
    path = tmp_path / "cache" / "cache.sqlite3"
    used = entry_keys(path)
    db = sqlite3.connect(path)  # 3 MB that nobody has asked for since
    with db:
        db.executemany(
            "INSERT INTO entries (ns, key, value) VALUES ('old/1', ?, ?)",
            [(f"{n:040x}", '"' + "x" * 1000 + '"') for n in range(3000)],
        )
    db.close()
    assert path.stat().st_size > 3_000_000
    assert {command: outcome(run(git_repo, command)) for command in expected} == expected
    assert path.stat().st_size < 1_000_000, "shrunk under the limit"
    assert used <= entry_keys(path), "what the runs used survives"
    assert len([key for key in entry_keys(path) if key[0] == "old/1"]) < 3000, "the oldest went"
    assert {command: outcome(run(git_repo, command)) for command in expected} == expected


class Clock:
    """The cache's clock, set by the test (seconds)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = 1_700_000_000
        monkeypatch.setattr(cache_module, "_now", lambda: self.now)

    def advance(self, days: float) -> None:
        self.now += int(days * 86_400)


def test_least_recently_used_entries_go_first(
    cache_path: Path, warnings: Warnings, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    value = "v" * 2000
    writer = Cache(cache_path, warn=warnings.append)
    writer.put_many("ns", {f"old{n:03}": value for n in range(200)})
    writer.flush()
    clock.advance(days=10)
    writer.put_many("ns", {f"new{n:03}": value for n in range(200)})
    writer.close()
    clock.advance(days=10)
    reader = Cache(cache_path, warn=warnings.append)
    read_again = [f"old{n:03}" for n in range(50)]
    assert len(reader.get_many("ns", read_again)) == 50  # used now: the most recent of all
    reader.close()
    assert cache_path.stat().st_size > 800_000
    Cache(cache_path, warn=warnings.append, max_bytes=500_000).close()
    assert cache_path.stat().st_size <= 500_000
    left = {key for _, key in entry_keys(cache_path)}
    assert set(read_again) <= left
    assert not any(key.startswith("old") and key not in read_again for key in left), "the least recently used went"
    assert any(key.startswith("new") for key in left), "down to three quarters of the limit, not to nothing"
    assert warnings == []


def test_a_run_within_a_day_of_the_last_writes_nothing(
    cache_path: Path, warnings: Warnings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A warm pre-commit check must not pay for a write transaction to keep last-used times.
    clock = Clock(monkeypatch)
    fresh_cache(cache_path, warnings).close()
    before = cache_path.read_bytes()
    clock.advance(days=0.9)
    reader = Cache(cache_path, warn=warnings.append, max_bytes=1_000_000)
    assert reader.get_many("ns", ["a"]) == {"a": {"x": 1}}
    reader.close()
    assert cache_path.read_bytes() == before
    clock.advance(days=0.2)
    reader = Cache(cache_path, warn=warnings.append)
    assert reader.get_many("ns", ["a"]) == {"a": {"x": 1}}
    reader.close()
    db = sqlite3.connect(cache_path)
    assert db.execute("SELECT used FROM entries WHERE key = 'a'").fetchall() == [(clock.now,)]
    db.close()


def _older_cache(path: Path, format_: str, rows: list[tuple[object, ...]]) -> None:
    """A cache file of an older layout: format 1 had no last-used column, formats 1 and 2 a WITHOUT ROWID table."""
    path.parent.mkdir(parents=True)
    used = "used INTEGER NOT NULL DEFAULT 0, " if format_ == "2" else ""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        "CREATE TABLE entries (ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, "
        f"{used}PRIMARY KEY (ns, key)) WITHOUT ROWID"
    )
    db.execute("INSERT INTO meta VALUES ('application', 'docsync'), ('format', ?)", (format_,))
    db.executemany(f"INSERT INTO entries VALUES ({', '.join('?' * len(rows[0]))})", rows)
    db.commit()
    db.close()


def test_a_format_1_cache_is_upgraded_in_place(cache_path: Path, warnings: Warnings) -> None:
    _older_cache(cache_path, "1", [("ns", "k", '{"kept": true}')])
    cache = Cache(cache_path, warn=warnings.append)
    assert cache.get_many("ns", ["k"]) == {"k": {"kept": True}}
    cache.put_many("ns", {"new": 1})
    cache.close()
    assert Cache(cache_path, warn=warnings.append).get_many("ns", ["k", "new"]) == {"k": {"kept": True}, "new": 1}
    assert warnings == []
    assert not cache_path.with_name("cache.sqlite3.broken").exists()


def test_a_format_2_cache_is_upgraded_to_keep_its_values_out_of_the_key(cache_path: Path, warnings: Warnings) -> None:
    """Format 2 kept values inside a WITHOUT ROWID key, which SQLite reads whole to compare: its entries move, with
    their last-used times and keys that are bytes, to a table of rows indexed by key; the file is compacted."""
    big = '"' + "x" * 3_000_000 + '"'
    rows = [("ns", "k", '{"kept": true}', 7), ("ns", cache_module._stored("caf\udce9"), "2", 8), ("big", "b", big, 9)]
    _older_cache(cache_path, "2", rows)
    size = cache_path.stat().st_size
    cache = Cache(cache_path, warn=warnings.append)
    assert cache.get_many("ns", ["k", "caf\udce9"]) == {"k": {"kept": True}, "caf\udce9": 2}
    cache.put_many("ns", {"k": 3})
    cache.close()
    assert Cache(cache_path, warn=warnings.append).get_many("ns", ["k"]) == {"k": 3}
    db = sqlite3.connect(cache_path)
    assert db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone() == (cache_format.FORMAT,)
    (schema,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'entries'").fetchone()
    assert "WITHOUT ROWID" not in schema.upper()
    plan = db.execute("EXPLAIN QUERY PLAN SELECT value FROM entries WHERE ns = 'ns' AND key IN ('k', 'j')").fetchall()
    assert "entries_by_key" in str(plan), "a lookup compares keys alone"
    assert db.execute("SELECT used FROM entries WHERE ns = 'big'").fetchall() == [(9,)], "its last-used time kept"
    db.close()
    assert cache_path.stat().st_size < size * 1.2, "compacted: the moved entries leave no free pages behind"
    assert warnings == []


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5", "1e3"])
def test_a_bad_size_limit_in_the_environment_is_a_one_line_error(
    git_repo: Repo, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    git_repo.commit({"docs/a.md": "text\n"})
    monkeypatch.setenv("DOCSYNC_CACHE_MAX_MB", value)
    result = run(git_repo, "map")
    assert result.code == 2
    assert result.err == (
        f"docsync: error: DOCSYNC_CACHE_MAX_MB must be a whole number of megabytes, 1 or more, got {value!r} "
        "(for example cache-max-mb = 256)\n"
    )


def test_the_size_limit_from_the_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    assert cache_module.cache_max_bytes(64) == (64_000_000, False)
    assert cache_module.cache_max_bytes(None) == (256_000_000, True), "the default, which may grow"
    monkeypatch.setenv("DOCSYNC_CACHE_MAX_MB", " 3 ")
    assert cache_module.cache_max_bytes(64) == cache_module.cache_max_bytes(None) == (3_000_000, False)


@pytest.mark.parametrize("bytes_per_file", [1, 1_000_000])
def test_the_default_limit_grows_with_the_repository(
    git_repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bytes_per_file: int
) -> None:
    """A limit below what one run reads evicts, on every run, what the next one needs (a 50,000-file monorepo's
    warm check took 72 s instead of 19): the default makes room for each file of the repository."""
    monkeypatch.setenv("DOCSYNC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache_module, "DEFAULT_CACHE_MAX_MB", 1)
    monkeypatch.setattr(cache_module, "DEFAULT_BYTES_PER_FILE", bytes_per_file)
    git_repo.commit({f"pkg/m{n}.py": f"def f{n}(a):\n    return a\n" for n in range(20)}, "code")
    run(git_repo, "map")
    path = tmp_path / "cache" / "cache.sqlite3"
    db = sqlite3.connect(path)
    with db:
        db.executemany(
            "INSERT INTO entries (ns, key, value) VALUES ('old/1', ?, ?)",
            [(f"{n:040x}", '"' + "x" * 1000 + '"') for n in range(2000)],
        )
    db.close()
    run(git_repo, "map", "--format", "json")
    kept = len([key for key in entry_keys(path) if key[0] == "old/1"])
    # 20 files at 1 MB each: a 20 MB limit, room for the 9 MB file; at 1 byte each, the 1 MB default evicts.
    assert (kept == 2000) if bytes_per_file > 1 else (kept < 2000), kept


def test_the_repositorys_count_of_files_is_a_listed_trees_else_the_indexs(
    git_repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where a run listed a tree, the default limit grows with its count: no `git ls-files` at every close (0.02 s
    at 50,000 files)."""
    git_repo.commit({f"pkg/m{n}.py": "x = 1\n" for n in range(5)}, "code")
    git_repo.write({"pkg/new.py": "y = 2\n"})
    git_repo.git("add", "pkg/new.py")
    repo = GitRepo(git_repo.path)
    assert _tracked_files(repo) == 6, "the index's files, asked of git"
    assert len(repo.tree("HEAD")) == 5
    monkeypatch.setattr(repo, "query", lambda *args: pytest.fail(f"git asked: {args}"))
    assert _tracked_files(repo) == 5
    repo.close()


def test_a_limit_that_is_set_never_grows(tmp_path: Path) -> None:
    """Past its limit, a default limit asks how many files the repository has; a set one never does."""
    asked: list[int] = []

    def files() -> int:
        asked.append(1)
        return 100

    for name, counted in (("set", None), ("default", files)):
        cache = Cache(tmp_path / f"{name}.sqlite3", max_bytes=1_000, files=counted)
        cache.put_many("ns", {f"{n}": "x" * 1000 for n in range(100)})
        cache.close()
    assert (tmp_path / "set.sqlite3").stat().st_size < 2_000_000 < 100 * cache_module.DEFAULT_BYTES_PER_FILE
    assert len(Cache(tmp_path / "set.sqlite3").get_many("ns", map(str, range(100)))) < 100, "the set limit evicted"
    assert len(Cache(tmp_path / "default.sqlite3").get_many("ns", map(str, range(100)))) == 100
    assert asked == [1]
