"""create_app(settings) -> FastAPI. No module-level mutable state and no import side effects:
everything long-lived is built here and hangs off `app.state.services`; I/O starts in the lifespan."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from proxy import __version__
from proxy.api.errors import ApiError
from proxy.api.handlers import handle
from proxy.auth import Authenticator
from proxy.pipeline.stage import Stage
from proxy.services import Services
from proxy.settings import Settings
from proxy.stages.registry import build_pipeline

log = logging.getLogger("spp")


def _services(request: Request) -> Services:
    return request.app.state.services


def build_services(settings: Settings, stages: list[Stage] | None = None) -> Services:
    from proxy.observability.metrics import Metrics
    from proxy.store.keys import KeyStore
    from proxy.store.writer import UsageWriter
    from proxy.upstream.litellm_client import LiteLLMUpstream
    from proxy.upstream.passthrough import PassthroughUpstream

    writer = UsageWriter(settings)
    keys = KeyStore(writer.db)
    metrics = Metrics(known_models=list(settings.models))
    metrics.bind_writer(writer)
    master = settings.resolved_master_key
    if not master:
        log.warning("no admin key: set SPP_MASTER_KEY to use the admin API and dashboard")
    return Services(
        settings=settings,
        pipeline=build_pipeline(settings, stages),
        auth=Authenticator(master, keys, settings.auth.allow_unauthenticated),
        litellm=LiteLLMUpstream(settings.server),
        passthrough=PassthroughUpstream(settings.server),
        usage=writer,
        metrics=metrics,
        extras={"writer": writer, "keys": keys},
    )


def create_app(settings: Settings, stages: list[Stage] | None = None) -> FastAPI:
    """`stages` replaces the default stage list (tests use it to insert failing or probing stages)."""
    services = build_services(settings, stages)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from proxy.upstream.litellm_client import load_litellm

        # litellm takes seconds to import: do it in a thread while the store starts.
        litellm_ready = asyncio.get_running_loop().run_in_executor(None, load_litellm)
        writer = services.extras["writer"]
        await writer.start()
        await litellm_ready
        log.info("secure-prompt-proxy %s ready: %d model(s)", __version__, len(settings.model_list))
        try:
            yield
        finally:
            await services.passthrough.aclose()
            await services.extras["keys"].drain()
            await writer.stop()

    app = FastAPI(title="secure-prompt-proxy", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url=None)
    app.state.services = services

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> Response:
        return exc.response()

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> Response:
        msg = "Not found." if exc.status_code == 404 else str(exc.detail)
        return ApiError(exc.status_code, msg, code="not_found" if exc.status_code == 404 else None).response()

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> Response:
        return ApiError(400, "Invalid request.", code="invalid_request").response()

    async def chat_completions(request: Request) -> Response:
        return await handle(services, "chat", request)

    async def completions(request: Request) -> Response:
        return await handle(services, "completions", request)

    # Plain Starlette routes for the hot path: FastAPI's dependency solving costs per request and
    # these handlers parse their own bodies.
    for path in ("/v1/chat/completions", "/chat/completions"):
        app.router.add_route(path, chat_completions, methods=["POST"], include_in_schema=False)
    for path in ("/v1/completions", "/completions"):
        app.router.add_route(path, completions, methods=["POST"], include_in_schema=False)

    @app.get("/v1/models")
    @app.get("/models")
    async def models(request: Request) -> Response:
        await _services(request).auth.authenticate(request.headers)
        data = [{"id": m.model_name, "object": "model", "created": 0, "owned_by": "secure-prompt-proxy"}
                for m in settings.model_list]
        return JSONResponse({"object": "list", "data": data})

    @app.get("/healthz")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok", "version": __version__}

    @app.get("/readyz")
    async def readyz(request: Request) -> Response:
        ok = await _services(request).extras["writer"].ready()
        return JSONResponse({"status": "ready" if ok else "store unavailable"}, status_code=200 if ok else 503)

    from proxy.api.extra_routes import mount

    mount(app, services)
    return app
