"""Combining detectors into one decision per span: which detections count, what action each gets,
and the redacted text. Secrets win over PII on overlap; a longer span wins over a shorter one."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from proxy.redaction.config import Action, RedactionSettings
from proxy.redaction.types import Detection
from proxy.redaction.vault import PLACEHOLDER, Vault

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


def resolve_overlaps(dets: list[Detection]) -> list[Detection]:
    """Keep a non-overlapping set: secrets first, then longer spans, then earlier ones."""
    ordered = sorted(dets, key=lambda d: (_FAMILY_RANK[d.family], -(d.end - d.start), d.start))
    taken: list[Detection] = []
    for d in ordered:
        if all(d.end <= t.start or d.start >= t.end for t in taken):
            taken.append(d)
    return sorted(taken, key=lambda d: d.start)


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

    def redact(self, text: str, vault: Vault, deadline: float | None = None) -> tuple[str, list[Detection]]:
        """Returns the redacted text and the detections that were replaced.

        Raises SensitiveDataBlocked for a `block` action and RedactionTimeout past the deadline.
        """
        if not text:
            return text, []
        dets = self.detections(text)
        if deadline is not None and time.perf_counter() > deadline:
            raise RedactionTimeout()
        out: list[str] = []
        pos = 0
        replaced: list[Detection] = []
        for d in dets:
            act = action_for(self.settings, d)
            if act == "allow":
                continue
            if act == "block":
                raise SensitiveDataBlocked(d.entity_type)
            out.append(text[pos:d.start])
            out.append(vault.placeholder_for(text[d.start:d.end], d.entity_type, d.family))
            pos = d.end
            replaced.append(d)
        out.append(text[pos:])
        return "".join(out), replaced
