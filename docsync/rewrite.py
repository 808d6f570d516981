"""Apply `renamed` replacements to doc text, preserving everything else byte for byte."""

from __future__ import annotations

import codecs
import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import takewhile

from docsync.models import CODE_STYLES, Reference

# The line breaks the scanners normalise to "\n" (docsync/references/scan.py), so line numbers agree with theirs.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_NO_NEWLINE = "\\ No newline at end of file\n"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace `old` with `new` where `old` starts at (line, column) of the decoded doc (1-based, characters)."""

    line: int
    column: int
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Rewritten:
    """The doc after the edits; `data` is the input object itself when no edit applied.

    `skipped` pairs each edit that was not applied with the reason, in (line, column) order.
    """

    data: bytes
    applied: tuple[Edit, ...]
    skipped: tuple[tuple[Edit, str], ...]


def apply_edits(data: bytes, edits: Sequence[Edit]) -> Rewritten:
    """Apply the edits whose `old` is really at their position; change no other byte.

    The doc is read as the scanners read it: UTF-8 with an optional BOM, lines broken at LF, CRLF or CR,
    columns counted in characters. Identical edits count once; of two overlapping edits the first by
    (line, column) is kept. An edit is skipped when its text is not found at its position, when the text
    there already reads `new` (so a second run changes nothing, even when `new` starts with `old`), when
    `old` is only the start of a longer name (`add` in `add_item`), or when the line's edits would not be
    stable (applying them again would change the line again).

    Args:
        data: the doc's bytes.
        edits: the replacements, in any order. The module does not know the doc's format: in a notebook,
            `new` goes into a JSON string as it is, so it must need no escaping (dotted names do not).

    Returns:
        The new bytes with the applied and skipped edits; a non-UTF-8 doc is returned untouched with
        every edit skipped.
    """
    unique = sorted(dict.fromkeys(edits), key=lambda edit: (edit.line, edit.column))
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    try:
        text = data[len(bom) :].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = len(bom) + error.start
        line = data[:offset].count(b"\n") + 1
        why = f"not UTF-8 text (byte {offset} on line {line})"
        return Rewritten(data, (), tuple((edit, why) for edit in unique))
    lines = _split_lines(text)
    skipped: list[tuple[Edit, str]] = []
    applied: list[Edit] = []
    for number, line_edits in _place_edits(unique, len(lines), skipped).items():
        content, ending = lines[number - 1]
        rewritten, done = _rewrite_line(content, line_edits, skipped)
        lines[number - 1] = (rewritten, ending)
        applied.extend(done)
    skipped.sort(key=lambda pair: (pair[0].line, pair[0].column))
    if not applied:
        return Rewritten(data, (), tuple(skipped))
    new_text = "".join(content + ending for content, ending in lines)
    applied.sort(key=lambda edit: (edit.line, edit.column))
    return Rewritten(bom + new_text.encode("utf-8"), tuple(applied), tuple(skipped))


def _split_lines(text: str) -> list[tuple[str, str]]:
    """(content, line ending) of each line; the last one has the ending "" (and may be empty)."""
    lines: list[tuple[str, str]] = []
    start = 0
    for match in _LINE_BREAK.finditer(text):
        lines.append((text[start : match.start()], match.group()))
        start = match.end()
    return [*lines, (text[start:], "")]


def _place_edits(edits: Iterable[Edit], line_count: int, skipped: list[tuple[Edit, str]]) -> dict[int, list[Edit]]:
    """The edits that could apply, by line and in column order; the others go to `skipped`.

    Decided from the edits alone, not the text, so that a second run keeps and drops the same ones.
    """
    kept: dict[int, list[Edit]] = {}
    for edit in edits:
        why = _misplaced(edit, line_count)
        if why is None and kept.get(edit.line):
            last = kept[edit.line][-1]
            # Kept edits do not overlap and start in order, so only the last one can reach this edit.
            if edit.column < last.column + len(last.old):
                why = f"overlaps the edit at {last.line}:{last.column} ({last.old!r} → {last.new!r})"
        if why is None:
            kept.setdefault(edit.line, []).append(edit)
        else:
            skipped.append((edit, why))
    return kept


def _misplaced(edit: Edit, line_count: int) -> str | None:
    """Why the edit cannot apply to any text with `line_count` lines, or None."""
    if not edit.old or not edit.new:
        return "an edit needs a non-empty `old` and `new`"
    if any(char in part for part in (edit.old, edit.new) for char in "\r\n"):
        return "an edit cannot span lines (`old` or `new` holds a line break)"
    if not 1 <= edit.line <= line_count:
        return f"line {edit.line} is out of range (the doc has {line_count} lines)"
    if edit.column < 1:
        return f"column {edit.column} is out of range (columns start at 1)"
    return None


