"""Every secret rule proves itself with its own samples (gitleaks-style tps/fps); rule files obey the schema.

True positives run against the rule alone (so a rule cannot lean on another one); false positives run against
the whole rule set (so no rule may fire on another rule's counter-example). Failure messages carry rule ids
and spans, never sample values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import re2

from proxy.redaction.secrets import RULES_DIR, RuleError, SecretDetector, SecretRule, load_rules

DETECTOR = SecretDetector.default()
RULES = DETECTOR.rules
_SINGLE = {rule.id: SecretDetector([rule]) for rule in RULES}
_EDGE = set(" \t\r\n\"'`:;,")  # never at either end of a span ('=' may end base64 padding)


def _samples() -> list[Any]:
    cases: list[Any] = []
    for rule in RULES:
        cases += [pytest.param(rule, "tp", tp, id=f"{rule.id}-tp{i}") for i, tp in enumerate(rule.tps)]
        cases += [pytest.param(rule, "fp", fp, id=f"{rule.id}-fp{i}") for i, fp in enumerate(rule.fps)]
    return cases


@pytest.mark.parametrize(("rule", "kind", "sample"), _samples())
def test_rule_samples(rule: SecretRule, kind: str, sample: str) -> None:
    if kind == "fp":
        found = DETECTOR.detect(sample)
        assert not found, [(d.rule_id, d.start, d.end) for d in found]
        return
    own = [d for d in _SINGLE[rule.id].detect(sample) if d.entity_type == rule.entity]
    assert own, f"{rule.id} misses its own true positive"
    for d in own:  # the span is the value itself: no quotes, separators or whitespace around it
        assert sample[d.start] not in _EDGE | {"="} and sample[d.end - 1] not in _EDGE, (
            rule.id,
            d.start,
            d.end,
        )
    assert DETECTOR.detect(sample), f"the full rule set finds nothing in {rule.id}'s true positive"


def test_re2_is_google_re2_not_the_pyre2_shadow() -> None:
    assert Path(re2.__file__).parent.name == "re2" and "site-packages" in re2.__file__
    assert hasattr(re2, "Set") and hasattr(re2, "Options")


def test_schema() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    files = sorted(RULES_DIR.glob("*.yaml"))
    assert {f.stem for f in files} >= {
        "cloud",
        "vcs",
        "ai",
        "payments",
        "messaging",
        "registries",
        "infra",
        "saas",
        "structural",
        "generic",
    }
    for rule in RULES:
        assert re2.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", rule.id), rule.id
        assert re2.fullmatch(r"SECRET_[A-Z0-9]+(?:_[A-Z0-9]+)*", rule.entity), rule.id
        assert rule.tps and rule.fps, rule.id
        assert rule.description, rule.id
        assert all(k == k.lower() and k for k in rule.keywords), rule.id
        assert rule.keywords, f"{rule.id}: every packaged rule needs a keyword for the prefilter"
        for tp in rule.tps:  # otherwise the prefilter would never let the rule run on its own example
            assert any(k in tp.lower() for k in rule.keywords), rule.id
        assert rule.regex.programsize < 12_000, f"{rule.id}: regex too large for a cheap DFA"


def test_at_least_150_provider_rules() -> None:
    providers = [r for r in RULES if r.kind == "provider"]
    assert len(providers) >= 150, len(providers)
    assert {r.kind for r in RULES} == {"provider", "structural", "generic"}
    assert len([r for r in RULES if r.kind == "generic"]) <= 15  # the always-on family stays small


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(body, encoding="utf-8")
    return path


_GOOD = """
rules:
  - id: demo-token
    entity: SECRET_DEMO
    description: demo
    regex: '\\b(demo_[a-z0-9]{8})\\b'
    keywords: [demo_]
    tps: ["x = demo_a1b2c3d4"]
    fps: ["demo_"]
"""


def test_loader_accepts_a_minimal_rule(tmp_path: Path) -> None:
    detector = SecretDetector.from_files([_write(tmp_path, _GOOD)])
    (found,) = detector.detect("token demo_a1b2c3d4 here")
    assert (found.start, found.end, found.entity_type, found.family) == (6, 19, "SECRET_DEMO", "secret")


@pytest.mark.parametrize(
    "mutation",
    [
        ("regex: '\\b(demo_[a-z0-9]{8})\\b'", "regex: '(?=demo_)(demo_[a-z0-9]{8})'"),  # lookahead: not RE2
        ("entity: SECRET_DEMO", "entity: demo"),
        ("id: demo-token", "id: Demo_Token"),
        ("keywords: [demo_]", "keywords: [DEMO_]"),
        ('fps: ["demo_"]', ""),
        ("description: demo", "descripton: demo"),  # typo'd field
        ("keywords: [demo_]", "keywords: [demo_]\n    filters: [no_such_filter]"),
        ("keywords: [demo_]", "keywords: [demo_]\n    secret_group: 3"),
    ],
)
def test_loader_rejects_bad_rules(tmp_path: Path, mutation: tuple[str, str]) -> None:
    with pytest.raises(RuleError):
        load_rules([_write(tmp_path, _GOOD.replace(*mutation))])


def test_loader_rejects_duplicate_ids(tmp_path: Path) -> None:
    body = _GOOD + _GOOD.split("rules:\n", 1)[1]
    with pytest.raises(RuleError, match="duplicate"):
        load_rules([_write(tmp_path, body)])
