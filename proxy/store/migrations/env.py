"""Alembic environment. Normally driven in code by proxy.store.db (which passes a live connection);
`alembic -x url=... upgrade head` with a Config whose script_location points here also works."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from proxy.store.models import Base

config = context.config
target_metadata = Base.metadata


def _configure_and_run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL: pass -x url=... or use `spp` which migrates automatically")
    return url


async def _run_with_own_engine() -> None:
    from proxy.store.db import Database

    db = Database(_url())
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(_configure_and_run)
    finally:
        await db.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif (conn := config.attributes.get("connection")) is not None:
    _configure_and_run(conn)
else:
    asyncio.run(_run_with_own_engine())
