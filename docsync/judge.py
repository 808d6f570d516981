"""THE decision: what a doc uses of a symbol × what changed → a finding or not, its kind, severity and evidence.

A finding says what in the doc is now wrong. It is decided from what the doc *uses* of the symbol:

- the name (inline code, roles, imports, names in code): wrong when the name is gone (removed) or moved
  (renamed) -> error;
- a parameter, written in code context near the name: wrong when it was removed or renamed -> error; when its
  default changed where the doc writes the default -> warning;
- behaviour, by explicit coupling only (markers, front matter, `#L` links, literalinclude): the signature
  changed beyond typing, or the body -> warning; only the docstring -> info;
- a page generated from the code (autodoc, mkdocstrings): only a name gone or moved; the page renders the rest;
- anything that teaches a symbol which became deprecated since (its name, a call, a coupling) -> `deprecated`,
  a warning; an error when the change under review deprecated it (a pull request should update its docs).

Everything else is no finding: annotation-only changes, optional parameters added, parameters the doc does not
use, decorators and bases, and body or docstring changes under an inferred mention. Example calls are judged
against the current signature by `fit.py`: a call that still fits is not wrong, whatever changed around it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from docsync.models import CODE_STYLES, TYPING, Change, Kind, Reference, Severity, SignatureChange, Style, What
from docsync.symbols.annotations import canonical_annotation


class Use(str, Enum):
    """What a reference uses of its symbol, from how the doc wrote it."""

    NAME = "name"  # prose, inline code, roles: the symbol by its name
    CODE = "code"  # a code example, doctest or notebook cell: its calls are checked by `fit.py`
    BEHAVIOUR = "behaviour"  # an explicit coupling: a marker, front matter, a `#L` link, a literalinclude
    GENERATED = "generated"  # autodoc, mkdocstrings: the page shows the current code by itself


# Explicit couplings to what a symbol does, as opposed to what it is called.
_COUPLING_STYLES = frozenset({Style.MARKER, Style.FRONT_MATTER, Style.LITERALINCLUDE})
_GENERATED_STYLES = frozenset({Style.AUTODOC, Style.MKDOCSTRINGS})


def use_of(reference: Reference) -> Use:
    """What the reference uses of its symbol."""
    if reference.style in _GENERATED_STYLES:
        return Use.GENERATED
    if reference.style in _COUPLING_STYLES or reference.lines is not None:
        return Use.BEHAVIOUR
    if reference.style in CODE_STYLES:
        return Use.CODE
    return Use.NAME


@dataclass(frozen=True, slots=True)
class Mention:
    """A parameter the doc writes in code context near a reference: `` `qty` ``, `` `qty=1` ``, `:param qty:`."""

    name: str
    line: int
    column: int
    default: str | None = None  # the value written after `=`, if any
    # Whether the doc says the value is the default (its line says "default"): `by_alias=False` alone is an
    # argument a reader passes, and stays right when the default changes.
    claims_default: bool = False


@dataclass(frozen=True, slots=True)
class Verdict:
    """A finding's kind, severity and evidence: the changes that make the doc wrong, and where the doc is."""

    kind: Kind
    severity: Severity
    evidence: tuple[SignatureChange, ...] = ()
    at: Mention | None = None  # the parameter mention the finding is about, when it is about one


def judge(
    use: Use,
    change: Change,
    mentions: Mapping[str, Mention] | None = None,
    every_mention: bool = False,
    reviewing: bool = False,
) -> Verdict | None:
    """The finding a change makes of a reference that uses its symbol so (`mentions`: the changed parameters the
    doc writes near it, by name), or None when nothing the doc uses is wrong now. `every_mention` (the setting
    `behaviour-changes = "all"`) makes a body or docstring change worth a look under any name or code use too;
    `reviewing`: the change is the one under review (pull-request mode), not one found in history."""
    if change.kind is Kind.REMOVED:
        return Verdict(Kind.EXAMPLE if use is Use.CODE else Kind.REMOVED, Severity.ERROR)
    if change.kind is Kind.RENAMED:
        return Verdict(Kind.RENAMED, Severity.ERROR)
    if use is Use.GENERATED and not (change.kind is Kind.DEPRECATED and Kind.REMOVED in change.parts):
        return None  # the entry renders the new signature, docstring and deprecation by itself
    if change.kind is Kind.DEPRECATED:
        wrong = _parameters(change, mentions or {})
        if wrong is not None and wrong.severity is Severity.ERROR:
            return wrong
        return Verdict(Kind.DEPRECATED, Severity.ERROR if reviewing else Severity.WARNING)
    if use is Use.BEHAVIOUR:
        return _behaviour(change)
    verdict = _parameters(change, mentions or {})
    return _behaviour(change) if verdict is None and every_mention else verdict


def _behaviour(change: Change) -> Verdict | None:
    """An explicit coupling: any change but one of typing alone is worth a look."""
    meaningful = tuple(c for c in change.signature_changes if c.what not in TYPING)
    if Kind.SIGNATURE in change.parts and meaningful:
        return Verdict(Kind.SIGNATURE, Severity.WARNING, meaningful)
    if Kind.BODY in change.parts:
        return Verdict(Kind.BODY, Severity.WARNING)
    if Kind.DOCSTRING in change.parts:
        return Verdict(Kind.DOCSTRING, Severity.INFO)
    return None


def _parameters(change: Change, mentions: Mapping[str, Mention]) -> Verdict | None:
    """A name or code use: wrong only where it writes a parameter the change removed, renamed or re-defaulted."""
    found: list[tuple[Severity, SignatureChange, Mention]] = []
    for clause in change.signature_changes:
        name = clause.old if clause.what is What.PARAMETER_RENAMED else clause.parameter
        mention = mentions.get(name or "")
        severity = _parameter_severity(clause, mention) if mention is not None else None
        if severity is not None and mention is not None:
            found.append((severity, clause, mention))
    if not found:
        return None
    found.sort(key=lambda item: (item[0].rank, item[2].line, item[2].column))
    severity, _, at = found[0]
    return Verdict(Kind.SIGNATURE, severity, tuple(clause for _, clause, _ in found), at)


def _parameter_severity(clause: SignatureChange, mention: Mention) -> Severity | None:
    if clause.what in (What.PARAMETER_REMOVED, What.PARAMETER_RENAMED):
        return Severity.ERROR
    written = mention.default
    if written is None:
        return None
    if clause.what in (What.PARAMETER_DEFAULT, What.PARAMETER_NOW_REQUIRED):
        # "`timeout=5` by default" is the doc writing the default, when 5 was the default: now out of date.
        return Severity.WARNING if mention.claims_default and _same_value(written, clause.old) else None
    if clause.what is What.PARAMETER_KIND and clause.new == "positional-only":
        return Severity.WARNING  # `qty=2` can no longer be passed by keyword
    return None


def _same_value(written: str, default: str | None) -> bool:
    return default is not None and canonical_annotation(written) == canonical_annotation(default)
