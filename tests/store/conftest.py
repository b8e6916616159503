from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.store.support import pg_schema, pg_url_for_schema


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new schema in the local PostgreSQL `test` database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db' / 'usage.db'}"
    else:
        with pg_schema() as schema:
            yield pg_url_for_schema(schema)
