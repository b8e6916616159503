"""spaCy NER as a source of PERSON findings: model loading, and a presidio NLP engine that runs the
`ner` pipe only where names can be.

- Models load by installed package name or directory (an installed package's folder resolves to the
  model inside), never by download; only `ner` and what it listens to are kept (no parser, tagger,
  lemmatizer...). A missing or broken model gives None and a loud warning on `spp.redaction`.
- `SegmentNerEngine` runs NER on prose, code comments and string literals (segments.py), and within
  those only on sentences/lines holding a capitalised word that is not a sentence starter. Offsets map
  back to the prompt. Only PERSON is kept: the small model's ORG/GPE/NORP labels fire on library names
  (`psycopg2`, `AWS`), and we want names, not organisations.
- `plausible_person` drops model output that is code (`getName`), an acronym (`AWS`) or a title-cased
  heading (`Strict Mode`).
"""

from __future__ import annotations

import bisect
import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex as re
import spacy
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from proxy.redaction.recognizers.person import SENTENCE_STARTERS, name_lists
from proxy.redaction.recognizers.words import Dictionary, model_dir, read_dictionary
from proxy.redaction.segments import split_segments

logger = logging.getLogger("spp.redaction")

_OFF = {"", "none", "off", "false", "no", "null"}
# Components the `ner` pipe may depend on; everything else (parser, tagger, lemmatizer...) is excluded.
_NER_PIPES = {"ner", "tok2vec", "transformer", "curated_transformer"}
_NOT_NER = [
    "parser",
    "tagger",
    "lemmatizer",
    "attribute_ruler",
    "senter",
    "morphologizer",
    "textcat",
    "textcat_multilabel",
    "entity_linker",
    "spancat",
    "span_finder",
    "trainable_lemmatizer",
    "sentencizer",
]
_PERSON_LABELS = {"PERSON", "PER"}
_CHUNK_CHARS = 50_000


@lru_cache(maxsize=4)
def load_ner_model(spec: str) -> Language | None:
    """Load a spaCy pipeline by package name or directory, keeping only what `ner` needs. Never downloads.

    Returns None (after a loud warning) when the model is missing, broken or has no `ner` pipe.
    """
    if spec.strip().lower() in _OFF:
        return None
    try:
        path = Path(spec).expanduser()
        if path.exists():
            nlp = spacy.load(model_dir(path), exclude=_NOT_NER)
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
    listeners: set[str] = set()
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


# NER is worth running on a sentence only if it holds a pair of capitalised words ("Maria Garcia") that
# the pattern recognizers left unexplained: a lone capitalised word is kept from NER only when it is an
# unambiguous listed first name (`plausible_person`), which the model-free name rule already finds, and a
# pair with one word already inside a detection ("Patient Jane Roe", "1234 Elm Street") adds nothing new.
_NOT_NAME_STARTS = SENTENCE_STARTERS
_PAIR = re.compile(
    r"(?<![\p{L}\d_])(?P<a>\p{Lu}[\p{Ll}'’]+(?:-\p{L}\p{Ll}+)?)[ \t]+(?:\p{Lu}\.[ \t]+)?"
    r"(?P<b>(?:Mc|Mac|O['’]|D['’])?\p{Lu}[\p{Ll}'’]+)"
)


