"""Judging doc command lines against the project's command line: what is reported, and what never is."""

from __future__ import annotations

import pytest

from docsync.commandline.judge import CliProblem, judge_claims
from docsync.commandline.model import Command, CommandClaim, CommandLine, Option

FLAG = False
VALUE = True

TOOL = Command(
    words=("tool",),
    options=(
        Option(("--verbose", "-v"), FLAG),
        Option(("--quiet", "-q"), FLAG),
        Option(("--config", "-c"), VALUE),
        Option(("--help",), FLAG),
    ),
    subcommands=("build", "serve", "cache"),
)
BUILD = Command(
    words=("tool", "build"),
    options=(
        Option(("--line-numbers", "-n"), FLAG),
        Option(("--strict", "-s"), FLAG),
        Option(("--format", "-f"), VALUE, choices=("html", "json", "text")),
        Option(("--jobs", "-j"), VALUE),
        Option(("--color", "--no-color"), FLAG),
    ),
    positionals=("source",),
)
SERVE = Command(words=("tool", "serve"), options=(Option(("--port", "-p"), VALUE),), positionals=("root",))
CACHE = Command(words=("tool", "cache"), subcommands=("clear",))
CLEAR = Command(words=("tool", "cache", "clear"), options=(Option(("--all",), FLAG),))
# `tool run ...` hands its arguments on (click's ignore_unknown_options): nothing there is unknown.
RUNNER = Command(words=("runner",), options=(Option(("--env",), VALUE),), subcommands=("exec",), open_ended=True)
RUNNER_EXEC = Command(words=("runner", "exec"), open_ended=True)
# An option the reader could not name (`click.option(*FLAGS)`): any flag may be it.
WORKSPACE = Command(words=("workspace",), subcommands=("build",), positionals=("project",))
HAZY = Command(words=("hazy",), options=(Option(("--known",), FLAG), Option((), VALUE)))

LINE = CommandLine(
    commands={c.words: c for c in (TOOL, BUILD, SERVE, CACHE, CLEAR, RUNNER, RUNNER_EXEC, HAZY, WORKSPACE)},
    scripts={"tool": "tool.cli:main", "runner": "runner.cli:main", "hazy": "hazy.cli:main", "workspace": "ws:main"},
)


def _line(*argv: str) -> CommandClaim:
    return CommandClaim("docs/usage.md", 3, 5, argv, "cli-command")


def _option(*flags: str, words: tuple[str, ...] = ()) -> CommandClaim:
    return CommandClaim("docs/cli.rst", 7, 12, flags, "cli-option", words)


def _found(problems: tuple[CliProblem, ...]) -> list[tuple[str, str, tuple[str, ...], str | None]]:
    return [(p.what, p.written, p.command, p.suggestion) for p in problems]


REPORTED = [
    # renamed long option, with the new name suggested
    (("tool", "build", "--line-number"), [("option", "--line-number", ("tool", "build"), "--line-numbers")]),
    # the `=value` is not part of the written option
    (("tool", "build", "--formats=json"), [("option", "--formats", ("tool", "build"), "--format")]),
    # an option of the group is not an option of the sub-command
    (("tool", "serve", "--strict", "site"), [("option", "--strict", ("tool", "serve"), None)]),
    # an option checked against the group, before the sub-command word
    (("tool", "--verbos", "build"), [("option", "--verbos", ("tool",), "--verbose")]),
    # an unknown short option
    (("tool", "build", "-x"), [("option", "-x", ("tool", "build"), None)]),
    # a removed sub-command, with the close one suggested
    (("tool", "buld", "--strict"), [("command", "buld", ("tool",), "build")]),
    (("tool", "cache", "purge"), [("command", "purge", ("tool", "cache"), None)]),
    # after known options and a known option's value
    (("tool", "-c", "tool.toml", "deploy"), [("command", "deploy", ("tool",), None)]),
    # a choice the option no longer has, as a separate word and with `=`
    (("tool", "build", "--format", "yaml"), [("choice", "yaml", ("tool", "build"), None)]),
    (("tool", "build", "--format=jsn", "src"), [("choice", "jsn", ("tool", "build"), "json")]),
    (("tool", "build", "-f", "htm"), [("choice", "htm", ("tool", "build"), "html")]),
    # several problems on one line, until one leaves the rest unplaceable
    (
        ("tool", "build", "--format", "xml", "--old"),
        [("choice", "xml", ("tool", "build"), None), ("option", "--old", ("tool", "build"), None)],
    ),
    # a second unknown option is not reached: we cannot tell whether the first takes the next word
    (("tool", "build", "--old", "--older"), [("option", "--old", ("tool", "build"), None)]),
    # after a bundle whose last flag took the next word
    (("tool", "build", "-sj", "4", "-x"), [("option", "-x", ("tool", "build"), None)]),
    # a bundle whose middle flag takes the rest of the word as its value
    (("tool", "build", "-sj4", "--bogus"), [("option", "--bogus", ("tool", "build"), None)]),
    # a deeper sub-command's options
    (("tool", "cache", "clear", "--everything"), [("option", "--everything", ("tool", "cache", "clear"), None)]),
]


