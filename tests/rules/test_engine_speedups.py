"""The engine's speed-ups must never change what a rule finds.

Each rewrite (cheap checks first, shared regexes, text prefilters, rules merged into one config, `unless`
checked before matching) is compared with the plain semantics of RULE_SCHEMA.md: the rule's own
`ast_grep` config passed to `find_all`, keywords and `unless` applied as documented.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.rules.engine import RuleEngine
from proxy.rules.loader import Rule
from proxy.rules.matchers import AstGrepMatcher, parse
from proxy.rules.merge import MergedRules, mergeable
from proxy.rules.optimize import reorder
from proxy.rules.regex_compat import share_regexes
from proxy.rules.textgate import TextGate, derive, pattern_words, unanchor

ENGINE = RuleEngine.default()


def _reference(rule: Rule, code: str, lang: str) -> set[int]:
    """Lines per the schema, straight from the rule's written config (no rewrites, no gates)."""
    if not rule.prefilter(code):
        return set()
    if isinstance(rule.matcher, AstGrepMatcher):
        root = parse(code, lang)
        found = {n.range().start.line + 1 for n in root.find_all(dict(rule.matcher.config))} if root else set()
    else:
        found = set(rule.matcher.lines(code))
    if found and rule.unless is not None and rule.unless.search(code):
        return set()
    return found


def _snippets(lang: str) -> Iterator[str]:
    for rule in ENGINE.rules_for(lang):
        yield from rule.bad
        yield from rule.good


@pytest.mark.parametrize("lang", ENGINE.languages)
def test_engine_scan_equals_the_plain_rule_semantics(lang: str) -> None:
    """Every example of every rule of a language, scanned as the proxy does (merged, gated, rewritten),
    gives exactly the findings of running each rule's own config on its own."""
    rules = ENGINE.rules_for(lang)
    snippets = list(dict.fromkeys(_snippets(lang)))
    # Whole-pack blocks too: many rules are candidates at once, so the merged config is large.
    snippets += ["\n".join(snippets[i:i + 8]) for i in range(0, len(snippets), 8)]
    diffs = []
    for code in snippets:
        got = {(f.rule_id, f.line) for f in ENGINE.scan(code, lang)}
        want = {(r.id, line) for r in rules for line in _reference(r, code, lang)}
        if got != want:
            diffs.append(f"{code[:60]!r}: extra {sorted(got - want)}, missing {sorted(want - got)}")
    assert not diffs, "\n".join(diffs[:10])


def test_merged_rules_report_every_rule_on_a_shared_node() -> None:
    """Two rules matching the same node are both reported (an `any` alone would stop at the first)."""
    from proxy.rules.loader import load_rules

    rules = [r for r in load_rules() if r.id in ("python.command-injection.os-system",
                                                 "python.command-injection.request-to-shell")]
    code = 'def f():\n    os.system("ping " + request.args["h"])\n    os.system("ls " + folder)\n'
    root = parse(code, "python")
    assert root is not None and all(mergeable(r) for r in rules)
    merged = MergedRules(rules).lines(root)
    assert merged == {r.id: sorted({n.range().start.line + 1 for n in root.find_all(dict(r.matcher.config))})
                      for r in rules if root.find_all(dict(r.matcher.config))}


def test_merged_rules_keep_metavariables_of_rules_apart() -> None:
    """Rules that reuse a metavariable name ($V) or a shared util with one must not constrain each other."""
    a = {"rule": {"kind": "call", "has": {"field": "function", "pattern": "$V"}}}
    b = {"rule": {"kind": "call", "has": {"field": "arguments", "has": {"pattern": "$V"}}}}
    rules = []
    for i, cfg in enumerate((a, b)):
        matcher, errors = AstGrepMatcher.build(cfg, ["python"])
        assert not errors
        rules.append(Rule(id=f"t.t.r{i}", languages=("python",), severity="low", cwe="CWE-1",
                          owasp="A03:2021-Injection", message="m", fix="f", matcher=matcher))
    root = parse("foo(bar)\n", "python")
    assert root is not None
    assert MergedRules(rules).lines(root) == {"t.t.r0": [1], "t.t.r1": [1]}


