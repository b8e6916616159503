"""One call from a user turn to the block to inject: load the team's library, select, render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from proxy.templates.config import TemplateSettings
from proxy.templates.library import Library, library_dirs_for, load_library
from proxy.templates.render import Rendered, render_packs
from proxy.templates.select import Selection, select_packs


@dataclass(frozen=True)
class Plan:
    """What would be injected for a turn and why."""

    selection: Selection
    rendered: Rendered

    @property
    def block(self) -> str:
        return self.rendered.block

    def records(self) -> list[dict[str, str]]:
        """id, version and sha256 of each pack actually sent (after the budget cut)."""
        return self.rendered.records()

    def summary(self) -> dict[str, Any]:
        """For ctx.state and the preview: ids and counts only, never prompt text."""
        det = self.selection.detection
        return {
            "topics": list(det.topics),
            "language": det.language,
            "code_intent": det.code_intent,
            "packs": [p["id"] for p in self.records()],
            "dropped": list(self.rendered.dropped),
            "errors": list(self.rendered.errors),
            "tokens": self.rendered.tokens,
        }


def library_for(settings: TemplateSettings) -> Library:
    """The shipped library plus the team's folders (cached per folder list)."""
    return load_library(library_dirs_for(settings.library_dirs))


def plan_requirements(text: str, settings: TemplateSettings, *, team: str = "", lang: str | None = None,
                      library: Library | None = None) -> Plan:
    lib = library if library is not None else library_for(settings)
    selection = select_packs(lib, text, settings, team=team, lang=lang)
    rendered = render_packs(selection.packs, selection.variables, settings.token_budget)
    return Plan(selection=selection, rendered=rendered)