def _rewrite_line(content: str, edits: Sequence[Edit], skipped: list[tuple[Edit, str]]) -> tuple[str, list[Edit]]:
    """The line with its edits applied, and the edits applied; the others go to `skipped`.

    A line is rewritten only if running its edits again on the result applies none of them, so that the
    result is always stable. Without this check, an edit that shifts the rest of the line could bring
    another edit's `old` to that edit's column.
    """
    applied, why_not = _plan_line(content, edits)
    skipped.extend(why_not)
    if not applied:
        return content, []
    rewritten = _replace(content, applied)
    if _plan_line(rewritten, edits)[0]:
        why = "not applied: the result would not be stable (applying this line's edits again would change it again)"
        skipped.extend((edit, why) for edit in applied)
        return content, []
    return rewritten, applied


def _plan_line(content: str, edits: Sequence[Edit]) -> tuple[list[Edit], list[tuple[Edit, str]]]:
    """The edits that apply to this line's text, and (edit, reason) for the others."""
    applies: list[Edit] = []
    skipped: list[tuple[Edit, str]] = []
    for edit in edits:
        why = _why_not(content, edit)
        if why is None:
            applies.append(edit)
        else:
            skipped.append((edit, why))
    return applies, skipped


def _why_not(content: str, edit: Edit) -> str | None:
    """Why `edit` does not apply to this line's text, or None when it does."""
    start = edit.column - 1
    end = start + len(edit.old)
    where = f"{edit.line}:{edit.column}"
    if not content.startswith(edit.old, start):
        return f"{edit.old!r} not found at {where} (the line has {content[start:end]!r} there)"
    # The edit would leave `old` at its position (`new` == `old`, or `new` starts with `old`, e.g. `Cart` →
    # `CartV2`): once the text reads `new` it is done, else a second run would write `CartV2V2`.
    if content.startswith(edit.new, start) and (edit.new + content[end:]).startswith(edit.old):
        return f"already reads {edit.new!r} at {where}"
    if _is_name_char(edit.old[-1]) and end < len(content) and _is_name_char(content[end]):
        longer = edit.old + "".join(takewhile(_is_name_char, content[end:]))
        return f"{edit.old!r} at {where} is only the start of the longer name {longer!r}"
    return None


def _is_name_char(char: str) -> bool:
    return char == "_" or char.isalnum()


def _replace(content: str, edits: Sequence[Edit]) -> str:
    """The line with each edit's `old` replaced, right to left so that earlier columns stay valid."""
    for edit in sorted(edits, key=lambda edit: edit.column, reverse=True):
        start = edit.column - 1
        content = content[:start] + edit.new + content[start + len(edit.old) :]
    return content


def unified_diff(path: str, before: bytes, after: bytes) -> str:
    """A `git diff`-like unified diff (`--- a/path`, `+++ b/path`, 3 lines of context), "" when equal.

    Lines break at LF only, as git's do: a CRLF line shows its CR. Bytes that are not UTF-8 show as U+FFFD.
    """
    if before == after:
        return ""
    hunks = difflib.unified_diff(_diff_lines(before), _diff_lines(after), f"a/{path}", f"b/{path}", lineterm="\n")
    # difflib leaves a last line without "\n" as it is; git ends it and adds its marker line.
    return "".join(line if line.endswith("\n") else line + "\n" + _NO_NEWLINE for line in hunks)


def _diff_lines(data: bytes) -> list[str]:
    pieces = data.decode("utf-8", errors="replace").split("\n")
    return [piece + "\n" for piece in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])


def rename_edit(
    reference: Reference, old: str, new: str, resolves_to: Callable[[str], str | None]
) -> Edit | str | None:
    """The edit that makes `reference` name `new` instead of `old`; why there is no mechanical one; or
    None when the reference does not spell the name (a source link, a use of an import alias).

    A plain rename changes only the last name, however the doc spelled the rest (`~shop.cart.old`,
    `Cart.old`, `c.old` after `import shop.cart as c`). A move rewrites the name as written, keeping
    its form (`Cart.total` stays two parts) when that form still means the new symbol.
    """
    old_parts, new_parts = old.split("."), new.split(".")
    if old_parts[:-1] == new_parts[:-1]:
        fragment, replacement = old_parts[-1], new_parts[-1]
    elif reference.style in CODE_STYLES:
        if reference.text != old:
            return f"{old} moved to another module: edit this example's import by hand"
        fragment, replacement = old, new
    else:
        fragment = reference.name.lstrip(".")
        size = fragment.count(".") + 1
        shorter = ".".join(new_parts[-size:])
        replacement = shorter if resolves_to(shorter) == new else new
    match = re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", reference.text)
    if match is None:
        return None  # a link to the file, or an alias (`rm(...)` after `import ... as rm`): nothing spelled here
    return Edit(reference.line, reference.column + match.start(), fragment, replacement)
