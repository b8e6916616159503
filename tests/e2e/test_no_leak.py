"""No secret anywhere: every kind of secret and PII is sent through real proxies over HTTP (messages,
tool arguments and results, tool descriptions, completions prompt and suffix, the OpenAI `user` field),
including requests that are blocked, refused, malformed or fail upstream, with `store_prompts: redacted`.
Then every place the proxy writes to is searched for every seeded value: the SQLite file bytes,
PostgreSQL rows, the JSONL spill file (database down), the process's log output at DEBUG, `/metrics`,
`/admin/usage`, the dashboard, `spp logs` and the error responses."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import MASTER_KEY, UPSTREAM_KEY, RunningProxy
from tests.e2e.test_usage_http import (
    cli_config,
    fetch_records,
    model_list,
    new_key,
    spp,
    sql,
    sse_events,
    start_proxy,
)
from tests.store.support import PG_URL, pg_reachable, pg_schema, pg_url_for_schema
from tests.support.upstream import Reply, ScriptedUpstream, free_port

SEEDS = {
    "aws_access_key": "AKIAZ7QW3ERT5YUI2OPB",
    "aws_secret_key": "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",
    "github_token": "ghp_" + "Qk3Lm8Xz0Wv7Tn3Rb6Yc1Hd5Je0Ps9Ua2Mn4",
    "openai_key": "sk-proj-" + "Zx81Qm4Lt0Vb7Nc2Rk5Wp9Ys3Dg6Hj1Fa4Ue8Tq2Lw6Bn",
    "stripe_key": "sk_live_" + "51Hq8ZxKp2Lm4Nv6Rt8Wy0Bc3De5Fg7",
    "slack_token": "xoxb-" + "2719384756-5829173645-Hq7ZxKp2Lm4Nv6Rt8Wy0Bc3D",
    "pem_body": "MIIEowIBAAKCAQEAq3Zx9Lm2Kp8Vt4Rn7Wb1Yc6Hd0Je5Ps3Ua9Mn2Qk8Xz4Lt6Vb1Nc",
    "jwt": ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQ4MjkxIiwibmFtZSI6IkRhbmEifQ."
            "Hq7ZxKp2Lm4Nv6Rt8Wy0Bc3De5Fg7Ij9Kl1Mn3Op5Qr"),
    "db_password": "Vx9tQ2mLp7Rw4Ks8",
    "ssn": "536-22-8174",
    "credit_card": "4539 1488 0343 6467",
    "iban": "DE44500105175407324931",
    "email": "jonathan.whitfield@northwind-mail.io",
    "phone": "+1 415 867 5309",
    "person": "Jonathan Whitfield",
    "mrn": "7305948216",
    "npi": "1245319599",
}
PEM_LINE2 = "Hq7ZxKp2Lm4Nv6Rt8Wy0Bc3De5Fg7Ij9Kl1Mn3Op5Qr7St9Uv1Wx3Yz5Ab7Cd9Ef"
PEM = f"-----BEGIN RSA PRIVATE KEY-----\n{SEEDS['pem_body']}\n{PEM_LINE2}\n-----END RSA PRIVATE KEY-----"
DB_URL = f"postgresql://billing_admin:{SEEDS['db_password']}@db.prod.internal:5432/billing"
CODE_NAME = "Project Nightingale"  # a deny term whose action is `block`
ANSWER_SECRET = "sk_live_" + "51Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq"  # a secret inside code the model returns
BOGUS_KEY = "sk-proj-" + "Bogus0ClientKey1Presented2To3The4Proxy5Xq"  # a wrong key a client presents
MODEL_SECRET = "sk_live_" + "51Mm0Nn9Bb8Vv7Cc6Xx5Zz4Ll3Kk2Jj"  # pasted into the `model` field by mistake

# Everything that must never be written anywhere: seeds, their variants, and the proxy's own keys.
SECRETS: dict[str, str] = {**SEEDS, "pem_line2": PEM_LINE2, "db_url": DB_URL, "code_name": CODE_NAME,
                           "answer_secret": ANSWER_SECRET, "bogus_key": BOGUS_KEY,
                           "model_secret": MODEL_SECRET, "master_key": MASTER_KEY,
                           "upstream_key": UPSTREAM_KEY}
REDACTION = {"deny_terms": [CODE_NAME], "actions": {"CUSTOM_TERM": "block"}}


def needles(value: str) -> set[bytes]:
    forms = {value, json.dumps(value)[1:-1], value.lower(), value.replace(" ", ""), value.replace("-", ""),
             value.replace(" ", "").replace("-", "").replace("+", "")}
    if " " in value and value.replace(" ", "").isalpha():  # a name: each part on its own
        forms |= {p for p in value.split() if len(p) >= 6}
    return {f.encode() for f in forms if len(f) >= 6}


def assert_clean(blob: bytes | str, where: str, secrets: dict[str, str] = SECRETS) -> None:
    data = blob.encode() if isinstance(blob, str) else blob
    found = sorted(name for name, v in secrets.items() if any(n in data for n in needles(v)))
    assert not found, f"{where} contains seeded value(s): {found}"


# Tool arguments carry every seed too; the key as a whole PEM block (a bare base64 body is not a
# recognisable secret on its own).
TOOL_ARGS = {**{k: v for k, v in SEEDS.items() if k != "pem_body"}, "private_key": PEM}
MARKER = "Please fix this Python config loader"  # plain prompt text, no secret: must not be logged either


def prompt() -> str:
    s = SEEDS
    return (
        f"Hi, I am {s['person']} (email {s['email']}, phone {s['phone']}). {MARKER}.\n"
        f"My SSN is {s['ssn']} and my card number is {s['credit_card']}; payouts go to IBAN {s['iban']}.\n"
        f"Patient MRN: {s['mrn']}, referring provider NPI: {s['npi']}.\n"
        "```python\n"
        f'AWS_ACCESS_KEY_ID = "{s["aws_access_key"]}"\n'
        f'AWS_SECRET_ACCESS_KEY = "{s["aws_secret_key"]}"\n'
        f'GITHUB_TOKEN = "{s["github_token"]}"\n'
        f'OPENAI_API_KEY = "{s["openai_key"]}"\n'
        f'STRIPE_KEY = "{s["stripe_key"]}"\n'
        f'SLACK_BOT_TOKEN = "{s["slack_token"]}"\n'
        f'SESSION = "{s["jwt"]}"\n'
        f'DATABASE_URL = "{DB_URL}"\n'
        f'PRIVATE_KEY = """{PEM}"""\n'
        "```\n"
    )


def chat_body(stream: bool = False, model: str = "test-model", extra: str = "") -> dict[str, Any]:
    p = prompt() + extra
    tool_result = {"customer": SEEDS["person"], "ssn": SEEDS["ssn"], "card": SEEDS["credit_card"],
                   "iban": SEEDS["iban"], "phone": SEEDS["phone"], "token": SEEDS["github_token"]}
    body: dict[str, Any] = {
        "model": model, "stream": stream, "user": SEEDS["email"],
        "messages": [
            {"role": "system", "content": f"You help the billing team. Production DB: {DB_URL}\n{PEM}"},
            {"role": "user", "content": p},
            {"role": "assistant", "content": None, "tool_calls": [{
                "id": "call_1", "type": "function",
                "function": {"name": "lookup_customer", "arguments": json.dumps(TOOL_ARGS)}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": json.dumps(tool_result)},
            {"role": "user", "content": [{"type": "text", "text": p}]},
        ],
        "tools": [{"type": "function", "function": {
            "name": "lookup_customer",
            "description": f"Look up a customer such as {SEEDS['person']} ({SEEDS['email']})",
            "parameters": {"type": "object", "properties": {"email": {"type": "string"}}}}}],
    }
    if stream:
        body["stream_options"] = {"include_usage": True}
    return body


ANSWER = ("Thanks <PERSON_1>. I rotated <SECRET_AWS_ACCESS_KEY_1> and wrote to <EMAIL_ADDRESS_1>.\n"
          "```python\nimport os\n\nSTRIPE_SECRET = \"" + ANSWER_SECRET + "\"\n\n"
          "def client():\n    return make_client(STRIPE_SECRET, os.environ[\"REGION\"])\n```\n")
TOOL_ANSWER = Reply(content="", tool_calls=[{"id": "call_9", "type": "function", "function": {
    "name": "lookup_customer",
    "arguments": json.dumps({"email": "<EMAIL_ADDRESS_1>", "ssn": "<US_SSN_1>"})}}])


@dataclass
class Exchange:
    name: str
    status: int
    headers: dict[str, str]
    body: str
    request_id: str
    echo_ok: bool = False  # the response may repeat what this client itself sent (see secret_model)


@dataclass
class Target:
    kind: str
    proxy: RunningProxy
    db_url: str | None
    data_dir: Path
    key: str
    exchanges: list[Exchange] = field(default_factory=list)
    sent_bodies: list[str] = field(default_factory=list)
    upstream_bodies: list[dict[str, Any]] = field(default_factory=list)


def run_battery(t: Target, up: ScriptedUpstream) -> None:
    """Every kind of request, each carrying every seed."""
    chat, comp = "/v1/chat/completions", "/v1/completions"

    def send(name: str, path: str, body: dict[str, Any] | bytes, key: str | None = t.key,
             replies: tuple[Reply, ...] = (), echo_ok: bool = False) -> None:
        up.push(*replies)
        n = len(up.requests)
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        t.sent_bodies.append(raw.decode())
        headers = {"content-type": "application/json", **({"authorization": f"Bearer {key}"} if key else {})}
        r = httpx.post(t.proxy.url + path, content=raw, headers=headers, timeout=30)
        t.exchanges.append(Exchange(name, r.status_code, dict(r.headers), r.text,
                                    r.headers.get("x-spp-request-id", ""), echo_ok))
        t.upstream_bodies += [rec.body for rec in up.requests[n:]]

    up.reset()
    send("chat", chat, chat_body(), replies=(Reply(content=ANSWER),))
    send("stream", chat, chat_body(stream=True), replies=(Reply(content=ANSWER),))
    send("stream_tools", chat, chat_body(stream=True), replies=(TOOL_ANSWER,))
    send("completions", comp, {"model": "test-model", "user": SEEDS["email"],
                               "prompt": prompt() + "def load_config():\n",
                               "suffix": f"\n# owner: {SEEDS['person']} {SEEDS['email']} {SEEDS['phone']}\n"},
         replies=(Reply(content="    return {}\n"),))
    send("blocked", chat, chat_body(extra=f"\nThis is for {CODE_NAME}.\n"))
    send("upstream_500", chat, chat_body(), replies=(Reply(status=500),))
    send("midstream", chat, chat_body(stream=True),
         replies=(Reply(content="Thanks <PERSON_1>, working on it. " * 5, disconnect_after=4,
                        chunk_delay_s=0.02),))
    send("bad_key", chat, chat_body(), key=BOGUS_KEY)
    send("no_key", chat, chat_body(), key=None)
    send("unknown_model", chat, chat_body(model="no-such-model"))
    send("invalid_type", chat, {**chat_body(), "temperature": SEEDS["aws_access_key"], "n": SEEDS["ssn"]})
    send("invalid_json", chat, json.dumps(chat_body()).encode()[:-40])
    # The 404 message repeats the model name to the client that sent it (its own input); it must still
    # stay out of every record, log line and metric label.
    send("secret_model", chat, chat_body(model=MODEL_SECRET), echo_ok=True)
    up.reset()


# -- log capture for the whole module: root and every library logger, at DEBUG ---------------------

class LogCapture(logging.Handler):
    LOGGERS = ("", "spp", "uvicorn", "uvicorn.error", "uvicorn.access", "sqlalchemy.engine",
               "sqlalchemy.pool", "aiosqlite", "asyncpg", "aiohttp", "httpx", "httpcore", "LiteLLM",
               "litellm", "presidio-analyzer", "alembic", "asyncio", "fastapi", "starlette")

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        self.lines: list[str] = []
        self._saved: dict[str, tuple[int, bool]] = {}

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # noqa: BLE001 - a bad format string is still evidence
            self.lines.append(f"{record.name} {record.msg!r} {record.args!r}")

    def attach(self) -> None:
        """(Re)attach after servers start: every uvicorn.Config re-applies uvicorn's logging config."""
        for name in self.LOGGERS:
            lg = logging.getLogger(name)
            self._saved.setdefault(name, (lg.level, False))
            lg.setLevel(logging.DEBUG)
            if self not in lg.handlers:
                lg.addHandler(self)

    def detach(self) -> None:
        for name, (level, _) in self._saved.items():
            lg = logging.getLogger(name)
            lg.setLevel(level)
            if self in lg.handlers:
                lg.removeHandler(self)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture(scope="module")
