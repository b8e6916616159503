"""Admin API and dashboard over HTTP (ASGI), against real SQLite and PostgreSQL databases."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from proxy.store.ingest import insert_records
from proxy.store.record import build_record
from tests.admin.app_factory import ADMIN_KEY, make_app
from tests.store.dataset import dataset
from tests.store.support import free_port, make_ctx, make_settings, pg_url_for_schema

AUTH = {"Authorization": f"Bearer {ADMIN_KEY}"}
Body = Callable[[httpx.AsyncClient], Awaitable[None]]


def run(db_url: str, tmp_path: Path, body: Body, *, base: str = "http://testserver", **kw: bool) -> None:
    settings = make_settings(db_url, tmp_path)
    app, writer, metrics = make_app(settings, **kw)

    async def go() -> None:
        await writer.start()
        await insert_records(writer.db, dataset())
        for rec in dataset():
            metrics.observe(rec)
        try:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base) as client:
                await body(client)
        finally:
            await writer.stop()

    asyncio.run(go())


def test_usage_api(db_url: str, tmp_path: Path) -> None:
    async def body(c: httpx.AsyncClient) -> None:
        assert (await c.get("/admin/usage")).status_code == 401
        assert (await c.get("/admin/usage", headers={"Authorization": "Bearer nope"})).status_code == 401
        r = await c.get("/admin/usage", headers=AUTH)
        assert r.status_code == 200 and r.json()["total"] == 12
        r = await c.get("/admin/usage", params={"team": "payments", "limit": 5, "offset": 5}, headers=AUTH)
        page = r.json()
        assert page["total"] == 7 and len(page["items"]) == 2 and page["next_offset"] is None
        r = await c.get("/admin/usage", params={"user": "bob", "outcome": "refused"}, headers=AUTH)
        assert [i["request_id"] for i in r.json()["items"]] == ["req_0006"]
        r = await c.get("/admin/usage", params={"since": "24h", "model": "claude-sonnet"}, headers=AUTH)
        assert r.json()["total"] == 3
        assert (await c.get("/admin/usage", params={"since": "soon"}, headers=AUTH)).status_code == 400
        assert (await c.get("/admin/usage", params={"limit": 5000}, headers=AUTH)).status_code == 422

        r = await c.get("/admin/usage/summary", params={"group_by": "team"}, headers=AUTH)
        rows = {x["team"]: x for x in r.json()["rows"]}
        assert rows["payments"]["requests"] == 7 and rows["platform"]["blocks"] == 1
        r = await c.get("/admin/usage/summary", params={"group_by": "user", "team": "platform"}, headers=AUTH)
        assert [x["user"] for x in r.json()["rows"]] == ["carol"]
        r = await c.get("/admin/usage/summary", params={"group_by": "x"}, headers=AUTH)
        assert r.status_code == 400
        assert (await c.get("/admin/usage/summary")).status_code == 401

    run(db_url, tmp_path, body)


def test_metrics_endpoint(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'u.db'}"

    async def protected(c: httpx.AsyncClient) -> None:
        assert (await c.get("/metrics")).status_code == 401
        r = await c.get("/metrics", headers=AUTH)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
        assert ('spp_requests_total{endpoint="chat",model="gpt-4o-mini",outcome="passed",team="payments"} 2.0'
                in r.text)
        assert "spp_usage_db_up 1.0" in r.text

    async def public(c: httpx.AsyncClient) -> None:
        assert (await c.get("/metrics")).status_code == 200

    run(url, tmp_path / "a", protected)
    run(url, tmp_path / "b", public, metrics_public=True)


def _no_external(html: str) -> None:
    assert "<script" not in html.lower()
    urls = re.findall(r"""(?:src|href|action)\s*=\s*["']?([^"'\s>]+)""", html, re.I)
    assert all(u.startswith("/") for u in urls), urls
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html


def test_dashboard_login_flow(db_url: str, tmp_path: Path) -> None:
    async def body(c: httpx.AsyncClient) -> None:
        r = await c.get("/admin")
        assert r.status_code == 401 and 'name="key"' in r.text and "Sign in" in r.text
        _no_external(r.text)
        r = await c.post("/admin/login", data={"key": "wrong"})
        assert r.status_code == 401 and "spp_admin_session" not in r.headers.get("set-cookie", "")
        r = await c.post("/admin/login", data={"key": ADMIN_KEY})
        assert r.status_code == 303 and r.headers["location"] == "/admin"
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
        assert "Path=/admin" in cookie and "Secure" not in cookie
        assert ADMIN_KEY not in cookie and ADMIN_KEY[4:] not in cookie
        token = c.cookies["spp_admin_session"]

        r = await c.get("/admin", params={"days": 30})
        assert r.status_code == 200
        html = r.text
        _no_external(html)
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp
        assert r.headers["x-frame-options"] == "DENY" and r.headers["cache-control"] == "no-store"
        assert html.count("<svg") == 4
        for section in ("requests-over-time", "cost-over-time", "redactions", "findings", "per-team",
                        "recent-blocks"):
            assert f'id="{section}"' in html
        assert "SECRET_AWS_ACCESS_KEY" in html and "CWE-89" in html and "py.eval" in html
        assert '<tr><td>payments</td><td class="num">7</td>' in html
        assert 'id="kpi-requests">12<' in html

        r = await c.get("/admin", params={"days": 1, "team": "platform"})
        assert r.status_code == 200 and 'id="kpi-requests">3<' in r.text

        r = await c.post("/admin/logout")
        assert r.status_code == 303
        c.cookies.clear()
        r = await c.get("/admin", headers={"Cookie": f"spp_admin_session={token}"})
        assert r.status_code == 401  # revoked by logout
        forged = token[:-4] + ("0000" if not token.endswith("0000") else "1111")
        assert (await c.get("/admin", headers={"Cookie": f"spp_admin_session={forged}"})).status_code == 401
        assert (await c.get("/admin", headers=AUTH)).status_code == 200  # bearer works for scripts
        assert (await c.get("/admin", params={"key": ADMIN_KEY})).status_code == 401  # never in URLs

    run(db_url, tmp_path, body)


def test_cookie_is_secure_on_https(tmp_path: Path) -> None:
    async def body(c: httpx.AsyncClient) -> None:
        r = await c.post("/admin/login", data={"key": ADMIN_KEY})
        assert r.status_code == 303 and "Secure" in r.headers["set-cookie"]

    run(f"sqlite:///{tmp_path / 'u.db'}", tmp_path, body, base="https://testserver")


def test_database_down_gives_503(tmp_path: Path) -> None:
    settings = make_settings(pg_url_for_schema("public", port=free_port()), tmp_path)
    app, writer, metrics = make_app(settings)

    async def go() -> None:
        await writer.start()
        writer.submit(build_record(make_ctx()))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            r = await c.get("/admin/usage", headers=AUTH)
            assert r.status_code == 503 and r.json()["detail"] == "usage database unavailable"
            assert (await c.get("/metrics", headers=AUTH)).status_code == 200
            assert (await c.get("/admin", headers=AUTH)).status_code == 503
        await writer.stop()
        assert writer.stats.spilled == 1

    asyncio.run(go())
