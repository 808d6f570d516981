"""Floors for bench_monorepo.py: the whole repository (cold), a change (warm after it), an unchanged tree.

Built from `_floors.py`'s pieces (one `git cat-file --batch`, fingerprints via `ast`, the docs scan).
A change's floor is what a tool that knew, from an index kept by the run before, which docs can see
which module would still have to do: diff the two trees (or the index with HEAD), read the changed
module blobs on both sides, fingerprint them, and read and scan the changed docs and the docs that can
see a changed module. Which docs those are is worked out outside the timing (an index would know).
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from _floors import (
    Floor,
    ProjectFiles,
    fingerprint_via_ast,
    git,
    on_all_cores,
    read_blobs,
    scan_doc_via_parser,
    timed,
    tree,
)

from docsync.symbols.layout import default_code_roots, find_modules


@dataclass(frozen=True)
class Change:
    """A change as a floor sees it: the changed modules' blob ids (both sides), the docs to scan."""

    modules: tuple[str, ...]
    blobs: tuple[str, ...]
    docs: tuple[str, ...]  # changed docs and the docs that can see a changed module
    doc_blobs: tuple[str, ...]


def whole_repository_floors(repo: Path, runs: int) -> dict[str, Floor]:
    """(a) read HEAD's module blobs, (d) fingerprint them on all cores, (e) scan every doc on all cores."""
    files = ProjectFiles(repo)
    listing = tree(repo, "HEAD")
    modules = files.modules(list(listing))
    sources = read_blobs(repo, [listing[p] for p in modules])
    megabytes = sum(map(len, sources)) / 1e6
    docs = files.docs(list(listing))
    texts = list(zip(docs, read_blobs(repo, [listing[d] for d in docs]), strict=True))
    cores = os.cpu_count() or 1

    def read_modules() -> None:
        now = tree(repo, "HEAD")
        read_blobs(repo, [now[p] for p in files.modules(list(now))])

    return {
        "a": Floor("a", f"ls-tree, read the {len(modules)} module blobs of HEAD ({megabytes:.0f} MB), one cat-file",
                   *timed(read_modules, runs)),
        "d": Floor("d", f"fingerprint those modules via ast (parse + dump of each def/class), {cores} processes",
                   *timed(lambda: on_all_cores(fingerprint_via_ast, sources), runs)),
        "e": Floor("e", f"scan the {len(docs)} docs (markdown-it-py tokens, a role regex for reST), {cores} processes",
                   *timed(lambda: on_all_cores(scan_doc_via_parser, texts), runs)),
    }  # fmt: skip


def startup_floor(runs: int) -> Floor:
    """(p) what every docsync process pays before any work: starting this Python (`site` included)."""
    command = [sys.executable, "-c", "pass"]
    return Floor("p", "start the Python interpreter (`python -c pass`)",
                 *timed(lambda: subprocess.run(command, check=True), runs))  # fmt: skip


def unchanged_floors(repo: Path, base: str, runs: int) -> dict[str, Floor]:
    """(u) what a work-tree run needs to learn nothing changed; (r) the same for a run on commits."""
    status = ("status", "--porcelain=v1", "-z", "--untracked-files=normal")
    return {
        "u": Floor("u", "`git rev-parse HEAD` + `git status --porcelain` (index refresh, untracked files)",
                   *timed(lambda: (git(repo, "rev-parse", "HEAD"), git(repo, *status)), runs)),
        "r": Floor("r", "`git rev-parse` of base and HEAD + `git merge-base`",
                   *timed(lambda: (git(repo, "rev-parse", base, "HEAD"), git(repo, "merge-base", base, "HEAD")), runs)),
    }  # fmt: skip


def history_floor(repo: Path, commits: int, runs: int) -> Floor:
    """(h) read and fingerprint (all cores) every module blob the last `commits` commits gave (both sides)."""
    files = ProjectFiles(repo)
    blobs: list[str] = []

    def run() -> None:
        out = git(repo, "log", f"-{commits}", "--raw", "--no-renames", "--no-abbrev", "--format=").decode()
        changes = [line.split("\t", 1) for line in out.splitlines() if line.startswith(":") and "\t" in line]
        modules = set(files.modules(sorted({path for _, path in changes})))
        shas = {sha for meta, path in changes if path in modules for sha in meta.split()[2:4] if set(sha) != {"0"}}
        blobs[:] = sorted(shas)
        on_all_cores(fingerprint_via_ast, read_blobs(repo, blobs))

    median, minimum = timed(run, runs)
    what = f"`git log -{commits} --raw`, read + fingerprint the {len(blobs)} module blobs it names, all cores"
    return Floor("h", what, median, minimum)