def logs() -> Iterator[LogCapture]:
    cap = LogCapture()
    yield cap
    cap.detach()


@pytest.fixture(scope="module")
def targets(upstream: ScriptedUpstream, tmp_path_factory: pytest.TempPathFactory,
            logs: LogCapture) -> Iterator[dict[str, Target]]:
    """SQLite (default location), PostgreSQL (when reachable) and a database that is down (spill file)."""
    common = {"model_list": model_list(upstream), "redaction": REDACTION, "server": {"upstream_retries": 0},
              "usage": {"store_prompts": "redacted", "flush_interval_s": 0.05}}
    out: dict[str, Target] = {}
    logs.attach()  # start-up logs too (migrations, "database unavailable")
    with contextlib.ExitStack() as es:
        d = tmp_path_factory.mktemp("leak-sqlite")
        p = start_proxy(upstream, d, **common)
        es.callback(p.stop)
        out["sqlite"] = Target("sqlite", p, p.settings.resolved_database_url, d,
                               new_key(p, "alice", "payments")[1])
        if pg_reachable():
            schema = es.enter_context(pg_schema())
            d = tmp_path_factory.mktemp("leak-pg")
            p = start_proxy(upstream, d, database_url=pg_url_for_schema(schema), **common)
            es.callback(p.stop)  # runs before the schema is dropped
            out["postgresql"] = Target("postgresql", p, p.settings.resolved_database_url, d,
                                       new_key(p, "alice", "payments")[1])
        d = tmp_path_factory.mktemp("leak-down")
        dead_url = f"postgresql://postgres@127.0.0.1:{free_port()}/test"  # nothing listens there
        p = start_proxy(upstream, d, database_url=dead_url, **common)
        es.callback(p.stop)
        out["down"] = Target("down", p, None, d, MASTER_KEY)  # per-user keys need the database

        logs.attach()  # again: each uvicorn.Config re-applied uvicorn's own logging config
        for t in out.values():
            run_battery(t, upstream)
        for t in out.values():
            if t.db_url is not None:
                fetch_records(t.proxy.client(), [e.request_id for e in t.exchanges])
        out["down"].proxy.stop()  # flush what is still queued into the spill file
        yield out


