"""The command line: dispatch to commands/ (the grammar is arguments.py), and the one error boundary that sets the
exit code."""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import os
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from docsync.arguments import build_parser
from docsync.errors import DocsyncError, UsageError
from docsync.exit_codes import EXIT_INTERNAL, EXIT_OK, EXIT_SIGNAL_BASE, EXIT_USAGE
from docsync.runlog import QUIET, VERBOSE, RunLog, cache_summary
from docsync.settings import parse_fail_under, parse_kinds, with_kinds

if TYPE_CHECKING:
    from docsync.models import Kind
    from docsync.workspace import Workspace


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
    if args.command == "check" and (args.staged or args.hook):  # a pre-commit check: HEAD's tree first thing
        from docsync import tree_prefetch

        tree_prefetch.start(args.repo)
    from docsync.workspace import open_workspace  # the heavier imports: only once the arguments are valid

    quiet = args.verbosity <= QUIET
    log = RunLog(err if args.verbosity >= VERBOSE else None)
    kinds = _kinds(args)  # a kind misspelt is exit 2 before any work
    started = log.start()
    # --quiet: no warnings and no progress bars; errors, and what explains an exit code, still reach `err`.
    with open_workspace(
        args.repo,
        args.config,
        use_cache=not args.no_cache,
        stderr=err,
        show_progress=not quiet,
        show_warnings=not quiet,
    ) as workspace:
        log.done(started, f"opened {workspace.repo.root}, settings from {workspace.config.source}")
        if kinds is not None:
            workspace = replace(workspace, config=with_kinds(workspace.config, *kinds))
        code = _COMMANDS[args.command](args, workspace, out, log)
        if log.enabled:
            log.note(cache_summary(workspace.loader.cache))
    log.done(log.started, f"{args.command}: exit code {code}")
    return code


def _kinds(args: argparse.Namespace) -> tuple[tuple[Kind, ...] | None, tuple[Kind, ...]] | None:
    """`--select` and `--ignore` as kinds (None: neither given, or a command that judges no findings)."""
    select, ignore = getattr(args, "select", None), getattr(args, "ignore", None)
    if select is None and ignore is None:
        return None
    chosen = parse_kinds(select, "--select", UsageError) if select is not None else None
    return chosen, parse_kinds(ignore or [], "--ignore", UsageError)


def _check(args: argparse.Namespace, workspace: Workspace, out: TextIO, log: RunLog) -> int:
    from docsync.commands.check import CheckOptions, check

    options = CheckOptions(
        base=args.base,
        head=args.head,
        staged=args.staged,
        hook=args.hook,
        format=args.format,
        fail_under=_fail_under(args),
        paths=_repo_relative(args.paths, Path(args.repo), workspace.repo.root),
        output=args.output,
        color=args.color,
        quiet=args.verbosity <= QUIET,
        report_unused_ignores=args.report_unused_ignores,
    )
    return check(workspace, options, out, log)


def _map(args: argparse.Namespace, workspace: Workspace, out: TextIO, log: RunLog) -> int:
    from docsync.commands.map import map_command

    quiet = args.verbosity <= QUIET
    return map_command(workspace, args.format, out, rev=args.rev, output=args.output, quiet=quiet, log=log)


def _accept(args: argparse.Namespace, workspace: Workspace, out: TextIO, log: RunLog) -> int:
    from docsync.commands.accept import accept_command

    docs = _repo_relative(args.docs, Path(args.repo), workspace.repo.root)
    return accept_command(workspace, docs, out, quiet=args.verbosity <= QUIET)


def _ci(args: argparse.Namespace, workspace: Workspace, out: TextIO, log: RunLog) -> int:
    from docsync.commands.ci import CiOptions, ci_command

    options = CiOptions(
        base=args.base, comment=not args.no_comment, report=args.report, fail_under=_fail_under(args), sarif=args.sarif
    )
    return ci_command(workspace, options, out)


def _report(args: argparse.Namespace, workspace: Workspace, out: TextIO, log: RunLog) -> int:
    from docsync.commands.report import ReportOptions, report_command

    options = ReportOptions(
        format=args.format, output=args.output, history=args.history, base=args.base, quiet=args.verbosity <= QUIET
    )
    return report_command(workspace, options, out, log)


def _fix(args: argparse.Namespace, workspace: Workspace, out: TextIO, log: RunLog) -> int:
    from docsync.commands.fix import fix_command

    return fix_command(workspace, args.base, args.dry_run, out, quiet=args.verbosity <= QUIET, log=log)


def _coverage(args: argparse.Namespace, workspace: Workspace, out: TextIO, log: RunLog) -> int:
    from docsync.commands.coverage import CoverageOptions, coverage_command

    options = CoverageOptions(
        format=args.format, fail_under=_fail_under(args), output=args.output, quiet=args.verbosity <= QUIET
    )
    return coverage_command(workspace, options, out, log)


_COMMANDS: dict[str, Callable[[argparse.Namespace, Workspace, TextIO, RunLog], int]] = {
    "check": _check,
    "map": _map,
    "accept": _accept,
    "ci": _ci,
    "report": _report,
    "fix": _fix,
    "coverage": _coverage,
}


def _fail_under(args: argparse.Namespace) -> str | None:
    return parse_fail_under(args.fail_under, "--fail-under") if args.fail_under is not None else None


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
