"""Rule schema and loader: the shipped packs are well formed, and broken packs fail loudly with the
file and rule id in the message (never silently dropping a rule)."""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from proxy.rules.languages import AST_GREP_LANGUAGES, KNOWN_LANGUAGES
from proxy.rules.loader import (
    CWE_RE,
    ID_RE,
    OWASP_2021,
    SEVERITIES,
    RuleLoadError,
    load_rules,
    pack_files,
)
from proxy.rules.matchers import AstGrepMatcher, RegexMatcher


@pytest.fixture(scope="module")
def all_rules() -> list:
    return load_rules()


def test_all_packs_load_with_unique_ids(all_rules: list) -> None:
    ids = Counter(r.id for r in all_rules)
    assert not [i for i, n in ids.items() if n > 1]
    assert len(all_rules) >= 50


def test_rule_fields_are_valid(all_rules: list) -> None:
    bad = []
    for r in all_rules:
        if not ID_RE.match(r.id):
            bad.append(f"{r.id}: id")
        if r.severity not in SEVERITIES:
            bad.append(f"{r.id}: severity {r.severity}")
        if not CWE_RE.match(r.cwe):
            bad.append(f"{r.id}: cwe {r.cwe}")
        if r.owasp not in OWASP_2021:
            bad.append(f"{r.id}: owasp {r.owasp!r} is not an OWASP Top 10 2021 category")
        if not r.languages or any(lang not in KNOWN_LANGUAGES for lang in r.languages):
            bad.append(f"{r.id}: languages {r.languages}")
        no_grammar = [lang for lang in r.languages if lang not in AST_GREP_LANGUAGES]
        if isinstance(r.matcher, AstGrepMatcher) and no_grammar:
            bad.append(f"{r.id}: ast-grep rule for a regex-only language")
        if not r.bad or not r.good or not r.message or not r.fix:
            bad.append(f"{r.id}: missing examples/message/fix")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("language", ["python", "javascript"])
def test_python_and_javascript_packs_are_big_enough(all_rules: list, language: str) -> None:
    prefix = {"python": "python.", "javascript": "js."}[language]
    mine = [r for r in all_rules if r.id.startswith(prefix)]
    assert len(mine) >= 25
    assert all(language in r.languages for r in mine)


def test_js_rules_cover_typescript_where_possible(all_rules: list) -> None:
    js = [r for r in all_rules if r.id.startswith("js.")]
    assert all({"javascript", "tsx"} <= set(r.languages) for r in js)
    # Only rules that need JSX syntax may leave out the plain typescript grammar.
    without_ts = [r.id for r in js if "typescript" not in r.languages]
    assert without_ts == ["js.xss.dangerously-set-inner-html"]


def test_pack_files_are_found_recursively() -> None:
    files = pack_files()
    assert any(p.parent.name == "python" for p in files)
    assert any(p.parent.name == "javascript" for p in files)


# -- error reporting --------------------------------------------------------------------------------
GOOD_RULE = """
  - id: test.demo.eval
    languages: [python]
    severity: high
    cwe: CWE-95
    owasp: "A03:2021-Injection"
    message: eval of data.
    fix: Do not.
    keywords: [eval]
    ast_grep:
      rule: {pattern: eval($X)}
    examples:
      bad: ["eval(x)"]
      good: ["int(x)"]
"""


