"""A table written as the rows `indexed_table` reads it back from (issue 18)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from itertools import chain
from typing import Any

from docsync.symbols.indexed_table import ALIAS, HEAD, IMPORTERS, KINDS, SHORT, TWICE, bucket, buckets
from docsync.symbols.layout import ModuleFile
from docsync.symbols.table import SymbolTable


def rows_of(table: SymbolTable) -> dict[str, Any]:
    """The rows `indexed_table` reads `table` back with (JSON values): its re-exports, short names and names defined
    twice, in buckets of about `_PER_BUCKET` (a row each would be 100,000 rows to write at 50,000 modules). A short
    name's owners are written as the position of their file among the winning files in path order, with their local
    name's start where it is more than the short name (a million qualified names took seconds to write)."""
    files, names_by_path, kinds = table._files, table._names_by_path, table.kinds
    twice = sum(map(len, names_by_path.values())) != len(kinds)
    owners = _owners(files, names_by_path, twice)
    public = table.public
    imports = table._imports
    importers: dict[str, list[str]] = {}
    for alias, target in imports.raw.items() if imports is not None else ():
        importers.setdefault(target, []).append(alias)
    by_tag: dict[str, dict[str, Any]] = {
        ALIAS: dict(table.aliases),
        SHORT: owners,
        TWICE: {  # the order of files decided: keep the table's answer
            qualname: [table.symbols[qualname].path, KINDS.index(kinds[qualname]), int(qualname in public)]
            for qualname, count in Counter(chain.from_iterable(names_by_path.values())).items()
            if count > 1
        }
        if twice
        else {},
        IMPORTERS: {target: " ".join(aliases) for target, aliases in importers.items()},
    }
    rows: dict[str, Any] = {}
    for tag, values in by_tag.items():
        count = buckets(len(values))
        rows.update((f"{tag}{number}", {}) for number in range(count))  # each is written: one missing is a loss
        for name, value in values.items():
            rows[f"{tag}{bucket(name, count)}"][name] = value
    rows[HEAD] = {
        "kinds": [kind.value for kind in KINDS],
        "buckets": {tag: buckets(len(values)) for tag, values in by_tag.items()},
        "winners": len(files),
        "names": len(kinds),
        "aliases": len(table.aliases),
        "shorts": len(owners),
        "reexported": sorted(table._reexported),
        "diagnostics": [[d.path, d.line, d.message] for d in table.diagnostics],
        "dynamic": {module: sorted(names) for module, names in table.dynamic_names.items()},
        "aliased": {module: sorted(names) for module, names in table.aliased.items()},
        "top": sorted(table.top_level),
        "foreign": dict(table.foreign),
    }
    if imports is not None:  # what a table a few files away is made from (`table_delta`)
        rows[HEAD]["delta_base"] = {
            "twice": len(by_tag[TWICE]),
            "targets": sorted(imports.reexport_targets),
            "stars": sorted(imports.star_modules),
        }
    return rows


def _owners(
    files: Mapping[str, ModuleFile], names_by_path: Mapping[str, tuple[str, ...]], twice: bool
) -> dict[str, str]:
    """Short name -> its owners as `_Names.owners` reads them, in the order of `ShortNames`: files, then names."""
    owners: dict[str, list[str]] = {}
    seen: set[str] = set()
    for index, path in enumerate(sorted(files)):
        module = files[path].module
        start, plain = len(module) + 1, str(index)
        for qualname in names_by_path[path]:  # a million names: kept to a few operations each
            if twice:  # a name two files define is listed once, at the first
                if qualname in seen:
                    continue
                seen.add(qualname)
            before, _, short = qualname.rpartition(".")
            if len(before) >= start:  # `module.Cart.short` (see `_Names.owners`)
                token = f"{plain}:{before[start:]}"
            else:  # `module.short`, or the module itself
                token = plain if qualname != module else plain + ":"
            group = owners.get(short)
            if group is None:
                owners[short] = [token]
            else:
                group.append(token)
    return {short: " ".join(tokens) for short, tokens in owners.items()}
