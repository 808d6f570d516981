"""Python fences/doctests -> imported names, aliases, calls (arity, keywords), found statically with `ast`."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from docsync.models import Call, CodeBlock, Diagnostic, How, Reference, Style
from docsync.references.examples.scope import CallUse, NameUse, ScopeWalker, Span
from docsync.references.includes import is_include_line
from docsync.symbols.parse import parse_python

# The start of the diagnostic for a block marked as Python that does not parse (an `example` note).
UNPARSABLE = "python example does not parse"
PYTHON_LANGUAGES = frozenset({"python", "py", "python3", "py3", "pycon", "ipython", "ipython3", "doctest"})

# The line breaks of Python's tokenizer (str.splitlines() also splits on \f, \x1c, \u2028..., ast does not).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LANGUAGE_WORD = re.compile(r"[\w+-]*")
# IPython-only lines (`%timeit f()`, `!pip install x`): never valid Python, dropped when a block fails.
_MAGIC = re.compile(r"[ \t]*[%!]")
# Lines at the left margin that continue the statement before them rather than start a new one.
_CONTINUATION = re.compile(r"(?:else|elif|except|finally)\b|[)\]}]")
# How many following `>>>` groups a doctest statement may swallow when it spans several of them.
_MAX_GROUP_MERGE = 8


@dataclass(frozen=True, slots=True)
class Examples:
    """Everything the code examples of one doc reference and call, sorted by (line, column)."""

    references: tuple[Reference, ...]
    calls: tuple[Call, ...]
    diagnostics: tuple[Diagnostic, ...]
    imports: Mapping[str, str] = field(default_factory=dict)  # a name the examples import -> what it names
    defined: frozenset[str] = frozenset()  # classes and functions the examples define: the doc's own


def analyze_examples(blocks: Sequence[CodeBlock]) -> Examples:
    """The references and calls of one doc's code blocks, given in doc order.

    Imports carry over from one block to the next, as they do in a tutorial. Blocks in another
    language (`bash`, `toml`...) are skipped; a block that does not parse is reported only when it
    claims to be Python (its language or the doctest style), otherwise it is skipped silently.

    Args:
        blocks: the code examples of one doc, in doc order.

    Returns:
        The references (imports, names used) and calls, sorted by position, and the diagnostics.
    """
    walker = ScopeWalker()
    references: list[Reference] = []
    calls: list[Call] = []
    diagnostics: list[Diagnostic] = []
    for block in blocks:
        if block.origin and _language_kind(block) != "other":
            _analyze_block(block, walker, (references, calls, diagnostics))
    return Examples(
        references=tuple(sorted(references, key=lambda ref: (ref.line, ref.column))),
        calls=tuple(sorted(calls, key=lambda call: (call.line, call.column))),
        diagnostics=tuple(sorted(diagnostics, key=lambda diagnostic: diagnostic.line)),
        imports=dict(walker.imported),
        defined=frozenset(walker.defined),
    )


def _language_kind(block: CodeBlock) -> str:
    """ "python" (must parse), "unknown" (may be anything) or "other" (not Python: skipped)."""
    # An info string may carry more than the language: "python title=x.py", "{.python}".
    match = _LANGUAGE_WORD.match(block.language.strip().lower().lstrip("{."))
    language = match.group() if match else ""
    if block.style is Style.DOCTEST or language in PYTHON_LANGUAGES:
        return "python"
    return "unknown" if not language else "other"


def _analyze_block(
    block: CodeBlock,
    walker: ScopeWalker,
    out: tuple[list[Reference], list[Call], list[Diagnostic]],
) -> None:
    references, calls, diagnostics = out
    lines = _LINE_BREAK.split(block.code)
    trees, errors = _parse_block(block, lines)
    if _language_kind(block) == "python":
        for error in errors:
            line, _ = _doc_position(block, lines, error.lineno or 1, 0)
            diagnostics.append(Diagnostic(block.doc, line, f"{UNPARSABLE}: {error.msg}"))
    for tree in trees:
        try:
            uses, found_calls = walker.analyze(tree)
        except RecursionError:  # a pathologically nested expression; its imports were still seen
            line, _ = _doc_position(block, lines, 1, 0)
            diagnostics.append(Diagnostic(block.doc, line, "python example is too deeply nested to analyse"))
            continue
        references.extend(_reference(block, lines, use) for use in uses)
        calls.extend(_call(block, lines, call) for call in found_calls)


# -- parsing ---------------------------------------------------------------------------------------


def _parse(lines: Sequence[str], first: int = 0) -> ast.Module | SyntaxError:
    """Parse `lines`, numbered as if they started at line index `first` of the block."""
    source = "\n" * first + "\n".join(lines)
    try:
        # ONLY_AST never runs anything; ALLOW_TOP_LEVEL_AWAIT accepts `await f()` as notebooks write it; grammar
        # newer than this interpreter's is read by libcst (see `symbols.parse`).
        tree = parse_python(source, ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    except SyntaxError as error:
        return error
    except (ValueError, RecursionError, MemoryError) as error:  # null bytes, surrogates, deep nesting
        failure = SyntaxError(str(error) or type(error).__name__)
        failure.lineno = first + 1
        return failure
    return tree


def _without_magics(lines: list[str]) -> list[str]:
    """The lines with IPython's magics and shell escapes blanked, with the lines a trailing backslash continues."""
    kept, continued = [], False
    for line in lines:
        magic = continued or bool(_MAGIC.match(line))
        kept.append("" if magic else line)
        continued = magic and line.rstrip().endswith("\\")
    return kept


