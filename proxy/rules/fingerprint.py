"""Normalised fingerprints of code, so code the proxy returned can be recognised later in a repository.

Whitespace and blank lines are ignored, so re-indentation or reformatting of line breaks around the
code does not hide its origin. Window hashes (k consecutive significant lines) find a returned block
even when it was pasted into a larger file or partly edited.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

WINDOW_LINES = 4
_WS = re.compile(r"\s+")


def normalise_lines(code: str) -> list[tuple[int, str]]:
    """(1-based line number, line without whitespace) for every non-blank line."""
    out = []
    for i, line in enumerate(code.splitlines(), start=1):
        norm = _WS.sub("", line)
        if norm:
            out.append((i, norm))
    return out


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


def fingerprint(code: str) -> str:
    """One hash for a whole block."""
    return _digest([line for _, line in normalise_lines(code)])


def window_fingerprints(code: str, k: int = WINDOW_LINES) -> Iterator[tuple[str, int, int]]:
    """(hash, first line, last line) for each window of k significant lines (the whole block if shorter)."""
    lines = normalise_lines(code)
    if not lines:
        return
    if len(lines) <= k:
        yield _digest([text for _, text in lines]), lines[0][0], lines[-1][0]
        return
    for i in range(len(lines) - k + 1):
        window = lines[i:i + k]
        yield _digest([text for _, text in window]), window[0][0], window[-1][0]
