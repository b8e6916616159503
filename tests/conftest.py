"""Shared fixtures: a scripted upstream, real proxies on free ports, and real clients."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from proxy.app import create_app  # noqa: E402
from proxy.pipeline.stage import Stage  # noqa: E402
from proxy.settings import Settings, parse_settings  # noqa: E402
from tests.support.upstream import ScriptedUpstream, ServerThread, free_port  # noqa: E402

MASTER_KEY = "test-master-key-0123456789"
UPSTREAM_KEY = "sk-upstream-key-never-shown-to-clients"


@pytest.fixture(scope="session")
def upstream() -> Iterator[ScriptedUpstream]:
    up = ScriptedUpstream()
    server = ServerThread(up.app(), up.port).start()
    yield up
    server.stop()


@pytest.fixture(autouse=True)
def _reset_upstream(request: pytest.FixtureRequest) -> None:
    if "upstream" in request.fixturenames:
        request.getfixturevalue("upstream").reset()


def config_dict(upstream: ScriptedUpstream, data_dir: Path, **sections: Any) -> dict[str, Any]:
    cfg: dict[str, Any] = {
        "model_list": [
            {"model_name": "test-model",
             "litellm_params": {"model": "openai/test-model", "api_base": upstream.base_url, "api_key": UPSTREAM_KEY}},
            {"model_name": "dead-model",
             "litellm_params": {"model": "openai/dead", "api_base": f"http://127.0.0.1:{free_port()}/v1",
                                "api_key": UPSTREAM_KEY}},
        ],
        "auth": {"master_key": MASTER_KEY},
        "data_dir": str(data_dir),
    }
    cfg.update(sections)
    return cfg


class RunningProxy:
    def __init__(self, settings: Settings, stages: list[Stage] | None = None) -> None:
        self.settings = settings
        self.port = free_port()
        self.app = create_app(settings, stages)
        self.server = ServerThread(self.app, self.port).start(timeout=120)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def services(self) -> Any:
        return self.app.state.services

    def client(self, key: str = MASTER_KEY) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"authorization": f"Bearer {key}"}, timeout=30)

    def openai(self, key: str = MASTER_KEY) -> Any:
        import openai

        return openai.OpenAI(base_url=self.url + "/v1", api_key=key, max_retries=0, timeout=30)

    def stop(self) -> None:
        self.server.stop()


ProxyFactory = Callable[..., RunningProxy]


@pytest.fixture(scope="module")
def proxy_factory(upstream: ScriptedUpstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProxyFactory]:
    started: list[RunningProxy] = []

    def make(stages: list[Stage] | None = None, **sections: Any) -> RunningProxy:
        data_dir = tmp_path_factory.mktemp("spp-data")
        p = RunningProxy(parse_settings(config_dict(upstream, data_dir, **sections)), stages)
        started.append(p)
        return p

    yield make
    for p in started:
        p.stop()


@pytest.fixture(scope="module")
def proxy(proxy_factory: ProxyFactory) -> RunningProxy:
    """A proxy with the default (full-protection) pipeline."""
    return proxy_factory()


@pytest.fixture(scope="module")
def bare_proxy(proxy_factory: ProxyFactory) -> RunningProxy:
    """A proxy with no stages: the core alone."""
    return proxy_factory(stages=[])


def wait_for_usage(client: httpx.Client, request_id: str, timeout: float = 10.0) -> dict[str, Any]:
    """Poll the admin API until the batch writer has stored the request's usage record."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = client.get("/admin/usage", params={"request_id": request_id})
        if r.status_code == 200:
            items = r.json().get("data") or r.json().get("items") or []
            for item in items:
                if item.get("request_id") == request_id:
                    return item  # type: ignore[no-any-return]
        time.sleep(0.1)
    raise AssertionError(f"no usage record for {request_id}")
