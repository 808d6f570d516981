"""One version, in `docsync.__version__`: the installed metadata and the changelog agree with it."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import docsync

ROOT = Path(__file__).resolve().parent.parent


def test_the_metadata_version_is_the_package_version() -> None:
    assert importlib.metadata.version("docsync-lint") == docsync.__version__
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert not re.search(r'^version\s*=\s*"', pyproject, re.M)  # never a second copy to forget


def test_the_changelog_has_a_section_for_this_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## (\d+\.\d+\.\d+)\b", changelog, re.M)
    assert versions, "CHANGELOG.md has no version section"
    assert versions[0] == docsync.__version__, (
        f"the newest section is {versions[0]}, the package is {docsync.__version__}"
    )
    assert re.search(r"^## Unreleased$", changelog, re.M), "keep an Unreleased section on top for the next changes"
