"""Tests for lockfile.py: the `.docsync.lock` format, its errors, atomic writes and real `git merge`s of it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docsync import lockfile
from docsync.errors import LockfileError
from docsync.lockfile import (
    FORMAT,
    LOCK_NAME,
    Lock,
    format_lock,
    parse_lock,
    parse_lock_bytes,
    read_lock,
    update_lock,
    with_docs,
    write_lock,
)
from docsync.models import Fingerprint
from tests.conftest import Repo

needs_permissions = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores file permissions"
)

HEADER = (
    "# docsync lock: the code each doc was last reviewed against. Update with `docsync accept`; do not edit by hand."
)
F1 = Fingerprint("0123456789abcdef", "1111111111111111", "2222222222222222")
F2 = Fingerprint("aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc")
F3 = Fingerprint("fedcba9876543210", "fedcba9876543210", "0000000000000000")
D1 = "0123456789abcdef:1111111111111111:2222222222222222"  # F1 as written
D2 = "aaaaaaaaaaaaaaaa:bbbbbbbbbbbbbbbb:cccccccccccccccc"  # F2 as written

SAMPLE = Lock(
    {
        "docs/guide.md": {"shop.cart.add_item": F2},
        "docs/api.rst": {"shop.cart.add_item": F1, "shop.cart.Cart": F1, "shop.cart.Cart.total": F3},
        "docs/empty.md": {},
    }
)
SAMPLE_TEXT = f"""{HEADER}
# format: 1

[docs/api.rst]
shop.cart.Cart {D1}
shop.cart.Cart.total fedcba9876543210:fedcba9876543210:0000000000000000
shop.cart.add_item {D1}

[docs/empty.md]

[docs/guide.md]
shop.cart.add_item {D2}

# end
"""


def text_of(*lines: str, format_line: str = "# format: 1") -> str:
    """A lock file's text: the header, the format line, then `lines`."""
    return "\n".join([HEADER, format_line, "", *lines, "", "# end"]) + "\n"


# -- format and round trips ---------------------------------------------------------------------------


def test_format_is_sorted_and_readable() -> None:
    assert format_lock(SAMPLE) == SAMPLE_TEXT


def test_empty_lock() -> None:
    assert format_lock(Lock()) == f"{HEADER}\n# format: 1\n\n# end\n"
    assert parse_lock(format_lock(Lock())) == Lock({})


@pytest.mark.parametrize(
    "docs",
    [
        pytest.param({}, id="no docs"),
        pytest.param({"docs/a.md": {}}, id="a doc accepted with no symbols"),
        pytest.param({"README.md": {"pkg": F1}, "docs/a.md": {"pkg.mod.f": F2}}, id="upper case sorts first"),
        pytest.param({"docs/a]": {"a": F1}, "]": {"b": F1}, "[x": {}, "[y]": {}}, id="brackets in paths"),
        pytest.param({"# not a comment": {"a": F1}, "docs/a b.md": {}, "docs/tab\there.md": {}}, id="#, spaces, tabs"),
        pytest.param({"docs/café.md": {"paquet.façade": F1, "_private._x1": F2}}, id="non-ASCII"),
        pytest.param({"docs/=======.md": {"a": F1}, "<<<<<<< x": {}}, id="conflict-marker look-alikes inside headers"),
    ],
)
def test_round_trip(docs: Mapping[str, Mapping[str, Fingerprint]]) -> None:
    assert parse_lock(format_lock(Lock(docs))) == Lock(docs)


