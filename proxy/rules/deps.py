"""Hallucinated and typosquatted dependencies in returned code.

LLMs invent package names, and attackers register the invented or misspelt names ("slopsquatting").
We check every dependency a code block names against offline lists of popular PyPI and npm packages
(proxy/rules/data, rebuilt by data/build_lists.py), so the check needs no network and costs well under
a millisecond per block once the lists are loaded.

Two findings:
- ``deps.typosquat`` (high): a name that is not popular but is one or two edits (or a separator
  reordering) away from a popular one: `reqeusts`, `python-dateutils`, `lodahs`.
- ``deps.unknown-package`` (medium): an explicit install (`pip install`, `npm install`, requirements
  lines, package.json / pyproject entries) of a name that is not in the popular list.
Imports of unknown modules are not reported as unknown: they are usually the project's own modules.
Imports are only checked for close typos of popular packages, with stricter limits.
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

__all__ = ["check_dependencies"]

_CWE = "CWE-829"
_OWASP = "A06:2021-Vulnerable and Outdated Components"
_MAX_NAME = 100  # longer tokens are not package names; also bounds the edit-distance work

# --------------------------------------------------------------------------------------------------
# Offline data


@dataclass(frozen=True)
class _Registry:
    """Popular names of one ecosystem plus a deletion-neighbourhood index for near-miss search.

    index maps every popular name and every one-character deletion of it to the names it came from
    (the SymSpell idea): a query's own deletions (up to two) looked up there give a small candidate set
    whose true edit distance is then computed. Transpositions are probed directly.
    """

    name: str
    rank: dict[str, int]  # normalized name -> popularity rank (0 = most popular)
    index: dict[str, tuple[str, ...]]
    squashed: dict[str, str]  # name without separators -> popular name (separator confusion)
    tokens: dict[tuple[str, ...], str]  # sorted separator-split tokens -> popular name

    def __contains__(self, name: str) -> bool:
        return name in self.rank


_SEP = re.compile(r"[-_.]+")


def _norm_pypi(name: str) -> str:
    return _SEP.sub("-", name).lower()


def _read_lines(filename: str) -> list[str]:
    text = resources.files("proxy.rules").joinpath("data", filename).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _build_registry(name: str, names: Iterable[str]) -> _Registry:
    rank: dict[str, int] = {}
    for n in names:
        rank.setdefault(n, len(rank))
    index: dict[str, list[str]] = {}
    squashed: dict[str, str] = {}
    tokens: dict[tuple[str, ...], str] = {}
    for n in rank:  # insertion order = popularity order, so setdefault keeps the most popular
        if n.startswith("@"):
            continue  # scoped names are owned namespaces: nobody else can publish near them
        for key in {n, *_deletions(n)}:
            index.setdefault(key, []).append(n)
        squashed.setdefault(_SEP.sub("", n), n)
        parts = tuple(sorted(p for p in _SEP.split(n) if p))
        if len(parts) > 1:
            tokens.setdefault(parts, n)
    frozen = {k: tuple(v) for k, v in index.items()}
    return _Registry(name, rank, frozen, squashed, tokens)


@lru_cache(maxsize=1)
def _pypi() -> _Registry:
    return _build_registry("PyPI", (_norm_pypi(n) for n in _read_lines("pypi_top.txt")))


@lru_cache(maxsize=1)
def _npm() -> _Registry:
    return _build_registry("npm", (n.lower() for n in _read_lines("npm_top.txt")))


@lru_cache(maxsize=1)
def _npm_scopes() -> _Registry:
    """Scopes (without the `@`) of the popular scoped packages, for look-alike scope search."""
    return _build_registry("npm", (n[1:].split("/", 1)[0] for n in _npm().rank if n.startswith("@")))


@lru_cache(maxsize=1)
def _python_stdlib() -> frozenset[str]:
    return frozenset(_read_lines("python_stdlib.txt")) | frozenset(sys.stdlib_module_names)


@lru_cache(maxsize=1)
def _node_builtins() -> frozenset[str]:
    return frozenset(_read_lines("node_builtins.txt"))


@lru_cache(maxsize=1)
def _import_map() -> dict[str, str]:
    """Import name -> distribution ("-" for namespaces), keyed both as written and lower-cased."""
    out: dict[str, str] = {}
    for line in _read_lines("python_import_names.tsv"):
        imp, _, dist = line.partition("\t")
        out.setdefault(imp.strip(), dist.strip())
        out.setdefault(imp.strip().lower(), dist.strip())
    return out


@lru_cache(maxsize=1)
def _import_targets() -> _Registry:
    """Import names worth guarding against typos: mapped import names of the popular distributions."""
    return _build_registry("PyPI", (k.lower() for k, v in _import_map().items() if v != "-"))


# --------------------------------------------------------------------------------------------------
# Near-miss search


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment (restricted Damerau-Levenshtein) distance, capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        row_min = i
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            row_min = min(row_min, v)
        if row_min > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _is_version_variant(a: str, b: str) -> bool:
    """`boto` vs `boto3`, `pyqt5` vs `pyqt6`: different major lines, not a typo of each other."""
    sa, sb = a.rstrip("0123456789"), b.rstrip("0123456789")
    return sa == sb and (sa != a or sb != b)


def _is_plural_variant(a: str, b: str) -> bool:
    return a + "s" == b or b + "s" == a


_KEY_POS = {
    ch: (row, col + 0.5 * row)
    for row, keys in enumerate(("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"))
    for col, ch in enumerate(keys)
}
_HOMOGLYPHS = frozenset({("0", "o"), ("1", "l"), ("1", "i"), ("l", "i"), ("5", "s"), ("3", "e"), ("-", "_")})


def _is_slip(typed: str, meant: str) -> bool:
    """A mechanical typing slip of `meant`: swapped neighbours, a doubled letter, a neighbouring key or a
    look-alike character. Dropped letters and arbitrary substitutions also turn one real word into another
    (`player` / `layer`), so for module imports (often local modules) only slips count."""
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
                return (i > 0 and typed[i] == typed[i - 1]) or (i + 1 < len(typed) and typed[i] == typed[i + 1])
    return False


# How popular a package must be (rank in its list) to be worth squatting at edit distance 1 and 2: the
# rank limits keep legitimate, less popular look-alikes (`watcher` / `matcher`) from being reported.
_TARGET_RANK = {1: 10000, 2: 2000}
_MIN_LEN_EDIT = 5  # shorter names collide by chance (`spdx` / `spdy`); only swaps are checked from 4
_MIN_LEN_SWAP = 4
_MIN_LEN_DIST2 = 9


def _core_len(name: str) -> int:
    return len(_SEP.sub("", name))


def _max_distance(name: str) -> int:
    n = _core_len(name)
    if n < _MIN_LEN_SWAP:
        return 0
    return 2 if n >= _MIN_LEN_DIST2 else 1


def _near_miss(
    name: str,
    reg: _Registry,
    max_dist: int,
    max_rank: int | None = None,
    accept: Callable[[str, str], bool] | None = None,
) -> str | None:
    """The most popular registry name a non-popular `name` looks like a misspelling of, if any."""
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
        key = (dist, r, cand)
        if best is None or key < best:
            best = key

    squashed = reg.squashed.get(_SEP.sub("", name))
    if squashed is not None and squashed != name:
        consider(squashed, 1)  # `python_dateutil`-style separator confusion (npm keeps separators)
    parts = tuple(sorted(p for p in _SEP.split(name) if p))
    if len(parts) > 1:
        reordered = reg.tokens.get(parts)
        if reordered is not None and reordered != name:
            consider(reordered, 1)  # `dateutil-python` for `python-dateutil`
    for i in range(len(name) - 1):
        swapped = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        if swapped != name and swapped in reg:
            consider(swapped, 1)  # `lodahs`, `reqeusts`
    if _core_len(name) < _MIN_LEN_EDIT:
        return best[2] if best else None
    probes = {name} | _deletions(name)
    if max_dist >= 2:
        probes |= {d2 for d1 in _deletions(name) for d2 in _deletions(d1)}
    seen: set[str] = set()
    for probe in probes:
        for cand in reg.index.get(probe, ()):
            if cand in seen or cand == name:
                continue
            seen.add(cand)
            limit = min(max_dist, 2 if _core_len(cand) >= _MIN_LEN_DIST2 else 1)
            if _core_len(cand) < _MIN_LEN_EDIT:
                continue
            dist = _osa_distance(name, cand, limit)
            if dist <= limit:
                consider(cand, dist)
    return best[2] if best else None


# --------------------------------------------------------------------------------------------------
# Extraction

_Dep = tuple[str, int, str]  # (ecosystem "pypi" | "npm", line, raw name)

_PY_IMPORT = re.compile(r"^[ \t]*import[ \t]+([A-Za-z_][\w.]*(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*"
                        r"(?:[ \t]+as[ \t]+\w+)?)*)", re.MULTILINE)
_PY_FROM = re.compile(r"^[ \t]*from[ \t]+([A-Za-z_]\w*)[\w.]*[ \t]+import\b", re.MULTILINE)
_JS_SPEC = re.compile(
    r"""(?:\brequire\s*\(\s*|\bimport\s*\(\s*|\bfrom\s+|^\s*import\s+)(['"])([^'"\n]{1,200})\1""",
    re.MULTILINE,
)
_INSTALL = re.compile(
    r"(?:^|[\s;&|(`!%$\"'])(?P<tool>pip3?(?:\.\d+)?|python3?(?:\.\d+)?\s+-m\s+pip|uv\s+pip|uv|pipx|poetry|pipenv"
    r"|npm|yarn|pnpm|bun)\s+(?P<verb>install|i|add)\b(?P<args>[^\n;&|#`)]*)",
    re.MULTILINE,
)
_PY_LIST_INSTALL = re.compile(r"""['"]pip['"]\s*,\s*['"]install['"]\s*,(?P<args>[^\]\)\n]*)""")
_REQ_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$")
_NPM_NAME = re.compile(r"^(@[a-z0-9][\w.-]*/[\w.-]+|[a-z0-9][\w.-]*)(?:@.*)?$", re.IGNORECASE)

_PIP_VALUE_OPTS = frozenset(
    "-r --requirement -c --constraint -e --editable -i --index-url --extra-index-url -f --find-links "
    "-t --target --prefix --root --trusted-host --platform --python-version --implementation --abi --src "
    "--upgrade-strategy --progress-bar --log --proxy --retries --timeout --cache-dir --cert --client-cert "
    "--only-binary --no-binary --config-settings -C --global-option --python --group --report --index "
    "--default-index --with --extra -p --python-platform --source --optional --dev-group".split()
)
_NPM_VALUE_OPTS = frozenset(
    "--registry --prefix --workspace -w --tag --omit --include --filter --cwd --scope --save-prefix "
    "--modules-folder --cache-folder --network-timeout --mutex".split()
)


def _line_at(code: str, pos: int) -> int:
    return code.count("\n", 0, pos) + 1


def _python_imports(code: str) -> Iterator[tuple[int, str]]:
    for m in _PY_IMPORT.finditer(code):
        line = _line_at(code, m.start())
        for part in m.group(1).split(","):
            mod = part.strip().split()[0] if part.strip() else ""
            if mod:
                yield line, mod.split(".")[0]
    for m in _PY_FROM.finditer(code):
        yield _line_at(code, m.start()), m.group(1)


def _js_specifiers(code: str) -> Iterator[tuple[int, str]]:
    for m in _JS_SPEC.finditer(code):
        spec = m.group(2).split("?", 1)[0].strip()
        if not spec or spec[0] in "./~#$@" and not re.match(r"@[a-z0-9][\w.-]*/", spec, re.IGNORECASE):
            continue  # relative paths and bundler aliases (`@/components`, `~/x`, `#internal`)
        if ":" in spec and not spec.startswith("node:"):
            continue  # URLs, `bun:`, `virtual:` modules
        yield _line_at(code, m.start()), spec


def _split_args(args: str) -> list[str]:
    try:
        return shlex.split(args, comments=False, posix=True)
    except ValueError:
        return args.split()


def _install_names(tool: str, args: str) -> Iterator[tuple[str, str]]:
    """(ecosystem, raw package token) for each package an install command names."""
    eco = "npm" if tool in {"npm", "yarn", "pnpm", "bun"} else "pypi"
    value_opts = _NPM_VALUE_OPTS if eco == "npm" else _PIP_VALUE_OPTS
    tokens = _split_args(args)
    skip_next = False
    for tok in tokens:
        if skip_next:
            skip_next = False
            continue
        if tok.startswith("-"):
            skip_next = tok in value_opts
            continue
        if tok in {"\\", ">", "<", "2>", ">>"}:
            continue
        yield eco, tok


def _install_commands(code: str) -> Iterator[tuple[int, str, str]]:
    # Shell line continuations become two spaces: same length, so positions still index the original code.
    joined = re.sub(r"\\\r?\n", lambda m: " " * len(m.group()), code)
    for m in _INSTALL.finditer(joined):
        tool = re.sub(r"\s+", " ", m.group("tool"))
        tool = "pip" if "pip" in tool and tool not in {"pipx", "pipenv"} else tool
        if tool == "uv" and m.group("verb") != "add":
            continue  # `uv install` does not exist; `uv pip install` is matched as its own tool
        if tool == "poetry" and m.group("verb") != "add":
            continue  # `poetry install` installs the lock file, names no packages
        line = _line_at(code, m.start("tool"))
        for eco, tok in _install_names(tool, m.group("args")):
            yield line, eco, tok
    for m in _PY_LIST_INSTALL.finditer(code):
        line = _line_at(code, m.start())
        quoted = re.findall(r"""['"]([^'"]+)['"]""", m.group("args"))
        for eco, tok in _install_names("pip", " ".join(shlex.quote(q) for q in quoted)):
            yield line, eco, tok


def _pypi_token_name(tok: str) -> str | None:
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
    if rest.startswith("@") and not rest.startswith("@^") and "://" in rest:
        return None  # PEP 508 direct reference: comes from a URL, not the index
    return m.group(1)


def _npm_token_name(tok: str) -> str | None:
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
        name = _pypi_token_name(line)
        if name:
            yield no, name


def _pkg_json(code: str) -> Iterator[tuple[int, str]]:
    sections = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
    found: list[tuple[str, str]] = []
    try:
        data = json.loads(code)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for sec in sections:
            deps = data.get(sec)
            if isinstance(deps, dict):
                found.extend((str(k), str(v)) for k, v in deps.items())
    else:  # fragments: read `"name": "version"` pairs inside dependency sections
        for sm in re.finditer(r'"(?:%s)"\s*:\s*\{([^{}]*)\}' % "|".join(sections), code):
            found.extend(re.findall(r'"([^"]+)"\s*:\s*"([^"]*)"', sm.group(1)))
    for name, version in found:
        if version.startswith(("file:", "link:", "workspace:", "portal:", "git", "github:", "http", ".", "/")):
            continue
        if version.startswith("npm:"):
            target = _npm_token_name(version[4:])
            name = target or name
        elif "/" in version and not version.startswith("@"):
            continue  # `user/repo#tag`
        m = re.search(r'"%s"\s*:' % re.escape(name), code)
        yield (_line_at(code, m.start()) if m else 1), name


def _pyproject(code: str) -> Iterator[tuple[int, str]]:
    try:
        data = tomllib.loads(code)
    except tomllib.TOMLDecodeError:
        return
    reqs: list[str] = []
    project = data.get("project", {})
    reqs.extend(project.get("dependencies", []) or [])
    for group in (project.get("optional-dependencies", {}) or {}).values():
        reqs.extend(group)
    for group in (data.get("dependency-groups", {}) or {}).values():
        reqs.extend(x for x in group if isinstance(x, str))
    poetry = data.get("tool", {}).get("poetry", {})
    tables = [poetry.get("dependencies", {}), poetry.get("dev-dependencies", {})]
    tables += [g.get("dependencies", {}) for g in (poetry.get("group", {}) or {}).values()]
    for table in tables:
        for name, spec in (table or {}).items():
            if name.lower() == "python" or (isinstance(spec, dict) and ({"path", "git", "url"} & set(spec))):
                continue
            reqs.append(name)
    for req in reqs:
        if not isinstance(req, str):
            continue
        name = _pypi_token_name(req)
        if name:
            m = re.search(r"""(?m)^\s*["']?%s\b""" % re.escape(name), code) or re.search(re.escape(name), code)
            yield (_line_at(code, m.start()) if m else 1), name


# --------------------------------------------------------------------------------------------------
# Checks

_LOCAL_MODULE_NAMES = frozenset(
    "utils util helpers helper models model config configs settings schemas schema views view forms tests test "
    "app apps main db database api core common constants services service routes router routers handlers "
    "handler crud auth deps dependencies security tasks task worker workers client clients server lib src "
    "types exceptions errors logger serializers admin urls signals middleware storage cache cli commands "
    "scripts plugins plugin data dataset datasets loader loaders parser parsers runner train trainer metrics "
    "module modules package manager managers state store stores events components component pages page".split()
)
_IMPORT_MAX_RANK = 2000  # imports: distance 1 and typing slips only (they may be local modules)


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
        f"Dependency '{name[:_MAX_NAME]}' is not a known {_REG_NAME[eco]} package but looks like a misspelling of "
        f"the popular '{target}' (possible typosquat / hallucinated package that an attacker can register).",
        f"Use the real package: {tool} {target} (check the name on the registry before installing).",
    )


def _unknown(name: str, eco: str, line: int) -> _Hit:
    return _Hit(
        "deps.unknown-package",
        line,
        f"Install of '{name[:_MAX_NAME]}', which is not among the popular {_REG_NAME[eco]} packages: LLMs invent "
        "package names and attackers register them (slopsquatting).",
        "Verify the package exists, is the one you mean and is maintained (registry page, source repository, "
        "downloads) before installing; pin it with a hash (pip --require-hashes / npm lockfile).",
    )


_REG_NAME = {"pypi": "PyPI", "npm": "npm"}


def _check_declared(eco: str, raw: str, line: int) -> _Hit | None:
    """An explicit install or manifest entry: popular, a typo of a popular name, or unknown."""
    if eco == "pypi":
        name = _pypi_token_name(raw)
        if not name:
            return None
        norm = _norm_pypi(name)
        reg = _pypi()
        if norm in reg:
            return None
        target = _near_miss(norm, reg, _max_distance(norm))
        return _typosquat(name, target, eco, line) if target else _unknown(name, eco, line)
    name = _npm_token_name(raw)
    if not name:
        return None
    norm = name.lower()
    reg = _npm()
    if norm in reg or norm.removeprefix("node:") in _node_builtins():
        return None
    if norm.startswith("@"):
        return _check_scoped(norm, name, line)
    target = _near_miss(norm, reg, _max_distance(norm))
    return _typosquat(name, target, eco, line) if target else _unknown(name, eco, line)


def _check_scoped(norm: str, name: str, line: int) -> _Hit | None:
    """Scopes are owned on npm, so only a look-alike scope (`@typs/node`) is a squatting risk."""
    scope, _, rest = norm.partition("/")
    scopes = _npm_scopes()
    bare = scope[1:]
    if bare in scopes:
        return None  # a name inside a real scope can only be published by that scope's owner
    real = _near_miss(bare, scopes, 1)
    if real is not None and f"@{real}/{rest}" in _npm():
        return _typosquat(name, f"@{real}/{rest}", "npm", line)
    return None  # an unknown scope is most likely a private registry: not reported


def _check_python_import(mod: str, line: int) -> _Hit | None:
    if mod in _python_stdlib() or mod in _import_map() or mod.lower() in _import_map():
        return None
    norm = _norm_pypi(mod)
    if norm in _pypi() or mod.lower() in _LOCAL_MODULE_NAMES or len(_SEP.sub("", norm)) < 5:
        return None
    target = _near_miss(norm, _pypi(), 1, _IMPORT_MAX_RANK, _is_slip) or _near_miss(
        mod.lower(), _import_targets(), 1, None, _is_slip
    )
    if target is None:
        return None
    return _typosquat(mod, _import_map().get(target, target), "pypi", line)


def _check_js_import(spec: str, line: int) -> _Hit | None:
    spec = spec.lower()
    if spec.removeprefix("node:") in _node_builtins() or spec.startswith("node:"):
        return None
    parts = spec.split("/")
    name = "/".join(parts[:2]) if spec.startswith("@") else parts[0]
    if name in _npm() or name in _node_builtins():
        return None
    if name.startswith("@"):
        return _check_scoped(name, name, line)
    if name in _LOCAL_MODULE_NAMES or len(_SEP.sub("", name)) < 5:
        return None
    target = _near_miss(name, _npm(), 1, _IMPORT_MAX_RANK, _is_slip)
    if target is None:
        return None
    return _typosquat(name, target, "npm", line)


_LANG_ALIASES = {
    "py": "python", "python3": "python", "ipython": "python", "jupyter": "python",
    "js": "javascript", "jsx": "javascript", "mjs": "javascript", "cjs": "javascript", "node": "javascript",
    "ts": "typescript", "tsx": "typescript", "mts": "typescript", "cts": "typescript",
    "sh": "bash", "shell": "bash", "zsh": "bash", "console": "bash", "shell-session": "bash", "shellsession": "bash",
    "requirements.txt": "requirements", "pip": "requirements", "pip-requirements": "requirements",
    "package.json": "json", "jsonc": "json", "pyproject": "toml", "pyproject.toml": "toml",
}


def _hits(code: str, language: str) -> Iterator[_Hit | None]:
    lang = _LANG_ALIASES.get(language.lower().strip(), language.lower().strip())
    if lang == "requirements":
        for line, name in _requirements(code):
            yield _check_declared("pypi", name, line)
        return
    if lang == "json":
        for line, name in _pkg_json(code):
            yield _check_declared("npm", name, line)
        return
    if lang == "toml":
        for line, name in _pyproject(code):
            yield _check_declared("pypi", name, line)
        return
    for line, eco, tok in _install_commands(code):
        yield _check_declared(eco, tok, line)
    if lang == "python":
        for line, mod in _python_imports(code):
            yield _check_python_import(mod, line)
    elif lang in {"javascript", "typescript"}:
        for line, spec in _js_specifiers(code):
            yield _check_js_import(spec, line)


def check_dependencies(code: str, language: str) -> list[CodeFinding]:
    """Typosquatted or unknown dependencies named in one code block, one finding per rule and name."""
    findings: list[CodeFinding] = []
    seen: set[tuple[str, str]] = set()
    for hit in _hits(code, language):
        if hit is None:
            continue
        key = (hit.rule, hit.message)
        if key in seen:
            continue
        seen.add(key)
        findings.append(
            CodeFinding(
                rule_id=hit.rule,
                cwe=_CWE,
                owasp=_OWASP,
                severity="high" if hit.rule == "deps.typosquat" else "medium",
                message=hit.message,
                fix=hit.fix,
                line=hit.line,
                language=language,
            )
        )
    return findings
