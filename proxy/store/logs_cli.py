"""`spp logs`: the usage records as a table, JSON or CSV."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import datetime
from typing import Any

from proxy.settings import Settings
from proxy.store.db import Database
from proxy.store.queries import UsageFilters, query_usage, summary

FORMATS = ("table", "json", "csv")
TABLE_COLUMNS = [
    ("time", "TIME"), ("request_id", "REQUEST"), ("user", "USER"), ("team", "TEAM"), ("model", "MODEL"),
    ("outcome", "OUTCOME"), ("status", "STATUS"), ("tokens", "TOKENS IN/OUT"), ("cost_usd", "COST $"),
    ("latency_ms", "MS"), ("redactions", "REDACTIONS"), ("findings", "FINDINGS"),
]
CSV_COLUMNS = [
    "time", "request_id", "user", "team", "key_id", "endpoint", "model", "upstream_model", "stream",
    "status", "outcome", "error_type", "latency_ms", "upstream_ms", "overhead_ms", "prompt_tokens",
    "completion_tokens", "cost_usd", "redaction_count", "redactions", "finding_count", "findings",
    "templates", "code_blocks", "stage_ms",
]


async def _fetch(settings: Settings, filters: UsageFilters, limit: int) -> list[dict[str, Any]]:
    db = Database(settings.resolved_database_url)
    try:
        await db.upgrade()
        return (await query_usage(db, filters, limit=limit))["items"]
    finally:
        await db.dispose()


def run_logs(settings: Settings, user: str | None = None, team: str | None = None, model: str | None = None,
             outcome: str | None = None, since: str | datetime | None = None,
             until: str | datetime | None = None, fmt: str = "table", limit: int = 100) -> str:
    """Newest records first. Raises ValueError for a bad format or time filter (message safe to print)."""
    if fmt not in FORMATS:
        raise ValueError(f"--format must be one of {', '.join(FORMATS)}")
    filters = UsageFilters.parse(user=user, team=team, model=model, outcome=outcome, since=since, until=until)
    items = asyncio.run(_fetch(settings, filters, limit))
    if fmt == "json":
        return json.dumps(items, indent=2, ensure_ascii=False)
    if fmt == "csv":
        return _csv(items)
    return _table(items)


def run_summary(settings: Settings, group_by: str = "team", fmt: str = "table", **filters: Any) -> str:
    """Per-group totals (requests, tokens, cost, redactions, findings, blocks)."""
    parsed = UsageFilters.parse(**filters)

    async def go() -> list[dict[str, Any]]:
        db = Database(settings.resolved_database_url)
        try:
            await db.upgrade()
            return await summary(db, parsed, group_by)
        finally:
            await db.dispose()

    rows = asyncio.run(go())
    if fmt == "json":
        return json.dumps(rows, indent=2)
    if not rows:
        return "no usage records match"
    cols = list(rows[0].keys())
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(cols)
        for r in rows:
            w.writerow([_csv_cell(r[c]) for c in cols])
        return buf.getvalue()
    return _grid([c.upper() for c in cols], [[_fmt(r[c]) for c in cols] for r in rows])


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.6f}".rstrip("0").rstrip(".") if v else "0"
    return str(v)


def _table(items: list[dict[str, Any]]) -> str:
    if not items:
        return "no usage records match"
    rows = []
    for it in items:
        red = ",".join(f"{k}:{v}" for k, v in sorted(it["redactions"].items())) or "-"
        fnd = ",".join(sorted({f.get("cwe") or f.get("rule_id", "?") for f in it["findings"]})) or "-"
        rows.append([
            it["time"][:19].replace("T", " "), it["request_id"], it["user"], it["team"], it["model"],
            it["outcome"], str(it["status"]), f"{it['prompt_tokens']}/{it['completion_tokens']}",
            f"{it['cost_usd']:.6f}", f"{it['latency_ms']:.0f}", red, fnd,
        ])
    return _grid([h for _, h in TABLE_COLUMNS], rows)


def _grid(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def _csv_cell(v: Any) -> Any:
    """Nested values as JSON; text that a spreadsheet would run as a formula is quoted."""
    if isinstance(v, dict | list):
        return json.dumps(v, separators=(",", ":"), sort_keys=True)
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def _csv(items: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_COLUMNS)
    for it in items:
        w.writerow([_csv_cell(it.get(c)) for c in CSV_COLUMNS])
    return buf.getvalue()
