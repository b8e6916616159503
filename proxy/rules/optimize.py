"""Reorder the checks inside ast-grep rule objects so cheap ones run first.

ast-grep evaluates the keys of one rule object in a fixed order (atomic, then `all`/`any`/`not`/
`matches`, then `inside`/`has`/`precedes`/`follows`) and stops at the first that fails. A rule such as
`{any: [pattern: eval($X)], all: [not: {has: {stopBy: end, ...}}]}` therefore runs its expensive
subtree search on every node before the cheap pattern rejects it: 2-4x the time for nothing.

`reorder` rewrites each rule object with several checks into an explicit `all:` list (which ast-grep
evaluates in list order), cheapest first. Conjunction is commutative except through metavariables:
`has: {stopBy: end, pattern: $V}` binds $V to the first node it finds and never backtracks, so two
checks that mention a common metavariable keep their original relative order. What a rule matches is
unchanged; only the order of the work is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

ATOMIC = ("pattern", "kind", "regex", "nthChild", "range")
COMPOSITE = ("all", "any", "not", "matches")
RELATIONAL = ("inside", "has", "precedes", "follows")
RULE_KEYS = frozenset(ATOMIC + COMPOSITE + RELATIONAL)
_METAVAR = re.compile(r"\$\$?\$?([A-Z_][A-Z0-9_]*)")


class _Ctx:
    def __init__(self, utils: Mapping[str, Any]) -> None:
        self.utils = utils
        self._cost: dict[str, float] = {}
        self._vars: dict[str, frozenset[str]] = {}

    def util_cost(self, name: str) -> float:
        if name not in self._cost:
            self._cost[name] = 50.0  # cycle guard: ast-grep rejects cyclic utils anyway
            self._cost[name] = cost(self.utils.get(name), self)
        return self._cost[name]

    def util_vars(self, name: str) -> frozenset[str]:
        if name not in self._vars:
            self._vars[name] = frozenset()
            self._vars[name] = metavars(self.utils.get(name), self)
        return self._vars[name]


def metavars(node: Any, ctx: _Ctx) -> frozenset[str]:
    """Named metavariables a rule (or part of one) reads or binds, through the utils it uses."""
    out: set[str] = set()
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "pattern":
                text = value if isinstance(value, str) else str(value.get("context", "")) if isinstance(
                    value, Mapping) else ""
                out.update(m for m in _METAVAR.findall(text) if not m.startswith("_"))
            elif key == "matches" and isinstance(value, str):
                out |= ctx.util_vars(value)
            else:
                out |= metavars(value, ctx)
    elif isinstance(node, list):
        for value in node:
            out |= metavars(value, ctx)
    return frozenset(out)


def cost(node: Any, ctx: _Ctx) -> float:
    """A rough cost per evaluated node: subtree or ancestor searches dominate everything else."""
    if isinstance(node, list):
        return sum(cost(v, ctx) for v in node)
    if not isinstance(node, Mapping):
        return 0.0
    total = 0.0
    for key, value in node.items():
        if key == "kind":
            total += 0.1
        elif key in ("pattern", "regex", "nthChild", "range"):
            total += 1.0
        elif key == "matches" and isinstance(value, str):
            total += ctx.util_cost(value)
        elif key in ("all", "any", "not"):
            total += cost(value, ctx)
        elif key in RELATIONAL and isinstance(value, Mapping):
            far = value.get("stopBy", "neighbor") != "neighbor" or key in ("precedes", "follows")
            inner = cost({k: v for k, v in value.items() if k not in ("stopBy", "field")}, ctx)
            total += (10.0 if far else 2.0) * (1.0 + inner)
    return total


def _parts(rule: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The checks of one rule object, one per entry, in the order ast-grep would run them."""
    parts: list[dict[str, Any]] = [{k: rule[k]} for k in ATOMIC if k in rule]
    for key in COMPOSITE:
        if key not in rule:
            continue
        if key == "all" and isinstance(rule[key], list):
            parts.extend(item if isinstance(item, dict) else {"all": [item]} for item in rule[key])
        else:
            parts.append({key: rule[key]})
    parts.extend({k: rule[k]} for k in RELATIONAL if k in rule)
    return parts


def _order(parts: list[dict[str, Any]], ctx: _Ctx) -> list[dict[str, Any]]:
    """Cheapest first, but never move a part before an earlier one that shares a metavariable."""
    info = [(cost(p, ctx), metavars(p, ctx)) for p in parts]
    left = list(range(len(parts)))
    out: list[dict[str, Any]] = []
    while left:
        ready = [i for i in left if not any(j < i and info[j][1] & info[i][1] for j in left)]
        best = min(ready, key=lambda i: (info[i][0], i))
        out.append(parts[best])
        left.remove(best)
    return out


def _rule(node: Any, ctx: _Ctx) -> Any:
    """Reorder one rule object and, recursively, every rule object inside it."""
    if isinstance(node, list):
        return [_rule(v, ctx) for v in node]
    if not isinstance(node, Mapping):
        return node
    extra = {k: v for k, v in node.items() if k not in RULE_KEYS}  # stopBy / field of a relation
    if "stopBy" in extra and isinstance(extra["stopBy"], Mapping):
        extra["stopBy"] = _rule(extra["stopBy"], ctx)
    inner = {k: _sub(k, v, ctx) for k, v in node.items() if k in RULE_KEYS}
    parts = _parts(inner)
    if len(parts) <= 1:
        return {**inner, **extra}
    ordered = _order(parts, ctx)
    if ordered == parts and "all" not in inner:
        return {**inner, **extra}
    return {"all": ordered, **extra}


def _sub(key: str, value: Any, ctx: _Ctx) -> Any:
    if key in ("all", "any"):
        return [_rule(v, ctx) for v in value] if isinstance(value, list) else value
    if key == "not" or key in RELATIONAL:
        return _rule(value, ctx)
    return value


def reorder(config: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of an ast-grep config (`rule`, `utils`, `constraints`) with cheap checks first."""
    utils = config.get("utils") if isinstance(config.get("utils"), Mapping) else {}
    ctx = _Ctx(utils or {})
    out = dict(config)
    out["rule"] = _rule(config["rule"], ctx)
    if utils:
        out["utils"] = {name: _rule(body, ctx) for name, body in utils.items()}
    if isinstance(config.get("constraints"), Mapping):
        out["constraints"] = {name: _rule(body, ctx) for name, body in config["constraints"].items()}
    return out
