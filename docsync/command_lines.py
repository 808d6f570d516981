"""A snapshot's command line (what its console scripts accept) and the command lines its docs show, through the
cache (issue 17). Only the modules that can declare a command line are parsed, and only when one of them, or the
console scripts, changed: a change to any other code costs one cache lookup."""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import warnings
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from docsync.cache import Cache, code_digest
from docsync.codec_values import BadEntry
from docsync.commandline.claims import read_claims
from docsync.commandline.encoding import decode_claims, decode_command_line, encode_claims, encode_command_line
from docsync.commandline.model import CommandClaim, CommandLine
from docsync.commandline.project import (
    command_names,
    declares_command_line,
    import_statements,
    imported_modules,
    module_names,
    read_command_line,
)
from docsync.commandline.scripts import console_scripts
from docsync.loader import Loader, Snapshot
from docsync.references.history_pages import is_history_page

# Keyed by docsync's own code too: a reader that reads more must not answer from what an older one read.
MODULES_NAMESPACE = "cli-modules/1"  # table key + entries -> the modules that may declare commands [module, path, blob]
DECLARES_NAMESPACE = "cli-declares/2"  # blob -> [1 when it may declare commands, its imports then]
LINES_NAMESPACE = "cli-lines/1"  # those modules' blobs + scripts -> the CommandLine
CLAIMS_NAMESPACE = "cli-claims/1"  # a doc version + the command names -> its claims
PACKAGING = ("pyproject.toml", "setup.cfg", "setup.py")
FORMATS = {".md": "markdown", ".markdown": "markdown", ".rst": "rst", ".txt": "rst"}  # notebooks: not read
EMPTY = CommandLine(commands={}, scripts={})


