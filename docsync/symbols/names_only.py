"""The names a module defines when its source does not parse (Python 2 code, a file being edited), from its tokens.

Enough to know that `werkzeug.templates.Template` existed in a 2013 version written for Python 2: a doc naming it
then was right, and one naming it after its removal is `removed`. Nothing about what the symbols are is known, so
their fingerprints are `UNKNOWN` and no change of their contents is ever claimed against such a version.
"""

from __future__ import annotations

import io
import tokenize

from docsync.models import Fingerprint, SymbolKind

# A fingerprint no digest equals: "what this version says is unknown" (see `drift.changed_parts`).
UNKNOWN = Fingerprint("", "", "")

_STATEMENT_START = frozenset({tokenize.ENCODING, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.NL})


def defined_names(source: bytes) -> list[tuple[str, SymbolKind, int]]:
    """(name relative to the module, kind, line) of each class, function and method the tokens show, in order;
    nested functions are not symbols. Reading stops where the tokenizer gives up."""
    found: list[tuple[str, SymbolKind, int]] = []
    open_blocks: list[tuple[int, str, bool]] = []  # (depth, name, is a class) of the definitions around
    depth, previous, keyword = 0, tokenize.NEWLINE, ""
    try:
        for token in tokenize.tokenize(io.BytesIO(source).readline):
            if token.type == tokenize.INDENT:
                depth += 1
            elif token.type == tokenize.DEDENT:
                depth -= 1
            elif token.type == tokenize.NAME and keyword:
                while open_blocks and open_blocks[-1][0] >= depth:
                    open_blocks.pop()
                if all(is_class for _, _, is_class in open_blocks):
                    chain = ".".join([*(name for _, name, _ in open_blocks), token.string])
                    found.append((chain, _kind(keyword, bool(open_blocks)), token.start[0]))
                open_blocks.append((depth, token.string, keyword == "class"))
            if token.type == tokenize.NAME and token.string in ("def", "class") and previous in _STATEMENT_START:
                keyword = token.string
            else:
                keyword = ""
            if token.type == tokenize.NAME and token.string == "async":
                continue  # `async def`: the statement still starts at `def`
            previous = token.type
    except (tokenize.TokenError, SyntaxError, ValueError):
        pass
    return found


def _kind(keyword: str, in_class: bool) -> SymbolKind:
    if keyword == "class":
        return SymbolKind.CLASS
    return SymbolKind.METHOD if in_class else SymbolKind.FUNCTION
