"""Fenced code block extraction, and the incremental splitter that streaming relies on."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.rules.extract import FenceSplitter, Segment, extract_blocks, split_text
from proxy.rules.languages import normalize_language

ANSWER = (
    "Intro line\n\n"
    "1. Install:\n"
    "   ```sh\n"
    "   pip install flask\n"
    "   ```\n"
    "2. Code:\n\n"
    "```py title=\"app.py\"\n"
    "import os\n"
    "os.system(cmd)\n"
    "```\n"
    "Inline ```not a fence``` here.\n"
    "~~~\n"
    "plain\n"
    "~~~~\n"
    "````markdown\n"
    "```python\n"
    "x = 1\n"
    "```\n"
    "````\n"
    "End ```js\n"
    "```ts\n"
    "let a = 1\n"
)


def test_blocks_tags_languages_and_code() -> None:
    blocks = extract_blocks(ANSWER)
    assert [(b.tag, b.language, b.closed) for b in blocks] == [
        ("sh", "bash", True), ("py", "python", True), ("", None, True), ("markdown", None, True),
        ("ts", "typescript", False),
    ]
    sh, py, plain, md, ts = blocks
    assert sh.code == "pip install flask\n" and sh.indent == "   "  # indentation of list items removed
    assert py.code == "import os\nos.system(cmd)\n" and py.info == 'py title="app.py"'
    assert py.first_line == ANSWER.splitlines().index("import os") + 1
    assert ANSWER[py.start:].startswith("```py")
    assert plain.needs_detection and plain.code == "plain\n" and plain.fence == "~~~"
    assert md.code == "```python\nx = 1\n```\n"  # a longer fence holds shorter ones
    assert ts.code == "let a = 1\n" and not ts.closed


def test_segments_rebuild_the_text_exactly() -> None:
    assert "".join(s.text for s in split_text(ANSWER)) == ANSWER


def test_closing_fence_at_end_without_newline() -> None:
    (b,) = extract_blocks("```python\nx = 1\n```")
    assert b.closed and b.code == "x = 1\n"


def test_crlf_and_info_string_forms() -> None:
    (b,) = extract_blocks("```{.javascript}\r\nlet x = 1;\r\n```\r\n")
    assert b.language == "javascript" and b.closed
    (c,) = extract_blocks("``` c++\nint x;\n```\n")
    assert c.language == "cpp"


def test_opening_fence_alone_at_end_is_an_empty_unclosed_block() -> None:
    segs = split_text("Text\n```python")
    assert segs[-1].block is not None and segs[-1].block.code == "" and not segs[-1].block.closed


def test_language_aliases() -> None:
    expected = {
        "py": "python", "python3": "python", "js": "javascript", "node": "javascript", "ts": "typescript",
        "tsx": "tsx", "sh": "bash", "shell": "bash", "zsh": "bash", "console": "bash", "golang": "go",
        "c++": "cpp", "cs": "csharp", "c#": "csharp", "rb": "ruby", "rs": "rust", "kt": "kotlin",
        "tf": "hcl", "terraform": "hcl", "hcl": "hcl", "Dockerfile": "dockerfile", "docker": "dockerfile",
        "yml": "yaml", "k8s": "yaml", "app.py": "python", "main.go": "go", "json": None, "": None,
    }
    assert {tag: normalize_language(tag) for tag in expected} == expected


def _merge(segs: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for s in segs:
        if s.block is None and out and out[-1].block is None:
            out[-1] = Segment(out[-1].text + s.text)
        elif s.text:
            out.append(s)
    return out


def _feed(text: str, cuts: list[int]) -> list[Segment]:
    sp = FenceSplitter()
    segs: list[Segment] = []
    prev = 0
    for c in [*sorted(cuts), len(text)]:
        segs += sp.push(text[prev:c])
        prev = c
    return segs + sp.finish()


def test_every_single_split_point_gives_the_same_segments() -> None:
    whole = _merge(split_text(ANSWER))
    for i in range(len(ANSWER) + 1):
        assert _merge(_feed(ANSWER, [i])) == whole, i


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(ANSWER)), max_size=12))
def test_random_multi_cuts_give_the_same_segments(cuts: list[int]) -> None:
    assert _merge(_feed(ANSWER, cuts)) == _merge(split_text(ANSWER))


def test_prose_is_returned_before_the_block_closes() -> None:
    sp = FenceSplitter()
    out = sp.push("Hello there\n```python\nx = 1\n")
    assert [s.text for s in out] == ["Hello there\n"] and sp.in_block
    assert sp.push("```")[:1] == []  # closing fence without newline: could still be "```x"
    (seg,) = sp.push("\n")
    assert seg.block is not None and seg.block.closed


def test_partial_fence_markers_are_held() -> None:
    sp = FenceSplitter()
    assert [s.text for s in sp.push("Text\n`")] == ["Text\n"]
    assert sp.held() == 1
    assert [s.text for s in sp.push("x` inline")] == ["`x` inline"]
