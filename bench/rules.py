"""Code-rules benchmark: our rule engine against Bandit and Meta's CodeShield on one labelled corpus.

The corpus (bench/data/rules_corpus/*.yaml) pairs each vulnerable LLM-style snippet with its fixed twin.
One run prints, side by side:
- secure-prompt-proxy in-process: `RuleEngine.default().scan` plus `check_dependencies` (typosquats), as
  the proxy's response stages run them: detection rate, detection with the expected CWE, false-alarm rate
  on fixed twins, p50/p99 ms per block and per 50-line block;
- Bandit on the Python snippets (bench/_anchor_bandit.py, run with .venv-bench);
- CodeShield 1.0.1 on every language it supports (bench/_anchor_codeshield.py, run with .venv-codeshield).
Then our engine's misses and false alarms, so rule owners can fix them.

    .venv/bin/python bench/rules.py [--corpus DIR] [--rounds 5] [--no-anchors] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from proxy.pipeline.context import CodeFinding  # noqa: E402
from proxy.rules.deps import check_dependencies  # noqa: E402
from proxy.rules.deps import preload as preload_deps  # noqa: E402
from proxy.rules.engine import RuleEngine  # noqa: E402

CORPUS_DIR = ROOT / "bench" / "data" / "rules_corpus"
BANDIT_PY = ROOT / ".venv-bench" / "bin" / "python"
CODESHIELD_PY = ROOT / ".venv-codeshield" / "bin" / "python"
LANGUAGES = (
    "python", "javascript", "typescript", "tsx", "java", "go", "php", "c", "cpp", "csharp", "ruby", "rust",
    "kotlin", "bash", "dockerfile", "yaml", "hcl",
)
# CodeShield 1.0.1 scans these: its eight default languages plus Ruby (regex rules only). Kotlin is in its
# Language enum but the package ships no kotlin rules file, so every Kotlin scan fails (and CodeShield
# swallows the error and answers "secure"): it is left out rather than counted as misses.
CODESHIELD_LANGUAGES = ("python", "javascript", "java", "c", "cpp", "csharp", "php", "ruby", "rust")
BLOCK_LINES = 50
TARGET_DETECTION = 0.90
TARGET_FALSE_ALARMS = 0.04


# ---------------------------------------------------------------------------------------------------------
# Corpus


@dataclass(frozen=True)
class Snippet:
    id: str
    language: str
    vulnerable: bool
    cwes: tuple[str, ...]  # accepted CWE ids, primary first; empty for fixed twins
    twin: str | None
    code: str
    source: str

    @property
    def cwe(self) -> str:
        return self.cwes[0] if self.cwes else "-"


def load_corpus(directory: Path = CORPUS_DIR) -> list[Snippet]:
    """All snippets, validated: unique ids, known languages, a CWE on each vulnerable one, twins paired."""
    out: list[Snippet] = []
    for path in sorted(directory.glob("*.yaml")):
        for raw in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("snippets", []):
            cwe = raw.get("cwe") or []
            cwes = tuple([cwe] if isinstance(cwe, str) else cwe)
            out.append(Snippet(
                id=str(raw["id"]), language=str(raw["language"]), vulnerable=bool(raw["vulnerable"]),
                cwes=cwes, twin=raw.get("twin"), code=str(raw["code"]), source=path.name,
            ))
    _validate(out)
    return out


def _validate(snippets: Sequence[Snippet]) -> None:
    by_id: dict[str, Snippet] = {}
    for s in snippets:
        if s.id in by_id:
            raise ValueError(f"duplicate snippet id {s.id}")
        by_id[s.id] = s
        if s.language not in LANGUAGES:
            raise ValueError(f"{s.id}: unknown language {s.language}")
        if s.vulnerable and not s.cwes:
            raise ValueError(f"{s.id}: vulnerable snippet without an expected CWE")
        if not s.code.strip():
            raise ValueError(f"{s.id}: empty code")
    twins: dict[str, str] = {}
    for s in snippets:
        if s.vulnerable:
            continue
        target = by_id.get(s.twin or "")
        if target is None or not target.vulnerable or target.language != s.language:
            raise ValueError(f"{s.id}: twin {s.twin!r} is not a vulnerable snippet of the same language")
        if s.twin in twins:
            raise ValueError(f"{s.twin} has two fixed twins ({twins[s.twin]}, {s.id})")
        twins[s.twin or ""] = s.id
    missing = [s.id for s in snippets if s.vulnerable and s.id not in twins]
    if missing:
        raise ValueError(f"vulnerable snippets without a fixed twin: {missing}")


# ---------------------------------------------------------------------------------------------------------
# Our engine


def scan_ours(engine: RuleEngine, code: str, language: str) -> list[CodeFinding]:
    """What the proxy reports for one code block: the rule packs plus the dependency check."""
    return engine.scan(code, language) + check_dependencies(code, language)


@dataclass
class Outcome:
    """One tool's verdict on one snippet."""

    fired: list[str]  # "rule-id (CWE-x)" labels, for the report
    cwes: set[str]
    ms: float | None = None
    error: str | None = None

    @property
    def flagged(self) -> bool:
        return bool(self.fired)


