"""Run the rules on one block of code.

Cost must not grow with the number of rules (gitleaks' lesson): rules are indexed by language,
and a keyword prefilter (one RE2 set match per block, ~5 µs for hundreds of keywords) selects the
few rules whose keywords occur (every keyword group of a rule must have a hit). Each block is parsed
at most once, and only when a selected rule needs a tree.

ast-grep-py compiles a rule config on every `find_all` call (no compiled-rule object is exposed), so
after the keywords the work goes into compiling less: rules whose `unless` matches or whose text
condition fails (textgate.py) are dropped before ast-grep sees them, and the remaining ast-grep rules
run as one merged config (merge.py) whose shared utils and repeated regexes compile once.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

from ast_grep_py import SgNode

from proxy.pipeline.context import CodeFinding
from proxy.rules.languages import normalize_language
from proxy.rules.loader import Rule, load_rules
from proxy.rules.matchers import AstGrepMatcher, parse
from proxy.rules.merge import mergeable, merged

try:  # google-re2; `pyre2` shadows the module name and lacks Set, so check for the API we use
    import re2 as _re2

    _HAS_SET = hasattr(_re2, "Set") and hasattr(_re2.Set, "SearchSet")
except ImportError:  # pragma: no cover - re2 is a pinned dependency
    _HAS_SET = False


log = logging.getLogger("spp.rules")


class _KeywordIndex:
    """Which keywords occur in a text, exactly as `k in text` would say, in one pass."""

    def __init__(self, keywords: Iterable[str]) -> None:
        self.keywords = sorted(set(keywords))
        self._set = None
        if _HAS_SET and self.keywords:
            s = _re2.Set.SearchSet(_re2.Options())
            for k in self.keywords:
                s.Add(_re2.escape(k))
            s.Compile()
            self._set = s

    def present(self, text: str) -> set[str]:
        if self._set is not None:
            try:
                return {self.keywords[i] for i in self._set.Match(text) or ()}
            except (TypeError, ValueError, UnicodeError):  # e.g. lone surrogates: fall back to plain search
                pass
        return {k for k in self.keywords if k in text}


class _LanguageIndex:
    """The rules for one language: those that always run, and those reached through a keyword.

    A rule is indexed under its first keyword group; its other groups (if any) are checked against
    the same set of present keywords, so one RE2 pass serves every group of every rule."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        self.always = [r for r in rules if not r.keywords]
        self.by_keyword: dict[str, list[Rule]] = {}
        for r in rules:
            for k in r.keywords:
                self.by_keyword.setdefault(k, []).append(r)
        self.keywords = _KeywordIndex(k for r in rules for group in r.keyword_groups for k in group)
        self.order = {r.id: i for i, r in enumerate(rules)}
        self.by_id = {r.id: r for r in rules}

    def candidates(self, code: str) -> list[Rule]:
        picked = {r.id: r for r in self.always}
        present = self.keywords.present(code)
        for k in present:
            for r in self.by_keyword.get(k, ()):
                if r.id not in picked and all(not present.isdisjoint(g) for g in r.keyword_groups[1:]):
                    picked[r.id] = r
        return sorted(picked.values(), key=lambda r: self.order[r.id])


