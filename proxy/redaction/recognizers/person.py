"""Person names without a model: context words, titles, "name" keys and a first-name list.

Catches names where spaCy's small model is weakest (short string literals in fixtures, "Patient X"
in clinical notes) and keeps working when no model is installed. Names are capitalised words that
stand alone: `UserService`, `getName`, `User.objects` never qualify.

Rules, each with its own acceptance test:
- title      `Dr. Maria Garcia`, `Mrs Chen`: any capitalised name after a title.
- role       `Patient Jane Roe`, `customer: Wei Zhang`: a listed first name, or two+ capitalised words
             that are not software nouns ("user Settings Page" is not a person).
- greeting   `Hi Priya,` / `Thanks,\\nBob`: a listed first name.
- key        `"name": "Maria Garcia"`, `first_name = 'ana'`: explicit first/last-name keys take any
             value; person keys (`patient_name`, `author`) two+ words; a bare `name` key a listed first name.
- gazetteer  `Maria Garcia` anywhere: an unambiguous listed first name followed by a capitalised surname.
- first_name `Sarah said`, `ask Priya`: an unambiguous listed first name standing alone (lower score).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex as re
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from proxy.redaction.recognizers.base import make_result


@dataclass(frozen=True, slots=True)
class NameLists:
    first: frozenset[str]  # unambiguous given names
    ambiguous: frozenset[str]  # given names that are also words, places or tools
    not_names: frozenset[str]  # software nouns that follow "user", "name:" ...

    def is_first_name(self, token: str, *, allow_ambiguous: bool) -> bool:
        token = _fold(token)
        return token in self.first or (allow_ambiguous and token in self.ambiguous)


def _fold(token: str) -> str:
    """José -> Jose, so the list needs no accented spellings."""
    return "".join(c for c in unicodedata.normalize("NFKD", token) if not unicodedata.combining(c))


def _read(name: str) -> list[str]:
    text = (resources.files("proxy.redaction.data") / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def name_lists() -> NameLists:
    first: set[str] = set()
    ambiguous: set[str] = set()
    target = first
    for line in _read("first_names.txt"):
        if line == "[names]":
            target = first
        elif line == "[ambiguous]":
            target = ambiguous
        else:
            target.add(line)
    return NameLists(frozenset(first), frozenset(ambiguous), frozenset(_read("not_names.txt")))


_TOKEN = r"(?:(?:Mc|Mac|O['’]|D['’])?\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)"  # noqa: S105  (a regex, not a password)
_INITIAL = r"\p{Lu}\."
_PARTICLE = r"(?:de|da|del|della|di|du|van|von|der|den|la|le|bin|ibn|al|el|dos|das)"
_NAME = rf"{_TOKEN}(?:[ \t]+(?:{_INITIAL}[ \t]+)?(?:{_PARTICLE}[ \t]+){{0,2}}{_TOKEN}){{0,2}}"
_START = r"(?<![\p{L}\d_.@/$#\-])"
# Not followed by more word, a call, an attribute access or a hyphenated continuation.
_END = r"(?![\p{L}\d_(]|\.\w|-\w)"

_TITLE = r"\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|Miss|Mme|Mlle|Sr|Sra|Herr|Frau)\.?[ \t]+"
_ROLE = (
    r"(?i:\b(?:(?P<weak>from|to|cc|attn|attention|user|member|owner|manager|author|reporter|assignee|contact)"
    r"|patient|pt|customer|client|employee|nurse|doctor|physician|surgeon|therapist|caregiver|guardian|spouse"
    r"|husband|wife|son|daughter|mother|father|tenant|applicant|candidate|student|teacher|colleague|coworker"
    r"|co-worker|beneficiary|subscriber|insured|cardholder|account[ \t]+holder|signed[ \t]+by"
    r"|prepared[ \t]+by"
    r"|reviewed[ \t]+by|approved[ \t]+by|written[ \t]+by|assigned[ \t]+to)(?:'s)?"
    r"(?:[ \t]+(?:name|named|called))?)[ \t]*[:=,\-–]?[ \t]*"
)
_GREETING = (
    r"\b(?:Hi|Hello|Hey|Dear|Thanks|Thank[ \t]+you|Regards|Cheers|Best|Sincerely|Yours)[,!.]?[ \t]*\n?[ \t]*"
)
_EXPLICIT_KEY = (
    r"(?:first|last|given|family|middle|full|sur|maiden|legal|preferred|nick)[_\-]?name|firstname|lastname"
    r"|surname|fname|lname"
)
_PERSON_KEY = (
    r"(?:user|patient|customer|client|contact|employee|member|person|author|owner|full|display|account|holder"
    r"|doctor|provider|physician|guardian|sender|recipient|assignee|reporter|manager|student|teacher|applicant"
    r"|subscriber|cardholder|emergency[_\-]?contact)[_\-]?name|author|owner|patient|customer|assignee|reporter"
    r"|cardholder|insured|subscriber|signed[_\-]?by"
)
_KEY = (
    rf"(?<![A-Za-z])(?i:(?P<explicit>{_EXPLICIT_KEY})|(?P<person>{_PERSON_KEY})|(?P<bare>name))"
    r"(?-i:(?![a-z]))[\"'`]?[ \t]*(?:=>|==?|:)[ \t]*(?P<q>[\"'`]?)[ \t]*"
)

_KEY_VALUE = rf"(?P<name>{_NAME}|(?<=[\"'`])[\p{{L}}][\p{{L}}'’\-]+(?:[ \t]+[\p{{L}}][\p{{L}}'’\-]+){{0,2}})"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    """One regex per rule. The list-driven rules match only listed first names, so the regex engine, not
    Python, skips the thousands of capitalised words in a code prompt."""
    listed = "|".join(sorted((re.escape(n) for n in name_lists().first), key=len, reverse=True))
    first = rf"(?:{listed})"
    return {
        "title": re.compile(rf"{_TITLE}(?P<name>(?:{_INITIAL}[ \t]*){{0,2}}{_NAME}){_END}"),
        "role": re.compile(rf"{_ROLE}(?P<name>{_NAME}){_END}"),
        "greeting": re.compile(rf"{_GREETING}(?P<name>{_NAME}){_END}"),
        "key": re.compile(rf"{_KEY}{_KEY_VALUE}{_END}"),
        "gazetteer": re.compile(
            rf"{_START}(?P<name>{first}"
            rf"(?:[ \t]+(?:{_INITIAL}[ \t]+)?(?:{_PARTICLE}[ \t]+){{0,2}}{_TOKEN}){{1,2}}){_END}"
        ),
        # A listed first name alone ("Sarah said", "ask Priya"), not followed by another capitalised word.
        "first_name": re.compile(rf"{_START}(?P<name>{first}){_END}(?![ \t]+\p{{Lu}})"),
    }


_PREVIOUS_CAPITALISED = re.compile(r"(?<![\p{L}\d_])(\p{Lu}[\p{L}.]*)[ \t]+$")
# Capitalised words that start sentences and prompts without being part of a name ("Call Maria", "Ask Wei").
SENTENCE_STARTERS = frozenset(STOP_WORDS) | {
    "add",
    "also",
    "ask",
    "build",
    "call",
    "change",
    "check",
    "convert",
    "create",
    "debug",
    "delete",
    "describe",
    "email",
    "explain",
    "find",
    "fix",
    "generate",
    "get",
    "help",
    "hi",
    "hello",
    "implement",
    "improve",
    "let",
    "list",
    "make",
    "message",
    "note",
    "optimize",
    "ping",
    "please",
    "refactor",
    "remove",
    "return",
    "returns",
    "review",
    "rewrite",
    "run",
    "send",
    "set",
    "show",
    "summarize",
    "tell",
    "test",
    "thanks",
    "todo",
    "translate",
    "update",
    "use",
    "write",
    "true",
    "false",
    "none",
    "null",
    "error",
    "warning",
    "info",
    "example",
    "output",
    "input",
    "step",
}
_TRAILING_JUNK = re.compile(rf"(?:[ \t]+(?:{_PARTICLE}|{_INITIAL}))+$")
_PLACEHOLDERS = {
    "string",
    "str",
    "text",
    "name",
    "none",
    "null",
    "nil",
    "undefined",
    "todo",
    "tbd",
    "test",
    "example",
    "sample",
    "foo",
    "bar",
    "baz",
    "xxx",
    "required",
    "optional",
    "unknown",
    "n/a",
    "first",
    "last",
}


class PersonNameRecognizer(LocalRecognizer):
    """Model-free PERSON recognizer (see module docstring for the rules)."""

    ENTITY = "PERSON"
    CONTEXT: list[str] = []  # context is built into each rule

    def __init__(self) -> None:
        self.lists = name_lists()
        super().__init__(supported_entities=[self.ENTITY], name="person_name", supported_language="en")

    def load(self) -> None:
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None, *args: object
    ) -> list[RecognizerResult]:
        best: dict[tuple[int, int], float] = {}
        for rule, pattern in _patterns().items():
            for m in pattern.finditer(text):
                start, end = m.span("name")
                junk = _TRAILING_JUNK.search(text, start, end)
                if junk:
                    end = junk.start()
                if rule == "first_name" and self._after_capitalised_word(text, start):
                    continue  # "San Carlos", "Hotel Sofia": part of a longer proper name
                score = self._accept(rule, m, text[start:end])
                if score and score > best.get((start, end), 0.0):
                    best[(start, end)] = score
        return [self._result(s, e, score) for (s, e), score in sorted(best.items())]

    @staticmethod
    def _after_capitalised_word(text: str, start: int) -> bool:
        prev = _PREVIOUS_CAPITALISED.search(text[max(0, start - 30) : start])
        return bool(prev) and prev.group(1).lower().rstrip(".") not in SENTENCE_STARTERS

    def _accept(self, rule: str, m: re.Match[str], name: str) -> float:
        tokens = name.split()
        lists = self.lists
        if any(t.lower() in lists.not_names for t in tokens):
            return 0.0
        listed = lists.is_first_name(tokens[0], allow_ambiguous=rule not in {"gazetteer", "first_name"})
        if rule == "title":
            return 0.85
        if rule == "role":
            if m.group("weak"):  # "to Rich", "from Julia": only an unambiguous first name
                return 0.85 if lists.is_first_name(tokens[0], allow_ambiguous=False) else 0.0
            if listed:
                return 0.85
            # "from Django Rest" is not a person; "Patient Xochitl Ramirez" is.
            return 0.7 if len(tokens) >= 2 and not _stop_word(tokens) else 0.0
        if rule == "greeting":
            return 0.8 if listed else 0.0
        if rule == "key":
            quoted = bool(m.group("q"))
            if quoted and not text_closes_quote(m):
                return 0.0
            if m.group("explicit"):
                return 0.0 if name.lower() in _PLACEHOLDERS else 0.85
            if not name[:1].isupper():
                return 0.0
            if m.group("person"):
                return 0.85 if listed or (len(tokens) >= 2 and not _stop_word(tokens)) else 0.0
            return 0.85 if listed else 0.0
        if rule == "first_name":
            return 0.6 if listed else 0.0
        # gazetteer: unambiguous first name + a surname that is not a common word
        if not listed or len(tokens) < 2 or _stop_word(tokens[1:]):
            return 0.0
        return 0.7

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return make_result(self, self.ENTITY, start, end, score)


def text_closes_quote(m: re.Match[str]) -> bool:
    """A quoted value must be the whole string: `"name": "Maria Garcia"`, not `"Maria Garcia's app"`."""
    quote = m.group("q")
    end = m.end("name")
    rest = m.string[end : end + 2]
    return rest[:1] == quote or (rest[:1] in " \t" and rest[1:2] == quote)


def _stop_word(tokens: list[str]) -> bool:
    return any(t.lower() in STOP_WORDS for t in tokens)
