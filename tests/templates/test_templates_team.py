"""Team libraries: add packs, override shipped packs by id, and get told about broken files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from proxy.templates.config import TemplateSettings
from proxy.templates.library import library_dirs_for, load_library
from proxy.templates.lint import lint_library
from proxy.templates.plan import plan_requirements
from tests.templates.factories import pack_source

AUTH_OVERRIDE = pack_source(
    "auth", body="- Use the company SSO library `acme-auth`; never build your own login.",
    title="Payments auth", priority=85, extra="topics:\n  keywords: [login*, password*]\n",
    samples='  - prompt: "write a login endpoint"')


def test_team_pack_overrides_shipped_pack_by_id(write_pack: Callable[..., Path]) -> None:
    team_dir = write_pack("auth", AUTH_OVERRIDE)
    settings = TemplateSettings(library_dirs=[str(team_dir)])
    plan = plan_requirements("write a login endpoint in flask", settings, team="payments")
    assert "acme-auth" in plan.block
    assert "argon2id (or bcrypt" not in plan.block  # the shipped auth text is replaced, not added to
    record = next(r for r in plan.records() if r["id"] == "auth")
    lib = load_library(library_dirs_for(settings.library_dirs))
    assert record == {"id": "auth", "version": "3", "hash": lib.packs["auth"].sha256}
    assert lib.packs["auth"].path.parent == team_dir
    assert lib.overridden["auth"] and lib.overridden["auth"][0].name == "auth.md.j2"


def test_other_teams_keep_the_shipped_pack(write_pack: Callable[..., Path]) -> None:
    write_pack("auth", AUTH_OVERRIDE)
    plan = plan_requirements("write a login endpoint in flask", TemplateSettings(), team="web")
    assert "argon2id" in plan.block and "acme-auth" not in plan.block


def test_team_only_pack_is_added(write_pack: Callable[..., Path]) -> None:
    team_dir = write_pack("payroll", pack_source("payroll", body="- Payroll exports go through `acme-vault`.",
                                                 title="Payroll"))
    settings = TemplateSettings(library_dirs=[str(team_dir)])
    plan = plan_requirements("write a payroll export endpoint", settings, team="hr")
    assert "acme-vault" in plan.block
    assert "payroll" in [r["id"] for r in plan.records()]
    # Not for a team without the folder.
    assert "acme-vault" not in plan_requirements("write a payroll export endpoint", TemplateSettings()).block


def test_team_config_restricts_packs(write_pack: Callable[..., Path]) -> None:
    settings = TemplateSettings(packs=["sql"])
    ids = [r["id"] for r in plan_requirements("write a login endpoint in flask", settings).records()]
    assert ids == ["base"]  # auth and the python addendum are not in the team's list
    ids = [r["id"] for r in plan_requirements("write a SQL query to get users by email", settings).records()]
    assert ids == ["base", "sql"]


def test_compliance_pack_only_for_teams_that_chose_it() -> None:
    prompt = "store patient records in postgres and log every change"
    hipaa = TemplateSettings(compliance=["hipaa"])
    with_hipaa = [r["id"] for r in plan_requirements(prompt, hipaa).records()]
    without = [r["id"] for r in plan_requirements(prompt, TemplateSettings()).records()]
    assert "hipaa" in with_hipaa and "hipaa" not in without
    # A compliance pack still needs a security-relevant turn.
    assert plan_requirements("hello", TemplateSettings(compliance=["hipaa"])).block == ""


def test_broken_team_pack_is_skipped_and_reported(write_pack: Callable[..., Path]) -> None:
    team_dir = write_pack("auth", "---\nid: auth\nversion: 1\n---\n{% if %}\n")
    lib = load_library(library_dirs_for([str(team_dir)]))
    assert lib.packs["auth"].path.parent.name == "topics"  # the shipped pack stays in force
    assert any("auth.md.j2" in p for p in lib.problems)
    assert any("auth.md.j2" in p for p in lint_library(library_dirs_for([str(team_dir)])))


def test_missing_team_folder_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    lib = load_library(library_dirs_for([str(tmp_path / "nope")]))
    assert "auth" in lib.packs
    assert any("not found" in p for p in lib.problems)


def test_lint_finds_each_kind_of_mistake(write_pack: Callable[..., Path]) -> None:
    d = write_pack("dupe-a", pack_source("dupe", body="- A."))
    write_pack("dupe-b", pack_source("dupe", body="- B."))
    write_pack("bad-yaml", "---\nid: [unclosed\n---\n- x\n")
    write_pack("unknown-var", pack_source("unknown-var", body="- Use {{ framework }}."))
    write_pack("syntax", pack_source("syntax", body="- {% if language %}unclosed"))
    write_pack("broad", pack_source("broad", extra="topics:\n  keywords: [hello, the]\n",
                                    samples='  - prompt: "hello"'))
    write_pack("no-select", pack_source("no-select", extra="topics:\n  keywords: [kubeflow]\n",
                                        samples='  - prompt: "write a payroll export"'))
    write_pack("too-long", pack_source("too-long", body="- " + "very long line " * 60, max_tokens=50))
    write_pack("marker", pack_source("marker", body="- <spp-security-requirements> is ours"))
    write_pack("unknown-field", pack_source("unknown-field", extra="color: blue\n"))
    write_pack("bad-lang", pack_source("bad-lang", kind="language", extra="languages: [cobol]\n",
                                       samples='  - prompt: "write a payroll export endpoint"'))
    (d / "stray.j2").write_text("x", encoding="utf-8")
    problems = "\n".join(lint_library([d]))
    for needle in ("duplicate id 'dupe'", "not valid YAML", "unknown template variable(s) framework",
                   "template syntax error", "neutral prompt 'hello' selects topic(s) broad",
                   "does not select pack 'no-select'", "over max_tokens 50", "marker tag",
                   "unknown field", "unknown language(s) cobol", "must end in .md.j2", "no base pack"):
        assert needle in problems, needle


def test_lint_checks_config_ids() -> None:
    problems = lint_library(settings=TemplateSettings(packs=["sql", "nosuch"], compliance=["sox"]))
    assert any("'nosuch'" in p for p in problems)
    assert any("'sox'" in p for p in problems)
