"""The SARIF renderer: valid against the SARIF 2.1.0 schema, GitHub's 5,000-result cut, stable fingerprints."""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from docsync.findings import DocContext, stale_findings
from docsync.models import Change, Finding, How, Kind, Reference, Report, Severity, Staleness, Style
from docsync.render import sarif
from docsync.settings import Config
from tests.render.scenario import CLEAN, REPORT, SHA

# The official schema, read where it is kept for the project; never copied into the repository.
SCHEMA_PATH = Path("/work/shared/data/sarif-schema-2.1.0.json")


@cache
def _validator() -> Draft7Validator:
    if not SCHEMA_PATH.exists():
        pytest.skip(f"the SARIF schema is not at {SCHEMA_PATH}")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    registry = Registry().with_resource(schema["$id"], Resource.from_contents(schema, default_specification=DRAFT7))
    # This copy of the schema keeps the log's own shape under definitions/Root and has no top-level keywords:
    # validating against the document itself would accept anything, so point at Root.
    root = "#/definitions/Root" if "Root" in schema["definitions"] else "#"
    return Draft7Validator(
        {"$ref": schema["$id"] + root}, registry=registry, format_checker=Draft7Validator.FORMAT_CHECKER
    )


def _schema_errors(log: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator().iter_errors(log)][:5]


def _assert_valid(log: dict[str, Any]) -> None:
    assert _schema_errors(log) == []
    # What the official schema says with `anyOf` and this copy leaves out (SARIF §3.11.2, §3.29, §3.30).
    for result in log["runs"][0]["results"]:
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"]
        assert location["region"]["startLine"] >= 1


