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
- mention    `@Rosalind the replica...`: a chat mention of an unambiguous listed first name.
- mailbox    `Maria Garcia <maria@x.org>`, `"Garcia, Maria" <...>`: the display name of an address.
- inverted   `|Garcia, Maria|`, `'Garcia, Maria'`: "Surname, listed first name" filling a field.
- email      `Maria Garcia` when `maria.garcia@...` is in the same text: the address spells the name.
- column     a table cell under a name header (`first_name`, `full_name`, `beneficiary`...), an SQL
             VALUES tuple under such a column, HL7 name components (columns.py).
- fhir       `{"family": "Garcia", "given": ["Maria"]}`: a FHIR HumanName.
- pair       `{"first": "Kenji", "last": "Watanabe"}`: bare `first`/`last` keys side by side name a person
             (either alone may be anything: a page, a cursor, an item).
- vcard      `FN:Maria Garcia`, `N:Garcia;Maria;;;` in a vCard.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import re2
import regex as re
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from proxy.redaction.recognizers.base import make_result
from proxy.redaction.recognizers.prefilter import facts_for
from proxy.redaction.recognizers.words import EMPTY, Dictionary


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
            target.add(_fold(line))  # looked up folded: "Bjorn" and "Björn" both count
    return NameLists(frozenset(first), frozenset(ambiguous), frozenset(_read("not_names.txt")))


# A capitalised name word; `Soo-ah`, `Mehta-Kapoor` and `O'Brien` count as one word.
_TOKEN = r"(?:(?:Mc|Mac|O['’]|D['’])?\p{Lu}\p{Ll}+(?:-\p{L}\p{Ll}+)?)"  # noqa: S105  (a regex)
_INITIAL = r"\p{Lu}\."
_PARTICLE = r"(?:de|da|del|della|di|du|van|von|der|den|la|le|bin|ibn|al|el|dos|das)"
_NAME = rf"{_TOKEN}(?:[ \t]+(?:{_INITIAL}[ \t]+)?(?:{_PARTICLE}[ \t]+){{0,2}}{_TOKEN}){{0,2}}"
_START = r"(?<![\p{L}\d_.@/$#\-])"
# Not followed by more word, a call, a subscript, an attribute access or a hyphenated continuation.
_END = r"(?![\p{L}\d_(\[<]|\.\w|-\w)"  # `Annotated[str]`, `List<User>`: a type, not a value

