"""Response stage: scan code the model returns and annotate or block insecure suggestions.

Chat answers: prose streams through at once; a fenced code block is held until its closing fence
arrives, scanned, then released unchanged, released with a short review note after it, or
replaced by a notice (DESIGN.md §3). Completions (fill-in-the-middle) have no fences: the whole
text is one block, held to the end, and notes become comments in the detected language.

Streamed and non-streamed answers go through the same splitter, so the output is identical for
any chunking, and a safe answer comes back byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from proxy.pipeline.context import CodeFinding, Context
from proxy.pipeline.request import LLMRequest
from proxy.pipeline.stage import Blocked, Stage, TextStream
from proxy.rules.config import Action, CodeScanSettings
from proxy.rules.deps import preload as preload_dependencies
from proxy.rules.engine import RuleEngine
from proxy.rules.extract import CodeBlock, FenceSplitter, Segment, split_text
from proxy.rules.fingerprint import block_fingerprints
from proxy.rules.langdetect import detect_language, hints_from_text
from proxy.rules.languages import LINE_COMMENT
from proxy.rules.loader import SEVERITY_RANK

TITLE = "Security review (secure-prompt-proxy)"
MAX_LISTED = 10  # findings listed per block; the rest are summarised
_DEFAULT = CodeScanSettings()
_SKIP, _PASSIVE, _FENCED, _WHOLE = "skip", "passive", "fenced", "whole"


def settings_for(ctx: Context) -> CodeScanSettings:
    """The team's codescan policy (secure defaults when no policy is attached)."""
    policy = ctx.state.get("policy")
    settings = getattr(policy, "codescan", None)
    return settings if isinstance(settings, CodeScanSettings) else _DEFAULT


def action_for(finding: CodeFinding, settings: CodeScanSettings) -> Action:
    """Per-rule action wins over the per-severity one; unknown severities are annotated."""
    if finding.rule_id in settings.rule_actions:
        return settings.rule_actions[finding.rule_id]
    return settings.actions.get(finding.severity, "annotate")  # type: ignore[call-overload]


