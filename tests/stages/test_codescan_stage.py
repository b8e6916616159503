"""CodeScanStage: annotate / block / off per policy, byte-exact safe answers, completions, and
streaming that gives the same output for any chunking while prose flows before a fence closes."""

from __future__ import annotations

import hashlib
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.pipeline import Context, LLMRequest, Principal, TextStream
from proxy.pipeline.runner import Pipeline
from proxy.pipeline.stage import Blocked, Stage
from proxy.rules.engine import RuleEngine
from proxy.rules.fingerprint import block_fingerprints, normalize_code
from proxy.settings import parse_settings
from proxy.stages.codescan import CodeScanStage

SQLI_RULE = "python.sql-injection.formatted-query"
PROSE_1 = "Here is a lookup helper.\nIt uses the cursor you already have:\n\n"
BLOCK_1 = (
    "```python\n"
    "def get_user(cursor, user_id):\n"
    '    cursor.execute("SELECT * FROM users WHERE id = %s" % user_id)\n'
    "    return cursor.fetchone()\n"
    "```\n"
)
PROSE_2 = "\nAnd the browser side, which is fine:\n\n"
BLOCK_2 = "~~~js\nconst el = document.getElementById('name');\nel.textContent = user.name;\n~~~\n"
PROSE_3 = "\nThat's all.\n"
ANSWER = PROSE_1 + BLOCK_1 + PROSE_2 + BLOCK_2 + PROSE_3
FENCE_1 = (len(PROSE_1), len(PROSE_1) + len(BLOCK_1))

SAFE = (
    "Use parameters:\n\n"
    "1. Query:\n"
    "   ```python\n"
    '   cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))\r\n'
    "   ```\n"
    "2. Tokens: `secrets.token_urlsafe(32)`\n"
    "```\n"
    "plain text block\n"
    "```\n"
    "```ts\n"
    "const x: number = 1;\n"
)


class HoldTail(Stage):
    """Another holding stage (like rehydration): keeps a small window, so released text may end
    in the middle of a code block and codescan has to carry it over."""

    name = "holdtail"

    def stream_hold(self, ctx: Context, stream: TextStream, pending: str) -> int:
        return min(7, len(pending))

    def on_chunk(self, ctx: Context, stream: TextStream, text: str) -> str:
        return text


def _ctx(endpoint: str = "chat", **codescan: Any) -> Context:
    s = parse_settings({"model_list": [{"model_name": "m", "litellm_params": {"model": "openai/m"}}],
                        "codescan": codescan})
    c = Context(principal=Principal("alice", "default", "k1"), endpoint=endpoint)
    c.state["policy"] = s.policy_for("default")
    return c


@pytest.fixture(scope="module")
def stage() -> CodeScanStage:
    return CodeScanStage(engine=RuleEngine.default())


def _whole(stage: CodeScanStage, text: str, ctx: Context | None = None,
           kind: str = "content") -> tuple[str, Context]:
    ctx = ctx or _ctx()
    pipe = Pipeline([stage])
    out = pipe.transform_whole(ctx, TextStream(kind), text)  # type: ignore[arg-type]
    pipe.finish_response(ctx)
    return out, ctx


def _streamed(pipe: Pipeline, text: str, cuts: list[int],
              ctx: Context | None = None) -> tuple[str, Context, list[tuple[int, str]]]:
    """Feed `text` cut at `cuts`; also return (characters fed, output so far) after each feed."""
    ctx = ctx or _ctx()
    proc = pipe.open_stream(ctx, TextStream("content"))
    out, trace, prev = "", [], 0
    for c in [*sorted(set(cuts)), len(text)]:
        out += proc.feed(text[prev:c])
        prev = c
        trace.append((c, out))
    out += proc.finish()
    pipe.finish_response(ctx)
    return out, ctx, trace


