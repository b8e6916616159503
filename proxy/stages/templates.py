"""Adds the organisation's security requirements for the topic at hand to the upstream request.

Runs after redaction, so detection only ever sees redacted text (a redacted secret, `<SECRET_…_1>`,
pulls in the secrets pack). The block lives only in the upstream request: the client never sees it.
"""

from __future__ import annotations

import logging

from proxy.pipeline.context import Context
from proxy.pipeline.request import LLMRequest
from proxy.pipeline.stage import Stage
from proxy.templates.config import TemplateSettings
from proxy.templates.inject import inject, without_leading_block
from proxy.templates.plan import plan_requirements

log = logging.getLogger(__name__)


class TemplateStage(Stage):
    name = "templates"

    def __init__(self, default: TemplateSettings | None = None) -> None:
        self._default = default or TemplateSettings()

    def settings_for(self, ctx: Context) -> TemplateSettings:
        """The team's settings from `ctx.state["policy"].templates`, else the stage default."""
        policy = ctx.state.get("policy")
        settings = getattr(policy, "templates", None)
        return settings if isinstance(settings, TemplateSettings) else self._default

    def on_request(self, ctx: Context, request: LLMRequest) -> None:
        settings = self.settings_for(ctx)
        if not settings.enabled:
            return
        if request.endpoint == "completions" and not settings.completions:
            return  # a prefix would break fill-in-the-middle
        text = request.latest_user_text()
        if request.endpoint == "completions":
            text = without_leading_block(text)
        plan = plan_requirements(text, settings, team=ctx.principal.team)
        inject(request, plan.block)
        # Replace, not append, what an earlier run of this stage recorded (a retried request).
        previous = ctx.state.get(self.name, {}).get("records", [])
        ctx.templates_applied[:] = [r for r in ctx.templates_applied if r not in previous]
        records = plan.records()
        ctx.templates_applied.extend(records)
        ctx.state[self.name] = {**plan.summary(), "records": records}
        if plan.rendered.errors:
            log.warning("request %s: template packs failed to render: %s", ctx.request_id,
                        ", ".join(plan.rendered.errors))
        log.debug("request %s: templates %s (topics %s, %d tokens, dropped %s)", ctx.request_id,
                  [r["id"] for r in records], list(plan.selection.detection.topics), plan.rendered.tokens,
                  list(plan.rendered.dropped))
