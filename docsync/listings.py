"""A snapshot's module listing: its module files, each one's piece id, and the table key they make (issue 18).

The key names what a table is made of without making it: a hash of a line per module file (path, module name,
blob), in path order. Naming 50,000 paths and hashing them took a fifth of a pre-commit check, which lists two trees
a few files apart (HEAD and the index). So a commit's lines are cached (a commit's files never change), a listing
near another one (git's diff of the two names every file that differs) is that one's lines patched where they
differ, and the module files themselves are named only when a caller walks them: a change that edits bodies is
judged from the changed files alone (see `quiet_change`), which a module name per path is enough for (it depends
only on the path, the code roots and the `exclude` globs).
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from docsync.cache import Cache, code_digest
from docsync.gitrepo import WORKTREE, FileEntry
from docsync.module_names import ModuleNames
from docsync.recent import Recent
from docsync.snapshots import STAGED
from docsync.symbols.layout import ModuleFile

PieceId = tuple[str, str, str]  # (path, module, blob): what a file gives a table
Judge = Callable[[Collection[str]], dict[str, ModuleFile]]  # paths -> the modules among them
NAMESPACE = "listings/1"  # key: a digest of docsync's code, the roots, the excludes and a commit; value: its lines
# Smaller trees are listed faster than git is asked for a parent and the cache read (Django's 2,900 files: 0.03 s).
_NOT_COMMITS = frozenset({STAGED, WORKTREE})  # labels of snapshots that are not a commit's tree
_LINES_CACHED_FROM = 10_000


class Listing:
    """The listing of one snapshot: its key and lines at once, its module files and piece ids when first asked."""

    __slots__ = ("_files", "_ids", "_judge", "_module_files", "_patched_from", "key", "lines")

    def __init__(
        self,
        lines: list[str],
        files: Mapping[str, FileEntry],
        judge: Judge,
        module_files: Mapping[str, ModuleFile] | None = None,
        text: str | None = None,
        patched_from: tuple[Listing, frozenset[str]] | None = None,
    ) -> None:
        """`text`: the lines joined by line breaks, when the caller has it (what the key hashes); `patched_from`:
        the listing these lines were patched from, and the only paths where the two may differ."""
        self.lines = lines  # "path NUL module NUL blob" per module file, in path order
        text = "\n".join(lines) if text is None else text
        self.key = hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()
        self._files, self._judge = files, judge
        self._module_files = module_files
        self._ids: dict[str, PieceId] | None = None
        self._patched_from = patched_from

    @property
    def module_files(self) -> Mapping[str, ModuleFile]:
        """Path -> its module file, for every module of the snapshot (in path order). Made from the lines: naming
        the paths again (reading the cached names of 50,000 paths) took twice as long."""
        if self._module_files is None:
            module_files: dict[str, ModuleFile] = {}
            for line in self.lines:
                path, module, _ = line.split("\0")
                is_package = path == "__init__.py" or path.endswith("/__init__.py")  # as `module_file_of`, inlined
                module_files[path] = ModuleFile(path, module, is_package)
            self._module_files = module_files
        return self._module_files

    @property
    def ids(self) -> Mapping[str, PieceId]:
        """Path -> its piece id, for every module of the snapshot (a table read from rows needs none: made apart)."""
        if self._ids is None:
            ids: dict[str, PieceId] = {}
            for line in self.lines:
                path, module, blob = line.split("\0")
                ids[path] = (path, module, blob)
            self._ids = ids
        return self._ids

    def differences(self, other: Listing) -> dict[str, tuple[PieceId | None, PieceId | None]]:
        """Path -> its piece ids in `other` and in this listing (None: not a module there), where they differ. Of a
        listing patched from the other one (either way), only the patched paths are looked at (walking 50,000 lines
        took 0.1 s)."""
        patched = self._patched_at(other)
        patched = other._patched_at(self) if patched is None else patched
        if patched is not None:
            pairs = ((path, other._id_at(path), self._id_at(path)) for path in patched)
        else:
            pairs = ((path, other.ids.get(path), self.ids.get(path)) for path in {*self.ids, *other.ids})
        return {path: (before, after) for path, before, after in pairs if before != after}

    def _patched_at(self, other: Listing) -> frozenset[str] | None:
        """The paths this listing was patched at from `other` (None: it was not patched from it)."""
        return self._patched_from[1] if self._patched_from is not None and self._patched_from[0] is other else None

    def _id_at(self, path: str) -> PieceId | None:
        if self._ids is not None:
            return self._ids.get(path)
        at = bisect.bisect_left(self.lines, f"{path}\0")
        if at == len(self.lines) or not self.lines[at].startswith(f"{path}\0"):
            return None
        _, module, blob = self.lines[at].split("\0")
        return (path, module, blob)

    def module_file(self, path: str) -> ModuleFile | None:
        """The module file at `path`, None when it is none (named alone when the listing's are not walked yet)."""
        if self._module_files is not None:
            return self._module_files.get(path)
        return self._judge([path]).get(path) if path in self._files else None


@dataclass(frozen=True, slots=True)
class _Near:
    label: str  # the snapshot this one differs from
    files: Mapping[str, FileEntry]  # ... and its files
    commit: bool  # ... which are a commit's
    paths: frozenset[str]  # the only paths where the two may differ


ParentChanges = Callable[[str], "tuple[str, dict[str, FileEntry | None]] | None"]


class Listings:
    """The listings of a run's snapshots under given code roots (the 4 latest kept)."""

    def __init__(
        self, module_names: ModuleNames, cache: Cache, excludes: Collection[str], parent_changes: ParentChanges
    ) -> None:
        """`parent_changes`: a commit's first parent and the files the commit changed (see `GitRepo`)."""
        self._module_names, self._cache, self._excludes = module_names, cache, sorted(excludes)
        self._parent_changes = parent_changes
        self._known: Recent[tuple[tuple[str, ...], Listing]] = Recent(4)
        self._near: dict[str, _Near] = {}

    def near(
        self, label: str, other: str, files: Mapping[str, FileEntry], commit: bool, paths: Collection[str]
    ) -> None:
        """Say that the snapshot `label` has `other`'s files (`files`, a commit's if `commit`: its lines are then
        cached) but at `paths` (what git's diff of the two listed): its listing is then `other`'s, patched."""
        self._near[label] = _Near(other, files, commit, frozenset(paths))

    def of(self, label: str, files: Mapping[str, FileEntry], roots: tuple[str, ...]) -> Listing:
        """The listing of the snapshot `label` under `roots`. Only the commits checks of a change start from have
        their lines cached: a history walk passes thousands of commits, each listed once."""
        known = self._known.get(label)
        if known is not None and known[0] == roots:  # a label's files are the same all run long
            return known[1]
        cached = any(near.label == label and near.commit for near in self._near.values())
        listing = self._near_patched(label, files, roots) or self._unpatched(label, files, roots, cached)
        self._known[label] = (roots, listing)
        return listing

    def _unpatched(self, label: str, files: Mapping[str, FileEntry], roots: tuple[str, ...], cached: bool) -> Listing:
        """`cached`: a commit's listing from its cached lines, else its parent's patched (the next pre-commit check
        after a commit finds the lines of the one before, whose check kept them), else made whole, then kept."""
        judge = self._judge(roots)
        if len(files) < _LINES_CACHED_FROM or label in _NOT_COMMITS:
            return self._made(files, judge)
        key = self._lines_key(roots, label)
        text = self._cache.get_many(NAMESPACE, [key]).get(key)
        if isinstance(text, str):  # any commit's kept lines are read (a check kept them for the next one)
            return Listing(_split(text), files, judge, text=text)
        if not cached:
            return self._made(files, judge)
        parent = self._parent_changes(label)
        key_of_parent = self._lines_key(roots, parent[0]) if parent is not None else None
        of_parent = self._cache.get_many(NAMESPACE, [key_of_parent]).get(key_of_parent) if key_of_parent else None
        if parent is not None and isinstance(of_parent, str):
            lines, module_files = self._patched(_split(of_parent), parent[1], judge), None
        else:
            module_files = judge(files)
            lines = _lines_of(module_files, files)
        text = "\n".join(lines)
        if not any("\n" in line for line in lines):  # kept as one text, a line per module file
            self._cache.put_recent(NAMESPACE, key, text)
        return Listing(lines, files, judge, module_files, text)

    def keep_lines(self, commit: str, roots: tuple[str, ...], listing: Listing) -> None:
        """Cache `listing`'s lines as the commit's (a work tree equal to it, checked whole): the next pre-commit
        check starts from that commit and would list its 50,000 paths again (0.45 s)."""
        key = self._lines_key(roots, commit)
        if len(listing.lines) < _LINES_CACHED_FROM or any("\n" in line for line in listing.lines):
            return
        if not isinstance(self._cache.get_many(NAMESPACE, [key]).get(key), str):
            self._cache.put_recent(NAMESPACE, key, "\n".join(listing.lines))

    def _made(self, files: Mapping[str, FileEntry], judge: Judge) -> Listing:
        module_files = judge(files)
        return Listing(_lines_of(module_files, files), files, judge, module_files)

    def _near_patched(self, label: str, files: Mapping[str, FileEntry], roots: tuple[str, ...]) -> Listing | None:
        """The listing of `files` made from the near snapshot's lines, patched at the paths where the two differ."""
        near = self._near.get(label)
        if near is None or near.label == label:
            return None
        added = sum(1 for path in near.paths if path in files and path not in near.files)
        removed = sum(1 for path in near.paths if path not in files and path in near.files)
        if len(files) != len(near.files) + added - removed:
            return None  # the two differ at paths the diff did not name: list it whole
        known = self._known.get(near.label)
        base = known[1] if known is not None and known[0] == roots else None
        if base is None:  # not patched in turn: no chain (nor cycle) of near snapshots is followed
            base = self._unpatched(near.label, near.files, roots, near.commit)
            self._known[near.label] = (roots, base)
        judge = self._judge(roots)
        lines = self._patched(base.lines, {path: files.get(path) for path in near.paths}, judge)
        same_paths = added == removed == 0 and base._module_files is not None
        return Listing(lines, files, judge, base._module_files if same_paths else None, patched_from=(base, near.paths))

    @staticmethod
    def _patched(lines: list[str], changes: Mapping[str, FileEntry | None], judge: Judge) -> list[str]:
        """`lines` with each changed path's line replaced by its new file's (None: gone), where that is a module."""
        lines = list(lines)
        for path in sorted(changes):
            at = bisect.bisect_left(lines, f"{path}\0")
            if at < len(lines) and lines[at].startswith(f"{path}\0"):
                del lines[at]
            entry = changes[path]
            module = judge([path]).get(path) if entry is not None else None
            if module is not None and entry is not None:
                lines.insert(at, f"{path}\0{module.module}\0{entry.blob}")
        return lines

    def _lines_key(self, roots: tuple[str, ...], commit: str) -> str:
        return _digest([code_digest(), list(roots), self._excludes, commit])

    def _judge(self, roots: tuple[str, ...]) -> Judge:
        return lambda paths: self._module_names.of(paths, roots)


def _digest(value: object) -> str:
    return hashlib.blake2b(json.dumps(value).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def _lines_of(module_files: Mapping[str, ModuleFile], files: Mapping[str, FileEntry]) -> list[str]:
    return sorted(f"{path}\0{module.module}\0{files[path].blob}" for path, module in module_files.items())


def _split(text: str) -> list[str]:
    return text.split("\n") if text else []
