"""Judging the environment variables docs tell users to set against those the code reads.

A claimed variable is a problem only when the code no longer reads it (by name or by a prefix it builds names
from) and read it at an earlier revision: that is the evidence the variable was the project's. Other tools'
variables (`PATH`, `PYTHONPATH`, `CI`) were never read by the project's code and are never reported. Pure:
records in, records out.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from docsync.commandline.env_claims import EnvClaim
from docsync.commandline.envvars import EnvReads

_CUTOFF = 0.8


@dataclass(frozen=True, slots=True)
class EnvProblem:
    """A variable a doc tells users to set that the code read before and no longer reads; `suggestion` is a
    variable it reads now that is likely the new spelling."""

    claim: EnvClaim
    suggestion: str | None = None


def judge_env(claims: Iterable[EnvClaim], now: EnvReads, before: Collection[str]) -> tuple[EnvProblem, ...]:
    """The claims whose variable `now` does not read, no prefix of `now` covers, and `before` names.

    Args:
        claims: the variables docs set, in any order (problems come back in the same order).
        now: what the code reads at the revision checked.
        before: the names the code read at some earlier revision.
    """
    return tuple(
        EnvProblem(claim, suggestion(claim.name, now))
        for claim in claims
        if claim.name in before and not now.covers(claim.name)
    )


def suggestion(name: str, now: EnvReads) -> str | None:
    """A name `now` reads that is close to `name` (difflib), or the same name under another prefix
    (`OLDTOOL_TOKEN` -> `TOOL_TOKEN`), when there is exactly one such."""
    close = difflib.get_close_matches(name, list(now.names), n=1, cutoff=_CUTOFF)
    if close:
        return close[0]
    _, underscore, tail = name.partition("_")
    if not underscore or not tail:
        return None
    renamed = sorted(other for other in now.names if other != name and other.partition("_")[2] == tail)
    return renamed[0] if len(renamed) == 1 else None
