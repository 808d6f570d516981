"""Git history × cached symbols → which commit of a pull request's range changed a symbol (a finding's `commit`)."""

from __future__ import annotations

from docsync.gitrepo import GitRepo
from docsync.loader import Loader
from docsync.models import Change, Fingerprint, Kind
from docsync.symbols.table import SymbolTable


class CommitFinder:
    """Finds, for a change between `base` and `head`, the commit that made it; reads each file's history once."""

    def __init__(self, repo: GitRepo, loader: Loader, base: str, head: str) -> None:
        self._repo, self._loader, self._base, self._head = repo, loader, base, head
        self._histories: dict[str, list[tuple[str, str | None]]] = {}

    def commit_of(self, change: Change, base: SymbolTable, head: SymbolTable) -> str | None:
        """The commit that removed the symbol, or the last one that changed the part of it that changed."""
        old = base.symbols[change.qualname]
        if change.kind in (Kind.REMOVED, Kind.RENAMED):
            return self._removal(old.path, _local_name(change.qualname, base.modules[old.path]))
        if change.new_qualname is None:
            return None
        new = head.symbols[change.new_qualname]
        local = _local_name(new.qualname, head.modules[new.path])
        return self._last_change(new.path, local, change.kind, _part(old.fingerprint, change.kind))

    def _history(self, path: str) -> list[tuple[str, str | None]]:
        if path not in self._histories:
            self._histories[path] = self._repo.file_history(self._base, self._head, path)
        return self._histories[path]

    def _fingerprint(self, path: str, blob: str | None, local: str) -> Fingerprint | None:
        if blob is None:
            return None
        return next((s.fingerprint for s in self._loader.module(path, blob).symbols if s.name == local), None)

    def _removal(self, path: str, local: str) -> str | None:
        for commit, blob in self._history(path):
            if self._fingerprint(path, blob, local) is None:
                return commit
        return None

    def _last_change(self, path: str, local: str, kind: Kind, before: str | None) -> str | None:
        last, previous = None, before
        for commit, blob in self._history(path):
            fingerprint = self._fingerprint(path, blob, local)
            value = _part(fingerprint, kind) if fingerprint is not None else None
            if value != previous:
                last, previous = commit, value
        return last


def _local_name(qualname: str, module: str) -> str:
    return qualname[len(module) + 1 :] if qualname != module else ""


def _part(fingerprint: Fingerprint, kind: Kind) -> str:
    if kind is Kind.SIGNATURE:
        return fingerprint.signature
    if kind is Kind.BODY:
        return fingerprint.body
    return fingerprint.docstring
