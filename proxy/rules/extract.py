"""Fenced code blocks (``` and ~~~) in LLM answers, found incrementally so streams and whole texts agree.

One splitter serves both the streaming stage and `extract_blocks`: feeding a text in any number of
pieces yields exactly the same segments as feeding it at once, which is what lets the proxy stream
prose immediately while holding a code block until its closing fence arrives.

Deliberately tolerant of what models write: fences indented by any amount (list items), info strings
like `python title="app.py"` or `{.js}`, and a block left open at the end of the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from proxy.rules.languages import GENERIC_TAGS, normalize_language

_TAG = re.compile(r"[{.\s]*([\w#+.\-/]+)")


@dataclass(frozen=True, slots=True)
class Fence:
    char: str  # "`" or "~"
    length: int
    indent: str
    info: str


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A fenced block as written (`text`) and the code inside it (`code`, fence indentation removed)."""

    text: str
    code: str
    info: str
    tag: str  # first word of the info string, as written ("" when untagged)
    language: str | None  # canonical language from the tag; None when untagged or not scannable
    indent: str  # indentation of the opening fence (blocks inside list items)
    closed: bool
    start: int  # character offset of the opening fence in the whole text / stream
    first_line: int  # 1-based line number, in the whole text / stream, of the first line of code

    @property
    def needs_detection(self) -> bool:
        """True when the tag says nothing about the language (```, ```text)."""
        return self.tag.lower() in GENERIC_TAGS


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of the text: prose (`block is None`) or one complete code block."""

    text: str
    block: CodeBlock | None = None


def parse_opening(line: str) -> Fence | None:
    """The fence opened by `line` (without its newline), or None."""
    line = line.rstrip("\r")
    stripped = line.lstrip(" \t")
    if len(stripped) < 3 or stripped[0] not in "`~":
        return None
    char = stripped[0]
    run = len(stripped) - len(stripped.lstrip(char))
    if run < 3:
        return None
    info = stripped[run:].strip()
    if char == "`" and "`" in info:
        return None  # ```inline``` code, not a fence
    return Fence(char=char, length=run, indent=line[: len(line) - len(stripped)], info=info)


def is_closing(line: str, fence: Fence) -> bool:
    stripped = line.rstrip("\r").strip(" \t")
    run = len(stripped) - len(stripped.lstrip(fence.char))
    return run >= fence.length and run == len(stripped)


def partial_line_may_open(line: str) -> bool:
    """Could this unfinished line still become an opening fence (so it must be held)?"""
    stripped = line.lstrip(" \t")
    if not stripped:
        return True
    char = stripped[0]
    if char not in "`~":
        return False
    run = len(stripped) - len(stripped.lstrip(char))
    if run < 3:
        return run == len(stripped)
    return not (char == "`" and "`" in stripped[run:])


def tag_of(info: str) -> str:
    m = _TAG.match(info)
    return m.group(1) if m else ""


def _dedent(body: str, indent: str) -> str:
    if not indent:
        return body
    width = len(indent)
    out = []
    for line in body.splitlines(keepends=True):
        n = 0
        while n < width and n < len(line) and line[n] in " \t":
            n += 1
        out.append(line[n:])
    return "".join(out)


class FenceSplitter:
    """Incremental splitter: `push` text as it arrives, get back segments that are complete.

    Prose is returned as soon as it cannot start a fence; a block only once its closing fence line
    (with its newline) has arrived, or at `finish`.
    """

    __slots__ = ("_buf", "_pos", "_emit", "_mid_line", "_open", "_open_at", "_body_at", "_base", "_base_lines")

    def __init__(self) -> None:
        self._buf = ""
        self._pos = 0  # scan position in _buf: a line start, or inside a prose line when _mid_line
        self._emit = 0  # start of text in _buf not yet returned
        self._mid_line = False
        self._open: Fence | None = None
        self._open_at = 0  # offset in _buf of the opening fence line
        self._body_at = 0  # offset in _buf of the first code line
        self._base = 0  # characters dropped from the front of _buf
        self._base_lines = 0  # newlines dropped from the front of _buf

    @property
    def in_block(self) -> bool:
        return self._open is not None

    def held(self) -> int:
        """Characters received but not yet returned."""
        return len(self._buf) - self._emit

    def copy(self) -> FenceSplitter:
        """An independent splitter in the same state (used to look ahead without consuming)."""
        other = FenceSplitter.__new__(FenceSplitter)
        for name in self.__slots__:
            setattr(other, name, getattr(self, name))
        return other

    def push(self, text: str) -> list[Segment]:
        self._buf += text
        out: list[Segment] = []
        buf = self._buf
        while True:
            nl = buf.find("\n", self._pos)
            if self._open is not None:
                if nl < 0:
                    break  # a partial line inside a block: it may be the closing fence
                if is_closing(buf[self._pos:nl], self._open):
                    out.append(self._block(nl + 1, closed=True, body_end=self._pos))
                self._pos = nl + 1
                continue
            if self._mid_line:
                if nl < 0:
                    self._pos = len(buf)
                    break
                self._pos = nl + 1
                self._mid_line = False
                continue
            if nl < 0:
                if not partial_line_may_open(buf[self._pos:]):
                    self._mid_line = True
                    self._pos = len(buf)
                break
            fence = parse_opening(buf[self._pos:nl])
            if fence is not None:
                self._prose(out, self._pos)
                self._open, self._open_at, self._body_at = fence, self._pos, nl + 1
            self._pos = nl + 1
        if self._open is None:
            self._prose(out, self._pos)
        self._trim()
        return out

    def finish(self) -> list[Segment]:
        """End of text: whatever is held becomes final (an unclosed block stays a block)."""
        out: list[Segment] = []
        buf = self._buf
        if self._open is not None:
            last = buf[self._pos:]
            closed = bool(last) and is_closing(last, self._open)
            out.append(self._block(len(buf), closed=closed, body_end=self._pos if closed else len(buf)))
        elif not self._mid_line and self._pos < len(buf):
            fence = parse_opening(buf[self._pos:])
            if fence is not None:
                self._prose(out, self._pos)
                self._open, self._open_at, self._body_at = fence, self._pos, len(buf)
                out.append(self._block(len(buf), closed=False))
        self._prose(out, len(buf))
        self._pos = len(buf)
        self._mid_line = False
        self._trim()
        return out

    # -- internals -------------------------------------------------------------------------------
    def _prose(self, out: list[Segment], end: int) -> None:
        if end > self._emit:
            out.append(Segment(self._buf[self._emit:end]))
            self._emit = end

    def _block(self, end: int, closed: bool, body_end: int | None = None) -> Segment:
        fence = self._open
        assert fence is not None
        buf = self._buf
        body_end = max(end if body_end is None else body_end, self._body_at)
        tag = tag_of(fence.info)
        first_line = self._base_lines + buf.count("\n", 0, self._body_at) + 1
        block = CodeBlock(
            text=buf[self._open_at:end],
            code=_dedent(buf[self._body_at:body_end], fence.indent),
            info=fence.info,
            tag=tag,
            language=normalize_language(tag) if tag.lower() not in GENERIC_TAGS else None,
            indent=fence.indent,
            closed=closed,
            start=self._base + self._open_at,
            first_line=first_line,
        )
        self._open = None
        self._emit = end
        return Segment(block.text, block)

    def _trim(self) -> None:
        cut = self._emit if self._open is None else min(self._emit, self._open_at)
        if cut <= 0:
            return
        self._base_lines += self._buf.count("\n", 0, cut)
        self._base += cut
        self._buf = self._buf[cut:]
        self._pos -= cut
        self._emit -= cut
        self._open_at -= cut
        self._body_at -= cut


def split_text(text: str) -> list[Segment]:
    """The whole text as prose and block segments (concatenating them gives `text` back)."""
    sp = FenceSplitter()
    return sp.push(text) + sp.finish()


def extract_blocks(text: str) -> list[CodeBlock]:
    """Every fenced code block in `text`, including one left open at the end."""
    return [s.block for s in split_text(text) if s.block is not None]
