"""Path globs with gitignore semantics (pathspec), matched fast: which repository paths a setting names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from pathspec import GitIgnoreSpec

from docsync.errors import ConfigError

# pathspec names the group that marks a folder match; one regex of many patterns may hold a name only once.
# A group opener is a `(` not escaped: preceded by an even number of backslashes (re.escape doubles them).
_NAMED_GROUP = re.compile(r"(?<!\\)((?:\\\\)*)\(\?P<\w+>")
_HINT = "patterns are gitignore-style: *, ?, **, [abc], a leading ! re-includes; escape a literal [ ] ! as \\[ \\] \\!"


def anchored(pattern: str) -> str:
    """The pattern as pathspec reads it: a pattern with no slash but at its end matches at the repository root only
    (`*.md` is the Markdown at the root, as docsync has always read it; `**/*.md` is every folder's), where a
    .gitignore line would match in every folder."""
    negated = pattern.startswith("!")
    body = pattern[1:] if negated else pattern
    if not body.startswith("/") and "/" not in body.rstrip("/"):
        body = "/" + body  # also keeps a leading `#` literal: a setting's list item is not a .gitignore comment
    return ("!" if negated else "") + body


def validate_globs(patterns: Sequence[str], where: str) -> None:
    """Raise ConfigError naming the setting when a pattern is malformed or could match nothing."""
    for pattern in patterns:
        _compile_one(pattern, where)


class PathMatcher:
    """Matches repository paths against globs with gitignore semantics: `*` and `?` stay within a folder, `**`
    spans folders, `[a-c]` and `[!a]` are classes, a pattern naming a folder matches everything in it, and a
    pattern starting with `!` re-includes what an earlier one matched (the last pattern that matches decides)."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self._runs = _compile(tuple(patterns))

    def matches(self, path: str) -> bool:
        # Runs of same-polarity patterns, last first: the first run with a match holds the last matching pattern.
        for include, regex in self._runs:
            if regex.match(path) is not None:
                return include
        return False


@lru_cache(maxsize=64)
def _compile(patterns: tuple[str, ...]) -> tuple[tuple[bool, re.Pattern[str]], ...]:
    """Each run of consecutive patterns of one polarity as one regex (matched once per path: matching runs for
    every file of every snapshot), last run first. Cached: every snapshot asks for the same settings' matchers."""
    runs: list[tuple[bool, list[str]]] = []
    for pattern in patterns:
        include, regex = _compile_one(pattern, None)
        if runs and runs[-1][0] == include:
            runs[-1][1].append(regex)
        else:
            runs.append((include, [regex]))
    # DOTALL: a file name may hold a line break, and must still match (to be skipped with a warning, not silently).
    return tuple(
        (include, re.compile("|".join(f"(?:{r})" for r in regexes), re.DOTALL)) for include, regexes in reversed(runs)
    )


@lru_cache(maxsize=1024)
def _compile_one(pattern: str, where: str | None) -> tuple[bool, str]:
    """Whether the pattern includes (else it re-includes, `!`), and its regex without named groups."""
    named = f"path glob {pattern!r}" + (f" in {where}" if where else "")
    if pattern.lstrip("!") in ("", "/"):
        raise ConfigError(f"empty {named}", _HINT)
    try:
        compiled = GitIgnoreSpec.from_lines([anchored(pattern)]).patterns
    except ValueError as error:  # pathspec's GitIgnorePatternError: a trailing backslash, say
        raise ConfigError(f"bad {named}: {error}", _HINT) from None
    regex = compiled[0].regex if compiled else None
    if regex is None or compiled[0].include is None:  # pathspec drops what gitignore ignores: `[` left open, say
        raise ConfigError(f"{named} matches nothing", _HINT)
    # pathspec searches; we match, so an unanchored regex may start anywhere (`**/` is any path in a folder).
    text = _NAMED_GROUP.sub(r"\1(?:", regex.pattern)
    return bool(compiled[0].include), text[1:] if text.startswith("^") else ".*?" + text
