"""Dashboard login sessions: an HMAC-signed, expiring token in an HttpOnly cookie.

Browsers cannot attach a bearer header to a page load, so the dashboard has a login form that takes
the admin key once and sets a cookie. The cookie holds a signed token (expiry + random id), never
the key. The signing secret is derived from the admin key, so rotating the key ends all sessions;
logout revokes the token id in this process.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

COOKIE = "spp_admin_session"
DEFAULT_TTL_S = 8 * 3600


def session_secret_from_key(admin_key: str) -> bytes:
    return hashlib.sha256(b"spp-admin-session\x00" + admin_key.encode("utf-8")).digest()


class SessionSigner:
    def __init__(self, secret: bytes | None = None, ttl_s: int = DEFAULT_TTL_S) -> None:
        # Without a configured secret, sessions last until restart (and are per worker process).
        self._secret = secret or secrets.token_bytes(32)
        self.ttl_s = ttl_s
        self._revoked: dict[str, int] = {}

    def _sign(self, payload: str) -> str:
        return hmac.new(self._secret, payload.encode("ascii"), hashlib.sha256).hexdigest()

    def issue(self) -> str:
        payload = f"v1.{int(time.time()) + self.ttl_s}.{secrets.token_hex(12)}"
        return f"{payload}.{self._sign(payload)}"

    def verify(self, token: str | None) -> bool:
        if not token or len(token) > 200:
            return False
        payload, _, sig = token.rpartition(".")
        parts = payload.split(".")
        if len(parts) != 3 or parts[0] != "v1" or not parts[1].isdigit():
            return False
        if not hmac.compare_digest(self._sign(payload), sig):
            return False
        return int(parts[1]) > time.time() and parts[2] not in self._revoked

    def revoke(self, token: str | None) -> None:
        if self.verify(token):
            assert token is not None
            _, exp, tid = token.rsplit(".", 1)[0].split(".")
            now = time.time()
            self._revoked = {k: v for k, v in self._revoked.items() if v > now}
            self._revoked[tid] = int(exp)
