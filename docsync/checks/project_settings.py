"""The settings keys the docs show (`[tool.x] key = ...`, `mkdocs.yml` blocks, `.. confval::`), judged against
the keys the project's own loaders accept (issue 17); in a change, only the problems the change caused."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from docsync.checks.command_line import CliJudged, doc_ignores
from docsync.findings import DocContext
from docsync.loader import Snapshot
from docsync.models import DocScan
from docsync.workspace import Workspace

if TYPE_CHECKING:
    from docsync.commandline.settings_claims import SettingClaim


def judge_settings_keys(
    workspace: Workspace, head: Snapshot, docs: Sequence[str], scans: Mapping[str, DocScan], context: DocContext
) -> CliJudged:
    """Every key these docs show in a section the project's loaders read completely."""
    store = workspace.settings_keys
    claims = store.claims(head, docs)
    if not claims:
        return CliJudged()
    from docsync.cli_findings import setting_findings
    from docsync.commandline.settings_judge import judge_settings  # with the claims' readers

    problems = judge_settings(_all(claims), store.settings(head))
    findings = setting_findings(problems, context, workspace.config, doc_ignores(scans))
    return CliJudged(tuple(findings), dict(claims))


def settings_change(
    workspace: Workspace,
    base: Snapshot,
    head: Snapshot,
    docs: Sequence[str],
    changed: Iterable[str],
    context: DocContext,
) -> CliJudged:
    """The keys the change made wrong: all docs' when the accepted keys changed, else the changed docs'; those
    already wrong at the base are not the change's."""
    store = workspace.settings_keys
    changed_docs = set(changed) & set(docs)
    shown = store.showing(head, docs)  # one cache lookup when no doc changed
    if not shown or (not changed_docs & set(shown) and store.same_settings(base, head)):
        return CliJudged()  # no doc shows settings, or none of those changed and neither did the loaders
    now, before = store.settings(head), store.settings(base)
    if not now.sections:
        return CliJudged()
    judged = list(docs) if now != before else sorted(changed_docs)
    claims = store.claims(head, judged) if judged else {}
    if not claims:
        return CliJudged()
    from docsync.cli_findings import setting_findings
    from docsync.commandline.settings_judge import judge_settings  # with the claims' readers

    problems = judge_settings(_all(claims), now)
    if not problems:
        return CliJudged(claims=dict(claims))
    base_claims = store.claims(base, [doc for doc in claims if doc in base.files])
    known = judge_settings(_all(base_claims), before) if before.sections else ()
    scans = workspace.docs.scans(head, sorted({problem.claim.doc for problem in problems}))
    findings = setting_findings(problems, DocContext.of(scans, updated_lines=context.updated_lines),
                                workspace.config, doc_ignores(scans), known_before=known)  # fmt: skip
    return CliJudged(tuple(findings), dict(claims))


def _all(claims: Mapping[str, tuple[SettingClaim, ...]]) -> tuple[SettingClaim, ...]:
    return tuple(claim for doc in sorted(claims) for claim in claims[doc])