class CodeScanStage(Stage):
    name = "codescan"

    def __init__(self, engine: RuleEngine | None = None) -> None:
        """Pass `RuleEngine.default()` at startup so packs compile before the first answer (and a
        broken pack stops startup); without one, the default engine loads on first use."""
        self._engine = engine
        if engine is not None:
            preload_dependencies()  # the package lists take about a second to index

    @property
    def engine(self) -> RuleEngine:
        if self._engine is None:
            self._engine = RuleEngine.default()
        return self._engine

    # -- request ---------------------------------------------------------------------------------
    def on_request(self, ctx: Context, request: LLMRequest) -> None:
        """Collect language hints (file names, language names) from the latest user turn."""
        if not settings_for(ctx).enabled:
            return
        text = request.latest_user_text()
        hints: list[str] = list(ctx.state.get("lang_hints") or [])
        for h in hints_from_text(text):
            if h not in hints:
                hints.append(h)
        if request.endpoint == "completions" and text:
            # Fill-in-the-middle: the prompt is the code before the cursor, in the same language.
            lang = detect_language(text[-4000:], None, hints)
            if lang and lang not in hints:
                hints.append(lang)
        ctx.state["lang_hints"] = hints

    # -- stream ----------------------------------------------------------------------------------
    def _state(self, ctx: Context, stream: TextStream) -> dict[str, Any]:
        st = stream.state_for(self)
        if not st:
            settings = settings_for(ctx)
            if stream.kind == "tool_arguments":
                mode = _SKIP
            elif not settings.enabled:
                mode = _PASSIVE
            elif settings.block_whole_answer or stream.kind == "text":
                mode = _WHOLE
            else:
                mode = _FENCED
            st.update(mode=mode, settings=settings, splitter=FenceSplitter(), version=0, look=None, buf=[])
        return st

    def stream_hold(self, ctx: Context, stream: TextStream, pending: str) -> int:
        st = self._state(ctx, stream)
        mode = st["mode"]
        if mode == _WHOLE:
            return len(pending)
        if mode != _FENCED:
            return 0
        real: FenceSplitter = st["splitter"]
        look = st["look"]
        if look is not None and look["version"] == st["version"] and pending.startswith(look["pending"]):
            segs = look["splitter"].push(pending[len(look["pending"]):])
        else:
            look = {"splitter": real.copy(), "version": st["version"], "ready": 0}
            segs = look["splitter"].push(pending)
        look["pending"] = pending
        look["ready"] += sum(len(s.text) for s in segs)
        st["look"] = look
        ready_in_pending = max(0, look["ready"] - real.held())
        return len(pending) - min(ready_in_pending, len(pending))

    def on_chunk(self, ctx: Context, stream: TextStream, text: str) -> str:
        st = self._state(ctx, stream)
        mode = st["mode"]
        if mode == _SKIP:
            return text
        if mode == _WHOLE:
            st["buf"].append(text)
            return ""
        st["version"] += 1
        segs = st["splitter"].push(text)
        if mode == _PASSIVE:
            self._fingerprint_blocks(ctx, segs)
            return text
        return "".join(self._render(ctx, st["settings"], seg) for seg in segs)

    def on_stream_end(self, ctx: Context, stream: TextStream) -> str:
        st = self._state(ctx, stream)
        mode = st["mode"]
        if mode == _SKIP:
            return ""
        if mode == _PASSIVE:
            self._fingerprint_blocks(ctx, st["splitter"].finish())
            return ""
        if mode == _FENCED:
            return "".join(self._render(ctx, st["settings"], seg) for seg in st["splitter"].finish())
        return self._finish_whole(ctx, stream, st["settings"], "".join(st["buf"]))

    def on_response_end(self, ctx: Context) -> None:
        mine = ctx.state.get("codescan") or {}
        if ctx.outcome != "passed":
            return
        if mine.get("blocked"):
            ctx.outcome = "blocked"
        elif mine.get("annotated"):
            ctx.outcome = "annotated"

    # -- whole-answer mode -----------------------------------------------------------------------
    def _finish_whole(self, ctx: Context, stream: TextStream, settings: CodeScanSettings, text: str) -> str:
        segments = split_text(text)
        fenced = any(s.block is not None for s in segments)
        if stream.kind == "text" and not fenced:
            out, blocking = self._render_completion(ctx, settings, text)
        else:
            before = len(ctx.findings)
            out = "".join(self._render(ctx, settings, seg) for seg in segments)
            blocking = [f for f in ctx.findings[before:] if f.action == "block"]
        if settings.block_whole_answer and blocking:
            worst = max(blocking, key=lambda f: SEVERITY_RANK.get(f.severity, 0))
            ctx.outcome = "blocked"
            raise Blocked(
                f"The answer was withheld because it contains insecure code ({worst.rule_id}, {worst.cwe}): "
                f"{_clean(worst.message)} Ask again for a secure version.",
                status=422, code="insecure_code",
            )
        return out

    def _render_completion(self, ctx: Context, settings: CodeScanSettings,
                           text: str) -> tuple[str, list[CodeFinding]]:
        hints = ctx.state.get("lang_hints") or []
        lang = detect_language(text, None, hints)
        if lang is None:
            self._record_fingerprint(ctx, text)
            return text, []
        acted = self._scan(ctx, settings, text, lang)
        comment = LINE_COMMENT.get(lang, "#")
        blocking = [f for f in acted if f.action == "block"]
        shown = [f for f in acted if f.action != "off"]
        if blocking:
            self._mark(ctx, "blocked")
            lines = [f"{comment} {TITLE}: the suggested {lang} code was removed because it contains "
                     "insecure code."]
            lines += [f"{comment} {item}" for item in _items(_block_first(shown))]
            return "\n".join(lines) + "\n", blocking
        self._record_fingerprint(ctx, text)
        if not shown:
            return text, []
        self._mark(ctx, "annotated")
        lines = [f"{comment} {TITLE}:"] + [f"{comment} {item}" for item in _items(shown)]
        return text + ("" if text.endswith("\n") else "\n") + "\n".join(lines) + "\n", []

    # -- one segment -----------------------------------------------------------------------------
    def _render(self, ctx: Context, settings: CodeScanSettings, seg: Segment) -> str:
        block = seg.block
        if block is None:
            return seg.text
        lang = block.language
        if lang is None and block.needs_detection:
            lang = detect_language(block.code, None, ctx.state.get("lang_hints") or [])
        if lang is None:
            self._record_fingerprint(ctx, block.code)
            return block.text
        acted = self._scan(ctx, settings, block.code, lang)
        shown = [f for f in acted if f.action != "off"]
        if any(f.action == "block" for f in acted):
            self._mark(ctx, "blocked")
            return _block_notice(block, lang, _block_first(shown))
        self._record_fingerprint(ctx, block.code)
        if not shown:
            return block.text
        self._mark(ctx, "annotated")
        return _annotated(block, shown)

    def _scan(self, ctx: Context, settings: CodeScanSettings, code: str, lang: str) -> list[CodeFinding]:
        findings = self.engine.scan(code, lang, disabled=settings.disabled_rules, packages=settings.packages)
        acted = [replace(f, action=action_for(f, settings)) for f in findings]
        ctx.findings.extend(acted)
        return acted

    @staticmethod
    def _mark(ctx: Context, what: str) -> None:
        ctx.state.setdefault("codescan", {})[what] = True

    @staticmethod
    def _record_fingerprint(ctx: Context, code: str) -> None:
        fp = block_fingerprints(code)
        if fp and all(not isinstance(x, dict) or x["hash"] != fp["hash"] for x in ctx.code_fingerprints):
            ctx.code_fingerprints.append(fp)

    def _fingerprint_blocks(self, ctx: Context, segs: Sequence[Segment]) -> None:
        for s in segs:
            if s.block is not None:
                self._record_fingerprint(ctx, s.block.code)


