"""Admin API (usage records, summaries, Prometheus metrics) and the dashboard page.

Auth:
- `/admin/usage`, `/admin/usage/summary` and `/metrics` use the app's `require_admin` dependency
  (admin key as `Authorization: Bearer ...`); `/metrics` can be made public with `metrics_public`.
- `/admin` (the dashboard) accepts a bearer admin key too, but browsers sign in with a form: the key
  is checked once by `verify_admin_key` and the browser gets an HttpOnly, SameSite=Strict cookie
  (Secure on https) holding an HMAC-signed, expiring session token, never the key. Keys in query
  strings are not accepted: they end up in access logs and browser history.
- The page has no JavaScript and no external resources; a nonce-based CSP forbids everything else.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jinja2
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from proxy.admin.dashboard import RANGES, dashboard_data
from proxy.admin.session import COOKIE, DEFAULT_TTL_S, SessionSigner
from proxy.observability.metrics import Metrics
from proxy.store.db import Database
from proxy.store.queries import GROUPS, MAX_LIMIT, UsageFilters, query_usage, summary

log = logging.getLogger("spp.admin")

TEMPLATES = Path(__file__).with_name("templates")
MAX_FORM_BYTES = 4096
KeyCheck = Callable[[str], bool | Awaitable[bool]]


def _compact(n: float) -> str:
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= div:
            return f"{n / div:.1f}{suffix}".replace(".0" + suffix, suffix)
    return f"{n:,.0f}"


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["compact"] = _compact
    return env


def _headers(nonce: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": (f"default-src 'none'; style-src 'nonce-{nonce}'; img-src 'self' data:; "
                                    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


def _bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _is_https(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"


def _filters(user: str | None, team: str | None, model: str | None, outcome: str | None,
             since: str | None, until: str | None) -> UsageFilters:
    try:
        return UsageFilters.parse(user=user, team=team, model=model, outcome=outcome,
                                  since=since, until=until)
    except ValueError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None


def build_admin_router(writer_or_db: Any, metrics: Metrics, require_admin: Callable[..., Any], *,
                       verify_admin_key: KeyCheck | None = None, session_secret: bytes | None = None,
                       session_ttl_s: int = DEFAULT_TTL_S, metrics_public: bool = False) -> APIRouter:
    """Routes: GET /admin/usage, GET /admin/usage/summary, GET /metrics, GET /admin, POST /admin/login,
    POST /admin/logout.

    `writer_or_db`: a UsageWriter (its `.db` is used) or a Database. `verify_admin_key(key)` (sync or
    async) enables the dashboard's sign-in form and bearer access to the page; pass
    `session_secret=session_secret_from_key(master_key)` so sessions survive restarts and work
    across workers.
    """
    db: Database = getattr(writer_or_db, "db", writer_or_db)
    signer = SessionSigner(session_secret, session_ttl_s)
    env = _env()
    admin = [Depends(require_admin)]
    router = APIRouter()

    async def check_key(key: str) -> bool:
        if verify_admin_key is None or not key:
            return False
        ok = verify_admin_key(key)
        if inspect.isawaitable(ok):
            ok = await ok
        return bool(ok)

    async def signed_in(request: Request) -> bool:
        if signer.verify(request.cookies.get(COOKIE)):
            return True
        token = _bearer(request)
        return token is not None and await check_key(token)

    def page(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        nonce = secrets.token_urlsafe(16)
        html = env.get_template(name).render(
            nonce=nonce, login_url=str(request.url_for("admin_login").path),
            logout_url=str(request.url_for("admin_logout").path),
            dashboard_url=str(request.url_for("admin_dashboard").path), **ctx)
        return HTMLResponse(html, status_code=status, headers=_headers(nonce))

    def login_page(request: Request, status: int, error: str = "") -> HTMLResponse:
        return page(request, "login.html", status, error=error, login_enabled=verify_admin_key is not None)

    @router.get("/admin/usage", dependencies=admin)
    async def admin_usage(user: str | None = None, team: str | None = None, model: str | None = None,
                          outcome: str | None = None, since: str | None = None, until: str | None = None,
                          limit: int = Query(100, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0),
                          ) -> dict[str, Any]:
        """Usage records, newest first, paginated (`next_offset` is null on the last page)."""
        f = _filters(user, team, model, outcome, since, until)
        try:
            return await query_usage(db, f, limit, offset)
        except Exception as exc:
            log.warning("usage query failed (%s)", type(exc).__name__)
            raise HTTPException(status_code=503, detail="usage database unavailable") from None

    @router.get("/admin/usage/summary", dependencies=admin)
    async def admin_usage_summary(group_by: str = Query("team", description=f"one or more of {GROUPS}"),
                                  user: str | None = None, team: str | None = None, model: str | None = None,
                                  outcome: str | None = None, since: str | None = None,
                                  until: str | None = None) -> dict[str, Any]:
        """Per group: requests, tokens, cost, redactions, findings, blocks, refused, errors."""
        f = _filters(user, team, model, outcome, since, until)
        try:
            rows = await summary(db, f, group_by)
        except ValueError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from None
        except Exception as exc:
            log.warning("usage summary failed (%s)", type(exc).__name__)
            raise HTTPException(status_code=503, detail="usage database unavailable") from None
        return {"group_by": group_by, "rows": rows}

    @router.get("/metrics", dependencies=[] if metrics_public else admin, include_in_schema=False)
    async def prometheus_metrics() -> Response:
        body, ctype = metrics.render()
        return Response(content=body, media_type=ctype)

    @router.get("/admin", name="admin_dashboard", response_class=HTMLResponse, include_in_schema=False)
    async def admin_dashboard(request: Request, days: int = 7, team: str | None = None) -> HTMLResponse:
        if not await signed_in(request):
            return login_page(request, 401)
        days = days if days in RANGES else 7
        try:
            data = await dashboard_data(db, days, team or None)
        except Exception as exc:
            log.warning("dashboard query failed (%s)", type(exc).__name__)
            return page(request, "login.html", 503, error="The usage database is unavailable.",
                        login_enabled=False)
        return page(request, "dashboard.html", can_logout=COOKIE in request.cookies, **data)

    @router.post("/admin/login", name="admin_login", include_in_schema=False)
    async def admin_login(request: Request) -> Response:
        if verify_admin_key is None:
            return login_page(request, 404)
        if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
            return login_page(request, 413, "Request too large.")
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_FORM_BYTES:
                return login_page(request, 413, "Request too large.")
        key = parse_qs(body.decode("utf-8", "replace")).get("key", [""])[0]
        if not await check_key(key):
            await asyncio.sleep(0.5)  # slows down guessing
            log.warning("admin sign-in failed")
            return login_page(request, 401, "That is not the admin key.")
        resp = RedirectResponse(str(request.url_for("admin_dashboard").path), status_code=303)
        resp.set_cookie(COOKIE, signer.issue(), max_age=signer.ttl_s, path="/admin", httponly=True,
                        samesite="strict", secure=_is_https(request))
        return resp

    @router.post("/admin/logout", name="admin_logout", include_in_schema=False)
    async def admin_logout(request: Request) -> Response:
        signer.revoke(request.cookies.get(COOKIE))
        resp = RedirectResponse(str(request.url_for("admin_dashboard").path), status_code=303)
        resp.delete_cookie(COOKIE, path="/admin", httponly=True, samesite="strict", secure=_is_https(request))
        return resp

    return router
