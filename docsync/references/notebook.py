""".ipynb markdown cells through the Markdown scanner, lines mapped back; code cells as examples."""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from docsync.models import CodeBlock, CodeLine, Diagnostic, DocScan, Ignore, Reference, Style
from docsync.references.markdown import scan_markdown

_SOURCE_KEY = re.compile(r'"source"\s*:')
# Cell magics whose body is still Python; any other (`%%bash`, `%%html`, ...) makes the cell not Python.
_PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "python", "python3"})
# IPython-only lines: magics, shell escapes and their assignments (`files = !ls`).
_IPYTHON_LINE = re.compile(r"\s*(?:[%!]|[\w.]+\s*=\s*[%!])")


def scan_notebook(doc: str, text: str) -> DocScan:
    """References, code examples and headings of a Jupyter notebook, at their lines in the .ipynb file.

    Args:
        doc: the notebook's repository-relative path, copied into every record.
        text: the .ipynb content (nbformat 4 JSON).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        notebook: object = json.loads(text)
    except (ValueError, RecursionError) as error:
        return _invalid(doc, str(error))
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(notebook, dict) or not isinstance(cells, list):
        return _invalid(doc, 'no "cells" list (nbformat 4 expected)')
    python = _is_python(notebook.get("metadata"))
    found = _Found()
    locator = _Locator(text)
    for cell in cells:
        kind, sources = _sources(cell)
        if not kind:
            continue
        place = locator.place(sources)
        if kind == "markdown":
            _add_markdown(doc, sources, place, found)
        elif python:
            block = _code_block(doc, sources, place)
            if block is not None:
                found.blocks.append(block)
    return DocScan(
        doc,
        tuple(sorted(found.references, key=lambda r: (r.line, r.column))),
        tuple(found.blocks),
        headings=tuple(sorted(set(found.headings))),
        diagnostics=tuple(found.diagnostics),
        ignores=tuple(found.ignores),
    )


def _invalid(doc: str, problem: str) -> DocScan:
    return DocScan(doc, (), diagnostics=(Diagnostic(doc, 1, f"not a valid notebook: {problem}"),))


def _is_python(metadata: object) -> bool:
    """Python unless the kernel or language info names another language."""
    if not isinstance(metadata, dict):
        return True
    kernel, info = metadata.get("kernelspec"), metadata.get("language_info")
    names = [
        kernel.get("language") if isinstance(kernel, dict) else None,
        info.get("name") if isinstance(info, dict) else None,
    ]
    return all(name.lower().startswith("python") for name in names if isinstance(name, str))


def _sources(cell: object) -> tuple[str, list[str]]:
    """("markdown" or "code", source strings) of a cell, ("", []) for others.

    nbformat allows a source as a list of lines or as one string; an empty list holds nothing to scan.
    """
    kind = cell.get("cell_type") if isinstance(cell, dict) else None
    if not isinstance(cell, dict) or kind not in ("markdown", "code"):
        return "", []
    source = cell.get("source")
    if isinstance(source, str):
        return kind, [source]
    if isinstance(source, list) and source and all(isinstance(part, str) for part in source):
        return kind, source
    return "", []


@dataclass(slots=True)
class _Found:
    references: list[Reference] = field(default_factory=list)
    blocks: list[CodeBlock] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    ignores: list[Ignore] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Written:
    """One source string and where its opening quote is in the .ipynb text (None: not found)."""

    value: str
    quote: int | None
    ascii: bool


class _Locator:
    """Finds each cell's source strings in the raw JSON, in order, to map cell positions to file positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cursor = 0
        self.line_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and 0-based column of a raw offset."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index]

    def place(self, sources: Sequence[str]) -> _CellPlace:
        key = _SOURCE_KEY.search(self.text, self.cursor)
        if key is not None:
            self.cursor = key.end()
        first_line = self.position(self.cursor)[0]
        written = [self._find(value) for value in sources]
        return _CellPlace(self, written, first_line)

    def _find(self, value: str) -> _Written:
        # Jupyter writes `ensure_ascii=False`, other tools the default; the earlier match wins.
        found: list[tuple[int, bool]] = []
        for ascii_only in (False, True):
            quote = self._search(json.dumps(value, ensure_ascii=ascii_only))
            if quote is not None:
                found.append((quote, ascii_only))
        if not found:
            return _Written(value, None, False)
        quote, ascii_only = min(found)
        self.cursor = quote + len(json.dumps(value, ensure_ascii=ascii_only))
        return _Written(value, quote, ascii_only)

    def _search(self, encoded: str) -> int | None:
        start = self.cursor
        while (quote := self.text.find(encoded, start)) >= 0:
            before = quote
            while before > 0 and self.text[before - 1] == "\\":
                before -= 1
            if (quote - before) % 2 == 0:  # an escaped `\"` is inside another string, not an opening quote
                return quote
            start = quote + 1
        return None


