"""Which command lines in the docs the project's command line no longer accepts (issue 17): an option, a
sub-command or a choice it does not have. Precision first: whatever we cannot be sure of (another tool, an
open-ended command, a placeholder, a word we cannot place) is never reported. Pure: records in, records out."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Sequence, Set
from dataclasses import dataclass, replace

from docsync.commandline.model import Command, CommandClaim, CommandLine, Option

OPTION, COMMAND, CHOICE, DEFAULT = "option", "command", "choice", "default"
LIST_ITEMS = 3  # how many flag-led items make a list of options
PAGE_ITEMS = 8  # how many, in lists across a page, make a page of options
CUTOFF = 0.75  # how close a name must be to be offered as the one the doc meant
ALWAYS_ACCEPTED = frozenset({"--help", "-h", "--version"})  # added by frameworks in ways we may not read
HELP_WORDS = frozenset({"help"})  # `tool help build`: many tools answer it, whether declared or not
_COMMAND_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
_NEGATIVE_NUMBER = re.compile(r"-\d")
_UNSURE_VALUE = ("$", "{", "<", "*", ",", "[", "`")


@dataclass(frozen=True, slots=True)
class CliProblem:
    """One word of a doc's command line the project's command line does not accept."""

    claim: CommandClaim
    what: str  # "option" | "command" | "choice" | "default"
    written: str  # the word as the doc wrote it (an option without its `=value`)
    command: tuple[str, ...]  # the command checked against; () for an option named without a program
    suggestion: str | None  # the closest existing name (for a "default": the code's default), or None
    option: str = ""  # for a "choice" or a "default": the option (`--format`)
    # The command may take options we cannot see (plugins): the option is reported only with evidence that the
    # project's own code declared it when the doc was written (the caller's to find: it needs history).
    unsure: bool = False


def judge_claims(line: CommandLine, claims: Iterable[CommandClaim]) -> tuple[CliProblem, ...]:
    """The problems of every claim, in claim order."""
    problems: list[CliProblem] = []
    claims = _options_lists(line, tuple(claims))
    accepted = _accepted_values(line, claims)
    for claim in claims:
        if claim.style == "cli-option":
            problems.extend(_option_claim(line, claim, accepted))
        else:
            problems.extend(_command_line(line, claim))
    return tuple(problems)


def _options_lists(line: CommandLine, claims: tuple[CommandClaim, ...]) -> tuple[CommandClaim, ...]:
    """The claims, those leading the items of a list of the command's options no longer loose: a list of at least
    `LIST_ITEMS` items led by flags, two thirds of them the command's, or a page of such lists (a settings page, a
    few options per section) with `PAGE_ITEMS` items, four fifths of them the command's. There a flag that is
    not the command's is a flag that was."""
    lists: dict[tuple[str, int, tuple[str, ...]], list[bool]] = {}
    for claim in claims:
        if claim.group and claim.loose:
            command = line.command(claim.words)
            known = command is not None and command.option(claim.argv[0]) is not None
            lists.setdefault((claim.doc, claim.group, claim.words), []).append(known)
    pages: dict[tuple[str, tuple[str, ...]], list[bool]] = {}
    for (doc, _, words), flags in lists.items():
        pages.setdefault((doc, words), []).extend(flags)
    strict = {key for key, known in lists.items() if len(known) >= LIST_ITEMS and 3 * sum(known) >= 2 * len(known)}
    strict |= {
        (doc, group, words)
        for doc, group, words in lists
        if len(pages[doc, words]) >= PAGE_ITEMS and 5 * sum(pages[doc, words]) >= 4 * len(pages[doc, words])
    }
    return tuple(replace(c, loose=False) if (c.doc, c.group, c.words) in strict else c for c in claims)


# -- a whole command line -----------------------------------------------------------------------------------------


