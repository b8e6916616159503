"""Collects what the dashboard shows, from the same queries as the admin API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from proxy.admin import charts
from proxy.store.db import Database
from proxy.store.queries import (
    UsageFilters,
    findings_by_cwe,
    query_usage,
    redactions_by_type,
    summary,
    totals,
)

RANGES = (1, 7, 30, 90)


def _buckets(now: datetime, days: int) -> tuple[str, list[str]]:
    if days <= 1:
        start = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=23)
        return "hour", [(start + timedelta(hours=i)).strftime("%Y-%m-%dT%H:00") for i in range(24)]
    first = now.date() - timedelta(days=days - 1)
    return "day", [(first + timedelta(days=i)).isoformat() for i in range(days)]


async def dashboard_data(db: Database, days: int = 7, team: str | None = None) -> dict[str, Any]:
    now = datetime.now(UTC)
    unit, labels = _buckets(now, days)
    since = (datetime.fromisoformat(labels[0]).replace(tzinfo=UTC))
    f = UsageFilters(team=team or None, since=since)
    tot = await totals(db, f)
    series = await summary(db, f, unit)
    teams = await summary(db, UsageFilters(since=since), "team")
    models = await summary(db, f, "model")
    red = await redactions_by_type(db, f)
    cwes = await findings_by_cwe(db, f)
    blocked = await query_usage(db, UsageFilters(team=team or None, since=since, outcome="blocked"), limit=10)
    refused = await query_usage(db, UsageFilters(team=team or None, since=since, outcome="refused"), limit=10)
    by_bucket = {r[unit]: r for r in series}
    req = [float(by_bucket.get(b, {}).get("requests", 0)) for b in labels]
    blk = [float(by_bucket.get(b, {}).get("blocks", 0)) + float(by_bucket.get(b, {}).get("refused", 0))
           for b in labels]
    cost = [float(by_bucket.get(b, {}).get("cost_usd", 0.0)) for b in labels]
    short = [b[11:16] if unit == "hour" else b[5:] for b in labels]
    recent = sorted(blocked["items"] + refused["items"], key=lambda r: r["time"], reverse=True)[:10]
    return {
        "days": days,
        "ranges": RANGES,
        "team": team or "",
        "teams": sorted(r["team"] for r in teams),
        "generated_at": now.strftime("%Y-%m-%d %H:%M UTC"),
        "totals": tot,
        "requests_chart": charts.stacked_bars(short, req, blk, label="Requests over time (blocked in red)",
                                              highlight_name="blocked or refused"),
        "cost_chart": charts.line(short, cost, label="Cost over time (USD)"),
        "redactions_chart": charts.hbars(list(red.items())[:12], label="Redactions by type", color="palette",
                                         empty="no redactions in this period"),
        "findings_chart": charts.hbars([(c["cwe"], c["count"]) for c in cwes[:10]], label="Findings by CWE",
                                       color=charts.DANGER, empty="no findings in this period"),
        "cwes": cwes[:10],
        "per_team": teams if not team else [r for r in teams if r["team"] == team],
        "per_model": models,
        "recent_blocks": recent,
    }
