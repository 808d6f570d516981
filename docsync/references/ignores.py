"""`docsync: ignore` markers: read (`ignore[signature]`, `ignore-start`, `ignore-end`, `ignore-next-line`) and
applied to the references and code blocks they cover. What a marker covers is kept, marked with it
(`Reference.ignored`): it is judged like the rest, and `findings.py` hides what the marker's kinds name, so a
marker that hides nothing can be told (`--report-unused-ignores`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from docsync.models import CodeBlock, Diagnostic, Ignore, Kind, Reference

_ACTION = re.compile(r"\s*(?P<name>ignore(?:-start|-end|-next-line)?)\s*(?:\[(?P<kinds>[^\[\]]*)\])?\s*", re.I)
KIND_NAMES = tuple(kind.value for kind in Kind)
_KINDS = {kind.value: kind for kind in Kind}
START, END, NEXT, NEXT_LINE = "ignore-start", "ignore-end", "ignore", "ignore-next-line"
_Item = TypeVar("_Item", Reference, CodeBlock)


@dataclass(frozen=True, slots=True)
class Action:
    """What an ignore marker says: `name` (ignore, ignore-start, ignore-end, ignore-next-line), the kinds written
    between brackets (None: no brackets) and the marker's text as written."""

    name: str
    kinds: tuple[str, ...] | None
    text: str


@dataclass(frozen=True, slots=True)
class Marker:
    """An ignore marker where a scanner found it: 1-based line and column of its start, the line where it ends."""

    line: int
    column: int
    end_line: int
    action: Action


def read_action(body: str) -> Action | None:
    """The ignore action a marker's body (what follows `docsync:`) says; None for any other body (names)."""
    match = _ACTION.fullmatch(body)
    if match is None:
        return None
    kinds = match["kinds"]
    written = None if kinds is None else tuple(kind.strip().lower() for kind in kinds.split(",") if kind.strip())
    return Action(match["name"].lower(), written, " ".join(body.split()))


@dataclass(slots=True)
class Applied:
    """A doc's references and code blocks with the markers that cover them; its markers; what is wrong with them."""

    references: list[Reference] = field(default_factory=list)
    blocks: list[CodeBlock] = field(default_factory=list)
    ignores: list[Ignore] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def apply_ignores(
    doc: str,
    markers: Sequence[Marker],
    references: Sequence[Reference],
    blocks: Sequence[tuple[int, int, CodeBlock | None]],
    lines: Sequence[str],
) -> Applied:
    """Mark what each marker covers: `ignore` the next reference or code block, `ignore-start` ... `ignore-end`
    everything between, `ignore-next-line` every reference on the next non-blank line and a block that starts on it.

    Args:
        doc: the doc's path.
        markers: the doc's ignore markers.
        references: its references, in any order.
        blocks: its code blocks, each with the 1-based line and column where it starts; a block that is not Python
            (None) still answers an `ignore`.
        lines: the doc's lines, to find a marker's next non-blank line.
    """
    applied = Applied()
    ends = _region_ends(markers)
    ignores = [_ignore(doc, marker, applied.diagnostics, ends.get(index, 0)) for index, marker in enumerate(markers)]
    applied.ignores = [ignore for ignore in ignores if ignore is not None]
    on_line: dict[int, list[Ignore]] = {}
    for marker, ignore in zip(markers, ignores, strict=True):
        target = _next_line(lines, marker.end_line) if marker.action.name == NEXT_LINE else None
        if ignore is not None and target is not None:
            on_line.setdefault(target, []).append(ignore)
    # Events in doc order; at one position a marker comes first so it applies to what starts there.
    events = [(m.line, m.column, 0, i) for i, m in enumerate(markers)]
    events += [(r.line, r.column, 1, i) for i, r in enumerate(references)]
    events += [(line, column, 2, i) for i, (line, column, _) in enumerate(blocks)]
    covered: dict[tuple[int, int], tuple[Ignore, ...]] = {}
    regions: list[tuple[Marker, Ignore | None]] = []  # the open `ignore-start`s
    waiting: list[Ignore | None] = []  # the `ignore`s waiting for the next reference or block
    for line, _, rank, index in sorted(events):
        if rank == 0:
            marker = markers[index]
            if marker.action.name == START:
                regions.append((marker, ignores[index]))
            elif marker.action.name == END:
                if not regions:
                    applied.diagnostics.append(Diagnostic(doc, marker.line, "`ignore-end` has no `ignore-start`"))
                regions = []
            elif marker.action.name == NEXT:
                waiting.append(ignores[index])
            continue
        found = [ignore for _, ignore in regions] + waiting + on_line.get(line, [])
        covered[rank, index] = tuple(dict.fromkeys(ignore for ignore in found if ignore is not None))
        waiting = []
    for marker, _ in regions:
        message = "`ignore-start` has no `ignore-end`: it hides the rest of the doc"
        applied.diagnostics.append(Diagnostic(doc, marker.line, message))
    for index, reference in enumerate(references):
        applied.references.append(_marked(reference, covered.get((1, index), ())))
    for index, (_, _, block) in enumerate(blocks):
        if block is not None:
            applied.blocks.append(_marked(block, covered.get((2, index), ())))
    return applied


def _marked(item: _Item, ignores: tuple[Ignore, ...]) -> _Item:
    if not ignores:
        return item
    return replace(item, ignored=tuple(dict.fromkeys((*item.ignored, *ignores))))


def _region_ends(markers: Sequence[Marker]) -> dict[int, int]:
    """Index of each `ignore-start` that an `ignore-end` closes -> that end's line (one end closes all open)."""
    ends: dict[int, int] = {}
    open_starts: list[int] = []
    for index in sorted(range(len(markers)), key=lambda i: (markers[i].line, markers[i].column)):
        if markers[index].action.name == START:
            open_starts.append(index)
        elif markers[index].action.name == END:
            ends.update((start, markers[index].line) for start in open_starts)
            open_starts = []
    return ends


def _ignore(doc: str, marker: Marker, diagnostics: list[Diagnostic], until: int = 0) -> Ignore | None:
    """The Ignore a marker makes (None for `ignore-end`, and for a marker naming a kind that does not exist)."""
    action = marker.action
    if action.kinds is not None and action.name == END:
        diagnostics.append(Diagnostic(doc, marker.line, f"`{action.text}`: `ignore-end` takes no kinds"))
    if action.name == END:
        return None
    unknown = [kind for kind in action.kinds or () if kind not in _KINDS]
    if action.kinds is not None and (unknown or not action.kinds):
        named = ", ".join(repr(kind) for kind in unknown)
        what = ("unknown kind " if len(unknown) == 1 else "unknown kinds ") + named if unknown else "no kind"
        message = f"`{action.text}` names {what} (kinds: {', '.join(KIND_NAMES)}); it hides nothing"
        diagnostics.append(Diagnostic(doc, marker.line, message))
        return None
    kinds = tuple(kind for kind in Kind if kind.value in (action.kinds or ()))
    return Ignore(doc, marker.line, marker.column, action.text, kinds, until)


def _next_line(lines: Sequence[str], after: int) -> int | None:
    """The 1-based number of the first non-blank line after line `after`."""
    return next((number for number in range(after + 1, len(lines) + 1) if lines[number - 1].strip()), None)
