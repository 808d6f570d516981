"""The command line: argparse, dispatch to commands/, and the one error boundary that sets the exit code."""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from docsync import __version__
from docsync.errors import DocsyncError, UsageError
from docsync.exit_codes import EXIT_INTERNAL, EXIT_OK, EXIT_SIGNAL_BASE, EXIT_USAGE
from docsync.render import CHECK_FORMATS
from docsync.settings import parse_fail_under


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse exits 2 itself, which is our usage code too; keep its one-line message.
        self.print_usage(sys.stderr)  # redirected by `main` to its own stream
        self.exit(EXIT_USAGE, f"docsync: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="docsync", description="Keep documentation honest about the Python code it talks about.")
    parser.add_argument("--version", action="version", version=f"docsync {__version__}")
    common = _Parser(add_help=False)
    common.add_argument("-C", "--repo", default=".", metavar="DIR", help="run in this repository (default: .)")
    common.add_argument("--config", metavar="FILE", help="configuration file (default: .docsync.yml or pyproject.toml)")
    common.add_argument("--no-cache", action="store_true", help="neither read nor write the parse cache")
    common.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser("check", parents=[common], help="find docs that drifted from the code")
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
    check.add_argument("--fail-under", metavar="N", help="exit 1 when the freshness score is below N")
    check.add_argument("paths", nargs="*", metavar="PATH", help="only these docs (or folders of docs)")

    accept = commands.add_parser("accept", parents=[common], help="mark docs as reviewed: stamp .docsync.lock")
    accept.add_argument("docs", nargs="*", metavar="DOC", help="the docs to accept (default: every doc)")

    coverage = commands.add_parser("coverage", parents=[common], help="public symbols no doc mentions")
    coverage.add_argument("--format", choices=("text", "json"), default="text")
    coverage.add_argument("--fail-under", metavar="N", help="exit 1 when coverage (percent) is below N")

    ci = commands.add_parser("ci", parents=[common], help="the CI entry point (GitHub Actions, GitLab CI)")
    ci.add_argument("--base", metavar="REV", help="the base to compare with (default: the pull request's)")
    ci.add_argument("--no-comment", action="store_true", help="do not keep a pull-request comment")
    ci.add_argument("--report", default="docsync-report.html", metavar="FILE", help="where to write the HTML report")
    ci.add_argument("--fail-under", metavar="N", help="exit 1 when the freshness score is below N")

    report = commands.add_parser("report", parents=[common], help="write the report (HTML by default)")
    report.add_argument("--format", choices=("html", "markdown", "json", "text"), default="html")
    report.add_argument(
        "--output", metavar="FILE", help="where to write it (default: docsync-report.html; - for stdout)"
    )
    report.add_argument("--history", type=_history_count, default=30, metavar="N", help="score trend over N commits")
    report.add_argument("--base", metavar="REV", help="report on the change since REV instead of the whole repository")

    fix = commands.add_parser("fix", parents=[common], help="rewrite references to renamed symbols")
    fix.add_argument("--base", metavar="REV", help="fix what the change since REV renamed (default: the whole repo)")
    fix.add_argument("--dry-run", action="store_true", help="print a unified diff and write nothing")

    map_parser = commands.add_parser("map", parents=[common], help="list every doc → symbol reference")
    map_parser.add_argument("--format", choices=("text", "json"), default="text")
    map_parser.add_argument("--rev", metavar="REV", help="map this commit instead of the work tree")
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out, err = _tolerant(stdout or sys.stdout), _tolerant(stderr or sys.stderr)
    parser = build_parser()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.command is None:
        parser.print_help(out)
        return EXIT_USAGE
    try:
        _check_revisions(args)
        return _dispatch(args, out, err)
    except DocsyncError as error:
        print(f"docsync: error: {error}", file=err)
        return EXIT_USAGE
    except KeyboardInterrupt as interrupt:
        return _interrupted(interrupt, err)
    except BrokenPipeError:
        # `docsync map | head`: the reader left; nothing to report. Silence the flush at exit too.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return EXIT_OK
    except Exception as error:  # the one boundary: anything else is a bug
        print(f"docsync: internal error, please report: {type(error).__name__}: {error}", file=err)
        if args.debug:
            traceback.print_exc(file=err)
        else:
            print("docsync: run again with --debug for the traceback", file=err)
        return EXIT_INTERNAL


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP: the run ends as it does on Ctrl-C (see `console_main`)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupted(interrupt: KeyboardInterrupt, err: TextIO) -> int:
    """One line, and the shell's code for a process a signal ended: 128 + the signal's number (Ctrl-C: 130)."""
    signum = interrupt.signum if isinstance(interrupt, Interrupted) else signal.SIGINT
    name = "" if signum == signal.SIGINT else f" ({signal.Signals(signum).name})"
    with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
        print(f"docsync: interrupted{name}", file=err)
    return EXIT_SIGNAL_BASE + signum


def _interrupt_on_signals() -> None:
    """SIGTERM (`kill`, `timeout`, a CI runner cancelling a job) and SIGHUP (a closed terminal) end a run as
    Ctrl-C does, through the error boundary: the pool's workers are ended, the cache is closed, one line
    is printed (issue 13). Without a handler, Python dies at once and leaves that undone."""
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)  # Windows has no SIGHUP
        if number is not None:
            signal.signal(number, _raise_interrupted)


