"""Government IDs: US SSN (presidio's invalid-range checks), US passport and driver's licence, UK NHS.

Passport, licence and NHS formats are "some digits" (an NHS number passes its mod-11 check one time in
eleven), so they count only right after a label that names them.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer.predefined_recognizers import (
    NhsRecognizer,
    UsLicenseRecognizer,
    UsPassportRecognizer,
    UsSsnRecognizer,
)

from proxy.redaction.recognizers.base import ContextRules, Pattern, only_digits


class SppUsSsnRecognizer(ContextRules, UsSsnRecognizer):
    """123-45-6789 on its own; spaced, dotted or unseparated forms only after an SSN label."""

    MIN_DIGIT_RUN = 3

    CONTEXT = ["ssn", "ssns", "social security", "social security number", "ss#", "ss #", "ssa", "tin"]
    CONTEXT_SCORE = 0.9
    PATTERNS = [
        Pattern("ssn_dashed", r"\b\d{3}-\d{2}-\d{4}\b", 0.6),
        Pattern("ssn_spaced", r"\b\d{3}[ .]\d{2}[ .]\d{4}\b", 0.4),
        Pattern("ssn_plain", r"\b\d{9}\b", 0.2),
    ]

    def __init__(self) -> None:
        super().__init__(patterns=list(self.PATTERNS), context=list(self.CONTEXT), name="us_ssn")
        self.global_regex_flags = re.MULTILINE

    def invalidate_result(self, pattern_text: str) -> bool:
        if super().invalidate_result(pattern_text):
            return True
        return only_digits(pattern_text)[0] == "9"  # 900-999: ITINs and never-issued areas


class SppUsPassportRecognizer(ContextRules, UsPassportRecognizer):
    MIN_DIGIT_RUN = 8
    CONTEXT = ["passport", "passport number", "passport no", "passport #"]
    CONTEXT_REQUIRED = True
    CONTEXT_WINDOW = 32

    def __init__(self) -> None:
        super().__init__(context=list(self.CONTEXT), name="us_passport")
        self.global_regex_flags = re.MULTILINE


class SppUsLicenseRecognizer(ContextRules, UsLicenseRecognizer):
    CONTEXT = [
        "driver's license",
        "drivers license",
        "driver license",
        "driver's licence",
        "driving licence",
        "driving license",
        "license number",
        "licence number",
        "license no",
        "license #",
        "dl",
        "dl#",
        "dln",
    ]
    CONTEXT_REQUIRED = True
    CONTEXT_WINDOW = 32

    def __init__(self) -> None:
        super().__init__(context=list(self.CONTEXT), name="us_driver_license")
        self.global_regex_flags = re.MULTILINE


class SppNhsRecognizer(ContextRules, NhsRecognizer):
    MIN_DIGIT_RUN = 3
    CONTEXT = ["nhs", "nhs number", "nhs no", "national health service"]
    CONTEXT_REQUIRED = True
    CONTEXT_WINDOW = 32

    def __init__(self) -> None:
        super().__init__(context=list(self.CONTEXT), name="uk_nhs")
