"""The GitHub workflow-command renderer: escaping as actions/toolkit does it, GitHub's caps, ordering."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docsync.models import Finding, Kind, Report, Severity
from docsync.render import github
from tests.render.scenario import CLEAN, REPORT

CLOSING = "(GitHub shows 10 of each per step); see the step summary or run `docsync check`"


def _unescape(text: str, mappings: tuple[tuple[str, str], ...]) -> str:
    """actions/runner `ActionCommand.cs`: replace each escape in turn, `%25` last."""
    for token, replacement in mappings:
        text = text.replace(replacement, token)
    return text


_DATA_MAPPINGS = (("\r", "%0D"), ("\n", "%0A"), ("%", "%25"))
_PROPERTY_MAPPINGS = (("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25"))


def _parse(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command read back as the runner does (`ActionCommand.TryParseV2`)."""
    assert line.startswith("::")
    end = line.index("::", 2)
    head, data = line[2:end], line[end + 2 :]
    name, _, listed = head.partition(" ")
    pairs = (item.split("=", 1) for item in listed.split(",") if item)
    properties = {key: _unescape(value, _PROPERTY_MAPPINGS) for key, value in pairs}
    return name, properties, _unescape(data, _DATA_MAPPINGS)


def _finding(severity: Severity, doc: str, line: int, kind: Kind = Kind.SIGNATURE) -> Finding:
    return Finding(doc, line, 1, f"pkg.{doc[5:-3]}_{line}", kind, severity, f"{severity.value} at {doc}:{line}")


def _report(*findings: Finding) -> Report:
    return Report(None, "WORKTREE", 50.0, tuple(sorted(findings, key=lambda f: f.sort_key)), ())


def _many(severity: Severity, count: int, kind: Kind = Kind.SIGNATURE) -> list[Finding]:
    # Docs and lines interleaved, so that input order, doc order and line order all differ.
    return [_finding(severity, f"docs/{'abc'[i % 3]}.md", 100 - i, kind) for i in range(count)]


def test_scenario_golden(golden: Any) -> None:
    golden("scenario.github", github.render(REPORT))


def test_scenario_hostile_finding_is_escaped() -> None:
    lines = github.render(REPORT).splitlines()
    assert len(lines) == len(REPORT.findings)  # the CR LF in a message did not start a new line
    hostile = next(line for line in lines if "docs/we" in line)
    assert hostile == (
        "::error file=docs/we%2Cird%3Aname%25.md,line=2,col=3,title=docsync removed::"
        "<script>alert(1)</script> 100%25 broken: a,b%0D%0Anext | line `x` <!-- -->"
    )
    name, properties, message = _parse(hostile)
    finding = next(f for f in REPORT.findings if f.doc.startswith("docs/we"))
    assert (name, properties["file"], message) == ("error", finding.doc, finding.message)


def test_clean_report_prints_nothing() -> None:
    assert github.render(CLEAN) == ""


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        # From actions/toolkit packages/core/__tests__/command.test.ts.
        ("", "", ""),
        ("some message", "some message", "some message"),
        (
            "percent % percent % cr \r cr \r lf \n lf \n",
            "percent %25 percent %25 cr %0D cr %0D lf %0A lf %0A",
            "percent %25 percent %25 cr %0D cr %0D lf %0A lf %0A",
        ),
        (
            "percent % percent % cr \r cr \r lf \n lf \n colon : colon : comma , comma ,",
            "percent %25 percent %25 cr %0D cr %0D lf %0A lf %0A colon : colon : comma , comma ,",
            "percent %25 percent %25 cr %0D cr %0D lf %0A lf %0A colon %3A colon %3A comma %2C comma %2C",
        ),
        (
            "%25 %25 %0D %0D %0A %0A %3A %3A %2C %2C",
            "%2525 %2525 %250D %250D %250A %250A %253A %253A %252C %252C",
            "%2525 %2525 %250D %250D %250A %250A %253A %253A %252C %252C",
        ),
        ('{"test":"object"}', '{"test":"object"}', '{"test"%3A"object"}'),
        # Ours: paths and injection attempts.
        ("docs/we,ird:name%.md", "docs/we,ird:name%25.md", "docs/we%2Cird%3Aname%25.md"),
        ("a.md,line=1,title=ok", "a.md,line=1,title=ok", "a.md%2Cline=1%2Ctitle=ok"),
        ("x::error::forged", "x::error::forged", "x%3A%3Aerror%3A%3Aforged"),
        ("one\r\n::warning::two", "one%0D%0A::warning::two", "one%0D%0A%3A%3Awarning%3A%3Atwo"),
        ("tab\tand ünïcode", "tab\tand ünïcode", "tab\tand ünïcode"),
    ],
)
def test_escaping(text: str, data: str, prop: str) -> None:
    assert github.escape_data(text) == data
    assert github.escape_property(text) == prop


@given(st.text())
def test_escaping_round_trips_through_the_runner(text: str) -> None:
    data, prop = github.escape_data(text), github.escape_property(text)
    assert not set("\r\n") & set(data)
    assert not set(":,\r\n") & set(prop)
    assert _unescape(data, _DATA_MAPPINGS) == text
    assert _unescape(prop, _PROPERTY_MAPPINGS) == text


