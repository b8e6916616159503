"""PHI identifiers (HIPAA Safe Harbor): medical record numbers, NPIs, Medicare MBIs, plan IDs, DEA numbers.

Most of these formats are just "some digits", so they count only next to a context word; NPI and DEA
carry checksums, the MBI a strict per-position alphabet.
"""

from __future__ import annotations

import regex as re

from proxy.redaction.recognizers.base import Pattern, SppPatternRecognizer, luhn_ok, only_digits


class MedicalRecordNumberRecognizer(SppPatternRecognizer):
    """A 5-12 digit number (optionally with a short letter prefix) right after an MRN-style label."""

    ENTITY = "MEDICAL_RECORD_NUMBER"
    NAME = "mrn"
    MIN_DIGIT_RUN = 5
    PATTERNS = [Pattern("mrn", r"\b(?:[A-Z]{1,3}-?)?\d{5,12}\b", 0.3)]
    CONTEXT = [
        "mrn",
        "medical record",
        "medical record number",
        "med rec",
        "patient id",
        "patient number",
        "patient no",
        "patient #",
        "chart number",
        "chart no",
        "chart #",
        "chart id",
        "health record",
    ]
    CONTEXT_REQUIRED = True
    CONTEXT_SCORE = 0.9
    CONTEXT_WINDOW = 32

    def invalidate_result(self, pattern_text: str) -> bool:
        digits = only_digits(pattern_text)
        return len(set(digits)) == 1  # 000000, 99999: placeholders


def npi_checksum_ok(value: str) -> bool:
    digits = only_digits(value)
    return len(digits) == 10 and luhn_ok("80840" + digits)


class UsNpiRecognizer(SppPatternRecognizer):
    """National Provider Identifier: 10 digits starting 1 or 2, Luhn-valid with the 80840 prefix."""

    ENTITY = "US_NPI"
    NAME = "us_npi"
    MIN_DIGIT_RUN = 3
    PATTERNS = [
        Pattern("npi", r"\b[12]\d{9}\b", 0.4),
        Pattern("npi_grouped", r"\b[12]\d{3}[ -]\d{3}[ -]\d{3}\b", 0.4),
    ]
    CONTEXT = [
        "npi",
        "national provider",
        "provider id",
        "provider number",
        "provider identifier",
        "prescriber",
        # The role of the clinician an NPI names; the checksum keeps other 10-digit numbers out.
        "ordering",
        "ordered by",
        "referring",
        "rendering",
        "attending",
        "prescribing",
        "physician",
        "practitioner",
    ]
    CONTEXT_REQUIRED = True
    CONTEXT_SCORE = 0.95

    def validate_result(self, pattern_text: str) -> bool:
        return npi_checksum_ok(pattern_text)

    def invalidate_result(self, pattern_text: str) -> bool:
        return len(set(only_digits(pattern_text)[:-1])) == 1


_MBI_ALPHA = "ACDEFGHJKMNPQRTUVWXY"  # A-Z without S, L, O, I, B, Z
_A = f"[{_MBI_ALPHA}]"
_AN = f"[0-9{_MBI_ALPHA}]"
_MBI_PLAIN = f"[1-9]{_A}{_AN}[0-9]{_A}{_AN}[0-9]{_A}{_A}[0-9][0-9]"
_MBI_DASHED = f"[1-9]{_A}{_AN}[0-9]-{_A}{_AN}[0-9]-{_A}{_A}[0-9][0-9]"


class UsMbiRecognizer(SppPatternRecognizer):
    """Medicare Beneficiary Identifier: 11 characters, CMS position rules (digit 1-9, no S/L/O/I/B/Z...)."""

    ENTITY = "US_MBI"
    NAME = "us_mbi"
    PATTERNS = [
        Pattern("mbi_dashed", rf"\b{_MBI_DASHED}\b", 0.6),
        Pattern("mbi", rf"\b{_MBI_PLAIN}\b", 0.4),
    ]
    CONTEXT = ["mbi", "medicare", "beneficiary", "medicare id", "medicare number", "hicn"]
    CONTEXT_SCORE = 0.95


class HealthPlanIdRecognizer(SppPatternRecognizer):
    """Member / subscriber / policy / group numbers: an ID-shaped token right after such a label."""

    ENTITY = "HEALTH_PLAN_ID"
    NAME = "health_plan_id"
    # 6-20 letters/digits/dashes with at least 4 digits, starting and ending with a letter or digit.
    PATTERNS = [Pattern("plan_id", r"\b(?=(?:[A-Z\-]*\d){4})[A-Z0-9][A-Z0-9\-]{4,18}[A-Z0-9]\b", 0.3)]
    CONTEXT = [
        "member id",
        "member number",
        "member no",
        "member #",
        "subscriber id",
        "subscriber number",
        "subscriber no",
        "subscriber #",
        "policy number",
        "policy no",
        "policy #",
        "policy id",
        "group number",
        "group no",
        "group #",
        "group id",
        "health plan id",
        "health plan number",
        "plan id",
        "insurance id",
        "insurance number",
        "insurance member",
        "beneficiary id",
        "medicaid id",
        "medicaid number",
    ]
    CONTEXT_REQUIRED = True
    CONTEXT_SCORE = 0.85
    CONTEXT_WINDOW = 28
    FLAGS = re.MULTILINE | re.IGNORECASE


_DEA_REGISTRANT = "ABCDEFGHJKLMPRSTUX"


def dea_checksum_ok(value: str) -> bool:
    """(d1+d3+d5) + 2*(d2+d4+d6): its last digit equals d7."""
    d = [int(c) for c in value[2:9]]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


class DeaNumberRecognizer(SppPatternRecognizer):
    """DEA registration number: registrant-type letter, letter (or 9), 7 digits with a checksum."""

    ENTITY = "DEA_NUMBER"
    NAME = "dea_number"
    MIN_DIGIT_RUN = 7
    PATTERNS = [Pattern("dea", rf"\b[{_DEA_REGISTRANT}][A-Z9]\d{{7}}\b", 0.55)]
    CONTEXT = [
        "dea",
        "dea number",
        "dea no",
        "dea #",
        "dea registration",
        "registration number",
        "prescriber",
    ]
    CONTEXT_SCORE = 1.0

    def validate_result(self, pattern_text: str) -> bool | None:
        # True would lift the score to 1.0 everywhere; a checksum passes 1 in 10 random tokens, so a
        # passing one keeps its base score and needs context to rise.
        return None if dea_checksum_ok(pattern_text) else False

    def invalidate_result(self, pattern_text: str) -> bool:
        return len(set(pattern_text[2:8])) == 1
