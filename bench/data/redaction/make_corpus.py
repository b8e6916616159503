"""Build bench/data/redaction_corpus.yaml from the prompt templates in this folder.

Why a generator: the prompts are written by hand (templates_*.py), but the values inside them must be random
and format-valid (checksums, lengths, alphabets), which is error-prone to type. Markers in a template say
what goes where and how it is labelled:

    ⟦S:aws_akid⟧          a generated secret         (labelled sensitive, kind secret)
    ⟦P:ssn⟧               a generated PII/PHI value  (labelled sensitive, kind pii)
    ⟦P:person.full#a⟧     attribute of a generated object; `#a` reuses the same object within the prompt
    ⟦P=Dr. Ruiz|PERSON⟧   a literal sensitive value with its type
    ⟦B:sha256⟧            a generated benign look-alike (must survive redaction verbatim)
    ⟦B=localhost:5432|localhost⟧  a literal benign value with its type
    ⟦N:twilio_sid⟧        a generated value left unlabelled (neither counted hidden nor kept)

    .venv/bin/python bench/data/redaction/make_corpus.py   # rewrites bench/data/redaction_corpus.yaml
    .venv/bin/python bench/data/redaction/make_corpus.py --seed 7 --out /tmp/heldout.yaml  # fresh values

A corpus made with another seed has the same prompts with different values: score a detector change on one
(`SPP_REDACTION_CORPUS=/tmp/heldout.yaml`) to check it learned token formats, not this file's values.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from templates_benign import TEMPLATES as BENIGN  # noqa: E402
from templates_mixed import TEMPLATES as MIXED  # noqa: E402
from templates_pii import TEMPLATES as PII  # noqa: E402
from templates_secrets import TEMPLATES as SECRETS  # noqa: E402
from values import Values  # noqa: E402

OUT = HERE.parent / "redaction_corpus.yaml"
SEED = 20240917
MARKER = re.compile(r"⟦([SPBN])([:=])([^⟧]*)⟧")

# generator name -> label type. A name missing here uses its upper-cased name as type.
SECRET_TYPES = {
    "aws_akid": "AWS_ACCESS_KEY",
    "aws_asia": "AWS_ACCESS_KEY",
    "aws_secret": "AWS_SECRET_KEY",
    "aws_session_token": "AWS_SESSION_TOKEN",
    "gcp_api_key": "GCP_API_KEY",
    "gcp_key_id": "GCP_SERVICE_ACCOUNT",
    "gcp_oauth_secret": "GCP_OAUTH_CLIENT_SECRET",
    "gcp_access_token": "GCP_ACCESS_TOKEN",
    "gcp_refresh_token": "GCP_REFRESH_TOKEN",
    "azure_storage_key": "AZURE_STORAGE_KEY",
    "azure_client_secret": "AZURE_CLIENT_SECRET",
    "azure_sas_sig": "AZURE_SAS_TOKEN",
    "azure_devops_pat": "AZURE_DEVOPS_PAT",
    "azure_openai_key": "AZURE_OPENAI_KEY",
    "cloudflare_token": "CLOUDFLARE_API_TOKEN",
    "alibaba_key_id": "ALIBABA_ACCESS_KEY",
    "alibaba_secret": "ALIBABA_SECRET_KEY",
    "github_pat": "GITHUB_TOKEN",
    "github_oauth": "GITHUB_TOKEN",
    "github_app_token": "GITHUB_TOKEN",
    "github_user_token": "GITHUB_TOKEN",
    "github_fine_grained": "GITHUB_TOKEN",
    "github_client_secret": "GITHUB_CLIENT_SECRET",
    "gitlab_pat": "GITLAB_TOKEN",
    "gitlab_runner": "GITLAB_TOKEN",
    "gitlab_deploy": "GITLAB_TOKEN",
    "gitlab_trigger": "GITLAB_TOKEN",
    "bitbucket_app_password": "BITBUCKET_TOKEN",
    "atlassian_token": "ATLASSIAN_TOKEN",
    "circleci_token": "CIRCLECI_TOKEN",
    "sonar_token": "SONAR_TOKEN",
    "snyk_token": "SNYK_TOKEN",
    "openai_project": "OPENAI_API_KEY",
    "openai_legacy": "OPENAI_API_KEY",
    "openai_svcacct": "OPENAI_API_KEY",
    "openai_admin": "OPENAI_ADMIN_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "anthropic_admin": "ANTHROPIC_ADMIN_KEY",
    "hf_token": "HUGGINGFACE_TOKEN",
    "cohere_key": "COHERE_API_KEY",
    "groq_key": "GROQ_API_KEY",
    "replicate_token": "REPLICATE_TOKEN",
    "perplexity_key": "PERPLEXITY_API_KEY",
    "mistral_key": "MISTRAL_API_KEY",
    "openrouter_key": "OPENROUTER_API_KEY",
    "xai_key": "XAI_API_KEY",
    "deepseek_key": "DEEPSEEK_API_KEY",
    "langsmith_key": "LANGSMITH_API_KEY",
    "pinecone_key": "PINECONE_API_KEY",
    "together_key": "TOGETHER_API_KEY",
    "wandb_key": "WANDB_API_KEY",
    "elevenlabs_key": "ELEVENLABS_API_KEY",
    "stripe_live": "STRIPE_SECRET_KEY",
    "stripe_live_short": "STRIPE_SECRET_KEY",
    "stripe_test": "STRIPE_SECRET_KEY",
    "stripe_restricted": "STRIPE_RESTRICTED_KEY",
    "stripe_webhook": "STRIPE_WEBHOOK_SECRET",
    "square_token": "SQUARE_TOKEN",
    "square_oauth_secret": "SQUARE_OAUTH_SECRET",
    "paypal_secret": "PAYPAL_CLIENT_SECRET",
    "paypal_access_token": "PAYPAL_ACCESS_TOKEN",
    "braintree_token": "BRAINTREE_TOKEN",
    "adyen_key": "ADYEN_API_KEY",
    "razorpay_secret": "RAZORPAY_SECRET",
    "plaid_secret": "PLAID_SECRET",
    "mollie_key": "MOLLIE_API_KEY",
    "paystack_key": "PAYSTACK_KEY",
    "slack_bot": "SLACK_TOKEN",
    "slack_user": "SLACK_TOKEN",
    "slack_app": "SLACK_TOKEN",
    "slack_webhook": "SLACK_WEBHOOK",
    "twilio_auth": "TWILIO_AUTH_TOKEN",
    "twilio_api_key": "TWILIO_API_KEY",
    "sendgrid": "SENDGRID_API_KEY",
    "mailgun": "MAILGUN_API_KEY",
    "mailgun_new": "MAILGUN_API_KEY",
    "mailchimp": "MAILCHIMP_API_KEY",
    "telegram": "TELEGRAM_BOT_TOKEN",
    "discord_bot": "DISCORD_BOT_TOKEN",
    "discord_webhook": "DISCORD_WEBHOOK",
    "teams_webhook": "TEAMS_WEBHOOK",
    "postmark": "POSTMARK_TOKEN",
    "resend": "RESEND_API_KEY",
    "npm_token": "NPM_TOKEN",
    "pypi_token": "PYPI_TOKEN",
    "rubygems": "RUBYGEMS_KEY",
    "nuget": "NUGET_KEY",
    "docker_pat": "DOCKER_TOKEN",
    "crates_token": "CRATES_TOKEN",
    "digitalocean": "DIGITALOCEAN_TOKEN",
    "databricks": "DATABRICKS_TOKEN",
    "vault_token": "VAULT_TOKEN",
    "vault_legacy": "VAULT_TOKEN",
    "heroku_key": "HEROKU_API_KEY",
    "heroku_uuid": "HEROKU_API_KEY",
    "shopify_token": "SHOPIFY_TOKEN",
    "shopify_secret": "SHOPIFY_TOKEN",
    "datadog_api": "DATADOG_API_KEY",
    "datadog_app": "DATADOG_APP_KEY",
    "newrelic_user": "NEWRELIC_KEY",
    "newrelic_license": "NEWRELIC_KEY",
    "sentry_token": "SENTRY_TOKEN",
    "grafana_sa": "GRAFANA_TOKEN",
    "terraform_token": "TERRAFORM_TOKEN",
    "pulumi_token": "PULUMI_TOKEN",
    "doppler_token": "DOPPLER_TOKEN",
    "supabase_token": "SUPABASE_TOKEN",
    "vercel_token": "VERCEL_TOKEN",
    "netlify_token": "NETLIFY_TOKEN",
    "ngrok_token": "NGROK_TOKEN",
    "linear_key": "LINEAR_API_KEY",
    "notion_token": "NOTION_TOKEN",
    "airtable_pat": "AIRTABLE_TOKEN",
    "figma_token": "FIGMA_TOKEN",
    "postman_key": "POSTMAN_API_KEY",
    "okta_token": "OKTA_TOKEN",
    "cloudinary_secret": "CLOUDINARY_SECRET",
    "confluent_secret": "CONFLUENT_SECRET",
    "mapbox_secret": "MAPBOX_TOKEN",
    "hubspot_token": "HUBSPOT_TOKEN",
    "age_key": "AGE_KEY",
    "tailscale_key": "TAILSCALE_KEY",
    "onepassword_sa": "1PASSWORD_TOKEN",
    "launchdarkly": "LAUNCHDARKLY_KEY",
    "sentry_auth_legacy": "SENTRY_TOKEN",
    "jwt": "JWT",
    "pem_rsa": "PRIVATE_KEY",
    "pem_pkcs8": "PRIVATE_KEY",
    "pem_ec": "PRIVATE_KEY",
    "pem_openssh": "PRIVATE_KEY",
    "pem_pkcs8_json": "PRIVATE_KEY",
    "password": "PASSWORD",
    "db_password": "PASSWORD",
    "django_secret": "APP_SECRET_KEY",
    "hex_secret": "APP_SECRET_KEY",
    "rails_secret": "APP_SECRET_KEY",
    "b64_secret": "APP_SECRET_KEY",
    "api_key32": "GENERIC_API_KEY",
    "basic_auth": "BASIC_AUTH",
    "k8s_b64_password": "PASSWORD",
}
PII_TYPES = {
    "person.full": "PERSON",
    "person.first": "PERSON",
    "person.last": "PERSON",
    "person.email": "EMAIL_ADDRESS",
    "person.handle": "USERNAME",
    "email": "EMAIL_ADDRESS",
    "phone_us": "PHONE_NUMBER",
    "phone_intl": "PHONE_NUMBER",
    "ssn": "US_SSN",
    "ssn_plain": "US_SSN",
    "credit_card": "CREDIT_CARD",
    "iban": "IBAN_CODE",
    "public_ip": "IP_ADDRESS",
    "public_ipv6": "IP_ADDRESS",
    "street_address": "STREET_ADDRESS",
    "street_line": "STREET_ADDRESS",
    "dob": "DATE_OF_BIRTH",
    "dob_iso": "DATE_OF_BIRTH",
    "dob_us": "DATE_OF_BIRTH",
    "dob_hl7": "DATE_OF_BIRTH",
    "mrn": "MEDICAL_RECORD_NUMBER",
    "npi": "US_NPI",
    "mbi": "US_MBI",
    "member_id": "HEALTH_PLAN_ID",
    "dea": "DEA_NUMBER",
    "passport": "US_PASSPORT",
}


def _generate(values: Values, spec: str, cache: dict[str, Any]) -> str:
    name, _, key = spec.partition("#")
    base, _, attr = name.partition(".")
    cache_key = f"{base}#{key}" if key else None
    if cache_key and cache_key in cache:
        obj = cache[cache_key]
    else:
        obj = getattr(values, base)()
        if cache_key:
            cache[cache_key] = obj
    return str(getattr(obj, attr) if attr else obj)


def render(values: Values, text: str) -> tuple[str, list[dict[str, str]], list[dict[str, str]]]:
    cache: dict[str, Any] = {}
    sensitive: list[dict[str, str]] = []
    benign: list[dict[str, str]] = []

    def sub(m: re.Match[str]) -> str:
        kind, op, body = m.groups()
        if op == "=":
            value, _, typ = body.rpartition("|") if "|" in body else (body, "", "")
            typ = typ or "literal"
        else:
            value = _generate(values, body, cache)
            name = body.partition("#")[0]
            typ = (
                SECRET_TYPES.get(name) if kind == "S" else PII_TYPES.get(name) if kind == "P" else name
            ) or ""
            if not typ:
                raise ValueError(f"no label type for {body!r}")
        if kind in "SP":
            entry = {"value": value, "kind": "secret" if kind == "S" else "pii", "type": typ}
            if entry not in sensitive:
                sensitive.append(entry)
        elif kind == "B":
            entry = {"value": value, "type": typ}
            if entry not in benign:
                benign.append(entry)
        return value

    out = MARKER.sub(sub, text)
    return out, sensitive, benign


def _check(pid: str, text: str, sensitive: list[dict[str, str]], benign: list[dict[str, str]]) -> None:
    """Labels must be checkable: every value in the text, no benign value inside a sensitive one or around
    it."""
    if "⟦" in text or "⟧" in text:
        raise ValueError(f"{pid}: unbalanced marker")
    for e in sensitive + benign:
        if e["value"] not in text:
            raise ValueError(f"{pid}: labelled value not in text")
    for b in benign:
        for s in sensitive:
            if b["value"] in s["value"] or s["value"] in b["value"]:
                raise ValueError(f"{pid}: benign {b['type']} overlaps sensitive {s['type']}")


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


class _Label(dict):  # type: ignore[type-arg]
    """A label entry, written on one line: {value: ..., kind: ..., type: ...}."""


def _label(dumper: yaml.SafeDumper, data: _Label) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(_Label, _label)


Check = Callable[[str, str, list[dict[str, str]]], None]


def labelled_prompt(values: Any, pid: str, category: str, template: str, *checks: Check) -> dict[str, Any]:
    """Render one template into a labelled prompt; `checks(pid, text, sensitive)` add a set's own rules."""
    body = "\n".join(line.rstrip() for line in template.strip("\n").split("\n"))
    text, sensitive, benign = render(values, body)
    _check(pid, text, sensitive, benign)
    for check in checks:
        check(pid, text, sensitive)
    return {
        "id": pid,
        "category": category,
        "text": text,
        "sensitive": [_Label(e) for e in sensitive],
        "benign": [_Label(e) for e in benign],
    }


