"""Authentication: master key, per-user keys, x-api-key, and OpenAI-format 401s."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.conftest import RunningProxy, wait_for_usage
from tests.support.upstream import ScriptedUpstream

CHAT = {"model": "test-model", "messages": [{"role": "user", "content": "hello"}]}


@pytest.fixture(scope="module")
def core(proxy_factory) -> RunningProxy:  # type: ignore[no-untyped-def]
    return proxy_factory(stages=[])


def _post(core: RunningProxy, headers: dict[str, str]) -> httpx.Response:
    with httpx.Client(base_url=core.url, timeout=30) as c:
        return c.post("/v1/chat/completions", json=CHAT, headers=headers)


@pytest.mark.parametrize("headers,code", [
    ({}, "missing_api_key"),
    ({"authorization": "Bearer wrong-key"}, "invalid_api_key"),
    ({"authorization": "Basic dXNlcjpwYXNz"}, "missing_api_key"),
    ({"x-api-key": "also-wrong"}, "invalid_api_key"),
])
def test_rejected(core: RunningProxy, upstream: ScriptedUpstream, headers: dict[str, str], code: str) -> None:
    r = _post(core, headers)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == code
    assert r.json()["error"]["type"] == "authentication_error"
    assert upstream.requests == []


def test_master_key_bearer_and_x_api_key(core: RunningProxy) -> None:
    key = core.settings.auth.master_key
    assert _post(core, {"authorization": f"Bearer {key}"}).status_code == 200
    assert _post(core, {"x-api-key": key}).status_code == 200



def test_user_key_maps_to_user_and_team(core: RunningProxy, upstream: ScriptedUpstream) -> None:
    from proxy.store.keys_cli import create_key, revoke_key

    key_id, plaintext = asyncio.run(create_key(core.settings, "alice", "payments"))
    r = _post(core, {"authorization": f"Bearer {plaintext}"})
    assert r.status_code == 200
    rid = r.headers["x-spp-request-id"]
    with core.client() as c:
        rows = wait_for_usage(c, rid)
    assert (rows["user"], rows["team"], rows["key_id"]) == ("alice", "payments", key_id)
    assert asyncio.run(revoke_key(core.settings, key_id))
    import time

    time.sleep(5.5)  # the key store caches lookups for at most 5 s
    assert _post(core, {"authorization": f"Bearer {plaintext}"}).status_code == 401


def test_admin_routes_need_master_key(core: RunningProxy) -> None:
    from proxy.store.keys_cli import create_key

    _, plaintext = asyncio.run(create_key(core.settings, "bob", "web"))
    with httpx.Client(base_url=core.url, timeout=30) as c:
        assert c.get("/admin/usage").status_code == 401
        assert c.get("/admin/usage", headers={"authorization": f"Bearer {plaintext}"}).status_code == 403
        ok = c.get("/admin/usage", headers={"authorization": f"Bearer {core.settings.auth.master_key}"})
        assert ok.status_code == 200
