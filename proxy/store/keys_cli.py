"""`spp keys create|list|revoke`: thin async helpers over KeyStore that open and close the database."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from proxy.settings import Settings
from proxy.store.db import Database
from proxy.store.keys import KeyInfo, KeyStore

T = TypeVar("T")


async def _with_store(settings: Settings, fn: Callable[[KeyStore], Awaitable[T]]) -> T:
    db = Database(settings.resolved_database_url)
    try:
        await db.upgrade()
        return await fn(KeyStore(db))
    finally:
        await db.dispose()


async def create_key(settings: Settings, user: str, team: str) -> tuple[str, str]:
    """(key_id, plaintext): print the plaintext once; only its hash is stored."""
    return await _with_store(settings, lambda ks: ks.create(user, team))


async def revoke_key(settings: Settings, key_id: str) -> bool:
    return await _with_store(settings, lambda ks: ks.revoke(key_id))


async def list_keys(settings: Settings, include_revoked: bool = True) -> str:
    """A table of key ids, users, teams and dates (never a key or its hash)."""
    keys = await _with_store(settings, lambda ks: ks.list(include_revoked))
    return format_keys(keys)


def _when(dt: object) -> str:
    return dt.strftime("%Y-%m-%d %H:%M") if dt is not None else "-"  # type: ignore[attr-defined]


def format_keys(keys: list[KeyInfo]) -> str:
    if not keys:
        return "no keys"
    header = ["KEY_ID", "USER", "TEAM", "CREATED (UTC)", "LAST USED", "STATUS"]
    rows = [[k.key_id, k.user, k.team, _when(k.created_at), _when(k.last_used_at),
             "active" if k.active else f"revoked {_when(k.revoked_at)}"] for k in keys]
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)
