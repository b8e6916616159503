"""Every PII/PHI recognizer against its own true and false positives (recognizers/examples.yaml), plus the
checksums and context rules they rely on. Runs pattern-only: no spaCy model is loaded here."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
import yaml

from proxy.redaction.config import PII_ENTITIES, RedactionSettings
from proxy.redaction.pii import PiiDetector, get_pii_detector
from proxy.redaction.recognizers.context import context_window, has_context
from proxy.redaction.recognizers.dob import plausible_date
from proxy.redaction.recognizers.financial import iban_ok
from proxy.redaction.recognizers.medical import dea_checksum_ok, npi_checksum_ok
from proxy.redaction.recognizers.network import is_public

EXAMPLES: dict[str, dict[str, list[Any]]] = yaml.safe_load(
    (resources.files("proxy.redaction.recognizers") / "examples.yaml").read_text(encoding="utf-8")
)


def detector_for(entity: str) -> PiiDetector:
    return get_pii_detector(RedactionSettings(ner=False, pii_entities=[entity]))


def _cases(kind: str) -> list[Any]:
    return [
        pytest.param(entity, case, id=f"{entity}-{i}")
        for entity, block in EXAMPLES.items()
        for i, case in enumerate(block.get(kind, []))
    ]


def test_every_entity_has_examples() -> None:
    assert set(EXAMPLES) == set(PII_ENTITIES)
    for entity, block in EXAMPLES.items():
        assert len(block.get("tps", [])) >= 2, entity
        assert len(block.get("fps", [])) >= 2, entity


@pytest.mark.parametrize(("entity", "case"), _cases("tps"))
def test_true_positive(entity: str, case: dict[str, str]) -> None:
    text = case["text"]
    found = [text[d.start : d.end] for d in detector_for(entity).detect(text) if d.entity_type == entity]
    assert found == [case["value"]]


@pytest.mark.parametrize(("entity", "case"), _cases("fps"))
def test_false_positive(entity: str, case: str) -> None:
    found = [case[d.start : d.end] for d in detector_for(entity).detect(case) if d.entity_type == entity]
    assert found == []


def test_detections_carry_type_rule_and_family() -> None:
    [d] = detector_for("US_NPI").detect("NPI 1234567893")
    assert (d.entity_type, d.rule_id, d.family) == ("US_NPI", "pii.us_npi", "pii")
    assert 0.5 <= d.score <= 1.0


@pytest.mark.parametrize(
    ("value", "ok"),
    [("1234567893", True), ("1794472658", True), ("1234567890", False), ("123456789", False)],
)
def test_npi_checksum(value: str, ok: bool) -> None:
    assert npi_checksum_ok(value) is ok


@pytest.mark.parametrize(("value", "ok"), [("AB1234563", True), ("BJ6125341", True), ("AB1234567", False)])
def test_dea_checksum(value: str, ok: bool) -> None:
    assert dea_checksum_ok(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("GB82WEST12345698765432", True),
        ("GB82 WEST 1234 5698 7654 32", True),
        ("DE89370400440532013000", True),
        ("DE89370400440532013001", False),  # mod-97 fails
        ("GB82WEST1234569876543", False),  # one character short for GB
        ("XX82WEST12345698765432", False),  # no such country
    ],
)
def test_iban_mod97(value: str, ok: bool) -> None:
    assert iban_ok(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("04/12/1985", True),
        ("12/31/1999", True),
        ("31.12.1999", True),
        ("1985-04-12", True),
        ("March 3, 1985", True),
        ("3 March 1985", True),
        ("13/45/1985", False),
        ("1985-13-01", False),
        ("March 40, 1985", False),
        ("01/01/1800", False),
    ],
)
def test_plausible_date(value: str, ok: bool) -> None:
    assert plausible_date(value) is ok


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("203.0.113.7", False),  # RFC 5737 documentation range
        ("2001:db8::1", False),  # RFC 3849 documentation range
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.0.5", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),  # noqa: S104
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("a::b", False),
        ("::ffff:10.0.0.1", False),
    ],
)
def test_public_ip_decision(address: str, public: bool) -> None:
    assert is_public(address) is public


def test_private_ips_are_reported_when_public_ip_only_is_off() -> None:
    detector = get_pii_detector(
        RedactionSettings(ner=False, pii_entities=["IP_ADDRESS"], public_ip_only=False)
    )
    text = "db at 10.0.0.1"
    assert [text[d.start : d.end] for d in detector.detect(text)] == ["10.0.0.1"]


def test_reserved_email_domains_are_kept_when_configured() -> None:
    text = "Docs use jane.doe@example.com, a@b.test and ops@mail.example; write to ana.lopez@acme.io."
    found = {}
    for keep in (True, False):
        detector = get_pii_detector(
            RedactionSettings(ner=False, pii_entities=["EMAIL_ADDRESS"], keep_reserved_email_domains=keep)
        )
        found[keep] = [text[d.start : d.end] for d in detector.detect(text)]
    assert found[True] == ["ana.lopez@acme.io"]
    assert found[False] == ["jane.doe@example.com", "ana.lopez@acme.io"]  # the default, for now


def test_aws_resource_ids_are_never_ids_of_people() -> None:
    detector = get_pii_detector(RedactionSettings(ner=False))
    text = "member id sg-7126943b0076c54e2, policy number subnet-0a1b2c3d, mrn ami-0123456789abcdef0"
    assert detector.detect(text) == []


def test_context_words_match_across_spelling_styles() -> None:
    for label in ("patient id", "patient_id", "patientId", "Patient-ID", "PATIENT ID"):
        text = f"{label}: 1234567"
        assert has_context(text, text.index("1234567"), ["patient id"]), label
    assert not has_context("charts: 1234567", 8, ["chart"])  # "charts" is not "chart"


def test_context_window_reaches_the_label_line_only_for_a_value_alone_on_its_line() -> None:
    text = "MRN:\n  00482913"
    assert "MRN" in context_window(text, text.index("0048"), 32)
    text = "mrn = lookup()\nx = 00482913"
    assert "mrn" not in context_window(text, text.index("0048"), 32)


def test_phone_regions_setting_limits_national_formats() -> None:
    text = "Ruf an: 030 12345678"
    de = get_pii_detector(RedactionSettings(ner=False, pii_entities=["PHONE_NUMBER"], phone_regions=["DE"]))
    us = get_pii_detector(RedactionSettings(ner=False, pii_entities=["PHONE_NUMBER"], phone_regions=["US"]))
    assert [text[d.start : d.end] for d in de.detect(text)] == ["030 12345678"]
    assert us.detect(text) == []


def test_unknown_entity_in_config_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown PII entity"):
        RedactionSettings(pii_entities=["PERSON", "SHOE_SIZE"])


def _all_found(text: str) -> set[tuple[str, str]]:
    detector = get_pii_detector(RedactionSettings(ner=False))
    return {(d.entity_type, text[d.start : d.end]) for d in detector.detect(text)}


def test_hl7_segments_split_by_carriage_returns() -> None:
    """The HL7 standard ends segments with `\\r`; every segment after the first still has named fields."""
    text = "MSH|^~\\&|LIS|LAB\rPID|1||5530718^^^HOSP^MR||Thorvaldsen^Ingrid||19570412|F\rOBX|1|NM|4548-4||6.1"
    text += "|%|||||F|||20240101||1234567893^Halvorsen^Erik\r"
    found = _all_found(text)
    assert ("MEDICAL_RECORD_NUMBER", "5530718") in found
    assert ("DATE_OF_BIRTH", "19570412") in found
    assert ("US_NPI", "1234567893") in found
    assert ("PERSON", "Thorvaldsen") in found


def test_camel_case_keys_count_as_context() -> None:
    text = '{"patientMrn": "5530718", "insuredDateOfBirth": "1957-04-12", '
    text += '"renderingProviderNPI": "1234567893"}'
    found = _all_found(text)
    assert found >= {
        ("MEDICAL_RECORD_NUMBER", "5530718"),
        ("DATE_OF_BIRTH", "1957-04-12"),
        ("US_NPI", "1234567893"),
    }
    assert has_context("x = {'patientMrn': ", len("x = {'patientMrn': "), ["mrn"])
    assert not has_context("stubborn ", len("stubborn "), ["born"])
