"""Prometheus metrics: own registry, counts from records, labels only from safe identifiers."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from proxy.observability.metrics import Metrics
from tests.store.dataset import dataset
from tests.store.support import make_ctx


def _samples(m: Metrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    body, ctype = m.render()
    assert ctype.startswith("text/plain")
    out = {}
    for fam in text_string_to_metric_families(body.decode()):
        for s in fam.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def test_counts_from_records() -> None:
    m = Metrics(known_models=["gpt-4o-mini", "claude-sonnet"])
    for rec in dataset():
        m.observe(rec)
    s = _samples(m)
    key = ("spp_requests_total", (("endpoint", "chat"), ("model", "gpt-4o-mini"), ("outcome", "passed"),
                                  ("team", "payments")))
    assert s[key] == 2
    assert s[("spp_redactions_total", (("entity_type", "PERSON"),))] == 3
    assert s[("spp_redactions_total", (("entity_type", "EMAIL_ADDRESS"),))] == 2
    assert s[("spp_findings_total", (("cwe", "CWE-89"), ("severity", "high")))] == 3
    assert s[("spp_findings_total", (("cwe", "CWE-95"), ("severity", "critical")))] == 1
    assert s[("spp_blocks_total", (("reason_kind", "code_finding"),))] == 2
    assert s[("spp_blocks_total", (("reason_kind", "refused"),))] == 1
    prompt_claude = s[("spp_tokens_total", (("direction", "prompt"), ("model", "claude-sonnet")))]
    assert prompt_claude == 104 + 105 + 106 + 109 + 110
    assert s[("spp_request_latency_seconds_count", (("endpoint", "chat"), ("model", "gpt-4o-mini")))] == 7
    assert ("spp_proxy_overhead_seconds_bucket", (("endpoint", "chat"), ("le", "0.001"))) in s
    assert sum(v for (n, _), v in s.items() if n == "spp_cost_usd_total") > 0


def test_registries_are_independent_and_labels_are_safe() -> None:
    a, b = Metrics(known_models=["gpt-4o-mini"]), Metrics()
    from proxy.store.record import build_record

    rec = build_record(make_ctx(model="gpt-4o-mini"))
    rec["model"] = "sk-proj-SECRET value"  # a client-typed model name must not become a label
    rec["redactions"] = {'EMAIL"}\nfake_metric 1': 1}
    a.observe(rec)
    body = a.render()[0].decode()
    assert "sk-proj" not in body and "fake_metric" not in body and "SECRET" not in body
    assert 'model="(unknown)"' in body
    assert 'entity_type="other"' in body
    assert "spp_requests_total{" not in b.render()[0].decode()  # b saw nothing
