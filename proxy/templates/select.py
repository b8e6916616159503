"""Which packs apply to one turn, from the library, the team's settings and the detected topics.

Only relevant packs are chosen: the base pack when the turn is about code (see TemplateSettings.base),
topic packs whose triggers score, a language addendum for the detected language when a topic applies,
and the team's compliance packs when a topic applies. A turn that is not about code gets nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from proxy.templates.config import TemplateSettings
from proxy.templates.library import Library, Pack
from proxy.templates.topics import Detection, Features, analyze, detect

_KIND_ORDER = {"base": 0, "topic": 1, "language": 2, "compliance": 3}


@dataclass(frozen=True)
class Selection:
    """The packs chosen for a turn (in output order), what they render with, and why."""

    detection: Detection
    packs: tuple[Pack, ...]
    variables: dict[str, Any] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.packs]


def _applies(pack: Pack, det: Detection, feats: Features, threshold: int) -> bool:
    if pack.meta.applies == "code":
        return det.code_intent
    if pack.triggers is not None and pack.triggers.score(feats.evidence)[0] >= threshold:
        return True
    if not det.topics:
        return False
    need = pack.meta.requires_topics
    return not need or any(t in det.topics for t in need)


def select_packs(library: Library, text: str, settings: TemplateSettings, *, team: str = "",
                 lang: str | None = None) -> Selection:
    """Detect topics in `text` and pick the packs. Pure and deterministic: same input, same packs."""
    allowed = set(settings.packs) if settings.packs is not None else None

    def permitted(p: Pack) -> bool:
        return allowed is None or p.id in allowed

    topic_packs = [p for p in library.of_kind("topic") if permitted(p) and p.triggers is not None]
    feats = analyze(text, lang=lang, scan_chars=settings.scan_chars)
    det = detect(feats, ((p.id, p.priority, p.triggers) for p in topic_packs if p.triggers),
                 threshold=settings.topic_threshold, max_topics=settings.max_topic_packs)

    th = settings.topic_threshold
    chosen: list[Pack] = []
    if settings.base == "always" or (settings.base == "code" and det.code_intent):
        chosen += sorted(library.of_kind("base"), key=lambda p: (-p.priority, p.id))
    chosen += [library.packs[t] for t in det.topics]
    if det.language:
        addenda = [p for p in library.of_kind("language")
                   if permitted(p) and det.language in p.meta.languages and _applies(p, det, feats, th)]
        chosen += sorted(addenda, key=lambda p: (-p.priority, p.id))
    wanted = list(dict.fromkeys(settings.compliance))
    chosen += [library.packs[c] for c in wanted
               if c in library.packs and library.packs[c].kind == "compliance"
               and _applies(library.packs[c], det, feats, th)]

    variables = {"language": det.language or "", "team": team, "topics": list(det.topics)}
    return Selection(detection=det, packs=tuple(chosen), variables=variables)
