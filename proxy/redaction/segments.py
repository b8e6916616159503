"""Where in a prompt named-entity recognition may look: prose, and the comments and string literals of code.

NER models read code tokens as names and organisations (`psycopg2` as ORG, `Flask` as PERSON) and cost
~20 ms per KB, so they see only the natural-language parts of a prompt. Code is found three ways:
fenced blocks (``` or ~~~, closed or not), indented blocks after a blank line, and unfenced lines that
look like code. Inside code only comments (#, //, /* */, --) and string literals are kept. Inline
`code spans` and URLs are cut out of prose.

Offsets are always into the original text, so findings map back without arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

SegmentKind = Literal["prose", "comment", "string"]


@dataclass(frozen=True, slots=True)
class Segment:
    start: int
    end: int
    kind: SegmentKind


@dataclass(frozen=True, slots=True)
class CodeRegion:
    """A run of code lines; `lang` is the fence's info string (lower case) or None when unknown.

    start/end cover the fence lines too; body_start/body_end only the code between them.
    """

    start: int
    end: int
    lang: str | None
    body_start: int
    body_end: int


_FENCE_OPEN = re.compile(r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$")
_INDENTED = re.compile(r"^(?: {4}|\t)")

# One strong signal is enough to call an unfenced line code. Prose rarely ends in ; { } or starts
# with `def`/`import`, and when a prose line is misread as code its string literals still reach NER.
_CODE_LINE = re.compile(
    r"""^\s*(?:
        (?:def|class|import|return|elif|async\s+def|await|const|let|var|function|func|fn|pub|public|private
          |protected|static|package|using|namespace|struct|enum|interface|impl|typedef|template)\b
      | from\s+[\w.]+\s+import\b
      | (?:if|for|while|with|try|except|else|finally)\b.*:\s*$
      | \#(?:include|define|ifdef|ifndef|endif|pragma)\b
      | (?:SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|WITH)\s+\S
      | @[\w.]+(?:\(.*\))?\s*$
      | </?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>
      | [}\])]
      | [\w.\[\]'"]+\s*(?:[-+*/%|&^]|\?\?|//)?=(?!=)\s*\S
      | \$\s+\S
    )""",
    re.VERBOSE,
)
_CODE_TAIL = re.compile(r"(?:[;{}]|\)\s*:|=>\s*\{?|\)\s*\{|,\s*\(|\[\s*|\(\s*)\s*$")
_CODE_INFIX = re.compile(r"=>|->|::|==|!=|&&|\|\||:=|\+=|-=|\(\)|\w\(\w*\)\s*$|^\s*[\w.]+\([^)]*\)\s*;?\s*$")

_HASH_LANGS = {
    "python",
    "py",
    "python3",
    "sh",
    "bash",
    "shell",
    "zsh",
    "console",
    "yaml",
    "yml",
    "toml",
    "ruby",
    "rb",
    "perl",
    "pl",
    "r",
    "dockerfile",
    "docker",
    "makefile",
    "make",
    "ini",
    "conf",
    "cfg",
    "properties",
    "powershell",
    "ps1",
    "nginx",
    "terraform",
    "tf",
    "hcl",
    "elixir",
    "ex",
    "julia",
    "nim",
    "coffee",
    "gdscript",
}
_SLASH_LANGS = {
    "c",
    "h",
    "cpp",
    "c++",
    "cc",
    "hpp",
    "cs",
    "csharp",
    "c#",
    "java",
    "kotlin",
    "kt",
    "scala",
    "swift",
    "go",
    "golang",
    "rust",
    "rs",
    "js",
    "javascript",
    "jsx",
    "ts",
    "typescript",
    "tsx",
    "mjs",
    "cjs",
    "dart",
    "groovy",
    "gradle",
    "objc",
    "objective-c",
    "proto",
    "protobuf",
    "solidity",
    "sol",
    "zig",
    "json5",
    "jsonc",
    "css",
    "scss",
    "less",
    "graphql",
    "gql",
    "v",
}
_BOTH_LANGS = {"php"}
_DASH_LANGS = {
    "sql",
    "mysql",
    "postgres",
    "postgresql",
    "psql",
    "plsql",
    "tsql",
    "sqlite",
    "lua",
    "haskell",
    "hs",
    "ada",
    "elm",
    "vhdl",
}
_NO_COMMENT_LANGS = {"json", "csv", "tsv", "text", "txt", "plain", "plaintext", "diff", "patch", "log"}

_STRINGS = (
    r'(?P<tdq>"""(?P<tdq_body>[\s\S]*?)""")'
    r"|(?P<tsq>'''(?P<tsq_body>[\s\S]*?)''')"
    r'|(?P<dq>"(?P<dq_body>(?:[^"\\\n]|\\.)*)")'
    r"|(?P<sq>'(?P<sq_body>(?:[^'\\\n]|\\.)*)')"
    r"|(?P<bt>`(?P<bt_body>(?:[^`\\]|\\.)*)`)"
)
_HASH = r"|(?P<hc>(?:^|(?<=[ \t;]))\#(?P<hc_body>[^\n]*))"
_SLASH = r"|(?P<lc>(?<![:/])//(?P<lc_body>[^\n]*))|(?P<bc>/\*(?P<bc_body>[\s\S]*?)(?:\*/|\Z))"
_DASH = r"|(?P<dc>(?:^|(?<=[ \t]))--(?=[ \t]|$)(?P<dc_body>[^\n]*))"

_INLINE_CODE = re.compile(r"(`+)(?!`)[\s\S]+?(?<!`)\1(?!`)")
_URL = re.compile(r"\b(?:https?|ftp|file|wss?)://\S+", re.IGNORECASE)


@lru_cache(maxsize=8)
def _lexer(style: str) -> re.Pattern[str]:
    parts = _STRINGS
    if "h" in style:
        parts += _HASH
    if "s" in style:
        parts += _SLASH
    if "d" in style:
        parts += _DASH
    return re.compile(parts, re.MULTILINE)


def _comment_style(lang: str | None) -> str:
    if lang is None:
        return "hsd"
    if lang in _HASH_LANGS:
        return "h"
    if lang in _SLASH_LANGS:
        return "s"
    if lang in _BOTH_LANGS:
        return "hs"
    if lang in _DASH_LANGS:
        return "d"
    if lang in _NO_COMMENT_LANGS:
        return ""
    return "hsd"


def looks_like_code(line: str) -> bool:
    """True for a line that reads as source code rather than a sentence."""
    line = _INLINE_CODE.sub("`x`", line)  # `getName()` quoted in a sentence does not make it code
    stripped = line.strip()
    if not stripped:
        return False
    return bool(_CODE_LINE.match(line) or _CODE_TAIL.search(stripped) or _CODE_INFIX.search(stripped))


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def code_regions(text: str) -> list[CodeRegion]:
    """Fenced blocks, indented blocks and code-looking unfenced lines, in order, merged when adjacent."""
    regions: list[CodeRegion] = []
    lines = _lines(text)
    i = 0
    prev_blank = True
    while i < len(lines):
        start, end = lines[i]
        line = text[start:end]
        opened = _FENCE_OPEN.match(line)
        if opened:
            fence = opened.group("fence")
            info = opened.group("info").strip().split()
            lang = info[0].lower().strip("{}.") if info else None
            close = re.compile(rf"^[ \t]{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
            j = i + 1
            while j < len(lines) and not close.match(text[lines[j][0] : lines[j][1]]):
                j += 1
            body_start = lines[i + 1][0] if i + 1 < len(lines) else end
            body_end = lines[j - 1][1] if j - 1 > i else body_start
            block_end = lines[j][1] if j < len(lines) else len(text)
            regions.append(CodeRegion(start, block_end, lang or None, body_start, max(body_start, body_end)))
            i = j + 1
            prev_blank = False
            continue
        if prev_blank and _INDENTED.match(line) and line.strip():
            j = i
            block_has_code = False
            while j < len(lines):
                s, e = lines[j]
                candidate = text[s:e]
                if candidate.strip() and not _INDENTED.match(candidate):
                    break
                block_has_code = block_has_code or looks_like_code(candidate)
                j += 1
            while j > i and not text[lines[j - 1][0] : lines[j - 1][1]].strip():
                j -= 1
            if block_has_code:
                _append(regions, CodeRegion(start, lines[j - 1][1], None, start, lines[j - 1][1]))
                i = j
                prev_blank = False
                continue
        if looks_like_code(line) and not _is_markdown_prose(line):
            _append(regions, CodeRegion(start, end, None, start, end))
        prev_blank = not line.strip()
        i += 1
    return regions


_MARKDOWN_LINE = re.compile(r"^\s*(?:#{1,6}\s|[-*+]\s+\S|\d+[.)]\s+\S|>\s)")


def _is_markdown_prose(line: str) -> bool:
    """Headings, list items and quotes ending in a sentence are prose even with a `->` or `::` inside."""
    return bool(_MARKDOWN_LINE.match(line)) and not line.rstrip().endswith((";", "{", "}"))


def _append(regions: list[CodeRegion], region: CodeRegion) -> None:
    """Merge unfenced code lines that touch, so a multi-line string or comment lexes as one."""
    last = regions[-1] if regions else None
    if last and last.lang is None and last.body_end == last.end and last.end + 1 >= region.start:
        regions[-1] = CodeRegion(last.start, region.end, None, last.body_start, region.end)
    else:
        regions.append(region)


def _code_segments(text: str, region: CodeRegion) -> list[Segment]:
    out: list[Segment] = []
    for m in _lexer(_comment_style(region.lang)).finditer(text, region.body_start, region.body_end):
        kind = m.lastgroup
        if kind is None:
            continue
        body = kind + "_body"
        s, e = m.span(body)
        if e <= s:
            continue
        out.append(Segment(s, e, "string" if kind in {"tdq", "tsq", "dq", "sq", "bt"} else "comment"))
    return out


def _prose_segments(text: str, start: int, end: int) -> list[Segment]:
    """Prose between code regions, minus inline code spans and URLs."""
    holes = [m.span() for m in _INLINE_CODE.finditer(text, start, end)]
    holes += [m.span() for m in _URL.finditer(text, start, end)]
    holes.sort()
    out: list[Segment] = []
    pos = start
    for hs, he in holes:
        if hs > pos:
            out.append(Segment(pos, hs, "prose"))
        pos = max(pos, he)
    if end > pos:
        out.append(Segment(pos, end, "prose"))
    return [s for s in out if text[s.start : s.end].strip()]


def split_segments(text: str) -> list[Segment]:
    """The spans NER may read, sorted and non-overlapping: prose, code comments and string literals."""
    segments: list[Segment] = []
    pos = 0
    for region in code_regions(text):
        segments.extend(_prose_segments(text, pos, region.start))
        segments.extend(_code_segments(text, region))
        pos = region.end
    segments.extend(_prose_segments(text, pos, len(text)))
    return segments