@pytest.mark.parametrize(("argv", "expected"), REPORTED)
def test_reported(argv: tuple[str, ...], expected: list[tuple[str, str, tuple[str, ...], str | None]]) -> None:
    claim = _line(*argv)
    problems = judge_claims(LINE, [claim])
    assert _found(problems) == expected
    assert all(problem.claim is claim for problem in problems)


ACCEPTED = [
    ("tool", "build", "--line-numbers", "--strict", "-n", "-s", "src"),
    ("tool", "-v", "build", "--format", "json", "docs"),
    ("tool", "build", "--format=Json"),  # click's case_sensitive=False is not recorded
    ("tool", "build", "-ns", "docs"),  # bundled short flags, all known
    ("tool", "build", "-nsj", "4"),  # bundled, the last one taking the next word
    ("tool", "build", "-j4", "docs"),  # a short option with its value attached
    # the bundle's last flag takes the next word: "deploy" is no command
    ("tool", "-vc", "deploy", "build"),
    ("tool", "-c", "build", "--strict"),  # an optional value, or the sub-command? Not guessed
    ("tool", "build", "--format", "--strict"),  # a missing value is not a wrong choice
    ("workspace", "myproject", "build"),  # a group that takes a positional before its sub-command
    ("tool", "build", "--no-color"),
    ("tool", "cache", "clear", "--all"),
    ("tool", "--help"),
    ("tool", "build", "-h"),  # help and version flags are always accepted
    ("tool", "serve", "--version"),
    ("tool", "help", "build"),  # a help word
    ("tool", "build", "--format", "FORMAT"),  # a metavar
    ("tool", "build", "--format", "$FORMAT"),
    ("tool", "build", "--format", "{html,json}"),
    ("tool", "build", "--format", "<format>"),
    ("tool", "build", "--format=*"),
    ("tool", "[OPTIONS]", "COMMAND", "--whatever"),  # a usage line
    ("tool", "<command>", "--whatever"),
    ("tool", "{build,serve}", "--whatever"),
    ("tool", "build", "...", "--whatever"),
    ("tool", "$SUBCOMMAND", "--anything"),
    ("tool", "build", "--", "--not-an-option", "deploy"),  # end of options
    ("tool", "build", "docs", "deploy"),  # positionals that look like commands, under a command without any
    ("tool", "serve", "site", "-p", "8000"),
    ("tool", "./docs", "--x"),  # a path under a group: not a command name, and nothing after it is placed
    ("tool", "my_plugin", "--x"),
    ("tool", "site.yml"),
    ("tool", "KEY=value"),
    ("tool", "build", "-xyz"),  # a single-dash word whose letters are not all known: not guessed
    ("tool", "build", "-1"),  # a negative number is a value
    ("runner", "-x", "exec"),  # open-ended commands: an unknown short flag is never placed
    ("runner", "unknown-sub"),  # an open-ended group's word may be a command we cannot see
    ("hazy", "--unreadable"),  # the command has an option we could not name
    ("other", "--surely-unknown", "sub"),  # another tool
    ("tool",),
    (),
]


@pytest.mark.parametrize("argv", ACCEPTED)
def test_accepted(argv: tuple[str, ...]) -> None:
    assert judge_claims(LINE, [_line(*argv)]) == ()


@pytest.mark.parametrize(
    "argv", [("runner", "--anything", "exec", "--whatever"), ("runner", "exec", "--whatever", "-abc")]
)
def test_an_open_ended_commands_unknown_long_option_is_unsure(argv: tuple[str, ...]) -> None:
    """A plugin's option, or one the project dropped: reported as unsure (the check keeps it only with history's
    evidence that the project declared it), and nothing after it is placed."""
    (problem,) = judge_claims(LINE, [_line(*argv)])
    assert (problem.unsure, problem.written) == (True, argv[1] if argv[1].startswith("--") else argv[2])


