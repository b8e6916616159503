"""The `templates:` section of config.yaml (also valid under `teams.<name>.templates`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class TemplateSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    # Topic and language pack ids allowed for this team; None means every pack in the team's library.
    packs: list[str] | None = None
    compliance: list[str] = Field(default_factory=list)  # e.g. ["hipaa", "pci-dss", "asvs-l2"]
    library_dirs: list[str] = Field(default_factory=list)  # team folders that add or override packs by id
    # Cap on the whole block (~4 characters a token): base, two topics, an addendum and a compliance pack fit.
    token_budget: int = Field(default=800, gt=0)
    completions: bool = False  # a prefix would break fill-in-the-middle, so off for /v1/completions
    # When the short base pack applies: "code" = only when the turn is about code (written, pasted or
    # asked for), so "hello" or "what is quicksort's complexity" are not steered; "always"; "off".
    base: Literal["code", "always", "off"] = "code"
    # At most this many topic packs per request (highest score first): more dilutes the answer.
    max_topic_packs: int = Field(default=4, ge=0)
    # Trigger score a topic needs (a strong keyword, identifier or file = 2, an import = 3, a weak word = 1).
    topic_threshold: int = Field(default=2, ge=1)
    # Only the first 24 000 and last 8 000 characters of the turn are scanned for topics: bounded cost.
    scan_chars: int = Field(default=32000, ge=1000)
