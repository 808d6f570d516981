"""What `docsync: ignore` markers do once findings are judged: which markers hide a finding, which hid nothing.

The scanners mark what each marker covers (`references.ignores`); a covered reference is judged like any other,
and its findings of the marker's kinds are kept apart (`Report.suppressed`), never reported nor scored.
"""

from __future__ import annotations

from collections.abc import Iterable

from docsync.models import DocScan, Finding, Ignore, Kind


def hiding(ignored: Iterable[Ignore], kind: Kind) -> tuple[Ignore, ...]:
    """The markers of `ignored` that hide a finding of this kind (a marker that names no kind hides every kind)."""
    return tuple(ignore for ignore in ignored if not ignore.kinds or kind in ignore.kinds)


def unused_ignores(scans: Iterable[DocScan], suppressed: Iterable[Finding]) -> tuple[Ignore, ...]:
    """The markers of these docs that hid none of the `suppressed` findings (ruff's RUF100), in doc order."""
    used = {ignore for finding in suppressed for ignore in finding.ignored}
    unused = (ignore for scan in scans for ignore in scan.ignores if ignore not in used)
    return tuple(sorted(unused, key=lambda ignore: (ignore.doc, ignore.line, ignore.column)))
