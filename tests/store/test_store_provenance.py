"""`spp provenance`: find returned code in a repository, even re-indented inside other code."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from proxy.store.codehash import block_fingerprints
from proxy.store.db import Database
from proxy.store.ingest import insert_records
from proxy.store.provenance import run_provenance
from proxy.store.record import build_record
from tests.store.support import make_ctx, make_settings

RETURNED = """\
def fetch_user(conn, user_id):
    cur = conn.cursor()
    cur.execute("SELECT id, name FROM users WHERE id = %s", (user_id,))
    row = cur.fetchone()
    if row is None:
        raise KeyError(user_id)
    return {"id": row[0], "name": row[1]}
"""

SHORT = "import os\nprint(os.getcwd())\n"


def _fp(code: str) -> dict[str, object]:
    fp = block_fingerprints(code)
    assert fp is not None
    return fp


def test_provenance_end_to_end(db_url: str, tmp_path: Path) -> None:
    settings = make_settings(db_url, tmp_path / "data")
    ctx = make_ctx(user="alice", team="payments", model="gpt-4o-mini",
                   code_fingerprints=[_fp(RETURNED), _fp(SHORT)])
    ctx.request_id = "req_provenance_1"
    other = make_ctx(user="bob", team="platform",
                     code_fingerprints=[_fp("x = 1\ny = 2\nz = 3\nw = 4\nv = 5\n"), "ab" * 32])

    async def seed() -> None:
        db = Database(db_url)
        await db.upgrade()
        await insert_records(db, [build_record(ctx), build_record(other)])
        await db.dispose()

    asyncio.run(seed())

    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    # The block, re-indented as a method, with blank lines added, inside other code (starts at line 8).
    indented = "\n".join(("        " + ln) if ln.strip() else "" for ln in RETURNED.splitlines())
    host = ("import sqlite3\n\n\nclass Repo:\n    def __init__(self, conn):\n        self.conn = conn\n\n"
            + indented.replace("fetch_user(conn", "fetch_user(conn", 1) + "\n\n\ndef main():\n    pass\n")
    host = host.replace("        def fetch_user", "    def fetch_user").replace("cursor()\n", "cursor()\n\n")
    (repo / "src" / "repo.py").write_text(host)
    (repo / "src" / "unrelated.py").write_text("print('hello')\n" * 10)
    (repo / "node_modules").mkdir()
    (repo / "node_modules" / "copy.py").write_text(RETURNED)  # skipped folder
    (repo / ".git").mkdir()
    (repo / ".git" / "blob").write_text(RETURNED)
    (repo / "bin.dat").write_bytes(b"\x00\x01" + RETURNED.encode())  # binary: skipped
    (repo / "big.py").write_text(RETURNED + "#" * 1_100_000)  # > 1 MB: skipped
    (repo / "short.py").write_text(SHORT)  # 2 significant lines: below min_lines, not attributed

    out, code = run_provenance(settings, [str(repo)], "json")
    assert code == 0
    report = json.loads(out)
    assert report["files_scanned"] == 3 and report["blocks_without_windows"] == 1
    [m] = report["matches"]
    assert m["file"].endswith("src/repo.py")
    assert (m["first_line"], m["last_line"]) == (8, 15)
    assert (m["user"], m["team"], m["model"], m["request_id"]) == ("alice", "payments", "gpt-4o-mini",
                                                                    "req_provenance_1")
    assert m["windows_matched"] == m["block_windows"] == 4
    assert m["time"][:19] == build_record(ctx)["time"][:19]

    text, code = run_provenance(settings, [str(repo / "src" / "repo.py")], "table", fail_on_match=True)
    assert code == 1 and "repo.py:8-15" in text and "user=alice" in text
    assert "1 match(es) in 1 file(s)" in text

    # A partly edited copy still matches the untouched part.
    edited = RETURNED.replace('raise KeyError(user_id)', 'return None')
    (repo / "src" / "repo.py").write_text(edited)
    [m] = json.loads(run_provenance(settings, [str(repo / "src")], "json")[0])["matches"]
    assert (m["first_line"], m["last_line"]) == (1, 5) and m["windows_matched"] == 2

    assert run_provenance(settings, [str(tmp_path / "missing")], "text")[1] == 2
