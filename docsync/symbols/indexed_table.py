"""A table read one lookup at a time from what the cache already holds, and a few rows of its own (issue 18).

At 50,000 modules a table holds a million names: decoding the pieces and assembling them took 3 s of every
`check --staged`, which then looked up a few hundred of them for the one doc an edit touched. Most of a table is
already in the cache file by file: each file version's outline (its names, kinds, public flags). What only the whole
table knows is kept as rows (`rows_of`): its re-exports, its short names, the names two files define, the names a
re-export makes public. `indexed_table` makes a `SymbolTable` that answers from the tree's listing (which file is which
module), the outlines of the files a lookup needs, and those rows, each read when first asked for and kept for the run.
A name is found from its dotted prefixes: `shop.cart.Cart.add` is in the module `shop.cart.Cart`, `shop.cart`, `shop`,
or nowhere.

Walking a whole mapping (a report's coverage, a check of every doc) reads every file's outline: correct, but slower
than the table in memory, so the callers that do that build the table instead. Pure: the rows come through `Fetch`,
the outlines through `PieceOf`.
"""

from __future__ import annotations

import heapq
import zlib
from collections.abc import Callable, Iterator, Mapping, Set
from typing import Any, TypeVar

from docsync.models import Diagnostic, SymbolKind
from docsync.symbols.layout import ModuleFile
from docsync.symbols.overlay import Overlay
from docsync.symbols.table import Details, SymbolTable, TablePiece, symbols_of, winning_files

Fetch = Callable[[list[str]], dict[str, Any]]  # row keys -> the rows found
Scan = Callable[[str], dict[str, Any]]  # a key prefix -> every row under it
PieceOf = Callable[[ModuleFile], TablePiece]  # a module file -> its outline as that module
# The head row sorts after every other (`table_store`: the cache evicts it before any row of its table).
HEAD, TWICE, ALIAS, SHORT, IMPORTERS = "~h", "d:", "a:", "s:", "i:"
KINDS = tuple(SymbolKind)
_PER_BUCKET = 16
_V = TypeVar("_V")
Found = tuple[ModuleFile, SymbolKind, bool]  # where a name is defined, its kind, whether it is public


