"""Product targets for redaction on the labelled corpus (bench/data/redaction_corpus.yaml): with default
settings the engine must hide >= 99% of secrets and >= 95% of PII/PHI, and keep >= 98% of the benign
look-alikes verbatim. No timing asserts: bench/redaction.py measures speed and compares with the anchors.

Failure messages name prompt ids and types only, never the (fake) values; run bench/redaction.py to see them.
`SPP_REDACTION_CORPUS=/tmp/x.yaml` runs the same checks on a corpus made with another seed
(`bench/data/redaction/make_corpus.py --seed N --out /tmp/x.yaml`): same prompts, fresh values.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import phonenumbers
import pytest

from bench.data.redaction.scoring import Prompt, Score, load_corpus, score
from proxy.redaction.config import RedactionSettings
from proxy.redaction.vault import Vault
from proxy.stages.redact import redactor_for

TARGET_SECRETS = 0.99
TARGET_PII = 0.95
TARGET_BENIGN = 0.98

CORPUS: list[Prompt] = load_corpus()


@pytest.fixture(scope="module")
def result() -> Iterator[Score]:
    redactor = redactor_for(RedactionSettings())
    yield score(CORPUS, [redactor.redact(p.text, Vault())[0] for p in CORPUS])


def _gap(sc: Score, kinds: set[str]) -> str:
    missed = Counter(lab.type for _, lab in sc.misses if lab.kind in kinds)
    return ", ".join(f"{t} x{n}" for t, n in missed.most_common())


# ------------------------------------------------------------------------------------------ corpus shape


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _iban_ok(iban: str) -> bool:
    s = iban.replace(" ", "")
    s = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in s)) % 97 == 1


def _dea_ok(dea: str) -> bool:
    d = [int(c) for c in dea[2:]]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


def test_corpus_shape() -> None:
    """>= 200 prompts, >= 300 sensitive and >= 300 benign strings, every label present in its prompt, no
    benign label inside a sensitive one, ids unique, and every family of the brief represented."""
    assert len(CORPUS) >= 200
    assert len({p.id for p in CORPUS}) == len(CORPUS)
    sensitive = [lab for p in CORPUS for lab in p.sensitive]
    benign = [lab for p in CORPUS for lab in p.benign]
    assert len(sensitive) >= 300 and len(benign) >= 300
    for p in CORPUS:
        for lab in (*p.sensitive, *p.benign):
            assert lab.value in p.text, p.id
        for b in p.benign:
            assert not any(b.value in s.value or s.value in b.value for s in p.sensitive), p.id
    types = {lab.type for lab in sensitive}
    for required in (
        "AWS_ACCESS_KEY",
        "GCP_API_KEY",
        "AZURE_STORAGE_KEY",
        "GITHUB_TOKEN",
        "GITLAB_TOKEN",
        "BITBUCKET_TOKEN",
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
        "HUGGINGFACE_TOKEN",
        "COHERE_API_KEY",
        "STRIPE_SECRET_KEY",
        "SQUARE_TOKEN",
        "PAYPAL_CLIENT_SECRET",
        "SLACK_TOKEN",
        "TWILIO_AUTH_TOKEN",
        "SENDGRID_API_KEY",
        "MAILGUN_API_KEY",
        "TELEGRAM_BOT_TOKEN",
        "DISCORD_BOT_TOKEN",
        "NPM_TOKEN",
        "PYPI_TOKEN",
        "RUBYGEMS_KEY",
        "NUGET_KEY",
        "DIGITALOCEAN_TOKEN",
        "DATABRICKS_TOKEN",
        "VAULT_TOKEN",
        "HEROKU_API_KEY",
        "SHOPIFY_TOKEN",
        "DATADOG_API_KEY",
        "PRIVATE_KEY",
        "JWT",
        "PASSWORD",
        "PERSON",
        "EMAIL_ADDRESS",
        "PHONE_NUMBER",
        "US_SSN",
        "CREDIT_CARD",
        "IBAN_CODE",
        "IP_ADDRESS",
        "STREET_ADDRESS",
        "DATE_OF_BIRTH",
        "MEDICAL_RECORD_NUMBER",
        "US_NPI",
        "US_MBI",
        "HEALTH_PLAN_ID",
        "DEA_NUMBER",
    ):
        assert required in types, required


def test_corpus_values_are_format_valid() -> None:
    """Fake but valid: cards pass Luhn, IBANs mod-97, NPIs Luhn with the 80840 prefix, DEA numbers their
    checksum, MBIs the CMS position alphabet, phone numbers libphonenumber's validity, AWS key ids the
    AKIA/ASIA + base32 shape."""
    mbi = re.compile(
        r"[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d"
        r"[AC-HJKMNP-RT-Y]{2}\d{2}"
    )
    for p in CORPUS:
        for lab in p.sensitive:
            v = lab.value
            if lab.type == "CREDIT_CARD":
                assert _luhn_ok(re.sub(r"\D", "", v)), p.id
            elif lab.type == "IBAN_CODE":
                assert _iban_ok(v), p.id
            elif lab.type == "US_NPI":
                assert _luhn_ok("80840" + v), p.id
            elif lab.type == "DEA_NUMBER":
                assert _dea_ok(v), p.id
            elif lab.type == "US_MBI":
                assert mbi.fullmatch(v.replace("-", "")), p.id
            elif lab.type == "PHONE_NUMBER":
                assert phonenumbers.is_valid_number(phonenumbers.parse(v, "US")), p.id
            elif lab.type == "AWS_ACCESS_KEY":
                assert re.fullmatch(r"(AKIA|ASIA)[A-Z2-7]{16}", v), p.id


# ------------------------------------------------------------------------------------------ product targets


def test_secrets_hidden(result: Score) -> None:
    assert result.secret_rate >= TARGET_SECRETS, (
        f"secrets hidden {result.secret_hidden}/{result.secret_total}; missed: {_gap(result, {'secret'})}"
    )


def test_pii_hidden(result: Score) -> None:
    assert result.pii_rate >= TARGET_PII, (
        f"PII/PHI hidden {result.pii_hidden}/{result.pii_total}; missed: {_gap(result, {'pii'})}"
    )


def test_benign_kept(result: Score) -> None:
    broken = Counter(f"{lab.type} ({pid})" for pid, lab in result.broken)
    assert result.benign_rate >= TARGET_BENIGN, (
        f"benign kept {result.benign_kept}/{result.benign_total}; altered: {', '.join(broken)}"
    )
