"""PII/PHI detection: presidio-analyzer with our recognizers, and spaCy NER on prose only.

Built once per distinct settings (`get_pii_detector`, called at startup) and shared by requests.

- The AnalyzerEngine gets an explicit NLP engine and an explicit registry, never defaults: presidio's
  defaults download a spaCy model and let tldextract fetch the public-suffix list. Nothing here
  touches the network.
- The NLP engine (`SegmentNerEngine`) runs spaCy's `ner` pipe (other pipes excluded) only on prose,
  code comments and string literals (segments.py), and only on lines holding a capitalised word that
  could start a name. Only PERSON entities are kept: the small model's ORG/GPE/NORP labels fire on
  library names (`psycopg2`, `AWS`) and we want names, not organisations.
- Pattern recognizers (recognizers/) run over the whole text; context words are read from the raw
  text (recognizers/context.py), so they work with or without a model.
- With no loadable model the detector runs pattern-only, says so loudly on the `spp.redaction`
  logger, and reports `ner_available = False`. The model-free name recognizer still finds names.
- Team terms (terms.py): allow terms are applied here (a PII detection whose text equals one is
  dropped). Deny terms are NOT: they are their own detector, `TermMatcher(deny_terms).detect`, which the
  redaction stage runs beside this one, so they work even with `pii: false`.
"""

from __future__ import annotations

import bisect
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex as re
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from proxy.redaction.config import RedactionSettings
from proxy.redaction.recognizers import WindowContextEnhancer, build_recognizers
from proxy.redaction.recognizers.person import SENTENCE_STARTERS, name_lists
from proxy.redaction.segments import split_segments
from proxy.redaction.terms import TermMatcher
from proxy.redaction.types import Detection

logger = logging.getLogger("spp.redaction")

_OFF = {"", "none", "off", "false", "no", "null"}
# Components the `ner` pipe may depend on; everything else (parser, tagger, lemmatizer...) is excluded.
_NER_PIPES = {"ner", "tok2vec", "transformer", "curated_transformer"}
_NOT_NER = [
    "parser", "tagger", "lemmatizer", "attribute_ruler", "senter", "morphologizer", "textcat",
    "textcat_multilabel", "entity_linker", "spancat", "span_finder", "trainable_lemmatizer", "sentencizer",
]
_PERSON_LABELS = {"PERSON", "PER"}
_CHUNK_CHARS = 50_000


class PiiDetectionError(RuntimeError):
    """Detection failed. The message names the failure type only, never text from the prompt."""


# --------------------------------------------------------------------------- model loading


def _model_dir(path: Path) -> Path:
    """A model directory (holding config.cfg); an installed package's folder is resolved to the model inside."""
    if (path / "config.cfg").is_file():
        return path
    inner = [p for p in path.iterdir() if p.is_dir() and (p / "config.cfg").is_file()] if path.is_dir() else []
    return inner[0] if len(inner) == 1 else path


@lru_cache(maxsize=4)
def load_ner_model(spec: str) -> Language | None:
    """Load a spaCy pipeline by package name or directory, keeping only what `ner` needs. Never downloads.

    Returns None (after a loud warning) when the model is missing, broken or has no `ner` pipe.
    """
    import spacy  # imported here so pattern-only use does not pay for it twice

    if spec.strip().lower() in _OFF:
        return None
    try:
        path = Path(spec).expanduser()
        if path.exists():
            nlp = spacy.load(_model_dir(path), exclude=_NOT_NER)
        elif spacy.util.is_package(spec):
            nlp = spacy.load(spec, exclude=_NOT_NER)
        else:
            _warn_no_model(spec, "not an installed package or an existing directory")
            return None
    except Exception as exc:  # a broken model must not take the proxy down: fall back loudly
        _warn_no_model(spec, f"loading failed with {type(exc).__name__}")
        return None
    if "ner" not in nlp.pipe_names:
        _warn_no_model(spec, "the pipeline has no 'ner' component")
        return None
    listeners = set()
    for name in ("tok2vec", "transformer"):
        if name in nlp.pipe_names:
            listeners.update(getattr(nlp.get_pipe(name), "listening_components", []))
    for name in list(nlp.pipe_names):
        if name not in _NER_PIPES or (name != "ner" and "ner" not in listeners):
            nlp.remove_pipe(name)
    return nlp