_TITLE = r"\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|Miss|Mme|Mlle|Sr|Sra|Herr|Frau)\.?[ \t]+"
_WEAK_ROLES = r"from|to|cc|attn|attention|user|member|owner|manager|author|reporter|assignee|contact"
_STRONG_ROLES = (
    r"patient|pt|customer|client|employee|nurse|doctor|physician|surgeon|therapist|caregiver|guardian|spouse"
    r"|husband|wife|son|daughter|mother|father|tenant|applicant|candidate|student|teacher|colleague|coworker"
    r"|boss|teammate|mentor|mentee|intern|neighbou?r|landlord|landlady|roommate|flatmate|grandmother"
    r"|grandfather"
    r"|co-worker|beneficiary|subscriber|insured|cardholder|account[ \t]+holder|signed[ \t]+by"
    r"|prepared[ \t]+by|reported[ \t]+by|requested[ \t]+by|submitted[ \t]+by|filed[ \t]+by|sent[ \t]+by"
    r"|reviewed[ \t]+by|approved[ \t]+by|written[ \t]+by|assigned[ \t]+to|ship[ \t]+to|bill[ \t]+to"
    r"|deliver[ \t]+to|next[ \t]+of[ \t]+kin|emergency[ \t]+contact"
)
_ROLE_TAIL = r"(?:'s)?(?:[ \t]+(?:name|named|called))?"
_ROLE = rf"(?i:\b(?:(?P<weak>{_WEAK_ROLES})|{_STRONG_ROLES}){_ROLE_TAIL})[ \t]*[:=,\-–]?[ \t]*"
_POSSESSIVE = re.compile(r"(?i:\b(?:my|our|your|his|her|their))[ \t]+$")
_GREETING = (
    r"\b(?:Hi|Hello|Hey|Dear|Thanks|Thank[ \t]+you|Regards|Cheers|Best|Sincerely|Yours)[,!.]?[ \t]*\n?[ \t]*"
)
_EXPLICIT_KEY = (
    r"(?:first|last|given|family|middle|full|sur|maiden|legal|preferred|nick)[_\-]?name|firstname|lastname"
    r"|surname|fname|lname"
    # `patient_last`, `subscriberFirst`, `insured_given`: a person's role, then the name part alone.
    r"|(?:patient|pt|member|subscriber|insured|customer|employee|guarantor|client|contact|beneficiary)[_\-]?"
    r"(?:first|last|given|family|middle|sur)"
)
_PERSON_KEY = (
    r"(?:user|patient|customer|client|contact|employee|member|person|author|owner|full|display|account|holder"
    r"|doctor|provider|physician|guardian|sender|recipient|assignee|reporter|manager|student|teacher|applicant"
    r"|subscriber|cardholder|emergency[_\-]?contact)[_\-]?name|author|owner|patient|customer|assignee|reporter"
    r"|cardholder|insured|subscriber|signed[_\-]?by"
)
_KEY = (
    r"(?:(?<![A-Za-z])|(?<=[a-z])(?=[A-Z]))"  # a word start or a camelCase hump (`insuredLastName`)
    rf"(?i:(?P<explicit>{_EXPLICIT_KEY})|(?P<person>{_PERSON_KEY})|(?P<bare>name))"
    r"(?-i:(?![a-z]))[\"'`]?[ \t]*(?:=>|==?|:)[ \t]*(?P<q>[\"'`]?)[ \t]*"
)

_KEY_VALUE = rf"(?P<name>{_NAME}|(?<=[\"'`])[\p{{L}}][\p{{L}}'’\-]+(?:[ \t]+[\p{{L}}][\p{{L}}'’\-]+){{0,2}})"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    """One regex per rule that reads a context word or key before the name."""
    return {
        "title": re.compile(rf"{_TITLE}(?P<name>(?:{_INITIAL}[ \t]*){{0,2}}{_NAME}){_END}"),
        "role": re.compile(rf"{_ROLE}(?P<name>{_NAME}){_END}"),
        "greeting": re.compile(rf"{_GREETING}(?P<name>{_NAME}){_END}"),
        "key": re.compile(rf"{_KEY}{_KEY_VALUE}{_END}"),
        "mailbox": re.compile(_MAILBOX),
        "inverted": re.compile(
            rf"(?<=[|\"'\t;^]|^)[ \t]*(?P<name>{_TOKEN},[ \t]*(?P<given>{_TOKEN}))(?=[ \t]*(?:[|\"'\t;^]|$))",
            re.MULTILINE,
        ),
    }


