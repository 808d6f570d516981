"""The environment variables a snapshot's code reads, those its docs tell users to set, and whether the code
read a variable at an older commit (the evidence that a variable the code no longer reads was the project's), all
through the cache (issue 17)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from docsync.cache import Cache, code_digest
from docsync.code_subsets import ModuleSubset, digest, doc_claims, parse_chosen, same_entries
from docsync.codec_values import BadEntry, checked_int, checked_list, checked_str
from docsync.commandline.modules import module_names
from docsync.gitrepo import GitRepo
from docsync.loader import STAGED, WORKTREE, Loader, Snapshot

if TYPE_CHECKING:  # the readers are imported when a file must be read (a cache miss)
    from docsync.commandline.claim_records import EnvClaim
    from docsync.commandline.envvars import EnvReads

MODULES_NAMESPACE = "env-modules/1"  # table key -> the modules that may read the environment (and per blob)
READS_NAMESPACE = "env-reads/1"  # those modules' blobs -> the EnvReads
CLAIMS_NAMESPACE = "env-claims/1"  # a doc version -> its claims
LINES_NAMESPACE = "line-commits/1"  # a doc version + a line -> the commit that wrote it (committed lines only)
READ_AT_NAMESPACE = "env-read-at/1"  # commit + name -> 1 when the code at that commit read it
SPELLED_NAMESPACE = "env-spelled/1"  # the Python files' versions + names -> those the files spell


class Environment:
    """What one repository's snapshots read from the environment, and what their docs tell users to set."""

    def __init__(self, loader: Loader, cache: Cache) -> None:
        self._loader, self._cache = loader, cache
        self._subset = ModuleSubset(loader, cache, MODULES_NAMESPACE, _mentions_env)
        self._decoded: dict[str, Any] = {}  # cache key -> its decoded value, for the run
        self._reads: dict[str, EnvReads] = {}

    def after(self, base: Snapshot, head: Snapshot, changed: Collection[str]) -> None:
        """`head` is `base` changed in `changed` paths only (see `ModuleSubset.after`)."""
        self._subset.after(base, head, changed)

    def reads(self, snapshot: Snapshot) -> EnvReads:
        """The variables the snapshot's code reads, by name and by prefix."""
        if snapshot.label not in self._reads:
            self._reads[snapshot.label] = self._read(snapshot)
        return self._reads[snapshot.label]

    def has_reads(self, snapshot: Snapshot) -> bool:
        """Whether the snapshot's reads are known without reading its code (this run's, or the cache's)."""
        key = self._key(snapshot)
        known = snapshot.label in self._reads or key in self._decoded
        return known or bool(self._cache.get_many(READS_NAMESPACE, [key]))

    def same_reads(self, base: Snapshot, head: Snapshot) -> bool:
        """Whether `head` is known to read what `base` reads without reading either: the change touched no module
        that may read (see `after`), or both reads are cached and equal. False when it takes reading to know."""
        return same_entries(self._cache, READS_NAMESPACE, self._key(base), self._key(head))

    def claims(self, snapshot: Snapshot, docs: Sequence[str]) -> dict[str, tuple[EnvClaim, ...]]:
        """The variables these docs tell users to set (history pages and notebooks: none)."""

        def read(doc: str, text: str, doc_format: str) -> tuple[EnvClaim, ...]:
            from docsync.commandline.env_claims import read_env_claims  # imported when a doc is read

            return read_env_claims(doc, text, doc_format)

        codec = (_encode_claims, _decode_claims)
        return doc_claims(self._loader, self._cache, snapshot, docs, CLAIMS_NAMESPACE, read, codec, _may_set)

    def read_at(self, commit: str, names: Collection[str]) -> set[str]:
        """Those of `names` that the project's own code (not vendored code) read at `commit`: the few files that
        name one of them are parsed; each answer is kept (a commit does not change)."""
        keys = {f"{commit}:{name}": name for name in sorted(set(names))}
        known = {keys[key]: bool(flag) for key, flag in self._cache.get_many(READ_AT_NAMESPACE, keys).items()}
        unknown = [name for name in keys.values() if name not in known]
        if unknown:
            read = self._read_at(commit, unknown)
            known.update((name, name in read) for name in unknown)
            self._cache.put_many(READ_AT_NAMESPACE, {f"{commit}:{name}": int(name in read) for name in unknown})
        return {name for name, flag in known.items() if flag}

    def line_commits(self, snapshot: Snapshot, doc: str, lines: Collection[int]) -> dict[int, str | None]:
        """`blame_commits` of these lines of the snapshot's doc, kept per doc version and line (a doc a commit
        leaves alone is not blamed again: a blame walks the doc's whole history)."""
        blob = snapshot.files[doc].blob if doc in snapshot.files else None
        keys = {f"{blob}:{line}": line for line in sorted(set(lines))} if blob else {}
        found = self._cache.get_many(LINES_NAMESPACE, keys).items()
        known: dict[int, str | None] = {keys[key]: value for key, value in found if isinstance(value, str)}
        wanted = [line for line in lines if line not in known]
        if wanted:
            rev = None if snapshot.label == WORKTREE else snapshot.label
            blamed = blame_commits(self._loader.repo, doc, wanted, rev)
            known.update(blamed)
            if blob:
                self._cache.put_many(
                    LINES_NAMESPACE, {f"{blob}:{line}": blamed[line] for line in wanted if blamed.get(line)}
                )
        return {line: known.get(line) for line in lines}

    def named_in_code(self, snapshot: Snapshot, names: Collection[str]) -> set[str]:
        """Those of `names` that the snapshot's Python files still spell somewhere (a read we may not see: through
        a project function in a module that names no environment API, a message, the build's `setup.py`, the
        tests): such a variable is never reported as no longer read. One `git grep`, its answer kept per set of
        Python file versions (Django's tree: 90 ms a run)."""
        if not names:
            return set()
        python = sorted((path, entry.blob) for path, entry in snapshot.files.items() if path.endswith(".py"))
        key = digest([python, sorted(set(names))])
        cached = self._cache.get_many(SPELLED_NAMESPACE, [key]).get(key)
        if isinstance(cached, list) and all(isinstance(name, str) for name in cached):
            return set(cached)
        rev = {WORKTREE: [], STAGED: ["--cached"]}.get(snapshot.label, [snapshot.label])
        patterns = [argument for name in sorted(set(names)) for argument in ("-e", name)]
        out = self._loader.repo.query("grep", "-h", "-o", "-w", "-F", *patterns, *rev, "--", "*.py")
        spelled = {line.strip() for line in (out or "").splitlines()} & set(names)  # None: no match (exit 1)
        self._cache.put_many(SPELLED_NAMESPACE, {key: sorted(spelled)})
        return spelled

    def _key(self, snapshot: Snapshot) -> str:
        return digest([code_digest(), self._subset.chosen(snapshot)])

    def _read(self, snapshot: Snapshot) -> EnvReads:
        modules = self._subset.chosen(snapshot)
        key = self._key(snapshot)
        if key in self._decoded:  # a change's base and head, mostly: one decode
            return self._decoded[key]
        cached = self._cache.get_many(READS_NAMESPACE, [key]).get(key)
        if cached is not None:
            with contextlib.suppress(BadEntry):
                self._decoded[key] = _decode_reads(cached)
                return self._decoded[key]
        from docsync.commandline.envvars import read_env_reads

        trees = parse_chosen(self._loader, snapshot, modules)
        reads = read_env_reads(trees, {module: path for module, path, _ in modules})
        self._cache.put_many(READS_NAMESPACE, {key: [dict(reads.names), list(reads.prefixes)]})
        return reads

    def _read_at(self, commit: str, names: Sequence[str]) -> set[str]:
        loader = self._loader
        snapshot = loader.snapshot(commit)
        roots = loader.code_roots(snapshot)
        pathspecs = [f"{root}/*.py" if root else "*.py" for root in roots] or ["*.py"]
        files = files_naming(loader.repo, commit, names, pathspecs)
        named = module_names(files, roots)
        chosen = [[module, path, snapshot.files[path].blob] for module, path in named.items() if path in snapshot.files]
        trees = parse_chosen(loader, snapshot, chosen)
        from docsync.commandline.envvars import read_env_reads

        return set(read_env_reads(trees, named, vendored=False).names) & set(names)


