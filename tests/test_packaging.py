"""The distribution installs this project under a name of its own ("docsync" on PyPI is another project)."""

from __future__ import annotations

import importlib.metadata
import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
DISTRIBUTION = "docsync-lint"
# Files that tell a user how to install docsync: each must install this distribution, never the stranger's.
INSTRUCTIONS = ("README.md", "action.yml", *(str(p.relative_to(ROOT)) for p in sorted((ROOT / "docs").rglob("*.md"))))
# `pip install docsync` followed by a space, quote, version pin or end of line: the other project on the index.
STRANGER = re.compile(
    r"pip install\s+(?:-\S+\s+)*['\"]?docsync(?:\[[^\]]*\])?(?:[=<>~!]=?[^\s'\"]*)?(?=['\"\s]|$)", re.M
)


def test_the_distribution_is_named_docsync_lint() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert declared["name"] == DISTRIBUTION
    assert declared["scripts"] == {"docsync": "docsync.main:console_main"}  # the command keeps its name
    assert importlib.metadata.metadata(DISTRIBUTION)["Name"] == DISTRIBUTION  # what pip installed


def test_no_install_instruction_installs_the_other_project() -> None:
    for name in INSTRUCTIONS:
        text = (ROOT / name).read_text(encoding="utf-8")
        assert not STRANGER.findall(text), f"{name} tells users to install PyPI's unrelated `docsync`"


def test_the_stranger_pattern_catches_what_it_must() -> None:
    for bad in (
        "pip install docsync",
        "pip install -q docsync==0.2",
        "pip install 'docsync>=1'",
        "pip install docsync[x]",
    ):
        assert STRANGER.search(bad), bad
    for good in ("pip install docsync-lint", "pip install 'docsync-lint==0.1.0'", "pip install -e '.[test]'"):
        assert not STRANGER.search(good), good
