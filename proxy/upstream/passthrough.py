"""A thin HTTP passthrough for OpenAI-compatible upstreams (`openai/<model>` with an `api_base`).

litellm re-validates and rebuilds every request and response; for a provider that already speaks the
OpenAI wire format that costs milliseconds per call. This client forwards our already-validated body
over a pooled aiohttp session (measurably cheaper per request than httpx; see docs/BENCHMARKS.md).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp

from proxy.api import sse
from proxy.pipeline.request import LLMRequest
from proxy.settings import ModelEntry, ServerSettings
from proxy.upstream.base import UpstreamError, forward_body, short

_PATHS = {"chat": "/chat/completions", "completions": "/completions"}
RETRYABLE = {408, 409, 429, 500, 502, 503, 504}
_NET_ERRORS = (aiohttp.ClientError, ConnectionError, OSError)


def provider_model(entry: ModelEntry) -> str:
    model = entry.litellm_params.model
    return model.split("/", 1)[1] if "/" in model else model


def supports(entry: ModelEntry) -> bool:
    p = entry.litellm_params
    return bool(p.api_base) and p.model.startswith("openai/")


class PassthroughUpstream:
    def __init__(self, server: ServerSettings) -> None:
        self._server = server
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        # Created lazily inside the running loop; never reads proxies or credentials from the environment.
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=512, limit_per_host=256, keepalive_timeout=30, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(connector=connector, trust_env=False, auto_decompress=True,
                                                  json_serialize=lambda o: json.dumps(o, ensure_ascii=False))
        return self._session

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()

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
        resp = await self._send(entry, url, headers, body, total=True)
        try:
            raw = await resp.read()
        except TimeoutError:
            raise UpstreamError(504, "Upstream timed out.", code="upstream_timeout") from None
        except _NET_ERRORS:
            raise UpstreamError(502, "Upstream connection failed.", code="upstream_connection_error") from None
        finally:
            resp.release()
        try:
            data = json.loads(raw)
        except ValueError:
            raise UpstreamError(502, "Upstream returned a response that is not JSON.") from None
        if not isinstance(data, dict) or not isinstance(data.get("choices"), list):
            raise UpstreamError(502, "Upstream returned a response without choices.")
        return data

    async def stream(self, entry: ModelEntry, request: LLMRequest) -> AsyncIterator[dict[str, Any]]:
        url, headers, body = self._target(entry, request)
        resp = await self._send(entry, url, headers, body, total=False)
        try:
            async for obj in sse.decode(_lines(resp, self._timeout(entry))):
                yield obj
        except sse.MalformedStream as exc:
            raise UpstreamError(502, str(exc), code="upstream_malformed_stream") from None
        except TimeoutError:
            raise UpstreamError(504, "Upstream timed out mid-stream.", code="upstream_timeout") from None
        except _NET_ERRORS:
            raise UpstreamError(502, "Upstream connection failed mid-stream.",
                                code="upstream_connection_error") from None
        finally:
            resp.release()

    async def _send(self, entry: ModelEntry, url: str, headers: dict[str, str], body: dict[str, Any],
                    total: bool) -> aiohttp.ClientResponse:
        attempts = self._retries(entry) + 1
        limit = self._timeout(entry)
        # Non-streamed: the whole answer within the limit. Streamed: the limit applies between chunks.
        timeout = (aiohttp.ClientTimeout(total=limit, connect=min(10.0, limit)) if total
                   else aiohttp.ClientTimeout(total=None, connect=min(10.0, limit), sock_read=limit))
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                resp = await self._client().post(url, json=body, headers=headers, timeout=timeout,
                                                 allow_redirects=False)
            except TimeoutError:
                if last:
                    raise UpstreamError(504, "Upstream timed out.", code="upstream_timeout") from None
            except _NET_ERRORS:
                if last:
                    raise UpstreamError(502, "Could not connect to the upstream provider.",
                                        code="upstream_connection_error") from None
            else:
                if resp.status < 400:
                    return resp
                if resp.status not in RETRYABLE or last:
                    raise await _status_error(resp)
                resp.release()
            await asyncio.sleep(min(2.0, 0.1 * 2**attempt))
        raise UpstreamError(502, "Upstream failed.")  # pragma: no cover - the loop returns or raises


async def _lines(resp: aiohttp.ClientResponse, idle_timeout: float) -> AsyncIterator[str]:
    while True:
        raw = await asyncio.wait_for(resp.content.readline(), timeout=idle_timeout)
        if not raw:
            return
        yield raw.decode("utf-8", "replace").rstrip("\n")


async def _status_error(resp: aiohttp.ClientResponse) -> UpstreamError:
    detail = ""
    try:
        data = json.loads(await resp.read())
        err = data.get("error") if isinstance(data, dict) else None
        detail = err.get("message", "") if isinstance(err, dict) else str(err or "")
    except (TimeoutError, ValueError, AttributeError, *_NET_ERRORS):
        detail = ""
    finally:
        resp.release()
    status = resp.status
    if status in (401, 403):
        # The upstream rejected the proxy's key: the client cannot fix that, so it is a gateway error.
        return UpstreamError(502, "Upstream rejected the proxy's credentials.", code="upstream_auth_error")
    msg = f"Upstream returned HTTP {status}" + (f": {short(detail)}" if detail else ".")
    return UpstreamError(status if status in (400, 404, 408, 413, 422, 429) else 502, msg, code="upstream_error")
