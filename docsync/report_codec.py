"""A check's report ↔ compact JSON, for the answers of unchanged runs (`answers`). A malformed value raises
`BadEntry`."""

from __future__ import annotations

from typing import Any

from docsync.codec_values import BadEntry
from docsync.codec_values import checked_enum as _enum
from docsync.codec_values import checked_int as _int
from docsync.codec_values import checked_list as _items
from docsync.codec_values import checked_str as _str
from docsync.codec_values import optional_str as _optional_str
from docsync.codec_values import short as _short
from docsync.models import DocScore, Finding, Ignore, Kind, Report, Severity


def encode_report(report: Report) -> list[Any]:
    if report.unused_ignores is not None:
        raise ValueError("a report with unused ignores is never kept (its markers are printed as it is made)")
    return [
        report.base,
        report.head,
        report.score,
        [_encode_finding(f) for f in report.findings],
        [[d.path, d.score, d.references, d.stale, d.days_stale, d.commits_stale] for d in report.docs],
        [_encode_finding(f) for f in report.suppressed],
    ]


def decode_report(value: Any) -> Report:
    base, head, score, findings, docs, suppressed = _items(value, 6)
    return Report(
        _optional_str(base),
        _str(head),
        _float(score),
        tuple(_decode_finding(f) for f in _items(findings)),
        tuple(_decode_doc_score(d) for d in _items(docs)),
        tuple(_decode_finding(f) for f in _items(suppressed)),
    )


def _encode_finding(finding: Finding) -> list[Any]:
    f = finding
    ignored = [[i.doc, i.line, i.column, i.marker, [k.value for k in i.kinds], i.until] for i in f.ignored]
    return [f.doc, f.line, f.column, f.symbol, f.kind.value, f.severity.value, f.message, f.replacement, f.commit,
            ignored]  # fmt: skip


def _decode_finding(value: Any) -> Finding:
    doc, line, column, symbol, kind, severity, message, replacement, commit, ignored = _items(value, 10)
    return Finding(
        _str(doc),
        _int(line),
        _int(column),
        _str(symbol),
        _enum(Kind, kind),
        _enum(Severity, severity),
        _str(message),
        _optional_str(replacement),
        _optional_str(commit),
        tuple(_decode_ignore(i) for i in _items(ignored)),
    )


def _decode_ignore(value: Any) -> Ignore:
    doc, line, column, marker, kinds, until = _items(value, 6)
    return Ignore(_str(doc), _int(line), _int(column), _str(marker), tuple(_enum(Kind, k) for k in _items(kinds)),
                  _int(until))  # fmt: skip


def _decode_doc_score(value: Any) -> DocScore:
    path, score, references, stale, days_stale, commits_stale = _items(value, 6)
    return DocScore(_str(path), _float(score), _int(references), _int(stale), _float(days_stale), _int(commits_stale))


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BadEntry(f"expected a number, got {_short(value)}")
    return float(value)