def test_equal_locks_give_identical_bytes_whatever_the_insertion_order() -> None:
    forward = Lock({"a.md": {"x.a": F1, "x.b": F2}, "b.md": {"y": F3}})
    backward = Lock({"b.md": {"y": F3}, "a.md": {"x.b": F2, "x.a": F1}})
    assert forward == backward
    assert format_lock(forward).encode() == format_lock(backward).encode()
    assert format_lock(parse_lock(format_lock(backward))) == format_lock(forward)


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(SAMPLE_TEXT.replace("\n", "\r\n"), id="CRLF"),
        pytest.param("\ufeff" + SAMPLE_TEXT, id="UTF-8 BOM"),
        pytest.param(SAMPLE_TEXT.replace("\n", "  \n"), id="trailing white space"),
        pytest.param(SAMPLE_TEXT.replace("\n# end\n", "").rstrip("\n"), id="no trailer, no final newline"),
        pytest.param(SAMPLE_TEXT.replace("\n\n", "\n"), id="no blank lines"),
        pytest.param(SAMPLE_TEXT.replace("[docs/empty.md]", "# a comment\n[docs/empty.md]\n#another"), id="comments"),
        pytest.param(SAMPLE_TEXT.replace(HEADER + "\n", ""), id="no header comment"),
        pytest.param(SAMPLE_TEXT.replace("# format: 1", "#format:1"), id="terse format line"),
        pytest.param(SAMPLE_TEXT.replace(f"add_item {D2}", f"add_item \t {D2}"), id="wider gap"),
    ],
)
def test_tolerated_variants_parse_the_same(variant: str) -> None:
    assert parse_lock(variant) == SAMPLE


_SEGMENT = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True) | st.sampled_from(["façade", "ñ", "_"])
_SYMBOLS = st.lists(_SEGMENT, min_size=1, max_size=4).map(".".join)
_DIGESTS = st.from_regex(r"[0-9a-f]{16}", fullmatch=True)
_FINGERPRINTS = st.builds(Fingerprint, _DIGESTS, _DIGESTS, _DIGESTS)
_DOC_PATHS = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\n\r") | st.sampled_from("[]#/= "),
    min_size=1,
    max_size=20,
).filter(lambda path: path == path.strip() and not path.startswith("/"))
_DOCS = st.dictionaries(_DOC_PATHS, st.dictionaries(_SYMBOLS, _FINGERPRINTS, max_size=4), max_size=5)


@given(_DOCS)
def test_round_trip_property(docs: dict[str, dict[str, Fingerprint]]) -> None:
    text = format_lock(Lock(docs))
    assert parse_lock(text) == Lock(docs)
    assert parse_lock(text.replace("\n", "\r\n")) == Lock(docs)
    reversed_docs = {doc: dict(reversed(docs[doc].items())) for doc in reversed(docs)}
    assert format_lock(Lock(reversed_docs)) == text


@given(st.text() | st.lists(st.sampled_from(["# format: 1", "[d]", f"a {D1}", "", "[", "]", "#", " "])).map("\n".join))
def test_parse_raises_only_lockfile_errors(text: str) -> None:
    error: LockfileError | None = None
    try:
        lock = parse_lock(text)
    except LockfileError as caught:
        error = caught
    if error is None:
        assert parse_lock(format_lock(lock)) == lock
    else:
        assert error.message.startswith(LOCK_NAME)
        assert "\n" not in error.message
        assert error.hint


# -- parse errors -------------------------------------------------------------------------------------

