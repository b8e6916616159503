"""Cheap facts about a text, computed once, that tell which recognizers cannot match it.

Presidio runs every recognizer it is given over the whole text. Most PII formats need something a
glance can rule out: digits (SSN, phone, card, NPI...), an `@` (email), or, for the weak formats that only
count next to a label (MRN, passport, licence...), one of their context words. The detector asks each
recognizer `could_match(facts)` and hands presidio only the entity types that can still match, so the
work skipped is work that could not have found anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property, lru_cache

import regex as re

from proxy.redaction.recognizers.columns import has_hl7

_TOKEN_START = re.compile(r"\s", re.REVERSE)  # the last whitespace before a position
_TOKEN_END = re.compile(r"\s")


class TextFacts:
    """Lazily computed, cached properties of one text."""

    __slots__ = ("__dict__", "text")

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def lowered(self) -> str:
        return self.text.lower()

    def has_digit_run(self, length: int) -> bool:
        """True when `length` digits follow each other somewhere in the text (0: always)."""
        if length <= 0:
            return True
        known = self.__dict__.setdefault("_digit_runs", {})
        if length not in known:
            known[length] = re.search(r"\d{%d}" % length, self.text) is not None
        return bool(known[length])

    @cached_property
    def structured(self) -> bool:
        """An HL7 message: its fields are named by position, not by words in the text (columns.py)."""
        return has_hl7(self.text)

    def has_any(self, keywords: Iterable[str]) -> bool:
        """True when one of the (lower-case) keywords starts a word: "dl" in "dl#" or "DL_NO", not "handle"."""
        return next(self.keyword_starts(keywords), None) is not None

    def keyword_starts(self, keywords: Iterable[str]) -> Iterator[int]:
        """Offsets where one of the (lower-case) keywords starts, not preceded by a letter."""
        lowered = self.lowered
        for keyword in keywords:
            pos = lowered.find(keyword)
            while pos >= 0:
                if pos == 0 or not ("a" <= lowered[pos - 1] <= "z"):
                    yield pos
                pos = lowered.find(keyword, pos + 1)

    def tokens_with(self, anchor: re.Pattern[str]) -> list[tuple[int, int]]:
        """(start, end) of each whitespace-free run holding a match of `anchor` (emails and IP addresses
        never contain a space), in order, each once."""
        text = self.text
        spans: list[tuple[int, int]] = []
        for m in anchor.finditer(text):
            if spans and m.start() < spans[-1][1]:
                continue
            start = _TOKEN_START.search(text, 0, m.start())
            end = _TOKEN_END.search(text, m.end())
            spans.append((start.end() if start else 0, end.start() if end else len(text)))
        return spans


@lru_cache(maxsize=8)
def facts_for(text: str) -> TextFacts:
    """The facts of a text, shared by the detector's prefilter and the recognizers of one analysis."""
    return TextFacts(text)


@lru_cache(maxsize=256)
def context_keywords(words: Sequence[str]) -> tuple[str, ...]:
    """One necessary word start per context phrase: its first word, lower-cased.

    Every spelling the context regex accepts ("patient id", "patient_id", "patientId") starts with the
    phrase's first word, not preceded by a letter, so a text without any of them has no context word.
    """
    out = []
    for phrase in words:
        parts = phrase.lower().split()
        if parts:
            out.append(parts[0])
    return tuple(dict.fromkeys(out))
