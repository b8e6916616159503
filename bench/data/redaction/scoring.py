"""Corpus loading and scoring shared by bench/redaction.py, bench/_anchors_redaction.py and the corpus test.

Stdlib + PyYAML only: it runs in the project venv and in the anchors venv alike.

Scoring rule (the same for every engine): a sensitive string is *hidden* when it no longer appears verbatim
in the redacted text; a benign string is *kept* when it still appears verbatim. Engines that only report
spans (presidio, detect-secrets) are turned into redacted text by `apply_spans`.
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# SPP_REDACTION_CORPUS points the bench and the test at another corpus (e.g. one made with another seed).
CORPUS = Path(
    os.environ.get("SPP_REDACTION_CORPUS") or Path(__file__).resolve().parents[1] / "redaction_corpus.yaml"
)
SIZES_KB = (1, 4, 32, 256)


@dataclass(frozen=True)
class Label:
    value: str
    kind: str  # secret | pii | benign
    type: str


@dataclass(frozen=True)
class Prompt:
    id: str
    category: str
    text: str
    sensitive: tuple[Label, ...]
    benign: tuple[Label, ...]


def load_corpus(path: Path = CORPUS) -> list[Prompt]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for p in doc["prompts"]:
        sens = tuple(Label(str(s["value"]), s["kind"], s["type"]) for s in p.get("sensitive") or ())
        ben = tuple(
            Label(str(b), "benign", "literal")
            if not isinstance(b, dict)
            else Label(str(b["value"]), "benign", b.get("type", "literal"))
            for b in p.get("benign") or ()
        )
        out.append(Prompt(p["id"], p.get("category", ""), p["text"], sens, ben))
    return out


def apply_spans(text: str, spans: Iterable[tuple[int, int]], mark: str = "<REDACTED>") -> str:
    """Replace every (start, end) span by `mark`; overlapping or touching spans are merged first."""
    merged: list[list[int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out.append(text[pos:start])
        out.append(mark)
        pos = end
    out.append(text[pos:])
    return "".join(out)


@dataclass
class Score:
    secret_total: int = 0
    secret_hidden: int = 0
    pii_total: int = 0
    pii_hidden: int = 0
    benign_total: int = 0
    benign_kept: int = 0
    misses: list[tuple[str, Label]] = field(default_factory=list)  # (prompt id, sensitive label) left visible
    broken: list[tuple[str, Label]] = field(default_factory=list)  # (prompt id, benign label) altered

    @staticmethod
    def share(n: int, total: int) -> float:
        return n / total if total else 1.0

    @property
    def secret_rate(self) -> float:
        return self.share(self.secret_hidden, self.secret_total)

    @property
    def pii_rate(self) -> float:
        return self.share(self.pii_hidden, self.pii_total)

    @property
    def benign_rate(self) -> float:
        return self.share(self.benign_kept, self.benign_total)

    def to_json(self) -> dict[str, Any]:
        return {
            "secret_total": self.secret_total,
            "secret_hidden": self.secret_hidden,
            "pii_total": self.pii_total,
            "pii_hidden": self.pii_hidden,
            "benign_total": self.benign_total,
            "benign_kept": self.benign_kept,
            "misses": [[pid, lab.value, lab.kind, lab.type] for pid, lab in self.misses],
            "broken": [[pid, lab.value, lab.kind, lab.type] for pid, lab in self.broken],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Score:
        s = cls(**{k: v for k, v in d.items() if k not in ("misses", "broken")})
        s.misses = [(pid, Label(v, k, t)) for pid, v, k, t in d["misses"]]
        s.broken = [(pid, Label(v, k, t)) for pid, v, k, t in d["broken"]]
        return s


def score(prompts: Sequence[Prompt], redacted: Sequence[str]) -> Score:
    """Compare each prompt's labels with the engine's redacted text of that prompt."""
    sc = Score()
    for prompt, out in zip(prompts, redacted, strict=True):
        for lab in prompt.sensitive:
            hidden = lab.value not in out
            if lab.kind == "secret":
                sc.secret_total += 1
                sc.secret_hidden += hidden
            else:
                sc.pii_total += 1
                sc.pii_hidden += hidden
            if not hidden:
                sc.misses.append((prompt.id, lab))
        for lab in prompt.benign:
            sc.benign_total += 1
            kept = lab.value in out
            sc.benign_kept += kept
            if not kept:
                sc.broken.append((prompt.id, lab))
    return sc


def sized_texts(prompts: Sequence[Prompt], size_kb: int, count: int) -> list[str]:
    """`count` texts of exactly size_kb KiB, each of consecutive corpus prompts from a different start."""
    size = size_kb * 1024
    n = len(prompts)
    texts = []
    for i in range(count):
        start = (i * 37) % n
        parts, length, j = [], 0, start
        while length < size:
            t = prompts[j % n].text
            parts.append(t)
            length += len(t) + 2
            j += 1
        texts.append("\n\n".join(parts)[:size])
    return texts


SAMPLES = {1: 25, 4: 15, 32: 5, 256: 3}  # texts per size; p50 over them (each timed once after a warm-up)


def p50(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")