def _command_line(line: CommandLine, claim: CommandClaim) -> Iterator[CliProblem]:
    """Walk `claim.argv`: sub-command words descend, options are checked against the command reached so far, and
    the first word we cannot place with certainty ends the walk."""
    if not claim.argv:
        return
    words: tuple[str, ...] = (claim.argv[0],)
    command = line.command(words)
    index = 1
    while command is not None and index < len(claim.argv):
        word = claim.argv[index]
        if word == "--" or _is_placeholder(word) or word in HELP_WORDS:
            return
        if word.startswith("-") and len(word) > 1 and not _NEGATIVE_NUMBER.match(word):
            step = _option_word(command, claim, claim.argv, index)
            if step is None:
                return
            problems, index = step
            yield from problems
            if problems and problems[0].what == OPTION:
                return  # we no longer know whether the next word is its value: stop rather than guess
            continue
        if word in command.subcommands:
            words = (*words, word)
            command = line.command(words)
        elif command.subcommands:
            # A group that also takes positionals (`tool FILE build`) may be given one here.
            if not command.open_ended and not command.positionals and _looks_like_command(word):
                yield CliProblem(claim, COMMAND, word, words, _closest(word, command.subcommands))
            return  # a group's unknown word: whatever follows belongs to a command we do not know
        index += 1  # a sub-command word, or a positional of a command that has no sub-commands


def _option_word(
    command: Command, claim: CommandClaim, argv: Sequence[str], index: int
) -> tuple[list[CliProblem], int] | None:
    """(problems, the index after the option and its value) for the option at `argv[index]`; None when we cannot
    tell what it is (then nothing after it can be placed)."""
    word = argv[index]
    name, equals, attached = word.partition("=")
    option = command.option(name)
    if option is None and not word.startswith("--") and len(word) > 2:
        return _short_cluster(command, word, argv, index)
    if option is None:
        if name in ALWAYS_ACCEPTED:
            return [], index + 1
        if _accepts_anything(command):
            if command.open_ended and name.startswith("--") and all(o.flags for o in command.options):
                # a plugin's option, or one the project dropped: history decides; nothing after it is placed
                return [CliProblem(claim, OPTION, name, command.words, None, unsure=True)], len(argv)
            return None  # an option we cannot see: whether it takes the next word is unknown
        return [CliProblem(claim, OPTION, name, command.words, _closest(name, _flags(command, name)))], index + 1
    if not option.takes_value:
        return [], index + 1
    if equals:
        return _choice(claim, command, option, attached), index + 1
    if index + 1 >= len(argv):
        return [], index + 1
    if argv[index + 1] in command.subcommands:
        return None  # `--log build`: an optional value (nargs="?", not recorded) or the sub-command? Not guessed.
    return _choice(claim, command, option, argv[index + 1]), index + 2


def _short_cluster(command: Command, word: str, argv: Sequence[str], index: int) -> tuple[list[CliProblem], int] | None:
    """`-ns` (short flags bundled), `-sj4` (the first one that takes a value takes the rest of the word) or `-sj 4`
    (the last one takes the next word); None when a letter is unknown: a single-dash word we cannot read (`-name`,
    a bundle with a typo) is never called unknown."""
    for position, letter in enumerate(word[1:], start=2):
        option = command.option("-" + letter)
        if option is None:
            return None
        if option.takes_value:
            return [], index + (1 if position < len(word) else 2)
    return [], index + 1


def _choice(claim: CommandClaim, command: Command, option: Option, value: str) -> list[CliProblem]:
    """A literal value of an option with known choices that is not one of them."""
    if option.choices is None or not value or value.startswith("-") or _is_placeholder(value) or _is_metavar(value):
        return []
    if any(mark in value for mark in _UNSURE_VALUE):
        return []
    if value.lower() in {choice.lower() for choice in option.choices}:
        return []  # click's `case_sensitive=False` is not recorded: accept either case
    flag = next((flag for flag in option.flags if flag.startswith("--")), option.flags[0] if option.flags else "")
    return [CliProblem(claim, CHOICE, value, command.words, _closest(value, option.choices), flag)]


# -- an option named on its own -----------------------------------------------------------------------------------


