"""The infrastructure rule packs (bash, dockerfile, kubernetes, terraform) checked as the engine runs them.

Each rule must fire on every `examples.bad` snippet and stay quiet on every `examples.good` one, evaluated
exactly as docs/dev/RULE_SCHEMA.md describes (keywords prefilter, ast-grep or regex, `unless`). Ordinary files
of each kind (a compose file, a CI workflow, a plain script...) must not trigger any rule.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from proxy.rules.engine import RuleEngine
from proxy.rules.languages import AST_GREP_LANGUAGES  # noqa: E402
from proxy.rules.loader import OWASP_2021, SEVERITIES  # noqa: E402

PACKS = Path(__file__).resolve().parents[2] / "proxy" / "rules" / "packs"
# pack folder -> (rule id prefix, the only language its rules may list, minimum rule count)
PACK_SPECS: dict[str, tuple[str, str, int]] = {
    "bash": ("bash.", "bash", 12),
    "dockerfile": ("dockerfile.", "dockerfile", 10),
    "kubernetes": ("kubernetes.", "yaml", 10),
    "terraform": ("terraform.", "hcl", 10),
}
ALLOWED_KEYS = {
    "id",
    "languages",
    "severity",
    "cwe",
    "owasp",
    "message",
    "fix",
    "keywords",
    "ast_grep",
    "regex",
    "unless",
    "examples",
}
REQUIRED_KEYS = {"id", "languages", "severity", "cwe", "owasp", "message", "fix", "examples"}


def _load() -> list[tuple[str, Path, dict[str, Any]]]:
    out: list[tuple[str, Path, dict[str, Any]]] = []
    for pack in PACK_SPECS:
        for path in sorted(p for p in (PACKS / pack).glob("*.yaml") if not p.name.startswith("_")):
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
            assert isinstance(doc, dict) and isinstance(doc.get("rules"), list), (
                f"{path}: needs a `rules:` list"
            )
            out.extend((pack, path, rule) for rule in doc["rules"])
    return out


RULES = _load()


ENGINE = RuleEngine.default()


def evaluate(rule: dict[str, Any], code: str) -> list[int]:
    """Lines the rule reports in one code block, through the engine as it runs in the proxy."""
    compiled = ENGINE.by_id[rule["id"]]
    return [line for lang in compiled.languages for line in ENGINE.scan_rule(compiled, code, lang)]


def _rid(item: tuple[str, Path, dict[str, Any]]) -> str:
    return str(item[2].get("id", item[1].name))


@pytest.mark.parametrize("pack", sorted(PACK_SPECS))
def test_pack_has_enough_rules(pack: str) -> None:
    count = sum(1 for p, _, _ in RULES if p == pack)
    assert count >= PACK_SPECS[pack][2], f"{pack}: {count} rules"


def test_rule_ids_unique() -> None:
    ids = [r["id"] for _, _, r in RULES]
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes


@pytest.mark.parametrize("item", RULES, ids=_rid)
def test_rule_schema(item: tuple[str, Path, dict[str, Any]]) -> None:
    pack, path, rule = item
    prefix, lang, _ = PACK_SPECS[pack]
    assert set(rule) >= REQUIRED_KEYS, f"missing {REQUIRED_KEYS - set(rule)}"
    assert set(rule) <= ALLOWED_KEYS, f"unknown keys {set(rule) - ALLOWED_KEYS}"
    assert re.fullmatch(r"[a-z0-9]+(\.[a-z0-9-]+){2,}", rule["id"]), rule["id"]
    assert rule["id"].startswith(prefix)
    assert rule["languages"] == [lang]
    assert rule["severity"] in SEVERITIES
    assert re.fullmatch(r"CWE-\d+", rule["cwe"])
    assert rule["owasp"] in OWASP_2021
    for key in ("message", "fix"):
        assert isinstance(rule[key], str) and len(rule[key].strip()) >= 15
    assert ("ast_grep" in rule) != ("regex" in rule), "exactly one of ast_grep / regex"
    if "ast_grep" in rule:
        assert lang in AST_GREP_LANGUAGES and isinstance(rule["ast_grep"], dict) and "rule" in rule["ast_grep"]
    else:
        re.compile(rule["regex"], re.MULTILINE)
    if "unless" in rule:
        re.compile(rule["unless"], re.MULTILINE)
    if "keywords" in rule:
        kws = rule["keywords"]
        groups = kws if kws and all(isinstance(g, list) for g in kws) else [kws]
        assert kws and all(g and all(isinstance(k, str) and k for k in g) for g in groups)
    ex = rule["examples"]
    assert set(ex) == {"bad", "good"}
    assert ex["bad"] and ex["good"], "needs at least one bad and one good snippet"
    assert all(isinstance(s, str) and s.strip() for s in ex["bad"] + ex["good"])


@pytest.mark.parametrize("item", RULES, ids=_rid)
def test_rule_fires_on_bad(item: tuple[str, Path, dict[str, Any]]) -> None:
    rule = item[2]
    for i, snippet in enumerate(rule["examples"]["bad"]):
        assert evaluate(rule, snippet), f"{rule['id']}: quiet on bad example #{i}"


@pytest.mark.parametrize("item", RULES, ids=_rid)
def test_rule_quiet_on_good(item: tuple[str, Path, dict[str, Any]]) -> None:
    rule = item[2]
    for i, snippet in enumerate(rule["examples"]["good"]):
        assert not evaluate(rule, snippet), f"{rule['id']}: fires on good example #{i}"


# Ordinary files of each kind that no rule of the pack may flag.
BENIGN: dict[str, list[str]] = {
    "bash": [
        """#!/usr/bin/env bash
