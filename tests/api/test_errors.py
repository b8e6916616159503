"""Bad input and upstream failures: an OpenAI-style error every time, never a traceback or a hang."""

from __future__ import annotations

import httpx
import openai
import pytest

from tests.conftest import RunningProxy
from tests.support.upstream import Reply, ScriptedUpstream

CHAT = {"model": "test-model", "messages": [{"role": "user", "content": "hello"}]}


@pytest.fixture(scope="module")
def core(proxy_factory) -> RunningProxy:  # type: ignore[no-untyped-def]
    return proxy_factory(stages=[], server={"max_body_bytes": 64 * 1024, "upstream_timeout_s": 1.0,
                                            "upstream_retries": 0, "keepalive_s": 0.2})


def _error(r: httpx.Response, status: int) -> dict:  # type: ignore[type-arg]
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body["error"]) >= {"message", "type", "code"}
    assert "Traceback" not in r.text
    return body["error"]  # type: ignore[no-any-return]


def _post(core: RunningProxy, **kw):  # type: ignore[no-untyped-def]
    with core.client() as c:
        return c.post("/v1/chat/completions", **kw)


def test_malformed_json(core: RunningProxy) -> None:
    err = _error(_post(core, content=b"{not json", headers={"content-type": "application/json"}), 400)
    assert err["code"] == "invalid_json"


def test_body_not_object(core: RunningProxy) -> None:
    assert _error(_post(core, json=[1, 2]), 400)["code"] == "invalid_json"


@pytest.mark.parametrize("body,param", [
    ({"model": "test-model", "messages": "hi"}, "messages"),
    ({"model": "test-model", "messages": []}, "messages"),
    ({"model": 3, "messages": [{"role": "user", "content": "x"}]}, "model"),
    ({"model": "test-model", "stream": "yes", "messages": [{"role": "user", "content": "x"}]}, "stream"),
    ({"model": "test-model", "messages": [{"role": "wizard", "content": "x"}]}, "messages.0.role"),
    ({"model": "test-model", "temperature": "hot", "messages": [{"role": "user", "content": "x"}]}, "temperature"),
])
def test_wrong_types(core: RunningProxy, body: dict, param: str) -> None:  # type: ignore[type-arg]
    err = _error(_post(core, json=body), 400)
    assert err["param"] == param


def test_unknown_model(core: RunningProxy) -> None:
    err = _error(_post(core, json={**CHAT, "model": "gpt-9"}), 404)
    assert err["code"] == "model_not_found"


def test_body_over_limit(core: RunningProxy) -> None:
    big = {"model": "test-model", "messages": [{"role": "user", "content": "a" * 70_000}]}
    assert _error(_post(core, json=big), 413)["code"] == "body_too_large"


def test_body_over_limit_chunked(core: RunningProxy) -> None:
    def gen():  # type: ignore[no-untyped-def]
        for _ in range(100):
            yield b"a" * 1024

    assert _error(_post(core, content=gen()), 413)["code"] == "body_too_large"


@pytest.mark.parametrize("status,expected", [(500, 502), (503, 502), (429, 429), (400, 400)])
def test_upstream_status(core: RunningProxy, upstream: ScriptedUpstream, status: int, expected: int) -> None:
    upstream.push(Reply(status=status))
    err = _error(_post(core, json=CHAT), expected)
    assert str(status) in err["message"]


def test_upstream_timeout(core: RunningProxy, upstream: ScriptedUpstream) -> None:
    upstream.push(Reply(delay_s=3))
    assert _error(_post(core, json=CHAT), 504)["code"] == "upstream_timeout"


def test_upstream_unreachable(core: RunningProxy) -> None:
    err = _error(_post(core, json={**CHAT, "model": "dead-model"}), 502)
    assert err["code"] == "upstream_connection_error"


def _sse_events(r: httpx.Response) -> list[str]:
    return [e for e in r.text.split("\n\n") if e.strip()]


def test_connection_reset_mid_stream(core: RunningProxy, upstream: ScriptedUpstream) -> None:
    upstream.push(Reply(content="this answer will be cut off half way through", disconnect_after=3))
    r = _post(core, json={**CHAT, "stream": True})
    events = _sse_events(r)
    assert events[-1] == "data: [DONE]"
    assert '"error"' in events[-2]


def test_malformed_upstream_sse(core: RunningProxy, upstream: ScriptedUpstream) -> None:
    upstream.push(Reply(content="partial answer then garbage", malformed_after=2))
    events = _sse_events(_post(core, json={**CHAT, "stream": True}))
    assert events[-1] == "data: [DONE]"
    assert "upstream_malformed_stream" in events[-2]


def test_upstream_error_before_stream(core: RunningProxy, upstream: ScriptedUpstream) -> None:
    upstream.push(Reply(status=500))
    events = _sse_events(_post(core, json={**CHAT, "stream": True}))
    assert events[-1] == "data: [DONE]"
    assert '"error"' in events[-2]


def test_keepalive_while_upstream_is_slow(core: RunningProxy, upstream: ScriptedUpstream) -> None:
    upstream.push(Reply(content="slow", chunk_delay_s=0.3))
    r = _post(core, json={**CHAT, "stream": True})
    assert ": keepalive" in r.text
    assert r.text.rstrip().endswith("data: [DONE]")


def test_sdk_raises_typed_errors(core: RunningProxy) -> None:
    with pytest.raises(openai.NotFoundError):
        core.openai().chat.completions.create(model="nope", messages=[{"role": "user", "content": "x"}])
    with pytest.raises(openai.AuthenticationError):
        core.openai(key="wrong").chat.completions.create(model="test-model",
                                                          messages=[{"role": "user", "content": "x"}])


def test_unknown_route_is_openai_error(core: RunningProxy) -> None:
    with core.client() as c:
        _error(c.get("/v1/nothing-here"), 404)


def test_client_disconnect_mid_stream_is_recorded(core: RunningProxy, upstream: ScriptedUpstream) -> None:
    from tests.conftest import wait_for_usage

    upstream.push(Reply(content="a long answer " * 200, chunk_delay_s=0.01))
    with core.client() as c:
        with c.stream("POST", "/v1/chat/completions", json={**CHAT, "stream": True}) as r:
            rid = r.headers["x-spp-request-id"]
            next(r.iter_bytes())
        rec = wait_for_usage(c, rid)
    assert rec["outcome"] == "client_disconnected"
    assert rec["stream"] is True
