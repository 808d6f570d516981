"""A snapshot's module listing: its module files, each one's piece id, and the table key they make (issue 18).

The key names what a table is made of without making it: a hash of every module file's path, module name and
blob. A check of a change lists two trees that differ in a few files (a pre-commit check: HEAD and the index,
50,000 modules each). When the change adds, removes and renames nothing, the second listing is the first with the
changed files' blobs replaced: the same module files (a module's name depends only on the paths), without naming
and hashing 50,000 paths again.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from docsync.gitrepo import FileEntry
from docsync.module_names import ModuleNames
from docsync.recent import Recent
from docsync.symbols.layout import ModuleFile

PieceId = tuple[str, str, str]  # (path, module, blob): what a file gives a table


@dataclass(frozen=True, slots=True)
class Listing:
    module_files: Mapping[str, ModuleFile]  # path -> its module file, for every module of the snapshot
    ids: Mapping[str, PieceId]  # path -> its piece id
    key: str  # the table key: a hash of `lines`
    paths: tuple[str, ...]  # the module files' paths, sorted
    lines: tuple[str, ...]  # "path NUL module NUL blob" of each, in the order of `paths`


@dataclass(frozen=True, slots=True)
class _Near:
    label: str  # the snapshot this one differs from
    files: Mapping[str, FileEntry]  # ... and its files
    paths: frozenset[str]  # the only paths where the two may differ


class Listings:
    """The listings of a run's snapshots under given code roots (the 4 latest kept)."""

    def __init__(self, module_names: ModuleNames) -> None:
        self._module_names = module_names
        self._known: Recent[tuple[tuple[str, ...], Listing]] = Recent(4)
        self._near: dict[str, _Near] = {}

    def near(self, label: str, other: str, other_files: Mapping[str, FileEntry], paths: Collection[str]) -> None:
        """Say that the snapshot `label` has `other`'s files (`other_files`) but at `paths` (what git's diff of the
        two listed): its listing is then `other`'s, patched."""
        self._near[label] = _Near(other, other_files, frozenset(paths))

    def of(self, label: str, files: Mapping[str, FileEntry], roots: tuple[str, ...]) -> Listing:
        known = self._known.get(label)
        if known is not None and known[0] == roots:  # a label's files are the same all run long
            return known[1]
        listing = self._patched(label, files, roots) or self._made(files, roots)
        self._known[label] = (roots, listing)
        return listing

    def _made(self, files: Mapping[str, FileEntry], roots: tuple[str, ...]) -> Listing:
        module_files = self._module_names.of(files, roots)
        ids = {path: (path, module.module, files[path].blob) for path, module in module_files.items()}
        paths = tuple(sorted(ids))
        return _listing(module_files, ids, paths, tuple("\0".join(ids[path]) for path in paths))

    def _patched(self, label: str, files: Mapping[str, FileEntry], roots: tuple[str, ...]) -> Listing | None:
        """The listing of `files` made from the near snapshot's, when the two have the same paths."""
        near = self._near.get(label)
        if near is None or len(near.files) != len(files):
            return None
        if any((path in near.files) != (path in files) for path in near.paths):
            return None  # a path added or removed: module names (packages, shadowing) may change anywhere
        known = self._known.get(near.label)
        base = known[1] if known is not None and known[0] == roots else None
        if base is None:  # made, not patched in turn: no chain (nor cycle) of near snapshots is followed
            base = self._made(near.files, roots)
            self._known[near.label] = (roots, base)
        ids, lines = dict(base.ids), list(base.lines)
        for path in near.paths:
            module = base.module_files.get(path)
            if module is None:
                continue
            ids[path] = (path, module.module, files[path].blob)
            lines[bisect.bisect_left(base.paths, path)] = "\0".join(ids[path])
        return _listing(base.module_files, ids, base.paths, tuple(lines))


def _listing(
    module_files: Mapping[str, ModuleFile], ids: Mapping[str, PieceId], paths: tuple[str, ...], lines: tuple[str, ...]
) -> Listing:
    key = hashlib.sha1("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()
    return Listing(module_files, ids, key, paths, lines)
