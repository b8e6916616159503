"""Per-request state shared by the stages and turned into the usage record at the end.

Nothing here may hold a raw secret except the placeholder vault, which never leaves the process.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Principal:
    """Who is calling: resolved from the API key by the auth layer."""

    user: str
    team: str
    key_id: str
    is_admin: bool = False


@dataclass(frozen=True)
class CodeFinding:
    """One rule hit in returned code. Carries no code, only where and what."""

    rule_id: str
    cwe: str
    owasp: str
    severity: str  # "low" | "medium" | "high" | "critical"
    message: str
    fix: str
    line: int
    language: str
    action: str = "annotate"  # "annotate" | "block" | "off" (recorded, not acted on)

    def as_record(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "cwe": self.cwe,
            "severity": self.severity,
            "action": self.action,
            "line": self.line,
            "language": self.language,
        }


@dataclass
class Context:
    """Everything a request accumulates on its way through the pipeline."""

    principal: Principal
    endpoint: str  # "chat" | "completions"
    model: str = ""  # the client's model name
    upstream_model: str = ""
    stream: bool = False
    request_id: str = field(default_factory=lambda: "req_" + uuid.uuid4().hex[:24])
    started: float = field(default_factory=time.perf_counter)
    started_at: float = field(default_factory=time.time)
    # Filled by stages.
    redactions: Counter[str] = field(default_factory=Counter)
    findings: list[CodeFinding] = field(default_factory=list)
    templates_applied: list[dict[str, str]] = field(default_factory=list)
    code_fingerprints: list[dict[str, Any] | str] = field(default_factory=list)  # see proxy/store/codehash.py
    stage_ms: dict[str, float] = field(default_factory=dict)
    upstream_ms: float = 0.0
    # Arbitrary per-stage state for the lifetime of the request (e.g. the placeholder vault).
    state: dict[str, Any] = field(default_factory=dict)
    # Filled by the runner / routes.
    status: int = 200
    outcome: str = "passed"  # passed | annotated | blocked | refused | upstream_error | client_error
    error_type: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    redacted_prompt: str | None = None  # only kept when store_prompts == "redacted"

    def add_stage_time(self, stage: str, seconds: float) -> None:
        self.stage_ms[stage] = self.stage_ms.get(stage, 0.0) + seconds * 1000.0

    @property
    def overhead_ms(self) -> float:
        return sum(self.stage_ms.values())

    def elapsed_ms(self) -> float:
        return (time.perf_counter() - self.started) * 1000.0
