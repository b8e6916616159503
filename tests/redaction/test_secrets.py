"""SecretDetector on realistic text: benign code must stay clean, secrets must be cut out exactly.

Secret values are generated at run time from a seeded RNG (no realistic key is written in this file); the
benign corpus is full of things that look random but are not credentials: SHAs, digests, UUIDs, integrity
hashes, base64 fixtures, placeholders and environment lookups.
"""

# ruff: noqa: E501  (the benign corpus is verbatim code and lockfile text; its long lines are the point)
from __future__ import annotations

import random
import string

import pytest

from proxy.redaction.secrets import SecretDetector
from proxy.redaction.types import Detection

DETECTOR = SecretDetector.default()
_RNG = random.Random(20240611)
_ALNUM = string.ascii_letters + string.digits


def rand(n: int, alphabet: str = _ALNUM) -> str:
    """A fresh random body; mixed classes like real keys, and never a placeholder pattern."""
    mixed = n >= 8 and any(c.isdigit() for c in alphabet) and any(c.isalpha() for c in alphabet)
    while True:
        value = "".join(_RNG.choice(alphabet) for _ in range(n))
        if mixed and not (any(c.isdigit() for c in value) and any(c.isalpha() for c in value)):
            continue
        if not any(
            w in value.lower() for w in ("xxxx", "example", "test", "fake", "dummy", "sample", "1234", "abcd")
        ):
            return value


def spans(text: str) -> list[tuple[str, str]]:
    return [(d.entity_type, text[d.start : d.end]) for d in DETECTOR.detect(text)]


