"""Load and validate the YAML rule packs (docs/dev/RULE_SCHEMA.md) into compiled `Rule` objects.

Validation is strict and happens once at load: a typo in `unless` or a broken ast-grep config
must fail loudly (naming the file and rule id), never silently turn a rule off. All problems in
all packs are collected into one error so a pack author sees everything at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from proxy.rules.languages import AST_GREP_LANGUAGES, KNOWN_LANGUAGES
from proxy.rules.matchers import AST_GREP_KEYS, AstGrepMatcher, Matcher, RegexMatcher

PACKS_DIR = Path(__file__).parent / "packs"
SEVERITIES: tuple[str, ...] = ("low", "medium", "high", "critical")
SEVERITY_RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*){2,}$")
CWE_RE = re.compile(r"^CWE-\d+$")
OWASP_RE = re.compile(r"^A(0[1-9]|10):2021-\S.*$")
OWASP_2021: frozenset[str] = frozenset({
    "A01:2021-Broken Access Control",
    "A02:2021-Cryptographic Failures",
    "A03:2021-Injection",
    "A04:2021-Insecure Design",
    "A05:2021-Security Misconfiguration",
    "A06:2021-Vulnerable and Outdated Components",
    "A07:2021-Identification and Authentication Failures",
    "A08:2021-Software and Data Integrity Failures",
    "A09:2021-Security Logging and Monitoring Failures",
    "A10:2021-Server-Side Request Forgery",
})

# A pack may also hold a top-level `definitions:` mapping that the loader ignores: a place for YAML
# anchors (&formatted) that several rules reuse through aliases (*formatted).
# A pack folder may hold `_utils.yaml` with a top-level `utils:` mapping: named ast-grep rules that every
# ast_grep rule of that folder can reference with `matches: <name>` (only the ones used are compiled in).
SHARED_UTILS_FILE = "_utils.yaml"
REQUIRED = ("id", "languages", "severity", "cwe", "owasp", "message", "fix", "examples")
# Optional fields beyond the schema: `references` (URLs) and `tags` (free words) are carried along.
OPTIONAL = ("keywords", "ast_grep", "regex", "unless", "references", "tags")


class RuleLoadError(Exception):
    """One or more invalid rules; the message lists every problem as `file: rule id: problem`."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("invalid code rules:\n  " + "\n  ".join(self.problems))


@dataclass(frozen=True, eq=False)
class Rule:
    """A compiled rule. Examples are kept so tests (and `spp` tooling) can prove each rule."""

    id: str
    languages: tuple[str, ...]
    severity: str
    cwe: str
    owasp: str
    message: str
    fix: str
    matcher: Matcher
    keywords: tuple[str, ...] = ()  # the first keyword group: the rule is indexed under these
    keyword_groups: tuple[tuple[str, ...], ...] = ()  # every group must have a hit (the first included)
    unless: re.Pattern[str] | None = None
    bad: tuple[str, ...] = ()
    good: tuple[str, ...] = ()
    source: str = ""
    references: tuple[str, ...] = ()
    tags: tuple[str, ...] = field(default=())

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self.severity]

    def prefilter(self, code: str) -> bool:
        """True if the keyword prefilter lets `code` through: each group has a substring in it."""
        return all(any(k in code for k in group) for group in self.keyword_groups)


_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster


