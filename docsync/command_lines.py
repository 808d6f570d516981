"""A snapshot's command line (what its console scripts accept) and the command lines its docs show, through the
cache (issue 17). Only the modules that can declare a command line are parsed, and only when one of them, or the
console scripts, changed: a change to any other code costs one cache lookup."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docsync.cache import Cache, code_digest
from docsync.code_subsets import Chosen, ModuleSubset, digest, doc_claims, parse_chosen, same_entries
from docsync.codec_values import BadEntry, checked_list, checked_str
from docsync.commandline.modules import command_names, declares_command_line
from docsync.commandline.scripts import console_scripts, script_entry, setup_py_scripts
from docsync.loader import Loader, Snapshot

if TYPE_CHECKING:  # the records and their codec: once a project has console scripts
    from docsync.commandline.model import CommandClaim, CommandLine

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# Keyed by docsync's own code too: a reader that reads more must not answer from what an older one read.
MODULES_NAMESPACE = "cli-modules/2"  # table key + entries -> the modules that may declare commands (and per blob)
LINES_NAMESPACE = "cli-lines/1"  # those modules' blobs + scripts -> the CommandLine
CLAIMS_NAMESPACE = "cli-claims/2"  # + the command names; a doc version -> its claims
PACKAGING_NAMESPACE = "packaging/1"  # the packaging files' blobs -> Packaging (and the script files it read)
PACKAGING = ("pyproject.toml", "setup.cfg", "setup.py")


@dataclass(frozen=True, slots=True)
class Packaging:
    """What a snapshot's packaging files say: its console scripts (name -> `module:function`) and the
    distribution's names (pyproject's `project.name`, poetry's)."""

    scripts: Mapping[str, str]
    names: tuple[str, ...]