_CONFLICT_HINT = (
    "take either side (`git checkout --theirs .docsync.lock`), then run `docsync accept` on the docs of both branches"
)
_LINE_HINT = "undo hand edits (`git checkout -- .docsync.lock`) or delete the bad block, then re-run `docsync accept` on its docs"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", ".docsync.lock line 1: no `# format: 1` line"),
        (f"[docs/a.md]\na {D1}\n", ".docsync.lock line 1: no `# format: 1` line"),
        (
            f"[docs/a.md]\n# format: 1\na {D1}\n",
            ".docsync.lock line 1: `[docs/a.md]` comes before the `# format:` line (line 2)",
        ),
        (
            text_of("[a.md]", format_line="# format: one"),
            ".docsync.lock line 2: unreadable format `one` (expected `# format: 1`)",
        ),
        (text_of("[a.md]", format_line="# format: 0"), ".docsync.lock line 2: unknown format 0 (this docsync reads 1)"),
        (text_of("# format: 1", "[a.md]"), ".docsync.lock line 4: a second `# format:` line (the first is line 2)"),
        (
            text_of(f"a.b {D1}", "[docs/a.md]"),
            ".docsync.lock line 4: `a.b 0123456789abcdef:1111111111111111:2222222222222222` comes before any `[doc path]` header",
        ),
        (
            text_of("[docs/a.md]", f"a {D1}", "", "[docs/b.md]", "", "[docs/a.md]"),
            ".docsync.lock line 9: [docs/a.md] appears twice (first at line 4)",
        ),
        (
            text_of("[docs/a.md]", f"a.b {D1}", f"a.c {D1}", f"a.b {D2}"),
            ".docsync.lock line 7: a.b appears twice in [docs/a.md] (first at line 5)",
        ),
        (
            text_of("[docs/a.md]", "a.b 0123456789abcdef:1111111111111111"),
            ".docsync.lock line 5: malformed fingerprint of a.b: `0123456789abcdef:1111111111111111` is not three 16-digit lowercase hex digests joined by `:`",
        ),
        (
            text_of("[docs/a.md]", f"a.b {D1}:2222222222222222"),
            ".docsync.lock line 5: malformed fingerprint of a.b: `0123456789abcdef:1111111111111111:2222222222222222:222222...` is not three 16-digit lowercase hex digests joined by `:`",
        ),
        (
            text_of("[docs/a.md]", "a.b 0123456789ABCDEF:1111111111111111:2222222222222222"),
            ".docsync.lock line 5: malformed fingerprint of a.b: `0123456789ABCDEF:1111111111111111:2222222222222222` is not three 16-digit lowercase hex digests joined by `:`",
        ),
        (
            text_of("[docs/a.md]", "a.b 0123456789abcde:1111111111111111:2222222222222222"),
            ".docsync.lock line 5: malformed fingerprint of a.b: `0123456789abcde:1111111111111111:2222222222222222` is not three 16-digit lowercase hex digests joined by `:`",
        ),
        (
            text_of("[docs/a.md]", "a.b 0123456789abcdeg:1111111111111111:2222222222222222"),
            ".docsync.lock line 5: malformed fingerprint of a.b: `0123456789abcdeg:1111111111111111:2222222222222222` is not three 16-digit lowercase hex digests joined by `:`",
        ),
        (text_of("[docs/a.md]", f"a..b {D1}"), ".docsync.lock line 5: `a..b` is not a dotted Python name"),
        (text_of("[docs/a.md]", f"a.1b {D1}"), ".docsync.lock line 5: `a.1b` is not a dotted Python name"),
        (text_of("[docs/a.md]", f"a.b- {D1}"), ".docsync.lock line 5: `a.b-` is not a dotted Python name"),
        (text_of("[docs/a.md]", "a.b"), ".docsync.lock line 5: `a.b` is not `<symbol> <signature>:<body>:<docstring>`"),
        (
            text_of("[docs/a.md]", f"a.b {D1} extra"),
            f".docsync.lock line 5: `a.b {D1} extra` is not `<symbol> <signature>:<body>:<docstring>`",
        ),
        (text_of("[docs/a.md"), ".docsync.lock line 4: `[docs/a.md` is not a `[doc path]` header"),
        (text_of("[docs/a.md] # note"), ".docsync.lock line 4: `[docs/a.md] # note` is not a `[doc path]` header"),
        (text_of("[]"), ".docsync.lock line 4: bad doc path ``: it is empty"),
        (
            text_of("[/home/me/docs/a.md]"),
            ".docsync.lock line 4: bad doc path `/home/me/docs/a.md`: it is absolute (paths are relative to the repository root)",
        ),
        (
            text_of("[ docs/a.md]"),
            ".docsync.lock line 4: bad doc path ` docs/a.md`: it starts or ends with white space",
        ),
        (text_of("[docs/a\rb.md]"), ".docsync.lock line 4: bad doc path `docs/a\rb.md`: it contains a line break"),
    ],
)
def test_line_errors(text: str, message: str) -> None:
    with pytest.raises(LockfileError) as caught:
        parse_lock(text)
    assert caught.value.message == message
    assert caught.value.hint == _LINE_HINT


