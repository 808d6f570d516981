"""`docsync map`: every doc → symbol reference found in the work tree (or a commit)."""

from __future__ import annotations

from typing import TextIO

from docsync.answers import Answer, Question, keep, recall
from docsync.checks.carried_map import map_carried
from docsync.cli_findings import claim_references, setting_references, variable_references
from docsync.loader import WORKTREE, Snapshot
from docsync.models import DocMap
from docsync.output import emit
from docsync.render import json_v1, text
from docsync.runlog import SILENT, RunLog
from docsync.workspace import Workspace


def map_command(
    workspace: Workspace,
    format: str,
    out: TextIO,
    rev: str | None = None,
    output: str | None = None,
    quiet: bool = False,
    log: RunLog = SILENT,
) -> int:
    """Print the map (or write it to `output`); `quiet`: the references alone, without the count."""
    started = log.start()
    label = workspace.repo.resolve(rev) if rev else WORKTREE
    question = Question("map", (label,), (format, quiet))
    key, answer = recall(workspace, question)
    if answer is not None and isinstance(answer.result, str):  # the same tree mapped before: its map
        answer.replay(workspace, log, started)
        rendered = answer.result
    else:
        snapshot = workspace.loader.snapshot(label)
        mapped = map_carried(workspace, label if rev else None, snapshot)
        doc_map, table = _with_command_lines(workspace, snapshot, mapped.doc_map), mapped.table
        what = (
            f"mapped {rev or 'the work tree'}: {len(doc_map.by_doc())} docs with references, {len(table.modules)} "
            f"modules ({len(table.symbols)} symbols), {len(doc_map.references)} references resolved"
        )
        if mapped.carried_from is not None:
            what += f"; {len(mapped.resolved)} docs resolved again, the others as mapped at {mapped.carried_from[:10]}"
        log.done(started, what)
        rendered = json_v1.render_map(doc_map) if format == "json" else text.render_map(doc_map, not quiet)
        keep(workspace, question, key, Answer(rendered, what, workspace.loader.diagnostics.sorted()))
    workspace.report_diagnostics()
    emit(rendered, output, out)
    return 0


def _with_command_lines(workspace: Workspace, snapshot: Snapshot, doc_map: DocMap) -> DocMap:
    """The map, with the command lines the docs show (styles `cli-command`, `cli-option`), the environment
    variables they set (`env-var`) and the settings keys they write (`setting`) among the references."""
    docs = workspace.docs.paths(snapshot)
    line = workspace.commands.command_line(snapshot)
    claims = workspace.commands.claims(snapshot, docs) if line.commands else {}
    shown = claim_references(line, (claim for doc in sorted(claims) for claim in claims[doc]))
    variables = workspace.environment.claims(snapshot, docs)
    shown += variable_references(claim for doc in sorted(variables) for claim in variables[doc])
    keys = workspace.settings_keys.claims(snapshot, docs)
    shown += setting_references(claim for doc in sorted(keys) for claim in keys[doc])
    if not shown:
        return doc_map
    references = sorted((*doc_map.references, *shown), key=lambda r: (r.doc, r.line, r.column))
    return DocMap(tuple(references), doc_map.unresolved)
