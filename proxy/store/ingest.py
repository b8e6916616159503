"""Record dicts -> rows, inserted idempotently (a replayed record never creates a duplicate)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from proxy.store.db import Database
from proxy.store.models import CodeFingerprint, Usage


class BadRecord(ValueError):
    """A record that can never be stored (not a transient database problem)."""


def _time(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    try:
        dt = datetime.fromisoformat(str(value))
    except ValueError:
        raise BadRecord("record has an invalid time") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _s(rec: dict[str, Any], key: str, n: int) -> str:
    return str(rec.get(key) or "")[:n]


def _i(rec: dict[str, Any], key: str) -> int:
    try:
        return int(rec.get(key) or 0)
    except (TypeError, ValueError):
        return 0


def _f(rec: dict[str, Any], key: str) -> float:
    try:
        return float(rec.get(key) or 0.0)
    except (TypeError, ValueError):
        return 0.0


def usage_row(rec: dict[str, Any]) -> dict[str, Any]:
    request_id = rec.get("request_id")
    if not isinstance(request_id, str) or not request_id:
        raise BadRecord("record has no request_id")
    return {
        "request_id": request_id[:64],
        "time": _time(rec.get("time")),
        "user": _s(rec, "user", 200),
        "team": _s(rec, "team", 200),
        "key_id": _s(rec, "key_id", 64),
        "endpoint": _s(rec, "endpoint", 32),
        "model": _s(rec, "model", 200),
        "upstream_model": _s(rec, "upstream_model", 200),
        "stream": bool(rec.get("stream")),
        "status": _i(rec, "status"),
        "outcome": _s(rec, "outcome", 32),
        "error_type": _s(rec, "error_type", 64),
        "latency_ms": _f(rec, "latency_ms"),
        "upstream_ms": _f(rec, "upstream_ms"),
        "overhead_ms": _f(rec, "overhead_ms"),
        "prompt_tokens": _i(rec, "prompt_tokens"),
        "completion_tokens": _i(rec, "completion_tokens"),
        "cost_usd": _f(rec, "cost_usd"),
        "redaction_count": _i(rec, "redaction_count"),
        "finding_count": _i(rec, "finding_count"),
        "code_blocks": _i(rec, "code_blocks"),
        "redactions": dict(rec.get("redactions") or {}),
        "findings": list(rec.get("findings") or []),
        "templates": list(rec.get("templates") or []),
        "stage_ms": dict(rec.get("stage_ms") or {}),
        "redacted_prompt": rec.get("redacted_prompt"),
    }


def fingerprint_rows(rec: dict[str, Any], usage: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per window; a block without windows gets one row for its whole-block hash."""
    base = {"request_id": usage["request_id"], "time": usage["time"], "user": usage["user"],
            "team": usage["team"], "model": usage["model"]}
    rows = []
    for fp in rec.get("fingerprints") or []:
        block = str(fp.get("hash", ""))[:64]
        windows = fp.get("windows") or [[block, 0, 0]]
        seen = set()
        for h, first, last in windows:
            key = (str(h)[:64], int(first))
            if key in seen:
                continue
            seen.add(key)
            rows.append({**base, "hash": key[0], "block_hash": block, "first_line": key[1],
                         "last_line": int(last)})
    return rows


def _insert(db: Database, model: Any) -> Any:
    return (pg_insert if db.dialect == "postgresql" else sqlite_insert)(model)


def _rows(rec: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        row = usage_row(rec)
        return row, fingerprint_rows(rec, row)
    except BadRecord:
        raise
    except (TypeError, ValueError, AttributeError, KeyError):
        raise BadRecord("record has an invalid field") from None


async def insert_records(db: Database, records: Sequence[dict[str, Any]],
                         rejected: list[dict[str, Any]] | None = None) -> int:
    """Insert records in one transaction; rows whose request_id already exists are skipped.

    A malformed record raises BadRecord before the database is touched, or, when `rejected` is a
    list, is appended to it and skipped. Returns the number of records sent (duplicates included).
    """
    usage_rows: list[dict[str, Any]] = []
    fp_rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for rec in records:
        try:
            row, fps = _rows(rec)
        except BadRecord:
            if rejected is None:
                raise
            rejected.append(rec)
            continue
        if row["request_id"] in seen:
            continue
        seen.add(row["request_id"])
        usage_rows.append(row)
        fp_rows.extend(fps)
    if not usage_rows:
        return 0
    async with db.sessions.begin() as session:
        await session.execute(_insert(db, Usage).on_conflict_do_nothing(), usage_rows)
        if fp_rows:
            await session.execute(_insert(db, CodeFingerprint).on_conflict_do_nothing(), fp_rows)
    return len(usage_rows)


async def delete_older_than(db: Database, cutoff: datetime) -> dict[str, int]:
    """Retention: drop usage rows and code fingerprints recorded before `cutoff`."""
    async with db.sessions.begin() as session:
        u = await session.execute(delete(Usage).where(Usage.time < cutoff))
        f = await session.execute(delete(CodeFingerprint).where(CodeFingerprint.time < cutoff))
    return {"usage": int(u.rowcount or 0), "code_fingerprints": int(f.rowcount or 0)}  # type: ignore[attr-defined]
