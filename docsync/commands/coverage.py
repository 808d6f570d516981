"""`docsync coverage`: public symbols that no doc references, with the percentage."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TextIO

from docsync.checks.doc_map import map_docs
from docsync.coverage import CommandLineCoverage, Coverage, command_line_coverage, measure_coverage
from docsync.exit_codes import exit_code
from docsync.loader import WORKTREE, Snapshot
from docsync.output import emit
from docsync.runlog import SILENT, RunLog
from docsync.workspace import Workspace


@dataclass(frozen=True, slots=True)
class CoverageOptions:
    format: str = "text"
    fail_under: str | None = None
    output: str | None = None  # `-o FILE`; None or "-": stdout
    quiet: bool = False  # the undocumented symbols alone, without the percentage line


def coverage_command(workspace: Workspace, options: CoverageOptions, out: TextIO, log: RunLog = SILENT) -> int:
    """Print the coverage; exit 1 when it is below `--fail-under` (or `coverage-fail-under` of the config)."""
    started = log.start()
    snapshot = workspace.loader.snapshot(WORKTREE)
    doc_map, table = map_docs(workspace, snapshot, keep=True)
    coverage = measure_coverage(table, doc_map.references)
    commands = _command_line(workspace, snapshot)
    log.done(
        started,
        f"measured coverage: {len(doc_map.by_doc())} docs with references, {len(table.modules)} modules, "
        f"{coverage.total} public symbols",
    )
    workspace.report_diagnostics()
    rendered = _json(coverage, commands) if options.format == "json" else _text(coverage, commands, options.quiet)
    emit(rendered, options.output, out)
    return exit_code(coverage.percent, options.fail_under or workspace.config.coverage_fail_under)


def _command_line(workspace: Workspace, snapshot: Snapshot) -> CommandLineCoverage | None:
    """The sub-commands and options no doc's command line shows, and the environment variables the code reads that
    no doc sets (`$NAME`); None when the project has neither a console script docsync can read nor a variable."""
    line = workspace.commands.command_line(snapshot)
    docs = workspace.docs.paths(snapshot)
    claims = workspace.commands.claims(snapshot, docs) if line.commands else {}
    total, missing = command_line_coverage(line, (claim for doc in sorted(claims) for claim in claims[doc]))
    read = workspace.environment.reads(snapshot).names
    if not line.commands and not read:
        return None
    variables = {claim.name for found in workspace.environment.claims(snapshot, docs).values() for claim in found}
    unset = tuple(f"${name}" for name in sorted(read) if name not in variables)
    return total + len(read), missing + unset


def _json(coverage: Coverage, commands: CommandLineCoverage | None) -> str:
    data: dict[str, object] = {
        "version": 1,
        "coverage": round(coverage.percent, 1),
        "undocumented": list(coverage.undocumented),
    }
    if commands is not None:
        data["command_line"] = {"total": commands[0], "undocumented": list(commands[1])}
    return json.dumps(data, indent=2) + "\n"


def _text(coverage: Coverage, commands: CommandLineCoverage | None, quiet: bool) -> str:
    documented = coverage.total - len(coverage.undocumented)
    lines = [f"undocumented: {name}" for name in coverage.undocumented]
    lines += [f"undocumented on the command line: {name}" for name in (commands[1] if commands else ())]
    if quiet:
        return "".join(line + "\n" for line in lines)
    lines.append(
        f"Doc coverage {coverage.percent:.1f}%: {documented} of {coverage.total} public classes, functions, "
        "methods and properties are referenced by a doc"
    )
    if commands is not None:
        total, missing = commands
        lines.append(
            f"Command line: {total - len(missing)} of {total} sub-commands, options and environment variables are "
            "shown in a doc"
        )
    return "\n".join(lines) + "\n"