def _warn_no_model(spec: str, reason: str) -> None:
    logger.warning(
        "NER DISABLED: spaCy model %r could not be loaded (%s). PII detection runs pattern-only: person "
        "names are found only by titles, context words and the first-name list. Install a model "
        "(python -m spacy download en_core_web_lg) and set redaction.ner_model, or set ner_model: none "
        "to silence this warning.",
        spec,
        reason,
    )


# --------------------------------------------------------------------------- NER on segments

# A line whose only capitalised words are sentence starters ("Please", "The", "Refactor") cannot contain
# a PERSON entity, so NER skips it.
_NOT_NAME_STARTS = SENTENCE_STARTERS
_CAPITALISED = re.compile(r"(?<![\p{L}\d_])\p{Lu}\p{Ll}+")


def _could_hold_name(line: str) -> bool:
    return any(m.group().lower() not in _NOT_NAME_STARTS for m in _CAPITALISED.finditer(line))


def ner_pieces(text: str) -> Iterator[tuple[int, int]]:
    """Spans of `text` worth running NER on: segment lines that could hold a name, adjacent ones merged."""
    for seg in split_segments(text):
        run_start = run_end = -1
        pos = seg.start
        for line in text[seg.start : seg.end].split("\n"):
            end = pos + len(line)
            if _could_hold_name(line):
                if run_start < 0:
                    run_start = pos
                run_end = end
            elif run_start >= 0:
                yield run_start, run_end
                run_start = -1
            pos = end + 1
        if run_start >= 0:
            yield run_start, run_end


_CODEISH = re.compile(r"[^\p{L}\s'’.\-]|\p{Ll}\p{Lu}(?<!Mc\p{Lu})(?<!Mac\p{Lu})")


@dataclass(frozen=True, slots=True)
class Dictionary:
    """English base forms from the model's lemmatizer tables (WordNet-based); empty when the model has none."""

    words: frozenset[str] = frozenset()
    nouns: frozenset[str] = frozenset()

    def forms(self, word: str) -> Iterator[str]:
        """The word and its likely base forms: the tables hold `disable`, not `disables` or `disabled`."""
        yield word
        for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
                             ("ing", "e"), ("er", ""), ("er", "e")):
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                yield word[: -len(suffix)] + repl

    def known(self, word: str) -> bool:
        return any(f in self.words for f in self.forms(word))

    def only_non_noun(self, word: str) -> bool:
        """`Enable`, `Strict`, `Older`: a verb or adjective, never a noun, so never a given name."""
        return self.known(word) and not any(f in self.nouns for f in self.forms(word))


def plausible_person(span: str, dictionary: Dictionary | None = None) -> bool:
    """Rejects NER output that is code, an acronym or a title-cased phrase.

    `getName`, `UserService`, `AWS`, `psycopg2` are code; `Strict Mode`, `Render Python`, `Enable Nagle`
    are headings (dictionary words, or a leading verb/adjective) with no known first name among them.
    """
    tokens = span.split()
    if not tokens or _CODEISH.search(span):
        return False
    if not all(t[:1].isupper() or t in {"de", "da", "del", "van", "von", "der", "la", "le", "bin", "al"} for t in tokens):
        return False
    if any(t.isupper() and len(t) > 1 for t in tokens):
        return False
    lists = name_lists()
    if any(t.lower().strip(".") in lists.not_names for t in tokens):
        return False
    if len(tokens) == 1:
        # A lone capitalised word is the model's weakest guess (`Postgres`, `Rich`, `Max`): keep it only
        # when it is an unambiguous first name.
        return lists.is_first_name(tokens[0], allow_ambiguous=False)
    if any(lists.is_first_name(t, allow_ambiguous=True) for t in tokens):
        return True
    dictionary = dictionary or Dictionary()
    words = [t.lower().strip(".") for t in tokens]
    if dictionary.only_non_noun(words[0]):
        return False
    return not all(dictionary.known(w) for w in words)


