"""Routes beyond the OpenAI surface: request preview, admin API, dashboard and metrics."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import FastAPI, Request
from starlette.responses import JSONResponse, Response

from proxy.api.errors import ApiError
from proxy.api.handlers import read_body
from proxy.api.openai import parse_json, to_request
from proxy.pipeline.context import Context, Principal
from proxy.pipeline.stage import Blocked
from proxy.services import Services


def mount(app: FastAPI, services: Services) -> None:
    @app.post("/spp/preview")
    async def preview(request: Request) -> Response:
        """The request exactly as it would be forwarded (after redaction and templates), without calling
        the upstream: how a developer or security lead sees what the proxy does."""
        principal: Principal = await services.auth.authenticate(request.headers)
        body = parse_json(await read_body(request, services.settings.server.max_body_bytes))
        is_completion = "prompt" in body and "messages" not in body
        endpoint: Literal["chat", "completions"] = "completions" if is_completion else "chat"
        llm_request, dropped = to_request(endpoint, body)
        entry = services.settings.models.get(llm_request.model)
        if entry is None:
            raise ApiError(404, "Unknown model.", code="model_not_found", param="model")
        ctx = Context(principal=principal, endpoint=endpoint, model=llm_request.model)
        ctx.state["policy"] = services.settings.policy_for(principal.team)
        try:
            services.pipeline.run_request(ctx, llm_request)
        except Blocked as err:
            raise ApiError(err.status, err.reason, code=err.code) from None
        out: dict[str, Any] = {
            "endpoint": endpoint,
            "upstream_model": entry.litellm_params.model,
            "forwarded": llm_request.body,
            "dropped_params": dropped,
            "redactions": dict(ctx.redactions),
            "templates_applied": ctx.templates_applied,
        }
        return JSONResponse(out, headers={"x-spp-overhead-ms": f"{ctx.overhead_ms:.3f}"})

    from proxy.admin.routes import build_admin_router
    from proxy.admin.session import session_secret_from_key

    async def require_admin(request: Request) -> Principal:
        return await services.auth.require_admin(request.headers)

    master = services.settings.resolved_master_key
    app.include_router(build_admin_router(
        services.extras["writer"], services.metrics, require_admin,
        verify_admin_key=services.auth.is_master,
        session_secret=session_secret_from_key(master) if master else None,
    ))
