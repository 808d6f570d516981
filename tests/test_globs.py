"""Tests for globs.py: path globs with gitignore semantics, and the default globs matching what they always did."""

from __future__ import annotations

import gzip
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pathspec import GitIgnoreSpec, PathSpec

from docsync.errors import ConfigError
from docsync.globs import PathMatcher, anchored, validate_globs
from docsync.settings import DEFAULT_DOCS, DEFAULT_EXCLUDE, Config
from tests.conftest import Repo, run

# `git ls-files` of sphinx, pydantic and SQLAlchemy, and of django 5.2 without its code and tests (its docs,
# release notes and tooling stay): 4,491 paths from projects whose docs docsync checks.
REAL_PATHS = gzip.decompress((Path(__file__).parent / "data" / "real_paths.txt.gz").read_bytes()).decode().splitlines()


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("*.md", "README.md", True),
        ("*.md", "docs/README.md", False),  # no slash: the root only, unlike a .gitignore line
        ("*.md", ".md", True),
        ("README*", "README.rst", True),
        ("README*", "docs/README.rst", False),
        ("docs/*.md", "docs/a.md", True),
        ("docs/*.md", "docs/sub/a.md", False),
        ("docs/**", "docs/a.md", True),
        ("docs/**", "docs/sub/deeper/a.md", True),
        ("docs/**", "docs", False),
        ("docs/**", "mydocs/a.md", False),
        ("**/*.ipynb", "nb.ipynb", True),
        ("**/*.ipynb", "a/b/c/nb.ipynb", True),
        ("**/*.ipynb", "a/b/nb.ipynb.bak", False),
        ("**/news/**", "news/1.md", True),
        ("**/news/**", "docs/news/1.md", True),
        ("**/news/**", "docs/newsletter/1.md", False),
        ("docs/**/*.md", "docs/a.md", True),
        ("docs/**/*.md", "docs/x/y/a.md", True),
        ("docs/**/*.md", "docs/x/y/a.rst", False),
        ("a?c.md", "abc.md", True),
        ("a?c.md", "ac.md", False),
        ("a?c.md", "a/c.md", False),
        ("*", "a", True),
        ("*", "a/b", True),  # `*` names the folder `a`, and a folder matches everything in it
        ("**", "a/b/c", True),
        (".*/**", ".github/workflows/ci.md", True),
        (".*/**", "docs/.hidden/a.md", False),
        ("a+b.md", "a+b.md", True),
        ("a+b.md", "aab.md", False),
        ("docs.md", "docsxmd", False),
        # What gitignore semantics add: character classes, ranges and their negation.
        ("docs/[ab]*.md", "docs/api.md", True),
        ("docs/[ab]*.md", "docs/build.md", True),
        ("docs/[ab]*.md", "docs/c.md", False),
        ("docs/[ab]*.md", "docs/sub/a.md", False),
        ("docs/v[0-9].md", "docs/v2.md", True),
        ("docs/v[0-9].md", "docs/vx.md", False),
        ("docs/[!a]*.md", "docs/api.md", False),
        ("docs/[!a]*.md", "docs/guide.md", True),
        ("file[1].md", "file1.md", True),  # a class now: it was the literal `file[1].md` before pathspec
        ("file[1].md", "file[1].md", False),
        (r"file\[1\].md", "file[1].md", True),
        ("docs/**/api/*.md", "docs/api/a.md", True),
        ("docs/**/api/*.md", "docs/x/y/api/a.md", True),
        ("#notes.md", "#notes.md", True),  # a setting's list item is never a comment
        ("CHANGES*", "CHANGES.rst", True),
        ("CHANGES*", "doc/CHANGES.rst", False),
        ("a\nb.md", "a\nb.md", True),
    ],
)
def test_one_glob(pattern: str, path: str, matches: bool) -> None:
    assert PathMatcher([pattern]).matches(path) is matches


