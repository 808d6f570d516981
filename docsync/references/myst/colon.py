"""MyST's colon fence (`:::{name}` ... `:::`) as a markdown-it block rule."""

from __future__ import annotations

import re

from markdown_it.rules_block import StateBlock

COLON_FENCE = "colon_fence"
_COLON_OPENING = re.compile(r"(?P<markup>:{3,})[ \t]*\{")
_COLON_CLOSING = re.compile(r"(?P<markup>:{3,})[ \t]*$")


def colon_fence(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """markdown-it block rule for `:::{name}` ... `:::` (MyST's colon fence, nested with longer fences).

    Only an opening followed by `{` is one: `::: pkg.mod` stays text for mkdocstrings.
    """
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False  # an indented code block
    maximum = state.eMarks[start_line]
    opening = _COLON_OPENING.match(state.src, state.bMarks[start_line] + state.tShift[start_line], maximum)
    if opening is None:
        return False
    if silent:
        return True
    length = len(opening["markup"])
    next_line, closed = start_line + 1, False
    while next_line < end_line:
        start = state.bMarks[next_line] + state.tShift[next_line]
        end = state.eMarks[next_line]
        if start < end and state.sCount[next_line] < state.blkIndent:
            break  # a less indented line ends the container, and the fence with it
        closing = _COLON_CLOSING.match(state.src, start, end)
        if state.sCount[next_line] - state.blkIndent < 4 and closing and len(closing["markup"]) >= length:
            closed = True
            break
        next_line += 1
    state.line = next_line + (1 if closed else 0)
    token = state.push(COLON_FENCE, "code", 0)
    token.info = state.src[opening.end("markup") : maximum]
    token.content = state.getLines(start_line + 1, next_line, state.sCount[start_line], True)
    token.markup = opening["markup"]
    token.map = [start_line, state.line]
    return True
