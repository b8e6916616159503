"""Code rule engine speed in ms per 50-line block, over every shipped pack (target p50 < 3 ms, p99 < 10 ms).

Two suites, printed side by side:
- typical: 50-line blocks of real code (the Python standard library; JavaScript from any local
  node_modules). The keyword prefilter lets only a few rules through, as with most LLM answers.
- dense: blocks cut from each language's own rule examples, where nearly every rule's keywords
  occur, so nearly every rule runs: a worst case that shows the per-rule cost.

    .venv/bin/python bench/rules_speed.py [--rounds N] [--blocks N] [--clock wall|cpu]

`--clock cpu` times with the thread's CPU clock: on a shared, loaded machine wall-clock percentiles
mostly measure the other processes; CPU time shows what the engine itself costs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import sysconfig
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from proxy.rules.engine import RuleEngine  # noqa: E402

BLOCK_LINES = 50
JS_ROOTS = ("/usr/lib/node_modules", "/usr/local/lib/node_modules", "node_modules")


def _cut(lines: list[str]) -> list[str]:
    starts = range(0, len(lines) - BLOCK_LINES + 1, BLOCK_LINES)
    return ["\n".join(lines[i:i + BLOCK_LINES]) + "\n" for i in starts]


def typical_blocks(limit: int) -> dict[str, list[str]]:
    rng = random.Random(7)
    sources = {"python": (Path(sysconfig.get_paths()["stdlib"]), "*.py")}
    for root in JS_ROOTS:
        if Path(root).is_dir():
            sources["javascript"] = (Path(root), "*.js")
            break
    out: dict[str, list[str]] = {}
    for lang, (root, glob) in sources.items():
        files = sorted(p for p in root.rglob(glob) if "test" not in p.name and p.stat().st_size < 200_000)
        rng.shuffle(files)
        blocks: list[str] = []
        for f in files[:300]:
            try:
                blocks += [b for b in _cut(f.read_text(encoding="utf-8").splitlines()) if len(b) < 6000]
            except (OSError, UnicodeDecodeError):
                continue
        out[lang] = rng.sample(blocks, min(limit, len(blocks)))
    return out


def dense_blocks(engine: RuleEngine, language: str) -> list[str]:
    lines: list[str] = []
    for rule in engine.rules_for(language):
        for ex in (*rule.bad, *rule.good):
            lines.extend(ex.rstrip("\n").splitlines())
    while 0 < len(lines) < BLOCK_LINES:
        lines = lines * 2
    return _cut(lines)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


CLOCK = time.perf_counter


def timed(engine: RuleEngine, blocks: list[str], lang: str, rounds: int) -> list[float]:
    for b in blocks:
        engine.scan(b, lang)  # warm-up
    ms: list[float] = []
    for _ in range(rounds):
        for b in blocks:
            t = CLOCK()
            engine.scan(b, lang)
            ms.append((CLOCK() - t) * 1000)
    return ms


def row(label: str, rules: int, blocks: int, ms: list[float]) -> str:
    return (f"{label:<22} {rules:>5} {blocks:>6} {statistics.median(ms):>8.2f} {percentile(ms, 0.99):>8.2f} "
            f"{max(ms):>8.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--blocks", type=int, default=300, help="typical blocks per language")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall", help="wall time, or this thread's CPU time")
    args = ap.parse_args()
    global CLOCK
    CLOCK = time.thread_time if args.clock == "cpu" else time.perf_counter
    t0 = time.perf_counter()
    engine = RuleEngine.default()
    print(f"loaded {len(engine.rules)} rules for {len(engine.languages)} languages "
          f"in {(time.perf_counter() - t0) * 1000:.0f} ms; clock: {args.clock}")
    header = f"{'suite / language':<22} {'rules':>5} {'blocks':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    print(header)
    typical: list[float] = []
    for lang, blocks in typical_blocks(args.blocks).items():
        ms = timed(engine, blocks, lang, args.rounds)
        typical += ms
        print(row(f"typical {lang}", len(engine.rules_for(lang)), len(blocks), ms))
    dense: list[float] = []
    for lang in engine.languages:
        blocks = dense_blocks(engine, lang)
        ms = timed(engine, blocks, lang, args.rounds)
        dense += ms
        print(row(f"dense {lang}", len(engine.rules_for(lang)), len(blocks), ms))
    for name, ms in (("typical", typical), ("dense (worst case)", dense)):
        p50, p99 = statistics.median(ms), percentile(ms, 0.99)
        verdict = "OK" if p50 < 3 and p99 < 10 else "over target"
        print(f"{name:<22} p50 {p50:.2f} ms  p99 {p99:.2f} ms  (target p50 < 3, p99 < 10: {verdict})")


if __name__ == "__main__":
    main()
