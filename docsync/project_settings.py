"""The settings keys a snapshot's own loaders accept (`[tool.black]`, pytest's ini options, `mkdocs.yml`) and
the keys its docs show, through the cache (issue 17). Only the modules that may load settings are parsed."""

from __future__ import annotations

import ast
import contextlib
import re
import sys
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from docsync.cache import Cache, code_digest
from docsync.code_subsets import Chosen, ModuleSubset, digest, doc_claims, same_entries
from docsync.codec_values import BadEntry, checked_bool, checked_int, checked_list, checked_str
from docsync.command_lines import CommandLines
from docsync.loader import Loader, Snapshot
from docsync.symbols.parse import parse_python

if sys.version_info >= (3, 11):
    pass
else:  # pragma: no cover - Python 3.10
    pass

if TYPE_CHECKING:  # the readers are imported when settings or docs are read (a cache miss)
    from docsync.commandline.claim_records import SettingClaim
    from docsync.commandline.settings_model import Settings

MODULES_NAMESPACE = "settings-modules/2"  # table key -> the modules that may load settings (and per blob)
SETTINGS_NAMESPACE = "settings/1"  # those modules' blobs + the project's names + its command line -> Settings
SHOWS_NAMESPACE = "settings-shown/1"  # a doc version -> [1] when it may show a settings block, else []
CLAIMS_NAMESPACE = "settings-claims/1"  # + the YAML settings files; a doc version -> its claims


class ProjectSettings:
    """The settings of one repository's snapshots, read with the loader, cached in its cache."""

    def __init__(self, loader: Loader, cache: Cache, commands: CommandLines) -> None:
        self._loader, self._cache, self._commands = loader, cache, commands
        self._subset = ModuleSubset(loader, cache, MODULES_NAMESPACE, _mentions_settings, _needed)
        self._decoded: dict[str, Any] = {}  # cache key -> its decoded value, for the run
        self._settings: dict[str, Settings] = {}

    def after(self, base: Snapshot, head: Snapshot, changed: Collection[str]) -> None:
        """`head` is `base` changed in `changed` paths only (see `ModuleSubset.after`)."""
        self._subset.after(base, head, changed)

    def same_settings(self, base: Snapshot, head: Snapshot) -> bool:
        """Whether `head`'s loaders are known to accept what `base`'s did without decoding either: the change touched
        none of the modules that may load settings nor the command line they fill (see `after`), or both sets of
        sections are cached and equal."""
        return same_entries(self._cache, SETTINGS_NAMESPACE, self._key(base), self._key(head))

    def settings(self, snapshot: Snapshot) -> Settings:
        """The sections the project's loaders read (none when no loader can be read)."""
        if snapshot.label not in self._settings:
            self._settings[snapshot.label] = self._read(snapshot)
        return self._settings[snapshot.label]

    def showing(self, snapshot: Snapshot, docs: Sequence[str]) -> list[str]:
        """Those of `docs` that may show a settings block (a cheap text test, cached per doc version)."""
        shows = doc_claims(self._loader, self._cache, snapshot, docs, SHOWS_NAMESPACE, _shows, (list, _flags))
        return [doc for doc in docs if doc in shows]

    def claims(self, snapshot: Snapshot, docs: Sequence[str]) -> dict[str, tuple[SettingClaim, ...]]:
        """The settings keys these docs show in the project's own sections (none when it has none)."""
        docs = self.showing(snapshot, docs)
        if not docs:
            return {}  # no doc shows a settings block: the loaders need not be read at all
        settings = self.settings(snapshot)
        if not settings.sections:
            return {}
        files = sorted(name for name in settings.sections if name.endswith((".yml", ".yaml")))
        from docsync.commandline.settings_claims import CONFVAL, read_settings_claims

        def read(doc: str, text: str, doc_format: str) -> tuple[SettingClaim, ...]:
            return read_settings_claims(doc, text, doc_format, files)

        namespace = f"{CLAIMS_NAMESPACE}/{digest(files)}"
        found = doc_claims(self._loader, self._cache, snapshot, docs, namespace, read, (_encode_claims, _decode_claims))
        # Only the project's own sections (another tool's `[tool.other]` table in the same block is not a claim)
        own = {doc: tuple(c for c in claims if c.section in settings.sections or c.section == CONFVAL)
               for doc, claims in found.items()}  # fmt: skip
        return {doc: claims for doc, claims in own.items() if claims}

    def _key(self, snapshot: Snapshot) -> str:
        """What the settings are keyed by in the cache ("" when no module may load settings)."""
        modules = self._subset.chosen(snapshot)
        if not modules:
            return ""
        return digest([code_digest(), modules, self._names(snapshot, modules), self._commands.line_key(snapshot)])

    def _names(self, snapshot: Snapshot, modules: Chosen) -> list[str]:
        """The project's names: its distribution's, its scripts', and the top-level packages of the modules read."""
        packaging = self._commands.packaging(snapshot)
        return sorted({module.partition(".")[0] for module, _, _ in modules} | {*packaging.names, *packaging.scripts})

    def _read(self, snapshot: Snapshot) -> Settings:
        key = self._key(snapshot)
        if not key:
            from docsync.commandline.settings_model import Settings

            return Settings({})
        modules = self._subset.chosen(snapshot)
        names = self._names(snapshot, modules)
        if key in self._decoded:  # a change's base and head, mostly: one decode
            return self._decoded[key]
        cached = self._cache.get_many(SETTINGS_NAMESPACE, [key]).get(key)
        if cached is not None:
            with contextlib.suppress(BadEntry):
                self._decoded[key] = _decode_settings(cached)
                return self._decoded[key]
        from docsync.commandline.settings_keys import read_settings  # the readers: only on a cache miss

        line = self._commands.command_line(snapshot)
        trees, unparsed = self._parse(snapshot, modules)
        paths = {module: path for module, path, _ in modules}
        settings = read_settings(trees, paths, names, line if line.commands else None, unparsed)
        self._cache.put_many(SETTINGS_NAMESPACE, {key: _encode_settings(settings)})
        return settings

    def _parse(self, snapshot: Snapshot, modules: Chosen) -> tuple[dict[str, ast.Module], list[str]]:
        """Syntax trees (newer grammar too, through libcst), and the modules that did not parse."""
        trees: dict[str, ast.Module] = {}
        unparsed = []
        for module, path, _ in modules:
            try:
                trees[module] = parse_python(self._loader.read(snapshot.files[path]))
            except (SyntaxError, ValueError):
                unparsed.append(module)
        return trees, unparsed


