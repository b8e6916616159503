"""A presidio PatternRecognizer configured from class attributes, with our context and neighbourhood rules.

Subclasses declare, in presidio's style: ENTITY, NAME, PATTERNS, CONTEXT and optionally
CONTEXT_REQUIRED, CONTEXT_SCORE, CONTEXT_WINDOW, FLAGS; they may override `validate_result`
(checksums), `invalidate_result` (known-bad values) and `reject` (what surrounds the match).
"""

from __future__ import annotations

import bisect
from typing import ClassVar

import regex as re
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.redaction.recognizers.context import DEFAULT_CONTEXT_SCORE, DEFAULT_WINDOW, context_regex
from proxy.redaction.recognizers.prefilter import TextFacts, context_keywords, facts_for
from proxy.redaction.recognizers.reserved import in_aws_resource_id

# A match glued to a word, a dotted number or a path is a piece of something larger (a version, a hash,
# an identifier), not a value of its own.
# \Z, not $: `$` also matches before a trailing newline, which glued every value opening a line to the
# word ending the line above.
_EMBEDDED_BEFORE = re.compile(r"(?:[\w@$/\\]|(?<!\s)[.\-]|\d[.\-])\Z")
_EMBEDDED_AFTER = re.compile(r"^(?:\w|[.\-/][\w])")


def embedded(text: str, start: int, end: int) -> bool:
    """True when the span [start, end) continues a larger token on either side."""
    return bool(
        _EMBEDDED_BEFORE.search(text[max(0, start - 2) : start]) or _EMBEDDED_AFTER.match(text[end : end + 2])
    )


class ContextRules:
    """Context attributes read by WindowContextEnhancer; mixed into presidio recognizers we reuse."""

    CONTEXT: list[str] = []  # not a ClassVar: presidio's recognizers declare it plainly
    CONTEXT_REQUIRED: ClassVar[bool] = False
    CONTEXT_SCORE: ClassVar[float] = DEFAULT_CONTEXT_SCORE
    CONTEXT_WINDOW: ClassVar[int] = DEFAULT_WINDOW
    # Drop matches glued to surrounding word characters (see `embedded`).
    REJECT_EMBEDDED: ClassVar[bool] = True
    # Prefilter (prefilter.py): the longest run of digits any match needs, and characters of which one
    # must appear. A text that fails either is not handed to this recognizer at all.
    MIN_DIGIT_RUN: ClassVar[int] = 1
    NEEDS_ANY_CHAR: ClassVar[str] = ""

    def could_match(self, facts: TextFacts) -> bool:
        """False when a match is impossible: too few digits, a required character or context word absent."""
        if not facts.has_digit_run(self.MIN_DIGIT_RUN):
            return False
        if self.NEEDS_ANY_CHAR and not any(c in facts.text for c in self.NEEDS_ANY_CHAR):
            return False
        if self.CONTEXT_REQUIRED and not facts.structured:
            return facts.has_any(context_keywords(tuple(self.CONTEXT))) or facts.has_records
        return True

    @property
    def context_required(self) -> bool:
        return self.CONTEXT_REQUIRED

    @property
    def context_score(self) -> float:
        return self.CONTEXT_SCORE

    @property
    def context_window(self) -> int:
        return self.CONTEXT_WINDOW

    def reject(self, text: str, start: int, end: int) -> bool:
        """Neighbourhood check: True drops the match. The default drops matches inside larger tokens and
        AWS resource ids (`sg-…`, `subnet-…`: infrastructure, whatever ID shape their digits fit)."""
        return (self.REJECT_EMBEDDED and embedded(text, start, end)) or in_aws_resource_id(text, start, end)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None, *args: object
    ) -> list[RecognizerResult]:
        if self.CONTEXT_REQUIRED and isinstance(self, PatternRecognizer):
            # Only a match near a context word (or in a column it names) survives the enhancer, so only
            # those stretches of text are scanned.
            windows = context_windows(text, tuple(self.CONTEXT), self.CONTEXT_WINDOW)
            return analyze_windows(self, text, windows, entities, nlp_artifacts)
        results = super().analyze(text, entities, nlp_artifacts, *args)  # type: ignore[misc]
        return [r for r in results if not self.reject(text, r.start, r.end)]


