"""Which programming language a user turn is about: fence tags, file names, names in prose, syntax.

Order of evidence: an explicit language (CLI `--lang`), then fence tags (the user labelled the code),
then points for language names in prose ("in Go", "with Flask"), file names in prose (`app.py`) and
cheap syntax patterns. Returns None when unsure: a wrong language addendum is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

LANGUAGES = frozenset({
    "python", "javascript", "typescript", "java", "kotlin", "go", "c", "cpp", "csharp", "ruby", "rust",
    "php", "bash", "sql", "yaml", "hcl", "dockerfile",
})
_DATA_LANGUAGES = frozenset({"yaml", "sql", "bash", "dockerfile", "hcl"})  # lose ties to the others
_ORDER = sorted(LANGUAGES, key=lambda n: (n in _DATA_LANGUAGES, n))
_ALIASES = {
    "py": "python", "python3": "python", "py3": "python", "ipython": "python",
    "js": "javascript", "jsx": "javascript", "mjs": "javascript", "cjs": "javascript", "node": "javascript",
    "nodejs": "javascript", "node.js": "javascript",
    "ts": "typescript", "tsx": "typescript", "mts": "typescript", "cts": "typescript",
    "golang": "go", "c++": "cpp", "cc": "cpp", "cxx": "cpp", "hpp": "cpp", "hh": "cpp", "h": "c",
    "cs": "csharp", "c#": "csharp", "rb": "ruby", "rs": "rust", "kt": "kotlin", "kts": "kotlin",
    "sh": "bash", "shell": "bash", "zsh": "bash", "console": "bash",
    "yml": "yaml", "tf": "hcl", "tfvars": "hcl", "terraform": "hcl", "docker": "dockerfile",
    "containerfile": "dockerfile", "mysql": "sql", "postgresql": "sql", "plpgsql": "sql", "sqlite": "sql",
}
_BARE_FILES = {"dockerfile": "dockerfile", "containerfile": "dockerfile", "vagrantfile": "ruby",
               "gemfile": "ruby"}

# Language names in prose, matched against lower-cased text (IGNORECASE would be 3x slower).
_LANG_WORDS = re.compile(
    r"(?<![\w.])(python|javascript|typescript|node\.?js|golang|java|kotlin|c\+\+|c#|csharp|ruby|rust|php|"
    r"bash|terraform|dockerfile|django|flask|fastapi|spring boot|express\.?js|nestjs|rails|laravel|"
    r"react|next\.js|vue|angular)(?![\w#+])"
)
_WORD_LANG = {
    "node.js": "javascript", "nodejs": "javascript", "django": "python", "flask": "python",
    "fastapi": "python", "spring boot": "java", "express.js": "javascript", "expressjs": "javascript",
    "nestjs": "typescript", "rails": "ruby", "laravel": "php", "react": "javascript",
    "next.js": "javascript", "vue": "javascript", "angular": "typescript",
}
_WORD_WEIGHT = {"django": 2, "flask": 2, "fastapi": 2, "spring boot": 2, "rails": 1, "laravel": 2,
                "react": 1, "next.js": 1, "vue": 1, "angular": 1, "nestjs": 2}
# "node", "Go" and "C" are ordinary words: only count them in phrases.
_NODE = re.compile(
    r"(?i)\b(?:in|with|using|for) node\b|\bnode (?:app|script|service|server|backend|api|code)s?\b")
_GO_C = re.compile(
    r"(?:\b(?:in|using|with|idiomatic|write|plain|pure|ANSI)[ \t]+(Go|C)\b(?![+#]))"
    r"|(?:\b(Go|C)[ \t]+(?:code|function|program|service|server|handler|module|package|library|snippet|"
    r"struct|string|array|API|app|CLI)s?\b)"
)
_M = re.M
_SYNTAX_CHARS = 6000  # syntax patterns look at the start of the turn only: the language shows early
_SYNTAX: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("python", re.compile(r"^[ \t]*def \w+\s*\(.*\)\s*(?:->\s*[^:]+)?:", _M), 3),
    ("python", re.compile(r"^[ \t]*(?:from [\w.]+ import \w|import [\w.]+(?: as \w+)?[ \t]*$)", _M), 2),
    ("python", re.compile(r"\bself\.\w+|\belif\b|__name__|\bNone\b"), 1),
    ("javascript", re.compile(r"^[ \t]*(?:const|let|var) [\w{}\[\], ]+=", _M), 2),
    ("javascript", re.compile(r"\brequire\(['\"]|\bconsole\.log\(|=>\s*[{(]|\bmodule\.exports\b"), 2),
    ("typescript", re.compile(
        r"^[ \t]*(?:export )?(?:interface|type) \w+\s*(?:=|\{)|:\s*(?:string|number|boolean)\b", _M), 2),
    ("java", re.compile(
        r"\bpublic\s+(?:static\s+)?(?:final\s+)?(?:class|void|interface)\b|\bSystem\.out\.|@Override"), 3),
    ("go", re.compile(r"^package \w+[ \t]*$|^func (?:\([^)]*\) )?\w+\(|\bfmt\.\w+\(|\berr != nil\b", _M), 3),
    ("c", re.compile(r"^[ \t]*#include[ \t]*<\w+\.h>|\bint main\s*\(|\bmalloc\(|\bprintf\(", _M), 2),
    ("cpp", re.compile(r"\bstd::\w+|#include[ \t]*<(?:iostream|vector|string|memory)>"), 3),
    ("csharp", re.compile(r"^using System[\w.]*;|\bConsole\.Write(?:Line)?\(|\bnamespace \w+", _M), 3),
    ("php", re.compile(r"<\?php|\$\w+\s*=\s*\$_(?:GET|POST|REQUEST)"), 4),
    ("rust", re.compile(r"\bfn \w+\s*\(|\blet mut \b|\bprintln!\("), 3),
    ("ruby", re.compile(r"^[ \t]*def \w+[?!]?[ \t]*$|^[ \t]*end[ \t]*$|\bputs\b", _M), 1),
    ("bash", re.compile(r"^#!/(?:usr/)?bin/(?:env )?(?:ba|z)?sh\b", _M), 4),
    ("dockerfile", re.compile(r"^FROM[ \t]+\S+(?:[ \t]+AS[ \t]+\w+)?[ \t]*$", _M | re.I), 3),
    ("hcl", re.compile(r"^(?:resource|variable|provider|module|data)[ \t]+\"[\w-]+\"", _M), 3),
    ("yaml", re.compile(r"^apiVersion:[ \t]*\S+", _M), 2),
)


def normalize_language(name: str | None) -> str | None:
    """Canonical language name for a tag, alias or extension; None for anything else."""
    if not name:
        return None
    n = name.strip().lower()
    n = _ALIASES.get(n, n)
    return n if n in LANGUAGES else None


def language_scores(text: str, prose: str, fence_tags: Iterable[str], prose_files: Iterable[str]
                    ) -> dict[str, int]:
    """Points per language: fence tags 6, names in prose 3 (frameworks 1-2), file names in prose 2,
    syntax 1-4 (only when no fence tag decided)."""
    scores: dict[str, int] = {}

    def add(lang: str | None, points: int) -> None:
        if lang:
            scores[lang] = scores.get(lang, 0) + points

    for tag in fence_tags:
        add(normalize_language(tag), 6)
    for f in prose_files:
        base = f.rsplit("/", 1)[-1]
        bare = base.split(".", 1)[0].lower()
        if bare in _BARE_FILES:
            add(_BARE_FILES[bare], 2)
        elif "." in base:
            add(normalize_language(base.rsplit(".", 1)[-1]), 2)
    for word in {m.group(1) for m in _LANG_WORDS.finditer(prose.lower())}:
        add(_WORD_LANG.get(word) or normalize_language(word), _WORD_WEIGHT.get(word, 3))
    if _NODE.search(prose):
        add("javascript", 3)
    for m in _GO_C.finditer(prose):
        add("go" if (m.group(1) or m.group(2)) == "Go" else "c", 3)
    if max(scores.values(), default=0) < 6:
        head = text[:_SYNTAX_CHARS]
        for lang, rx, points in _SYNTAX:
            if rx.search(head):
                add(lang, points)
    return scores


def choose_language(explicit: str | None, fence_tags: Iterable[str], scores: dict[str, int]) -> str | None:
    """An explicit language wins, then the most frequent fence label, then the best score (>= 2)."""
    if explicit:
        return normalize_language(explicit) or explicit.strip().lower() or None
    fenced = [n for n in (normalize_language(t) for t in fence_tags) if n]
    if fenced:
        return max(dict.fromkeys(fenced), key=fenced.count)
    best = max(scores.values(), default=0)
    if best < 2:
        return None
    return min((k for k, v in scores.items() if v == best), key=_ORDER.index)
