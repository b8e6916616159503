"""Usage store: per-request audit records, API keys and code fingerprints (SQLAlchemy 2 async + Alembic)."""
