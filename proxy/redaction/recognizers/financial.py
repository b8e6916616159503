"""Card numbers (Luhn), IBANs (ISO 13616 mod-97 and per-country layout) and US bank account numbers."""

from __future__ import annotations

import string

import regex as re
from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import CreditCardRecognizer, UsBankRecognizer
from presidio_analyzer.predefined_recognizers.generic.iban_patterns import regex_per_country

from proxy.redaction.recognizers.base import (
    ContextRules,
    Pattern,
    SppPatternRecognizer,
    make_result,
    only_digits,
)


class SppCreditCardRecognizer(ContextRules, CreditCardRecognizer):
    """Presidio's card pattern and Luhn check (a passing number scores 1.0), minus degenerate numbers."""

    MIN_DIGIT_RUN = 4
    CONTEXT = ["credit", "card", "visa", "mastercard", "amex", "discover", "cc", "pan", "cardholder"]

    def __init__(self) -> None:
        super().__init__(context=list(self.CONTEXT), name="credit_card")

    def invalidate_result(self, pattern_text: str) -> bool:
        return len(set(only_digits(pattern_text))) == 1


_IBAN_SHAPE = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}")
_IBAN_VALUES = {ord(c): str(i) for i, c in enumerate(string.digits + string.ascii_uppercase)}


def iban_ok(value: str) -> bool:
    """Mod-97 of the rearranged number is 1, and the country's length/layout fits."""
    compact = value.replace(" ", "").replace("-", "")
    if not _IBAN_SHAPE.fullmatch(compact):
        return False
    layout = regex_per_country.get(compact[:2])
    if layout is None or not re.fullmatch(layout, compact):
        return False
    return int((compact[4:] + compact[:4]).translate(_IBAN_VALUES)) % 97 == 1


_IBAN_CANDIDATE = re.compile(r"\b[A-Z]{2}\d{2}(?:[ \-]?[A-Z0-9]{4}){2,7}(?:[ \-]?[A-Z0-9]{1,3})?\b")


class IbanRecognizer(SppPatternRecognizer):
    """IBAN, compact or in groups of four. A trailing number group that breaks the checksum is trimmed."""

    ENTITY = "IBAN_CODE"
    NAME = "iban"
    MIN_DIGIT_RUN = 2
    PATTERNS = [Pattern("iban", _IBAN_CANDIDATE.pattern, 0.5)]
    CONTEXT = ["iban", "bank", "account", "transfer", "sepa"]

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None, *args: object
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        for m in _IBAN_CANDIDATE.finditer(text):
            start, end = m.span()
            while end > start:
                if iban_ok(text[start:end]) and not self.reject(text, start, end):
                    results.append(make_result(self, self.ENTITY, start, end, 1.0))
                    break
                cut = max(text.rfind(" ", start, end), text.rfind("-", start, end))
                if cut <= start:
                    break
                end = cut
        return results


class SppUsBankRecognizer(ContextRules, UsBankRecognizer):
    """8-17 digits, only right after an account-number label (a bare number is anything)."""

    MIN_DIGIT_RUN = 8

    CONTEXT = [
        "account number",
        "account no",
        "account #",
        "acct",
        "acct no",
        "acct #",
        "bank account",
        "checking account",
        "savings account",
        "account num",
    ]
    CONTEXT_REQUIRED = True
    CONTEXT_WINDOW = 28

    def __init__(self) -> None:
        super().__init__(context=list(self.CONTEXT), name="us_bank_number")
