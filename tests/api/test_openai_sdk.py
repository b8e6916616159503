"""The official openai SDK against the proxy, streaming and not, chat and completions."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.conftest import UPSTREAM_KEY, RunningProxy
from tests.support.upstream import Reply, ScriptedUpstream


@pytest.fixture(scope="module", params=["passthrough", "litellm"])
def core(request: pytest.FixtureRequest, proxy_factory) -> RunningProxy:  # type: ignore[no-untyped-def]
    """The core with no stages, once per upstream implementation."""
    return proxy_factory(stages=[], server={"upstream_mode": request.param})


def test_chat_non_streamed(core: RunningProxy, upstream: ScriptedUpstream) -> None:
    upstream.push(Reply(content="Use parameterized queries."))
    resp = core.openai().chat.completions.create(model="test-model",
                                                 messages=[{"role": "user", "content": "hi"}])
    assert resp.choices[0].message.content == "Use parameterized queries."
    assert resp.usage is not None and resp.usage.completion_tokens > 0
    seen = upstream.last()
    assert seen.path == "/v1/chat/completions"
    assert seen.body["model"] == "test-model"
    assert seen.body["messages"] == [{"role": "user", "content": "hi"}]
    assert seen.headers["authorization"] == f"Bearer {UPSTREAM_KEY}"


def test_chat_streamed(core: RunningProxy, upstream: ScriptedUpstream) -> None:
    text = "Streaming works, one tiny chunk at a time. " * 5
    upstream.push(Reply(content=text))
    stream = core.openai().chat.completions.create(model="test-model", stream=True,
                                                   messages=[{"role": "user", "content": "stream please"}])
    got = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert got == text
    assert upstream.last().body["stream"] is True


def test_stream_include_usage_honoured(core: RunningProxy, upstream: ScriptedUpstream) -> None:
    client = core.openai()
    upstream.push(Reply(content="abc"), Reply(content="abc"))
    with_usage = list(client.chat.completions.create(
        model="test-model", stream=True, stream_options={"include_usage": True},
        messages=[{"role": "user", "content": "x"}]))
    assert with_usage[-1].usage is not None and with_usage[-1].usage.total_tokens > 0
    without = list(client.chat.completions.create(model="test-model", stream=True,
                                                  messages=[{"role": "user", "content": "x"}]))
    assert all(c.usage is None for c in without)


def test_stream_ends_with_done(core: RunningProxy, upstream: ScriptedUpstream) -> None:
    upstream.push(Reply(content="done test"))
    with core.client() as c:
        r = c.post("/v1/chat/completions", json={"model": "test-model", "stream": True,
                                                 "messages": [{"role": "user", "content": "x"}]})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/event-stream")
    events = [e for e in r.text.split("\n\n") if e.strip()]
    assert events[-1] == "data: [DONE]"
    assert "x-spp-overhead-ms" in r.headers


def test_completions_with_suffix(core: RunningProxy, upstream: ScriptedUpstream) -> None:
    upstream.push(Reply(content="    return a + b\n"))
    resp = core.openai().completions.create(model="test-model", prompt="def add(a, b):\n",
                                            suffix="\n\nprint(add(1, 2))", max_tokens=20)
    assert resp.choices[0].text == "    return a + b\n"
    seen = upstream.last()
    assert seen.path == "/v1/completions"
    assert seen.body["prompt"] == "def add(a, b):\n"
    assert seen.body["suffix"] == "\n\nprint(add(1, 2))"


def test_completions_streamed(core: RunningProxy, upstream: ScriptedUpstream) -> None:
    upstream.push(Reply(content="x = 1\ny = 2\n"))
    stream = core.openai().completions.create(model="test-model", prompt="# two vars\n", stream=True)
    assert "".join(c.choices[0].text for c in stream if c.choices) == "x = 1\ny = 2\n"


def test_multipart_tools_and_response_format_pass_through(core: RunningProxy, upstream: ScriptedUpstream) -> None:
    params = {"type": "object", "properties": {"id": {"type": "string"}}}
    tools = [{"type": "function", "function": {"name": "lookup", "description": "Find a user", "parameters": params}}]
    call = {"id": "call_1", "type": "function", "function": {"name": "lookup", "arguments": '{"id": "42"}'}}
    upstream.push(Reply(content="", tool_calls=[call]))
    resp = core.openai().chat.completions.create(
        model="test-model", tools=tools, tool_choice="auto", response_format={"type": "json_object"},
        messages=[{"role": "user", "content": [{"type": "text", "text": "part one"},
                                               {"type": "text", "text": "part two"}]}])
    assert resp.choices[0].message.tool_calls[0].function.arguments == '{"id": "42"}'
    seen = upstream.last().body
    assert seen["tools"] == tools
    assert seen["response_format"] == {"type": "json_object"}
    assert seen["messages"][0]["content"][1]["text"] == "part two"


def test_streamed_tool_calls(core: RunningProxy, upstream: ScriptedUpstream) -> None:
    call = {"id": "call_1", "type": "function", "function": {"name": "lookup", "arguments": '{"id": "42", "x": 1}'}}
    upstream.push(Reply(content="", tool_calls=[call]))
    stream = core.openai().chat.completions.create(model="test-model", stream=True,
                                                   messages=[{"role": "user", "content": "call it"}])
    args = ""
    for c in stream:
        for tc in (c.choices[0].delta.tool_calls or []) if c.choices else []:
            args += tc.function.arguments or ""
    assert json.loads(args) == {"id": "42", "x": 1}


def test_routing_fields_are_dropped(core: RunningProxy, upstream: ScriptedUpstream) -> None:
    """A client must never be able to redirect the proxy's upstream key."""
    with core.client() as c:
        r = c.post("/v1/chat/completions", json={
            "model": "test-model", "messages": [{"role": "user", "content": "x"}],
            "api_base": "http://attacker.invalid/v1", "base_url": "http://attacker.invalid/v1",
            "api_key": "sk-attacker", "extra_headers": {"x-leak": "1"}, "user_config": {"model_list": []},
            "metadata": {"a": 1}, "mock_response": "pwned", "custom_llm_provider": "openai"})
    assert r.status_code == 200, r.text
    assert r.json()["choices"][0]["message"]["content"] != "pwned"
    seen = upstream.last()
    for field in ("api_base", "base_url", "api_key", "extra_headers", "user_config", "metadata", "mock_response",
                  "custom_llm_provider"):
        assert field not in seen.body
    assert "x-leak" not in seen.headers
    assert seen.headers["authorization"] == f"Bearer {UPSTREAM_KEY}"
    assert "api_base" in r.headers["x-spp-dropped-params"]


def test_models_health_ready(core: RunningProxy) -> None:
    ids = [m.id for m in core.openai().models.list()]
    assert ids == ["test-model", "dead-model"]
    with httpx.Client(base_url=core.url) as c:
        assert c.get("/healthz").json()["status"] == "ok"
        ready = c.get("/readyz")
        assert ready.status_code == 200 and ready.json()["status"] == "ready"
        assert c.get("/v1/models").status_code == 401