def run_ours(
    engine: RuleEngine, corpus: Sequence[Snippet], rounds: int
) -> tuple[dict[str, Outcome], list[float]]:
    results: dict[str, Outcome] = {}
    for s in corpus:  # warm-up and verdicts
        found = scan_ours(engine, s.code, s.language)
        results[s.id] = Outcome([f"{f.rule_id} ({f.cwe})" for f in found], {f.cwe for f in found})
    timings = time_blocks(engine, [(s.code, s.language) for s in corpus], rounds)
    per_snippet = [statistics.median(timings[i::len(corpus)]) for i in range(len(corpus))]
    for s, ms in zip(corpus, per_snippet, strict=True):
        results[s.id].ms = ms
    return results, timings


def time_blocks(engine: RuleEngine, blocks: Sequence[tuple[str, str]], rounds: int) -> list[float]:
    """ms per scan, `rounds` passes over the blocks (in order, so index i % len(blocks) is block i)."""
    ms: list[float] = []
    for _ in range(rounds):
        for code, lang in blocks:
            t = time.perf_counter()
            scan_ours(engine, code, lang)
            ms.append((time.perf_counter() - t) * 1000)
    return ms


def fifty_line_blocks(corpus: Sequence[Snippet]) -> list[tuple[str, str]]:
    """Per language, 50-line blocks made by concatenating that language's snippets (vulnerable and fixed)
    from each starting snippet in turn: realistic code of one language, exactly 50 lines."""
    blocks: list[tuple[str, str]] = []
    for lang in LANGUAGES:
        items = [s.code.rstrip("\n") for s in corpus if s.language == lang]
        sep = ["---"] if lang == "yaml" else [""]
        for start in range(len(items)):
            lines: list[str] = []
            i = start
            while len(lines) < BLOCK_LINES:
                if lines:
                    lines.extend(sep)
                lines.extend(items[i % len(items)].splitlines())
                i += 1
            blocks.append(("\n".join(lines[:BLOCK_LINES]) + "\n", lang))
    return blocks


# ---------------------------------------------------------------------------------------------------------
# Anchors (separate venvs, JSON over stdin/stdout)


def run_anchor(
    python: Path, script: str, payload: list[dict[str, str]], timeout: int = 1800
) -> dict[str, Any]:
    if not python.exists():
        return {"error": f"{python} not found"}
    env = {**os.environ, "SEMGREP_SEND_METRICS": "off", "SEMGREP_ENABLE_VERSION_CHECK": "0"}
    proc = subprocess.run(
        [str(python), str(ROOT / "bench" / script)], input=json.dumps(payload), capture_output=True,
        text=True, timeout=timeout, env=env, cwd=ROOT,
    )
    if proc.returncode != 0:
        return {"error": f"{script} exited {proc.returncode}: {proc.stderr.strip()[-500:]}"}
    return json.loads(proc.stdout)


