"""Table structure as context: the header that names each value of a table, SQL tuple or HL7 segment.

A value in a data row carries no label of its own: `4411,Tobias Engelhardt,436591961` says nothing until
the header `emp_id,name,ssn` two lines up is read. This module finds such structures and returns, for
every value ("cell"), the words that name it (its "header"). Recognizers then treat a header like a
context word written right before the value (context.py), and the name recognizer reads name columns
(person.py). Structures understood:

- delimited tables: a header line of field names, then rows with the same number of fields, split by
  tab, `|`, `;` or `,` (CSV quoting respected; markdown and psql separator lines skipped);
- SQL `INSERT INTO t (cols) VALUES (...), (...)`, and `INSERT INTO t VALUES (...)` when a
  `CREATE TABLE t (...)` in the same text names the columns;
- a `|`-separated result row printed after a `SELECT a, b, c FROM ...` with as many fields as columns;
- HL7 v2 segments (PID, PV1, NK1, GT1, IN1, ORC, OBR, MRG, PD1), whose fields are known by position;
- pg_dump `COPY t (cols) FROM stdin;` blocks: tab-separated rows up to `\\.`;
- X12 837 segments: NM1 names and ids (qualifier `XX` an NPI, `MI` a member id), DMG birth dates;
- FHIR `identifier` entries typed `MR`: the value is a medical record number;
- printed data frames (pandas `df.head()`, `read_sql` output): a header of names indented over the index
  column, then rows `<index>  value  value`, fields apart by two or more spaces.

Everything is offsets into the original text. The enhancer and the name recognizer of one analysis share
one result (prefilter.TextFacts.cells).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

import re2
import regex as re


@dataclass(frozen=True, slots=True)
class Cell:
    start: int
    end: int
    header: str  # lower-case words naming the column: "patient mrn", "first name", "dob"
    columns: tuple[str, ...] = ()  # every header of the same table: what else a row records


class Cells:
    """Cells sorted by start, looked up by the span of a match."""

    def __init__(self, cells: list[Cell]) -> None:
        self._cells = sorted(cells, key=lambda c: c.start)
        self._starts = [c.start for c in self._cells]

    def __iter__(self) -> Iterator[Cell]:
        return iter(self._cells)

    def __len__(self) -> int:
        return len(self._cells)

    def header_at(self, start: int, end: int) -> str | None:
        """The header of the cell holding [start, end), if any."""
        i = bisect.bisect_right(self._starts, start) - 1
        if i >= 0 and self._cells[i].end >= end:
            return self._cells[i].header
        return None


_NO_CELLS = Cells([])


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_WORD = re.compile(r"[^A-Za-z0-9#]+")


def normalise_header(raw: str) -> str:
    """`patientMRN`, `patient_mrn`, `Patient-MRN` -> "patient mrn"."""
    spaced = _CAMEL.sub(" ", raw.strip().strip("\"'`[]"))
    return " ".join(_NOT_WORD.split(spaced.lower())).strip()


def table_cells(text: str) -> Cells:
    """Every cell of every table-like structure in `text`. Callers share one result per analysis through
    `prefilter.facts_for(text).cells`."""
    from proxy.redaction.recognizers.records import record_cells  # records builds on this module

    cells: list[Cell] = list(record_cells(text))  # first: a named column below overrides a guessed one
    if "\n" in text:
        cells.extend(_delimited_cells(text))
        cells.extend(_frame_cells(text))
        if "stdin" in text or "STDIN" in text:
            cells.extend(_copy_cells(text))
    if "|" in text:
        cells.extend(_hl7_cells(text))
    if "NM1*" in text or "DMG*" in text:
        cells.extend(_x12_cells(text))
    if '"MR"' in text:
        cells.extend(_fhir_mr_cells(text))
    if '"system"' in text:
        cells.extend(_fhir_system_cells(text))
    if _SQL_WORD.search(text) is not None:
        cells.extend(_insert_cells(text))
        cells.extend(_select_result_cells(text))
    if "  " in text and "\n" in text:
        cells.extend(_report_cells(text))
    if "[" in text:
        cells.extend(_list_cells(text))
        cells.extend(_named_tuple_rows(text))
    if "def" in text and "(" in text:
        cells.extend(_signature_rows(text))
    if not cells:
        return _NO_CELLS
    unique = {(c.start, c.end): c for c in cells}  # first structure wins is not needed: same header
    return Cells(list(unique.values()))


# ----------------------------------------------------------------------------- delimited tables

_SQL_WORD = re.compile(r"(?i)\b(?:insert|select)\b")
_DELIMITERS = ("\t", "|", ";", ",")
_HEADER_FIELD = re.compile(r"[A-Za-z_#][\w #./()\-]{0,47}")
_SEPARATOR_LINE = re.compile(r"[ \t|:+=]*-[ \t|:+\-=]*")
# A line that could be a header: two or more field names joined by a delimiter (checked in detail later).
_HEADER_FIELD_LOOSE = r"[ \t]*[\"'`]?[A-Za-z_#][\w #./()\-]{0,47}[\"'`]?[ \t]*"
# A table held in a Python string: `CSV = """id,name,dob` opens the string on the header line.
_STRING_OPENER = r"[ \t]*(?:[A-Za-z_][\w.]*[ \t]*=[ \t]*)?[rRbBfFuU]?(?:\"\"\"|''')"
_STRING_OPENER_RE = re.compile(_STRING_OPENER)
_HEADER_LINE = re2.compile(  # re2: linear time, no backtracking over long prose lines
    rf"(?m)^(?:{_STRING_OPENER})?[ \t]*\|?{_HEADER_FIELD_LOOSE}(?:[,;|\t]{_HEADER_FIELD_LOOSE})+\|?[ \t]*\r?$"
)
_MAX_HEADER_WORDS = 4


def _lines(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def split_fields(text: str, start: int, end: int, delim: str) -> list[tuple[int, int]]:
    """Field spans of one line; double-quoted fields may hold the delimiter (CSV)."""
    fields: list[tuple[int, int]] = []
    pos = start
    quoting = delim in ",;\t"
    while True:
        field_start = pos
        while pos < end and text[pos] in " \t" and text[pos] != delim:
            pos += 1
        if quoting and pos < end and text[pos] == '"':
            pos += 1
            while pos < end:
                if text[pos] == '"':
                    if pos + 1 < end and text[pos + 1] == '"':
                        pos += 2
                        continue
                    break
                pos += 1
        nxt = text.find(delim, pos, end)
        if nxt < 0:
            fields.append((field_start, end))
            return fields
        fields.append((field_start, nxt))
        pos = nxt + 1


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """A field's value without surrounding space and quotes."""
    while start < end and text[start] in " \t\r":
        start += 1
    while end > start and text[end - 1] in " \t\r":
        end -= 1
    if end - start >= 2 and text[start] in "\"'" and text[end - 1] == text[start]:
        start, end = start + 1, end - 1
    return start, end


def _trim_outer_pipes(text: str, fields: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`| a | b |`: the empty fields outside the first and last pipe are not columns."""
    if len(fields) > 2 and not text[fields[0][0] : fields[0][1]].strip():
        fields = fields[1:]
    if len(fields) > 1 and not text[fields[-1][0] : fields[-1][1]].strip():
        fields = fields[:-1]
    return fields


def _header(text: str, fields: list[tuple[int, int]]) -> list[str] | None:
    names = []
    for s, e in fields:
        s, e = _strip(text, s, e)
        raw = text[s:e]
        if not _HEADER_FIELD.fullmatch(raw) or len(raw.split()) > _MAX_HEADER_WORDS:
            return None
        names.append(normalise_header(raw))
    return names if len(names) >= 2 else None


def _delimited_cells(text: str) -> Iterator[Cell]:
    lines: list[tuple[int, int]] = []
    line_starts: list[int] = []
    resume = 0  # first line index not yet consumed by a table
    for candidate in _HEADER_LINE.finditer(text):
        if not lines:  # split into lines only once a header-like line shows up
            lines = _lines(text)
            line_starts = [s for s, _ in lines]
        i = bisect.bisect_left(line_starts, candidate.start())
        if i < resume or i + 1 >= len(lines):
            continue
        start, end = lines[i]
        opener = _STRING_OPENER_RE.match(text, start, end)
        if opener is not None:
            start = opener.end()
        next_start, next_end = lines[i + 1]
        if _SEPARATOR_LINE.fullmatch(text, next_start, next_end) and i + 2 < len(lines):
            next_start, next_end = lines[i + 2]  # markdown `|---|`, psql `----+----`: the first row is below
        for delim in _DELIMITERS:
            count = text.count(delim, start, end)
            # A header and its first row split alike (a quoted CSV field may add delimiters, never drop one;
            # a markdown separator line has as many pipes).
            if count == 0 or text.count(delim, next_start, next_end) < count:
                continue
            fields = split_fields(text, start, end, delim)
            if delim == "|":
                fields = _trim_outer_pipes(text, fields)
            names = _header(text, fields)
            if names is None:
                continue
            columns = tuple(names)
            j = i + 1
            rows = 0
            while j < len(lines):
                s, e = lines[j]
                line = text[s:e]
                if not line.strip():
                    break
                if rows == 0 and j == i + 1 and _SEPARATOR_LINE.fullmatch(line):
                    j += 1
                    continue
                row = split_fields(text, s, e, delim)
                if delim == "|":
                    row = _trim_outer_pipes(text, row)
                if len(row) > len(names) and delim == ",":
                    row = _rejoin_dates(text, row)
                if len(row) != len(names):
                    break
                for (fs, fe), name in zip(row, names, strict=True):
                    fs, fe = _strip(text, fs, fe)
                    if fe > fs:
                        yield Cell(fs, fe, name, columns)
                rows += 1
                j += 1
            if rows:
                resume = j
                break


_MONTH_DAY = re.compile(
    r"[ \t]*[\"']?(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
    r"[ \t]+\d{1,2}(?:st|nd|rd|th)?[ \t]*"
)
_YEAR = re.compile(r"[ \t]*\d{4}[\"']?[ \t]*")


def _rejoin_dates(text: str, row: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`3,Ada,June 4, 1961,77120944`: an unquoted "Month D, YYYY" date split in two fields is one value."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(row):
        s, e = row[i]
        if i + 1 < len(row) and _MONTH_DAY.fullmatch(text, s, e) and _YEAR.fullmatch(text, *row[i + 1]):
            out.append((s, row[i + 1][1]))
            i += 2
            continue
        out.append((s, e))
        i += 1
    return out


# ----------------------------------------------------------------------------- printed data frames

# The header of a printed frame: indented (the index column has no name), names apart by spaces.
_FRAME_HEADER = re2.compile(r"(?m)^[ \t]+[A-Za-z_][\w.#]{0,47}(?:[ \t]+[A-Za-z_][\w.#]{0,47})+[ \t]*\r?$")
_FRAME_INDEX = re.compile(r"[ \t]*\d+[ \t]+")
_FRAME_GAP = re.compile(r"[ \t]{2,}")


def _gap_fields(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of a line's fields separated by two or more spaces (or tabs); a blank tail is no field."""
    fields: list[tuple[int, int]] = []
    for gap in _FRAME_GAP.finditer(text, start, end):
        fields.append((start, gap.start()))
        start = gap.end()
    if start < end and text[start:end].strip():
        fields.append((start, end))
    return fields


def _named(text: str, fields: list[tuple[int, int]], columns: tuple[str, ...]) -> Iterator[Cell]:
    """One cell per non-empty field, named by its column."""
    for (fs, fe), name in zip(fields, columns, strict=True):
        fs, fe = _strip(text, fs, fe)
        if fe > fs:
            yield Cell(fs, fe, name, columns)


def _frame_cells(text: str) -> Iterator[Cell]:
    for header in _FRAME_HEADER.finditer(text):
        names = [normalise_header(w) for w in header.group().split()]
        columns = tuple(names)
        pos = header.end() + 1
        while pos < len(text):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            index = _FRAME_INDEX.match(text, pos, end)
            if index is None:
                break
            fields = _gap_fields(text, index.end(), end)
            if len(fields) != len(names):
                break
            yield from _named(text, fields, columns)
            pos = end + 1


# A fixed-width report: a header of three or more field names apart by two or more spaces, no index column.
_REPORT_HEADER = re2.compile(
    r"(?m)^[ \t]*[A-Za-z_][\w.#]{0,47}(?:[ ]{2,}|\t)[A-Za-z_][\w.#]{0,47}"
    r"(?:(?:[ ]{2,}|\t)[A-Za-z_][\w.#]{0,47})+"
    r"[ \t]*\r?$"
)


def _report_cells(text: str) -> Iterator[Cell]:
    """`MRN      PATIENT         ORDERING_NPI` over rows whose fields are apart by two or more spaces."""
    for header in _REPORT_HEADER.finditer(text):
        names = [normalise_header(w) for w in _FRAME_GAP.split(header.group().strip())]
        if len(names) < 3:
            continue
        columns = tuple(names)
        pos = header.end() + 1
        while pos < len(text):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            if _SEPARATOR_LINE.fullmatch(text, pos, end) and pos == header.end() + 1:
                pos = end + 1
                continue
            start = pos
            while start < end and text[start] in " \t":
                start += 1
            fields = _gap_fields(text, start, end)
            if len(fields) != len(names):
                break
            yield from _named(text, fields, columns)
            pos = end + 1


# ----------------------------------------------------------------------------- lists under a key

# `"dob": ["1961-03-04", "1958-07-09"]` (a DataFrame built from a dict of columns): each item is named
# by the key.
_KEYED_LIST = re.compile(
    r"[\"']?(?P<key>[A-Za-z_][\w]{0,47})[\"']?[ \t]*[:=][ \t]*\[(?P<body>[^\[\]{}()]{1,4000})\]"
)
_QUOTED_ITEM = re.compile(r"\"(?P<d>[^\"\n]{1,80})\"|'(?P<s>[^'\n]{1,80})'")


def _list_cells(text: str) -> Iterator[Cell]:
    for m in _KEYED_LIST.finditer(text):
        header = normalise_header(m.group("key"))
        for item in _QUOTED_ITEM.finditer(text, m.start("body"), m.end("body")):
            group = "d" if item.group("d") is not None else "s"
            s, e = _strip(text, *item.span(group))
            if e > s:
                yield Cell(s, e, header, (header,))


# `COLUMNS = ["patient_last", "member_id", "dob"]` and then `("Okonjo", "K70412299", "19610304"),` rows.
_NAME_LIST = re.compile(
    r"(?i:columns?|cols|fields|field_?names|headers?|keys)[\"']?[ \t]*[:=][ \t]*[\[(](?P<body>[ \t\r\n]*"
    r"[\"'][A-Za-z_]\w{0,47}[\"'](?:[ \t\r\n]*,[ \t\r\n]*[\"'][A-Za-z_]\w{0,47}[\"'])+"
    r"[ \t\r\n]*,?[ \t\r\n]*)[\])]"
)
_ROW = re.compile(r"[(\[](?P<body>[^()\[\]{}\n]{1,600})[)\]]")
_ROWS_REACH = 4000
_PLACEHOLDER = re.compile(r"%s|\?|:\w+|\$\d+|%\(\w+\)s")


def _tuple_rows(text: str, pos: int, names: list[str], reach: int = _ROWS_REACH) -> Iterator[Cell]:
    """Rows written as tuples or lists after `pos` with one item per name, e.g. the parameters of an
    `executemany` or the rows under a Python column list."""
    columns = tuple(names)
    for row in _ROW.finditer(text, pos, min(len(text), pos + reach)):
        items = _split_top_level(text, row.start("body"), row.end("body"))
        if items and not text[items[-1][0] : items[-1][1]].strip():
            items = items[:-1]  # trailing comma
        if len(items) != len(names):
            continue
        for (s, e), name in zip(items, names, strict=True):
            s, e = _strip(text, s, e)
            if e > s:
                yield Cell(s, e, name, columns)


# `def refill(patient_last, member_id, dob):` names the positional arguments passed to it elsewhere
# (`op_args=["Okonjo", "K70412299", "19610304"]`, `refill("Okonjo", ...)`).
_DEF = re.compile(r"\bdef[ \t]+\w+[ \t]*\((?P<params>[^()]{1,300})\)")
_PARAM = re.compile(r"[ \t\r\n]*\**(?P<name>[A-Za-z_]\w*)")
_LITERAL = re.compile(r"[ \t]*(?:\"[^\"\n]*\"|'[^'\n]*'|-?\d[\d.]*)[ \t]*")


def _signature_rows(text: str) -> Iterator[Cell]:
    for m in _DEF.finditer(text):
        names = []
        for s, e in _split_top_level(text, m.start("params"), m.end("params")):
            param = _PARAM.match(text, s, e)
            if param is not None and param.group("name") not in ("self", "cls", "context", "kwargs", "args"):
                names.append(normalise_header(param.group("name")))
        if len(names) < 2:
            continue
        for cell in _tuple_rows(text, 0, names, reach=len(text)):
            if _LITERAL.fullmatch(text, max(0, cell.start - 1), min(len(text), cell.end + 1)):
                yield cell


def _named_tuple_rows(text: str) -> Iterator[Cell]:
    for m in _NAME_LIST.finditer(text):
        names = [normalise_header(q.strip("\"'")) for q in m.group("body").replace("\n", " ").split(",")]
        names = [n for n in names if n]
        if len(names) >= 2:
            yield from _tuple_rows(text, m.end(), names)


# ----------------------------------------------------------------------------- SQL

_INSERT = re.compile(
    r"(?i)\binsert\s+(?:or\s+\w+\s+)?into\s+(?P<table>[\w.\"`\[\]]+)\s*(?:\((?P<cols>[^()]*)\))?\s*values\s*"
)
_CREATE = r"(?i)\bcreate\s+(?:temp(?:orary)?\s+)?table\s+(?:if\s+not\s+exists\s+)?{table}\s*\("
_NOT_COLUMNS = {"primary", "foreign", "unique", "constraint", "check", "index", "key", "exclude", "like"}
_SELECT = re.compile(r"(?is)\bselect\s+(?:distinct\s+)?(?P<cols>.{1,600}?)\s+from\b")
_RESULT_PREFIX = re.compile(r"\s*(?:--|#|//|>)?\s*(?:[A-Za-z][\w ]{0,20}:)?\s*")
_RESULT_LINES = 8
_ALIAS = re.compile(r"(?i)\bas\s+([\w\"`]+)\s*$")
_LAST_NAME = re.compile(r"([A-Za-z_]\w*)[\"`]?\s*$")