BENIGN = {
    "py": r"""
import os, hashlib, base64, re, uuid
from dataclasses import dataclass
from typing import Optional
from pydantic import SecretStr

DATABASE_URL = os.environ["DATABASE_URL"]
API_KEY = os.getenv("API_KEY")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
STRIPE_KEY = settings.STRIPE_SECRET_KEY
PASSWORD_RE = re.compile(r"^(?=.*[A-Z])(?=.*\d)[A-Za-z\d@$!%*?&]{12,}$")
TOKEN_PATTERN = r"[A-Za-z0-9_-]{20,}"

@dataclass
class Settings:
    password: str
    api_key: Optional[str] = None
    token: SecretStr = SecretStr("")
    secret_key: str = ""

def connect(args):
    password = args.password
    token = get_token(args.user)
    conn = psycopg2.connect(host=args.host, user=args.user, password=password, dbname="app")
    auth = (args.user, password)
    api_key = self.api_key or os.environ["OPENAI_API_KEY"]
    secret = secrets.token_urlsafe(32)
    digest = hashlib.sha256(b"hello").hexdigest()  # 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824
    md5 = "5d41402abc4b2a76b9719d911017c592"
    sha1 = "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"
    request_id = str(uuid.uuid4())  # e.g. 1b4e28ba-2fa1-11d2-883f-0016d3cca427
    cursor.execute("SELECT * FROM users WHERE email = %s AND password_hash = %s", (email, pw_hash))
    cursor.execute("UPDATE users SET password = ? WHERE id = ?", (new_hash, uid))
    q = "SELECT id FROM tokens WHERE token = :token"
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
    if password == "":
        raise ValueError("password: required")
    if token is None:
        token = refresh_token(client_id=cfg.client_id, client_secret=cfg.client_secret)
    headers = {"Authorization": f"Bearer {token}", "X-Api-Key": api_key}
    session.auth = HTTPBasicAuth(username, password)
    user.password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
    print(f"token expires in {ttl} seconds")
    max_tokens = 4096
    tokenizer = AutoTokenizer.from_pretrained("sentence-transformers/all-MiniLM-L6-v2")
    num_tokens = len(tokenizer.encode(text))
    return {"password": "<redacted>", "token_type": "bearer", "expires_in": 3600}

class LoginForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput)
    password_confirm = forms.CharField(widget=forms.PasswordInput)

def test_login(client):
    resp = client.post("/login", data={"username": "alice", "password": "password"})
    resp = client.post("/login", json={"username": "bob", "password": "test"})
    assert resp.json()["access_token"]
""",
    "js": r"""
const jwt = require('jsonwebtoken');
const API_KEY = process.env.API_KEY;
const secret = process.env.JWT_SECRET || '';
const token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: '1h' });
export const config = {
  apiKey: import.meta.env.VITE_API_KEY,
  authDomain: "my-app.firebaseapp.com",
  password: userPassword,
  token: authToken,
};
async function getUser(token) {
  const res = await fetch(`${BASE_URL}/me`, { headers: { Authorization: `Bearer ${token}` } });
  return res.json();
}
const theme = { primary: '#1e90ff', secondary: '#ff6347', bg: '#fafafa' };
const passwordInput = document.querySelector('input[type="password"]');
localStorage.setItem('token', data.access_token);
const { password, ...safeUser } = user;
if (password !== confirmPassword) { setError('Passwords do not match'); }
""",
    "go": r"""
package main

type Config struct {
	Password string `json:"password" env:"DB_PASSWORD"`
	APIKey   string `json:"api_key" env:"API_KEY"`
	Token    string `yaml:"token"`
}

func main() {
	token := r.Header.Get("Authorization")
	password := os.Getenv("DB_PASSWORD")
	apiKey := cfg.APIKey
	secret := []byte(os.Getenv("JWT_SECRET"))
	dsn := fmt.Sprintf("postgres://%s:%s@%s/%s", user, password, host, db)
	log.Printf("request id=%s trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7", reqID)
}
""",
    "yaml": r"""
name: ci
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1
      - uses: actions/setup-node@60edb5dd545a775178f52524783378180af0d1f8
        with:
          node-version: 20
          token: ${{ secrets.GITHUB_TOKEN }}
      - run: npm ci
        env:
          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}
          API_KEY: ${{ secrets.API_KEY }}
---
apiVersion: v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api@sha256:9b2a5f0e3d1c4b7a8e6f5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db-credentials
                  key: password
            - name: API_TOKEN
              valueFrom:
                secretKeyRef: {name: api, key: token}
---
services:
  db:
    image: postgres:16.2
    environment:
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
      POSTGRES_USER: app
  app:
    environment:
      - DATABASE_URL=postgresql://app:${POSTGRES_PASSWORD}@db:5432/app
      - REDIS_URL=redis://redis:6379/0
auth:
  enabled: true
  provider: oidc
  token_endpoint: https://login.acme.io/oauth2/token
  client_secret: ${OIDC_CLIENT_SECRET}
password_policy:
  min_length: 12
""",
    "env": r"""
# .env.example: copy to .env and fill in
OPENAI_API_KEY=your-api-key-here
ANTHROPIC_API_KEY=
DATABASE_URL=postgresql://user:password@localhost:5432/app
DB_PASSWORD=changeme
SECRET_KEY=<generate with: openssl rand -hex 32>
JWT_SECRET=${JWT_SECRET}
STRIPE_SECRET_KEY=sk_test_xxxxxxxxxxxxxxxxxxxxxxxx
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
REDIS_PASSWORD=
HOST=0.0.0.0
PORT=8080
API_BASE=http://localhost:8000
LOG_LEVEL=debug
TOKEN_TTL_SECONDS=3600
""",
    "lock": r"""
{
  "name": "acme-web",
  "lockfileVersion": 3,
  "dependencies": {
    "jsonwebtoken": "^9.0.2",
    "@auth0/auth0-react": "^2.2.4",
    "passport-jwt": "~4.0.1",
    "lodash": "^4.17.21"
  },
  "packages": {
    "node_modules/jsonwebtoken": {
      "version": "9.0.2",
      "resolved": "https://registry.npmjs.org/jsonwebtoken/-/jsonwebtoken-9.0.2.tgz",
      "integrity": "sha512-PRp66vJ865SSqOlgqS8hujT5U4AOgMfhrwYIuIhfKaoSCZcirrmASQr8CX7cUg+RMih+hgznrjp99o+W4pJLHQ==",
      "dependencies": {"jws": "^3.2.2", "lodash.includes": "^4.3.0"}
    },
    "node_modules/secret-handshake": {
      "version": "1.1.20",
      "integrity": "sha1-Uy7DlYpWgl+0Bd1nPTTA/4n/Frc="
    }
  }
}
requests==2.32.3 \
    --hash=sha256:55365417734eb18255590a9ff9eb97e9e1da868d4ccd6402399eaf68af20a760 \
    --hash=sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6
[[package]]
name = "cryptography"
version = "42.0.5"
files = [
    {file = "cryptography-42.0.5.tar.gz", hash = "sha256:6fe07eec95dfd477eb9530aef5bead34fec819b3aaf6c5bd6d20565da607bfe1"},
]
golang.org/x/crypto v0.21.0 h1:X31++rzVUdKhX5sWmSOFZxx8UW/ldWx55cbf08iNAMA=
golang.org/x/crypto v0.21.0/go.mod h1:0BP0Qx6IFlB2Om+LXkzGZNyUGezEg3gw1sB+CXJvBQE=
[[package]]
name = "serde"
version = "1.0.197"
checksum = "3fb1c873e1b9b056a4dc4c0c198b24c3ffa059243875552b2bd0933b1aee4ce2"
jsonwebtoken@^9.0.0:
  version "9.0.2"
  resolved "https://registry.yarnpkg.com/jsonwebtoken/-/jsonwebtoken-9.0.2.tgz#65ff91f4abef1784697d40952bb1998c504caaf3"
  integrity sha512-PRp66vJ865SSqOlgqS8hujT5U4AOgMfhrwYIuIhfKaoSCZcirrmASQr8CX7cUg+RMih+hgznrjp99o+W4pJLHQ==
""",
    "misc": r"""
commit 9fceb02d0ae598e95dc970b74767f19372d61af8
Author: Jane Doe <jane@acme.io>
Date:   Mon Mar 4 10:12:44 2024 +0100

    Rotate token cache; fix auth retry (#482)

diff --git a/app/auth.py b/app/auth.py
index 3b18e51..a4c2f9d 100644
--- a/app/auth.py
+++ b/app/auth.py
@@ -12,7 +12,7 @@ def login(user, password):
-    token = create_token(user)
+    token = create_token(user, ttl=TOKEN_TTL)
public class DbConfig {
    @Value("${spring.datasource.password}")
    private String password;
    private final String apiKey = System.getenv("API_KEY");
    String url = "jdbc:postgresql://db:5432/app?user=app&password=" + password;
}
resource "aws_db_instance" "main" {
  username = "app"
  password = var.db_password
  kms_key_id = aws_kms_key.db.arn
}
resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = random_password.db.result
}
FROM node:20-alpine@sha256:2b6dc4b6ba4c4a1a5ed82a2b0c8bfe9c0e9f4d1a3b2c6e7f8a9b0c1d2e3f4a5b
ARG NPM_TOKEN
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
ENV NODE_ENV=production
To authenticate, set the `OPENAI_API_KEY` environment variable. GitHub tokens look like `ghp_` followed by 36 characters.
Use `Authorization: Bearer <token>` or `Authorization: Bearer $TOKEN` in requests.
The default password for the dev container is documented in README (ask in #infra).
-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmwIDAQAB
-----END PUBLIC KEY-----
2024-03-04T10:12:44Z INFO request_id=6f1c2a9e-5b1d-4c3e-9f8a-7b6c5d4e3f2a user=42 path=/api/orders status=200 latency=12ms
2024-03-04T10:12:45Z WARN auth: token expired for session 0c9a7e2f41b84d6f9a3c5e7b1d2f4a6c, refreshing
.button { color: #ff6347; background: #1e1e1e; border: 1px solid #ccc; }
<input type="password" name="password" placeholder="Enter your password" autocomplete="current-password">
password = generate_password(length=16)
auth: basic
token: refresh
const mysqlUrl = `mysql://${user}:${pass}@${host}:3306/${db}`;
""",
}


