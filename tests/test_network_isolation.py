"""The proxy makes no network connection except to configured upstreams (litellm cost map, presidio or
tldextract downloads and telemetry are all off). Proven by running `spp serve` under an audit hook."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml

from tests.conftest import MASTER_KEY, config_dict
from tests.support.upstream import Reply, ScriptedUpstream, free_port

ROOT = Path(__file__).resolve().parents[1]


def test_only_the_upstream_is_contacted(upstream: ScriptedUpstream, tmp_path: Path) -> None:
    cfg = config_dict(upstream, tmp_path / "data")
    cfg["model_list"].append({"model_name": "via-litellm", "litellm_params": {
        "model": "openai/test-model", "api_base": upstream.base_url, "api_key": "k"}})
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(cfg))
    log = tmp_path / "net.log"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LITELLM", "HF_"))}
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests/support/netguard.py"), str(log), "serve",
         "--config", str(tmp_path / "config.yaml"), "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            assert time.monotonic() < deadline, "proxy did not start"
            time.sleep(0.2)
        headers = {"authorization": f"Bearer {MASTER_KEY}"}
        upstream.push(*[Reply(content="Dear Maria Garcia, here you go.")] * 4)
        with httpx.Client(base_url=url, headers=headers, timeout=60) as c:
            for model in ("test-model", "via-litellm"):
                for stream in (False, True):
                    r = c.post("/v1/chat/completions", json={
                        "model": model, "stream": stream,
                        "messages": [{"role": "user", "content": "Email maria@example.com about https://psycopg2.co"}]})
                    assert r.status_code == 200, r.text
        assert len(upstream.requests) == 4
    finally:
        proc.terminate()
        out = proc.communicate(timeout=30)[0]
    assert not log.exists(), f"outbound connections attempted:\n{log.read_text()}\n{out[-3000:]}"