def check_whole_tokens(pid: str, text: str, sensitive: list[dict[str, str]]) -> None:
    """A sensitive value glued to letters or digits can never disappear from the text: unfair label."""
    for e in sensitive:
        v = e["value"]
        for m in re.finditer(re.escape(v), text):
            before = text[m.start() - 1] if m.start() else ""
            after = text[m.end()] if m.end() < len(text) else ""
            if (before.isalnum() and v[0].isalnum()) or (after.isalnum() and v[-1].isalnum()):
                raise ValueError(f"{pid}: {e['type']} value occurs inside a longer word")


def build(seed: int = SEED) -> dict[str, Any]:
    values = Values(seed)
    prompts = []
    seen: set[str] = set()
    for group in (SECRETS, PII, BENIGN, MIXED):
        for pid, category, template in group:
            if pid in seen:
                raise ValueError(f"duplicate prompt id {pid}")
            seen.add(pid)
            prompts.append(labelled_prompt(values, pid, category, template))
    return {
        "version": 1,
        "about": "Labelled coding prompts for the redaction benchmark. All values are random fakes "
        "(format-valid, never real credentials or people). Generated by "
        f"bench/data/redaction/make_corpus.py (seed {seed}); edit the templates, not this file.",
        "prompts": prompts,
    }


def cli(description: str, build_fn: Callable[[int], dict[str, Any]], seed: int, out: Path) -> None:
    """The command line shared by every corpus generator: --seed/--out, YAML round-trip check, counts."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--seed", type=int, default=seed)
    ap.add_argument("--out", type=Path, default=out)
    args = ap.parse_args()
    corpus = build_fn(args.seed)
    text = yaml.dump(corpus, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)
    if yaml.safe_load(text) != corpus:
        raise SystemExit("YAML round trip changed the corpus")
    args.out.write_text(text, encoding="utf-8")
    prompts = corpus["prompts"]
    n_sec = sum(1 for p in prompts for s in p["sensitive"] if s["kind"] == "secret")
    n_pii = sum(1 for p in prompts for s in p["sensitive"] if s["kind"] == "pii")
    n_ben = sum(len(p["benign"]) for p in prompts)
    print(f"{len(prompts)} prompts, {n_sec} secrets, {n_pii} PII/PHI, {n_ben} benign -> {args.out}")


def main() -> None:
    cli("Write the labelled redaction corpus.", build, SEED, OUT)


if __name__ == "__main__":
    main()
