"""Parsing OpenAI chat/completions requests: JSON, types, and an allow-list of forwarded fields.

Forwarded fields are allow-listed rather than deny-listed so that routing fields litellm would obey
(`api_base`, `api_key`, `extra_headers`, `metadata`, `mock_response`, provider credentials...) can
never redirect the proxy's upstream key, whatever new ones litellm learns.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError

from proxy.api.errors import ApiError
from proxy.pipeline.request import LLMRequest

CHAT_FIELDS = frozenset({
    "model", "messages", "stream", "stream_options", "temperature", "top_p", "n", "stop", "max_tokens",
    "max_completion_tokens", "presence_penalty", "frequency_penalty", "logit_bias", "logprobs", "top_logprobs",
    "response_format", "seed", "tools", "tool_choice", "parallel_tool_calls", "functions", "function_call",
    "user", "reasoning_effort", "modalities", "prediction", "service_tier", "verbosity",
})
COMPLETION_FIELDS = frozenset({
    "model", "prompt", "suffix", "stream", "stream_options", "temperature", "top_p", "n", "stop", "max_tokens",
    "presence_penalty", "frequency_penalty", "logit_bias", "logprobs", "echo", "best_of", "seed", "user",
})


class _Message(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None
    tool_calls: list[dict[str, Any]] | None = None


class _StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")
    include_usage: StrictBool | None = None


class _Common(BaseModel):
    model_config = ConfigDict(extra="allow")
    model: str = Field(min_length=1)
    stream: StrictBool = False
    stream_options: _StreamOptions | None = None
    n: int | None = Field(default=None, ge=1, le=16)
    max_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)


class _Chat(_Common):
    messages: list[_Message] = Field(min_length=1)
    tools: list[dict[str, Any]] | None = None


class _Completion(_Common):
    prompt: str | list[str]
    suffix: str | None = None


def parse_json(raw: bytes) -> dict[str, Any]:
    if not raw:
        raise ApiError(400, "Request body is empty; expected a JSON object.", code="invalid_json")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "Request body is not valid JSON.", code="invalid_json") from None
    if not isinstance(body, dict):
        raise ApiError(400, "Request body must be a JSON object.", code="invalid_json")
    return body


def _validation_error(exc: ValidationError) -> ApiError:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    # Pydantic's message never includes the input value itself (we do not pass `input` on).
    return ApiError(400, f"Invalid value for '{loc}': {err['msg']}.", code="invalid_type", param=loc)


def to_request(endpoint: Literal["chat", "completions"], body: dict[str, Any]) -> tuple[LLMRequest, list[str]]:
    """Validate types and keep only forwardable fields. Returns the request and the dropped field names."""
    schema: type[_Common] = _Chat if endpoint == "chat" else _Completion
    try:
        schema.model_validate(body)
    except ValidationError as exc:
        raise _validation_error(exc) from None
    allowed = CHAT_FIELDS if endpoint == "chat" else COMPLETION_FIELDS
    dropped = sorted(k for k in body if k not in allowed)
    kept = {k: v for k, v in body.items() if k in allowed}
    return LLMRequest(endpoint=endpoint, body=kept), dropped
