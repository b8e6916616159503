"""PII/PHI detection: presidio-analyzer with our recognizers, and spaCy NER on prose only.

Built once per distinct settings (`get_pii_detector`, called at startup) and shared by requests.

- The AnalyzerEngine gets an explicit NLP engine and an explicit registry, never defaults: presidio's
  defaults download a spaCy model and let tldextract fetch the public-suffix list. Nothing here
  touches the network.
- NER (recognizers/ner.py): spaCy's `ner` pipe alone, run only on prose, code comments and string
  literals, PERSON only. Pattern recognizers (recognizers/) run over the whole text; their context
  words are read from the raw text (recognizers/context.py), so they work with or without a model.
- With no loadable model the detector runs pattern-only, says so loudly on the `spp.redaction`
  logger, and reports `ner_available = False`. The model-free name recognizer still finds names.
- Team terms (terms.py): allow terms are applied here (a PII detection whose text equals one is
  dropped). Deny terms are NOT: they are their own detector, `TermMatcher(deny_terms).detect`, which the
  redaction stage runs beside this one, so they work even with `pii: false`.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import threading
from collections import OrderedDict

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from proxy.redaction.config import RedactionSettings
from proxy.redaction.recognizers import WindowContextEnhancer, build_recognizers
from proxy.redaction.recognizers.ner import (
    SegmentNerEngine,
    load_ner_model,
    model_dictionary,
    plausible_person,
)
from proxy.redaction.terms import TermMatcher
from proxy.redaction.types import Detection

logger = logging.getLogger("spp.redaction")

_MEMO_SIZE = 2048  # remembered texts per detector (digest -> spans, no values)


class PiiDetectionError(RuntimeError):
    """Detection failed. The message names the failure type only, never text from the prompt."""


class PiiDetector:
    """Finds PII/PHI spans in prompt text. Thread-safe; build once per settings via `get_pii_detector`."""

    def __init__(self, settings: RedactionSettings) -> None:
        _quiet_presidio()
        self.settings = settings
        self.terms = TermMatcher(allow_terms=settings.allow_terms)
        self.entities: tuple[str, ...] = tuple(dict.fromkeys(settings.pii_entities)) if settings.pii else ()
        want_ner = settings.pii and settings.ner and "PERSON" in self.entities
        nlp = load_ner_model(settings.ner_model) if want_ner else None
        if settings.pii and not want_ner:
            logger.info("PII detection: NER off by configuration, pattern recognizers only")
        self.ner_available: bool = nlp is not None
        recognizers = build_recognizers(settings) if settings.pii else []
        if nlp is not None:
            recognizers.append(SpacyRecognizer(supported_entities=["PERSON"], name="spacy_ner"))
        self._memo: OrderedDict[bytes, tuple[Detection, ...]] = OrderedDict()
        self._memo_lock = threading.Lock()
        self._analyzer: AnalyzerEngine | None = None
        if recognizers:  # an empty registry would make presidio load its defaults
            self._analyzer = AnalyzerEngine(
                registry=RecognizerRegistry(recognizers=recognizers, supported_languages=["en"]),
                nlp_engine=SegmentNerEngine(nlp),
                supported_languages=["en"],
                default_score_threshold=settings.min_score,
                context_aware_enhancer=WindowContextEnhancer(),
            )
            self.entities = tuple(
                e for e in self.entities if e in self._analyzer.get_supported_entities("en")
            )

    def detect(self, text: str) -> list[Detection]:
        """Sorted, non-overlapping PII/PHI detections (family "pii"), allow terms removed.

        Results are remembered by a digest of the text: a chat client re-sends the whole conversation
        every turn, and only the newest message should pay for NER.
        """
        if not text or self._analyzer is None or not self.entities:
            return []
        key = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        with self._memo_lock:
            cached = self._memo.get(key)
            if cached is not None:
                self._memo.move_to_end(key)
                return list(cached)
        found = self._detect(text)
        with self._memo_lock:
            self._memo[key] = tuple(found)
            if len(self._memo) > _MEMO_SIZE:
                self._memo.popitem(last=False)
        return found

    def _detect(self, text: str) -> list[Detection]:
        assert self._analyzer is not None
        try:
            results = self._analyzer.analyze(
                text=text,
                language="en",
                entities=list(self.entities),
                score_threshold=self.settings.min_score,
            )
        except Exception as exc:
            raise PiiDetectionError(f"PII detection failed ({type(exc).__name__})") from None
        found = self.terms.drop_allowed(text, [_to_detection(r) for r in results])
        return resolve_overlaps(found)


def _to_detection(result: RecognizerResult) -> Detection:
    name = (result.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY, "pattern")
    return Detection(
        result.start, result.end, result.entity_type, f"pii.{name}", "pii", round(result.score, 3)
    )


def resolve_overlaps(detections: list[Detection]) -> list[Detection]:
    """Same-type overlaps merge into their union; otherwise the higher score, then the longer span wins."""
    merged: list[Detection] = []
    for d in sorted(detections, key=lambda d: (d.entity_type, d.start, -d.end)):
        last = merged[-1] if merged else None
        if last and last.entity_type == d.entity_type and d.start < last.end:
            best = last if last.score >= d.score else d
            merged[-1] = Detection(
                last.start,
                max(last.end, d.end),
                d.entity_type,
                best.rule_id,
                best.family,
                max(last.score, d.score),
            )
        else:
            merged.append(d)
    chosen: list[Detection] = []
    taken: list[tuple[int, int]] = []
    for d in sorted(merged, key=lambda d: (-d.score, -(d.end - d.start), d.start)):
        i = bisect.bisect_left(taken, (d.start, d.start))
        clash = (i > 0 and taken[i - 1][1] > d.start) or (i < len(taken) and taken[i][0] < d.end)
        if not clash:
            bisect.insort(taken, (d.start, d.end))
            chosen.append(d)
    return sorted(chosen, key=lambda d: (d.start, d.end))


# --------------------------------------------------------------------------- cached factory

_CACHE_FIELDS = {
    "pii",
    "ner",
    "ner_model",
    "name_patterns",
    "pii_entities",
    "phone_regions",
    "public_ip_only",
    "allow_terms",
    "min_score",
}
_cache: OrderedDict[str, PiiDetector] = OrderedDict()
_cache_lock = threading.Lock()
_CACHE_SIZE = 32


def get_pii_detector(settings: RedactionSettings) -> PiiDetector:
    """The detector for these settings, built on first use and shared afterwards (spaCy model loaded once)."""
    key = settings.model_dump_json(include=_CACHE_FIELDS)
    with _cache_lock:
        detector = _cache.get(key)
        if detector is not None:
            _cache.move_to_end(key)
            return detector
    detector = PiiDetector(settings)
    with _cache_lock:
        detector = _cache.setdefault(key, detector)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return detector


def _quiet_presidio() -> None:
    """presidio logs per-call details (words near matches) at DEBUG/INFO: keep those out of our logs."""
    presidio_logger = logging.getLogger("presidio-analyzer")
    if presidio_logger.level == logging.NOTSET or presidio_logger.level < logging.WARNING:
        presidio_logger.setLevel(logging.WARNING)


__all__ = [
    "PiiDetectionError",
    "PiiDetector",
    "get_pii_detector",
    "load_ner_model",
    "model_dictionary",
    "plausible_person",
    "resolve_overlaps",
]
