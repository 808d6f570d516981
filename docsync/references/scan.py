"""One doc's bytes → its DocScan: decode, pick the scanner by file type, analyse its code examples."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from docsync.models import CodeBlock, CodeLine, Diagnostic, DocScan, How, Reference, Style
from docsync.references.examples import analyze_examples
from docsync.references.examples.output import output_references
from docsync.references.history_pages import is_history_by_headings, version_blocks
from docsync.references.includes import find_includes
from docsync.references.markdown import scan_markdown
from docsync.references.notebook import scan_notebook
from docsync.references.rst import scan_rst


def scan_doc(doc: str, data: bytes) -> DocScan:
    """Everything a doc references; undecodable docs give one diagnostic and no references."""
    if b"\0" in data[:8192]:
        return _skipped(doc, "looks like a binary file; skipped")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return _skipped(doc, f"is not UTF-8 text (byte {error.start} on line {line}); skipped", line)
    # One line ending for the scanners; line numbers do not change.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lower = doc.lower()
    lines = text.split("\n")
    if lower.endswith(".ipynb"):
        scan = scan_notebook(doc, text)
    elif lower.endswith((".rst", ".txt")):
        scan = scan_rst(doc, text)
    elif lower.endswith(".py"):
        scan = _example_file(doc, lines)
    else:
        scan = replace(scan_markdown(doc, text), includes=find_includes(lines))
    examples = analyze_examples(scan.blocks)
    prose = tuple(
        _as_imported(reference, examples.imports)
        for reference in scan.references
        if not _defined_by_examples(reference, examples.defined)
    )
    # What a session prints names what it shows too (a notebook's lines are JSON: its cells' output is not read).
    printed = () if lower.endswith(".ipynb") else tuple(output_references(doc, scan.blocks, lines))
    return replace(
        scan,
        references=tuple(sorted((*prose, *examples.references, *printed), key=lambda r: (r.line, r.column))),
        calls=tuple(sorted((*scan.calls, *examples.calls), key=lambda c: (c.line, c.column))),
        diagnostics=scan.diagnostics + examples.diagnostics,
        past=tuple(version_blocks(lines)),
        dated=is_history_by_headings(lines[number - 1] for number in scan.headings if number <= len(lines)),
    )


def _as_imported(reference: Reference, imports: Mapping[str, str]) -> Reference:
    """Inline code in prose that names what the doc's examples import (`Request` after `from starlette.requests
    import Request`) means what they import: written so, it is no longer a bare word to guess about."""
    if reference.style is not Style.MD_CODE or reference.how is not How.INFERRED or reference.path is not None:
        return reference
    first, dot, rest = reference.name.partition(".")
    target = imports.get(first)
    return replace(reference, name=f"{target}{dot}{rest}") if target else reference


def _defined_by_examples(reference: Reference, defined: frozenset[str]) -> bool:
    """Inline code in prose that names a class or function the doc's own examples define (`Address` after
    `class Address(Base):`): the reader's code, not the project's, whatever project name it also matches."""
    if reference.style is not Style.MD_CODE or reference.how is not How.INFERRED or reference.path is not None:
        return False
    return reference.name.partition(".")[0] in defined


def _example_file(doc: str, lines: list[str]) -> DocScan:
    """A Python file a doc includes: one example, line for line."""
    if lines and not lines[-1]:
        lines = lines[:-1]  # the text's final line break
    code = "".join(f"{line}\n" for line in lines)
    block = CodeBlock(doc, Style.CODE_BLOCK, "python", code, tuple(CodeLine(n, 0) for n in range(1, len(lines) + 1)))
    return DocScan(doc, (), (block,))


def _skipped(doc: str, message: str, line: int = 1) -> DocScan:
    return DocScan(doc=doc, references=(), diagnostics=(Diagnostic(doc, line, message),))
