"""Extra value generators for the held-out redaction corpus, on top of bench/data/redaction/values.py.

Why extra ones: the held-out prompts should also carry token shapes and look-alikes that the development
corpus does not (e.g. Firebase FCM server keys, JFrog API keys, legacy npm UUID tokens; AWS resource ids,
TEST-NET addresses, CI run ids), so a score on them says something about formats nobody tuned for.
All values are random fakes with the vendors' published shapes.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "redaction"))

from values import ALNUM, B64, B64URL, DIGITS, HEX, LOWER, UPPER, Values  # noqa: E402

# generator name -> label type, for the sensitive generators added here (merged into make_corpus's maps).
SECRET_TYPES = {
    "fcm_server_key": "FIREBASE_FCM_KEY",
    "artifactory_key": "ARTIFACTORY_TOKEN",
    "dropbox_token": "DROPBOX_TOKEN",
    "npm_legacy": "NPM_TOKEN",
    "rails_master_key": "APP_SECRET_KEY",
    "slack_signing_secret": "SLACK_SIGNING_SECRET",
    "algolia_admin": "ALGOLIA_API_KEY",
    "shippo_live": "SHIPPO_API_TOKEN",
    "flutterwave_secret": "FLUTTERWAVE_SECRET_KEY",
    "webhook_secret": "WEBHOOK_SECRET",
    "session_cookie": "SESSION_COOKIE",
}
PII_TYPES: dict[str, str] = {}


class HeldoutValues(Values):
    """Values plus the held-out-only shapes. Benign generators need no type map: their name is the type."""

    # ------------------------------------------------------------------ secrets (formats new to the corpus)
    def fcm_server_key(self) -> str:
        return "AAAA" + self.s(B64URL, 7) + ":APA91b" + self.s(B64URL, 134)

    def artifactory_key(self) -> str:
        return "AKCp8" + self.s(ALNUM, 68)

    def dropbox_token(self) -> str:
        return "sl." + self.s(B64URL, 135)

    def npm_legacy(self) -> str:
        return self.uuid()

    def rails_master_key(self) -> str:
        return self.s(HEX, 32)

    def slack_signing_secret(self) -> str:
        return self.s(HEX, 32)

    def algolia_admin(self) -> str:
        return self.s(HEX, 32)

    def shippo_live(self) -> str:
        return "shippo_live_" + self.s(HEX, 40)

    def flutterwave_secret(self) -> str:
        return "FLWSECK-" + self.s(HEX, 32) + "-X"

    def webhook_secret(self) -> str:
        return self.s(ALNUM, 40)

    def session_cookie(self) -> str:
        return "s%3A" + self.s(B64URL, 32) + "." + self.s(B64, 43)

    # ------------------------------------------------------------------ unlabelled filler
    def stripe_pk(self) -> str:
        return "pk_live_51" + self.s(ALNUM, 97)

    def bcrypt(self) -> str:
        return "$2b$12$" + self.s(ALNUM + "./", 53)

    def razorpay_key_id(self) -> str:
        return "rzp_live_" + self.s(ALNUM, 14)

    def openai_org(self) -> str:
        return "org-" + self.s(ALNUM, 24)

    def github_app_client_id(self) -> str:
        return "Iv1." + self.s(HEX, 16)

    def plaid_client_id(self) -> str:
        return self.s(HEX, 24)

    def gcp_client_num(self) -> str:
        return self.digits(21)

    def vault_accessor(self) -> str:
        return self.s(ALNUM, 24)

    # ------------------------------------------------------------------ benign look-alikes
    def _aws_id(self, prefix: str) -> str:
        return prefix + self.s(HEX, 17)

    def vpc_id(self) -> str:
        return self._aws_id("vpc-")

    def subnet_id(self) -> str:
        return self._aws_id("subnet-")

    def sg_id(self) -> str:
        return self._aws_id("sg-")

    def instance_id(self) -> str:
        return self._aws_id("i-")

    def ami_id(self) -> str:
        return self._aws_id("ami-")

    def aws_role_id(self) -> str:
        return "AROA" + self.s(UPPER + DIGITS, 17)

    def container_id(self) -> str:
        return self.s(HEX, 64)

    def doc_ip(self) -> str:
        net = self.r.choice(["192.0.2", "198.51.100", "203.0.113"])
        return f"{net}.{self.r.randint(2, 254)}"

    def fictional_phone(self) -> str:
        area = self.r.choice(["212", "312", "415", "617", "720"])
        return f"({area}) 555-01{self.r.randint(0, 99):02d}"

    def gh_run_id(self) -> str:
        return self.digits(10, "89")

    def gh_job_id(self) -> str:
        return self.digits(11, "23")

    def pod_name(self) -> str:
        alpha = "bcdfghjklmnpqrstvwxz2456789"
        app = self.r.choice(["api", "worker", "billing-api", "ingest", "web"])
        return f"{app}-{self.s(alpha, 10)}-{self.s(alpha, 5)}"

    def cf_account_id(self) -> str:
        return self.s(HEX, 32)

    def ssh_fingerprint(self) -> str:
        return "SHA256:" + self.b64_of(self.r.randbytes(32), pad=False)

    def stripe_event_id(self) -> str:
        return "evt_3" + self.s(ALNUM, 24)

    def stripe_charge_id(self) -> str:
        return "ch_3" + self.s(ALNUM, 24)

    def stripe_customer_id(self) -> str:
        return "cus_" + self.s(ALNUM, 14)

    def alembic_rev(self) -> str:
        return self.s(HEX, 12)

    def nb_cell_id(self) -> str:
        return self.s(HEX, 8)

    def dkim_bh(self) -> str:
        return self.b64_of(self.r.randbytes(32))

    def message_id(self) -> str:
        return f"<{self.s(ALNUM, 20)}.{self.digits(6, DIGITS)}@mail.{self.r.choice(['quillsoft.dev', 'lumenpay.io'])}>"

    def java_hash(self) -> str:
        return self.s(HEX[:16], 8)

    def k8s_resource_version(self) -> str:
        return self.digits(8)

    def hubspot_object_id(self) -> str:
        return self.digits(11)

    def otel_span(self) -> str:
        return self.s(HEX, 16)

    def lower_hex40(self) -> str:
        return self.s(HEX, 40)

    def ipv6_ula(self) -> str:
        return "fd" + self.s(HEX, 2) + ":" + ":".join(self.s(HEX, 4) for _ in range(3)) + "::" + self.s(HEX, 3)

    def b64_config(self) -> str:
        words = " ".join(self.r.sample(["retries", "timeout", "region", "eu-west-1", "30s", "true", "lb"], 5))
        return self.b64_of(f"# generated\n{words}\n".encode())

    def lower_id(self) -> str:
        return self.s(LOWER + DIGITS, 20)
