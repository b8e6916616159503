"""False-positive filters for secret candidates, as plain functions (in the spirit of detect-secrets'
heuristic filters).

Each filter takes a Candidate and returns True when the value is NOT a secret (a placeholder, a reference, a
digest...). Rules pick filters by name in their YAML (`filters: [...]`); `FILTERS` is the registry. Filters
see small strings only (one candidate value and its line), never the whole prompt, so they stay cheap.
"""

from __future__ import annotations

import base64
import binascii
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

import re2


@dataclass(frozen=True, slots=True)
class Candidate:
    secret: str  # the would-be secret value
    name: str  # the variable/key it is assigned to, when the rule captures one (group `name`), else ""
    line: str  # the line(s) holding the match, for context
    quoted: bool = False  # the value sits right after a quote character


def _rx(pattern: str) -> re2._Regexp:
    return re2.compile(pattern)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


# --- placeholders and templates: apply to every rule -------------------------------------------------------

_MARKERS = _rx(
    r"(?i)example|x{4,}|\*{3,}|\.{3,}|•|placeholder|redacted|lorem|dummy|fake|sample"
    r"|your[_\- ]?(?:own[_\- ]?)?(?:api|secret|access|auth|token|key|pass|app|client|private|personal|account"
    r"|db|database|real|actual|service|bot|org|project|webhook)"
    r"|insert[_\- ]|replace[_\- ]?(?:me|with|this)|change[_\- ]?me|not[_\- ]?a?[_\- ]?real|<[^<>]*>"
    r"|0123456789|123456789|9876543210|abcdefghij|qwertyuiop"
)


def placeholder(c: Candidate) -> bool:
    """Documentation values: EXAMPLE, xxxx, ****, <token>, your-api-key-here, one- or two-character runs."""
    s = c.secret
    return bool(_MARKERS.search(s)) or (len(s) >= 4 and len(set(s.lower())) <= 2)


_TEMPLATE = _rx(
    r"\$\{|\{\{|\}\}|\$\(|%\(\w*\)[sdifr]?|%[A-Za-z_]+\(|#\{|\{%|\{[^{}\s]*\}"
    r"|^\$[A-Za-z_]\w*$|^%[A-Za-z_]+%$|^@\w+@$|^__\w+__$"
    r"|^\$\d+$|^%[sd]$|^<[^>]*>$|^\{\w*\}$"
)


def templated(c: Candidate) -> bool:
    """`${VAR}`, `$VAR`, `{{ var }}`, `{var}`, `%(var)s`, `<var>`, `#{var}`, `$(cmd)`, `%VAR%`."""
    return bool(_TEMPLATE.search(c.secret))


_KNOWN_EXAMPLES = (
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",  # jwt.io's sample signature
    "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ",  # jwt.io's sample payload
)


def known_example(c: Candidate) -> bool:
    """Values printed in vendor docs and tutorials."""
    return any(k in c.secret for k in _KNOWN_EXAMPLES)


# --- generic assignments: judge the value and its context, not the name alone -------------------------------

_ENV_LOOKUP = _rx(
    r"(?i)os\.environ|getenv|process\.env|import\.meta\.env|deno\.env|system\.getenv|environment\.get"
    r"|\benv\[|\benv\(|\benv\.|\bENV\[|secrets\.|vault\(|config\(|settings\."
)
_CALL_OR_INDEX = _rx(r"^[A-Za-z_$@][\w$.@:]*[(\[]")
_DOTTED = _rx(r"^[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)+[(\[]?")
_IDENT = _rx(r"^[A-Za-z_$][\w$]*$")
_CODE_ASSIGN = _rx(r"\s=\s|:=|\s=>|[,;{(]\s*$|\bconst\b|\blet\b|\bvar\b|\bval\b|\bdef\b|\breturn\b|\bfunc\b")


def reference(c: Candidate) -> bool:
    """An expression, not a literal: env lookups, calls, attribute refs (`self.password`), variable names."""
    s = c.secret
    if _ENV_LOOKUP.search(s):
        return True
    if c.quoted:
        return False
    if _CALL_OR_INDEX.search(s) or "(" in s or ")" in s:
        return True
    if _DOTTED.fullmatch(s):  # `settings.DB_PASSWORD`, but not a random value holding a dot
        return not _random_case(s)
    if _IDENT.match(s):  # a variable name, unless it is assigned in code or looks random
        if _CODE_ASSIGN.search(c.line):
            return True
        return not any(ch.isdigit() for ch in s) and not _random_case(s)
    return False


_TYPE_NAMES = _words(
    "str string String bytes int bool boolean any Any None object Object SecretStr SecretBytes char "
    "number Optional Union Text CharField Field Password Secret Token"
)