# Fast triggers (google-re2, linear time): a rule's full regex only runs on the lines where its trigger
# fires, so a 4 KB prompt costs a few re2 scans instead of one backtracking scan per rule.
_TRIGGERS = {
    "role": re2.compile(
        rf"(?i:\b(?:{_WEAK_ROLES}|{_STRONG_ROLES}){_ROLE_TAIL})[ \t]*[:=,\-–]?[ \t]*\p{{Lu}}"
    ),
    "key": re2.compile(
        rf"(?i:(?:{_EXPLICIT_KEY}|{_PERSON_KEY}|name))[\"'`]?[ \t]*(?:=>|==?|:)"
    ),
    "inverted": re2.compile(r"\p{Lu}\p{Ll}+,[ \t]*\p{Lu}\p{Ll}+"),
}
# A capitalised word that may be a listed first name (the gazetteer and first_name rules start here).
_CAPITALISED = re.compile(rf"{_START}\p{{Lu}}\p{{Ll}}+(?:-\p{{L}}\p{{Ll}}+)?")
_GAZETTEER_TAIL = re.compile(
    rf"(?:[ \t]+(?:{_INITIAL}[ \t]+)?(?:{_PARTICLE}[ \t]+){{0,2}}{_TOKEN}){{1,2}}{_END}"
)
_ASSIGNMENT = re.compile(r"[ \t]*=(?!=)")
_PLACE_PREFIX = re.compile(
    r"(?<![\p{L}\d_])(?:San|Santa|Santo|Santos|São|Saint|St|Ste|Fort|Ft|Port|Mount|Mt|Lake|Los|Las|New|Cape"
    r"|Isla|Villa|Puerto|Porto|Rio|Río|Sierra|Monte)\.?[ \t]+$"
)
# `"first": "Kenji", "last": "Watanabe"` (either order, any quote, `:` or `=`): a name split in two keys.
_PAIR_VALUE = r"[ \t]*(?::|=)[ \t]*[\"'](?P<{g}>[^\"'\n]{{1,40}})[\"']"
_FIRST_LAST = re.compile(
    r"[\"']?(?P<k1>first|last)[\"']?" + _PAIR_VALUE.format(g="v1")
    + r"[ \t]*,[ \t]*[\"']?(?P<k2>first|last)[\"']?" + _PAIR_VALUE.format(g="v2")
)
# A chat mention `@Rosalind`: after a space or line start (not an email's `@`), not a decorator call
# (`@Grant(...)`), an attribute (`@Sarah.x`) or a longer handle.
_MENTION = re.compile(rf"(?<![^\s(\[])@(?P<name>\p{{Lu}}\p{{Ll}}+){_END}(?!\.\w)")
# A listed first name alone ("Sarah said", "ask Priya"), not followed by another capitalised word.
_ALONE_TAIL = re.compile(rf"{_END}(?![ \t]+\p{{Lu}})")


