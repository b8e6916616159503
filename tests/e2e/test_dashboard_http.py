"""The dashboard of a real proxy, fed by real requests over HTTP: sign in with the master key through
the login form in headless Chromium, then see the requests per team and the recent blocks (a request
blocked by a redaction `block` action and an answer whose code was withheld). Screenshot:
tests/artifacts/dashboard-e2e.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import MASTER_KEY, ProxyFactory, RunningProxy
from tests.e2e.test_usage_http import SHELL_CODE, fenced, fetch_records, model_list, new_key
from tests.support.upstream import Reply, ScriptedUpstream

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SSN = "536-22-8174"
EMAIL = "maria.garcia@northwind-mail.io"
TEAMS = {"payments": ["alice", "bob"], "platform": ["carol"], "strict": ["sam"]}


@pytest.fixture(scope="module")
def fed(proxy_factory: ProxyFactory, upstream: ScriptedUpstream) -> dict[str, Any]:
    if not CHROMIUM.exists():
        pytest.skip("headless Chromium is not installed at /usr/bin/chromium (CI: apt-get install chromium)")
    proxy: RunningProxy = proxy_factory(model_list=model_list(upstream), server={"upstream_retries": 0},
                                        usage={"flush_interval_s": 0.05},
                                        teams={"strict": {"redaction": {"actions": {"US_SSN": "block"}}}})
    keys = {u: new_key(proxy, u, team)[1] for team, users in TEAMS.items() for u in users}
    upstream.reset()
    ids: dict[str, str] = {}

    def chat(name: str, user: str | None, content: str, *replies: Reply) -> None:
        upstream.push(*replies)
        headers = {"authorization": f"Bearer {keys[user]}"} if user else {}
        r = httpx.post(proxy.url + "/v1/chat/completions", headers=headers, timeout=30,
                       json={"model": "test-model", "messages": [{"role": "user", "content": content}]})
        ids[name] = r.headers["x-spp-request-id"]

    for i, user in enumerate(["alice", "bob", "alice", "carol", "carol", "sam"]):
        text = f"Say hello to {EMAIL}." if user == "bob" else "Say hello."
        chat(f"ok{i}", user, text, Reply(content="Hello!"))
    chat("redaction_block", "sam", f"My SSN is {SSN}; fill in the form.")
    chat("code_block", "carol", "Write a Flask view that lists a directory.",
         Reply(content=fenced(SHELL_CODE)))
    chat("refused", None, "hi")
    upstream.reset()
    records = fetch_records(proxy.client(), list(ids.values()))
    assert records[ids["redaction_block"]]["outcome"] == "blocked"
    assert records[ids["code_block"]]["outcome"] == "blocked"
    return {"proxy": proxy, "ids": ids, "keys": keys}


def test_dashboard_through_the_proxy_in_headless_chromium(fed: dict[str, Any]) -> None:
    from playwright.sync_api import sync_playwright

    proxy: RunningProxy = fed["proxy"]
    ids: dict[str, str] = fed["ids"]
    external: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1360, "height": 900})
            page = context.new_page()

            def guard(route: Any, request: Any) -> None:
                if request.url.startswith(proxy.url):
                    route.continue_()
                else:
                    external.append(request.url)
                    route.abort()

            page.route("**/*", guard)
            resp = page.goto(f"{proxy.url}/admin")
            assert resp is not None and resp.status == 401, "signed out: the sign-in form"
            page.fill("#key", fed["keys"]["alice"])
            page.click("button[type=submit]")
            assert "not the admin key" in page.inner_text(".error"), "a user key is not an admin key"
            page.fill("#key", MASTER_KEY)
            page.click("button[type=submit]")
            page.wait_for_selector("#per-team")

            assert int(page.inner_text("#kpi-requests").replace(",", "")) == len(ids)
            assert int(page.inner_text("#kpi-redactions")) >= 1
            assert "EMAIL_ADDRESS" in page.inner_text("#redactions")
            rows = {r.split("\t")[0]: r.split("\t") for r in
                    page.locator("#per-team tbody tr").all_inner_texts()}
            assert set(rows) >= {"payments", "platform", "strict"}
            assert rows["payments"][1] == "3" and rows["platform"][1] == "3" and rows["strict"][1] == "2"
            blocks = page.inner_text("#recent-blocks")
            assert ids["redaction_block"] in blocks and "sensitive_data_blocked" in blocks
            assert ids["code_block"] in blocks and "CWE-78" in blocks
            assert ids["refused"] in blocks, "refused requests are listed with the blocks"
            html = page.content()
            assert SSN not in html and EMAIL not in html and MASTER_KEY not in html
            assert all(k not in html for k in fed["keys"].values())

            cookie = next(c for c in context.cookies() if c["name"] == "spp_admin_session")
            assert cookie["httpOnly"] and MASTER_KEY not in cookie["value"]
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "dashboard-e2e.png"), full_page=True)
        finally:
            browser.close()
    assert external == [], f"the dashboard loaded external resources: {external}"


def test_dashboard_refuses_keys_in_the_query_string(fed: dict[str, Any]) -> None:
    proxy: RunningProxy = fed["proxy"]
    r = httpx.get(f"{proxy.url}/admin", params={"key": MASTER_KEY})
    assert r.status_code == 401 and "per-team" not in r.text