@pytest.mark.parametrize("name", sorted(BENIGN))
def test_benign_corpus_has_no_detections(name: str) -> None:
    found = DETECTOR.detect(BENIGN[name])
    assert not found, [
        (d.rule_id, BENIGN[name][: d.start].count("\n") + 1) for d in found
    ]  # rule and line only


def test_benign_corpus_joined_and_repeated_stays_clean() -> None:
    text = "\n".join(BENIGN.values())
    assert DETECTOR.detect(text * 8) == []


HEX = "0123456789abcdef"
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_GH = "ghp_" + rand(36)
_SK = "sk-proj-" + rand(64)
_AKIA = "AKIA" + rand(16, B32)
_AWS_SECRET = rand(40, _ALNUM + "/+")
_SLACK = f"xoxb-{rand(12, string.digits)}-{rand(12, string.digits)}-{rand(24)}"
_PW = "Pw" + rand(14) + "!"
_JWT = "eyJhbGciOiJIUzI1NiJ9.eyJ" + rand(40, _ALNUM + "_-") + "." + rand(43, _ALNUM + "_-")

MIXED = [
    # (text, [(entity, exact secret)]), the secret must be the whole span and nothing else
    (f'export GITHUB_TOKEN="{_GH}"', [("SECRET_GITHUB_TOKEN", _GH)]),
    (f"client = OpenAI(api_key='{_SK}')", [("SECRET_OPENAI_API_KEY", _SK)]),
    (
        f"[default]\naws_access_key_id = {_AKIA}\naws_secret_access_key = {_AWS_SECRET}\nregion = eu-west-1",
        [("SECRET_AWS_ACCESS_KEY", _AKIA), ("SECRET_AWS_SECRET_KEY", _AWS_SECRET)],
    ),
    (f"my bot says invalid_auth with {_SLACK}, why?", [("SECRET_SLACK_TOKEN", _SLACK)]),
    (f'conn = psycopg2.connect(host="db", user="app", password="{_PW}")', [("SECRET_PASSWORD", _PW)]),
    (f'{{"username": "svc", "password": "{_PW}", "port": 5432}}', [("SECRET_PASSWORD", _PW)]),
    (f"database:\n  user: app\n  password: {_PW}\n  port: 5432", [("SECRET_PASSWORD", _PW)]),
    (f"DB_PASSWORD={_PW}\nDB_HOST=localhost", [("SECRET_PASSWORD", _PW)]),
    (f"spring.datasource.password={_PW}", [("SECRET_PASSWORD", _PW)]),
    (f'private static final String DB_PASSWORD = "{_PW}";', [("SECRET_PASSWORD", _PW)]),
    (f'dbPassword := "{_PW}"', [("SECRET_PASSWORD", _PW)]),
    (f"docker run -e POSTGRES_PASSWORD={_PW} postgres:16", [("SECRET_PASSWORD", _PW)]),
    (f"Authorization: Bearer {_JWT}", [("SECRET_JWT", _JWT)]),
    (f'SECRET_KEY = "{_GH[4:]}"', [("SECRET_GENERIC", _GH[4:])]),
    (f"export API_TOKEN={_GH[4:]}", [("SECRET_GENERIC", _GH[4:])]),
    (f"password = '{_GH}'", [("SECRET_GITHUB_TOKEN", _GH)]),  # the provider rule wins over the generic one
]