def _raise_interrupted(signum: int, frame: object) -> None:
    # A second signal while the first is handled ends the process at once, as without docsync's handler.
    signal.signal(signum, signal.SIG_DFL)
    raise Interrupted(signum)


def _dispatch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from docsync.workspace import open_workspace  # the heavier imports: only once the arguments are valid

    with open_workspace(args.repo, args.config, use_cache=not args.no_cache, stderr=err) as workspace:
        if args.command == "check":
            from docsync.commands.check import CheckOptions, check

            fail_under = parse_fail_under(args.fail_under, "--fail-under") if args.fail_under is not None else None
            options = CheckOptions(
                base=args.base,
                head=args.head,
                staged=args.staged,
                hook=args.hook,
                format=args.format,
                fail_under=fail_under,
                paths=_repo_relative(args.paths, Path(args.repo), workspace.repo.root),
            )
            return check(workspace, options, out)
        if args.command == "map":
            from docsync.commands.map import map_command

            return map_command(workspace, args.format, out, rev=args.rev)
        if args.command == "accept":
            from docsync.commands.accept import accept_command

            docs = _repo_relative(args.docs, Path(args.repo), workspace.repo.root)
            return accept_command(workspace, docs, out)
        if args.command == "ci":
            from docsync.commands.ci import CiOptions, ci_command

            fail_under = parse_fail_under(args.fail_under, "--fail-under") if args.fail_under is not None else None
            ci_options = CiOptions(
                base=args.base, comment=not args.no_comment, report=args.report, fail_under=fail_under
            )
            return ci_command(workspace, ci_options, out)
        if args.command == "report":
            from docsync.commands.report import ReportOptions, report_command

            wanted = ReportOptions(format=args.format, output=args.output, history=args.history, base=args.base)
            return report_command(workspace, wanted, out)
        if args.command == "fix":
            from docsync.commands.fix import fix_command

            return fix_command(workspace, args.base, args.dry_run, out)
        if args.command == "coverage":
            from docsync.commands.coverage import coverage_command

            fail_under = parse_fail_under(args.fail_under, "--fail-under") if args.fail_under is not None else None
            return coverage_command(workspace, args.format, out, fail_under)
    raise UsageError(f"unknown command {args.command!r}", "see docsync --help")


def _tolerant(stream: TextIO) -> TextIO:
    """The stream, set to write what its encoding cannot as escapes (`\\udcff`) rather than fail: a file name
    that is not UTF-8 comes from git as lone surrogates, and printing it raised UnicodeEncodeError (exit 3)."""
    if isinstance(stream, io.TextIOWrapper):
        with contextlib.suppress(ValueError):  # a closed or detached stream: let its own errors speak
            stream.reconfigure(errors="backslashreplace")
    return stream


def _check_revisions(args: argparse.Namespace) -> None:
    """A revision that starts with '-' is a usage error: git would read it as an option (`--base=--output=x`)."""
    for option in ("base", "head", "rev"):
        value = getattr(args, option, None)
        if value is not None and (value.startswith("-") or not value.strip()):
            raise UsageError(
                f"--{option} {value!r} is not a revision", "name a branch, tag or commit; it cannot start with '-'"
            )


def _repo_relative(paths: Sequence[str], start: Path, root: Path) -> tuple[str, ...]:
    """PATH arguments are relative to `-C DIR`, as git's are."""
    relative = []
    for path in paths:
        full = (start / path).resolve()
        if not full.is_relative_to(root):
            raise UsageError(f"{path} is outside the repository {root}", "pass paths inside the repository")
        if full == root:
            return ()  # the whole repository
        relative.append(full.relative_to(root).as_posix())
    return tuple(relative)


def _history_count(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a number of commits (0 or more), got {value!r}")
    return int(value)


def console_main() -> NoReturn:
    """The `docsync` command: exits without tearing down the heap, which on a large project's
    symbol tables takes longer than a warm pre-commit check's own work (~40 ms). Everything we
    write is closed by then (the cache and report files are); only the standard streams need a flush."""
    # A run builds hundreds of thousands of long-lived objects (tables, scans, symbols) and almost no
    # reference cycles, so the cyclic collector only re-traverses them: measured, it took 20-45% of a
    # cold map or history walk (peak memory unchanged). Reference counting still frees the rest.
    gc.disable()
    _interrupt_on_signals()
    code = main()
    with contextlib.suppress(BrokenPipeError):  # `docsync map | head`: the reader left
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)