def type_annotation(c: Candidate) -> bool:
    """`password: str`, `token: Optional[str]`, `secret: SecretStr`."""
    head = c.secret.split("[", 1)[0].split("|", 1)[0].strip()
    return head in _TYPE_NAMES


_WEAK_WORDS = _words(
    "password passwd pass pwd passphrase secret secrets test testing tests changeme admin "
    "administrator root example dummy sample demo default foo bar baz foobar qwerty letmein "
    "mypassword mysecret yourpassword secretkey apikey token key user username guest none null nil "
    "empty string value xxx abc redacted hidden masked required optional todo tbd na true false "
    "undefined password secure supersecret tiger scott"
)
_NON_SECRET_VALUE = _rx(
    r"(?i)^(?:none|null|nil|true|false|yes|no|on|off|undefined|nan)$"  # literals
    r"|^[\d.,:+\-_ ]+$|^\d{4}-\d\d-\d\d[T ]?"  # numbers, ports, times, dates
    r"|^(?:[=^~<>!]=?|~>)\s*v?\d+(?:\.[\w*]+)+"  # version pins
    r"|^v?\d+(?:\.\d+){1,3}(?:[-+][\w.]+)?$"  # bare versions
    r"|^(?:localhost|0\.0\.0\.0|127\.0\.0\.1|::1)(?::\d+)?$"
    r"|\.(?:pem|key|json|txt|ya?ml|env|p12|pfx|crt|cer|jks|keystore|der|pub|gpg|asc|ini|conf|cfg|toml)$"
    r"|^[a-z][a-z0-9+.-]*://|^urn:"  # URLs and URNs (credentials inside URLs have their own rule)
    r"|^#[0-9a-f]{3,8}$"  # hex colours
    r"|^(?:\?|%s|%d|:\w+|\$\d+|@\w+)$"  # SQL parameters
    r"|\\[dwsb]|\[[a-z0-9]-[a-z0-9]|\(\?|\.\*|\.\+|^\^.*\$$"  # regexes
    r"|^[^@\s]+@[^@\s]+\.[a-z]{2,}$"  # email addresses
    r"|^[a-z]\w*=[^,\s]*(?:,[a-z]\w*=[^,\s]*)+$"  # option lists: --secret id=npmrc,src=/path
    r"|^(?:bearer|basic|token|digest|oauth2?|jwt|hmac|api[_-]?key|none|plain|md5|sha\d*)$"
)


_PATH_START = _rx(r"^(?:/|\./|\.\./|~/|[a-zA-Z]:\\|\\\\)")
_PATH_SEP = _rx(r"[/\\]+")


def _file_path(value: str) -> bool:
    """`/run/secrets/db`, `./certs/key.pem`, `C:\\keys`: a path, unless a segment is a long random key (base64
    secrets may start with `/`: `/6QNizAMsvrEpfTEVSEs...`)."""
    if not _PATH_START.match(value):
        return False
    for seg in _PATH_SEP.split(value):
        mixed = any(ch.isupper() for ch in seg) and any(ch.islower() for ch in seg)
        if len(seg) >= 16 and mixed and any(ch.isdigit() for ch in seg) and entropy(seg) >= 3.5:
            return _identifier_like(seg)  # `Code2024Settings` is a folder; `6QNizAMsvrEpf...` is a key
    return True


_RELATIVE_FILE = _rx(r"^[\w.-]+(?:/[\w.=-]+)+\.[A-Za-z][A-Za-z0-9]{1,7}$")  # exports/2024/05/report-7f3a.csv


_YAML_NODE = _rx(r"^(?:!!?[A-Za-z][\w.-]*|[&*][A-Za-z_][\w.-]*)$")  # tags (!vault, !!str), anchors, aliases


def _bare(value: str) -> str:
    return "".join(ch for ch in value.lower() if ch.isalpha())


def weak_value(c: Candidate) -> bool:
    """Values that carry no secret: empty, literals, numbers, versions, hosts, paths, URLs, regexes, SQL
    parameters, e-mails, and placeholder words with decoration (`password123`, `test!`, `<password>`)."""
    s = c.secret.strip()
    if not s or _NON_SECRET_VALUE.search(s) or _file_path(s) or _RELATIVE_FILE.match(s):
        return True
    if not c.quoted and _YAML_NODE.match(s):  # tags and anchors, unless quoted: '*Kq7...' may be a password
        return True
    bare = _bare(s)
    name = _bare(c.name)
    return bare in _WEAK_WORDS or (
        bool(name) and bool(bare) and (bare == name or bare in name and len(bare) > 3)
    )


_DIGEST = _rx(
    r"(?i)^(?:sha\d{0,3}|md5|blake2b?|h1|crc32)[:\-=]"  # typed digests: sha512-..., sha256:..., h1:...
    r"|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"  # UUIDs
)


