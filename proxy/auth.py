"""API-key authentication: the admin key from the environment, per-user keys from the key store."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping
from typing import Protocol

from proxy.api.errors import ApiError
from proxy.pipeline.context import Principal

log = logging.getLogger("spp.auth")

ADMIN = Principal(user="admin", team="default", key_id="master", is_admin=True)
ANONYMOUS = Principal(user="anonymous", team="default", key_id="none")


class KeyInfoLike(Protocol):
    @property
    def key_id(self) -> str: ...
    @property
    def user(self) -> str: ...
    @property
    def team(self) -> str: ...


class KeyLookup(Protocol):
    async def lookup(self, plaintext: str) -> KeyInfoLike | None: ...


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The key from `Authorization: Bearer …` or `x-api-key` (Anthropic-style clients)."""
    auth = headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    key = headers.get("x-api-key", "").strip()
    return key or None


class Authenticator:
    def __init__(self, master_key: str | None, keys: KeyLookup | None, allow_unauthenticated: bool = False) -> None:
        self._master = master_key.encode() if master_key else None
        self._keys = keys
        self._open = allow_unauthenticated
        if allow_unauthenticated:
            log.warning("auth.allow_unauthenticated is ON: anyone who can reach the proxy can use it")

    def is_master(self, key: str | None) -> bool:
        return bool(key and self._master and hmac.compare_digest(key.encode(), self._master))

    async def authenticate(self, headers: Mapping[str, str]) -> Principal:
        key = presented_key(headers)
        if key is None:
            if self._open:
                return ANONYMOUS
            raise ApiError(401, "Missing API key. Send 'Authorization: Bearer <key>'.", code="missing_api_key",
                           outcome="refused")
        if self.is_master(key):
            return ADMIN
        try:
            info = await self._keys.lookup(key) if self._keys is not None else None
        except Exception:  # fail closed with a clear, retryable error rather than a 500
            log.error("API key lookup failed: key store unavailable")
            raise ApiError(503, "The API key store is unavailable; try again shortly.", code="auth_unavailable",
                           outcome="refused", type="api_error") from None
        if info is None:
            raise ApiError(401, "Invalid API key.", code="invalid_api_key", outcome="refused")
        return Principal(user=info.user, team=info.team, key_id=info.key_id)

    async def require_admin(self, headers: Mapping[str, str]) -> Principal:
        key = presented_key(headers)
        if not self.is_master(key):
            raise ApiError(401 if key is None else 403, "Admin key required.", code="admin_required",
                           outcome="refused")
        return ADMIN
