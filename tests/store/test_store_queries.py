"""Filters, pagination and summaries (shared by `spp logs` and the admin API) on both databases."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from proxy.store.db import Database
from proxy.store.ingest import insert_records
from proxy.store.logs_cli import run_logs, run_summary
from proxy.store.queries import (
    UsageFilters,
    findings_by_cwe,
    parse_time,
    query_usage,
    redactions_by_type,
    summary,
    totals,
)
from tests.store.dataset import dataset
from tests.store.support import make_settings


def _seeded(db_url: str) -> Database:
    async def go() -> None:
        db = Database(db_url)
        await db.upgrade()
        await insert_records(db, dataset())
        await db.dispose()

    asyncio.run(go())
    return Database(db_url)


def test_parse_time() -> None:
    now = datetime(2025, 3, 1, 12, tzinfo=UTC)
    assert parse_time("24h", now=now) == now - timedelta(hours=24)
    assert parse_time("7d", now=now) == now - timedelta(days=7)
    assert parse_time("2025-02-01") == datetime(2025, 2, 1, tzinfo=UTC)
    assert parse_time("2025-02-01T10:00:00Z") == datetime(2025, 2, 1, 10, tzinfo=UTC)
    assert parse_time(None) is None
    with pytest.raises(ValueError, match="invalid time"):
        parse_time("yesterday")


def test_filters_and_pagination(db_url: str) -> None:
    db = _seeded(db_url)

    async def go() -> None:
        page = await query_usage(db, UsageFilters(), limit=5)
        assert page["total"] == 12 and len(page["items"]) == 5 and page["next_offset"] == 5
        times = [i["time"] for i in page["items"]]
        assert times == sorted(times, reverse=True)
        ids = [i["request_id"] for i in page["items"]]
        ids += [i["request_id"] for i in (await query_usage(db, UsageFilters(), limit=5, offset=5))["items"]]
        last = await query_usage(db, UsageFilters(), limit=5, offset=10)
        ids += [i["request_id"] for i in last["items"]]
        assert last["next_offset"] is None and sorted(ids) == [f"req_{i:04d}" for i in range(12)]

        async def ids_for(**kw: Any) -> set[str]:
            return {i["request_id"] for i in (await query_usage(db, UsageFilters.parse(**kw), 100))["items"]}

        assert await ids_for(user="alice") == {"req_0000", "req_0001", "req_0002", "req_0003"}
        assert await ids_for(team="platform", model="claude-sonnet") == {"req_0009", "req_0010"}
        assert await ids_for(outcome="blocked") == {"req_0002", "req_0011"}
        assert await ids_for(since="24h") == {f"req_{i:04d}" for i in (0, 1, 2, 4, 5, 6, 7, 8, 11)}
        assert await ids_for(since="72h", until="24h") == {"req_0003", "req_0009"}
        item = (await query_usage(db, UsageFilters(user="bob", outcome="passed"), 1))["items"][0]
        assert item["redactions"] == {"PERSON": 3, "EMAIL_ADDRESS": 1} and item["model"] == "claude-sonnet"
        await db.dispose()

    asyncio.run(go())


def test_summary_and_aggregates(db_url: str) -> None:
    db = _seeded(db_url)

    async def go() -> None:
        by_team = {r["team"]: r for r in await summary(db, UsageFilters(), "team")}
        pay = by_team["payments"]
        assert (pay["requests"], pay["blocks"], pay["refused"], pay["errors"]) == (7, 1, 1, 1)
        assert pay["redactions"] == 7 and pay["findings"] == 2
        assert pay["prompt_tokens"] == sum(100 + i for i in range(7))
        assert pay["cost_usd"] == pytest.approx(sum(0.001 * (i + 1) for i in range(7)))
        plat = by_team["platform"]
        assert (plat["requests"], plat["blocks"], plat["findings"], plat["redactions"]) == (5, 1, 3, 1)

        by_user_model = await summary(db, UsageFilters(team="payments"), "user,model")
        assert {(r["user"], r["model"], r["requests"]) for r in by_user_model} == {
            ("alice", "gpt-4o-mini", 4), ("bob", "claude-sonnet", 3)}
        days = await summary(db, UsageFilters(), "day")
        assert sum(r["requests"] for r in days) == 12 and all(len(r["day"]) == 10 for r in days)
        assert [r["day"] for r in days] == sorted(r["day"] for r in days)
        hours = await summary(db, UsageFilters(since=parse_time("24h")), "hour")
        assert sum(r["requests"] for r in hours) == 9 and all(r["hour"].endswith(":00") for r in hours)
        with pytest.raises(ValueError):
            await summary(db, UsageFilters(), "password")

        assert (await totals(db, UsageFilters()))["requests"] == 12
        assert await redactions_by_type(db, UsageFilters()) == {
            "PERSON": 3, "EMAIL_ADDRESS": 2, "SECRET_AWS_ACCESS_KEY": 2, "PHONE_NUMBER": 1}
        cwes = await findings_by_cwe(db, UsageFilters())
        assert [(c["cwe"], c["count"], c["blocked"]) for c in cwes] == [
            ("CWE-89", 3, 1), ("CWE-78", 1, 0), ("CWE-95", 1, 1)]
        await db.dispose()

    asyncio.run(go())


def test_logs_cli_formats(db_url: str, tmp_path: Path) -> None:
    asyncio.run(_seeded(db_url).dispose())
    settings = make_settings(db_url, tmp_path)

    table = run_logs(settings, team="payments", fmt="table")
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["TIME", "REQUEST", "USER"] and len(lines) == 8
    assert "SECRET_AWS_ACCESS_KEY:2" in table and "CWE-95" in table

    js = json.loads(run_logs(settings, user="bob", outcome="passed", fmt="json"))
    assert [r["request_id"] for r in js] == ["req_0004"]

    rows = list(csv.DictReader(io.StringIO(run_logs(settings, since="24h", until="90m", fmt="csv"))))
    assert {r["request_id"] for r in rows} == {f"req_{i:04d}" for i in (1, 2, 4, 5, 6, 7, 8, 11)}
    row8 = next(r for r in rows if r["request_id"] == "req_0008")
    assert json.loads(row8["redactions"]) == {"PHONE_NUMBER": 1}

    assert run_logs(settings, user="nobody") == "no usage records match"
    assert len(json.loads(run_logs(settings, fmt="json", limit=3))) == 3
    with pytest.raises(ValueError):
        run_logs(settings, fmt="xml")
    with pytest.raises(ValueError):
        run_logs(settings, since="last tuesday")

    summ = json.loads(run_summary(settings, "model", fmt="json"))
    assert {r["model"]: r["requests"] for r in summ} == {"gpt-4o-mini": 7, "claude-sonnet": 5}
    assert "payments" in run_summary(settings, "team")


def test_csv_neutralises_formulas() -> None:
    from proxy.store.logs_cli import _csv_cell

    assert _csv_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert _csv_cell("alice") == "alice" and _csv_cell(3) == 3
