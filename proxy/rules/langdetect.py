"""Which language an untagged block or a fill-in-the-middle completion is written in.

Order of evidence: the fence tag, then file names / language names in the prompt (`app.py`,
"in Go"), then cheap line-anchored regex heuristics. Returns None when unsure: scanning code with
the wrong grammar only produces noise, and an unscanned block is no worse than today.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from proxy.rules.languages import (
    EXTENSIONS,
    GENERIC_TAGS,
    KNOWN_LANGUAGES,
    language_for_filename,
    normalize_language,
)

_FILE_NAME = re.compile(
    r"(?<![\w.-])((?:[\w.-]+/)*(?:[\w-][\w.-]*\.(?:" + "|".join(sorted(EXTENSIONS, key=len, reverse=True))
    + r")|Dockerfile(?:\.[\w-]+)?|Containerfile))(?![\w-])",
    re.IGNORECASE,
)
_LANG_WORD = re.compile(
    r"\b(python|javascript|typescript|node\.?js|golang|java|kotlin|c\+\+|c#|csharp|ruby|rust|php|bash|"
    r"shell script|terraform|dockerfile|kubernetes|go)\b",
    re.IGNORECASE,
)
_WORD_LANG = {"node.js": "javascript", "nodejs": "javascript", "shell script": "bash", "c++": "cpp",
              "c#": "csharp", "kubernetes": "yaml"}
# "go" alone is too common an English word: only count it in "in Go", "Go code", "Go function"...
_GO_WORD = re.compile(r"\b(?:in|using|with|write|golang|idiomatic) Go\b"
                      r"|\bGo (?:code|function|program|service|handler|module|package|snippet|version)\b")

# (pattern, weight) per language; patterns are line-anchored where possible so prose mentions don't count.
_M = re.MULTILINE
_SIGNALS: dict[str, list[tuple[re.Pattern[str], int]]] = {
    "python": [
        (re.compile(r"^\s*def \w+\s*\(.*\)\s*(->\s*[^:]+)?:\s*(#.*)?$", _M), 3),
        (re.compile(r"^\s*(from [\w.]+ import \w|import [\w.]+(\s+as \w+)?\s*$)", _M), 2),
        (re.compile(r"^\s*class \w+(\(.*\))?:\s*$", _M), 3),
        (re.compile(r"^\s*(if|elif|while|for|with|try|except|else)\b.*:\s*(#.*)?$", _M), 1),
        (re.compile(r"\bself\.\w+"), 1),
        (re.compile(r"^\s*@\w+(\.\w+)*(\(.*\))?\s*$", _M), 1),
        (re.compile(r"\b(None|True|False)\b"), 1),
        (re.compile(r"^\s*print\(", _M), 1),
        (re.compile(r"\b(elif|lambda \w*:|__name__|__init__)\b"), 2),
    ],
    "javascript": [
        (re.compile(r"^\s*(const|let|var) \w+\s*=", _M), 2),
        (re.compile(r"\bfunction\s*\w*\s*\([^)]*\)\s*\{"), 2),
        (re.compile(r"=>\s*[{(\w]"), 1),
        (re.compile(r"\brequire\(['\"][\w@./-]+['\"]\)"), 3),
        (re.compile(r"\bconsole\.(log|error|warn)\("), 2),
        (re.compile(r"\b(module\.exports|exports\.\w+)\s*="), 3),
        (re.compile(r"^\s*import .* from ['\"][\w@./-]+['\"];?\s*$", _M), 2),
        (re.compile(r"===|!=="), 1),
        (re.compile(r"\b(document|window)\.\w+"), 2),
        (re.compile(r"\b(app|router)\.(get|post|put|delete|use)\(['\"]"), 2),
        (re.compile(r"\basync function\b|\bawait fetch\("), 2),
    ],
    "go": [
        (re.compile(r"^package \w+\s*$", _M), 4),
        (re.compile(r"^func (\([^)]*\) )?\w+\(", _M), 3),
        (re.compile(r"\w+ := "), 2),
        (re.compile(r"\bif err != nil\b"), 3),
        (re.compile(r"\bfmt\.\w+\("), 2),
        (re.compile(r"^import \($", _M), 3),
    ],
    "java": [
        (re.compile(r"\b(public|private|protected)( static)?( final)? "
                    r"(class|interface|void|[A-Z]\w*(<.*>)?) \w+"), 3),
        (re.compile(r"\bSystem\.out\.print"), 3),
        (re.compile(r"^import (java|javax|org|com)\.[\w.]+;\s*$", _M), 3),
        (re.compile(r"^\s*@(Override|Autowired|RestController|GetMapping|PostMapping)\b", _M), 2),
        (re.compile(r"\bnew \w+(<.*>)?\(.*\);"), 1),
        (re.compile(r"\b(String|int|boolean|void)\s+\w+\s*[=(;]"), 1),
    ],
    "kotlin": [
        (re.compile(r"^\s*(private |public |suspend |override )*fun \w+\(", _M), 3),
        (re.compile(r"^\s*val \w+(: \w+)? = ", _M), 2),
        (re.compile(r"\bprintln\("), 1),
        (re.compile(r"^import (kotlin|kotlinx|android|io\.ktor)\.", _M), 3),
    ],
    "csharp": [
        (re.compile(r"^using System(\.[\w.]+)?;\s*$", _M), 4),
        (re.compile(r"^\s*namespace [\w.]+", _M), 2),
        (re.compile(r"\bConsole\.Write(Line)?\("), 3),
        (re.compile(r"\bpublic (async )?(Task|IActionResult|ActionResult)\b"), 3),
        (re.compile(r"\b(var \w+ = new \w+|string\[\] args|\[Http(Get|Post)\])"), 2),
    ],
    "ruby": [
        (re.compile(r"^\s*def \w+[?!]?(\(.*\))?\s*$", _M), 2),
        (re.compile(r"^\s*end\s*$", _M), 2),
        (re.compile(r"^\s*(require|require_relative) ['\"]", _M), 3),
        (re.compile(r"\bputs\b"), 1),
        (re.compile(r"\bdo \|\w+(, \w+)*\|"), 3),
        (re.compile(r"^\s*class \w+ < [\w:]+", _M), 3),
        (re.compile(r"\bparams\[:\w+\]"), 3),
    ],
    "rust": [
        (re.compile(r"^\s*(pub )?(async )?fn \w+(<.*>)?\(", _M), 3),
        (re.compile(r"\blet (mut )?\w+(: [\w<>&]+)? = "), 1),
        (re.compile(r"\b(println|format|vec|panic)!\("), 3),
        (re.compile(r"^use (std|crate|tokio|serde)(::\w+)+", _M), 3),
        (re.compile(r"^\s*impl(<.*>)? \w+", _M), 2),
        (re.compile(r"\.unwrap\(\)|&mut \w+|Result<|Option<"), 2),
    ],
    "php": [
        (re.compile(r"<\?php"), 5),
        (re.compile(r"\$\w+\s*=\s*"), 1),
        (re.compile(r"\$_(GET|POST|REQUEST|COOKIE|SERVER)\["), 4),
        (re.compile(r"^\s*echo ", _M), 1),
        (re.compile(r"\$this->\w+"), 3),
    ],
    "c": [
        (re.compile(r"^#include <\w+\.h>", _M), 3),
        (re.compile(r"^\s*int main\s*\(", _M), 2),
        (re.compile(r"\b(printf|malloc|free|strcpy|sprintf|fprintf|memcpy)\s*\("), 2),
        (re.compile(r"\bchar\s*\*?\s*\w+(\[\w*\])?\s*[=;]"), 1),
    ],
    "cpp": [
        (re.compile(r"\bstd::\w+"), 3),
        (re.compile(r"^#include <(iostream|string|vector|memory|map)>", _M), 4),
        (re.compile(r"\b(cout|cin|cerr)\s*<<|>>"), 1),
        (re.compile(r"^\s*(template\s*<|namespace \w+ \{|class \w+ (: public \w+ )?\{)", _M), 2),
    ],
    "bash": [
        (re.compile(r"^#!\s*/(usr/)?bin/(env )?(ba|z)?sh", _M), 5),
        (re.compile(r"^\s*(\$ )?(sudo|apt-get|apt|yum|brew|curl|wget|export|chmod|chown|mkdir|cd|pip|npm|git|"
                    r"docker|kubectl|echo|source|systemctl)\b", _M), 2),
        (re.compile(r"^\s*(fi|done|esac|then)\s*$", _M), 3),
        (re.compile(r"\$\{?\w+\}?|\$\(.*\)"), 1),
        (re.compile(r"\|\s*(grep|sed|awk|xargs|sh|bash)\b"), 2),
    ],
    "dockerfile": [
        (re.compile(r"^FROM\s+\S+", _M), 4),
        (re.compile(r"^(RUN|COPY|ADD|WORKDIR|EXPOSE|ENTRYPOINT|CMD|ENV|ARG|USER|LABEL)\s", _M), 2),
    ],
    "yaml": [
        (re.compile(r"^(apiVersion|kind|metadata|spec|services|version|jobs|on|steps):", _M), 3),
        (re.compile(r"^\s*[\w.-]+:\s*(\S.*)?$", _M), 1),
        (re.compile(r"^\s*- [\w.-]+:\s", _M), 1),
    ],
    "hcl": [
        (re.compile(r"^(resource|data|module|provider|variable|output|terraform|locals)\s+"
                    r"(\"[\w.-]+\"\s*)*\{", _M), 5),
        (re.compile(r"\b(var|local|module|data)\.\w+"), 1),
    ],
}
_TS_SIGNALS: list[tuple[re.Pattern[str], int]] = [
    (re.compile(r"\b(interface|type) \w+(<.*>)?\s*(=|\{)"), 3),
    (re.compile(r"[\w)]\??:\s*(string|number|boolean|any|unknown|void|never|Record<|Promise<)"), 3),
    (re.compile(r"\b(as (string|number|any|unknown|const))\b|\b(private|public|readonly) \w+:"), 2),
    (re.compile(r"^import type ", _M), 3),
]
_JSX = re.compile(r"<([A-Z]\w*|div|span|p|a|button|ul|li|form|input|h[1-6])[\s>/][^<]*>|</\w+>|\bclassName=")
_MIN_SCORE = 3


def hints_from_text(text: str, limit: int = 20) -> list[str]:
    """File names and language names mentioned in a prompt, in order of appearance (deduplicated)."""
    found: list[str] = []
    for m in _FILE_NAME.finditer(text):
        if m.group(1) not in found:
            found.append(m.group(1))
    for m in _LANG_WORD.finditer(text):
        word = m.group(1).lower()
        if word == "go":
            continue
        if word not in found:
            found.append(word)
    if _GO_WORD.search(text) and "go" not in found:
        found.append("go")
    return found[:limit]


def languages_from_hints(hints: Iterable[str]) -> list[str]:
    """Canonical languages named by hints (file names or language names), first mention first."""
    out: list[str] = []
    for h in hints:
        lang = _WORD_LANG.get(h.lower()) or normalize_language(h) or language_for_filename(h)
        if lang and lang in KNOWN_LANGUAGES and lang not in out:
            out.append(lang)
    return out


def heuristic_scores(code: str) -> dict[str, int]:
    """Evidence per language from cheap regexes; each pattern counts once."""
    scores: dict[str, int] = {}
    for lang, signals in _SIGNALS.items():
        s = sum(w for rx, w in signals if rx.search(code))
        if s:
            scores[lang] = s
    js = scores.get("javascript", 0)
    ts = sum(w for rx, w in _TS_SIGNALS if rx.search(code))
    if ts:
        target = "tsx" if _JSX.search(code) else "typescript"
        scores[target] = js + ts
    if "cpp" in scores and "c" in scores:
        scores["cpp"] += scores["c"]  # C code is valid evidence for C++ too
    return scores


def detect_language(code: str, tag: str | None = None, hints: Sequence[str] = ()) -> str | None:
    """Best language for `code`, or None when the evidence is too weak to trust."""
    if tag and tag.strip().lower() not in GENERIC_TAGS:
        return normalize_language(tag)
    hinted = languages_from_hints(hints)
    scores = heuristic_scores(code)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    if hinted:
        # Prefer a hinted language the code looks like; a JS hint also covers TS syntax.
        family = {"javascript": ("javascript", "typescript", "tsx"), "typescript": ("typescript", "tsx"),
                  "tsx": ("tsx", "typescript")}
        for lang, score in ranked:
            if any(lang in family.get(h, (h,)) for h in hinted) and score >= 1:
                return lang
        strong = ranked[0] if ranked and ranked[0][1] >= 2 * _MIN_SCORE else None
        if len(hinted) == 1 and strong is None:
            return hinted[0]
        if strong is not None:
            return strong[0]
        return None
    if not ranked or ranked[0][1] < _MIN_SCORE:
        return None
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        best, second = ranked[0][0], ranked[1][0]
        if {best, second} <= {"javascript", "typescript", "tsx"}:
            return "typescript" if "typescript" in (best, second) else best
        return None
    return ranked[0][0]
