"""commandline.help_claims (through read_claims): pasted `--help` output is a claim about each option it lists
and each value of the choices it shows; option lists in Markdown claim for their section's command."""

from __future__ import annotations

from docsync.commandline.claims import read_claims

CLICK_HELP = """\
```
$ tool serve --help
Usage: tool serve [OPTIONS] APP

Options:
  --host TEXT                     Bind socket to this host.
  -p, --port INTEGER              Bind socket to this port.
  --loop [auto|asyncio|uvloop]    Event loop implementation.
  --reload / --no-reload          Enable auto-reload.
  --help                          Show this message and exit.
```
"""

ARGPARSE_HELP = """\
    usage: tool build [-h] [--format {html,json}] SOURCE

    options:
      -h, --help            show this help message and exit
      --format {html,json}  output format
"""


def _claims(text: str, names: set[str] | None = None) -> list[tuple[int, int, tuple[str, ...], str, tuple[str, ...]]]:
    claims = read_claims("docs/x.md", text, "markdown", names or {"tool"})
    return [(c.line, c.column, c.argv, c.style, c.words) for c in claims]


def test_click_help_output() -> None:
    serve = ("tool", "serve")
    assert _claims(CLICK_HELP) == [
        (2, 3, ("tool", "serve", "--help"), "cli-command", ()),
        (6, 3, ("--host",), "cli-option", serve),
        (7, 3, ("-p",), "cli-option", serve),
        (7, 7, ("--port",), "cli-option", serve),
        (8, 3, ("--loop",), "cli-option", serve),
        (8, 11, ("tool", "serve", "--loop", "auto"), "cli-command", ()),
        (8, 16, ("tool", "serve", "--loop", "asyncio"), "cli-command", ()),
        (8, 24, ("tool", "serve", "--loop", "uvloop"), "cli-command", ()),
        (9, 3, ("--reload",), "cli-option", serve),
        (9, 14, ("--no-reload",), "cli-option", serve),
        (10, 3, ("--help",), "cli-option", serve),
    ]


def test_argparse_help_output_in_an_indented_block() -> None:
    assert _claims(ARGPARSE_HELP) == [
        (4, 7, ("-h",), "cli-option", ("tool", "build")),
        (4, 11, ("--help",), "cli-option", ("tool", "build")),
        (5, 7, ("--format",), "cli-option", ("tool", "build")),
        (5, 17, ("tool", "build", "--format", "html"), "cli-command", ()),
        (5, 22, ("tool", "build", "--format", "json"), "cli-command", ()),
    ]


def test_another_programs_help_is_not_read() -> None:
    assert _claims(CLICK_HELP.replace("Usage: tool", "Usage: gunicorn")) == [
        (2, 3, ("tool", "serve", "--help"), "cli-command", ())
    ]


def test_an_options_list_claims_for_the_section_or_the_only_script() -> None:
    text = "## HTTPS\n\n* `--keyfile` - SSL key file\n* `--ciphers` - ciphers\n* see `--other` in prose\n"
    claims = read_claims("docs/x.md", text, "markdown", {"tool"})
    assert [(c.line, c.argv, c.words, c.loose) for c in claims] == [
        (3, ("--keyfile",), ("tool",), True),
        (4, ("--ciphers",), ("tool",), True),
    ]
    assert read_claims("docs/x.md", text, "markdown", {"tool", "toold"}) == ()  # which script? none claimed
