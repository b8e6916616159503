"""Table definitions. The migrations in `migrations/versions` are the source of truth for the schema;
these classes must stay in step with them (a test compares both)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = JSON().with_variant(JSONB(), "postgresql")
BigId = BigInteger().with_variant(Integer(), "sqlite")  # SQLite only autoincrements INTEGER PRIMARY KEY


class UTCDateTime(TypeDecorator[datetime]):
    """Always UTC: aware in Python, `timestamptz` in PostgreSQL, naive UTC text in SQLite (ranges compare)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSONType, list[Any]: JSONType}


class Usage(Base):
    """One row per request, also refused and failed ones. Counts, types and ids only: never values."""

    __tablename__ = "usage"

    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    time: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    user: Mapped[str] = mapped_column(String(200), index=True, default="")
    team: Mapped[str] = mapped_column(String(200), index=True, default="")
    key_id: Mapped[str] = mapped_column(String(64), default="")
    endpoint: Mapped[str] = mapped_column(String(32), default="")
    model: Mapped[str] = mapped_column(String(200), index=True, default="")
    upstream_model: Mapped[str] = mapped_column(String(200), default="")
    stream: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(String(32), index=True, default="")
    error_type: Mapped[str] = mapped_column(String(64), default="")
    latency_ms: Mapped[float] = mapped_column(Float, default=0.0)
    upstream_ms: Mapped[float] = mapped_column(Float, default=0.0)
    overhead_ms: Mapped[float] = mapped_column(Float, default=0.0)
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    redaction_count: Mapped[int] = mapped_column(Integer, default=0)
    finding_count: Mapped[int] = mapped_column(Integer, default=0)
    code_blocks: Mapped[int] = mapped_column(Integer, default=0)
    redactions: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    findings: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    templates: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    stage_ms: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    redacted_prompt: Mapped[str | None] = mapped_column(Text, nullable=True)


class CodeFingerprint(Base):
    """One row per window hash of a returned code block, for `spp provenance`."""

    __tablename__ = "code_fingerprints"
    __table_args__ = (
        UniqueConstraint("request_id", "block_hash", "hash", "first_line",
                         name="uq_code_fingerprints_window"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    hash: Mapped[str] = mapped_column(String(64), index=True)
    block_hash: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[str] = mapped_column(String(64), index=True)
    time: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    user: Mapped[str] = mapped_column(String(200), default="")
    team: Mapped[str] = mapped_column(String(200), default="")
    model: Mapped[str] = mapped_column(String(200), default="")
    first_line: Mapped[int] = mapped_column(Integer, default=0)
    last_line: Mapped[int] = mapped_column(Integer, default=0)


class ApiKey(Base):
    """Client keys: only the sha256 of the key is stored; the plaintext is shown once at creation."""

    __tablename__ = "api_keys"

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user: Mapped[str] = mapped_column(String(200))
    team: Mapped[str] = mapped_column(String(200))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


Index("ix_usage_team_time", Usage.team, Usage.time)
