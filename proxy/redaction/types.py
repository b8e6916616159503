"""The one type every detector returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Family = Literal["secret", "pii", "term"]


@dataclass(frozen=True, slots=True)
class Detection:
    """A sensitive span in a text. `entity_type` names the placeholder (e.g. SECRET_AWS_ACCESS_KEY, PERSON).

    Never log a Detection together with the text it points into; log type, rule id and span only.
    """

    start: int
    end: int
    entity_type: str
    rule_id: str
    family: Family
    score: float = 1.0
