"""Cheap necessary conditions ("gates") derived from ast-grep rules.

ast-grep-py compiles a rule config on every `find_all` call, and for the taint-style rules that
compile (hundreds of regexes in utils, constraints and relational searches) is most of the cost. Most
blocks do not even contain the rule's sink call. A gate keeps only a rule's cheap structural skeleton
(kinds, patterns, regexes, direct-child `has`), dropping what it cannot keep cheaply (`not`, `inside`,
deep searches, constraints). Dropping conjuncts only weakens a rule, so wherever the rule matches, its
gate matches too: a block where the gate finds nothing cannot produce a finding.

The engine runs the gates of all candidate rules of a block as ONE config (see `GateSet`), so the
cheap skeletons compile once per block instead of each full rule compiling separately.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ast_grep_py import SgNode

_METAVAR = re.compile(r"\$(\$\$)?([A-Z_][A-Z0-9_]*)")
_ATOMS = ("pattern", "kind", "regex", "nthChild")
_MAX_DEPTH = 6
MIN_RULE_SIZE = 8  # atoms (patterns + regexes); one atom compiles in ~20-50 µs


def _gate(node: Any, utils: Mapping[str, Any], depth: int, seen: frozenset[str]) -> dict[str, Any] | None:
    """A weaker rule than `node` built from cheap checks only; None means "no cheap condition".

    `depth` counts down: each `has` and each util reference spends one level."""
    if not isinstance(node, Mapping) or depth < 0:
        return None
    parts: list[dict[str, Any]] = [{k: node[k]} for k in _ATOMS if k in node and k != "nthChild"]
    for item in node.get("all") or []:
        if (g := _gate(item, utils, depth, seen)) is not None:
            parts.append(g)
    if isinstance(node.get("any"), list):
        branches = [_gate(b, utils, depth, seen) for b in node["any"]]
        if branches and all(b is not None for b in branches):
            parts.append(branches[0] if len(branches) == 1 else {"any": branches})
    name = node.get("matches")
    if isinstance(name, str) and name in utils and name not in seen:
        if (g := _gate(utils[name], utils, depth - 1, seen | {name})) is not None:
            parts.append(g)
    has = node.get("has")
    if isinstance(has, Mapping) and has.get("stopBy", "neighbor") == "neighbor":
        inner = _gate({k: v for k, v in has.items() if k not in ("stopBy", "field")}, utils, depth - 1, seen)
        if inner is not None and "field" in has:
            parts.append({"has": {"field": has["field"], **inner}})
        elif inner is not None:
            parts.append({"has": inner})
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"all": parts}


def derive_gate(config: Mapping[str, Any]) -> dict[str, Any] | None:
    """The gate rule for an ast-grep config, or None when the rule has no cheap skeleton worth running.

    The gate must reject something on its own: a bare `kind` (every call, every assignment) is not
    selective enough to pay for an extra pass."""
    utils = config.get("utils") if isinstance(config.get("utils"), Mapping) else {}
    if size(config) < MIN_RULE_SIZE:
        return None  # a small rule compiles about as fast as its gate would: not worth a second pass
    budget = size(config) // 4
    best = None
    for depth in range(_MAX_DEPTH):
        gate = _gate(config.get("rule"), utils or {}, depth, frozenset())
        if gate is None or not _selective(gate):
            continue
        if size(gate) > budget:
            break
        best = gate
    return best


def _selective(node: Any) -> bool:
    """True when every way through the gate checks something beyond a node kind."""
    if not isinstance(node, Mapping):
        return False
    if "pattern" in node or "regex" in node:
        return True
    if isinstance(node.get("any"), list):
        if all(_selective(b) for b in node["any"]):
            return True
    if isinstance(node.get("all"), list) and any(_selective(p) for p in node["all"]):
        return True
    has = node.get("has")
    return isinstance(has, Mapping) and _selective({k: v for k, v in has.items() if k not in ("stopBy", "field")})


def size(node: Any) -> int:
    """How many compiled atoms (patterns and regexes) a rule holds: a proxy for its compile cost."""
    if isinstance(node, Mapping):
        return sum((1 if k in ("pattern", "regex") else 0) + size(v) for k, v in node.items())
    if isinstance(node, list):
        return sum(size(v) for v in node)
    return 0


def _rename(node: Any, prefix: str) -> Any:
    """Metavariables renamed apart (`$X` -> `$G3_X`), so gates of different rules never share one."""
    if isinstance(node, Mapping):
        return {k: (_METAVAR.sub(lambda m: f"${m.group(1) or ''}{prefix}{m.group(2)}", v)
                    if k == "pattern" and isinstance(v, str) else _rename(v, prefix)) for k, v in node.items()}
    if isinstance(node, list):
        return [_rename(v, prefix) for v in node]
    return node


class GateSet:
    """The gates of several rules as one ast-grep config; `passed(root)` says whose gates matched.

    Each gate is wrapped as `any: [{all: [gate_i, pattern: $GATE_i]}, {regex: ""}]`: always true, and
    binding $GATE_i on the nodes where gate i holds. One `all` of these after an `any` of the gates
    visits each node once and records every gate that matches it (an `any` alone would stop at the
    first)."""

    def __init__(self, keys: Sequence[str], gates: Sequence[Mapping[str, Any]]) -> None:
        self.keys = list(keys)
        renamed = [_rename(g, f"G{i}_") for i, g in enumerate(gates)]
        marks = [{"any": [{"all": [g, {"pattern": f"$GATE{i}"}]}, {"regex": ""}]} for i, g in enumerate(renamed)]
        self.config: dict[str, Any] = {"rule": {"all": [{"any": renamed}, *marks]}}

    def passed(self, root: SgNode) -> set[str]:
        out: set[str] = set()
        for node in root.find_all(self.config):  # type: ignore[call-overload]
            for i, key in enumerate(self.keys):
                if key not in out and node.get_match(f"GATE{i}") is not None:
                    out.add(key)
        return out