@pytest.mark.parametrize(
    ("patterns", "path", "matches"),
    [
        (["docs"], "docs/a.md", True),
        (["docs"], "docs/sub/a.md", True),
        (["docs/"], "docs/sub/a.md", True),
        (["/docs/"], "docs/sub/a.md", True),
        (["docs"], "docs", True),
        (["docs/"], "docs", False),  # a trailing slash names a folder only
        (["docs"], "mydocs/a.md", False),
        (["docs"], "src/docs/a.md", False),
        (["**/docs"], "src/docs/a.md", True),
        (["docs/old"], "docs/old/v1/a.md", True),
        (["docs/old"], "docs/older/a.md", False),
        (["*.md"], "README.md", True),
        (["*.md"], "docs/README.md", False),
        (["**/*.md"], "docs/README.md", True),
        (["build"], "build/lib/x.md", True),
        (["**/_build"], "docs/_build/html/a.md", True),
        (["venv/**", "*.rst"], "venv/lib/a.md", True),
        (["venv/**", "*.rst"], "index.rst", True),
        (["venv/**", "*.rst"], "docs/index.rst", False),
        ([], "anything.md", False),
        # `!` re-includes what an earlier pattern matched; the last pattern that matches decides.
        (["docs/**", "!docs/old/**"], "docs/old/a.md", False),
        (["docs/**", "!docs/old/**"], "docs/new/a.md", True),
        (["docs/**", "!docs/old/**", "docs/old/keep.md"], "docs/old/keep.md", True),
        (["docs/**", "!docs/old/**", "docs/old/keep.md"], "docs/old/drop.md", False),
        (["!docs/old/**", "docs/**"], "docs/old/a.md", True),  # a later pattern wins over an earlier `!`
        (["!docs/**"], "docs/a.md", False),
        (["docs", "!*.md"], "README.md", False),
        (["docs/**", "!docs/[ab]*.md"], "docs/api.md", False),
        (["docs/**", "!docs/[ab]*.md"], "docs/guide.md", True),
        ([r"\!important.md"], "!important.md", True),
    ],
)
def test_path_matcher(patterns: list[str], path: str, matches: bool) -> None:
    assert PathMatcher(patterns).matches(path) is matches


@pytest.mark.parametrize(
    ("path", "excluded"),
    [
        ("CHANGELOG.md", True),
        ("docs/changelog.md", True),
        ("docs/releases/1.0.md", True),
        ("docs/whatsnew/2.0.rst", True),
        (".github/PULL_REQUEST_TEMPLATE.md", True),
        ("venv/lib/python3.12/site-packages/pkg/README.md", True),
        ("docs/_build/html/index.md", True),
        ("node_modules/x/README.md", True),
        ("LICENSE.md", True),
        ("README.md", False),
        ("docs/guide.md", False),
        ("docs/changes-to-the-api.md", False),
    ],
)
def test_default_excludes(path: str, excluded: bool) -> None:
    assert PathMatcher(Config().all_excludes).matches(path) is excluded


def test_a_user_exclude_with_a_bang_re_includes_what_a_default_excluded() -> None:
    config = Config(exclude=("!docs/changelog.md",))
    matcher = PathMatcher(config.all_excludes)
    assert not matcher.matches("docs/changelog.md")
    assert matcher.matches("CHANGELOG.md")


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("docs/[ab.md", "matches nothing"),  # an open `[`: pathspec, like git, drops the line
        ("docs/a\\", "bad path glob"),  # a trailing backslash escapes nothing
        ("!", "empty path glob"),
        ("/", "empty path glob"),
        (" ", "matches nothing"),
    ],
)
def test_a_glob_that_cannot_match_is_a_config_error(pattern: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        validate_globs(["docs/**", pattern], "docs in pyproject.toml")
    assert "docs in pyproject.toml" in str(caught.value)
    with pytest.raises(ConfigError):
        PathMatcher([pattern])


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [("*.md", "/*.md"), ("docs/", "/docs/"), ("!README*", "!/README*"), ("docs/*.md", "docs/*.md"), ("/a", "/a")],
)
def test_a_pattern_without_a_slash_is_anchored_at_the_root(pattern: str, expected: str) -> None:
    assert anchored(pattern) == expected


# -- the same answers as pathspec itself ------------------------------------------------------------------

