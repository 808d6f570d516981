"""The history of some files up to one commit, read with one `git log`: their versions, their blames, their moves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from docsync.gitrepo import CommitFiles, GitRepo
from docsync.history.store import BlameRequest, OldVersions, Version
from docsync.models import Fingerprint
from docsync.symbols.extract import LocalSymbol


class History:
    """The history of some files up to `head`, read with one `git log`; file versions come from the cache."""

    def __init__(
        self,
        repo: GitRepo,
        store: OldVersions,
        head: str,
        paths: Iterable[str],
        blame_rev: str | None = None,
        doc_blobs: Mapping[str, str] | None = None,
        log: Sequence[CommitFiles] | None = None,
    ) -> None:
        """`blame_rev`: the revision whose doc lines are judged (None: the work tree). `doc_blobs` (doc path ->
        blob id there) lets the store reuse a blame for the same doc version at another commit. `log`: an
        already read `path_log` of a later commit (the score's trend reads history once for all its commits).
        """
        self._repo, self._store, self._blame_rev = repo, store, blame_rev
        self._doc_blobs = doc_blobs or {}
        self._versions: dict[str, list[Version]] = {}
        self.head_time = repo.commit_time(head)
        if log is None:
            log = store.path_log(repo.resolve(head), list(paths))
            self._order = {sha: index for index, sha in enumerate(repo.revisions(head))}
        else:
            # A later commit's history, cut at `head`'s time: the trend's approximation of `head`'s own
            # (exact on a linear history). Commit counts are then counted in that log.
            log = [commit for commit in log if commit.time <= self.head_time]
            self._order = {commit.sha: index for index, commit in enumerate(log)}
        for commit in log:  # newest first
            for path, blob in commit.blobs.items():
                self._versions.setdefault(path, []).append(Version(commit.sha, commit.time, blob))
        self._blames: dict[str, list[int]] = {}
        self._followed: set[str] = set()

    def versions(self, path: str) -> list[Version]:
        """Newest first."""
        return self._versions.get(path, [])

    def follow_rename(self, path: str) -> bool:
        """Extend the history of `path` past the commit that moved it there (`requests/` -> `src/requests/`).

        Done on demand, one file at a time: most files never need it. False when there is nothing older.
        """
        versions = self._versions.get(path)
        if not versions or path in self._followed:
            return False
        self._followed.add(path)
        first = versions[-1]
        older = self._store.versions_before_move(path, first.commit)
        self._versions[path] = versions + [v for v in older if v.commit != first.commit]
        return bool(older)

    def last_touch(self, path: str) -> Version | None:
        versions = self.versions(path)
        return versions[0] if versions else None

    def commits_since(self, commit: str) -> int:
        return self._order.get(commit, 0)

    def fingerprint(self, path: str, version: Version, local: str) -> Fingerprint | None:
        if version.blob is None:
            return None
        return self._store.fingerprint_in(path, version.blob, local)

    def symbol(self, path: str, version: Version, local: str) -> LocalSymbol | None:
        if version.blob is None:
            return None
        return self._store.symbol_in(path, version.blob, local)

    def prefetch_fingerprints(self, wanted: Iterable[tuple[str, Version | None, str]]) -> None:
        """Read (or parse, in parallel) these symbols' fingerprints (path, file version, local name) in one go."""
        self._store.prefetch_fingerprints(
            (path, v.blob, local) for path, v, local in wanted if v is not None and v.blob
        )

    def prefetch_symbols(self, wanted: Iterable[tuple[str, Version | None, str]]) -> None:
        self._store.prefetch_symbols((path, v.blob, local) for path, v, local in wanted if v is not None and v.blob)

    def _blamed_version(self, doc: str) -> tuple[str, str] | None:
        """(the commit that last changed the doc, its blob there) when that is the version blamed: then the blame
        is the same at any later commit and can be cached; None when the doc has uncommitted edits."""
        last = self.last_touch(doc)
        blob = self._doc_blobs.get(doc)
        return (last.commit, blob) if last is not None and last.blob is not None and last.blob == blob else None

    def prefetch_blames(self, docs: Iterable[str]) -> None:
        """Blame these docs now, all at once (see `OldVersions.blames`)."""
        wanted = [doc for doc in sorted(docs) if doc not in self._blames and self.versions(doc)]
        # The same version of a doc blames the same at every commit that has it (the score's trend walks
        # many commits): the store remembers blames by blob id for the run.
        requests = {
            doc: BlameRequest(self._doc_blobs.get(doc) if self._blame_rev else None, self._blamed_version(doc))
            for doc in wanted
        }
        self._blames.update(self._store.blames(requests, self._blame_rev))

    def section_time(self, doc: str, start: int, end: int) -> int | None:
        """When the lines `start..end` of the doc (as in the work tree) were last changed; None: not tracked."""
        if doc not in self._blames:
            self.prefetch_blames([doc])
        if doc not in self._blames:  # not tracked
            return None
        times = self._blames[doc][start - 1 : end]
        return max(times) if times else None
