"""Language names the engine knows, and the aliases people and models write in fence tags.

Kept apart from the matchers so extraction and detection can use it without importing ast-grep.
"""

from __future__ import annotations

# Names ast-grep-py 0.51 parses. Anything else makes `SgRoot` raise a pyo3 PanicException.
AST_GREP_LANGUAGES: frozenset[str] = frozenset({
    "python", "javascript", "typescript", "tsx", "java", "go", "php", "c", "cpp", "csharp",
    "ruby", "rust", "kotlin", "bash", "yaml", "hcl",
})
# Languages rules may name: the ast-grep ones plus regex-only languages.
REGEX_ONLY_LANGUAGES: frozenset[str] = frozenset({"dockerfile"})
KNOWN_LANGUAGES: frozenset[str] = AST_GREP_LANGUAGES | REGEX_ONLY_LANGUAGES

_ALIASES: dict[str, str] = {
    "py": "python", "python3": "python", "py3": "python", "python2": "python", "pyw": "python",
    "ipython": "python", "gyp": "python", "bzl": "python", "starlark": "python",
    "js": "javascript", "node": "javascript", "nodejs": "javascript", "jsx": "javascript",
    "mjs": "javascript", "cjs": "javascript", "es6": "javascript", "ecmascript": "javascript",
    "ts": "typescript", "mts": "typescript", "cts": "typescript",
    "sh": "bash", "shell": "bash", "zsh": "bash", "console": "bash", "shellsession": "bash",
    "shell-session": "bash", "ksh": "bash", "bash-session": "bash",
    "golang": "go",
    "c++": "cpp", "cc": "cpp", "cxx": "cpp", "hpp": "cpp", "hxx": "cpp", "h++": "cpp",
    "h": "c",
    "cs": "csharp", "c#": "csharp", "dotnet": "csharp",
    "rb": "ruby", "jruby": "ruby", "erb": "ruby",
    "rs": "rust",
    "kt": "kotlin", "kts": "kotlin",
    "tf": "hcl", "terraform": "hcl", "tfvars": "hcl", "hcl2": "hcl",
    "docker": "dockerfile", "containerfile": "dockerfile",
    "yml": "yaml", "k8s": "yaml", "kubernetes": "yaml", "helm": "yaml", "compose": "yaml",
    "php3": "php", "php4": "php", "php5": "php", "php7": "php", "php8": "php",
}

# Tags that say nothing about the language: detect it from the code instead.
GENERIC_TAGS: frozenset[str] = frozenset({"", "text", "txt", "plain", "plaintext", "code", "none", "source"})

# File extensions (lower case, without the dot) → language, for `spp scan` and prompt hints.
EXTENSIONS: dict[str, str] = {
    "py": "python", "pyw": "python", "pyi": "python",
    "js": "javascript", "mjs": "javascript", "cjs": "javascript", "jsx": "javascript",
    "ts": "typescript", "mts": "typescript", "cts": "typescript", "tsx": "tsx",
    "java": "java", "go": "go", "php": "php",
    "c": "c", "h": "c", "cpp": "cpp", "cc": "cpp", "cxx": "cpp", "hpp": "cpp", "hh": "cpp", "hxx": "cpp",
    "cs": "csharp", "rb": "ruby", "rs": "rust", "kt": "kotlin", "kts": "kotlin",
    "sh": "bash", "bash": "bash", "zsh": "bash",
    "yaml": "yaml", "yml": "yaml", "tf": "hcl", "tfvars": "hcl", "hcl": "hcl",
    "dockerfile": "dockerfile",
}

# Line comment syntax per language, for notes appended to fill-in-the-middle completions.
LINE_COMMENT: dict[str, str] = {
    "python": "#", "ruby": "#", "bash": "#", "yaml": "#", "dockerfile": "#", "hcl": "#",
    "javascript": "//", "typescript": "//", "tsx": "//", "java": "//", "go": "//", "php": "//",
    "c": "//", "cpp": "//", "csharp": "//", "rust": "//", "kotlin": "//",
}


def normalize_language(tag: str | None) -> str | None:
    """Canonical engine language for a fence tag, alias or file name; None if it is not one we scan."""
    if not tag:
        return None
    t = tag.strip().lower()
    if t in KNOWN_LANGUAGES:
        return t
    if t in _ALIASES:
        return _ALIASES[t]
    return language_for_filename(tag)


def language_for_filename(name: str) -> str | None:
    """Language of a file name such as `app.py`, `src/main.go` or `Dockerfile.prod`."""
    base = name.strip().replace("\\", "/").rsplit("/", 1)[-1]
    low = base.lower()
    if low in ("dockerfile", "containerfile") or low.startswith(("dockerfile.", "containerfile.")):
        return "dockerfile"
    if "." not in low:
        return None
    return EXTENSIONS.get(low.rsplit(".", 1)[-1])
