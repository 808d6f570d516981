"""How a table differs from a whole table kept as rows: the few names a change of a few files moved (issue 18).

A pull request's head, or the next commit a check starts from, is a few files away from a table the cache keeps as
rows (`indexed_table`). Writing the head's own rows meant assembling both 50,000-module tables first (6 s and 1 GB);
instead the head is read over the kept table's rows with this overlay (`table_delta` works it out): the files added
and removed since that table (short names give their owners as positions among its files), and the entries of each
kind of row that differ, `None` where one is gone. An overlay is always over a whole table: the overlay of a tree a
few files from an overlaid one is the two merged. JSON both ways (it is kept as the head row of the table).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from docsync.symbols.layout import ModuleFile, module_file_of


@dataclass(frozen=True, slots=True)
class Overlay:
    """A table's differences from the whole table under it. `rows`: by row tag (`indexed_table`), name -> its
    value (None: it has none now); `head`: the head row's fields that differ; `reexported`/`targets`: names added
    to (True) or dropped from (False) the re-exported names and the names public modules re-export."""

    added: frozenset[str] = frozenset()  # paths of winning module files the whole table does not have
    removed: tuple[ModuleFile, ...] = ()  # the whole table's winning module files this tree does not have
    rows: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    head: Mapping[str, Any] = field(default_factory=dict)
    reexported: Mapping[str, bool] = field(default_factory=dict)
    targets: Mapping[str, bool] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """How many entries it holds: past a bound, a whole table is quicker to read than the overlay."""
        entries = sum(map(len, self.rows.values())) + len(self.reexported) + len(self.targets)
        return entries + len(self.added) + len(self.removed)

    def then(self, later: Overlay) -> Overlay:
        """This overlay followed by `later` (the overlay of a tree over this one's, both over the same table), as one
        overlay over that table; `later.added`/`removed` are already counted from the whole table."""
        rows = {tag: {**self.rows.get(tag, {}), **later.rows.get(tag, {})} for tag in {*self.rows, *later.rows}}
        return Overlay(
            later.added,
            later.removed,
            rows,
            {**self.head, **later.head},
            {**self.reexported, **later.reexported},
            {**self.targets, **later.targets},
        )


def encode_overlay(overlay: Overlay) -> dict[str, Any]:
    return {
        "added": sorted(overlay.added),
        "removed": [[f.path, f.module] for f in overlay.removed],
        "rows": {tag: dict(values) for tag, values in overlay.rows.items()},
        "head": dict(overlay.head),
        "reexported": dict(overlay.reexported),
        "targets": dict(overlay.targets),
    }


def decode_overlay(value: Mapping[str, Any]) -> Overlay:
    """The overlay `encode_overlay` wrote; KeyError, TypeError or ValueError for anything else."""
    rows = value["rows"]
    if not isinstance(rows, dict) or not all(isinstance(values, dict) for values in rows.values()):
        raise TypeError("overlay rows")
    return Overlay(
        frozenset(str(path) for path in value["added"]),
        tuple(module_file_of(str(path), str(module)) for path, module in value["removed"]),
        rows,
        dict(value["head"]),
        {str(name): bool(flag) for name, flag in value["reexported"].items()},
        {str(name): bool(flag) for name, flag in value["targets"].items()},
    )