def buckets(count: int) -> int:
    return max(1, count // _PER_BUCKET)


def bucket(name: str, buckets: int) -> int:
    return zlib.crc32(name.encode("utf-8", "surrogatepass")) % buckets


def indexed_table(
    head: Mapping[str, Any],
    files: Mapping[str, ModuleFile],
    fetch: Fetch,
    scan: Scan,
    piece_of: PieceOf,
    details: Details,
    overlay: Overlay | None = None,
    rows_id: str = "",
) -> SymbolTable:
    """The table of the module files `files` (path -> file, every module file of the tree) whose rows `fetch`
    reads (`head`: its head row), with `overlay` over them (the tree is a few files from theirs: `table_delta`).
    `rows_id` names the rows (tables read over the same rows differ only where their overlays say). Raises KeyError,
    TypeError or ValueError for rows of another layout or tree."""
    overlay = overlay or Overlay()
    head = {**head, **overlay.head}
    winners = winning_files(files[path] for path in sorted(files))
    if len(winners) != head["winners"]:
        raise ValueError("the rows are of another tree")
    reexported = _changed(frozenset(head["reexported"]), overlay.reexported)
    names = _Names(
        winners,
        _Rows(fetch, scan, head["buckets"], overlay.rows),
        piece_of,
        tuple(SymbolKind(value) for value in head["kinds"]),
        reexported,
        int(head["names"]),
        overlay,
    )
    public = _Public(names)
    return SymbolTable(
        symbols=symbols_of(_NameMapping(names, lambda found: found[0]), public, details),
        aliases=_RowMapping(names.rows, ALIAS, lambda _, row: str(row), int(head["aliases"])),
        modules=_Modules(files),
        by_short_name=_ShortNames(names, int(head["shorts"])),
        top_level=frozenset(head["top"]),
        diagnostics=tuple(Diagnostic(str(p), int(line), str(message)) for p, line, message in head["diagnostics"]),
        dynamic_names={module: frozenset(found) for module, found in head["dynamic"].items()},
        aliased={module: frozenset(found) for module, found in head["aliased"].items()},
        kinds=_NameMapping(names, lambda found: found[1]),
        public=public,
        foreign={str(name): str(target) for name, target in head["foreign"].items()},
        _files=names.by_path,
        _names_by_path=_NamesByPath(names),
        _reexported=reexported,
        _kept=KeptRows(head, names, rows_id) if isinstance(head.get("delta_base"), dict) else None,
    )


def aliases_that_may_differ(base: SymbolTable, head: SymbolTable) -> frozenset[str] | None:
    """The imported names whose re-export may differ between two tables read over the same rows: those their
    overlays give (elsewhere both read the same rows). None when they are not read over the same rows."""
    kept = (base._kept, head._kept)
    if kept[0] is None or kept[1] is None or not kept[0].rows_id or kept[0].rows_id != kept[1].rows_id:
        return None
    return frozenset(kept[0].overlay.rows.get(ALIAS, {})) | frozenset(kept[1].overlay.rows.get(ALIAS, {}))


def aliases_to(table: SymbolTable, target: str) -> list[str]:
    """The imported names that lead to `target`: on a table read from rows, found backwards through who imports
    what (walking every re-export read every row of them, for each name a check asked about); else from its
    re-exports."""
    kept = table._kept
    if kept is None:
        return [alias for alias, found in table.aliases.items() if found == target]
    found, waiting, seen = [], [target], {target}
    while waiting:
        for alias in kept.importers(waiting.pop()):
            if alias not in seen:
                seen.add(alias)
                waiting.append(alias)
                if table.aliases.get(alias) == target:
                    found.append(alias)
    return found


def _changed(names: frozenset[str], changes: Mapping[str, bool]) -> frozenset[str]:
    if not changes:
        return names
    return (names - {name for name, kept in changes.items() if not kept}) | {n for n, kept in changes.items() if kept}


class _Rows:
    """The rows of one table by bucket, fetched when first asked for and kept for the run, under an overlay's."""

    def __init__(
        self, fetch: Fetch, scan: Scan, buckets: Mapping[str, int], over: Mapping[str, Mapping[str, Any]]
    ) -> None:
        self._fetch, self._scan, self._buckets = fetch, scan, {tag: int(count) for tag, count in buckets.items()}
        self._over = over
        self._values: dict[tuple[str, str], Any] = {}
        self._known: dict[str, dict[str, Any]] = {}
        self._every: dict[str, dict[str, Any]] = {}

    def value(self, tag: str, name: str) -> Any:
        """The value of `name` in the rows of `tag` (None: it has none), the overlay's where it has one. Kept: a
        check asks the same prefixes (`shop.cart` of every `shop.cart.*`) tens of thousands of times."""
        key = (tag, name)
        if key in self._values:
            return self._values[key]
        over = self._over.get(tag)
        found = self._values[key] = over[name] if over and name in over else self.root_value(tag, name)
        return found

    def root_value(self, tag: str, name: str) -> Any:
        """The value of `name` in the whole table's rows of `tag` (None: it has none)."""
        key = f"{tag}{bucket(name, self._buckets[tag])}"
        row = self._known.get(key)
        if row is None:
            found = self._fetch([key]).get(key)
            row = self._known[key] = found if isinstance(found, dict) else {}
        return row.get(name)

    def every(self, tag: str) -> dict[str, Any]:
        """Every value of `tag`, by name in name order."""
        found = self._every.get(tag)
        if found is None:
            merged = {name: value for row in self._scan(tag).values() for name, value in row.items()}
            merged.update(self._over.get(tag, {}))
            found = self._every[tag] = dict(sorted((k, v) for k, v in merged.items() if v is not None))
        return found


class KeptRows:
    """What a table read from rows knows beyond its lookups, for the table of a tree a few files away
    (`table_delta`): its head row, its overlay over the whole table, who imports a name, which names two files
    define, the names public modules re-export."""

    def __init__(self, head: Mapping[str, Any], names: _Names, rows_id: str) -> None:
        self.head, self.overlay, self._rows, self.owner_paths = head, names.overlay, names.rows, names.owner_paths
        self.rows_id = rows_id
        base = head["delta_base"]
        self.targets = _changed(frozenset(base["targets"]), names.overlay.targets)
        self.stars = frozenset(base["stars"])
        self._twice = int(base["twice"])

    def importers(self, target: str) -> list[str]:
        """The names that import `target` directly (before following chains)."""
        found = self._rows.value(IMPORTERS, target)
        return str(found).split(" ") if found else []

    def twice(self, qualname: str) -> bool:
        """Whether two files define `qualname` (which one wins then depends on the order of files)."""
        return self._twice > 0 and self._rows.value(TWICE, qualname) is not None


class _Names:
    """Qualified name -> where it is defined, its kind and publicity, from the outlines of the modules it may be in."""

    def __init__(
        self,
        winners: Mapping[str, ModuleFile],
        rows: _Rows,
        piece_of: PieceOf,
        kinds: tuple[SymbolKind, ...],
        reexported: frozenset[str],
        count: int,
        overlay: Overlay,
    ) -> None:
        self.winners, self.rows, self._piece_of, self._kinds = winners, rows, piece_of, kinds
        self.by_path = {module_file.path: module_file for module_file in winners.values()}
        self._reexported, self.count, self.overlay = reexported, count, overlay
        self._found: dict[str, Found | None] = {}
        self._locals: dict[str, tuple[TablePiece, dict[str, int]]] = {}  # module -> its piece, local name positions
        self._in_path_order: list[ModuleFile] | None = None
        self._whole_tables_files: list[ModuleFile] | None = None
        self._owners: dict[str, list[tuple[str, str]]] = {}

    def find(self, qualname: str) -> Found | None:
        if qualname in self._found:
            return self._found[qualname]
        found = None
        twice = self.rows.value(TWICE, qualname)
        if twice is not None:
            path, kind, public = twice
            found = (self.by_path[path], self._kinds[kind], bool(public))
        parts = qualname.split(".")
        for end in range(len(parts), 0, -1) if found is None else ():
            module_file = self.winners.get(".".join(parts[:end]))
            if module_file is None:
                continue
            piece, positions = self.piece(module_file)
            position = positions.get(".".join(parts[end:]))
            if position is not None:
                public = piece.public[position] or qualname in self._reexported
                found = (module_file, piece.kinds[position], public)
                break
        self._found[qualname] = found
        return found

    def piece(self, module_file: ModuleFile) -> tuple[TablePiece, dict[str, int]]:
        known = self._locals.get(module_file.module)
        if known is None:
            piece = self._piece_of(module_file)
            known = self._locals[module_file.module] = (piece, {name: i for i, name in enumerate(piece.names)})
        return known

    def qualnames(self, module_file: ModuleFile) -> tuple[str, ...]:
        module = module_file.module
        return tuple(f"{module}.{name}" if name else module for name in self.piece(module_file)[0].names)

    def in_path_order(self) -> list[ModuleFile]:
        if self._in_path_order is None:
            self._in_path_order = sorted(self.winners.values(), key=lambda module_file: module_file.path)
        return self._in_path_order

    def owners(self, short: str) -> list[tuple[str, str]]:
        """A short name's owners, each with its file's path, in path order (then in the order of their file).

        A whole table's row of them is space-separated, each its file's position among the table's files and what
        its local name has before the short name (`12`: `<module 12>.short`, `12:`: the module itself, `12:Cart`:
        `<module 12>.Cart.short`): a string, not lists (lists of lists took a second more to write). An overlay
        drops the owners in the files it changed and adds theirs now: `[[path, ...], [[path, qualname], ...]]`."""
        known = self._owners.get(short)
        if known is None:
            known = self._owners[short] = self._owners_of(short)
        return known

    def _owners_of(self, short: str) -> list[tuple[str, str]]:
        row = self.rows.root_value(SHORT, short)
        owners = []
        if row:
            files = self.whole_tables_files()
            for owner in str(row).split(" "):
                index, colon, before = owner.partition(":")
                module_file = files[int(index)]
                module = module_file.module
                qualname = f"{module}.{before}.{short}" if before else module if colon else f"{module}.{short}"
                owners.append((module_file.path, qualname))
        changed = self.overlay.rows.get(SHORT, {}).get(short)
        if changed is None:
            return owners
        dropped = frozenset(changed[0])
        added = [(str(path), str(qualname)) for path, qualname in changed[1]]
        return list(heapq.merge((o for o in owners if o[0] not in dropped), added, key=lambda owner: owner[0]))

    def owner_paths(self, short: str) -> Iterator[str]:
        """The paths of the files a short name's owners are in, one per owner, without making their names (a common
        short name has thousands: `table_delta` asks only whether any is outside the files it changed)."""
        known = self._owners.get(short)
        if known is not None:
            yield from (path for path, _ in known)
            return
        changed = self.overlay.rows.get(SHORT, {}).get(short)
        dropped = frozenset(changed[0]) if changed else frozenset()
        row = self.rows.root_value(SHORT, short)
        if row:
            files = self.whole_tables_files()
            paths = (files[int(owner.partition(":")[0])].path for owner in str(row).split(" "))
            yield from (path for path in paths if path not in dropped)
        yield from (str(path) for path, _ in changed[1]) if changed else ()

    def whole_tables_files(self) -> list[ModuleFile]:
        """The winning module files of the whole table the rows are of, in path order (an overlay's files differ)."""
        overlay = self.overlay
        if not overlay.added and not overlay.removed:
            return self.in_path_order()
        if self._whole_tables_files is None:
            kept = [f for f in self.winners.values() if f.path not in overlay.added]
            self._whole_tables_files = sorted([*kept, *overlay.removed], key=lambda module_file: module_file.path)
        return self._whole_tables_files

    def every(self) -> Iterator[str]:
        """Every name, each once, in the order of the files defining them."""
        seen: set[str] = set()
        for module_file in self.in_path_order():
            for qualname in self.qualnames(module_file):
                if qualname not in seen:
                    seen.add(qualname)
                    yield qualname


class _NameMapping(Mapping[str, _V]):
    """Qualified name -> one field of what `_Names` finds (its file, or its kind)."""

    def __init__(self, names: _Names, field: Callable[[Found], _V]) -> None:
        self._names, self._field = names, field

    def __getitem__(self, qualname: str) -> _V:
        found = self._names.find(qualname)
        if found is None:
            raise KeyError(qualname)
        return self._field(found)

    def __contains__(self, qualname: object) -> bool:
        return isinstance(qualname, str) and self._names.find(qualname) is not None

    def get(self, qualname: str, default: Any = None) -> Any:  # no KeyError raised and caught: a lookup's hot path
        found = self._names.find(qualname) if isinstance(qualname, str) else None
        return default if found is None else self._field(found)

    def __iter__(self) -> Iterator[str]:
        return self._names.every()

    def __len__(self) -> int:
        return self._names.count


class _Public(Set[str]):
    def __init__(self, names: _Names) -> None:
        self._names = names

    def __contains__(self, qualname: object) -> bool:
        found = self._names.find(qualname) if isinstance(qualname, str) else None
        return found is not None and found[2]

    def __iter__(self) -> Iterator[str]:
        return (qualname for qualname in self._names.every() if qualname in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _ShortNames(Mapping[str, tuple[str, ...]]):
    """Short name -> the qualified names that end with it (see `_Names.owners`)."""

    def __init__(self, names: _Names, count: int) -> None:
        self._names, self._count = names, count
        self._changed = names.overlay.rows.get(SHORT, {})

    def __getitem__(self, short: str) -> tuple[str, ...]:
        owners = tuple(qualname for _, qualname in self._names.owners(short))
        if not owners:
            raise KeyError(short)
        return owners

    def __contains__(self, short: object) -> bool:
        return isinstance(short, str) and bool(self._names.owners(short))

    def __iter__(self) -> Iterator[str]:
        every = self._names.rows.every(SHORT)
        return (short for short in every if short not in self._changed or short in self)

    def __len__(self) -> int:
        return self._count


class _RowMapping(Mapping[str, _V]):
    """A mapping of one kind of row (re-exports, short names), each value made from its key and row."""

    def __init__(self, rows: _Rows, tag: str, value: Callable[[str, Any], _V], count: int) -> None:
        self._rows, self._tag, self._value, self._count = rows, tag, value, count

    def __getitem__(self, key: str) -> _V:
        row = self._rows.value(self._tag, key)
        if row is None:
            raise KeyError(key)
        return self._value(key, row)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._rows.value(self._tag, key) is not None

    def get(self, key: str, default: Any = None) -> Any:  # no KeyError raised and caught: a lookup's hot path
        row = self._rows.value(self._tag, key) if isinstance(key, str) else None
        return default if row is None else self._value(key, row)

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows.every(self._tag))

    def __len__(self) -> int:
        return self._count


class _Modules(Mapping[str, str]):
    """Path -> module, for every module file of the tree (its listing: no row)."""

    def __init__(self, files: Mapping[str, ModuleFile]) -> None:
        self._files = files

    def __getitem__(self, path: str) -> str:
        return self._files[path].module

    def __contains__(self, path: object) -> bool:
        return path in self._files

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._files))

    def __len__(self) -> int:
        return len(self._files)


class _NamesByPath(Mapping[str, tuple[str, ...]]):
    """Path -> the qualified names its module defines (a winning file's, the module's own first)."""

    def __init__(self, names: _Names) -> None:
        self._names = names

    def __getitem__(self, path: str) -> tuple[str, ...]:
        return self._names.qualnames(self._names.by_path[path])

    def __iter__(self) -> Iterator[str]:
        return (module_file.path for module_file in self._names.in_path_order())

    def __len__(self) -> int:
        return len(self._names.by_path)