def live(targets: dict[str, Target]) -> list[Target]:
    return [t for t in targets.values() if t.db_url is not None]


# -- controls: the search is real and the battery did what it should --------------------------------

def test_needle_search_is_not_vacuous() -> None:
    for name, value in SECRETS.items():
        with pytest.raises(AssertionError):
            assert_clean(f"x {value} y", "control", {name: value})
    with pytest.raises(AssertionError):
        assert_clean(json.dumps({"x": prompt()}), "control")
    assert_clean("<PERSON_1> <US_SSN_1> <SECRET_AWS_ACCESS_KEY_1> req_0123 key_abcd", "placeholders")


def test_battery_carried_every_seed_and_got_the_expected_answers(targets: dict[str, Target]) -> None:
    for t in targets.values():
        sent = "\n".join(t.sent_bodies)
        missing = [k for k, v in SEEDS.items() if json.dumps(v)[1:-1] not in sent]
        assert not missing, missing
        status = {e.name: e.status for e in t.exchanges}
        assert status["chat"] == status["stream"] == status["stream_tools"] == status["completions"] == 200
        assert status["blocked"] == 400 and status["upstream_500"] >= 500
        if t.kind != "down":  # see test_usage_http::test_per_user_key_while_the_database_is_down
            assert status["bad_key"] == 401
        assert status["no_key"] == 401 and status["unknown_model"] == status["secret_model"] == 404
        assert status["invalid_type"] == status["invalid_json"] == 400
        assert all(e.request_id for e in t.exchanges), "every response names its request"


