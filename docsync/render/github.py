"""GitHub Actions workflow commands: an `::error`/`::warning`/`::notice` annotation per finding, within the caps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from docsync.models import Finding, Report, Severity

# GitHub shows at most 10 annotations of each level per step and silently drops the rest
# (actions/toolkit docs/problem-matchers.md, "Limitations").
ANNOTATIONS_PER_LEVEL = 10
COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_BY_RANK = sorted(Severity, key=lambda severity: severity.rank)


def render(report: Report) -> str:
    """One workflow command per annotated finding, most severe first, then one notice counting the rest."""
    shown, left_out = select_annotations(report.findings)
    lines = [_annotation(finding) for finding in shown]
    if any(left_out.values()):
        lines.append(workflow_command("notice", {"title": "docsync"}, _left_out_message(left_out)))
    return "".join(line + "\n" for line in lines)


def select_annotations(findings: Iterable[Finding]) -> tuple[list[Finding], dict[Severity, int]]:
    """The findings GitHub will show (per level, sorted by doc and line) and how many of each level it would not."""
    by_level: dict[Severity, list[Finding]] = {severity: [] for severity in _BY_RANK}
    for finding in sorted(findings, key=lambda f: f.sort_key):
        by_level[finding.severity].append(finding)
    caps = dict.fromkeys(_BY_RANK, ANNOTATIONS_PER_LEVEL)
    if any(len(level) > ANNOTATIONS_PER_LEVEL for level in by_level.values()):
        caps[Severity.INFO] -= 1  # the closing notice is a notice too: keep a slot for it
    shown = [finding for severity in _BY_RANK for finding in by_level[severity][: caps[severity]]]
    left_out = {severity: max(len(by_level[severity]) - caps[severity], 0) for severity in _BY_RANK}
    return shown, left_out


def _annotation(finding: Finding) -> str:
    properties = {
        "file": finding.doc,
        "line": str(finding.line),
        "col": str(finding.column),
        "title": f"docsync {finding.kind.value}",
    }
    return workflow_command(COMMANDS[finding.severity], properties, finding.message)


def _left_out_message(left_out: Mapping[Severity, int]) -> str:
    """`3 more errors and 12 more warnings were not annotated (GitHub shows 10 of each per step); see …`."""
    counts = [(count, COMMANDS[severity]) for severity, count in left_out.items() if count]
    parts = [f"{count} more {noun}{'' if count == 1 else 's'}" for count, noun in counts]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    verb = "was" if len(counts) == 1 and counts[0][0] == 1 else "were"
    return (
        f"{listed} {verb} not annotated (GitHub shows {ANNOTATIONS_PER_LEVEL} of each per step); "
        "see the step summary or run `docsync check`"
    )


def workflow_command(name: str, properties: Mapping[str, str], message: str) -> str:
    """`::name key=value,key=value::message`, escaped as actions/toolkit's `command.ts` does (empty values dropped)."""
    listed = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items() if value)
    return f"::{name}{' ' + listed if listed else ''}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """The message part: `%`, CR and LF become `%25`, `%0D`, `%0A` (`%` first, so nothing is escaped twice)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: as `escape_data`, and `:` and `,` too, since they end the command head and the value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
