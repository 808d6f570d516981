"""Which settings keys in the docs the project's settings loader no longer accepts (issue 17). Precision first: a
section we did not read, an open-ended one, or a key written as a placeholder is never reported. Pure: records in,
records out."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, replace

from docsync.commandline.settings_claims import CONFVAL, SettingClaim
from docsync.commandline.settings_keys import Settings, SettingsSection

CUTOFF = 0.8  # how close a key must be to be offered as the one the doc meant


@dataclass(frozen=True, slots=True)
class SettingProblem:
    """A key a doc writes in a section whose loader does not accept it."""

    claim: SettingClaim
    section: SettingsSection
    suggestion: str | None  # the key the loader names as its successor, else the closest accepted key

    @property
    def symbol(self) -> str:
        """As findings name it: `[tool.black] line_lenght`."""
        return f"[{self.section.section}] {self.claim.key}"


def judge_settings(claims: Iterable[SettingClaim], settings: Settings) -> tuple[SettingProblem, ...]:
    """The problems of every claim, in claim order."""
    claims = tuple(claims)
    anchored = _anchored_blocks(claims, settings)
    problems: list[SettingProblem] = []
    for claim in claims:
        section = _section_of(claim, settings)
        if section is None or section.open_ended or not claim.key or _is_placeholder(claim.key):
            continue
        if claim.key in section.keys:
            continue
        removed = claim.key in dict(section.replacements)
        if _is_file(section) and not removed and (claim.doc, claim.block) not in anchored:
            continue
        problems.append(SettingProblem(claim, section, _suggestion(claim.key, section)))
    return tuple(problems)


def _is_file(section: SettingsSection) -> bool:
    return section.section.endswith((".yml", ".yaml"))


def _anchored_blocks(claims: Iterable[SettingClaim], settings: Settings) -> set[tuple[str, int]]:
    """YAML blocks with at least one key the file accepts. A YAML block is taken for the project's file by the
    text around it (settings_claims); a block none of whose keys the file knows more likely shows another file or
    a plugin's sub-config (`my_plugin:`), so its keys are not judged unless the loader names them as removed."""
    anchored = set()
    for claim in claims:
        section = settings.section(claim.section)
        if section is not None and _is_file(section) and claim.key in section.keys:
            anchored.add((claim.doc, claim.block))
    return anchored


def _section_of(claim: SettingClaim, settings: Settings) -> SettingsSection | None:
    """The claim's section. A `.. confval::` names no section: it documents one of the project's own keys, so it
    is judged against every key the project declares, and only when all of them were read (`complete`); the
    section it is reported under is the first, with all those keys, closed (others' keys are not the project's
    to document)."""
    if claim.section != CONFVAL:
        return settings.section(claim.section)
    sections = list(settings.sections.values())
    if not sections or not all(section.complete for section in sections):
        return None
    keys = frozenset().union(*(section.keys for section in sections))
    replacements = tuple(pair for section in sections for pair in section.replacements)
    return replace(sections[0], keys=keys, open_ended=False, replacements=replacements)


def _suggestion(key: str, section: SettingsSection) -> str | None:
    replacements = dict(section.replacements)
    if replacements.get(key):
        return replacements[key]
    found = difflib.get_close_matches(key, sorted(section.keys), n=1, cutoff=CUTOFF)
    return found[0] if found else None


def _is_placeholder(key: str) -> bool:
    return any(mark in key for mark in ("<", ">", "...", "$", "{", "*"))