# -- cheap checks first --------------------------------------------------------------------------------
def test_reorder_moves_cheap_checks_first_but_keeps_metavariable_order() -> None:
    cfg = {"rule": {"any": [{"pattern": "eval($X)"}],
                    "all": [{"not": {"has": {"stopBy": "end", "kind": "attribute"}}}]}}
    out = reorder(cfg)["rule"]["all"]
    assert out[0] == {"any": [{"pattern": "eval($X)"}]}  # the pattern now runs before the subtree search
    bound_first = {"rule": {"kind": "identifier", "pattern": "$V",
                            "inside": {"stopBy": "end", "has": {"stopBy": "end", "pattern": "$V"}}}}
    order = [next(iter(p)) for p in reorder(bound_first)["rule"]["all"]]
    assert order.index("pattern") < order.index("inside")


def test_share_regexes_compiles_a_repeated_regex_once() -> None:
    rx = "(?i)password$"
    cfg = {"rule": {"any": [{"kind": "identifier", "regex": rx}, {"kind": "string", "regex": rx}]}}
    out = share_regexes(cfg)
    assert out["utils"] == {"__atom0": {"regex": rx}}
    assert out["rule"]["any"][0] == {"kind": "identifier", "matches": "__atom0"}
    root = parse('password = "x"\n', "python")
    assert root is not None
    assert len(root.find_all(out)) == len(root.find_all(cfg))


# -- text prefilters -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("rx", "expected"), [
    (r"^(os\.system|os\.popen)$", r"(os\.system|os\.popen)"),
    (r"(?-u:\b)where(?-u:\b)", "where"),
    (r"(?i-u:token|secret)", "(?i:token|secret)"),
    (r"^[^$]+\$$", r"[^$]+\$"),
    (r"\Aabc\z", "abc"),
])
def test_unanchor_drops_node_relative_anchors_only(rx: str, expected: str) -> None:
    assert unanchor(rx) == expected


NODE_REGEXES = [r"^(os\.system|os\.popen)$", r"(?i)^(\w*_)?(password|secret)$", r"^\$_(GET|POST)\b",
                r"(?-u:\b)select(?-u:\b)[\s\S]*(?-u:\b)from(?-u:\b)", r"[^.]\.(exec|run)$", r"^\"[^\"]{4,}\"$"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab $_.\"osytempPASWRDGETsecrlfxunio\n(", max_size=30),
       st.text(alphabet="ab $_.\n", max_size=6), st.text(alphabet="ab $_.\n", max_size=6))
def test_unanchored_regex_matches_any_text_around_a_matching_node(node: str, before: str, after: str) -> None:
    """Soundness of the text prefilter: if a node's text matches, the whole block matches too."""
    for rx in NODE_REGEXES:
        py = rx.replace("(?-u:\\b)", "\\b")
        if re.search(py, node):
            loose = unanchor(rx)
            assert loose is not None
            assert re.search(loose.replace("(?-u:\\b)", ""), before + node + after), (rx, node)


def test_text_condition_follows_the_rule_structure() -> None:
    cfg = {"utils": {"src": {"kind": "attribute", "regex": "^request\\.args"}},
           "rule": {"any": [{"pattern": "eval($X)", "has": {"stopBy": "end", "matches": "src"}},
                            {"kind": "call", "regex": "^exec\\(", "not": {"regex": "literal"}}]},
           "constraints": {"X": {"regex": "^user"}}}
    gate = TextGate(derive(cfg))
    assert gate.passes("eval(request.args['x'])")
    assert gate.passes("exec(code)")
    assert not gate.passes("eval(data)")  # neither branch can match: no request.args, no exec(
    assert not gate.passes("print(request.args)")
    assert pattern_words("new ProcessBuilder($$$ARGS)") == ["ProcessBuilder", "new"]
    assert pattern_words('$F("select * from t", $A)') == []


def test_constraints_count_only_for_metavariables_every_match_binds() -> None:
    cfg = {"rule": {"any": [{"pattern": "foo($A)"}, {"pattern": "bar()"}]},
           "constraints": {"A": {"regex": "^zzz"}}}
    gate = TextGate.build(cfg)
    assert gate is None or gate.passes("bar()")  # bar() matches without binding $A


def test_keyword_groups_all_need_a_hit() -> None:
    rule = ENGINE.by_id["python.ssrf.request-url"]
    assert len(rule.keyword_groups) == 2
    assert rule.prefilter('url = request.args["u"]\nhttpx.post(url)\n')
    assert not rule.prefilter("def ping(url):\n    httpx.post(url)\n")  # no source of request data
