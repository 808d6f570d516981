"""The records of the settings a project's loaders accept (see settings_keys): light, so that a cached answer is
decoded without importing the readers. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SettingsSection:
    """The keys one section accepts: `tool.black` (a pyproject table), `pytest` (an ini section), `mkdocs.yml`
    (a YAML file's top level). `section` is spelled as docs write it."""

    section: str
    keys: frozenset[str]
    open_ended: bool  # a key we cannot see may be accepted (plugins, keys passed on): never judged
    path: str  # the file that declares the keys (repository-relative)
    line: int
    # Keys the loader rejects with a named successor (mkdocs' `Deprecated(removed=True, moved_to="nav")`).
    replacements: tuple[tuple[str, str], ...] = ()
    # Every key the project's own code declares was read (open-ended or not): a `.. confval::` in its docs, which
    # documents the project's own keys, can be judged against `keys` even in an open-ended section.
    complete: bool = True


@dataclass(frozen=True, slots=True)
class Settings:
    """Every settings section read, by its name as docs write it."""

    sections: Mapping[str, SettingsSection]

    def section(self, name: str) -> SettingsSection | None:
        return self.sections.get(name)
