"""`spp provenance PATH...`: which code in a repository came from the assistant.

Every file is cut into windows of consecutive significant lines (whitespace ignored, see
proxy.store.codehash) and each window hash is looked up among the fingerprints of code the proxy
returned. Matching windows of the same returned block are merged into line ranges, so a block that
was pasted into a larger file, re-indented or partly edited is still found.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from proxy.settings import Settings
from proxy.store.codehash import WINDOW_LINES, normalise_lines, window_fingerprints
from proxy.store.db import Database
from proxy.store.models import CodeFingerprint

SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".nox",
                       ".mypy_cache", ".pytest_cache", ".ruff_cache", ".spp", ".idea", ".gradle"})
MAX_BYTES = 1_000_000
_CHUNK = 500


@dataclass
class Match:
    file: str
    first_line: int
    last_line: int
    request_id: str
    time: str
    user: str
    team: str
    model: str
    block_hash: str
    windows_matched: int
    block_windows: int


def iter_files(paths: Iterable[str], max_bytes: int = MAX_BYTES) -> Iterator[Path]:
    """Regular files under `paths`, skipping VCS/dependency/cache folders, symlinks and big files."""
    for p in map(Path, paths):
        if p.is_file() and not p.is_symlink():
            if p.stat().st_size <= max_bytes:
                yield p
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not (Path(root) / d).is_symlink())
            for name in sorted(files):
                f = Path(root) / name
                try:
                    if not f.is_symlink() and f.is_file() and f.stat().st_size <= max_bytes:
                        yield f
                except OSError:
                    continue


def read_text(path: Path) -> str | None:
    """The file as text, or None for binaries (a NUL byte, or not UTF-8)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b"\x00" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def file_windows(text: str, min_lines: int) -> dict[str, list[tuple[int, int]]]:
    """hash -> [(first, last)] for windows of min_lines..WINDOW_LINES significant lines.

    Stored blocks shorter than WINDOW_LINES have one hash over all their lines, so windows of each
    shorter size are hashed too; blocks below `min_lines` are too generic to attribute.
    """
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    if len(normalise_lines(text)) < min_lines:
        return out
    for k in range(max(1, min_lines), WINDOW_LINES + 1):
        for h, first, last in window_fingerprints(text, k):
            if (first, last) not in out[h]:
                out[h].append((first, last))
    return out


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for a, b in sorted(ranges):
        if merged and a <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


async def blocks_without_windows(db: Database) -> int:
    """Blocks recorded with only a whole-block hash: provenance cannot locate those in files."""
    stmt = select(func.count()).select_from(CodeFingerprint).where(
        CodeFingerprint.first_line == 0, CodeFingerprint.last_line == 0)
    async with db.sessions() as s:
        return int((await s.execute(stmt)).scalar_one())


async def find_matches(db: Database, paths: list[str], min_lines: int = 3) -> tuple[list[Match], int]:
    """(matches sorted by file and line, number of files scanned)."""
    per_file: dict[str, dict[str, list[tuple[int, int]]]] = {}
    scanned = 0
    for f in iter_files(paths):
        text = read_text(f)
        if text is None:
            continue
        scanned += 1
        wins = file_windows(text, min_lines)
        if wins:
            per_file[str(f)] = wins
    all_hashes = sorted({h for wins in per_file.values() for h in wins})
    stored: dict[str, list[CodeFingerprint]] = defaultdict(list)
    async with db.sessions() as s:
        for i in range(0, len(all_hashes), _CHUNK):
            chunk = all_hashes[i:i + _CHUNK]
            stmt = select(CodeFingerprint).where(CodeFingerprint.hash.in_(chunk))
            for row in (await s.execute(stmt)).scalars():
                stored[row.hash].append(row)
        keys = {(r.request_id, r.block_hash) for rows in stored.values() for r in rows}
        sizes: dict[tuple[str, str], int] = {}
        req_ids = sorted({k[0] for k in keys})
        for i in range(0, len(req_ids), _CHUNK):
            count = (select(CodeFingerprint.request_id, CodeFingerprint.block_hash, func.count())
                    .where(CodeFingerprint.request_id.in_(req_ids[i:i + _CHUNK]))
                    .group_by(CodeFingerprint.request_id, CodeFingerprint.block_hash))
            for rid, bh, n in (await s.execute(count)).all():
                sizes[(rid, bh)] = int(n)

    matches: list[Match] = []
    for fname, wins in per_file.items():
        groups: dict[tuple[str, str], tuple[CodeFingerprint, list[tuple[int, int]], set[str]]] = {}
        for h, ranges in wins.items():
            for row in stored.get(h, []):
                key = (row.request_id, row.block_hash)
                g = groups.setdefault(key, (row, [], set()))
                g[1].extend(ranges)
                g[2].add(h)
        for (rid, bh), (row, ranges, hashes) in groups.items():
            for a, b in _merge(ranges):
                matches.append(Match(file=fname, first_line=a, last_line=b, request_id=rid,
                                     time=row.time.isoformat(), user=row.user, team=row.team, model=row.model,
                                     block_hash=bh, windows_matched=len(hashes),
                                     block_windows=sizes.get((rid, bh), len(hashes))))
    matches.sort(key=lambda m: (m.file, m.first_line, m.time, m.request_id))
    return matches, scanned


def format_matches(matches: list[Match], scanned: int, fmt: str, unlocatable: int = 0) -> str:
    if fmt == "json":
        return json.dumps({"files_scanned": scanned, "matches": [asdict(m) for m in matches],
                           "blocks_without_windows": unlocatable}, indent=2)
    lines = []
    for m in matches:
        when = m.time[:16].replace("T", " ")
        lines.append(f"{m.file}:{m.first_line}-{m.last_line}  {when} UTC  user={m.user} team={m.team} "
                     f"model={m.model}  {m.request_id}  ({m.windows_matched}/{m.block_windows} windows)")
    files = len({m.file for m in matches})
    lines.append(f"{len(matches)} match(es) in {files} file(s); {scanned} file(s) scanned")
    if unlocatable:
        lines.append(f"note: {unlocatable} returned block(s) were recorded without line-window hashes "
                     "and cannot be located in files")
    return "\n".join(lines)


def run_provenance(settings: Settings, paths: list[str], fmt: str = "text", *, min_lines: int = 3,
                   fail_on_match: bool = False) -> tuple[str, int]:
    """(report, exit code): 0 done, 1 matches found and `fail_on_match`, 2 bad arguments.

    `fmt`: "table" (or "text") for one line per match, "json" for a document.
    """
    if fmt not in ("table", "text", "json"):
        return "--format must be table or json", 2
    missing = [p for p in paths if not Path(p).exists()]
    if missing or not paths:
        return f"no such path: {missing[0] if missing else '(none given)'}", 2

    async def go() -> tuple[list[Match], int, int]:
        db = Database(settings.resolved_database_url)
        try:
            await db.upgrade()
            matches, scanned = await find_matches(db, paths, min_lines)
            return matches, scanned, await blocks_without_windows(db)
        finally:
            await db.dispose()

    matches, scanned, unlocatable = asyncio.run(go())
    return format_matches(matches, scanned, fmt, unlocatable), (1 if matches and fail_on_match else 0)


def match_dicts(matches: list[Match]) -> list[dict[str, Any]]:
    return [asdict(m) for m in matches]
