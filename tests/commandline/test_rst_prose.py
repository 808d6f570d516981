"""commandline.rst_prose, and how the judge takes its claims: flags a reStructuredText doc names in prose and in
bullet lists of a command's options (Scrapy's commands page), and a removed choice written `--opt=value` in prose
(pytest's `--assert=reinterp`). Real parsers throughout: the project's argparse code is read by the reader."""

from __future__ import annotations

import ast
import textwrap

from docsync.commandline.claims import read_claims
from docsync.commandline.judge import judge_claims
from docsync.commandline.model import CommandLine
from docsync.commandline.project import read_command_line

NAMES = {"tool"}

PARSE_SECTION = """\
Command line tool
=================

.. command:: parse

parse
-----

* Syntax: ``tool parse <url> [options]``
* Requires project: *yes*

Supported options:

* ``--spider=SPIDER``: bypass spider autodetection

* ``--callback`` or ``-c``: spider method to use as callback for parsing the
  response

* ``--cb_kwargs``: additional keyword arguments that will be passed to the callback.
  Example: --cb_kwargs='{"foo" : "bar"}'

* ``--depth`` or ``-d``: depth level

Usage example::

    * ``--not-an-item``: a literal block is no list
"""

CLI = """
import argparse

def main(argv=None):
    parser = argparse.ArgumentParser(prog="tool")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--config")
    sub = parser.add_subparsers(dest="command")
    parse = sub.add_parser("parse")
    parse.add_argument("--spider")
    parse.add_argument("-c", "--callback")
    parse.add_argument("--cbkwargs")
    parse.add_argument("-d", "--depth", type=int)
    parse.add_argument("url")
    check = sub.add_parser("check")
    check.add_argument("--format", choices=["text", "json"])
    check.add_argument("--assert", choices=("rewrite", "plain"), default="rewrite")
    show = sub.add_parser("show")
    show.add_argument("--format", choices=["text", "sarif"])
    args = parser.{parse}(argv)
"""


def _line(parse: str = "parse_args") -> CommandLine:
    modules = {"tool.cli": ast.parse(textwrap.dedent(CLI.replace("{parse}", parse)))}
    return read_command_line(modules, {"tool": "tool.cli:main"}, {"tool.cli": "tool/cli.py"})


def _options(text: str) -> list[tuple[int, int, tuple[str, ...], tuple[str, ...], int]]:
    claims = read_claims("docs/commands.rst", text, "rst", NAMES)
    return [(c.line, c.column, c.argv, c.words, c.group) for c in claims if c.style == "cli-option"]


def _problems(text: str, line: CommandLine) -> list[tuple[int, str, str, tuple[str, ...], str | None, bool]]:
    claims = read_claims("docs/commands.rst", text, "rst", NAMES)
    return [(p.claim.line, p.what, p.written, p.command, p.suggestion, p.unsure) for p in judge_claims(line, claims)]


def test_a_bullet_led_by_a_flag_is_a_claim_of_the_sections_command() -> None:
    parse = ("tool", "parse")
    assert _options(PARSE_SECTION) == [
        (14, 5, ("--spider=SPIDER",), parse, 14),
        (16, 5, ("--callback",), parse, 14),
        (19, 5, ("--cb_kwargs",), parse, 14),
        (22, 5, ("--depth",), parse, 14),
    ]


def test_a_renamed_option_in_a_list_of_the_commands_options_is_reported() -> None:
    assert _problems(PARSE_SECTION, _line()) == [(19, "option", "--cb_kwargs", ("tool", "parse"), "--cbkwargs", False)]


def test_a_list_of_the_commands_options_makes_its_flags_strict() -> None:
    """Three of four items the command's: an unknown flag with no near name is reported too (in prose it is not)."""
    text = PARSE_SECTION.replace("``--cb_kwargs``", "``--nolinks``")
    assert _problems(text, _line()) == [(19, "option", "--nolinks", ("tool", "parse"), None, False)]
    prose = "With ``tool parse``, ``--nolinks`` hides links.\n"
    assert _problems(prose, _line()) == []


def test_a_bullet_list_that_is_not_the_commands_options_is_not_judged() -> None:
    """Four items led by flags, one of them the command's: a list of another tool's flags, or of a few."""
    text = PARSE_SECTION.replace("``--cb_kwargs``", "``--nolinks``")
    text = text.replace("``--callback``", "``--with-coverage``").replace("``--depth``", "``--pdb``")
    assert _problems(text, _line()) == []


ROOT_SECTION = """\
``tool`` options
================

* ``--verbose``: say more
* ``--quiet``: say less
* ``--config``: the file
* ``--profile``: the profiler's output
"""


def test_an_open_ended_commands_list_item_is_unsure_history_decides() -> None:
    """`parse_known_args`: the command may take options we cannot see; the caller keeps the problem only when the
    project declared the option when the doc's line was written."""
    assert _problems(ROOT_SECTION, _line("parse_known_args")) == [(7, "option", "--profile", ("tool",), None, True)]
    renamed = ROOT_SECTION.replace("--profile``", "--configs``")  # a near name is offered: the finding says renamed
    assert _problems(renamed, _line("parse_known_args")) == [(7, "option", "--configs", ("tool",), "--config", True)]
    assert _problems(ROOT_SECTION, _line()) == [(7, "option", "--profile", ("tool",), None, False)]


def test_no_claim_outside_a_command_section_without_a_program() -> None:
    text = "Options\n=======\n\n* ``--strict``: fail\n* ``--jobs``: many\n"
    two_scripts = read_claims("docs/x.rst", text, "rst", {"tool", "toold"})
    assert [c for c in two_scripts if c.style == "cli-option"] == []


def test_code_and_option_bodies_are_not_prose() -> None:
    text = "Use ``tool``.\n\n.. code-block:: rst\n\n   Use ``tool`` with ``--strict``.\n\n.. option:: --jobs\n\n   With ``tool``, ``--jobsx`` is wrong.\n"
    assert _options(text) == [(7, 13, ("--jobs",), (), 0)]


NOTE = """\
Assertions
----------

.. note::

   ``tool`` rewrites test modules on import. If this is the case, simply use ``--assert=reinterp`` or
   ``--assert=plain``.

You can force ``tool check`` to always reinterpret by passing the ``--assert=reinterp`` option.
"""


def test_a_removed_choice_in_prose_is_reported_when_the_page_writes_an_accepted_one() -> None:
    assert _options(NOTE) == [(6, 80, ("--assert=reinterp",), ("tool",), 0), (7, 6, ("--assert=plain",), ("tool",), 0),
                              (9, 69, ("--assert=reinterp",), ("tool", "check"), 0)]  # fmt: skip
    problems = [(6, "choice", "reinterp", ("tool", "check"), None, False)]
    problems.append((9, "choice", "reinterp", ("tool", "check"), None, False))
    assert _problems(NOTE, _line()) == problems


def test_a_prose_value_without_an_accepted_one_on_the_page_is_another_tools() -> None:
    """`--format=xml` may be the flag of a tool the paragraph does not name: our `--format` has no `xml`, but
    nothing ties the page to our option's values."""
    text = "Run ``tool check``, then convert the report with ``--format=xml``.\n"
    assert _options(text) == [(1, 52, ("--format=xml",), ("tool", "check"), 0)]
    assert _problems(text, _line()) == []


def test_a_value_another_command_accepts_is_not_reported() -> None:
    """`sarif` is `tool show --format`'s: prose about `tool check` may speak of its sibling."""
    text = "Run ``tool check --format=text`` or, with ``tool check``, ``--format=text`` and ``--format=sarif``.\n"
    assert _problems(text, _line()) == []
