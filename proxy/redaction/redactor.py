"""Combining detectors into one decision per span: which detections count, what action each gets,
and the redacted text. Secrets win over PII on overlap; a longer span wins over a shorter one."""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable
from dataclasses import dataclass

from proxy.redaction.config import Action, RedactionSettings
from proxy.redaction.types import Detection
from proxy.redaction.vault import PLACEHOLDER, KnownValues, Vault

_FAMILY_KEY = {"secret": "SECRET", "pii": "PII", "term": "CUSTOM_TERM"}
_FAMILY_RANK = {"secret": 0, "term": 1, "pii": 2}


class SensitiveDataBlocked(Exception):  # noqa: N818
    def __init__(self, entity_type: str) -> None:
        super().__init__(entity_type)
        self.entity_type = entity_type


class RedactionTimeout(Exception):
    pass


def action_for(settings: RedactionSettings, det: Detection) -> Action:
    acts = settings.actions
    if det.entity_type in acts:
        return acts[det.entity_type]
    fam = _FAMILY_KEY[det.family]
    if fam in acts:
        return acts[fam]
    return settings.default_action


class _Spans:
    """Non-overlapping spans kept sorted by start, so an overlap check costs O(log n)."""

    def __init__(self, spans: list[Detection] | None = None) -> None:
        self.items = sorted(spans or [], key=lambda d: d.start)
        self.starts = [d.start for d in self.items]

    def free(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start)
        if i > 0 and self.items[i - 1].end > start:
            return False
        return i >= len(self.items) or self.items[i].start >= end

    def add(self, d: Detection) -> None:
        i = bisect.bisect_right(self.starts, d.start)
        self.starts.insert(i, d.start)
        self.items.insert(i, d)


def resolve_overlaps(dets: list[Detection]) -> list[Detection]:
    """Keep a non-overlapping set: secrets first, then longer spans, then earlier ones."""
    taken = _Spans()
    for d in sorted(dets, key=lambda d: (_FAMILY_RANK[d.family], -(d.end - d.start), d.start)):
        if taken.free(d.start, d.end):
            taken.add(d)
    return taken.items


def _inside_placeholder(text: str, det: Detection) -> bool:
    for m in PLACEHOLDER.finditer(text, max(0, det.start - 70), min(len(text), det.end + 70)):
        if m.start() <= det.start and det.end <= m.end():
            return True
    return False


@dataclass
class Redactor:
    """Detect and replace in one text. Detectors are passed in so the engines are built once per process."""

    settings: RedactionSettings
    detectors: list[Callable[[str], list[Detection]]]

    def detections(self, text: str) -> list[Detection]:
        found: list[Detection] = []
        for detect in self.detectors:
            found.extend(detect(text))
        allow = {t.casefold() for t in self.settings.allow_terms}
        keep = []
        for d in resolve_overlaps(found):
            if allow and text[d.start:d.end].casefold() in allow:
                continue
            if _inside_placeholder(text, d):  # our own placeholders in re-sent conversations
                continue
            keep.append(d)
        return keep

    def decide(self, text: str) -> list[Detection]:
        """Detections that get replaced. Raises SensitiveDataBlocked for a `block` action."""
        out = []
        for d in self.detections(text) if text else []:
            act = action_for(self.settings, d)
            if act == "block":
                raise SensitiveDataBlocked(d.entity_type)
            if act == "redact":
                out.append(d)
        return out

    def redact(self, text: str, vault: Vault, deadline: float | None = None) -> tuple[str, list[Detection]]:
        """Detect and replace in one text (also every other occurrence of a detected value)."""
        dets = self.decide(text)
        if deadline is not None and time.perf_counter() > deadline:
            raise RedactionTimeout()
        for d in dets:
            vault.placeholder_for(text[d.start:d.end], d.entity_type, d.family)
        return apply(text, dets, vault, vault.value_pattern())


def apply(text: str, dets: list[Detection], vault: Vault,
          known: KnownValues | None) -> tuple[str, list[Detection]]:
    """Replace the detected spans and any other occurrence of a value already in the vault.

    A detector can find a name once and miss it two lines later (NER is context-dependent); a value
    known to be sensitive anywhere in the request is hidden everywhere in it.
    """
    spans = _Spans(dets)
    if known is not None:
        for start, end, value in known.finditer(text):
            if spans.free(start, end):
                etype, fam = vault.kind_of(value)
                spans.add(Detection(start, end, etype, "propagated", fam))
    out: list[str] = []
    pos = 0
    for d in spans.items:
        out.append(text[pos:d.start])
        out.append(vault.placeholder_for(text[d.start:d.end], d.entity_type, d.family))
        pos = d.end
    out.append(text[pos:])
    return "".join(out), spans.items
