"""Redaction on the way in, rehydration on the way out, over real HTTP with the scripted upstream."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.pipeline import Context, Principal, TextStream
from proxy.pipeline.runner import Pipeline
from proxy.redaction.vault import Vault
from proxy.settings import parse_settings
from proxy.stages.redact import RedactStage
from tests.conftest import RunningProxy
from tests.support.upstream import Reply, ScriptedUpstream

AWS_KEY = "AKIAZ7QW3ERT5YUI2OPA"
GH_TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
SSN = "536-22-8174"
EMAIL = "maria.garcia@northwind-mail.io"


def _settings(**redaction):  # type: ignore[no-untyped-def]
    return parse_settings({"model_list": [{"model_name": "m", "litellm_params": {"model": "openai/m"}}],
                           "redaction": redaction})


def _ctx(settings) -> Context:  # type: ignore[no-untyped-def]
    c = Context(principal=Principal("alice", "default", "k1"), endpoint="chat")
    c.state["policy"] = settings.policy_for("default")
    return c


def _vault_ctx(text_values: dict[str, tuple[str, str]]) -> tuple[Pipeline, Context]:
    s = _settings()
    stage = RedactStage(s)
    c = _ctx(s)
    v = Vault()
    for value, (etype, fam) in text_values.items():
        v.placeholder_for(value, etype, fam)  # type: ignore[arg-type]
    c.state["vault"] = v
    return Pipeline([stage]), c


ANSWER = ("Dear <PERSON_1>, your key <SECRET_AWS_ACCESS_KEY_1> was rotated. Contact <EMAIL_ADDRESS_1> or "
          "<PERSON_2>. Literal <b>html</b> and a < b comparison stay. <PERSON_1>")
VALUES = {"Maria Garcia": ("PERSON", "pii"), AWS_KEY: ("SECRET_AWS_ACCESS_KEY", "secret"),
          EMAIL: ("EMAIL_ADDRESS", "pii"), "Dr. Chen": ("PERSON", "pii")}
EXPECTED = ("Dear Maria Garcia, your key <SECRET_AWS_ACCESS_KEY_1> was rotated. Contact " + EMAIL + " or "
            "Dr. Chen. Literal <b>html</b> and a < b comparison stay. Maria Garcia")


def _feed(pipeline: Pipeline, ctx: Context, pieces: list[str]) -> str:
    proc = pipeline.open_stream(ctx, TextStream("content"))
    return "".join(proc.feed(p) for p in pieces) + proc.finish()


def test_restores_pii_not_secrets_whole() -> None:
    p, c = _vault_ctx(VALUES)
    assert p.transform_whole(c, TextStream("content"), ANSWER) == EXPECTED


def test_every_single_split_point() -> None:
    """Placeholders split across two chunks at every byte offset."""
    p, c = _vault_ctx(VALUES)
    for i in range(len(ANSWER) + 1):
        assert _feed(p, c, [ANSWER[:i], ANSWER[i:]]) == EXPECTED, i


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(ANSWER)), max_size=12))
def test_any_chunking(cuts: list[int]) -> None:
    p, c = _vault_ctx(VALUES)
    bounds = [0, *sorted(cuts), len(ANSWER)]
    pieces = [ANSWER[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    assert _feed(p, c, pieces) == EXPECTED


def test_tool_arguments_are_json_escaped() -> None:
    p, c = _vault_ctx({'Anna "Ann" Lee': ("PERSON", "pii")})
    out = p.transform_whole(c, TextStream("tool_arguments"), '{"name": "<PERSON_1>"}')
    assert json.loads(out) == {"name": 'Anna "Ann" Lee'}


def test_restore_secrets_when_configured() -> None:
    s = _settings(restore={"pii": True, "secrets": True})
    c = _ctx(s)
    v = Vault()
    v.placeholder_for(AWS_KEY, "SECRET_AWS_ACCESS_KEY", "secret")
    c.state["vault"] = v
    out = Pipeline([RedactStage(s)]).transform_whole(c, TextStream("content"), "key=<SECRET_AWS_ACCESS_KEY_1>")
    assert out == f"key={AWS_KEY}"


# -- over HTTP ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def redacting(proxy_factory) -> RunningProxy:  # type: ignore[no-untyped-def]
    """Only redaction on, so the upstream body shows exactly what redaction did."""
    return proxy_factory(stages=None, templates={"enabled": False}, codescan={"enabled": False})


PROMPT = (f"My name is Maria Garcia and my SSN is {SSN}. Email me at {EMAIL}.\n"
          f"```python\naws_access_key_id = \"{AWS_KEY}\"\ntoken = \"{GH_TOKEN}\"\n```")


def test_nothing_sensitive_reaches_upstream(redacting: RunningProxy, upstream: ScriptedUpstream) -> None:
    upstream.push(Reply(content="Hi <PERSON_1>, I will email <EMAIL_ADDRESS_1>. Rotate <SECRET_AWS_ACCESS_KEY_1>."))
    resp = redacting.openai().chat.completions.create(
        model="test-model",
        messages=[{"role": "system", "content": "You are helpful."},
                  {"role": "user", "content": PROMPT},
                  {"role": "assistant", "content": "noted", "tool_calls": [
                      {"id": "c1", "type": "function",
                       "function": {"name": "f", "arguments": json.dumps({"ssn": SSN})}}]},
                  {"role": "tool", "tool_call_id": "c1", "content": f"user email {EMAIL}"},
                  {"role": "user", "content": [{"type": "text", "text": f"again: {AWS_KEY}"}]}])
    sent = json.dumps(upstream.last().body)
    for value in (AWS_KEY, GH_TOKEN, SSN, EMAIL, "Maria Garcia"):
        assert value not in sent, value
    body = upstream.last().body
    assert "<SECRET_AWS_ACCESS_KEY_1>" in body["messages"][1]["content"]
    assert "<SECRET_AWS_ACCESS_KEY_1>" in body["messages"][4]["content"][0]["text"], "same value, same placeholder"
    assert "placeholders" in body["messages"][0]["content"], "the system note asks to keep placeholders"
    answer = resp.choices[0].message.content
    assert "Maria Garcia" in answer and EMAIL in answer
    assert AWS_KEY not in answer and "<SECRET_AWS_ACCESS_KEY_1>" in answer


def test_streamed_answer_is_restored(redacting: RunningProxy, upstream: ScriptedUpstream) -> None:
    upstream.push(Reply(content="Hello <PERSON_1>! Your email <EMAIL_ADDRESS_1> is on file. " * 3))
    stream = redacting.openai().chat.completions.create(
        model="test-model", stream=True,
        messages=[{"role": "user", "content": f"I am Maria Garcia, {EMAIL}"}])
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert text == f"Hello Maria Garcia! Your email {EMAIL} is on file. " * 3


def test_completions_prompt_and_suffix_redacted(redacting: RunningProxy, upstream: ScriptedUpstream) -> None:
    upstream.push(Reply(content="pass\n"))
    redacting.openai().completions.create(model="test-model", prompt=f'KEY = "{AWS_KEY}"\ndef f():\n',
                                          suffix=f"\n# owner: {EMAIL}\n")
    body = upstream.last().body
    assert AWS_KEY not in body["prompt"] and EMAIL not in body["suffix"]


def test_stable_placeholders_across_resend(redacting: RunningProxy, upstream: ScriptedUpstream) -> None:
    msgs = [{"role": "user", "content": f"key {AWS_KEY} and {GH_TOKEN}"}]
    client = redacting.openai()
    client.chat.completions.create(model="test-model", messages=msgs)
    first = upstream.last().body["messages"]
    client.chat.completions.create(model="test-model", messages=msgs)
    assert upstream.last().body["messages"] == first


@pytest.fixture(scope="module")
def blocking(proxy_factory) -> RunningProxy:  # type: ignore[no-untyped-def]
    return proxy_factory(stages=None, redaction={"actions": {"US_SSN": "block"}},
                         templates={"enabled": False}, codescan={"enabled": False})


def test_block_action_names_type_not_value(blocking: RunningProxy, upstream: ScriptedUpstream) -> None:
    with blocking.client() as c:
        r = c.post("/v1/chat/completions", json={"model": "test-model",
                                                 "messages": [{"role": "user", "content": f"SSN {SSN}"}]})
    assert r.status_code == 400
    assert "US_SSN" in r.json()["error"]["message"]
    assert SSN not in r.text
    assert upstream.requests == []


def test_redaction_failure_fails_closed(proxy_factory, upstream: ScriptedUpstream) -> None:  # type: ignore[no-untyped-def]
    p = proxy_factory(stages=None, redaction={"timeout_ms": 1}, templates={"enabled": False},
                      codescan={"enabled": False})
    big = ("Patient Maria Garcia, MRN 12345678, SSN 536-22-8174, lives at 12 Oak Street. " * 400)
    with p.client() as c:
        r = c.post("/v1/chat/completions", json={"model": "test-model",
                                                 "messages": [{"role": "user", "content": big}]})
    assert r.status_code == 503 and r.json()["error"]["code"] == "redaction_timeout"
    assert upstream.requests == []
