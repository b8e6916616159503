"""Team terms: deny terms become CUSTOM_TERM detections, allow terms drop detections."""

from __future__ import annotations

from proxy.redaction.terms import CUSTOM_TERM, TermMatcher
from proxy.redaction.types import Detection


def spans(text: str, matcher: TermMatcher) -> list[str]:
    return [text[d.start : d.end] for d in matcher.detect(text)]


def test_deny_terms_match_whole_words_case_insensitively() -> None:
    m = TermMatcher(["Project Falcon", "db01.corp.internal", "acme"])
    text = "project falcon talks to DB01.corp.internal for ACME, not acmeCorp or my_acme or Falcon."
    assert spans(text, m) == ["project falcon", "DB01.corp.internal", "ACME"]
    [first, *_] = m.detect(text)
    assert (first.entity_type, first.family, first.rule_id) == (CUSTOM_TERM, "term", "term.deny")


def test_longest_term_wins_and_spaces_may_vary() -> None:
    m = TermMatcher(["Falcon", "Project Falcon"])
    assert spans("see Project\n  Falcon now", m) == ["Project\n  Falcon"]


def test_terms_with_punctuation_and_regex_characters_are_literal() -> None:
    m = TermMatcher(["c++ core", "a.b"])
    assert spans("the C++ core team, not aXb", m) == ["C++ core"]


def test_no_terms_no_detections() -> None:
    m = TermMatcher([], [])
    assert not m.has_deny_terms
    assert m.detect("anything") == []
    assert TermMatcher(["  ", ""]).detect("  ") == []


def test_allow_terms_drop_equal_values_but_keep_deny_terms() -> None:
    m = TermMatcher(allow_terms=["Acme Corp", "support@acme.com"])
    text = "acme  corp wrote to Support@Acme.com about Maria"
    dets = [
        Detection(0, 10, "PERSON", "pii.x", "pii"),
        Detection(20, 36, "EMAIL_ADDRESS", "pii.y", "pii"),
        Detection(43, 48, "PERSON", "pii.z", "pii"),
        Detection(0, 10, CUSTOM_TERM, "term.deny", "term"),
    ]
    kept = m.drop_allowed(text, dets)
    assert [(text[d.start : d.end], d.family) for d in kept] == [("Maria", "pii"), ("acme  corp", "term")]
    assert m.is_allowed(" ACME CORP ") and not m.is_allowed("Acme")
