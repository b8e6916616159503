"""Deterministic topic detection for one user turn: regexes and set lookups only, no model call.

Besides the topics (scored by each pack's triggers, see triggers.py) it decides whether the turn is
about code at all, which gates the base pack: "hello", "explain this regex" and "what is the time
complexity of quicksort" get no pack, while "write a function…" or a pasted code block do.

The text is data: it is only ever matched, never rendered or evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from proxy.templates.language import LANGUAGES, choose_language, language_scores, normalize_language
from proxy.templates.triggers import Evidence, TextView, Triggers

__all__ = ["LANGUAGES", "Detection", "Features", "analyze", "bounded", "detect", "normalize_language"]

# Fence tags that hold prose or data, not code: they do not make a turn "about code".
_NOT_CODE_TAGS = frozenset({"text", "txt", "plain", "plaintext", "regex", "re", "log", "output", "csv", "md",
                            "markdown", "none", "math", "latex", "tex"})
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*\n(.*?)(?:^[ \t]*\1[ \t]*$|\Z)", re.M | re.S)
_PATHISH = re.compile(r"[\w/-]*\.[\w./-]+")
_BARE_PREFIXES = ("dockerfile", "containerfile", "jenkinsfile", "makefile", "vagrantfile", "gemfile",
                  "procfile")
_BARE = re.compile(r"(?i)(?<![\w.-])(?:[\w.-]+/)*(?:" + "|".join(_BARE_PREFIXES) + r")(?:\.[\w-]+)?(?![\w-])")
_DOTFILES = frozenset({".env", ".npmrc", ".pypirc", ".netrc", ".htaccess", ".dockerignore", ".gitignore",
                       ".bashrc", ".profile"})
FILE_EXTENSIONS = frozenset("""
py pyi ipynb js mjs cjs jsx ts tsx mts vue svelte go java kt kts scala groovy gradle c h cc cpp cxx hpp hh
rs rb erb php cs cshtml razor swift sh bash zsh ps1 bat sql yaml yml json jsonc toml ini cfg conf env
properties xml xsd html htm jinja jinja2 j2 ejs hbs mustache twig gohtml tmpl tpl md txt csv tsv log tf
tfvars hcl bicep dockerfile pem key crt cer p12 pfx jks keystore pkl pickle joblib pt pth npy npz zip tar
gz tgz rar pdf png jpg jpeg gif svg lock proto graphql gql
""".split())  # noqa: SIM905 - a word list reads better than 100 quoted strings
_IMPORTS = (
    re.compile(r"^[ \t]*from[ \t]+([\w.]+)[ \t]+import\b", re.M),  # python
    re.compile(r"^[ \t]*import[ \t]+(?:static[ \t]+)?([\w.*]+(?:[ \t]*,[ \t]*[\w.]+)*)", re.M),  # py, java
    re.compile(r"\brequire(?:_once)?\(?\s*['\"]([^'\"\s]+)['\"]"),  # node, ruby, php
    re.compile(r"^[ \t]*import\b[^'\"\n;]*?\bfrom[ \t]*['\"]([^'\"\s]+)['\"]", re.M),  # ES modules
    re.compile(r"^[ \t]*import[ \t]+(?:\w+[ \t]+)?['\"]([^'\"\s]+)['\"]", re.M),  # side-effect / Go single
    re.compile(r"\bimport\(\s*['\"]([^'\"\s]+)['\"]\s*\)"),  # dynamic import
    re.compile(r"^[ \t]*#[ \t]*include[ \t]*[<\"]([^>\"\s]+)[>\"]", re.M),  # C, C++
    re.compile(r"^[ \t]*using[ \t]+(?:static[ \t]+)?([\w.]+)[ \t]*;", re.M),  # C#
    re.compile(r"^[ \t]*use[ \t]+([\w\\:]+)", re.M),  # PHP, Rust
)
_GO_IMPORT_BLOCK = re.compile(r"^[ \t]*import[ \t]*\(([^)]*)\)", re.M)
_QUOTED = re.compile(r"\"([^\"\s]+)\"")
_CODE_LINE = re.compile(
    r"^[ \t]*(?:def |class \w|import \w|from [\w.]+ import|function\b|const |let |var |public |private |"
    r"func |package \w|#include|return\b|if \(|for \(|while \(|SELECT |INSERT |UPDATE |FROM \S|RUN |"
    r"resource \"|apiVersion:|<\?php|@\w+)"
    r"|[;{}][ \t]*$",
    re.M,
)
_VERB = re.compile(
    r"(?i)(?<!\w)(?:write|implement|create|build|generate|make|add|fix|refactor|rewrite|update|modify|"
    r"change|convert|port|migrate|scaffold|debug|optimi[sz]e|extend|complete|finish|review|code|develop|"
    r"set up|harden|secure|parse|validate|saniti[sz]e|serialize|deserialize|encrypt|decrypt|hash|connect|"
    r"deploy|configure|store|save|upload|download|fetch|send|call|query)(?!\w)"
)
_NOUN = re.compile(
    r"(?i)(?<!\w)(?:functions?|methods?|class(?:es)?|endpoints?|routes?|apis?|scripts?|programs?|services?|"
    r"servers?|handlers?|controllers?|modules?|components?|apps?|applications?|websites?|web ?pages?|"
    r"quer(?:y|ies)|tests?|unit tests?|cli|bot|lambdas?|migrations?|schemas?|code|snippets?|"
    r"librar(?:y|ies)|packages?|middleware|webhooks?|forms?|backend|frontend|microservices?|jobs?|workers?|"
    r"pipelines?|crud|parsers?|dockerfile|manifests?|config(?:uration)?s?|bugs?|errors?|exceptions?|"
    r"implementation)(?!\w)"
)


@dataclass(frozen=True)
class Features:
    """What the detectors look at, computed once per turn."""

    evidence: Evidence
    fence_tags: tuple[str, ...] = ()
    has_code: bool = False
    code_request: bool = False  # asks for code to be written or changed ("write a function", "fix this")
    language: str | None = None
    language_scores: dict[str, int] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.evidence.text


def bounded(text: str, scan_chars: int) -> str:
    """Head and tail of a long turn: the question is usually at one end of a pasted file."""
    if len(text) <= scan_chars:
        return text
    head = scan_chars * 3 // 4
    return text[:head] + "\n" + text[len(text) - (scan_chars - head):]


def _imports(text: str) -> frozenset[str]:
    found: set[str] = set()
    for rx in _IMPORTS:
        for m in rx.finditer(text):
            for part in m.group(1).split(","):
                name = part.strip().rstrip(".*;").replace("\\", ".").replace("::", ".")
                if name:
                    found.add(name)
    for block in _GO_IMPORT_BLOCK.finditer(text):
        found.update(_QUOTED.findall(block.group(1)))
    return frozenset(found)


def _files(text: str) -> tuple[str, ...]:
    """File names mentioned: known extensions only, so `re.compile` or `user.id` in code are not files."""
    names: dict[str, None] = {}
    lower = text.lower()
    bare = _BARE.findall(text) if any(b in lower for b in _BARE_PREFIXES) else []
    for token in _PATHISH.findall(text) + bare:
        token = token.rstrip(".-/")
        while token.startswith("./"):
            token = token[2:]
        base = token.rsplit("/", 1)[-1].lower()
        if not base:
            continue
        if base in _DOTFILES or base.startswith(_BARE_PREFIXES) or (
                "." in base.lstrip(".") and base.rsplit(".", 1)[1] in FILE_EXTENSIONS):
            names[token] = None
    return tuple(names)


def analyze(text: str, *, lang: str | None = None, scan_chars: int = 32000) -> Features:
    """Extract imports, file names, fences, code-ness and the most likely language of one turn."""
    text = bounded(text, scan_chars)
    fence_matches = list(_FENCE.finditer(text))
    prose = _FENCE.sub("\n", text) if fence_matches else text
    tags = tuple(m.group(2).lower() for m in fence_matches if m.group(2))
    code_fence = any((m.group(2) or "").lower() not in _NOT_CODE_TAGS
                     for m in fence_matches if m.group(3).strip())
    imports = _imports(text)
    files = _files(text)
    has_code = code_fence or bool(imports) or len(_CODE_LINE.findall(text)) >= 2
    verb = bool(_VERB.search(text))
    scores = {} if lang else language_scores(text, prose, tags, _files(prose) if fence_matches else files)
    language = choose_language(lang, tags, scores)
    return Features(
        evidence=Evidence(text=text, view=TextView.of(text), imports=imports, files=files),
        fence_tags=tags,
        has_code=has_code,
        code_request=verb and (has_code or language is not None or bool(_NOUN.search(text))),
        language=language,
        language_scores=scores,
    )


@dataclass(frozen=True)
class Detection:
    """Topics that passed the threshold (best first), the language, and whether the turn is about code."""

    language: str | None
    topics: dict[str, int]
    code_intent: bool
    has_code: bool
    reasons: dict[str, tuple[str, ...]] = field(default_factory=dict)


def detect(feats: Features, triggers: Iterable[tuple[str, int, Triggers]], *, threshold: int = 2,
           max_topics: int | None = None) -> Detection:
    """Score every (topic id, priority, triggers); keep those >= threshold, best score then priority first.

    The turn is "about code" when it holds code, asks for code, or names a security topic.
    """
    scored: list[tuple[int, int, str, tuple[str, ...]]] = []
    for topic_id, priority, trig in triggers:
        points, why = trig.score(feats.evidence)
        if points >= threshold:
            scored.append((points, priority, topic_id, why))
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    if max_topics is not None:
        scored = scored[:max_topics]
    topics = {tid: pts for pts, _, tid, _ in scored}
    return Detection(language=feats.language, topics=topics,
                     code_intent=feats.has_code or feats.code_request or bool(topics),
                     has_code=feats.has_code, reasons={tid: why for _, _, tid, why in scored})