def _option_claim(line: CommandLine, claim: CommandClaim, accepted: Set[tuple[str, str]]) -> Iterator[CliProblem]:
    """`.. option:: -b, --builder` or `:option:`--strict``: against the program it documents when known, else
    against every command of the project (only when all of them are fully known). `accepted`: the (doc, flag) whose
    doc writes the flag with a value it accepts somewhere."""
    if claim.words:
        if line.command(claim.words) is None:
            return
        # `.. program:: tool` often heads the options of all its sub-commands: any of them may be meant.
        size = len(claim.words)
        candidates: tuple[Command, ...] = tuple(c for c in line.commands.values() if c.words[:size] == claim.words)
    else:
        candidates = tuple(line.commands.values())
        if not candidates or _unread_scripts(line):
            return
    yield from _declared_choices(claim, candidates)
    if claim.loose and claim.argv and (claim.doc, claim.argv[0].partition("=")[0]) in accepted:
        yield from _prose_choice(line, claim, candidates)
    if any(_accepts_anything(c) for c in candidates):
        yield from _unseen(line, claim, candidates)
        return  # an option we do not see may be any of them: only the choices of those we see are judged
    for written in claim.argv:
        flag = written.partition("=")[0]
        if not flag.startswith("-") or flag in ALWAYS_ACCEPTED or _NEGATIVE_NUMBER.match(flag):
            continue
        if any(_names_option(c, flag) for c in candidates):
            yield from _default(claim, candidates, flag)
            continue
        names = sorted({name for c in candidates for name in _flags(c, flag)})
        suggestion = _closest(flag, names)
        if suggestion is not None or not claim.loose:  # a loose claim's flag may be another tool's: only a near miss
            yield CliProblem(claim, OPTION, flag, claim.words, suggestion)


def _declared_choices(claim: CommandClaim, candidates: Sequence[Command]) -> Iterator[CliProblem]:
    """`:option:`--tb=nope``: a value that no candidate declaring the option accepts, even when the command is
    open-ended (pytest: plugins add options, but the choices of an option the project declares are its own). A loose
    claim (a flag in prose) may be another tool's: not judged."""
    for written in () if claim.loose else claim.argv:
        flag, equals, value = written.partition("=")
        declaring = [(c, option) for c in candidates if (option := c.option(flag)) is not None]
        if not equals or not flag.startswith("--") or not declaring:
            continue
        problems = [_choice(claim, c, option, value) for c, option in declaring if option.takes_value]
        if len(problems) == len(declaring) and all(problems):
            yield problems[0][0]


def _accepted_values(line: CommandLine, claims: Sequence[CommandClaim]) -> set[tuple[str, str]]:
    """(doc, flag) for each option claim that writes a flag with a value one of the project's options of that name
    accepts among its choices (`--assert=plain`)."""
    accepted = set()
    for claim in claims:
        flag, equals, value = (
            claim.argv[0].partition("=") if claim.style == "cli-option" and claim.argv else ("", "", "")
        )
        if equals and any(_accepts(o, value) for c in line.commands.values() if (o := c.option(flag)) is not None):
            accepted.add((claim.doc, flag))
    return accepted


def _prose_choice(line: CommandLine, claim: CommandClaim, candidates: Sequence[Command]) -> Iterator[CliProblem]:
    """A flag in prose written with a value (`--assert=reinterp`) that no option of that name in the whole project
    accepts, though each declares its choices and the paragraph's command is one of them. Prose may name another
    tool's flag (`--format=xml`): the caller judges it only when the same page also writes the flag with a value
    it accepts (`--assert=plain`), which ties the page to this option's values."""
    flag, _, value = claim.argv[0].partition("=")
    declaring = [(c, o) for c in line.commands.values() if (o := c.option(flag)) is not None]
    if not flag.startswith("--") or not declaring or any(o.choices is None or not o.takes_value for _, o in declaring):
        return
    ours = [(c, o) for c, o in declaring if c in candidates]
    if ours and all(_choice(claim, c, o, value) for c, o in declaring):
        yield _choice(claim, *ours[0], value)[0]


def _accepts(option: Option, value: str) -> bool:
    return option.choices is not None and value.lower() in {choice.lower() for choice in option.choices}


