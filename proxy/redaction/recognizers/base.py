"""A presidio PatternRecognizer configured from class attributes, with our context and neighbourhood rules.

Subclasses declare, in presidio's style: ENTITY, NAME, PATTERNS, CONTEXT and optionally
CONTEXT_REQUIRED, CONTEXT_SCORE, CONTEXT_WINDOW, FLAGS; they may override `validate_result`
(checksums), `invalidate_result` (known-bad values) and `reject` (what surrounds the match).
"""

from __future__ import annotations

from typing import ClassVar

import regex as re
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.redaction.recognizers.context import DEFAULT_CONTEXT_SCORE, DEFAULT_WINDOW

# A match glued to a word, a dotted number or a path is a piece of something larger (a version, a hash,
# an identifier), not a value of its own.
_EMBEDDED_BEFORE = re.compile(r"(?:[\w@$/\\]|(?<!\s)[.\-]|\d[.\-])\Z")  # \Z: `$` also matches before a newline
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
        """Neighbourhood check: True drops the match. The default drops matches inside larger tokens."""
        return self.REJECT_EMBEDDED and embedded(text, start, end)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None, *args: object
    ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts, *args)  # type: ignore[misc]
        return [r for r in results if not self.reject(text, r.start, r.end)]


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
    "EntityRecognizer",
    "Pattern",
    "SppPatternRecognizer",
    "embedded",
    "luhn_ok",
    "make_result",
    "only_digits",
]
