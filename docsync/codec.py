"""Cached results ↔ compact JSON: per-file symbols and per-doc scans. A malformed value raises `BadEntry`."""

from __future__ import annotations

from typing import Any

from docsync.models import (
    Call,
    CodeBlock,
    CodeLine,
    Diagnostic,
    DocScan,
    Fingerprint,
    How,
    Parameter,
    ParamKind,
    Reference,
    Signature,
    Style,
    SymbolKind,
)
from docsync.symbols.extract import ImportedName, LocalSymbol, ModuleSymbols


class BadEntry(Exception):
    """A cached value of the wrong shape (another version, a corrupt file): recompute it."""


def encode_module(module: ModuleSymbols) -> list[Any]:
    return [
        [_encode_symbol(s) for s in module.symbols],
        [[i.alias, i.module, i.level, i.name] for i in module.imports],
        list(module.all_names) if module.all_names is not None else None,
        list(module.error) if module.error is not None else None,
    ]


def decode_module(value: Any) -> ModuleSymbols:
    try:
        symbols, imports, all_names, error = value
        return ModuleSymbols(
            symbols=tuple(_decode_symbol(s) for s in symbols),
            imports=tuple(ImportedName(str(a), str(m), int(level), str(n)) for a, m, level, n in imports),
            all_names=tuple(str(n) for n in all_names) if all_names is not None else None,
            error=(int(error[0]), str(error[1])) if error is not None else None,
        )
    except (TypeError, ValueError, KeyError, IndexError) as error:
        raise BadEntry(str(error)) from None


def _encode_symbol(symbol: LocalSymbol) -> list[Any]:
    fp = symbol.fingerprint
    return [
        symbol.name,
        symbol.kind.value,
        symbol.line,
        symbol.end_line,
        [fp.signature, fp.body, fp.docstring],
        _encode_signature(symbol.signature) if symbol.signature is not None else None,
    ]


def _decode_symbol(value: Any) -> LocalSymbol:
    name, kind, line, end_line, fp, signature = value
    return LocalSymbol(
        name=str(name),
        kind=SymbolKind(kind),
        line=int(line),
        end_line=int(end_line),
        fingerprint=Fingerprint(str(fp[0]), str(fp[1]), str(fp[2])),
        signature=_decode_signature(signature) if signature is not None else None,
    )


def _encode_signature(signature: Signature) -> list[Any]:
    return [
        [[p.name, p.kind.value, p.default, p.annotation] for p in signature.parameters],
        signature.returns,
        list(signature.decorators),
        list(signature.bases),
        signature.complete,
    ]


def _decode_signature(value: Any) -> Signature:
    parameters, returns, decorators, bases, complete = value
    return Signature(
        parameters=tuple(Parameter(str(n), ParamKind(k), d, a) for n, k, d, a in parameters),
        returns=returns,
        decorators=tuple(str(d) for d in decorators),
        bases=tuple(str(b) for b in bases),
        complete=bool(complete),
    )


def encode_scan(scan: DocScan) -> list[Any]:
    return [
        [
            [r.line, r.column, r.name, r.how.value, r.style.value, r.text, r.context, r.path, r.lines]
            for r in scan.references
        ],
        [[b.style.value, b.language, b.code, [[o.line, o.column] for o in b.origin]] for b in scan.blocks],
        [
            [c.line, c.column, c.name, c.positional, c.keywords, c.star_args, c.star_kwargs]
            for c in scan.calls
        ],
        list(scan.headings),
        [[d.line, d.message] for d in scan.diagnostics],
    ]


def decode_scan(doc: str, value: Any) -> DocScan:
    """A cached scan, re-attached to the doc path it is being used for."""
    try:
        references, blocks, calls, headings, diagnostics = value
        return DocScan(
            doc=doc,
            references=tuple(
                Reference(
                    doc, int(line), int(column), str(name), How(how), Style(style), str(text),
                    context, path, (int(lines[0]), int(lines[1])) if lines else None,
                )
                for line, column, name, how, style, text, context, path, lines in references
            ),
            blocks=tuple(_decode_block(doc, block) for block in blocks),
            calls=tuple(_decode_call(doc, call) for call in calls),
            headings=tuple(int(h) for h in headings),
            diagnostics=tuple(Diagnostic(doc, int(line), str(message)) for line, message in diagnostics),
        )  # fmt: skip
    except (TypeError, ValueError, KeyError, IndexError) as error:
        raise BadEntry(str(error)) from None


def _decode_block(doc: str, value: Any) -> CodeBlock:
    style, language, code, origin = value
    return CodeBlock(
        doc, Style(style), str(language), str(code), tuple(CodeLine(int(a), int(b)) for a, b in origin)
    )


def _decode_call(doc: str, value: Any) -> Call:
    line, column, name, positional, keywords, star_args, star_kwargs = value
    return Call(
        doc, int(line), int(column), str(name), int(positional), tuple(str(k) for k in keywords),
        bool(star_args), bool(star_kwargs),
    )  # fmt: skip
