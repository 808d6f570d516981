"""Which docs, and which parts of docs, record history: changelogs, release notes, upgrade and migration guides,
version histories, deprecation timelines, `versionchanged`/`deprecated` blocks. They name old APIs on purpose,
so nothing in them is a finding (the `history-docs` and `current-docs` settings override the detection)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from docsync.globs import PathMatcher

# Words that make a path a history page, matched against the words of each folder and file name (`release-notes`,
# `whats_new_3_0`, `migration_to_2xx`, `doc/changes/7.0.rst`, `deprecations.rst`).
_NAME_WORDS = frozenset(
    {"changelog", "changelogs", "changes", "history", "historical", "news", "releasenotes", "releases", "upgrading",
     "upgrade", "migration", "migrating", "migrate", "versions", "deprecation", "deprecations", "deprecated",
     "whatsnew", "announce", "announcements"}
)  # fmt: skip
_WORD = re.compile(r"[a-z]+")
# A heading that is a version or a date: `1.2.3`, `v2.0`, `Version 3.1 (2024-01-02)`, `2024-05-01`, `Release 1.0`.
_VERSION_HEADING = re.compile(
    r"^\W*(?:(?:version|release|v)\s*)?(?:\d+\.\d+(?:\.\d+)*\w*|\d{4}-\d{2}-\d{2})\b", re.IGNORECASE
)
_MIN_HEADINGS = 3  # a page with fewer headings is not judged by them
_VERSION_SHARE = 0.6
# reStructuredText / MyST directives whose body is about the past.
_VERSION_DIRECTIVES = ("versionadded", "versionchanged", "deprecated", "versionremoved")
_RST_DIRECTIVE = re.compile(r"^(\s*)\.\.\s+(?:py:)?(" + "|".join(_VERSION_DIRECTIVES) + r")::")
_MYST_FENCE = re.compile(r"^\s*(`{3,}|:{3,})\s*\{(?:py:)?(" + "|".join(_VERSION_DIRECTIVES) + r")\}")


def is_history_path(path: str) -> bool:
    """Whether a doc's path names it a history page (any folder or the file name)."""
    for segment in path.lower().split("/"):
        stem = posixpath.splitext(segment)[0] if "." in segment else segment
        words = _WORD.findall(stem)
        joined = {"".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(len(words), i + 3) + 1)}
        if joined & _NAME_WORDS or ("release" in words and any(c.isdigit() for c in stem)):
            return True  # `release-2.9.0.rst`: the notes of one release
    return False


@lru_cache(maxsize=32)
def _matcher(patterns: tuple[str, ...]) -> PathMatcher:
    return PathMatcher(patterns)


def is_history_page(doc: str, dated: bool, history_docs: tuple[str, ...], current_docs: tuple[str, ...]) -> bool:
    """Whether a whole page records history: set so by `history-docs`; else, unless `current-docs` says it is not,
    named so or with headings that are versions or dates (`dated`)."""
    if history_docs and _matcher(history_docs).matches(doc):
        return True
    if current_docs and _matcher(current_docs).matches(doc):
        return False
    return dated or is_history_path(doc)


def is_history_by_headings(headings: Iterable[str]) -> bool:
    """Whether a page's headings are mostly versions or dates (a changelog by another name)."""
    texts = [text.strip().strip("#").strip() for text in headings if text.strip()]
    if len(texts) < _MIN_HEADINGS:
        return False
    versions = sum(bool(_VERSION_HEADING.match(text)) for text in texts)
    return versions / len(texts) >= _VERSION_SHARE


def version_blocks(lines: Sequence[str]) -> list[tuple[int, int]]:
    """(first, last) lines (1-based) of each `versionadded`/`versionchanged`/`deprecated`/`versionremoved` block:
    the directive's line and its indented body (RST), or the fenced block (MyST)."""
    blocks: list[tuple[int, int]] = []
    index = 0
    while index < len(lines):
        rst, myst = _RST_DIRECTIVE.match(lines[index]), _MYST_FENCE.match(lines[index])
        if rst:
            end = _indented_end(lines, index, len(rst.group(1)))
        elif myst:
            end = _fence_end(lines, index, myst.group(1))
        else:
            index += 1
            continue
        blocks.append((index + 1, end + 1))
        index = end + 1
    return blocks


def _indented_end(lines: Sequence[str], start: int, indent: int) -> int:
    """The last line of the directive at `start`: its body is every following line indented deeper (or blank)."""
    end = start
    for number in range(start + 1, len(lines)):
        line = lines[number]
        if not line.strip():
            continue
        if len(line) - len(line.lstrip()) <= indent:
            break
        end = number
    return end


def _fence_end(lines: Sequence[str], start: int, fence: str) -> int:
    for number in range(start + 1, len(lines)):
        if lines[number].strip() == fence[0] * len(fence) or (
            lines[number].strip().startswith(fence) and not (lines[number].strip()[len(fence) :].strip())
        ):
            return number
    return len(lines) - 1
