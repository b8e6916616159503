"""The `codescan:` section of config.yaml (also valid under `teams.<name>.codescan`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Action = Literal["annotate", "block", "off"]


def _default_actions() -> dict[str, Action]:
    return {"low": "annotate", "medium": "annotate", "high": "annotate", "critical": "block"}


class CodeScanSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    actions: dict[Literal["low", "medium", "high", "critical"], Action] = Field(default_factory=_default_actions)
    rule_actions: dict[str, Action] = Field(default_factory=dict)  # per rule id, wins over severity
    disabled_rules: list[str] = Field(default_factory=list)
    block_whole_answer: bool = False  # buffer the whole answer and refuse it if anything blocks
    packages: bool = True  # flag hallucinated / typosquatted dependencies
