"""Prometheus metrics built from usage records.

Each Metrics owns its own CollectorRegistry, so several apps in one process (tests) never collide.
Label values come only from the record's identifier fields (types, ids, model and team names) and are
passed through an allow-list pattern; with `known_models`, a model name outside the configured list
becomes "(unknown)" so a client cannot mint label values (or smuggle text into them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

from proxy.store.record import block_reason

if TYPE_CHECKING:
    from proxy.store.writer import UsageWriter

_LABEL = re.compile(r"^[A-Za-z0-9_.:/@+\- ()]{1,64}$")
UNKNOWN = "(unknown)"

LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300)
OVERHEAD_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)


def label(value: Any, default: str = "other") -> str:
    s = str(value) if value is not None else ""
    return s if _LABEL.match(s) else default


class Metrics:
    def __init__(self, known_models: Collection[str] | None = None) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._models = set(known_models) if known_models is not None else None
        r = self.registry
        self.requests = Counter("spp_requests_total", "Requests by endpoint, model, outcome and team",
                                ["endpoint", "model", "outcome", "team"], registry=r)
        self.latency = Histogram("spp_request_latency_seconds", "Total request latency",
                                 ["endpoint", "model"], buckets=LATENCY_BUCKETS, registry=r)
        self.overhead = Histogram("spp_proxy_overhead_seconds", "Time spent in the proxy's own stages",
                                  ["endpoint"], buckets=OVERHEAD_BUCKETS, registry=r)
        self.stage = Histogram("spp_stage_seconds", "Time per pipeline stage", ["stage"],
                               buckets=OVERHEAD_BUCKETS, registry=r)
        self.upstream = Histogram("spp_upstream_latency_seconds", "Upstream model latency", ["model"],
                                  buckets=LATENCY_BUCKETS, registry=r)
        self.tokens = Counter("spp_tokens_total", "Tokens by direction (prompt/completion)",
                              ["direction", "model"], registry=r)
        self.cost = Counter("spp_cost_usd_total", "Estimated cost in USD", ["model", "team"], registry=r)
        self.redactions = Counter("spp_redactions_total", "Redacted values by entity type",
                                  ["entity_type"], registry=r)
        self.findings = Counter("spp_findings_total", "Code findings by severity and CWE",
                                ["severity", "cwe"], registry=r)
        self.blocks = Counter("spp_blocks_total", "Blocked or refused requests by reason kind",
                              ["reason_kind"], registry=r)

    def _model(self, value: Any) -> str:
        v = label(value, UNKNOWN)
        return v if self._models is None or v in self._models else UNKNOWN

    @staticmethod
    def _team(value: Any) -> str:
        return label(value, UNKNOWN)  # team names come from the key store, not from clients

    def observe(self, record: dict[str, Any]) -> None:
        """Count one usage record (call it for every request, like UsageWriter.submit)."""
        endpoint = label(record.get("endpoint"), "other")
        model = self._model(record.get("model"))
        upstream_model = label(record.get("upstream_model"), model)  # from config, not from the client
        team = self._team(record.get("team"))
        self.requests.labels(endpoint, model, label(record.get("outcome")), team).inc()
        self.latency.labels(endpoint, model).observe(_secs(record.get("latency_ms")))
        self.overhead.labels(endpoint).observe(_secs(record.get("overhead_ms")))
        for stage, ms in (record.get("stage_ms") or {}).items():
            self.stage.labels(label(stage)).observe(_secs(ms))
        if record.get("upstream_ms"):
            self.upstream.labels(upstream_model).observe(_secs(record.get("upstream_ms")))
        for direction, key in (("prompt", "prompt_tokens"), ("completion", "completion_tokens")):
            n = _count(record.get(key))
            if n:
                self.tokens.labels(direction, model).inc(n)
        cost = record.get("cost_usd") or 0.0
        if isinstance(cost, int | float) and cost > 0:
            self.cost.labels(model, team).inc(float(cost))
        for entity, n in (record.get("redactions") or {}).items():
            if _count(n):
                self.redactions.labels(label(entity)).inc(_count(n))
        for f in record.get("findings") or []:
            self.findings.labels(label(f.get("severity")), label(f.get("cwe"), "(none)")).inc()
        reason = block_reason(record)
        if reason is not None:
            self.blocks.labels(label(reason)).inc()

    def bind_writer(self, writer: UsageWriter) -> None:
        """Expose the writer's health: queue depth, database up, records spilled/written/lost."""
        r = self.registry
        Gauge("spp_usage_queue_depth", "Usage records waiting to be written", registry=r) \
            .set_function(lambda: writer.queue_depth)
        Gauge("spp_usage_db_up", "1 when the usage database accepts writes", registry=r) \
            .set_function(lambda: 1.0 if writer.db_up else 0.0)
        g = Gauge("spp_usage_records", "Usage records by fate since start", ["fate"], registry=r)
        for fate in ("written", "spilled", "replayed", "rejected", "lost"):
            g.labels(fate).set_function(_stat_reader(writer, fate))

    def render(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


def _stat_reader(writer: UsageWriter, name: str) -> Callable[[], float]:
    return lambda: float(getattr(writer.stats, name))


def _secs(ms: Any) -> float:
    try:
        v = float(ms)
    except (TypeError, ValueError):
        return 0.0
    return max(v, 0.0) / 1000.0


def _count(v: Any) -> int:
    try:
        return max(int(v), 0)
    except (TypeError, ValueError):
        return 0
