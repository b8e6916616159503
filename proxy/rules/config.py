"""The `codescan:` section of config.yaml (also valid under `teams.<name>.codescan`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Action = Literal["annotate", "block", "off"]
Severity = Literal["low", "medium", "high", "critical"]


def _default_actions() -> dict[Severity, Action]:
    return {"low": "annotate", "medium": "annotate", "high": "annotate", "critical": "block"}


class CodeScanSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    actions: dict[Severity, Action] = Field(default_factory=_default_actions)
    rule_actions: dict[str, Action] = Field(default_factory=dict)  # per rule id, wins over severity
    disabled_rules: list[str] = Field(default_factory=list)
    block_whole_answer: bool = False  # buffer the whole answer and refuse it if anything blocks
    packages: bool = True  # flag hallucinated / typosquatted dependencies

    @field_validator("actions")
    @classmethod
    def _keep_default_actions(cls, v: dict[Severity, Action]) -> dict[Severity, Action]:
        """`actions: {high: block}` changes one severity; the others keep their secure defaults."""
        return {**_default_actions(), **v}
