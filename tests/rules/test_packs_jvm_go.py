"""Checks the java, kotlin, csharp and go rule packs exactly as the engine evaluates them.

Why a separate file: the packs must be proven before the engine exists. Each rule is evaluated as
docs/dev/RULE_SCHEMA.md describes (keywords prefilter, ast-grep `find_all`, regex with MULTILINE,
`unless` veto), and must fire on every `bad` snippet and stay quiet on every `good` one. Good snippets
must also be quiet under every other rule of their language, so a secure twin is secure overall.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from ast_grep_py import SgRoot

PACKS = Path(__file__).resolve().parents[2] / "proxy" / "rules" / "packs"
LANGUAGES = ("java", "kotlin", "csharp", "go")
MIN_RULES_PER_LANGUAGE = 14
SEVERITIES = {"low", "medium", "high", "critical"}
CWE_RE = re.compile(r"^CWE-\d+$")
OWASP_RE = re.compile(r"^A(0[1-9]|10):2021-[A-Z][A-Za-z ,-]+$")
ID_RE = re.compile(r"^[a-z]+\.[a-z0-9-]+\.[a-z0-9-]+$")
REQUIRED = ("id", "languages", "severity", "cwe", "owasp", "message", "fix", "examples")
ALLOWED = set(REQUIRED) | {"keywords", "ast_grep", "regex", "unless"}


def _load() -> list[tuple[str, Path, dict[str, Any]]]:
    rules: list[tuple[str, Path, dict[str, Any]]] = []
    for lang in LANGUAGES:
        for path in sorted((PACKS / lang).glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for rule in data["rules"]:
                rules.append((lang, path, rule))
    return rules


RULES = _load()


def evaluate(rule: dict[str, Any], code: str) -> list[int]:
    """Return finding lines for one rule on one code block, mirroring the engine's evaluation."""
    keywords = rule.get("keywords")
    if keywords and not any(k in code for k in keywords):
        return []
    lines: list[int] = []
    if "ast_grep" in rule:
        for lang in rule["languages"]:
            for node in SgRoot(code, lang).root().find_all(rule["ast_grep"]):
                lines.append(node.range().start.line + 1)
    else:
        for m in re.finditer(rule["regex"], code, re.MULTILINE):
            lines.append(code.count("\n", 0, m.start()) + 1)
    if lines and rule.get("unless") and re.search(rule["unless"], code, re.MULTILINE):
        return []
    return lines


def _cases(kind: str) -> list[Any]:
    out = []
    for lang, _path, rule in RULES:
        for i, code in enumerate(rule["examples"][kind]):
            out.append(pytest.param(lang, rule, code, id=f"{rule['id']}[{kind}{i}]"))
    return out


@pytest.mark.parametrize(("lang", "rule", "code"), _cases("bad"))
def test_rule_fires_on_bad(lang: str, rule: dict[str, Any], code: str) -> None:
    assert evaluate(rule, code), f"{rule['id']} did not fire on a bad example"


@pytest.mark.parametrize(("lang", "rule", "code"), _cases("good"))
def test_rule_quiet_on_good(lang: str, rule: dict[str, Any], code: str) -> None:
    assert not evaluate(rule, code), f"{rule['id']} fired on its own good example"


@pytest.mark.parametrize(("lang", "rule", "code"), _cases("good"))
def test_good_example_quiet_under_whole_language_pack(lang: str, rule: dict[str, Any], code: str) -> None:
    noisy = [other["id"] for ol, _p, other in RULES if ol == lang and evaluate(other, code)]
    assert not noisy, f"good example of {rule['id']} flagged by {noisy}"


@pytest.mark.parametrize(("lang", "path", "rule"), [pytest.param(*r, id=r[2].get("id", "?")) for r in RULES])
def test_rule_schema(lang: str, path: Path, rule: dict[str, Any]) -> None:
    missing = [k for k in REQUIRED if k not in rule]
    assert not missing, f"missing keys {missing}"
    assert set(rule) <= ALLOWED, f"unknown keys {set(rule) - ALLOWED}"
    assert ID_RE.match(rule["id"]) and rule["id"].startswith(f"{lang}."), rule["id"]
    assert rule["languages"] == [lang]
    assert rule["severity"] in SEVERITIES
    assert CWE_RE.match(rule["cwe"]), rule["cwe"]
    assert OWASP_RE.match(rule["owasp"]), rule["owasp"]
    assert isinstance(rule["message"], str) and rule["message"].strip()
    assert isinstance(rule["fix"], str) and rule["fix"].strip()
    assert ("ast_grep" in rule) != ("regex" in rule), "exactly one of ast_grep / regex"
    if "ast_grep" in rule:
        assert isinstance(rule["ast_grep"], dict) and "rule" in rule["ast_grep"]
    else:
        re.compile(rule["regex"])
    if "unless" in rule:
        re.compile(rule["unless"])
    if "keywords" in rule:
        kws = rule["keywords"]
        assert isinstance(kws, list) and kws and all(isinstance(k, str) and k for k in kws)
    examples = rule["examples"]
    assert examples.get("bad") and examples.get("good"), "needs >= 1 bad and >= 1 good example"
    assert all(isinstance(c, str) for c in examples["bad"] + examples["good"])


def test_rule_ids_unique() -> None:
    dupes = [i for i, n in Counter(r["id"] for _l, _p, r in RULES).items() if n > 1]
    assert not dupes, dupes


@pytest.mark.parametrize("lang", LANGUAGES)
def test_enough_rules_per_language(lang: str) -> None:
    count = sum(1 for ol, _p, _r in RULES if ol == lang)
    assert count >= MIN_RULES_PER_LANGUAGE, f"{lang}: {count} rules"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keywords_appear_in_every_bad_example(lang: str) -> None:
    """A keyword that never occurs in a bad example is a typo that silently disables the rule."""
    for ol, _p, rule in RULES:
        if ol != lang or "keywords" not in rule:
            continue
        for code in rule["examples"]["bad"]:
            assert any(k in code for k in rule["keywords"]), rule["id"]
