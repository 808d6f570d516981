"""In-process lower bounds for docsync's work: read blobs with one `git cat-file --batch`, `ast.parse` them.

The files are chosen with docsync's own configuration and layout rules, so a floor covers the same
modules and docs the command handles.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import statistics
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from docsync.config import load_config
from docsync.globs import PathMatcher
from docsync.references.discover import find_docs
from docsync.symbols.layout import default_code_roots, find_modules

T = TypeVar("T")


@dataclass(frozen=True)
class Floor:
    """One floor: what it does, and its median and minimum over the runs (seconds)."""

    key: str
    what: str
    median: float
    minimum: float


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment without inherited `GIT_*` variables (a hook may set them), plus `extra`."""
    # Bytecode caching stays on (as on a normal install): this sandbox sets PYTHONDONTWRITEBYTECODE,
    # which would make every run recompile docsync's modules.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra or {})
    return env


def git(repo: Path, *args: str, env: Mapping[str, str] | None = None, data: bytes | None = None) -> bytes:
    """Run a read-only git command on `repo` and return its stdout."""
    result = subprocess.run(
        ["git", "-C", str(repo), *args], input=data, capture_output=True, check=True, env=clean_env(env)
    )
    return result.stdout


def tree(repo: Path, commit: str) -> dict[str, str]:
    """Path → blob id of every regular file of a commit."""
    files: dict[str, str] = {}
    for record in git(repo, "ls-tree", "-r", "-z", "--full-tree", commit).split(b"\0"):
        if record:
            meta, _, path = record.partition(b"\t")
            mode, _kind, sha = meta.split()
            if mode in (b"100644", b"100755"):
                files[path.decode("utf-8", "surrogateescape")] = sha.decode()
    return files


def read_blobs(repo: Path, shas: Sequence[str], env: Mapping[str, str] | None = None) -> list[bytes]:
    """The blobs' bytes, in order, through one `git cat-file --batch` process (`env`: a git environment, where a
    staged blob lives in a temporary object folder)."""
    out = git(repo, "cat-file", "--batch", env=env, data="".join(f"{sha}\n" for sha in shas).encode())
    blobs, position = [], 0
    for _ in shas:
        end = out.index(b"\n", position)
        size = int(out[position:end].split()[2])
        blobs.append(out[end + 1 : end + 1 + size])
        position = end + 1 + size + 1
    return blobs


class ProjectFiles:
    """Which files of a snapshot docsync treats as modules and as docs (its own rules)."""

    def __init__(self, repo: Path) -> None:
        self.config = load_config(repo)
        self._exclude = PathMatcher(self.config.all_excludes)

    def modules(self, paths: Sequence[str]) -> list[str]:
        python = [p for p in paths if p.endswith(".py") and not self._exclude.matches(p)]
        roots = self.config.code_roots if self.config.code_roots is not None else default_code_roots(python)
        return sorted(find_modules(python, roots))

    def docs(self, paths: Sequence[str]) -> list[str]:
        return list(find_docs(paths, self.config))


def parse_all(sources: Sequence[bytes]) -> int:
    """`ast.parse` each source; the number that do not parse."""
    failures = 0
    for source in sources:
        try:
            ast.parse(source)
        except (SyntaxError, ValueError):
            failures += 1
    return failures


def fingerprint_via_ast(source: bytes) -> int:
    """Parse one module and digest each class and function (`ast.dump`): the floor of docsync's per-file work."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return 0
    count = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            hashlib.blake2b(ast.dump(node).encode(), digest_size=8).hexdigest()
            count += 1
    return count


_ROLE = re.compile(rb":(?:py:)?(?:func|class|meth|mod|attr|data|exc|obj):`[^`]+`|``[^`]+``")


def scan_doc_via_parser(item: tuple[str, bytes]) -> int:
    """Read one doc the cheapest honest way: markdown-it-py's token stream for Markdown, a regex for the rest."""
    path, data = item
    if path.endswith((".md", ".markdown")):
        from markdown_it import MarkdownIt

        return len(MarkdownIt("commonmark").parse(data.decode("utf-8", "replace")))
    return len(_ROLE.findall(data))


