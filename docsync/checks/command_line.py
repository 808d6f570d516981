"""The command lines the docs show, judged against what the project's console scripts accept (issue 17): in the
whole repository, every claim; in a change, only the problems the change caused (those at its head that its base
did not have), and only when the change touched the command line's code or a doc with claims."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docsync.findings import DocContext
from docsync.loader import WORKTREE, Snapshot
from docsync.models import DocScan, Finding, Ignore
from docsync.workspace import Workspace

if TYPE_CHECKING:  # the judge and the finding makers are imported when a doc has claims
    from docsync.commandline.judge import CliProblem
    from docsync.commandline.model import CommandClaim


@dataclass(frozen=True, slots=True)
class CliJudged:
    """The findings of the command-line claims judged, and the claims per doc (they count as references)."""

    findings: tuple[Finding, ...] = ()
    claims: Mapping[str, Sequence[object]] | None = None  # command-line claims, or variables the docs set

    def with_counts(self, references: Mapping[str, int]) -> dict[str, int]:
        """References per doc, the command lines each shows counted as references too."""
        claims = {doc: len(found) for doc, found in (self.claims or {}).items()}
        return {doc: references.get(doc, 0) + claims.get(doc, 0) for doc in sorted({*references, *claims})}


def judge_command_lines(
    workspace: Workspace, head: Snapshot, docs: Sequence[str], scans: Mapping[str, DocScan], context: DocContext
) -> CliJudged:
    """Every claim of these docs against the head's command line."""
    line = workspace.commands.command_line(head)
    if not line.commands:
        return CliJudged()
    claims = workspace.commands.claims(head, docs)
    from docsync.cli_findings import cli_findings
    from docsync.commandline.judge import judge_claims

    problems = _with_evidence(workspace, head, judge_claims(line, _all(claims)))
    if not problems:
        return CliJudged((), claims)
    from docsync.checks.command_line_history import removal_commits

    lines, dated = _lines(workspace, head, problems), removal_commits(workspace, head, problems)
    findings = cli_findings(problems, context, workspace.config, doc_ignores(scans), lines=lines, removed_in=dated)
    return CliJudged(tuple(findings), claims)


def command_line_change(
    workspace: Workspace,
    base: Snapshot,
    head: Snapshot,
    docs: Sequence[str],
    changed_paths: Iterable[str],
    context: DocContext,
) -> CliJudged:
    """The problems the change caused: all docs' claims when the command line changed, else the changed docs'.
    Those the base had already (the same word of the same command, in the same doc) are not the change's."""
    commands = workspace.commands
    changed = set(changed_paths)
    if not changed & set(docs) and commands.same(base, head):
        return CliJudged()  # no doc and not the command line changed: nothing is decoded nor looked up
    head_line = commands.command_line(head)
    if not head_line.commands:
        return CliJudged()
    base_line = commands.command_line(base)
    judged = list(docs) if base_line != head_line else [doc for doc in docs if doc in changed]
    if not judged:
        return CliJudged()
    claims = commands.claims(head, judged)
    from docsync.commandline.judge import accepts, judge_claims

    problems = judge_claims(head_line, _all(claims))
    problems = tuple(p for p in problems if not p.unsure or accepts(base_line, p))  # the base had it: evidence
    if not problems:
        return CliJudged((), claims)
    base_claims = commands.claims(base, [doc for doc in claims if doc in base.files]) if base_line.commands else {}
    before = judge_claims(base_line, _all(base_claims)) if base_claims else ()
    scans = workspace.docs.scans(head, sorted({problem.claim.doc for problem in problems}))
    context = DocContext.of(scans, updated_lines=context.updated_lines, lines=context.lines)
    lines = _lines(workspace, head, problems)
    from docsync.cli_findings import cli_findings

    findings = cli_findings(problems, context, workspace.config, doc_ignores(scans), known_before=before, lines=lines)
    return CliJudged(tuple(findings), claims)


def _all(claims: Mapping[str, tuple[CommandClaim, ...]]) -> tuple[CommandClaim, ...]:
    return tuple(claim for doc in sorted(claims) for claim in claims[doc])


def doc_ignores(scans: Mapping[str, DocScan]) -> dict[str, tuple[Ignore, ...]]:
    return {doc: scan.ignores for doc, scan in scans.items() if scan.ignores}


def _lines(workspace: Workspace, snapshot: Snapshot, problems: Iterable[CliProblem]) -> dict[str, list[str]]:
    """The text of the docs with problems, to place each finding on its word."""
    docs = {problem.claim.doc for problem in problems}
    read = workspace.loader.read
    return {doc: read(snapshot.files[doc]).decode("utf-8", "replace").splitlines() for doc in sorted(docs)}


def _with_evidence(workspace: Workspace, head: Snapshot, problems: Sequence[CliProblem]) -> tuple[CliProblem, ...]:
    """The problems, those of commands that take options we cannot see only when the project's own code declared
    the option when the doc's line was written (git blame dates the line; an uncommitted one: HEAD)."""
    unsure = [problem for problem in problems if problem.unsure]
    if not unsure or not workspace.repo.has_commits():
        return tuple(problem for problem in problems if not problem.unsure)
    from docsync.commandline.judge import accepts

    loader = workspace.loader
    fallback = workspace.repo.resolve("HEAD" if head.label == WORKTREE else head.label)
    kept = []
    for doc in sorted({problem.claim.doc for problem in unsure}):
        mine = [problem for problem in unsure if problem.claim.doc == doc]
        written = workspace.environment.line_commits(head, doc, [problem.claim.line for problem in mine])
        for problem in mine:
            then = workspace.commands.command_line(loader.snapshot(written.get(problem.claim.line) or fallback))
            if accepts(then, problem):
                kept.append(problem)
    return tuple(problem for problem in problems if not problem.unsure or problem in kept)
