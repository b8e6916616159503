"""Hallucinated and typosquatted dependencies in returned code.

LLMs invent package names, and attackers register the invented or misspelt names ("slopsquatting").
Every dependency a code block names is checked against offline lists of popular PyPI and npm packages
(proxy/rules/data, rebuilt by data/build_lists.py): no network, and well under a millisecond per block
once the lists are loaded (the first call loads and indexes them, a few hundred milliseconds).

Two findings:
- ``deps.typosquat`` (high): a name that is not popular but is a small edit (or a separator reordering)
  away from a popular one: `reqeusts`, `python-dateutils`, `dateutil-python`, `lodahs`.
- ``deps.unknown-package`` (medium): an explicit install (`pip install`, `npm install`, requirements
  lines, package.json / pyproject entries) of a name that is not in the popular list.
Imports of unknown modules are never reported as unknown (they are usually the project's own modules);
imports are only checked for typing slips of popular packages.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from proxy.pipeline.context import CodeFinding

__all__ = ["check_dependencies", "preload"]

_CWE = "CWE-829"
_OWASP = "A06:2021-Vulnerable and Outdated Components"
_MAX_NAME = 100  # longer tokens are not package names; also bounds the edit-distance work
_SEP = re.compile(r"[-_.]+")
_REG_NAME = {"pypi": "PyPI", "npm": "npm"}

# ---------------------------------------------------------------------------------------------------------
# Offline data


@dataclass(frozen=True)
class _Registry:
    """Popular names of one ecosystem plus the indexes that make near-miss search cheap.

    `index` maps every popular name and each of its one-character deletions to the names it came from (the
    SymSpell idea): the query's own deletions looked up there give a handful of candidates whose true edit
    distance is then computed, instead of comparing against thousands of names.
    """

    rank: dict[str, int]  # normalized name -> popularity rank (0 = most popular)
    index: dict[str, list[str]]  # never mutated after the build
    squashed: dict[str, str]  # name without separators -> popular name (separator confusion)
    tokens: dict[tuple[str, ...], str]  # sorted separator-split tokens -> popular name (reordering)

    def __contains__(self, name: str) -> bool:
        return name in self.rank


def _norm_pypi(name: str) -> str:
    """PEP 503 normalisation: `Flask_Login` and `flask-login` are one project."""
    return _SEP.sub("-", name).lower()


def _read_lines(filename: str) -> list[str]:
    text = resources.files("proxy.rules").joinpath("data", filename).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _build_registry(names: Iterable[str]) -> _Registry:
    rank: dict[str, int] = {}
    for n in names:
        rank.setdefault(n, len(rank))
    index: dict[str, list[str]] = {}
    squashed: dict[str, str] = {}
    tokens: dict[tuple[str, ...], str] = {}
    for n in rank:  # popularity order, so setdefault keeps the most popular owner of a key
        if n.startswith("@"):
            continue  # npm scopes are owned: nobody else can publish next to a scoped name
        index.setdefault(n, []).append(n)
        for i in range(len(n)):  # plain loop: this build dominates the one-off load time
            key = n[:i] + n[i + 1 :]
            owners = index.get(key)
            if owners is None:
                index[key] = [n]
            elif owners[-1] != n:
                owners.append(n)
        squashed.setdefault(_SEP.sub("", n), n)
        parts = tuple(sorted(p for p in _SEP.split(n) if p))
        if len(parts) > 1:
            tokens.setdefault(parts, n)
    return _Registry(rank, index, squashed, tokens)


@lru_cache(maxsize=1)
def _pypi() -> _Registry:
    return _build_registry(_norm_pypi(n) for n in _read_lines("pypi_top.txt"))


@lru_cache(maxsize=1)
def _npm() -> _Registry:
    return _build_registry(n.lower() for n in _read_lines("npm_top.txt"))


@lru_cache(maxsize=1)
def _npm_scopes() -> _Registry:
    """Scopes (without `@`) of the popular scoped packages, to spot look-alike scopes (`@typs/node`)."""
    return _build_registry(n[1:].split("/", 1)[0] for n in _npm().rank if n.startswith("@"))


@lru_cache(maxsize=1)
def _python_stdlib() -> frozenset[str]:
    # The shipped list covers modules removed from newer Pythons that snippets still import.
    return frozenset(_read_lines("python_stdlib.txt")) | frozenset(sys.stdlib_module_names)


@lru_cache(maxsize=1)
def _node_builtins() -> frozenset[str]:
    return frozenset(_read_lines("node_builtins.txt"))


@lru_cache(maxsize=1)
def _local_module_names() -> frozenset[str]:
    return frozenset(_read_lines("local_module_names.txt"))


@lru_cache(maxsize=1)
def _import_map() -> dict[str, str]:
    """Import name -> distribution ("-" for namespaces), keyed as written and lower-cased."""
    out: dict[str, str] = {}
    for line in _read_lines("python_import_names.txt"):
        imp, _, dist = line.partition("\t")
        out.setdefault(imp.strip(), dist.strip())
        out.setdefault(imp.strip().lower(), dist.strip())
    return out


@lru_cache(maxsize=1)
def _import_targets() -> _Registry:
    """Import names (`yaml`, `cv2`, `sklearn`...) of popular distributions, guarded against typos too."""
    return _build_registry(k.lower() for k, v in _import_map().items() if v != "-")


# ---------------------------------------------------------------------------------------------------------
# Near-miss search

# How popular a package must be (rank in its list) to be worth squatting at edit distance 1 and 2. Below
# that, look-alikes are mostly legitimate packages of their own (`watcher` / `matcher`).
_TARGET_RANK = {1: 10_000, 2: 2_000}
_MIN_LEN_SWAP = 4  # from 4 characters only swapped neighbours are checked...
_MIN_LEN_EDIT = 5  # ...other edits from 5: shorter names collide by chance (`spdx` / `spdy`)
_MIN_LEN_DIST2 = 9  # two edits only between long names
_IMPORT_MAX_RANK = 2_000  # imports may be local modules: only slips of very popular packages count


def _osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment (restricted Damerau-Levenshtein) distance, capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _core_len(name: str) -> int:
    return len(_SEP.sub("", name))


def _max_distance(name: str) -> int:
    n = _core_len(name)
    if n < _MIN_LEN_SWAP:
        return 0
    return 2 if n >= _MIN_LEN_DIST2 else 1


def _is_version_variant(a: str, b: str) -> bool:
    """`boto` vs `boto3`, `pyqt5` vs `pyqt6`: different major lines, not typos of each other."""
    sa, sb = a.rstrip("0123456789"), b.rstrip("0123456789")
    return sa == sb and (sa != a or sb != b)


_KEY_POS = {
    ch: (row, col + 0.5 * row)
    for row, keys in enumerate(("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"))
    for col, ch in enumerate(keys)
}
_HOMOGLYPHS = frozenset({("0", "o"), ("1", "l"), ("1", "i"), ("l", "i"), ("5", "s"), ("3", "e")})


def _is_slip(typed: str, meant: str) -> bool:
    """A mechanical typing slip of `meant`: swapped neighbours, a doubled letter, a neighbouring key or a
    look-alike character. Dropped letters, plurals and arbitrary substitutions also turn one real word
    into another (`player` / `layer`), so for imports, which are often local modules, only slips count."""
    if len(typed) == len(meant):
        diff = [i for i in range(len(typed)) if typed[i] != meant[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1:
            i = diff[0]
            return typed[i] == meant[i + 1] and typed[i + 1] == meant[i]
        if len(diff) != 1:
            return False
        a, b = typed[diff[0]], meant[diff[0]]
        if (a, b) in _HOMOGLYPHS or (b, a) in _HOMOGLYPHS:
            return True
        pa, pb = _KEY_POS.get(a), _KEY_POS.get(b)
        return pa is not None and pb is not None and abs(pa[0] - pb[0]) <= 1 and abs(pa[1] - pb[1]) <= 1
    if len(typed) == len(meant) + 1:
        for i in range(len(typed)):
            if typed[:i] + typed[i + 1 :] == meant:
                before = i > 0 and typed[i] == typed[i - 1]
                return before or (i + 1 < len(typed) and typed[i] == typed[i + 1])
    return False


def _near_miss(
    name: str,
    reg: _Registry,
    max_dist: int,
    max_rank: int | None = None,
    accept: Callable[[str, str], bool] | None = None,
    min_len_edit: int = _MIN_LEN_EDIT,
) -> str | None:
    """The most popular registry name that a non-popular `name` looks like a misspelling of, if any."""
    if max_dist <= 0 or name in reg or len(name) > _MAX_NAME:
        return None
    best: tuple[int, int, str] | None = None

    def consider(cand: str, dist: int) -> None:
        nonlocal best
        r = reg.rank[cand]
        if r > (max_rank if max_rank is not None else _TARGET_RANK[dist]):
            return
        if _is_version_variant(name, cand) or (accept is not None and not accept(name, cand)):
            return
        if best is None or (dist, r, cand) < best:
            best = (dist, r, cand)

    squashed = reg.squashed.get(_SEP.sub("", name))
    if squashed is not None and squashed != name:
        consider(squashed, 1)  # separator confusion: `lodashmerge` for `lodash.merge`
    parts = tuple(sorted(p for p in _SEP.split(name) if p))
    reordered = reg.tokens.get(parts) if len(parts) > 1 else None
    if reordered is not None and reordered != name:
        consider(reordered, 1)  # `dateutil-python` for `python-dateutil`
    for i in range(len(name) - 1):
        swapped = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        if swapped != name and swapped in reg:
            consider(swapped, 1)  # `lodahs`, `reqeusts`
    if _core_len(name) >= min_len_edit:
        probes = {name} | _deletions(name)
        if max_dist >= 2:
            probes |= {d2 for d1 in _deletions(name) for d2 in _deletions(d1)}
        seen: set[str] = set()
        for probe in probes:
            for cand in reg.index.get(probe, ()):
                if cand in seen or cand == name or _core_len(cand) < min_len_edit:
                    continue
                seen.add(cand)
                limit = min(max_dist, 2 if _core_len(cand) >= _MIN_LEN_DIST2 else 1)
                dist = _osa_distance(name, cand, limit)
                if dist <= limit:
                    consider(cand, dist)
    return best[2] if best else None


# ---------------------------------------------------------------------------------------------------------
# Extraction

_PY_IMPORT = re.compile(
    r"^[ \t]*import[ \t]+([A-Za-z_][\w.]*(?:[ \t]+as[ \t]+\w+)?"
    r"(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*(?:[ \t]+as[ \t]+\w+)?)*)",
    re.MULTILINE,
)
_PY_FROM = re.compile(r"^[ \t]*from[ \t]+([A-Za-z_]\w*)[\w.]*[ \t]+import\b", re.MULTILINE)
_JS_SPEC = re.compile(
    r"""(?:\brequire\s*\(\s*|\bimport\s*\(\s*|\bfrom\s+|^\s*import\s+)(['"])([^'"\n]{1,200})\1""",
    re.MULTILINE,
)
_INSTALL = re.compile(
    r"(?:^|[\s;&|(`!%$\"'])"
    r"(?P<tool>pip3?(?:\.\d+)?|python3?(?:\.\d+)?\s+-m\s+pip|uv\s+pip|uv|pipx|poetry|pipenv|npm|yarn|pnpm|bun)"
    r"\s+(?:global\s+)?(?P<verb>install|i|add)\b(?P<args>[^\n;&|#`)]*)",
    re.MULTILINE,
)
_PY_LIST_INSTALL = re.compile(r"""['"]pip['"]\s*,\s*['"]install['"]\s*,(?P<args>[^\])\n]*)""")
_QUOTED = re.compile(r"""['"]([^'"]+)['"]""")
_REQ_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$")
_NPM_NAME = re.compile(r"^(@[a-z0-9][\w.-]*/[\w.-]+|[a-z0-9][\w.-]*)(?:@.*)?$", re.IGNORECASE)
_SCOPED_SPEC = re.compile(r"@[a-z0-9][\w.-]*/", re.IGNORECASE)
_NPM_TOOLS = frozenset({"npm", "yarn", "pnpm", "bun"})
_PKG_JSON_SECTIONS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
_PKG_JSON_SECTION_RE = re.compile(r'"(?:' + "|".join(_PKG_JSON_SECTIONS) + r')"\s*:\s*\{([^{}]*)\}')
_LOCAL_VERSIONS = ("file:", "link:", "workspace:", "portal:", "git", "github:", "http", ".", "/")

# Options that take a value, so the next token is not a package name.
# fmt: off
_PIP_VALUE_OPTS = frozenset((
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
    "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--trusted-host",
    "--platform", "--python-version", "--implementation", "--abi", "--src", "--upgrade-strategy",
    "--progress-bar", "--log", "--proxy", "--retries", "--timeout", "--cache-dir", "--cert", "--client-cert",
    "--only-binary", "--no-binary", "--config-settings", "-C", "--global-option", "--python", "--group",
    "--report", "--index", "--default-index", "--with", "--extra", "-p", "--python-platform", "--source",
    "--optional", "--dev-group",
))
_NPM_VALUE_OPTS = frozenset((
    "--registry", "--prefix", "--workspace", "-w", "--tag", "--omit", "--include", "--filter", "--cwd",
    "--scope", "--save-prefix", "--modules-folder", "--cache-folder", "--network-timeout", "--mutex",
))
# fmt: on


def _line_at(code: str, pos: int) -> int:
    return code.count("\n", 0, pos) + 1


def _python_imports(code: str) -> Iterator[tuple[int, str]]:
    for m in _PY_IMPORT.finditer(code):
        line = _line_at(code, m.start())
        for part in m.group(1).split(","):
            words = part.split()
            if words:
                yield line, words[0].split(".")[0]
    for m in _PY_FROM.finditer(code):
        yield _line_at(code, m.start()), m.group(1)  # relative imports (`from . import x`) never match


def _js_specifiers(code: str) -> Iterator[tuple[int, str]]:
    for m in _JS_SPEC.finditer(code):
        spec = m.group(2).split("?", 1)[0].strip()
        if not spec or (spec[0] in "./~#$@" and not _SCOPED_SPEC.match(spec)):
            continue  # relative paths and bundler aliases (`@/components`, `~/x`, `#internal`)
        if ":" in spec and not spec.startswith("node:"):
            continue  # URLs, `bun:`, `virtual:` modules
        yield _line_at(code, m.start()), spec


def _install_tokens(eco: str, args: str) -> Iterator[str]:
    """The package arguments of one install command (options and their values skipped)."""
    value_opts = _NPM_VALUE_OPTS if eco == "npm" else _PIP_VALUE_OPTS
    try:
        tokens = shlex.split(args, comments=False, posix=True)
    except ValueError:
        tokens = args.split()
    skip_next = False
    for tok in tokens:
        if skip_next:
            skip_next = False
        elif tok.startswith("-"):
            skip_next = tok in value_opts
        elif tok not in {"\\", ">", "<", "2>", ">>"}:
            yield tok


def _install_commands(code: str) -> Iterator[tuple[int, str, str]]:
    """(line, ecosystem, raw token) for packages named by install commands anywhere in the block."""
    # Line continuations become spaces of the same length, so positions still index the original code.
    joined = re.sub(r"\\\r?\n", lambda m: " " * len(m.group()), code)
    for m in _INSTALL.finditer(joined):
        tool = m.group("tool").split()[0]
        if tool in {"uv", "poetry"} and m.group("verb") != "add":
            continue  # `uv pip install` is matched as its own tool; `poetry install` names no packages
        eco = "npm" if tool in _NPM_TOOLS else "pypi"
        line = _line_at(code, m.start("tool"))
        for tok in _install_tokens(eco, m.group("args")):
            yield line, eco, tok
    for m in _PY_LIST_INSTALL.finditer(code):  # subprocess.run([sys.executable, "-m", "pip", "install", ...])
        args = " ".join(shlex.quote(q) for q in _QUOTED.findall(m.group("args")))
        for tok in _install_tokens("pypi", args):
            yield _line_at(code, m.start()), "pypi", tok


def _pypi_token_name(tok: str) -> str | None:
    """The project name in a pip argument or requirement line; None for paths, URLs and files."""
    tok = tok.strip().strip("'\"")
    if not tok or "://" in tok or tok.startswith(("git+", ".", "/", "~", "$", "{", "-")):
        return None
    if tok.endswith((".whl", ".tar.gz", ".zip", ".txt", ".tgz")) or "/" in tok or "\\" in tok:
        return None
    m = _REQ_NAME.match(tok)
    if not m:
        return None
    rest = m.group(2).strip()
    if rest and rest[0] not in "=<>!~;@,(":
        return None
    return m.group(1)


def _npm_token_name(tok: str) -> str | None:
    """The package name in an npm argument (`name@1.2`, `@scope/name@^2`); None for paths, URLs, repos."""
    tok = tok.strip().strip("'\"")
    if not tok or tok.startswith((".", "/", "~", "$", "{", "-", "git", "http", "file:", "link:", "github:")):
        return None
    if tok.endswith((".tgz", ".tar.gz")) or "://" in tok:
        return None
    if not tok.startswith("@") and "/" in tok:
        return None  # `user/repo` GitHub shorthand
    m = _NPM_NAME.match(tok)
    return m.group(1) if m else None


def _requirements(code: str) -> Iterator[tuple[int, str]]:
    for no, raw in enumerate(code.splitlines(), start=1):
        line = re.split(r"\s#", raw, maxsplit=1)[0].strip().rstrip("\\").strip()
        if not line or line.startswith(("#", "-")) or "://" in line:
            continue  # comments, options (-r, -e, --hash), URLs and PEP 508 direct references
        yield no, line


def _pkg_json(code: str) -> Iterator[tuple[int, str]]:
    found: list[tuple[str, str]] = []
    try:
        data = json.loads(code)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for sec in _PKG_JSON_SECTIONS:
            deps = data.get(sec)
            if isinstance(deps, dict):
                found.extend((str(k), str(v)) for k, v in deps.items())
    else:  # fragments: read `"name": "version"` pairs inside dependency sections
        for sm in _PKG_JSON_SECTION_RE.finditer(code):
            found.extend(re.findall(r'"([^"]+)"\s*:\s*"([^"]*)"', sm.group(1)))
    for name, version in found:
        if version.startswith(_LOCAL_VERSIONS):
            continue
        if version.startswith("npm:"):  # alias: "lodash-es": "npm:lodash@^4"
            name = _npm_token_name(version[4:]) or name
        elif "/" in version and not version.startswith("@"):
            continue  # `user/repo#tag`
        m = re.search('"' + re.escape(name) + r'"\s*:', code)
        yield (_line_at(code, m.start()) if m else 1), name


def _pyproject(code: str) -> Iterator[tuple[int, str]]:
    try:
        data = tomllib.loads(code)
    except tomllib.TOMLDecodeError:
        return
    reqs: list[object] = []
    project = data.get("project", {})
    reqs.extend(project.get("dependencies", []) or [])
    for group in (project.get("optional-dependencies", {}) or {}).values():
        reqs.extend(group)
    for group in (data.get("dependency-groups", {}) or {}).values():
        reqs.extend(group)
    poetry = data.get("tool", {}).get("poetry", {})
    tables = [poetry.get("dependencies", {}), poetry.get("dev-dependencies", {})]
    tables += [g.get("dependencies", {}) for g in (poetry.get("group", {}) or {}).values()]
    for table in tables:
        for name, spec in (table or {}).items():
            local = isinstance(spec, dict) and bool({"path", "git", "url"} & set(spec))
            if name.lower() != "python" and not local:
                reqs.append(name)
    for req in reqs:
        if not isinstance(req, str) or "://" in req:
            continue
        name = _pypi_token_name(req)
        if name:
            m = re.search(r"""(?m)^\s*["']?""" + re.escape(name) + r"\b", code) or re.search(
                re.escape(name), code
            )
            yield (_line_at(code, m.start()) if m else 1), name


# ---------------------------------------------------------------------------------------------------------
# Checks


@dataclass(frozen=True)
class _Hit:
    rule: str
    line: int
    message: str
    fix: str


def _typosquat(name: str, target: str, eco: str, line: int) -> _Hit:
    tool = "pip install" if eco == "pypi" else "npm install"
    return _Hit(
        "deps.typosquat",
        line,
        f"Dependency '{name[:_MAX_NAME]}' is not a known {_REG_NAME[eco]} package but looks like a "
        f"misspelling of the popular '{target}' (possible typosquat, or a hallucinated name an attacker "
        "can register).",
        f"Use the real package: {tool} {target} (check the name on the registry before installing).",
    )


def _unknown(name: str, eco: str, line: int) -> _Hit:
    return _Hit(
        "deps.unknown-package",
        line,
        f"Install of '{name[:_MAX_NAME]}', which is not among the popular {_REG_NAME[eco]} packages: "
        "LLMs invent package names and attackers register them (slopsquatting).",
        "Verify the package exists, is the one you mean and is maintained (registry page, source "
        "repository, downloads) before installing; pin it with hashes (pip --require-hashes, npm lockfile).",
    )


def _check_scoped(norm: str, name: str, line: int) -> _Hit | None:
    """npm scopes are owned, so inside a real scope there is no squatting; only a look-alike scope is."""
    scope, _, rest = norm.partition("/")
    scopes = _npm_scopes()
    if scope[1:] in scopes:
        return None
    real = _near_miss(scope[1:], scopes, 1, min_len_edit=_MIN_LEN_SWAP)  # scopes are short: `@typs`
    if real is not None and f"@{real}/{rest}" in _npm():
        return _typosquat(name, f"@{real}/{rest}", "npm", line)
    return None  # an unknown scope is most likely a private registry: not reported


def _check_declared(eco: str, raw: str, line: int) -> _Hit | None:
    """An explicit install or manifest entry: popular, a misspelling of a popular name, or unknown."""
    if eco == "pypi":
        name = _pypi_token_name(raw)
        if not name:
            return None
        norm, reg = _norm_pypi(name), _pypi()
    else:
        name = _npm_token_name(raw)
        if not name:
            return None
        norm, reg = name.lower(), _npm()
        if norm.removeprefix("node:") in _node_builtins():
            return None
        if norm.startswith("@"):
            return None if norm in reg else _check_scoped(norm, name, line)
    if norm in reg:
        return None
    target = _near_miss(norm, reg, _max_distance(norm))
    return _typosquat(name, target, eco, line) if target else _unknown(name, eco, line)


def _check_python_import(mod: str, line: int) -> _Hit | None:
    imports = _import_map()
    if mod in _python_stdlib() or mod in imports or mod.lower() in imports:
        return None
    norm = _norm_pypi(mod)
    if norm in _pypi() or mod.lower() in _local_module_names() or _core_len(norm) < _MIN_LEN_EDIT:
        return None
    target = _near_miss(norm, _pypi(), 1, _IMPORT_MAX_RANK, _is_slip)
    if target is None:
        alias = _near_miss(mod.lower(), _import_targets(), 1, None, _is_slip)  # `skleran` -> sklearn
        target = imports.get(alias) if alias else None
    return _typosquat(mod, target, "pypi", line) if target else None


def _check_js_import(spec: str, line: int) -> _Hit | None:
    spec = spec.lower()
    if spec.startswith("node:") or spec in _node_builtins():
        return None
    parts = spec.split("/")
    name = "/".join(parts[:2]) if spec.startswith("@") else parts[0]
    if name in _npm() or name in _node_builtins():
        return None
    if name.startswith("@"):
        return _check_scoped(name, name, line)
    if name in _local_module_names() or _core_len(name) < _MIN_LEN_EDIT:
        return None
    target = _near_miss(name, _npm(), 1, _IMPORT_MAX_RANK, _is_slip)
    return _typosquat(name, target, "npm", line) if target else None


# fmt: off
_LANG_ALIASES = {
    "py": "python", "python3": "python", "ipython": "python", "jupyter": "python",
    "js": "javascript", "jsx": "javascript", "mjs": "javascript", "cjs": "javascript", "node": "javascript",
    "ts": "typescript", "tsx": "typescript", "mts": "typescript", "cts": "typescript",
    "sh": "bash", "shell": "bash", "zsh": "bash", "console": "bash", "shell-session": "bash",
    "requirements.txt": "requirements", "pip": "requirements", "pip-requirements": "requirements",
    "package.json": "json", "jsonc": "json", "pyproject": "toml", "pyproject.toml": "toml",
}
# fmt: on


def _hits(code: str, language: str) -> Iterator[_Hit | None]:
    lang = language.lower().strip()
    lang = _LANG_ALIASES.get(lang, lang)
    if lang == "requirements":
        for line, req in _requirements(code):
            yield _check_declared("pypi", req, line)
    elif lang == "json":
        for line, name in _pkg_json(code):
            yield _check_declared("npm", name, line)
    elif lang == "toml":
        for line, name in _pyproject(code):
            yield _check_declared("pypi", name, line)
    else:  # any language may carry install commands (`# pip install x`, `RUN npm i y`, `!pip install z`)
        for line, eco, tok in _install_commands(code):
            yield _check_declared(eco, tok, line)
        if lang == "python":
            for line, mod in _python_imports(code):
                yield _check_python_import(mod, line)
        elif lang in {"javascript", "typescript"}:
            for line, spec in _js_specifiers(code):
                yield _check_js_import(spec, line)


def preload() -> None:
    """Load and index the package lists now (about a second) rather than on the first scanned block."""
    _pypi(), _npm(), _npm_scopes(), _import_targets(), _python_stdlib(), _node_builtins()
    _local_module_names()


def check_dependencies(code: str, language: str) -> list[CodeFinding]:
    """Typosquatted or unknown dependencies named in one code block: one finding per rule and name."""
    findings: dict[tuple[str, str], CodeFinding] = {}
    for hit in _hits(code, language):
        if hit is None or (hit.rule, hit.message) in findings:
            continue
        findings[(hit.rule, hit.message)] = CodeFinding(
            rule_id=hit.rule,
            cwe=_CWE,
            owasp=_OWASP,
            severity="high" if hit.rule == "deps.typosquat" else "medium",
            message=hit.message,
            fix=hit.fix,
            line=hit.line,
            language=language,
        )
    return sorted(findings.values(), key=lambda f: f.line)