def test_the_value_of_a_known_option_is_not_a_sub_command() -> None:
    assert judge_claims(LINE, [_line("tool", "--config", "deploy", "build")]) == ()


def test_a_command_missing_from_the_line_stops_the_walk() -> None:
    """A sub-command listed by its group but absent from the records (a reader limit): nothing is said of it."""
    line = CommandLine({("tool",): TOOL}, {"tool": "tool.cli:main"})
    assert judge_claims(line, [_line("tool", "build", "--surely-unknown")]) == ()


OPTION_CLAIMS = [
    # with the program it documents
    (
        _option("--line-number", words=("tool", "build")),
        [("option", "--line-number", ("tool", "build"), "--line-numbers")],
    ),
    (
        _option("-x", "--extra", words=("tool", "build")),
        [("option", "-x", ("tool", "build"), None), ("option", "--extra", ("tool", "build"), None)],
    ),
    (_option("--strict", words=("tool", "serve")), [("option", "--strict", ("tool", "serve"), None)]),
    (_option("--strict", words=("tool", "build")), []),
    (_option("-n", "--line-numbers", words=("tool", "build")), []),
    (_option("--help", words=("tool", "serve")), []),
    # a group's program heads its sub-commands' options too
    (_option("--strict", "--port", "--all", words=("tool",)), []),
    (_option("--stirct", words=("tool",)), [("option", "--stirct", ("tool",), "--strict")]),
    (_option("--all", words=("tool", "serve")), [("option", "--all", ("tool", "serve"), None)]),
    (_option("-j4", words=("tool", "build")), []),  # `.. option:: -jN` style: a short option taking a value
    (_option("--port=PORT", words=("tool", "serve")), []),
    (_option("--anything", words=("runner",)), []),  # open-ended
    (_option("--anything", words=("other",)), []),  # another tool
    (_option("--anything", words=("tool", "gone")), []),  # a program we do not know: not said here
]


@pytest.mark.parametrize(("claim", "expected"), OPTION_CLAIMS)
def test_option_claims(claim: CommandClaim, expected: list[tuple[str, str, tuple[str, ...], str | None]]) -> None:
    assert _found(judge_claims(LINE, [claim])) == expected


CLOSED = CommandLine({c.words: c for c in (TOOL, BUILD, SERVE, CACHE, CLEAR)}, {"tool": "tool.cli:main"})


def test_option_without_program_is_checked_against_every_command() -> None:
    claims = [_option("--strict"), _option("--port"), _option("--all"), _option("--stirct"), _option("--ports")]
    assert _found(judge_claims(CLOSED, claims)) == [
        ("option", "--stirct", (), "--strict"),
        ("option", "--ports", (), "--port"),
    ]


def test_option_without_program_is_not_judged_when_any_command_is_open_ended() -> None:
    assert judge_claims(LINE, [_option("--stirct")]) == ()


def test_option_without_program_is_not_judged_when_a_script_was_not_read() -> None:
    line = CommandLine(CLOSED.commands, {"tool": "tool.cli:main", "other-tool": "tool.other:main"})
    assert judge_claims(line, [_option("--stirct")]) == ()
    assert len(judge_claims(CLOSED, [_option("--stirct")])) == 1


def test_unknown_single_short_option_is_reported() -> None:
    assert _found(judge_claims(LINE, [_line("tool", "build", "-k")])) == [("option", "-k", ("tool", "build"), None)]


def test_problems_keep_claim_order() -> None:
    first, second = _line("tool", "buld"), _line("tool", "serve", "--strict")
    problems = judge_claims(CLOSED, [first, second])
    assert [p.claim for p in problems] == [first, second]


def _prose(flag: str, line: int, doc: str = "docs/build.md") -> CommandClaim:
    return CommandClaim(doc, line, 5, (flag,), "cli-option", ("tool", "build"), loose=True)


def test_a_prose_choice_is_judged_only_when_the_page_writes_an_accepted_value() -> None:
    """`--format=xml` in prose may be another tool's flag; `--format=json` on the same page ties it to ours."""
    alone = judge_claims(LINE, [_prose("--format=xml", 3)])
    assert alone == ()
    tied = judge_claims(LINE, [_prose("--format=xml", 3), _prose("--format=json", 9)])
    assert _found(tied) == [("choice", "xml", ("tool", "build"), None)]
    elsewhere = judge_claims(LINE, [_prose("--format=xml", 3), _prose("--format=json", 9, "docs/other.md")])
    assert elsewhere == ()