_CONFLICT_HINT = (
    "take either side (`git checkout --theirs .docsync.lock`), then run `docsync accept` on the docs of both branches"
)


@pytest.mark.parametrize(
    ("lines", "line"),
    [
        (["[docs/a.md]", "<<<<<<< HEAD", f"a {D1}", "=======", f"a {D2}", ">>>>>>> topic"], 5),
        (["[docs/a.md]", "<<<<<<< HEAD", f"a {D1}", "||||||| base", f"a {D2}", "=======", ">>>>>>> topic"], 5),
        (["[docs/a.md]", f"a {D1}", "======="], 6),  # a marker alone is enough
        ([">>>>>>> topic"], 4),
    ],
)
def test_merge_conflict_markers(lines: list[str], line: int) -> None:
    with pytest.raises(LockfileError) as caught:
        parse_lock(text_of(*lines, format_line="# format: 99"))  # markers are reported first, before anything else
    assert caught.value.message == f".docsync.lock has merge-conflict markers (line {line})"
    assert caught.value.hint == _CONFLICT_HINT


@pytest.mark.parametrize("lines", [["[docs/a.md]", "anything; format 2 may not parse"], []])
def test_newer_format_is_reported_before_lines_that_do_not_parse(lines: list[str]) -> None:
    with pytest.raises(LockfileError) as caught:
        parse_lock(text_of(*lines, format_line=f"# format: {FORMAT + 1}"))
    assert caught.value.message == ".docsync.lock was written by a newer docsync (format 2; this one reads 1)"
    assert caught.value.hint == "upgrade docsync"


SOURCE = ".docsync.lock at 1a2b3c4d5e6f"  # how `check` names the lock of a revision


@pytest.mark.parametrize(
    ("data", "message", "hint"),
    [
        (b"", f"{SOURCE} line 1: no `# format: 1` line", _LINE_HINT),
        (b"<<<<<<< HEAD\n", f"{SOURCE} has merge-conflict markers (line 1)", _CONFLICT_HINT),
        (
            b"# format: 1\n[\xe9]\n",
            f"{SOURCE} line 2 is not UTF-8 text",
            "save it as UTF-8, or restore it with `git checkout -- .docsync.lock`",
        ),
    ],
)
def test_messages_name_the_source_and_hints_the_file(data: bytes, message: str, hint: str) -> None:
    with pytest.raises(LockfileError) as caught:
        parse_lock_bytes(data, SOURCE)
    assert (caught.value.message, caught.value.hint) == (message, hint)


def test_parse_lock_bytes() -> None:
    assert parse_lock_bytes(SAMPLE_TEXT.encode("utf-8")) == SAMPLE


@pytest.mark.parametrize(
    ("docs", "message"),
    [
        ({"": {}}, "cannot write doc path '' to .docsync.lock: it is empty"),
        ({"docs/a\nb.md": {}}, r"cannot write doc path 'docs/a\nb.md' to .docsync.lock: it contains a line break"),
        ({"docs/a.md\r": {}}, r"cannot write doc path 'docs/a.md\r' to .docsync.lock: it contains a line break"),
        ({"docs/a.md ": {}}, "cannot write doc path 'docs/a.md ' to .docsync.lock: it starts or ends with white space"),
        (
            {"/abs/a.md": {}},
            "cannot write doc path '/abs/a.md' to .docsync.lock: it is absolute (paths are relative to the repository root)",
        ),
        ({"docs/\udcff.md": {}}, r"cannot write doc path 'docs/\udcff.md' to .docsync.lock: it is not valid Unicode"),
        ({"a.md": {"a b": F1}}, "cannot write symbol 'a b' to .docsync.lock: not a dotted Python name"),
        ({"a.md": {"a.": F1}}, "cannot write symbol 'a.' to .docsync.lock: not a dotted Python name"),
        (
            {"a.md": {"a": Fingerprint("0", "1", "2")}},
            "cannot write a to .docsync.lock: Fingerprint(signature='0', body='1', docstring='2') is not three 16-digit hex digests",
        ),
        (
            {"a.md": {"a": Fingerprint("A" * 16, "1" * 16, "2" * 16)}},
            "cannot write a to .docsync.lock: Fingerprint(signature='AAAAAAAAAAAAAAAA', body='1111111111111111', docstring='2222222222222222') is not three 16-digit hex digests",
        ),
    ],
)
def test_format_refuses_what_would_not_read_back(docs: Mapping[str, Mapping[str, Fingerprint]], message: str) -> None:
    with pytest.raises(ValueError, match=r"^cannot write ") as caught:
        format_lock(Lock(docs))
    assert str(caught.value) == message


