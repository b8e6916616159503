"""The dashboard in a real headless Chromium: sign in through the form, see the charts and tables,
no external requests, no CSP violations, HttpOnly cookie; a screenshot goes to tests/artifacts/."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from proxy.store.db import Database
from proxy.store.ingest import insert_records
from proxy.store.record import build_record
from tests.admin.app_factory import ADMIN_KEY, make_app
from tests.store.support import finding, free_port, make_ctx, make_settings

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _records(n: int = 400) -> list[dict]:  # type: ignore[type-arg]
    rnd = random.Random(7)
    teams = {"payments": ["alice", "bob"], "platform": ["carol", "dave"], "mobile": ["erin"],
             "data": ["frank"]}
    entity = ["EMAIL_ADDRESS", "PERSON", "SECRET_AWS_ACCESS_KEY", "SECRET_GITHUB_TOKEN", "PHONE_NUMBER",
              "IP_ADDRESS", "SECRET_PRIVATE_KEY"]
    rules = [("py.sql-injection", "CWE-89", "high"), ("py.subprocess-shell", "CWE-78", "high"),
             ("py.eval", "CWE-95", "critical"), ("js.innerhtml", "CWE-79", "medium"),
             ("py.weak-hash", "CWE-327", "low"), ("py.hardcoded-secret", "CWE-798", "critical")]
    out = []
    for _ in range(n):
        team = rnd.choice(list(teams))
        outcome = rnd.choices(["passed", "annotated", "blocked", "refused", "upstream_error"],
                              [70, 15, 6, 4, 5])[0]
        fnd = []
        if outcome in ("annotated", "blocked"):
            for rid, cwe, sev in rnd.sample(rules, rnd.randint(1, 2)):
                action = "block" if outcome == "blocked" and sev == "critical" else "annotate"
                fnd.append(finding(rid, cwe, sev, action))
            if outcome == "blocked" and not any(f.action == "block" for f in fnd):
                fnd.append(finding("py.eval", "CWE-95", "critical", "block"))
        red = Counter({e: rnd.randint(1, 3) for e in rnd.sample(entity, rnd.randint(0, 3))})
        pt = rnd.randint(200, 4000)
        ct = rnd.randint(50, 1200) if outcome not in ("refused", "blocked") else 0
        status = {"refused": 403, "blocked": 400, "upstream_error": 502}.get(outcome, 200)
        ctx = make_ctx(user=rnd.choice(teams[team]), team=team,
                       model=rnd.choice(["gpt-4o-mini", "claude-sonnet"]), outcome=outcome, status=status,
                       age_s=rnd.uniform(0, 6 * 86400), prompt_tokens=pt, completion_tokens=ct,
                       cost_usd=(pt * 0.15 + ct * 0.6) / 1e6 * 10, redactions=red, findings=fnd,
                       upstream_ms=rnd.uniform(300, 4000),
                       error_type="blocked_by_policy" if outcome == "blocked" else "")
        ctx.add_stage_time("redact", rnd.uniform(0.0005, 0.004))
        ctx.started -= ctx.upstream_ms / 1000 + 0.004  # a realistic total latency
        out.append(build_record(ctx))
    return out


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium); CI installs it with apt-get")
    url = f"sqlite:///{tmp_path / 'usage.db'}"

    async def seed() -> None:
        db = Database(url)
        await db.upgrade()
        await insert_records(db, _records())
        await db.dispose()

    asyncio.run(seed())
    app, _, _ = make_app(make_settings(url, tmp_path))
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


def test_dashboard_in_headless_chromium(server: str) -> None:
    from playwright.sync_api import sync_playwright

    external: list[str] = []
    console_errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1360, "height": 900})
            page = context.new_page()
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

            def guard(route, request) -> None:  # type: ignore[no-untyped-def]
                if request.url.startswith(server):
                    route.continue_()
                else:
                    external.append(request.url)
                    route.abort()

            page.route("**/*", guard)
            resp = page.goto(f"{server}/admin")
            assert resp is not None and resp.status == 401
            page.fill("#key", "not-the-key")
            page.click("button[type=submit]")
            assert "not the admin key" in page.inner_text(".error")
            page.fill("#key", ADMIN_KEY)
            page.click("button[type=submit]")
            page.wait_for_selector("#requests-over-time svg")

            assert page.title().startswith("Usage & audit")
            assert int(page.inner_text("#kpi-requests").replace(",", "")) == 400
            assert page.locator("svg.chart").count() == 4
            assert page.locator("#requests-over-time svg rect").count() >= 7
            assert page.locator("#cost-over-time svg polyline").count() == 1
            assert page.locator("#redactions svg rect").count() == 7
            assert page.locator("#findings svg rect").count() == 6
            assert page.locator("#per-team tbody tr").count() == 4
            assert page.locator("#recent-blocks tbody tr").count() >= 1
            box = page.locator("#requests-over-time svg").bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 80

            cookie = next(c for c in context.cookies() if c["name"] == "spp_admin_session")
            assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and ADMIN_KEY not in cookie["value"]
            assert page.evaluate("document.cookie") == ""  # HttpOnly: not readable by scripts

            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

            page.select_option("#days", "30")
            page.select_option("#team", "payments")
            page.click("header form button[type=submit]")
            page.wait_for_url("**/admin?days=30&team=payments")
            assert page.locator("#per-team tbody tr").count() == 1
            page.click("text=Sign out")
            page.wait_for_selector("#key")
        finally:
            browser.close()
    assert external == [], f"the dashboard tried to load external resources: {external}"
    unexpected = [e for e in console_errors if "status of 401" not in e]  # the login page is a 401
    assert unexpected == [], unexpected  # e.g. a Content-Security-Policy violation
