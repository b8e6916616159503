"""Report formats: text, JSON and SARIF 2.1.0 in the shape GitHub code scanning and CodeQL use."""

from __future__ import annotations

import json

import pytest

from proxy.pipeline.context import CodeFinding
from proxy.rules.engine import RuleEngine
from proxy.rules.report import FileResult, render, to_json, to_sarif, to_text

CODE = 'import os\nos.system("rm " + name)\nimport pickle\nobj = pickle.loads(blob)\n'


@pytest.fixture(scope="module")
def results() -> list[FileResult]:
    findings = RuleEngine.default().scan(CODE, "python")
    assert len(findings) >= 2
    return [FileResult("src/app.py", "python", findings), FileResult("clean.py", "python", [])]


def test_sarif_structure(results: list[FileResult]) -> None:
    doc = json.loads(to_sarif(results, RuleEngine.default().by_id))
    assert doc["version"] == "2.1.0"
    assert doc["$schema"].endswith("sarif-2.1.0.json")
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "secure-prompt-proxy" and driver["version"]
    rules = {r["id"]: r for r in driver["rules"]}
    sys_rule = rules["python.command-injection.os-system"]
    assert sys_rule["properties"]["tags"][:2] == ["security", "external/cwe/cwe-78"]
    assert float(sys_rule["properties"]["security-severity"]) >= 7.0
    assert sys_rule["shortDescription"]["text"] and sys_rule["help"]["text"].startswith("Fix:")
    assert sys_rule["defaultConfiguration"]["level"] == "error"
    assert run["results"]
    for res in run["results"]:
        assert res["ruleId"] in rules
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note")
        assert res["message"]["text"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == "src/app.py"
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert loc["region"]["startLine"] >= 1
    lines = {r["ruleId"]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
             for r in run["results"]}
    assert lines["python.command-injection.os-system"] == 2


def test_sarif_rules_are_listed_once_and_levels_follow_severity() -> None:
    f = CodeFinding("x.y.z", "CWE-1", "A03:2021-Injection", "low", "m.", "f.", 1, "python")
    doc = json.loads(to_sarif([FileResult("/abs/a.py", "python", [f, f]), FileResult("-", "python", [f])]))
    run = doc["runs"][0]
    assert len(run["tool"]["driver"]["rules"]) == 1 and len(run["results"]) == 3
    assert run["results"][0]["level"] == "note"
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    assert "file:///abs/a.py" in uris and "stdin" in uris


def test_empty_sarif_is_still_valid() -> None:
    doc = json.loads(to_sarif([]))
    assert doc["runs"][0]["results"] == [] and doc["runs"][0]["tool"]["driver"]["rules"] == []


def test_json_report(results: list[FileResult]) -> None:
    doc = json.loads(to_json(results))
    assert doc["files_scanned"] == 2
    assert doc["summary"]["high"] >= 2
    first = doc["findings"][0]
    assert set(first) == {"path", "line", "language", "rule_id", "severity", "cwe", "owasp", "message", "fix"}
    assert [f["line"] for f in doc["findings"]] == sorted(f["line"] for f in doc["findings"])


def test_text_report(results: list[FileResult]) -> None:
    text = to_text(results)
    assert "src/app.py:2: HIGH python.command-injection.os-system (CWE-78)" in text
    assert "    fix: " in text
    assert text.rstrip().splitlines()[-1].startswith(f"{len(results[0].findings)} findings in 2 files")


def test_reports_never_contain_the_code(results: list[FileResult]) -> None:
    for fmt in ("text", "json", "sarif"):
        out = render(results, fmt)
        assert '"rm " + name' not in out and "pickle.loads(blob)" not in out


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render([], "xml")
