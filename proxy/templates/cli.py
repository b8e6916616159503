"""Text output for `spp templates list | show | render | lint` (proxy/cli.py does the typer part).

Each function takes the loaded `Settings` (or None: shipped defaults) and returns what to print, plus
an exit code where the command can fail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from proxy.templates.commands import list_packs, plan_for_prompt, show_pack, template_settings
from proxy.templates.library import library_dirs_for
from proxy.templates.lint import lint_library

if TYPE_CHECKING:
    from proxy.settings import Settings


def cmd_list(settings: Settings | None, team: str) -> str:
    rows = list_packs(settings, team)
    lines = [f"{'ID':<18} {'VER':<4} {'KIND':<10} {'PRIO':>4} {'TOKENS':>6}  {'FOR ' + team:<12} TITLE"]
    for r in rows:
        mark = "yes" if r["enabled"] else "-"
        over = "  (team override)" if r["overrides"] else ""
        lines.append(f"{r['id']:<18} {r['version']:<4} {r['kind']:<10} {r['priority']:>4} "
                     f"{r['max_tokens']:>6}  {mark:<12} {r['title']}{over}")
    return "\n".join(lines)


def cmd_show(settings: Settings | None, team: str, pack_id: str) -> tuple[str, int]:
    try:
        return show_pack(pack_id, settings, team), 0
    except KeyError:
        return f"error: no template pack with id {pack_id!r} (see `spp templates list`)", 1


def cmd_render(settings: Settings | None, team: str, prompt: str, lang: str | None = None) -> str:
    """The block exactly as it would be injected, after a `#` summary of why."""
    plan = plan_for_prompt(prompt, team, lang, settings)
    s = plan.summary()
    head = (f"# packs: {', '.join(s['packs']) or 'none'} | topics: {', '.join(s['topics']) or 'none'} | "
            f"language: {s['language'] or 'unknown'} | ~{s['tokens']} tokens")
    if s["dropped"]:
        head += f" | dropped for the budget: {', '.join(s['dropped'])}"
    if s["errors"]:
        head += f" | failed to render: {', '.join(s['errors'])}"
    if not plan.block:
        return head + "\n# (nothing would be added to this request)"
    return f"{head}\n{plan.block}"


def cmd_lint(settings: Settings | None) -> tuple[str, int]:
    """Lint the shipped library with the global settings and with every team's folders and settings."""
    scopes: list[str | None] = [None]
    if settings is not None:
        scopes += sorted(settings.teams)
    problems: list[str] = []
    for team in scopes:
        ts = template_settings(settings, team)
        found = lint_library(library_dirs_for(ts.library_dirs), settings=ts)
        # A team sees the shipped library too: report only what is new in its scope, labelled.
        problems += [p if team is None else f"team {team}: {p}" for p in found if p not in problems]
    if problems:
        return "\n".join(problems) + f"\n{len(problems)} problem(s)", 1
    return f"template library OK ({len(scopes)} scope(s) checked)", 0
