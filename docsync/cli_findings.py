"""Findings for the command lines the docs show that the project's command line no longer accepts (issue 17): an
option, a sub-command or a choice it does not have. A spelling of the same name (`--dev_addr` for `--dev-addr`,
another case) or a near-identical one is `renamed`, with the new spelling as the replacement `fix` writes; anything
else is `removed`, naming the closest existing name when there is one."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from docsync.commandline.judge import CHOICE, COMMAND, DEFAULT, CliProblem
from docsync.commandline.model import CommandClaim, CommandLine
from docsync.coverage import reached_command
from docsync.findings import DocContext, finding_of
from docsync.judge import Verdict
from docsync.models import Finding, How, Ignore, Kind, Reference, Severity, Style
from docsync.settings import Config

if TYPE_CHECKING:  # their readers pull in Markdown parsers: imported where claims are read
    from docsync.commandline.env_claims import EnvClaim
    from docsync.commandline.env_judge import EnvProblem
    from docsync.commandline.settings_claims import SettingClaim
    from docsync.commandline.settings_judge import SettingProblem

NEAR_MARKER = 3  # lines from a marker to the command it hides: the marker, a blank line, the fence, the command
RENAME_RATIO = 0.85  # how alike the written and the existing name must be for a rename `fix` may write
CONTINUED_LINES = 6  # how far a command continued with `\\` is looked through for the word

ProblemKey = tuple[str, str, str, tuple[str, ...], str]


def problem_key(problem: CliProblem) -> ProblemKey:
    """What makes two problems the same one, wherever the doc's lines moved: doc, what, word, command, option."""
    return (problem.claim.doc, problem.what, problem.written, problem.command, problem.option)


def cli_findings(
    problems: Iterable[CliProblem],
    docs: DocContext,
    config: Config,
    ignores: Mapping[str, Sequence[Ignore]] | None = None,
    known_before: Iterable[CliProblem] = (),
    lines: Mapping[str, Sequence[str]] | None = None,
    removed_in: Mapping[ProblemKey, str] | None = None,
) -> list[Finding]:
    """One finding per problem, under the user's policy (kinds, severities, ignored symbols and docs, history pages
    and blocks); in a pull request only those the change caused (`known_before`: the problems at its base).
    `ignores`: each doc's ignore markers, of which those covering a claim's line hide its finding; `lines`: the
    docs' text, to place each finding on the word it is about (where `fix` rewrites it), else on its claim;
    `removed_in`: the commit that removed each problem's word, when history dated it."""
    before = {problem_key(problem) for problem in known_before}
    findings: dict[tuple[str, int, int, str, str], Finding] = {}
    for problem in problems:
        if problem_key(problem) in before:
            continue
        at = _place(problem, (lines or {}).get(problem.claim.doc, ()))
        commit = (removed_in or {}).get(problem_key(problem))
        finding = _finding(problem, at, docs, config, (ignores or {}).get(problem.claim.doc, ()), commit)
        if finding is not None:
            findings.setdefault(finding.sort_key, finding)
    return [findings[key] for key in sorted(findings)]


def symbol_of(problem: CliProblem) -> str:
    """`mkdocs serve --dev_addr`: the command checked, then the word the doc wrote (a choice: its option too)."""
    if problem.what == DEFAULT:
        return " ".join((*problem.command, problem.written))
    words = (*problem.command, problem.option) if problem.what == CHOICE else problem.command
    return " ".join((*words, problem.written))


