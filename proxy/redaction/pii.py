"""PII/PHI detection: presidio-analyzer with our recognizers, and spaCy NER on prose only.

Built once per distinct settings (`get_pii_detector`, called at startup) and shared by requests.

- The AnalyzerEngine gets an explicit NLP engine and an explicit registry, never defaults: presidio's
  defaults download a spaCy model and let tldextract fetch the public-suffix list. Nothing here
  touches the network.
- NER (recognizers/ner.py): spaCy's `ner` pipe alone, run only on prose, code comments and string
  literals, PERSON only. Pattern recognizers (recognizers/) run over the whole text; their context
  words are read from the raw text and from table headers (recognizers/context.py, columns.py), so
  they work with or without a model.
- With no loadable model the detector runs pattern-only, says so loudly on the `spp.redaction`
  logger, and reports `ner_available = False`. The model-free name recognizer still finds names.
- Speed: each recognizer says whether it could match at all (`could_match`: digits present, an `@`,
  one of its context words...); presidio gets only the entity types that still can. Pattern
  recognizers run first with no NLP pass; NER then runs, in a second presidio engine that holds only
  the spaCy recognizer, on the sentences with a capitalised word pair the patterns left unexplained.
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

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from proxy.redaction.config import RedactionSettings
from proxy.redaction.recognizers import WindowContextEnhancer, build_recognizers
from proxy.redaction.recognizers.ner import (
    Covered,
    SegmentNerEngine,
    load_ner_model,
    model_dictionary,
    plausible_person,
)
from proxy.redaction.recognizers.prefilter import TextFacts, analysing, facts_for
from proxy.redaction.terms import TermMatcher
from proxy.redaction.types import Detection

logger = logging.getLogger("spp.redaction")

_MEMO_SIZE = 2048  # remembered texts per detector (digest -> spans, no values)
# Synthetic text that touches the lazily loaded parts: the public-suffix list, phone metadata per region,
# the name lists and, when NER is on, the spaCy pipeline.
_WARM_UP = (
    "Patient Jane Roe (DOB 01/02/1980, MRN 1234567) wrote to jane.roe@example.com from 8.8.8.8,\n"
    "call +44 20 7946 0958 or (415) 555-2132. Ask Stellan Vinterberg about it.\nid,name\n1,Ana Lopez"
)


class PiiDetectionError(RuntimeError):
    """Detection failed. The message names the failure type only, never text from the prompt."""


class PiiDetector:
    """Finds PII/PHI spans in prompt text. Thread-safe; build once per settings via `get_pii_detector`."""

    def __init__(self, settings: RedactionSettings) -> None:
        _quiet_presidio()
        self.settings = settings
        self.terms = TermMatcher(allow_terms=settings.allow_terms)
        wanted: tuple[str, ...] = tuple(dict.fromkeys(settings.pii_entities)) if settings.pii else ()
        want_ner = settings.pii and settings.ner and "PERSON" in wanted
        nlp = load_ner_model(settings.ner_model) if want_ner else None
        if settings.pii and not want_ner:
            logger.info("PII detection: NER off by configuration, pattern recognizers only")
        self.ner_available: bool = nlp is not None
        recognizers = build_recognizers(settings) if settings.pii else []
        self._memo: OrderedDict[bytes, tuple[Detection, ...]] = OrderedDict()
        self._memo_lock = threading.Lock()
        # Pattern recognizers, grouped by entity type for the prefilter. An empty registry would make
        # presidio load its defaults, so no engine is built without recognizers.
        self._by_entity: dict[str, list[EntityRecognizer]] = {}
        for recognizer in recognizers:
            for entity in recognizer.supported_entities:
                self._by_entity.setdefault(entity, []).append(recognizer)
        self._patterns = _engine(recognizers, SegmentNerEngine(None), settings) if recognizers else None
        self._no_nlp = SegmentNerEngine(None).process_text("", "en")
        self._ner_engine = SegmentNerEngine(nlp) if nlp is not None else None
        self._ner = (
            _engine(
                [SpacyRecognizer(supported_entities=["PERSON"], name="spacy_ner")],
                self._ner_engine,
                settings,
            )
            if self._ner_engine is not None
            else None
        )
        supported = set(self._by_entity) | ({"PERSON"} if self._ner is not None else set())
        self.entities: tuple[str, ...] = tuple(e for e in wanted if e in supported)
        self._pattern_entities = tuple(e for e in self.entities if e in self._by_entity)
        if self.entities:
            self._detect(_WARM_UP)  # load lazily built tables now, not in the first request

    def detect(self, text: str) -> list[Detection]:
        """Sorted, non-overlapping PII/PHI detections (family "pii"), allow terms removed.

        Results are remembered by a digest of the text: a chat client re-sends the whole conversation
        every turn, and only the newest message should pay for NER.
        """
        if not text or not self.entities:
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

    def active_entities(self, text: str) -> list[str]:
        """The pattern entity types some recognizer could still match in `text` (the prefilter)."""
        facts = facts_for(text)  # the analysis' shared facts when called from `_detect`
        return [
            e for e in self._pattern_entities if any(_could_match(r, facts) for r in self._by_entity[e])
        ]

    def _detect(self, text: str) -> list[Detection]:
        threshold = self.settings.min_score
        try:
            with analysing(text):
                results = self._analyse(text, threshold)
        except Exception as exc:
            raise PiiDetectionError(f"PII detection failed ({type(exc).__name__})") from None
        found = self.terms.drop_allowed(text, [_to_detection(r) for r in results])
        return resolve_overlaps(found)

    def _analyse(self, text: str, threshold: float) -> list[RecognizerResult]:
        """Pattern recognizers that can still match, then NER where the patterns left a pair unexplained."""
        results: list[RecognizerResult] = []
        active = self.active_entities(text) if self._patterns is not None else []
        if active and self._patterns is not None:
            results = self._patterns.analyze(
                text=text,
                language="en",
                entities=active,
                score_threshold=threshold,
                nlp_artifacts=self._no_nlp,
            )
        if self._ner is not None and self._ner_engine is not None:
            covered = Covered((r.start, r.end) for r in results)
            artifacts = self._ner_engine.artifacts(text, covered)
            if artifacts.entities:
                results = results + self._ner.analyze(
                    text=text,
                    language="en",
                    entities=["PERSON"],
                    score_threshold=threshold,
                    nlp_artifacts=artifacts,
                )
        return results


def _engine(
    recognizers: list[EntityRecognizer], nlp_engine: NlpEngine, settings: RedactionSettings
) -> AnalyzerEngine:
    """A presidio engine over exactly these recognizers and this NLP engine (never presidio's defaults)."""
    return AnalyzerEngine(
        registry=RecognizerRegistry(recognizers=recognizers, supported_languages=["en"]),
        nlp_engine=nlp_engine,
        supported_languages=["en"],
        default_score_threshold=settings.min_score,
        context_aware_enhancer=WindowContextEnhancer(),
    )


def _could_match(recognizer: EntityRecognizer, facts: TextFacts) -> bool:
    check = getattr(recognizer, "could_match", None)
    return True if check is None else bool(check(facts))


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
    "keep_reserved_email_domains",
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
