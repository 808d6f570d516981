"""Stage a one-file change without touching the repository: a temporary index and object folder.

`GIT_INDEX_FILE` points at an index built from HEAD in a temporary folder, and the changed blob is
written to a temporary `GIT_OBJECT_DIRECTORY` that borrows the repository's objects as an alternate.
Every git command given this environment (docsync's included) sees the staged change; the
repository's own index and object store are only read.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from _floors import ProjectFiles, git, read_blobs, tree

_MARK = "_ = None  # docsync benchmark: a staged edit"


@dataclass(frozen=True)
class StagedChange:
    """The path whose new version is staged, and the git environment that sees it."""

    path: str
    env: dict[str, str]


def stage_one_change(
    repo: Path, scratch: Path, skip: int = 0, edit: Callable[[bytes], bytes | None] | None = None
) -> StagedChange | None:
    """Stage `edit` (default: a body edit of the first function, `edit_first_function`) of the largest module it can
    edit (past the `skip` largest); None when it can edit none."""
    edit = edit or edit_first_function
    objects = git(repo, "rev-parse", "--path-format=absolute", "--git-path", "objects").decode().strip()
    env = {
        "GIT_INDEX_FILE": str(scratch / "index"),
        "GIT_OBJECT_DIRECTORY": str(scratch / "objects"),
        "GIT_ALTERNATE_OBJECT_DIRECTORIES": objects,
    }
    (scratch / "objects").mkdir(parents=True, exist_ok=True)
    head, sizes = tree(repo, "HEAD"), _sizes(repo)
    for path in sorted(ProjectFiles(repo).modules(list(head)), key=lambda p: (-sizes.get(p, 0), p)):
        edited = edit(read_blobs(repo, [head[path]])[0])
        if edited is None:
            continue
        if skip:
            skip -= 1
            continue
        git(repo, "read-tree", "HEAD", env=env)
        blob = git(repo, "hash-object", "-w", "--stdin", env=env, data=edited).decode().strip()
        git(repo, "update-index", "--cacheinfo", f"100644,{blob},{path}", env=env)
        return StagedChange(path, env)
    return None


def _sizes(repo: Path) -> dict[str, int]:
    """Path → size in bytes of every blob of HEAD."""
    sizes: dict[str, int] = {}
    for record in git(repo, "ls-tree", "-r", "-l", "-z", "--full-tree", "HEAD").split(b"\0"):
        meta, _, path = record.partition(b"\t")
        size = meta.split()[-1] if meta else b"-"
        if size.isdigit():
            sizes[path.decode("utf-8", "surrogateescape")] = int(size)
    return sizes


def edit_first_function(source: bytes) -> bytes | None:
    """The source with one statement added to the first top-level function's body (a body change)."""
    try:
        module = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    for node in module.body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        first = node.body[0]
        has_docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
        anchor = node.body[1] if has_docstring and len(node.body) > 1 else first
        if anchor.lineno == node.lineno or (has_docstring and anchor is first):
            continue  # a one-line def, or a docstring-only body: no line to insert before
        lines = source.split(b"\n")
        indent = lines[anchor.lineno - 1][: anchor.col_offset]
        lines.insert(anchor.lineno - 1, indent + _MARK.encode())
        return b"\n".join(lines)
    return None


def rename_first_function(source: bytes) -> bytes | None:
    """The source with its first top-level function renamed (`name` -> `name_renamed`, its definition only: what a
    rename that forgot a doc looks like to docsync)."""
    try:
        module = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    for node in module.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines = source.split(b"\n")
            pattern = rb"(\bdef\s+)" + re.escape(node.name.encode()) + rb"\b"
            renamed = rb"\g<1>" + node.name.encode() + b"_renamed"
            lines[node.lineno - 1] = re.sub(pattern, renamed, lines[node.lineno - 1], count=1)
            return b"\n".join(lines)
    return None
