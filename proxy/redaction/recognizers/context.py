"""Context words read from the raw text around a match, so context works with or without a spaCy model.

Presidio's default enhancer compares lemmas of the five tokens before a match, which needs the NLP
pipeline over the whole prompt (code included) and only ever adds 0.35 to a score. Here a recognizer
declares its context words and how they count:

- `context` (presidio's attribute): words or phrases; case-insensitive, "patient id" also matches
  `patient_id`, `patientId`, `Patient-ID`.
- `context_required`: a match with no context word nearby is dropped (weak formats: MRN, NPI...).
- `context_score`: the score a match gets when a context word is near.
- `context_window`: how many characters before the match to look, on the same line (or on the line
  above when the match opens its line, as in a "DOB:" label followed by the value on the next line).
  A phrase broken by a line break ("chart\nnumber 5531209") counts when it ends on the match's line.
- a table header counts as a context word written before every value of its column (columns.py):
  `dob` above a CSV column, `mrn` in an SQL column list, PID-7 in an HL7 message.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.redaction.recognizers.columns import Cells
from proxy.redaction.recognizers.prefilter import facts_for

DEFAULT_WINDOW = 40
DEFAULT_CONTEXT_SCORE = 0.85


@lru_cache(maxsize=256)
def context_regex(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for a recognizer's context words; a phrase's words may be joined by space, _, - or ."""
    alternatives = []
    for word in sorted(words, key=len, reverse=True):
        parts = [re.escape(p) for p in word.strip().split()]
        if parts:
            alternatives.append(r"[\s_.\-]*".join(parts))
    if not alternatives:
        return None
    # Not preceded by a letter, unless a camelCase hump starts the word (`patientMrn`, `orderingNPI`); not
    # followed by a lower-case letter (so `mrnNumber` counts, `charts` not).
    return re.compile(
        r"(?:(?<![A-Za-z])|(?<=[a-z])(?-i:(?=[A-Z])))(?:" + "|".join(alternatives) + r")(?-i:(?![a-z]))",
        re.IGNORECASE,
    )


def context_window(text: str, start: int, size: int) -> str:
    """The text before `start` that may hold a context word for a match starting there."""
    line_start = text.rfind("\n", 0, start) + 1
    window_start = max(line_start, start - size)
    if not text[line_start:start].strip(" \t\"'`:=#,;([{-") and line_start > 0:
        prev_start = text.rfind("\n", 0, line_start - 1) + 1
        window_start = max(prev_start, start - size)
    return text[window_start:start]


def has_context(text: str, start: int, words: Sequence[str], size: int = DEFAULT_WINDOW) -> bool:
    pattern = context_regex(tuple(words))
    if pattern is None:
        return False
    if pattern.search(context_window(text, start, size)):
        return True
    return _phrase_across_line_break(text, start, size, pattern)


def _phrase_across_line_break(text: str, start: int, size: int, pattern: re.Pattern[str]) -> bool:
    """`her chart\nnumber is 5531209`: a context phrase that starts on the line above and ends on this one."""
    line_start = text.rfind("\n", 0, start) + 1
    if line_start == 0 or start - line_start >= size:
        return False
    prev_start = max(text.rfind("\n", 0, line_start - 1) + 1, start - 2 * size)
    return any(m.end() > line_start for m in pattern.finditer(text, prev_start, start))


def header_context(cells: Cells, start: int, end: int, words: Sequence[str]) -> bool:
    """True when the match is a table cell whose column header holds one of the context words."""
    header = cells.header_at(start, end)
    pattern = context_regex(tuple(words)) if header else None
    return bool(pattern and pattern.search(header))


class WindowContextEnhancer(ContextAwareEnhancer):
    """Raises the score of matches with a context word just before them; drops required-context misses."""

    def __init__(self) -> None:
        super().__init__(
            context_similarity_factor=0.35,
            min_score_with_context_similarity=DEFAULT_CONTEXT_SCORE,
            context_prefix_count=0,
            context_suffix_count=0,
        )

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        by_id = {r.id: r for r in recognizers}
        kept: list[RecognizerResult] = []
        cells: Cells | None = None
        for result in raw_results:
            meta = result.recognition_metadata or {}
            recognizer = by_id.get(meta.get(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY, ""))
            words = tuple(recognizer.context) if recognizer is not None and recognizer.context else ()
            if not words:
                kept.append(result)
                continue
            size = getattr(recognizer, "context_window", DEFAULT_WINDOW)
            found = has_context(text, result.start, words, size)
            if not found:
                cells = facts_for(text).cells if cells is None else cells
                found = header_context(cells, result.start, result.end, words)
            if found:
                target = getattr(recognizer, "context_score", DEFAULT_CONTEXT_SCORE)
                result.score = min(self.MAX_SCORE, max(result.score, target))
                meta[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
                kept.append(result)
            elif not getattr(recognizer, "context_required", False):
                kept.append(result)
        return kept
