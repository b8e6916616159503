"""Run several ast-grep rules of one block as ONE config, so shared utils compile once.

ast-grep-py compiles a config on every `find_all` call, and in the taint-style packs most of that is
the same request/taint utils repeated in every rule. Merged, the utils of all candidate rules are
compiled once per block and the tree is walked once.

Attribution without changing results: each rule body becomes a util `__rule<i>`; the merged rule is

    all:
      - not: {not: {any: [matches: __rule0, matches: __rule1, ...]}}   # some rule matches this node
      - any: [{all: [{not: {not: {matches: __rule0}}}, {pattern: $SPPMARK0}]}, {regex: ""}]
      - ... one such always-true "mark" per rule

A mark binds $SPPMARK<i> exactly where rule i matches, so every rule that matches a node is recorded
(a plain `any` would stop at the first). `not: {not: ...}` evaluates a rule on a copy of the
metavariable environment: one rule's bindings (its $X, or a shared util's $PY_TAINT_V) can never
leak into another rule's evaluation, which is what makes the merged run equal to separate runs.
Rules with `constraints` or `transform` (applied after the whole rule) run on their own.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from typing import Any

from ast_grep_py import SgNode

from proxy.rules.loader import Rule
from proxy.rules.matchers import AstGrepMatcher

MARK = "SPPMARK"


def mergeable(rule: Rule) -> bool:
    """True for ast-grep rules whose whole meaning is their `rule` and `utils`."""
    m = rule.matcher
    return isinstance(m, AstGrepMatcher) and not ({"constraints", "transform"} & set(m.config))


def _refs(node: Any, names: Mapping[str, str]) -> Any:
    if isinstance(node, Mapping):
        return {k: (names.get(v, v) if k == "matches" and isinstance(v, str) else _refs(v, names))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_refs(v, names) for v in node]
    return node


class MergedRules:
    """Candidate rules of one block as one config; `lines(root)` gives each rule's finding lines."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        utils: dict[str, Any] = {}
        bodies: dict[str, str] = {}
        for i, rule in enumerate(self.rules):
            matcher = rule.matcher
            assert isinstance(matcher, AstGrepMatcher)
            cfg = matcher.run_config or matcher.config
            local: Mapping[str, Any] = cfg.get("utils") or {}
            names: dict[str, str] = {}
            for name, body in local.items():
                text = json.dumps(body, sort_keys=True)
                names[name] = name if bodies.get(name, text) == text else f"r{i}.{name}"
            for name, body in local.items():
                if names[name] not in utils:
                    utils[names[name]] = _refs(body, names)
                    bodies[names[name]] = json.dumps(body, sort_keys=True)
            utils[f"__rule{i}"] = _refs(cfg["rule"], names)
        n = len(self.rules)
        some = {"not": {"not": {"any": [{"matches": f"__rule{i}"} for i in range(n)]}}}
        marks = [{"any": [{"all": [{"not": {"not": {"matches": f"__rule{i}"}}}, {"pattern": f"${MARK}{i}"}]},
                          {"regex": ""}]} for i in range(n)]
        self.config: dict[str, Any] = {"utils": utils, "rule": {"all": [some, *marks]}}

    def lines(self, root: SgNode) -> dict[str, list[int]] | None:
        """Rule id -> 1-based lines of its matches; None if a match could not be attributed."""
        out: dict[str, list[int]] = {}
        for node in root.find_all(self.config):  # type: ignore[call-overload]
            line = node.range().start.line + 1
            hit = False
            for i, rule in enumerate(self.rules):
                if node.get_match(f"{MARK}{i}") is not None:
                    out.setdefault(rule.id, []).append(line)
                    hit = True
            if not hit:
                return None  # e.g. a match on an unnamed node, which `$SPPMARK` cannot bind
        return out


@functools.lru_cache(maxsize=512)
def merged(rules: tuple[Rule, ...]) -> MergedRules:
    """One merged config per set of rules (blocks of the same kind repeat the same sets)."""
    return MergedRules(rules)