def test_redacted_prompt_mode_stores_placeholders_only(targets: dict[str, Target]) -> None:
    for t in live(targets):
        c = t.proxy.client()
        items = {r["request_id"]: r for r in c.get("/admin/usage", params={"limit": 1000}).json()["items"]}
        chat = items[next(e.request_id for e in t.exchanges if e.name == "chat")]
        stored = chat["redacted_prompt"]
        for placeholder in ("<PERSON_1>", "<US_SSN_1>", "<CREDIT_CARD_1>", "<SECRET_AWS_ACCESS_KEY_1>",
                            "<SECRET_PRIVATE_KEY_1>", "<SECRET_JWT_1>", "<US_NPI_1>"):
            assert placeholder in stored, (t.kind, placeholder)
        assert_clean(stored, f"{t.kind}: stored redacted prompt")
        assert {items[e.request_id]["outcome"] for e in t.exchanges if e.name == "blocked"} == {"blocked"}
        assert len(items) == len(t.exchanges), "one record per request"


# -- the sinks ------------------------------------------------------------------------------------

def test_sqlite_file_bytes(targets: dict[str, Target]) -> None:
    t = targets["sqlite"]
    files = [f for f in t.data_dir.rglob("*") if f.is_file()]
    assert any(f.name == "usage.db" for f in files)
    blob = b"".join(f.read_bytes() for f in files)
    assert b"<US_SSN_1>" in blob, "the redacted prompt is in the file, so the search covers stored text"
    for f in files:
        assert_clean(f.read_bytes(), f"SQLite data dir file {f.name}")