@pytest.mark.parametrize(("text", "expected"), MIXED, ids=[f"mixed-{i}" for i in range(len(MIXED))])
def test_mixed_spans_are_exactly_the_secret(text: str, expected: list[tuple[str, str]]) -> None:
    assert spans(text) == expected


_URL_PW = rand(18)


@pytest.mark.parametrize(
    "template",
    [
        "DATABASE_URL=postgresql://app:{pw}@db.internal:5432/app",
        "mysql+pymysql://root:{pw}@127.0.0.1:3306/shop?charset=utf8mb4",
        "redis://:{pw}@cache:6379/0",
        "mongodb+srv://svc:{pw}@cluster0.a1b2c.mongodb.net/prod?retryWrites=true",
        "amqp://worker:{pw}@rabbit:5672/%2F",
        "git clone https://oauth2:{pw}@gitlab.acme.io/team/app.git",
        "jdbc:postgresql://db:5432/app?user=app&password={pw}&ssl=true",
        "jdbc:sqlserver://db:1433;databaseName=app;user=sa;password={pw};encrypt=true",
        "Server=tcp:db.acme.io,1433;Initial Catalog=app;User ID=app;Password={pw};Encrypt=True;",
        "Driver={{ODBC Driver 18 for SQL Server}};Server=db;UID=sa;PWD={pw};",
        'engine = create_engine("postgresql+psycopg://app:{pw}@db/app")',
    ],
)
def test_connection_string_password_is_the_only_span(template: str) -> None:
    text = template.format(pw=_URL_PW)
    assert spans(text) == [("SECRET_PASSWORD", _URL_PW)]


