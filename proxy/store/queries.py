"""Read side of the usage store, shared by `spp logs`, the admin API and the dashboard."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, func, literal_column, select
from sqlalchemy.sql.elements import ColumnElement

from proxy.store.db import Database
from proxy.store.models import Usage

GROUPS = ("team", "user", "model", "outcome", "endpoint", "key_id", "day", "hour")
MAX_LIMIT = 1000
_REL = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_time(value: str | datetime | None, *, now: datetime | None = None) -> datetime | None:
    """ISO date/datetime (UTC if no zone) or a relative age like `30m`, `24h`, `7d`."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    m = _REL.match(value)
    if m:
        return (now or datetime.now(UTC)) - timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"invalid time {value!r}: use ISO 8601 (2025-01-31, 2025-01-31T12:00) "
                         "or an age like 30m, 24h, 7d") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


@dataclass(frozen=True)
class UsageFilters:
    user: str | None = None
    team: str | None = None
    model: str | None = None
    outcome: str | None = None
    endpoint: str | None = None
    key_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    @classmethod
    def parse(cls, *, since: str | datetime | None = None, until: str | datetime | None = None,
              **exact: str | None) -> UsageFilters:
        clean = {k: v or None for k, v in exact.items()}
        return cls(since=parse_time(since), until=parse_time(until), **clean)

    def clauses(self) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        for name in ("user", "team", "model", "outcome", "endpoint", "key_id"):
            value = getattr(self, name)
            if value:
                out.append(getattr(Usage, name) == value)
        if self.since:
            out.append(Usage.time >= self.since)
        if self.until:
            out.append(Usage.time < self.until)
        return out


def row_to_dict(u: Usage) -> dict[str, Any]:
    return {
        "request_id": u.request_id,
        "time": u.time.isoformat(),
        "user": u.user,
        "team": u.team,
        "key_id": u.key_id,
        "endpoint": u.endpoint,
        "model": u.model,
        "upstream_model": u.upstream_model,
        "stream": u.stream,
        "status": u.status,
        "outcome": u.outcome,
        "error_type": u.error_type,
        "latency_ms": u.latency_ms,
        "upstream_ms": u.upstream_ms,
        "overhead_ms": u.overhead_ms,
        "stage_ms": u.stage_ms,
        "prompt_tokens": u.prompt_tokens,
        "completion_tokens": u.completion_tokens,
        "cost_usd": u.cost_usd,
        "redactions": u.redactions,
        "redaction_count": u.redaction_count,
        "findings": u.findings,
        "finding_count": u.finding_count,
        "templates": u.templates,
        "code_blocks": u.code_blocks,
        **({"redacted_prompt": u.redacted_prompt} if u.redacted_prompt is not None else {}),
    }


