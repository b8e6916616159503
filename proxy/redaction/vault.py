"""Placeholders: typed, numbered and stable for one request (`<PERSON_1>`, `<SECRET_AWS_ACCESS_KEY_1>`).

The same value always maps to the same placeholder in every message of a request, and numbering
follows the order of appearance, so a re-sent conversation produces byte-identical redacted text
(provider prompt caching keeps working). Values live only in this object, never in logs or records.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import re2

from proxy.redaction.types import Family

PLACEHOLDER = re.compile(r"<([A-Z][A-Z0-9_]*?)_(\d{1,4})>")
MAX_PLACEHOLDER_LEN = 64
MIN_PROPAGATE_LEN = 3  # shorter values would hide ordinary words


@dataclass
class Vault:
    by_value: dict[tuple[str, str], str] = field(default_factory=dict)
    by_placeholder: dict[str, tuple[str, Family]] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    first_kind: dict[str, tuple[str, Family]] = field(default_factory=dict)

    def placeholder_for(self, value: str, entity_type: str, family: Family) -> str:
        key = (entity_type, value)
        found = self.by_value.get(key)
        if found is not None:
            return found
        n = self.counters.get(entity_type, 0) + 1
        self.counters[entity_type] = n
        ph = f"<{entity_type[:MAX_PLACEHOLDER_LEN - 8]}_{n}>"
        self.by_value[key] = ph
        self.by_placeholder[ph] = (value, family)
        self.first_kind.setdefault(value, (entity_type, family))
        return ph

    def kind_of(self, value: str) -> tuple[str, Family]:
        """The entity type and family a known value was first stored under."""
        return self.first_kind[value]

    def value_pattern(self) -> KnownValues | None:
        """A matcher for every stored value (longest first, on word boundaries), or None."""
        values = sorted({v for _, v in self.by_value if len(v) >= MIN_PROPAGATE_LEN}, key=len, reverse=True)
        return KnownValues(values) if values else None

    def __bool__(self) -> bool:
        return bool(self.by_placeholder)

    def longest(self) -> int:
        return max((len(p) for p in self.by_placeholder), default=0)

    def restore(self, text: str, families: frozenset[str], json_escape: bool = False) -> str:
        """Swap placeholders of the given families back to their values (others stay placeholders)."""
        if "<" not in text or not self.by_placeholder:
            return text

        def sub(m: re.Match[str]) -> str:
            hit = self.by_placeholder.get(m.group(0))
            if hit is None or hit[1] not in families:
                return m.group(0)
            value = hit[0]
            if json_escape:
                import json

                value = json.dumps(value, ensure_ascii=False)[1:-1]
            return value

        return PLACEHOLDER.sub(sub, text)


class KnownValues:
    """Finds stored values in a text in linear time (one RE2 alternation; word boundaries checked here,
    since RE2 has no lookbehind). Values are tried longest first at each position."""

    def __init__(self, values: list[str]) -> None:
        options = re2.Options()
        options.max_mem = 256 << 20  # a large alternation needs DFA memory; without it RE2 falls back to NFA
        self._re = re2.compile("|".join(re2.escape(v) for v in values), options)

    def finditer(self, text: str) -> Iterator[tuple[int, int, str]]:
        for m in self._re.finditer(text):
            start, end = m.start(), m.end()
            value = m.group(0)
            if _is_word(value[0]) and start > 0 and _is_word(text[start - 1]):
                continue
            if _is_word(value[-1]) and end < len(text) and _is_word(text[end]):
                continue
            yield start, end, value


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def partial_placeholder_tail(text: str, longest: int) -> int:
    """How many trailing characters could be the start of a placeholder cut by a chunk boundary."""
    start = text.rfind("<", max(0, len(text) - longest))
    if start < 0:
        return 0
    tail = text[start:]
    if ">" in tail:
        return 0
    if re.fullmatch(r"<[A-Z0-9_]*", tail):
        return len(tail)
    return 0