@pytest.mark.parametrize(
    ("name", "properties", "message", "line"),
    [
        ("some-command", {}, "", "::some-command::"),
        ("some-command", {"prop1": "value 1", "prop2": "value 2"}, "some message",
         "::some-command prop1=value 1,prop2=value 2::some message"),
        ("notice", {"title": "docsync", "file": ""}, "m", "::notice title=docsync::m"),
    ],
)  # fmt: skip
def test_workflow_command(name: str, properties: dict[str, str], message: str, line: str) -> None:
    assert github.workflow_command(name, properties, message) == line


@pytest.mark.parametrize(
    ("severity", "kind", "line"),
    [
        (
            Severity.ERROR,
            Kind.REMOVED,
            "::error file=docs/x.md,line=5,col=1,title=docsync removed::error at docs/x.md:5",
        ),
        (
            Severity.WARNING,
            Kind.BODY,
            "::warning file=docs/x.md,line=5,col=1,title=docsync body::warning at docs/x.md:5",
        ),
        (
            Severity.INFO,
            Kind.DOCSTRING,
            "::notice file=docs/x.md,line=5,col=1,title=docsync docstring::info at docs/x.md:5",
        ),
        (Severity.ERROR, Kind.BODY, "::error file=docs/x.md,line=5,col=1,title=docsync body::error at docs/x.md:5"),
    ],
)
def test_level_and_title(severity: Severity, kind: Kind, line: str) -> None:
    assert github.render(_report(_finding(severity, "docs/x.md", 5, kind))) == line + "\n"


def test_most_severe_first_then_by_doc_and_line() -> None:
    findings = [
        _finding(Severity.INFO, "docs/a.md", 1),
        _finding(Severity.WARNING, "docs/b.md", 2),
        _finding(Severity.ERROR, "docs/b.md", 30),
        _finding(Severity.ERROR, "docs/b.md", 4),
        _finding(Severity.WARNING, "docs/a.md", 9),
        _finding(Severity.ERROR, "docs/a.md", 7),
    ]
    parsed = [_parse(line) for line in github.render(_report(*findings)).splitlines()]
    assert [(name, p["file"], int(p["line"])) for name, p, _ in parsed] == [
        ("error", "docs/a.md", 7), ("error", "docs/b.md", 4), ("error", "docs/b.md", 30),
        ("warning", "docs/a.md", 9), ("warning", "docs/b.md", 2), ("notice", "docs/a.md", 1),
    ]  # fmt: skip


def test_caps_25_errors_and_3_warnings() -> None:
    findings = [*_many(Severity.ERROR, 25), *_many(Severity.WARNING, 3, Kind.BODY)]
    parsed = [_parse(line) for line in github.render(_report(*findings)).splitlines()]
    assert [name for name, _, _ in parsed] == ["error"] * 10 + ["warning"] * 3 + ["notice"]
    kept = sorted((f for f in findings if f.severity is Severity.ERROR), key=lambda f: f.sort_key)[:10]
    assert [(p["file"], int(p["line"])) for _, p, _ in parsed[:10]] == [(f.doc, f.line) for f in kept]
    assert parsed[-1] == ("notice", {"title": "docsync"}, f"15 more errors were not annotated {CLOSING}")


@pytest.mark.parametrize(
    ("errors", "warnings", "infos", "shown", "closing"),
    [
        (0, 0, 0, (0, 0, 0), None),
        (10, 10, 10, (10, 10, 10), None),  # everything fits: no closing notice
        (11, 0, 0, (10, 0, 0), "1 more error was not annotated"),
        (0, 0, 11, (0, 0, 9), "2 more notices were not annotated"),  # the closing notice takes a notice slot
        (11, 0, 10, (10, 0, 9), "1 more error and 1 more notice were not annotated"),
        (13, 12, 30, (10, 10, 9), "3 more errors, 2 more warnings and 21 more notices were not annotated"),
        (0, 11, 3, (0, 10, 3), "1 more warning was not annotated"),
    ],
)
def test_caps_per_level(
    errors: int, warnings: int, infos: int, shown: tuple[int, int, int], closing: str | None
) -> None:
    findings = [*_many(Severity.ERROR, errors), *_many(Severity.WARNING, warnings), *_many(Severity.INFO, infos)]
    parsed = [_parse(line) for line in github.render(_report(*findings)).splitlines()]
    annotations = [name for name, properties, _ in parsed if "file" in properties]
    assert (annotations.count("error"), annotations.count("warning"), annotations.count("notice")) == shown
    closings = [message for _, properties, message in parsed if "file" not in properties]
    assert closings == ([f"{closing} {CLOSING}"] if closing else [])
    assert sum(1 for name, _, _ in parsed if name == "notice") <= github.ANNOTATIONS_PER_LEVEL


def test_select_annotations_counts_what_is_left_out() -> None:
    shown, left_out = github.select_annotations([*_many(Severity.ERROR, 12), *_many(Severity.INFO, 2)])
    assert [f.severity for f in shown] == [Severity.ERROR] * 10 + [Severity.INFO] * 2
    assert left_out == {Severity.ERROR: 2, Severity.WARNING: 0, Severity.INFO: 0}


def test_render_ignores_the_input_order() -> None:
    findings = [*_many(Severity.ERROR, 14), *_many(Severity.WARNING, 4)]
    report = _report(*findings)
    shuffled = dataclasses.replace(report, findings=tuple(reversed(report.findings)))
    assert github.render(shuffled) == github.render(report)
