"""The request path for /v1/chat/completions and /v1/completions: auth, parse, pipeline, upstream, emit.

Routes stay thin; every security decision is in a stage. Every exit, including refusals and failures,
produces exactly one usage record.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any, Literal

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse

from proxy.api import sse
from proxy.api.errors import ApiError
from proxy.api.openai import parse_json, to_request
from proxy.pipeline.context import Context, Principal
from proxy.pipeline.request import LLMRequest
from proxy.pipeline.stage import Blocked, TextStream
from proxy.services import Services
from proxy.settings import ModelEntry
from proxy.upstream.base import UpstreamError

log = logging.getLogger("spp.request")
Endpoint = Literal["chat", "completions"]
UNAUTHENTICATED = Principal(user="", team="", key_id="")


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refusing anything over `limit` bytes without reading it all into memory."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"Request body exceeds the {limit} byte limit.", code="body_too_large")
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise ApiError(413, f"Request body exceeds the {limit} byte limit.", code="body_too_large")
            chunks.append(chunk)
    except ClientDisconnect:
        raise ApiError(400, "Client disconnected while sending the body.", code="client_disconnected") from None
    return b"".join(chunks)


def _headers(ctx: Context, dropped: list[str] | None = None) -> dict[str, str]:
    h = {"x-spp-request-id": ctx.request_id, "x-spp-overhead-ms": f"{ctx.overhead_ms:.3f}"}
    if dropped:
        h["x-spp-dropped-params"] = ",".join(dropped)[:500]
    return h


def _fail(ctx: Context, err: ApiError) -> Response:
    ctx.status = err.status
    ctx.outcome = err.outcome
    ctx.error_type = err.code or err.error_type
    return err.response(_headers(ctx))


def _blocked(err: Blocked) -> ApiError:
    return ApiError(err.status, err.reason, code=err.code, outcome=err.outcome,
                    type="invalid_request_error" if err.status < 500 else "api_error")


def _stage_failure(exc: Exception) -> ApiError:
    # Fail closed: a security stage that breaks must never let the request through unprotected.
    log.error("security stage failed (%s); request refused", type(exc).__name__)
    return ApiError(503, "A security check failed, so the request was not forwarded. Try again or contact "
                    "your administrator.", code="security_stage_error", outcome="refused", type="api_error")


async def handle(services: Services, endpoint: Endpoint, request: Request) -> Response:
    ctx = Context(principal=UNAUTHENTICATED, endpoint=endpoint)
    streaming = False
    try:
        ctx.principal = await services.auth.authenticate(request.headers)
        raw = await read_body(request, services.settings.server.max_body_bytes)
        llm_request, dropped = to_request(endpoint, parse_json(raw))
        ctx.model = llm_request.model
        ctx.stream = llm_request.stream
        entry = services.settings.models.get(llm_request.model)
        if entry is None:
            raise ApiError(404, f"The model '{llm_request.model[:100]}' does not exist on this proxy. "
                                "GET /v1/models lists the configured models.", code="model_not_found", param="model")
        ctx.upstream_model = entry.litellm_params.model
        ctx.state["policy"] = services.settings.policy_for(ctx.principal.team)
        try:
            services.pipeline.run_request(ctx, llm_request)
        except (Blocked, ApiError):
            raise
        except Exception as exc:
            raise _stage_failure(exc) from None
        if llm_request.stream:
            streaming = True
            return _stream_response(services, ctx, entry, llm_request, dropped)
        return await _complete(services, ctx, entry, llm_request, dropped)
    except Blocked as err:
        return _fail(ctx, _blocked(err))
    except ApiError as err:
        return _fail(ctx, err)
    except Exception:  # the last line of defence: no traceback ever reaches the client
        log.exception("unexpected error in %s", ctx.request_id)
        return _fail(ctx, ApiError(500, "Internal proxy error.", code="internal_error", outcome="proxy_error"))
    finally:
        if not streaming:
            services.record(ctx)


# -- non-streamed ---------------------------------------------------------------------------------

async def _complete(services: Services, ctx: Context, entry: ModelEntry, req: LLMRequest,
                    dropped: list[str]) -> Response:
    upstream = services.upstream_for(entry)
    t0 = time.perf_counter()
    try:
        data = await upstream.complete(entry, req)
    except UpstreamError as exc:
        raise ApiError(exc.status, exc.message, code=exc.code, outcome="upstream_error",
                       type="api_error" if exc.status >= 500 else None) from None
    finally:
        ctx.upstream_ms = (time.perf_counter() - t0) * 1000.0
    try:
        _transform_response(services, ctx, data)
        services.pipeline.finish_response(ctx)
    except Blocked as err:
        raise _blocked(err) from None
    except Exception as exc:
        log.error("response stage failed (%s); answer withheld", type(exc).__name__)
        raise ApiError(502, "A security check on the answer failed, so the answer was withheld.",
                       code="security_stage_error", outcome="refused", type="api_error") from None
    _account(services, ctx, entry, data.get("usage"), req, data)
    ctx.status = 200
    return Response(json.dumps(data, ensure_ascii=False), media_type="application/json", headers=_headers(ctx, dropped))


def _transform_response(services: Services, ctx: Context, data: dict[str, Any]) -> None:
    p = services.pipeline
    for choice in data.get("choices") or []:
        if not isinstance(choice, dict):
            continue
        idx = int(choice.get("index") or 0)
        if ctx.endpoint == "completions":
            if isinstance(choice.get("text"), str):
                choice["text"] = p.transform_whole(ctx, TextStream("text", idx), choice["text"])
            continue
        msg = choice.get("message") or {}
        if isinstance(msg.get("content"), str):
            msg["content"] = p.transform_whole(ctx, TextStream("content", idx), msg["content"])
        for k, call in enumerate(msg.get("tool_calls") or []):
            fn = call.get("function") if isinstance(call, dict) else None
            if isinstance(fn, dict) and isinstance(fn.get("arguments"), str):
                fn["arguments"] = p.transform_whole(ctx, TextStream("tool_arguments", idx, k), fn["arguments"])


def _account(services: Services, ctx: Context, entry: ModelEntry, usage: Any, req: LLMRequest,
             data: dict[str, Any] | None = None, completion_text: str = "") -> None:
    """Tokens from the upstream's usage when present, else counted; cost from litellm's local price map."""
    from proxy.upstream.accounting import cost_usd, count_tokens

    if isinstance(usage, dict) and usage.get("prompt_tokens") is not None:
        ctx.prompt_tokens = int(usage.get("prompt_tokens") or 0)
        ctx.completion_tokens = int(usage.get("completion_tokens") or 0)
    else:
        if data is not None:
            completion_text = _answer_text(data)
        ctx.prompt_tokens, ctx.completion_tokens = count_tokens(entry, req, completion_text)
    ctx.cost_usd = cost_usd(entry, ctx.prompt_tokens, ctx.completion_tokens)


def _answer_text(data: dict[str, Any]) -> str:
    out = []
    for ch in data.get("choices") or []:
        if isinstance(ch, dict):
            out.append(str(ch.get("text") or (ch.get("message") or {}).get("content") or ""))
    return "".join(out)


# -- streamed -------------------------------------------------------------------------------------

def _stream_response(services: Services, ctx: Context, entry: ModelEntry, req: LLMRequest,
                     dropped: list[str]) -> StreamingResponse:
    headers = _headers(ctx, dropped)
    headers.update({"cache-control": "no-cache", "x-accel-buffering": "no"})
    return StreamingResponse(_stream(services, ctx, entry, req), media_type="text/event-stream", headers=headers)


class _StreamState:
    """Per-response bookkeeping: one processor per text channel, plus what we learned for the record."""

    def __init__(self, services: Services, ctx: Context) -> None:
        self.pipeline = services.pipeline
        self.ctx = ctx
        self.procs: dict[tuple[int, str, int], Any] = {}
        self.finished: set[int] = set()
        self.usage: dict[str, Any] | None = None
        self.text: list[str] = []
        self.template: dict[str, Any] = {}

    def proc(self, idx: int, kind: str, tool: int = 0) -> Any:
        key = (idx, kind, tool)
        if key not in self.procs:
            self.procs[key] = self.pipeline.open_stream(self.ctx, TextStream(kind, idx, tool))  # type: ignore[arg-type]
        return self.procs[key]

    def flush_choice(self, idx: int) -> dict[str, Any] | None:
        """Release everything still held for a choice, as one synthetic chunk (or None if nothing is owed)."""
        if idx in self.finished:
            return None
        self.finished.add(idx)
        content = ""
        tools: list[dict[str, Any]] = []
        for (i, kind, tool), proc in sorted(self.procs.items()):
            if i != idx:
                continue
            rest = proc.finish()
            if not rest:
                continue
            if kind == "tool_arguments":
                tools.append({"index": tool, "function": {"arguments": rest}})
            else:
                content += rest
        if not content and not tools:
            return None
        self.text.append(content)
        base: dict[str, Any] = {k: self.template[k] for k in ("id", "object", "created", "model") if k in self.template}
        if self.ctx.endpoint == "completions":
            choice: dict[str, Any] = {"index": idx, "text": content, "finish_reason": None}
        else:
            delta: dict[str, Any] = {}
            if content:
                delta["content"] = content
            if tools:
                delta["tool_calls"] = tools
            choice = {"index": idx, "delta": delta, "finish_reason": None}
        return {**base, "choices": [choice]}


def _transform_chunk(st: _StreamState, chunk: dict[str, Any]) -> list[dict[str, Any]]:
    """The chunks to emit for one upstream chunk: transformed deltas, and flushes before a finish."""
    if not st.template:
        st.template = chunk
    out: list[dict[str, Any]] = []
    keep = False
    for choice in chunk.get("choices") or []:
        if not isinstance(choice, dict):
            continue
        idx = int(choice.get("index") or 0)
        if st.ctx.endpoint == "completions":
            choice["text"] = st.proc(idx, "text").feed(choice.get("text") or "")
            st.text.append(choice["text"])
        else:
            delta = choice.get("delta") or {}
            if isinstance(delta.get("content"), str):
                delta["content"] = st.proc(idx, "content").feed(delta["content"])
                st.text.append(delta["content"])
            for call in delta.get("tool_calls") or []:
                fn = call.get("function") if isinstance(call, dict) else None
                if isinstance(fn, dict) and isinstance(fn.get("arguments"), str):
                    fn["arguments"] = st.proc(idx, "tool_arguments", int(call.get("index") or 0)).feed(fn["arguments"])
        if choice.get("finish_reason"):
            flushed = st.flush_choice(idx)
            if flushed:
                out.append(flushed)
        keep = keep or _meaningful(choice)
    if keep or chunk.get("usage"):
        out.append(chunk)
    return out


def _meaningful(choice: dict[str, Any]) -> bool:
    """Whether a transformed choice still says something (held-back text leaves empty deltas behind)."""
    if choice.get("finish_reason") or choice.get("logprobs"):
        return True
    if "text" in choice:
        return bool(choice["text"])
    delta = choice.get("delta") or {}
    return any(v not in (None, "", [], {}) for k, v in delta.items() if k != "content") or bool(delta.get("content"))


async def _pump(source: AsyncIterator[dict[str, Any]], queue: asyncio.Queue[Any]) -> None:
    try:
        async for item in source:
            await queue.put(item)
        await queue.put(StopAsyncIteration())
    except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which decides
        await queue.put(exc)


async def _stream(services: Services, ctx: Context, entry: ModelEntry, req: LLMRequest) -> AsyncIterator[bytes]:
    client_wants_usage = bool((req.body.get("stream_options") or {}).get("include_usage"))
    if req.endpoint in ("chat", "completions"):
        # Always ask for usage so the record has real token counts; strip it if the client did not ask.
        req.body["stream_options"] = {**(req.body.get("stream_options") or {}), "include_usage": True}
    st = _StreamState(services, ctx)
    upstream = services.upstream_for(entry)
    queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=64)
    t0 = time.perf_counter()
    task = asyncio.create_task(_pump(upstream.stream(entry, req), queue))
    keepalive = services.settings.server.keepalive_s
    last_sent = time.monotonic()
    first = True
    try:
        while True:
            # Keep IDEs and load balancers from dropping the connection while nothing is sent: a slow
            # upstream, or a code block held back until its fence closes while chunks keep arriving.
            wait = keepalive - (time.monotonic() - last_sent)
            try:
                if wait <= 0:
                    raise TimeoutError
                item = await asyncio.wait_for(queue.get(), timeout=wait)
            except TimeoutError:
                yield sse.KEEPALIVE
                last_sent = time.monotonic()
                continue
            if first:
                ctx.upstream_ms = (time.perf_counter() - t0) * 1000.0
                first = False
            if isinstance(item, StopAsyncIteration):
                break
            if isinstance(item, BaseException):
                raise item
            if item.get("usage"):
                st.usage = item["usage"]
                if not client_wants_usage:
                    item = {k: v for k, v in item.items() if k != "usage"}
                    if not item.get("choices"):
                        continue
            for out in _transform_chunk(st, item):
                yield sse.event(out)
                last_sent = time.monotonic()
        for idx in sorted({i for i, _, _ in st.procs}):
            flushed = st.flush_choice(idx)
            if flushed:
                yield sse.event(flushed)
        services.pipeline.finish_response(ctx)
        ctx.status = 200
    except UpstreamError as exc:
        ctx.status, ctx.outcome, ctx.error_type = exc.status, "upstream_error", exc.code
        yield sse.event(ApiError(exc.status, exc.message, code=exc.code, type="api_error").body())
    except Blocked as err:
        ctx.status, ctx.outcome, ctx.error_type = err.status, err.outcome, err.code
        yield sse.event(_blocked(err).body())
    except asyncio.CancelledError:
        ctx.status, ctx.outcome, ctx.error_type = 499, "client_disconnected", "client_disconnected"
        raise
    except Exception as exc:
        log.error("stream failed in %s (%s)", ctx.request_id, type(exc).__name__)
        ctx.status, ctx.outcome, ctx.error_type = 502, "refused", "security_stage_error"
        yield sse.event(ApiError(502, "The answer could not be checked, so the rest was withheld.",
                                 code="security_stage_error", type="api_error").body())
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
        with contextlib.suppress(Exception):
            _account(services, ctx, entry, st.usage, req, completion_text="".join(st.text))
        services.record(ctx)
    yield sse.DONE