class CommandLines:
    """The command lines of one repository's snapshots, read with the loader, cached in its cache."""

    def __init__(self, loader: Loader, cache: Cache) -> None:
        self._loader, self._cache = loader, cache
        self._lines: dict[str, CommandLine] = {}
        self._names: dict[str, dict[str, str]] = {}

    def command_line(self, snapshot: Snapshot) -> CommandLine:
        """What the snapshot's console scripts accept (EMPTY when it declares none)."""
        if snapshot.label not in self._lines:
            self._lines[snapshot.label] = self._read(snapshot)
        return self._lines[snapshot.label]

    def names(self, snapshot: Snapshot) -> dict[str, str]:
        """The project's command names as docs write them (`tool`, `python -m tool`) -> their script."""
        line = self.command_line(snapshot)
        return self._names.get(snapshot.label, {name: name for name in line.scripts})

    def claims(self, snapshot: Snapshot, docs: Sequence[str]) -> dict[str, tuple[CommandClaim, ...]]:
        """The command-line claims of these docs (history pages and notebooks have none), each doc version read
        once, ever, per set of command names."""
        names = self.names(snapshot)
        config = self._loader.config
        wanted = [
            doc
            for doc in docs
            if PurePosixPath(doc).suffix.lower() in FORMATS
            and doc in snapshot.files
            and not is_history_page(doc, False, config.history_docs, config.current_docs)
        ]
        if not names or not wanted:
            return {}
        names_id = _digest(sorted(names.items()))
        keys = {f"{code_digest()}:{snapshot.files[doc].blob}:{names_id}:{doc}": doc for doc in wanted}
        found: dict[str, tuple[CommandClaim, ...]] = {}
        for key, value in self._cache.get_many(CLAIMS_NAMESPACE, keys).items():
            with contextlib.suppress(BadEntry):
                found[keys[key]] = decode_claims(keys[key], value)
        fresh: dict[str, Any] = {}
        for key, doc in keys.items():
            if doc not in found:
                text = self._loader.read(snapshot.files[doc]).decode("utf-8", "replace")
                found[doc] = read_claims(doc, text, FORMATS[PurePosixPath(doc).suffix.lower()], names)
                fresh[key] = encode_claims(found[doc])
        self._cache.put_many(CLAIMS_NAMESPACE, fresh)
        return {doc: found[doc] for doc in wanted if found[doc]}

    # -- reading ---------------------------------------------------------------------------------------------

    def _read(self, snapshot: Snapshot) -> CommandLine:
        loader = self._loader
        scripts = console_scripts(*(loader.text(snapshot, name) for name in PACKAGING))
        if not scripts:
            return EMPTY
        entries = {entry.partition(":")[0].strip() for entry in scripts.values()}
        modules = self._modules(snapshot, entries)
        self._names[snapshot.label] = command_names(scripts, [module for module, _, _ in modules])
        key = _digest([code_digest(), sorted(scripts.items()), modules])
        cached = self._cache.get_many(LINES_NAMESPACE, [key]).get(key)
        if cached is not None:
            with contextlib.suppress(BadEntry):
                return decode_command_line(cached)
        trees = self._parse(snapshot, modules)
        line = read_command_line(trees, scripts, {module: path for module, path, _ in modules})
        self._cache.put_many(LINES_NAMESPACE, {key: encode_command_line(line)})
        return line

    def _modules(self, snapshot: Snapshot, entries: set[str]) -> list[list[str]]:
        """[module, path, blob] of the modules that may declare commands: the scripts' entry modules, and those
        whose text names a command-line library or a way of declaring options (see `declares_command_line`)."""
        loader = self._loader
        key = _digest([code_digest(), loader.table_key(snapshot), sorted(entries)])
        cached = self._cache.get_many(MODULES_NAMESPACE, [key]).get(key)
        if isinstance(cached, list) and all(isinstance(item, list) and len(item) == 3 for item in cached):
            return cached
        code = [path for path in snapshot.files if path.endswith(".py")]
        named = module_names(code, loader.code_roots(snapshot))
        read = self._declares({snapshot.files[path].blob: path for path in named.values()}, snapshot)
        chosen: set[str] = set()
        for module, path in named.items():
            flag, imports = read[snapshot.files[path].blob]
            wanted = module in entries or module.rpartition(".")[0] in entries or module.endswith(".__main__")
            if wanted or flag:
                # and what it imports from the project: the constants its options take (`choices=LOOP_SETUPS`)
                chosen |= {module, *imported_modules(module, path.endswith("__init__.py"), imports, named)}
        found = [[module, named[module], snapshot.files[named[module]].blob] for module in sorted(chosen)]
        self._cache.put_many(MODULES_NAMESPACE, {key: found})
        return found

    def _declares(self, blobs: Mapping[str, str], snapshot: Snapshot) -> dict[str, tuple[bool, list[Any]]]:
        """Blob id -> (whether that file version may declare commands, and then what it imports): cached, so that
        a change reads only the files it changed."""
        known = {
            blob: (bool(value[0]), value[1])
            for blob, value in self._cache.get_many(DECLARES_NAMESPACE, blobs).items()
            if isinstance(value, list) and len(value) == 2 and isinstance(value[1], list)
        }
        fresh = {}
        for blob, path in blobs.items():
            if blob not in known:
                source = self._loader.read(snapshot.files[path])
                flag = declares_command_line(source)
                known[blob] = (flag, import_statements(source) if flag else [])
                fresh[blob] = [int(flag), known[blob][1]]
        self._cache.put_many(DECLARES_NAMESPACE, fresh)
        return known

    def _parse(self, snapshot: Snapshot, modules: Sequence[Sequence[str]]) -> dict[str, ast.Module]:
        trees: dict[str, ast.Module] = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)  # invalid escapes in the project's code are not ours
            for module, path, _ in modules:
                source = self._loader.read(snapshot.files[path])
                with contextlib.suppress(SyntaxError, ValueError):
                    trees[module] = ast.parse(source, filename=path)
        return trees


def _digest(value: Any) -> str:
    return hashlib.blake2b(json.dumps(value, sort_keys=True).encode(), digest_size=16).hexdigest()