class _StrictLoader(_SafeBase):  # type: ignore[valid-type, misc]
    """SafeLoader that rejects duplicate keys: PyYAML silently keeps the last one, which would
    quietly drop half of a rule (two `not:` keys in one mapping, say)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # `<<: *anchor` merge keys may be overridden by explicit keys, by design
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def pack_files(root: Path = PACKS_DIR) -> list[Path]:
    """Every rule file under `root`, in a stable order (`_`-prefixed files such as `_utils.yaml` hold no rules)."""
    return sorted(p for p in root.rglob("*")
                  if p.suffix in (".yaml", ".yml") and p.is_file() and not p.name.startswith("_"))


def load_rules(paths: Iterable[Path] | None = None) -> list[Rule]:
    """Load every rule from `paths` (default: all shipped packs).

    Raises RuleLoadError listing every problem found, not just the first."""
    files = pack_files() if paths is None else [Path(p) for p in paths]
    problems: list[str] = []
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    shared: dict[Path, dict[str, Any]] = {}
    for path in files:
        if path.parent not in shared:
            shared[path.parent] = _shared_utils(path.parent / SHARED_UTILS_FILE, problems)
        for rule in _load_file(path, problems, shared[path.parent]):
            if rule.id in seen:
                problems.append(f"{path}: {rule.id}: duplicate rule id (also in {seen[rule.id]})")
                continue
            seen[rule.id] = str(path)
            rules.append(rule)
    if problems:
        raise RuleLoadError(problems)
    return rules


def _read_yaml(path: Path, problems: list[str]) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass
    except OSError as exc:
        problems.append(f"{path}: cannot read: {exc.strerror}")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        problems.append(f"{path}:{where}: invalid YAML ({problem})")
    return None


def _shared_utils(path: Path, problems: list[str]) -> dict[str, Any]:
    """The `utils:` of a pack folder's `_utils.yaml` ({} when there is none)."""
    if not path.is_file():
        return {}
    data = _read_yaml(path, problems)
    if data is None:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("utils"), dict) or set(data) - {"utils", "definitions"}:
        problems.append(f"{path}: expected a mapping with a `utils:` mapping (and optional `definitions:`)")
        return {}
    bad = [name for name, body in data["utils"].items() if not isinstance(name, str) or not isinstance(body, dict)]
    if bad:
        problems.append(f"{path}: each util must be a name mapped to an ast-grep rule: {bad}")
        return {}
    return dict(data["utils"])


def _load_file(path: Path, problems: list[str], shared: Mapping[str, Any] | None = None) -> list[Rule]:
    data = _read_yaml(path, problems)
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        problems.append(f"{path}: expected a mapping with a `rules:` list")
        return []
    extra = set(data) - {"rules", "definitions"}
    if extra:
        problems.append(f"{path}: unknown top-level keys {sorted(extra)} (allowed: rules, definitions)")
    out = []
    for i, raw in enumerate(data["rules"]):
        rid = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"rules[{i}]"
        errs: list[str] = []
        rule = _compile(raw, path, errs, shared or {})
        problems.extend(f"{path}: {rid}: {e}" for e in errs)
        if rule is not None and not errs:
            out.append(rule)
    return out


