"""Every rule in every pack proves itself: it fires on each `bad` example and stays quiet on each
`good` one, in every language it lists, through the real engine (keywords, matcher, `unless`).

Packs are loaded file by file so a broken pack fails its own test instead of hiding all others.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from proxy.rules.engine import RuleEngine
from proxy.rules.loader import PACKS_DIR, Rule, RuleLoadError, load_rules, pack_files


def _params() -> list[object]:
    params: list[object] = []
    for path in pack_files():
        rel = path.relative_to(PACKS_DIR).as_posix()
        try:
            rules = load_rules([path])
        except RuleLoadError as exc:
            params.append(pytest.param(None, str(exc), id=f"{rel}::load"))
            continue
        params.extend(pytest.param(rule, "", id=rule.id) for rule in rules)
    return params


@pytest.mark.parametrize(("rule", "load_error"), _params())
def test_rule_examples(rule: Rule | None, load_error: str) -> None:
    if rule is None:
        pytest.fail(load_error)
    engine = RuleEngine([rule])
    problems = []
    for lang in rule.languages:
        for i, code in enumerate(rule.bad):
            hits = [f for f in engine.scan(code, lang) if f.rule_id == rule.id]
            if not hits:
                problems.append(f"[{lang}] did not fire on bad[{i}]: {code.strip()[:100]!r}")
        for i, code in enumerate(rule.good):
            hits = [f for f in engine.scan(code, lang) if f.rule_id == rule.id]
            if hits:
                problems.append(f"[{lang}] fired on good[{i}] line {hits[0].line}: {code.strip()[:100]!r}")
    assert not problems, f"{rule.id} ({Path(rule.source).name}):\n  " + "\n  ".join(problems)
