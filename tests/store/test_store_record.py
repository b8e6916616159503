"""build_record: an allow-list of counts, types, ids and hashes, JSON-serialisable."""

from __future__ import annotations

import json
from collections import Counter

from proxy.rules.fingerprint import fingerprint
from proxy.store.codehash import block_fingerprints
from proxy.store.record import block_reason, build_record, normalise_fingerprints
from tests.store.support import finding, make_ctx

CODE = "def add(a, b):\n    total = a + b\n    print(total)\n    return total\n\nx = add(1, 2)\n"


def test_record_fields() -> None:
    fp = block_fingerprints(CODE)
    assert fp is not None and fp["hash"] == fingerprint(CODE) and len(fp["windows"]) == 2
    ctx = make_ctx(outcome="annotated", prompt_tokens=120, completion_tokens=45, cost_usd=0.000123,
                   upstream_ms=812.5, stream=True,
                   redactions=Counter({"EMAIL_ADDRESS": 2, "SECRET_AWS_ACCESS_KEY": 1}),
                   findings=[finding()], templates_applied=[{"id": "owasp-python", "hash": "ab" * 16}],
                   code_fingerprints=[fp])
    ctx.add_stage_time("redact", 0.004)
    ctx.add_stage_time("codescan", 0.002)
    rec = build_record(ctx)
    json.dumps(rec)  # serialisable
    assert rec["request_id"] == ctx.request_id and rec["user"] == "alice" and rec["team"] == "payments"
    assert rec["key_id"] == "key_0123abcd" and rec["endpoint"] == "chat" and rec["stream"] is True
    assert rec["model"] == "gpt-4o-mini" and rec["upstream_model"] == "openai/gpt-4o-mini"
    assert rec["outcome"] == "annotated" and rec["status"] == 200
    assert rec["prompt_tokens"] == 120 and rec["completion_tokens"] == 45 and rec["cost_usd"] == 0.000123
    assert rec["redactions"] == {"EMAIL_ADDRESS": 2, "SECRET_AWS_ACCESS_KEY": 1}
    assert rec["redaction_count"] == 3
    assert rec["findings"] == [{"rule_id": "py.sql-injection", "cwe": "CWE-89", "severity": "high",
                                "action": "annotate", "line": 3, "language": "python"}]
    assert rec["templates"] == [{"id": "owasp-python", "hash": "ab" * 16}]
    assert rec["stage_ms"] == {"redact": 4.0, "codescan": 2.0} and rec["overhead_ms"] == 6.0
    assert rec["upstream_ms"] == 812.5 and rec["latency_ms"] >= 0
    assert rec["fingerprints"] == [fp] and rec["code_blocks"] == 1
    assert rec["time"].endswith("+00:00")
    assert "redacted_prompt" not in rec


def test_fingerprints_accept_strings_and_never_keep_code() -> None:
    out = normalise_fingerprints(["0123456789abcdef0123456789abcdef", CODE, {"hash": "not hex"}, 42])
    assert out[0] == {"hash": "0123456789abcdef0123456789abcdef", "windows": []}
    assert out[1]["hash"] == fingerprint(CODE) and len(out[1]["windows"]) == 2
    assert len(out) == 2
    assert "total" not in json.dumps(out)


def test_redacted_prompt_only_when_enabled() -> None:
    ctx = make_ctx(redacted_prompt="connect with <SECRET_PASSWORD_1>")
    assert build_record(ctx)["redacted_prompt"] == "connect with <SECRET_PASSWORD_1>"
    assert "redacted_prompt" not in build_record(ctx, store_prompts="off")
    assert build_record(ctx, store_prompts="redacted")["redacted_prompt"].startswith("connect")


def test_state_and_free_text_never_copied() -> None:
    ctx = make_ctx(model="sk-live-1234567890abcdef please", error_type="boom: the password is hunter2",
                   upstream_model="")
    ctx.state["vault"] = {"<SECRET_1>": "AKIAIOSFODNN7EXAMPLE"}
    ctx.templates_applied = [{"id": "t1", "hash": "abcd1234", "text": "secret template text"}]
    rec = build_record(ctx, known_models={"gpt-4o-mini"})
    dumped = json.dumps(rec)
    for bad in ("AKIAIOSFODNN7EXAMPLE", "hunter2", "sk-live", "secret template text"):
        assert bad not in dumped
    assert rec["model"] == "(unknown)" and rec["error_type"] == "other"


def test_block_reason() -> None:
    assert block_reason(build_record(make_ctx())) is None
    rec = build_record(make_ctx(outcome="blocked", findings=[finding(action="block")]))
    assert block_reason(rec) == "code_finding"
    refused = build_record(make_ctx(outcome="refused", error_type="unknown_model"))
    assert block_reason(refused) == "unknown_model"