def test_postgresql_rows(targets: dict[str, Target]) -> None:
    if "postgresql" not in targets:
        pytest.skip(f"PostgreSQL is not reachable ({make_url(PG_URL).render_as_string(hide_password=True)})")
    url = targets["postgresql"].db_url
    assert url is not None
    tables = [r[0] for r in sql(url, "SELECT table_name FROM information_schema.tables "
                                     "WHERE table_schema = current_schema()")]
    assert {"usage", "code_fingerprints", "api_keys"} <= set(tables)
    dump = []
    for table in tables:
        dump += [r[0] for r in sql(url, f'SELECT t::text FROM "{table}" t')]  # noqa: S608 - catalog names
    text_dump = "\n".join(dump)
    assert "<US_SSN_1>" in text_dump and text_dump.count("req_") >= len(targets["postgresql"].exchanges)
    assert_clean(text_dump, "PostgreSQL rows")


def test_spill_file(targets: dict[str, Target]) -> None:
    t = targets["down"]
    served = {e.name: e.status for e in t.exchanges}
    assert served["chat"] == served["stream"] == served["completions"] == 200, "served while the DB is down"
    spill = t.data_dir / "spill" / "usage-spill.jsonl"
    data = spill.read_bytes()
    ids = sorted(json.loads(line)["request_id"] for line in data.decode().splitlines())
    assert ids == sorted(e.request_id for e in t.exchanges), "every request spilled, each once"
    assert b"<US_SSN_1>" in data
    assert_clean(data, "JSONL spill file")
    for f in t.data_dir.rglob("*"):
        if f.is_file():
            assert_clean(f.read_bytes(), f"data dir file {f.name} (database down)")


def test_metrics(targets: dict[str, Target]) -> None:
    for t in targets.values():
        r = t.proxy.client().get("/metrics") if t.kind != "down" else None
        if r is None:
            continue
        assert r.status_code == 200 and "spp_requests_total" in r.text
        assert 'entity_type="US_SSN"' in r.text
        assert_clean(r.text, f"{t.kind}: /metrics")


def test_admin_api_and_dashboard(targets: dict[str, Target]) -> None:
    for t in live(targets):
        c = t.proxy.client()
        usage = c.get("/admin/usage", params={"limit": 1000})
        assert usage.status_code == 200
        assert_clean(usage.text, f"{t.kind}: /admin/usage")
        for group in ("team", "user,model", "outcome", "key_id"):
            s = c.get("/admin/usage/summary", params={"group_by": group})
            assert s.status_code == 200
            assert_clean(s.text, f"{t.kind}: /admin/usage/summary?group_by={group}")
        page = c.get("/admin")
        assert page.status_code == 200 and "per-team" in page.text
        assert_clean(page.text, f"{t.kind}: dashboard page")


