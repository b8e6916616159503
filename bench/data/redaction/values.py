"""Fake but format-valid values for the redaction corpus: token formats, checksummed PII, benign look-alikes.

Every value is random (seeded, so the corpus is reproducible) and never a real credential. Formats follow the
vendors' published token shapes (prefixes, lengths, alphabets) and the public checksum rules (Luhn, IBAN
mod-97, NPI, DEA, GitHub's CRC32 suffix, Medicare MBI positions), so a detector that validates the shape
sees a value it must treat as real.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
import unicodedata
import zlib
from dataclasses import dataclass

UPPER = string.ascii_uppercase
LOWER = string.ascii_lowercase
DIGITS = string.digits
ALNUM = UPPER + LOWER + DIGITS
B62 = DIGITS + UPPER + LOWER
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
B32UP = UPPER + "234567"
B32LOW = LOWER + "234567"

# A value that happens to contain one of these would read as a placeholder to a human too; redraw it.
_LOOKS_FAKE = (
    "example",
    "xxxx",
    "fake",
    "dummy",
    "sample",
    "lorem",
    "redact",
    "placeholder",
    "test",
    "0123456789",
    "123456789",
    "abcdefghij",
    "secret",
    "token",
    "password",
    "changeme",
)


@dataclass
class Person:
    first: str
    last: str
    domain: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def email(self) -> str:
        local = f"{self.first}.{self.last}".lower().replace(" ", "").replace("'", "")
        return _ascii(local) + "@" + self.domain

    @property
    def handle(self) -> str:
        return _ascii((self.first[0] + self.last).lower().replace(" ", "").replace("'", ""))


def _ascii(s: str) -> str:
    """Mailbox names are ASCII in practice: Wiśniewski -> wisniewski, Sørensen -> sorensen."""
    s = s.replace("ø", "o").replace("ł", "l").replace("Ø", "O").replace("Ł", "L")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


FIRST_LAST = [
    ("Priya", "Raghunathan"),
    ("Daniel", "Okafor"),
    ("Ingrid", "Halvorsen"),
    ("Marisol", "Quintero"),
    ("Tomasz", "Wiśniewski"),
    ("Mei-Ling", "Chou"),
    ("Oluwaseun", "Adeyemi"),
    ("Rafael", "Albuquerque"),
    ("Siobhan", "Gallagher"),
    ("Kenji", "Watanabe"),
    ("Fatima", "Al-Sayed"),
    ("Lukas", "Brandstetter"),
    ("Anaïs", "Dubreuil"),
    ("Dmitri", "Volkov"),
    ("Chiara", "Lombardi"),
    ("Hamza", "Qureshi"),
    ("Thandiwe", "Nkosi"),
    ("Bartholomew", "Finch"),
    ("Yuki", "Tanabe"),
    ("Rosalind", "Achterberg"),
    ("Emeka", "Nwosu"),
    ("Greta", "Lindqvist"),
    ("Mateo", "Ferreyra"),
    ("Aisling", "Brennan"),
    ("Vikram", "Sethuraman"),
    ("Leilani", "Kahananui"),
    ("Bogdan", "Petrescu"),
    ("Nadia", "Haddad"),
    ("Callum", "McAllister"),
    ("Soo-ah", "Jeong"),
    ("Ezra", "Feldstein"),
    ("Marguerite", "Thibodeaux"),
    ("Kwame", "Asante"),
    ("Ines", "Carvalho"),
    ("Henrik", "Sørensen"),
    ("Lucía", "Montalvo"),
    ("Arjun", "Mehta-Kapoor"),
    ("Delphine", "Rousseau"),
    ("Tobias", "Engelhardt"),
    ("Zainab", "Bello"),
    ("Wendell", "Pruitt"),
    ("Noor", "Hashemi"),
    ("Gustavo", "Pimentel"),
    ("Eleanor", "Whitcombe"),
    ("Jun", "Takahashi"),
    ("Bridget", "O'Donnell"),
    ("Stellan", "Björk"),
    ("Camila", "Restrepo"),
    ("Ravi", "Chandrasekaran"),
    ("Hollis", "Vandermeer"),
    ("Amara", "Eze"),
    ("Piotr", "Zieliński"),
    ("Colette", "Marchand"),
    ("Desmond", "Achebe"),
    ("Ottilie", "Krause"),
    ("Farhan", "Siddiqui"),
    ("Maren", "Solberg"),
    ("Ignacio", "Bustamante"),
    ("Harriet", "Pemberton"),
    ("Tariq", "Mansour"),
]
DOMAINS = [
    "northwind-health.org",
    "acmelogistics.io",
    "brightpath.co.uk",
    "kestrelbank.com",
    "gmail.com",
    "orbitalfreight.de",
    "meridianclinic.org",
    "tidewater-labs.com",
    "outlook.com",
    "pinecrest.edu",
    "harborview-dental.com",
    "lumenpay.io",
    "yahoo.com",
    "quillsoft.dev",
    "riversidehospital.net",
]
STREETS = [
    "Elm Street",
    "Larkspur Lane",
    "Maple Avenue",
    "Harbor Drive",
    "Cedar Court",
    "Willow Brook Road",
    "Juniper Way",
    "Pennington Blvd",
    "Sycamore St",
    "Old Mill Road",
    "Bayview Terrace",
    "Aspen Ridge Dr",
    "Chestnut Hill Ave",
    "Foxglove Circle",
    "Kingfisher Pl",
]
CITIES = [
    ("Springfield", "IL", "627"),
    ("Portland", "OR", "972"),
    ("Austin", "TX", "787"),
    ("Columbus", "OH", "432"),
    ("Tucson", "AZ", "857"),
    ("Raleigh", "NC", "276"),
    ("Madison", "WI", "537"),
    ("Boise", "ID", "837"),
    ("Albany", "NY", "122"),
    ("Savannah", "GA", "314"),
]
WORDS = [
    "falcon",
    "harbor",
    "quartz",
    "meadow",
    "copper",
    "violet",
    "ember",
    "summit",
    "lantern",
    "cobalt",
    "juniper",
    "orchid",
    "granite",
    "tundra",
    "saffron",
    "willow",
    "beacon",
    "marble",
    "thistle",
    "raven",
]


class Values:
    """One seeded source of every kind of value. `make(name)` returns (value, type)."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self._people = list(FIRST_LAST)
        self.r.shuffle(self._people)
        self._person_i = 0

    # ---------------------------------------------------------------- primitives
    def s(self, alphabet: str, n: int) -> str:
        while True:
            v = "".join(self.r.choice(alphabet) for _ in range(n))
            if not any(m in v.lower() for m in _LOOKS_FAKE):
                return v

    def digits(self, n: int, first: str = "123456789") -> str:
        return self.r.choice(first) + "".join(self.r.choice(DIGITS) for _ in range(n - 1))

    def b64_of(self, raw: bytes, url: bool = False, pad: bool = True) -> str:
        out = (base64.urlsafe_b64encode if url else base64.b64encode)(raw).decode()
        return out if pad else out.rstrip("=")

    # ---------------------------------------------------------------- secrets: cloud
    def aws_akid(self) -> str:
        return "AKIA" + self.s(B32UP, 16)

    def aws_asia(self) -> str:
        return "ASIA" + self.s(B32UP, 16)

    def aws_secret(self) -> str:
        return self.s(B64, 40)

    def aws_session_token(self) -> str:
        return "IQoJb3JpZ2luX2VjE" + self.s(B64, 340) + "=="

    def gcp_api_key(self) -> str:
        return "AIza" + self.s(B64URL, 35)

    def gcp_key_id(self) -> str:
        return self.s(HEX, 40)

    def gcp_oauth_secret(self) -> str:
        return "GOCSPX-" + self.s(B64URL, 28)

    def gcp_access_token(self) -> str:
        return "ya29.a0AfB_by" + self.s(B64URL, 160)

    def gcp_refresh_token(self) -> str:
        return "1//0g" + self.s(B64URL, 98)

    def azure_storage_key(self) -> str:
        return self.s(B64, 86) + "=="

    def azure_client_secret(self) -> str:
        return self.s(ALNUM, 3) + "8Q~" + self.s(ALNUM + "_~.-", 34)

    def azure_sas_sig(self) -> str:
        raw = self.b64_of(self.r.randbytes(32))
        return raw.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")

    def azure_devops_pat(self) -> str:
        return self.s(B32LOW, 52)

    def azure_openai_key(self) -> str:
        return self.s(HEX, 32)

    def cloudflare_token(self) -> str:
        return self.s(B64URL, 40)

    def alibaba_key_id(self) -> str:
        return "LTAI" + self.s(ALNUM, 20)

    def alibaba_secret(self) -> str:
        return self.s(ALNUM, 30)

    # ---------------------------------------------------------------- secrets: VCS and CI
    def _gh(self, prefix: str) -> str:
        body = self.s(ALNUM, 30)
        crc = zlib.crc32(body.encode())
        check = ""
        while crc:
            crc, rem = divmod(crc, 62)
            check = B62[rem] + check
        return prefix + body + check.rjust(6, "0")

    def github_pat(self) -> str:
        return self._gh("ghp_")

    def github_oauth(self) -> str:
        return self._gh("gho_")

    def github_app_token(self) -> str:
        return self._gh("ghs_")

    def github_user_token(self) -> str:
        return self._gh("ghu_")

    def github_fine_grained(self) -> str:
        return "github_pat_11" + self.s(UPPER + DIGITS, 20) + "_" + self.s(ALNUM, 59)

    def github_client_secret(self) -> str:
        return self.s(HEX, 40)

    def gitlab_pat(self) -> str:
        return "glpat-" + self.s(ALNUM + "-_", 20)

    def gitlab_runner(self) -> str:
        return "glrt-" + self.s(ALNUM + "-_", 20)

    def gitlab_deploy(self) -> str:
        return "gldt-" + self.s(ALNUM + "-_", 20)

    def gitlab_trigger(self) -> str:
        return "glptt-" + self.s(HEX, 40)

    def bitbucket_app_password(self) -> str:
        return "ATBB" + self.s(ALNUM, 32)

    def atlassian_token(self) -> str:
        return "ATATT3xFfGF0" + self.s(B64URL, 180) + "=" + self.s(HEX.upper(), 8)

    def circleci_token(self) -> str:
        return "CCIPAT_" + self.s(ALNUM, 22) + "_" + self.s(HEX, 40)

    def sonar_token(self) -> str:
        return "squ_" + self.s(HEX, 40)

    def snyk_token(self) -> str:
        return self.uuid()

    # ---------------------------------------------------------------- secrets: AI providers
    def openai_project(self) -> str:
        return "sk-proj-" + self.s(B64URL, 74) + "T3BlbkFJ" + self.s(B64URL, 74)

    def openai_legacy(self) -> str:
        return "sk-" + self.s(ALNUM, 20) + "T3BlbkFJ" + self.s(ALNUM, 20)

    def openai_svcacct(self) -> str:
        return "sk-svcacct-" + self.s(B64URL, 74) + "T3BlbkFJ" + self.s(B64URL, 74)

    def openai_admin(self) -> str:
        return "sk-admin-" + self.s(B64URL, 74) + "T3BlbkFJ" + self.s(B64URL, 74)

    def anthropic(self) -> str:
        return "sk-ant-api03-" + self.s(B64URL, 93) + "AA"

    def anthropic_admin(self) -> str:
        return "sk-ant-admin01-" + self.s(B64URL, 93) + "AA"

    def hf_token(self) -> str:
        return "hf_" + self.s(UPPER + LOWER, 34)

    def cohere_key(self) -> str:
        return self.s(ALNUM, 40)

    def groq_key(self) -> str:
        return "gsk_" + self.s(ALNUM, 52)

    def replicate_token(self) -> str:
        return "r8_" + self.s(ALNUM, 37)

    def perplexity_key(self) -> str:
        return "pplx-" + self.s(ALNUM, 48)

    def mistral_key(self) -> str:
        return self.s(ALNUM, 32)

    def openrouter_key(self) -> str:
        return "sk-or-v1-" + self.s(HEX, 64)

    def xai_key(self) -> str:
        return "xai-" + self.s(ALNUM, 80)

    def deepseek_key(self) -> str:
        return "sk-" + self.s(HEX, 32)

    def langsmith_key(self) -> str:
        return "lsv2_pt_" + self.s(HEX, 32) + "_" + self.s(HEX, 10)

    def pinecone_key(self) -> str:
        return "pcsk_" + self.s(ALNUM, 5) + "_" + self.s(ALNUM, 63)

    def together_key(self) -> str:
        return self.s(HEX, 64)

    def wandb_key(self) -> str:
        return self.s(HEX, 40)

    def elevenlabs_key(self) -> str:
        return "sk_" + self.s(HEX, 48)

    # ---------------------------------------------------------------- secrets: payments
    def stripe_live(self) -> str:
        return "sk_live_51" + self.s(ALNUM, 97)

    def stripe_live_short(self) -> str:
        return "sk_live_" + self.s(ALNUM, 24)

    def stripe_test(self) -> str:
        return "sk_test_51" + self.s(ALNUM, 97)

    def stripe_restricted(self) -> str:
        return "rk_live_51" + self.s(ALNUM, 97)

    def stripe_webhook(self) -> str:
        return "whsec_" + self.s(ALNUM, 32)

    def square_token(self) -> str:
        return "EAAA" + self.s(B64URL, 60)

    def square_oauth_secret(self) -> str:
        return "sq0csp-" + self.s(B64URL, 43)

    def paypal_secret(self) -> str:
        return "E" + self.s(B64URL, 79)

    def paypal_client_id(self) -> str:
        return "A" + self.s(B64URL, 79)

    def paypal_access_token(self) -> str:
        return "A21AA" + self.s(B64URL, 92)

    def braintree_token(self) -> str:
        return f"access_token$production${self.s(LOWER + DIGITS, 16)}${self.s(HEX, 32)}"

    def adyen_key(self) -> str:
        return (
            "AQE"
            + self.s(ALNUM, 30)
            + "+"
            + self.s(B64, 60)
            + "=-"
            + self.s(B64, 43)
            + "=-"
            + self.s(ALNUM, 16)
        )

    def razorpay_secret(self) -> str:
        return self.s(ALNUM, 24)

    def plaid_secret(self) -> str:
        return self.s(HEX, 30)

    def mollie_key(self) -> str:
        return "live_" + self.s(ALNUM, 30)

    def paystack_key(self) -> str:
        return "sk_live_" + self.s(HEX, 40)

    # ---------------------------------------------------------------- secrets: messaging
    def slack_bot(self) -> str:
        return f"xoxb-{self.digits(11)}-{self.digits(13)}-{self.s(ALNUM, 24)}"

    def slack_user(self) -> str:
        return f"xoxp-{self.digits(11)}-{self.digits(11)}-{self.digits(13)}-{self.s(HEX, 32)}"

    def slack_app(self) -> str:
        return f"xapp-1-A{self.s(UPPER + DIGITS, 10)}-{self.digits(13)}-{self.s(HEX, 64)}"

    def slack_webhook(self) -> str:
        return (
            f"https://hooks.slack.com/services/T{self.s(UPPER + DIGITS, 8)}/B{self.s(UPPER + DIGITS, 10)}/"
            f"{self.s(ALNUM, 24)}"
        )

    def twilio_sid(self) -> str:
        return "AC" + self.s(HEX, 32)

    def twilio_auth(self) -> str:
        return self.s(HEX, 32)

    def twilio_api_key(self) -> str:
        return "SK" + self.s(HEX, 32)

    def sendgrid(self) -> str:
        return "SG." + self.s(B64URL, 22) + "." + self.s(B64URL, 43)

    def mailgun(self) -> str:
        return "key-" + self.s(HEX, 32)

    def mailgun_new(self) -> str:
        return f"{self.s(HEX, 32)}-{self.s(HEX, 8)}-{self.s(HEX, 8)}"

    def mailchimp(self) -> str:
        return self.s(HEX, 32) + "-us" + str(self.r.randint(2, 21))

    def telegram(self) -> str:
        return f"{self.digits(10, '5678')}:AA{self.s(B64URL, 33)}"

    def discord_bot(self) -> str:
        uid = self.b64_of(self.digits(18).encode(), pad=False)
        return f"{uid}.{self.s(B64URL, 6)}.{self.s(B64URL, 38)}"

    def discord_webhook(self) -> str:
        return f"https://discord.com/api/webhooks/{self.digits(19)}/{self.s(B64URL, 68)}"

    def teams_webhook(self) -> str:
        g1, g2 = self.uuid(), self.uuid()
        return (
            f"https://{self.r.choice(WORDS)}corp.webhook.office.com/webhookb2/{g1}@{g2}/IncomingWebhook/"
            f"{self.s(HEX, 32)}/{self.uuid()}"
        )

    def postmark(self) -> str:
        return self.uuid()

    def resend(self) -> str:
        return "re_" + self.s(ALNUM, 8) + "_" + self.s(ALNUM, 24)

    # ---------------------------------------------------------------- secrets: registries
    def npm_token(self) -> str:
        return "npm_" + self.s(ALNUM, 36)

    def pypi_token(self) -> str:
        return "pypi-AgEIcHlwaS5vcmc" + self.s(B64URL, 150)

    def rubygems(self) -> str:
        return "rubygems_" + self.s(HEX, 48)

    def nuget(self) -> str:
        return "oy2" + self.s(LOWER + DIGITS, 43)

    def docker_pat(self) -> str:
        return "dckr_pat_" + self.s(B64URL, 27)

    def crates_token(self) -> str:
        return "cio" + self.s(ALNUM, 32)

    # ---------------------------------------------------------------- secrets: infra and SaaS
    def digitalocean(self) -> str:
        return "dop_v1_" + self.s(HEX, 64)

    def databricks(self) -> str:
        return "dapi" + self.s(HEX, 32)

    def vault_token(self) -> str:
        return "hvs.CAESI" + self.s(B64URL, 86)

    def vault_legacy(self) -> str:
        return "s." + self.s(ALNUM, 24)

    def heroku_key(self) -> str:
        return "HRKU-AA" + self.s(B64URL, 58)

    def heroku_uuid(self) -> str:
        return self.uuid()

    def shopify_token(self) -> str:
        return "shpat_" + self.s(HEX, 32)

    def shopify_secret(self) -> str:
        return "shpss_" + self.s(HEX, 32)

    def datadog_api(self) -> str:
        return self.s(HEX, 32)

    def datadog_app(self) -> str:
        return self.s(HEX, 40)

    def newrelic_user(self) -> str:
        return "NRAK-" + self.s(UPPER + DIGITS, 27)

    def newrelic_license(self) -> str:
        return self.s(HEX, 36) + "NRAL"

    def sentry_token(self) -> str:
        return "sntryu_" + self.s(HEX, 64)

    def grafana_sa(self) -> str:
        return "glsa_" + self.s(ALNUM, 32) + "_" + self.s(HEX, 8)

    def terraform_token(self) -> str:
        return self.s(ALNUM, 14) + ".atlasv1." + self.s(ALNUM, 67)

    def pulumi_token(self) -> str:
        return "pul-" + self.s(HEX, 40)

    def doppler_token(self) -> str:
        return "dp.st.prd." + self.s(ALNUM, 40)

    def supabase_token(self) -> str:
        return "sbp_" + self.s(HEX, 40)

    def vercel_token(self) -> str:
        return self.s(ALNUM, 24)

    def netlify_token(self) -> str:
        return "nfp_" + self.s(ALNUM, 36)

    def ngrok_token(self) -> str:
        return "2" + self.s(ALNUM, 26) + "_" + self.s(ALNUM, 21)

    def linear_key(self) -> str:
        return "lin_api_" + self.s(ALNUM, 40)

    def notion_token(self) -> str:
        return "ntn_" + self.s(DIGITS, 11) + self.s(ALNUM, 35)

    def airtable_pat(self) -> str:
        return "pat" + self.s(ALNUM, 14) + "." + self.s(HEX, 64)

    def figma_token(self) -> str:
        return "figd_" + self.s(B64URL, 40)

    def postman_key(self) -> str:
        return "PMAK-" + self.s(HEX, 24) + "-" + self.s(HEX, 34)

    def okta_token(self) -> str:
        return "00" + self.s(B64URL, 40)

    def cloudinary_secret(self) -> str:
        return self.s(B64URL, 27)

    def confluent_secret(self) -> str:
        return self.s(B64, 64)

    def mapbox_secret(self) -> str:
        payload = self.b64_of(
            json.dumps(
                {"u": self.r.choice(WORDS) + "ops", "a": self.s(LOWER + DIGITS, 25)}, separators=(",", ":")
            ).encode(),
            url=True,
            pad=False,
        )
        return f"sk.{payload}.{self.s(B64URL, 22)}"

    def hubspot_token(self) -> str:
        return f"pat-na1-{self.uuid()}"

    def age_key(self) -> str:
        return "AGE-SECRET-KEY-1" + self.s("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L".upper(), 58)

    def tailscale_key(self) -> str:
        return f"tskey-auth-k{self.s(ALNUM, 16)}-{self.s(ALNUM, 33)}"

    def onepassword_sa(self) -> str:
        return "ops_eyJzaWduSW5BZGRyZXNzIjoi" + self.s(B64URL, 300)

    def launchdarkly(self) -> str:
        return "sdk-" + self.uuid()

    def sentry_auth_legacy(self) -> str:
        return self.s(HEX, 64)

    # ---------------------------------------------------------------- secrets: structural
    def jwt(self) -> str:
        header = self.b64_of(
            json.dumps(
                {"alg": self.r.choice(["HS256", "RS256"]), "typ": "JWT"}, separators=(",", ":")
            ).encode(),
            url=True,
            pad=False,
        )
        iat = self.r.randint(1_700_000_000, 1_760_000_000)
        claims = {
            "sub": self.uuid(),
            "role": self.r.choice(["service_role", "admin", "user", "authenticated"]),
            "iat": iat,
            "exp": iat + 3600 * self.r.choice([1, 24, 720]),
        }
        payload = self.b64_of(json.dumps(claims, separators=(",", ":")).encode(), url=True, pad=False)
        return f"{header}.{payload}.{self.s(B64URL, 43)}"

    def _pem_body(self, prefix: str, nbytes: int) -> list[str]:
        body = prefix + self.b64_of(self.r.randbytes(nbytes))[len(prefix) :]
        return [body[i : i + 64] for i in range(0, len(body), 64)]

    def pem_rsa(self) -> str:
        lines = self._pem_body("MIIEowIBAAKCAQEA", 1190)
        return "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END RSA PRIVATE KEY-----"

    def pem_pkcs8(self) -> str:
        lines = self._pem_body("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ", 1216)
        return "-----BEGIN PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END PRIVATE KEY-----"

    def pem_ec(self) -> str:
        lines = self._pem_body("MHcCAQEEI", 121)
        return "-----BEGIN EC PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END EC PRIVATE KEY-----"

    def pem_openssh(self) -> str:
        body = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"
        body += self.b64_of(self.r.randbytes(280))
        lines = [body[i : i + 70] for i in range(0, len(body), 70)]
        return (
            "-----BEGIN OPENSSH PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END OPENSSH PRIVATE KEY-----"
        )

    def pem_pkcs8_json(self) -> str:
        """A PKCS#8 key as it sits in a GCP service-account JSON file: one line with literal \\n."""
        return self.pem_pkcs8().replace("\n", "\\n") + "\\n"

    def password(self) -> str:
        """Strong passwords as password managers and humans make them; no URL-reserved characters."""
        style = self.r.randrange(4)
        if style == 0:
            return self.s(ALNUM + "!$^*-_.~", self.r.randint(16, 24))
        if style == 1:
            w = self.r.sample(WORDS, 2)
            return f"{w[0].capitalize()}-{w[1].capitalize()}-{self.r.randint(10, 99)}!"
        if style == 2:
            return self.s(ALNUM, 20)
        return (
            f"{self.r.choice(WORDS).capitalize()}{self.r.randint(1000, 9999)}{self.r.choice('!$*^')}"
            f"{self.s(ALNUM, 6)}"
        )

    def db_password(self) -> str:
        return self.s(ALNUM + "-_~.", self.r.randint(18, 28))

    def django_secret(self) -> str:
        return "django-insecure-" + self.s(LOWER + DIGITS + "!@#%^&*(-_=+)", 50)

    def hex_secret(self) -> str:
        return self.s(HEX, 64)

    def rails_secret(self) -> str:
        return self.s(HEX, 128)

    def b64_secret(self) -> str:
        return self.b64_of(self.r.randbytes(32))

    def api_key32(self) -> str:
        return self.s(ALNUM, 32)

    def basic_auth(self) -> str:
        user = self.r.choice(["deploy", "ci-bot", "svc_reports", "admin", "grafana"])
        return self.b64_of(f"{user}:{self.password()}".encode())

    def k8s_b64_password(self) -> str:
        return self.b64_of(self.password().encode())

    # ---------------------------------------------------------------- PII / PHI
    def person(self) -> Person:
        first, last = self._people[self._person_i % len(self._people)]
        self._person_i += 1
        return Person(first, last, self.r.choice(DOMAINS))

    def email(self) -> str:
        return self.person().email

    def phone_us(self) -> str:
        area = self.r.choice(
            ["212", "312", "415", "617", "646", "720", "206", "512", "303", "404", "503", "919"]
        )
        ex = self.digits(3, "2346789")
        line = self.digits(4, DIGITS)
        fmt = self.r.randrange(5)
        return [
            f"({area}) {ex}-{line}",
            f"{area}-{ex}-{line}",
            f"+1 {area} {ex} {line}",
            f"{area}.{ex}.{line}",
            f"+1{area}{ex}{line}",
        ][fmt]

    def phone_intl(self) -> str:
        kind = self.r.randrange(5)
        if kind == 0:
            return f"+44 7{self.digits(3, '3456789')} {self.digits(6, DIGITS)}"
        if kind == 1:
            return f"+49 15{self.r.choice('1256789')} {self.digits(8, DIGITS)}"
        if kind == 2:
            pairs = " ".join(self.digits(2, DIGITS) for _ in range(4))
            return f"+33 6 {pairs}"
        if kind == 3:
            return f"+91 9{self.digits(4, DIGITS)} {self.digits(5, DIGITS)}"
        return f"+44 20 7{self.digits(3, DIGITS)} {self.digits(4, DIGITS)}"

    def ssn(self) -> str:
        while True:
            area = self.r.randint(1, 899)
            if area != 666:
                break
        return f"{area:03d}-{self.r.randint(1, 99):02d}-{self.r.randint(1, 9999):04d}"

    def ssn_plain(self) -> str:
        return self.ssn().replace("-", "")

    @staticmethod
    def luhn_digit(partial: str) -> str:
        total = 0
        for i, ch in enumerate(reversed(partial)):
            d = int(ch)
            if i % 2 == 0:
                d *= 2
                if d > 9:
                    d -= 9
            total += d
        return str((10 - total % 10) % 10)

    def credit_card(self) -> str:
        kind = self.r.randrange(4)
        if kind == 0:
            n = "4" + self.digits(14, DIGITS)
        elif kind == 1:
            n = "5" + self.r.choice("12345") + self.digits(13, DIGITS)
        elif kind == 2:
            n = self.r.choice(["34", "37"]) + self.digits(12, DIGITS)
        else:
            n = "6011" + self.digits(11, DIGITS)
        n += self.luhn_digit(n)
        sep = self.r.choice([" ", "-", ""])
        if len(n) == 15:
            return sep.join([n[:4], n[4:10], n[10:]])
        return sep.join(n[i : i + 4] for i in range(0, 16, 4))

    def iban(self) -> str:
        country = self.r.choice(["DE", "GB", "FR", "NL", "ES", "IT"])
        if country == "DE":
            bban = self.digits(18, DIGITS)
        elif country == "GB":
            bban = self.s(UPPER, 4) + self.digits(14, DIGITS)
        elif country == "FR":
            bban = self.digits(10, DIGITS) + self.s(UPPER + DIGITS, 11) + self.digits(2, DIGITS)
        elif country == "NL":
            bban = self.s(UPPER, 4) + self.digits(10, DIGITS)
        elif country == "ES":
            bban = self.digits(20, DIGITS)
        else:
            bban = self.s(UPPER, 1) + self.digits(10, DIGITS) + self.s(UPPER + DIGITS, 12)
        numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
        check = 98 - int(numeric) % 97
        iban = f"{country}{check:02d}{bban}"
        if self.r.random() < 0.6:
            return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
        return iban

    def public_ip(self) -> str:
        while True:
            a = self.r.randint(3, 223)
            b = self.r.randint(0, 255)
            if a in (10, 127, 100, 169, 172, 192, 198, 203):
                continue
            return f"{a}.{b}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}"

    def public_ipv6(self) -> str:
        return "2a0" + str(self.r.randint(1, 9)) + ":" + ":".join(self.s(HEX, 4) for _ in range(7))

    def street_address(self) -> str:
        city, state, zip3 = self.r.choice(CITIES)
        apt = self.r.choice(["", "", f", Apt {self.r.randint(2, 40)}{self.r.choice('ABCD')}", ", Suite 210"])
        number, street = self.r.randint(12, 9899), self.r.choice(STREETS)
        zip_code = zip3 + self.digits(2, DIGITS)
        return f"{number} {street}{apt}, {city}, {state} {zip_code}"

    def street_line(self) -> str:
        return f"{self.r.randint(12, 9899)} {self.r.choice(STREETS)}"

    def dob(self) -> str:
        y, m, d = self.r.randint(1938, 2006), self.r.randint(1, 12), self.r.randint(1, 28)
        months = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ]
        return [
            f"{m:02d}/{d:02d}/{y}",
            f"{y}-{m:02d}-{d:02d}",
            f"{months[m - 1]} {d}, {y}",
            f"{d} {months[m - 1][:3]} {y}",
        ][self.r.randrange(4)]

    def dob_iso(self) -> str:
        y, m, d = self.r.randint(1938, 2006), self.r.randint(1, 12), self.r.randint(1, 28)
        return f"{y}-{m:02d}-{d:02d}"

    def dob_us(self) -> str:
        y, m, d = self.r.randint(1938, 2006), self.r.randint(1, 12), self.r.randint(1, 28)
        return f"{m:02d}/{d:02d}/{y}"

    def dob_hl7(self) -> str:
        return self.dob_iso().replace("-", "")

    def mrn(self) -> str:
        return self.digits(self.r.choice([7, 8, 9, 10]), DIGITS[1:])

    def npi(self) -> str:
        base = self.r.choice("12") + self.digits(8, DIGITS)
        return base + self.luhn_digit("80840" + base)

    def mbi(self) -> str:
        letters = "ACDEFGHJKMNPQRTUVWXY"
        an = letters + DIGITS
        c = [
            self.r.choice("123456789"),
            self.r.choice(letters),
            self.r.choice(an),
            self.r.choice(DIGITS),
            self.r.choice(letters),
            self.r.choice(an),
            self.r.choice(DIGITS),
            self.r.choice(letters),
            self.r.choice(letters),
            self.r.choice(DIGITS),
            self.r.choice(DIGITS),
        ]
        v = "".join(c)
        return v if self.r.random() < 0.6 else f"{v[:4]}-{v[4:7]}-{v[7:]}"

    def member_id(self) -> str:
        return self.r.choice(["W", "XJH", "ZGP", "H", "MBR"]) + self.digits(9, DIGITS)

    def dea(self, last_initial: str | None = None) -> str:
        first = self.r.choice("ABFGM")
        second = last_initial or self.r.choice(UPPER)
        d = [int(self.r.choice(DIGITS)) for _ in range(6)]
        check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
        return first + second + "".join(map(str, d)) + str(check)

    def passport(self) -> str:
        return self.digits(9, "5678")

    # ---------------------------------------------------------------- benign look-alikes
    def git_sha(self) -> str:
        return self.s(HEX, 40)

    def short_sha(self) -> str:
        return self.s(HEX, 7)

    def sha256(self) -> str:
        return hashlib.sha256(self.r.randbytes(16)).hexdigest()

    def sha512(self) -> str:
        return hashlib.sha512(self.r.randbytes(16)).hexdigest()

    def sri512(self) -> str:
        return "sha512-" + self.b64_of(hashlib.sha512(self.r.randbytes(16)).digest())

    def sri384(self) -> str:
        return "sha384-" + self.b64_of(hashlib.sha384(self.r.randbytes(16)).digest())

    def md5(self) -> str:
        return hashlib.md5(self.r.randbytes(16), usedforsecurity=False).hexdigest()

    def sha1(self) -> str:
        return hashlib.sha1(self.r.randbytes(16), usedforsecurity=False).hexdigest()

    def gosum(self) -> str:
        return "h1:" + self.b64_of(hashlib.sha256(self.r.randbytes(16)).digest())

    def uuid(self) -> str:
        h = self.s(HEX, 32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{self.r.choice('89ab')}{h[17:20]}-{h[20:]}"

    def b64_fixture(self) -> str:
        text = " ".join(self.r.sample(WORDS, 5)).encode()
        return self.b64_of(text)

    def hex_colour(self) -> str:
        return "#" + self.s(HEX, 6)

    def iso_ts(self) -> str:
        return (
            f"20{self.r.randint(21, 25)}-{self.r.randint(1, 12):02d}-{self.r.randint(1, 28):02d}T"
            f"{self.r.randint(0, 23):02d}:{self.r.randint(0, 59):02d}:{self.r.randint(0, 59):02d}Z"
        )

    def epoch_ms(self) -> str:
        return str(self.r.randint(1_690_000_000_000, 1_760_000_000_000))

    def private_ip(self) -> str:
        k = self.r.randrange(3)
        if k == 0:
            return f"10.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(2, 254)}"
        if k == 1:
            return f"192.168.{self.r.randint(0, 255)}.{self.r.randint(2, 254)}"
        return f"172.{self.r.randint(16, 31)}.{self.r.randint(0, 255)}.{self.r.randint(2, 254)}"

    def request_id(self) -> str:
        return "req_" + self.s(ALNUM, 14)

    def trace_id(self) -> str:
        return self.s(HEX, 32)

    def etag(self) -> str:
        return self.s(HEX, 32)

    def docker_digest(self) -> str:
        return "sha256:" + self.sha256()

    def s_hex16(self) -> str:
        return self.s(HEX, 16)

    def s_hex12(self) -> str:
        return self.s(HEX, 12)

    def epoch_ns(self) -> str:
        return self.epoch_ms() + self.digits(6, DIGITS)

    def pem_public(self) -> str:
        lines = self._pem_body("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", 294)
        return "-----BEGIN PUBLIC KEY-----\n" + "\n".join(lines) + "\n-----END PUBLIC KEY-----"

    def ssh_pub(self) -> str:
        return "AAAAC3NzaC1lZDI1NTE5AAAAI" + self.b64_of(self.r.randbytes(32))[:43]

    def csp_hash(self) -> str:
        return "sha256-" + self.b64_of(hashlib.sha256(self.r.randbytes(16)).digest())

    def ulid(self) -> str:
        return "01" + self.s("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 24)

    def semver(self) -> str:
        return f"{self.r.randint(0, 9)}.{self.r.randint(0, 30)}.{self.r.randint(0, 20)}"

    def order_id(self) -> str:
        return f"ORD-{self.r.randint(2021, 2025)}-{self.digits(6, DIGITS)}"

    # ---------------------------------------------------------------- unlabelled filler (ids, account nos)
    def num12(self) -> str:
        return self.digits(12)

    def s_alnum24(self) -> str:
        return self.s(ALNUM, 24)

    def s_alnum14(self) -> str:
        return self.s(ALNUM, 14)

    def s_upper8(self) -> str:
        return self.s(UPPER + DIGITS, 8)

    def s_upper16(self) -> str:
        return self.s(UPPER + DIGITS, 16)

    def s_lower5(self) -> str:
        return self.s(LOWER + DIGITS, 5)

    def s_lower58(self) -> str:
        return self.s("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58)
