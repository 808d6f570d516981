"""A project's command line and its docs' command-line claims ↔ compact JSON, for the cache. A malformed value
raises `BadEntry` (the cache then reads the code or the doc again)."""

from __future__ import annotations

from typing import Any

from docsync.codec_values import BadEntry, checked_bool, checked_int, checked_list, checked_str, optional_str
from docsync.commandline.model import Command, CommandClaim, CommandLine, Option


def encode_command_line(line: CommandLine) -> list[Any]:
    return [dict(line.scripts), [_encode_command(command) for command in line.commands.values()]]


def decode_command_line(value: Any) -> CommandLine:
    scripts, commands = checked_list(value, 2)
    if not isinstance(scripts, dict):
        raise BadEntry("command line: scripts is not a mapping")
    decoded = [_decode_command(item) for item in checked_list(commands)]
    return CommandLine(
        commands={command.words: command for command in decoded},
        scripts={checked_str(name): checked_str(entry) for name, entry in scripts.items()},
    )


def encode_claims(claims: tuple[CommandClaim, ...]) -> list[Any]:
    return [[c.line, c.column, list(c.argv), c.style, list(c.words), c.loose, c.default, c.group] for c in claims]


def decode_claims(doc: str, value: Any) -> tuple[CommandClaim, ...]:
    claims = []
    for item in checked_list(value):
        line, column, argv, style, words, loose, default, group = checked_list(item, 8)
        claims.append(
            CommandClaim(
                doc, checked_int(line), checked_int(column), _strings(argv), checked_str(style), _strings(words),
                checked_bool(loose), optional_str(default), checked_int(group),
            )
        )  # fmt: skip
    return tuple(claims)


def _encode_command(command: Command) -> list[Any]:
    return [
        list(command.words),
        [_encode_option(option) for option in command.options],
        list(command.subcommands),
        list(command.positionals),
        command.open_ended,
        command.path,
        command.line,
    ]


def _decode_command(value: Any) -> Command:
    words, options, subcommands, positionals, open_ended, path, line = checked_list(value, 7)
    return Command(
        words=_strings(words),
        options=tuple(_decode_option(option) for option in checked_list(options)),
        subcommands=_strings(subcommands),
        positionals=_strings(positionals),
        open_ended=checked_bool(open_ended),
        path=checked_str(path),
        line=checked_int(line),
    )


def _encode_option(option: Option) -> list[Any]:
    choices = list(option.choices) if option.choices is not None else None
    return [list(option.flags), option.takes_value, choices, option.default, list(option.env), option.line]


def _decode_option(value: Any) -> Option:
    flags, takes_value, choices, default, env, line = checked_list(value, 6)
    return Option(
        flags=_strings(flags),
        takes_value=checked_bool(takes_value),
        choices=_strings(choices) if choices is not None else None,
        default=optional_str(default),
        env=_strings(env),
        line=checked_int(line),
    )


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(checked_str(item) for item in checked_list(value))
