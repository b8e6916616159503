"""Source, sink and sanitizer cases that need a grammar other than the first one a rule lists
(TypeScript decorators and type annotations), so they cannot live in a pack's `examples`.

Each case runs through the full default engine, like the proxy does.
"""

from __future__ import annotations

import pytest

from proxy.rules.engine import RuleEngine

NEST_SSRF_BAD = """
@Controller("fetch")
export class FetchController {
  constructor(private readonly httpService: HttpService) {}
  @Post()
  async grab(@Body("target") target: string) {
    const r = await lastValueFrom(this.httpService.get(target));
    return r.data;
  }
}
"""

NEST_SSRF_GOOD = """
@Controller("fetch")
export class FetchController {
  constructor(private readonly httpService: HttpService) {}
  @Get(":id")
  async grab(@Param("id") id: string) {
    const url = `https://catalog.internal.example/items/${encodeURIComponent(id)}`;
    const r = await lastValueFrom(this.httpService.get(url));
    return r.data;
  }
}
"""

TS_CAST_XSS_BAD = """
app.get("/welcome", (req: Request, res: Response) => {
  const team = (req.query.team as string) ?? "guests";
  const page = `<main><h2>Welcome, ${team}</h2></main>`;
  res.send(page);
});
"""

TS_CAST_XSS_GOOD = """
app.get("/welcome", (req: Request, res: Response) => {
  const team = escapeHtml((req.query.team as string) ?? "guests");
  const page = `<main><h2>Welcome, ${team}</h2></main>`;
  res.send(page);
});
"""

TS_SORT_SQL_BAD = """
export async function listUsers(db: Pool, team: string, sort: string): Promise<User[]> {
  const order: string = sort || "email";
  const sql = `SELECT * FROM users WHERE team = $1 ORDER BY ${order}`;
  return (await db.query(sql, [team])).rows;
}
"""

TS_SORT_SQL_GOOD = """
const USER_SORTS: readonly string[] = ["email", "created_at"];

export async function listUsers(db: Pool, team: string, sort: string): Promise<User[]> {
  const order: string = USER_SORTS.includes(sort) ? sort : "email";
  const sql = `SELECT * FROM users WHERE team = $1 ORDER BY ${order}`;
  return (await db.query(sql, [team])).rows;
}
"""

PY_ASYNC_BODY_SSRF_BAD = """
@app.post("/import")
async def import_feed(request: Request):
    body = await request.json()
    feed = body["feed_url"]
    async with httpx.AsyncClient() as client:
        r = await client.get(feed)
    return {"size": len(r.content)}
"""

PY_ASYNC_BODY_SSRF_GOOD = """
@app.post("/import")
async def import_feed(request: Request):
    body = await request.json()
    feed = body["feed_id"]
    async with httpx.AsyncClient() as client:
        r = await client.get(f"https://feeds.example.org/v1/{quote(feed)}")
    return {"size": len(r.content)}
"""

CASES = [
    ("typescript", TS_SORT_SQL_BAD, "js.sql-injection.query-string-built", True),
    ("typescript", TS_SORT_SQL_GOOD, "js.sql-injection.query-string-built", False),
    ("python", PY_ASYNC_BODY_SSRF_BAD, "python.ssrf.request-url", True),
    ("python", PY_ASYNC_BODY_SSRF_GOOD, "python.ssrf.request-url", False),
    ("typescript", NEST_SSRF_BAD, "js.ssrf.request-url", True),
    ("typescript", NEST_SSRF_GOOD, "js.ssrf.request-url", False),
    ("typescript", TS_CAST_XSS_BAD, "js.xss.response-with-request-data", True),
    ("typescript", TS_CAST_XSS_GOOD, "js.xss.response-with-request-data", False),
]


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine.default()


@pytest.mark.parametrize(("lang", "code", "rule_id", "fires"), CASES, ids=lambda v: str(v)[:40])
def test_general_case(engine: RuleEngine, lang: str, code: str, rule_id: str, fires: bool) -> None:
    hits = [f.rule_id for f in engine.scan(code, lang)]
    assert (rule_id in hits) is fires, hits