def _pack(tmp_path: Path, body: str, name: str = "demo.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(body), encoding="utf-8")
    return p


def _error(tmp_path: Path, body: str) -> str:
    with pytest.raises(RuleLoadError) as info:
        load_rules([_pack(tmp_path, body)])
    return str(info.value)


def test_a_valid_pack_loads_and_compiles(tmp_path: Path) -> None:
    (rule,) = load_rules([_pack(tmp_path, "rules:" + GOOD_RULE)])
    assert rule.id == "test.demo.eval" and isinstance(rule.matcher, AstGrepMatcher)
    assert rule.source.endswith("demo.yaml")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("severity: high", "severity: severe"), "`severity` must be one of"),
        (("cwe: CWE-95", "cwe: 95"), "`cwe` must look like CWE-89"),
        (('owasp: "A03:2021-Injection"', "owasp: Injection"), "`owasp` must look like"),
        (("languages: [python]", "languages: [pyhton]"), "unknown languages ['pyhton']"),
        (("id: test.demo.eval", "id: Demo"), "`id` must look like"),
        (("keywords: [eval]", "keywords: [eval]\n    unles: x"), "unknown fields ['unles']"),
        (("rule: {pattern: eval($X)}", "rule: {kind: not_a_kind}"), "does not compile for python"),
        (("      good: [\"int(x)\"]\n", ""), "`examples` must be a mapping with exactly `bad` and `good`"),
        (("keywords: [eval]", "keywords: [eval]\n    regex: 'eval\\('"),
         "exactly one of `ast_grep` or `regex`"),
        (("keywords: [eval]", "keywords: [eval]\n    unless: '('"), "`unless` is not a valid regex"),
    ],
)
def test_invalid_rules_name_file_and_rule(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    body = "rules:" + GOOD_RULE.replace(*change)
    msg = _error(tmp_path, body)
    assert "demo.yaml" in msg and expected in msg
    rule_id = "test.demo.eval" if "id: Demo" not in body else "Demo"
    assert rule_id in msg


def test_ast_grep_rule_for_dockerfile_is_rejected_without_panicking(tmp_path: Path) -> None:
    body = "rules:" + GOOD_RULE.replace("languages: [python]", "languages: [dockerfile]")
    assert "no ast-grep grammar" in _error(tmp_path, body)


def test_duplicate_yaml_keys_are_errors(tmp_path: Path) -> None:
    body = "rules:" + GOOD_RULE.replace("    fix: Do not.\n", "    fix: Do not.\n    fix: Twice.\n")
    assert "duplicate key 'fix'" in _error(tmp_path, body)


def test_yaml_merge_keys_and_definitions_are_allowed(tmp_path: Path) -> None:
    body = """
    definitions:
      base: &base
        languages: [python]
        severity: low
        cwe: CWE-95
        owasp: "A03:2021-Injection"
    rules:
      - <<: *base
        id: test.demo.exec
        message: exec of data.
        fix: Do not.
        regex: 'exec\\('
        examples: {bad: ["exec(x)"], good: ["run(x)"]}
    """
    (rule,) = load_rules([_pack(tmp_path, body)])
    assert rule.severity == "low" and isinstance(rule.matcher, RegexMatcher)


def test_duplicate_ids_across_files_are_reported(tmp_path: Path) -> None:
    a = _pack(tmp_path, "rules:" + GOOD_RULE, "a.yaml")
    b = _pack(tmp_path, "rules:" + GOOD_RULE, "b.yaml")
    with pytest.raises(RuleLoadError, match=r"duplicate rule id \(also in .*a\.yaml\)"):
        load_rules([a, b])


def test_invalid_yaml_reports_line(tmp_path: Path) -> None:
    msg = _error(tmp_path, "rules:\n  - id: [unclosed\n")
    assert re.search(r"demo\.yaml: line \d+: invalid YAML", msg)


def test_all_problems_are_collected(tmp_path: Path) -> None:
    body = "rules:" + GOOD_RULE.replace("severity: high", "severity: x").replace("cwe: CWE-95", "cwe: y")
    with pytest.raises(RuleLoadError) as info:
        load_rules([_pack(tmp_path, body)])
    assert len(info.value.problems) == 2


# -- schema additions: keyword groups, shared utils -----------------------------------------------------
def test_keyword_groups_load_and_all_must_hit(tmp_path: Path) -> None:
    body = "rules:" + GOOD_RULE.replace("keywords: [eval]", "keywords: [[eval, exec], ['(']]")
    (rule,) = load_rules([_pack(tmp_path, body)])
    assert rule.keyword_groups == (("eval", "exec"), ("(",)) and rule.keywords == ("eval", "exec")
    assert rule.prefilter("eval(x)") and not rule.prefilter("eval x")


def test_a_keyword_group_missing_from_a_bad_example_is_an_error(tmp_path: Path) -> None:
    body = "rules:" + GOOD_RULE.replace("keywords: [eval]", "keywords: [[eval], [request]]")
    assert "no keyword of ['request'] occurs in examples.bad[0]" in _error(tmp_path, body)


def test_shared_utils_are_copied_in_only_where_used(tmp_path: Path) -> None:
    (tmp_path / "_utils.yaml").write_text(textwrap.dedent("""
        utils:
          evaluator: {regex: '^(eval|exec)$'}
          unused: {kind: not_a_real_kind}
          wrapper: {any: [{matches: evaluator}]}
    """), encoding="utf-8")
    body = "rules:" + GOOD_RULE.replace(
        "rule: {pattern: eval($X)}",
        "utils: {local-unused: {kind: identifier}}\n      rule: {kind: call, has: {field: function, matches: wrapper}}")
    (rule,) = load_rules([_pack(tmp_path, body)])
    assert set(rule.matcher.config["utils"]) == {"evaluator", "wrapper"}  # no `unused`, no `local-unused`
    assert [p.name for p in pack_files(tmp_path)] == ["demo.yaml"]  # `_utils.yaml` holds no rules


def test_a_local_util_wins_over_a_shared_one(tmp_path: Path) -> None:
    (tmp_path / "_utils.yaml").write_text("utils:\n  sink: {regex: '^never$'}\n", encoding="utf-8")
    body = "rules:" + GOOD_RULE.replace(
        "rule: {pattern: eval($X)}",
        "utils: {sink: {regex: '^eval$'}}\n      rule: {kind: call, has: {field: function, matches: sink}}")
    (rule,) = load_rules([_pack(tmp_path, body)])
    assert rule.matcher.config["utils"] == {"sink": {"regex": "^eval$"}}


def test_a_broken_shared_utils_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "_utils.yaml").write_text("utils: [not, a, mapping]\n", encoding="utf-8")
    with pytest.raises(RuleLoadError, match="_utils.yaml: expected a mapping with a `utils:` mapping"):
        load_rules([_pack(tmp_path, "rules:" + GOOD_RULE)])
