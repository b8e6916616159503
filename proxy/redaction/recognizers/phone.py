"""Phone numbers via python-phonenumbers, without versions, ports, dates, timestamps or hex.

phonenumbers scans the whole text once per region in Python; here a cheap regex finds the few
digit runs that could be phone numbers and only those are handed to it.
"""

from __future__ import annotations

from collections.abc import Sequence

import phonenumbers
import regex as re
from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

from proxy.redaction.recognizers.base import ContextRules, embedded, make_result
from proxy.redaction.recognizers.context import has_context
from proxy.redaction.recognizers.reserved import fictional_phone

# Digit runs of 7+ digits with phone separators, optionally "+" or "(" first.
_CANDIDATE = re.compile(r"(?:\+|\(\s*)?\d[\d ().\-/]{5,22}\d")  # no tab: it separates fields, not digit groups
_DATE_LIKE = re.compile(r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})")
_GROUP = re.compile(r"\d+")
_SINGLE_DIGIT_GROUP = re.compile(r"(?<!\d)\d(?!\d)")
# Each candidate is one short digit run, so a few parse attempts suffice; the default (65535) lets a
# matrix printout such as "0 1 0 1 1 0 ..." cost seconds.
_MAX_TRIES = 8
_IPV4_OR_CIDR = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?(?![\d.])")  # 192.168.0.0/16
# 123-45-6789 (an SSN) and 4111 1111 1111 1111 / 3782 822463 10005 (cards) are never phone numbers.
_NOT_A_PHONE = re.compile(r"\d{3}-\d{2}-\d{4}|\d{4}([ \-])\d{4}\1\d{4}\1\d{4}|\d{4} \d{6} \d{5}")
# National Drug Codes: 5-4-2 (11-digit billing form), 4-4-2, 5-3-2 and 5-4-1 dash-joined groups. A phone
# number never ends in a group of one or two digits.
_NDC = re.compile(r"\d{4,5}-\d{3,4}-\d{1,2}")
_FORMATTED = re.compile(r"^\+|\(\d{2,4}\)|\d[ \t.\-]\d")


class SppPhoneRecognizer(ContextRules, PhoneRecognizer):
    """Formatted numbers count alone (0.6, "+" 0.7); a bare digit run needs a context word."""

    MIN_DIGIT_RUN = 2

    CONTEXT = [
        "phone",
        "telephone",
        "tel",
        "cell",
        "cellphone",
        "mobile",
        "call",
        "fax",
        "sms",
        "text me",
        "whatsapp",
        "contact",
        "reach",
        "ph",
    ]

    def __init__(self, regions: Sequence[str] = ("US",)) -> None:
        super().__init__(context=list(self.CONTEXT), supported_regions=tuple(regions), name="phone_number")

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None, *args: object
    ) -> list[RecognizerResult]:
        found: dict[tuple[int, int], float] = {}
        for cand in _CANDIDATE.finditer(text):
            base = cand.start()
            chunk = cand.group()
            digits = sum(c.isdigit() for c in chunk)
            if (
                digits < 7
                or digits > 17
                or _DATE_LIKE.fullmatch(chunk.strip())
                or embedded(text, *cand.span())
                or len(_SINGLE_DIGIT_GROUP.findall(chunk)) > 2
                or len(_GROUP.findall(chunk)) > 6
                or _IPV4_OR_CIDR.search(chunk)
                or _NOT_A_PHONE.fullmatch(chunk)
                or _NDC.fullmatch(chunk.strip())
                or _dotted_version(chunk)
            ):
                # Too short or long for a phone number, a bare date, the tail of a UUID or hash, a run of
                # short digit groups (a matrix printout, not "+1 415 555 0132"), an IP address, an SSN,
                # a card number or a version: phonenumbers would parse it in every region for nothing.
                continue
            bare = not _FORMATTED.search(chunk)
            if bare and not has_context(text, base, self.CONTEXT, self.CONTEXT_WINDOW):
                continue  # a bare digit run scores 0.3; only a context word could lift it: skip the parse
            for offset, length in _parse(chunk, self.supported_regions, self.leniency or 1):
                start, end = base + offset, base + offset + length
                raw = text[start:end]
                if (
                    self.reject(text, start, end)
                    or _DATE_LIKE.match(raw)
                    or _NDC.fullmatch(raw)
                    or _dotted_version(raw)
                    or fictional_phone(raw)  # 555-0100…0199: reserved for fiction
                ):
                    continue
                score = 0.7 if raw.startswith("+") else 0.6 if _FORMATTED.search(raw) else 0.3
                found[(start, end)] = max(score, found.get((start, end), 0.0))
        entity = self.supported_entities[0]
        return [make_result(self, entity, s, e, score) for (s, e), score in sorted(found.items())]


def _parse(chunk: str, regions: tuple[str, ...], leniency: int) -> tuple[tuple[int, int], ...]:
    """Phone numbers phonenumbers finds in one candidate, as (offset, length).

    "+44 20 ..." parses the same whatever the region: one pass is enough. A national number is tried
    region by region and the first region that reads it wins (they agree on where it starts and ends).
    """
    for region in regions[:1] if chunk.startswith("+") else regions:
        spans = tuple(
            (m.start, m.end - m.start)
            for m in phonenumbers.PhoneNumberMatcher(chunk, region, leniency=leniency, max_tries=_MAX_TRIES)
        )
        if spans:
            return spans
    return ()


def _dotted_version(raw: str) -> bool:
    """Dots-only numbers that are versions, decimals or IPv4 addresses, not 415.555.0132-style phones."""
    if "." not in raw or set(raw) - set("0123456789."):
        return False
    groups = raw.split(".")
    if len(groups) < 3 or any(len(g) == 1 for g in groups):
        return True  # 16.9202, 1.2.3
    return len(groups) == 4 and all(len(g) <= 3 and int(g) <= 255 for g in groups)  # 169.254.169.254
