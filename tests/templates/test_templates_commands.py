"""The functions behind `spp templates list | show | render | lint`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from proxy.settings import parse_settings
from proxy.templates.commands import lint, list_packs, plan_for_prompt, render_for_prompt, show_pack
from proxy.templates.config import TemplateSettings
from proxy.templates.render import MARKER_OPEN
from tests.templates.factories import pack_source


def settings(**teams: dict):  # type: ignore[no-untyped-def,type-arg]
    return parse_settings({
        "model_list": [{"model_name": "gpt-4o", "litellm_params": {"model": "openai/gpt-4o"}}],
        "templates": {"compliance": ["asvs-l2"]},
        "teams": {name: {"templates": over} for name, over in teams.items()},
    })


def test_list_packs_shows_every_pack_and_what_the_team_gets() -> None:
    rows = list_packs(settings(payments={"packs": ["sql"], "compliance": ["pci-dss"]}), "payments")
    by_id = {r["id"]: r for r in rows}
    assert rows[0]["id"] == "base"
    assert by_id["sql"]["enabled"] and not by_id["auth"]["enabled"]
    assert by_id["pci-dss"]["enabled"] and not by_id["asvs-l2"]["enabled"]
    assert all(len(r["hash"]) == 64 and r["version"] for r in rows)
    assert {r["kind"] for r in rows} == {"base", "topic", "language", "compliance"}
    glob_rows = {r["id"]: r for r in list_packs(settings(), None)}
    assert glob_rows["asvs-l2"]["enabled"] and glob_rows["auth"]["enabled"]


def test_show_pack_returns_the_source_and_knows_team_overrides(write_pack: Callable[..., Path]) -> None:
    assert "id: sql" in show_pack("sql")
    with pytest.raises(KeyError):
        show_pack("nope")
    source = pack_source("sql", body="- Team SQL rule.", extra="topics:\n  keywords: [sql]\n",
                         samples='  - prompt: "write a SQL query"')
    team_dir = write_pack("sql", source)
    shown = show_pack("sql", settings(payments={"library_dirs": [str(team_dir)]}), "payments")
    assert "Team SQL rule." in shown and str(team_dir) in shown


def test_render_for_prompt() -> None:
    out = render_for_prompt("write a login endpoint", team="payments", lang="java", settings=settings())
    assert out.startswith(MARKER_OPEN)
    assert "Argon2PasswordEncoder" in out  # --lang picks the addendum
    assert "OWASP ASVS" in out  # the global compliance choice
    assert render_for_prompt("hello") == ""
    plan = plan_for_prompt("write a login endpoint", lang="java", settings=TemplateSettings())
    assert plan.summary()["packs"] == ["base", "auth", "lang-java"]


def test_lint_command_uses_team_settings(write_pack: Callable[..., Path]) -> None:
    assert lint(settings(), None) == []
    assert lint(settings(payments={"compliance": ["sox"]}), "payments") == [
        "settings: compliance lists 'sox', not a compliance pack in the library"]


# -- the text the `spp templates …` commands print -----------------------------------------------------
def test_cli_text_functions(write_pack: Callable[..., Path]) -> None:
    from proxy.templates.cli import cmd_lint, cmd_list, cmd_render, cmd_show

    cfg = settings(payments={"packs": ["sql"]})
    listing = cmd_list(cfg, "payments")
    assert listing.splitlines()[0].startswith("ID") and "sql" in listing and "hipaa" in listing
    out, code = cmd_show(None, "default", "auth")
    assert code == 0 and "kind: topic" in out
    out, code = cmd_show(None, "default", "nope")
    assert code == 1 and "nope" in out
    rendered = cmd_render(None, "default", "write a login endpoint in flask")
    assert rendered.startswith("# packs: base, auth, lang-python | topics: auth | language: python")
    assert MARKER_OPEN in rendered
    assert "nothing would be added" in cmd_render(None, "default", "hello")
    assert cmd_lint(cfg) == ("template library OK (2 scope(s) checked)", 0)

    bad = write_pack("broken", "---\nid: broken\n---\n")
    out, code = cmd_lint(settings(payments={"library_dirs": [str(bad)], "compliance": ["sox"]}))
    assert code == 1
    assert "team payments: " in out and "broken.md.j2" in out and "'sox'" in out


def test_spp_templates_commands_through_typer() -> None:
    typer_testing = pytest.importorskip("typer.testing")
    from proxy.cli import app

    runner = typer_testing.CliRunner()
    args = ["templates", "render", "--prompt", "parse this YAML config", "--lang", "python"]
    result = runner.invoke(app, args, env={"SPP_CONFIG": "/nonexistent/config.yaml"})
    assert result.exit_code == 0, result.output
    assert "deserialization" in result.output and "yaml.safe_load" in result.output
    result = runner.invoke(app, ["templates", "lint"], env={"SPP_CONFIG": "/nonexistent/config.yaml"})
    assert result.exit_code == 0 and "OK" in result.output
