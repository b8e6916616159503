"""A small FastAPI app around the admin router, with a bearer-key `require_admin` like the lead's."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Header, HTTPException

from proxy.admin.routes import build_admin_router
from proxy.admin.session import session_secret_from_key
from proxy.observability.metrics import Metrics
from proxy.settings import Settings
from proxy.store.writer import UsageWriter
from tests.store.support import MODELS

ADMIN_KEY = "spp-admin-test-key-0123456789"


def bearer_admin(key: str) -> Any:
    def require_admin(authorization: str | None = Header(default=None)) -> None:
        if not authorization or not hmac.compare_digest(authorization, f"Bearer {key}"):
            raise HTTPException(status_code=401, detail="admin key required")

    return require_admin


def make_app(settings: Settings, *, metrics_public: bool = False) -> tuple[FastAPI, UsageWriter, Metrics]:
    writer = UsageWriter(settings)
    metrics = Metrics(known_models=MODELS)
    metrics.bind_writer(writer)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await writer.start()
        yield
        await writer.stop()

    app = FastAPI(lifespan=lifespan)
    app.include_router(build_admin_router(
        writer, metrics, bearer_admin(ADMIN_KEY),
        verify_admin_key=lambda k: hmac.compare_digest(k.encode(), ADMIN_KEY.encode()),
        session_secret=session_secret_from_key(ADMIN_KEY), metrics_public=metrics_public))
    return app, writer, metrics