def _split_top_level(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Comma-separated items between start and end, ignoring commas inside quotes or parentheses."""
    items: list[tuple[int, int]] = []
    depth = 0
    quote = ""
    item_start = start
    pos = start
    while pos < end:
        ch = text[pos]
        if quote:
            if ch == quote:
                if pos + 1 < end and text[pos + 1] == quote:
                    pos += 1
                else:
                    quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append((item_start, pos))
            item_start = pos + 1
        pos += 1
    items.append((item_start, end))
    return items


def _column_names(text: str, start: int, end: int) -> list[str]:
    names = []
    for s, e in _split_top_level(text, start, end):
        words = text[s:e].split()
        if not words:
            continue
        names.append(normalise_header(words[0]))
    return names


def _closing_paren(text: str, open_pos: int) -> int:
    """Index of the `)` matching the `(` at open_pos, or -1 (quotes respected)."""
    depth = 0
    quote = ""
    pos = open_pos
    while pos < len(text):
        ch = text[pos]
        if quote:
            if ch == quote:
                if pos + 1 < len(text) and text[pos + 1] == quote:
                    pos += 1
                else:
                    quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return pos
        pos += 1
    return -1


def _created_columns(text: str, table: str) -> list[str] | None:
    m = re.search(_CREATE.format(table=re.escape(table)), text)
    if not m:
        return None
    close = _closing_paren(text, m.end() - 1)
    if close < 0:
        return None
    names = []
    for s, e in _split_top_level(text, m.end(), close):
        words = text[s:e].split()
        if words and words[0].lower() not in _NOT_COLUMNS:
            names.append(normalise_header(words[0]))
    return names


def _insert_cells(text: str) -> Iterator[Cell]:
    for m in _INSERT.finditer(text):
        if m.group("cols") is not None:
            names = _column_names(text, m.start("cols"), m.end("cols"))
        else:
            names = _created_columns(text, m.group("table")) or []
        if not names:
            continue
        pos = m.end()
        while True:
            while pos < len(text) and text[pos] in " \t\r\n,":
                pos += 1
            if pos >= len(text) or text[pos] != "(":
                break
            close = _closing_paren(text, pos)
            if close < 0:
                break
            values = _split_top_level(text, pos + 1, close)
            if len(values) == len(names) and all(
                _PLACEHOLDER.fullmatch(text[s:e].strip()) for s, e in values
            ):  # `VALUES (%s, %s)`: the rows are the parameters that follow
                yield from _tuple_rows(text, close + 1, names)
            elif len(values) == len(names):
                for (s, e), name in zip(values, names, strict=True):
                    s, e = _strip(text, s, e)
                    if e > s:
                        yield Cell(s, e, name, tuple(names))
            pos = close + 1


_COPY = re.compile(r"(?im)^[ \t]*copy\s+[\w.\"]+\s*\((?P<cols>[^()]*)\)\s*from\s+stdin\b[^\n]*\n")


def _copy_cells(text: str) -> Iterator[Cell]:
    """pg_dump data: `COPY t (cols) FROM stdin;`, then one tab-separated row per line up to `\\.`."""
    for m in _COPY.finditer(text):
        names = _column_names(text, m.start("cols"), m.end("cols"))
        columns = tuple(names)
        pos = m.end()
        while pos < len(text):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            if text[pos:end].strip() in ("\\.", ""):
                break
            row = split_fields(text, pos, end, "\t")
            if len(row) == len(names):
                for (fs, fe), name in zip(row, names, strict=True):
                    fs, fe = _strip(text, fs, fe)
                    if fe > fs and text[fs:fe] != "\\N":
                        yield Cell(fs, fe, name, columns)
            pos = end + 1


def _select_result_cells(text: str) -> Iterator[Cell]:
    for m in _SELECT.finditer(text):
        names = []
        for s, e in _split_top_level(text, m.start("cols"), m.end("cols")):
            expr = text[s:e].strip()
            alias = _ALIAS.search(expr) or _LAST_NAME.search(expr)
            names.append(normalise_header(alias.group(1)) if alias else "")
        if len(names) < 2 or "" in names:
            continue
        line_start = text.find("\n", m.end())
        for _ in range(_RESULT_LINES):
            if line_start < 0:
                break
            s = line_start + 1
            e = text.find("\n", s)
            e = len(text) if e < 0 else e
            line_start = e if e < len(text) else -1
            if text.count("|", s, e) != len(names) - 1:
                continue
            prefix = _RESULT_PREFIX.match(text, s, e)
            fields = split_fields(text, prefix.end() if prefix else s, e, "|")
            for (fs, fe), name in zip(fields, names, strict=True):
                fs, fe = _strip(text, fs, fe)
                if fe > fs:
                    yield Cell(fs, fe, name, tuple(names))


# ----------------------------------------------------------------------------- HL7 v2

_XPN = ("last name", "first name", "middle name")  # person name: family^given^middle
_XCN = ("provider id", "last name", "first name", "middle name")  # provider: id^family^given^middle
# Segment -> field number -> a header for the first component, or one header per component.
_HL7_FIELDS: dict[str, dict[int, str | tuple[str, ...]]] = {
    "PID": {
        2: "patient id",
        3: "patient id",
        4: "patient id",
        5: _XPN,
        6: ("maiden name",),
        7: "date of birth",
        9: _XPN,
        11: "address",
        13: "phone",
        14: "phone",
        18: "patient account number",
        19: "ssn",
        20: "driver license",
    },
    "PV1": {7: _XCN, 8: _XCN, 9: _XCN, 17: _XCN, 52: _XCN},
    "NK1": {2: _XPN, 4: "address", 5: "phone", 6: "phone"},
    "GT1": {3: _XPN, 5: "address", 6: "phone", 7: "phone", 8: "date of birth", 12: "ssn"},
    "IN1": {16: _XPN, 18: "date of birth", 19: "address", 36: "policy number", 49: "insured member id"},
    "ORC": {12: _XCN},
    "OBR": {16: _XCN, 28: _XCN},
    "OBX": {16: _XCN},
    "MRG": {1: "patient id"},
    "PD1": {4: _XCN},
}
# Segments end with a carriage return (the standard) or a line break.
_HL7_SEGMENT = re.compile(
    r"(?:^|(?<=\r))[ \t]*(?P<seg>PID|PV1|NK1|GT1|IN1|ORC|OBR|OBX|MRG|PD1)\|", re.MULTILINE
)
_HL7_SEGMENT_END = re.compile(r"[\r\n]")


def has_hl7(text: str) -> bool:
    """True when the text holds an HL7 segment whose fields we name."""
    return "|" in text and _HL7_SEGMENT.search(text) is not None


def has_positional_fields(text: str) -> bool:
    """True when the text holds fields named by position or code, not by words: HL7 and X12 segments,
    FHIR identifiers typed `MR`."""
    return (
        has_hl7(text)
        or (("NM1*" in text or "DMG*" in text) and _X12_SEGMENT.search(text) is not None)
        or ('"MR"' in text and _FHIR_MR.search(text) is not None)
    )


def _hl7_cells(text: str) -> Iterator[Cell]:
    for m in _HL7_SEGMENT.finditer(text):
        fields_of = _HL7_FIELDS[m.group("seg")]
        stop = _HL7_SEGMENT_END.search(text, m.end())
        end = stop.start() if stop else len(text)
        for number, (fs, fe) in enumerate(split_fields(text, m.end(), end, "|"), start=1):
            spec = fields_of.get(number)
            if spec is None or fe <= fs:
                continue
            for rs, re_ in split_fields(text, fs, fe, "~"):
                components = split_fields(text, rs, re_, "^")
                headers = (spec,) if isinstance(spec, str) else spec
                for (cs, ce), header in zip(components, headers, strict=False):
                    cs, ce = _strip(text, cs, ce)
                    if ce > cs:
                        yield Cell(cs, ce, header, ("hl7",))


# ----------------------------------------------------------------------------- X12 837

# A segment starts the text, a line or follows `~`; quoted in prose (`NM1*QC*1*Okafor~`) it counts too.
_X12_SEGMENT = re.compile(r"(?<![A-Za-z0-9_*])(?P<seg>NM1|DMG)\*(?P<body>[^~\n`]*)")
# NM1-08 id qualifier -> what NM1-09 holds.
_X12_ID = {"XX": "npi", "MI": "member id", "34": "ssn", "II": "member id", "PI": "payer id"}


def _x12_cells(text: str) -> Iterator[Cell]:
    """`NM1*IL*1*Last*First****MI*W058217398~`, `DMG*D8*19900426*F~`: elements known by position."""
    for m in _X12_SEGMENT.finditer(text):
        fields = split_fields(text, m.start("body"), m.end("body"), "*")
        if m.group("seg") == "DMG":
            if len(fields) >= 2 and text[fields[0][0] : fields[0][1]] == "D8":
                yield Cell(*fields[1], "date of birth", ("x12",))
            continue
        person = len(fields) >= 2 and text[fields[1][0] : fields[1][1]] == "1"
        headers = {2: "last name", 3: "first name", 4: "middle name"} if person else {}
        if len(fields) >= 9:
            headers[8] = _X12_ID.get(text[fields[7][0] : fields[7][1]], "id")
        for i, header in headers.items():
            if i < len(fields):
                fs, fe = _strip(text, *fields[i])
                if fe > fs:
                    yield Cell(fs, fe, header, ("x12",))


# ----------------------------------------------------------------------------- FHIR identifiers

_FHIR_MR = re.compile(r'"code"\s*:\s*"MR"')
_FHIR_VALUE = re.compile(r'"value"\s*:\s*"(?P<v>[^"\n]{1,40})"')
_FHIR_REACH = 400  # the identifier's value follows its type within one small object


# `{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}`: the system URL names the value.
_FHIR_SYSTEM = re.compile(r'"system"\s*:\s*"(?P<url>[^"\n]{1,200})"')
_FHIR_SYSTEM_KINDS = (
    (re.compile(r"(?i)npi"), "npi"),
    (re.compile(r"(?i)(?<![a-z])mrn|medical[-_]?record|(?<![a-z])mr(?![a-z])"), "mrn"),
    (re.compile(r"(?i)(?<![a-z])mbi(?![a-z])|medicare"), "mbi"),
    (re.compile(r"(?i)us-ssn|(?<![a-z])ssn(?![a-z])"), "ssn"),
    (re.compile(r"(?i)member|subscriber"), "member id"),
)


def _fhir_system_cells(text: str) -> Iterator[Cell]:
    for m in _FHIR_SYSTEM.finditer(text):
        url = m.group("url")
        header = next((h for pattern, h in _FHIR_SYSTEM_KINDS if pattern.search(url)), None)
        if header is None:
            continue
        obj_start = text.rfind("{", max(0, m.start() - _FHIR_REACH), m.start())
        obj_end = text.find("}", m.end(), m.end() + _FHIR_REACH)
        if obj_start < 0 or obj_end < 0:
            continue
        value = _FHIR_VALUE.search(text, obj_start, obj_end)
        if value is not None:
            yield Cell(value.start("v"), value.end("v"), header, ("fhir identifier",))


def _fhir_mr_cells(text: str) -> Iterator[Cell]:
    """`{"type": {"coding": [{"code": "MR"}]}, "system": "urn:oid:…", "value": "9812706"}`."""
    for m in _FHIR_MR.finditer(text):
        value = _FHIR_VALUE.search(text, m.end(), min(len(text), m.end() + _FHIR_REACH))
        if value is not None:
            yield Cell(value.start("v"), value.end("v"), "mrn", ("fhir identifier",))


# Public names for records.py.
split_top_level = _split_top_level
strip_field = _strip
