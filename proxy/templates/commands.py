"""Plain functions behind `spp templates list | show | render | lint` (typer wiring: proxy/cli.py).

Each takes either the whole `Settings` (and a team, whose overrides are merged in) or a
`TemplateSettings`, or nothing for the shipped defaults.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from proxy.templates.config import TemplateSettings
from proxy.templates.library import library_dirs_for
from proxy.templates.lint import lint_library
from proxy.templates.plan import Plan, library_for, plan_requirements

if TYPE_CHECKING:
    from proxy.settings import Settings



def template_settings(settings: Settings | TemplateSettings | None = None, team: str | None = None
                      ) -> TemplateSettings:
    """The effective `templates:` section for a team (global values with the team's overrides)."""
    if settings is None:
        return TemplateSettings()
    if isinstance(settings, TemplateSettings):
        return settings
    if team:
        return settings.policy_for(team).templates
    return settings.templates


def list_packs(settings: Settings | TemplateSettings | None = None, team: str | None = None
               ) -> list[dict[str, Any]]:
    """One row per effective pack: id, version, kind, title, priority, max_tokens, enabled, path, hash."""
    ts = template_settings(settings, team)
    lib = library_for(ts)
    rows = []
    order = ("base", "topic", "language", "compliance")
    for pack in sorted(lib.packs.values(), key=lambda p: (order.index(p.kind), -p.priority, p.id)):
        if pack.kind == "base":
            enabled = ts.enabled and ts.base != "off"
        elif pack.kind == "compliance":
            enabled = ts.enabled and pack.id in ts.compliance
        else:
            enabled = ts.enabled and (ts.packs is None or pack.id in ts.packs)
        rows.append({
            "id": pack.id,
            "version": pack.version,
            "kind": pack.kind,
            "title": pack.meta.title,
            "priority": pack.priority,
            "max_tokens": pack.meta.max_tokens,
            "enabled": enabled,
            "overrides": [str(p) for p in lib.overridden.get(pack.id, ())],
            "path": str(pack.path),
            "hash": pack.sha256,
        })
    return rows


def show_pack(pack_id: str, settings: Settings | TemplateSettings | None = None,
              team: str | None = None) -> str:
    """The source of the effective pack `pack_id` (a team's override when it has one). KeyError if unknown."""
    lib = library_for(template_settings(settings, team))
    pack = lib.get(pack_id)
    if pack is None:
        raise KeyError(f"no template pack with id {pack_id!r}")
    return f"# {pack.path}\n# sha256 {pack.sha256}\n{pack.source}"


def plan_for_prompt(prompt: str, team: str | None = None, lang: str | None = None,
                    settings: Settings | TemplateSettings | None = None) -> Plan:
    """Everything `render` shows: selection, detection, rendered block, dropped packs."""
    return plan_requirements(prompt, template_settings(settings, team), team=team or "", lang=lang)


def render_for_prompt(prompt: str, team: str | None = None, lang: str | None = None,
                      settings: Settings | TemplateSettings | None = None) -> str:
    """The exact block that would be injected for `prompt` ("" when no pack applies)."""
    return plan_for_prompt(prompt, team, lang, settings).block


def lint(settings: Settings | TemplateSettings | None = None, team: str | None = None) -> list[str]:
    """Problems in the shipped library plus the team's folders, checked against the team's settings."""
    ts = template_settings(settings, team)
    return lint_library(library_dirs_for(ts.library_dirs), settings=ts)
