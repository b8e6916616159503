"""A thin HTTP passthrough for OpenAI-compatible upstreams (`openai/<model>` with an `api_base`).

litellm re-validates and rebuilds every request and response; for a provider that already speaks the
OpenAI wire format that costs milliseconds per call. This client forwards our already-validated body.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx

from proxy.api import sse
from proxy.pipeline.request import LLMRequest
from proxy.settings import ModelEntry, ServerSettings
from proxy.upstream.base import UpstreamError, forward_body, short

_PATHS = {"chat": "/chat/completions", "completions": "/completions"}
RETRYABLE = {408, 409, 429, 500, 502, 503, 504}


def provider_model(entry: ModelEntry) -> str:
    model = entry.litellm_params.model
    return model.split("/", 1)[1] if "/" in model else model


def supports(entry: ModelEntry) -> bool:
    p = entry.litellm_params
    return bool(p.api_base) and p.model.startswith("openai/")


class PassthroughUpstream:
    def __init__(self, server: ServerSettings) -> None:
        self._server = server
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(server.upstream_timeout_s, connect=min(10.0, server.upstream_timeout_s)),
            limits=httpx.Limits(max_connections=512, max_keepalive_connections=64),
            trust_env=False,  # never pick up proxies or credentials from the environment
            follow_redirects=False,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    def _target(self, entry: ModelEntry, request: LLMRequest) -> tuple[str, dict[str, str], dict[str, Any]]:
        base = str(entry.litellm_params.api_base).rstrip("/")
        headers = {"content-type": "application/json"}
        if entry.litellm_params.api_key:
            headers["authorization"] = f"Bearer {entry.litellm_params.api_key}"
        return base + _PATHS[request.endpoint], headers, forward_body(entry, request, provider_model(entry))

    def _retries(self, entry: ModelEntry) -> int:
        p = entry.litellm_params.max_retries
        return self._server.upstream_retries if p is None else p

    def _timeout(self, entry: ModelEntry) -> float:
        return entry.litellm_params.timeout or self._server.upstream_timeout_s

    async def complete(self, entry: ModelEntry, request: LLMRequest) -> dict[str, Any]:
        url, headers, body = self._target(entry, request)
        resp = await self._send(entry, url, headers, body, stream=False)
        try:
            data = resp.json()
        except ValueError:
            raise UpstreamError(502, "Upstream returned a response that is not JSON.") from None
        if not isinstance(data, dict) or not isinstance(data.get("choices"), list):
            raise UpstreamError(502, "Upstream returned a response without choices.")
        return data

    async def stream(self, entry: ModelEntry, request: LLMRequest) -> AsyncIterator[dict[str, Any]]:
        url, headers, body = self._target(entry, request)
        resp = await self._send(entry, url, headers, body, stream=True)
        try:
            async for obj in sse.decode(resp.aiter_lines()):
                yield obj
        except sse.MalformedStream as exc:
            raise UpstreamError(502, str(exc), code="upstream_malformed_stream") from None
        except httpx.TimeoutException:
            raise UpstreamError(504, "Upstream timed out mid-stream.", code="upstream_timeout") from None
        except httpx.HTTPError:
            raise UpstreamError(502, "Upstream connection failed mid-stream.", code="upstream_connection_error") from None
        finally:
            await resp.aclose()

    async def _send(self, entry: ModelEntry, url: str, headers: dict[str, str], body: dict[str, Any],
                    stream: bool) -> httpx.Response:
        attempts = self._retries(entry) + 1
        timeout = self._timeout(entry)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                req = self._client.build_request("POST", url, headers=headers, json=body, timeout=timeout)
                resp = await self._client.send(req, stream=stream)
            except httpx.TimeoutException:
                if last:
                    raise UpstreamError(504, "Upstream timed out.", code="upstream_timeout") from None
            except httpx.HTTPError:
                if last:
                    raise UpstreamError(502, "Could not connect to the upstream provider.",
                                        code="upstream_connection_error") from None
            else:
                if resp.status_code < 400:
                    return resp
                if resp.status_code not in RETRYABLE or last:
                    raise await _status_error(resp)
                await resp.aclose()
            await asyncio.sleep(min(2.0, 0.1 * 2**attempt))
        raise UpstreamError(502, "Upstream failed.")  # pragma: no cover - loop always returns or raises


async def _status_error(resp: httpx.Response) -> UpstreamError:
    await resp.aread()
    await resp.aclose()
    detail = ""
    try:
        err = resp.json().get("error")
        detail = err.get("message", "") if isinstance(err, dict) else str(err or "")
    except (ValueError, AttributeError):
        detail = ""
    status = resp.status_code
    if status in (401, 403):
        # The upstream rejected the proxy's key: the client cannot fix that, so it is a gateway error.
        return UpstreamError(502, "Upstream rejected the proxy's credentials.", code="upstream_auth_error")
    msg = f"Upstream returned HTTP {status}" + (f": {short(detail)}" if detail else ".")
    return UpstreamError(status if status in (400, 404, 408, 413, 422, 429) else 502, msg,
                         code="upstream_error")