def _finding(
    problem: CliProblem,
    at: tuple[int, int],
    docs: DocContext,
    config: Config,
    ignores: Sequence[Ignore],
    commit: str | None = None,
) -> Finding | None:
    claim = problem.claim
    default = problem.what == DEFAULT
    replacement = None if default else problem.suggestion if _is_rename(problem.written, problem.suggestion) else None
    kind = Kind.SIGNATURE if default else Kind.RENAMED if replacement else Kind.REMOVED
    severity = Severity.WARNING if default else Severity.ERROR
    style = Style.CLI_OPTION if claim.style == Style.CLI_OPTION.value else Style.CLI_COMMAND
    reference = Reference(
        claim.doc, *at, problem.written, How.EXPLICIT, style, " ".join(claim.argv),
        ignored=_covering(ignores, claim.line),
    )  # fmt: skip
    message = _message(problem, replacement, commit)
    finding = finding_of(reference, Verdict(kind, severity), message, None, config, docs, symbol_of(problem))
    if finding is not None and commit:
        finding = replace(finding, commit=commit)
    return None if finding is None else _with_replacement(finding, replacement)


def _with_replacement(finding: Finding, replacement: str | None) -> Finding:
    return replace(finding, replacement=replacement) if replacement else finding


def _place(problem: CliProblem, lines: Sequence[str]) -> tuple[int, int]:
    """(line, column) of the written word: from the claim's start, on its line or the lines it continues on."""
    claim = problem.claim
    word = re.compile(rf"(?<![\w-]){re.escape(problem.written)}(?![\w-])")
    for number in range(claim.line, min(claim.line + CONTINUED_LINES, len(lines)) + 1):
        found = word.search(lines[number - 1], claim.column - 1 if number == claim.line else 0)
        if found is not None:
            return number, found.start() + 1
    return claim.line, claim.column


def _is_rename(written: str, existing: str | None) -> bool:
    """The same name spelt otherwise (`_` for `-`, another case), or one so alike that it can only be a rename."""
    if existing is None:
        return False
    if _spelling(written) == _spelling(existing):
        return True
    if _affirmative(written) == _affirmative(existing):
        return False  # `--no-x` for `--x`: the opposite, not a new name
    return difflib.SequenceMatcher(None, written, existing).ratio() >= RENAME_RATIO


def _spelling(name: str) -> str:
    return name.replace("_", "-").lower()


def _affirmative(name: str) -> str:
    """`--no-cache` and `--cache` alike: `cache`."""
    return _spelling(name).lstrip("-").removeprefix("no-")


def _message(problem: CliProblem, replacement: str | None, commit: str | None = None) -> str:
    command = " ".join(problem.command)
    if problem.what == COMMAND:
        said = f"`{command}` has no sub-command `{problem.written}`"
    elif problem.what == DEFAULT:
        return (
            f"`{command} {problem.written}` defaults to `{problem.suggestion}`; the doc says `{problem.claim.default}`"
        )
    elif problem.what == CHOICE:
        said = f"`{problem.option}` of `{command}` does not accept `{problem.written}`"
    elif command:
        said = f"`{command}` has no option `{problem.written}`"
    else:
        said = f"no command of the project has the option `{problem.written}`"
    if commit:
        said += f" since {commit[:7]}"
    if replacement:
        return f"{said}: it is now `{replacement}`"
    return f"{said}; did you mean `{problem.suggestion}`?" if problem.suggestion else said


def _covering(ignores: Sequence[Ignore], line: int) -> tuple[Ignore, ...]:
    """The markers that hide a claim: an `ignore-start` region around its line, or a marker on its line or just
    above it (`ignore` or `ignore-next-line` before the fence of a one-command block)."""
    hiding = []
    for ignore in ignores:
        if ignore.marker.lower().startswith("ignore-start"):
            if ignore.line <= line and (not ignore.until or line <= ignore.until):
                hiding.append(ignore)
        elif 0 <= line - ignore.line <= NEAR_MARKER:
            hiding.append(ignore)
    return tuple(hiding)


def claim_references(line: CommandLine, claims: Iterable[CommandClaim]) -> list[Reference]:
    """The claims as `map` lists them: the command each one reaches (its symbol) and the words as written."""
    references = []
    for claim in claims:
        style = Style.CLI_OPTION if claim.style == Style.CLI_OPTION.value else Style.CLI_COMMAND
        words = claim.words if style is Style.CLI_OPTION else reached_command(line, claim.argv)
        text = " ".join(claim.argv)
        references.append(
            Reference(claim.doc, claim.line, claim.column, text, How.EXPLICIT, style, text, symbol=" ".join(words))
        )
    return references


