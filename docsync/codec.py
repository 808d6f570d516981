"""Cached results ↔ compact JSON: per-file symbols and per-doc scans. A malformed value raises `BadEntry`."""

from __future__ import annotations

import reprlib
from collections.abc import Sequence
from typing import Any

from docsync.codec_values import BadEntry
from docsync.codec_values import checked_bool as _bool
from docsync.codec_values import checked_enum as _enum
from docsync.codec_values import checked_int as _int
from docsync.codec_values import checked_list as _items
from docsync.codec_values import checked_str as _str
from docsync.codec_values import optional_str as _optional_str
from docsync.codec_values import short as _short
from docsync.models import (
    Call,
    CodeBlock,
    CodeLine,
    Diagnostic,
    DocScan,
    Fingerprint,
    How,
    Ignore,
    Include,
    Kind,
    Parameter,
    ParamKind,
    Reference,
    Signature,
    Style,
    SymbolKind,
)
from docsync.symbols.extract import ImportedName, LocalSymbol, ModuleSymbols
from docsync.symbols.layout import ModuleFile
from docsync.symbols.table import ModuleOutline, TablePiece


def encode_module(module: ModuleSymbols) -> list[Any]:
    return [
        [_encode_symbol(s) for s in module.symbols],
        [[i.alias, i.module, i.level, i.name] for i in module.imports],
        list(module.all_names) if module.all_names is not None else None,
        list(module.error) if module.error is not None else None,
        list(module.dynamic_names) if module.dynamic_names is not None else None,
        [list(pair) for pair in module.served_deprecated],
        [part for pair in module.aliased for part in pair],
    ]


def decode_module(value: Any) -> ModuleSymbols:
    symbols, imports, all_names, error, dynamic, served, aliased = _items(value, 7)
    return ModuleSymbols(
        symbols=tuple(decode_symbol(s) for s in _items(symbols)),
        imports=tuple(_decode_import(i) for i in _items(imports)),
        all_names=tuple(_str(n) for n in _items(all_names)) if all_names is not None else None,
        error=_decode_error(error) if error is not None else None,
        dynamic_names=tuple(_str(n) for n in _items(dynamic)) if dynamic is not None else None,
        served_deprecated=tuple((_str(n), _str(t)) for n, t in (_items(p, 2) for p in _items(served))),
        aliased=_pairs(aliased),
    )


_KIND_CODES = {kind: str(index) for index, kind in enumerate(SymbolKind)}
_KINDS_BY_CODE = {code: kind for kind, code in _KIND_CODES.items()}


def encode_outline(outline: ModuleOutline) -> list[Any]:
    """Flat on purpose (a warm check decodes one outline per module): one character per kind and flag."""
    return [
        list(outline.names),
        "".join(_KIND_CODES[kind] for kind in outline.kinds),
        "".join("1" if flag else "0" for flag in outline.public),
        [part for i in outline.imports for part in i],
        list(outline.all_names) if outline.all_names is not None else None,
        list(outline.error) if outline.error is not None else None,
        list(outline.dynamic_names) if outline.dynamic_names is not None else None,
        [part for pair in outline.aliased for part in pair],
    ]


def decode_outline(value: Any) -> ModuleOutline:
    names, kinds, public, imports, all_names, error, dynamic, aliased = _items(value, 8)
    names, imports = _str_list(names), _items(imports)
    if len(imports) % 4:
        raise BadEntry("imports are not groups of four")
    fields = imports[0::4], imports[1::4], imports[2::4], imports[3::4]
    if not all(type(v) is str for v in (*fields[0], *fields[1], *fields[3])) or not all(
        type(v) is int for v in fields[2]
    ):
        raise BadEntry("malformed imports")
    return ModuleOutline(
        names=names,
        kinds=_kinds(kinds, len(names)),
        public=_flags(public, len(names)),
        imports=tuple(map(ImportedName, *fields)),
        all_names=_str_list(all_names) if all_names is not None else None,
        error=_decode_error(error) if error is not None else None,
        dynamic_names=_str_list(dynamic) if dynamic is not None else None,
        aliased=_pairs(aliased),
    )