def test_odbc_braced_password_span_excludes_braces() -> None:
    pw = "p;" + rand(12)
    text = f"Server=db;Database=app;User Id=sa;Password={{{pw}}};"
    assert spans(text) == [("SECRET_PASSWORD", pw)]


def test_password_with_at_sign_in_url() -> None:
    pw = rand(6) + "@" + rand(8)
    assert spans(f"postgres://app:{pw}@db.acme.io/app") == [("SECRET_PASSWORD", pw)]


@pytest.mark.parametrize(
    "text",
    [
        "postgresql://user:password@localhost/db",
        "postgresql://app:${DB_PASSWORD}@db:5432/app",
        "postgresql://{user}:{password}@{host}/{db}",
        "mysql://root:@localhost/test",
        "redis://redis:6379/0",
        "https://user:<password>@example.com",
        "postgres://postgres:postgres@localhost:5432/postgres",
        "Server=db;Database=app;User Id=sa;Password=<password>;",
        "jdbc:mysql://localhost:3306/test?user=root&password=${MYSQL_PASSWORD}",
    ],
)
def test_connection_string_placeholders_are_ignored(text: str) -> None:
    assert DETECTOR.detect(text) == []


def _pem(kind: str, lines: int = 12) -> str:
    body = "\n".join(rand(64, _ALNUM + "+/") for _ in range(lines))
    return f"-----BEGIN {kind}-----\n{body}\n{rand(20, _ALNUM + '+/')}==\n-----END {kind}-----"


@pytest.mark.parametrize(
    "kind",
    [
        "RSA PRIVATE KEY",
        "EC PRIVATE KEY",
        "PRIVATE KEY",
        "OPENSSH PRIVATE KEY",
        "ENCRYPTED PRIVATE KEY",
        "DSA PRIVATE KEY",
        "PGP PRIVATE KEY BLOCK",
    ],
)
def test_pem_block_is_one_span_from_begin_to_end(kind: str) -> None:
    block = _pem(kind)
    text = f"ssh keeps saying invalid format for this key:\n\n{block}\n\nwhat am I doing wrong?"
    (found,) = DETECTOR.detect(text)
    assert (found.entity_type, text[found.start : found.end]) == ("SECRET_PRIVATE_KEY", block)


def test_pem_escaped_in_json_service_account() -> None:
    block = _pem("PRIVATE KEY", 6).replace("\n", "\\n")
    key_id = rand(40, HEX)
    text = (
        f'{{"type": "service_account", "project_id": "acme-prod", "private_key_id": "{key_id}", '
        f'"private_key": "{block}\\n", "client_email": "ci@acme-prod.iam.gserviceaccount.com"}}'
    )
    assert spans(text) == [("SECRET_GCP_SERVICE_ACCOUNT", key_id), ("SECRET_PRIVATE_KEY", block)]