@lru_cache(maxsize=4)
def model_dictionary(nlp: Language) -> Dictionary:
    """Read the lemmatizer's lookup tables from the model directory, if it ships them."""
    from spacy.lookups import Lookups

    path = getattr(nlp, "path", None)
    folder = Path(path) / "lemmatizer" / "lookups" if path else None
    if folder is None or not folder.is_dir():
        return Dictionary()
    try:
        index = Lookups().from_disk(folder).get_table("lemma_index")
        by_pos = {pos: frozenset(w for w in index[pos] if w.isalpha()) for pos in ("noun", "verb", "adj", "adv")}
    except Exception:  # missing table or another format: the check is an extra, not a requirement
        return Dictionary()
    return Dictionary(frozenset().union(*by_pos.values()), by_pos["noun"])


@dataclass(frozen=True, slots=True)
class _Entity:
    """The three attributes presidio's SpacyRecognizer reads from an entity."""

    label_: str
    start_char: int
    end_char: int


class SegmentNerEngine(NlpEngine):
    """Presidio NLP engine that runs spaCy NER over prose/comment/string pieces only, offsets mapped back.

    It returns no tokens or lemmas: context words are matched on raw text by WindowContextEnhancer.
    """

    engine_name = "spp_segment_ner"
    is_available = True

    def __init__(self, nlp: Language | None) -> None:
        self.nlp = nlp
        self._vocab = nlp.vocab if nlp is not None else Vocab()
        self._lock = threading.Lock()  # spaCy pipelines are not documented as thread-safe

    def load(self) -> None:
        pass

    def is_loaded(self) -> bool:
        return True

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        entities = self.person_spans(text) if self.nlp is not None else []
        return NlpArtifacts(
            entities=entities,  # type: ignore[arg-type]  # duck-typed spans
            tokens=Doc(self._vocab, words=[]),
            tokens_indices=[],
            lemmas=[],
            nlp_engine=self,
            language=language,
            scores=[0.85] * len(entities),
        )

    def process_batch(self, texts: Any, language: str, batch_size: int = 1, n_process: int = 1,
                      as_tuples: bool = False) -> Iterator[Any]:
        for item in texts:
            if as_tuples:
                text, ctx = item
                yield text, self.process_text(str(text), language), ctx
            else:
                yield item, self.process_text(str(item), language)

    def person_spans(self, text: str) -> list[_Entity]:
        assert self.nlp is not None
        pieces = list(ner_pieces(text))
        if not pieces:
            return []
        chunks: list[tuple[str, list[int], list[int]]] = []  # (chunk text, piece starts in chunk, in text)
        parts: list[str] = []
        in_chunk: list[int] = []
        in_text: list[int] = []
        size = 0
        for start, end in pieces:
            if parts and size + end - start > _CHUNK_CHARS:
                chunks.append(("\n\n".join(parts), in_chunk, in_text))
                parts, in_chunk, in_text, size = [], [], [], 0
            in_chunk.append(size)
            in_text.append(start)
            parts.append(text[start:end])
            size += end - start + 2
        chunks.append(("\n\n".join(parts), in_chunk, in_text))
        with self._lock:
            docs = list(self.nlp.pipe(c[0] for c in chunks))
        found: list[_Entity] = []
        dictionary = model_dictionary(self.nlp)
        for doc, (chunk_text, starts_chunk, starts_text) in zip(docs, chunks, strict=True):
            for ent in doc.ents:
                if ent.label_ not in _PERSON_LABELS:
                    continue
                i = bisect.bisect_right(starts_chunk, ent.start_char) - 1
                piece_end = starts_chunk[i + 1] - 2 if i + 1 < len(starts_chunk) else len(chunk_text)
                if ent.end_char > piece_end:
                    continue  # spans two pieces: an artefact of joining them
                start = starts_text[i] + ent.start_char - starts_chunk[i]
                end = start + ent.end_char - ent.start_char
                start, end = _trim_person(text, start, end)
                if end > start and plausible_person(text[start:end], dictionary):
                    found.append(_Entity("PERSON", start, end))
        return found

    def is_stopword(self, word: str, language: str) -> bool:
        return False

    def is_punct(self, word: str, language: str) -> bool:
        return False

    def get_supported_entities(self) -> list[str]:
        return ["PERSON"] if self.nlp is not None else []

    def get_supported_languages(self) -> list[str]:
        return ["en"]


