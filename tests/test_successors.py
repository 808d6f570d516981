"""What a deprecation warning tells users to use instead, when it names a public symbol of the project."""

from __future__ import annotations

import pytest

from docsync.successors import successor
from tests.test_drift import _files, _table

TABLE = _table(
    _files({
        "pkg/__init__.py": "from .mod import Response\n",
        "pkg/mod.py": (
            "class Response:\n    def json(self): ...\n    def old_json(self): ...\n\n"
            "def new_get(url): ...\ndef old_get(url): ...\ndef _private(url): ...\n"
        ),
        "pkg/other.py": "def fetch(url): ...\n",
    })
)  # fmt: skip


@pytest.mark.parametrize(
    ("deprecated", "warning", "expected"),
    [
        ("pkg.mod.old_get", "old_get() is deprecated, use new_get() instead", "pkg.mod.new_get"),
        ("pkg.mod.old_get", "Use `pkg.other.fetch`.", "pkg.other.fetch"),
        ("pkg.mod.old_get", "'old_get' is deprecated; 'Response' now does it", "pkg.mod.Response"),
        ("pkg.mod.Response.old_json", "replaced by json()", "pkg.mod.Response.json"),
        # "instead of X" names the deprecated one, and the deprecated one is never its own replacement.
        ("pkg.mod.old_get", "call new_get() instead of old_get()", "pkg.mod.new_get"),
        ("pkg.mod.old_get", "old_get() will be removed", None),
        ("pkg.mod.old_get", "use _private()", None),  # no name for a doc to use
        ("pkg.mod.old_get", "use urllib.request.urlopen instead", None),  # not ours
        ("pkg.mod.old_get", "", None),
    ],
)
def test_successor(deprecated: str, warning: str, expected: str | None) -> None:
    assert successor(deprecated, warning, TABLE) == expected
