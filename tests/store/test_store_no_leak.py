"""Seeded secrets and PII must not reach any place the store writes: the SQLite file, PostgreSQL rows,
the JSONL spill file, the metrics, the store's log output and `spp logs` output.

The Context is prepared the way the pipeline leaves it: the raw values live only in the placeholder
vault (ctx.state), the prompt text the stages kept is the redacted one, findings and fingerprints are
types and hashes. The test proves the store never reaches past that boundary.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text

from proxy.observability.metrics import Metrics
from proxy.store.codehash import block_fingerprints
from proxy.store.db import Database
from proxy.store.logs_cli import run_logs
from proxy.store.record import build_record
from proxy.store.writer import UsageWriter
from tests.store.support import finding, free_port, make_ctx, make_settings, pg_schema, pg_url_for_schema

SEEDS = {
    "SECRET_AWS_ACCESS_KEY": "AKIAZ7Q3SEEDKEY4242X",
    "SECRET_AWS_SECRET_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSEEDKEY4242",
    "SECRET_GITHUB_TOKEN": "ghp_4f9Kq2Lm8Xz0Wv7Tn3Rb6Yc1Hd5Je0Ps9Ua2",
    "SECRET_OPENAI_KEY": "sk-proj-Zx81Qm4Lt0Vb7Nc2Rk5Wp9Ys3Dg6Hj1Fa4Ue8",
    "SECRET_ANTHROPIC_KEY": "sk-ant-api03-SeedSeedSeed0123456789abcdefABCDEF",
    "SECRET_SLACK_TOKEN": "xoxb-1234567890-0987654321-SeEdToKeNvAlUe42",
    "SECRET_STRIPE_KEY": "sk_live_51SeedStripeKey0123456789abcdEF",
    "SECRET_GCP_API_KEY": "AIzaSyD-SeedGoogleKey_0123456789abcdefg",
    "SECRET_PRIVATE_KEY": "MIIEowIBAAKCAQEAseedPRIVATEkeyMaterial0123456789+/",
    "SECRET_JWT": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzZWVkLXVzZXIifQ.c2VlZC1zaWduYXR1cmU",
    "SECRET_PASSWORD": "Tr0ub4dor&3-SeedPass",
    "SECRET_CONNECTION_STRING": "postgres://admin:S3edPassw0rd@db.internal:5432/prod",
    "EMAIL_ADDRESS": "jane.seedperson@example.org",
    "PHONE_NUMBER": "+1 415-555-0199",
    "US_SSN": "078-05-1120",
    "CREDIT_CARD": "4111 1111 1111 1111",
    "IBAN_CODE": "DE89370400440532013000",
    "PERSON": "Jonathan Seedwick-Quixote",
    "IP_ADDRESS": "10.44.201.17",
    "LOCATION": "742 Evergreen Terrace",
    "MEDICAL_RECORD_NUMBER": "MRN-00482913",
    "DATE_OF_BIRTH": "1987-04-23",
}

RAW_PROMPT = "Please fix this.\n" + "\n".join(f"{k.lower()} = {v!r}" for k, v in SEEDS.items())
RETURNED_CODE = ("import boto3\nclient = boto3.client('s3',\n"
                 f"    aws_access_key_id='{SEEDS['SECRET_AWS_ACCESS_KEY']}',\n)\n")


def _pipeline_context(**kw: object):  # type: ignore[no-untyped-def]
    """What a request looks like to the store after the redaction stage ran."""
    ctx = make_ctx(**kw)
    vault, redacted, counts = {}, RAW_PROMPT, Counter()
    for etype, value in SEEDS.items():
        placeholder = f"<{etype}_1>"
        vault[placeholder] = value
        redacted = redacted.replace(value, placeholder)
        counts[etype] += 1
    assert all(v not in redacted for v in SEEDS.values())
    ctx.state["vault"] = vault  # raw values: must never be read by the store
    ctx.state["raw_prompt"] = RAW_PROMPT
    ctx.redactions = counts
    ctx.redacted_prompt = redacted
    ctx.findings = [finding("py.hardcoded-aws-key", "CWE-798", "critical", "block")]
    ctx.code_fingerprints = [block_fingerprints(RETURNED_CODE)]
    ctx.templates_applied = [{"id": "owasp-python", "hash": "0f" * 16}]
    ctx.prompt_tokens, ctx.completion_tokens, ctx.cost_usd = 321, 54, 0.0021
    return ctx


def _needles(value: str) -> list[bytes]:
    forms = {value, json.dumps(value)[1:-1], value.lower(), value.replace(" ", "")}
    return [f.encode("utf-8") for f in forms if len(f) >= 6]


def assert_clean(blob: bytes, where: str) -> None:
    found = [etype for etype, v in SEEDS.items() if any(n in blob for n in _needles(v))]
    assert not found, f"seeded values of type(s) {found} found in {where}"


def test_needle_search_is_not_vacuous() -> None:
    with pytest.raises(AssertionError):
        assert_clean(json.dumps({"x": RAW_PROMPT}).encode(), "control")


def _records() -> list[dict]:  # type: ignore[type-arg]
    recs = [build_record(_pipeline_context(outcome=o)) for o in ("passed", "annotated", "blocked")]
    for r in recs:
        assert r["redacted_prompt"].count("<SECRET_") >= 10  # the opt-in redacted text is really stored
    return recs


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture):  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # SQL statements and their parameters
    return caplog


def test_sqlite_file_logs_metrics_and_cli(tmp_path: Path, all_logs: pytest.LogCaptureFixture) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'db' / 'usage.db'}", tmp_path, store_prompts="redacted")
    recs = _records()
    metrics = Metrics(known_models=["gpt-4o-mini"])

    async def go() -> None:
        w = UsageWriter(settings)
        metrics.bind_writer(w)
        await w.start()
        for r in recs:
            w.submit(r)
            metrics.observe(r)
        await w.stop()
        assert w.stats.written == 3

    asyncio.run(go())
    db_files = list((tmp_path / "db").iterdir())
    assert db_files
    for f in db_files:
        assert_clean(f.read_bytes(), f"SQLite file {f.name}")
    assert_clean(metrics.render()[0], "metrics")
    for fmt in ("table", "json", "csv"):
        out = run_logs(settings, fmt=fmt)
        assert "req_" in out
        assert_clean(out.encode(), f"spp logs --format {fmt}")
    assert "<SECRET_AWS_ACCESS_KEY_1>" in run_logs(settings, fmt="json")
    assert any("INSERT INTO usage" in r.getMessage() for r in all_logs.records)  # SQL logging was on
    messages = "\n".join(r.getMessage() for r in all_logs.records)
    assert_clean(all_logs.text.encode() + messages.encode(), "logs")


def test_postgres_rows_and_spill_file(tmp_path: Path, all_logs: pytest.LogCaptureFixture) -> None:
    with pg_schema() as schema:
        live = make_settings(pg_url_for_schema(schema), tmp_path, store_prompts="redacted")
        dead = make_settings(pg_url_for_schema(schema, port=free_port()), tmp_path, store_prompts="redacted")
        recs = _records()

        async def go() -> None:
            down = UsageWriter(dead)
            await down.start()
            for r in recs:
                down.submit(r)
            await down.stop()
            spill = down.spill_path.read_bytes()
            assert spill.count(b"\n") == 3
            assert_clean(spill, "JSONL spill file")

            up = UsageWriter(live)
            await up.start()  # replays the spill file
            await up.stop()
            db = Database(live.resolved_database_url)
            async with db.engine.connect() as conn:
                dump = []
                for table in ("usage", "code_fingerprints", "api_keys"):
                    sql = text(f"SELECT t::text FROM {table} t")  # noqa: S608 - fixed table names
                    dump += [row[0] for row in await conn.execute(sql)]
            await db.dispose()
            assert sum(1 for d in dump if "req_" in d) >= 3 + 3  # usage rows and fingerprint rows
            assert "<PERSON_1>" in "\n".join(dump)  # the opt-in redacted prompt was stored
            assert_clean("\n".join(dump).encode(), "PostgreSQL rows")

        asyncio.run(go())
        assert any("spill" in r.getMessage() for r in all_logs.records)
        assert_clean("\n".join(r.getMessage() for r in all_logs.records).encode(), "logs")
