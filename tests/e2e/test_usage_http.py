"""Usage logging end to end: a real proxy over HTTP, the scripted upstream, and the store on SQLite
(the default) and on the local PostgreSQL. One record per request, also for refused and failed ones,
with the audit fields the issue asks for; spill and replay when the database is down; `spp logs`,
`spp keys` and `spp provenance` as subprocesses against the same database."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import text

from proxy.settings import parse_settings
from proxy.store.codehash import block_fingerprints
from proxy.store.db import Database
from proxy.store.keys_cli import create_key
from tests.conftest import MASTER_KEY, UPSTREAM_KEY, ProxyFactory, RunningProxy, config_dict
from tests.store.support import pg_schema, pg_url_for_schema
from tests.support.upstream import Reply, ScriptedUpstream, free_port

REPO = Path(__file__).resolve().parents[2]
IN_COST, OUT_COST = 2e-6, 8e-6
TEAMS = {"strict": {"redaction": {"actions": {"US_SSN": "block"}}}}
USERS = {"alice": "payments", "sam": "strict"}
HEX64 = re.compile(r"^[0-9a-f]{64}$")

AWS_KEY = "AKIAZ7QW3ERT5YUI2OPC"
EMAIL = "maria.garcia@northwind-mail.io"
SSN = "536-22-8174"

SAFE_CODE = (
    "import json\n"
    "from pathlib import Path\n"
    "\n"
    "def load_config(path: str) -> dict:\n"
    "    text = Path(path).read_text(encoding=\"utf-8\")\n"
    "    data = json.loads(text)\n"
    "    if not isinstance(data, dict):\n"
    "        raise ValueError(\"config must be a JSON object\")\n"
    "    return data\n"
)
STREAM_CODE = (
    "def chunked(items: list, size: int) -> list:\n"
    "    if size <= 0:\n"
    "        raise ValueError(\"size must be positive\")\n"
    "    return [items[i:i + size] for i in range(0, len(items), size)]\n"
)
SHELL_CODE = 'import subprocess\nsubprocess.call("ls " + request.args["d"], shell=True)\n'
PICKLE_CODE = 'import pickle\nwith open(path, "rb") as f:\n    model = pickle.load(f)\n'


def fenced(code: str, before: str = "Here you go:\n", after: str = "Done.") -> str:
    return f"{before}```python\n{code}```\n{after}"


def model_list(upstream: ScriptedUpstream) -> list[dict[str, Any]]:
    """The conftest models, with a price so the record's cost is checkable."""
    return [
        {"model_name": "test-model",
         "litellm_params": {"model": "openai/test-model", "api_base": upstream.base_url,
                            "api_key": UPSTREAM_KEY},
         "model_info": {"input_cost_per_token": IN_COST, "output_cost_per_token": OUT_COST}},
        {"model_name": "dead-model",
         "litellm_params": {"model": "openai/dead", "api_base": f"http://127.0.0.1:{free_port()}/v1",
                            "api_key": UPSTREAM_KEY}},
    ]


# -- helpers shared with the other e2e files ------------------------------------------------------

def sql(url: str, statement: str, **params: Any) -> list[tuple[Any, ...]]:
    """Run one statement against the proxy's database from the test thread (its own engine)."""

    async def go() -> list[tuple[Any, ...]]:
        db = Database(url)
        try:
            async with db.engine.connect() as conn:
                return [tuple(r) for r in await conn.execute(text(statement), params)]
        finally:
            await db.dispose()

    return asyncio.run(go())


def new_key(proxy: RunningProxy, user: str, team: str) -> tuple[str, str]:
    """(key_id, plaintext) created in the proxy's own key store."""
    return asyncio.run(create_key(proxy.settings, user, team))


def fetch_records(client: httpx.Client, ids: list[str], timeout: float = 15.0) -> dict[str, dict[str, Any]]:
    """Poll /admin/usage until every request id has its record (the writer batches in the background)."""
    deadline = time.monotonic() + timeout
    found: dict[str, dict[str, Any]] = {}
    while time.monotonic() < deadline:
        r = client.get("/admin/usage", params={"limit": 1000})
        if r.status_code == 200:
            found = {it["request_id"]: it for it in r.json()["items"]}
            if all(i in found for i in ids):
                return {i: found[i] for i in ids}
        time.sleep(0.05)
    raise AssertionError(f"no usage record for {sorted(set(ids) - set(found))}")


