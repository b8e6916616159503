"""English words from a spaCy model's lemmatizer tables, read from disk without loading the pipeline.

Name rules use them to tell `Billing Service` (two English words) from `Soo-ah Jeong` (no English word).
The tables come with the model package, so pattern-only detection (`ner: false`) can use them too; with
no model installed the dictionary is empty and the rules fall back to stop words and the not-names list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_OFF = {"", "none", "off", "false", "no", "null"}


@dataclass(frozen=True, slots=True)
class Dictionary:
    """English base forms from the model's lemmatizer tables (WordNet-based); empty if the model has none."""

    words: frozenset[str] = frozenset()
    nouns: frozenset[str] = frozenset()

    def forms(self, word: str) -> Iterator[str]:
        """The word and its likely base forms: the tables hold `disable`, not `disables` or `disabled`."""
        yield word
        for suffix, repl in (
            ("ies", "y"),
            ("es", ""),
            ("s", ""),
            ("ed", ""),
            ("ed", "e"),
            ("ing", ""),
            ("ing", "e"),
            ("er", ""),
            ("er", "e"),
        ):
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                yield word[: -len(suffix)] + repl

    def known(self, word: str) -> bool:
        return any(f in self.words for f in self.forms(word))

    def only_non_noun(self, word: str) -> bool:
        """`Enable`, `Strict`, `Older`: a verb or adjective, never a noun, so never a given name."""
        return self.known(word) and not any(f in self.nouns for f in self.forms(word))


EMPTY = Dictionary()


def model_dir(path: Path) -> Path:
    """A model directory (holding config.cfg); an installed package's folder resolves to the model inside."""
    if (path / "config.cfg").is_file():
        return path
    inner = (
        [p for p in path.iterdir() if p.is_dir() and (p / "config.cfg").is_file()] if path.is_dir() else []
    )
    return inner[0] if len(inner) == 1 else path


@lru_cache(maxsize=4)
def read_dictionary(path: Path) -> Dictionary:
    """Read the lemmatizer's lookup tables from a model directory, if it ships them."""
    folder = model_dir(path) / "lemmatizer" / "lookups"
    if not folder.is_dir():
        return EMPTY
    try:
        from spacy.lookups import Lookups

        index = Lookups().from_disk(folder).get_table("lemma_index")
        by_pos = {
            pos: frozenset(w for w in index[pos] if w.isalpha()) for pos in ("noun", "verb", "adj", "adv")
        }
    except Exception:  # missing table or another format: the check is an extra, not a requirement
        return EMPTY
    return Dictionary(frozenset().union(*by_pos.values()), by_pos["noun"])


@lru_cache(maxsize=4)
def dictionary_for(spec: str) -> Dictionary:
    """The dictionary of the model named in config (package name or directory); never downloads."""
    if spec.strip().lower() in _OFF:
        return EMPTY
    try:
        path = Path(spec).expanduser()
        if not path.exists():
            import spacy.util

            if not spacy.util.is_package(spec):
                return EMPTY
            path = spacy.util.get_package_path(spec)
        return read_dictionary(path)
    except Exception:  # an unreadable model only costs the dictionary check
        return EMPTY