def bandit_outcomes(report: dict[str, Any], min_severity: str = "LOW") -> dict[str, Outcome]:
    order = {"LOW": 0, "MEDIUM": 1, "HIGH": 2}
    out: dict[str, Outcome] = {}
    for r in report.get("results", []):
        issues = [i for i in r["issues"] if order.get(i["severity"], 0) >= order[min_severity]]
        out[r["id"]] = Outcome(
            [f"{i['test_id']} {i['test_name']} (CWE-{i['cwe']}, {i['severity'].lower()})" for i in issues],
            {f"CWE-{i['cwe']}" for i in issues if i.get("cwe")}, r.get("ms"), r.get("error"),
        )
    return out


def codeshield_outcomes(report: dict[str, Any]) -> dict[str, Outcome]:
    out: dict[str, Outcome] = {}
    for r in report.get("results", []):
        issues = r["issues"]
        out[r["id"]] = Outcome(
            # semgrep ids carry the rules file's dotted path: keep the rule name
            [f"{str(i['pattern_id']).rsplit('._generated_.', 1)[-1]} ({i['cwe']})" for i in issues],
            {i["cwe"] for i in issues if i.get("cwe")},
            r.get("ms"), r.get("error"),
        )
    return out


# ---------------------------------------------------------------------------------------------------------
# Scoring and report


@dataclass
class Score:
    name: str
    scope: str
    vulnerable: int = 0
    detected: int = 0
    detected_cwe: int = 0
    safe: int = 0
    false_alarms: int = 0
    errors: int = 0
    ms: list[float] = field(default_factory=list)

    @property
    def detection(self) -> float:
        return self.detected / self.vulnerable if self.vulnerable else 0.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.safe if self.safe else 0.0


def score(name: str, scope: str, corpus: Iterable[Snippet], outcomes: dict[str, Outcome],
          ms: Sequence[float] | None = None) -> Score:
    sc = Score(name, scope)
    for s in corpus:
        o = outcomes.get(s.id)
        if o is None:
            continue
        sc.errors += o.error is not None
        if s.vulnerable:
            sc.vulnerable += 1
            sc.detected += o.flagged
            sc.detected_cwe += bool(o.cwes & set(s.cwes))
        else:
            sc.safe += 1
            sc.false_alarms += o.flagged
        if ms is None and o.ms is not None:
            sc.ms.append(o.ms)
    if ms is not None:
        sc.ms = list(ms)
    return sc


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def pct(n: int, d: int) -> str:
    return f"{n}/{d} {100 * n / d:5.1f}%" if d else "-"


def table(scores: Sequence[Score]) -> str:
    head = (f"| {'tool':<38} | {'scope':<26} | {'detected':>15} | {'with expected CWE':>17} | "
            f"{'false alarms':>14} | {'p50 ms':>7} | {'p99 ms':>7} |")
    rule = "|" + "|".join("-" * len(c) for c in head.split("|")[1:-1]) + "|"
    rows = [head, rule]
    for s in scores:
        p50 = f"{statistics.median(s.ms):.2f}" if s.ms else "-"
        p99 = f"{percentile(s.ms, 0.99):.2f}" if s.ms else "-"
        rows.append(
            f"| {s.name:<38} | {s.scope:<26} | {pct(s.detected, s.vulnerable):>15} | "
            f"{pct(s.detected_cwe, s.vulnerable):>17} | {pct(s.false_alarms, s.safe):>14} | "
            f"{p50:>7} | {p99:>7} |"
        )
    return "\n".join(rows)