# -- note formatting (static rule text only: never echo the code) -----------------------------------
def _clean(text: str) -> str:
    return " ".join(text.split())


def _item(f: CodeFinding) -> str:
    msg = _clean(f.message).rstrip(".")
    return f"- line {f.line}: {msg} ({f.cwe}, {f.rule_id}, {f.severity}). Fix: {_clean(f.fix)}"


def _items(findings: Sequence[CodeFinding]) -> list[str]:
    seen: set[tuple[str, int]] = set()
    unique = []
    for f in findings:
        if (f.rule_id, f.line) not in seen:
            seen.add((f.rule_id, f.line))
            unique.append(f)
    out = [_item(f) for f in unique[:MAX_LISTED]]
    if len(unique) > MAX_LISTED:
        out.append(f"- … and {len(unique) - MAX_LISTED} more finding(s)")
    return out


def _block_first(findings: Sequence[CodeFinding]) -> list[CodeFinding]:
    return sorted(findings, key=lambda f: (f.action != "block", f.line))


def _quote(lines: Sequence[str], indent: str) -> str:
    return "".join(f"{indent}> {line}\n" for line in lines)


def _annotated(block: CodeBlock, findings: Sequence[CodeFinding]) -> str:
    """The block byte for byte (closed if the answer ended inside it), then the review note."""
    head = block.text
    if not block.closed:
        head += ("" if head.endswith("\n") else "\n") + block.indent + block.fence + "\n"
    note = _quote([f"**{TITLE}**:", *_items(findings)], block.indent)
    return head + ("" if head.endswith("\n") else "\n") + "\n" + note + "\n"


def _block_notice(block: CodeBlock, lang: str, findings: Sequence[CodeFinding]) -> str:
    lines = [f"**{TITLE}**: a {lang} code block was removed because it contains insecure code.",
             *_items(findings)]
    note = _quote(lines, block.indent)
    return note if block.text.endswith("\n") else note[:-1]
