"""Records of the environment variables and settings keys docs show. Apart from the readers so that decoding
cached claims imports no reader (nor markdown-it), and from model.py so that a run with none imports neither. Pure."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EnvClaim:
    """One variable a doc tells users to set or names as the project's setting, at the name (1-based)."""

    doc: str
    line: int
    column: int
    name: str
    how: str  # "shell", "yaml", "dockerfile", "envvar" (Sphinx/MyST), "inline"


@dataclass(frozen=True, slots=True)
class SettingClaim:
    """One settings key a doc writes: `line-length` under `[tool.black]`. `line`/`column` (1-based) are the key's."""

    doc: str
    line: int
    column: int
    section: str  # as written: "tool.black", "pytest", "tool:pytest", "mkdocs.yml"; CONFVAL for a `.. confval::`
    key: str
    block: int = 0  # the line of the code block's first row: the keys shown together (0 for a `.. confval::`)
