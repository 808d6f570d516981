"""Which names from a CI event or the environment may reach git: hex object names, and branch names.

A pull request's base commit came straight from the event into `git fetch origin <sha>`; a "sha"
of `--upload-pack=touch pwned;true` made git run that command (issue 13). Values that git could
read as an option, or as anything but the one object or branch they claim to be, are refused.
"""

from __future__ import annotations

import re

_OBJECT_NAME = re.compile(r"[0-9a-fA-F]{4,64}")
# git check-ref-format: no control characters, space, ~ ^ : ? * [ \, no "..", "@{", "//".
_FORBIDDEN_IN_REF = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{|//")


def is_object_name(value: str) -> bool:
    """A full or abbreviated commit id: 4 to 64 hex digits (SHA-1 and SHA-256), nothing else."""
    return _OBJECT_NAME.fullmatch(value) is not None


def is_branch_name(value: str) -> bool:
    """What `git check-ref-format --branch` accepts, and no leading '-' (which git would read as an option)."""
    if not value or value == "@" or value.startswith(("-", "/")) or value.endswith(("/", ".")):
        return False
    if _FORBIDDEN_IN_REF.search(value):
        return False
    return not any(part.startswith(".") or part.endswith(".lock") for part in value.split("/"))