def test_pem_without_end_line_still_covers_the_pasted_body() -> None:
    block = _pem("RSA PRIVATE KEY", 5)
    truncated = block.rsplit("\n", 2)[0]  # drop the last body line and the END line
    text = f"{truncated}\n\nit was cut off, sorry"
    (found,) = DETECTOR.detect(text)
    assert text[found.start : found.end] == truncated


def test_public_keys_and_certificates_are_not_secrets() -> None:
    text = "\n".join([_pem("PUBLIC KEY"), _pem("CERTIFICATE"), _pem("RSA PUBLIC KEY")])
    assert DETECTOR.detect(text) == []


def test_many_secrets_are_sorted_and_disjoint() -> None:
    parts = [
        f"GITHUB_TOKEN={_GH}",
        f"OPENAI_API_KEY={_SK}",
        f"url = 'postgres://app:{_URL_PW}@db/app'",
        _pem("EC PRIVATE KEY"),
        f"token: {_JWT}",
        f"SLACK={_SLACK}",
        f"password: {_PW}",
        f"AWS_ACCESS_KEY_ID={_AKIA}",
    ]
    text = "\n\nsome prose between the parts\n".join(parts)
    found = DETECTOR.detect(text)
    assert len(found) == len(parts)
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))
    assert all(
        isinstance(d, Detection) and d.family == "secret" and d.entity_type.startswith("SECRET_")
        for d in found
    )


def test_offsets_are_str_offsets_with_non_ascii_text() -> None:
    text = f"Grüße 🚀 naïve café — voilà: GITHUB_TOKEN={_GH} 東京 and MY_PASS={_PW} ✓"
    assert spans(text) == [("SECRET_GITHUB_TOKEN", _GH), ("SECRET_PASSWORD", _PW)]


def test_lone_surrogates_do_not_break_detection() -> None:
    text = f"bad \ud800 char then GITHUB_TOKEN={_GH}"
    assert spans(text) == [("SECRET_GITHUB_TOKEN", _GH)]


def test_placeholders_and_references_are_not_secrets() -> None:
    text = "\n".join(
        [
            'api_key = os.environ["OPENAI_API_KEY"]',
            "token = os.getenv('GITHUB_TOKEN')",
            "const key = process.env.STRIPE_KEY;",
            'String pw = System.getenv("DB_PASSWORD");',
            "password: ${DB_PASSWORD}",
            "token: $TOKEN",
            "secret: {{ vault_secret }}",
            "API_KEY=<token>",
            "API_KEY=your-api-key-here",
            "password = 'xxxxxxxx'",
            "password = '********'",
            "PASSWORD=changeme",
            "password = get_password()",
            "password=self.password",
            "password=args.password",
            "password: str",
            'password = ""',
            'password = "your_password"',
            'password = "<password>"',
            'password = "example"',
            'password = "dummy"',
            'password = "test"',
            'host = "localhost"',
            'bind = "0.0.0.0"',
            "token_regex = r'^[A-Za-z0-9]{32}$'",
            'cursor.execute("SELECT * FROM users WHERE password = %s", (pw,))',
            'db.query("UPDATE t SET token = ? WHERE id = ?")',
            'color = "#ff00aa"',
            "requests==2.32.3",
            '"lodash": "^4.17.21"',
            'AUTH_TOKEN="$(vault read -field=token secret/ci)"',
        ]
    )
    assert DETECTOR.detect(text) == []


def test_large_benign_prompt_then_secret_at_the_end() -> None:
    """Sanity for size handling (no timing here; bench/secrets_speed.py measures speed)."""
    benign = "\n".join(BENIGN.values())
    text = (benign * (256 * 1024 // len(benign) + 1)) + f"\nGITHUB_TOKEN={_GH}\n"
    (found,) = DETECTOR.detect(text)
    assert text[found.start : found.end] == _GH and found.end == len(text) - 1


def test_default_is_loaded_once() -> None:
    assert SecretDetector.default() is SecretDetector.default()
    assert DETECTOR.detect("") == []
