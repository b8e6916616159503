"""Extra value generators for the second held-out redaction corpus, on top of the first held-out set's.

Why extra ones: a score is only informative on shapes nobody tuned for, so this set adds a few token formats
(Auth0 client secrets, Contentful PATs, Segment write keys, legacy Firebase database secrets) and public
look-alikes that sit next to secrets in real config files (SAML signing certificates, Firebase app ids,
Kafka cluster ids, NDC drug codes, claim numbers). All values are random fakes with the published shapes.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "redaction_heldout"))
sys.path.insert(0, str(HERE.parent / "redaction"))

from values import ALNUM, B64URL, DIGITS, HEX, LOWER, UPPER  # noqa: E402
from values_heldout import PII_TYPES as HO_PII  # noqa: E402
from values_heldout import SECRET_TYPES as HO_SECRETS  # noqa: E402
from values_heldout import HeldoutValues  # noqa: E402

SECRET_TYPES = {
    **HO_SECRETS,
    "auth0_client_secret": "AUTH0_CLIENT_SECRET",
    "contentful_pat": "CONTENTFUL_TOKEN",
    "segment_write_key": "SEGMENT_WRITE_KEY",
    "firebase_db_secret": "FIREBASE_SECRET",
    "oauth_code": "OAUTH_CODE",
}
PII_TYPES: dict[str, str] = {**HO_PII}


class Heldout2Values(HeldoutValues):
    """HeldoutValues plus this set's shapes. Benign generators need no type map: their name is the type."""

    # ------------------------------------------------------------------ secrets
    def auth0_client_secret(self) -> str:
        return self.s(B64URL, 64)

    def contentful_pat(self) -> str:
        return "CFPAT-" + self.s(B64URL, 43)

    def segment_write_key(self) -> str:
        return self.s(ALNUM, 32)

    def firebase_db_secret(self) -> str:
        return self.s(ALNUM, 40)

    def oauth_code(self) -> str:
        return "4/0A" + self.s(B64URL, 71)

    # ------------------------------------------------------------------ unlabelled filler
    def ansible_vault_line(self) -> str:
        return self.s(DIGITS + "abcdef", 80)

    def rx_number(self) -> str:
        return "RX" + self.digits(7, DIGITS)

    # ------------------------------------------------------------------ benign look-alikes
    def x509_cert_b64(self) -> str:
        """A public signing certificate as SAML metadata carries it: public by design."""
        return "MIIDdzCCAl+gAwIBAgIE" + self.b64_of(self.r.randbytes(660))

    def firebase_app_id(self) -> str:
        return f"1:{self.digits(12)}:{self.r.choice(['android', 'ios', 'web'])}:{self.s(HEX, 16)}"

    def gcp_project_number(self) -> str:
        return self.digits(12)

    def kafka_cluster_id(self) -> str:
        return "lkc-" + self.s(LOWER + DIGITS, 5)

    def ndc_code(self) -> str:
        return f"{self.digits(5, DIGITS)}-{self.digits(4, DIGITS)}-{self.digits(2, DIGITS)}"

    def claim_number(self) -> str:
        return f"CLM{self.r.randint(2024, 2026)}{self.digits(8, DIGITS)}"

    def apple_team_id(self) -> str:
        return self.s(UPPER + DIGITS, 10)

    def build_number(self) -> str:
        return str(self.r.randint(1000, 9999))

    def saml_request_id(self) -> str:
        return "_" + self.s(HEX, 40)

    def jenkins_cred_id(self) -> str:
        return self.uuid()

    def vercel_deploy_id(self) -> str:
        return "dpl_" + self.s(ALNUM, 28)

    def netlify_site_id(self) -> str:
        return self.uuid()

    def mongo_object_id(self) -> str:
        return self.s(HEX, 24)

    def oauth_state(self) -> str:
        return self.s(B64URL, 32)
