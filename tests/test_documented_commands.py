"""Every `docsync ...` command line the README and docs/ show parses with docsync's real argument parser.

Until docsync checks command-line claims itself (issue 17), this keeps the documented commands honest: an option
renamed or dropped in `docsync/main.py` fails here, naming the doc and the line."""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest

from docsync.main import build_parser

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ("README.md", *(str(p.relative_to(ROOT)) for p in sorted((ROOT / "docs").rglob("*.md"))))
# A command as written in prose or a console block: `docsync` then a command word (lowercase, maybe hyphenated).
COMMAND = re.compile(r"(?:^|(?<=[`\s$]))docsync(?:\s+-[-\w]+(?:\s+[^\s`-][^\s`]*)?)*\s+[a-z][a-z-]*\b[^`\n]*")
INLINE = re.compile(r"`([^`\n]+)`")
CUT = re.compile(r"\s(?:#|\|\||&&|\||>|2>|<|;)(?:\s|$).*")  # a comment, a pipe or a redirection ends the command


def documented_commands() -> list[tuple[str, int, str]]:
    found = []
    for name in DOCUMENTS:
        fenced = False
        for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("```"):
                fenced = not fenced
                continue
            texts = [line] if fenced else INLINE.findall(line)
            for text in texts:
                text = text.strip().removeprefix("$ ").removeprefix("- ").removeprefix("run: ").strip()
                if text.startswith("docsync ") and COMMAND.match(text):
                    found.append((name, number, text))
    return found


def _argv(command: str) -> list[str]:
    """The arguments, with usage notation (`[--base REV]`, `DOC...`, `auto|always|never`) read as one example."""
    command = CUT.sub("", " " + command).strip()
    command = command.replace("[", "").replace("]", "").replace("...", "")
    words = shlex.split(command)[1:]
    return [word.split("|")[0] if word.startswith("-") or "|" in word else word for word in words]


def test_the_docs_show_commands() -> None:
    assert len(documented_commands()) >= 15  # the scan itself works: README alone shows more


@pytest.mark.parametrize(("doc", "line", "command"), documented_commands())
def test_each_documented_command_parses(doc: str, line: int, command: str) -> None:
    parser = build_parser()
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
        code = _exit_code(parser, _argv(command))
    assert code == 0, f"{doc}:{line}: `{command}` does not parse: {errors.getvalue().strip()}"


def _exit_code(parser: argparse.ArgumentParser, argv: list[str]) -> int:
    try:
        parser.parse_args(argv)
    except SystemExit as exit_:  # argparse's way to refuse (2), or --help/--version (0)
        return int(exit_.code or 0)
    return 0


def test_a_wrong_command_is_caught() -> None:
    with contextlib.redirect_stderr(io.StringIO()):
        assert _exit_code(build_parser(), _argv("docsync check --line-number  # gone")) == 2
        assert _exit_code(build_parser(), _argv("docsync fix [--base REV] [--dry-run]")) == 0
