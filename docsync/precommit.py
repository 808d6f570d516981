"""What the pre-commit hook checks: pre-commit's ref range, the staged change, or the whole work tree."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from docsync.gitrepo import GitRepo


@dataclass(frozen=True, slots=True)
class HookRange:
    """The check's mode: `base`..`head` (pull-request mode), the staged change, or (all unset) the work tree."""

    base: str | None = None
    head: str | None = None
    staged: bool = False


def hook_range(repo: GitRepo, env: Mapping[str, str]) -> HookRange:
    """`pre-commit run --from-ref A --to-ref B` (and pre-push) sets PRE_COMMIT_FROM_REF/TO_REF: check that range.
    A commit stages something: check it. Nothing staged (`--all-files`, pre-commit.ci): the whole tree, as CI would."""
    # pre-commit < 2 named them SOURCE/ORIGIN; a branch new to the remote may come as the null sha: no base.
    from_ref = env.get("PRE_COMMIT_FROM_REF") or env.get("PRE_COMMIT_SOURCE") or ""
    to_ref = env.get("PRE_COMMIT_TO_REF") or env.get("PRE_COMMIT_ORIGIN") or ""
    if from_ref.strip("0") and to_ref:
        return HookRange(base=from_ref, head=to_ref)
    if to_ref:
        return HookRange(head=to_ref)  # nothing to compare with: that revision's whole tree
    if repo.has_commits() and repo.has_staged_changes():
        return HookRange(staged=True)
    return HookRange()