def _trim_person(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a possessive and surrounding punctuation the model sometimes includes."""
    value = text[start:end]
    if "\n" in value.strip():  # "Holger Krekel\nMaintainer": a name does not continue on the next line
        lead = len(value) - len(value.lstrip())
        end = start + lead + value.strip().index("\n")
        value = text[start:end]
    for suffix in ("'s", "’s"):
        if value.endswith(suffix):
            end -= len(suffix)
            value = value[: -len(suffix)]
    stripped_left = value.lstrip(" \t\n\"'`(")
    start += len(value) - len(stripped_left)
    end = start + len(stripped_left.rstrip(" \t\n\"'`),.:;"))
    # "Use Rich", "Ask Bob Jones": the model sometimes takes the imperative verb into the name.
    first = re.match(r"(\S+)[ \t]+", text[start:end])
    while first and first.group(1).lower() in SENTENCE_STARTERS:
        start += first.end()
        first = re.match(r"(\S+)[ \t]+", text[start:end])
    return start, end


# --------------------------------------------------------------------------- the detector


class PiiDetector:
    """Finds PII/PHI spans in prompt text. Thread-safe; build once per settings via `get_pii_detector`."""

    def __init__(self, settings: RedactionSettings) -> None:
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
        self._analyzer: AnalyzerEngine | None = None
        if recognizers:  # an empty registry would make presidio load its defaults
            self._analyzer = AnalyzerEngine(
                registry=RecognizerRegistry(recognizers=recognizers, supported_languages=["en"]),
                nlp_engine=SegmentNerEngine(nlp),
                supported_languages=["en"],
                default_score_threshold=settings.min_score,
                context_aware_enhancer=WindowContextEnhancer(),
            )
            self.entities = tuple(e for e in self.entities if e in self._analyzer.get_supported_entities("en"))

    def detect(self, text: str) -> list[Detection]:
        """Sorted, non-overlapping PII/PHI detections (family "pii"), allow terms removed."""
        if not text or self._analyzer is None or not self.entities:
            return []
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
    return Detection(result.start, result.end, result.entity_type, f"pii.{name}", "pii", round(result.score, 3))


def resolve_overlaps(detections: list[Detection]) -> list[Detection]:
    """Same-type overlaps merge into their union; otherwise the higher score, then the longer span wins."""
    merged: list[Detection] = []
    for d in sorted(detections, key=lambda d: (d.entity_type, d.start, -d.end)):
        last = merged[-1] if merged else None
        if last and last.entity_type == d.entity_type and d.start < last.end:
            best = last if last.score >= d.score else d
            merged[-1] = Detection(last.start, max(last.end, d.end), d.entity_type, best.rule_id, best.family,
                                   max(last.score, d.score))
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
    "pii", "ner", "ner_model", "name_patterns", "pii_entities", "phone_regions", "public_ip_only",
    "allow_terms", "min_score",
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
    _quiet_presidio()
    detector = PiiDetector(settings)
    with _cache_lock:
        detector = _cache.setdefault(key, detector)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return detector


def _quiet_presidio() -> None:
    """presidio logs per-call details (context words near matches) at DEBUG/INFO: keep those out of our logs."""
    presidio_logger = logging.getLogger("presidio-analyzer")
    if presidio_logger.level == logging.NOTSET or presidio_logger.level < logging.WARNING:
        presidio_logger.setLevel(logging.WARNING)
