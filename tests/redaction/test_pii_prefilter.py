"""The speed-ups must not change what is found: recognizers skipped by the prefilter, pieces scanned
instead of whole texts, and NER skipped where the patterns already explain every capitalised pair.

Each test compares the fast path with a plain one (every recognizer over the whole text). Pattern-only
except the NER piece tests, which need no model either."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml
from presidio_analyzer import RecognizerResult

from proxy.redaction.config import RedactionSettings
from proxy.redaction.pii import PiiDetector, _to_detection, get_pii_detector, resolve_overlaps
from proxy.redaction.recognizers import WindowContextEnhancer, base, build_recognizers
from proxy.redaction.recognizers.base import context_windows
from proxy.redaction.recognizers.ner import Covered, ner_pieces
from proxy.redaction.recognizers.prefilter import TextFacts, context_keywords
from proxy.redaction.recognizers.words import dictionary_for

SETTINGS = RedactionSettings(ner=False)
EXAMPLES = yaml.safe_load(
    (resources.files("proxy.redaction.recognizers") / "examples.yaml").read_text(encoding="utf-8")
)
MIXED = [
    "Patient Idunn Brekke (MRN: 00482913, DOB 04/12/1985) called (415) 555-2132; card 4111 1111 1111 1111.",
    "claim_id,beneficiary,mbi,dob,provider_npi\nCLM-1,Idunn Brekke,1EG4TE5MK73,03/02/1961,1234567893",
    "PID|1||7712034^^^H^MR||Lund^Idunn||19610203|F\nPV1|1|I|W^1^1|||||1794472658^Brekke^Halvor",
    "server ip=93.184.216.34 user=idunn.lund@brekke.no ssn 219-09-9999 passport number 912345678",
    "Her chart\nnumber is 5519024 and her driver's license D1234567; member ID: XYZ123456789",
    "INSERT INTO p (mrn, full_name, dob) VALUES ('7712034', 'Ida Lund', '1961-02-03');",
    "def f(x):\n    return x * 2  # nothing personal here, version 1.2.3.4, port 8080\n",
]
TEXTS = MIXED + [
    case["text"] if isinstance(case, dict) else case
    for block in EXAMPLES.values()
    for kind in ("tps", "fps")
    for case in block.get(kind, [])
]


@pytest.fixture(scope="module")
def detector() -> PiiDetector:
    return get_pii_detector(SETTINGS)


def plain_detect(text: str, monkeypatch: pytest.MonkeyPatch) -> set[tuple[str, int, int]]:
    """Every recognizer over the whole text, no prefilter, no windows: the reference."""
    with monkeypatch.context() as patch:
        patch.setattr(base, "context_windows", lambda text, words, size: [(0, len(text))])
        patch.setattr(TextFacts, "tokens_with", lambda self, anchor: [(0, len(self.text))])
        enhancer = WindowContextEnhancer()
        found: list[RecognizerResult] = []
        for recognizer in build_recognizers(SETTINGS):
            raw = recognizer.analyze(text, recognizer.supported_entities, None)
            kept = enhancer.enhance_using_context(text, raw, None, [recognizer])  # type: ignore[arg-type]
            found += [r for r in kept if r.score >= SETTINGS.min_score]
    return {(d.entity_type, d.start, d.end) for d in resolve_overlaps([_to_detection(r) for r in found])}


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_fast_path_finds_what_the_plain_path_finds(
    detector: PiiDetector, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = {(d.entity_type, d.start, d.end) for d in detector.detect(text)}
    assert fast == plain_detect(text, monkeypatch)


def test_prefilter_drops_recognizers_that_cannot_match(detector: PiiDetector) -> None:
    assert detector.active_entities("Refactor this function, please.") == ["PERSON"]
    assert "EMAIL_ADDRESS" in detector.active_entities("write to a@b.org")
    assert "MEDICAL_RECORD_NUMBER" not in detector.active_entities("order 00482913 shipped")
    assert "MEDICAL_RECORD_NUMBER" in detector.active_entities("MRN 00482913")
    # an HL7 message names its fields by position, so no context word is needed in the text
    assert "MEDICAL_RECORD_NUMBER" in detector.active_entities("PID|1||00482913^^^H^MR||")


def test_keywords_must_start_a_word() -> None:
    facts = TextFacts("handle the idle loop")
    assert not facts.has_any(context_keywords(("dl",)))
    assert TextFacts("DL#: S123").has_any(context_keywords(("dl",)))
    assert TextFacts("x = patientId").has_any(context_keywords(("patient id",)))


def test_context_windows_cover_label_next_line_and_named_columns() -> None:
    text = "intro " * 40 + "MRN:\n  00482913\n" + "filler " * 60 + "\nid,mrn\n1,7712034"
    windows = context_windows(text, ("mrn",), 32)
    for value in ("00482913", "7712034"):
        start = text.index(value)
        assert any(s <= start and start + len(value) <= e for s, e in windows), value
    assert all(e - s < 400 for s, e in windows)  # pieces, not the whole text


def test_ner_skips_pairs_the_patterns_explained_and_plain_english_pairs() -> None:
    dictionary = dictionary_for(RedactionSettings().ner_model)
    text = "Patient Jane Roe saw the Billing Service team. Later Stellan Bjork called."
    jane = text.index("Jane")
    covered = Covered([(jane, jane + len("Jane Roe"))])
    pieces = [text[s:e] for s, e in ner_pieces(text, covered, dictionary)]
    assert pieces == [" Later Stellan Bjork called."]
    assert [text[s:e] for s, e in ner_pieces("Ask the Strict Mode docs.", None, dictionary)] == []


def test_covered_spans_merge_and_answer_containment() -> None:
    covered = Covered([(0, 5), (3, 10), (20, 25)])
    assert (4, 9) in covered and (20, 25) in covered
    assert (9, 12) not in covered and (15, 21) not in covered