def _trigger_lines(trigger: re2._Regexp, text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line holding a trigger match, once per line."""
    last_end = -1
    for hit in trigger.finditer(text):
        if hit.start() <= last_end:
            continue
        start = text.rfind("\n", 0, hit.start()) + 1
        end = text.find("\n", hit.end())
        last_end = len(text) if end < 0 else end
        yield start, last_end


# The display name of a mail address: `Maria Garcia <maria@x.org>`, `"Garcia, Maria" <maria@x.org>`.
_MAILBOX = (
    rf"(?:(?P<q>[\"'])(?P<quoted>{_TOKEN}(?:,?[ \t]+{_TOKEN}){{1,3}})(?P=q)|{_START}(?P<name>{_NAME}))"
    r"[ \t]*<[^<>@\s]{1,64}@[\w.\-]{1,253}>"
)
# Local parts that spell a name: first.last@, first_last@, last.first@.
_EMAIL_NAME = re.compile(
    r"(?<![\w.+\-])(?P<a>[A-Za-z][A-Za-z'\-]{1,30})[._](?P<b>[A-Za-z][A-Za-z'\-]{1,30})@[\w\-]+\."
)
_FHIR_NAME = re.compile(
    r'\{[^{}]{0,300}?"family"[ \t]*:[ \t]*"[^"]{1,80}"[^{}]{0,300}?\}'
    r'|\{[^{}]{0,300}?"given"[ \t]*:[ \t]*\[[^\]]{1,200}\][^{}]{0,300}?\}'
)
_FHIR_FAMILY = re.compile(r'"family"[ \t]*:[ \t]*"(?P<v>[^"]{1,80})"')
_FHIR_GIVEN = re.compile(r'"given"[ \t]*:[ \t]*\[(?P<v>[^\]]{1,200})\]')
_QUOTED = re.compile(r'"(?P<v>[^"]{1,80})"')
_VCARD_NAME = re.compile(r"^(?P<key>FN|N)(?:;[^:\n]*)?:(?P<v>[^\n\r]{1,120})$", re.MULTILINE)
# Cell values that can be a person's name: 1-4 capitalised (or upper-case) words, or "Surname, Given".
_CELL_WORD = rf"(?:\p{{Lu}}[\p{{L}}'’\-]*\.?|{_PARTICLE})"
_CELL_NAME = re.compile(
    rf"{_CELL_WORD}(?:[ \t]+{_CELL_WORD}){{0,3}}|{_CELL_WORD},[ \t]*{_CELL_WORD}(?:[ \t]+{_CELL_WORD})?"
)
# An XML element whose tag names a person's name, holding one text value.
_XML_NAME = re.compile(
    r"<(?P<tag>(?:[A-Za-z]\w*:)?(?:(?P<explicit>(?i:(?:first|last|given|family|middle|sur|maiden)[_\-]?name"
    r"|surname|given|family))"
    r"|(?i:(?:full|person|patient|employee|member|subscriber|insured|holder)?[_\-]?name)"
    r"|Nm))>[ \t]*(?P<v>[^<>\n]{1,80}?)[ \t]*</(?P=tag)>"
)
_NAME_HEADER_WORDS = (
    "patient|pat|pt|customer|client|user|employee|emp|member|person|contact|author|owner|holder|account holder"
    "|cardholder|insured|subscriber|beneficiary|guarantor|guardian|parent|spouse|recipient|sender|payee"
    "|assignee|reporter|doctor|physician|attending|referring|nurse|student|teacher|applicant"
    "|candidate|tenant|staff|emergency contact|next of kin|kin|signer|signed by|contact person"
)
# Column headers (normalised by columns.normalise_header) whose cells are person names.
_EXPLICIT_HEADER = re.compile(
    r"(?:[a-z ]+ )?(?:first|last|given|family|middle|sur|maiden|fore|christian)[ ]?name|fname|lname|surname"
    r"|(?:patient|pt|member|subscriber|insured|customer|employee|guarantor|client|contact|beneficiary)"
    r" (?:first|last|given|family|middle)"
)
_PERSON_HEADER = re.compile(
    rf"(?:(?:{_NAME_HEADER_WORDS}|full|display|legal|preferred|real) )?name|(?:{_NAME_HEADER_WORDS})"
)
# Columns that make a table's `name` column a person's name.
_PERSONAL_COLUMN = re.compile(
    r"\b(?:e ?mail|phone|mobile|cell|tel|fax|dob|birth\w*|born|ssn|address|street|city|zip|postcode|mrn|npi"
    r"|patient|customer|employee|emp|member|beneficiary|age|gender|sex|salary|iban|card|passport|hl7)\b"
)
_PERSON_CONTAINER = re.compile(
    r"(?i:\b(?:users?|patients?|customers?|clients?|employees?|members?|people|persons?|contacts?|authors?"
    r"|staff|doctors?|physicians?|students?|teachers?|applicants?|subscribers?|beneficiar(?:y|ies)"
    r"|guardians?|tenants?|passengers?|guests?|attendees?|participants?)\b)"
)


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

    def __init__(self, dictionary: Dictionary = EMPTY) -> None:
        self.lists = name_lists()
        self.dictionary = dictionary
        super().__init__(supported_entities=[self.ENTITY], name="person_name", supported_language="en")

    def load(self) -> None:
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None, *args: object
    ) -> list[RecognizerResult]:
        best: dict[tuple[int, int], float] = {}

        def keep(start: int, end: int, score: float) -> None:
            if score and end > start and score > best.get((start, end), 0.0):
                best[(start, end)] = score

        patterns = _patterns()
        for rule, pattern in patterns.items():
            if rule in _TRIGGERS:
                spans: Iterator[tuple[int, int]] = _trigger_lines(_TRIGGERS[rule], text)
            elif rule == "mailbox" and ("@" not in text or "<" not in text):
                continue
            else:
                spans = iter([(0, len(text))])
            for span_start, span_end in spans:
                for m in pattern.finditer(text, span_start, span_end):
                    group = "quoted" if rule == "mailbox" and m.group("quoted") else "name"
                    start, end = m.span(group)
                    junk = _TRAILING_JUNK.search(text, start, end)
                    if junk:
                        end = junk.start()
                    keep(start, end, self._accept(rule, m, text[start:end]))
        for start, end, score in self._listed_names(text):
            keep(start, end, score)
        for start, end, score in self._structured(text):
            keep(start, end, score)
        return [self._result(s, e, score) for (s, e), score in sorted(best.items())]

    def _listed_names(self, text: str) -> Iterator[tuple[int, int, float]]:
        """gazetteer (`Maria Garcia`) and first_name (`ask Priya`): a capitalised word found in the
        first-name list by a set lookup, then the rest of the name matched right there."""
        first = self.lists.first
        for tok in _CAPITALISED.finditer(text):
            word = tok.group()
            if word not in first and (word.isascii() or _fold(word) not in first):
                continue
            start = tok.start()
            if _PLACE_PREFIX.search(text, max(0, start - 12), start):
                continue  # "San Francisco Valley", "Santa Maria Novella": a place, not a person
            tail = _GAZETTEER_TAIL.match(text, tok.end())
            if tail:
                end = tail.end()
                junk = _TRAILING_JUNK.search(text, start, end)
                end = junk.start() if junk else end
                tokens = text[start:end].split()
                if not _stop_word(tokens[1:]) and not any(t.lower() in self.lists.not_names for t in tokens):
                    yield start, end, 0.7
            elif (
                _ALONE_TAIL.match(text, tok.end())
                and not self._after_capitalised_word(text, start)
                and word.lower() not in self.lists.not_names
            ):
                yield start, tok.end(), 0.6

    # -- rules that read structure rather than one regex match ------------------------------------

    def _structured(self, text: str) -> Iterator[tuple[int, int, float]]:
        if "@" in text:
            yield from self._email_names(text)
            yield from self._mentions(text)
        yield from self._column_names(text)
        if "first" in text and "last" in text:
            yield from self._first_last_pairs(text)
        if '"family"' in text or '"given"' in text:
            yield from self._fhir_names(text)
        if "BEGIN:VCARD" in text:
            yield from self._vcard_names(text)
        if "</" in text:
            yield from self._xml_names(text)

    def _xml_names(self, text: str) -> Iterator[tuple[int, int, float]]:
        """`<Nm>Zofia Wiśniewska</Nm>` (ISO 20022 payments), `<LastName>Okafor</LastName>`: an element
        named for a name holds one; a bare `Nm`/`Name` only a person-shaped value (not `Acme GmbH`)."""
        for m in _XML_NAME.finditer(text):
            s, e = m.span("v")
            value = text[s:e]
            if not _CELL_NAME.fullmatch(value):
                continue
            explicit = m.group("explicit") is not None
            score = self._name_value_score(value, explicit=explicit)
            if score:
                yield s, e, score

    def _first_last_pairs(self, text: str) -> Iterator[tuple[int, int, float]]:
        """`"first": "Kenji", "last": "Watanabe"`: each value a name part when the keys differ."""
        for m in _FIRST_LAST.finditer(text):
            if m.group("k1") == m.group("k2"):
                continue
            for group in ("v1", "v2"):
                value = m.group(group).strip()
                if _CELL_NAME.fullmatch(value) and self._name_value_score(value, explicit=True):
                    yield m.start(group), m.start(group) + len(value), 0.85

    def _mentions(self, text: str) -> Iterator[tuple[int, int, float]]:
        """`@Rosalind`: a mention of an unambiguous listed first name (`@Override`, `@Data` are not)."""
        for m in _MENTION.finditer(text):
            if self.lists.is_first_name(m.group("name"), allow_ambiguous=False):
                yield m.start("name"), m.end("name"), 0.8

    def _email_names(self, text: str) -> Iterator[tuple[int, int, float]]:
        """`Maria Garcia` (or `Garcia, Maria`) where `maria.garcia@...` appears in the same text.

        All addresses' names go into one re2 alternation, so the text is scanned once however many
        addresses it holds; word boundaries are checked on each hit.
        """
        alternatives = []
        for a, b in {(m.group("a").lower(), m.group("b").lower()) for m in _EMAIL_NAME.finditer(text)}:
            if a in STOP_WORDS or b in STOP_WORDS or a in _PLACEHOLDERS or b in _PLACEHOLDERS:
                continue
            fa, fb = _fuzzy(a), _fuzzy(b)
            alternatives += [rf"{fa}[ \t]+{fb}", rf"{fb},[ \t]*{fa}", rf"{fb}[ \t]+{fa}"]
        if not alternatives:
            return
        pattern = _email_name_pattern(tuple(sorted(alternatives)))
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            if not text[start].isupper() or _GLUED_BEFORE.search(text, max(0, start - 1), start):
                continue
            if _GLUED_AFTER.match(text, end):
                continue
            yield start, end, 0.85

    def _column_names(self, text: str) -> Iterator[tuple[int, int, float]]:
        """Cells under a name header: CSV/TSV/markdown tables, SQL VALUES tuples, HL7 name components."""
        for cell in facts_for(text).cells:
            explicit = _EXPLICIT_HEADER.fullmatch(cell.header)
            if not explicit and not _PERSON_HEADER.fullmatch(cell.header):
                continue
            value = text[cell.start : cell.end]
            if not _CELL_NAME.fullmatch(value):
                continue
            if cell.header == "name" and not self._personal_table(cell.columns, value):
                continue  # `name` alone also heads products, settings and services
            score = self._name_value_score(value, explicit=bool(explicit))
            if score:
                yield cell.start, cell.end, score

    def _personal_table(self, columns: tuple[str, ...], value: str) -> bool:
        """A bare `name` column holds people when the row also records personal data (an email, a phone, a
        birth date...) or the value starts with an unambiguous listed first name."""
        first = value.replace(",", " ").split()[0]
        return self.lists.is_first_name(first, allow_ambiguous=False) or any(
            _PERSONAL_COLUMN.search(c) for c in columns
        )

    def _name_value_score(self, value: str, *, explicit: bool) -> float:
        """How much a value under a name key or header reads as a person's name."""
        tokens = [t.strip(",.") for t in value.replace(",", " ").split()]
        lowered = [t.lower() for t in tokens]
        if not tokens or any(t in self.lists.not_names or t in _PLACEHOLDERS for t in lowered):
            return 0.0
        if explicit:  # first_name, last_name, PID-5 components: any capitalised word
            return 0.85 if len(tokens) <= 3 and not _stop_word(tokens) else 0.0
        if _stop_word(tokens):
            return 0.0
        # HL7 and mainframe exports write names in capitals: `GARCIA^MARIA`.
        words = [t.capitalize() if t.isupper() else t for t in tokens]
        if any(self.lists.is_first_name(w, allow_ambiguous=False) for w in words):
            return 0.85
        # "Jun Takahashi" (an ambiguous given name) counts like "Xochitl Ramirez" (an unlisted one): when
        # not every word is English. "Max Retries", "Coffee Mug" stay quiet.
        if len(tokens) >= 2 and not all(self.dictionary.known(t) for t in lowered):
            return 0.8
        return 0.0

    def _fhir_names(self, text: str) -> Iterator[tuple[int, int, float]]:
        """FHIR HumanName: `{"family": "Garcia", "given": ["Maria", "Luisa"]}` (both keys in one object)."""
        for obj in _FHIR_NAME.finditer(text):
            family = _FHIR_FAMILY.search(text, obj.start(), obj.end())
            given = _FHIR_GIVEN.search(text, obj.start(), obj.end())
            if family is None or given is None:
                continue
            spans = [family.span("v")]
            spans += [q.span("v") for q in _QUOTED.finditer(text, given.start("v"), given.end("v"))]
            for s, e in spans:
                if _CELL_NAME.fullmatch(text[s:e]) and self._name_value_score(text[s:e], explicit=True):
                    yield s, e, 0.85

    def _vcard_names(self, text: str) -> Iterator[tuple[int, int, float]]:
        """`FN:Maria Garcia` and `N:Garcia;Maria;;;` lines of a vCard."""
        for m in _VCARD_NAME.finditer(text):
            start = m.start("v")
            parts = [m.group("v")] if m.group("key") == "FN" else m.group("v").split(";")[:3]
            for part in parts:
                s = text.index(part, start) if part else start
                value = part.strip()
                if value and _CELL_NAME.fullmatch(value) and self._name_value_score(value, explicit=True):
                    yield s, s + len(value), 0.85
                start = s + len(part) + 1

    @staticmethod
    def _after_capitalised_word(text: str, start: int) -> bool:
        prev = _PREVIOUS_CAPITALISED.search(text[max(0, start - 30) : start])
        return bool(prev) and prev.group(1).lower().rstrip(".") not in SENTENCE_STARTERS

    def _accept(self, rule: str, m: re.Match[str], name: str) -> float:
        tokens = name.replace(",", " ").split()
        lists = self.lists
        if any(t.lower() in lists.not_names for t in tokens):
            return 0.0
        listed = lists.is_first_name(tokens[0], allow_ambiguous=True)
        if rule == "title":
            return 0.85
        if rule == "role":
            if m.group("weak") and not _POSSESSIVE.search(m.string, max(0, m.start() - 8), m.start()):
                # "to Rich", "from Julia": only an unambiguous first name ("my manager Hollis Vandermeer" is
                # a person: the possessive makes the role word strong)
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
            if not quoted and _ASSIGNMENT.match(m.string, m.end("name")):
                return 0.0  # `first_name: Final = ...`: a type annotation, not a value
            if m.group("explicit"):
                return 0.0 if name.lower() in _PLACEHOLDERS else 0.85
            if not name[:1].isupper():
                return 0.0
            if m.group("person"):
                return 0.85 if listed or (len(tokens) >= 2 and not _stop_word(tokens)) else 0.0
            if listed:
                return 0.85
            # `User{Name: "Soo-ah Jeong"}`, `patients = [{"name": ...`: a bare name key in a person record.
            return 0.8 if self._person_container(m) and self._name_value_score(name, explicit=False) else 0.0
        if rule == "mailbox":
            return 0.85 if len(tokens) >= 2 and not _stop_word(tokens) else 0.0
        # inverted: "Surname, Given" filling a field, the given name an unambiguous listed one
        return 0.85 if lists.is_first_name(m.group("given"), allow_ambiguous=False) else 0.0

    @staticmethod
    def _person_container(m: re.Match[str]) -> bool:
        """A person-ish word shortly before the key: `User{`, `patients = [`, `"customer": {`."""
        text = m.string
        return bool(_PERSON_CONTAINER.search(text, max(0, m.start() - 80), m.start()))

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return make_result(self, self.ENTITY, start, end, score)


def _email_name_pattern(alternatives: tuple[str, ...]) -> re2._Regexp:
    """Not cached: the alternatives spell people's names, and nothing from a prompt outlives its analysis."""
    return re2.compile("(?i)(?:" + "|".join(alternatives) + ")")


_GLUED_BEFORE = re.compile(r"[\p{L}\d_.@\-]")
_GLUED_AFTER = re.compile(r"[\p{L}\d_@\-]|\.\w")


def _fuzzy(part: str) -> str:
    """An email local part as it is written in a name: `odonnell` also matches `O'Donnell`."""
    letters = [re.escape(c) for c in part if c.isalpha()]
    return r"['’\-]?".join(letters)


def text_closes_quote(m: re.Match[str]) -> bool:
    """A quoted value must be the whole string: `"name": "Maria Garcia"`, not `"Maria Garcia's app"`."""
    quote = m.group("q")
    end = m.end("name")
    rest = m.string[end : end + 2]
    return rest[:1] == quote or (rest[:1] in " \t" and rest[1:2] == quote)


def _stop_word(tokens: list[str]) -> bool:
    return any(t.lower() in STOP_WORDS for t in tokens)
