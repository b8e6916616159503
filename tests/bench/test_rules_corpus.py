"""Product targets for the code rules on the benchmark corpus (bench/data/rules_corpus): the engine plus
the dependency check, as the proxy runs them, must flag >= 90% of the vulnerable snippets and stay quiet
on >= 96% of their fixed twins. No timing asserts: bench/rules.py measures speed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.rules import (
    LANGUAGES,
    TARGET_DETECTION,
    TARGET_FALSE_ALARMS,
    Snippet,
    load_corpus,
    scan_ours,
)
from proxy.rules.engine import RuleEngine

CORPUS = load_corpus()


@pytest.fixture(scope="module")
def verdicts() -> Iterator[dict[str, list[str]]]:
    engine = RuleEngine.default()
    yield {s.id: [f"{f.rule_id} ({f.cwe})" for f in scan_ours(engine, s.code, s.language)] for s in CORPUS}


def _vulnerable() -> list[Snippet]:
    return [s for s in CORPUS if s.vulnerable]


def _safe() -> list[Snippet]:
    return [s for s in CORPUS if not s.vulnerable]


def test_corpus_shape() -> None:
    """At least 100 vulnerable/fixed pairs, every language covered by both kinds, ids unique (load_corpus
    checks ids, CWEs and twin pairing and raises on any violation)."""
    assert len(_vulnerable()) >= 100 and len(_safe()) >= 100
    assert len(_vulnerable()) == len(_safe())
    for lang in LANGUAGES:
        kinds = {s.vulnerable for s in CORPUS if s.language == lang}
        assert kinds == {True, False}, f"{lang} lacks vulnerable or fixed snippets"


def test_detection_rate(verdicts: dict[str, list[str]]) -> None:
    missed = [f"{s.id} ({s.language}, {s.cwe})" for s in _vulnerable() if not verdicts[s.id]]
    rate = 1 - len(missed) / len(_vulnerable())
    assert rate >= TARGET_DETECTION, f"detection {rate:.1%} < {TARGET_DETECTION:.0%}; missed: {missed}"


def test_false_alarm_rate(verdicts: dict[str, list[str]]) -> None:
    alarms = [f"{s.id}: {', '.join(verdicts[s.id])}" for s in _safe() if verdicts[s.id]]
    rate = len(alarms) / len(_safe())
    assert rate <= TARGET_FALSE_ALARMS, f"false alarms {rate:.1%} > {TARGET_FALSE_ALARMS:.0%}: {alarms}"
