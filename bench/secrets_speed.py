"""Secret detector speed: ms per prompt at 1, 4, 32 and 256 KB of typical, secret-free coding text.

Run: .venv/bin/python bench/secrets_speed.py. Not a test: timings depend on the machine; this prints numbers.
The target is p50 < 1 ms at 4 KB and cost linear in size (and flat in the number of rules).
"""

# ruff: noqa: E501  (the sample prompt is verbatim text)
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from proxy.redaction.secrets import SecretDetector  # noqa: E402

_PROMPT = '''I have a Flask app that talks to Postgres and an external API. The token refresh sometimes fails with a
401 after the auth middleware runs. Here is the code; can you tell me why the retry does not pick up the new token?

```python
import os
import logging
from datetime import datetime, timedelta

import requests
from flask import Flask, jsonify, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
log = logging.getLogger(__name__)
engine = create_engine(os.environ["DATABASE_URL"], pool_size=5)
API_BASE = "https://api.partner.example/v2"
TOKEN_TTL = timedelta(minutes=55)


class TokenCache:
    """Keeps the partner access token and its expiry."""

    def __init__(self, client_id: str, client_secret: str) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.token: str | None = None
        self.expires_at = datetime.min

    def get(self) -> str:
        if self.token is None or datetime.utcnow() >= self.expires_at:
            resp = requests.post(f"{API_BASE}/oauth/token", data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
            }, timeout=10)
            resp.raise_for_status()
            self.token = resp.json()["access_token"]
            self.expires_at = datetime.utcnow() + TOKEN_TTL
        return self.token


cache = TokenCache(os.getenv("PARTNER_CLIENT_ID", ""), os.getenv("PARTNER_CLIENT_SECRET", ""))


@app.route("/orders/<int:order_id>")
def get_order(order_id: int):
    with engine.connect() as conn:
        row = conn.execute(text("SELECT id, status, total FROM orders WHERE id = :id"), {"id": order_id}).first()
    if row is None:
        return jsonify(error="not found"), 404
    headers = {"Authorization": f"Bearer {cache.get()}"}
    r = requests.get(f"{API_BASE}/shipments/{row.id}", headers=headers, timeout=10)
    if r.status_code == 401:
        cache.token = None
        r = requests.get(f"{API_BASE}/shipments/{row.id}", headers=headers, timeout=10)
    return jsonify(id=row.id, status=row.status, total=float(row.total), shipment=r.json())
```

The lockfile pins requests==2.32.3 and the CI image is python:3.11-slim@sha256:3f1e0c7d2b9a8c6e5f4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29.
Commit 9fceb02d0ae598e95dc970b74767f19372d61af8 introduced the retry. Request id 3b241101-e2bb-4255-8caf-4136c566a962.
'''


def _prompt(size: int) -> str:
    text = _PROMPT
    while len(text) < size:
        text += "\n" + _PROMPT
    return text[:size]


def _time(detector: SecretDetector, text: str, runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        detector.detect(text)
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    t0 = time.perf_counter()
    detector = SecretDetector.default()
    print(f"rules: {len(detector.rules)}  load+compile: {(time.perf_counter() - t0) * 1000:.0f} ms")
    for kb, runs in ((1, 2000), (4, 1000), (32, 200), (256, 30)):
        text = _prompt(kb * 1024)
        detector.detect(text)  # warm the DFA caches
        p50, p95 = _time(detector, text, runs)
        print(
            f"{kb:>4} KB  p50 {p50:7.3f} ms  p95 {p95:7.3f} ms  ({p50 / kb * 1000:6.1f} us/KB)  hits={len(detector.detect(text))}"
        )


if __name__ == "__main__":
    main()
