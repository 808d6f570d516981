"""The few modules of a snapshot that a reader needs (those that may declare a command line, or read the
environment), chosen by a cheap test of each file's text, and the claims of docs read by a claim reader: both
through the cache, so that a change reads only the files it changed and a doc version is read once, ever."""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import warnings
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any, TypeVar

from docsync.cache import Cache, code_digest
from docsync.codec_values import BadEntry
from docsync.commandline.modules import import_statements, imported_modules, module_names
from docsync.loader import Loader, Snapshot
from docsync.references.history_pages import is_history_page

_LAYOUT_FILES = ("pyproject.toml", "setup.cfg", "setup.py")  # where the code roots are declared
Chosen = list[list[str]]  # [module, path, blob] of each module chosen, sorted by module
# Folders of pages about what a project might do (UX research, proposals, RFCs): the options and settings they show
# were proposed, not shipped. Their command lines are no claims about the current ones.
_PROPOSAL_FOLDERS = frozenset(
    {"research", "research-results", "proposal", "proposals", "rfc", "rfcs", "adr", "adrs", "sep", "seps"}
)
FORMATS = {".md": "markdown", ".markdown": "markdown", ".rst": "rst", ".txt": "rst"}  # notebooks: not read
T = TypeVar("T")


def digest(value: Any) -> str:
    return hashlib.blake2b(json.dumps(value, sort_keys=True).encode(), digest_size=16).hexdigest()


def any_mark(marks: int, found: int) -> bool:
    return bool(marks)


class ModuleSubset:
    """The modules whose text passes `test` (and the project modules they import: the constants they use), kept
    per table key in `namespace` and the test's answer per blob in `namespace + "/blobs"`.

    `test` answers with bit flags (a bool is one flag); `keep(marks, found)` says whether a module marked `marks` is
    chosen when the snapshot's modules together are marked `found`: a module that only helps a reader (mkdocs'
    schema) is chosen only where another holds what the reader starts from (a module naming a YAML file)."""

    def __init__(
        self,
        loader: Loader,
        cache: Cache,
        namespace: str,
        test: Callable[[bytes], int],
        keep: Callable[[int, int], bool] = any_mark,
    ) -> None:
        self._loader, self._cache, self._namespace, self._test, self._keep = loader, cache, namespace, test, keep
        self._chosen: dict[tuple[str, tuple[str, ...]], Chosen] = {}  # (label, entries) -> chosen, for the run
        self._since: dict[str, tuple[Snapshot, frozenset[str]]] = {}  # head label -> (base, the paths changed)

    def after(self, base: Snapshot, head: Snapshot, changed: Collection[str]) -> None:
        """`head` is `base` with only `changed` paths changed: its subset is the base's when no changed file is
        or becomes one of it (a pull request that touches no such module reads one cache entry per changed file)."""
        self._since[head.label] = (base, frozenset(changed))

    def chosen(self, snapshot: Snapshot, entries: Collection[str] = ()) -> Chosen:
        """The chosen modules: those that pass the test, the `entries` (console scripts' modules: their package's
        modules and every `__main__` too), and the project modules they import."""
        memo = (snapshot.label, tuple(sorted(entries)))
        if memo not in self._chosen:
            self._chosen[memo] = self._derived(snapshot, entries) or self._choose(snapshot, entries)
        return self._chosen[memo]

    def _derived(self, snapshot: Snapshot, entries: Collection[str]) -> Chosen | None:
        """The base's subset, when the change to `snapshot` leaves it as it was (else None)."""
        base, changed = self._since.get(snapshot.label, (None, frozenset()))
        if base is None or any(path.endswith(_LAYOUT_FILES) or _entry_like(path, entries) for path in changed):
            return None  # the code roots may move; an entry's package or a `__main__` is always chosen
        if base.label == snapshot.label:
            return None
        memo = (base.label, tuple(sorted(entries)))
        before = self._chosen.get(memo) or self._chosen.setdefault(memo, self._choose(base, entries))  # not derived
        if changed & {path for _, path, _ in before}:
            return None
        touched = {snapshot.files[p].blob: p for p in changed if p.endswith(".py") and p in snapshot.files}
        if any(marks for marks, _ in self._tested(touched, snapshot).values()):
            return None
        return before

    def _choose(self, snapshot: Snapshot, entries: Collection[str]) -> Chosen:
        loader = self._loader
        # An old commit's (a line's history) table is never built for this: its code files' blobs key it instead.
        files = loader.built_table_key(snapshot) or digest(
            sorted((p, e.blob) for p, e in snapshot.files.items() if p.endswith(".py"))
        )
        key = digest([code_digest(), files, sorted(entries)])
        cached = self._cache.get_many(self._namespace, [key]).get(key)
        if isinstance(cached, list) and all(isinstance(item, list) and len(item) == 3 for item in cached):
            return cached

        def always(module: str) -> bool:
            return bool(entries) and (
                module in entries or module.rpartition(".")[0] in entries or module.endswith(".__main__")
            )

        named = module_names([p for p in snapshot.files if p.endswith(".py")], loader.code_roots(snapshot))
        read = self._tested({snapshot.files[path].blob: path for path in named.values()}, snapshot)
        found = 0
        for marks, _ in read.values():
            found |= marks
        chosen: set[str] = set()
        for module, path in named.items():
            marks, imports = read[snapshot.files[path].blob]
            if (marks and self._keep(marks, found)) or always(module):
                chosen |= {module, *imported_modules(module, path.endswith("__init__.py"), imports, named)}
        subset = [[module, named[module], snapshot.files[named[module]].blob] for module in sorted(chosen)]
        self._cache.put_many(self._namespace, {key: subset})
        return subset

    def _tested(self, blobs: Mapping[str, str], snapshot: Snapshot) -> dict[str, tuple[int, list[Any]]]:
        """Blob id -> (that file version's marks, 0 when it fails the test; and then what it imports)."""
        namespace = self._namespace + "/blobs"
        known = {
            blob: (value[0], value[1])
            for blob, value in self._cache.get_many(namespace, blobs).items()
            if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], list)
        }
        fresh = {}
        for blob, path in blobs.items():
            if blob not in known:
                source = self._loader.read(snapshot.files[path])
                marks = int(self._test(source))
                known[blob] = (marks, import_statements(source) if marks else [])
                fresh[blob] = [marks, known[blob][1]]
        self._cache.put_many(namespace, fresh)
        return known


