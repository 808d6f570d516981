"""commandline.encoding: command lines and claims survive the cache's JSON unchanged; a bad value is refused."""

from __future__ import annotations

import json

import pytest

from docsync.codec_values import BadEntry
from docsync.commandline.encoding import decode_claims, decode_command_line, encode_claims, encode_command_line
from docsync.commandline.model import Command, CommandClaim, CommandLine, Option

LINE = CommandLine(
    commands={
        ("tool",): Command(("tool",), (Option(("-v", "--verbose"), False),), ("build",), open_ended=True),
        ("tool", "build"): Command(
            ("tool", "build"),
            (Option(("--format",), True, ("html", "json"), '"html"', ("TOOL_FORMAT",), 12),),
            positionals=("SOURCE",),
            path="tool/cli.py",
            line=9,
        ),
    },
    scripts={"tool": "tool.cli:main"},
)
CLAIMS = (
    CommandClaim("docs/a.md", 3, 3, ("tool", "build", "--format", "html"), "cli-command"),
    CommandClaim("docs/a.md", 9, 4, ("--strict",), "cli-option", ("tool", "build"), loose=True, default="4"),
)


def test_round_trip_through_json() -> None:
    assert decode_command_line(json.loads(json.dumps(encode_command_line(LINE)))) == LINE
    assert decode_claims("docs/a.md", json.loads(json.dumps(encode_claims(CLAIMS)))) == CLAIMS


@pytest.mark.parametrize("value", [None, [], [{}, [["tool"]]], [[], []], [{"tool": 1}, []]])
def test_a_malformed_command_line_is_refused(value: object) -> None:
    with pytest.raises(BadEntry):
        decode_command_line(value)


def test_malformed_claims_are_refused() -> None:
    with pytest.raises(BadEntry):
        decode_claims("docs/a.md", [[3, 3, ["tool"], "cli-command", []]])  # an old entry without `loose`
