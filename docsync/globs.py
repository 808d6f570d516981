"""Path globs with `**`, and one matcher for many patterns: which repository paths a setting names."""

from __future__ import annotations

import re
from collections.abc import Sequence


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A path glob as a regex: `**` spans folders, `*` and `?` stay within one."""
    out = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    # DOTALL: a file name may hold a line break, and must still match (to be skipped with a warning, not silently).
    return re.compile("".join(out) + "$", re.DOTALL)


class PathMatcher:
    """Matches repository paths against globs; a pattern naming a folder matches everything in it."""

    def __init__(self, patterns: Sequence[str]) -> None:
        # One regex for all patterns, matched once per path: it runs for every file of every snapshot.
        # A match may end at the end of the path or at any folder boundary (a folder matches its files).
        regexes = [glob_regex(p.strip("/")).pattern.removesuffix("$") for p in patterns]
        joined = "(?:" + "|".join(f"(?:{r})" for r in regexes) + r")(?=/|\Z)"
        self._regex = re.compile(joined, re.DOTALL) if regexes else None

    def matches(self, path: str) -> bool:
        return self._regex is not None and self._regex.match(path) is not None
