"""Background batch writer for usage records.

Requests never wait for the database: `submit()` only puts the record on a bounded queue (or, if the
queue is full or the database is down, appends it to a local JSONL spill file). A background task
writes batches; a recovery task replays the spill file once the database answers again. Inserts are
idempotent on request_id, so a record replayed twice is stored once.

Log lines carry counts and exception class names only: database exception messages can quote the
statement parameters, i.e. record contents.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from proxy.settings import Settings
from proxy.store.db import Database
from proxy.store.ingest import delete_older_than, insert_records

log = logging.getLogger("spp.store.writer")

SPILL_NAME = "usage-spill.jsonl"
REJECT_NAME = "usage-rejected.jsonl"


@dataclass
class WriterStats:
    submitted: int = 0
    written: int = 0
    spilled: int = 0
    replayed: int = 0
    rejected: int = 0
    lost: int = 0  # only when even the spill file cannot be written (disk full, read-only)
    batches: int = 0  # successful database transactions
    failed_batches: int = 0


def _exc_name(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return f"{type(exc).__name__}({type(orig).__name__})" if orig is not None else type(exc).__name__


class UsageWriter:
    """Owns the usage database for the app: migrations, batched writes, spill/replay, retention."""

    def __init__(self, settings: Settings, *, db: Database | None = None, replay_interval_s: float = 5.0,
                 retention_interval_s: float = 3600.0, stop_timeout_s: float = 30.0) -> None:
        self.settings = settings
        self.db = db or Database(settings.resolved_database_url)
        self._owns_db = db is None
        self._cfg = settings.usage
        self.spill_dir = settings.resolved_data_dir / "spill"
        self.spill_path = self.spill_dir / SPILL_NAME
        self.reject_path = self.spill_dir / REJECT_NAME
        self.replay_interval_s = replay_interval_s
        self.retention_interval_s = retention_interval_s
        self.stop_timeout_s = stop_timeout_s
        self.stats = WriterStats()
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=self._cfg.queue_size)
        self._wake = asyncio.Event()
        self._replay_lock = asyncio.Lock()
        self._tasks: list[asyncio.Task[None]] = []
        self._batch_task: asyncio.Task[None] | None = None
        self._inflight: list[dict[str, Any]] = []
        self._migrated = False
        self._db_ok = False
        self._closing = False
        self._closed = False

    # -- lifecycle ------------------------------------------------------------------------------
    async def start(self) -> None:
        """Migrate, replay what an earlier run spilled, start the background tasks.

        A database that is down at start-up does not stop the proxy: records spill and are replayed
        once migrations succeed.
        """
        await self._try_migrate()
        if self._migrated:
            await self.replay_spill()
        self._batch_task = asyncio.create_task(self._run_batches(), name="spp-usage-writer")
        self._tasks = [
            asyncio.create_task(self._run_recovery(), name="spp-usage-recovery"),
            asyncio.create_task(self._run_retention(), name="spp-usage-retention"),
        ]

    async def stop(self) -> None:
        """Flush the queue to the database (or the spill file), then stop the tasks."""
        if self._closed:
            return
        self._closing = True
        self._wake.set()
        for t in self._tasks:
            t.cancel()
        for t in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t
        if self._batch_task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._batch_task), self.stop_timeout_s)
            except TimeoutError:
                log.warning("usage writer: flush timed out after %.0fs; spilling the rest",
                            self.stop_timeout_s)
                self._batch_task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self._batch_task
                if self._inflight:
                    self._spill(self._inflight)  # may already be committed: replay ignores duplicates
                    self._inflight = []
            except Exception as exc:  # noqa: BLE001
                log.error("usage writer task failed: %s", _exc_name(exc))
        rest = self._take(self._queue.qsize())
        if rest:
            self._spill(rest)
        self._closed = True
        if self._owns_db:
            await self.db.dispose()

    # -- the request path -----------------------------------------------------------------------
    def submit(self, record: dict[str, Any]) -> None:
        """Hand a record over without waiting. Call from the event loop thread."""
        if self._cfg.store_prompts != "redacted" and "redacted_prompt" in record:
            record = {k: v for k, v in record.items() if k != "redacted_prompt"}
        self.stats.submitted += 1
        if self._closed:
            self._spill([record])
            return
        try:
            self._queue.put_nowait(record)
        except asyncio.QueueFull:
            self._spill([record])
            return
        if self._queue.qsize() >= self._cfg.batch_size:
            self._wake.set()

    # -- health ---------------------------------------------------------------------------------
    @property
    def queue_depth(self) -> int:
        return self._queue.qsize()

    @property
    def db_up(self) -> bool:
        return self._migrated and self._db_ok

    async def ready(self) -> bool:
        """True when the database answers (and the schema is in place)."""
        return self._migrated and await self.db.ping()

    def spill_files(self) -> list[Path]:
        if not self.spill_dir.is_dir():
            return []
        return sorted(p for p in self.spill_dir.glob("usage-spill*.jsonl") if p.is_file())

    # -- batching -------------------------------------------------------------------------------
    def _take(self, n: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while len(out) < n:
            try:
                out.append(self._queue.get_nowait())
            except asyncio.QueueEmpty:
                break
        return out

    async def _run_batches(self) -> None:
        size = self._cfg.batch_size
        while True:
            batch = self._take(size)
            if batch:
                self._inflight = batch
                await self._write(batch)
                self._inflight = []
                if len(batch) >= size:
                    continue
            if self._closing and self._queue.empty():
                return
            self._wake.clear()
            if not self._closing and self._queue.qsize() < size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._cfg.flush_interval_s)

    async def _write(self, batch: list[dict[str, Any]]) -> None:
        if not self.db_up:
            self._spill(batch)
            return
        try:
            n = await self._insert(batch)
            self.stats.written += n
            self.stats.batches += 1
        except Exception as exc:  # noqa: BLE001 - anything here means "could not store now"
            self.stats.failed_batches += 1
            self._db_ok = False
            log.warning("usage database write failed (%s); spilling %d record(s) to %s",
                        _exc_name(exc), len(batch), self.spill_path)
            self._spill(batch)

    async def _insert(self, batch: list[dict[str, Any]]) -> int:
        """Insert, isolating records the database rejects (so one bad record cannot block replay)."""
        rejected: list[dict[str, Any]] = []
        try:
            n = await insert_records(self.db, batch, rejected)
        except Exception:
            if not await self.db.ping():
                raise
            n = 0
            for rec in batch:  # the database is up: find the record(s) it refuses
                if rec in rejected:
                    continue
                try:
                    n += await insert_records(self.db, [rec], rejected)
                except Exception as exc:  # noqa: BLE001
                    log.warning("usage record refused by the database (%s)", _exc_name(exc))
                    rejected.append(rec)
        if rejected:
            self.stats.rejected += len(rejected)
            log.error("%d usage record(s) could not be stored; kept in %s", len(rejected), self.reject_path)
            self._append(self.reject_path, rejected)
        return n

    # -- spill / replay -------------------------------------------------------------------------
    def _append(self, path: Path, records: list[dict[str, Any]]) -> bool:
        data = "".join(json.dumps(r, separators=(",", ":"), ensure_ascii=False, default=str) + "\n"
                       for r in records).encode("utf-8")
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
            return True
        except OSError as exc:
            self.stats.lost += len(records)
            log.error("cannot write %s (%s): %d usage record(s) lost", path, exc.strerror, len(records))
            return False

    def _spill(self, records: list[dict[str, Any]]) -> None:
        if records and self._append(self.spill_path, records):
            self.stats.spilled += len(records)

    def _claim_spill(self) -> list[Path]:
        """Atomically move the live spill file aside so new spills do not race with the replay."""
        if self.spill_path.exists():
            claimed = self.spill_dir / f"usage-spill.{time.time_ns()}.{os.getpid()}.replay.jsonl"
            with contextlib.suppress(FileNotFoundError):
                os.replace(self.spill_path, claimed)
        return [p for p in self.spill_files() if p.name.endswith(".replay.jsonl")]

    async def replay_spill(self) -> int:
        """Insert everything in the spill files; returns the number of records sent to the database.

        Stops (keeping the remaining file) at the first database failure; a later call resumes, and
        records already inserted are skipped by their request_id.
        """
        async with self._replay_lock:
            total = 0
            for path in self._claim_spill():
                try:
                    total += await self._replay_file(path)
                except Exception as exc:  # noqa: BLE001
                    self._db_ok = False
                    log.warning("usage spill replay paused (%s); %s kept", _exc_name(exc), path.name)
                    break
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            if total:
                self.stats.replayed += total
                log.info("replayed %d spilled usage record(s)", total)
            return total

    async def _replay_file(self, path: Path) -> int:
        total, bad = 0, 0
        batch: list[dict[str, Any]] = []
        with path.open("r", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    bad += 1  # a torn last line after a crash
                    continue
                if isinstance(rec, dict):
                    batch.append(rec)
                if len(batch) >= self._cfg.batch_size:
                    total += await self._insert(batch)
                    batch = []
            if batch:
                total += await self._insert(batch)
        if bad:
            log.warning("skipped %d unreadable line(s) in %s", bad, path.name)
        return total

    # -- background maintenance -----------------------------------------------------------------
    async def _try_migrate(self) -> None:
        try:
            await self.db.upgrade()
            self._migrated = self._db_ok = True
        except Exception as exc:  # noqa: BLE001
            log.error("usage database %s unavailable (%s); records spill to %s until it returns",
                      self.db.safe_url(), _exc_name(exc), self.spill_path)

    async def _run_recovery(self) -> None:
        while True:
            await asyncio.sleep(self.replay_interval_s)
            try:
                await self.recover()
            except Exception as exc:  # noqa: BLE001
                log.warning("usage recovery attempt failed (%s)", _exc_name(exc))

    async def recover(self) -> None:
        """One recovery round: migrate if needed, then replay spill files when the database answers."""
        if not self._migrated:
            await self._try_migrate()
            if not self._migrated:
                return
        if self._db_ok and not self.spill_files():
            return
        if await self.db.ping():
            if not self._db_ok:
                log.info("usage database is reachable again")
            self._db_ok = True
            await self.replay_spill()

    async def cleanup(self, retention_days: int | None = None) -> dict[str, int]:
        """Delete rows older than the retention period (default: `usage.retention_days`)."""
        days = retention_days if retention_days is not None else self._cfg.retention_days
        cutoff = datetime.now(UTC) - timedelta(days=days)
        counts = await delete_older_than(self.db, cutoff)
        if any(counts.values()):
            log.info("retention: removed %d usage row(s) and %d fingerprint(s) older than %d days",
                     counts["usage"], counts["code_fingerprints"], days)
        return counts

    async def _run_retention(self) -> None:
        await asyncio.sleep(min(60.0, self.retention_interval_s))
        while True:
            if self.db_up:
                try:
                    await self.cleanup()
                except Exception as exc:  # noqa: BLE001
                    log.warning("retention cleanup failed (%s)", _exc_name(exc))
            await asyncio.sleep(self.retention_interval_s)
