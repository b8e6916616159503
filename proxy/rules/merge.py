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
from proxy.rules.regex_compat import share_regexes

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
        by_body: dict[str, str] = {}  # util body (references already renamed) -> its name
        for i, rule in enumerate(self.rules):
            matcher = rule.matcher
            assert isinstance(matcher, AstGrepMatcher)
            cfg = matcher.run_config or matcher.config
            local: Mapping[str, Any] = cfg.get("utils") or {}
            names: dict[str, str] = {}
            for name in _dependency_order(local):
                body = _refs(local[name], names)
                text = json.dumps(body, sort_keys=True)
                if text not in by_body:  # identical utils of different rules are compiled once
                    unique = name if name not in utils else f"r{i}.{name}"
                    utils[unique] = body
                    by_body[text] = unique
                names[name] = by_body[text]
            utils[f"__rule{i}"] = _refs(cfg["rule"], names)
        n = len(self.rules)
        some = {"not": {"not": {"any": [{"matches": f"__rule{i}"} for i in range(n)]}}}
        marks = [{"any": [{"all": [{"not": {"not": {"matches": f"__rule{i}"}}}, {"pattern": f"${MARK}{i}"}]},
                          {"regex": ""}]} for i in range(n)]
        # `not` hides the node kinds the rules can match from ast-grep's traversal; when every rule's
        # kinds are known, name them up front so other nodes are skipped without evaluating anything.
        known = [node_kinds(utils[f"__rule{i}"], utils) for i in range(n)]
        head = [] if any(k is None for k in known) else [
            {"any": [{"kind": k} for k in sorted(set().union(*known))]}]  # type: ignore[arg-type]
        # A regex or pattern written in several rules is compiled once, too.
        self.config: dict[str, Any] = share_regexes({"utils": utils, "rule": {"all": [*head, some, *marks]}})

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


def node_kinds(node: Any, utils: Mapping[str, Any], seen: frozenset[str] = frozenset()) -> set[str] | None:
    """The node kinds a rule can match, or None when they are not evident (e.g. a bare pattern)."""
    if not isinstance(node, Mapping):
        return None
    sets: list[set[str]] = []
    if isinstance(node.get("kind"), str):
        sets.append({node["kind"]})
    for item in node.get("all") or []:
        if (k := node_kinds(item, utils, seen)) is not None:
            sets.append(k)
    if isinstance(node.get("any"), list) and node["any"]:
        branches = [node_kinds(b, utils, seen) for b in node["any"]]
        if all(b is not None for b in branches):
            sets.append(set().union(*branches))  # type: ignore[arg-type]
    name = node.get("matches")
    if isinstance(name, str) and name in utils and name not in seen \
            and (k := node_kinds(utils[name], utils, seen | {name})) is not None:
        sets.append(k)
    if not sets:
        return None
    out = sets[0]
    for other in sets[1:]:
        out = out & other
    return out


def _dependency_order(utils: Mapping[str, Any]) -> list[str]:
    """Util names, each after the utils it references (ast-grep rejects cycles; a cycle ends the walk)."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        found: set[str] = set()
        _collect(utils[name], found)
        for dep in sorted(found):
            if dep in utils:
                visit(dep)
        order.append(name)

    for name in utils:
        visit(name)
    return order


def _collect(node: Any, out: set[str]) -> None:
    if isinstance(node, Mapping):
        for k, v in node.items():
            if k == "matches" and isinstance(v, str):
                out.add(v)
            else:
                _collect(v, out)
    elif isinstance(node, list):
        for v in node:
            _collect(v, out)


@functools.lru_cache(maxsize=512)
def merged(rules: tuple[Rule, ...]) -> MergedRules:
    """One merged config per set of rules (blocks of the same kind repeat the same sets)."""
    return MergedRules(rules)
