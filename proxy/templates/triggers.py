"""Trigger lists of a pack (its `topics:` front matter) and how they score one text.

Why scoring and a threshold instead of "any keyword hits": a single common word ("session", "token",
"file") must not pull a pack in, or the assistant gets steered on every request (the failure of earlier
security proxies). A strong keyword, API identifier, file name or pattern scores 2, an import 3, a weak
word 1; a topic needs `threshold` (2) points, and weak words alone need three different ones.

The text is data: it is only ever matched, never rendered or evaluated.
"""

from __future__ import annotations

import bisect
import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, field_validator

WEIGHTS = {"keywords": 2, "weak": 1, "identifiers": 2, "imports": 3, "files": 2, "patterns": 2}


class TriggerSpec(BaseModel):
    """A topic pack's triggers (its `topics:` front matter)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    keywords: list[str] = Field(default_factory=list)  # case-insensitive words/phrases; "upload*" = prefix
    weak: list[str] = Field(default_factory=list)  # same syntax, too common to count alone
    identifiers: list[str] = Field(default_factory=list)  # case-sensitive API names: "pickle.loads"
    imports: list[str] = Field(default_factory=list)  # module names: "yaml", "java.sql", "database/sql"
    files: list[str] = Field(default_factory=list)  # globs on mentioned file names: "Dockerfile*", "*.tf"
    patterns: list[str] = Field(default_factory=list)  # Python regexes for what words cannot say

    @field_validator("keywords", "weak", "identifiers", "imports", "files")
    @classmethod
    def _no_blank(cls, v: list[str]) -> list[str]:
        if any(not s.strip().strip("*") for s in v):
            raise ValueError("empty trigger")
        return v

    @field_validator("keywords", "weak", "identifiers")
    @classmethod
    def _star_at_end(cls, v: list[str]) -> list[str]:
        for s in v:
            if "*" in s.rstrip("*"):
                raise ValueError(f"{s!r}: `*` may only end a term (prefix match)")
        return v

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, v: list[str]) -> list[str]:
        for p in v:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"pattern {p!r} does not compile: {exc}") from None
        return v

    @property
    def empty(self) -> bool:
        return not any((self.keywords, self.weak, self.identifiers, self.imports, self.files, self.patterns))


@dataclass(frozen=True)
class Evidence:
    """What triggers are matched against: the (bounded) text, its words, imports and file names."""

    text: str
    view: TextView
    imports: frozenset[str] = frozenset()
    files: tuple[str, ...] = ()

    def imports_module(self, name: str) -> bool:
        """`name` or a sub-module of it (`xml` matches `xml.etree.ElementTree`, `database/sql` itself)."""
        return any(m == name or (m.startswith(name) and m[len(name)] in "./:\\") for m in self.imports)

    @cached_property
    def file_keys(self) -> tuple[str, ...]:
        """Lower-cased paths and base names, the strings file globs are matched against."""
        keys = [f.lower() for f in self.files]
        keys += [f.rsplit("/", 1)[-1].lower() for f in self.files if "/" in f]
        return tuple(dict.fromkeys(keys))


# -- compiled triggers ---------------------------------------------------------------------------------
# Matching is set lookups on the turn's words plus substring-prefiltered regexes for phrases and
# punctuated names: a 20 KB paste costs about a millisecond, where one big alternation regex per pack
# cost 10-20 ms each in Python's `re`.
_WORD = re.compile(r"\w+")
_PLAIN = re.compile(r"^\w+$")


@dataclass(frozen=True)
class TextView:
    """The forms of one text the matchers need, computed once."""

    text: str
    lower: str
    words: frozenset[str]  # case-sensitive \w+ tokens
    lower_words: frozenset[str]
    sorted_words: tuple[str, ...]
    sorted_lower: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> TextView:
        words = frozenset(_WORD.findall(text))
        lower_words = frozenset(w.lower() for w in words)
        return cls(text=text, lower=text.lower(), words=words, lower_words=lower_words,
                   sorted_words=tuple(sorted(words)), sorted_lower=tuple(sorted(lower_words)))

    def has_word(self, word: str, *, prefix: bool, ignore_case: bool) -> bool:
        """Is `word` (or, with prefix, a word starting with it) one of the text's words?"""
        if not prefix:
            return word in (self.lower_words if ignore_case else self.words)
        ordered = self.sorted_lower if ignore_case else self.sorted_words
        i = bisect.bisect_left(ordered, word)
        return i < len(ordered) and ordered[i].startswith(word)


