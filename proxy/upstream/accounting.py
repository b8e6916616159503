"""Token counts and cost, from litellm's bundled tokenizers and local price map (never fetched)."""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from proxy.pipeline.request import LLMRequest
from proxy.settings import ModelEntry
from proxy.upstream.litellm_client import load_litellm

log = logging.getLogger("spp.accounting")


def count_tokens(entry: ModelEntry, req: LLMRequest, completion_text: str) -> tuple[int, int]:
    litellm = load_litellm()
    model = entry.litellm_params.model
    try:
        if req.endpoint == "chat":
            prompt = litellm.token_counter(model=model, messages=req.messages)
        else:
            prompt = litellm.token_counter(model=model, text=req.latest_user_text())
        completion = litellm.token_counter(model=model, text=completion_text) if completion_text else 0
        return int(prompt), int(completion)
    except Exception:
        return 0, 0


def cost_usd(entry: ModelEntry, prompt_tokens: int, completion_tokens: int) -> float:
    info: dict[str, Any] = entry.model_info or {}
    if "input_cost_per_token" in info or "output_cost_per_token" in info:
        return (prompt_tokens * float(info.get("input_cost_per_token", 0))
                + completion_tokens * float(info.get("output_cost_per_token", 0)))
    model = entry.litellm_params.model
    per_in, per_out = _unit_prices(model)
    return prompt_tokens * per_in + completion_tokens * per_out


@cache
def _unit_prices(model: str) -> tuple[float, float]:
    """USD per prompt and completion token from litellm's bundled price map (looked up once per model)."""
    litellm = load_litellm()
    for name in (model, model.split("/", 1)[-1]):
        try:
            p, _ = litellm.cost_per_token(model=name, prompt_tokens=1_000_000, completion_tokens=0)
            _, c = litellm.cost_per_token(model=name, prompt_tokens=0, completion_tokens=1_000_000)
            return float(p) / 1e6, float(c) / 1e6
        except Exception:  # noqa: S112 - an unknown model simply has no price
            continue
    return 0.0, 0.0
