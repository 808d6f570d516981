"""When a command line stopped accepting what a doc writes: the first-parent commit after which the option,
sub-command or choice was gone, found by bisecting the commits since the doc's line was written (issue 17). A
problem the doc had from the day its line was written gets no date: nothing removed it."""

from __future__ import annotations

from collections.abc import Sequence

from docsync.cli_findings import ProblemKey, problem_key
from docsync.commandline.judge import DEFAULT, CliProblem, accepts
from docsync.loader import WORKTREE, Snapshot
from docsync.workspace import Workspace

NAMESPACE = "cli-removed/1"  # the doc line's commit + the problem -> the commit that removed the word ("" none)
MAX_DATED = 20  # problems dated per run: each costs up to log2(commits) command lines read at old commits


def removal_commits(workspace: Workspace, head: Snapshot, problems: Sequence[CliProblem]) -> dict[ProblemKey, str]:
    """For each problem whose word the command line had when the doc's line was written, the first-parent commit
    that removed it (cached: history does not change; a cached answer is kept while it is in HEAD's history)."""
    repo = workspace.repo
    datable = [problem for problem in problems if problem.what != DEFAULT][:MAX_DATED]
    if not datable or not repo.has_commits():
        return {}
    tip = repo.resolve("HEAD" if head.label == WORKTREE else head.label)
    written = _written(workspace, head, datable, tip)
    cache = workspace.loader.cache
    keys = {problem_key(p): f"{written[problem_key(p)]}:{'|'.join(_identity(p))}" for p in datable}
    known = cache.get_many(NAMESPACE, keys.values())
    dated: dict[ProblemKey, str] = {}
    fresh: dict[str, str] = {}
    for problem in datable:
        key = keys[problem_key(problem)]
        found = known.get(key)
        if not isinstance(found, str) or (found and repo.query("merge-base", "--is-ancestor", found, tip) is None):
            found = fresh[key] = _bisect(workspace, problem, written[problem_key(problem)], tip)
        if found:
            dated[problem_key(problem)] = found
    cache.put_many(NAMESPACE, fresh)
    return dated


def _identity(problem: CliProblem) -> tuple[str, ...]:
    return (problem.what, *problem.command, problem.option or "", problem.written)


def _written(workspace: Workspace, head: Snapshot, problems: Sequence[CliProblem], tip: str) -> dict[ProblemKey, str]:
    """The commit that wrote each problem's doc line (an uncommitted line: the tip)."""
    written: dict[ProblemKey, str] = {}
    for doc in sorted({problem.claim.doc for problem in problems}):
        mine = [problem for problem in problems if problem.claim.doc == doc]
        commits = workspace.environment.line_commits(head, doc, [problem.claim.line for problem in mine])
        written.update((problem_key(p), commits.get(p.claim.line) or tip) for p in mine)
    return written


def _bisect(workspace: Workspace, problem: CliProblem, written: str, tip: str) -> str:
    """The first commit of the tip's first-parent line after `written` whose command line lacks the word, when the
    line at `written` had it ("" otherwise, or when the tip still has it)."""
    commands, loader = workspace.commands, workspace.loader
    if written == tip or not accepts(commands.command_line(loader.snapshot(written)), problem):
        return ""
    out = workspace.repo.query("rev-list", "--first-parent", "--reverse", f"{written}..{tip}")
    line = [sha for sha in (out or "").split() if sha]  # oldest first; the tip last
    if not line or accepts(commands.command_line(loader.snapshot(line[-1])), problem):
        return ""
    low, high = 0, len(line) - 1  # the answer is in [low, high]: line[high] lacks the word
    while low < high:
        middle = (low + high) // 2
        if accepts(commands.command_line(loader.snapshot(line[middle])), problem):
            low = middle + 1
        else:
            high = middle
    return line[high]
