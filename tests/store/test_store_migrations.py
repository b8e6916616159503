"""Migrations run on fresh SQLite and PostgreSQL databases, are idempotent and match the models."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import inspect

from proxy.store.db import MIGRATIONS_DIR, Database, async_url, upgrade
from proxy.store.models import Base


def test_async_url_conversion() -> None:
    u, args = async_url("sqlite:///./.spp/usage.db")
    assert u.drivername == "sqlite+aiosqlite" and u.database == "./.spp/usage.db" and args == {}
    u, args = async_url("postgresql://bob:pw@db:5432/app?options=-csearch_path%3Daudit&sslmode=require")
    assert u.drivername == "postgresql+asyncpg" and dict(u.query) == {}
    assert args == {"server_settings": {"search_path": "audit"}, "ssl": "require"}
    u, _ = async_url("postgres://db/app")
    assert u.drivername == "postgresql+asyncpg"
    u, _ = async_url("postgresql+asyncpg://db/app")
    assert u.drivername == "postgresql+asyncpg"
    with pytest.raises(ValueError, match="unsupported"):
        async_url("mysql://db/app")


def test_password_never_in_safe_url() -> None:
    db = Database("postgresql://bob:hunter2-secret@127.0.0.1:1/app")
    assert "hunter2-secret" not in db.safe_url()
    asyncio.run(db.dispose())


def test_migration_files_are_package_data() -> None:
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert (MIGRATIONS_DIR / "__init__.py").is_file()
    assert (MIGRATIONS_DIR / "versions" / "__init__.py").is_file()
    assert (MIGRATIONS_DIR / "versions" / "0001_initial.py").is_file()


def _schema(db_url: str) -> tuple[set[str], dict[str, set[str]], list[object]]:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    async def go() -> tuple[set[str], dict[str, set[str]], list[object]]:
        db = Database(db_url)
        try:
            await db.upgrade()
            await db.upgrade()  # idempotent

            def inspect_sync(conn):  # type: ignore[no-untyped-def]
                insp = inspect(conn)
                tables = set(insp.get_table_names())
                idx = {t: {i["name"] for i in insp.get_indexes(t)} for t in tables}
                diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}),
                                        Base.metadata)
                return tables, idx, diff

            async with db.engine.connect() as conn:
                return await conn.run_sync(inspect_sync)
        finally:
            await db.dispose()

    return asyncio.run(go())


def test_upgrade_fresh_database(db_url: str) -> None:
    tables, idx, diff = _schema(db_url)
    assert {"usage", "code_fingerprints", "api_keys", "alembic_version"} <= tables
    assert {f"ix_usage_{c}" for c in ("time", "user", "team", "model", "outcome")} <= idx["usage"]
    assert "ix_code_fingerprints_hash" in idx["code_fingerprints"]
    assert diff == [], f"models.py and the migrations differ: {diff}"


def test_sync_upgrade_for_cli(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nested' / 'dir' / 'usage.db'}"
    upgrade(url)
    upgrade(url)
    assert (tmp_path / "nested" / "dir" / "usage.db").is_file()
