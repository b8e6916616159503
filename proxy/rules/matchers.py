"""The two ways a rule matches code: an ast-grep rule config, or a Python regex.

ast-grep is error tolerant, so fragments (a function without imports, a fill-in-the-middle
completion) still produce a tree. Unknown language names make ast-grep-py raise a pyo3
`PanicException`, which derives from BaseException: `parse` refuses such names up front and turns
any panic into "no tree" instead of killing the request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ast_grep_py import SgNode, SgRoot

from proxy.rules.languages import AST_GREP_LANGUAGES
from proxy.rules.optimize import reorder
from proxy.rules.regex_compat import cheapen_config, share_regexes
from proxy.rules.textgate import TextGate

AST_GREP_KEYS = frozenset({"rule", "constraints", "utils", "transform"})


def _is_panic(exc: BaseException) -> bool:
    return type(exc).__name__ == "PanicException"


def parse(code: str, language: str) -> SgNode | None:
    """The syntax tree root of `code`, or None for a language ast-grep does not know."""
    if language not in AST_GREP_LANGUAGES:
        return None
    try:
        return SgRoot(code, language).root()
    except BaseException as exc:  # noqa: BLE001 - pyo3 panics are BaseException
        if isinstance(exc, Exception) or _is_panic(exc):
            return None
        raise


def _first_line(exc: BaseException) -> str:
    """ast-grep errors carry a Rust backtrace; keep the "Caused by" part only."""
    text = str(exc).split("Stack backtrace:")[0].strip()
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def config_error(config: Mapping[str, Any], language: str) -> str | None:
    """Why `config` cannot run on `language` (None if it can)."""
    root = parse("", language)
    if root is None:
        return f"ast-grep does not support language {language!r}"
    try:
        root.find_all(dict(config))  # type: ignore[call-overload]
    except BaseException as exc:  # noqa: BLE001 - config errors surface as RuntimeError or panics
        if not (isinstance(exc, Exception) or _is_panic(exc)):
            raise
        return _first_line(exc)
    return None


@dataclass(frozen=True)
class AstGrepMatcher:
    """An ast-grep rule config as `SgNode.find_all(config)` takes it.

    `run_config` is what actually runs: the same config with cheap checks ordered first (see
    optimize), its regexes rewritten to compile fast and repeated ones compiled once (see
    regex_compat); a rewrite is kept only if it compiles, else the config itself runs.
    """

    config: Mapping[str, Any]
    run_config: Mapping[str, Any] | None = None
    text: TextGate | None = None  # what the block text must contain for a match (see textgate.py)
    kind: str = field(default="ast_grep", init=False)

    @classmethod
    def build(cls, config: Mapping[str, Any], languages: Sequence[str]) -> tuple[AstGrepMatcher, list[str]]:
        """Compile-check `config` for each language once (load time); returns the matcher and errors."""
        errors = [f"{lang}: {err}" for lang in languages if (err := config_error(config, lang))]
        if errors:
            return cls(config, None), errors
        run: Mapping[str, Any] = config
        for candidate in (share_regexes(cheapen_config(reorder(config))), reorder(config), cheapen_config(config)):
            if candidate == config:
                break
            if not any(config_error(candidate, lang) for lang in languages):
                run = candidate
                break
        return cls(config, None if run is config else run, TextGate.build(config)), errors

    def possible(self, code: str) -> bool:
        """False when the block text rules out any match (a cheap test, run before ast-grep)."""
        return self.text is None or self.text.passes(code)

    def lines(self, root: SgNode) -> list[int]:
        """1-based start line of every match."""
        cfg = self.run_config if self.run_config is not None else self.config
        return [node.range().start.line + 1 for node in root.find_all(cfg)]  # type: ignore[call-overload]


@dataclass(frozen=True)
class RegexMatcher:
    """A Python regex run with re.MULTILINE over the block text."""

    pattern: re.Pattern[str]
    kind: str = field(default="regex", init=False)

    def lines(self, code: str) -> list[int]:
        out = []
        last_pos, last_line = 0, 1
        for m in self.pattern.finditer(code):
            start = m.start()
            last_line += code.count("\n", last_pos, start)
            last_pos = start
            out.append(last_line)
        return out


Matcher = AstGrepMatcher | RegexMatcher