# -- reading and writing ------------------------------------------------------------------------------


# -- one writer at a time ----------------------------------------------------------------------------

HOLDER = """
import fcntl, os, sys
descriptor = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(descriptor, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()
"""


@contextmanager
def held_by_another_process(path: Path) -> Iterator[None]:
    """Another process holds the lock on `path` (a file or a folder) until the block ends."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == b"held\n"
        yield
    finally:
        holder.communicate(b"")


def test_update_lock_writes_what_the_change_returns(tmp_path: Path) -> None:
    git_dir = tmp_path / ".git"
    write_lock(tmp_path, SAMPLE)
    assert update_lock(tmp_path, git_dir, lambda lock: None) is None
    assert read_lock(tmp_path) == SAMPLE, "None: nothing written"
    seen: list[Lock | None] = []
    changed = update_lock(tmp_path, git_dir, lambda lock: seen.append(lock) or with_docs(lock, {"new.md": {}}))
    assert seen == [SAMPLE]
    assert changed is not None
    assert read_lock(tmp_path) == changed
    assert sorted(changed.docs) == [*sorted(SAMPLE.docs), "new.md"]
    assert (git_dir / lockfile.WRITER_LOCK).is_file()


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_update_lock_waits_then_gives_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lockfile, "WAIT_SECONDS", 0.2)
    (tmp_path / ".git" / "docsync").mkdir(parents=True)
    writer_lock = tmp_path / ".git" / lockfile.WRITER_LOCK
    writer_lock.touch()
    with held_by_another_process(writer_lock), pytest.raises(LockfileError, match="another docsync has been writing"):
        update_lock(tmp_path, tmp_path / ".git", lambda lock: Lock({"x.md": {}}))
    assert read_lock(tmp_path) is None
    assert update_lock(tmp_path, tmp_path / ".git", lambda lock: Lock({"x.md": {}})) == Lock({"x.md": {}})


@pytest.mark.skipif(sys.platform == "win32", reason="flock on a folder")
def test_without_a_writable_git_dir_the_work_tree_folder_is_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lockfile, "WAIT_SECONDS", 0.2)
    git_dir = tmp_path / "git-dir-is-a-file"
    git_dir.write_text("")  # its docsync/ folder cannot be made, whoever we run as
    root = tmp_path / "work"
    root.mkdir()
    assert update_lock(root, git_dir, lambda lock: Lock({"a.md": {}})) == Lock({"a.md": {}})
    assert os.listdir(root) == [LOCK_NAME], "no lock file left in the work tree"
    with held_by_another_process(root), pytest.raises(LockfileError, match="another docsync has been writing"):
        update_lock(root, git_dir, lambda lock: Lock({"b.md": {}}))
    assert read_lock(root) == Lock({"a.md": {}})


def test_read_lock_without_a_file(tmp_path: Path) -> None:
    assert read_lock(tmp_path) is None


def test_write_then_read(tmp_path: Path) -> None:
    write_lock(tmp_path, SAMPLE)
    assert (tmp_path / LOCK_NAME).read_bytes() == SAMPLE_TEXT.encode("utf-8")  # "\n" line ends on every OS
    assert read_lock(tmp_path) == SAMPLE
    assert os.listdir(tmp_path) == [LOCK_NAME]  # no temporary file left


def test_write_replaces_the_old_file(tmp_path: Path) -> None:
    write_lock(tmp_path, SAMPLE)
    write_lock(tmp_path, Lock({"x.md": {}}))
    assert read_lock(tmp_path) == Lock({"x.md": {}})
    assert os.listdir(tmp_path) == [LOCK_NAME]


def test_a_failed_replace_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_lock(tmp_path, SAMPLE)

    def failing_replace(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(LockfileError) as caught:
        write_lock(tmp_path, Lock({"x.md": {}}))
    assert caught.value.message == "cannot write .docsync.lock: No space left on device"
    assert caught.value.hint == "check that the repository folder is writable"
    assert (tmp_path / LOCK_NAME).read_text(encoding="utf-8") == SAMPLE_TEXT
    assert os.listdir(tmp_path) == [LOCK_NAME]


def test_an_interrupted_write_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(source: object, target: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_lock(tmp_path, SAMPLE)
    assert os.listdir(tmp_path) == []


@needs_permissions
def test_a_read_only_folder_leaves_the_old_file(tmp_path: Path) -> None:
    write_lock(tmp_path, SAMPLE)
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(LockfileError) as caught:
            write_lock(tmp_path, Lock({"x.md": {}}))
        assert caught.value.message == "cannot write .docsync.lock: Permission denied"
    finally:
        tmp_path.chmod(0o755)
    assert (tmp_path / LOCK_NAME).read_text(encoding="utf-8") == SAMPLE_TEXT
    assert os.listdir(tmp_path) == [LOCK_NAME]


def test_an_invalid_lock_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="absolute"):
        write_lock(tmp_path, Lock({"/abs.md": {}}))
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_write_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        write_lock(tmp_path, SAMPLE)
        assert stat.S_IMODE((tmp_path / LOCK_NAME).stat().st_mode) == 0o644  # like `open()`, not mkstemp's 0o600
        (tmp_path / LOCK_NAME).chmod(0o640)
        write_lock(tmp_path, Lock())
        assert stat.S_IMODE((tmp_path / LOCK_NAME).stat().st_mode) == 0o640
    finally:
        os.umask(old_umask)


def test_read_lock_not_utf8(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).write_bytes(SAMPLE_TEXT.encode("utf-8") + "[docs/é.md]\n".encode("latin-1"))
    with pytest.raises(LockfileError) as caught:
        read_lock(tmp_path)
    assert caught.value.message == ".docsync.lock line 15 is not UTF-8 text"
    assert caught.value.hint == "save it as UTF-8, or restore it with `git checkout -- .docsync.lock`"


def test_read_lock_utf16_from_an_editor(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).write_bytes(SAMPLE_TEXT.encode("utf-16"))
    with pytest.raises(LockfileError) as caught:
        read_lock(tmp_path)
    assert caught.value.message == ".docsync.lock line 1 is not UTF-8 text"


def test_read_lock_folder_in_the_way(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).mkdir()
    with pytest.raises(LockfileError) as caught:
        read_lock(tmp_path)
    assert caught.value.message.startswith("cannot read .docsync.lock: ")  # the OS's words: "Is a directory"...
    assert caught.value.hint == "check that it is a readable file"


def test_read_lock_parse_errors_name_the_file(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).write_text(text_of("[a.md]", "oops"), encoding="utf-8")
    with pytest.raises(LockfileError) as caught:
        read_lock(tmp_path)
    assert caught.value.message == ".docsync.lock line 5: `oops` is not `<symbol> <signature>:<body>:<docstring>`"


# -- with_docs ----------------------------------------------------------------------------------------

BEFORE = Lock({"a.md": {"x.a": F1, "x.b": F1}, "b.md": {"y": F1}, "c.md": {}})


@pytest.mark.parametrize(
    ("lock", "accepted", "removed", "expected"),
    [
        pytest.param(None, {}, (), {}, id="nothing"),
        pytest.param(None, {"a.md": {"x": F1}}, (), {"a.md": {"x": F1}}, id="first acceptance"),
        pytest.param(None, {"a.md": {}}, (), {"a.md": {}}, id="no symbols: the acceptance is still recorded"),
        pytest.param(
            BEFORE,
            {"a.md": {"x.c": F2}},
            (),
            {"a.md": {"x.c": F2}, "b.md": {"y": F1}, "c.md": {}},
            id="block replaced wholesale",
        ),
        pytest.param(BEFORE, {"a.md": {}}, (), {"a.md": {}, "b.md": {"y": F1}, "c.md": {}}, id="block emptied"),
        pytest.param(BEFORE, {"d.md": {"z": F3}}, (), {**BEFORE.docs, "d.md": {"z": F3}}, id="new doc, others kept"),
        pytest.param(
            BEFORE,
            {},
            ["b.md", "gone.md"],
            {"a.md": {"x.a": F1, "x.b": F1}, "c.md": {}},
            id="removed; unknown ones ignored",
        ),
        pytest.param(
            BEFORE,
            {"b.md": {"y": F2}},
            iter(["c.md"]),
            {"a.md": {"x.a": F1, "x.b": F1}, "b.md": {"y": F2}},
            id="both, removed as an iterator",
        ),
    ],
)
def test_with_docs(
    lock: Lock | None,
    accepted: Mapping[str, Mapping[str, Fingerprint]],
    removed: list[str],
    expected: Mapping[str, Mapping[str, Fingerprint]],
) -> None:
    before = format_lock(lock) if lock else None
    assert with_docs(lock, accepted, removed) == Lock(expected)
    assert (format_lock(lock) if lock else None) == before  # the old lock is untouched


def test_with_docs_does_not_share_the_callers_dicts() -> None:
    accepted = {"a.md": {"x": F1}}
    lock = with_docs(None, accepted)
    accepted["a.md"]["y"] = F2
    assert lock == Lock({"a.md": {"x": F1}})


def test_with_docs_refuses_a_doc_both_accepted_and_removed() -> None:
    with pytest.raises(ValueError, match=r"^docs both accepted and removed: a\.md$"):
        with_docs(BEFORE, {"a.md": {}, "z.md": {}}, ["a.md"])


# -- real git merges ----------------------------------------------------------------------------------

BASE = Lock(
    {
        "docs/api.rst": {"shop.cart.Cart": F1, "shop.cart.Cart.total": F1, "shop.cart.add_item": F1},
        "docs/guide.md": {"shop.cart.add_item": F1, "shop.orders.place": F1},
        "docs/howto.md": {"shop.orders.place": F1},
    }
)
API_LAST_CHANGED = {"docs/api.rst": {**BASE.docs["docs/api.rst"], "shop.cart.add_item": F2}}
GUIDE_FIRST_CHANGED = {"docs/guide.md": {**BASE.docs["docs/guide.md"], "shop.cart.add_item": F3}}
GUIDE_LAST_CHANGED = {"docs/guide.md": {**BASE.docs["docs/guide.md"], "shop.orders.place": F3}}
HOWTO_CHANGED = {"docs/howto.md": {"shop.orders.place": F2, "shop.orders.cancel": F2}}


def merge_branches(repo: Repo, base: Lock, ours: Lock, theirs: Lock, *config: str) -> tuple[bool, str]:
    """Commit `base` on main, `ours` and `theirs` on two branches from it, merge theirs into ours."""
    repo.commit({LOCK_NAME: format_lock(base)}, "base")
    repo.git("checkout", "-q", "-b", "theirs")
    repo.commit({LOCK_NAME: format_lock(theirs)}, "theirs")
    repo.git("checkout", "-q", "main")
    repo.commit({LOCK_NAME: format_lock(ours)}, "ours")
    merged = repo.git(*config, "merge", "--no-edit", "-q", "theirs", check=False)
    status = repo.git("status", "--porcelain")
    return status == "", merged


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        pytest.param(API_LAST_CHANGED, GUIDE_FIRST_CHANGED, id="last entry of one doc, first entry of the next"),
        pytest.param({"docs/api.rst": {}}, {"docs/guide.md": {}}, id="neighbours emptied"),
        pytest.param(GUIDE_FIRST_CHANGED, {"docs/api.rst": {"shop.cart.Cart": F2}}, id="neighbour shrinks"),
        pytest.param(HOWTO_CHANGED, {"docs/zzz.md": {"shop.z": F3}}, id="new doc sorting last, last doc changed"),
        pytest.param(
            {"README.md": {"shop": F3}},
            {"docs/api.rst": {"shop.cart.Cart": F3, **BASE.docs["docs/api.rst"]}},
            id="new doc sorting first",
        ),
        pytest.param(
            API_LAST_CHANGED, {"docs/cart.md": {"shop.cart.Cart": F3}}, id="new doc between, previous doc changed"
        ),
        pytest.param(
            GUIDE_FIRST_CHANGED, {"docs/cart.md": {"shop.cart.Cart": F3}}, id="new doc between, next doc changed"
        ),
    ],
)
def test_branches_accepting_different_docs_merge_cleanly(
    git_repo: Repo, ours: Mapping[str, Mapping[str, Fingerprint]], theirs: Mapping[str, Mapping[str, Fingerprint]]
) -> None:
    clean, _ = merge_branches(git_repo, BASE, with_docs(BASE, ours), with_docs(BASE, theirs))
    assert clean, git_repo.read(LOCK_NAME)
    merged = git_repo.read(LOCK_NAME)
    assert parse_lock(merged) == with_docs(BASE, {**ours, **theirs})
    assert format_lock(parse_lock(merged)) == merged  # the merge of two sorted files is the sorted file


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        pytest.param(API_LAST_CHANGED, ["docs/guide.md"], id="previous doc changed, doc removed"),
        pytest.param(GUIDE_LAST_CHANGED, ["docs/howto.md"], id="last doc removed, previous doc's last entry changed"),
        pytest.param(HOWTO_CHANGED, ["docs/api.rst"], id="first doc removed, last doc changed"),
    ],
)
def test_removing_a_doc_merges_cleanly_with_changes_to_its_neighbours(
    git_repo: Repo, ours: Mapping[str, Mapping[str, Fingerprint]], theirs: list[str]
) -> None:
    clean, _ = merge_branches(git_repo, BASE, with_docs(BASE, ours), with_docs(BASE, {}, theirs))
    assert clean, git_repo.read(LOCK_NAME)
    assert parse_lock(git_repo.read(LOCK_NAME)) == with_docs(BASE, ours, theirs)


@pytest.mark.parametrize("style", ["merge", "diff3"])
def test_branches_accepting_the_same_doc_differently_conflict(git_repo: Repo, style: str) -> None:
    ours = with_docs(BASE, {"docs/guide.md": {"shop.cart.add_item": F2, "shop.orders.place": F1}})
    theirs = with_docs(BASE, {"docs/guide.md": {"shop.cart.add_item": F3, "shop.orders.place": F1}})
    clean, _ = merge_branches(git_repo, BASE, ours, theirs, "-c", f"merge.conflictStyle={style}")
    assert not clean
    conflicted = git_repo.read(LOCK_NAME)
    marker_line = conflicted.split("\n").index("<<<<<<< HEAD") + 1
    with pytest.raises(LockfileError) as caught:
        parse_lock(conflicted)
    assert caught.value.message == f".docsync.lock has merge-conflict markers (line {marker_line})"
    # The hint's way out works: either side is a valid lock.
    git_repo.git("checkout", "--theirs", LOCK_NAME)
    assert read_lock(git_repo.path) == theirs