class RuleEngine:
    """Scans code blocks with a fixed set of compiled rules. Thread-safe: no mutable state after init."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        self.by_id = {r.id: r for r in self.rules}
        langs = sorted({lang for r in self.rules for lang in r.languages})
        self._index = {lang: _LanguageIndex([r for r in self.rules if lang in r.languages]) for lang in langs}

    @classmethod
    def default(cls) -> RuleEngine:
        """The engine over every shipped pack, loaded and compiled once per process."""
        return _default_engine()

    @classmethod
    def from_paths(cls, paths: Iterable[Path]) -> RuleEngine:
        return cls(load_rules(paths))

    @property
    def languages(self) -> list[str]:
        return list(self._index)

    def rules_for(self, language: str) -> list[Rule]:
        index = self._index.get(normalize_language(language) or "")
        return list(index.rules) if index else []

    def scan(self, code: str, language: str, disabled: Collection[str] = (),
             packages: bool = False) -> list[CodeFinding]:
        """Findings in `code` (lines are 1-based within `code`), sorted by line then rule order.
        `packages` adds hallucinated / typosquatted dependency checks (proxy/rules/deps.py).

        Per block: the keyword prefilter picks candidate rules; a rule whose `unless` matches is
        dropped before it runs (it could only report nothing), and so is an ast-grep rule whose
        text condition (textgate.py) the block fails. The remaining ast-grep rules run merged into
        one config (merge.py), the rest one by one."""
        findings = self._scan_rules(code, language, disabled)
        if packages and code.strip():
            from proxy.rules.deps import check_dependencies

            findings += [f for f in check_dependencies(code, normalize_language(language) or language)
                         if f.rule_id not in disabled]
            findings.sort(key=lambda f: f.line)
        return findings

    def _scan_rules(self, code: str, language: str, disabled: Collection[str]) -> list[CodeFinding]:
        lang = normalize_language(language)
        index = self._index.get(lang or "")
        if index is None or not code.strip():
            return []
        assert lang is not None
        rules = [r for r in index.candidates(code)
                 if r.id not in disabled and (r.unless is None or not r.unless.search(code))
                 and (not isinstance(r.matcher, AstGrepMatcher) or r.matcher.possible(code))]
        root: SgNode | None = None
        if any(isinstance(r.matcher, AstGrepMatcher) for r in rules):
            root = parse(code, lang)
        found: dict[str, list[int]] = {}
        together = tuple(r for r in rules if mergeable(r)) if root is not None else ()
        if len(together) >= 2:
            assert root is not None
            try:
                result = merged(together).lines(root)
            except BaseException as exc:  # noqa: BLE001 - fall back to running the rules one by one
                if not (isinstance(exc, Exception) or type(exc).__name__ == "PanicException"):
                    raise
                log.warning("merged rules failed on a %s block (%s); running them one by one", lang,
                            type(exc).__name__)
                result = None
            if result is not None:
                found = result
                rules = [r for r in rules if r not in together]
        for rule in rules:
            try:
                if isinstance(rule.matcher, AstGrepMatcher):
                    lines = rule.matcher.lines(root) if root is not None else []
                else:
                    lines = rule.matcher.lines(code)
            except BaseException as exc:  # noqa: BLE001 - one broken rule must not fail the answer
                if not (isinstance(exc, Exception) or type(exc).__name__ == "PanicException"):
                    raise
                log.warning("rule %s failed on a %s block (%s); skipped", rule.id, lang, type(exc).__name__)
                continue
            if lines:
                found[rule.id] = lines
        findings = [_finding(index.by_id[rid], line, lang)
                    for rid, lines in found.items() for line in sorted(set(lines))]
        findings.sort(key=lambda f: (f.line, index.order[f.rule_id]))
        return findings

    def scan_rule(self, rule: Rule, code: str, language: str) -> list[int]:
        """Lines where one rule fires (keywords and `unless` applied): what the example tests check."""
        lang = normalize_language(language)
        if lang is None or lang not in rule.languages:
            return []
        if not rule.prefilter(code):
            return []
        if isinstance(rule.matcher, AstGrepMatcher):
            if not rule.matcher.possible(code):
                return []
            root = parse(code, lang)
            lines = rule.matcher.lines(root) if root is not None else []
        else:
            lines = rule.matcher.lines(code)
        if rule.unless is not None and rule.unless.search(code):
            return []
        return sorted(set(lines))


def _finding(rule: Rule, line: int, language: str) -> CodeFinding:
    return CodeFinding(
        rule_id=rule.id, cwe=rule.cwe, owasp=rule.owasp, severity=rule.severity, message=rule.message,
        fix=rule.fix, line=line, language=language,
    )


@functools.lru_cache(maxsize=1)
def _default_engine() -> RuleEngine:
    return RuleEngine(load_rules())