def find_change(repo: Path, diff: Sequence[str], env: Mapping[str, str] | None = None) -> Change:
    """The change `git DIFF --raw` shows (e.g. `diff base head`, `diff-index --cached HEAD`), as a floor reads it."""
    files = ProjectFiles(repo)
    listing = tree(repo, "HEAD")
    docs = set(files.docs(list(listing)))
    modules: dict[str, tuple[str, ...]] = {}
    changed_docs: set[str] = set()
    for meta, path in _raw(git(repo, *diff, "--raw", "-z", "--no-renames", "--no-abbrev", env=env)):
        shas = tuple(sha for sha in meta.split()[2:4] if set(sha) != {"0"})
        if files.modules([path]):
            modules[path] = shas
        elif path in docs:
            changed_docs.add(path)
    blobs = tuple(sha for shas in modules.values() for sha in shas)
    sources = iter(read_blobs(repo, blobs, env))
    patterns = _visibility(files, {path: [next(sources) for _ in shas] for path, shas in modules.items()})
    texts = dict(zip(sorted(docs), read_blobs(repo, [listing[d] for d in sorted(docs)]), strict=True))
    seeing = {doc for doc, text in texts.items() if patterns is not None and patterns.search(text)}
    chosen = tuple(sorted(seeing | changed_docs))
    doc_blobs = tuple(listing[d] for d in chosen if d in listing)
    return Change(tuple(modules), blobs, chosen, doc_blobs)


def _raw(out: bytes) -> list[tuple[str, str]]:
    fields = out.split(b"\0")
    pairs = zip(fields[0::2], fields[1::2], strict=False)  # the output ends with a NUL: one field left over
    return [(meta.decode(), path.decode("utf-8", "surrogateescape")) for meta, path in pairs if meta]


def _visibility(files: ProjectFiles, sources: Mapping[str, Sequence[bytes]]) -> re.Pattern[bytes] | None:
    """Matches a doc that can see one of the modules (path → its versions): it names the module, a name the
    module defines under the module or under a package above it (a re-export), or links to its file."""
    roots = files.config.code_roots
    found = find_modules(list(sources), roots if roots is not None else default_code_roots(list(sources)))
    words: set[str] = set()
    for path, module in found.items():
        defined: set[str] = set()
        for source in sources[path]:
            try:
                body = ast.parse(source).body
            except (SyntaxError, ValueError):
                continue
            defined |= {n.name for n in body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}
        # A link to the file ends with the module's path below its code root (`harbor/core/cache.py`).
        words |= {module.module, module.module.replace(".", "/") + ("/__init__.py" if module.is_package else ".py")}
        parts = module.module.split(".")
        words |= {f"{'.'.join(parts[:depth])}.{name}" for depth in range(1, len(parts) + 1) for name in defined}
    if not words:
        return None
    return re.compile(
        rb"\b(?:" + b"|".join(re.escape(w.encode()) for w in sorted(words, key=len, reverse=True)) + rb")\b"
    )


def change_floor(key: str, label: str, repo: Path, diff: Sequence[str], change: Change, runs: int,
                 env: Mapping[str, str] | None = None) -> Floor:  # fmt: skip
    """Diff, read the changed module blobs (both sides) and the docs that see them, fingerprint, scan."""

    def run() -> None:
        git(repo, *diff, "--raw", "-z", "--no-renames", "--no-abbrev", env=env)
        blobs = read_blobs(repo, [*change.blobs, *change.doc_blobs], env)
        for source in blobs[: len(change.blobs)]:
            fingerprint_via_ast(source)
        for path, text in zip(change.docs, blobs[len(change.blobs) :], strict=False):
            scan_doc_via_parser((path, text))

    what = (
        f"{label}: `git {' '.join(diff)}`, read + fingerprint {len(change.modules)} changed modules "
        f"({len(change.blobs)} blobs), read + scan {len(change.docs)} docs (changed, or seeing them), one process"
    )
    return Floor(key, what, *timed(run, runs))