def _parse_block(block: CodeBlock, lines: list[str]) -> tuple[list[ast.Module], list[SyntaxError]]:
    """The trees of a block: the whole code if it parses, else what can be saved of it."""
    lines = ["" if is_include_line(line) else line for line in lines]  # `{!> x.py !}`: the file is checked instead
    result = _parse(lines)
    if isinstance(result, ast.Module):
        return [result], []
    without_magics = _without_magics(lines)
    if without_magics != lines:
        retry = _parse(without_magics)
        if isinstance(retry, ast.Module):
            return [retry], []
        lines = without_magics
    if _ends_with_decorator(lines, result):
        # Docs show a decorator on its own (`@cli.option("--n")`): give it something to decorate.
        retry = _parse([*lines, "def _decorated(): pass"])
        if isinstance(retry, ast.Module):
            return [retry], []
    if block.style is Style.DOCTEST:
        return _parse_doctest_groups(lines)
    return [], [result]


def _ends_with_decorator(lines: Sequence[str], error: SyntaxError) -> bool:
    """Whether the last statement is a decorator (possibly over several lines) and the error is at the end."""
    code = [index for index, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
    starts = [index for index in code if not lines[index][:1].isspace() and not lines[index].startswith((")", "]"))]
    at_end = (error.lineno or 0) >= (code[-1] + 1 if code else 0)
    return bool(starts) and lines[starts[-1]].startswith("@") and at_end


def _group_starts(lines: Sequence[str]) -> list[int]:
    """Indexes of the lines that may start a new `>>>` statement: at the margin, not continuing."""
    starts = [0]
    for index in range(1, len(lines)):
        line, previous = lines[index], lines[index - 1]
        at_margin = bool(line.strip()) and not line[0].isspace()
        continues = previous.rstrip().endswith("\\") or previous.startswith("@") or _CONTINUATION.match(line)
        if at_margin and not continues:
            starts.append(index)
    return starts


def _parse_doctest_groups(lines: Sequence[str]) -> tuple[list[ast.Module], list[SyntaxError]]:
    """Parse a doctest statement by statement, keeping what parses."""
    bounds = [*_group_starts(lines), len(lines)]
    trees: list[ast.Module] = []
    errors: list[SyntaxError] = []
    group = 0
    while group < len(bounds) - 1:
        parsed, group = _parse_statement(lines, bounds, group)
        if isinstance(parsed, ast.Module):
            trees.append(parsed)
        else:
            errors.append(parsed)
    return trees, errors


def _parse_statement(lines: Sequence[str], bounds: Sequence[int], group: int) -> tuple[ast.Module | SyntaxError, int]:
    """Parse the statement starting at `group`, and the index of the group after it.

    A statement may span several groups (a call whose arguments sit at the margin): the following
    groups are joined until the result parses. When nothing parses, the error is the group's alone.
    """
    start = bounds[group]
    alone = _parse(lines[start : bounds[group + 1]], start)
    if isinstance(alone, ast.Module):
        return alone, group + 1
    for end_group in range(group + 2, min(len(bounds), group + _MAX_GROUP_MERGE + 1)):
        joined = _parse(lines[start : bounds[end_group]], start)
        if isinstance(joined, ast.Module):
            return joined, end_group
    return alone, group + 1


# -- positions -------------------------------------------------------------------------------------


def _doc_position(block: CodeBlock, lines: Sequence[str], lineno: int, col_offset: int) -> tuple[int, int]:
    """The doc (line, 1-based column) of an ast position (1-based line, UTF-8 byte offset)."""
    index = min(max(lineno, 1), len(block.origin)) - 1
    code_line = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
    characters = len(code_line.encode("utf-8", "surrogatepass")[:col_offset].decode("utf-8", "ignore"))
    origin = block.origin[index]
    return origin.line, origin.column + characters + 1


def _source_text(lines: Sequence[str], span: Span) -> str:
    """The source of a construct, cut at the end of its first line."""
    encoded = lines[span.lineno - 1].encode("utf-8", "surrogatepass")
    end = span.end_col_offset if span.end_lineno == span.lineno else len(encoded)
    return encoded[span.col_offset : end].decode("utf-8", "ignore")


def _reference(block: CodeBlock, lines: Sequence[str], use: NameUse) -> Reference:
    line, column = _doc_position(block, lines, use.span.lineno, use.span.col_offset)
    return Reference(
        doc=block.doc,
        line=line,
        column=column,
        name=use.name,
        how=How.INFERRED,
        style=block.style,
        text=_source_text(lines, use.span),
        ignored=block.ignored,
    )


def _call(block: CodeBlock, lines: Sequence[str], use: CallUse) -> Call:
    line, column = _doc_position(block, lines, use.span.lineno, use.span.col_offset)
    return Call(
        doc=block.doc,
        line=line,
        column=column,
        name=use.name,
        positional=use.positional,
        keywords=use.keywords,
        star_args=use.star_args,
        star_kwargs=use.star_kwargs,
        bound=use.bound,
        ignored=block.ignored,
    )