class CommandLines:
    """The command lines of one repository's snapshots, read with the loader, cached in its cache."""

    def __init__(self, loader: Loader, cache: Cache) -> None:
        self._loader, self._cache = loader, cache
        self._subset = ModuleSubset(loader, cache, MODULES_NAMESPACE, declares_command_line)
        self._decoded: dict[str, Any] = {}  # cache key -> its decoded value, for the run
        self._lines: dict[str, CommandLine] = {}
        self._names: dict[str, dict[str, str]] = {}
        self._keys: dict[str, tuple[str, Mapping[str, str], Chosen] | None] = {}  # label -> key, scripts, modules
        self._packaging: dict[str, Packaging] = {}

    def after(self, base: Snapshot, head: Snapshot, changed: Collection[str]) -> None:
        """`head` is `base` changed in `changed` paths only (see `ModuleSubset.after`)."""
        self._subset.after(base, head, changed)

    def command_line(self, snapshot: Snapshot) -> CommandLine:
        """What the snapshot's console scripts accept (no command when it declares none)."""
        if snapshot.label not in self._lines:
            self._lines[snapshot.label] = self._read(snapshot)
        return self._lines[snapshot.label]

    def same(self, base: Snapshot, head: Snapshot) -> bool:
        """Whether `head`'s command line is known to be `base`'s without decoding either: the same console scripts
        and modules that may declare commands (see `after`), or both lines cached and equal."""
        return same_entries(self._cache, LINES_NAMESPACE, self.line_key(base), self.line_key(head))

    def names(self, snapshot: Snapshot) -> dict[str, str]:
        """The project's command names as docs write them (`tool`, `python -m tool`) -> their script."""
        line = self.command_line(snapshot)
        return self._names.get(snapshot.label, {name: name for name in line.scripts})

    def claims(self, snapshot: Snapshot, docs: Sequence[str]) -> dict[str, tuple[CommandClaim, ...]]:
        """The command-line claims of these docs (history pages and notebooks have none), each doc version read
        once, ever, per set of command names."""
        names = self.names(snapshot)
        if not names:
            return {}
        namespace = f"{CLAIMS_NAMESPACE}/{digest(sorted(names.items()))}"

        def read(doc: str, text: str, doc_format: str) -> tuple[CommandClaim, ...]:
            from docsync.commandline.claims import read_claims  # imported when a doc is read: Markdown parsers

            return read_claims(doc, text, doc_format, names)

        words = {name.split()[-1].lower() for name in names}  # `tool`, and `python -m tool`'s package

        # An options table under `## build` names no command, but has flags; Django's `:djadmin:` roles neither.
        def may_claim(text: str) -> bool:
            lowered = text.lower()
            return "--" in text or ":djadmin" in text or any(word in lowered for word in words)

        from docsync.commandline.encoding import decode_claims, encode_claims

        codec = (encode_claims, decode_claims)
        return doc_claims(self._loader, self._cache, snapshot, docs, namespace, read, codec, may_claim)

    def packaging(self, snapshot: Snapshot) -> Packaging:
        """The snapshot's console scripts and distribution names, cached by the packaging files' versions: a warm
        run reads no file (starting git's blob reader costs a warm pull-request check ~10 ms)."""
        if snapshot.label not in self._packaging:
            self._packaging[snapshot.label] = self._cached_packaging(snapshot)
        return self._packaging[snapshot.label]

    def line_key(self, snapshot: Snapshot) -> str:
        """What the command line is keyed by in the cache ("" when there is none): equal keys, equal lines."""
        found = self._key(snapshot)
        return found[0] if found else ""

    # -- reading ---------------------------------------------------------------------------------------------

    def _cached_packaging(self, snapshot: Snapshot) -> Packaging:
        files = snapshot.files
        key = digest([code_digest(), [[name, files[name].blob] for name in PACKAGING if name in files]])
        cached = self._cache.get_many(PACKAGING_NAMESPACE, [key]).get(key)
        with contextlib.suppress(BadEntry, AttributeError, TypeError, ValueError):
            scripts, names, read = checked_list(cached, 3)
            if all(files[path].blob == blob if path in files else blob == "" for path, blob in read.items()):
                found = {checked_str(name): checked_str(entry) for name, entry in scripts.items()}
                return Packaging(found, tuple(checked_str(name) for name in checked_list(names)))
        loader = self._loader
        read_files: dict[str, str] = {}  # the script files read too (`setup(scripts=[...])`), with their blobs
        scripts = console_scripts(*(loader.text(snapshot, name) for name in PACKAGING)) or self._script_files(
            snapshot, read_files
        )
        packaging = Packaging(scripts, _distribution_names(loader.text(snapshot, PACKAGING[0])))
        self._cache.put_many(PACKAGING_NAMESPACE, {key: [dict(scripts), list(packaging.names), read_files]})
        return packaging

    def _script_files(self, snapshot: Snapshot, read: dict[str, str]) -> dict[str, str]:
        """Before entry points: `setup(scripts=["bin/tool"])`, each file's name the command, what it runs the entry;
        `read` gets each script file's blob ("" for a file the snapshot does not have)."""
        setup_py = self._loader.text(snapshot, "setup.py")
        found = {}
        for path in setup_py_scripts(setup_py) if setup_py else ():
            read[path] = snapshot.files[path].blob if path in snapshot.files else ""
            entry = script_entry(self._loader.text(snapshot, path) or "")
            if entry is not None:
                found[path.rpartition("/")[2].removesuffix(".py")] = entry
        return found

    def _key(self, snapshot: Snapshot) -> tuple[str, Mapping[str, str], Chosen] | None:
        """What the command line is read from, and its cache key (None: no console script)."""
        if snapshot.label not in self._keys:
            scripts = self.packaging(snapshot).scripts
            if not scripts:
                self._keys[snapshot.label] = None
                return None
            entries = {entry.partition(":")[0].strip() for entry in scripts.values()}
            modules = self._subset.chosen(snapshot, entries)
            key = digest([code_digest(), sorted(scripts.items()), modules])
            self._keys[snapshot.label] = (key, scripts, modules)
        return self._keys[snapshot.label]

    def _read(self, snapshot: Snapshot) -> CommandLine:
        from docsync.commandline.encoding import decode_command_line, encode_command_line
        from docsync.commandline.model import CommandLine

        found = self._key(snapshot)
        if found is None:
            return CommandLine(commands={}, scripts={})
        key, scripts, modules = found
        loader = self._loader
        self._names[snapshot.label] = command_names(scripts, [module for module, _, _ in modules])
        if key in self._decoded:  # a change's base and head, mostly: one decode
            return self._decoded[key]
        cached = self._cache.get_many(LINES_NAMESPACE, [key]).get(key)
        if cached is not None:
            with contextlib.suppress(BadEntry):
                self._decoded[key] = decode_command_line(cached)
                return self._decoded[key]
        from docsync.commandline.project import read_command_line  # the readers: only on a cache miss

        trees = parse_chosen(loader, snapshot, modules)
        line = read_command_line(trees, scripts, {module: path for module, path, _ in modules})
        self._cache.put_many(LINES_NAMESPACE, {key: encode_command_line(line)})
        return line


def _distribution_names(pyproject: str | None) -> tuple[str, ...]:
    """pyproject's `project.name` and poetry's `tool.poetry.name` (none when it does not parse)."""
    with contextlib.suppress(tomllib.TOMLDecodeError, ValueError, AttributeError):
        data = tomllib.loads(pyproject or "")
        found = (data.get("project", {}).get("name"), data.get("tool", {}).get("poetry", {}).get("name"))
        return tuple(name for name in found if isinstance(name, str))
    return ()
