"""Which parts of a prompt NER may read: prose, code comments and string literals, never code tokens."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.redaction.segments import Segment, code_regions, looks_like_code, split_segments


def texts(text: str, kind: str | None = None) -> list[str]:
    return [text[s.start : s.end] for s in split_segments(text) if kind is None or s.kind == kind]


def all_segment_text(text: str) -> str:
    return "\n".join(texts(text))


FENCED = """Please fix the connection code Maria Garcia wrote.

```python
import psycopg2  # ask Priya Patel about pooling
conn = psycopg2.connect("host=db user=Wei Zhang")
total = a // b
```

Thanks!
"""


def test_fenced_python_keeps_prose_comments_and_strings_only() -> None:
    assert texts(FENCED, "prose")[0].startswith("Please fix the connection code Maria Garcia wrote.")
    assert texts(FENCED, "comment") == [" ask Priya Patel about pooling"]
    assert texts(FENCED, "string") == ["host=db user=Wei Zhang"]
    joined = all_segment_text(FENCED)
    for code_token in ("import", "psycopg2.connect", "conn =", "total", "```"):
        assert code_token not in joined
    assert "b\n" not in joined  # `//` is floor division in Python, not a comment


def test_comment_styles_follow_the_fence_language() -> None:
    js = "```js\nconst u = {name: 'Ana Lopez'}; // owner: Olga Petrova\n/* by Jane Roe */\n```"
    assert texts(js, "comment") == [" owner: Olga Petrova", " by Jane Roe "]
    assert texts(js, "string") == ["Ana Lopez"]
    sql = "```sql\nSELECT * FROM patients -- Jane Doe's chart\nWHERE name = 'Ann Lee';\n```"
    assert texts(sql, "comment") == [" Jane Doe's chart"]
    assert texts(sql, "string") == ["Ann Lee"]
    cli = "```sh\nrun --verbose --name x # note from Bob\n```"
    assert texts(cli, "comment") == [" note from Bob"]


def test_unknown_language_accepts_every_comment_style() -> None:
    text = "```\nx = 1 # hash\ny = 2 // slash\nz = 3 -- dash\n```"
    assert texts(text, "comment") == [" hash", " slash", " dash"]


def test_json_fixture_keys_and_values_are_separate_strings() -> None:
    text = '```json\n{"name": "Maria Garcia", "id": "550e8400-e29b-41d4-a716-446655440000"}\n```'
    assert texts(text, "string") == ["name", "Maria Garcia", "id", "550e8400-e29b-41d4-a716-446655440000"]
    assert texts(text, "comment") == []


def test_triple_quoted_strings_span_lines() -> None:
    text = (
        '```python\ndef f():\n    """Written by Ana Lopez.\n    Reviewed by Wei Zhang."""\n    return 1\n```'
    )
    assert texts(text, "string") == ["Written by Ana Lopez.\n    Reviewed by Wei Zhang."]


def test_unclosed_fence_runs_to_the_end() -> None:
    text = "Here:\n```python\nname = 'Ana Lopez'\nprint(name)"
    assert texts(text, "string") == ["Ana Lopez"]
    assert "print" not in all_segment_text(text)


def test_tilde_fence() -> None:
    text = "~~~\nx = 'Ana Lopez'\n~~~\nafter"
    assert texts(text, "string") == ["Ana Lopez"]
    assert texts(text, "prose")[-1].strip() == "after"


def test_indented_code_block_after_blank_line() -> None:
    text = "Fixture:\n\n    users = [{'name': 'Ana Lopez'}]\n    save(users)\n\nDone."
    assert texts(text, "string") == ["name", "Ana Lopez"]
    assert "save" not in all_segment_text(text)


def test_indented_prose_is_not_code() -> None:
    text = "Notes:\n\n    Maria Garcia will review the design tomorrow.\n"
    assert "Maria Garcia will review" in texts(text, "prose")[0]


def test_unfenced_code_lines_are_detected() -> None:
    text = "Why does this fail?\nconst user = getUser(id);\nuser.name = 'Ana Lopez';\nIt throws for Wei."
    joined = all_segment_text(text)
    assert "getUser" not in joined and "user.name" not in joined
    assert "Ana Lopez" in texts(text, "string")
    assert "It throws for Wei." in joined


def test_inline_code_and_urls_are_cut_from_prose() -> None:
    text = "Call `UserService.getName()` as shown at https://example.com/docs?a=1 by Maria."
    joined = all_segment_text(text)
    assert "UserService" not in joined and "example.com" not in joined
    assert "by Maria." in joined
    assert not looks_like_code("Call `UserService.getName()` please.")


def test_markdown_lists_and_headings_stay_prose() -> None:
    text = "# Plan\n- Maria Garcia -> reviews the API\n1. Wei Zhang :: deploys\n"
    assert code_regions(text) == []


def test_offsets_point_into_the_original_text() -> None:
    for seg in split_segments(FENCED):
        assert 0 <= seg.start < seg.end <= len(FENCED)
        assert FENCED[seg.start : seg.end].strip()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Z\n\t#/*-'\"`~{};=()x.:")), max_size=200))
def test_segments_are_sorted_disjoint_and_in_bounds(text: str) -> None:
    segments = split_segments(text)
    last_end = 0
    for seg in segments:
        assert isinstance(seg, Segment)
        assert last_end <= seg.start < seg.end <= len(text)
        last_end = seg.end