def _log(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(sarif.render(report, tool_version="0.1.0"))
    return data


def _many(errors: int, warnings: int, infos: int) -> Report:
    """A generated report: docs and lines interleaved so that the order by severity differs from the order by doc."""
    findings = []
    plan = ((Severity.ERROR, Kind.SIGNATURE, errors), (Severity.WARNING, Kind.BODY, warnings))
    for severity, kind, count in (*plan, (Severity.INFO, Kind.DOCSTRING, infos)):
        for i in range(count):
            symbol = f"pkg.mod.{kind.value}_{i}"
            message = f"the {kind.value} of {symbol} changed in 1a2b3c4"
            findings.append(Finding(f"docs/p{i % 97:02d}.md", 1 + i // 97, 1, symbol, kind, severity, message))
    return Report(None, "WORKTREE", 12.5, tuple(sorted(findings, key=lambda f: f.sort_key)), ())


def test_scenario_golden(golden: Any) -> None:
    golden("scenario.sarif", sarif.render(REPORT, tool_version="0.1.0"))


@pytest.mark.parametrize("report", [REPORT, CLEAN], ids=["scenario", "clean"])
def test_valid_against_the_official_schema(report: Report) -> None:
    _assert_valid(_log(report))


def test_the_validator_rejects_a_broken_log() -> None:
    """A control: the schema really is applied (an empty object, a line 0 and an unknown level are caught)."""
    assert _schema_errors({})
    broken = _log(REPORT)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert len(_schema_errors(broken)) == 2


def test_clean_report_has_an_empty_result_list() -> None:
    run = _log(CLEAN)["runs"][0]
    assert run["results"] == []
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert run["properties"] == {
        "base": None, "head": "WORKTREE", "score": 100.0, "findings": 0, "omittedFindings": 0, "truncated": False,
    }  # fmt: skip


def test_run_shape() -> None:
    log = _log(REPORT)
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "docsync"
    assert run["tool"]["driver"]["version"] == "0.1.0"
    assert "informationUri" not in run["tool"]["driver"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["properties"]["score"] == 71.4
    assert run["properties"]["base"] == REPORT.base
    assert run["properties"]["head"] == SHA


def test_default_tool_version_is_the_package_version() -> None:
    from docsync import __version__

    assert json.loads(sarif.render(CLEAN))["runs"][0]["tool"]["driver"]["version"] == __version__


def test_one_rule_per_kind_with_help_and_default_level() -> None:
    rules = _log(REPORT)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["removed", "renamed", "signature", "example", "body", "docstring", "deprecated"]
    assert [r["defaultConfiguration"]["level"] for r in rules] == ["error"] * 4 + ["warning", "note", "warning"]
    for rule in rules:
        assert rule["shortDescription"]["text"]
        assert rule["fullDescription"]["text"]
        assert re.search(r"\n\nFix: .+\n\nAccept: .+", rule["help"]["text"])
        assert re.search(r"\n\n\*\*Fix:\*\* .+\n\n\*\*Accept:\*\* .+", rule["help"]["markdown"])
        assert "`" not in rule["help"]["text"]  # plain text: the Markdown is in `markdown`
        texts = [rule["shortDescription"]["text"], rule["fullDescription"]["text"], *rule["help"].values()]
        assert not re.search(r"[{}<>]", "".join(texts))  # no placeholders, no HTML (SARIF §3.11.4.2)
    assert "docsync fix" in rules[1]["help"]["text"]


def test_results_follow_the_findings() -> None:
    run = _log(REPORT)["runs"][0]
    results, rules = run["results"], run["tool"]["driver"]["rules"]
    assert len(results) == len(REPORT.findings)
    by_message = {r["message"]["text"]: r for r in results}
    for finding in REPORT.findings:
        result = by_message[finding.message]
        assert result["ruleId"] == finding.kind.value == rules[result["ruleIndex"]]["id"]
        assert result["level"] == {"error": "error", "warning": "warning", "info": "note"}[finding.severity.value]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert unquote(location["artifactLocation"]["uri"]) == finding.doc
        assert location["region"] == {"startLine": finding.line, "startColumn": finding.column}


def test_results_most_severe_first_then_by_doc_and_line() -> None:
    results = _log(REPORT)["runs"][0]["results"]
    keys = [(r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results]
    assert keys == [
        ("error", "README.md"), ("error", "docs/api.rst"), ("error", "docs/api.rst"), ("error", "docs/guide.md"),
        ("error", "docs/we,ird%3Aname%25.md"), ("warning", "docs/guide.md"), ("note", "docs/guide.md"),
    ]  # fmt: skip


def test_properties_carry_symbol_replacement_and_commit_when_known() -> None:
    results = {r["ruleId"] + r["properties"]["symbol"]: r for r in _log(REPORT)["runs"][0]["results"]}
    assert results["renamedshop.cart.remove_item"]["properties"] == {
        "symbol": "shop.cart.remove_item", "replacement": "shop.cart.discard_item", "commit": SHA,
    }  # fmt: skip
    assert results["removedshop.cart.gone"]["properties"] == {"symbol": "shop.cart.gone"}
    assert "fixes" not in results["renamedshop.cart.remove_item"]


def test_a_finding_without_symbol_has_no_properties() -> None:
    broken = Finding(
        "docs/a.md", 4, 1, "", Kind.EXAMPLE, Severity.INFO, "python example does not parse: invalid syntax"
    )
    (result,) = _log(Report(None, "WORKTREE", 90.0, (broken,), ()))["runs"][0]["results"]
    assert "properties" not in result


def test_the_hostile_finding_is_kept_verbatim_in_json() -> None:
    hostile = next(f for f in REPORT.findings if f.doc.startswith("docs/we"))
    result = next(r for r in _log(REPORT)["runs"][0]["results"] if r["properties"]["symbol"] == hostile.symbol)
    assert result["message"]["text"] == hostile.message  # JSON escapes \r\n; nothing else needs to change


@pytest.mark.parametrize(
    ("message", "text"),
    [
        ("default changed for `x`: `{}` -> `None`", "default changed for `x`: `{{}}` -> `None`"),
        ("the example calls f, which has no parameter `{0}`", "the example calls f, which has no parameter `{{0}}`"),
        ("no braces", "no braces"),
    ],
)
def test_braces_are_doubled_so_they_are_not_placeholders(message: str, text: str) -> None:
    finding = Finding("docs/a.md", 1, 1, "pkg.f", Kind.SIGNATURE, Severity.ERROR, message)
    (result,) = _log(Report(None, "WORKTREE", 50.0, (finding,), ()))["runs"][0]["results"]
    assert result["message"]["text"] == text


_RELATIVE_REF_PATH = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=@/]|%[0-9A-F]{2})*")


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("docs/api.rst", "docs/api.rst"),
        ("docs/we,ird:name%.md", "docs/we,ird%3Aname%25.md"),
        ("a:b.md", "a%3Ab.md"),  # unescaped, `a:` would be a URI scheme
        ("docs/my notes/ü.md", "docs/my%20notes/%C3%BC.md"),
        ("docs/#1?.md", "docs/%231%3F.md"),
        ("docs/a[1]\\b.md", "docs/a%5B1%5D%5Cb.md"),
    ],
)
def test_doc_paths_become_relative_uri_references(path: str, uri: str) -> None:
    assert sarif.doc_uri(path) == uri
    assert _RELATIVE_REF_PATH.fullmatch(uri)
    assert unquote(uri) == path  # as codeql-action's upload step decodes it (decodeURIComponent)


def test_more_than_5000_findings_keeps_the_most_severe() -> None:
    report = _many(errors=1000, warnings=2000, infos=2200)
    log = _log(report)
    _assert_valid(log)
    run = log["runs"][0]
    results = run["results"]
    assert len(results) == 5000
    assert Counter(r["level"] for r in results) == {"error": 1000, "warning": 2000, "note": 2000}
    kept_infos = [f for f in report.findings if f.severity is Severity.INFO][:2000]
    assert [r["properties"]["symbol"] for r in results if r["level"] == "note"] == [f.symbol for f in kept_infos]
    locations = [
        (r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
         r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in results
    ]  # fmt: skip
    rank = {"error": 0, "warning": 1, "note": 2}
    assert locations == sorted(locations, key=lambda key: (rank[key[0]], key[1], key[2]))
    assert run["properties"]["truncated"] is True
    assert run["properties"]["findings"] == 5200
    assert run["properties"]["omittedFindings"] == 200
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True
    assert invocation["toolExecutionNotifications"] == [
        {
            "level": "note",
            "message": {
                "text": "200 more findings were left out of this SARIF file; run docsync check for all of them"
            },
        }
    ]


def test_exactly_5000_findings_are_all_kept() -> None:
    run = _log(_many(errors=0, warnings=5000, infos=0))["runs"][0]
    assert len(run["results"]) == 5000
    assert run["properties"]["truncated"] is False
    assert "toolExecutionNotifications" not in run["invocations"][0]


def test_one_finding_over_the_limit_is_worded_in_the_singular() -> None:
    run = _log(_many(errors=0, warnings=5000, infos=1))["runs"][0]
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"].startswith("1 more finding was left out of this SARIF file;")


def test_output_is_deterministic_and_ends_with_a_newline() -> None:
    shuffled = dataclasses.replace(REPORT, findings=tuple(reversed(REPORT.findings)))
    text = sarif.render(REPORT, tool_version="0.1.0")
    assert text == sarif.render(shuffled, tool_version="0.1.0")
    assert text.endswith("\n}\n")


# --- partial fingerprints -------------------------------------------------------------------------------


def _fingerprints(report: Report) -> list[str]:
    return [r["partialFingerprints"]["docsyncFinding/v1"] for r in _log(report)["runs"][0]["results"]]


def test_fingerprints_are_unique_and_shaped() -> None:
    prints = _fingerprints(REPORT)
    assert len(set(prints)) == len(prints)
    assert all(re.fullmatch(r"[0-9a-f]{32}:[1-9][0-9]*", p) for p in prints)


def test_fingerprints_do_not_change_when_only_lines_and_columns_move() -> None:
    moved = tuple(dataclasses.replace(f, line=f.line + 17, column=f.column + 3) for f in REPORT.findings)
    assert _fingerprints(dataclasses.replace(REPORT, findings=moved)) == _fingerprints(REPORT)


def _finding(message: str, doc: str = "docs/a.md", symbol: str = "pkg.f", kind: Kind = Kind.SIGNATURE) -> Finding:
    return Finding(doc, 3, 1, symbol, kind, Severity.ERROR, message)


_BASE = _finding("the signature of pkg.f changed in 1a2b3c4: parameter `qty` renamed to `count`")


@pytest.mark.parametrize(
    "other",
    [
        _finding("the signature of pkg.f changed in 9f8e7d6: parameter `qty` renamed to `count`"),
        _finding(
            "the signature of pkg.f changed in 9f8e7d6c5b4a39281706f5e4d3c2b1a098765432: parameter `qty` renamed to `count`"
        ),
        _finding(
            "the signature of pkg.f changed in the work tree (not committed yet): parameter `qty` renamed to `count`"
        ),
        _finding("the signature of pkg.f changed in 1a2b3c4:  parameter `qty` renamed to `count` "),
        dataclasses.replace(_BASE, line=300, column=12, severity=Severity.WARNING, commit=SHA),
    ],
    ids=["other-commit", "full-sha", "not-committed", "whitespace", "line-severity-commit-field"],
)
def test_same_problem_same_fingerprint(other: Finding) -> None:
    assert sarif.identity_digest(other) == sarif.identity_digest(_BASE)


@pytest.mark.parametrize(
    "other",
    [
        _finding("the signature of pkg.f changed in 1a2b3c4: parameter `qty` renamed to `amount`"),
        _finding(_BASE.message, doc="docs/b.md"),
        _finding(_BASE.message, symbol="pkg.g"),
        _finding(_BASE.message, kind=Kind.EXAMPLE),
    ],
    ids=["message", "doc", "symbol", "kind"],
)
def test_different_problem_different_fingerprint(other: Finding) -> None:
    assert sarif.identity_digest(other) != sarif.identity_digest(_BASE)


def test_stale_ages_do_not_change_the_fingerprint() -> None:
    """Whole-repository messages say how long a doc has been stale; that grows every day, the problem does not."""
    reference = Reference("docs/a.md", 7, 3, "pkg.f", How.EXPLICIT, Style.MARKER, "pkg.f", symbol="pkg.f")
    change = Change("pkg.f", Kind.BODY, None, SHA, "", parts=frozenset({Kind.BODY}))

    def digest(days: float, commits: int, commit: str | None = SHA) -> str:
        stale = Staleness(reference, dataclasses.replace(change, commit=commit), 1_700_000_000, days, commits)
        (finding,) = stale_findings([stale], DocContext(), Config())
        return sarif.identity_digest(finding)

    assert digest(0.5, 1) == digest(1.2, 2) == digest(400.0, 120) == digest(400.0, 120, "9" * 40)


def test_repeated_findings_in_a_doc_are_numbered_from_the_top() -> None:
    first, second = _finding(_BASE.message), dataclasses.replace(_BASE, line=40)
    other_doc = _finding(_BASE.message, doc="docs/b.md")
    pairs = sarif.fingerprint_findings([second, other_doc, first])
    assert [finding for finding, _ in pairs] == [first, second, other_doc]
    (_, print_first), (_, print_second), (_, print_other) = pairs
    assert print_first == sarif.identity_digest(first) + ":1"
    assert print_second == sarif.identity_digest(first) + ":2"
    assert print_other == sarif.identity_digest(other_doc) + ":1"
    assert sarif.identity_digest(other_doc) != sarif.identity_digest(first)


@pytest.mark.parametrize(
    ("message", "normalised"),
    [
        ("the body of pkg.f changed in 1a2b3c4; check", "the body of pkg.f changed in <commit>; check"),
        ("stale for less than a day, 1 commit", "stale for # day, # commit"),
        ("stale for 12 days, 3 commits", "stale for # day, # commit"),
        ("python example does not parse at line 12", "python example does not parse at line #"),
        ("the defaced module moved", "the defaced module moved"),  # a hex-looking word without digits stays
    ],
)
def test_normalise_message(message: str, normalised: str) -> None:
    assert sarif.normalise_message(message) == normalised
