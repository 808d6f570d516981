"""A table's short names: the last part of each qualified name -> the qualified names ending in it, in path order.

Indexed on first use (many checks never ask), over a million names at 50,000 modules (1.1 s); a table patched from
an earlier one (`table_patch`) patches the earlier index instead, when that one was built.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain

from docsync.symbols.layout import ModuleFile


class ShortNames(Mapping[str, tuple[str, ...]]):
    """Last name part -> the qualified names ending in it, indexed on first use (many checks never ask)."""

    def __init__(self, names_by_path: Mapping[str, tuple[str, ...]], patch: ShortNamesPatch | None = None) -> None:
        self._names_by_path = names_by_path  # in path order: a name defined twice is listed where first seen
        self._index: dict[str, tuple[str, ...]] | None = None
        self._patch = patch

    def _built(self) -> dict[str, tuple[str, ...]]:
        if self._index is None and self._patch is not None and self._patch.earlier._index is not None:
            self._index = self._patch.applied(self._patch.earlier._index, self._names_by_path)
        if self._index is None:
            grouped: dict[str, list[str]] = {}
            for qualname in dict.fromkeys(chain.from_iterable(self._names_by_path.values())):
                grouped.setdefault(qualname.rpartition(".")[2], []).append(qualname)
            self._index = {name: tuple(names) for name, names in grouped.items()}
        self._patch = None
        return self._index

    @property
    def patch_pending(self) -> bool:
        """Made from an earlier index not built yet: a table patched from this one starts its own (a walk of
        patched tables would otherwise keep every earlier table's names alive, one patch holding the next)."""
        return self._patch is not None

    def __getitem__(self, name: str) -> tuple[str, ...]:
        return self._built()[name]

    def __contains__(self, name: object) -> bool:
        return name in self._built()

    def __iter__(self) -> Iterator[str]:
        return iter(self._built())

    def __len__(self) -> int:
        return len(self._built())


@dataclass(frozen=True, slots=True)
class ShortNamesPatch:
    """How a patched table's short names differ from those of the table it was patched from (`table_patch`: no
    name is defined in two files)."""

    earlier: ShortNames
    earlier_names: Mapping[str, tuple[str, ...]]  # the earlier table's names by path
    changed: tuple[str, ...]  # the paths whose names were taken out and put in
    where: Mapping[str, ModuleFile]  # the patched table's

    def applied(
        self, index: dict[str, tuple[str, ...]], names: Mapping[str, tuple[str, ...]]
    ) -> dict[str, tuple[str, ...]]:
        gone = {qualname for path in self.changed for qualname in self.earlier_names.get(path, ())}
        new: dict[str, list[str]] = {}
        for qualname in (qualname for path in self.changed for qualname in names.get(path, ())):
            new.setdefault(qualname.rpartition(".")[2], []).append(qualname)
        patched = dict(index)
        position = self._position(names)
        for short in {qualname.rpartition(".")[2] for qualname in gone} | new.keys():
            owners = [qualname for qualname in index.get(short, ()) if qualname not in gone]  # in path order
            for qualname in new.get(short, ()):  # `logger` has 50,000 owners: a binary search, not a sort
                bisect.insort(owners, qualname, key=position)
            if owners:
                patched[short] = tuple(owners)
            else:
                patched.pop(short, None)
        return patched

    def _position(self, names: Mapping[str, tuple[str, ...]]) -> Callable[[str], tuple[str, int]]:
        def position(qualname: str) -> tuple[str, int]:
            path = self.where[qualname].path
            return path, names[path].index(qualname)

        return position
