"""Checks the C, C++, PHP, Ruby and Rust code rule packs against their own examples.

Each rule is evaluated exactly as docs/dev/RULE_SCHEMA.md describes the engine (keyword prefilter,
ast-grep ``find_all`` or ``re.finditer`` with MULTILINE, then the ``unless`` veto), so a rule that passes
here behaves the same in the proxy. Every ``bad`` snippet must fire and every ``good`` twin must stay
quiet, for every language the rule lists.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from proxy.rules.engine import RuleEngine
from proxy.rules.languages import AST_GREP_LANGUAGES
from proxy.rules.loader import SEVERITIES

PACKS_ROOT = Path(__file__).resolve().parents[2] / "proxy" / "rules" / "packs"
PACK_LANGUAGES = ("c", "cpp", "php", "ruby", "rust")
MIN_RULES = {"c": 14, "cpp": 8, "php": 14, "ruby": 12, "rust": 10}
REQUIRED_KEYS = {"id", "languages", "severity", "cwe", "owasp", "message", "fix", "examples"}
OPTIONAL_KEYS = {"keywords", "ast_grep", "regex", "unless"}
OWASP_2021 = {
    "A01": "Broken Access Control",
    "A02": "Cryptographic Failures",
    "A03": "Injection",
    "A04": "Insecure Design",
    "A05": "Security Misconfiguration",
    "A06": "Vulnerable and Outdated Components",
    "A07": "Identification and Authentication Failures",
    "A08": "Software and Data Integrity Failures",
    "A09": "Security Logging and Monitoring Failures",
    "A10": "Server-Side Request Forgery",
}
ID_RE = re.compile(r"^[a-z0-9]+\.[a-z0-9-]+\.[a-z0-9-]+(\.[a-z0-9-]+)*$")
CWE_RE = re.compile(r"^CWE-\d+$")
OWASP_RE = re.compile(r"^(A\d\d):2021-(.+)$")


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate mapping keys (PyYAML silently keeps the last one)."""


def _no_duplicate_keys(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    merge_tag = "tag:yaml.org,2002:merge"  # `<<: *anchor` is resolved by construct_mapping itself
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value if k.tag != merge_tag]
    dupes = {k for k in keys if keys.count(k) > 1}
    if dupes:
        raise yaml.constructor.ConstructorError(None, None, f"duplicate keys {dupes}", node.start_mark)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicate_keys)


def _load_rules() -> list[tuple[str, Path, dict[str, Any]]]:
    """Every rule of the owned packs, with the directory (language) and file it came from."""
    rules: list[tuple[str, Path, dict[str, Any]]] = []
    for lang in PACK_LANGUAGES:
        for path in sorted(p for p in (PACKS_ROOT / lang).glob("*.yaml") if not p.name.startswith("_")):
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)  # noqa: S506
            assert isinstance(data, dict) and isinstance(data.get("rules"), list), path
            rules.extend((lang, path, rule) for rule in data["rules"])
    return rules


RULES = _load_rules()


ENGINE = RuleEngine.default()


def evaluate(rule: dict[str, Any], code: str, lang: str) -> list[int]:
    """Lines (1-based) where ``rule`` fires on ``code`` parsed as ``lang``, through the engine."""
    return ENGINE.scan_rule(ENGINE.by_id[rule["id"]], code, lang)


def _example_cases() -> list[Any]:
    cases = []
    for _, _, rule in RULES:
        examples = rule.get("examples") or {}
        for kind in ("bad", "good"):
            for i, snippet in enumerate(examples.get(kind) or []):
                for lang in rule.get("languages") or []:
                    case_id = f"{rule.get('id')}-{kind}{i}-{lang}"
                    cases.append(pytest.param(rule, kind, snippet, lang, id=case_id))
    return cases


@pytest.mark.parametrize(("rule", "kind", "snippet", "lang"), _example_cases())
def test_rule_example(rule: dict[str, Any], kind: str, snippet: str, lang: str) -> None:
    lines = evaluate(rule, snippet, lang)
    if kind == "bad":
        assert lines, f"{rule['id']} did not fire on its bad example ({lang})"
    else:
        assert not lines, f"{rule['id']} fired on its good example ({lang}) at lines {lines}"


