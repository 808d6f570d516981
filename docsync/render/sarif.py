"""SARIF 2.1.0 output for GitHub code scanning and other SARIF viewers: one run, one rule per drift kind."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from urllib.parse import quote

from docsync import __version__
from docsync.models import Finding, Kind, Report, Severity
from docsync.settings import DEFAULT_SEVERITY
from docsync.wording import RULES

JSON = dict[str, object]

VERSION = "2.1.0"
SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# GitHub code scanning keeps only the 5,000 most severe results of a run and drops the rest without a word.
MAX_RESULTS = 5000
FINGERPRINT_KEY = "docsyncFinding/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# The doc path is relative to the checkout, which GitHub calls %SRCROOT%.
SOURCE_ROOT = "%SRCROOT%"
# RFC 3986 sub-delimiters and "@" may stay as they are in a path; ":" may not (in a first segment it would
# read as a URI scheme), "%" must be escaped, and `quote` escapes everything else (spaces, non-ASCII).
_URI_SAFE = "/!$&'()*+,;=@"


_RULE_INDEX = {kind: index for index, kind in enumerate(Kind)}


def render(report: Report, tool_version: str = __version__) -> str:
    """The report as a SARIF 2.1.0 log, at most `MAX_RESULTS` results (the most severe), deterministic."""
    ranked = sorted(fingerprint_findings(report.findings), key=lambda pair: pair[0].severity.rank)
    kept, omitted = ranked[:MAX_RESULTS], len(ranked) - min(len(ranked), MAX_RESULTS)
    run: JSON = {
        "tool": {"driver": {"name": "docsync", "version": tool_version, "rules": [_rule(kind) for kind in Kind]}},
        # Finding columns count characters (Python `str` indices), not UTF-16 code units (SARIF's default).
        "columnKind": "unicodeCodePoints",
        "invocations": [_invocation(omitted)],
        "results": [_result(finding, fingerprint) for finding, fingerprint in kept],
        "properties": {
            "base": report.base,
            "head": report.head,
            "score": round(report.score, 1),
            "findings": len(ranked),
            "omittedFindings": omitted,
            "truncated": omitted > 0,
        },
    }
    log: JSON = {"$schema": SCHEMA_URI, "version": VERSION, "runs": [run]}
    return json.dumps(log, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _rule(kind: Kind) -> JSON:
    text = RULES[kind]
    markdown = f"{text.full}\n\n**Fix:** {text.fix}\n\n**Accept:** {text.accept}"
    return {
        "id": kind.value,
        "name": text.name,
        "shortDescription": {"text": text.short},
        "fullDescription": {"text": _plain(text.full)},
        "help": {"text": _plain(markdown.replace("**", "")), "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS[DEFAULT_SEVERITY[kind]]},
        "properties": {"tags": ["documentation", "maintainability"]},
    }


def _plain(markdown: str) -> str:
    return markdown.replace("`", "")


def _invocation(omitted: int) -> JSON:
    invocation: JSON = {"executionSuccessful": True}
    if omitted:
        text = f"{omitted} more finding{_s(omitted)} {'were' if omitted != 1 else 'was'} left out of this SARIF file"
        invocation["toolExecutionNotifications"] = [
            {"level": "note", "message": {"text": f"{text}; run docsync check for all of them"}}
        ]
    return invocation


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _result(finding: Finding, fingerprint: str) -> JSON:
    location = {
        "artifactLocation": {"uri": doc_uri(finding.doc), "uriBaseId": SOURCE_ROOT},
        # SARIF counts from 1; a 0 from a damaged record would make the whole file invalid, not just this result.
        "region": {"startLine": max(finding.line, 1), "startColumn": max(finding.column, 1)},
    }
    result: JSON = {
        "ruleId": finding.kind.value,
        "ruleIndex": _RULE_INDEX[finding.kind],
        "level": LEVELS[finding.severity],
        "message": {"text": escape_message(finding.message)},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    # Not SARIF `fixes`: those need the exact region of the name in the doc, which only `docsync fix` knows.
    extra = {"symbol": finding.symbol, "replacement": finding.replacement, "commit": finding.commit}
    properties = {key: value for key, value in extra.items() if value}
    if properties:
        result["properties"] = properties
    return result


def doc_uri(path: str) -> str:
    """A repository-relative POSIX path as a relative URI reference (`docs/a b.md` → `docs/a%20b.md`)."""
    return quote(path, safe=_URI_SAFE)


def escape_message(text: str) -> str:
    """Plain text for a SARIF message: braces doubled, since `{0}` would read as a placeholder (§3.11.5)."""
    return text.replace("{", "{{").replace("}", "}}")


def fingerprint_findings(findings: Iterable[Finding]) -> list[tuple[Finding, str]]:
    """Each finding with its partial fingerprint, `<digest>:<n>`, in `sort_key` order.

    The digest says what the finding is about, never where it sits: doc, kind, symbol and the message with
    commits, ages and other numbers taken out (see `identity_digest`). So GitHub code scanning keeps one alert
    per problem while lines move above it, while commits pile up on the symbol and while the doc ages. `n`
    counts findings with the same digest in the doc from the top, as GitHub's own `primaryLocationLineHash`
    does: a doc naming the same stale symbol on two lines yields two alerts, not one.
    """
    seen: Counter[str] = Counter()
    pairs = []
    for finding in sorted(findings, key=lambda f: f.sort_key):
        digest = identity_digest(finding)
        seen[digest] += 1
        pairs.append((finding, f"{digest}:{seen[digest]}"))
    return pairs


def identity_digest(finding: Finding) -> str:
    """sha256 of doc, kind, symbol and the normalised message, 32 hex digits; lines and columns do not count."""
    identity = "\0".join((finding.doc, finding.kind.value, finding.symbol, normalise_message(finding.message)))
    return hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:32]


# What changes in a message while the problem stays the same. Commit names: abbreviated or full shas (hex with
# a digit, so words such as "defaced" stay), or "the work tree" before the change is committed.
_COMMIT = re.compile(r"\b(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}\b|\bthe work tree \(not committed yet\)")
# Ages, counts, line numbers, positions: every number, and a plural after it ("3 days" and "1 day" are alike).
_NUMBER = re.compile(r"\b(?:less than a day|\d+ days?)\b|\d+")
_PLURAL_AFTER_NUMBER = re.compile(r"(# \w+?)s\b")
_SPACE = re.compile(r"\s+")


def normalise_message(message: str) -> str:
    """The message without the parts that change while the problem does not: commits, ages, numbers."""
    text = _COMMIT.sub("<commit>", message)
    text = _NUMBER.sub(lambda match: "# day" if "day" in match.group() else "#", text)
    text = _PLURAL_AFTER_NUMBER.sub(r"\1", text)
    return _SPACE.sub(" ", text).strip()
