"""Every finding's words, once: messages, fix advice and each kind's rule text, for every renderer.

Renderers lay these out; none of them words a finding again (SARIF's rules, the HTML page's fix, the terminal's
line and the PR comment all read from here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docsync.models import CODE_STYLES, Change, Finding, Kind, Reference, SignatureChange, Staleness
from docsync.signature_changes import clause, describe

_PART = {Kind.SIGNATURE: "signature", Kind.BODY: "body", Kind.DOCSTRING: "docstring"}


def written_as(reference: Reference, qualname: str) -> str:
    """` (written `Cart.total`)` when the doc spells the symbol otherwise; a source link names a file, not it."""
    written = reference.name or qualname
    return f" (written `{written}`)" if written != qualname and reference.path is None else ""


def change_message(reference: Reference, change: Change, kind: Kind, evidence: Sequence[SignatureChange] = ()) -> str:
    """A change a pull request made, as the doc should hear it (`evidence`: the signature changes that matter)."""
    alias = written_as(reference, change.qualname)
    commit = f" in {change.commit[:7]}" if change.commit else ""
    if change.kind is Kind.REMOVED:
        maybe = f"; {change.details}" if change.details else ""
        return f"{change.qualname}{alias} was removed{commit}; the doc still refers to it{maybe}"
    if change.kind is Kind.RENAMED:
        also = f"; its signature changed too: {change.details}" if change.details else ""
        return f"{change.qualname}{alias} was renamed to {change.new_qualname}{commit}{also}"
    if kind is Kind.DEPRECATED:
        return f"{change.qualname}{alias} was deprecated{commit}; the doc still teaches it{_instead(change)}"
    if kind is Kind.SIGNATURE:
        detail = f": {describe(evidence)}" if evidence else ""
        return f"the signature of {change.qualname}{alias} changed{commit}{detail}"
    if kind is Kind.BODY:
        return f"the body of {change.qualname}{alias} changed{commit}; check that the doc still describes what it does"
    return f"the docstring of {change.qualname}{alias} changed{commit}"


def stale_message(
    item: Staleness, kind: Kind, evidence: Sequence[SignatureChange] = (), commits: Sequence[str | None] = ()
) -> str:
    """A reference that went stale in the whole-repository mode (by history or against the lockfile), with age
    (`commits`: of each change of `evidence`, named where it is not the message's own)."""
    change, reference = item.change, item.reference
    alias = written_as(reference, change.qualname)
    if change.commit:
        when = f"in {change.commit[:7]}"
    else:  # in no commit: uncommitted work, or history docsync could not read (a move it did not follow)
        when = "in the work tree (not committed yet)" if item.uncommitted else "in a commit docsync could not tell"
    age = f"stale for {_days(item.days)}, {_count(item.commits, 'commit')}" if change.commit else ""
    if change.kind in (Kind.REMOVED, Kind.RENAMED):
        went = f"was renamed to {change.new_qualname}" if change.kind is Kind.RENAMED else "was removed"
        detail = f"; {change.details}" if change.details else ""
        return f"{change.qualname}{alias} {went} {when}; the doc still refers to it ({age}){detail}"
    if kind is Kind.DEPRECATED:
        return f"{change.qualname}{alias} was deprecated {when}; the doc still teaches it ({age}){_instead(change)}"
    what = _PART.get(kind, "code")
    detail = f"; {_dated(evidence, commits, change.commit)}" if evidence else ""
    if item.accepted:
        ago = f" ({age})" if age else ""
        return f"the {what} of {change.qualname}{alias} changed since the doc was accepted, {when}{ago}{detail}"
    ago = f": {age}" if age else ""
    return f"the {what} of {change.qualname}{alias} changed {when}, after this part of the doc was written{ago}{detail}"


def _instead(change: Change) -> str:
    """`: use pkg.new instead ("the warning's text")`, as much of it as is known."""
    use = f"use {change.new_qualname} instead" if change.new_qualname else ""
    said = f'"{_clipped(change.details)}"' if change.details else ""
    both = " ".join(filter(None, [use, f"({said})" if use and said else said]))
    return f": {both}" if both else ""


def _clipped(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _dated(evidence: Sequence[SignatureChange], commits: Sequence[str | None], headline: str | None) -> str:
    if len(commits) != len(evidence):
        return describe(evidence)
    return "; ".join(
        clause(change) + (f" (in {commit[:7]})" if commit and commit != headline else "")
        for change, commit in zip(evidence, commits, strict=True)
    )


def written_message(written: str, symbol: str, actual: str, clauses: Sequence[str]) -> str:
    """A signature the doc writes that the code no longer has."""
    return f"the doc writes `{written}`, but {symbol} takes `{actual}`: {'; '.join(clauses)}"


def example_message(callee: str, problem: str) -> str:
    return f"the example calls {callee}, which {problem}"


def unresolved_message(reference: Reference) -> str:
    written = reference.name or reference.path or ""
    if reference.style in CODE_STYLES:
        return f"the example uses {written}, which does not exist in the project"
    return f"{written} does not exist in the project"


def fix_advice(finding: Finding) -> str:
    """What to do about a finding, in one sentence."""
    accept = f"then `docsync accept {finding.doc}` if you use a lockfile"
    if finding.kind is Kind.RENAMED:
        return f"Run `docsync fix`, or write `{finding.replacement}` instead."
    if finding.kind is Kind.REMOVED:
        return "Remove the reference, or point it at what replaced the symbol."
    if finding.kind is Kind.DEPRECATED:
        instead = f"`{finding.replacement}`" if finding.replacement else "what the deprecation warning recommends"
        return f"Teach {instead} instead (`docsync fix` rewrites it when the replacement is known)."
    if finding.kind is Kind.EXAMPLE:
        return "Update the example to the current signature."
    if finding.kind is Kind.SIGNATURE:
        return f"Update the doc to the new signature, {accept}."
    return f"Check that the doc still describes it, {accept}."


@dataclass(frozen=True, slots=True)
class RuleText:
    """How a kind explains itself (SARIF's rules); `full`, `fix` and `accept` are Markdown (only backticks)."""

    name: str
    short: str
    full: str
    fix: str
    accept: str


_REVIEWED = "If the doc is still right, review it and run `docsync accept DOC`: `.docsync.lock` records it as reviewed."
_IGNORE = (
    "add the symbol to `ignore-symbols` (or the doc to `ignore-docs`) under `[tool.docsync]` in pyproject.toml "
    "or in `.docsync.yml`."
)
RULES: dict[Kind, RuleText] = {
    Kind.REMOVED: RuleText(
        "RemovedSymbol",
        "The doc refers to a symbol that no longer exists",
        "The doc names a Python symbol (module, class, function, method or attribute) that the project defined "
        "and no longer defines, so readers who follow it will not find it.",
        "Point the reference at the code that replaced the symbol, or remove the passage about it.",
        "If the doc names it on purpose (a migration guide, a changelog-like page), " + _IGNORE,
    ),
    Kind.RENAMED: RuleText(
        "RenamedSymbol",
        "The doc refers to a symbol by its old name",
        "The symbol the doc names was renamed or moved, and docsync knows its new name, so the fix is mechanical.",
        "Run `docsync fix` to rewrite the reference (`docsync fix --dry-run` shows the diff first); the new name is "
        "also in this result's `replacement` property.",
        "If the doc must keep the old name (it documents the old API on purpose), " + _IGNORE,
    ),
    Kind.DEPRECATED: RuleText(
        "DeprecatedSymbol",
        "The doc teaches a symbol that is now deprecated",
        "The code deprecated a symbol after the doc was written (a `@deprecated` decorator, a deprecation warning "
        "on every call, or a module `__getattr__` that warns): readers who follow the doc get a warning today and "
        "an error when it is removed. A doc that says the symbol is deprecated, next to the name, is not reported.",
        "Teach the replacement the warning names (in this result's `replacement` property when docsync found it); "
        "`docsync fix` rewrites the name when it is known.",
        "If the doc must keep the deprecated name (it documents the deprecation), say so next to it or " + _IGNORE,
    ),
    Kind.SIGNATURE: RuleText(
        "ChangedSignature",
        "A parameter the doc writes no longer matches the code",
        "The doc writes a parameter (or its default) of a symbol whose signature changed after the doc was "
        "written: the parameter was removed or renamed, or the default the doc shows is no longer the default. "
        "The message names each change.",
        "Update the doc's parameter names, defaults and calls to the new signature.",
        _REVIEWED,
    ),
    Kind.EXAMPLE: RuleText(
        "BrokenExample",
        "A code example in the doc no longer fits the code",
        "A Python code example or doctest in the doc uses the code in a way it no longer supports: an unknown "
        "keyword, the wrong number of arguments, or a name that no longer exists.",
        "Update the example so that it runs against the current code.",
        "If the example is meant to fail, " + _IGNORE,
    ),
    Kind.BODY: RuleText(
        "ChangedBehaviour",
        "The behaviour of a symbol the doc is explicitly coupled to changed",
        "The body of a symbol the doc is explicitly coupled to (a docsync marker, front matter, a link to its "
        "lines, a literalinclude) changed: what the doc says the code does may no longer be true.",
        "Read the change (its commit, when known, is in this result's `commit` property) and update what the doc "
        "says the code does.",
        _REVIEWED,
    ),
    Kind.DOCSTRING: RuleText(
        "ChangedDocstring",
        "The docstring of a symbol the doc is explicitly coupled to changed",
        "Only the docstring of a symbol the doc is explicitly coupled to changed; prose that repeats or "
        "paraphrases the docstring may now disagree with it.",
        "Compare the doc with the new docstring and bring the two back in line.",
        _REVIEWED,
    ),
}


def _days(days: float) -> str:
    whole = int(days)
    return "less than a day" if whole == 0 else _count(whole, "day")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"
