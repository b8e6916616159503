"""The stage contract (DESIGN.md §2).

A stage is a plain object with hook methods; the runner calls only the hooks a stage overrides.
Request hooks run in pipeline order, response hooks in reverse, so paired transforms nest
(redaction first on the way in, rehydration last on the way out).

Responses are always handled as text streams: a non-streamed answer is a stream of one chunk.
That keeps one code path, so streamed and non-streamed answers are transformed identically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from proxy.pipeline.context import Context
from proxy.pipeline.request import LLMRequest

StreamKind = Literal["content", "tool_arguments", "text"]


class Blocked(Exception):  # noqa: N818 - the DESIGN name
    """Raised by a stage to stop the chain. The message is shown to the client: never put a value in it."""

    def __init__(self, reason: str, status: int = 400, code: str = "blocked_by_policy",
                 outcome: str = "blocked") -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.code = code
        self.outcome = outcome


@dataclass
class TextStream:
    """One text channel of a response: a choice's content, a tool call's arguments, or completion text.

    `state` is private per-stage scratch space (keyed by stage name) that lives as long as the stream.
    """

    kind: StreamKind
    choice_index: int = 0
    tool_index: int = 0
    state: dict[str, Any] = field(default_factory=dict)

    def state_for(self, stage: Stage) -> dict[str, Any]:
        return self.state.setdefault(stage.name, {})


class Stage:
    """Base class with no-op hooks. Override what you need; keep `name` unique."""

    name: str = "stage"

    def on_request(self, ctx: Context, request: LLMRequest) -> None:
        """Inspect or rewrite the request in place. Raise Blocked to refuse it."""

    def stream_hold(self, ctx: Context, stream: TextStream, pending: str) -> int:
        """How many characters at the end of `pending` (not yet released) this stage needs to keep back.

        The runner holds back the maximum over all stages, so prose flows as soon as no stage needs it.
        """
        return 0

    def on_chunk(self, ctx: Context, stream: TextStream, text: str) -> str:
        """Transform released text. Called with text the runner decided is safe to release."""
        return text

    def on_stream_end(self, ctx: Context, stream: TextStream) -> str:
        """Flush anything still owed at the end of a stream; the result passes through later stages."""
        return ""

    def on_response_end(self, ctx: Context) -> None:
        """Called once after the whole answer was produced (streamed or not), e.g. to set the outcome."""
