"""UsageWriter against real databases: batching, flush on stop, spill while the database is down and
replay when it is back (each record stored exactly once), retention."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from proxy.store.codehash import block_fingerprints
from proxy.store.db import Database
from proxy.store.ingest import insert_records
from proxy.store.models import CodeFingerprint, Usage
from proxy.store.record import build_record
from proxy.store.writer import UsageWriter
from tests.store.support import TcpRelay, free_port, make_ctx, make_settings, pg_schema, pg_url_for_schema

CODE = "for i in range(10):\n    x = i * 2\n    y = x + 1\n    print(x, y)\n    total = y\n"


def records(n: int, **kw: Any) -> list[dict[str, Any]]:
    return [build_record(make_ctx(**kw)) for _ in range(n)]


async def rows(db: Database) -> list[str]:
    async with db.sessions() as s:
        return list((await s.execute(select(Usage.request_id))).scalars())


async def wait_until(cond: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


def test_batches_and_flush_on_stop(db_url: str, tmp_path: Path) -> None:
    settings = make_settings(db_url, tmp_path, batch_size=10, flush_interval_s=30)

    async def go() -> None:
        w = UsageWriter(settings)
        await w.start()
        recs = records(25)
        for r in recs:
            w.submit(r)
        # A full batch wakes the writer at once (no 30 s wait); it then catches up with the rest.
        await wait_until(lambda: w.stats.written == 25, timeout=5)
        assert w.stats.batches == 3
        more = records(4)
        for r in more:
            w.submit(r)
        await asyncio.sleep(0.3)
        assert w.stats.written == 25  # a partial batch waits for flush_interval_s ...
        await w.stop()  # ... or for stop, which flushes it
        assert w.stats.written == 29 and w.stats.batches == 4 and w.stats.spilled == 0
        recs += more
        db = Database(db_url)
        assert sorted(await rows(db)) == sorted(r["request_id"] for r in recs)
        await db.dispose()

    asyncio.run(go())


def test_flush_interval_writes_small_batches(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'u.db'}", tmp_path, batch_size=500, flush_interval_s=0.1)

    async def go() -> None:
        w = UsageWriter(settings)
        await w.start()
        for r in records(3):
            w.submit(r)
        await wait_until(lambda: w.stats.written == 3, timeout=3)
        assert len(await rows(w.db)) == 3
        await w.stop()

    asyncio.run(go())


def test_full_queue_spills_instead_of_blocking_and_nothing_is_lost(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'u.db'}"
    settings = make_settings(url, tmp_path, queue_size=50, batch_size=20, flush_interval_s=0.05)

    async def go() -> None:
        w = UsageWriter(settings)
        await w.start()
        recs = records(3000)
        t0 = time.perf_counter()
        for r in recs:
            w.submit(r)
        elapsed = time.perf_counter() - t0
        assert elapsed < 2.0, f"submit blocked: {elapsed:.2f}s for 3000 records"
        assert w.stats.spilled > 0
        await w.stop()
        # A later start replays the spill file.
        w2 = UsageWriter(settings)
        await w2.start()
        await w2.stop()
        stored = await rows(Database(url))
        assert sorted(stored) == sorted(r["request_id"] for r in recs)
        assert not w2.spill_files()

    asyncio.run(go())


def test_database_down_spills_then_replays_when_pointed_back(tmp_path: Path) -> None:
    with pg_schema() as schema:
        dead = make_settings(pg_url_for_schema(schema, port=free_port()), tmp_path, batch_size=10)
        live = make_settings(pg_url_for_schema(schema), tmp_path, batch_size=10)

        async def go() -> None:
            w = UsageWriter(dead)
            await w.start()  # the database is down: the proxy still starts
            assert not await w.ready()
            recs = records(35)
            for r in recs:
                w.submit(r)
            await w.stop()
            assert w.stats.spilled == 35 and w.stats.written == 0
            lines = w.spill_path.read_text().splitlines()
            assert [json.loads(x)["request_id"] for x in lines] == [r["request_id"] for r in recs]

            w2 = UsageWriter(live)
            await w2.start()
            assert await w2.ready()
            await w2.stop()
            stored = await rows(Database(live.resolved_database_url))
            assert sorted(stored) == sorted(r["request_id"] for r in recs)  # each exactly once
            assert not w2.spill_files()

        asyncio.run(go())


def test_outage_while_running_recovers_in_place(tmp_path: Path) -> None:
    """The database goes away mid-run (connections cut, port closed) and comes back on the same port."""
    with pg_schema() as schema:
        relay = TcpRelay("127.0.0.1", 5432)
        settings = make_settings(pg_url_for_schema(schema, port=relay.port), tmp_path, batch_size=5,
                                 flush_interval_s=0.05)

        async def go() -> None:
            await relay.start()
            w = UsageWriter(settings, replay_interval_s=0.2)
            await w.start()
            first, during, after = records(10), records(12), records(6)
            for r in first:
                w.submit(r)
            await wait_until(lambda: w.stats.written == 10)
            await relay.stop()
            for r in during:
                w.submit(r)
            await wait_until(lambda: w.stats.spilled == 12)
            assert not w.db_up and len(w.spill_path.read_text().splitlines()) == 12
            await relay.start()
            await wait_until(lambda: w.stats.replayed == 12)
            assert w.db_up
            for r in after:
                w.submit(r)
            await w.stop()
            stored = await rows(Database(pg_url_for_schema(schema)))
            expected = [r["request_id"] for r in first + during + after]
            assert sorted(stored) == sorted(expected) and len(stored) == len(set(stored))
            assert not w.spill_files()
            await relay.stop()

        asyncio.run(go())


def test_replay_is_idempotent_and_isolates_bad_lines(db_url: str, tmp_path: Path) -> None:
    settings = make_settings(db_url, tmp_path)

    async def go() -> None:
        db = Database(db_url)
        await db.upgrade()
        recs = records(4)
        await insert_records(db, recs[:2])
        spill = tmp_path / "spill" / "usage-spill.jsonl"
        spill.parent.mkdir(parents=True)
        lines = [json.dumps(r) for r in recs] + [json.dumps(recs[0]), json.dumps({"no": "id"}), '{"torn": ']
        spill.write_text("\n".join(lines))
        w = UsageWriter(settings, db=db)
        await w.start()
        await w.stop()
        assert sorted(await rows(db)) == sorted(r["request_id"] for r in recs)
        assert w.stats.rejected == 1 and json.loads(w.reject_path.read_text()) == {"no": "id"}
        assert not w.spill_files()
        await db.dispose()

    asyncio.run(go())


def test_retention_cleanup(db_url: str, tmp_path: Path) -> None:
    settings = make_settings(db_url, tmp_path, retention_days=30)
    fp = block_fingerprints(CODE)

    async def go() -> None:
        w = UsageWriter(settings)
        await w.start()
        old = [build_record(make_ctx(age_s=40 * 86400, code_fingerprints=[fp])) for _ in range(3)]
        new = [build_record(make_ctx(age_s=5 * 86400, code_fingerprints=[fp])) for _ in range(2)]
        await insert_records(w.db, old + new)
        counts = await w.cleanup()
        assert counts == {"usage": 3, "code_fingerprints": 6}
        assert sorted(await rows(w.db)) == sorted(r["request_id"] for r in new)
        async with w.db.sessions() as s:
            left = (await s.execute(select(func.count()).select_from(CodeFingerprint))).scalar_one()
        assert left == 4
        assert await w.cleanup(1) == {"usage": 2, "code_fingerprints": 4}
        await w.stop()

    asyncio.run(go())


def test_redacted_prompt_dropped_unless_enabled(tmp_path: Path) -> None:
    async def go(store: str) -> Any:
        settings = make_settings(f"sqlite:///{tmp_path / store / 'u.db'}", tmp_path / store,
                                 store_prompts=store)
        w = UsageWriter(settings)
        await w.start()
        w.submit(build_record(make_ctx(redacted_prompt="hello <PERSON_1>")))
        await w.stop()
        async with w.db.sessions() as s:
            value = (await s.execute(select(Usage.redacted_prompt))).scalar_one()
        await w.db.dispose()
        return value

    assert asyncio.run(go("off")) is None
    assert asyncio.run(go("redacted")) == "hello <PERSON_1>"
