"""Text prefilters derived from ast-grep rules: which regexes the block text must contain.

ast-grep-py compiles a rule config on every `find_all` call, so an ast-grep rule costs ~0.2-1.5 ms per
block even where it cannot match; regex compilation is most of that. But a `regex:` atom inside a
rule tests the text of some node of the block, so wherever the rule matches, the block text contains
a match of that regex (once the node-relative anchors `^`, `$`, `\\b` are dropped). Combining those
facts the way the rule combines its checks (`all` = and, `any` = or; `not` and kinds say nothing)
gives a condition on the plain text that every match implies. It is evaluated with RE2 (compiled
once, at load), in microseconds: a rule whose condition fails is skipped without running ast-grep.

The condition only ever weakens the rule, so it cannot hide a finding; the example tests prove it on
every `bad` snippet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

try:  # google-re2: linear time, and the same syntax family as Rust's regex crate
    import re2 as _re2

    _HAS_RE2 = hasattr(_re2, "compile")
except ImportError:  # pragma: no cover - re2 is a pinned dependency
    _HAS_RE2 = False

# A condition: True (no information), ("rx", regex), ("lit", word), ("and", [...]) or ("or", [...]).
Cond = bool | tuple[str, Any]
_METAVAR = re.compile(r"\$([A-Z_][A-Z0-9_]*)")
_RELATIONAL = ("inside", "has", "precedes", "follows")


def unanchor(pattern: str) -> str | None:
    """`pattern` without anchors relative to the node (^ $ \\A \\z \\b \\B), or None if unsure.

    Removing an anchor only makes a regex match more, so a node-text match implies a block match."""
    out: list[str] = []
    i, n, in_class = 0, len(pattern), False
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                return None
            nxt = pattern[i + 1]
            if not in_class and nxt in "AzbB":
                i += 2
                continue
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            out.append(c)
        elif c == "[":
            in_class = True
            out.append(c)
            if pattern.startswith("^", i + 1):
                out.append("^")
                i += 1
            if pattern.startswith("]", i + 1):
                out.append("]")
                i += 1
        elif c in "^$":
            pass
        elif c == "(" and pattern.startswith("(?", i):
            end = i + 2
            while end < n and pattern[end] not in ":)":
                end += 1
            flags = pattern[i + 2:end]
            if flags and not re.fullmatch(r"[imsUux-]*", flags):
                out.append(pattern[i:end])  # a named group or similar: copy as is
                i = end
                continue
            flags = flags.replace("u", "").replace("U", "")
            flags = "" if flags in ("-", "") else flags.rstrip("-")
            out.append("(?" + flags)
            i = end
            continue
        else:
            out.append(c)
        i += 1
    text = "".join(out).replace("(?)", "").replace("(?:)", "")
    return text


_STRING = re.compile(r"""("([^"\\\n]|\\.)*"|'([^'\\\n]|\\.)*'|`[^`]*`)""")
_WORD = re.compile(r"(?<![$\w])[A-Za-z_][A-Za-z0-9_]{2,}")


def pattern_words(pattern: str) -> list[str]:
    """Identifiers a pattern spells out (not metavariables, not inside string literals): ast-grep
    matches named leaves by their exact text, so each occurs in any code the pattern matches."""
    return sorted(set(_WORD.findall(_STRING.sub(" ", pattern))))


def _fold(op: str, parts: Iterable[Cond]) -> Cond:
    """Flatten an and/or of conditions: the absorbing constant (False for and, True for or) wins,
    the neutral one drops out, and nested same-op groups merge."""
    absorbing = op == "or"
    items: list[Cond] = []
    for p in parts:
        if isinstance(p, bool):
            if p is absorbing:
                return absorbing
            continue
        items.extend(p[1] if p[0] == op else [p])
    if not items:
        return not absorbing
    return items[0] if len(items) == 1 else (op, items)


def _and(parts: Iterable[Cond]) -> Cond:
    return _fold("and", parts)


def _or(parts: Iterable[Cond]) -> Cond:
    return _fold("or", parts)


