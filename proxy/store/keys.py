"""API key store: only sha256(key) is kept; the plaintext is returned once by `create`.

Lookups are cached in-process for a few seconds (hits and misses), so the auth path costs one
dict lookup, while a key created or revoked in another process takes effect within the TTL.
Keys are high-entropy random tokens, so an unsalted fast hash is the right tool (as GitHub and
Stripe do for API tokens); password hashing would only slow every request down.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import hashlib
import hmac
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from proxy.store.db import Database
from proxy.store.models import ApiKey

log = logging.getLogger("spp.store.keys")

KEY_PREFIX = "spp-"
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class KeyInfo:
    key_id: str
    user: str
    team: str
    created_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def hash_key(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def _info(row: ApiKey) -> KeyInfo:
    return KeyInfo(key_id=row.key_id, user=row.user, team=row.team, created_at=row.created_at,
                   revoked_at=row.revoked_at, last_used_at=row.last_used_at)

OUTAGE_GRACE_S = 900.0


class KeyStoreUnavailable(Exception):  # noqa: N818
    """The key database cannot be reached and the key was not verified recently."""


class KeyStore:
    def __init__(self, db: Database, *, cache_ttl_s: float = 5.0, max_cache: int = 10_000) -> None:
        self.db = db
        self.cache_ttl_s = min(cache_ttl_s, 5.0)
        self.max_cache = max_cache
        self._cache: dict[str, tuple[float, KeyInfo | None]] = {}
        # Keys verified recently keep working through a database outage for a bounded time, so an
        # outage of the usage store (whose records spill to disk) does not become an outage for users.
        self.outage_grace_s = OUTAGE_GRACE_S
        self._verified: dict[str, tuple[float, KeyInfo]] = {}
        self._touch_tasks: set[asyncio.Task[None]] = set()

    async def create(self, user: str, team: str) -> tuple[str, str]:
        """(key_id, plaintext). Show the plaintext once; it cannot be recovered later."""
        if not user or not team:
            raise ValueError("user and team are required")
        key_id = "key_" + secrets.token_hex(8)
        plaintext = KEY_PREFIX + secrets.token_urlsafe(32)
        digest = hash_key(plaintext)
        async with self.db.sessions.begin() as s:
            s.add(ApiKey(key_id=key_id, user=user, team=team, key_hash=digest, created_at=datetime.now(UTC)))
        self._cache.pop(digest, None)
        return key_id, plaintext

    async def lookup(self, plaintext: str) -> KeyInfo | None:
        """The active key's owner, or None (unknown or revoked)."""
        if not plaintext or len(plaintext) > 512:
            return None
        digest = hash_key(plaintext)
        now = time.monotonic()
        hit = self._cache.get(digest)
        if hit is not None and hit[0] > now:
            return hit[1]
        try:
            async with self.db.sessions() as s:
                row = (await s.execute(select(ApiKey).where(ApiKey.key_hash == digest))).scalar_one_or_none()
        except Exception:
            seen = self._verified.get(digest)
            if seen is not None and now - seen[0] < self.outage_grace_s:
                log.warning("key store unreachable: accepting key %s verified %.0f s ago", seen[1].key_id,
                            now - seen[0])
                return seen[1]
            raise KeyStoreUnavailable() from None
        info = None
        if row is not None and hmac.compare_digest(row.key_hash, digest) and row.revoked_at is None:
            info = _info(row)
            self._touch(info)
            if len(self._verified) >= self.max_cache:
                self._verified.clear()
            self._verified[digest] = (now, info)
        else:
            self._verified.pop(digest, None)
        self._remember(digest, info, now)
        return info

    async def revoke(self, key_id: str) -> bool:
        """True if an active key was revoked. Other processes notice within the cache TTL."""
        async with self.db.sessions.begin() as s:
            res = await s.execute(update(ApiKey).where(ApiKey.key_id == key_id, ApiKey.revoked_at.is_(None))
                                  .values(revoked_at=datetime.now(UTC)))
        self._cache = {k: v for k, v in self._cache.items() if v[1] is None or v[1].key_id != key_id}
        return bool(res.rowcount)  # type: ignore[attr-defined]

    async def get(self, key_id: str) -> KeyInfo | None:
        async with self.db.sessions() as s:
            row = await s.get(ApiKey, key_id)
        return _info(row) if row is not None else None

    def clear_cache(self) -> None:
        self._cache.clear()

    def _remember(self, digest: str, info: KeyInfo | None, now: float) -> None:
        if len(self._cache) >= self.max_cache:
            self._cache = {k: v for k, v in self._cache.items() if v[0] > now}
            if len(self._cache) >= self.max_cache:  # flooded with random keys: start over
                self._cache.clear()
        self._cache[digest] = (now + self.cache_ttl_s, info)

    def _touch(self, info: KeyInfo) -> None:
        """Update last_used_at in the background, at most once a minute per key."""
        now = datetime.now(UTC)
        if info.last_used_at is not None and now - info.last_used_at < LAST_USED_RESOLUTION:
            return
        task = asyncio.create_task(self._write_last_used(info.key_id, now))
        self._touch_tasks.add(task)
        task.add_done_callback(self._touch_tasks.discard)

    async def _write_last_used(self, key_id: str, when: datetime) -> None:
        try:
            async with self.db.sessions.begin() as s:
                await s.execute(update(ApiKey).where(ApiKey.key_id == key_id).values(last_used_at=when))
        except Exception as exc:  # noqa: BLE001 - bookkeeping only; never fail a request for it
            log.debug("could not update last_used_at (%s)", type(exc).__name__)

    async def drain(self) -> None:
        """Wait for pending last_used_at updates (call before closing the database)."""
        if self._touch_tasks:
            with contextlib.suppress(Exception):
                await asyncio.gather(*self._touch_tasks, return_exceptions=True)

    async def list(self, include_revoked: bool = True) -> builtins.list[KeyInfo]:
        async with self.db.sessions() as s:
            stmt = select(ApiKey).order_by(ApiKey.created_at, ApiKey.key_id)
            if not include_revoked:
                stmt = stmt.where(ApiKey.revoked_at.is_(None))
            rows = (await s.execute(stmt)).scalars().all()
        return [_info(r) for r in rows]
