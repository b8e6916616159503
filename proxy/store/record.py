"""Turns a finished request's Context into the usage record: counts, types, ids and hashes only.

The record is the one thing that leaves the request: it goes to the queue, the database, the spill
file and the metrics. So it is built from an allow-list of fields; `ctx.state` (which holds the
placeholder vault with the raw values) is never read, and anything free-form is reduced to a
safe identifier or dropped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from typing import Any

from proxy.pipeline.context import Context
from proxy.store.codehash import block_fingerprints

RECORD_VERSION = 1
_HEX = re.compile(r"^[0-9a-f]{8,64}$")
_IDENT = re.compile(r"^[A-Za-z0-9_.:/@+\-]{1,200}$")  # ids, types, codes: no spaces
_NAME = re.compile(r"^[A-Za-z0-9_.:/@+\- ]{1,200}$")  # user, team and model names may have spaces
_SEVERITIES = {"low", "medium", "high", "critical", "info"}
_ACTIONS = {"annotate", "block", "off"}
UNKNOWN = "(unknown)"


def safe_ident(value: object, default: str = "", max_len: int = 200) -> str:
    """An identifier-like string (type, rule id, code) or `default`: free text never gets through."""
    s = (str(value) if value is not None else "")[:max_len]
    return s if _IDENT.match(s) else default


def safe_name(value: object, default: str = "", max_len: int = 200) -> str:
    """A user, team or model name: like safe_ident, plus single spaces between words."""
    s = (str(value) if value is not None else "")[:max_len]
    return s if _NAME.match(s) and "  " not in s and s.strip() == s else default


def _num(value: object, digits: int = 3) -> float:
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return round(f, digits) if math.isfinite(f) and f >= 0 else 0.0


def _int(value: object) -> int:
    try:
        return max(int(value), 0)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat()


def normalise_fingerprints(items: Iterable[Any]) -> list[dict[str, Any]]:
    """Fingerprint entries as {"hash", "windows": [[hash, first, last], ...]}.

    Accepts the dicts the codescan stage produces, bare hash strings, and (defensively) bare code
    strings, which are hashed here so code itself can never reach the store.
    """
    out: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, str):
            if _HEX.match(item):
                out.append({"hash": item, "windows": []})
            elif (block := block_fingerprints(item)) is not None:
                out.append(block)
            continue
        if not isinstance(item, dict):
            continue
        h = str(item.get("hash", ""))
        if not _HEX.match(h):
            continue
        windows = []
        for w in item.get("windows") or []:
            if isinstance(w, list | tuple) and len(w) == 3 and _HEX.match(str(w[0])):
                windows.append([str(w[0]), _int(w[1]), _int(w[2])])
        out.append({"hash": h, "windows": windows})
    return out


def _templates(items: Iterable[Any]) -> list[dict[str, str]]:
    out = []
    for t in items:
        if isinstance(t, dict):
            entry = {"id": safe_ident(t.get("id"), "?", 100)}
            h = str(t.get("hash", ""))
            entry["hash"] = h if _HEX.match(h) else ""
            out.append(entry)
    return out


def _findings(ctx: Context) -> list[dict[str, Any]]:
    out = []
    for f in ctx.findings:
        rec = f.as_record()
        out.append({
            "rule_id": safe_ident(rec.get("rule_id"), "?", 100),
            "cwe": safe_ident(rec.get("cwe"), "", 32),
            "severity": rec.get("severity") if rec.get("severity") in _SEVERITIES else "info",
            "action": rec.get("action") if rec.get("action") in _ACTIONS else "annotate",
            "line": _int(rec.get("line")),
            "language": safe_ident(rec.get("language"), "", 32),
        })
    return out


def build_record(ctx: Context, *, store_prompts: str | None = None,
                 known_models: Collection[str] | None = None) -> dict[str, Any]:
    """The JSON-serialisable usage record for one request.

    `store_prompts`: "redacted" keeps `ctx.redacted_prompt`, "off" drops it; None keeps it when the
    stage set it (the stage only does so when the setting is on; the writer checks again).
    `known_models`: when given, a client model name outside it is recorded as "(unknown)", since
    on a refused request that string is whatever the client typed.
    """
    p = ctx.principal
    model = ctx.model
    if known_models is not None and model not in known_models:
        model = UNKNOWN
    redactions: dict[str, int] = {}
    for k, v in ctx.redactions.items():
        if _int(v) > 0:
            key = safe_ident(k, "OTHER", 64)
            redactions[key] = redactions.get(key, 0) + _int(v)
    findings = _findings(ctx)
    fps = normalise_fingerprints(ctx.code_fingerprints)
    stage_ms = {safe_ident(k, "other", 64): _num(v) for k, v in ctx.stage_ms.items()}
    rec: dict[str, Any] = {
        "v": RECORD_VERSION,
        "request_id": safe_ident(ctx.request_id, "req_invalid", 64),
        "time": iso(ctx.started_at),
        "user": safe_name(p.user, UNKNOWN),
        "team": safe_name(p.team, UNKNOWN),
        "key_id": safe_ident(p.key_id, "", 64),
        "endpoint": safe_ident(ctx.endpoint, "", 32),
        "model": safe_name(model, UNKNOWN),
        "upstream_model": safe_name(ctx.upstream_model, ""),
        "stream": bool(ctx.stream),
        "status": _int(ctx.status),
        "outcome": safe_ident(ctx.outcome, "other", 32),
        "error_type": safe_ident(ctx.error_type, "other", 64) if ctx.error_type else "",
        "latency_ms": _num(ctx.elapsed_ms()),
        "upstream_ms": _num(ctx.upstream_ms),
        "overhead_ms": _num(sum(stage_ms.values())),
        "stage_ms": stage_ms,
        "prompt_tokens": _int(ctx.prompt_tokens),
        "completion_tokens": _int(ctx.completion_tokens),
        "cost_usd": _num(ctx.cost_usd, 10),
        "redactions": redactions,
        "redaction_count": sum(redactions.values()),
        "templates": _templates(ctx.templates_applied),
        "findings": findings,
        "finding_count": len(findings),
        "fingerprints": fps,
        "code_blocks": len(fps),
    }
    if store_prompts != "off" and ctx.redacted_prompt is not None:
        rec["redacted_prompt"] = ctx.redacted_prompt
    return rec


def block_reason(record: dict[str, Any]) -> str | None:
    """Why a request was stopped, as a small fixed vocabulary for metrics; None when it was not."""
    outcome = record.get("outcome")
    if outcome not in ("blocked", "refused"):
        return None
    if any(f.get("action") == "block" for f in record.get("findings", [])):
        return "code_finding"
    return str(record.get("error_type") or outcome)