def per_language_table(corpus: Sequence[Snippet], ours: dict[str, Outcome], cs: dict[str, Outcome] | None,
                       block_ms: dict[str, list[float]]) -> str:
    head = (f"| {'language':<11} | {'pairs':>5} | {'ours detected':>13} | {'ours false alarms':>17} | "
            f"{'ours 50-line p50/p99 ms':>23} | {'CodeShield detected':>19} | "
            f"{'CodeShield false alarms':>23} |")
    rows = [head, "|" + "|".join("-" * len(c) for c in head.split("|")[1:-1]) + "|"]
    for lang in LANGUAGES:
        sub = [s for s in corpus if s.language == lang]
        o = score("", "", sub, ours)
        if cs is not None and lang in CODESHIELD_LANGUAGES:
            c = score("", "", sub, cs)
            cd, cf = pct(c.detected, c.vulnerable), pct(c.false_alarms, c.safe)
        else:
            cd = cf = "n/a"
        ms = block_ms.get(lang) or []
        timing = f"{statistics.median(ms):.2f} / {percentile(ms, 0.99):.2f}" if ms else "-"
        rows.append(f"| {lang:<11} | {o.vulnerable:>5} | {pct(o.detected, o.vulnerable):>13} | "
                    f"{pct(o.false_alarms, o.safe):>17} | {timing:>23} | {cd:>19} | {cf:>23} |")
    return "\n".join(rows)


