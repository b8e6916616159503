"""A whitespace-insensitive fingerprint of a code block.

Provenance asks "did this code come from the LLM through us?" long after the answer was shown:
the code may have been re-indented, reflowed or had its line endings changed by an editor, so
all whitespace runs collapse to one space before hashing. The hash carries no code.

Window hashes (k consecutive significant lines, whitespace ignored) let `spp provenance` find a
returned block even after it was pasted into a larger file or partly edited.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

_WS = re.compile(r"\s+")


def normalize_code(code: str) -> str:
    """Collapse every whitespace run to a single space and trim the ends."""
    return _WS.sub(" ", code).strip()


def fingerprint(code: str) -> str:
    """sha256 (hex) of the normalized code; "" for blank code so empty blocks are never recorded."""
    norm = normalize_code(code)
    if not norm:
        return ""
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


WINDOW_LINES = 4
def normalise_lines(code: str) -> list[tuple[int, str]]:
    """(1-based line number, line without any whitespace) for every non-blank line."""
    out = []
    for i, line in enumerate(code.splitlines(), start=1):
        norm = _WS.sub("", line)
        if norm:
            out.append((i, norm))
    return out


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


def window_fingerprints(code: str, k: int = WINDOW_LINES) -> Iterator[tuple[str, int, int]]:
    """(hash, first line, last line) per window of k significant lines (one window if the code is shorter)."""
    lines = normalise_lines(code)
    if not lines:
        return
    if len(lines) <= k:
        yield _digest([text for _, text in lines]), lines[0][0], lines[-1][0]
        return
    for i in range(len(lines) - k + 1):
        window = lines[i:i + k]
        yield _digest([text for _, text in window]), window[0][0], window[-1][0]


def block_fingerprints(code: str) -> dict[str, Any] | None:
    """{"hash": fingerprint(code), "windows": [[hash, first, last], ...]} or None for blank code."""
    h = fingerprint(code)
    if not h:
        return None
    return {"hash": h, "windows": [[wh, a, b] for wh, a, b in window_fingerprints(code)]}