_SEGMENTS = ["docs", "a", "*", "**", "*.md", "_build", "b.md", "old", "?", "[ab]*", "[!a].md", "a[0-9]"]


def _pathspec_matches(patterns: Sequence[str], path: str) -> bool:
    """pathspec's own answer: each pattern compiled by pathspec, the last one that matches decides."""
    return PathSpec(GitIgnoreSpec.from_lines([anchored(p) for p in patterns]).patterns).match_file(path)


@given(
    patterns=st.lists(
        st.tuples(
            st.sampled_from(["", "!"]),
            st.lists(st.sampled_from(_SEGMENTS), min_size=1, max_size=3).map("/".join),
            st.sampled_from(["", "/"]),
        ).map("".join),
        max_size=4,
    ),
    path=st.lists(
        st.sampled_from(["docs", "a", "b.md", "_build", "x.py", "old", "a1", "c.md", "b"]), min_size=1, max_size=4
    ).map("/".join),
)
def test_path_matcher_agrees_with_pathspec(patterns: list[str], path: str) -> None:
    assert PathMatcher(patterns).matches(path) is _pathspec_matches(patterns, path)


# -- the default globs match what the globs before pathspec matched -----------------------------------------


def _old_glob_regex(pattern: str) -> str:
    """docsync's own glob translation before pathspec (globs.py at bff2ba7), kept here as the reference."""
    out, index = [], 0
    while index < len(pattern):
        for token, regex in (("**/", "(?:.*/)?"), ("**", ".*"), ("*", "[^/]*"), ("?", "[^/]")):
            if pattern.startswith(token, index):
                out.append(regex)
                index += len(token)
                break
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return "".join(out)


def _old_matcher(patterns: Sequence[str]) -> re.Pattern[str]:
    joined = "|".join(f"(?:{_old_glob_regex(p.strip('/'))})" for p in patterns)
    return re.compile(f"(?:{joined})(?=/|\\Z)", re.DOTALL)


@pytest.mark.parametrize("patterns", [DEFAULT_DOCS, DEFAULT_EXCLUDE], ids=["docs", "exclude"])
def test_the_default_globs_match_the_same_real_paths_as_before(patterns: tuple[str, ...]) -> None:
    old, new = _old_matcher(patterns), PathMatcher(patterns)
    assert len(REAL_PATHS) > 4000
    matched = [p for p in REAL_PATHS if new.matches(p)]
    assert len(matched) > 400, "the list holds docs and excluded files, not only code"
    assert [p for p in REAL_PATHS if bool(old.match(p)) != new.matches(p)] == []


_DEFAULT_SEGMENTS = [
    "docs", "doc", "src", "releases", "release-notes", "whatsnew", "news", "newsletter", "_build", "node_modules",
    "site-packages", "venv", "env", "build", "dist", ".tox", ".nox", ".venv", ".ipynb_checkpoints", ".github",
    "README", "README.md", "readme.md", "CHANGES.rst", "CHANGELOG.md", "changelog.rst", "changes.txt", "changes",
    "HISTORY.md", "NEWS", "RELEASE.md", "LICENSE", "AUTHORS.rst", "a.md", "b.rst", "nb.ipynb", "x.py", ".hidden",
]  # fmt: skip


@given(path=st.lists(st.sampled_from(_DEFAULT_SEGMENTS), min_size=1, max_size=4).map("/".join))
def test_the_default_globs_match_the_same_made_up_paths_as_before(path: str) -> None:
    for patterns in (DEFAULT_DOCS, DEFAULT_EXCLUDE):
        assert PathMatcher(patterns).matches(path) is bool(_old_matcher(patterns).match(path)), patterns


def test_a_malformed_glob_in_the_settings_is_an_error_naming_the_setting(git_repo: Repo) -> None:
    git_repo.commit(
        {"pyproject.toml": '[tool.docsync]\nexclude = ["docs/ok/**", "docs/[ab.md"]\n', "README.md": "# x\n"}
    )
    result = run(git_repo, "map")
    assert result.code == 2
    assert result.err.startswith("docsync: error: path glob 'docs/[ab.md' in the exclude setting ([tool.docsync]")
