"""Symbols that moved to another module × a doc's code examples → edits to the imports that name them.

`from starlette.response import Response` becomes `from starlette.responses import Response` when `Response`
moved there: the statement is found with libcst (positions in the example, mapped back to the doc through the
block's origin), only the module's text changes, and the uses below it (`Response(...)`) need no edit. An import
that also names something that did not move the same way would have to be split: left to a human, as is a
rewrite after which the example would not parse.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass

import libcst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from docsync.models import CodeBlock
from docsync.rewrite import Edit
from docsync.symbols.table import SymbolTable


@dataclass(frozen=True, slots=True)
class ImportFixes:
    """What moving a doc's imports does: the edits, the moved symbols they fix, and what is left to a human."""

    edits: tuple[Edit, ...] = ()
    fixed: frozenset[str] = frozenset()  # the names as imported (`module.name`) whose imports the edits rewrite
    manual: tuple[tuple[int, str], ...] = ()  # (doc line, why)


def is_module_move(old: str, new: str) -> bool:
    """Whether `new` is `old` under the same name in another module (`a.b.X` → `a.c.X`)."""
    return old != new and _last(old) == _last(new)


def public_spellings(table: SymbolTable, qualnames: Collection[str]) -> dict[str, str]:
    """The name to import each symbol by: its shortest public alias of the same name (`sqlalchemy.orm.declarative_base`
    for `sqlalchemy.orm.decl_api.declarative_base`), else its own."""
    found = {qualname: qualname for qualname in qualnames}
    for alias, target in table.aliases.items():
        if target in found and _last(alias) == _last(target) and not any(p.startswith("_") for p in alias.split(".")):
            found[target] = min(found[target], alias, key=lambda name: (name.count("."), name))
    return found


def _last(name: str) -> str:
    return name.rpartition(".")[2]


def import_fixes(blocks: Sequence[CodeBlock], moves: Mapping[str, str]) -> ImportFixes:
    """The import edits for one doc's code examples, given what moved (the name as the examples import it, `a.b.X`
    → the name to import instead)."""
    edits: list[Edit] = []
    fixed: set[str] = set()
    manual: list[tuple[int, str]] = []
    for block in blocks:
        for statement, module, names, where in _from_imports(block.code):
            olds = [f"{module}.{name}" for name in names]
            news = [moves.get(old) for old in olds]
            if not any(news):
                continue
            line = block.origin[where.start.line - 1].line
            targets = {new.rpartition(".")[0] for new in news if new is not None}
            if None in news or len(targets) != 1:
                manual.append((line, f"`{statement}` also imports what did not move there: split it by hand"))
                continue
            target = targets.pop()
            if not _parses(_replaced(block.code, where, target)):
                manual.append((line, f"`{statement}` would not parse with `{target}`: edit it by hand"))
                continue
            origin = block.origin[where.start.line - 1]
            edits.append(Edit(origin.line, origin.column + where.start.column + 1, module, target))
            fixed.update(olds)
    return ImportFixes(tuple(edits), frozenset(fixed), tuple(manual))


def _from_imports(code: str) -> Iterator[tuple[str, str, list[str], CodeRange]]:
    """(the statement as written, its module, the names it imports, where its module is written) of each absolute
    `from module import names` of an example that parses, on one line."""
    try:
        wrapper = MetadataWrapper(libcst.parse_module(code))
    except libcst.ParserSyntaxError:
        return
    positions = wrapper.resolve(PositionProvider)
    finder = _FromImports()
    wrapper.visit(finder)
    for node in finder.found:
        if node.relative or node.module is None or isinstance(node.names, libcst.ImportStar):
            continue
        where = positions[node.module]
        if where.start.line != where.end.line:
            continue  # a module name broken over lines (`from a.\\\n  b import x`) is not written as we rewrite it
        module = _dotted(node.module)
        names = [_dotted(alias.name) for alias in node.names]
        statement = f"from {module} import {', '.join(names)}"
        yield statement, module, names, where


class _FromImports(libcst.CSTVisitor):
    def __init__(self) -> None:
        self.found: list[libcst.ImportFrom] = []

    def visit_ImportFrom(self, node: libcst.ImportFrom) -> None:
        self.found.append(node)


def _dotted(node: libcst.BaseExpression) -> str:
    if isinstance(node, libcst.Name):
        return node.value
    if isinstance(node, libcst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _replaced(code: str, where: CodeRange, text: str) -> str:
    lines = code.split("\n")
    index = where.start.line - 1
    line = lines[index]
    lines[index] = line[: where.start.column] + text + line[where.end.column :]
    return "\n".join(lines)


def _parses(code: str) -> bool:
    try:
        libcst.parse_module(code)
    except libcst.ParserSyntaxError:
        return False
    return True
