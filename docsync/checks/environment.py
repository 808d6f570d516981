"""The environment variables the docs tell users to set, judged against those the code reads (issue 17). A
variable the code no longer reads is reported only with evidence that it was the project's: the code read it when
the doc's line was written (whole repository: `git blame` dates the line), or at the change's base (a pull
request). Other tools' variables (`PATH`, `PYTHONPATH`) were never read by the project and are never reported."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from docsync.checks.command_line import CliJudged, doc_ignores
from docsync.findings import DocContext
from docsync.loader import WORKTREE, Snapshot
from docsync.models import DocScan
from docsync.workspace import Workspace

if TYPE_CHECKING:
    from docsync.commandline.env_claims import EnvClaim


def judge_environment(
    workspace: Workspace, head: Snapshot, docs: Sequence[str], scans: Mapping[str, DocScan], context: DocContext
) -> CliJudged:
    """Every variable these docs set that the head's code does not read but read when the doc's line was written."""
    environment = workspace.environment
    claims = environment.claims(head, docs)
    if not claims:
        return CliJudged()  # no doc sets a variable: the code's reads need not be known
    # The cheapest test first: a variable the code still spells is never reported, and when the code spells every
    # one, its reads need not be read (after a commit to SQLAlchemy: 74 modules, ~1.5 s).
    every = [claim for doc in sorted(claims) for claim in claims[doc]]
    spelled = environment.named_in_code(head, {claim.name for claim in every})
    unspelled = [claim for claim in every if claim.name not in spelled]
    if not unspelled or not workspace.repo.has_commits():
        return CliJudged(claims=_as_claims(claims))
    now = environment.reads(head)
    missing = [claim for claim in unspelled if not now.covers(claim.name)]
    if not missing:
        return CliJudged(claims=_as_claims(claims))
    from docsync.cli_findings import env_findings
    from docsync.commandline.env_judge import EnvProblem, suggestion

    written = _written_at(workspace, head, missing)
    evidence: dict[tuple[str, int, str], str] = {}
    for commit in sorted(set(written.values())):
        claimed = [claim for claim in missing if written[_key(claim)] == commit]
        read = environment.read_at(commit, {claim.name for claim in claimed})
        evidence.update((_key(claim), commit) for claim in claimed if claim.name in read)
    problems = [EnvProblem(claim, suggestion(claim.name, now)) for claim in missing if _key(claim) in evidence]
    findings = env_findings(problems, {_key(p.claim): evidence[_key(p.claim)] for p in problems}, context,
                            workspace.config, doc_ignores(scans))  # fmt: skip
    return CliJudged(tuple(findings), _as_claims(claims))


def environment_change(
    workspace: Workspace,
    base: Snapshot,
    head: Snapshot,
    docs: Sequence[str],
    changed: Iterable[str],
    context: DocContext,
) -> CliJudged:
    """The variables the change stopped reading while a doc still sets them, or that a changed doc now sets and
    the base read but the head does not."""
    environment = workspace.environment
    changed_docs = set(changed) & set(docs)
    every = environment.claims(head, docs)  # one cache lookup when no doc changed
    if not every:
        return CliJudged()  # no doc sets a variable: the code's modules need not even be chosen
    if environment.same_reads(base, head):  # only a changed doc can be wrong
        every = {doc: found for doc, found in every.items() if doc in changed_docs}
        if not every:
            return CliJudged()
    if not (environment.has_reads(head) and environment.has_reads(base)):
        # Reading the code's reads costs a parse of its modules; a variable the head still spells is never reported.
        names = {claim.name for found in every.values() for claim in found}
        if names <= environment.named_in_code(head, names):
            return CliJudged(claims={doc: found for doc, found in every.items() if doc in changed_docs})
    now, before = environment.reads(head), environment.reads(base)
    claims = every if now != before else {doc: found for doc, found in every.items() if doc in changed_docs}
    missing = [claim for doc in sorted(claims) for claim in claims[doc] if not now.covers(claim.name)]
    missing = [c for c in missing if before.covers(c.name)]  # else no evidence it was the project's
    spelled = environment.named_in_code(head, {claim.name for claim in missing}) if missing else set()
    missing = [claim for claim in missing if claim.name not in spelled]
    if not missing:
        return CliJudged(claims=_as_claims(claims))
    from docsync.cli_findings import env_findings
    from docsync.commandline.env_judge import EnvProblem, suggestion

    problems = [EnvProblem(claim, suggestion(claim.name, now)) for claim in missing if before.covers(claim.name)]
    if not problems:
        return CliJudged(claims=_as_claims(claims))
    scans = workspace.docs.scans(head, sorted({problem.claim.doc for problem in problems}))
    evidence = {_key(problem.claim): base.label for problem in problems}
    findings = env_findings(problems, evidence, DocContext.of(scans, updated_lines=context.updated_lines),
                            workspace.config, doc_ignores(scans))  # fmt: skip
    return CliJudged(tuple(findings), _as_claims(claims))


def _written_at(workspace: Workspace, head: Snapshot, claims: Sequence[EnvClaim]) -> dict[tuple[str, int, str], str]:
    """The commit that wrote each claim's line (an uncommitted line: HEAD's code is what it was written against)."""
    fallback = workspace.repo.resolve("HEAD" if head.label == WORKTREE else head.label)
    written: dict[tuple[str, int, str], str] = {}
    for doc in sorted({claim.doc for claim in claims}):
        lines = [claim.line for claim in claims if claim.doc == doc]
        commits = workspace.environment.line_commits(head, doc, lines)  # None: uncommitted, or git knows no doc
        written.update((_key(c), commits.get(c.line) or fallback) for c in claims if c.doc == doc)
    return written


def _key(claim: EnvClaim) -> tuple[str, int, str]:
    return (claim.doc, claim.line, claim.name)


def _as_claims(claims: Mapping[str, tuple[EnvClaim, ...]]) -> dict[str, tuple[EnvClaim, ...]]:
    return dict(claims)
