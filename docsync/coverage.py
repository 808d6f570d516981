"""SymbolTable × DocMap → doc coverage: which public symbols no doc references (pure arithmetic)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docsync.commandline.judge import ALWAYS_ACCEPTED
from docsync.commandline.model import CommandClaim, CommandLine
from docsync.models import Reference, Style, SymbolKind
from docsync.symbols.table import SymbolTable

# What a reader looks up in docs. Modules are containers, and attributes (a class's fields, a
# module's constants) are usually documented with their owner: counting them would drown the rest.
COUNTED_KINDS = frozenset({SymbolKind.CLASS, SymbolKind.FUNCTION, SymbolKind.METHOD, SymbolKind.PROPERTY})
# Generated API pages (`.. autoclass::`, `::: pkg.mod`) render the members of what they name.
RENDERS_MEMBERS = frozenset({Style.AUTODOC, Style.MKDOCSTRINGS})


@dataclass(frozen=True, slots=True)
class Coverage:
    """`percent` of `total` public symbols are referenced; `undocumented` lists the others, sorted."""

    percent: float
    total: int
    undocumented: tuple[str, ...]


def measure_coverage(table: SymbolTable, references: Iterable[Reference]) -> Coverage:
    """A repository with no public symbols has nothing to document: 100%."""
    counted = sorted(q for q, s in table.symbols.items() if s.public and s.kind in COUNTED_KINDS)
    direct: set[str] = set()
    rendered: set[str] = set()
    for reference in references:
        if reference.symbol is None or not all(ignore.kinds for ignore in reference.ignored):
            continue  # a reference a plain `ignore` marker hides documents nothing
        direct.add(reference.symbol)
        if reference.style in RENDERS_MEMBERS:
            rendered.add(reference.symbol)
    undocumented = tuple(q for q in counted if q not in direct and not _inside(q, rendered))
    percent = 100.0 * (len(counted) - len(undocumented)) / len(counted) if counted else 100.0
    return Coverage(percent, len(counted), undocumented)


def _inside(qualname: str, containers: set[str]) -> bool:
    parts = qualname.split(".")
    return any(".".join(parts[:end]) in containers for end in range(1, len(parts)))


CommandLineCoverage = tuple[int, tuple[str, ...]]  # how many sub-commands and options, those no doc shows


def command_line_coverage(line: CommandLine, claims: Iterable[CommandClaim]) -> CommandLineCoverage:
    """(how many sub-commands and options the command line has, those no doc's command line shows): a
    sub-command as its words (`tool serve`), an option as its command's words and its long flag."""
    shown_commands: set[tuple[str, ...]] = set()
    shown_flags: dict[tuple[str, ...], set[str]] = {}  # command words (() : any command) -> flags shown
    for claim in claims:
        words = claim.words if claim.style == "cli-option" else reached_command(line, claim.argv)
        shown_commands.update(words[:end] for end in range(1, len(words) + 1))
        flags = {word.partition("=")[0] for word in claim.argv if word.startswith("-")}
        for end in range(len(words) + 1):  # `tool --verbose build`: an option of the root shown too
            shown_flags.setdefault(words[:end], set()).update(flags)
    counted: list[str] = []
    missing: list[str] = []
    for words, command in sorted(line.commands.items()):
        if len(words) > 1:
            counted.append(" ".join(words))
            if words not in shown_commands:
                missing.append(" ".join(words))
        seen = shown_flags.get(words, set()) | shown_flags.get((), set())
        for option in command.options:
            if not option.flags or set(option.flags) <= ALWAYS_ACCEPTED:
                continue
            name = " ".join((*words, _long(option.flags)))
            counted.append(name)
            if not seen.intersection(option.flags):
                missing.append(name)
    return len(counted), tuple(missing)


def _long(flags: tuple[str, ...]) -> str:
    return next((flag for flag in flags if flag.startswith("--")), flags[0])


def reached_command(line: CommandLine, argv: Sequence[str]) -> tuple[str, ...]:
    """The deepest command `argv` names: sub-command words descend, options are stepped over."""
    words = tuple(argv[:1])
    for word in argv[1:]:
        command = line.command(words)
        if word.startswith("-"):
            continue
        if command is None or word not in command.subcommands:
            break
        words = (*words, word)
    return words
