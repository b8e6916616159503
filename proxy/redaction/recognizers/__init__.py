"""Our PII/PHI recognizers for presidio, one small class per format, built from RedactionSettings.

Every recognizer's true and false positives live in `examples.yaml` beside this file and run in
tests/redaction/test_recognizers.py.
"""

from __future__ import annotations

from collections.abc import Callable

from presidio_analyzer import EntityRecognizer

from proxy.redaction.config import RedactionSettings
from proxy.redaction.recognizers.address import StreetAddressRecognizer
from proxy.redaction.recognizers.context import WindowContextEnhancer
from proxy.redaction.recognizers.dob import DateOfBirthRecognizer
from proxy.redaction.recognizers.financial import IbanRecognizer, SppCreditCardRecognizer, SppUsBankRecognizer
from proxy.redaction.recognizers.government import (
    SppNhsRecognizer,
    SppUsLicenseRecognizer,
    SppUsPassportRecognizer,
    SppUsSsnRecognizer,
)
from proxy.redaction.recognizers.medical import (
    DeaNumberRecognizer,
    HealthPlanIdRecognizer,
    MedicalRecordNumberRecognizer,
    UsMbiRecognizer,
    UsNpiRecognizer,
)
from proxy.redaction.recognizers.network import SppEmailRecognizer, SppIpRecognizer
from proxy.redaction.recognizers.person import PersonNameRecognizer
from proxy.redaction.recognizers.phone import SppPhoneRecognizer
from proxy.redaction.recognizers.words import dictionary_for

# Entity type -> recognizer factory. PERSON also gets spaCy NER when a model loads (see pii.py).
FACTORIES: dict[str, Callable[[RedactionSettings], EntityRecognizer | None]] = {
    "PERSON": lambda s: PersonNameRecognizer(dictionary_for(s.ner_model)) if s.name_patterns else None,
    "EMAIL_ADDRESS": lambda s: SppEmailRecognizer(s.keep_reserved_email_domains),
    "PHONE_NUMBER": lambda s: SppPhoneRecognizer(s.phone_regions),
    "US_SSN": lambda s: SppUsSsnRecognizer(),
    "CREDIT_CARD": lambda s: SppCreditCardRecognizer(),
    "IBAN_CODE": lambda s: IbanRecognizer(),
    "IP_ADDRESS": lambda s: SppIpRecognizer(public_only=s.public_ip_only),
    "STREET_ADDRESS": lambda s: StreetAddressRecognizer(),
    "DATE_OF_BIRTH": lambda s: DateOfBirthRecognizer(),
    "MEDICAL_RECORD_NUMBER": lambda s: MedicalRecordNumberRecognizer(),
    "US_NPI": lambda s: UsNpiRecognizer(),
    "US_MBI": lambda s: UsMbiRecognizer(),
    "HEALTH_PLAN_ID": lambda s: HealthPlanIdRecognizer(),
    "DEA_NUMBER": lambda s: DeaNumberRecognizer(),
    "US_PASSPORT": lambda s: SppUsPassportRecognizer(),
    "US_DRIVER_LICENSE": lambda s: SppUsLicenseRecognizer(),
    "US_BANK_NUMBER": lambda s: SppUsBankRecognizer(),
    "UK_NHS": lambda s: SppNhsRecognizer(),
}


def build_recognizers(settings: RedactionSettings) -> list[EntityRecognizer]:
    """The pattern recognizers for the entity types `settings.pii_entities` asks for."""
    built = (FACTORIES[entity](settings) for entity in dict.fromkeys(settings.pii_entities))
    return [r for r in built if r is not None]


__all__ = ["FACTORIES", "WindowContextEnhancer", "build_recognizers"]