set -euo pipefail
tmp="$(mktemp -d)"
trap 'rm -rf -- "$tmp"' EXIT
curl -fsSL --proto '=https' --tlsv1.2 -o "$tmp/tool.tar.gz" "https://example.com/tool-${VERSION}.tar.gz"
echo "${TOOL_SHA256}  $tmp/tool.tar.gz" | sha256sum -c -
tar -xzf "$tmp/tool.tar.gz" -C "$tmp"
install -m 0755 "$tmp/tool" /usr/local/bin/tool
chmod 0640 /etc/app/config.yml
for f in "$@"; do
  printf '%s\\n' "$f" | grep -q '^-' && continue
  wc -l -- "$f"
done
eval "$(ssh-agent -s)"
export PATH="$HOME/.local/bin:$PATH"
export API_TOKEN="${API_TOKEN:?API_TOKEN must be set}"
""",
        """git clone https://github.com/example/project.git
cd project && python -m venv .venv && . .venv/bin/activate
pip install -r requirements.txt
npm ci && npm run build
docker run --rm -p 8080:8080 -v "$PWD/data:/data:ro" example/app:1.4.2
ssh -o StrictHostKeyChecking=yes deploy@app.example.com 'systemctl restart app'
mysql -u app -p appdb < schema.sql
""",
        """curl -fsSL https://get.docker.com -o get-docker.sh
