"""Token counts and cost, from litellm's bundled tokenizers and local price map (never fetched)."""

from __future__ import annotations

import logging
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
    litellm = load_litellm()
    model = entry.litellm_params.model
    for name in (model, model.split("/", 1)[-1]):
        try:
            p, c = litellm.cost_per_token(model=name, prompt_tokens=prompt_tokens,
                                          completion_tokens=completion_tokens)
            return float(p) + float(c)
        except Exception:  # noqa: S112 - an unknown model simply has no price
            continue
    return 0.0
