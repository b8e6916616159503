"""The stage contract: order, hold-back, timing, Blocked and fail-closed behaviour."""

from __future__ import annotations

import time

import httpx
import pytest

from proxy.pipeline import Blocked, Context, LLMRequest, Principal, Stage, TextStream
from proxy.pipeline.runner import Pipeline
from tests.support.upstream import Reply, ScriptedUpstream

CHAT = {"model": "test-model", "messages": [{"role": "user", "content": "hello"}]}


def ctx() -> Context:
    return Context(principal=Principal("alice", "payments", "k1"), endpoint="chat")


class Tag(Stage):
    """Appends its name to the request and wraps response text, so order is visible."""

    def __init__(self, name: str, hold: int = 0) -> None:
        self.name = name
        self.hold = hold

    def on_request(self, ctx: Context, request: LLMRequest) -> None:
        request.messages[0]["content"] += f"|{self.name}"

    def stream_hold(self, ctx: Context, stream: TextStream, pending: str) -> int:
        return self.hold

    def on_chunk(self, ctx: Context, stream: TextStream, text: str) -> str:
        return f"{self.name}({text})"


def test_request_in_order_response_in_reverse() -> None:
    p = Pipeline([Tag("a"), Tag("b")])
    c = ctx()
    req = LLMRequest("chat", {"model": "m", "messages": [{"role": "user", "content": "x"}]})
    p.run_request(c, req)
    assert req.messages[0]["content"] == "x|a|b"
    assert p.transform_whole(c, TextStream("content"), "t") == "a(b(t))"
    assert set(c.stage_ms) == {"a", "b"}


def test_hold_back_is_the_largest_need() -> None:
    p = Pipeline([Tag("a", hold=3), Tag("b", hold=10)])
    proc = p.open_stream(ctx(), TextStream("content"))
    assert proc.feed("0123456789") == ""
    assert proc.feed("abcdef") == "a(b(012345))"
    assert proc.finish() == "a(b(6789abcdef))"


def test_no_streaming_stages_pass_through_untouched() -> None:
    proc = Pipeline([]).open_stream(ctx(), TextStream("content"))
    assert proc.feed("abc") == "abc"
    assert proc.finish() == ""


class Refuse(Stage):
    name = "refuse"

    def on_request(self, ctx: Context, request: LLMRequest) -> None:
        raise Blocked("Request refused: policy says no.", status=400, code="policy_no")


class Broken(Stage):
    name = "broken"

    def on_request(self, ctx: Context, request: LLMRequest) -> None:
        raise RuntimeError("detector crashed")


class BrokenOnResponse(Stage):
    name = "broken_response"

    def on_chunk(self, ctx: Context, stream: TextStream, text: str) -> str:
        raise RuntimeError("scanner crashed")


class Slow(Stage):
    name = "slow"

    def on_request(self, ctx: Context, request: LLMRequest) -> None:
        time.sleep(0.02)


@pytest.fixture(scope="module")
def proxies(proxy_factory):  # type: ignore[no-untyped-def]
    return {
        "refuse": proxy_factory(stages=[Refuse()]),
        "broken": proxy_factory(stages=[Broken()]),
        "broken_response": proxy_factory(stages=[BrokenOnResponse()]),
        "slow": proxy_factory(stages=[Slow()]),
    }


def _post(p, body):  # type: ignore[no-untyped-def]
    with p.client() as c:
        return c.post("/v1/chat/completions", json=body)


def test_blocked_becomes_openai_error(proxies, upstream: ScriptedUpstream) -> None:  # type: ignore[no-untyped-def]
    r = _post(proxies["refuse"], CHAT)
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "policy_no"
    assert upstream.requests == []


def test_stage_crash_fails_closed(proxies, upstream: ScriptedUpstream) -> None:  # type: ignore[no-untyped-def]
    r = _post(proxies["broken"], CHAT)
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "security_stage_error"
    assert "detector crashed" not in r.text
    assert upstream.requests == [], "a request must never be forwarded when a security stage fails"


def test_response_stage_crash_withholds_answer(proxies, upstream: ScriptedUpstream) -> None:  # type: ignore[no-untyped-def]
    upstream.push(Reply(content="secret-ish answer"), Reply(content="secret-ish answer"))
    r = _post(proxies["broken_response"], CHAT)
    assert r.status_code == 502 and "secret-ish" not in r.text
    r = _post(proxies["broken_response"], {**CHAT, "stream": True})
    assert "secret-ish" not in r.text
    assert "security_stage_error" in r.text and r.text.rstrip().endswith("data: [DONE]")


def test_overhead_header_counts_stage_time(proxies) -> None:  # type: ignore[no-untyped-def]
    r = _post(proxies["slow"], CHAT)
    assert r.status_code == 200
    assert float(r.headers["x-spp-overhead-ms"]) >= 20.0


def test_overhead_header_without_stages(bare_proxy) -> None:  # type: ignore[no-untyped-def]
    with httpx.Client(base_url=bare_proxy.url, headers={"authorization": "Bearer test-master-key-0123456789"}) as c:
        r = c.post("/v1/chat/completions", json=CHAT)
    assert r.status_code == 200
    assert float(r.headers["x-spp-overhead-ms"]) < 5.0