def misses_and_false_alarms(
    corpus: Sequence[Snippet], ours: dict[str, Outcome]
) -> tuple[list[str], list[str]]:
    misses, wrong_cwe, alarms = [], [], []
    for s in corpus:
        o = ours[s.id]
        if s.vulnerable and not o.flagged:
            misses.append(f"MISS        {s.id:<40} {s.language:<10} expected {'/'.join(s.cwes)}: "
                          "nothing fired")
        elif s.vulnerable and not (o.cwes & set(s.cwes)):
            wrong_cwe.append(f"OTHER CWE   {s.id:<40} {s.language:<10} expected {'/'.join(s.cwes)}: "
                             f"{', '.join(o.fired)}")
        elif not s.vulnerable and o.flagged:
            alarms.append(f"FALSE ALARM {s.id:<40} {s.language:<10} fired: {', '.join(o.fired)}")
    return misses + wrong_cwe, alarms


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = "load avg " + "/".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        load = "load avg n/a"
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {load} at start"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS_DIR, metavar="DIR",
                    help="directory of corpus *.yaml files (default: the development corpus)")
    ap.add_argument("--rounds", type=int, default=5, help="timing passes over the corpus (ours)")
    ap.add_argument("--no-anchors", action="store_true", help="skip Bandit and CodeShield")
    ap.add_argument("--json", type=Path, help="also write the numbers and verdicts here")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        ap.error(f"--corpus: {args.corpus} is not a directory")

    corpus = load_corpus(args.corpus)
    n_vuln = sum(s.vulnerable for s in corpus)
    print(f"corpus: {len(corpus)} snippets ({n_vuln} vulnerable, {len(corpus) - n_vuln} fixed twins), "
          f"{len({s.language for s in corpus})} languages; machine: {machine()}")

    t0 = time.perf_counter()
    engine = RuleEngine.default()
    preload_deps()
    load_ms = (time.perf_counter() - t0) * 1000
    print(f"secure-prompt-proxy: {len(engine.rules)} rules + dependency check loaded in {load_ms:.0f} ms")
    ours, ours_ms = run_ours(engine, corpus, args.rounds)
    blocks = fifty_line_blocks(corpus)
    for code, lang in blocks:  # warm-up
        scan_ours(engine, code, lang)
    block_ms = time_blocks(engine, blocks, args.rounds)

    py = [s for s in corpus if s.language == "python"]
    cs_scope = [s for s in corpus if s.language in CODESHIELD_LANGUAGES]
    scores = [
        score("secure-prompt-proxy", f"all {len(LANGUAGES)} languages", corpus, ours, ours_ms),
        score("secure-prompt-proxy (50-line blocks)", f"{len(blocks)} blocks, all langs", [], {}, block_ms),
        score("secure-prompt-proxy", "python", py, ours),
        score("secure-prompt-proxy", f"CodeShield's {len(CODESHIELD_LANGUAGES)} languages", cs_scope, ours),
    ]
    cs_out: dict[str, Outcome] | None = None
    anchors: dict[str, Any] = {}
    if not args.no_anchors:
        print("running Bandit on the Python snippets ...", flush=True)
        bandit = run_anchor(BANDIT_PY, "_anchor_bandit.py", [{"id": s.id, "code": s.code} for s in py])
        anchors["bandit"] = bandit
        if "error" in bandit:
            print(f"  Bandit unavailable: {bandit['error']}")
        else:
            ver = bandit.get("version", "?")
            scores.append(score(f"Bandit {ver} (all severities)", "python", py, bandit_outcomes(bandit)))
            scores.append(score(f"Bandit {ver} (medium+ severity)", "python", py,
                                bandit_outcomes(bandit, "MEDIUM")))
        print(f"running CodeShield on {len(cs_scope)} snippets (semgrep per snippet) ...", flush=True)
        cs = run_anchor(CODESHIELD_PY, "_anchor_codeshield.py",
                        [{"id": s.id, "code": s.code, "language": s.language} for s in cs_scope])
        anchors["codeshield"] = cs
        if "error" in cs:
            print(f"  CodeShield unavailable: {cs['error']}")
        else:
            cs_out = codeshield_outcomes(cs)
            ver = cs.get("version", "?")
            scope = f"{len(CODESHIELD_LANGUAGES)} languages"
            scores.append(score(f"CodeShield {ver}", scope, cs_scope, cs_out))
            scores.append(score(f"CodeShield {ver}", "python", py, cs_out))

    print()
    print(table(scores))
    print()
    print("Per language (secure-prompt-proxy vs CodeShield; n/a = language not supported by CodeShield):")
    by_lang: dict[str, list[float]] = {}
    for i, ms in enumerate(block_ms):
        by_lang.setdefault(blocks[i % len(blocks)][1], []).append(ms)
    print(per_language_table(corpus, ours, cs_out, by_lang))
    for name, rep in anchors.items():
        errs = [r for r in rep.get("results", []) if r.get("error")]
        if errs:
            print(f"\n{name}: {len(errs)} snippet(s) not analysed: "
                  + ", ".join(f"{r['id']} ({r['error'][:60]})" for r in errs))
        if rep.get("note"):
            print(f"{name}: {rep['note']}")

    misses, alarms = misses_and_false_alarms(corpus, ours)
    n_miss, n_other = sum(m.startswith("MISS") for m in misses), sum(m.startswith("OTHER") for m in misses)
    print(f"\nsecure-prompt-proxy misses ({n_miss}), detections without the expected CWE ({n_other}) "
          f"and false alarms ({len(alarms)}):")
    for line in misses + alarms:
        print("  " + line)
    main_score = scores[0]
    ok_det = main_score.detection >= TARGET_DETECTION
    ok_fa = main_score.false_alarm_rate <= TARGET_FALSE_ALARMS
    print(f"\ntargets: detection >= {TARGET_DETECTION:.0%}: {'met' if ok_det else 'NOT met'} "
          f"({main_score.detection:.1%}); false alarms <= {TARGET_FALSE_ALARMS:.0%}: "
          f"{'met' if ok_fa else 'NOT met'} ({main_score.false_alarm_rate:.1%})")

    if args.json:
        args.json.write_text(json.dumps({
            "machine": machine(),
            "scores": [{**{k: v for k, v in vars(s).items() if k != "ms"},
                        "p50_ms": statistics.median(s.ms) if s.ms else None,
                        "p99_ms": percentile(s.ms, 0.99) if s.ms else None} for s in scores],
            "ours": {k: {"fired": v.fired} for k, v in ours.items()},
            "misses": misses, "false_alarms": alarms,
        }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
