"""The default stage order. Request stages run in this order, response stages in reverse:
redaction is first in, so rehydration is last out; code scanning sees the answer first."""

from __future__ import annotations

import importlib
import logging

from proxy.pipeline.runner import Pipeline
from proxy.pipeline.stage import Stage
from proxy.settings import Settings

log = logging.getLogger("spp.stages")

# (module, class) in request order.
DEFAULT_STAGES: tuple[tuple[str, str], ...] = (
    ("proxy.stages.redact", "RedactStage"),
    ("proxy.stages.templates", "TemplateStage"),
    ("proxy.stages.codescan", "CodeScanStage"),
)


def build_stages(settings: Settings) -> list[Stage]:
    stages: list[Stage] = []
    for module, cls in DEFAULT_STAGES:
        stage_cls = getattr(importlib.import_module(module), cls)
        stages.append(stage_cls(settings))
    return stages


def build_pipeline(settings: Settings, stages: list[Stage] | None = None) -> Pipeline:
    return Pipeline(build_stages(settings) if stages is None else stages)