def same_entries(cache: Cache, namespace: str, first: str, second: str) -> bool:
    """Whether two cache keys hold the same value (the same key, or both cached and equal): a change's base and
    head read from different modules often read the same, and comparing the stored values needs no decoding.
    False when either is not cached (then the caller reads them); an empty key (nothing to read) equals only itself."""
    if first == second or not (first and second):
        return first == second
    found = cache.get_many(namespace, [first, second])
    return first in found and second in found and found[first] == found[second]


def _entry_like(path: str, entries: Collection[str]) -> bool:
    """Whether a changed file may be chosen whatever its text: a `__main__`, an entry module or one of its
    package's (judged from the path alone, so some others too: then the subset is chosen again)."""
    if path.endswith("__main__.py"):
        return True
    dotted = "." + path.removesuffix(".py").replace("/", ".") + "."
    return any(f".{entry}." in dotted for entry in entries)


def parse_chosen(loader: Loader, snapshot: Snapshot, modules: Chosen) -> dict[str, ast.Module]:
    """The chosen modules' syntax trees (those that do not parse are left out)."""
    trees: dict[str, ast.Module] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)  # invalid escapes in the project's code are not ours
        for module, path, _ in modules:
            with contextlib.suppress(SyntaxError, ValueError):
                trees[module] = ast.parse(loader.read(snapshot.files[path]), filename=path)
    return trees


def doc_claims(
    loader: Loader,
    cache: Cache,
    snapshot: Snapshot,
    docs: Sequence[str],
    namespace: str,
    read: Callable[[str, str, str], tuple[T, ...]],
    codec: tuple[Callable[[tuple[T, ...]], Any], Callable[[str, Any], tuple[T, ...]]],
    may_claim: Callable[[str], bool] = lambda text: True,
) -> dict[str, tuple[T, ...]]:
    """`read(doc, text, format)` of each doc (not history pages nor notebooks), each doc version read once, ever
    (`namespace` must name what else the claims depend on); `codec`: (encode, decode) for the cache; `may_claim`:
    False for a text `read` would find nothing in (then it is not called).

    The claims of the whole set of doc versions are kept too, under one key: a pull request or a commit that
    changed no doc asks for all of them with one lookup (Django's 600 docs: one key instead of 600)."""
    config = loader.config
    encode, decode = codec
    present = [doc for doc in docs if doc in snapshot.files]
    if not present:
        return {}
    versions = [f"{snapshot.files[doc].blob}:{doc}" for doc in present]
    whole = digest([code_digest(), config.history_docs, config.current_docs, versions])
    together = cache.get_many(namespace + "/all", [whole]).get(whole)
    if isinstance(together, dict):  # which docs are read was decided when it was written
        with contextlib.suppress(BadEntry):
            return {doc: decode(doc, together[doc]) for doc in present if doc in together}
    wanted = set(_readable(loader, snapshot, present))
    keys = {f"{code_digest()}:{version}": doc for version, doc in zip(versions, present, strict=True) if doc in wanted}
    found: dict[str, tuple[T, ...]] = {}
    for key, value in cache.get_many(namespace, keys).items():
        with contextlib.suppress(BadEntry):
            found[keys[key]] = decode(keys[key], value)
    fresh: dict[str, Any] = {}
    for key, doc in keys.items():
        if doc not in found:
            text = loader.read(snapshot.files[doc]).decode("utf-8", "replace")
            # A cheap test of the text first: most docs claim nothing, and the readers parse Markdown again.
            found[doc] = read(doc, text, FORMATS[PurePosixPath(doc).suffix.lower()]) if may_claim(text) else ()
            fresh[key] = encode(found[doc])
    claimed = {doc: found[doc] for doc in present if doc in wanted and found[doc]}
    cache.put_many(namespace, fresh)
    cache.put_recent(namespace + "/all", whole, {doc: encode(claims) for doc, claims in claimed.items()})
    return claimed


_READABLE: dict[tuple[str, tuple[str, ...], tuple[str, ...]], bool] = {}  # (doc, config's globs) -> readable


def _readable(loader: Loader, snapshot: Snapshot, docs: Sequence[str]) -> list[str]:
    """Those of `docs` a claim reader reads: in a format it reads, not history pages nor proposals (the three
    stores ask the same docs in a run: each doc is judged once)."""
    config = loader.config
    wanted = []
    for doc in docs:
        if doc not in snapshot.files:
            continue
        memo = (doc, config.history_docs, config.current_docs)
        if memo not in _READABLE:
            _READABLE[memo] = (
                PurePosixPath(doc).suffix.lower() in FORMATS
                and not is_history_page(doc, False, config.history_docs, config.current_docs)
                and not is_proposal(doc)
            )
        if _READABLE[memo]:
            wanted.append(doc)
    return wanted


def is_proposal(doc: str) -> bool:
    return any(folder.lower() in _PROPOSAL_FOLDERS for folder in doc.split("/")[:-1])
