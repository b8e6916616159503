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
    fence: str  # the opening fence marker, e.g. "```" or "~~~~"
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
    (with its newline) has arrived, or at `finish`. An open block is kept as a list of lines, so a
    long block streamed in tiny chunks costs linear, not quadratic, time.
    """

    __slots__ = ("_buf", "_mid_line", "_fence", "_head", "_lines", "_tail", "_open_len", "_start",
                 "_first_line", "_done", "_done_lines")

    def __init__(self) -> None:
        self._buf = ""  # not yet returned, outside a block: at most one partial line
        self._mid_line = False  # _buf continues a line already known to be prose
        self._fence: Fence | None = None  # the open block, if any
        self._head = ""  # its opening fence line
        self._lines: list[str] = []  # its complete code lines
        self._tail = ""  # its current partial line
        self._open_len = 0
        self._start = 0  # offset of the opening fence in the whole stream
        self._first_line = 0
        self._done = 0  # characters returned so far
        self._done_lines = 0  # newlines returned so far

    @property
    def in_block(self) -> bool:
        return self._fence is not None

    def held(self) -> int:
        """Characters received but not yet returned."""
        return len(self._buf) + (self._open_len + len(self._tail) if self._fence is not None else 0)

    def copy(self) -> FenceSplitter:
        """An independent splitter in the same state (used to look ahead without consuming)."""
        other = FenceSplitter.__new__(FenceSplitter)
        for name in self.__slots__:
            setattr(other, name, getattr(self, name))
        other._lines = list(self._lines)
        return other

    def push(self, text: str) -> list[Segment]:
        out: list[Segment] = []
        if self._fence is not None:
            text = self._feed_block(text, out)
        while text:
            text = self._feed_prose(text, out)
        return out

    def finish(self) -> list[Segment]:
        """End of text: whatever is held becomes final (an unclosed block stays a block)."""
        out: list[Segment] = []
        if self._fence is None and self._buf and not self._mid_line:
            fence = parse_opening(self._buf)
            if fence is not None:  # "```python" as the very last line
                self._open(fence, self._buf)
                self._buf = ""
        if self._fence is not None:
            tail = self._tail
            closed = bool(tail) and is_closing(tail, self._fence)
            out.append(self._block(tail, closed, body_extra="" if closed else tail))
        if self._buf:
            self._emit_prose(out, self._buf)
            self._buf = ""
        self._mid_line = False
        return out

    # -- internals -------------------------------------------------------------------------------
    def _feed_prose(self, text: str, out: list[Segment]) -> str:
        """Consume prose; on an opening fence, switch to block mode and return the rest."""
        buf = self._buf + text
        self._buf = ""
        pos = 0
        if self._mid_line:
            nl = buf.find("\n")
            if nl < 0:
                self._emit_prose(out, buf)
                return ""
            pos = nl + 1
            self._mid_line = False
        while True:
            nl = buf.find("\n", pos)
            if nl < 0:
                line = buf[pos:]
                if line and not partial_line_may_open(line):
                    self._emit_prose(out, buf)
                    self._mid_line = True
                else:
                    self._emit_prose(out, buf[:pos])
                    self._buf = line
                return ""
            fence = parse_opening(buf[pos:nl])
            if fence is not None:
                self._emit_prose(out, buf[:pos])
                self._open(fence, buf[pos:nl + 1])
                return self._feed_block(buf[nl + 1:], out)
            pos = nl + 1

    def _open(self, fence: Fence, head: str) -> None:
        """Start a block; all text before `head` has been returned already."""
        self._fence, self._head, self._lines, self._tail = fence, head, [], ""
        self._open_len = len(head)
        self._start = self._done
        self._first_line = self._done_lines + 2  # the fence is on the next line, the code after it

    def _feed_block(self, text: str, out: list[Segment]) -> str:
        """Collect code lines until the closing fence; return the text after it ("" if still open)."""
        fence = self._fence
        assert fence is not None
        data = self._tail + text
        pos = 0
        while True:
            nl = data.find("\n", pos)
            if nl < 0:
                self._tail = data[pos:]
                return ""
            line = data[pos:nl + 1]
            if is_closing(line[:-1], fence):
                self._tail = ""
                out.append(self._block(line, closed=True))
                return data[nl + 1:]
            self._lines.append(line)
            self._open_len += len(line)
            pos = nl + 1

    def _emit_prose(self, out: list[Segment], text: str) -> None:
        if text:
            out.append(Segment(text))
            self._done += len(text)
            self._done_lines += text.count("\n")

    def _block(self, closing: str, closed: bool, body_extra: str = "") -> Segment:
        fence = self._fence
        assert fence is not None
        body = "".join(self._lines) + body_extra
        text = self._head + "".join(self._lines) + closing
        tag = tag_of(fence.info)
        block = CodeBlock(
            text=text,
            code=_dedent(body, fence.indent),
            info=fence.info,
            tag=tag,
            language=normalize_language(tag) if tag.lower() not in GENERIC_TAGS else None,
            indent=fence.indent,
            fence=fence.char * fence.length,
            closed=closed,
            start=self._start,
            first_line=self._first_line,
        )
        self._fence, self._head, self._lines, self._open_len = None, "", [], 0
        self._done += len(text)
        self._done_lines += text.count("\n")
        return Segment(text, block)


def split_text(text: str) -> list[Segment]:
    """The whole text as prose and block segments (concatenating them gives `text` back)."""
    sp = FenceSplitter()
    return sp.push(text) + sp.finish()


def extract_blocks(text: str) -> list[CodeBlock]:
    """Every fenced code block in `text`, including one left open at the end."""
    return [s.block for s in split_text(text) if s.block is not None]