def encode_bundle(pieces: Sequence[tuple[str, TablePiece]]) -> list[Any]:
    """A whole table's pieces (with each file's blob id) in columns: one flat list per field, so that
    decoding is a few big `json.loads` arrays and slices rather than thousands of small lists."""
    optional: dict[str, list[Any]] = {
        "stars": [],
        "all": [],
        "dynamic": [],
        "error": [],
        "attributes": [],
        "aliased": [],
    }
    for index, (_, piece) in enumerate(pieces):
        for field, value in (
            ("stars", piece.stars or None),
            ("all", piece.all_names),
            ("dynamic", piece.dynamic_names),
            ("error", piece.error),
            ("attributes", [part for pair in piece.attributes_set for part in pair] or None),
            ("aliased", [part for pair in piece.aliased for part in pair] or None),
        ):
            if value is not None:
                optional[field].append([index, list(value)])
    return [
        [blob for blob, _ in pieces],
        [piece.file.path for _, piece in pieces],
        [piece.file.module for _, piece in pieces],
        "".join("1" if piece.file.is_package else "0" for _, piece in pieces),
        [len(piece.names) for _, piece in pieces],
        [name for _, piece in pieces for name in piece.names],
        "".join(_KIND_CODES[kind] for _, piece in pieces for kind in piece.kinds),
        "".join("1" if flag else "0" for _, piece in pieces for flag in piece.public),
        [len(piece.imports) for _, piece in pieces],
        [part for _, piece in pieces for pair in piece.imports for part in pair],
        optional["stars"],
        optional["all"],
        optional["dynamic"],
        optional["error"],
        optional["attributes"],
        optional["aliased"],
    ]


def decode_bundle(value: Any) -> list[tuple[str, TablePiece]]:
    blobs, paths, modules, packages, name_counts, names, kinds, public, import_counts, imports, *optional = _items(
        value, 16
    )
    blobs, paths, modules = _str_list(blobs), _str_list(paths), _str_list(modules)
    name_counts, import_counts = _count_list(name_counts), _count_list(import_counts)
    names, imports = _str_list(names), _str_list(imports)
    count = len(blobs)
    if not (len(paths) == len(modules) == len(name_counts) == len(import_counts) == count):
        raise BadEntry("bundle columns differ in length")
    if sum(name_counts) != len(names) or 2 * sum(import_counts) != len(imports):
        raise BadEntry("bundle counts do not add up")
    package_flags, all_kinds, all_public = (
        _flags(packages, count),
        _kinds(kinds, len(names)),
        _flags(public, len(names)),
    )
    stars: dict[int, Any] = {}
    all_names: dict[int, Any] = {}
    dynamic: dict[int, Any] = {}
    errors: dict[int, Any] = {}
    attributes: dict[int, Any] = {}
    aliased: dict[int, Any] = {}
    for extras, field in zip((stars, all_names, dynamic, errors, attributes, aliased), optional, strict=True):
        for item in _items(field):
            index, values = _items(item, 2)
            if type(index) is not int or not 0 <= index < count:
                raise BadEntry(f"bundle index out of range: {reprlib.repr(index)}")
            extras[index] = values
    pieces = []
    name_start = import_start = 0
    for index in range(count):
        name_end, import_end = name_start + name_counts[index], import_start + 2 * import_counts[index]
        pair_parts = imports[import_start:import_end]
        pieces.append(
            (
                blobs[index],
                TablePiece(
                    file=ModuleFile(paths[index], modules[index], package_flags[index]),
                    names=names[name_start:name_end],
                    kinds=all_kinds[name_start:name_end],
                    public=all_public[name_start:name_end],
                    imports=tuple(zip(pair_parts[0::2], pair_parts[1::2], strict=True)),
                    stars=_str_list(stars[index]) if index in stars else (),
                    all_names=_str_list(all_names[index]) if index in all_names else None,
                    dynamic_names=_str_list(dynamic[index]) if index in dynamic else None,
                    error=_decode_error(errors[index]) if index in errors else None,
                    attributes_set=_pairs(attributes[index]) if index in attributes else (),
                    aliased=_pairs(aliased[index]) if index in aliased else (),
                ),
            )
        )
        name_start, import_start = name_end, import_end
    return pieces


def _pairs(value: Any) -> tuple[tuple[str, str], ...]:
    parts = _str_list(value)
    if len(parts) % 2:
        raise BadEntry("pairs of an odd length")
    return tuple(zip(parts[0::2], parts[1::2], strict=True))


def _count_list(value: Any) -> Sequence[int]:
    items = _items(value)
    if items and (set(map(type, items)) != {int} or min(items) < 0):
        raise BadEntry(f"expected counts, got {reprlib.repr(value)}")
    return items


