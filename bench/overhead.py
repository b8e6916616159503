"""Proxy overhead: the same requests direct to a scripted upstream, through secure-prompt-proxy (core
with stages off, and full default protection), and through LiteLLM's own proxy, all in one run.

Prints p50/p99 added latency (sequential requests) and throughput at concurrency 16.

    .venv/bin/python bench/overhead.py [--requests 400] [--seconds 6]

LiteLLM's proxy needs the bench extra in its own venv: python3 -m venv .venv-bench &&
.venv-bench/bin/pip install 'litellm[proxy]==1.110.2' (the script uses it when present).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.support.upstream import free_port  # noqa: E402

KEY = "bench-master-key"
BODY = {"model": "bench", "messages": [{"role": "user", "content": "Write a function that adds two numbers."}]}


def spawn(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(cmd, env={**os.environ, **(env or {})}, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def wait_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} exited early")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not start")


async def sequential(url: str, headers: dict[str, str], n: int) -> list[float]:
    out = []
    async with httpx.AsyncClient(headers=headers, timeout=30) as c:
        for i in range(n + 20):
            t0 = time.perf_counter()
            r = await c.post(url, json=BODY)
            dt = (time.perf_counter() - t0) * 1000
            r.raise_for_status()
            if i >= 20:  # warm-up
                out.append(dt)
    return out


async def throughput(url: str, headers: dict[str, str], seconds: float, conc: int = 16) -> float:
    done = 0
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=conc, max_keepalive_connections=conc)
    async with httpx.AsyncClient(headers=headers, timeout=30, limits=limits) as c:
        async def worker() -> None:
            nonlocal done
            while time.perf_counter() < stop:
                r = await c.post(url, json=BODY)
                r.raise_for_status()
                done += 1
        t0 = time.perf_counter()
        await asyncio.gather(*[worker() for _ in range(conc)])
        return done / (time.perf_counter() - t0)


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--seconds", type=float, default=6.0)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="spp-bench-"))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        up_port = free_port()
        procs.append(spawn([sys.executable, "-m", "tests.support.serve_upstream", str(up_port)], cwd=ROOT))
        up = f"http://127.0.0.1:{up_port}/v1"
        wait_up(up.replace("/v1", "/"), procs[-1])
        targets = {"direct upstream": (up + "/chat/completions", {})}
        model = {"model_name": "bench", "litellm_params": {"model": "openai/bench", "api_base": up, "api_key": "k"}}
        off = {"enabled": False}
        variants = {
            "spp core (stages off)": {"redaction": off, "templates": off, "codescan": off},
            "spp full protection": {},
            "spp full, via litellm": {"server": {"upstream_mode": "litellm"}},
        }
        for name, extra in variants.items():
            cfg = {"model_list": [model], "auth": {"master_key": KEY}, "data_dir": str(tmp / name.replace(" ", "_")),
                   "log_level": "warning", **extra}
            path = tmp / f"{len(procs)}.yaml"
            path.write_text(yaml.safe_dump(cfg))
            port = free_port()
            procs.append(spawn([str(ROOT / ".venv/bin/spp"), "serve", "--config", str(path), "--port", str(port)]))
            wait_up(f"http://127.0.0.1:{port}/healthz", procs[-1])
            targets[name] = (f"http://127.0.0.1:{port}/v1/chat/completions", {"authorization": f"Bearer {KEY}"})
        litellm_bin = ROOT / ".venv-bench/bin/litellm"
        if litellm_bin.exists():
            port = free_port()
            cfg = {"model_list": [model], "general_settings": {"master_key": "sk-" + KEY}}
            path = tmp / "litellm.yaml"
            path.write_text(yaml.safe_dump(cfg))
            env = {"LITELLM_LOCAL_MODEL_COST_MAP": "True", "LITELLM_LOG": "ERROR"}
            procs.append(spawn([str(litellm_bin), "--config", str(path), "--port", str(port), "--num_workers", "1"],
                               env=env))
            wait_up(f"http://127.0.0.1:{port}/health/liveliness", procs[-1])
            targets["LiteLLM proxy"] = (f"http://127.0.0.1:{port}/v1/chat/completions",
                                        {"authorization": f"Bearer sk-{KEY}"})
        else:
            print("(LiteLLM proxy not measured: create .venv-bench with litellm[proxy], see docstring)")
        results = {}
        for name, (url, headers) in targets.items():
            lat = asyncio.run(sequential(url, headers, args.requests))
            rps = asyncio.run(throughput(url, headers, args.seconds))
            results[name] = (statistics.median(lat), pct(lat, 0.99), rps)
        base_p50, base_p99, base_rps = results["direct upstream"]
        print(f"\n{'target':28} {'p50 ms':>8} {'p99 ms':>8} {'added p50':>10} {'added p99':>10} "
              f"{'req/s c=16':>11} {'vs direct':>9}")
        for name, (p50, p99, rps) in results.items():
            print(f"{name:28} {p50:8.2f} {p99:8.2f} {p50 - base_p50:10.2f} {p99 - base_p99:10.2f} {rps:11.0f} "
                  f"{rps / base_rps:8.0%}")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
