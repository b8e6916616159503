"""Server-sent events: encoding our events and decoding an upstream's."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

DONE = b"data: [DONE]\n\n"
KEEPALIVE = b": keepalive\n\n"


def event(payload: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n\n"


class MalformedStream(Exception):  # noqa: N818
    """The upstream sent something that is not a valid OpenAI SSE stream."""


async def decode(lines: AsyncIterator[str]) -> AsyncIterator[dict[str, Any]]:
    """Yield each JSON `data:` payload of an SSE stream until `[DONE]` (comments and other fields ignored)."""
    data: list[str] = []
    async for raw in lines:
        line = raw.rstrip("\r")
        if line == "":
            if data:
                payload = "\n".join(data)
                data = []
                if payload.strip() == "[DONE]":
                    return
                yield _parse(payload)
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        if field == "data":
            data.append(value[1:] if value.startswith(" ") else value)
    if data:
        payload = "\n".join(data)
        if payload.strip() != "[DONE]":
            yield _parse(payload)


def _parse(payload: str) -> dict[str, Any]:
    try:
        obj = json.loads(payload)
    except ValueError:
        raise MalformedStream("upstream sent a stream event that is not JSON") from None
    if not isinstance(obj, dict):
        raise MalformedStream("upstream sent a stream event that is not a JSON object")
    if "error" in obj and "choices" not in obj:
        err = obj["error"]
        msg = err.get("message") if isinstance(err, dict) else str(err)
        raise MalformedStream(f"upstream reported an error mid-stream: {str(msg)[:200]}")
    return obj
