"""Shared helpers for store/admin tests: real SQLite files, a real PostgreSQL schema per test, and a
TCP relay that can cut the connection to PostgreSQL to simulate an outage."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy.engine import make_url

from proxy.pipeline.context import CodeFinding, Context, Principal
from proxy.settings import Settings, parse_settings

PG_URL = os.environ.get("SPP_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
MODELS = ["gpt-4o-mini", "claude-sonnet"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pg_reachable() -> bool:
    u = make_url(PG_URL)
    try:
        with socket.create_connection((u.host or "127.0.0.1", u.port or 5432), timeout=1):
            return True
    except OSError:
        return False


def _pg_admin(sql: str) -> None:
    import asyncpg

    u = make_url(PG_URL)

    async def go() -> None:
        conn = await asyncpg.connect(host=u.host, port=u.port or 5432, user=u.username, password=u.password,
                                     database=u.database)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(go())


def pg_url_for_schema(schema: str, port: int | None = None) -> str:
    u = make_url(PG_URL)
    if port is not None:
        u = u.set(port=port)
    base = u.set(query={}).render_as_string(hide_password=False)
    return f"{base}?options={quote('-csearch_path=' + schema, safe='')}"


@contextlib.contextmanager
def pg_schema() -> Iterator[str]:
    """A fresh schema in database `test`, dropped afterwards. Skips when PostgreSQL is not running."""
    if not pg_reachable():
        pytest.skip(f"PostgreSQL not reachable at {make_url(PG_URL).render_as_string(hide_password=True)}")
    schema = "spp_t_" + uuid.uuid4().hex[:12]
    _pg_admin(f'CREATE SCHEMA "{schema}"')
    try:
        yield schema
    finally:
        _pg_admin(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def make_settings(url: str, data_dir: Any, **usage: Any) -> Settings:
    return parse_settings({
        "model_list": [{"model_name": m, "litellm_params": {"model": f"openai/{m}"}} for m in MODELS],
        "database_url": url,
        "data_dir": str(data_dir),
        "usage": usage,
    })


def make_ctx(*, user: str = "alice", team: str = "payments", model: str = "gpt-4o-mini",
             outcome: str = "passed", status: int = 200, age_s: float = 0.0, **fields: Any) -> Context:
    ctx = Context(principal=Principal(user=user, team=team, key_id="key_0123abcd"), endpoint="chat",
                  model=model, upstream_model=f"openai/{model}")
    ctx.started_at = time.time() - age_s
    ctx.outcome = outcome
    ctx.status = status
    for k, v in fields.items():
        setattr(ctx, k, v)
    return ctx


def finding(rule_id: str = "py.sql-injection", cwe: str = "CWE-89", severity: str = "high",
            action: str = "annotate") -> CodeFinding:
    return CodeFinding(rule_id=rule_id, cwe=cwe, owasp="A03:2021", severity=severity, message="m", fix="f",
                       line=3, language="python", action=action)


class TcpRelay:
    """Forwards 127.0.0.1:<port> to a target; `stop()` closes the port and every open connection."""

    def __init__(self, target_host: str, target_port: int, port: int | None = None) -> None:
        self.target = (target_host, target_port)
        self.port = port or free_port()
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port, reuse_address=True)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for w in list(self._writers):
                w.close()
            await self._server.wait_closed()
            self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            ur, uw = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, uw}

        async def pipe(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
            try:
                while data := await r.read(65536):
                    w.write(data)
                    await w.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                w.close()

        await asyncio.gather(pipe(reader, uw), pipe(ur, writer), return_exceptions=True)
        self._writers -= {writer, uw}