sudo sh get-docker.sh
export SECRET_KEY="$(python -c 'import secrets; print(secrets.token_hex(32))')"
export DATABASE_URL="postgresql://app@localhost:5432/app"
rm -rf build/ dist/ "$HOME/.cache/pip"
chmod +x scripts/*.sh && chmod 600 ~/.ssh/id_ed25519 && chmod 755 /usr/local/bin/tool
npm config set registry https://registry.npmjs.org/
iptables -A INPUT -p tcp --dport 22 -j ACCEPT
""",
    ],
    "dockerfile": [
        """# syntax=docker/dockerfile:1.7
FROM python:3.12.4-slim-bookworm AS build
WORKDIR /src
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip install --require-hashes -r requirements.txt
COPY src/ ./src/

FROM gcr.io/distroless/python3-debian12:nonroot
COPY --from=build /src /app
WORKDIR /app
EXPOSE 8080
USER nonroot
ENTRYPOINT ["python", "-m", "app"]
""",
        """FROM node:20.15.1-alpine
RUN apk add --no-cache tini && addgroup -S app && adduser -S app -G app
WORKDIR /home/app
COPY --chown=app:app package*.json ./
RUN npm ci --omit=dev
COPY --chown=app:app . .
ENV NODE_ENV=production PORT=3000
USER app
EXPOSE 3000
CMD ["tini", "--", "node", "server.js"]
""",
        """FROM node:18.20.4-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
FROM node:18.20.4-alpine AS runner
ENV NODE_ENV production
ARG NEXT_PUBLIC_API_URL
COPY --from=deps /app/node_modules ./node_modules
HEALTHCHECK CMD curl -f http://localhost:3000/health || exit 1
USER node
CMD ["node", "server.js"]
""",
    ],
    "kubernetes": [
        # Plain YAML that is not a Kubernetes manifest: compose, CI workflow, app config, OpenAPI.
        """services:
  web:
    image: nginx:latest
    privileged: true
    ports: ["80:80"]
    environment:
      - DB_PASSWORD=example
""",
        """name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    container:
      image: python:latest
    env:
      TOKEN: ${{ secrets.TOKEN }}
    steps:
      - uses: actions/checkout@v4
      - run: pytest
""",
        """server:
  host: 0.0.0.0
  port: 8080
  debug: false
database:
  url: postgresql://db/app
  pool: {size: 5, readOnly: false}
features:
  - name: beta
    value: true
""",
        """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      automountServiceAccountToken: false
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: web
          image: registry.example.com/web:2.1.0@sha256:4f6b1f8e0a4c2d3e5f60718293a4b5c6d7e8f901122334455
          env:
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: db, key: password}}
            - name: LOG_LEVEL
              value: info
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: ["ALL"]}
""",
        # Helm values for a chart: Kubernetes keys, safe settings.
        """image:
  repository: ghcr.io/example/app
  tag: "1.2.3"
podSecurityContext:
  fsGroup: 2000
securityContext:
  capabilities:
    drop:
    - ALL
  readOnlyRootFilesystem: true
  runAsNonRoot: true
  runAsUser: 1000
service: {type: ClusterIP, port: 80}
""",
    ],
    "terraform": [
        """terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}
provider "aws" { region = var.region }

resource "aws_s3_bucket" "logs" { bucket = "example-logs" }
resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_db_instance" "db" {
  engine                      = "postgres"
  instance_class              = "db.t4g.micro"
  username                    = "app"
  manage_master_user_password = true
  storage_encrypted           = true
  publicly_accessible         = false
}
variable "db_password" {
  type      = string
  sensitive = true
}
""",
        """resource "aws_instance" "web" {
  ami           = data.aws_ami.ubuntu.id
  instance_type = "t3.micro"
  key_name      = "deployer-key"
  root_block_device { encrypted = true }
  metadata_options { http_tokens = "required" }
}
resource "aws_api_gateway_rest_api" "api" {
  name           = "api"
  api_key_source = "HEADER"
}
resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = jsonencode({ password = random_password.db.result })
}
resource "aws_key_pair" "deployer" {
  key_name   = "deployer-key"
  public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
}
resource "aws_s3_bucket_policy" "tls" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["${aws_s3_bucket.b.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}
""",
    ],
}


@pytest.mark.parametrize("pack", sorted(BENIGN))
def test_pack_quiet_on_ordinary_files(pack: str) -> None:
    for i, code in enumerate(BENIGN[pack]):
        hits = {r["id"]: evaluate(r, code) for p, _, r in RULES if p == pack}
        assert not {k: v for k, v in hits.items() if v}, f"{pack} benign #{i}"


def test_rules_are_fast_on_large_input() -> None:
    """A 60 KB block of every pack's examples and near-misses stays well within budget (no backtracking)."""
    for pack in PACK_SPECS:
        rules = [r for p, _, r in RULES if p == pack]
        parts = BENIGN.get(pack, []) + [
            s for r in rules for s in r["examples"]["good"] + r["examples"]["bad"]
        ]
        blob = "\n".join(parts)
        blob = (blob * (60_000 // max(len(blob), 1) + 1))[:60_000]
        for rule in rules:
            start = time.perf_counter()
            evaluate(rule, blob)
            assert time.perf_counter() - start < 0.5, f"{rule['id']} is slow on a 60 KB block"
