"""Initial schema: usage, code_fingerprints, api_keys.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "usage",
        sa.Column("request_id", sa.String(64), nullable=False),
        _ts("time"),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("team", sa.String(200), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("endpoint", sa.String(32), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("upstream_model", sa.String(200), nullable=False),
        sa.Column("stream", sa.Boolean(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("error_type", sa.String(64), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("upstream_ms", sa.Float(), nullable=False),
        sa.Column("overhead_ms", sa.Float(), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("redaction_count", sa.Integer(), nullable=False),
        sa.Column("finding_count", sa.Integer(), nullable=False),
        sa.Column("code_blocks", sa.Integer(), nullable=False),
        sa.Column("redactions", JSONType, nullable=False),
        sa.Column("findings", JSONType, nullable=False),
        sa.Column("templates", JSONType, nullable=False),
        sa.Column("stage_ms", JSONType, nullable=False),
        sa.Column("redacted_prompt", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("request_id", name="pk_usage"),
    )
    for col in ("time", "user", "team", "model", "outcome"):
        op.create_index(f"ix_usage_{col}", "usage", [col])
    op.create_index("ix_usage_team_time", "usage", ["team", "time"])

    op.create_table(
        "code_fingerprints",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("block_hash", sa.String(64), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
        _ts("time"),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("team", sa.String(200), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("first_line", sa.Integer(), nullable=False),
        sa.Column("last_line", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_code_fingerprints"),
        sa.UniqueConstraint("request_id", "block_hash", "hash", "first_line",
                            name="uq_code_fingerprints_window"),
    )
    for col in ("hash", "request_id", "time"):
        op.create_index(f"ix_code_fingerprints_{col}", "code_fingerprints", [col])

    op.create_table(
        "api_keys",
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("team", sa.String(200), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        _ts("created_at"),
        _ts("revoked_at", nullable=True),
        _ts("last_used_at", nullable=True),
        sa.PrimaryKeyConstraint("key_id", name="pk_api_keys"),
        sa.UniqueConstraint("key_hash", name="uq_api_keys_key_hash"),
    )


def downgrade() -> None:
    op.drop_table("api_keys")
    op.drop_table("code_fingerprints")
    op.drop_table("usage")
