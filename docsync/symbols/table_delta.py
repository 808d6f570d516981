"""The table of a tree a few files from one kept as rows, worked out as an overlay over those rows (issue 18).

A change that renames, adds or removes names (a pull request's head, the next commit a check starts from) made
docsync assemble both 50,000-module tables (6 s, 1 GB) to learn what a few files changed. Each kind of row can be
followed from the names the changed files had and have: a name exists if its module's outline has it; a re-export
(`from .cart import add`) is re-resolved for every imported name whose chain reaches a changed name, found backwards
through the rows of who imports what; the names public modules re-export, and the names that makes public, for the
targets of those; short names and the head row's fields for the changed files. What the rows cannot follow name by
name gives no overlay (None) and the caller assembles the table: a module two files define, star imports and
attributes set on other modules, deprecation helpers, a new top-level package, re-exported modules, or more than a
few percent of the files.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from docsync.models import SymbolKind
from docsync.symbols.aliases import made_public, reexports, resolved_target
from docsync.symbols.indexed_table import ALIAS, IMPORTERS, SHORT, KeptRows, PieceOf
from docsync.symbols.layout import ModuleFile
from docsync.symbols.overlay import Overlay
from docsync.symbols.table import SymbolTable, TablePiece, piece_diagnostic, winning_files

_MOST_FILES = 0.05  # of the modules changed, past which assembling the table is as quick
_FEW_FILES = 50  # changed modules always followed (a small project's table is quick either way)
_MOST_NAMES = 20_000  # imported names re-resolved, or overlay entries, past which assembling is quicker
Changed = Mapping[str, tuple[TablePiece | None, TablePiece | None]]  # path -> its piece before and after
BEFORE, AFTER = 0, 1


class _Unfollowed(Exception):
    """The change touches what the rows cannot follow name by name: the table is assembled instead."""


def table_overlay(
    base: SymbolTable, files: Mapping[str, ModuleFile], changed: Changed, piece_of: PieceOf
) -> Overlay | None:
    """The overlay that makes `base` (read from rows) the table of the module files `files`, where `changed` gives
    the pieces that differ (path -> before, after; None: not a module on that side) and `piece_of` any other file's
    piece; None when the rows cannot follow the change (the caller assembles the table)."""
    if base._kept is None or not changed:
        return None
    try:
        return _Delta(base, base._kept, files, changed, piece_of).overlay()
    except _Unfollowed:
        return None


class _Delta:
    """One change's overlay: each side's names read from the pieces (the changed files' before and after, every
    other file's own), raising `_Unfollowed` where the rows cannot follow it."""

    def __init__(
        self, base: SymbolTable, kept: KeptRows, files: Mapping[str, ModuleFile], changed: Changed, piece_of: PieceOf
    ) -> None:
        self.base, self.kept, self.changed, self._piece_of = base, kept, changed, piece_of
        self.winners = winning_files(files[path] for path in sorted(files))
        if len(changed) > max(_MOST_FILES * len(self.winners), _FEW_FILES):
            raise _Unfollowed
        self.pieces: tuple[dict[str, TablePiece], dict[str, TablePiece]] = ({}, {})
        for side in (BEFORE, AFTER):
            for sides in changed.values():
                piece = sides[side]
                if piece is not None:
                    self.pieces[side][piece.file.module] = piece
        self.modules = frozenset(self.pieces[BEFORE]) | frozenset(self.pieces[AFTER])
        self._alone(files)
        if frozenset(module.partition(".")[0] for module in self.winners) != base.top_level:
            raise _Unfollowed  # a new top-level package: what is "ours" changes for every import
        for piece in (*self.pieces[BEFORE].values(), *self.pieces[AFTER].values()):
            if piece.stars or piece.attributes_set or piece.aliased or piece.file.module in kept.stars:
                raise _Unfollowed
        self.ours = base.top_level
        self._names: dict[tuple[str, int], dict[str, int] | None] = {}
        self._imports: dict[tuple[str, int], dict[str, str]] = {}
        self._resolved: dict[tuple[str, int], str | None] = {}
        self._now: dict[str, str | None] = {}  # imported name -> what it imports now, where that changed

    def _alone(self, files: Mapping[str, ModuleFile]) -> None:
        """Each changed module is made by one file on both sides: else which file wins may change."""
        counts = (Counter(self.base.modules.values()), Counter(f.module for f in files.values()))
        for side in (BEFORE, AFTER):
            if any(counts[side][module] > 1 for module in self.pieces[side]):
                raise _Unfollowed

    # -- one side's names, read from pieces ----------------------------------------------------------

    def piece(self, module: str, side: int) -> TablePiece | None:
        if module in self.modules:
            return self.pieces[side].get(module)
        module_file = self.winners.get(module)
        return self._piece_of(module_file) if module_file is not None else None

    def local_names(self, module: str, side: int) -> dict[str, int] | None:
        key = (module, side)
        if key not in self._names:
            piece = self.piece(module, side)
            self._names[key] = {name: i for i, name in enumerate(piece.names)} if piece is not None else None
        return self._names[key]

    def found(self, qualname: str, side: int) -> tuple[TablePiece, int] | None:
        """The piece defining `qualname` on one side and its position there (by the longest module prefix)."""
        parts = qualname.split(".")
        for end in range(len(parts), 0, -1):
            module = ".".join(parts[:end])
            names = self.local_names(module, side)
            position = names.get(".".join(parts[end:])) if names is not None else None
            if position is not None:
                piece = self.piece(module, side)
                assert piece is not None
                return piece, position
        return None

    def exists(self, qualname: str, side: int) -> bool:
        return self.found(qualname, side) is not None

    def imports(self, module: str, side: int) -> dict[str, str]:
        key = (module, side)
        if key not in self._imports:
            piece = self.piece(module, side)
            self._imports[key] = dict(piece.imports) if piece is not None else {}
        return self._imports[key]

    def raw(self, alias: str, side: int) -> str | None:
        """What `alias` imports on one side, when that is a name of the project and `alias` no symbol."""
        module = alias.rpartition(".")[0]
        if module in self.kept.stars:
            raise _Unfollowed  # a star import or an attribute set may bind it
        target = self.imports(module, side).get(alias)
        if target is None or target.partition(".")[0] not in self.ours or self.exists(alias, side):
            return None
        return target

    def resolved(self, alias: str, side: int) -> str | None:
        key = (alias, side)
        if key not in self._resolved:
            is_symbol = lambda name: self.exists(name, side)  # noqa: E731
            self._resolved[key] = resolved_target(alias, lambda name: self.raw(name, side), is_symbol)
        return self._resolved[key]

    def qualnames(self, side: int) -> Iterator[str]:
        for module, piece in self.pieces[side].items():
            yield from (f"{module}.{name}" if name else module for name in piece.names)

    # -- the overlay ---------------------------------------------------------------------------------

    def overlay(self) -> Overlay:
        before, after = list(self.qualnames(BEFORE)), list(self.qualnames(AFTER))
        if any(self.kept.twice(qualname) for qualname in before) or any(map(self._defined_twice, after)):
            raise _Unfollowed
        changed_names = frozenset(before) | frozenset(after)
        imported = self._imported_names(changed_names)
        aliases = {alias: self.resolved(alias, AFTER) for alias in imported}
        aliases = {alias: target for alias, target in aliases.items() if target != self.base.aliases.get(alias)}
        importers = self._importers(imported)  # first: `importers_now` answers for the head from it
        targets = self._targets(imported)
        rows: dict[str, dict[str, Any]] = {ALIAS: dict(aliases), IMPORTERS: importers, SHORT: {}}
        head = dict(self.kept.head)
        shorts = self._short_names(changed_names, rows[SHORT])
        head.update(
            names=int(head["names"]) - len(before) + len(after),
            winners=len(self.winners),
            aliases=int(head["aliases"]) + sum((t is not None) - (a in self.base.aliases) for a, t in aliases.items()),
            shorts=int(head["shorts"]) + shorts,
            diagnostics=self._diagnostics(),
            dynamic=self._dynamic(),
            foreign=self._foreign(changed_names),
        )
        reexported = self._reexported(changed_names, targets)
        overlay = self.kept.overlay.then(
            Overlay(*self._files(), rows, {k: head[k] for k in _HEAD_FIELDS}, reexported, targets)
        )
        if overlay.size > _MOST_NAMES:
            raise _Unfollowed
        return overlay

    def _defined_twice(self, qualname: str) -> bool:
        """Whether a module other than the one defining `qualname` now defines it too."""
        found = self.found(qualname, AFTER)
        parts = qualname.split(".")
        for end in range(len(parts), 0, -1):
            module = ".".join(parts[:end])
            names = self.local_names(module, AFTER)
            defines = names is not None and ".".join(parts[end:]) in names
            if defines and found is not None and module != found[0].file.module:
                return True
        return False

    def _imported_names(self, changed_names: frozenset[str]) -> set[str]:
        """Every imported name whose re-export may resolve differently: those the changed modules import, those
        named like a changed name, and those whose chain reaches a changed name or one of these, backwards."""
        found = {alias for side in (BEFORE, AFTER) for p in self.pieces[side].values() for alias, _ in p.imports}
        for name in changed_names:
            module = name.rpartition(".")[0]
            if module not in self.modules and name in self.imports(module, AFTER):
                found.add(name)
        waiting, seen = [*changed_names, *found], {*changed_names, *found}
        while waiting:
            for alias in self.kept.importers(waiting.pop()):
                found.add(alias)
                if alias not in seen:
                    seen.add(alias)
                    waiting.append(alias)
            if len(found) > _MOST_NAMES:
                raise _Unfollowed
        return found

    def _importers(self, imported: Iterable[str]) -> dict[str, str | None]:
        """The rows of who imports what, for the names whose import target changed."""
        moved = {alias: (self.raw(alias, BEFORE), self.raw(alias, AFTER)) for alias in imported}
        moved = {alias: pair for alias, pair in moved.items() if pair[0] != pair[1]}
        self._now = {alias: after for alias, (_, after) in moved.items()}
        rows: dict[str, str | None] = {}
        for target in {t for pair in moved.values() for t in pair if t is not None}:
            rows[target] = " ".join(self.importers_now(target)) or None
        return rows

    def importers_now(self, target: str) -> list[str]:
        kept = [alias for alias in self.kept.importers(target) if alias not in self._now]
        return kept + [alias for alias, now in self._now.items() if now == target]

    def _targets(self, imported: Iterable[str]) -> dict[str, bool]:
        """The names public modules re-export, where that may have changed (True: now re-exported)."""
        candidates = {self.base.aliases.get(alias) for alias in imported} | {self.resolved(a, AFTER) for a in imported}
        changed: dict[str, bool] = {}
        for target in candidates - {None}:
            assert target is not None
            now = self._reexported_now(target)
            if now != (target in self.kept.targets):
                changed[target] = now
        return changed

    def _reexported_now(self, target: str) -> bool:
        found = self.found(target, AFTER)
        if found is None or found[0].public[found[1]]:
            return False  # gone, or public by its own module's rules
        waiting, seen = [target], {target}
        while waiting:  # every imported name whose chain passes through `target`
            for alias in self.importers_now(waiting.pop()):
                if alias in seen:
                    continue
                seen.add(alias)
                waiting.append(alias)
                if self.resolved(alias, AFTER) == target and reexports(
                    alias, self.piece(alias.rpartition(".")[0], AFTER)
                ):
                    return True
            if len(seen) > _MOST_NAMES:
                raise _Unfollowed
        return False

    def _reexported(self, changed_names: frozenset[str], targets: Mapping[str, bool]) -> dict[str, bool]:
        """The names made public by a re-export, where that may have changed (True: now public)."""
        names = set(changed_names)
        modules = sorted(self.winners) if targets else []
        for target in targets:
            at = bisect_left(modules, target + ".")
            if target in self.winners or (at < len(modules) and modules[at].startswith(target + ".")):
                raise _Unfollowed  # a re-exported module: every name under it
            for side in (BEFORE, AFTER):
                names.update(self._names_under(target, side))
        now_targets = lambda owner: targets.get(owner, owner in self.kept.targets)  # noqa: E731
        changed: dict[str, bool] = {}
        for qualname in names:
            if self.kept.twice(qualname):
                raise _Unfollowed
            found = self.found(qualname, AFTER)
            now = (
                found is not None
                and found[0].kinds[found[1]] is not SymbolKind.MODULE
                and not found[0].public[found[1]]
                and made_public(qualname, now_targets)
            )
            if now != (qualname in self.base._reexported):
                changed[qualname] = now
        return changed

    def _names_under(self, target: str, side: int) -> Iterator[str]:
        found = self.found(target, side)
        if found is None:
            return
        piece, position = found
        local, module = piece.names[position], piece.file.module
        for name in piece.names:
            if name == local or name.startswith(local + "."):
                yield f"{module}.{name}"

    def _short_names(self, changed_names: frozenset[str], rows: dict[str, Any]) -> int:
        """Fill the short names' rows of the changed names (their owners in the changed files, taken out and put
        back in); returns how many short names appeared less how many went."""
        paths = {piece.file.path for side in self.pieces for piece in side.values()}
        later: dict[str, list[list[str]]] = {}
        for module, piece in sorted(self.pieces[AFTER].items(), key=lambda item: item[1].file.path):
            for name in piece.names:
                qualname = f"{module}.{name}" if name else module
                later.setdefault(qualname.rpartition(".")[2], []).append([piece.file.path, qualname])
        counted = 0
        for short in {qualname.rpartition(".")[2] for qualname in changed_names}:
            earlier = self.kept.overlay.rows.get(SHORT, {}).get(short)
            dropped = sorted(paths | set(earlier[0]) if earlier else paths)
            added = [owner for owner in (earlier[1] if earlier else ()) if owner[0] not in paths]
            added = sorted([*added, *later.get(short, [])], key=lambda owner: owner[0])
            rows[short] = [dropped, added]
            had = next(self.kept.owner_paths(short), None) is not None
            has = bool(added) or any(path not in paths for path in self.kept.owner_paths(short))
            counted += has - had
        return counted

    def _diagnostics(self) -> list[list[Any]]:
        paths = set(self.changed)
        kept = [d for d in self.base.diagnostics if d.path not in paths]
        new = [piece_diagnostic(p) for p in self.pieces[AFTER].values() if p.error is not None]
        return [[d.path, d.line, d.message] for d in sorted([*kept, *new], key=lambda d: d.path)]

    def _dynamic(self) -> dict[str, list[str]]:
        dynamic = {module: sorted(names) for module, names in self.base.dynamic_names.items()}
        for module in self.modules:
            dynamic.pop(module, None)
        for module, piece in self.pieces[AFTER].items():
            if piece.dynamic_names is not None:
                dynamic[module] = sorted(piece.dynamic_names)
        return dynamic

    def _foreign(self, changed_names: frozenset[str]) -> dict[str, str]:
        """Public names packages import from outside the project (`foreign_names`), for the changed packages and
        the imports named like a changed name."""
        foreign = dict(self.base.foreign)
        for piece in self.pieces[BEFORE].values():
            for alias, _ in piece.imports:
                foreign.pop(alias, None)
        looked_at = [(piece, piece.imports) for piece in self.pieces[AFTER].values()]
        for name in changed_names:
            module = name.rpartition(".")[0]
            importer = self.piece(module, AFTER) if module not in self.modules else None
            if importer is not None and name in self.imports(module, AFTER):
                foreign.pop(name, None)
                looked_at.append((importer, tuple((alias, t) for alias, t in importer.imports if alias == name)))
        for piece, imports in looked_at:
            for alias, target in imports if piece.file.is_package else ():
                if target.partition(".")[0] in self.ours or alias.rpartition(".")[2].startswith("_"):
                    continue
                if not self.exists(alias, AFTER):
                    foreign[alias] = target
        return foreign

    def _files(self) -> tuple[frozenset[str], tuple[ModuleFile, ...]]:
        """The winning files added and removed since the whole table."""
        overlay, files = self.kept.overlay, self.base._files
        whole = {path: f for path, f in files.items() if path not in overlay.added}
        whole.update((f.path, f) for f in overlay.removed)
        now = {f.path for f in self.winners.values()}
        return frozenset(now - whole.keys()), tuple(whole[path] for path in sorted(whole.keys() - now))


_HEAD_FIELDS = ("names", "winners", "aliases", "shorts", "diagnostics", "dynamic", "foreign")
