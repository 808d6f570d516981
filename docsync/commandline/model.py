"""Records of a project's command line as its code declares it, and of the command lines its docs show."""

from __future__ import annotations

from dataclasses import dataclass

COMMAND = "cli-command"  # a claim's style: a whole command line
OPTION = "cli-option"  # a claim's style: an option named on its own


@dataclass(frozen=True, slots=True)
class Option:
    """One option of one command: `--line-numbers/-n`, as declared (argparse `add_argument`, `click.option`,
    `typer.Option`)."""

    flags: tuple[str, ...]  # as written, long and short: ("--line-numbers", "-n"); a click "--x/--no-x" gives both
    takes_value: bool  # False for flags (store_true, count, is_flag, a bool typer option)
    choices: tuple[str, ...] | None = None  # only when statically known (a literal list, an Enum's values)
    default: str | None = None  # the default as source text (`"auto"`, `3`), None when absent or not a literal
    env: tuple[str, ...] = ()  # environment variables that set it (click `envvar=`, typer `envvar=`)
    line: int = 0  # where it is declared, in `Command.path`


@dataclass(frozen=True, slots=True)
class Command:
    """One command or sub-command: `tool`, `tool build`. `words` is the full invocation, the script name first."""

    words: tuple[str, ...]  # ("tool", "build")
    options: tuple[Option, ...] = ()
    subcommands: tuple[str, ...] = ()  # names of the next word, each a Command of its own in the CommandLine
    positionals: tuple[str, ...] = ()  # argument names, for the record (docs rarely get them wrong by name)
    # Whether any option may be accepted that is not declared here: argparse `parse_known_args`, click's
    # `ignore_unknown_options`/`allow_extra_args`, a parser built from data we cannot read. Then nothing is "unknown".
    open_ended: bool = False
    path: str = ""  # the file that declares it (repository-relative)
    line: int = 0

    def option(self, flag: str) -> Option | None:
        """The option that `flag` names (`--color=never` names `--color`); argparse's unique prefixes are not
        matched here: a doc should write the option in full."""
        name = flag.partition("=")[0]
        return next((option for option in self.options if name in option.flags), None)


@dataclass(frozen=True, slots=True)
class CommandLine:
    """Every command the project's console scripts reach, keyed by `Command.words`."""

    commands: dict[tuple[str, ...], Command]
    scripts: dict[str, str]  # console script name -> "package.module:function" (pyproject [project.scripts])

    def command(self, words: tuple[str, ...]) -> Command | None:
        return self.commands.get(words)


@dataclass(frozen=True, slots=True)
class CommandClaim:
    """A command line a doc shows: `$ tool build --strict` in a console block, an inline `tool build --strict`,
    an option table's row, a `:option:` role or `.. option::` directive (then `words` is the command it documents
    when known, and `argv` the option alone)."""

    doc: str
    line: int
    column: int
    argv: tuple[str, ...]  # shell words after splitting, the command name first: ("tool", "build", "--strict")
    style: str  # "cli-command" (a whole command line) or "cli-option" (an option named on its own)
    words: tuple[str, ...] = ()  # for a "cli-option": the command it documents (`.. program::`), () when unknown
    # A flag in prose (its paragraph names the program): weak evidence that it is the program's, so it is reported
    # only when the program has a near option the doc must have meant.
    loose: bool = False
    default: str | None = None  # the default the doc writes for the option (an options table's Default column)
    group: int = 0  # the line of the list it leads an item of (`* `--keyfile` - ...`), 0 when none