def hash_like(c: Candidate) -> bool:
    """Typed digests (`sha512-...`, `sha256:...`, go.sum `h1:`) and UUIDs: identifiers, not credentials."""
    return bool(_DIGEST.search(c.secret))


_NOT_SECRET_LAST = _words(
    "url uri endpoint type name id ids path file filename dir len length count size field policy hash "
    "hashed digest env var header prefix suffix regex pattern label placeholder input mode method "
    "format version expiry expires expiration ttl timeout scope scopes provider hint arn limit budget "
    "usage index kind class service manager handler validator status state enabled required location "
    "source max min rotation question strength reset confirm confirmation page route view form "
    "template param params sha checksum fingerprint salt nonce public publishable pub cache store "
    "storage callback fn func ref refs number num used at date time timestamp changed updated created "
    "age domain realm audience issuer algorithm alg grant"
)
_NOT_SECRET_FIRST = _words(
    "is has use enable enabled num n max min get show hide check validate verify generate create encode "
    "decode parse "
    "new old default public publishable csrf xsrf next prev page continuation"
)
_NOT_SECRET_WORDS = _words("hash hashed sha digest checksum fingerprint md5 integrity public publishable")
_NAME_SPLIT = _rx(r"[^a-z0-9]+")
_SECRET_WORD = _rx(r"(?i)pass|pwd|secret|token|key|auth|credential")
_CAMEL = _rx(r"([a-z0-9])([A-Z])")


def name_not_secret(c: Candidate) -> bool:
    """Names that hold metadata about a secret rather than the secret: `token_url`, `password_hash`,
    `secretName`, `max_tokens`, `public_key`, `csrf_token`, `password_confirm`, and methods called on a
    secret (`password.encode(...)`)."""
    _, dot, method = c.name.rpartition(".")
    if dot and not _SECRET_WORD.search(method) and f"{c.name}(" in c.line:
        return True  # a method called on a secret-named object: token.split("."), api_key.startswith("sk-")
    snake = _CAMEL.sub(r"\1_\2", c.name).lower()
    parts = [p for p in _NAME_SPLIT.split(snake) if p]
    if not parts:
        return False
    return (
        parts[-1] in _NOT_SECRET_LAST
        or (len(parts) > 1 and parts[0] in _NOT_SECRET_FIRST)
        or any(p in _NOT_SECRET_WORDS for p in parts)
    )


def _classes(value: str) -> int:
    return sum(
        (
            any(ch.islower() for ch in value),
            any(ch.isupper() for ch in value),
            any(ch.isdigit() for ch in value),
            any(not ch.isalnum() for ch in value),
        )
    )


_WORD = r"[a-z]{1,24}(?:\d{1,2}[a-z]{0,8})?"
_WORDS = _rx(
    rf"(?i)_*{_WORD}(?:[_\-. :/|,]+{_WORD}|[_\-. :/|,]+\d+)+[_\-. :/|,]*"
)  # snake/kebab words: names and prose, not keys