class Covered:
    """Spans already detected by the pattern recognizers, for "is this word explained?" lookups."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [m[0] for m in merged]
        self._ends = [m[1] for m in merged]

    def __contains__(self, span: tuple[int, int]) -> bool:
        i = bisect.bisect_right(self._starts, span[0]) - 1
        return i >= 0 and self._ends[i] >= span[1]


def _could_hold_name(text: str, start: int, end: int, covered: Covered, dictionary: Dictionary) -> bool:
    for m in _PAIR.finditer(text, start, end, overlapped=True):
        a, b = m.group("a"), m.group("b")
        if a.lower() in _NOT_NAME_STARTS:
            continue
        if m.span("a") in covered or m.span("b") in covered:
            continue
        if _plain_words(a, b, dictionary):
            continue
        return True
    return False


def _plain_words(a: str, b: str, dictionary: Dictionary) -> bool:
    """`Billing Service`, `Strict Mode`: two English words, neither a given name. `plausible_person` would
    reject the pair as a name, so it is no reason to run the model."""
    if not dictionary.words:
        return False
    lists = name_lists()
    if lists.is_first_name(a, allow_ambiguous=True) or lists.is_first_name(b, allow_ambiguous=True):
        return False
    return dictionary.known(a.lower()) and dictionary.known(b.lower())


def ner_pieces(
    text: str, covered: Covered | None = None, dictionary: Dictionary | None = None
) -> Iterator[tuple[int, int]]:
    """Spans of `text` worth running NER on: sentences/lines of NER segments that could hold a name not
    found yet, adjacent ones merged, none longer than a chunk (a huge paragraph is cut at a space)."""
    for start, end in _candidate_runs(text, covered or Covered(), dictionary or Dictionary()):
        while end - start > _CHUNK_CHARS:
            cut = text.rfind(" ", start + _CHUNK_CHARS // 2, start + _CHUNK_CHARS)
            cut = cut if cut > start else start + _CHUNK_CHARS
            yield start, cut
            start = cut
        yield start, end


# A sentence or line: the unit the name prefilter judges.
_UNIT_END = re.compile(r"[.!?](?=\s)|\n")


def _candidate_runs(text: str, covered: Covered, dictionary: Dictionary) -> Iterator[tuple[int, int]]:
    """Runs of consecutive sentences/lines that could hold a name the patterns have not explained."""
    if _PAIR.search(text) is None:  # no capitalised pair anywhere: skip segmenting altogether
        return
    for seg in split_segments(text):
        run_start = run_end = -1
        pos = seg.start
        while pos < seg.end:
            m = _UNIT_END.search(text, pos, seg.end)
            end = m.end() if m else seg.end
            if _could_hold_name(text, pos, end, covered, dictionary):
                if run_start < 0:
                    run_start = pos
                run_end = end
            elif run_start >= 0:
                yield run_start, run_end
                run_start = -1
            pos = end
        if run_start >= 0:
            yield run_start, run_end


_CODEISH = re.compile(r"[^\p{L}\s'’.\-]|\p{Ll}\p{Lu}(?<!Mc\p{Lu})(?<!Mac\p{Lu})")


def plausible_person(span: str, dictionary: Dictionary | None = None) -> bool:
    """Rejects NER output that is code, an acronym or a title-cased phrase.

    `getName`, `UserService`, `AWS`, `psycopg2` are code; `Strict Mode`, `Render Python`, `Enable Nagle`
    are headings (dictionary words, or a leading verb/adjective) with no known first name among them.
    """
    tokens = span.split()
    if not tokens or _CODEISH.search(span):
        return False
    if not all(
        t[:1].isupper() or t in {"de", "da", "del", "van", "von", "der", "la", "le", "bin", "al"}
        for t in tokens
    ):
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
    """The English words of a loaded model's lemmatizer tables (empty if it ships none)."""
    path = getattr(nlp, "path", None)
    return read_dictionary(Path(path)) if path else Dictionary()


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
        return self.artifacts(text, Covered(), language)

    def artifacts(self, text: str, covered: Covered, language: str = "en") -> NlpArtifacts:
        """NER results for the pieces of `text` that could hold a name outside the `covered` spans."""
        entities = self.person_spans(text, covered) if self.nlp is not None else []
        return NlpArtifacts(
            entities=entities,  # type: ignore[arg-type]  # duck-typed spans
            tokens=Doc(self._vocab, words=[]),
            tokens_indices=[],
            lemmas=[],
            nlp_engine=self,
            language=language,
            scores=[0.85] * len(entities),
        )

    def process_batch(
        self, texts: Iterable[str], language: str, batch_size: int = 1, n_process: int = 1, **kwargs: Any
    ) -> Iterator[tuple[str, NlpArtifacts]]:
        for text in texts:
            yield text, self.process_text(str(text), language)

    def person_spans(self, text: str, covered: Covered | None = None) -> list[_Entity]:
        assert self.nlp is not None
        pieces = list(ner_pieces(text, covered, model_dictionary(self.nlp)))
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


_FIRST_WORD = re.compile(r"(\S+)[ \t]+")


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
    first = _FIRST_WORD.match(text, start, end)
    while first and first.group(1).lower() in SENTENCE_STARTERS:
        start = first.end()
        first = _FIRST_WORD.match(text, start, end)
    return start, end