# -- behaviour ----------------------------------------------------------------------------------------
def test_insecure_block_is_annotated_after_its_fence(stage: CodeScanStage) -> None:
    out, ctx = _whole(stage, ANSWER)
    head, note_and_rest = out.split(BLOCK_1, 1)
    assert head == PROSE_1  # prose and the block itself are untouched
    note, rest = note_and_rest.split(PROSE_2, 1)
    assert note.startswith("\n> **Security review (secure-prompt-proxy)**:\n> - line 2: ")
    assert f"(CWE-89, {SQLI_RULE}, high). Fix: " in note
    assert rest == BLOCK_2 + PROSE_3
    assert ctx.outcome == "annotated"
    assert [(f.rule_id, f.line, f.action) for f in ctx.findings] == [(SQLI_RULE, 2, "annotate")]


def test_safe_answers_come_back_byte_for_byte(stage: CodeScanStage) -> None:
    out, ctx = _whole(stage, SAFE)
    assert out == SAFE and ctx.findings == [] and ctx.outcome == "passed"


def test_block_action_replaces_the_block_and_never_echoes_code(stage: CodeScanStage) -> None:
    ctx = _ctx(rule_actions={SQLI_RULE: "block"})
    out, ctx = _whole(stage, ANSWER, ctx)
    assert '% user_id' not in out and "def get_user" not in out
    notice = "> **Security review (secure-prompt-proxy)**: a python code block was removed"
    assert out.startswith(PROSE_1 + notice)
    assert "CWE-89" in out and SQLI_RULE in out and "Fix: " in out
    assert out.endswith(PROSE_2 + BLOCK_2 + PROSE_3)
    assert ctx.outcome == "blocked" and ctx.findings[0].action == "block"
    # A blocked block was not returned, so it has no provenance fingerprint; the safe one does.
    assert ctx.code_fingerprints == [block_fingerprints("const el = document.getElementById('name');\n"
                                                        "el.textContent = user.name;\n")]


def test_severity_actions_and_critical_default_block(stage: CodeScanStage) -> None:
    critical = "```python\nobj = pickle.loads(request.data)\n```\n"
    out, ctx = _whole(stage, critical)
    assert "pickle.loads" not in out and ctx.outcome == "blocked"
    out, ctx = _whole(stage, critical, _ctx(actions={"critical": "annotate"}))
    assert out.startswith(critical) and ctx.outcome == "annotated"


def test_off_records_without_touching_the_answer(stage: CodeScanStage) -> None:
    out, ctx = _whole(stage, ANSWER, _ctx(actions={"high": "off"}))
    assert out == ANSWER and ctx.outcome == "passed"
    assert [(f.rule_id, f.action) for f in ctx.findings] == [(SQLI_RULE, "off")]


def test_disabled_rules_do_not_fire(stage: CodeScanStage) -> None:
    out, ctx = _whole(stage, ANSWER, _ctx(disabled_rules=[SQLI_RULE]))
    assert out == ANSWER and ctx.findings == []


def test_disabled_policy_passes_through_but_still_fingerprints(stage: CodeScanStage) -> None:
    ctx = _ctx(enabled=False)
    pipe = Pipeline([stage])
    proc = pipe.open_stream(ctx, TextStream("content"))
    assert proc.feed(ANSWER[:FENCE_1[0] + 20]) == ANSWER[:FENCE_1[0] + 20]  # nothing held
    rest = proc.feed(ANSWER[FENCE_1[0] + 20:]) + proc.finish()
    assert ANSWER[:FENCE_1[0] + 20] + rest == ANSWER
    assert ctx.findings == [] and len(ctx.code_fingerprints) == 2


def test_tool_arguments_are_not_scanned(stage: CodeScanStage) -> None:
    out, ctx = _whole(stage, ANSWER, kind="tool_arguments")
    assert out == ANSWER and ctx.findings == []


def test_unclosed_block_is_closed_before_the_note(stage: CodeScanStage) -> None:
    text = "Try:\n```js\nel.innerHTML = '<b>' + name;\n"
    out, _ = _whole(stage, text)
    assert out.startswith(text + "```\n\n> **Security review")


