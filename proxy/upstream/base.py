"""The upstream interface and its error type."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any, Protocol

from proxy.pipeline.request import LLMRequest
from proxy.settings import ModelEntry


class UpstreamError(Exception):
    """A failure talking to the provider, already phrased for the client (no keys, no prompt text)."""

    def __init__(self, status: int, message: str, code: str = "upstream_error") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


class Upstream(Protocol):
    async def complete(self, entry: ModelEntry, request: LLMRequest) -> dict[str, Any]:
        """A whole OpenAI-format response."""
        ...

    def stream(self, entry: ModelEntry, request: LLMRequest) -> AsyncIterator[dict[str, Any]]:
        """OpenAI-format stream chunks (the `data:` payloads), ending without `[DONE]`."""
        ...

    async def aclose(self) -> None: ...


def upstream_model_name(entry: ModelEntry) -> str:
    return entry.litellm_params.model


def forward_body(entry: ModelEntry, request: LLMRequest, model: str) -> dict[str, Any]:
    """The client body with the configured model; client fields never override configured ones."""
    body = dict(request.body)
    body["model"] = model
    return body


def short(text: str, limit: int = 300) -> str:
    """An upstream's error detail made safe to show a client: one line, bounded, and scrubbed of anything
    that looks like a credential (providers quote the rejected key; some echo request fragments)."""
    from proxy.redaction.secrets import SecretDetector

    text = " ".join(str(text).split())[: limit * 2]
    dets = SecretDetector.default().detect(text)
    for d in reversed(dets):
        text = text[:d.start] + "[redacted]" + text[d.end:]
    text = _KEYLIKE.sub("[redacted]", text)
    return text if len(text) <= limit else text[:limit] + "…"


# Long unbroken tokens (keys, hashes, base64) carry no explanation a client needs.
_KEYLIKE = re.compile(r"[A-Za-z0-9_\-+=]{24,}")