def _str_list(value: Any, name: str, errs: list[str], allow_empty: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        errs.append(f"`{name}` must be a list of non-empty strings")
        return ()
    if not value and not allow_empty:
        errs.append(f"`{name}` must not be empty")
    return tuple(value)


def _compile(raw: Any, path: Path, errs: list[str], shared: Mapping[str, Any]) -> Rule | None:
    if not isinstance(raw, dict):
        errs.append("a rule must be a mapping")
        return None
    missing = [k for k in REQUIRED if k not in raw]
    if missing:
        errs.append(f"missing required fields {missing}")
    unknown = sorted(set(raw) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        errs.append(f"unknown fields {unknown}")
    if missing:
        return None
    rid = raw["id"]
    if not isinstance(rid, str) or not ID_RE.match(rid):
        errs.append("`id` must look like <language>.<class>.<variant> (lower case, dots, - or _)")
    for key in ("message", "fix"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            errs.append(f"`{key}` must be a non-empty string")
    if raw["severity"] not in SEVERITIES:
        errs.append(f"`severity` must be one of {list(SEVERITIES)}")
    if not isinstance(raw["cwe"], str) or not CWE_RE.match(raw["cwe"]):
        errs.append("`cwe` must look like CWE-89")
    if not isinstance(raw["owasp"], str) or not OWASP_RE.match(raw["owasp"]):
        errs.append('`owasp` must look like "A03:2021-Injection"')
    languages = _str_list(raw["languages"], "languages", errs)
    bad_langs = [lang for lang in languages if lang not in KNOWN_LANGUAGES]
    if bad_langs:
        errs.append(f"unknown languages {bad_langs}; use one of {sorted(KNOWN_LANGUAGES)}")
    groups = _keyword_groups(raw["keywords"], errs) if "keywords" in raw else ()
    matcher = _matcher(raw, languages, errs, shared)
    unless = _regex(raw["unless"], "unless", errs) if "unless" in raw else None
    bad, good = _examples(raw["examples"], errs)
    for i, code in enumerate(bad):
        for group in groups:
            if not any(k in code for k in group):
                errs.append(f"no keyword of {list(group)} occurs in examples.bad[{i}]: the rule could never fire on it")
    references = _str_list(raw["references"], "references", errs, True) if "references" in raw else ()
    tags = _str_list(raw["tags"], "tags", errs, True) if "tags" in raw else ()
    if errs or matcher is None:
        return None
    return Rule(
        id=rid, languages=languages, severity=raw["severity"], cwe=raw["cwe"], owasp=raw["owasp"],
        message=raw["message"].strip(), fix=raw["fix"].strip(), matcher=matcher,
        keywords=groups[0] if groups else (), keyword_groups=groups,
        unless=unless, bad=bad, good=good, source=str(path), references=references, tags=tags,
    )


def _keyword_groups(value: Any, errs: list[str]) -> tuple[tuple[str, ...], ...]:
    """`[a, b]` is one group (any of them); `[[a, b], [c, d]]` are groups that must all have a hit."""
    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        groups = tuple(_str_list(v, f"keywords[{i}]", errs) for i, v in enumerate(value))
        return groups if all(groups) else ()
    words = _str_list(value, "keywords", errs)
    return (words,) if words else ()


def _regex(value: Any, name: str, errs: list[str]) -> re.Pattern[str] | None:
    if not isinstance(value, str) or not value:
        errs.append(f"`{name}` must be a non-empty string")
        return None
    try:
        return re.compile(value, re.MULTILINE)
    except re.error as exc:
        errs.append(f"`{name}` is not a valid regex: {exc}")
        return None


def _matcher(
    raw: Mapping[str, Any], languages: Sequence[str], errs: list[str], shared: Mapping[str, Any]
) -> Matcher | None:
    has_ast, has_rx = "ast_grep" in raw, "regex" in raw
    if has_ast == has_rx:
        errs.append("exactly one of `ast_grep` or `regex` is required")
        return None
    if has_rx:
        rx = _regex(raw["regex"], "regex", errs)
        return RegexMatcher(rx) if rx is not None else None
    config = raw["ast_grep"]
    if not isinstance(config, dict) or "rule" not in config:
        errs.append("`ast_grep` must be a mapping with a `rule` key")
        return None
    extra = sorted(set(config) - AST_GREP_KEYS)
    if extra:
        errs.append(f"`ast_grep` has unknown keys {extra}; allowed: {sorted(AST_GREP_KEYS)}")
        return None
    no_grammar = [lang for lang in languages if lang not in AST_GREP_LANGUAGES]
    for lang in no_grammar:
        errs.append(f"language {lang!r} has no ast-grep grammar: use `regex` for it")
    if "utils" in config and not isinstance(config["utils"], dict):
        errs.append("`ast_grep.utils` must be a mapping of names to rules")
        return None
    config = with_utils(config, shared)
    matcher, problems = AstGrepMatcher.build(config, [lang for lang in languages if lang not in no_grammar])
    errs.extend(f"ast_grep config does not compile for {p}" for p in problems)
    return matcher


def _examples(value: Any, errs: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if not isinstance(value, dict) or set(value) != {"bad", "good"}:
        errs.append("`examples` must be a mapping with exactly `bad` and `good` lists")
        return (), ()
    bad = _str_list(value["bad"], "examples.bad", errs)
    good = _str_list(value["good"], "examples.good", errs)
    return bad, good


def _referenced(node: Any, out: set[str]) -> None:
    """Names used through `matches:` anywhere in an ast-grep rule."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "matches" and isinstance(value, str):
                out.add(value)
            else:
                _referenced(value, out)
    elif isinstance(node, list):
        for value in node:
            _referenced(value, out)


def with_utils(config: Mapping[str, Any], shared: Mapping[str, Any]) -> dict[str, Any]:
    """`config` with exactly the utils it uses: its own, plus the pack's shared ones it references
    (directly or through other utils). ast-grep compiles every util on every call, used or not, so
    unused ones are dropped. A rule's own util wins over a shared one of the same name."""
    local = config.get("utils") or {}
    available = {**shared, **local} if isinstance(local, Mapping) else dict(shared)
    needed: set[str] = set()
    _referenced({k: v for k, v in config.items() if k != "utils"}, needed)
    todo = list(needed)
    while todo:
        body = available.get(todo.pop())
        found: set[str] = set()
        _referenced(body, found)
        for name in found - needed:
            needed.add(name)
            todo.append(name)
    out = {k: v for k, v in config.items() if k != "utils"}
    utils = {name: available[name] for name in sorted(needed) if name in available}
    if utils:
        out["utils"] = utils
    return out
