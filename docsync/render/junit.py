"""JUnit XML for GitLab test reports and CI dashboards: a test suite per doc, a test case per finding."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable

from docsync.models import Finding, Report, Severity

# JUnit knows no severities, only failed, errored and skipped tests. A finding is a check that failed, as ESLint's
# and ruff's JUnit output count lint warnings; `<error>` means the test itself broke (an exception), and a finding
# is not that. `info` findings are notes: passing test cases that carry their message in <system-out>.
FAILING = frozenset({Severity.ERROR, Severity.WARNING})
FRESH = "fresh"  # the one test case of a doc without findings, so dashboards count every doc checked
# XML 1.0 allows only these characters (§2.2): control characters, and lone surrogates from file names that are
# not UTF-8, would make the whole file unreadable; they are written as visible `\x01`-style escapes instead.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(report: Report) -> str:
    """`<testsuites>` holding one `<testsuite>` per doc checked (sorted), one `<testcase>` per finding in it."""
    by_doc: dict[str, list[Finding]] = {doc.path: [] for doc in report.docs}
    for finding in report.findings:
        by_doc.setdefault(finding.doc, []).append(finding)
    suites = [_suite(doc, sorted(by_doc[doc], key=lambda f: f.sort_key)) for doc in sorted(by_doc)]
    root = ET.Element("testsuites", _counts("docsync", suites, suite=False))
    root.extend(suites)
    ET.indent(root)
    # ASCII with character references: the file reads the same whatever encoding stdout or `-o` writes it in.
    body = ET.tostring(root, encoding="us-ascii", xml_declaration=False).decode("ascii")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _suite(doc: str, findings: list[Finding]) -> ET.Element:
    cases = list(_cases(doc, findings)) or [_case(doc, FRESH, None)]
    suite = ET.Element("testsuite", _counts(_text(doc), cases, suite=True))
    suite.extend(cases)
    return suite


def _cases(doc: str, findings: Iterable[Finding]) -> Iterable[ET.Element]:
    # Test case names leave the line out, so a finding keeps its name (and its history on a dashboard) when lines
    # above it move; the same symbol and kind twice in one doc are told apart by a number.
    seen: Counter[str] = Counter()
    for finding in findings:
        name = f"{finding.symbol} ({finding.kind.value})"
        seen[name] += 1
        case = _case(doc, name if seen[name] == 1 else f"{name} #{seen[name]}", finding.line)
        details = _text(_details(finding))
        if finding.severity in FAILING:
            attributes = {"type": finding.kind.value, "message": _text(finding.message)}
            ET.SubElement(case, "failure", attributes).text = details
        else:
            ET.SubElement(case, "system-out").text = details
        yield case


def _case(doc: str, name: str, line: int | None) -> ET.Element:
    # classname without the extension, as ESLint and ruff write it: Jenkins splits a classname at its last dot
    # into package and class. `file` (read by GitLab) and `line` are the attributes pytest's xunit1 family writes.
    attributes = {"classname": _text(posixpath.splitext(doc)[0]), "name": _text(name), "file": _text(doc)}
    if line is not None:
        attributes["line"] = str(line)
    attributes["time"] = "0"
    return ET.Element("testcase", attributes)


def _details(finding: Finding) -> str:
    """What GitLab shows for a failed test (the element's text): where, how severe, what, and the fix."""
    lines = [f"{finding.doc}:{finding.line}:{finding.column}: {finding.severity.value}: {finding.message}"]
    if finding.replacement:
        lines.append(f"replace with: {finding.replacement}")
    if finding.commit:
        lines.append(f"changed in: {finding.commit}")
    return "\n".join(lines)


def _counts(name: str, children: list[ET.Element], suite: bool) -> dict[str, str]:
    """The totals of a suite (of its test cases) or of all suites (`skipped` is not an attribute of <testsuites>
    in the Jenkins schema)."""
    if suite:
        tests, failures = len(children), sum(child.find("failure") is not None for child in children)
    else:
        tests = sum(int(child.get("tests", "0")) for child in children)
        failures = sum(int(child.get("failures", "0")) for child in children)
    counts = {"name": name, "tests": str(tests), "failures": str(failures), "errors": "0"}
    return {**counts, "skipped": "0", "time": "0"} if suite else {**counts, "time": "0"}


def _text(value: str) -> str:
    return _NOT_XML.sub(_escape, value)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
