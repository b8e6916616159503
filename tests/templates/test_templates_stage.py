"""TemplateStage with a real LLMRequest, Context and TeamPolicy from a parsed config."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

from proxy.pipeline.runner import Pipeline
from proxy.settings import TeamPolicy, parse_settings
from proxy.stages.templates import TemplateStage
from proxy.templates.config import TemplateSettings
from proxy.templates.library import load_library
from proxy.templates.render import MARKER_OPEN
from tests.templates.factories import chat, completion, context, pack_source

LOGIN = "write a login endpoint in flask"


def policy(team: str = "payments", **teams: dict) -> TeamPolicy:  # type: ignore[type-arg]
    settings = parse_settings({
        "model_list": [{"model_name": "gpt-4o", "litellm_params": {"model": "openai/gpt-4o"}}],
        "teams": {name: {"templates": over} for name, over in teams.items()},
    })
    return settings.policy_for(team)


def test_stage_injects_records_and_leaves_user_text_alone() -> None:
    ctx = context(policy())
    req = chat(("system", "You are a coding assistant."), ("user", LOGIN))
    user_before = copy.deepcopy(req.messages[1])
    TemplateStage().on_request(ctx, req)
    assert req.messages[1] == user_before
    system = req.messages[0]["content"]
    assert system.startswith("You are a coding assistant.\n\n" + MARKER_OPEN)
    lib = load_library()
    assert [r["id"] for r in ctx.templates_applied] == ["base", "auth", "lang-python"]
    assert ctx.templates_applied[1] == {"id": "auth", "version": lib.packs["auth"].version,
                                        "hash": lib.packs["auth"].sha256}
    summary = ctx.state["templates"]
    assert summary["topics"] == ["auth"] and summary["language"] == "python" and summary["tokens"] > 0
    assert LOGIN not in str(summary)  # ids and counts only, never prompt text


def test_stage_in_a_pipeline_is_timed_and_idempotent() -> None:
    stage = TemplateStage()
    pipe = Pipeline([stage])
    ctx = context(policy())
    req = chat(("user", LOGIN))
    pipe.run_request(ctx, req)
    once = copy.deepcopy(req.body)
    records = list(ctx.templates_applied)
    pipe.run_request(ctx, req)  # a retried request, or the same conversation coming through again
    assert req.body == once
    assert ctx.templates_applied == records
    assert "templates" in ctx.stage_ms


def test_resent_conversation_gets_one_block_for_the_latest_turn() -> None:
    stage = TemplateStage()
    first = chat(("user", LOGIN))
    stage.on_request(context(policy()), first)
    # The client sends the history back with a new turn (its own copy never had our block; a chained
    # proxy's copy might): one block, chosen for the latest user turn.
    resent = chat(*[(m["role"], m["content"]) for m in first.messages], ("assistant", "done"),
                  ("user", "now write a SQL query to get users by email"))
    ctx = context(policy())
    stage.on_request(ctx, resent)
    blocks = sum(str(m["content"]).count(MARKER_OPEN) for m in resent.messages)
    assert blocks == 1
    assert "sql" in [r["id"] for r in ctx.templates_applied]
    assert "auth" not in [r["id"] for r in ctx.templates_applied]


def test_no_pack_for_hello() -> None:
    ctx = context(policy())
    req = chat(("user", "hello"))
    TemplateStage().on_request(ctx, req)
    assert req.messages == [{"role": "user", "content": "hello"}]
    assert ctx.templates_applied == []


def test_disabled_for_a_team() -> None:
    ctx = context(policy("payments", payments={"enabled": False}))
    req = chat(("user", LOGIN))
    TemplateStage().on_request(ctx, req)
    assert len(req.messages) == 1 and ctx.templates_applied == []


def test_completions_off_by_default_and_configurable() -> None:
    code = "def login(username, password):\n    "
    req = completion(code)
    ctx = context(policy(), endpoint="completions")
    TemplateStage().on_request(ctx, req)
    assert req.body["prompt"] == code and ctx.templates_applied == []

    req = completion(code)
    ctx = context(policy("payments", payments={"completions": True}), endpoint="completions")
    TemplateStage().on_request(ctx, req)
    assert req.body["prompt"].startswith(MARKER_OPEN) and req.body["prompt"].endswith(code)
    assert "auth" in [r["id"] for r in ctx.templates_applied]


def test_team_policy_with_override_folder_and_compliance(write_pack: Callable[..., Path]) -> None:
    team_dir = write_pack("auth", pack_source(
        "auth", body="- Use `acme-auth` for every login.", title="Payments auth", priority=85,
        extra="topics:\n  keywords: [login*]\n", samples='  - prompt: "write a login endpoint"'))
    pol = policy("payments", payments={"library_dirs": [str(team_dir)], "compliance": ["pci-dss"]})
    ctx = context(pol)
    req = chat(("user", LOGIN))
    TemplateStage().on_request(ctx, req)
    ids = [r["id"] for r in ctx.templates_applied]
    assert "acme-auth" in req.messages[0]["content"] and "pci-dss" in ids
    # Another team on the same config gets the shipped packs.
    other = context(policy("web"), team="web")
    req2 = chat(("user", LOGIN))
    TemplateStage().on_request(other, req2)
    assert "acme-auth" not in req2.messages[0]["content"]
    assert "pci-dss" not in [r["id"] for r in other.templates_applied]


def test_policy_can_be_any_object_with_templates_or_absent() -> None:
    ctx = context(SimpleNamespace(templates=TemplateSettings(token_budget=150)))
    req = chat(("user", LOGIN))
    TemplateStage().on_request(ctx, req)
    assert [r["id"] for r in ctx.templates_applied] == ["base"]  # only what fits 150 tokens

    bare = context()  # no policy: the stage's default (secure defaults) applies
    req = chat(("user", LOGIN))
    TemplateStage().on_request(bare, req)
    assert "auth" in [r["id"] for r in bare.templates_applied]


def test_list_content_and_tool_turns() -> None:
    ctx = context(policy())
    req = chat(("user", [{"type": "text", "text": "write a SQL query to get users by email"}]),
               ("assistant", "calling a tool"), ("tool", "42 rows"))
    req.messages[-1]["tool_call_id"] = "c1"
    before = copy.deepcopy(req.messages)
    TemplateStage().on_request(ctx, req)
    assert req.messages[1:] == before  # the latest *user* turn decides; nothing else is touched
    assert req.messages[0]["role"] == "system" and "sql" in [r["id"] for r in ctx.templates_applied]