def _term_regex(term: str, *, phrase: bool) -> str:
    """Regex for a term without the leading boundary: starting with a literal lets `re` search fast.

    The leading word boundary is checked by the caller (`_found`); case-insensitive terms are matched
    lower-cased against the lower-cased text for the same reason (IGNORECASE disables the fast search).
    """
    prefix = term.endswith("*")
    term = term.rstrip("*").strip()
    body = r"\s+".join(re.escape(t) for t in term.split()) if phrase else re.escape(term)
    tail = r"\w*(?!\w)" if prefix else (r"(?!\w)" if re.search(r"\w$", term) else "")
    return body + tail


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _found(rx: re.Pattern[str], text: str, needs_boundary: bool) -> bool:
    for m in rx.finditer(text):
        if not needs_boundary or m.start() == 0 or not _is_word_char(text[m.start() - 1]):
            return True
    return False


@dataclass(frozen=True)
class TermSet:
    """Terms of one trigger list, split by how cheaply they can be matched."""

    exact: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    # Phrases and punctuated names: (a word the text must contain, is it a prefix, regex, check boundary).
    complex: tuple[tuple[str, bool, re.Pattern[str], bool], ...] = ()
    ignore_case: bool = True

    @classmethod
    def build(cls, terms: Iterable[str], *, ignore_case: bool) -> TermSet:
        exact: set[str] = set()
        prefixes: list[str] = []
        complex_: list[tuple[str, bool, re.Pattern[str], bool]] = []
        for raw in terms:
            term = raw.strip()
            stem = term.rstrip("*")
            key = stem.lower() if ignore_case else stem
            if _PLAIN.match(stem):
                (prefixes.append(key) if term.endswith("*") else exact.add(key))
                continue
            # Prefilter on the longest word of the term: a set lookup instead of a scan of the text.
            chunks = _WORD.findall(key)
            needle = max(chunks, key=len) if chunks else ""
            is_prefix = bool(chunks) and needle == chunks[-1] and term.endswith("*") and key.endswith(needle)
            rx = re.compile(_term_regex(key + ("*" if term.endswith("*") else ""), phrase=ignore_case))
            complex_.append((needle, is_prefix, rx, bool(re.match(r"\w", stem))))
        return cls(frozenset(exact), tuple(prefixes), tuple(complex_), ignore_case)

    def count(self, view: TextView) -> int:
        """How many distinct terms occur in the text."""
        words = view.lower_words if self.ignore_case else view.words
        haystack = view.lower if self.ignore_case else view.text
        ic = self.ignore_case
        n = len(self.exact & words)
        n += sum(1 for p in self.prefixes if view.has_word(p, prefix=True, ignore_case=ic))
        for needle, is_prefix, rx, edge in self.complex:
            present = view.has_word(needle, prefix=is_prefix, ignore_case=ic) if needle else True
            if present and _found(rx, haystack, edge):
                n += 1
        return n


@dataclass(frozen=True)
class Triggers:
    """A TriggerSpec compiled once at load time."""

    spec: TriggerSpec
    keywords: TermSet
    weak: TermSet
    identifiers: TermSet
    patterns: tuple[re.Pattern[str], ...]
    files: tuple[re.Pattern[str], ...] = ()

    def score(self, feats: Evidence) -> tuple[int, tuple[str, ...]]:
        """Points and the kinds of trigger that scored (kinds only: the reasons never quote the prompt).

        Weak words alone need three different ones: two common words ("files", "directory") are not a topic.
        """
        view = feats.view
        hits = {
            "keywords": self.keywords.count(view),
            "weak": self.weak.count(view),
            "identifiers": self.identifiers.count(view),
            "imports": sum(1 for t in self.spec.imports if feats.imports_module(t)),
            "files": sum(1 for g in self.files if any(g.match(f) for f in feats.file_keys)),
            "patterns": sum(1 for p in self.patterns if p.search(feats.text)),
        }
        points = sum(WEIGHTS[k] * n for k, n in hits.items())
        if points == hits["weak"] and hits["weak"] < 3:
            points = min(points, 1)
        return points, tuple(f"{k}:{n}" for k, n in hits.items() if n)


def compile_triggers(spec: TriggerSpec) -> Triggers:
    return Triggers(
        spec=spec,
        keywords=TermSet.build(spec.keywords, ignore_case=True),
        weak=TermSet.build(spec.weak, ignore_case=True),
        identifiers=TermSet.build(spec.identifiers, ignore_case=False),
        patterns=tuple(re.compile(p) for p in spec.patterns),
        files=tuple(re.compile(fnmatch.translate(g.lower())) for g in spec.files),
    )
