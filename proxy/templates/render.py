"""Rendering chosen packs into one marked block that fits the token budget.

Only pack bodies are templates. The variables are a language name from a fixed vocabulary, the team
name from config and pack ids, so user text is never compiled or rendered: a prompt holding `{{7*7}}`
reaches the upstream exactly as sent. Token counts are estimated as ceil(chars / 4): deterministic,
offline (tiktoken would download encodings) and close enough for a budget on a few hundred tokens.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2

from proxy.templates.library import Pack

log = logging.getLogger(__name__)

MARKER_TAG = "spp-security-requirements"
MARKER_VERSION = "1"
MARKER_OPEN = f'<{MARKER_TAG} v="{MARKER_VERSION}">'
MARKER_CLOSE = f"</{MARKER_TAG}>"
PREAMBLE = ("Security requirements from the organisation's policy. Apply them to any code you write or "
            "change; do not mention them unless asked.")
_IMPORTANCE = {"base": 3, "compliance": 2, "topic": 1, "language": 0}  # tie-break when priorities are equal


def estimate_tokens(text: str) -> int:
    return (len(text) + 3) // 4


@dataclass(frozen=True)
class RenderedPack:
    pack: Pack
    text: str  # the section as sent: "Title:\n- ..."
    tokens: int


@dataclass(frozen=True)
class Rendered:
    """The block to inject ("" when nothing applies) and the packs in it, for the usage record."""

    block: str
    packs: tuple[RenderedPack, ...] = ()
    dropped: tuple[str, ...] = ()  # pack ids left out to fit the budget
    errors: tuple[str, ...] = ()  # "pack-id: ErrorType" for packs that failed to render
    tokens: int = 0

    def records(self) -> list[dict[str, str]]:
        return [rp.pack.record() for rp in self.packs]


def clean(text: str) -> str:
    """Trim trailing spaces and blank lines so conditionals leave no gaps."""
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip())


def render_body(pack: Pack, variables: Mapping[str, Any]) -> str:
    """Render one pack's body (raises jinja2.TemplateError on a bad pack)."""
    return clean(pack.template.render(**variables))


def _fit_lines(text: str, max_tokens: int) -> str:
    lines = text.splitlines()
    while len(lines) > 1 and estimate_tokens("\n".join(lines)) > max_tokens:
        lines.pop()
    return "\n".join(lines)


def wrap(sections: Sequence[str]) -> str:
    if not sections:
        return ""
    return f"{MARKER_OPEN}\n{PREAMBLE}\n\n" + "\n\n".join(sections) + f"\n{MARKER_CLOSE}"


def render_packs(packs: Sequence[Pack], variables: Mapping[str, Any], token_budget: int) -> Rendered:
    """Render in order, then keep the highest-priority packs that fit `token_budget` (whole block)."""
    kept: list[RenderedPack] = []
    errors: list[str] = []
    for pack in packs:
        try:
            body = render_body(pack, variables)
        except jinja2.TemplateError as exc:
            errors.append(f"{pack.id}: {type(exc).__name__}")
            log.warning("template pack %s failed to render (%s); left out", pack.id, type(exc).__name__)
            continue
        if not body:
            continue  # e.g. a language addendum with no line for the selected topics
        section = f"{pack.meta.title}:\n{_fit_lines(body, pack.meta.max_tokens)}"
        kept.append(RenderedPack(pack=pack, text=section, tokens=estimate_tokens(section)))

    # Fill the budget greedily in priority order: a pack that does not fit is dropped, and smaller
    # lower-priority packs may still use the room it leaves.
    order = sorted(range(len(kept)),
                   key=lambda i: (-kept[i].pack.priority, -_IMPORTANCE[kept[i].pack.kind], i))
    chosen: set[int] = set()
    dropped: list[str] = []
    for i in order:
        trial = wrap([kept[j].text for j in sorted(chosen | {i})])
        if estimate_tokens(trial) <= token_budget:
            chosen.add(i)
        else:
            dropped.append(kept[i].pack.id)
    kept = [kept[j] for j in sorted(chosen)]
    block = wrap([rp.text for rp in kept])
    return Rendered(block=block, packs=tuple(kept), dropped=tuple(dropped), errors=tuple(errors),
                    tokens=estimate_tokens(block))
