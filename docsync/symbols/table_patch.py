"""A table made from an earlier one by replacing the names of the few files that differ (issue 18).

A pull request's head, or the next commit of a walk, shares all but a few files with a table built just before: at
50,000 modules, adding a million names one by one took 2.3 s of each table, for the few hundred that changed. The
names of unchanged files are copied (`dict.copy` is a block copy); those of the changed files are taken out and put
in. What is worked out over the whole project at once (aliases, re-exported publicity, short names) is made as
`assemble_table` makes it, so the result is the same table; where that would not hold (a name or a module defined in
two files, where the order of files decides) it is not patched (None), and the caller assembles it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from docsync.symbols.table import Details, SymbolTable, TablePiece, assemble_table, finish_table

_AT_MOST = 0.05  # of the files changed, past which assembling from scratch is about as quick
PieceIds = Mapping[str, tuple[str, str, str]]  # path -> its piece's id (path, module, blob)


class RecentTables:
    """The two tables built last in a run, by their pieces' ids: the next table starts from one of them."""

    def __init__(self, pieces: Mapping[tuple[str, str, str], TablePiece]) -> None:
        self._pieces = pieces  # piece id -> piece, for every piece of the run
        self._recent: list[tuple[PieceIds, SymbolTable]] = []

    def table(self, ids: PieceIds, details: Details) -> SymbolTable:
        same = self._same_outlines(ids)
        table = same.with_details(details) if same is not None else self._assembled(ids, details)
        self._recent = [(ids, table), *self._recent[:1]]
        return table

    def _same_outlines(self, ids: PieceIds) -> SymbolTable | None:
        """A table built earlier in this run from pieces equal to these, file by file: a change that
        only edited bodies leaves every name, import and flag as it was, so only the details differ."""
        for earlier_ids, table in self._recent:
            if earlier_ids.keys() == ids.keys() and all(
                piece_id == earlier_ids[path] or self._pieces[piece_id] == self._pieces[earlier_ids[path]]
                for path, piece_id in ids.items()
            ):
                return table
        return None

    def _assembled(self, ids: PieceIds, details: Details) -> SymbolTable:
        pieces = [self._pieces[piece_id] for piece_id in ids.values()]
        if self._recent:
            earlier_ids, earlier = self._recent[0]
            by_path = {path: self._pieces[piece_id] for path, piece_id in earlier_ids.items()}
            patched = patched_table(earlier, by_path, pieces, details)
            if patched is not None:
                return patched
        return assemble_table(pieces, details)


def patched_table(
    earlier: SymbolTable, earlier_pieces: Mapping[str, TablePiece], pieces: Sequence[TablePiece], details: Details
) -> SymbolTable | None:
    """The table of `pieces` (path -> piece of `earlier`: `earlier_pieces`), made from `earlier`'s names; None when
    that is not exactly the table `assemble_table` makes, or not quicker."""
    current = {piece.file.path: piece for piece in pieces}
    changed = [path for path, piece in current.items() if earlier_pieces.get(path) not in (piece, None)]
    changed += list(current.keys() ^ earlier_pieces.keys())  # added or removed files
    if len(changed) > _AT_MOST * max(len(current), 1) or not _alone(earlier_pieces, current, changed):
        return None
    names = earlier.copied_names()
    if names is None:
        return None
    for path in changed:  # no name is defined twice: each file's names are its own
        for qualname in names.names_by_path.pop(path, ()):
            del names.where[qualname], names.kinds[qualname]
            names.public.discard(qualname)
    before = len(names.where)
    table = finish_table(pieces, names, details, earlier=(earlier, frozenset(changed)))
    added = sum(len(names.names_by_path.get(path, ())) for path in changed)
    return table if len(names.where) == before + added else None  # else a new name is defined elsewhere too


def _alone(earlier: Mapping[str, TablePiece], current: Mapping[str, TablePiece], changed: Sequence[str]) -> bool:
    """Whether each changed file's module (before and after) is made by that file alone on both sides: else which
    file wins (`pkg/__init__.py` over `pkg.py`) may change."""
    counts = [Counter(piece.file.module for piece in side.values()) for side in (earlier, current)]
    for path in changed:
        for side in (earlier, current):
            piece = side.get(path)
            if piece is not None and any(count[piece.file.module] > 1 for count in counts):
                return False
    return True
