"""Findings as text (people), JSON (scripts) and SARIF 2.1.0 (GitHub code scanning, IDEs).

SARIF follows what CodeQL emits so GitHub renders it the same way: rules live in
`runs[0].tool.driver.rules`, CWE ids go in `properties.tags` as `external/cwe/cwe-89`, and
`properties.security-severity` (a number as a string) drives GitHub's severity badge.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proxy import __version__
from proxy.pipeline.context import CodeFinding
from proxy.rules.loader import SEVERITIES, Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "secure-prompt-proxy"
TOOL_URI = "https://github.com/secure-prompt-proxy/secure-prompt-proxy"
# GitHub maps security-severity to critical (>= 9.0), high (7.0-8.9), medium (4.0-6.9), low (< 4.0).
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
SARIF_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}


@dataclass
class FileResult:
    """The findings for one scanned input (a file path, or "-" for stdin)."""

    path: str
    language: str | None
    findings: list[CodeFinding] = field(default_factory=list)


def _ordered(results: Sequence[FileResult]) -> list[tuple[FileResult, CodeFinding]]:
    rows = [(r, f) for r in results for f in r.findings]
    rows.sort(key=lambda rf: (rf[0].path, rf[1].line, -SEVERITIES.index(rf[1].severity), rf[1].rule_id))
    return rows


def summary(results: Sequence[FileResult]) -> dict[str, int]:
    counts = Counter(f.severity for r in results for f in r.findings)
    return {s: counts.get(s, 0) for s in reversed(SEVERITIES)}


def to_text(results: Sequence[FileResult]) -> str:
    lines = []
    for r, f in _ordered(results):
        lines.append(f"{r.path}:{f.line}: {f.severity.upper()} {f.rule_id} ({f.cwe}) {f.message}")
        lines.append(f"    fix: {f.fix}")
    n = sum(len(r.findings) for r in results)
    counts = summary(results)
    detail = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
    files = len(results)
    lines.append(f"{n} finding{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}"
                 + (f" ({detail})" if detail else ""))
    return "\n".join(lines) + "\n"


def to_json(results: Sequence[FileResult]) -> str:
    findings = [
        {"path": r.path, "line": f.line, "language": f.language, "rule_id": f.rule_id, "severity": f.severity,
         "cwe": f.cwe, "owasp": f.owasp, "message": f.message, "fix": f.fix}
        for r, f in _ordered(results)
    ]
    doc = {"tool": TOOL_NAME, "version": __version__, "files_scanned": len(results),
           "summary": summary(results), "findings": findings}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _rule_entry(rule_id: str, f: CodeFinding, rule: Rule | None) -> dict[str, Any]:
    tags = ["security", f"external/cwe/{f.cwe.lower()}"]
    if f.owasp:
        tags.append(f"external/owasp/{f.owasp.split('-', 1)[0].lower()}")
    entry: dict[str, Any] = {
        "id": rule_id,
        "name": "".join(part.title() for part in rule_id.replace("-", ".").replace("_", ".").split(".")),
        "shortDescription": {"text": f.message},
        "fullDescription": {"text": f"{f.message} ({f.cwe}, {f.owasp})"},
        "help": {"text": f"Fix: {f.fix}", "markdown": f"**Fix:** {f.fix}\n\n{f.cwe} · {f.owasp}"},
        "defaultConfiguration": {"level": SARIF_LEVEL[f.severity]},
        "properties": {
            "tags": tags,
            "security-severity": SECURITY_SEVERITY[f.severity],
            "precision": "high",
            "problem.severity": "error" if f.severity in ("critical", "high") else "warning",
        },
    }
    if rule is not None and rule.references:
        entry["helpUri"] = rule.references[0]
    return entry


def _location(path: str) -> dict[str, str]:
    """Relative paths resolve against %SRCROOT% (what GitHub expects); absolute ones become file URIs."""
    if path == "-":
        return {"uri": "stdin"}
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    p = path.replace("\\", "/")
    return {"uri": p[2:] if p.startswith("./") else p, "uriBaseId": "%SRCROOT%"}


def to_sarif(results: Sequence[FileResult], rules: Mapping[str, Rule] | None = None) -> str:
    """One SARIF run; only rules that produced a result are listed (keeps uploads small)."""
    rules = rules or {}
    index: dict[str, int] = {}
    driver_rules: list[dict[str, Any]] = []
    sarif_results: list[dict[str, Any]] = []
    for r, f in _ordered(results):
        if f.rule_id not in index:
            index[f.rule_id] = len(driver_rules)
            driver_rules.append(_rule_entry(f.rule_id, f, rules.get(f.rule_id)))
        sarif_results.append({
            "ruleId": f.rule_id,
            "ruleIndex": index[f.rule_id],
            "level": SARIF_LEVEL[f.severity],
            "message": {"text": f"{f.message} Fix: {f.fix}"},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": _location(r.path),
                    "region": {"startLine": max(1, f.line)},
                },
            }],
            "properties": {"security-severity": SECURITY_SEVERITY[f.severity]},
        })
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": TOOL_NAME,
                "informationUri": TOOL_URI,
                "version": __version__,
                "semanticVersion": __version__,
                "rules": driver_rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": sarif_results,
        }],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render(results: Sequence[FileResult], fmt: str, rules: Mapping[str, Rule] | None = None) -> str:
    if fmt == "text":
        return to_text(results)
    if fmt == "json":
        return to_json(results)
    if fmt == "sarif":
        return to_sarif(results, rules)
    raise ValueError(f"unknown format {fmt!r}: use text, json or sarif")