# What a doc that sets a variable must contain: an assignment of an upper-case name, a shell's way of setting one,
# Sphinx's envvar, Dockerfile's ENV, YAML's environment:, or the words themselves (inline names next to them).
_MAY_SET = re.compile(r"[A-Z][A-Z0-9_]{2,}=|export |setenv|\$env:|set -x|\bENV\b|(?i:envvar|environment|env var)")


def _may_set(text: str) -> bool:
    return _MAY_SET.search(text) is not None


def _encode_claims(claims: tuple[EnvClaim, ...]) -> list[Any]:
    return [[claim.line, claim.column, claim.name, claim.how] for claim in claims]


def _decode_claims(doc: str, value: Any) -> tuple[EnvClaim, ...]:
    from docsync.commandline.claim_records import EnvClaim

    claims = []
    for item in checked_list(value):
        line, column, name, how = checked_list(item, 4)
        claims.append(EnvClaim(doc, checked_int(line), checked_int(column), checked_str(name), checked_str(how)))
    return tuple(claims)


def _mentions_env(source: bytes) -> bool:
    from docsync.commandline.envvars import mentions_env  # imported once a file must be tested

    return mentions_env(source)


def _decode_reads(value: Any) -> EnvReads:
    from docsync.commandline.envvars import EnvReads

    names, prefixes = checked_list(value, 2)
    if not isinstance(names, dict):
        raise BadEntry("environment reads: names is not a mapping")
    read: dict[str, tuple[str, int]] = {}
    for name, where in names.items():
        path, line = checked_list(where, 2)
        read[checked_str(name)] = (checked_str(path), checked_int(line))
    return EnvReads(read, tuple(checked_str(prefix) for prefix in checked_list(prefixes)))


def blame_commits(repo: GitRepo, path: str, lines: Iterable[int], rev: str | None = None) -> dict[int, str | None]:
    """For these lines of `path` (at `rev`, else in the work tree), the commit that last changed each, as it landed
    on the first-parent line (None: not committed yet); {} when git cannot blame it (a doc git does not know)."""
    ranges = [argument for line in sorted(set(lines)) for argument in ("-L", f"{line},{line}")]
    if not ranges or (rev or "").startswith("-"):
        return {}
    out = repo.query("blame", "--porcelain", "--first-parent", *ranges, *([rev] if rev else []), "--", path)
    found: dict[int, str | None] = {}
    for line in (out or "").splitlines():
        fields = line.split()
        if len(fields) >= 3 and len(fields[0]) == 40 and all(c in "0123456789abcdef" for c in fields[0]):
            found[int(fields[2])] = None if set(fields[0]) == {"0"} else fields[0]
    return found


def files_naming(repo: GitRepo, commit: str, words: Iterable[str], pathspecs: Sequence[str]) -> list[str]:
    """The files of `commit` under `pathspecs` that contain one of `words` as a whole word."""
    patterns = [argument for word in sorted(set(words)) for argument in ("-e", word)]
    out = repo.query("grep", "-l", "-w", "-F", *patterns, commit, "--", *pathspecs) if patterns else None
    return [line.removeprefix(f"{commit}:") for line in (out or "").splitlines()]
