"""Doc globs and excludes → the doc paths to scan (README*, docs/**, *.md at the root, notebooks, doc code)."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from docsync.globs import PathMatcher
from docsync.settings import Config

DOC_SUFFIXES = (".md", ".markdown", ".rst", ".txt", ".ipynb")
_DOC_FOLDERS = ("docs/", "doc/")
# Python in a docs folder that configures the build rather than shows the API.
_DOC_TOOLING = frozenset({"conf.py", "__init__.py"})


def find_docs(paths: Iterable[str], config: Config) -> tuple[str, ...]:
    """The paths that are docs under the configuration, sorted."""
    include = PathMatcher(config.docs)
    exclude = PathMatcher(config.all_excludes)
    found = []
    for path in paths:
        if path.endswith(".py") and not path.startswith(_DOC_FOLDERS):
            continue  # most of a repository: its code, told without lowering each path (0.01 s at 50,000)
        lower = path.lower()
        if lower.endswith(".py"):
            # Python in a docs folder is doc code: the examples a page shows (pydantic's `docs/examples/`,
            # pytest's `doc/en/example/`) and the extensions that build it. Elsewhere it is the project's code.
            if not path.startswith(_DOC_FOLDERS) or posixpath.basename(path) in _DOC_TOOLING:
                continue
        elif not lower.endswith(DOC_SUFFIXES) or (lower.endswith(".txt") and not path.startswith(_DOC_FOLDERS)):
            continue
        if include.matches(path) and not exclude.matches(path):
            found.append(path)
    return tuple(sorted(found))