# What a doc that shows settings must contain: a TOML/ini section header, a confval, a YAML settings file's name.
_MAY_SHOW = re.compile(r"^\s*\[[\w.:\" *-]+\]\s*$|confval|\.ya?ml\b", re.MULTILINE)  # not `['a', 'b']`


def _shows(doc: str, text: str, doc_format: str) -> tuple[int, ...]:
    return (1,) if _MAY_SHOW.search(text) else ()


def _flags(doc: str, value: Any) -> tuple[int, ...]:
    return tuple(checked_int(flag) for flag in checked_list(value))


def _encode_claims(claims: tuple[SettingClaim, ...]) -> list[Any]:
    return [[c.line, c.column, c.section, c.key, c.block] for c in claims]


def _decode_claims(doc: str, value: Any) -> tuple[SettingClaim, ...]:
    from docsync.commandline.claim_records import SettingClaim

    claims = []
    for item in checked_list(value):
        line, column, section, key, block = checked_list(item, 5)
        claims.append(
            SettingClaim(doc, checked_int(line), checked_int(column), checked_str(section), checked_str(key),
                         checked_int(block))
        )  # fmt: skip
    return tuple(claims)


def _encode_settings(settings: Settings) -> list[Any]:
    return [
        [s.section, sorted(s.keys), s.open_ended, s.path, s.line, [list(pair) for pair in s.replacements], s.complete]
        for s in settings.sections.values()
    ]


def _decode_settings(value: Any) -> Settings:
    from docsync.commandline.settings_model import Settings, SettingsSection

    sections = {}
    for item in checked_list(value):
        section, keys, open_ended, path, line, replacements, complete = checked_list(item, 7)
        pairs = tuple(
            (checked_str(a), checked_str(b)) for a, b in (checked_list(p, 2) for p in checked_list(replacements))
        )
        sections[checked_str(section)] = SettingsSection(
            checked_str(section), frozenset(checked_str(key) for key in checked_list(keys)), checked_bool(open_ended),
            checked_str(path), checked_int(line), pairs, checked_bool(complete),
        )  # fmt: skip
    return Settings(sections)


def _pair(value: Any) -> tuple[str, str]:
    old, new = checked_list(value, 2)
    return checked_str(old), checked_str(new)


def _mentions_settings(source: bytes) -> int:
    from docsync.commandline.settings_keys import mentions_settings  # imported once a file must be tested

    return mentions_settings(source)


def _needed(marks: int, found: int) -> bool:
    from docsync.commandline.settings_keys import settings_module_needed

    return settings_module_needed(marks, found)
