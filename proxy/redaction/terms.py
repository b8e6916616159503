"""Team terms: words a team always redacts (`deny_terms`) or never redacts (`allow_terms`).

Deny terms are internal host names, code names and customer names that no pattern can know about:
matched case-insensitively as whole words, they become `CUSTOM_TERM` detections (family "term").
Allow terms are values a team has decided are not sensitive (the company's public name, a product):
any detection whose text equals one, ignoring case and surrounding space, is dropped.

Deny terms are a detector of their own (`TermMatcher(deny_terms).detect`, run by the redaction stage
beside the secret and PII detectors, so they work with `pii: false`). PiiDetector applies allow terms
to its own findings; `drop_allowed` lets a caller apply them to any detector's findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from proxy.redaction.types import Detection

CUSTOM_TERM = "CUSTOM_TERM"


def _key(value: str) -> str:
    return " ".join(value.split()).casefold()


class TermMatcher:
    def __init__(self, deny_terms: Sequence[str] = (), allow_terms: Sequence[str] = ()) -> None:
        deny = sorted({t.strip() for t in deny_terms if t.strip()}, key=len, reverse=True)
        # Whole word: not glued to a letter, digit or underscore on either side. Inner spaces match any run
        # of whitespace, so a term broken across a line still counts.
        alternatives = [r"\s+".join(re.escape(part) for part in term.split()) for term in deny]
        self._deny = (
            re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)
            if alternatives
            else None
        )
        self._allow = frozenset(_key(t) for t in allow_terms if t.strip())

    @property
    def has_deny_terms(self) -> bool:
        return self._deny is not None

    def find_denied(self, text: str) -> list[Detection]:
        """Every whole-word occurrence of a deny term, as CUSTOM_TERM detections."""
        if self._deny is None:
            return []
        return [
            Detection(m.start(), m.end(), CUSTOM_TERM, "term.deny", "term", 1.0)
            for m in self._deny.finditer(text)
        ]

    detect = find_denied  # the detector interface: text -> list[Detection]

    def is_allowed(self, value: str) -> bool:
        return bool(self._allow) and _key(value) in self._allow

    def drop_allowed(self, text: str, detections: Iterable[Detection]) -> list[Detection]:
        """Detections minus those whose text is an allow term (deny-term detections are always kept)."""
        return [d for d in detections if d.family == "term" or not self.is_allowed(text[d.start : d.end])]