def test_note_keeps_list_indentation(stage: CodeScanStage) -> None:
    text = "1. Step\n   ```python\n   os.system('rm ' + p)\n   ```\n2. Next\n"
    out, _ = _whole(stage, text)
    assert "   ```\n\n   > **Security review" in out and "   > - line 1: " in out


def test_untagged_block_uses_prompt_hints(stage: CodeScanStage) -> None:
    code = "```\nresult = eval(expression)\n```\n"
    out, ctx = _whole(stage, code)
    assert out == code  # too little evidence for a language: not scanned
    ctx = _ctx()
    req = LLMRequest(endpoint="chat", body={"model": "m", "messages": [
        {"role": "system", "content": "be brief"}, {"role": "user", "content": "Improve calc.py please"}]})
    stage.on_request(ctx, req)
    assert ctx.state["lang_hints"] == ["calc.py"]
    out, ctx = _whole(stage, code, ctx)
    assert [f.rule_id for f in ctx.findings] == ["python.code-injection.eval-exec"]


def test_outcome_is_not_overridden(stage: CodeScanStage) -> None:
    ctx = _ctx()
    ctx.outcome = "refused"
    _, ctx = _whole(stage, ANSWER, ctx)
    assert ctx.outcome == "refused"


def test_fingerprints_ignore_whitespace(stage: CodeScanStage) -> None:
    _, ctx = _whole(stage, "```python\nx = 1\ny = 2\n```\n")
    _, ctx2 = _whole(stage, "```python\n  x  =  1\r\n\ty = 2\n\n```\n")
    assert ctx.code_fingerprints == ctx2.code_fingerprints
    assert [fp["hash"] for fp in ctx.code_fingerprints] == [hashlib.sha256(b"x = 1 y = 2").hexdigest()]
    assert normalize_code("  a\n\n b\t") == "a b"


# -- completions (fill-in-the-middle) -----------------------------------------------------------------
def _completion(stage: CodeScanStage, text: str, prompt: str, chunks: int = 5,
                **codescan: Any) -> tuple[str, Context, list[str]]:
    ctx = _ctx("completions", **codescan)
    stage.on_request(ctx, LLMRequest(endpoint="completions", body={"model": "m", "prompt": prompt}))
    pipe = Pipeline([stage])
    proc = pipe.open_stream(ctx, TextStream("text"))
    size = max(1, len(text) // chunks)
    early = [proc.feed(text[i:i + size]) for i in range(0, len(text), size)]
    out = "".join(early) + proc.finish()
    pipe.finish_response(ctx)
    return out, ctx, early


def test_completion_is_held_then_annotated_as_a_comment(stage: CodeScanStage) -> None:
    prompt = "# file: tools/run.py\nimport os\n\ndef cleanup(path):\n"
    text = '    os.system("rm -rf " + path)\n'
    out, ctx, early = _completion(stage, text, prompt)
    assert early == [""] * len(early)  # nothing released before the end
    assert out.startswith(text) and "\n# Security review (secure-prompt-proxy):\n# - line 1: " in out
    assert ctx.outcome == "annotated"


def test_completion_block_uses_the_language_comment(stage: CodeScanStage) -> None:
    prompt = "const { exec } = require('child_process');\nfunction build(dir) {\n"
    text = "  exec(`make -C ${dir}`);\n}\n"
    block = {"js.command-injection.exec-formatted": "block"}
    out, ctx, _ = _completion(stage, text, prompt, rule_actions=block)
    assert out.startswith("// Security review (secure-prompt-proxy): the suggested javascript code was")
    assert "exec(`make" not in out and ctx.outcome == "blocked"


def test_safe_or_unknown_completion_is_unchanged(stage: CodeScanStage) -> None:
    out, ctx, _ = _completion(stage, "    return a + b\n", "def add(a, b):\n")
    assert out == "    return a + b\n" and ctx.findings == []
    out, _, _ = _completion(stage, "lorem ipsum dolor", "some words")
    assert out == "lorem ipsum dolor"


def test_block_whole_answer_refuses(stage: CodeScanStage) -> None:
    ctx = _ctx(block_whole_answer=True, rule_actions={SQLI_RULE: "block"})
    pipe = Pipeline([stage])
    proc = pipe.open_stream(ctx, TextStream("content"))
    assert proc.feed(ANSWER) == ""
    with pytest.raises(Blocked) as info:
        proc.finish()
    assert SQLI_RULE in info.value.reason and "cursor" not in info.value.reason
    assert ctx.outcome == "blocked"
    out, ctx = _whole(stage, ANSWER, _ctx(block_whole_answer=True))  # only annotations: delivered
    assert BLOCK_1 in out and ctx.outcome == "annotated"


# -- streaming ----------------------------------------------------------------------------------------
def _check_stream(pipe: Pipeline, text: str, cuts: list[int], expected: str, strict_release: bool) -> None:
    out, ctx, trace = _streamed(pipe, text, cuts)
    assert out == expected
    assert [(f.rule_id, f.line) for f in ctx.findings] == [(SQLI_RULE, 2)]
    if strict_release:
        start, end = FENCE_1
        for fed, so_far in trace:
            if start <= fed < end:  # the fence is open: everything before it is out, nothing after
                assert so_far == PROSE_1, fed
            if fed < start:
                assert PROSE_1[:fed].startswith(so_far) and len(so_far) >= fed - 1


@pytest.fixture(scope="module")
def expected(stage: CodeScanStage) -> str:
    return _whole(stage, ANSWER)[0]


def test_every_single_split_point(stage: CodeScanStage, expected: str) -> None:
    pipe = Pipeline([stage])
    for i in range(len(ANSWER) + 1):
        _check_stream(pipe, ANSWER, [i], expected, strict_release=True)


def test_character_by_character(stage: CodeScanStage, expected: str) -> None:
    _check_stream(Pipeline([stage]), ANSWER, list(range(len(ANSWER))), expected, strict_release=True)


@settings(max_examples=120, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(ANSWER)), max_size=25))
def test_random_multi_cuts(stage: CodeScanStage, expected: str, cuts: list[int]) -> None:
    _check_stream(Pipeline([stage]), ANSWER, cuts, expected, strict_release=True)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(ANSWER)), max_size=25))