_PARTS = _rx(r"[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_VOWELS = frozenset("aeiouyAEIOUY")


def _identifier_like(value: str) -> bool:
    """`OneLogin_Saml2_Auth`, `PasswordInput`: a few long pronounceable parts; random keys split into many
    short ones."""
    if not value.replace("_", "").replace("-", "").replace(".", "").isalnum():
        return False
    parts = _PARTS.findall(value)
    words = [p for p in parts if not p.isdigit()]
    if len(words) < 2 or len(parts) - len(words) > 2:
        return False
    return sum(map(len, words)) / len(words) >= 3.5 and all(_VOWELS & set(w) for w in words)


_CHUNKS = _rx(r"[_\-. :/|,]+")
_CAMEL_RUN = _rx(r"[A-Z]+[a-z]*|[a-z]+")


def _camel_words(chunk: str) -> list[str]:
    """`XMLHttpRequest` -> XML, Http, Request (RE2 has no lookahead, so the acronym split is done here)."""
    out = []
    for run in _CAMEL_RUN.findall(chunk):
        upper = len(run) - len(run.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        if 1 < upper < len(run):
            out += [run[: upper - 1], run[upper - 1 :]]
        else:
            out.append(run)
    return out


_ABBREVIATIONS = _words(
    "http https html xhtml xml sql ssh sftp smtp ftp tcp dns rpc grpc jwt cdn sdk pdf png svg css std "
    "ctx cfg msg src dst pkg mgr cmd btn lbl txt img str fmt tmp pwd db pg js ts fn st nd rd th mb kb gb tb "
    "ms ns px"
)


def _random_case(value: str) -> bool:
    """Letter case that flips like a random key (`GLiHqAhSy`, `rRebTeNZG`), not like words. A camelCase chunk
    splits into parts of ~3+ letters on average whose short capitalised parts hold a vowel (`toDoListApp`,
    `getHTTPResponse`); random case splits into short parts, often vowel-less (`Hq`, `Nn`). Why: `_WORDS` is
    case-insensitive, so without this `vId8Nn_ZUbu8GuK` would read as snake_case words, and a random
    unquoted YAML value as a variable name. Short true camelCase (`ToDo`, `iOSAppID`) reads as random: for a
    value assigned to a secret name that errs on the safe side."""
    for chunk in _CHUNKS.split(value):
        letters = "".join(ch for ch in chunk if ch.isalpha())
        if letters.islower() or letters.isupper() or (letters[:1].isupper() and letters[1:].islower()):
            continue  # lower, UPPER and Capitalized chunks are word-shaped
        parts = _camel_words(chunk)
        if not parts:
            continue
        if 4 * sum(map(len, parts)) < 11 * len(parts):  # under 2.75 letters a part
            return True
        for i, p in enumerate(parts):  # vowel-less parts: `Hq`, `Nn`, `hdnl`; not `Http`, `db`, `XML`
            if p.isupper() or _VOWELS & set(p) or p.lower() in _ABBREVIATIONS:
                continue
            if len(p) >= 4 or (len(p) >= 2 and i > 0):  # a short leading part (`xs`, `mk`) may abbreviate
                return True
    return False


def _wordy(value: str) -> bool:
    """Snake/kebab/dotted words or prose (`pass_through_endpoint`, `OneLogin_Saml2_Auth`), not a random
    key."""
    return bool(_WORDS.fullmatch(value)) and not _random_case(value)


def weak_token(c: Candidate) -> bool:
    """Token/key/secret values must look random: 16+ chars, digits and letters mixed, entropy >= 3, and not
    words or identifiers."""
    s = c.secret
    if (
        len(s) < 16
        or entropy(s) < 3.0
        or _wordy(unquote(s))
        or _identifier_like(s)
        or ("[" in s and "]" in s)
    ):
        return True
    has_digit = any(ch.isdigit() for ch in s)
    has_alpha = any(ch.isalpha() for ch in s)
    if has_digit and has_alpha:
        return False
    return not (_classes(s) >= 2 and len(s) >= 24 and entropy(s) >= 3.5)


def lacks_digit(c: Candidate) -> bool:
    """For shapes matched without a provider prefix (`s.` + 24 base62): a random key of 20+ base62
    characters holds a digit with ~98% odds; identifiers of that shape (`s.getElementsByTagNameNS`) rarely
    do."""
    return not any(ch.isdigit() for ch in c.secret)


def weak_password(c: Candidate) -> bool:
    """Passwords may be short and human, but a lone lowercase word is more likely a label or identifier."""
    s = c.secret
    return len(s) < 6 or _classes(s) < 2 or entropy(s) < 2.0 or _wordy(unquote(s))


_PASSWORD_NAME = _rx(r"(?i)pass|pwd")


def weak_for_name(c: Candidate) -> bool:
    """Judge by the name the rule found: a password may be short and human, a token/key must look random."""
    return weak_password(c) if _PASSWORD_NAME.search(c.name) else weak_token(c)


def basic_auth(c: Candidate) -> bool:
    """`Authorization: Basic base64(user:pass)` with a placeholder password (`user:pass`, `admin:admin`)."""
    try:
        user, _, password = base64.b64decode(c.secret, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    inner = Candidate(password, user, c.line, quoted=True)  # decoded text is a literal, never YAML
    return not password or placeholder(inner) or templated(inner) or weak_value(inner)


_PEM_BODY = _rx(r"[A-Za-z0-9+/=]{40,}")
_PEM_PLACEHOLDER = _rx(r"(?i)\.\.\.|example|placeholder|redacted|<[^<>]*>|x{8,}")


def pem_body(c: Candidate) -> bool:
    """A private-key block without real base64 content is a docs placeholder."""
    body = c.secret.replace("\\n", "\n").replace("\\r", "")
    lines = [ln for ln in body.splitlines() if ln.strip() and "-----" not in ln and ":" not in ln]
    return not _PEM_BODY.search("".join(ln.strip() for ln in lines)) or bool(_PEM_PLACEHOLDER.search(body))


FILTERS: dict[str, Callable[[Candidate], bool]] = {
    "placeholder": placeholder,
    "templated": templated,
    "known_example": known_example,
    "reference": reference,
    "type_annotation": type_annotation,
    "weak_value": weak_value,
    "hash_like": hash_like,
    "name_not_secret": name_not_secret,
    "weak_token": weak_token,
    "weak_password": weak_password,
    "lacks_digit": lacks_digit,
    "weak_for_name": weak_for_name,
    "pem_body": pem_body,
    "basic_auth": basic_auth,
}