class _CellPlace:
    """Maps (line, column) in a cell's joined source to (line, column) in the .ipynb file."""

    def __init__(self, locator: _Locator, written: Sequence[_Written], first_line: int) -> None:
        self.locator = locator
        self.written = written
        self.first_line = first_line
        self.string_starts: list[int] = []
        offset = 0
        for part in written:
            self.string_starts.append(offset)
            offset += len(part.value)
        self.cell_line_starts = [start for start, _ in split_lines("".join(part.value for part in written))]

    def map(self, line: int, column: int) -> tuple[int, int]:
        """File (1-based line, 0-based column) of cell (1-based line, 0-based column)."""
        offset = self.cell_line_starts[min(line, len(self.cell_line_starts)) - 1] + column
        index = max(bisect.bisect_right(self.string_starts, offset) - 1, 0)
        part = self.written[index]
        if part.quote is None:
            return self.first_line, column
        inside = min(offset - self.string_starts[index], len(part.value))
        # The encoded prefix gives the exact raw offset (escapes included) for the encoding we matched.
        encoded = json.dumps(part.value[:inside], ensure_ascii=part.ascii)
        return self.locator.position(part.quote + len(encoded) - 1)


def split_lines(text: str) -> list[tuple[int, str]]:
    """(start offset, text) of each line, breaking at LF, CRLF and CR as the Markdown scanner does."""
    lines: list[tuple[int, str]] = []
    start = 0
    for match in re.finditer(r"\r\n?|\n", text):
        lines.append((start, text[start : match.start()]))
        start = match.end()
    return [*lines, (start, text[start:])]


def _add_markdown(doc: str, sources: Sequence[str], place: _CellPlace, found: _Found) -> None:
    scan = scan_markdown(doc, "".join(sources))
    # A cell's ignore markers cover what follows them in that cell only.
    moved = {ignore: _placed(ignore, place) for ignore in scan.ignores}
    found.ignores.extend(moved.values())
    for reference in scan.references:
        line, column = place.map(reference.line, reference.column - 1)
        ignored = tuple(moved[ignore] for ignore in reference.ignored)
        found.references.append(replace(reference, line=line, column=column + 1, ignored=ignored))
    for block in scan.blocks:
        origin = tuple(CodeLine(*place.map(code.line, code.column)) for code in block.origin)
        found.blocks.append(replace(block, origin=origin, ignored=tuple(moved[ignore] for ignore in block.ignored)))
    found.headings.extend(place.map(line, 0)[0] for line in scan.headings)
    found.diagnostics.extend(replace(d, line=place.map(d.line, 0)[0]) for d in scan.diagnostics)


def _placed(ignore: Ignore, place: _CellPlace) -> Ignore:
    line, column = place.map(ignore.line, ignore.column - 1)
    return replace(ignore, line=line, column=column + 1)


def _code_block(doc: str, sources: Sequence[str], place: _CellPlace) -> CodeBlock | None:
    """A NOTEBOOK block for a Python code cell, IPython-only lines blanked so lines stay aligned."""
    lines = [line for _, line in split_lines("".join(sources))]
    if lines[-1] == "":
        lines.pop()
    first = next((line.strip() for line in lines if line.strip()), "")
    if not first:
        return None
    if first.startswith("%%") and first[2:].split(" ", 1)[0] not in _PYTHON_CELL_MAGICS:
        return None
    code: list[str] = []
    continued = False
    for line in lines:
        # A magic or shell line continues onto the next line when it ends with a backslash.
        ipython = continued or bool(_IPYTHON_LINE.match(line))
        continued = ipython and line.endswith("\\")
        code.append("" if ipython else line)
    origin = tuple(CodeLine(*place.map(number, 0)) for number in range(1, len(lines) + 1))
    return CodeBlock(doc, Style.NOTEBOOK, "python", "".join(line + "\n" for line in code), origin)