def env_findings(
    problems: Iterable[EnvProblem],
    evidence: Mapping[tuple[str, int, str], str],
    docs: DocContext,
    config: Config,
    ignores: Mapping[str, Sequence[Ignore]] | None = None,
) -> list[Finding]:
    """One finding per variable a doc sets that the code no longer reads; `evidence`: (doc, line, name) -> the
    commit whose code read it (when the line was written, or the change's base)."""
    findings: dict[tuple[str, int, int, str, str], Finding] = {}
    for problem in problems:
        claim = problem.claim
        reference = Reference(
            claim.doc, claim.line, claim.column, claim.name, How.EXPLICIT, Style.ENV_VAR, claim.name,
            ignored=_covering(ignores.get(claim.doc, ()) if ignores else (), claim.line),
        )  # fmt: skip
        commit = evidence.get((claim.doc, claim.line, claim.name), "")
        said = f"the code no longer reads `{claim.name}`" + (f"; it did at {commit[:7]}" if commit else "")
        message = said + (f"; did you mean `{problem.suggestion}`?" if problem.suggestion else "")
        verdict = Verdict(Kind.REMOVED, Severity.ERROR)
        finding = finding_of(reference, verdict, message, None, config, docs, claim.name)
        if finding is not None:
            findings.setdefault(finding.sort_key, replace(finding, commit=commit or None))
    return [findings[key] for key in sorted(findings)]


def variable_references(claims: Iterable[EnvClaim]) -> list[Reference]:
    """The variables docs set, as `map` lists them (style `env-var`, the variable as symbol)."""
    return [
        Reference(c.doc, c.line, c.column, c.name, How.EXPLICIT, Style.ENV_VAR, c.name, symbol=c.name) for c in claims
    ]


def setting_findings(
    problems: Iterable[SettingProblem],
    docs: DocContext,
    config: Config,
    ignores: Mapping[str, Sequence[Ignore]] | None = None,
    known_before: Iterable[SettingProblem] = (),
) -> list[Finding]:
    """One finding per settings key a doc shows that its section does not accept: `renamed` when the loader names
    the key's successor (`fix` writes it), else `removed`; in a change, only those its base did not have."""
    before = {(p.claim.doc, p.symbol) for p in known_before}
    findings: dict[tuple[str, int, int, str, str], Finding] = {}
    for problem in problems:
        claim = problem.claim
        if (claim.doc, problem.symbol) in before:
            continue
        successor = dict(problem.section.replacements).get(claim.key)
        reference = Reference(
            claim.doc, claim.line, claim.column, claim.key, How.EXPLICIT, Style.SETTING, claim.key,
            ignored=_covering(ignores.get(claim.doc, ()) if ignores else (), claim.line),
        )  # fmt: skip
        where = problem.section.section or "the project's settings"
        said = f"`{where}` does not accept `{claim.key}`"
        if successor:
            message = f"{said}: it is now `{successor}`"
        else:
            message = said + (f"; did you mean `{problem.suggestion}`?" if problem.suggestion else "")
        verdict = Verdict(Kind.RENAMED if successor else Kind.REMOVED, Severity.ERROR)
        finding = finding_of(reference, verdict, message, None, config, docs, problem.symbol)
        if finding is not None:
            findings.setdefault(finding.sort_key, _with_replacement(finding, successor))
    return [findings[key] for key in sorted(findings)]


def setting_references(claims: Iterable[SettingClaim]) -> list[Reference]:
    """The settings keys docs write, as `map` lists them (style `setting`, `[section] key` as symbol)."""
    references = []
    for claim in claims:
        symbol = f"[{claim.section}] {claim.key}" if claim.section else claim.key
        references.append(
            Reference(
                claim.doc, claim.line, claim.column, claim.key, How.EXPLICIT, Style.SETTING, claim.key, symbol=symbol
            )
        )
    return references
