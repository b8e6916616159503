"""Upstream calls through litellm, for every provider it supports.

litellm is imported lazily (it takes seconds and would slow `spp scan`) and only after the
environment is set so that it never fetches its cost map or sends telemetry.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from functools import cache
from types import ModuleType
from typing import Any

from proxy.pipeline.request import LLMRequest
from proxy.settings import ModelEntry, ServerSettings
from proxy.upstream.base import UpstreamError, short


def _warnings_only(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING


@cache
def load_litellm() -> ModuleType:
    """Import litellm with every phone-home switched off."""
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    os.environ.setdefault("LITELLM_LOG", "ERROR")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import litellm

    litellm.telemetry = False
    litellm.drop_params = True  # providers that lack a parameter get it dropped rather than erroring
    litellm.suppress_debug_info = True
    litellm.disable_streaming_logging = True
    litellm.turn_off_message_logging = True
    # litellm logs whole message lists at DEBUG (e.g. in token_counter): its loggers never pass anything
    # below WARNING, even if someone turns their level down later (a filter survives setLevel).
    for name in ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy", "litellm"):
        lg = logging.getLogger(name)
        lg.setLevel(logging.WARNING)
        lg.addFilter(_warnings_only)
    litellm.callbacks = []
    litellm.success_callback = []
    litellm.failure_callback = []
    return litellm


def _kwargs(entry: ModelEntry, request: LLMRequest, server: ServerSettings) -> dict[str, Any]:
    params = entry.litellm_params.model_dump(exclude_none=True)
    body = {k: v for k, v in request.body.items() if k != "model"}
    kwargs: dict[str, Any] = {**body, **params}  # configured params win over anything the client sent
    kwargs.setdefault("timeout", server.upstream_timeout_s)
    kwargs["num_retries"] = params.pop("max_retries", server.upstream_retries)
    kwargs.pop("max_retries", None)
    return kwargs


def _error(exc: Exception) -> UpstreamError:
    litellm = load_litellm()
    status = getattr(exc, "status_code", None)
    if isinstance(exc, litellm.Timeout):
        return UpstreamError(504, "Upstream timed out.", code="upstream_timeout")
    if isinstance(exc, litellm.AuthenticationError | litellm.PermissionDeniedError):
        return UpstreamError(502, "Upstream rejected the proxy's credentials.", code="upstream_auth_error")
    if isinstance(exc, litellm.APIConnectionError) and status in (None, 500):
        return UpstreamError(502, "Could not connect to the upstream provider.", code="upstream_connection_error")
    detail = short(getattr(exc, "message", "") or "")
    if isinstance(status, int) and status in (400, 404, 408, 413, 422, 429):
        return UpstreamError(status, f"Upstream returned HTTP {status}: {detail}", code="upstream_error")
    return UpstreamError(502, f"Upstream failed: {detail}" if detail else "Upstream failed.", code="upstream_error")


def _dump(obj: Any) -> dict[str, Any]:
    data = obj.model_dump(exclude_none=True) if hasattr(obj, "model_dump") else dict(obj)
    for key in ("_hidden_params", "_response_headers"):
        data.pop(key, None)
    return data


class LiteLLMUpstream:
    def __init__(self, server: ServerSettings) -> None:
        self._server = server

    async def aclose(self) -> None:
        return None

    async def complete(self, entry: ModelEntry, request: LLMRequest) -> dict[str, Any]:
        litellm = load_litellm()
        kwargs = _kwargs(entry, request, self._server)
        try:
            if request.endpoint == "chat":
                resp = await litellm.acompletion(**kwargs)
            else:
                resp = await litellm.atext_completion(**kwargs)
        except UpstreamError:
            raise
        except Exception as exc:  # litellm raises many types; each becomes a clean client error
            raise _error(exc) from None
        return _dump(resp)

    async def stream(self, entry: ModelEntry, request: LLMRequest) -> AsyncIterator[dict[str, Any]]:
        litellm = load_litellm()
        kwargs = _kwargs(entry, request, self._server)
        kwargs["stream"] = True
        try:
            if request.endpoint == "chat":
                resp = await litellm.acompletion(**kwargs)
            else:
                resp = await litellm.atext_completion(**kwargs)
            async for chunk in resp:
                yield _dump(chunk)
        except UpstreamError:
            raise
        except Exception as exc:
            raise _error(exc) from None
