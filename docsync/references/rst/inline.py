"""reStructuredText inline markup: roles, inline literals and interpreted text, as docutils finds them."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator
from enum import Enum
from typing import NamedTuple

_ROLE_NAME = r"(?:(?!_)\w)+(?:[-._+:](?:(?!_)\w)+)*"
# Where inline markup may start: an escape (skipped), ``literal``, _`target`, :role:`text`, `text`, **, *.
_CANDIDATE = re.compile(rf"\\.|``|_`|:(?P<role>{_ROLE_NAME}):(?=`)|`|\*\*?", re.DOTALL)
_END_SUFFIX = re.compile(rf"(?::(?P<role>{_ROLE_NAME}):)?(?P<ref>__?)?")

# docutils' rules (punctuation_chars): inline markup starts after one of these and ends before one of these.
_OPENING = frozenset("'\"([{<-/:")
_CLOSING = frozenset("'\")]}>-/:.,;!?\\\x00")
_OPENING_CATEGORIES = frozenset({"Ps", "Pi", "Pf", "Pd", "Po"})
_CLOSING_CATEGORIES = frozenset({"Pe", "Pi", "Pf", "Pd", "Po"})
_QUOTE_PAIRS = frozenset({("'", "'"), ('"', '"'), ("(", ")"), ("[", "]"), ("{", "}"), ("<", ">")})


class SpanKind(Enum):
    ROLE = "role"  # :role:`content` or `content`:role:
    LITERAL = "literal"  # ``content``
    INTERPRETED = "interpreted"  # `content` with the default role


class Span(NamedTuple):
    """Inline markup found at `start`..`end` of a paragraph's text."""

    kind: SpanKind
    start: int
    end: int
    role: str
    content: str


def find_inline(text: str) -> Iterator[Span]:
    """Roles, inline literals and default-role text in a paragraph, in order.

    Links, inline targets, emphasis and strong text are skipped whole, as docutils does not
    nest markup (`*see :func:`x`*` holds no role); unclosed markup is plain text.
    """
    ends = _Ends(text)
    position = 0
    while (match := _CANDIDATE.search(text, position)) is not None:
        span, position = _read_candidate(ends, match)
        if span is not None:
            yield span


class _Ends:
    """Where inline markup may end in one paragraph (docutils' end-string rules), each kind found once.

    Searching from every start again would take quadratic time on a paragraph of unclosed starts.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._found: dict[str, list[int]] = {}

    def first(self, closer: str, begin: int) -> int:
        """The first end-string `closer` at `begin` or after it, -1 when there is none."""
        positions = self._found.get(closer)
        if positions is None:
            positions = self._found[closer] = list(self._find(closer))
        index = bisect_left(positions, begin)
        return positions[index] if index < len(positions) else -1

    def _find(self, closer: str) -> Iterator[int]:
        close = self.text.find(closer, 1)
        while close != -1:
            if self._is_end(closer, close):
                yield close
            close = self.text.find(closer, close + 1)

    def _is_end(self, closer: str, close: int) -> bool:
        text = self.text
        if text[close - 1].isspace():
            return False
        if closer == "``":  # a literal's content has no escapes
            return _closes(text, close + 2)
        if _escaped(text, close):
            return False
        if closer == "`":
            return _interpreted_suffix(text, close) is not None
        return _closes(text, close + len(closer))


def _read_candidate(ends: _Ends, match: re.Match[str]) -> tuple[Span | None, int]:
    token, start = match.group(), match.start()
    if token.startswith("\\"):
        return None, match.end()
    if token == "``":
        return _read_literal(ends, start)
    if match["role"]:
        return _read_role(ends, start, match.end(), match["role"])
    if token == "`":
        return _read_interpreted(ends, start)
    return _skip_markup(ends, start, token)


def _read_literal(ends: _Ends, start: int) -> tuple[Span | None, int]:
    text = ends.text
    close = ends.first("``", start + 3) if _opens(text, start, 2) else -1
    if close == -1:
        return None, start + 2
    return Span(SpanKind.LITERAL, start, close + 2, "", text[start + 2 : close]), close + 2


def _read_role(ends: _Ends, start: int, tick: int, role: str) -> tuple[Span | None, int]:
    text = ends.text
    if not _prefix_ok(text, start) or not _starts_content(text, tick + 1):
        return None, tick  # the backtick may still open default-role text
    close = ends.first("`", tick + 2)
    suffix = _interpreted_suffix(text, close) if close != -1 else None
    if suffix is None:
        return None, tick + 1
    after, suffix_role, reference = suffix
    if suffix_role or reference:
        return None, after  # docutils rejects a role that also has a suffix role or is a link
    return Span(SpanKind.ROLE, start, close + 1, role, text[tick + 1 : close]), close + 1


def _read_interpreted(ends: _Ends, start: int) -> tuple[Span | None, int]:
    text = ends.text
    close = ends.first("`", start + 2) if _opens(text, start, 1) else -1
    suffix = _interpreted_suffix(text, close) if close != -1 else None
    if suffix is None:
        return None, start + 1
    after, role, reference = suffix
    if reference:
        return None, after  # `text`_ and `text <url>`_ are hyperlink references
    content = text[start + 1 : close]
    if role:
        return Span(SpanKind.ROLE, start, after, role, content), after
    return Span(SpanKind.INTERPRETED, start, close + 1, "", content), close + 1


def _interpreted_suffix(text: str, close: int) -> tuple[int, str, str] | None:
    """(end, suffix role, link suffix) after the backtick at `close`, None if it cannot end markup there."""
    suffix = _END_SUFFIX.match(text, close + 1)
    assert suffix is not None  # every part of the pattern is optional
    if _closes(text, suffix.end()):
        return suffix.end(), suffix["role"] or "", suffix["ref"] or ""
    if suffix.end() > close + 1 and _closes(text, close + 1):
        return close + 1, "", ""
    return None


def _skip_markup(ends: _Ends, start: int, token: str) -> tuple[None, int]:
    """Skip an inline target, emphasis or strong text; its content is never markup."""
    width = len(token)
    closer = "`" if token == "_`" else token
    close = ends.first(closer, start + width + 1) if _opens(ends.text, start, width) else -1
    return None, (start + width if close == -1 else close + len(closer))


def _opens(text: str, start: int, width: int) -> bool:
    """docutils' start-string rules: after space or an opener, before non-space, not quoted like `'*'`."""
    if not _prefix_ok(text, start) or not _starts_content(text, start + width):
        return False
    return start == 0 or (text[start - 1], text[start + width]) not in _QUOTE_PAIRS


def _prefix_ok(text: str, start: int) -> bool:
    if start == 0:
        return True
    char = text[start - 1]
    if char.isspace() or char in _OPENING:
        return True
    return not char.isascii() and unicodedata.category(char) in _OPENING_CATEGORIES


def _starts_content(text: str, index: int) -> bool:
    return index < len(text) and not text[index].isspace()


def _closes(text: str, end: int) -> bool:
    if end >= len(text):
        return True
    char = text[end]
    if char.isspace() or char in _CLOSING:
        return True
    return not char.isascii() and unicodedata.category(char) in _CLOSING_CATEGORIES


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes > 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1
