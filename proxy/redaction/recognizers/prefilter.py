"""Cheap facts about a text, computed once, that tell which recognizers cannot match it.

Presidio runs every recognizer it is given over the whole text. Most PII formats need something a
glance can rule out: digits (SSN, phone, card, NPI...), an `@` (email), or, for the weak formats that only
count next to a label (MRN, passport, licence...), one of their context words. The detector asks each
recognizer `could_match(facts)` and hands presidio only the entity types that can still match, so the
work skipped is work that could not have found anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cached_property, lru_cache

import regex as re

from proxy.redaction.recognizers.columns import Cells, has_positional_fields, table_cells

_TOKEN_START = re.compile(r"\s", re.REVERSE)  # the last whitespace before a position
_TOKEN_END = re.compile(r"\s")


class TextFacts:
    """Lazily computed, cached properties of one text."""

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
            known[length] = re.search(rf"\d{{{length}}}", self.text) is not None
        return bool(known[length])

    @cached_property
    def cells(self) -> Cells:
        """Table cells and the headers naming them (columns.py)."""
        return table_cells(self.text)

    @cached_property
    def has_records(self) -> bool:
        """Rows that name a person and hold ID-shaped values beside the name (records.py): their cells
        carry guessed headers ("dob", "mrn"), so no context word need be written in the text."""
        return any(c.columns == ("record",) for c in self.cells)

    @cached_property
    def structured(self) -> bool:
        """HL7 or X12 segments, FHIR `MR` identifiers: fields named by position or code, not by words in
        the text (columns.py)."""
        return has_positional_fields(self.text)

    def has_any(self, keywords: Iterable[str]) -> bool:
        """True when a (lower-case) keyword starts a word: "dl" in "dl#" or "DL_NO", not in "handle"."""
        return next(self.keyword_starts(keywords), None) is not None

    def keyword_starts(self, keywords: Iterable[str]) -> Iterator[int]:
        """Offsets where one of the (lower-case) keywords starts a word: not preceded by a letter, or at a
        camelCase hump."""
        lowered, text = self.lowered, self.text
        same = len(lowered) == len(text)  # str.lower() may lengthen a few characters (İ)
        for keyword in keywords:
            pos = lowered.find(keyword)
            while pos >= 0:
                if (
                    pos == 0
                    or not ("a" <= lowered[pos - 1] <= "z")
                    or (same and text[pos].isupper() and text[pos - 1].islower())  # camelCase: `patientMrn`
                ):
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


_current: ContextVar[TextFacts | None] = ContextVar("spp_text_facts", default=None)


def facts_for(text: str) -> TextFacts:
    """The facts of the text being analysed (shared by the prefilter and every recognizer of one
    analysis), or fresh ones for another text."""
    facts = _current.get()
    return facts if facts is not None and facts.text is text else TextFacts(text)


@contextmanager
def analysing(text: str) -> Iterator[TextFacts]:
    """Share one TextFacts for `text` during one analysis. Nothing outlives it: no prompt text is kept in
    a module-level cache once the analysis ends."""
    facts = TextFacts(text)
    token = _current.set(facts)
    try:
        yield facts
    finally:
        _current.reset(token)


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
