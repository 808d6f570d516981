"""Doc globs and excludes → the doc paths to scan (README*, docs/**, *.md at the root, notebooks)."""

from __future__ import annotations

from collections.abc import Iterable

from docsync.globs import PathMatcher
from docsync.settings import Config

DOC_SUFFIXES = (".md", ".markdown", ".rst", ".txt", ".ipynb")
_DOC_FOLDERS = ("docs/", "doc/")


def find_docs(paths: Iterable[str], config: Config) -> tuple[str, ...]:
    """The paths that are docs under the configuration, sorted."""
    include = PathMatcher(config.docs)
    exclude = PathMatcher(config.all_excludes)
    found = []
    for path in paths:
        if not path.lower().endswith(DOC_SUFFIXES):
            continue
        # Plain .txt is prose only in a docs folder; elsewhere it is requirements, data, licences.
        if path.lower().endswith(".txt") and not path.startswith(_DOC_FOLDERS):
            continue
        if include.matches(path) and not exclude.matches(path):
            found.append(path)
    return tuple(sorted(found))