def _str_list(value: Any) -> tuple[str, ...]:
    items = _items(value)
    if items and set(map(type, items)) != _ONLY_STR:  # map, not a generator: tables decode ~10^5 names
        raise BadEntry(f"expected a list of strings, got {reprlib.repr(value)}")
    return tuple(items)


_ONLY_STR = {str}


def _kinds(value: Any, count: int) -> tuple[SymbolKind, ...]:
    if not isinstance(value, str) or len(value) != count:
        raise BadEntry(f"expected {count} kind codes, got {reprlib.repr(value)}")
    try:
        return tuple(map(_KINDS_BY_CODE.__getitem__, value))
    except KeyError as error:
        raise BadEntry(f"unknown kind code {error}") from None


def _flags(value: Any, count: int) -> tuple[bool, ...]:
    if not isinstance(value, str) or len(value) != count or not set(value) <= {"0", "1"}:
        raise BadEntry(f"expected {count} flags, got {reprlib.repr(value)}")
    return tuple(flag == "1" for flag in value)


def _decode_import(value: Any) -> ImportedName:
    alias, module, level, name = _items(value, 4)
    return ImportedName(_str(alias), _str(module), _int(level), _str(name))


def _decode_error(value: Any) -> tuple[int, str]:
    line, message = _items(value, 2)
    return _int(line), _str(message)


def _encode_symbol(symbol: LocalSymbol) -> list[Any]:
    fp = symbol.fingerprint
    return [
        symbol.name,
        symbol.kind.value,
        symbol.line,
        symbol.end_line,
        [fp.signature, fp.body, fp.docstring],
        _encode_signature(symbol.signature) if symbol.signature is not None else None,
        symbol.deprecated,
        [list(pair) for pair in symbol.deprecated_parameters],
    ]


def decode_symbol(value: Any) -> LocalSymbol:
    name, kind, line, end_line, fp, signature, deprecated, parameters = _items(value, 8)
    return LocalSymbol(
        name=_str(name),
        kind=_enum(SymbolKind, kind),
        line=_int(line),
        end_line=_int(end_line),
        fingerprint=Fingerprint(*(_str(part) for part in _items(fp, 3))),
        signature=_decode_signature(signature) if signature is not None else None,
        deprecated=_optional_str(deprecated),
        # Most symbols have none: no generator for them (a warm check decodes tens of thousands).
        deprecated_parameters=() if parameters == [] else tuple(_str_pair(p) for p in _items(parameters)),
    )


def _str_pair(value: Any) -> tuple[str, str]:
    first, second = _items(value, 2)
    return _str(first), _str(second)


def _encode_signature(signature: Signature) -> list[Any]:
    return [
        [[p.name, p.kind.value, p.default, p.annotation] for p in signature.parameters],
        signature.returns,
        list(signature.decorators),
        list(signature.bases),
        signature.complete,
        signature.forwards,
    ]


def _decode_signature(value: Any) -> Signature:
    parameters, returns, decorators, bases, complete, forwards = _items(value, 6)
    return Signature(
        parameters=tuple(_decode_parameter(p) for p in _items(parameters)),
        returns=_optional_str(returns),
        decorators=tuple(_str(d) for d in _items(decorators)),
        bases=tuple(_str(b) for b in _items(bases)),
        complete=_bool(complete),
        forwards=_optional_str(forwards),
    )


def _decode_parameter(value: Any) -> Parameter:
    name, kind, default, annotation = _items(value, 4)
    return Parameter(_str(name), _enum(ParamKind, kind), _optional_str(default), _optional_str(annotation))


def encode_scan(scan: DocScan) -> list[Any]:
    # The ignore markers that cover a reference, block or call are written as indexes into the doc's markers.
    at = {ignore: index for index, ignore in enumerate(scan.ignores)}
    return [
        [[r.line, r.column, r.name, r.how.value, r.style.value, r.text, r.context, r.path, r.lines, r.siblings,
          [at[i] for i in r.ignored]] for r in scan.references],
        [[b.style.value, b.language, b.code, [[o.line, o.column] for o in b.origin], [at[i] for i in b.ignored]]
         for b in scan.blocks],
        [[c.line, c.column, c.name, c.positional, c.keywords, c.star_args, c.star_kwargs, c.bound,
          [at[i] for i in c.ignored]] for c in scan.calls],
        list(scan.headings),
        [[d.line, d.message] for d in scan.diagnostics],
        [list(block) for block in scan.past],
        scan.dated,
        [[i.line, i.column, i.path] for i in scan.includes],
        [[i.line, i.column, i.marker, [kind.value for kind in i.kinds], i.until] for i in scan.ignores],
    ]  # fmt: skip


