"""The long-lived parts of a running proxy, built once per app (no module-level state)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from proxy.auth import Authenticator
from proxy.observability.metrics import Metrics
from proxy.pipeline.context import Context
from proxy.pipeline.runner import Pipeline
from proxy.settings import ModelEntry, Settings
from proxy.upstream.base import Upstream

log = logging.getLogger("spp.usage")


class UsageSink(Protocol):
    def submit(self, record: dict[str, Any]) -> None: ...


@dataclass
class Services:
    settings: Settings
    pipeline: Pipeline
    auth: Authenticator
    litellm: Upstream
    passthrough: Upstream
    usage: UsageSink
    metrics: Metrics
    extras: dict[str, Any] = field(default_factory=dict)

    def upstream_for(self, entry: ModelEntry) -> Upstream:
        from proxy.upstream.passthrough import supports

        mode = self.settings.server.upstream_mode
        if mode == "passthrough" or (mode == "auto" and supports(entry)):
            return self.passthrough
        return self.litellm

    def record(self, ctx: Context) -> None:
        """Hand the request's record to the usage writer and metrics. Never raises: auditing must not
        turn a served answer into an error (the writer spills to disk when the database is down)."""
        from proxy.store.record import build_record

        try:
            rec = build_record(ctx, store_prompts=self.settings.usage.store_prompts,
                               known_models=self.settings.models.keys())
            self.usage.submit(rec)
            self.metrics.observe(rec)
        except Exception:
            log.exception("usage record for %s could not be queued", ctx.request_id)
