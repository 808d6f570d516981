"""The JUnit renderer: what GitLab and Jenkins read, every string escaped, valid XML whatever the text holds."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
import xmlschema

from docsync.models import DocScore, Finding, Kind, Report, Severity
from docsync.render import CHECK_FORMATS, junit, render_report
from tests.conftest import Repo, run
from tests.render.scenario import CLEAN, FINDINGS, REPORT

# The schema the Jenkins xUnit plugin validates JUnit files with (jenkinsci/xunit-plugin,
# src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd; MIT, its notice inside the file).
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "data" / "junit-10.xsd"
HOSTILE = "a\x00b\x01c\x08d\x0be\x0cf\x1bg\x7fh ]]> <![CDATA[ x ]]> &amp; \"q\" 'q' \ud800 \ufffe end"


def _parse(report: Report) -> ET.Element:
    return ET.fromstring(junit.render(report).encode("ascii"))


def _suites(root: ET.Element) -> dict[str, ET.Element]:
    return {suite.get("name", ""): suite for suite in root.findall("testsuite")}


def test_one_suite_per_doc_and_one_case_per_finding() -> None:
    root = _parse(REPORT)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("7", "6", "0")
    suites = _suites(root)
    assert list(suites) == sorted(d.path for d in REPORT.docs)
    for doc, suite in suites.items():
        findings = [f for f in FINDINGS if f.doc == doc]
        cases = suite.findall("testcase")
        assert len(cases) == int(suite.get("tests", "")) == len(findings)
        assert int(suite.get("failures", "")) == sum(f.severity is not Severity.INFO for f in findings)
        for case, finding in zip(cases, findings, strict=True):
            assert case.get("file") == doc
            assert case.get("line") == str(finding.line)
            assert case.get("classname") == doc.rsplit(".", 1)[0]
            assert case.get("name") == f"{finding.symbol} ({finding.kind.value})"


def test_a_failure_carries_kind_message_and_where() -> None:
    case = next(c for c in _parse(REPORT).iter("testcase") if c.get("name") == "shop.cart.remove_item (renamed)")
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("type") == "renamed"
    assert failure.get("message") == FINDINGS[0].message
    assert failure.text == (
        f"README.md:3:5: error: {FINDINGS[0].message}\n"
        "replace with: shop.cart.discard_item\n"
        f"changed in: {FINDINGS[0].commit}"
    ), "GitLab shows the element's text (its XML reader drops the attributes of an element with text)"


@pytest.mark.parametrize(
    ("severity", "fails"), [(Severity.ERROR, True), (Severity.WARNING, True), (Severity.INFO, False)]
)
def test_errors_and_warnings_fail_and_info_passes_with_its_note(severity: Severity, fails: bool) -> None:
    finding = Finding("docs/a.md", 4, 2, "pkg.f", Kind.BODY, severity, "the body of pkg.f changed")
    case = _parse(Report(None, "HEAD", 90.0, (finding,), (DocScore("docs/a.md", 90.0, 1, 1),))).find(
        "testsuite/testcase"
    )
    assert case is not None
    assert (case.find("failure") is not None) is fails
    assert case.find("error") is None, "<error> is for a test that broke, not for drift"
    note = case.find("system-out")
    assert (note is not None and note.text == "docs/a.md:4:2: info: the body of pkg.f changed") is not fails


def test_a_doc_without_findings_is_one_passing_case() -> None:
    root = _parse(CLEAN)
    case = root.find("testsuite/testcase")
    assert case is not None
    assert (case.get("name"), case.get("file"), list(case)) == ("fresh", "README.md", [])
    assert (root.get("tests"), root.get("failures")) == ("1", "0")


def test_no_docs_at_all_is_an_empty_but_valid_report() -> None:
    root = _parse(Report(None, "HEAD", 100.0, (), ()))
    assert (root.tag, root.get("tests"), list(root)) == ("testsuites", "0", [])


def test_the_same_symbol_and_kind_twice_in_a_doc_get_distinct_names() -> None:
    twice = [Finding("docs/a.md", line, 1, "pkg.gone", Kind.REMOVED, Severity.ERROR, "gone") for line in (3, 9, 12)]
    names = [c.get("name") for c in _parse(Report(None, "HEAD", 0.0, tuple(twice), ())).iter("testcase")]
    assert names == ["pkg.gone (removed)", "pkg.gone (removed) #2", "pkg.gone (removed) #3"]


def test_hostile_text_stays_well_formed_xml() -> None:
    """Control characters and lone surrogates are not XML 1.0 characters: they become visible escapes; `]]>`,
    markup and quotes are escaped by ElementTree, never concatenated."""
    finding = Finding(HOSTILE + ".md", 1, 1, HOSTILE, Kind.REMOVED, Severity.ERROR, HOSTILE, HOSTILE, None)
    text = junit.render(Report(None, "HEAD", 0.0, (finding,), ()))
    assert text.isascii()
    root = ET.fromstring(text.encode("ascii"))  # raises on any character XML 1.0 forbids
    escaped = "a\\x00b\\x01c\\x08d\\x0be\\x0cf\\x1bg\x7fh ]]> <![CDATA[ x ]]> &amp; \"q\" 'q' \\ud800 \\ufffe end"
    case = root.find("testsuite/testcase")
    assert case is not None
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == escaped
    assert failure.text == f"{escaped}.md:1:1: error: {escaped}\nreplace with: {escaped}"
    assert case.get("file") == escaped + ".md"
    assert [suite.get("name") for suite in root.iter("testsuite")] == [escaped + ".md"]


def test_line_breaks_and_tabs_in_a_message_survive_in_the_attribute() -> None:
    message = "first\r\nsecond\tthird\nfourth"
    finding = dataclasses.replace(FINDINGS[1], message=message)
    failure = _parse(dataclasses.replace(REPORT, findings=(finding,))).find(".//failure")
    assert failure is not None
    assert failure.get("message") == message


def test_the_output_is_deterministic_and_declares_its_encoding() -> None:
    text = junit.render(REPORT)
    assert text == junit.render(REPORT)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    assert "timestamp" not in text, "no clock, no host: the same input gives byte-identical output"
    assert "hostname" not in text


def test_junit_is_a_check_format() -> None:
    assert "junit" in CHECK_FORMATS
    assert render_report(REPORT, "junit") == junit.render(REPORT)


def test_check_writes_junit(git_repo: Repo) -> None:
    base = git_repo.commit(
        {
            "shop/__init__.py": "",
            "shop/cart.py": "def total(cart):\n    return 0\n",
            "docs/guide.md": "# G\n\nCall `shop.cart.total`.\n",
        }
    )
    git_repo.commit({"shop/cart.py": "def count(cart):\n    return 1\n"}, "remove total")
    result = run(git_repo, "check", "--base", base, "--format", "junit")
    assert result.code == 1, result
    failures = ET.fromstring(result.out.encode("ascii")).findall(".//failure")
    assert [(f.get("type"), f.get("message", "")[:14]) for f in failures] == [("removed", "shop.cart.tota")]


def test_valid_against_the_jenkins_junit_schema() -> None:
    """GitLab reads `file` on a test case and pytest's xunit1 family writes `file` and `line`; the Jenkins schema
    has neither, so they are taken off before validating: everything else must be what the schema allows."""
    schema = xmlschema.XMLSchema(str(SCHEMA_PATH))
    hostile = Finding(HOSTILE + ".md", 1, 1, HOSTILE, Kind.REMOVED, Severity.ERROR, HOSTILE, None, None)
    for report in (
        REPORT,
        CLEAN,
        Report(None, "HEAD", 100.0, (), ()),
        dataclasses.replace(REPORT, findings=(hostile,)),
    ):
        root = _parse(report)
        for case in root.iter("testcase"):
            for extension in ("file", "line"):
                case.attrib.pop(extension, None)
        schema.validate(ET.tostring(root, encoding="unicode"))


def test_golden(golden: Callable[[str, str], None]) -> None:
    golden("scenario.junit.xml", junit.render(REPORT))