def test_spp_logs_cli(targets: dict[str, Target], tmp_path: Path) -> None:
    for t in live(targets):
        assert t.db_url is not None
        cfg = cli_config(tmp_path / f"{t.kind}.yaml", t.db_url, tmp_path / "data")
        for fmt in ("json", "table", "csv"):
            out = spp("logs", "--config", str(cfg), "--format", fmt, "--limit", "1000")
            assert out.returncode == 0, out.stderr
            assert "req_" in out.stdout
            if fmt == "json":
                assert len(json.loads(out.stdout)) >= len(t.exchanges)
                assert "<US_SSN_1>" in out.stdout, "the stored redacted prompt is part of what was searched"
            assert_clean(out.stdout + out.stderr, f"{t.kind}: spp logs --format {fmt}")


def test_error_responses(targets: dict[str, Target]) -> None:
    checked = 0
    for t in targets.values():
        for e in t.exchanges:
            assert_clean(json.dumps(e.headers), f"{t.kind}/{e.name}: response headers")
            if e.echo_ok:
                continue
            if e.status >= 400:
                assert "error" in json.loads(e.body)
                assert_clean(e.body, f"{t.kind}/{e.name}: error response")
                checked += 1
            elif e.headers.get("content-type", "").startswith("text/event-stream"):
                errors = [ev for ev in sse_events(e.body) if isinstance(ev, dict) and "error" in ev]
                assert_clean(json.dumps(errors), f"{t.kind}/{e.name}: stream error event")
                checked += len(errors)
    assert checked >= 8 * len(targets)


def test_secret_model_name_is_not_recorded(targets: dict[str, Target]) -> None:
    for t in live(targets):
        rid = next(e.request_id for e in t.exchanges if e.name == "secret_model")
        rec = fetch_records(t.proxy.client(), [rid])[rid]
        assert rec["model"] == "(unknown)" and rec["error_type"] == "model_not_found"


def test_upstream_error_text_never_relays_the_proxy_key(targets: dict[str, Target],
                                                        upstream: ScriptedUpstream) -> None:
    t = targets["sqlite"]
    upstream.push(Reply(status=400, error_message=f"Invalid API key provided: {UPSTREAM_KEY}"))
    r = t.proxy.client(t.key).post("/v1/chat/completions", json={"model": "test-model", "messages": [
        {"role": "user", "content": "hello"}]})
    assert r.status_code >= 400
    assert_clean(r.text, "error response to an upstream failure", {"upstream_key": UPSTREAM_KEY})


def test_logs(targets: dict[str, Target], logs: LogCapture) -> None:
    """Last: by now every proxy served, spilled, answered admin queries and shut one writer down."""
    text_out = logs.text
    assert "INSERT INTO usage" in text_out, "SQL statements (with parameters) were captured"
    assert "spp.store.writer" in text_out and "spill" in text_out, "the spill warnings were captured"
    assert any(line.startswith("DEBUG ") for line in logs.lines), "DEBUG level was captured"
    offending = []
    for line in logs.lines:
        hits = sorted(name for name, v in SECRETS.items() if any(n in line.encode() for n in needles(v)))
        if hits:
            masked = line
            for name in hits:
                for n in needles(SECRETS[name]):
                    masked = masked.replace(n.decode(), f"<<{name}>>")
            offending.append(masked[:300])
    assert not offending, "log lines with seeded values (masked):\n" + "\n".join(offending[:10])


def test_no_prompt_text_in_logs(targets: dict[str, Target], logs: LogCapture) -> None:
    """Plain prompt text (no secret in it) stays out of the logs too. The SQL echo of the opted-in
    `store_prompts: redacted` column (sqlalchemy.engine, aiosqlite, at DEBUG) is the one expected place."""
    sql_echo = ("sqlalchemy.engine", "aiosqlite", "asyncpg")
    loggers = sorted({line.split(" ", 2)[1] for line in logs.lines if MARKER in line})
    assert any(name.startswith(sql_echo) for name in loggers), "control: the marker does reach the SQL echo"
    assert [n for n in loggers if not n.startswith(sql_echo)] == []


def test_upstream_never_receives_a_seed(targets: dict[str, Target]) -> None:
    """Not a store sink, but the premise of every check above: only placeholders leave the proxy."""
    for t in targets.values():
        assert t.upstream_bodies
        for body in t.upstream_bodies:
            assert_clean(json.dumps(body), f"{t.kind}: request forwarded upstream", SEEDS)
