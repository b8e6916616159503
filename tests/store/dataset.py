"""A small, varied set of usage records used by the query, logs and admin tests."""

from __future__ import annotations

from collections import Counter
from typing import Any

from proxy.store.record import build_record
from tests.store.support import finding, make_ctx

HOUR = 3600.0


def dataset() -> list[dict[str, Any]]:
    """12 records: alice/payments (gpt-4o-mini), bob/payments (claude-sonnet), carol/platform."""
    out = []
    spec = [
        # user, team, model, outcome, status, age hours, redactions, findings
        ("alice", "payments", "gpt-4o-mini", "passed", 200, 1, {"EMAIL_ADDRESS": 1}, []),
        ("alice", "payments", "gpt-4o-mini", "annotated", 200, 2, {}, [finding()]),
        ("alice", "payments", "gpt-4o-mini", "blocked", 400, 3, {"SECRET_AWS_ACCESS_KEY": 2},
         [finding("py.eval", "CWE-95", "critical", "block")]),
        ("alice", "payments", "gpt-4o-mini", "passed", 200, 30, {}, []),
        ("bob", "payments", "claude-sonnet", "passed", 200, 4, {"PERSON": 3, "EMAIL_ADDRESS": 1}, []),
        ("bob", "payments", "claude-sonnet", "upstream_error", 502, 5, {}, []),
        ("bob", "payments", "claude-sonnet", "refused", 403, 6, {}, []),
        ("carol", "platform", "gpt-4o-mini", "passed", 200, 7, {}, []),
        ("carol", "platform", "gpt-4o-mini", "annotated", 200, 8, {"PHONE_NUMBER": 1},
         [finding(), finding("py.subprocess-shell", "CWE-78", "medium")]),
        ("carol", "platform", "claude-sonnet", "passed", 200, 50, {}, []),
        ("carol", "platform", "claude-sonnet", "passed", 200, 200, {}, []),
        ("carol", "platform", "gpt-4o-mini", "blocked", 400, 9, {}, [finding(action="block")]),
    ]
    for i, (user, team, model, outcome, status, age_h, red, fnd) in enumerate(spec):
        ctx = make_ctx(user=user, team=team, model=model, outcome=outcome, status=status, age_s=age_h * HOUR,
                       prompt_tokens=100 + i, completion_tokens=10 * i, cost_usd=0.001 * (i + 1),
                       redactions=Counter(red), findings=list(fnd),
                       error_type="blocked_by_policy" if outcome == "blocked" else "")
        ctx.request_id = f"req_{i:04d}"
        out.append(build_record(ctx))
    return out
