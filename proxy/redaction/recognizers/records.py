"""Unlabelled person records: a row that names a person makes its ID-shaped neighbours PHI.

`("Kenji Watanabe", "265995139", "1979-10-07", "ZGP867420535")` or `9852662|Okafor, Daniel|08/06/1949|...`
carries no header, yet a row that holds a person's name is a record about that person: its birth date,
record number, Medicare and plan ids sit beside the name. This module finds such rows (Python tuples and
lists, delimited lines) and names their cells by shape, as if a header said "dob", "mrn", "mbi", "npi" or
"member id"; the recognizers then read that header like any other (context.py). A row without a
person's name gains nothing, so order ids, build numbers and release dates stay as they are.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex as re

from proxy.redaction.recognizers.columns import Cell, split_fields, split_top_level, strip_field

_ROW = re.compile(r"[(\[](?P<body>[^()\[\]{}\n]{8,600})[)\]]")
_LINE_DELIMITERS = ("|", "\t", ";", ",")
_MIN_FIELDS = 3
_COLUMNS = ("record",)  # prefilter.TextFacts.has_records looks for it

_NAME = re.compile(
    r"(?P<a>\p{Lu}[\p{Ll}'’\-]+)(?:,[ \t]*|[ \t]+)(?P<b>\p{Lu}[\p{Ll}'’\-]+)(?:[ \t]+\p{Lu}[\p{Ll}'’\-]+)?"
)
_ISO_OR_SLASHED = re.compile(r"(?:19|20)\d\d-\d\d-\d\d|\d{1,2}/\d{1,2}/(?:19|20)\d\d|(?:19|20)\d{6}")
_YEAR = re.compile(r"(?:19|20)\d\d")
_LATEST_BIRTH_YEAR = 2012  # later dates in a record are visits, orders and refills more often than births
_MBI = re.compile(r"[1-9][A-Z][A-Z0-9]\d[A-Z][A-Z0-9]\d[A-Z]{2}\d\d")
_NPI = re.compile(r"[12]\d{9}")
_MRN = re.compile(r"\d{6,10}")
_PLAN = re.compile(r"[A-Z]{1,4}\d{6,12}")


def record_cells(text: str) -> Iterator[Cell]:
    """Cells of rows that name a person, headed by the shape of their value."""
    for row in _rows(text):
        values = [(s, e, text[s:e]) for s, e in row]
        if any(_is_person(v) for _, _, v in values):
            yield from _shaped(values)


def _rows(text: str) -> Iterator[list[tuple[int, int]]]:
    for m in _ROW.finditer(text):
        items = [strip_field(text, s, e) for s, e in split_top_level(text, m.start("body"), m.end("body"))]
        items = [(s, e) for s, e in items if e > s]
        if len(items) >= _MIN_FIELDS:
            yield items
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        for delim in _LINE_DELIMITERS:
            if text.count(delim, pos, end) >= _MIN_FIELDS - 1:
                fields = [strip_field(text, s, e) for s, e in split_fields(text, pos, end, delim)]
                yield [(s, e) for s, e in fields if e > s]
                break
        pos = end + 1


def _is_person(value: str) -> bool:
    from proxy.redaction.recognizers.person import name_lists  # person -> prefilter -> columns: import late

    m = _NAME.fullmatch(value)
    if m is None:
        return False
    lists = name_lists()
    tokens = [m.group("a"), m.group("b")]
    if any(t.lower() in lists.not_names for t in tokens):
        return False
    return any(lists.is_first_name(t, allow_ambiguous=False) for t in tokens)


def _year(value: str) -> int:
    found = _YEAR.search(value)
    return int(found.group()) if found else 0


def _shaped(values: list[tuple[int, int, str]]) -> Iterator[Cell]:
    dates = [(s, e, v) for s, e, v in values if _ISO_OR_SLASHED.fullmatch(v)]
    born = [(_year(v), s, e) for s, e, v in dates if _year(v) <= _LATEST_BIRTH_YEAR]
    if born:
        _, s, e = min(born)
        yield Cell(s, e, "dob", _COLUMNS)
    for s, e, v in values:
        if _ISO_OR_SLASHED.fullmatch(v):
            continue
        if _MBI.fullmatch(v):
            yield Cell(s, e, "mbi", _COLUMNS)
        elif _NPI.fullmatch(v):
            yield Cell(s, e, "npi mrn", _COLUMNS)  # a checksum tells an NPI from a record number
        elif _MRN.fullmatch(v):
            yield Cell(s, e, "mrn", _COLUMNS)
        elif _PLAN.fullmatch(v):
            yield Cell(s, e, "member id", _COLUMNS)
