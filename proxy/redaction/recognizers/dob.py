"""Dates of birth: a plausible calendar date right after DOB / born / date of birth.

A bare date is not PII (release dates, log timestamps); a birth date is a HIPAA identifier.
"""

from __future__ import annotations

import regex as re

from proxy.redaction.recognizers.base import Pattern, SppPatternRecognizer

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DAY_SUFFIX = r"(?:st|nd|rd|th)?"
_WORDS = re.compile(r"[A-Za-z]+")
_NUMBERS = re.compile(r"\d+")


class DateOfBirthRecognizer(SppPatternRecognizer):
    ENTITY = "DATE_OF_BIRTH"
    NAME = "date_of_birth"
    MIN_DIGIT_RUN = 2
    PATTERNS = [
        Pattern("dob_numeric", r"\b\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})\b", 0.3),
        Pattern("dob_iso", r"\b\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}\b", 0.3),
        # HL7 / EDI style YYYYMMDD (PID-7 "19511013"); like every form here it needs a birth-date label.
        Pattern("dob_compact", r"\b(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\b", 0.3),
        Pattern("dob_month_first", rf"\b{_MONTH}\.?\s+\d{{1,2}}{_DAY_SUFFIX},?\s+\d{{4}}\b", 0.3),
        Pattern("dob_day_first", rf"\b\d{{1,2}}{_DAY_SUFFIX}\s+(?:of\s+)?{_MONTH}\.?,?\s+\d{{4}}\b", 0.3),
    ]
    CONTEXT = [
        "dob",
        "d.o.b",
        "date of birth",
        "birth date",
        "birthdate",
        "birthday",
        "born",
        "born on",
        "date born",
        "geburtsdatum",
        "fecha de nacimiento",
        "né le",
        "née le",
    ]
    CONTEXT_REQUIRED = True
    CONTEXT_SCORE = 0.9
    CONTEXT_WINDOW = 48  # `date_of_birth=date.fromisoformat("1985-04-12")`
    FLAGS = re.MULTILINE | re.IGNORECASE

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if plausible_date(pattern_text) else False


def plausible_date(text: str) -> bool:
    """Month 1-12, day 1-31 and a year 1900-2099 (two-digit years pass), in any common order."""
    words = _WORDS.findall(text)
    if len(text) == 8 and text.isdigit():  # YYYYMMDD
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    nums = [int(n) for n in _NUMBERS.findall(text)]
    month_word = next((_MONTHS[w[:3].lower()] for w in words if w[:3].lower() in _MONTHS), None)
    if month_word is not None:
        if len(nums) != 2:
            return False
        day, year = (nums[0], nums[1]) if nums[1] >= 100 else (nums[1], nums[0])
        return 1 <= day <= 31 and 1900 <= year <= 2099
    if len(nums) != 3:
        return False
    first, second, third = nums
    if first >= 1000:  # ISO: year-month-day
        return 1900 <= first <= 2099 and 1 <= second <= 12 and 1 <= third <= 31
    year_ok = 1900 <= third <= 2099 or third < 100
    # US month/day or European day/month: either order may be the valid one.
    return year_ok and ((1 <= first <= 12 and 1 <= second <= 31) or (1 <= second <= 12 and 1 <= first <= 31))