def sse_events(body: str) -> list[Any]:
    out: list[Any] = []
    for line in body.splitlines():
        if line.startswith("data: "):
            payload = line[len("data: "):]
            out.append(payload if payload == "[DONE]" else json.loads(payload))
    return out


def streamed_text(events: list[Any]) -> str:
    return "".join((ch.get("delta") or {}).get("content") or ""
                   for e in events if isinstance(e, dict) for ch in e.get("choices") or [])


def start_proxy(upstream: ScriptedUpstream, data_dir: Path, **sections: Any) -> RunningProxy:
    """A proxy on a data directory of our choosing (proxy_factory picks its own); the caller stops it."""
    sections.setdefault("usage", {"flush_interval_s": 0.05})
    return RunningProxy(parse_settings(config_dict(upstream, data_dir, **sections)))


def cli_config(path: Path, database_url: str, data_dir: Path) -> Path:
    """A config file for `spp` subcommands that only need the usage database."""
    path.write_text(yaml.safe_dump({
        "model_list": [{"model_name": "test-model", "litellm_params": {"model": "openai/test-model"}}],
        "database_url": database_url,
        "data_dir": str(data_dir),
    }))
    return path


def spp(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    return subprocess.run([sys.executable, "-m", "proxy", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=60)


# -- one proxy per backend, every scenario sent once ----------------------------------------------

@dataclass
class Sent:
    request_id: str
    status: int
    body: str
    headers: dict[str, str]
    t0: datetime
    t1: datetime
    upstream_body: dict[str, Any] | None = None


@dataclass
class Stack:
    kind: str
    proxy: RunningProxy
    db_url: str
    keys: dict[str, tuple[str, str]]
    sent: dict[str, Sent] = field(default_factory=dict)
    all_ids: list[str] = field(default_factory=list)  # every request this proxy served, in order

    def client(self, user: str | None = None) -> httpx.Client:
        return self.proxy.client(self.keys[user][1] if user else MASTER_KEY)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def stack(request: pytest.FixtureRequest, proxy_factory: ProxyFactory,
          upstream: ScriptedUpstream) -> Iterator[Stack]:
    with contextlib.ExitStack() as es:
        sections: dict[str, Any] = {"model_list": model_list(upstream), "teams": TEAMS,
                                    "server": {"upstream_retries": 0}, "usage": {"flush_interval_s": 0.05}}
        if request.param == "postgresql":
            sections["database_url"] = pg_url_for_schema(es.enter_context(pg_schema()))
        proxy = proxy_factory(**sections)  # SQLite: no database_url, i.e. the default <data_dir>/usage.db
        try:
            keys = {u: new_key(proxy, u, t) for u, t in USERS.items()}
            yield Stack(request.param, proxy, proxy.settings.resolved_database_url, keys)
        finally:
            proxy.stop()  # before the schema is dropped


def _send(st: Stack, up: ScriptedUpstream, name: str, path: str, body: dict[str, Any] | bytes, *,
          key: str | None = MASTER_KEY, replies: tuple[Reply, ...] = ()) -> Sent:
    up.push(*replies)
    n = len(up.requests)
    headers = {"authorization": f"Bearer {key}"} if key else {}
    t0 = datetime.now(UTC)
    with httpx.Client(base_url=st.proxy.url, timeout=30) as c:
        r = c.post(path, json=body, headers=headers) if isinstance(body, dict) else c.post(path, content=body,
                                                                                            headers=headers)
    t1 = datetime.now(UTC)
    rid = r.headers.get("x-spp-request-id")
    assert rid, f"{name}: no x-spp-request-id header ({r.status_code})"
    sent = Sent(rid, r.status_code, r.text, dict(r.headers), t0, t1,
                up.requests[-1].body if len(up.requests) > n else None)
    st.sent[name] = sent
    st.all_ids.append(rid)
    return sent


def _client_goes_away(st: Stack, up: ScriptedUpstream) -> None:
    """A streamed answer whose client hangs up after the first event."""
    up.push(Reply(content="A long answer. " * 200, chunk_delay_s=0.01))
    t0 = datetime.now(UTC)
    with httpx.Client(base_url=st.proxy.url, timeout=30) as c, c.stream(
            "POST", "/v1/chat/completions", headers={"authorization": f"Bearer {st.keys['alice'][1]}"},
            json={"model": "test-model", "stream": True, "messages": [{"role": "user", "content": "Go on."}]}) as r:
        first = next(r.iter_lines())
        rid = r.headers["x-spp-request-id"]
    assert first.startswith("data: ")
    st.sent["client_gone"] = Sent(rid, r.status_code, first, dict(r.headers), t0, datetime.now(UTC))
    st.all_ids.append(rid)


@pytest.fixture(scope="module")
def scenarios(stack: Stack, upstream: ScriptedUpstream) -> Stack:
    up, alice, sam = upstream, stack.keys["alice"][1], stack.keys["sam"][1]
    upstream.reset()
    chat = "/v1/chat/completions"
    ask = "Write a Python function that loads a JSON config file."

    def msgs(content: str) -> list[dict[str, Any]]:
        return [{"role": "user", "content": content}]

    _send(stack, up, "normal", chat, {"model": "test-model", "messages": msgs(
        f"{ask} Mail the result to {EMAIL}; our deploy key is {AWS_KEY}.")},
        key=alice, replies=(Reply(content=fenced(SAFE_CODE)),))
    _send(stack, up, "stream", chat, {"model": "test-model", "stream": True,
                                      "stream_options": {"include_usage": True},
                                      "messages": msgs("Write a Python list chunking helper.")},
          key=alice, replies=(Reply(content=fenced(STREAM_CODE)),))
    _send(stack, up, "stream_plain", chat,
          {"model": "test-model", "stream": True, "messages": msgs("Say hello.")},
          key=alice, replies=(Reply(content="Hello there, nice to meet you."),))
    _send(stack, up, "blocked_code", chat, {"model": "test-model", "messages": msgs(
        "Write a Python Flask view that lists a directory given in the query string.")},
        key=alice, replies=(Reply(content=fenced(SHELL_CODE)),))
    _send(stack, up, "annotated_stream", chat, {"model": "test-model", "stream": True, "messages": msgs(
        "Write Python code that loads a saved model from disk.")},
        key=alice, replies=(Reply(content=fenced(PICKLE_CODE)),))
    _send(stack, up, "bad_key", chat, {"model": "test-model", "messages": msgs("hi")},
          key="sk-not-a-valid-proxy-key-123456")
    _send(stack, up, "no_key", chat, {"model": "test-model", "messages": msgs("hi")}, key=None)
    _send(stack, up, "unknown_model", chat, {"model": "no-such-model", "messages": msgs("hi")}, key=alice)
    _send(stack, up, "upstream_500", chat, {"model": "test-model", "messages": msgs("hi")},
          key=alice, replies=(Reply(status=500),))
    _send(stack, up, "dead_upstream", chat, {"model": "dead-model", "messages": msgs("hi")}, key=alice)
    _send(stack, up, "midstream", chat,
          {"model": "test-model", "stream": True, "messages": msgs("Tell a story.")}, key=alice,
          replies=(Reply(content="Once upon a time " * 20, disconnect_after=5, chunk_delay_s=0.02),))
    _client_goes_away(stack, up)
    _send(stack, up, "redaction_block", chat, {"model": "test-model", "messages": msgs(
        f"My SSN is {SSN}, please fill in the form.")}, key=sam)
    _send(stack, up, "completions", "/v1/completions", {"model": "test-model", "prompt": "def add(a, b):\n",
                                                         "suffix": "\n"},
          key=alice, replies=(Reply(content="    return a + b\n"),))
    upstream.reset()
    return stack


@pytest.fixture(scope="module")
def records(scenarios: Stack) -> dict[str, dict[str, Any]]:
    got = fetch_records(scenarios.client(), [s.request_id for s in scenarios.sent.values()])
    return {name: got[s.request_id] for name, s in scenarios.sent.items()}


# -- one record per request -----------------------------------------------------------------------

def test_one_record_per_request(scenarios: Stack, records: dict[str, dict[str, Any]]) -> None:
    ids = [s.request_id for s in scenarios.sent.values()]
    assert len(set(ids)) == len(ids), "request ids are unique"
    rows = sql(scenarios.db_url, "SELECT request_id, count(*) FROM usage GROUP BY request_id")
    counts = dict(rows)
    assert set(counts) == set(scenarios.all_ids), "the requests sent, refused and failed ones included"
    assert all(n == 1 for n in counts.values()), {k: n for k, n in counts.items() if n != 1}
    for name, s in scenarios.sent.items():
        rec = records[name]
        if name not in ("midstream", "client_gone"):  # a stream that fails after its headers records why
            assert rec["status"] == s.status, name
        t = datetime.fromisoformat(rec["time"])
        assert s.t0.timestamp() - 1 <= t.timestamp() <= s.t1.timestamp() + 1, name


def _no_key_material(rec: dict[str, Any], stack: Stack) -> None:
    blob = json.dumps(rec)
    for _, plaintext in stack.keys.values():
        assert plaintext not in blob
    assert MASTER_KEY not in blob and UPSTREAM_KEY not in blob


def test_normal_answer(scenarios: Stack, records: dict[str, dict[str, Any]]) -> None:
    s, rec = scenarios.sent["normal"], records["normal"]
    key_id, _ = scenarios.keys["alice"]
    assert s.status == 200
    answer = json.loads(s.body)
    assert SAFE_CODE in answer["choices"][0]["message"]["content"], "safe code comes back unchanged"
    assert rec["user"] == "alice" and rec["team"] == "payments"
    assert rec["key_id"] == key_id and rec["key_id"].startswith("key_")
    _no_key_material(rec, scenarios)
    assert (rec["endpoint"], rec["model"]) == ("chat", "test-model")
    assert rec["upstream_model"] == "openai/test-model"
    assert rec["stream"] is False and rec["outcome"] == "passed" and rec["error_type"] == ""
    # Tokens from the upstream's usage block, cost from the configured unit prices.
    usage = answer["usage"]
    assert rec["prompt_tokens"] == usage["prompt_tokens"]
    assert rec["completion_tokens"] == usage["completion_tokens"]
    assert rec["prompt_tokens"] > 0 and rec["completion_tokens"] > 0
    cost = usage["prompt_tokens"] * IN_COST + usage["completion_tokens"] * OUT_COST
    assert rec["cost_usd"] == pytest.approx(cost, abs=1e-9)
    # Latencies: total >= upstream, per-stage overhead for every stage, summed into overhead_ms.
    assert set(rec["stage_ms"]) == {"redact", "templates", "codescan"}
    assert all(v >= 0 for v in rec["stage_ms"].values())
    assert rec["overhead_ms"] == pytest.approx(sum(rec["stage_ms"].values()), abs=0.01)
    assert float(s.headers["x-spp-overhead-ms"]) == pytest.approx(rec["overhead_ms"], abs=0.05)
    assert 0 < rec["upstream_ms"] <= rec["latency_ms"]
    assert rec["latency_ms"] <= (s.t1 - s.t0).total_seconds() * 1000 + 5
    # Redactions by type, counts only.
    assert rec["redactions"].get("EMAIL_ADDRESS") == 1 and rec["redactions"].get("SECRET_AWS_ACCESS_KEY") == 1
    assert all(isinstance(v, int) for v in rec["redactions"].values())
    assert rec["redaction_count"] == sum(rec["redactions"].values())
    assert EMAIL not in json.dumps(rec) and AWS_KEY not in json.dumps(rec)
    # Templates: id + content hash.
    assert rec["templates"], "a coding prompt gets the security templates"
    assert all(set(t) == {"id", "hash"} and t["id"] and HEX64.match(t["hash"]) for t in rec["templates"])
    assert rec["findings"] == [] and rec["finding_count"] == 0
    assert rec["code_blocks"] == 1
    assert "redacted_prompt" not in rec, "store_prompts is off by default"


def test_returned_code_is_fingerprinted(scenarios: Stack, records: dict[str, dict[str, Any]]) -> None:
    rid = scenarios.sent["normal"].request_id
    rows = sql(scenarios.db_url, "SELECT hash, block_hash, first_line, last_line, \"user\", team, model "
                                 "FROM code_fingerprints WHERE request_id = :rid", rid=rid)
    expected = block_fingerprints(SAFE_CODE)
    assert expected is not None
    assert {r[1] for r in rows} == {expected["hash"]}
    assert {(r[0], r[2], r[3]) for r in rows} == {tuple(w) for w in expected["windows"]}
    assert {(r[4], r[5], r[6]) for r in rows} == {("alice", "payments", "test-model")}
    blocked = scenarios.sent["blocked_code"].request_id
    assert sql(scenarios.db_url, "SELECT count(*) FROM code_fingerprints WHERE request_id = :rid",
               rid=blocked) == [(0,)], "code that was withheld was never returned, so it has no fingerprint"


def test_streamed_answer(scenarios: Stack, records: dict[str, dict[str, Any]]) -> None:
    s, rec = scenarios.sent["stream"], records["stream"]
    events = sse_events(s.body)
    assert events[-1] == "[DONE]" and STREAM_CODE in streamed_text(events)
    usage = [e["usage"] for e in events if isinstance(e, dict) and e.get("usage")]
    assert len(usage) == 1, "the client asked for usage"
    assert rec["stream"] is True and rec["status"] == 200 and rec["outcome"] == "passed"
    assert (rec["prompt_tokens"], rec["completion_tokens"]) == (usage[0]["prompt_tokens"],
                                                                usage[0]["completion_tokens"])
    assert rec["cost_usd"] > 0
    assert set(rec["stage_ms"]) == {"redact", "templates", "codescan"}
    assert 0 < rec["upstream_ms"] <= rec["latency_ms"]
    assert rec["code_blocks"] == 1 and rec["user"] == "alice"


def test_streamed_usage_is_counted_when_the_client_did_not_ask(scenarios: Stack,
                                                               records: dict[str, dict[str, Any]]) -> None:
    s, rec = scenarios.sent["stream_plain"], records["stream_plain"]
    events = sse_events(s.body)
    assert not any(isinstance(e, dict) and e.get("usage") for e in events), "the client did not ask for usage"
    assert s.upstream_body is not None and s.upstream_body["stream_options"] == {"include_usage": True}
    assert rec["prompt_tokens"] > 0 and rec["completion_tokens"] > 0 and rec["stream"] is True


def test_insecure_code_blocked(scenarios: Stack, records: dict[str, dict[str, Any]]) -> None:
    s, rec = scenarios.sent["blocked_code"], records["blocked_code"]
    content = json.loads(s.body)["choices"][0]["message"]["content"]
    assert "shell=True" not in content and "removed" in content
    assert rec["outcome"] == "blocked" and rec["status"] == 200
    assert rec["finding_count"] == len(rec["findings"]) >= 1
    f = next(f for f in rec["findings"] if f["action"] == "block")
    assert f["cwe"] == "CWE-78" and f["severity"] == "critical" and f["rule_id"].startswith("python.")
    assert set(f) == {"rule_id", "cwe", "severity", "action", "line", "language"}
    assert rec["code_blocks"] == 0


def test_insecure_code_annotated_in_a_stream(scenarios: Stack, records: dict[str, dict[str, Any]]) -> None:
    s, rec = scenarios.sent["annotated_stream"], records["annotated_stream"]
    text_out = streamed_text(sse_events(s.body))
    assert PICKLE_CODE in text_out and "CWE-502" in text_out
    assert rec["outcome"] == "annotated" and rec["stream"] is True and rec["status"] == 200
    got = [(f["cwe"], f["severity"], f["action"]) for f in rec["findings"]]
    assert got == [("CWE-502", "high", "annotate")]
    assert rec["code_blocks"] == 1


@pytest.mark.parametrize("name,code", [("bad_key", "invalid_api_key"), ("no_key", "missing_api_key")])
def test_refused_401(scenarios: Stack, records: dict[str, dict[str, Any]], name: str, code: str) -> None:
    s, rec = scenarios.sent[name], records[name]
    assert s.status == 401 and json.loads(s.body)["error"]["code"] == code
    assert (rec["status"], rec["outcome"], rec["error_type"]) == (401, "refused", code)
    assert (rec["user"], rec["team"], rec["key_id"]) == ("(unknown)", "(unknown)", "")
    assert rec["model"] == "(unknown)", "the model of an unauthenticated request is not trusted"
    assert rec["prompt_tokens"] == rec["completion_tokens"] == 0 and rec["cost_usd"] == 0
    assert "sk-not-a-valid-proxy-key" not in json.dumps(rec)


def test_unknown_model(scenarios: Stack, records: dict[str, dict[str, Any]]) -> None:
    s, rec = scenarios.sent["unknown_model"], records["unknown_model"]
    assert s.status == 404
    assert (rec["status"], rec["outcome"], rec["error_type"]) == (404, "client_error", "model_not_found")
    assert rec["model"] == "(unknown)" and rec["upstream_model"] == ""
    assert rec["user"] == "alice" and rec["key_id"] == scenarios.keys["alice"][0]


@pytest.mark.parametrize("name,code", [("upstream_500", "upstream_error"),
                                       ("dead_upstream", "upstream_connection_error")])
def test_upstream_failure(scenarios: Stack, records: dict[str, dict[str, Any]], name: str, code: str) -> None:
    s, rec = scenarios.sent[name], records[name]
    assert s.status >= 500 and json.loads(s.body)["error"]["code"] == code
    assert (rec["status"], rec["outcome"], rec["error_type"]) == (s.status, "upstream_error", code)
    assert rec["upstream_ms"] > 0 and rec["completion_tokens"] == 0
    assert set(rec["stage_ms"]) == {"redact", "templates", "codescan"}, "request stages ran before it failed"


def test_mid_stream_disconnect(scenarios: Stack, records: dict[str, dict[str, Any]]) -> None:
    s, rec = scenarios.sent["midstream"], records["midstream"]
    events = sse_events(s.body)
    assert s.status == 200, "headers were already sent"
    errors = [e for e in events if isinstance(e, dict) and "error" in e]
    assert len(errors) == 1 and events[-1] == "[DONE]"
    assert "Once" in streamed_text(events), "what arrived before the cut was passed on"
    assert rec["stream"] is True and rec["outcome"] == "upstream_error"
    assert rec["status"] >= 500 and rec["error_type"] == errors[0]["error"]["code"]
    assert rec["completion_tokens"] > 0, "what was streamed before the cut is counted"


def test_client_disconnect_mid_stream(scenarios: Stack, records: dict[str, dict[str, Any]]) -> None:
    rec = records["client_gone"]
    assert (rec["status"], rec["outcome"], rec["error_type"]) == (499, "client_disconnected", "client_disconnected")
    assert rec["stream"] is True and rec["user"] == "alice"


def test_redaction_block(scenarios: Stack, records: dict[str, dict[str, Any]]) -> None:
    s, rec = scenarios.sent["redaction_block"], records["redaction_block"]
    assert s.status == 400 and s.upstream_body is None, "nothing was sent upstream"
    assert SSN not in s.body and "US_SSN" in s.body
    assert (rec["status"], rec["outcome"], rec["error_type"]) == (400, "blocked", "sensitive_data_blocked")
    assert (rec["user"], rec["team"]) == ("sam", "strict")
    assert list(rec["stage_ms"]) == ["redact"] and rec["upstream_ms"] == 0
    assert SSN not in json.dumps(rec)


def test_completions_endpoint(scenarios: Stack, records: dict[str, dict[str, Any]]) -> None:
    rec = records["completions"]
    assert (rec["endpoint"], rec["status"], rec["stream"]) == ("completions", 200, False)
    assert rec["prompt_tokens"] > 0


def test_admin_usage_filters_and_summary(scenarios: Stack, records: dict[str, dict[str, Any]]) -> None:
    c = scenarios.client()
    strict = c.get("/admin/usage", params={"team": "strict"}).json()["items"]
    assert [r["request_id"] for r in strict] == [scenarios.sent["redaction_block"].request_id]
    refused = {r["request_id"] for r in c.get("/admin/usage", params={"outcome": "refused"}).json()["items"]}
    assert refused == {scenarios.sent["bad_key"].request_id, scenarios.sent["no_key"].request_id}
    rows = c.get("/admin/usage/summary", params={"group_by": "team"}).json()["rows"]
    by_team = {r["team"]: r for r in rows}
    assert by_team["strict"]["requests"] == 1 and by_team["payments"]["requests"] >= 10
    user_key = {"authorization": "Bearer " + scenarios.keys["alice"][1]}
    assert c.get("/admin/usage", headers=user_key).status_code == 403


# -- the CLI against the same database ------------------------------------------------------------

def test_spp_logs_json(scenarios: Stack, records: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    cfg = cli_config(tmp_path / "spp.yaml", scenarios.db_url, tmp_path / "data")
    out = spp("logs", "--config", str(cfg), "--format", "json", "--limit", "1000")
    assert out.returncode == 0, out.stderr
    items = {r["request_id"]: r for r in json.loads(out.stdout)}
    for name, rec in records.items():
        assert items[rec["request_id"]] == rec, name
    out = spp("logs", "--config", str(cfg), "--format", "json", "--team", "strict", "--outcome", "blocked")
    assert [r["request_id"] for r in json.loads(out.stdout)] == [scenarios.sent["redaction_block"].request_id]


def test_spp_keys_cli(scenarios: Stack, tmp_path: Path) -> None:
    cfg = cli_config(tmp_path / "spp.yaml", scenarios.db_url, tmp_path / "data")
    out = spp("keys", "create", "--config", str(cfg), "--user", "dana", "--team", "platform")
    assert out.returncode == 0, out.stderr
    fields = dict(line.split(": ", 1) for line in out.stdout.splitlines() if ": " in line)
    key_id, key = fields["key_id"], fields["key"]
    listed = spp("keys", "list", "--config", str(cfg))
    assert key_id in listed.stdout and "dana" in listed.stdout and key not in listed.stdout
    r = scenarios.proxy.client(key).post("/v1/chat/completions", json={
        "model": "test-model", "messages": [{"role": "user", "content": "hi"}]})
    assert r.status_code == 200
    rid = r.headers["x-spp-request-id"]
    scenarios.all_ids.append(rid)
    rec = fetch_records(scenarios.client(), [rid])[rid]
    assert (rec["user"], rec["team"], rec["key_id"]) == ("dana", "platform", key_id)
    assert key not in json.dumps(rec)
    hashes = [r[0] for r in sql(scenarios.db_url, "SELECT key_hash FROM api_keys WHERE key_id = :k",
                                k=key_id)]
    assert len(hashes) == 1 and HEX64.match(hashes[0]) and key not in hashes[0]


def test_spp_provenance(scenarios: Stack, records: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    """Code returned through the proxy, pasted re-indented inside other code, is traced to its request."""
    returned = json.loads(scenarios.sent["normal"].body)["choices"][0]["message"]["content"]
    code = returned.split("```python\n", 1)[1].split("```", 1)[0]
    head = '"""Billing service."""\nimport os\n\n\nclass Config:\n    ENV = os.environ.get("ENV", "dev")\n\n'
    tail = "\n\ndef main() -> None:\n    print(Config.ENV)\n"
    repo = tmp_path / "repo"
    (repo / "svc").mkdir(parents=True)
    target = repo / "svc" / "billing.py"
    target.write_text(head + textwrap.indent(code, "    ") + tail)
    (repo / "svc" / "other.py").write_text("def unrelated():\n    return 42\n")
    lines = target.read_text().splitlines()
    first = next(i for i, line in enumerate(lines, 1) if line.strip() == "import json")
    last = next(i for i, line in enumerate(lines, 1) if line.strip() == "return data")
    cfg = cli_config(tmp_path / "spp.yaml", scenarios.db_url, tmp_path / "data")

    out = spp("provenance", "--config", str(cfg), "--format", "json", str(repo))
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["files_scanned"] == 2
    [m] = doc["matches"]
    assert (m["file"], m["first_line"], m["last_line"]) == (str(target), first, last)
    assert (m["user"], m["team"], m["model"]) == ("alice", "payments", "test-model")
    assert m["request_id"] == scenarios.sent["normal"].request_id
    assert m["windows_matched"] == m["block_windows"]

    table = spp("provenance", "--config", str(cfg), str(target))
    assert f"{target}:{first}-{last}" in table.stdout and "user=alice" in table.stdout
    assert "model=test-model" in table.stdout


# -- the database is down: answers are still served, records spill, a later proxy replays them ----

@pytest.mark.parametrize("db_kind", ["sqlite", "postgresql"])
def test_spill_then_replay_exactly_once(db_kind: str, upstream: ScriptedUpstream, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with contextlib.ExitStack() as es:
        live_url = (pg_url_for_schema(es.enter_context(pg_schema())) if db_kind == "postgresql"
                    else f"sqlite:///{data / 'usage.db'}")
        dead = start_proxy(upstream, data, database_url=f"postgresql://postgres@127.0.0.1:{free_port()}/test")
        es.callback(dead.stop)
        ids = []
        with dead.client() as c:
            assert c.get("/readyz").status_code == 503
            upstream.push(Reply(content=fenced(SAFE_CODE)), Reply(content="streamed answer"))
            r1 = c.post("/v1/chat/completions", json={"model": "test-model", "messages": [
                {"role": "user", "content": "Write a Python function that loads a JSON config."}]})
            r2 = c.post("/v1/chat/completions", json={"model": "test-model", "stream": True, "messages": [
                {"role": "user", "content": "hello"}]})
            r3 = httpx.post(dead.url + "/v1/chat/completions", json={"model": "test-model", "messages": []})
            statuses = (r1.status_code, r2.status_code, r3.status_code)
            assert statuses == (200, 200, 401), "served while the DB is down"
            assert SAFE_CODE in r1.json()["choices"][0]["message"]["content"]
            assert sse_events(r2.text)[-1] == "[DONE]"
            ids = [r.headers["x-spp-request-id"] for r in (r1, r2, r3)]
            assert c.get("/admin/usage").status_code == 503
        dead.stop()  # flushes anything still queued into the spill file

        spill = data / "spill" / "usage-spill.jsonl"
        assert spill.stat().st_mode & 0o777 == 0o600
        saved = spill.read_bytes()
        spilled = [json.loads(line) for line in saved.decode().splitlines() if line.strip()]
        assert sorted(r["request_id"] for r in spilled) == sorted(ids), "each record spilled exactly once"
        assert {r["outcome"] for r in spilled} == {"passed", "refused"}
        first = next(r for r in spilled if r["request_id"] == ids[0])
        assert first["fingerprints"], "fingerprints survive a spill"

        def replay_and_check() -> None:
            live = start_proxy(upstream, data, database_url=live_url)
            try:
                got = fetch_records(live.client(), ids)
                assert got[ids[0]]["code_blocks"] == 1 and got[ids[1]]["stream"] is True
                assert got[ids[2]]["outcome"] == "refused"
                counts = dict(sql(live_url, "SELECT request_id, count(*) FROM usage GROUP BY request_id"))
                assert counts == {i: 1 for i in ids}
                fps = sql(live_url, "SELECT count(*) FROM code_fingerprints WHERE request_id = :r", r=ids[0])
                assert fps[0][0] == len(block_fingerprints(SAFE_CODE)["windows"])  # type: ignore[index]
                assert not list((data / "spill").glob("usage-spill*.jsonl")), "replayed files are removed"
            finally:
                live.stop()

        replay_and_check()
        # The same spill replayed again (a crash between insert and unlink): still one row per request.
        spill.write_bytes(saved)
        replay_and_check()


def test_per_user_key_while_the_database_is_down(upstream: ScriptedUpstream, tmp_path: Path) -> None:
    dead = start_proxy(upstream, tmp_path / "data",
                       database_url=f"postgresql://postgres@127.0.0.1:{free_port()}/test")
    try:
        r = dead.client("spp-" + "x" * 43).post("/v1/chat/completions", json={
            "model": "test-model", "messages": [{"role": "user", "content": "hi"}]})
    finally:
        dead.stop()
    assert r.status_code in (401, 503), r.text
    assert r.json()["error"]["code"] != "internal_error"
