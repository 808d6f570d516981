"""A doc's name index: every dotted part its references and example calls are made of (what a change can touch)."""

from __future__ import annotations

import posixpath

from docsync.models import DocScan
from docsync.references.examples.scope import RESULT

PATH_MARK = "/"  # a doc's link to a source file is indexed by the file's name, after this mark


def doc_names(scan: DocScan) -> frozenset[str]:
    """The index of one doc: every dotted part its references and example calls are made of."""
    names: set[str] = set()
    for reference in scan.references:
        names.update(part.removesuffix(RESULT) for part in reference.name.lstrip(".").split("."))
        if reference.context:
            names.add(reference.context.rpartition(".")[2])
        if reference.path is not None:
            names.add(PATH_MARK + posixpath.basename(reference.path.split("#")[0]))
    for call in scan.calls:
        names.update(part.removesuffix(RESULT) for part in call.name.split("."))  # `get()`: what `get` returns
    names.discard("")
    return frozenset(names)
