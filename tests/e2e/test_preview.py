"""`POST /spp/preview`: the request exactly as it would be forwarded (after redaction and templates),
over real HTTP, with the upstream never called."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from proxy.templates.library import load_library
from proxy.templates.render import MARKER_CLOSE, MARKER_OPEN, MARKER_TAG
from tests.conftest import ProxyFactory, RunningProxy
from tests.support.upstream import ScriptedUpstream

AWS_KEY = "AKIAZ7QW3ERT5YUI2OPA"
EMAIL = "maria.garcia@northwind-mail.io"
LOGIN_WITH_SECRETS = (f"write a login endpoint in flask; the admin email is {EMAIL} and the "
                      f"AWS key is {AWS_KEY}")


@pytest.fixture(scope="module")
def gateway(proxy_factory: ProxyFactory) -> RunningProxy:
    """The default full pipeline; team payments adds the PCI-DSS pack."""
    return proxy_factory(teams={"payments": {"templates": {"compliance": ["pci-dss"]}}})


def preview(proxy: RunningProxy, body: dict[str, Any], key: str | None = None) -> httpx.Response:
    with proxy.client(key) if key else proxy.client() as c:
        return c.post("/spp/preview", json=body)


def chat(*messages: tuple[str, str], **extra: Any) -> dict[str, Any]:
    return {"model": "test-model", "messages": [{"role": r, "content": c} for r, c in messages], **extra}


def test_preview_is_redacted_and_templated_and_upstream_untouched(gateway: RunningProxy,
                                                                  upstream: ScriptedUpstream) -> None:
    r = preview(gateway, chat(("system", "You are helpful."), ("user", LOGIN_WITH_SECRETS)))
    assert r.status_code == 200, r.text
    assert upstream.requests == [], "a preview never calls the upstream"
    out = r.json()
    assert out["endpoint"] == "chat" and out["upstream_model"] == "openai/test-model"
    assert "x-spp-overhead-ms" in r.headers
    assert AWS_KEY not in r.text and EMAIL not in r.text, "the preview shows what leaves, not the input"

    msgs = out["forwarded"]["messages"]
    assert [m["role"] for m in msgs] == ["system", "user"]
    system, user = msgs[0]["content"], msgs[1]["content"]
    assert system.startswith("You are helpful.")
    assert system.count(MARKER_OPEN) == 1 and system.rstrip().endswith(MARKER_CLOSE)
    assert "argon2id" in system, "the auth pack for a login prompt"
    assert "<SECRET_AWS_ACCESS_KEY_1>" in user and "<EMAIL_ADDRESS_1>" in user
    assert user.startswith("write a login endpoint in flask")

    lib = load_library()
    applied = {t["id"]: t for t in out["templates_applied"]}
    assert {"base", "auth"} <= set(applied)
    assert "secrets" in applied, "templates run after redaction: the placeholder pulls in the secrets pack"
    assert applied["auth"]["hash"] == lib.packs["auth"].sha256
    assert out["redactions"], "redaction counts by type"
    assert all(isinstance(v, int) for v in out["redactions"].values())


def test_preview_equals_what_the_upstream_then_receives(gateway: RunningProxy,
                                                        upstream: ScriptedUpstream) -> None:
    body = chat(("user", LOGIN_WITH_SECRETS))
    forwarded = preview(gateway, body).json()["forwarded"]
    assert upstream.requests == []
    with gateway.client() as c:
        assert c.post("/v1/chat/completions", json=body).status_code == 200
    assert len(upstream.requests) == 1
    assert upstream.last().body["messages"] == forwarded["messages"]


def test_hello_preview_has_no_block(gateway: RunningProxy, upstream: ScriptedUpstream) -> None:
    out = preview(gateway, chat(("user", "hello"))).json()
    assert out["forwarded"]["messages"] == [{"role": "user", "content": "hello"}]
    assert out["templates_applied"] == []
    assert upstream.requests == []


def test_preview_keeps_ssti_probes_verbatim(gateway: RunningProxy, upstream: ScriptedUpstream) -> None:
    text = "write a SQL query {{7*7}} {% raw %}x{% endraw %} {{ ''.__class__.__mro__ }}"
    out = preview(gateway, chat(("user", text))).json()
    assert out["forwarded"]["messages"][-1] == {"role": "user", "content": text}
    assert "bound parameter" in out["forwarded"]["messages"][0]["content"]
    assert upstream.requests == []


def test_preview_of_completions_has_no_block_by_default(gateway: RunningProxy,
                                                        upstream: ScriptedUpstream) -> None:
    prompt = f'AWS = "{AWS_KEY}"\ndef check_password(user, password):\n    '
    out = preview(gateway, {"model": "test-model", "prompt": prompt, "suffix": "\n    return ok\n"}).json()
    assert out["endpoint"] == "completions"
    assert MARKER_TAG not in json.dumps(out["forwarded"])
    assert out["templates_applied"] == []
    assert AWS_KEY not in out["forwarded"]["prompt"]
    assert out["forwarded"]["prompt"].endswith("def check_password(user, password):\n    ")
    assert upstream.requests == []


def test_preview_applies_the_team_policy(gateway: RunningProxy, upstream: ScriptedUpstream) -> None:
    from proxy.store.keys_cli import create_key

    _, key = asyncio.run(create_key(gateway.settings, "pat", "payments"))
    body = chat(("user", "write a login endpoint in flask"))
    team = preview(gateway, body, key=key).json()
    assert "pci-dss" in [t["id"] for t in team["templates_applied"]]
    assert "PCI-DSS" in team["forwarded"]["messages"][0]["content"]
    default = preview(gateway, body).json()
    assert "pci-dss" not in [t["id"] for t in default["templates_applied"]]
    assert upstream.requests == []


def test_preview_drops_routing_fields(gateway: RunningProxy, upstream: ScriptedUpstream) -> None:
    out = preview(gateway, chat(("user", "hello"), api_base="http://evil.example/v1", temperature=0.2)).json()
    assert "api_base" in out["dropped_params"] and "api_base" not in out["forwarded"]
    assert out["forwarded"]["temperature"] == 0.2
    assert upstream.requests == []


@pytest.mark.parametrize("headers", [{}, {"authorization": "Bearer wrong-key"}, {"x-api-key": "nope"}])
def test_preview_requires_auth(gateway: RunningProxy, upstream: ScriptedUpstream,
                               headers: dict[str, str]) -> None:
    with httpx.Client(base_url=gateway.url, timeout=30) as c:
        r = c.post("/spp/preview", json=chat(("user", LOGIN_WITH_SECRETS)), headers=headers)
    assert r.status_code == 401
    assert r.json()["error"]["type"] == "authentication_error"
    assert "forwarded" not in r.text and AWS_KEY not in r.text
    assert upstream.requests == []


def test_preview_unknown_model_is_404(gateway: RunningProxy, upstream: ScriptedUpstream) -> None:
    r = preview(gateway, {"model": "no-such-model", "messages": [{"role": "user", "content": "hi"}]})
    assert r.status_code == 404 and r.json()["error"]["code"] == "model_not_found"
    assert upstream.requests == []