async def query_usage(db: Database, filters: UsageFilters, limit: int = 100,
                      offset: int = 0) -> dict[str, Any]:
    """Newest first. Returns {"items", "total", "limit", "offset", "next_offset"}."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    where = filters.clauses()
    async with db.sessions() as s:
        total = (await s.execute(select(func.count()).select_from(Usage).where(*where))).scalar_one()
        rows = (await s.execute(
            select(Usage).where(*where).order_by(Usage.time.desc(), Usage.request_id.desc())
            .limit(limit).offset(offset)
        )).scalars().all()
    items = [row_to_dict(r) for r in rows]
    nxt = offset + len(items) if offset + len(items) < total else None
    return {"items": items, "total": int(total), "limit": limit, "offset": offset, "next_offset": nxt}


def _bucket(db: Database, unit: str) -> ColumnElement[Any]:
    """UTC day/hour label as text, per dialect."""
    if db.dialect == "postgresql":
        fmt = "YYYY-MM-DD" if unit == "day" else 'YYYY-MM-DD"T"HH24:00'
        return func.to_char(func.timezone("UTC", Usage.time), fmt)
    fmt = "%Y-%m-%d" if unit == "day" else "%Y-%m-%dT%H:00"
    return func.strftime(fmt, Usage.time)


def _aggregates() -> list[Any]:
    blocked = case((Usage.outcome == "blocked", 1), else_=0)
    refused = case((Usage.outcome == "refused", 1), else_=0)
    errors = case((Usage.outcome == "upstream_error", 1), else_=0)
    return [
        func.count().label("requests"),
        func.coalesce(func.sum(Usage.prompt_tokens), 0).label("prompt_tokens"),
        func.coalesce(func.sum(Usage.completion_tokens), 0).label("completion_tokens"),
        func.coalesce(func.sum(Usage.cost_usd), 0.0).label("cost_usd"),
        func.coalesce(func.sum(Usage.redaction_count), 0).label("redactions"),
        func.coalesce(func.sum(Usage.finding_count), 0).label("findings"),
        func.coalesce(func.sum(blocked), 0).label("blocks"),
        func.coalesce(func.sum(refused), 0).label("refused"),
        func.coalesce(func.sum(errors), 0).label("errors"),
        func.coalesce(func.avg(Usage.latency_ms), 0.0).label("avg_latency_ms"),
        func.coalesce(func.avg(Usage.overhead_ms), 0.0).label("avg_overhead_ms"),
    ]


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in row.items():
        if k in ("cost_usd",):
            out[k] = round(float(v or 0), 8)
        elif k in ("avg_latency_ms", "avg_overhead_ms"):
            out[k] = round(float(v or 0), 2)
        elif k in GROUPS or k == "group":
            out[k] = v
        else:
            out[k] = int(v or 0)
    return out


async def summary(db: Database, filters: UsageFilters, group_by: str = "team") -> list[dict[str, Any]]:
    """Per group: requests, tokens, cost, redactions, findings, blocks, refused, errors, mean latencies.

    `group_by` is one of GROUPS or a comma-separated combination (e.g. "team,model").
    """
    groups = [g.strip() for g in group_by.split(",") if g.strip()]
    if not groups or any(g not in GROUPS for g in groups):
        raise ValueError(f"group_by must be one or more of {', '.join(GROUPS)}")
    cols = [(_bucket(db, g) if g in ("day", "hour") else getattr(Usage, g)).label(g) for g in groups]
    stmt: Select[Any] = select(*cols, *_aggregates()).where(*filters.clauses())
    stmt = stmt.group_by(*[literal_column(g) if g in ("day", "hour") else getattr(Usage, g) for g in groups])
    async with db.sessions() as s:
        rows = (await s.execute(stmt)).mappings().all()
    out = [_clean(dict(r)) for r in rows]
    time_group = any(g in ("day", "hour") for g in groups)
    out.sort(key=(lambda r: tuple(str(r[g]) for g in groups)) if time_group
             else (lambda r: (-r["requests"], tuple(str(r[g]) for g in groups))))
    return out


async def totals(db: Database, filters: UsageFilters) -> dict[str, Any]:
    async with db.sessions() as s:
        row = (await s.execute(select(*_aggregates()).where(*filters.clauses()))).mappings().one()
    return _clean(dict(row))


async def redactions_by_type(db: Database, filters: UsageFilters, cap: int = 200_000) -> dict[str, int]:
    """Summed per entity type (aggregated here: JSON functions differ between SQLite and PostgreSQL)."""
    counts: Counter[str] = Counter()
    stmt = select(Usage.redactions).where(*filters.clauses(), Usage.redaction_count > 0).limit(cap)
    async with db.sessions() as s:
        for (red,) in (await s.execute(stmt)).all():
            for k, v in (red or {}).items():
                counts[str(k)] += int(v or 0)
    return dict(counts.most_common())


async def findings_by_cwe(db: Database, filters: UsageFilters, cap: int = 200_000) -> list[dict[str, Any]]:
    """[{cwe, count, blocked, severities{...}, rules[...]}] most frequent first."""
    agg: dict[str, dict[str, Any]] = {}
    stmt = select(Usage.findings).where(*filters.clauses(), Usage.finding_count > 0).limit(cap)
    async with db.sessions() as s:
        for (findings,) in (await s.execute(stmt)).all():
            for f in findings or []:
                cwe = str(f.get("cwe") or "(none)")
                a = agg.setdefault(cwe, {"cwe": cwe, "count": 0, "blocked": 0, "severities": Counter(),
                                         "rules": Counter()})
                a["count"] += 1
                a["blocked"] += 1 if f.get("action") == "block" else 0
                a["severities"][str(f.get("severity", ""))] += 1
                a["rules"][str(f.get("rule_id", ""))] += 1
    out = []
    for a in sorted(agg.values(), key=lambda x: (-x["count"], x["cwe"])):
        rules = [r for r, _ in a["rules"].most_common(5)]
        out.append({**a, "severities": dict(a["severities"]), "rules": rules})
    return out
