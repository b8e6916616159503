"""Rewrite the regexes inside ast-grep configs into ASCII forms that compile ~20x faster.

ast-grep-py compiles a rule config on every `find_all` call, and Rust's regex crate builds large
Unicode automata for `\\w`, `\\d`, `\\s`, `\\b`, `.` and `(?i)`: 0.2-0.5 ms each, paid per rule per
block. Code is ASCII in practice, so we swap those for ASCII equivalents ([0-9A-Za-z_], [^\\n],
[aA]...) that compile in microseconds. Semantics only change on non-ASCII text (a Unicode letter
no longer counts as `\\w`). Anything the rewriter does not fully understand is left untouched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_OUT = {"w": "[0-9A-Za-z_]", "W": "[^0-9A-Za-z_]", "d": "[0-9]", "D": "[^0-9]",
        "s": "[\\t\\n\\x0B\\f\\r ]", "S": "[^\\t\\n\\x0B\\f\\r ]", "b": "(?-u:\\b)", "B": "(?-u:\\B)"}
_IN = {"w": "0-9A-Za-z_", "d": "0-9", "s": "\\t\\n\\x0B\\f\\r "}
_BRACED = "pPx"  # \p{..}, \P{..}, \x{..}
_LEADING_FLAGS = re.compile(r"^\(\?([a-zA-Z]+)\)")


class _Unsupported(Exception):
    pass


def _escape(p: str, i: int) -> tuple[str, int]:
    """The escape starting at p[i] == "\\" as written, and the index after it."""
    if i + 1 >= len(p):
        raise _Unsupported
    c = p[i + 1]
    if c in _BRACED and i + 2 < len(p) and p[i + 2] == "{":
        end = p.find("}", i + 2)
        if end < 0:
            raise _Unsupported
        return p[i:end + 1], end + 1
    if c == "x":
        return p[i:i + 4], i + 4
    if c in "pP":
        return p[i:i + 3], i + 3
    return p[i:i + 2], i + 2


def _swap_case_range(a: str, b: str) -> str:
    if a.islower() and b.islower() and a.isascii() and b.isascii():
        return f"{a.upper()}-{b.upper()}"
    if a.isupper() and b.isupper() and a.isascii() and b.isascii():
        return f"{a.lower()}-{b.lower()}"
    if a.isalpha() or b.isalpha():
        raise _Unsupported  # mixed ranges such as A-z: leave the pattern alone
    return ""


def _class(p: str, i: int, fold: bool) -> tuple[str, int]:
    """Rewrite the character class starting at p[i] == "["; returns (text, index after "]")."""
    out = ["["]
    i += 1
    if i < len(p) and p[i] == "^":
        out.append("^")
        i += 1
    first = True
    extra: list[str] = []
    while i < len(p):
        c = p[i]
        if c == "]" and not first:
            return "".join(out) + "".join(extra) + "]", i + 1
        if c == "[":
            raise _Unsupported  # nested classes / [:alpha:]
        first = False
        if c == "\\":
            esc, j = _escape(p, i)
            if len(esc) == 2 and esc[1] in _IN:
                out.append(_IN[esc[1]])
            elif len(esc) == 2 and esc[1] in "WDS":
                raise _Unsupported
            else:
                out.append(esc)
            i = j
            if fold and p.startswith("-", i) and not p.startswith("-]", i):
                raise _Unsupported  # a range with an escaped end: folding it needs real parsing
            continue
        if i + 2 < len(p) and p[i + 1] == "-" and p[i + 2] not in "]\\":
            a, b = c, p[i + 2]
            out.append(f"{a}-{b}")
            if fold:
                extra.append(_swap_case_range(a, b))
            i += 3
            continue
        out.append(c)
        if fold and c.isascii() and c.isalpha():
            extra.append(c.swapcase())
        i += 1
    raise _Unsupported


def _group_head(p: str, i: int) -> tuple[str, int]:
    """Copy "(?...)" / "(?:" / "(?P<name>" verbatim; reject inline flags other than s, m, x."""
    j = i + 2
    if p.startswith("P<", j) or p.startswith("<", j):
        end = p.find(">", j)
        if end < 0:
            raise _Unsupported
        return p[i:end + 1], end + 1
    while j < len(p) and p[j] not in ":)":
        j += 1
    flags = p[i + 2:j]
    if any(ch not in "smxU-" for ch in flags):
        raise _Unsupported  # an inner (?i) or (?u): the simple rewrite would be wrong
    return p[i:j + 1], j + 1


def cheapen(pattern: str) -> str:
    """An equivalent-on-ASCII pattern that avoids Unicode classes; the input if unsure."""
    fold = dotall = False
    p = pattern
    out: list[str] = []
    lead = _LEADING_FLAGS.match(pattern)
    if lead:
        flags = lead.group(1)
        if "x" in flags or "u" in flags or "U" in flags:
            return pattern
        fold, dotall = "i" in flags, "s" in flags
        rest = flags.replace("i", "")
        if rest:
            out.append(f"(?{rest})")
        p = pattern[lead.end():]
    i = 0
    try:
        while i < len(p):
            c = p[i]
            if c == "\\":
                esc, j = _escape(p, i)
                out.append(_OUT.get(esc[1], esc) if len(esc) == 2 else esc)
                i = j
            elif c == "[":
                text, i = _class(p, i, fold)
                out.append(text)
            elif c == "(" and p.startswith("(?", i):
                head, i = _group_head(p, i)
                dotall = dotall or ("s" in head and head.startswith("(?s"))
                out.append(head)
            elif c == "." and not dotall:
                out.append("[^\\n]")
                i += 1
            elif c == "{":
                end = p.find("}", i)
                if end < 0:
                    raise _Unsupported
                out.append(p[i:end + 1])
                i = end + 1
            elif fold and c.isascii() and c.isalpha():
                out.append(f"[{c.lower()}{c.upper()}]")
                i += 1
            else:
                out.append(c)
                i += 1
    except _Unsupported:
        return pattern
    return "".join(out)


def cheapen_config(config: Any) -> Any:
    """A copy of an ast-grep config with every `regex:` value cheapened."""
    if isinstance(config, Mapping):
        return {k: (cheapen(v) if k == "regex" and isinstance(v, str) else cheapen_config(v))
                for k, v in config.items()}
    if isinstance(config, list):
        return [cheapen_config(v) for v in config]
    return config


_SHARED_ATOMS = ("regex", "pattern")


def _count_atoms(node: Any, seen: dict[tuple[str, str], int]) -> None:
    if isinstance(node, Mapping):
        for k, v in node.items():
            if k in _SHARED_ATOMS and isinstance(v, str):
                seen[(k, v)] = seen.get((k, v), 0) + 1
            else:
                _count_atoms(v, seen)
    elif isinstance(node, list):
        for v in node:
            _count_atoms(v, seen)


def _use_utils(node: Any, names: Mapping[tuple[str, str], str]) -> Any:
    if isinstance(node, Mapping):
        out: dict[str, Any] = {}
        for k, v in node.items():
            if k in _SHARED_ATOMS and isinstance(v, str) and (k, v) in names and "matches" not in node \
                    and "matches" not in out:
                out["matches"] = names[(k, v)]
            else:
                out[k] = _use_utils(v, names)
        return out
    if isinstance(node, list):
        return [_use_utils(v, names) for v in node]
    return node


def share_regexes(config: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of an ast-grep config where a regex or pattern written several times is compiled once.

    ast-grep compiles each `regex:`/`pattern:` occurrence separately (one secret-name list used in
    three places costs three compilations; `pattern: $V`, used to correlate a variable, ~45 µs each),
    but each util only once: repeated atoms become utils `__atomN` that the places reference with
    `matches:`. Utils run in the caller's metavariable environment, so the rule matches exactly the
    same nodes."""
    seen: dict[tuple[str, str], int] = {}
    _count_atoms(config, seen)
    utils = config.get("utils") or {}
    if not isinstance(utils, Mapping):
        return dict(config)
    fresh = (f"__atom{i}" for i in range(len(utils) + len(seen) + 1) if f"__atom{i}" not in utils)
    names = {atom: next(fresh) for atom in (a for a, n in seen.items() if n > 1)}
    if not names:
        return dict(config)
    out = _use_utils({k: v for k, v in config.items() if k != "utils"}, names)
    out["utils"] = {**_use_utils(dict(utils), names), **{name: {k: v} for (k, v), name in names.items()}}
    return out
