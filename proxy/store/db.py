"""Engine creation and migrations.

Plain `sqlite:///` and `postgresql://` URLs (what users write in config.yaml) are turned into their async
drivers here (aiosqlite, asyncpg), and libpq-style query options that asyncpg does not understand
(`options=-csearch_path=...`, `sslmode`, `connect_timeout`, `application_name`) are translated.
The URL may carry a password: only `safe_url()` is ever logged.
"""

from __future__ import annotations

import asyncio
import logging
import shlex
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import StaticPool

log = logging.getLogger("spp.store")

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_PG_LOCK_ID = 0x5F5F_7370_7000  # serialises concurrent upgrades from several workers


def async_url(url: str) -> tuple[URL, dict[str, Any]]:
    """(async URL, connect_args) for a user-supplied database URL."""
    u = make_url(url)
    backend = u.get_backend_name()
    if backend == "sqlite":
        return u.set(drivername="sqlite+aiosqlite"), {}
    if backend in ("postgresql", "postgres"):
        query = dict(u.query)
        connect_args: dict[str, Any] = {}
        server_settings: dict[str, str] = {}
        options = query.pop("options", None)
        if options:
            for opt in _as_list(options):
                server_settings.update(_parse_pg_options(opt))
        if "application_name" in query:
            server_settings["application_name"] = str(query.pop("application_name"))
        if "sslmode" in query:
            connect_args["ssl"] = str(query.pop("sslmode"))
        if "connect_timeout" in query:
            connect_args["timeout"] = float(str(query.pop("connect_timeout")))
        if server_settings:
            connect_args["server_settings"] = server_settings
        return u.set(drivername="postgresql+asyncpg", query=query), connect_args
    raise ValueError(f"unsupported database URL scheme {u.drivername!r} (use sqlite:/// or postgresql://)")


def _as_list(v: Any) -> list[str]:
    return [str(x) for x in v] if isinstance(v, tuple | list) else [str(v)]


def _parse_pg_options(opt: str) -> dict[str, str]:
    """libpq `options`: '-c search_path=x -csearch_path=y' -> server settings."""
    out: dict[str, str] = {}
    tokens = shlex.split(opt)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok == "-c" and i + 1 < len(tokens):
            tok, i = tokens[i + 1], i + 1
        elif tok.startswith("-c"):
            tok = tok[2:]
        else:
            raise ValueError("unsupported PostgreSQL 'options' in database_url (only -c name=value)")
        name, sep, value = tok.partition("=")
        if not sep:
            raise ValueError("unsupported PostgreSQL 'options' in database_url (only -c name=value)")
        out[name.replace("-", "_")] = value
        i += 1
    return out


class Database:
    """One async engine + session factory for one database URL."""

    def __init__(self, url: str, *, connect_timeout: float = 5.0, echo: bool = False) -> None:
        self.url = url
        aurl, connect_args = async_url(url)
        self.dialect = aurl.get_backend_name()
        kwargs: dict[str, Any] = {"echo": echo, "pool_pre_ping": True}
        if self.dialect == "sqlite":
            database = aurl.database or ""
            if database in ("", ":memory:"):
                kwargs["poolclass"] = StaticPool
            else:
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            connect_args.setdefault("timeout", 30)
        else:
            connect_args.setdefault("timeout", connect_timeout)
            connect_args.setdefault("command_timeout", 60)
        self._safe = aurl.render_as_string(hide_password=True)
        self.engine: AsyncEngine = create_async_engine(aurl, connect_args=connect_args, **kwargs)
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, expire_on_commit=False)

    def safe_url(self) -> str:
        return self._safe

    async def ping(self, timeout: float = 3.0) -> bool:
        """True when a trivial query succeeds within `timeout` seconds."""
        try:
            async with asyncio.timeout(timeout):
                async with self.engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - any failure means "not reachable"
            return False

    async def upgrade(self) -> None:
        """Apply all Alembic migrations (idempotent)."""
        async with self.engine.begin() as conn:
            await conn.run_sync(_upgrade_sync)

    async def dispose(self) -> None:
        await self.engine.dispose()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets `spp logs` read while the proxy writes; busy_timeout waits instead of failing on a lock.
    cur = dbapi_conn.cursor()
    try:
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA synchronous=NORMAL")
    finally:
        cur.close()


def alembic_config(connection: Connection | None = None) -> Any:
    """An Alembic Config built in code: no alembic.ini is needed anywhere."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _upgrade_sync(connection: Connection) -> None:
    from alembic import command

    if connection.dialect.name == "postgresql":
        connection.execute(text(f"SELECT pg_advisory_xact_lock({_PG_LOCK_ID})"))
    command.upgrade(alembic_config(connection), "head")


async def upgrade_async(url: str) -> None:
    db = Database(url)
    try:
        await db.upgrade()
    finally:
        await db.dispose()


def upgrade(url: str) -> None:
    """Migrate `url` to the latest schema. For the CLI (no running loop); the app uses Database.upgrade."""
    asyncio.run(upgrade_async(url))