@pytest.mark.parametrize(("lang", "path", "rule"), [pytest.param(*r, id=str(r[2].get("id"))) for r in RULES])
def test_rule_schema(lang: str, path: Path, rule: dict[str, Any]) -> None:
    keys = set(rule)
    assert keys >= REQUIRED_KEYS, f"missing {REQUIRED_KEYS - keys}"
    assert keys <= REQUIRED_KEYS | OPTIONAL_KEYS, f"unknown keys {keys - REQUIRED_KEYS - OPTIONAL_KEYS}"
    assert ID_RE.match(rule["id"]), rule["id"]
    assert rule["id"].split(".")[0] == lang, f"{rule['id']} lives in packs/{lang}/"
    langs = rule["languages"]
    assert isinstance(langs, list) and langs and lang in langs
    assert set(langs) <= AST_GREP_LANGUAGES
    assert set(langs) <= set(PACK_LANGUAGES)
    assert rule["severity"] in SEVERITIES
    assert CWE_RE.match(rule["cwe"]), rule["cwe"]
    owasp = OWASP_RE.match(rule["owasp"])
    assert owasp and OWASP_2021.get(owasp.group(1)) == owasp.group(2), rule["owasp"]
    assert isinstance(rule["message"], str) and rule["message"].strip()
    assert isinstance(rule["fix"], str) and rule["fix"].strip()
    assert ("ast_grep" in rule) != ("regex" in rule), "exactly one of ast_grep / regex"
    if "regex" in rule:
        re.compile(rule["regex"], re.MULTILINE)
    else:
        assert isinstance(rule["ast_grep"], dict) and "rule" in rule["ast_grep"]
    if "unless" in rule:
        re.compile(rule["unless"], re.MULTILINE)
    if "keywords" in rule:
        kws = rule["keywords"]
        groups = kws if kws and all(isinstance(g, list) for g in kws) else [kws]
        assert isinstance(kws, list) and all(g and all(isinstance(k, str) and k for k in g) for g in groups)
    examples = rule["examples"]
    assert examples.get("bad") and examples.get("good"), "needs >= 1 bad and >= 1 good example"
    assert all(isinstance(s, str) for s in examples["bad"] + examples["good"])


def test_rule_ids_unique() -> None:
    ids = [rule["id"] for _, _, rule in RULES]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, dupes


@pytest.mark.parametrize("lang", PACK_LANGUAGES)
def test_pack_sizes(lang: str) -> None:
    """C rules listing cpp count for C only; the C++ minimum is for C++-specific rules."""
    count = sum(1 for d, _, _ in RULES if d == lang)
    assert count >= MIN_RULES[lang], f"{lang}: {count} rules"


def _ast_grep_regexes(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [v for k, v in node.items() if k == "regex" and isinstance(v, str)]
        return found + [r for k, v in node.items() if k != "regex" for r in _ast_grep_regexes(v)]
    if isinstance(node, list):
        return [r for v in node for r in _ast_grep_regexes(v)]
    return []


# ast-grep-py recompiles every regex of a config on each find_all call, and Rust's regex crate builds
# large automata for Unicode classes: one \w or (?i:...) costs ~1-5 ms per call versus ~0.05 ms ASCII.
_SLOW_REGEX = re.compile(r"\\[wWdD]|(?<!\(\?-u:)\\b|\(\?i[:)]")


@pytest.mark.parametrize("rule", [pytest.param(r, id=r["id"]) for _, _, r in RULES if "ast_grep" in r])
def test_ast_grep_regexes_are_ascii(rule: dict[str, Any]) -> None:
    """Use [0-9A-Za-z_], (?-u:\\b) and (?i-u:...) inside ast-grep regexes so rules stay sub-millisecond."""
    slow = [rx for rx in _ast_grep_regexes(rule["ast_grep"]) if _SLOW_REGEX.search(rx)]
    assert not slow, slow


@pytest.mark.parametrize("lang", PACK_LANGUAGES)
def test_good_examples_quiet_across_pack(lang: str) -> None:
    """A secure twin should not trip a *different* rule of the same language either (cross-rule noise)."""
    same_lang = [r for d, _, r in RULES if lang in r["languages"]]
    noisy = []
    for owner in same_lang:
        for snippet in owner["examples"]["good"]:
            for other in same_lang:
                if evaluate(other, snippet, lang):
                    noisy.append(f"{other['id']} fires on good example of {owner['id']}")
    assert not noisy, "\n".join(noisy)
