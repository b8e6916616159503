"""The stage pipeline: typed request/response, per-request context, stage protocol and runner."""

from proxy.pipeline.context import CodeFinding, Context, Principal
from proxy.pipeline.request import LLMRequest, TextSlot
from proxy.pipeline.stage import Blocked, Stage, TextStream

__all__ = ["Blocked", "CodeFinding", "Context", "LLMRequest", "Principal", "Stage", "TextSlot", "TextStream"]