def decode_scan(doc: str, value: Any) -> DocScan:
    """A cached scan, re-attached to the doc path it is being used for."""
    references, blocks, calls, headings, diagnostics, past, dated, includes, ignores = _items(value, 9)
    markers = tuple(_decode_ignore(doc, ignore) for ignore in _items(ignores))
    return DocScan(
        doc=doc,
        references=_decode_references(doc, _items(references), markers),
        blocks=tuple(_decode_block(doc, block, markers) for block in _items(blocks)),
        calls=tuple(_decode_call(doc, call, markers) for call in _items(calls)),
        headings=tuple(_int(h) for h in _items(headings)),
        diagnostics=tuple(_decode_diagnostic(doc, d) for d in _items(diagnostics)),
        past=tuple(_decode_lines(block) for block in _items(past)),
        dated=_bool(dated),
        includes=tuple(_decode_include(i) for i in _items(includes)),
        ignores=markers,
    )


def _decode_ignore(doc: str, value: Any) -> Ignore:
    line, column, marker, kinds, until = _items(value, 5)
    return Ignore(
        doc,
        _int(line),
        _int(column),
        _str(marker),
        tuple(_enum(Kind, kind) for kind in _items(kinds)),
        _int(until),
    )


def _ignored(value: Any, markers: tuple[Ignore, ...]) -> tuple[Ignore, ...]:
    """The markers at these indexes (see `encode_scan`)."""
    if value == []:
        return ()  # most references, blocks and calls: a marker covers none of them
    indexes = [_int(index) for index in _items(value)]
    if not all(0 <= index < len(markers) for index in indexes):
        raise BadEntry(f"no ignore marker at {_short(indexes)}")
    return tuple(markers[index] for index in indexes)


def _decode_references(doc: str, values: Sequence[Any], markers: tuple[Ignore, ...]) -> tuple[Reference, ...]:
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # a member list's items share one tuple of its names
    return tuple(_decode_reference(doc, value, shared, markers) for value in values)


def _decode_reference(
    doc: str, value: Any, shared: dict[tuple[str, ...], tuple[str, ...]], markers: tuple[Ignore, ...]
) -> Reference:
    line, column, name, how, style, text, context, path, lines, siblings, ignored = _items(value, 11)
    names = () if siblings == [] else tuple(_str(sibling) for sibling in _items(siblings))
    return Reference(
        doc, _int(line), _int(column), _str(name), _enum(How, how), _enum(Style, style), _str(text),
        _optional_str(context), _optional_str(path), _decode_lines(lines) if lines is not None else None,
        None, shared.setdefault(names, names), () if ignored == [] else _ignored(ignored, markers),
    )  # fmt: skip


def _decode_include(value: Any) -> Include:
    line, column, path = _items(value, 3)
    return Include(_int(line), _int(column), _str(path))


def _decode_lines(value: Any) -> tuple[int, int]:
    first, last = _items(value, 2)
    return _int(first), _int(last)


def _decode_diagnostic(doc: str, value: Any) -> Diagnostic:
    line, message = _items(value, 2)
    return Diagnostic(doc, _int(line), _str(message))


def _decode_block(doc: str, value: Any, markers: tuple[Ignore, ...]) -> CodeBlock:
    style, language, code, origin, ignored = _items(value, 5)
    return CodeBlock(
        doc,
        _enum(Style, style),
        _str(language),
        _str(code),
        tuple(_decode_code_line(o) for o in _items(origin)),
        _ignored(ignored, markers),
    )


def _decode_code_line(value: Any) -> CodeLine:
    line, column = _items(value, 2)
    return CodeLine(_int(line), _int(column))


def _decode_call(doc: str, value: Any, markers: tuple[Ignore, ...]) -> Call:
    line, column, name, positional, keywords, star_args, star_kwargs, bound, ignored = _items(value, 9)
    return Call(
        doc, _int(line), _int(column), _str(name), _int(positional), tuple(_str(k) for k in _items(keywords)),
        _bool(star_args), _bool(star_kwargs), _bool(bound), _ignored(ignored, markers),
    )  # fmt: skip