_WINDOW_SLACK = 128  # room after the farthest possible start for the match itself
_WHITESPACE = re.compile(r"\s")


def context_windows(text: str, words: tuple[str, ...], size: int) -> list[tuple[int, int]]:
    """Stretches of `text` where a match could have context: from each context keyword to far enough
    after it (same line, next line, a phrase broken across lines), and every table cell whose header
    holds a context word. Sorted and merged."""
    facts = facts_for(text)
    if len(facts.lowered) != len(text):  # lower() changed the length (rare letters): offsets differ
        return [(0, len(text))]
    spans: list[tuple[int, int]] = []
    for pos in facts.keyword_starts(context_keywords(words)):
        end = min(len(text), pos + 2 * size + _WINDOW_SLACK)
        stop = _WHITESPACE.search(text, end, min(len(text), end + 64))
        spans.append((pos, stop.start() if stop else min(len(text), end + 64)))
    pattern = context_regex(words)
    if pattern is not None:
        for cell in facts.cells:
            if pattern.search(cell.header):
                spans.append((cell.start, cell.end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def analyze_windows(
    recognizer: ContextRules,
    text: str,
    windows: list[tuple[int, int]],
    entities: list[str],
    nlp_artifacts: NlpArtifacts | None,
) -> list[RecognizerResult]:
    """Run a presidio pattern recognizer on pieces of the text only (offsets mapped back), then `reject`.

    For formats that never span whitespace (emails, IP addresses) the pieces are the whitespace-free runs
    holding an anchor (`@`, a dotted or colon-separated number): same patterns, same results, a fraction
    of the scanning.
    """
    if not windows:
        return []
    # One presidio call over the pieces joined by newlines (no match crosses one), offsets mapped back.
    joined_starts: list[int] = []
    pos = 0
    for start, end in windows:
        joined_starts.append(pos)
        pos += end - start + 1
    joined = "\n".join(text[start:end] for start, end in windows)
    out: list[RecognizerResult] = []
    for r in PatternRecognizer.analyze(recognizer, joined, entities, nlp_artifacts):  # type: ignore[arg-type]
        i = bisect.bisect_right(joined_starts, r.start) - 1
        shift = windows[i][0] - joined_starts[i]
        r.start += shift
        r.end += shift
        if not recognizer.reject(text, r.start, r.end):
            out.append(r)
    return out


class SppPatternRecognizer(ContextRules, PatternRecognizer):
    ENTITY: ClassVar[str]
    NAME: ClassVar[str]
    PATTERNS: ClassVar[list[Pattern]]
    FLAGS: ClassVar[int] = re.MULTILINE  # case-sensitive unless a recognizer says otherwise

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name=self.NAME,
            supported_language="en",
            patterns=list(self.PATTERNS),
            context=list(self.CONTEXT),
            global_regex_flags=self.FLAGS,
        )


def make_result(
    recognizer: EntityRecognizer, entity: str, start: int, end: int, score: float
) -> RecognizerResult:
    """A result tagged with the recognizer's name and id (the context enhancer finds it by id)."""
    name: str = recognizer.name  # type: ignore[has-type]  # presidio leaves it unannotated
    return RecognizerResult(
        entity,
        start,
        end,
        score,
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
        },
    )


def luhn_ok(digits: str) -> bool:
    """The Luhn mod-10 check used by card numbers and (with the 80840 prefix) NPIs."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def only_digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


__all__ = [
    "ContextRules",
    "TextFacts",
    "EntityRecognizer",
    "Pattern",
    "SppPatternRecognizer",
    "embedded",
    "luhn_ok",
    "make_result",
    "only_digits",
]
