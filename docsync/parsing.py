"""Parsing file versions on all cores into the cache, a batch at a time (a cold run's largest step)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TextIO

from docsync.cache import Cache
from docsync.codec import encode_module, encode_outline
from docsync.diagnostics import Diagnostics
from docsync.gitrepo import FileEntry
from docsync.models import Diagnostic
from docsync.parallel import parallel_batches
from docsync.snapshots import MAX_FILE_BYTES, TOO_LARGE
from docsync.symbols.extract import ModuleSymbols, extract_module
from docsync.symbols.table import outline_of

# Bump when what extract produces changes; the interpreter is part of the key because
# what parses (and how `ast.unparse` spells a default) depends on the Python version.
SYMBOLS_NAMESPACE = f"symbols/23/py{sys.version_info[0]}{sys.version_info[1]}"
OUTLINES_NAMESPACE = f"outlines/13/py{sys.version_info[0]}{sys.version_info[1]}"
_PARSE_BATCH = 5000  # files read and parsed at a time: a cold run holds one batch, at any repository size


def parse_versions(
    wanted: Mapping[str, str],
    read: Callable[[FileEntry], bytes],
    cache: Cache,
    diagnostics: Diagnostics,
    progress_stream: TextIO | None,
    with_outline: bool = False,
    keep_modules: bool = True,
) -> dict[str, tuple[Any, Any]]:
    """Parse these file versions (blob id -> path) on all cores and cache what they give: blob id -> (encoded
    symbols, or None unless `keep_modules`; encoded outline, when asked for). Read and parsed in batches, so
    that a cold run holds one batch's sources and symbols at a time (50,000 files: 315 MB of sources)."""
    results: dict[str, tuple[Any, Any]] = {}
    blobs, order = list(wanted), list[str]()

    def batches() -> Iterator[list[bytes]]:
        for start in range(0, len(blobs), _PARSE_BATCH):
            # Sizes are known only once read (trees are listed without them): a huge generated file costs a read.
            sources = {blob: read(FileEntry(blob)) for blob in blobs[start : start + _PARSE_BATCH]}
            for blob in [blob for blob, data in sources.items() if len(data) > MAX_FILE_BYTES]:
                diagnostics.warn(Diagnostic(wanted[blob], 0, TOO_LARGE))
                empty = ModuleSymbols(symbols=())
                results[blob] = (encode_module(empty), encode_outline(outline_of(empty)))
                _put_parsed(cache, blob, results[blob], with_outline)
                del sources[blob]
            order.extend(sources)
            yield list(sources.values())

    worker = _extract_with_outline if with_outline else _extract_alone
    parsed = parallel_batches(worker, batches(), len(blobs), "parsing Python files", progress_stream)
    for index, (module, outline) in enumerate(parsed):
        _put_parsed(cache, order[index], (module, outline), with_outline)
        results[order[index]] = (module if keep_modules else None, outline)
    return results


def _put_parsed(cache: Cache, blob: str, parsed: tuple[Any, Any], with_outline: bool) -> None:
    cache.put_many(SYMBOLS_NAMESPACE, {blob: parsed[0]})
    if with_outline:
        cache.put_many(OUTLINES_NAMESPACE, {blob: parsed[1]})


def _extract_alone(source: bytes) -> tuple[list[Any], None]:
    return encode_module(extract_module(source)), None


def _extract_with_outline(source: bytes) -> tuple[list[Any], list[Any]]:
    module = extract_module(source)
    return encode_module(module), encode_outline(outline_of(module))
