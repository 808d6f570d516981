"""Snapshots (a commit, the index, the work tree) → their files and symbol tables, through the cache.

Every file version is parsed at most once, ever: results are cached by git blob id, and
within a run each blob is decoded once however many snapshots share it. Cold work on many
files is spread over the CPU cores. Docs are read by `doc_scans.DocScans`, old versions for
history walks by `history.OldVersions`; both ask this loader for bytes and symbols.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, TextIO

from docsync.cache import RECENT, Cache
from docsync.codec import (
    BadEntry,
    decode_bundle,
    decode_module,
    decode_outline,
    encode_bundle,
    encode_outline,
)
from docsync.config import roots_from_pyproject_text
from docsync.diagnostics import Diagnostics
from docsync.gitrepo import WORKTREE, FileEntry, GitRepo
from docsync.globs import PathMatcher
from docsync.listings import Listing, Listings
from docsync.models import Diagnostic
from docsync.module_names import ModuleNames
from docsync.parsing import OUTLINES_NAMESPACE, SYMBOLS_NAMESPACE, parse_versions
from docsync.progress import status
from docsync.recent import Recent
from docsync.settings import Config
from docsync.snapshots import MAX_FILE_BYTES, STAGED, Snapshot, index_over, worktree_files
from docsync.symbols.extract import ModuleSymbols
from docsync.symbols.layout import ModuleFile, declared_by_setup_files, default_code_roots, module_file_of
from docsync.symbols.table import ModuleOutline, SymbolTable, TablePiece, make_piece, outline_of
from docsync.symbols.table_delta import table_overlay
from docsync.symbols.table_patch import RecentTables
from docsync.table_store import TableStore

# Per Python, as the parsed symbols (`parsing.py`): bump when what a table's pieces hold changes.
TABLES_NAMESPACE = f"tables/13/py{sys.version_info[0]}{sys.version_info[1]}"  # key: a table key; value: its pieces
KEPT_MODULES = 1024
_AT_MOST_FROM_ROWS = 500  # changed files whose outlines are compared before reading a table from rows


class Loader:
    """Loads snapshots of one repository under one configuration: their files, and their symbol tables."""

    def __init__(
        self,
        repo: GitRepo,
        config: Config,
        cache: Cache,
        progress_stream: TextIO | None = None,
        diagnostics: Diagnostics | None = None,
    ) -> None:
        self.repo = repo
        self.config = config
        self.cache = cache
        self.progress_stream = progress_stream  # where a bar shows when cold work takes more than a second
        self.diagnostics = diagnostics if diagnostics is not None else Diagnostics()
        self._exclude = PathMatcher(config.all_excludes)
        self._worktree_bytes: dict[str, bytes] = {}
        self._worktree: Snapshot | None = None
        self._commits: Recent[Snapshot] = Recent(2)  # a run asks a commit's tree again (its check, a removal's)
        # Decoded symbols of recent file versions; the oldest are dropped (a trend visits thousands of
        # versions), and come back from the cache, never from a new parse, if asked for again.
        self._modules: Recent[ModuleSymbols] = Recent(KEPT_MODULES)
        self._outlines: dict[str, ModuleOutline] = {}
        self._bundled: set[str] = set()  # table keys whose own bundle was read: not written again
        self._pieces: dict[tuple[str, str, str], TablePiece] = {}  # (path, module, blob) -> piece
        self._recent_tables = RecentTables(self._pieces)  # the next table starts from one of them
        self._stored = TableStore(cache)  # the tables later runs start from, as rows
        self._module_names = ModuleNames(cache, config.all_excludes)
        self._listings = Listings(self._module_names, cache, config.all_excludes, repo.parent_changes)
        self._tables: dict[str, SymbolTable] = {}
        self._table_keys: dict[str, str] = {}
        # label -> (table key, files, pieces) of a table not loaded from a bundle: `keep_table` saves one.
        self._unsaved: dict[str, tuple[str, Mapping[str, FileEntry], list[TablePiece]]] = {}
        self._warned_at_commits: dict[str, Diagnostic] = {}  # path -> its warning from the first commit met
        self._parents: dict[str, tuple[Snapshot, frozenset[str]]] = {}  # label -> parent whose rows it points to

    # -- snapshots --------------------------------------------------------------------------------

    def snapshot(self, label: str) -> Snapshot:
        if label == WORKTREE:
            if self._worktree is None:  # read and hash the work tree once per run
                with status("docsync: reading the work tree", self.progress_stream):
                    self._worktree = Snapshot(WORKTREE, *worktree_files(self.repo, self._exclude, self._worktree_bytes))
            return self._worktree
        if label == STAGED:
            return Snapshot(STAGED, self.repo.index())
        found = self._commits.get(label)
        if found is None:
            found = self._commits[label] = Snapshot(label, self.repo.tree(label))
        return found

    def staged_over(self, base: Snapshot) -> Snapshot:
        """The index, listed from a commit's snapshot and their diff (`index_over`); its listing is then patched."""
        staged, changes = index_over(self.repo, base)
        self.near(staged, base, changes)
        return staged

    def read(self, entry: FileEntry) -> bytes:
        data = self._worktree_bytes.get(entry.blob)
        return data if data is not None else self.repo.read_blob(entry.blob)

    # -- symbols ----------------------------------------------------------------------------------

    def code_roots(self, snapshot: Snapshot) -> tuple[str, ...]:
        """Where the packages are in this snapshot: our settings, else its own pyproject.toml, else the layout."""
        if self.config.explicit_code_roots and self.config.code_roots is not None:
            return self.config.code_roots
        roots = self.config.code_roots
        pyproject = snapshot.files.get("pyproject.toml")
        if snapshot.label != WORKTREE and pyproject is not None:
            # An old commit may predate the move to src/: read the layout it declared then.
            roots = roots_from_pyproject_text(self.read(pyproject).decode("utf-8", "replace"))
        if roots is None:  # before pyproject.toml: setup.cfg or setup.py may declare it (`package_dir = =lib`)
            roots = declared_by_setup_files(*(self.text(snapshot, name) for name in ("setup.cfg", "setup.py")))
        has_code = roots is not None and any(
            path.endswith(".py") and any(root == "" or path.startswith(root + "/") for root in roots)
            for path in snapshot.files
        )
        return roots if roots is not None and has_code else default_code_roots(snapshot.files)

    def text(self, snapshot: Snapshot, path: str) -> str | None:
        """A small file of the snapshot as text (the work tree's list holds only code and docs: read it there)."""
        entry = snapshot.files.get(path)
        if entry is not None:
            return self.read(entry).decode("utf-8", "replace")
        data = self.repo.worktree_file(path, MAX_FILE_BYTES) if snapshot.label == WORKTREE else None
        return data.decode("utf-8", "replace") if isinstance(data, bytes) else None

    def table(self, snapshot: Snapshot) -> SymbolTable:
        """The symbol table of a snapshot (memoised per snapshot label).

        Assembled from per-file pieces: those of files seen earlier in the run are reused (a pull
        request's head shares all but its changed files with the base), the rest come from the
        snapshot's cached table bundle or from per-file outlines.
        """
        if snapshot.label in self._tables:
            return self._tables[snapshot.label]
        roots = self.code_roots(snapshot)
        listing = self.prepare(snapshot)
        module_files, ids, key = listing.module_files, listing.ids, listing.key
        pieces = [self._pieces[piece_id] for piece_id in ids.values()]
        table = self._recent_tables.table(ids, self._details(snapshot))
        if key not in self._bundled:
            self._unsaved[snapshot.label] = (key, {path: snapshot.files[path] for path in module_files}, pieces)
        return self._adopt(snapshot, roots, table, key)

    def prepare(self, snapshot: Snapshot) -> Listing:
        """Read or parse the pieces the snapshot's table is made of (its listing says which), without making it: a
        cold run parses them in `one_pool` (workers forked while the process is small), then assembles."""
        listing = self._listing(snapshot, self.code_roots(snapshot))
        if snapshot.label in self._tables:  # made already (read from rows, say): its pieces are not all wanted
            return listing
        ids, key = listing.ids, listing.key
        missing = [path for path, piece_id in ids.items() if piece_id not in self._pieces]
        if len(missing) > len(ids) // 2:  # mostly new files: one bundle beats thousands of outlines
            # This tree's own bundle, else the latest one kept: a tree a few files away from it (an edit, a new
            # commit) shares all other pieces, and only the changed files' outlines are then read.
            if self._load_bundle(key):
                self._bundled.add(key)
            elif (latest := self._latest_bundle_key()) is not None and latest != key:
                self._load_bundle(latest)
            missing = [path for path, piece_id in ids.items() if piece_id not in self._pieces]
        self._made_pieces(snapshot, [listing.module_files[path] for path in missing])
        return listing

    def _adopt(self, snapshot: Snapshot, roots: tuple[str, ...], table: SymbolTable, key: str) -> SymbolTable:
        """Remember `table` as the snapshot's, and warn what it could not read."""
        for path in self._module_files(snapshot.skipped, roots):  # only modules: other files were never wanted
            self.diagnostics.warn(Diagnostic(path, 0, snapshot.skipped[path]))
        for diagnostic in table.diagnostics:
            self.diagnostics.warn(self._placed(diagnostic, snapshot.label))
        self._tables[snapshot.label] = table
        self._table_keys[snapshot.label] = key
        return table

    def change_tables(self, base: Snapshot, head: Snapshot, keep: bool = True) -> tuple[SymbolTable, SymbolTable]:
        """The tables of a change's two sides, the base's kept for later runs (`keep`). A base kept as rows
        (`table_store`) is read from them, and the head over the same rows, or with an overlay over them where the
        change renamed, added or removed names: neither is assembled (3 s at 50,000 modules)."""
        pair = self._tables_from_rows(base, head)
        if pair is not None:
            return pair
        base_table, head_table = self.keep_table(base) if keep else self.table(base), self.table(head)
        if head_table.kinds is base_table.kinds:  # the same names (`RecentTables`): point to the base's rows
            self._stored.put_same(self._table_keys[head.label], self._table_keys[base.label])
        return base_table, head_table

    def _tables_from_rows(self, base: Snapshot, head: Snapshot) -> tuple[SymbolTable, SymbolTable] | None:
        """Both tables read from the base's rows, when the base has them: the head over the same rows where every
        changed file keeps its outline (the same piece: names, kinds, imports, flags), else with an overlay over
        them (`table_delta`); None when neither can be made (the caller assembles them)."""
        roots = self.code_roots(base)
        built = self._tables.get(base.label)
        if (built is not None and built._kept is None) or head.label in self._tables or self.code_roots(head) != roots:
            return None
        base_listing, head_listing = self._listing(base, roots), self._listing(head, roots)
        changed = self._changed_pieces(base, head, base_listing, head_listing)
        if changed is None:
            return None
        base_key, head_key = base_listing.key, head_listing.key
        if built is None and not self._stored.has(base_key):
            self._point_to_parents_rows(base, roots, base_listing)
        base_table = built or self._open(base, base_key, base_listing)
        if base_table is None:
            return None
        if changed:  # names moved: the head is an overlay over the base's rows, kept and read back as the next run will
            overlay = table_overlay(base_table, head_listing.module_files, changed, self._piece_of(head))
            if overlay is None:
                return None
            self._stored.put_overlay(head_key, base_key, overlay)
            head_table = self._open(head, head_key, head_listing)
        else:
            self._stored.put_same(head_key, base_key)
            head_table = base_table.with_details(self._details(head))
        if head_table is None:
            return None
        return self._adopt(base, roots, base_table, base_key), self._adopt(head, roots, head_table, head_key)

    def _open(self, snapshot: Snapshot, key: str, listing: Listing) -> SymbolTable | None:
        return self._stored.open(key, listing.module_files, self._piece_of(snapshot), self._details(snapshot))

    def _changed_pieces(
        self, old: Snapshot, new: Snapshot, old_listing: Listing, new_listing: Listing
    ) -> dict[str, tuple[TablePiece | None, TablePiece | None]] | None:
        """The pieces of the module files two snapshots differ in (path -> before, after; None: not a module on that
        side), where they differ (a body edit keeps the piece); None when too many files differ to compare."""
        differences = new_listing.differences(old_listing)
        if len(differences) > _AT_MOST_FROM_ROWS:
            return None
        pieces = []
        for side, snapshot in enumerate((old, new)):
            files = {path: module_file_of(path, at[1]) for path, ids in differences.items() if (at := ids[side])}
            pieces.append(dict(zip(files, self._made_pieces(snapshot, list(files.values())), strict=True)))
        changed = {path: (pieces[0].get(path), pieces[1].get(path)) for path in differences}
        return {path: pair for path, pair in changed.items() if pair[0] != pair[1]}

    def _point_to_parents_rows(self, commit: Snapshot, roots: tuple[str, ...], listing: Listing) -> None:
        """Keep a commit no check started from (committed with `--no-verify`, pulled, cherry-picked) as a pointer
        to its first parent's rows, where those are kept and the commit left every file's names as they were: the
        check would assemble its table (10 s at 50,000 modules)."""
        found = self.repo.parent_changes(commit.label) if commit.label not in (STAGED, WORKTREE) else None
        if found is None:
            return
        parent = self.snapshot(found[0])
        if self.code_roots(parent) != roots:
            return
        self._listings.near(parent.label, commit.label, commit.files, True, found[1])  # git's diff of the two
        parent_listing = self._listing(parent, roots)
        if self._stored.has(parent_listing.key) and self._changed_pieces(parent, commit, parent_listing, listing) == {}:
            self._stored.put_same(listing.key, parent_listing.key)
            self._parents[commit.label] = (parent, frozenset(found[1]))

    def parent_with_same_names(self, snapshot: Snapshot) -> tuple[Snapshot, SymbolTable, frozenset[str]] | None:
        """The first parent whose rows this run found the snapshot's table in (see `_point_to_parents_rows`), with
        its table (the same names, its own details) and the paths the commit changed; None if there is none."""
        found = self._parents.get(snapshot.label)
        if found is None or snapshot.label not in self._tables:
            return None
        parent, changed = found
        return parent, self._tables[snapshot.label].with_details(self._details(parent)), changed

    def _piece_of(self, snapshot: Snapshot) -> Callable[[ModuleFile], TablePiece]:
        return lambda module_file: self._made_pieces(snapshot, [module_file])[0]

    def _made_pieces(self, snapshot: Snapshot, module_files: Sequence[ModuleFile]) -> list[TablePiece]:
        """The pieces of these module files of a snapshot: made earlier in the run, else from their outlines (read
        in one batch)."""
        ids = {f: (f.path, f.module, snapshot.files[f.path].blob) for f in module_files}
        missing = [f for f, piece_id in ids.items() if piece_id not in self._pieces]
        if missing:
            self._load_outlines({f.path: snapshot.files[f.path] for f in missing})
        for module_file in missing:
            self._pieces[ids[module_file]] = make_piece(module_file, self._outlines[ids[module_file][2]])
        for module_file in missing:  # the piece is what is kept: a cold table held 50,000 outlines (80 MB) beside
            self._outlines.pop(ids[module_file][2], None)
        return [self._pieces[ids[f]] for f in module_files]

    def _details(self, snapshot: Snapshot) -> Callable[[ModuleFile], ModuleSymbols]:
        return lambda module_file: self.module(module_file.path, snapshot.files[module_file.path].blob)

    def listing(self, snapshot: Snapshot) -> Listing:
        """The snapshot's module files, each one's piece id (path, module, blob), and the table key they make:
        what its table is made of, known without making it (see `listings`)."""
        return self._listing(snapshot, self.code_roots(snapshot))

    def _listing(self, snapshot: Snapshot, roots: tuple[str, ...]) -> Listing:
        return self._listings.of(snapshot.label, snapshot.files, roots)

    def keep_listing(self, commit: Snapshot, like: Snapshot) -> None:
        """Keep the listing of `like` (a work tree with the commit's files) as the commit's, for the next check
        that starts from the commit (see `Listings.keep_lines`)."""
        roots = self.code_roots(like)
        if self.code_roots(commit) == roots:
            self._listings.keep_lines(commit.label, roots, self._listing(like, roots))

    def near(self, snapshot: Snapshot, other: Snapshot, paths: Collection[str]) -> None:
        """Say that two snapshots have the same files but at `paths` (git's diff of them): see `listings`."""
        self._listings.near(snapshot.label, other.label, other.files, other.label not in (STAGED, WORKTREE), paths)

    def _placed(self, diagnostic: Diagnostic, label: str) -> Diagnostic:
        """A warning about a file of a commit names the commit, and no line: the line need not exist today. Once
        per file: a history walk meets the same broken file at many commits."""
        if label in (WORKTREE, STAGED):
            return diagnostic
        message = diagnostic.message.replace("this file", f"this file at {label[:7]}", 1)
        placed = Diagnostic(diagnostic.path, 0, message)
        if diagnostic.path in self._warned_at_commits:
            return self._warned_at_commits[diagnostic.path]
        self._warned_at_commits[diagnostic.path] = placed
        return placed

    def _module_files(self, paths: Collection[str], roots: tuple[str, ...]) -> dict[str, ModuleFile]:
        """The modules among these paths under these code roots (each path is judged once per run)."""
        return self._module_names.of(paths, roots)

    def _latest_bundle_key(self) -> str | None:
        recent = self.cache.get_many(TABLES_NAMESPACE, [RECENT]).get(RECENT)
        return recent[0] if isinstance(recent, list) and recent and isinstance(recent[0], str) else None

    def _load_bundle(self, key: str) -> bool:
        value = self.cache.get_many(TABLES_NAMESPACE, [key]).get(key)
        if value is None:
            return False
        try:
            pieces = decode_bundle(value)
        except BadEntry:
            return False
        self._pieces.update(((p.file.path, p.file.module, blob), p) for blob, p in pieces)
        return True

    def keep_table(self, snapshot: Snapshot) -> SymbolTable:
        """The snapshot's table, its bundle saved for later runs: for the revisions they start from (a branch's
        merge-base, the main branch's head), not for every commit a walk passes."""
        if snapshot.label not in self._tables:  # the bundle first: written before the table grows the process
            listing = self.prepare(snapshot)
            if listing.key not in self._bundled:
                self._save_bundle(listing.key, snapshot.files, [self._pieces[i] for i in listing.ids.values()])
                self._bundled.add(listing.key)
        table = self.table(snapshot)
        unsaved = self._unsaved.pop(snapshot.label, None)
        if unsaved is not None:
            self._save_bundle(*unsaved)
        key = self._table_keys[snapshot.label]
        if not self._stored.has(key):
            self._stored.put(key, table)
        return table

    def _save_bundle(self, key: str, entries: Mapping[str, FileEntry], pieces: Sequence[TablePiece]) -> None:
        bundle = [(entries[piece.file.path].blob, piece) for piece in pieces]
        self.cache.put_recent(TABLES_NAMESPACE, key, encode_bundle(bundle))

    def forget(self, label: str) -> None:
        """Drop what is held for one snapshot (its table), once a walk over many commits is past it."""
        self._tables.pop(label, None)
        self._unsaved.pop(label, None)

    def built_table_key(self, snapshot: Snapshot) -> str | None:
        """The snapshot's table key if its table was built this run (else None: building it is not worth it)."""
        return self._table_keys.get(snapshot.label)

    def table_key(self, snapshot: Snapshot) -> str:
        """An id of the snapshot's table: the same files as the same modules give the same key, on any branch."""
        return self._table_keys.get(snapshot.label) or self.listing(snapshot).key

    def same_names(self, snapshot: Snapshot, like: Snapshot) -> None:
        """Say that the snapshot's names are `like`'s (a change that kept every outline, see `quiet_change`): its
        table is kept as a pointer to the rows of `like`'s, for the next check that starts from it."""
        self._stored.put_same(self.table_key(snapshot), self.table_key(like))

    def encoded_modules(self, versions: Mapping[str, str]) -> dict[str, Any]:
        """The encoded symbols of these file versions (blob id -> path): cached, else parsed on all cores.

        Encoded and not kept: a walk needs a few names of each, and old versions of big modules add up."""
        if not versions:
            return {}
        found = {
            blob: value
            for blob, value in self.cache.get_many(SYMBOLS_NAMESPACE, versions).items()
            if isinstance(value, list) and value and isinstance(value[0], list)
        }
        rest = {blob: path for blob, path in versions.items() if blob not in found}
        return found | {blob: module for blob, (module, _) in self._parse(rest).items()}

    def module(self, path: str, blob: str) -> ModuleSymbols:
        """The symbols of one file version (a blob of `path`), through the cache."""
        return self._load_modules({path: FileEntry(blob)})[blob]

    def _load_outlines(self, entries: Mapping[str, FileEntry]) -> None:
        """Outlines (names, kinds, imports) of these files: all a table needs until a symbol is asked for."""
        wanted = {e.blob: path for path, e in entries.items() if e.blob not in self._outlines}
        if not wanted:
            return
        for blob, value in self.cache.get_many(OUTLINES_NAMESPACE, wanted).items():
            with contextlib.suppress(BadEntry):
                self._outlines[blob] = decode_outline(value)
        missing = {blob: path for blob, path in wanted.items() if blob not in self._outlines}
        # Files parsed earlier (or cached whole) give their outline directly; the rest are parsed in workers,
        # which send back the outline too: a cold table then decodes outlines, not every symbol.
        known = self._known_modules(missing)
        made = {blob: outline_of(module) for blob, module in known.items()}
        self.cache.put_many(OUTLINES_NAMESPACE, {blob: encode_outline(outline) for blob, outline in made.items()})
        unknown = {blob: path for blob, path in missing.items() if blob not in known}
        parsed = self._parse(unknown, with_outline=True, keep_modules=False)
        for blob, (_, outline) in parsed.items():
            made[blob] = decode_outline(outline)
        self._outlines.update(made)

    def _load_modules(self, entries: Mapping[str, FileEntry]) -> dict[str, ModuleSymbols]:
        """These file versions' symbols (blob id -> symbols): remembered, else cached, else parsed."""
        wanted = {e.blob: path for path, e in entries.items()}
        found = self._known_modules(wanted)
        parsed = self._parse({blob: path for blob, path in wanted.items() if blob not in found})
        for blob, (module, _) in parsed.items():
            found[blob] = self._modules[blob] = decode_module(module)
        return found

    def _known_modules(self, wanted: Collection[str]) -> dict[str, ModuleSymbols]:
        """The symbols of those of these file versions (blob ids) that were parsed before: remembered, else cached."""
        found: dict[str, ModuleSymbols] = {}
        for blob in wanted:
            remembered = self._modules.get(blob)
            if remembered is not None:
                found[blob] = remembered
        cached = self.cache.get_many(SYMBOLS_NAMESPACE, [blob for blob in wanted if blob not in found])
        for blob, value in cached.items():
            with contextlib.suppress(BadEntry):  # a bad entry is recomputed by the caller, like a miss
                found[blob] = self._modules[blob] = decode_module(value)
        return found

    def _parse(
        self, wanted: Mapping[str, str], with_outline: bool = False, keep_modules: bool = True
    ) -> dict[str, tuple[Any, Any]]:
        return parse_versions(
            wanted, self.read, self.cache, self.diagnostics, self.progress_stream, with_outline, keep_modules
        )
