"""The command line's grammar: the parser, the options every command takes (before or after the command), and
each command's options."""

from __future__ import annotations

import argparse
import sys

from docsync import __version__
from docsync.exit_codes import EXIT_USAGE
from docsync.models import Kind
from docsync.output import COLOR_CHOICES
from docsync.render import CHECK_FORMATS
from docsync.runlog import NORMAL, QUIET, VERBOSE


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse exits 2 itself, which is our usage code too; keep its one-line message.
        self.print_usage(sys.stderr)  # redirected by `main` to its own stream
        self.exit(EXIT_USAGE, f"docsync: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="docsync",
        description="Keep documentation honest about the Python code it talks about.",
        epilog="The options above go before the command or after it (after it wins when given twice).\n"
        "`docsync COMMAND --help` shows each command's options, examples and exit codes.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"docsync {__version__}")
    _add_global_options(parser, before_command=True)
    common = _Parser(add_help=False)
    _add_global_options(common, before_command=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _add_check(_command(commands, common, "check", "find docs that drifted from the code"))
    accept = _command(commands, common, "accept", "mark docs as reviewed: stamp .docsync.lock")
    accept.add_argument("docs", nargs="*", metavar="DOC", help="the docs to accept (default: every doc)")
    coverage = _command(commands, common, "coverage", "public symbols no doc mentions")
    coverage.add_argument("--format", choices=("text", "json"), default="text")
    _add_output_option(coverage)
    coverage.add_argument("--fail-under", metavar="N", help="exit 1 when coverage (percent) is below N")
    _add_ci(_command(commands, common, "ci", "the CI entry point (GitHub Actions, GitLab CI)"))
    _add_report(_command(commands, common, "report", "write the report (HTML by default)"))
    fix = _command(commands, common, "fix", "rewrite references to renamed symbols")
    fix.add_argument("--base", metavar="REV", help="fix what the change since REV renamed (default: the whole repo)")
    fix.add_argument("--dry-run", action="store_true", help="print a unified diff and write nothing")
    map_parser = _command(commands, common, "map", "list every doc → symbol reference")
    map_parser.add_argument("--format", choices=("text", "json"), default="text")
    _add_output_option(map_parser)
    map_parser.add_argument("--rev", metavar="REV", help="map this commit instead of the work tree")
    return parser


def _add_check(check: argparse.ArgumentParser) -> None:
    check.add_argument("--base", metavar="REV", help="pull-request mode: compare the merge-base of REV with the head")
    heads = check.add_mutually_exclusive_group()
    heads.add_argument("--head", metavar="REV", help="the revision to check (default: HEAD, or the work tree)")
    heads.add_argument("--staged", action="store_true", help="compare the index with HEAD")
    heads.add_argument(
        "--hook",
        action="store_true",
        help="what the pre-commit hook runs: pre-commit's --from-ref..--to-ref range when it gives one, "
        "else the staged change, else (nothing staged: --all-files, pre-commit.ci) the whole work tree",
    )
    check.add_argument("--format", choices=CHECK_FORMATS, default="text")
    _add_output_option(check)
    check.add_argument("--fail-under", metavar="N", help="exit 1 when the freshness score is below N")
    check.add_argument(
        "--report-unused-ignores",
        action="store_true",
        help="report each `docsync: ignore` marker that hides no finding, and exit 1 if any (whole-repository mode)",
    )
    _add_kind_options(check)
    check.add_argument("paths", nargs="*", metavar="PATH", help="only these docs (or folders of docs)")


def _add_ci(ci: argparse.ArgumentParser) -> None:
    ci.add_argument("--base", metavar="REV", help="the base to compare with (default: the pull request's)")
    ci.add_argument("--no-comment", action="store_true", help="do not keep a pull-request comment")
    ci.add_argument("--report", default="docsync-report.html", metavar="FILE", help="where to write the HTML report")
    ci.add_argument("--fail-under", metavar="N", help="exit 1 when the freshness score is below N")
    ci.add_argument("--sarif", metavar="FILE", help="also write the findings as SARIF 2.1.0 (for GitHub code scanning)")
    _add_kind_options(ci)


def _add_report(report: argparse.ArgumentParser) -> None:
    report.add_argument("--format", choices=("html", "markdown", "json", "text"), default="html")
    report.add_argument(
        "-o", "--output", metavar="FILE", help="where to write it (default: docsync-report.html; - for stdout)"
    )
    report.add_argument("--history", type=_history_count, default=30, metavar="N", help="score trend over N commits")
    report.add_argument("--base", metavar="REV", help="report on the change since REV instead of the whole repository")
    _add_kind_options(report)


def _command(commands: argparse._SubParsersAction[_Parser], common: _Parser, name: str, summary: str) -> _Parser:
    """A command's parser, its --help ending with examples and exit codes (laid out as written)."""
    return commands.add_parser(
        name,
        parents=[common],
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=_EPILOGS[name].format(common=_COMMON_EXIT_CODES),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _add_global_options(parser: argparse.ArgumentParser, before_command: bool) -> None:
    """The options every command takes, before the command (`docsync -C DIR check`) or after it.

    argparse copies a subcommand's values over the main parser's, defaults included: the copies after the command
    default to SUPPRESS, so that one given before the command is not overwritten by an absent one after it; given
    in both places, the one after the command wins."""

    def default(value: object) -> object:
        return value if before_command else argparse.SUPPRESS

    parser.add_argument("-C", "--repo", default=default("."), metavar="DIR", help="run in this repository (default: .)")
    parser.add_argument(
        "--config",
        default=default(None),
        metavar="FILE",
        help="configuration file (default: .docsync.yml or pyproject.toml)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", default=default(False), help="neither read nor write the parse cache"
    )
    parser.add_argument(
        "--debug", action="store_true", default=default(False), help="show a traceback on internal errors"
    )
    # One destination for both, so that the last of -q and -v given wins, wherever each was given.
    parser.add_argument(
        "-q",
        "--quiet",
        dest="verbosity",
        action="store_const",
        const=QUIET,
        default=default(NORMAL),
        help="print only the findings: no summary, no warnings, no progress bars (errors still show)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        dest="verbosity",
        action="store_const",
        const=VERBOSE,
        default=default(NORMAL),
        help="also tell on stderr what the run did and how long each step took",
    )
    parser.add_argument(
        "--color",
        choices=COLOR_CHOICES,
        default=default("auto"),
        help="colour the text output: auto (on when stdout is a terminal, unless NO_COLOR is set or TERM=dumb; "
        "a non-empty FORCE_COLOR turns it on), always, never (default: auto; never in a file)",
    )


def _add_output_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the output to FILE (replaced atomically, never coloured) instead of stdout; - for stdout",
    )


def _add_kind_options(parser: argparse.ArgumentParser) -> None:
    kinds = ", ".join(kind.value for kind in Kind)
    parser.add_argument(
        "--select",
        action="append",
        metavar="KIND[,KIND]",
        help=f"report only these kinds of drift ({kinds}); beats `select`/`ignore` of the configuration",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        metavar="KIND[,KIND]",
        help="report no drift of these kinds; applied after --select",
    )


def _history_count(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a number of commits (0 or more), got {value!r}")
    return int(value)


_COMMON_EXIT_CODES = """\
  2    a usage or configuration error: an unknown option, kind, revision or PATH, settings that do not parse
  3    an internal error: a bug, please report it (--debug shows the traceback)
  130  interrupted by Ctrl-C (128 + the signal's number for SIGTERM, SIGHUP)"""

# Each line that starts with `  docsync ` is run by tests/test_cli.py in a real repository (with a README.md,
# a docs/ folder, a `main` branch and two commits): keep them commands that work as written.
_EPILOGS = {
    "check": """\
examples:
  docsync check
      the whole repository: every doc against the code in the work tree
  docsync check --base main
      pull-request mode: only the drift the change since the merge base of main causes
  docsync check --staged
      the staged change against HEAD (the pre-commit hook, `--hook`, runs this when something is staged)
  docsync -q check README.md docs/ --select removed,renamed
      only these docs, only these kinds, the findings alone
  docsync check --format sarif -o findings.sarif
      a SARIF file for code scanning, written atomically

exit codes:
  0    fresh: no finding at or above `fail-on` (default: error), the score not below --fail-under
  1    a finding at or above `fail-on`, the freshness score below --fail-under, or (with
       --report-unused-ignores) a `docsync: ignore` marker that hides no finding
{common}""",
    "accept": """\
examples:
  docsync accept
      every doc is reviewed: stamp them all into .docsync.lock (and forget docs that are gone)
  docsync accept README.md
      this doc only; the others keep their stamps

exit codes:
  0    the lockfile was written
{common}""",
    "coverage": """\
examples:
  docsync coverage
      the public classes, functions, methods and properties no doc references, and the percentage
  docsync coverage --fail-under 50
      exit 1 below 50% (or below `coverage-fail-under` of the configuration)
  docsync coverage --format json -o coverage.json

exit codes:
  0    measured (and not below --fail-under)
  1    coverage below --fail-under or `coverage-fail-under`
{common}""",
    "ci": """\
examples:
  docsync ci
      in GitHub Actions or GitLab CI: the pull (merge) request's check, annotations, summary and comment
  docsync ci --base main --no-comment --report report.html
      elsewhere: the change since main, the HTML report written to report.html
  docsync ci --sarif docsync.sarif
      also the findings as SARIF, for github/codeql-action/upload-sarif

exit codes:
  0    the change strands no doc (drift already on the base branch does not fail it)
  1    the change's findings at or above `fail-on`, or the score below --fail-under
{common}""",
    "report": """\
examples:
  docsync report
      docsync-report.html: the whole repository, with the score's trend over 30 commits
  docsync report --base main -o report.html
      the change since main
  docsync report --format markdown -o - --ignore body,docstring
      Markdown on stdout, without behaviour drift

exit codes:
  0    written, whatever the findings (use `docsync check` to fail on them)
{common}""",
    "fix": """\
examples:
  docsync fix --dry-run
      print the rewrites as a unified diff, write nothing
  docsync fix --base main
      rewrite the references the change since main stranded by renaming or deprecating

exit codes:
  0    every reference is rewritten (--dry-run: nothing to rewrite)
  1    some references are left to edit by hand (--dry-run: also when it would rewrite something)
{common}""",
    "map": """\
examples:
  docsync map
      every reference of every doc, resolved in the work tree
  docsync map --rev HEAD~1 --format json -o map.json
      the map of the previous commit, as JSON

exit codes:
  0    mapped
{common}""",
}
