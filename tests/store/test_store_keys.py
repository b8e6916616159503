"""KeyStore: only hashes stored, lookup with a short cache, revoke visible across instances."""

from __future__ import annotations

import asyncio
import hashlib

from sqlalchemy import select, text

from proxy.store.db import Database
from proxy.store.keys import KeyStore
from proxy.store.models import ApiKey


def test_create_lookup_revoke_list(db_url: str) -> None:
    async def go() -> None:
        db = Database(db_url)
        await db.upgrade()
        ks = KeyStore(db, cache_ttl_s=0.2)
        other = KeyStore(db, cache_ttl_s=0.2)  # another worker process
        key_id, plain = await ks.create("alice", "payments")
        assert plain.startswith("spp-") and len(plain) > 40 and key_id.startswith("key_")

        info = await ks.lookup(plain)
        assert info is not None and (info.key_id, info.user, info.team) == (key_id, "alice", "payments")
        assert await ks.lookup(plain + "x") is None
        assert await ks.lookup("") is None

        # Only the sha256 is stored; the plaintext appears nowhere in the table.
        async with db.sessions() as s:
            row = (await s.execute(select(ApiKey))).scalar_one()
            dump = " ".join(str(v) for v in (await s.execute(text("SELECT * FROM api_keys"))).one())
        assert row.key_hash == hashlib.sha256(plain.encode()).hexdigest()
        assert plain not in dump and plain[4:] not in dump

        # A miss is cached briefly; a key created meanwhile works once the TTL has passed.
        assert await other.lookup("spp-not-yet") is None
        assert await other.lookup(plain) is not None
        await ks.drain()
        await other.drain()

        assert await ks.revoke(key_id) is True
        assert await ks.revoke(key_id) is False
        assert await ks.lookup(plain) is None  # the revoking process forgets at once
        assert await other.lookup(plain) is not None  # the other process still has it cached ...
        await asyncio.sleep(0.25)
        assert await other.lookup(plain) is None  # ... for at most the TTL

        k2, _ = await ks.create("bob", "platform")
        listed = await ks.list()
        assert [k.key_id for k in listed] == [key_id, k2]
        assert listed[0].revoked_at is not None and listed[1].active
        assert [k.key_id for k in await ks.list(include_revoked=False)] == [k2]
        got = await ks.get(key_id)
        assert got is not None and got.last_used_at is not None  # touched by the lookup
        await db.dispose()

    asyncio.run(go())


def test_cache_is_bounded(tmp_path: object) -> None:
    async def go() -> None:
        db = Database(f"sqlite:///{tmp_path}/k.db")
        await db.upgrade()
        ks = KeyStore(db, max_cache=50)
        for i in range(200):
            assert await ks.lookup(f"spp-random-{i}") is None
        assert len(ks._cache) <= 50
        await db.dispose()

    asyncio.run(go())


def test_keys_cli_helpers(db_url: str, tmp_path: object) -> None:
    from proxy.store.keys_cli import create_key, list_keys, revoke_key
    from tests.store.support import make_settings

    settings = make_settings(db_url, tmp_path)
    key_id, plain = asyncio.run(create_key(settings, "dana", "security"))
    table = asyncio.run(list_keys(settings))
    assert key_id in table and "dana" in table and "active" in table
    assert plain not in table and hashlib.sha256(plain.encode()).hexdigest() not in table
    assert asyncio.run(revoke_key(settings, key_id)) is True
    assert asyncio.run(revoke_key(settings, "key_missing")) is False
    assert "revoked" in asyncio.run(list_keys(settings))