def on_all_cores(function: Callable[[T], object], items: Sequence[T]) -> None:
    with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        list(pool.map(function, items, chunksize=max(1, len(items) // (8 * (os.cpu_count() or 1)))))


def timed(function: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and minimum seconds of `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def measure_floors(repo: Path, base: str, head: str, runs: int) -> dict[str, Floor]:
    """Floors (a) read HEAD's modules, (b) parse them, (c) the no-cache PR floor for base..head."""
    files = ProjectFiles(repo)
    head_tree = tree(repo, "HEAD")
    modules = files.modules(list(head_tree))
    sources = read_blobs(repo, [head_tree[p] for p in modules])
    megabytes = sum(map(len, sources)) / 1e6

    def read_modules() -> None:
        listing = tree(repo, "HEAD")
        read_blobs(repo, [listing[p] for p in files.modules(list(listing))])

    floors = {
        "a": Floor(
            "a",
            f"read {len(modules)} .py blobs of HEAD ({megabytes:.1f} MB), one cat-file --batch",
            *timed(read_modules, runs),
        )
    }
    floors["b"] = Floor("b", f"ast.parse of those {len(modules)} modules", *timed(lambda: parse_all(sources), runs))
    floors["c"] = _pull_request_floor(repo, files, base, head, runs)
    cores = os.cpu_count() or 1
    floors["d"] = Floor(
        "d",
        f"fingerprint those modules via ast (parse + dump of each def/class), {cores} processes",
        *timed(lambda: on_all_cores(fingerprint_via_ast, sources), runs),
    )
    docs = files.docs(list(head_tree))
    texts = list(zip(docs, read_blobs(repo, [head_tree[d] for d in docs]), strict=True))
    floors["e"] = Floor(
        "e",
        f"scan the {len(docs)} docs (markdown-it-py tokens for Markdown, a role regex for the rest), {cores} processes",
        *timed(lambda: on_all_cores(scan_doc_via_parser, texts), runs),
    )
    return floors


def _pull_request_floor(repo: Path, files: ProjectFiles, base: str, head: str, runs: int) -> Floor:
    merge_base = git(repo, "merge-base", base, head).decode().split()[0]
    counts: dict[str, float] = {}

    def run() -> None:
        base_tree, head_tree = tree(repo, merge_base), tree(repo, head)
        modules = {*files.modules(list(base_tree)), *files.modules(list(head_tree))}
        paths, changed = _changed(repo, modules, merge_base, head)
        docs = files.docs(list(head_tree))
        blobs = read_blobs(repo, [*changed, *(head_tree[d] for d in docs)])
        parse_all(blobs[: len(changed)])
        counts.update(modules=len(paths), docs=len(docs), mb=sum(map(len, blobs)) / 1e6)

    median, minimum = timed(run, runs)
    what = (
        f"PR floor: ls-tree + diff, read + parse {counts['modules']:.0f} changed modules (both sides), "
        f"read {counts['docs']:.0f} docs ({counts['mb']:.1f} MB)"
    )
    return Floor("c", what, median, minimum)


def _changed(repo: Path, modules: set[str], base: str, head: str) -> tuple[list[str], list[str]]:
    """The modules that changed, and their old and new blob ids (an added or removed side is skipped)."""
    raw = git(repo, "diff", "--raw", "-z", "--no-renames", "--no-abbrev", base, head).split(b"\0")
    paths: list[str] = []
    blobs: list[str] = []
    for meta, path in zip(raw[0::2], raw[1::2], strict=False):
        name = path.decode("utf-8", "surrogateescape")
        if meta and name in modules:
            _old_mode, _new_mode, old, new, _status = meta.decode().lstrip(":").split()
            paths.append(name)
            blobs += [sha for sha in (old, new) if set(sha) != {"0"}]
    return paths, blobs
