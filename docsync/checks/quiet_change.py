"""A change that can touch no doc, told without building a symbol table (issue 18).

A pull request or a staged commit that edits the bodies or signatures of existing modules (each changed file keeps
its outline: the same names, kinds, imports and `__all__`) leaves every name where it was: `affected.py`'s answer
is then the symbols whose definition changed, known from the two versions of the changed files alone. When no doc
resolved to one of them at the base (cached per table key, and the key needs only the module listing) and no doc or
included example changed, no doc can have drifted: the check ends there, without assembling the tables of a
50,000-module repository (3 s) to learn it. Anything less certain returns None, and the full check runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from docsync.gitrepo import PathChange
from docsync.loader import Loader, Snapshot
from docsync.models import DocResolution, SymbolKind
from docsync.symbols.layout import ModuleFile
from docsync.symbols.table import outline_of
from docsync.workspace import Workspace


def untouched_docs(
    workspace: Workspace, base: Snapshot, head: Snapshot, changed: Sequence[PathChange], docs: Sequence[str]
) -> dict[str, DocResolution] | None:
    """Each doc's resolution at the base when the change provably touches none of `docs` (the head's), else None."""
    loader = workspace.loader
    if not changed or any(c.status != "M" or c.old_path != c.new_path for c in changed):
        return None  # added, removed, renamed or retyped files change which names exist
    paths = {c.new_path for c in changed if c.new_path is not None}
    if paths & set(docs):
        return None  # a changed doc, or an example file a doc includes
    base_listing, head_listing = loader.listing(base), loader.listing(head)
    modules = [base_listing.module_file(path) for path in paths]
    if any(
        module is None or head_listing.module_file(module.path) != module or module.is_package for module in modules
    ):
        return None  # not a module on both sides, or a package's `__init__` (where re-exports live)
    altered = _altered(loader, base, head, [module for module in modules if module is not None])
    if altered is None:
        return None
    known = workspace.docs.resolutions(base_listing.key, head, docs)
    if len(known) < len(docs) or any(not altered.isdisjoint(resolution.symbols) for resolution in known.values()):
        return None
    return known


def _altered(loader: Loader, base: Snapshot, head: Snapshot, modules: Sequence[ModuleFile]) -> frozenset[str] | None:
    """The qualified names whose definition (kind, fingerprint, signature) the change altered, when every module
    kept its outline and no class changed its bases nor a `__getattr__` what it serves; else None."""
    altered: set[str] = set()
    for module in modules:
        before = loader.module(module.path, base.files[module.path].blob)
        after = loader.module(module.path, head.files[module.path].blob)
        if outline_of(before) != outline_of(after):
            return None  # a name, kind, visibility, import or export changed: what docs' names mean may have
        if after.error is not None:
            return None  # the full check warns that the file does not parse
        for old, new in zip(before.symbols, after.symbols, strict=True):
            if (old.kind, old.fingerprint, old.signature) == (new.kind, new.fingerprint, new.signature):
                continue
            bases = (old.signature.bases if old.signature else (), new.signature.bases if new.signature else ())
            if old.name.endswith("__getattr__") or (old.kind is SymbolKind.CLASS and bases[0] != bases[1]):
                return None
            altered.add(f"{module.module}.{old.name}" if old.name else module.module)
    return frozenset(altered)


def counts_of(known: Mapping[str, DocResolution]) -> dict[str, int]:
    return {doc: resolution.count for doc, resolution in known.items() if resolution.count}