def test_random_cuts_with_another_holding_stage(stage: CodeScanStage, expected: str, cuts: list[int]) -> None:
    # Released text can now end inside a block; codescan must carry it over and still agree.
    _check_stream(Pipeline([HoldTail(), stage]), ANSWER, cuts, expected, strict_release=False)


def test_safe_answer_streams_unchanged_at_every_split(stage: CodeScanStage) -> None:
    pipe = Pipeline([stage])
    for i in range(len(SAFE) + 1):
        out, ctx, _ = _streamed(pipe, SAFE, [i])
        assert out == SAFE and ctx.findings == []


def test_partial_fence_marker_and_open_fence_are_held(stage: CodeScanStage) -> None:
    ctx = _ctx()
    s = TextStream("content")
    assert stage.stream_hold(ctx, s, "Some prose\n``") == 2
    assert stage.stream_hold(ctx, s, "Some prose\n```pyt") == len("```pyt")
    assert stage.stream_hold(ctx, s, "Some prose\n``x`` inline") == 0
    assert stage.stream_hold(ctx, s, "Some prose\n```python\nx = 1\n") == len("```python\nx = 1\n")
    assert stage.stream_hold(ctx, TextStream("tool_arguments"), "```python\n") == 0


def test_long_block_in_tiny_chunks_is_linear(stage: CodeScanStage) -> None:
    body = "".join(f"value_{i} = compute({i})\n" for i in range(3000))
    text = "Intro\n```python\n" + body + "```\nBye\n"
    proc = Pipeline([stage]).open_stream(_ctx(), TextStream("content"))
    t0 = time.perf_counter()
    out = "".join(proc.feed(text[i:i + 4]) for i in range(0, len(text), 4)) + proc.finish()
    assert out == text
    assert time.perf_counter() - t0 < 5.0  # ~0.2 s here; quadratic buffering would take minutes
