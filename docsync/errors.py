"""The exceptions users see: a one-line message naming the cause, and a hint naming the fix."""

from __future__ import annotations


class DocsyncError(Exception):
    """Bad input or environment; `main.py` prints it as one line and exits 2."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ConfigError(DocsyncError):
    """The configuration file does not parse, or has an unknown key or a bad value."""


class RepoError(DocsyncError):
    """Not a git repository, an unknown revision, a shallow clone missing what we need..."""


class UsageError(DocsyncError):
    """Command-line arguments that contradict each other."""


class LockfileError(DocsyncError):
    """`.docsync.lock` has merge-conflict markers, a newer format, or lines that do not parse."""


class WriteError(DocsyncError):
    """A file could not be written (or is not ours to write); what was there before is left as it was."""


class CiEventError(DocsyncError):
    """The CI event payload or environment is malformed: a field of the wrong type, a commit id that is not hex."""