def _unseen(line: CommandLine, claim: CommandClaim, candidates: Sequence[Command]) -> Iterator[CliProblem]:
    """A long flag leading an item of a list of the command's options (made strict by `_options_lists`) that the
    command, open-ended but with every declared flag read, does not declare: a plugin's, or one the project dropped.
    As for a command line's, it is reported only with history's evidence (the caller's: a blame and a command line
    per commit, so not for every `.. option::` of an open-ended command) that the project declared it then."""
    command = line.command(claim.words) if claim.words else None
    if claim.loose or not claim.group or command is None:
        return
    if not command.open_ended or not all(option.flags for c in candidates for option in c.options):
        return
    for written in claim.argv:
        flag = written.partition("=")[0]
        if flag.startswith("--") and flag not in ALWAYS_ACCEPTED and not any(c.option(flag) for c in candidates):
            names = sorted({name for c in candidates for name in _flags(c, flag)})
            yield CliProblem(claim, OPTION, flag, command.words, _closest(flag, names), unsure=True)


def _default(claim: CommandClaim, candidates: Sequence[Command], flag: str) -> Iterator[CliProblem]:
    """The default the doc writes, when the option's default in the code is a literal it differs from (in every
    command it may be of)."""
    options = [option for option in (c.option(flag) for c in candidates) if option is not None]
    if claim.default is None or not options or any(o.default is None or not o.takes_value for o in options):
        return
    if _value(claim.default) not in {_value(option.default or "") for option in options}:
        words = next(c.words for c in candidates if c.option(flag) is not None)
        code = (options[0].default or "").strip("'\"")
        yield CliProblem(claim, DEFAULT, flag, words, code, flag)


def _value(text: str) -> str:
    """A default as a comparable value: `"auto"` and auto alike, `4` and `4.0` alike, any case."""
    text = text.strip().strip("`").strip("'\"").lower()
    try:
        return repr(float(text))
    except ValueError:
        return text


def _names_option(command: Command, flag: str) -> bool:
    """`flag` is one of the command's options, or a short option written with its value (`-W error`'s `-Werror`)."""
    if command.option(flag) is not None:
        return True
    if flag.startswith("--") or len(flag) <= 2:
        return False
    short = command.option(flag[:2])
    return short is not None and short.takes_value


def _unread_scripts(line: CommandLine) -> bool:
    """A console script we could not read may have any option: an option without a program may be its."""
    return any((script,) not in line.commands for script in line.scripts)


# -- words --------------------------------------------------------------------------------------------------------


def _accepts_anything(command: Command) -> bool:
    """Open-ended, or an option whose flags the reader could not read (`click.option(*FLAGS)`)."""
    return command.open_ended or any(not option.flags for option in command.options)


def _flags(command: Command, written: str) -> list[str]:
    """The command's flags of the same kind as `written` (long with long, short with short)."""
    long = written.startswith("--")
    return [flag for option in command.options for flag in option.flags if flag.startswith("--") == long]


def _closest(written: str, names: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(written, list(names), n=1, cutoff=CUTOFF)
    return found[0] if found else None


def _is_placeholder(word: str) -> bool:
    """`...`, `<file>`, `{build,serve}`, `[OPTIONS]`, `$TARGET`: how usage lines stand for what users type."""
    return "..." in word or "…" in word or word[:1] in ("<", "{", "[", "$") or word[-1:] in (">", "}", "]")


def _is_metavar(value: str) -> bool:
    """`--format FORMAT`: an upper-case word stands for the value, it is not one."""
    return value.isupper()


def _looks_like_command(word: str) -> bool:
    """Lower-case letters, digits and dashes: not a path, a file, an assignment or a pattern."""
    return _COMMAND_NAME.fullmatch(word) is not None


def accepts(line: CommandLine, problem: CliProblem) -> bool:
    """Whether `line` accepts the word the problem is about (the option, the sub-command or the choice)."""
    command = line.command(problem.command)
    if command is None:
        return False
    if problem.what == COMMAND:
        return line.command((*problem.command, problem.written)) is not None
    if problem.what == CHOICE:
        option = command.option(problem.option)
        choices = option.choices if option is not None else None
        return choices is not None and problem.written.lower() in {choice.lower() for choice in choices}
    return command.option(problem.written) is not None