class _Deriver:
    def __init__(self, utils: Mapping[str, Any]) -> None:
        self.utils = utils
        self.memo: dict[str, Cond] = {}
        self.bound_memo: dict[str, frozenset[str]] = {}

    def cond(self, node: Any) -> Cond:
        if not isinstance(node, Mapping):
            return True
        parts: list[Cond] = []
        for key, value in node.items():
            if key == "regex" and isinstance(value, str):
                text = unanchor(value)
                parts.append(("rx", text) if text else True)
            elif key == "pattern" and isinstance(value, str):
                parts.append(_and(("lit", w) for w in pattern_words(value)))
            elif key == "all" and isinstance(value, list):
                parts.append(_and(self.cond(v) for v in value))
            elif key == "any" and isinstance(value, list):
                parts.append(_or(self.cond(v) for v in value))
            elif key == "matches" and isinstance(value, str):
                parts.append(self.util(value))
            elif key in _RELATIONAL and isinstance(value, Mapping):
                parts.append(self.cond({k: v for k, v in value.items() if k not in ("stopBy", "field")}))
        return _and(parts)

    def util(self, name: str) -> Cond:
        if name not in self.memo:
            self.memo[name] = True  # cycle guard
            self.memo[name] = self.cond(self.utils.get(name))
        return self.memo[name]

    def bound(self, node: Any) -> frozenset[str]:
        """Metavariables bound in every match of `node` (constraints only apply to bound ones)."""
        if not isinstance(node, Mapping):
            return frozenset()
        out: set[str] = set()
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                out.update(m for m in _METAVAR.findall(value.replace("$$$", "\0")) if not m.startswith("_"))
            elif key == "all" and isinstance(value, list):
                for v in value:
                    out |= self.bound(v)
            elif key == "any" and isinstance(value, list) and value:
                common = self.bound(value[0])
                for v in value[1:]:
                    common &= self.bound(v)
                out |= common
            elif key == "matches" and isinstance(value, str):
                if value not in self.bound_memo:
                    self.bound_memo[value] = frozenset()
                    self.bound_memo[value] = self.bound(self.utils.get(value))
                out |= self.bound_memo[value]
            elif key in _RELATIONAL and isinstance(value, Mapping):
                out |= self.bound({k: v for k, v in value.items() if k not in ("stopBy", "field")})
        return frozenset(out)


def derive(config: Mapping[str, Any]) -> Cond:
    """The text condition every match of an ast-grep config implies (True when nothing is known)."""
    utils = config.get("utils") if isinstance(config.get("utils"), Mapping) else {}
    d = _Deriver(utils or {})
    rule = config.get("rule")
    parts = [d.cond(rule)]
    constraints = config.get("constraints")
    if isinstance(constraints, Mapping):
        always = d.bound(rule)
        parts.extend(d.cond(body) for var, body in constraints.items() if var in always)
    return _and(parts)


class TextGate:
    """A compiled condition: `passes(text)` is False only when the rule cannot match `text`."""

    def __init__(self, cond: Cond) -> None:
        self.cond = self._compile(cond)

    @staticmethod
    def build(config: Mapping[str, Any]) -> TextGate | None:
        gate = TextGate(derive(config))
        return None if gate.cond is True else gate

    def _compile(self, cond: Cond) -> Any:
        if isinstance(cond, bool):
            return cond
        op, arg = cond
        if op == "rx":
            return _compile_rx(arg)
        if op == "lit":
            return ("lit", arg)
        parts = [self._compile(c) for c in arg]
        if op == "and":
            if any(p is False for p in parts):
                return False
            parts = [p for p in parts if p is not True]
            return True if not parts else parts[0] if len(parts) == 1 else ("and", parts)
        if any(p is True for p in parts):
            return True
        parts = [p for p in parts if p is not False]
        return False if not parts else parts[0] if len(parts) == 1 else ("or", parts)

    def passes(self, text: str) -> bool:
        try:
            return _eval(self.cond, text)
        except (UnicodeError, TypeError, ValueError):  # e.g. lone surrogates RE2 cannot encode
            return True


def _compile_rx(pattern: str) -> Any:
    """("re", compiled regex), or True when neither RE2 nor `re` accepts the pattern."""
    if _HAS_RE2:
        try:
            options = _re2.Options()
            options.never_capture = True
            return ("re", _re2.compile(pattern, options))
        except Exception:  # noqa: BLE001, S110 - RE2 rejects a few Rust-only constructs: try `re`
            pass
    try:
        return ("re", re.compile(pattern))
    except re.error:
        return True


def _eval(cond: Any, text: str) -> bool:
    if isinstance(cond, bool):
        return cond
    op, arg = cond
    if op == "lit":
        return arg in text
    if op == "re":
        return arg.search(text) is not None
    if op == "and":
        return all(_eval(c, text) for c in arg)
    return any(_eval(c, text) for c in arg)
