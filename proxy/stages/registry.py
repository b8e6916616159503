"""The default stage order. Request stages run in this order, response stages in reverse:
redaction is first in, so rehydration is last out; code scanning sees the answer first."""

from __future__ import annotations

from proxy.pipeline.runner import Pipeline
from proxy.pipeline.stage import Stage
from proxy.settings import Settings


def build_stages(settings: Settings) -> list[Stage]:
    """Every stage is always present; each reads its team's policy per request (a disabled stage is a no-op),
    so a team override can switch protection on without a restart."""
    from proxy.rules.engine import RuleEngine
    from proxy.stages.codescan import CodeScanStage
    from proxy.stages.redact import RedactStage
    from proxy.stages.templates import TemplateStage

    return [
        RedactStage(settings),
        TemplateStage(settings.templates),
        CodeScanStage(RuleEngine.default()),  # compiled once at startup, not on the first answer
    ]


def build_pipeline(settings: Settings, stages: list[Stage] | None = None) -> Pipeline:
    return Pipeline(build_stages(settings) if stages is None else stages)
